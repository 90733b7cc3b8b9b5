{
  # Configurations that the flake's own outputs do not hold, evaluated by the
  # real-nix stage: every musl target, and one wheel per interpreter. The
  # stage copies examples/pyo3-abi3 and examples/cdylib next to this file and
  # points `wheelwright` at the checkout.
  inputs.wheelwright.url = "github:wheelwright/wheelwright";

  outputs = {wheelwright, ...}: let
    inherit (wheelwright.lib) targets;
    musl = builtins.filter (t: targets.${t}.libc == "musl") (builtins.attrNames targets);
  in {
    packages = wheelwright.lib.forEachBuildSystem (pkgs: let
      ww = wheelwright.lib.mkLib pkgs;
    in
      ww.targetPackages {
        src = ./pyo3-abi3;
        targets = musl;
      }
      // ww.targetPackages {
        src = ./cdylib;
        targets = musl;
        wheel = false;
        cdylib = true;
      }
      // {
        wheel-x86_64-pythons = ww.buildWheel {
          src = ./pyo3-abi3;
          target = "x86_64-unknown-linux-gnu";
          pythonVersions = ["3.12" "3.13" "3.13t"];
        };
      });
  };
}
