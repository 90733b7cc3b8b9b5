# Which ABI a wheel build's extension module targets: pyo3's (or
# pyo3-ffi's) `abi3` or `abi3t` feature (PEP 384's stable ABI, or PEP 803's
# for free-threaded CPython), asked for on the dependency itself, through the
# crate's own features, through pyproject.toml's `[tool.maturin] features`,
# or through the `features` option, which replaces the pyproject's list as
# maturin's --features does (maturin src/cargo_options.rs). Fails evaluation
# when the pyproject turns a stable ABI on for some interpreters only (a
# conditional entry): maturin then builds an abi3 wheel for those and one per
# interpreter for the others, a set wheelwright does not plan.
#
# Arguments:
#   crate              readCrate's result
#   features           the `features` option (default [ ])
#   noDefaultFeatures  the `noDefaultFeatures` option (default false)
#
# Returns "abi3t" (one wheel for CPython 3.15 and newer, free-threaded or
# not), "abi3" (one wheel for every CPython from its floor),
# "abi3-and-abi3t" (both: an abi3 wheel, and for free-threaded CPython a
# 3.14t wheel and the abi3t one, as maturin builds them when asked for those
# interpreters apart), "per-interpreter"
# (one wheel per CPython), or null when the crate has no direct pyo3 or
# pyo3-ffi dependency (bindings wheelwright cannot see into, which maturin
# decides).
{
  crate,
  features ? [],
  noDefaultFeatures ? false,
}: let
  stableAbi = abi: feature: builtins.match "${abi}(-py3[0-9]+)?" feature != null;
  onDependency = abi: f: let
    m = builtins.match "(pyo3|pyo3-ffi)[?]?/(.*)" f;
  in
    m != null && stableAbi abi (builtins.elemAt m 1);
  enabledFeatures = import ./enabledFeatures.nix;
  fromPyproject = features == [];
  enabled = enabledFeatures {inherit crate features noDefaultFeatures;};
  asks = abi: builtins.any (stableAbi abi) crate.pyo3Features || builtins.any (onDependency abi) enabled;
  # A conditional entry that asks for a stable ABI, directly or through the
  # crate's features.
  conditionalAbi = builtins.filter (spec: let
    on = enabledFeatures {
      inherit crate;
      features = [spec.feature];
      noDefaultFeatures = true;
    };
  in
    builtins.any (f: onDependency "abi3" f || onDependency "abi3t" f) on) (crate.maturinConditionalFeatures or []);
  conditional = builtins.head conditionalAbi;
in
  if crate.pyo3Features == null
  then null
  else if fromPyproject && conditionalAbi != []
  then
    throw "wheelwright: [tool.maturin] features turns on ${conditional.feature} only where ${
      builtins.concatStringsSep " and " (map (k: "${k} is ${conditional.${k}}") (builtins.filter (k: conditional ? ${k}) ["python-version" "python-implementation"]))
    }: maturin then builds an abi3 wheel for some interpreters and a wheel per interpreter for the others, which wheelwright does not plan yet; make it a plain feature (one stable-ABI wheel), or leave it out and list pythonVersions (a wheel per interpreter)"
  else if asks "abi3t" && asks "abi3"
  then "abi3-and-abi3t"
  else if asks "abi3t"
  then "abi3t"
  else if asks "abi3"
  then "abi3"
  else "per-interpreter"
