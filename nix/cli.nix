# The wheelwright CLI (cli/: check, check-lib, check-sdist, diff, publish) as a package, built by crane with the pinned
# host toolchain. Its tests, clippy and rustfmt run as flake checks
# (nix/crateChecks.nix).
{
  craneLibFor,
  nix-filter,
}: pkgs: let
  craneLib = craneLibFor pkgs;
  src = nix-filter {
    root = ../cli;
    exclude = ["fuzz" "corpus" (nix-filter.matchName "target")];
  };
in
  craneLib.buildPackage {
    inherit src;
    strictDeps = true;
    cargoArtifacts = craneLib.buildDepsOnly {inherit src;};
    doCheck = false;
    meta.mainProgram = "wheelwright";
  }
