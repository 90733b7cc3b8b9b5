# nix/builder/builder.sh and the helpers it runs, as one store directory: the builder
# finds its helpers (prepare-wheel.py and the awk programs) beside itself. Every derivation
# that builds runs `bash ${builder}/builder.sh`.
builtins.path {
  name = "wheelwright-builder";
  path = ./.;
  filter = path: _type: builtins.elem (baseNameOf path) ["builder.sh" "prepare-wheel.py" "failure-cause.awk" "lock-packages.awk"];
}
