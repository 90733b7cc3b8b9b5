# Names the flake outputs for a list of targets.
#
# Arguments:
#   targets  Rust target triples
#   kinds    which outputs to name, a sublist of [ "wheel" "cdylib" ]
#
# Returns an attribute set from output name to { kind; triple; }, e.g.
# { wheel-aarch64 = { kind = "wheel"; triple = "aarch64-unknown-linux-gnu"; }; }
# musl targets get a `-musl` suffix: wheel-x86_64-musl.
{resolveTarget}: {
  targets,
  kinds ? ["wheel"],
}:
builtins.listToAttrs (builtins.concatMap (
    triple: let
      target = resolveTarget triple;
    in
      map (kind:
        if kind == "wheel" || kind == "cdylib"
        then {
          name = "${kind}-${target.outputArch}";
          value = {inherit kind triple;};
        }
        else throw "wheelwright: unknown output kind '${kind}'; use \"wheel\" or \"cdylib\"")
      kinds
  )
  targets)
