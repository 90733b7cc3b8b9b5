# The functions that build, for one nixpkgs. Call it as
# `wheelwright.lib.mkLib pkgs`.
#
# Arguments: the flake inputs crane, rust-overlay and nix-filter, the pure lib
# (lib/default.nix), and the CLI's package function; then `pkgs`.
{
  crane,
  rust-overlay,
  nix-filter,
  pure,
  mkCli,
}: pkgs: let
  # the wheelwright CLI, which verifies every artifact and publishes
  cli = mkCli pkgs;
  # maturin, zig, auditwheel, cargo-zigbuild, cbindgen, cffi's python: the
  # files lib/data/tools.json pins.
  tools = import ./tools.nix pkgs;
  wheelwright = pure // {filterSource = import ../lib/filterSource.nix {inherit nix-filter;};};
  buildArtifact = import ./buildArtifact.nix {
    inherit pkgs crane rust-overlay wheelwright;
    defaultTools = {
      inherit (tools) maturin zig cargo-zigbuild auditwheel patchelf cbindgen cffi;
      wheelwright = cli;
    };
  };
  buildWheel = import ./buildWheel.nix {inherit buildArtifact;};
  buildCdylib = import ./buildCdylib.nix {inherit buildArtifact;};
  buildSdist = import ./buildSdist.nix {inherit buildArtifact;};
in {
  inherit buildWheel buildCdylib buildSdist cli tools;
  inherit (wheelwright) filterSource;
  targetPackages = import ./targetPackages.nix {
    inherit (pure) options outputNames;
    targetTable = pure.targets;
    inherit buildWheel buildCdylib buildSdist cli;
    inherit (pkgs) symlinkJoin writeShellScriptBin;
  };
}
