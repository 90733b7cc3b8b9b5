# The interpreters a wheel build makes one wheel each for.
#
# Arguments: the table of lib/data/pythons.nix; then
#   crate      readCrate's result
#   abi3       resolveAbi3's result
#   requested  the pythonVersions option: null or a list such as
#              [ "3.12" "3.14t" ]
#
# Returns the list, or null for one wheel that needs no interpreter (abi3, or
# bindings without pyo3). An abi3t crate builds its one wheel against the
# table's `abi3t` interpreter; an abi3 and abi3t one gets the free-threaded
# interpreters (its abi3 wheel is built apart, without one). A per-interpreter crate and no list gets the
# default matrix of lib/data/pythons.nix, narrowed to its `requires-python` floor
# and to the newest CPython its locked pyo3-ffi supports. Fails evaluation for an
# entry that is not in the table's `supported` list (a `refused` one with its
# reason), or one newer than the locked pyo3-ffi builds for.
{pythons}: {
  crate,
  abi3,
  requested ? null,
}: let
  fail = msg: throw "wheelwright: ${msg}";
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
  withinCap = v: cap == null || minorOf v <= minorOf cap;
  fits = v: minorOf v >= floor && withinCap v;
  matrix = builtins.filter fits pythons.default;
  list = builtins.concatStringsSep ", ";
  check = v:
    if pythons.refused ? ${v}
    then fail "pythonVersions entry '${v}' is refused: ${pythons.refused.${v}.reason}; use \"${pythons.refused.${v}.instead}\""
    else if !builtins.elem v pythons.supported
    then fail "pythonVersions entry '${v}' is not a CPython wheelwright builds; use one of ${list pythons.supported}"
    else if !withinCap v
    then fail "pythonVersions entry '${v}' is newer than pyo3-ffi ${crate.pyo3FfiVersion} builds for (at most ${cap}); update pyo3 in Cargo.lock or drop ${v}"
    else v;
in
  if requested != null
  then map check requested
  else if abi3 == "abi3t"
  then [pythons.abi3t]
  # the free-threaded wheels beside the abi3 one (which needs no interpreter):
  # every free-threaded CPython before abi3t's the crate's pyo3 builds for
  else if abi3 == "abi3-and-abi3t"
  then builtins.filter (v: builtins.match ".*t" v != null && fits v) pythons.supported ++ [pythons.abi3t]
  else if abi3 != "per-interpreter"
  then null
  else if matrix == []
  then fail "crate '${crate.name}' needs a wheel per interpreter (pyo3's abi3 feature is off), but no CPython of the default matrix ${list pythons.default} fits requires-python '${crate.requiresPython}' and pyo3-ffi ${crate.pyo3FfiVersion} (at most ${toString cap}); set pythonVersions"
  else matrix
