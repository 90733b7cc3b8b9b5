# Checks the options given to one build against lib/data/options.nix: every name
# must be an option, of the build's kind (an sdist ignores those about a
# target), with a value of the option's type. Returns every option of the
# plan and build layers, the defaults filled in.
#
# Arguments: the options table; then the build's kind ("wheel", "cdylib" or
# "sdist") and the options given (an attribute set).
options: kind: given: let
  fail = msg: throw "wheelwright: ${msg}";
  byName = builtins.listToAttrs (map (o: {
      inherit (o) name;
      value = o;
    })
    options);
  typeOk = type: v:
    if builtins.substring 0 7 type == "nullOr "
    then v == null || typeOk (builtins.substring 7 (-1) type) v
    else if type == "path"
    then builtins.isPath v || builtins.isString v || v ? outPath
    else if type == "string"
    then builtins.isString v
    else if type == "bool"
    then builtins.isBool v
    else if type == "int"
    then builtins.isInt v
    else if type == "attrs"
    then builtins.isAttrs v
    else if type == "string or attribute set of strings"
    then builtins.isString v || (builtins.isAttrs v && builtins.all builtins.isString (builtins.attrValues v))
    # an empty string would be an empty argument (and, in WW_BUILD_ARGS, a
    # line that separates two maturin runs)
    else if type == "list of strings"
    then builtins.isList v && builtins.all (s: builtins.isString s && s != "") v
    else builtins.isList v; # list of packages
  article = type:
    if builtins.elem (builtins.substring 0 1 type) ["a" "i"]
    then "an"
    else "a";
  typeError = o: v: let
    type = builtins.replaceStrings ["nullOr "] [""] o.type;
  in
    if type == "bool"
    then "${o.name} must be true or false, not a ${builtins.typeOf v}"
    else if o ? example
    then "${o.name} must be ${article type} ${type}, e.g. ${o.name} = ${o.example}"
    else "${o.name} must be ${article type} ${type}, not a ${builtins.typeOf v}";
  appliesHere = o: builtins.elem kind o.kinds;
  check = name: v: let
    o = byName.${name} or (fail "unknown option '${name}'; the options are ${builtins.concatStringsSep ", " (map (o: o.name) options)}");
  in
    if o.layer == "packages"
    then fail "${name} is an option of targetPackages, not of a single build"
    else if !appliesHere o && kind != "sdist"
    then
      fail "${name} only apply to ${builtins.concatStringsSep " and " (map (k: "${k}s") o.kinds)}, not to a ${kind}${
        if o ? hint
        then "; ${o.hint}"
        else ""
      }"
    else if !typeOk o.type v
    then fail (typeError o v)
    else v;
  checked = builtins.mapAttrs check given;
  # every given option checked, not only those a build reads
  allChecked = builtins.foldl' (ok: name: builtins.seq checked.${name} ok) true (builtins.attrNames given);
in
  builtins.seq allChecked (builtins.listToAttrs (map (o: {
    inherit (o) name;
    value = checked.${o.name} or o.default;
  }) (builtins.filter (o: o.layer != "packages") options)))
