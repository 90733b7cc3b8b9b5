# One C library for one target and glibc version (lib/data/targetLibraries.json),
# built by nix/targetLibrary.sh from its source (a tarball, or Debian's
# package for the target), a fixed output,
# with the zig that links the wheels. Every project's builds of that target
# share it: the derivation depends only on the library, the target and zig.
#
# Arguments:
#   pkgs      nixpkgs
#   zigPath   the zig the builds run (CARGO_ZIGBUILD_ZIG_PATH)
#   library   one of planBuild's targetLibraries: its drvName, source, the
#             build tools of its recipe and the script's environment
{
  pkgs,
  zigPath,
  library,
}:
pkgs.stdenvNoCC.mkDerivation {
  name = library.drvName;
  dontUnpack = true;
  nativeBuildInputs = map (name: pkgs.${name}) library.buildTools;
  env =
    library.env
    // {
      CARGO_ZIGBUILD_ZIG_PATH = zigPath;
      WW_LIBRARY_SOURCE = pkgs.fetchurl {
        inherit (library.source) url sha256 name;
      };
    };
  buildPhase = ''
    runHook preBuild
    bash ${./targetLibrary.sh}
    runHook postBuild
  '';
  dontInstall = true;
  dontFixup = true;
}
