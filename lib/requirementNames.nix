# The project names of PEP 508 requirements, normalized as PEP 503 compares
# them: "cffi>=2.0.0; platform_python_implementation != 'PyPy'" gives "cffi",
# "Typing_Extensions>=4.13" gives "typing-extensions".
#
# Arguments: the requirement strings (a pyproject's [build-system] requires).
#
# Returns the names, in order; an entry that starts with no name is left out.
requires: let
  upper = ["A" "B" "C" "D" "E" "F" "G" "H" "I" "J" "K" "L" "M" "N" "O" "P" "Q" "R" "S" "T" "U" "V" "W" "X" "Y" "Z" "_" "."];
  lower = ["a" "b" "c" "d" "e" "f" "g" "h" "i" "j" "k" "l" "m" "n" "o" "p" "q" "r" "s" "t" "u" "v" "w" "x" "y" "z" "-" "-"];
  names = map (builtins.match "[[:space:]]*([A-Za-z0-9][A-Za-z0-9._-]*).*") (builtins.filter builtins.isString requires);
in
  map (m: builtins.replaceStrings upper lower (builtins.head m)) (builtins.filter (m: m != null) names)
