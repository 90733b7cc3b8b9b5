# Whether a release version meets a PEP 440 version specifier, as pip reads a
# requirement such as `maturin>=1.14,<1.15` (its part after the name).
#
# Arguments: the specifier ("" allows every version), then the version
# (e.g. "1.16.0").
#
# Handles the comparison clauses (==, !=, <=, >=, <, >, ~= and ==X.* and
# !=X.*) of release versions; a pre-release or local part of a clause's
# version is compared as its release.
specifier: version: let
  release = v: map builtins.fromJSON (builtins.filter (p: builtins.isString p && p != "") (builtins.split "\\." (builtins.head (builtins.match "v?([0-9.]*[0-9]).*" v))));
  # 1.14 == 1.14.0: pad with zeros to a common length
  pad = n: xs:
    if builtins.length xs >= n
    then xs
    else pad n (xs ++ [0]);
  compare = a: b: let
    n = builtins.length (release a) + builtins.length (release b);
  in
    builtins.compareVersions (builtins.concatStringsSep "." (map toString (pad n (release a)))) (builtins.concatStringsSep "." (map toString (pad n (release b))));
  prefix = p: v: let
    ps = release p;
    vs = pad (builtins.length ps) (release v);
  in
    ps == builtins.genList (i: builtins.elemAt vs i) (builtins.length ps);
  clause = text: let
    m = builtins.match "[[:space:]]*(~=|===|==|!=|<=|>=|<|>)[[:space:]]*([^[:space:]]+)[[:space:]]*" text;
    op = builtins.elemAt m 0;
    v = builtins.elemAt m 1;
    wildcard = builtins.match "(.*)\\.\\*" v;
    c = compare version v;
  in
    if m == null
    then throw "wheelwright: cannot read the version specifier clause '${text}'"
    else if wildcard != null && (op == "==" || op == "!=")
    then (op == "==") == prefix (builtins.head wildcard) version
    else if op == "==" || op == "==="
    then c == 0
    else if op == "!="
    then c != 0
    else if op == "<="
    then c <= 0
    else if op == ">="
    then c >= 0
    else if op == "<"
    then c < 0
    else if op == ">"
    then c > 0
    # ~=X.Y: >= X.Y and == X.*
    else c >= 0 && prefix (builtins.concatStringsSep "." (map toString (let r = release v; in builtins.genList (i: builtins.elemAt r i) (builtins.length r - 1)))) version;
  clauses = builtins.filter (t: builtins.isString t && builtins.match "[[:space:]]*" t == null) (builtins.split "," specifier);
in
  builtins.all clause clauses
