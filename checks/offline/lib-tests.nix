# The pure lib's values, as data: each test is { expr; expected; }, one file
# per area in lib-tests/. suite.py evaluates them with Nix and reports every
# mismatch; a test name given twice fails evaluation.
let
  ww = import ../../lib;
  pyo3 = ../../examples/pyo3-abi3;
  cdylib = ../../examples/cdylib;
  layout = ./fixtures/pyproject-layout;
  perInterpreter = ./fixtures/per-interpreter;
  abi3t = ./fixtures/abi3t;
  plan = args: ww.planBuild ({src = pyo3;} // args);
  lines = builtins.split "\n";
  args = s: builtins.filter builtins.isString (lines s);
  floorOf = triple: ww.targets.${triple}.floor;
  shared = {inherit ww pyo3 cdylib layout perInterpreter abi3t plan args floorOf;};
  areas = map (area: import (./lib-tests + "/${area}.nix") shared) ["targets" "crate" "pythons" "plan-env" "plan-options" "target-libraries"];
  merge = tests: area: let
    twice = builtins.filter (name: tests ? ${name}) (builtins.attrNames area);
  in
    if twice == []
    then tests // area
    else throw "lib-tests: ${builtins.head twice} is defined twice";
in
  builtins.foldl' merge {} areas
