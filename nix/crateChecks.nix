# Tests, clippy (warnings denied) and rustfmt for one of the project's crates,
# as flake checks named `<name>-test`, `<name>-clippy` and `<name>-fmt`.
#
# Arguments: craneLib and filterSource; then the checks' name prefix and
#   root               the crate's directory
#   nativeBuildInputs  build tools besides the toolchain (default none)
#   env                environment of the dependency, test and clippy builds
#   test               whether to add `<name>-test` (default true)
{
  craneLib,
  filterSource,
}: name: {
  root,
  nativeBuildInputs ? [],
  env ? {},
  test ? true,
}: let
  src = filterSource root;
  commonArgs = {
    inherit src nativeBuildInputs env;
    strictDeps = true;
  };
  cargoArtifacts = craneLib.buildDepsOnly commonArgs;
in
  {
    "${name}-clippy" = craneLib.cargoClippy (commonArgs
      // {
        inherit cargoArtifacts;
        cargoClippyExtraArgs = "--all-targets -- -D warnings";
      });
    "${name}-fmt" = craneLib.cargoFmt {inherit src;};
  }
  // (
    if test
    then {"${name}-test" = craneLib.cargoTest (commonArgs // {inherit cargoArtifacts;});}
    else {}
  )
