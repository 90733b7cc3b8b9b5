# The interpreters a wheel build makes one wheel each for.
#
# Arguments: the table of nix/pythons.nix; then
#   crate      readCrate's result
#   abi3       resolveAbi3's result
#   requested  the pythonVersions option: null or a list such as
#              [ "3.12" "3.13t" ]
#
# Returns the list, or null for one wheel that needs no interpreter (abi3, or
# bindings without pyo3). A crate without abi3 and no list gets the default
# matrix of nix/pythons.nix, narrowed to its `requires-python` floor and to
# the newest CPython its locked pyo3-ffi supports.
{pythons}: {
  crate,
  abi3,
  requested ? null,
}: let
  minorOf = v: builtins.fromJSON (builtins.head (builtins.match "3\\.([0-9]+)t?" v));
  floor = let
    m = builtins.match ".*>=[[:space:]]*3\\.([0-9]+).*" (toString crate.requiresPython);
  in
    if m == null
    then 0
    else builtins.fromJSON (builtins.head m);
  pyo3Release = let
    m = builtins.match "([0-9]+\\.[0-9]+)\\..*" (toString crate.pyo3FfiVersion);
  in
    if m == null
    then null
    else builtins.head m;
  cap =
    if pyo3Release == null
    then null
    else pythons.pyo3Max.${pyo3Release} or null;
  fits = v: minorOf v >= floor && (cap == null || minorOf v <= minorOf cap);
  matrix = builtins.filter fits pythons.default;
in
  if requested != null || abi3 != false
  then requested
  else if matrix == []
  then throw "wheelwright: crate '${crate.name}' needs a wheel per interpreter (pyo3's abi3 feature is off), but no CPython of the default matrix ${builtins.concatStringsSep ", " pythons.default} fits requires-python '${crate.requiresPython}' and pyo3-ffi ${crate.pyo3FfiVersion} (at most ${toString cap}); set pythonVersions"
  else matrix
