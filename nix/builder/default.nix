# nix/builder/builder.sh and the helpers it runs, as one store directory: the builder
# finds prepare-wheel.py and failure-cause.awk beside itself. Every derivation
# that builds runs `bash ${builder}/builder.sh`.
builtins.path {
  name = "wheelwright-builder";
  path = ./.;
  filter = path: _type: builtins.elem (baseNameOf path) ["builder.sh" "prepare-wheel.py" "failure-cause.awk"];
}
