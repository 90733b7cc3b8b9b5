# What the real-nix stage reads from an evaluated flake output, given as
# `nix eval <flake>#<output> --apply "$(cat facts.nix)"`: for every system and
# every derivation in it, the .drv path and those of the derivations the
# builds reuse (a wheelwright artifact's dependency build, a crane check's
# cargoArtifacts). Everything else comes from `nix derivation show`.
outputsBySystem: let
  facts = drv: {
    inherit (drv) drvPath;
    deps = drv.passthru.deps.drvPath or null;
    cargoArtifacts = drv.cargoArtifacts.drvPath or null;
  };
in
  builtins.mapAttrs (_: outputs:
    if outputs.type or null == "derivation"
    then {default = facts outputs;}
    else builtins.mapAttrs (_: facts) outputs)
  outputsBySystem
