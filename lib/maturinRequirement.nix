# The version specifier of maturin among a pyproject's [build-system]
# requires, as PEP 508 writes it: "maturin>=1.9,<2" and
# "maturin[zig] (>=1.9) ; python_version >= '3.8'" give ">=1.9,<2" and
# ">=1.9".
#
# Arguments: the requirement strings.
#
# Returns the specifier, or null when none names maturin, or names it without
# a version or by URL (`maturin @ https://...`), or names another package
# (`maturin-import-hook`).
requires: let
  specs = builtins.filter (m: m != null) (map (builtins.match
    "[[:space:]]*[Mm]aturin[[:space:]]*([[][^]]*[]])?[[:space:]]*([(]?([<>=!~][^;)]*)[)]?)?[[:space:]]*(;.*)?")
  requires);
in
  if specs == []
  then null
  else builtins.elemAt (builtins.head specs) 2
