# The zig cache of one target and glibc version: the libc stubs, crt objects,
# compiler-rt and libunwind that zig builds at a build's first link. Every
# build starts with an empty cache (its own TMPDIR), so without this each deps
# build and each final build of each target would build them again;
# nix/builder/builder.sh fills it once here (WW_KIND = "zig-cache", linking the empty
# crate in ./builder/zig-cache) and every wheel and library build of the target
# starts from a copy (WW_ZIG_CACHE). Artifacts are bit-identical either way;
# the cache itself is not (zig's manifests record inodes and mtimes).
#
# Arguments:
#   pkgs            nixpkgs
#   toolchain       the Rust toolchain the builds use, with the target's std
#   cargo-zigbuild  nix/tools.nix's
#   zigPath         the zig the builds run (CARGO_ZIGBUILD_ZIG_PATH)
#   plan            planBuild's result for a wheel or cdylib: its zigCache
#                   names the cache and gives the builder's environment
{
  pkgs,
  toolchain,
  cargo-zigbuild,
  zigPath,
  plan,
}:
pkgs.stdenvNoCC.mkDerivation {
  inherit (plan.zigCache) name;
  src = ./builder/zig-cache;
  nativeBuildInputs = [toolchain cargo-zigbuild];
  env = plan.zigCache.env // {CARGO_ZIGBUILD_ZIG_PATH = zigPath;};
  dontConfigure = true;
  buildPhase = ''
    runHook preBuild
    CARGO_HOME=$TMPDIR/cargo-home bash ${import ./builder}/builder.sh
    runHook postBuild
  '';
  dontInstall = true;
  dontFixup = true;
}
