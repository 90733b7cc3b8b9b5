# The crate's sources as the build sees them: everything under `root` except
# build outputs and Nix files, so editing flake.nix or leaving a `target/` or
# `result` behind does not rebuild anything. Everything else stays, because
# maturin reads more than Rust files (pyproject.toml, the readme and licence
# it puts in METADATA, type stubs, cbindgen.toml).
#
# Arguments:
#   nix-filter  the nix-filter library
#   root        the crate's root directory (a path)
{nix-filter}: root:
nix-filter {
  inherit root;
  exclude = [
    (nix-filter.matchName "target")
    (nix-filter.matchName ".git")
    (nix-filter.matchName ".direnv")
    (nix-filter.matchName "result")
    "flake.nix"
    "flake.lock"
  ];
}
