# Normalises a platform policy and checks that a target can honour it.
#
# Arguments:
#   target  an entry returned by resolveTarget
#   policy  a policy name such as "manylinux_2_28", a legacy alias
#           ("manylinux2014", "manylinux2010", "manylinux1"), or null for the
#           target's floor
#
# Returns { name; family; version; platformTag; } where `name` is the PEP 600 /
# PEP 656 form and `platformTag` the auditwheel `--plat` value, e.g.
# "manylinux_2_28_aarch64". Fails evaluation when the policy is unknown, of the
# other libc family, or below the target's floor.
#
# `policies` is lib/data/policies.nix, bound by lib/default.nix.
{policies}: target: policy: let
  names = builtins.mapAttrs (_: map (p: p.name)) policies;
  aliases = builtins.listToAttrs (builtins.concatMap (p:
    map (alias: {
      name = alias;
      value = p.name;
    })
    p.aliases)
  policies.manylinux);
  familyOfLibc = {
    glibc = "manylinux";
    musl = "musllinux";
  };

  parse = name: let
    m = builtins.match "(manylinux|musllinux)_([0-9]+)_([0-9]+)" name;
  in
    if m == null
    then null
    else {
      inherit name;
      family = builtins.elemAt m 0;
      version = "${builtins.elemAt m 1}.${builtins.elemAt m 2}";
    };

  requested = aliases.${policy} or policy;
  parsed = parse requested;
  floor = parse target.floor;
  family = familyOfLibc.${target.libc};
  validNames = names.${family};
  fail = why: throw "wheelwright: policy '${policy}' for ${target.triple}: ${why}";
in
  if policy == null
  then floor // {platformTag = "${floor.name}_${target.arch}";}
  else if parsed == null || !(builtins.elem parsed.name names.${parsed.family})
  then fail "unknown policy; use one of ${builtins.concatStringsSep ", " validNames}"
  else if parsed.family != family
  then fail "${target.triple} links ${target.libc}, so its wheels need a ${family}_* policy (the floor is ${target.floor})"
  else if builtins.compareVersions parsed.version floor.version < 0
  then fail "below the floor ${target.floor}, the oldest ${target.libc} that ${target.arch} wheels can honour (${target.floorReason or "lib/data/targets.nix says why"}); use ${target.floor} or newer, or leave policy unset"
  else parsed // {platformTag = "${parsed.name}_${target.arch}";}
