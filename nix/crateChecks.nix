# Tests, clippy (warnings denied) and rustfmt for one of the project's crates,
# as flake checks named `<name>-test`, `<name>-clippy` and `<name>-fmt`.
{
  craneLib,
  filterSource,
}: name: root: let
  src = filterSource root;
  commonArgs = {
    inherit src;
    strictDeps = true;
    # The verifier's tests run its cargo-fuzz targets unless told not to;
    # fuzzing is the offline suite's job, not a flake check's.
    env.WW_SKIP_FUZZ = "1";
  };
  cargoArtifacts = craneLib.buildDepsOnly commonArgs;
in {
  "${name}-test" = craneLib.cargoTest (commonArgs // {inherit cargoArtifacts;});
  "${name}-clippy" = craneLib.cargoClippy (commonArgs
    // {
      inherit cargoArtifacts;
      cargoClippyExtraArgs = "--all-targets -- -D warnings";
    });
  "${name}-fmt" = craneLib.cargoFmt {inherit src;};
}
