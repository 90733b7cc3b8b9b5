# Whether a wheel build makes an abi3 (stable-ABI) extension module: pyo3's
# (or pyo3-ffi's) abi3 feature, asked for on the dependency itself, through
# the crate's own features, through pyproject.toml's `[tool.maturin]
# features`, or through the `features` option.
#
# Arguments:
#   crate              readCrate's result
#   features           the `features` option (default [ ])
#   noDefaultFeatures  the `noDefaultFeatures` option (default false)
#
# Returns true, false, or null when the crate has no direct pyo3 or pyo3-ffi
# dependency (bindings wheelwright cannot see into, which maturin decides).
{
  crate,
  features ? [],
  noDefaultFeatures ? false,
}: let
  abi3Feature = f: builtins.match "(pyo3|pyo3-ffi)[?]?/abi3(-py3[0-9]+)?" f != null;
  # The crate's features that are on, following what each one turns on.
  enable = on: todo:
    if todo == []
    then on
    else let
      f = builtins.head todo;
      rest = builtins.tail todo;
    in
      if builtins.elem f on
      then enable on rest
      else enable (on ++ [f]) (rest ++ crate.featureTable.${f} or []);
  enabled = enable [] (
    (
      if noDefaultFeatures
      then []
      else ["default"]
    )
    ++ features
    ++ crate.maturinFeatures
  );
in
  if crate.pyo3Features == null
  then null
  else builtins.any (f: builtins.match "abi3(-py3[0-9]+)?" f != null) crate.pyo3Features || builtins.any abi3Feature enabled
