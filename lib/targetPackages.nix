# Turns a list of targets into flake packages: `wheel-<arch>` and
# `cdylib-<arch>` (musl: `wheel-<arch>-musl`), so that
# `nix build .#wheel-aarch64` works. With wheels come the release: `sdist`,
# the source distribution; `dist`, one directory linking every wheel and the
# sdist; and `publish`, which uploads dist (`nix run .#publish`, see
# `wheelwright publish --help`).
#
# Arguments:
#   targets  Rust target triples (default: every glibc target)
#   wheel    build wheels, the sdist and dist (default true)
#   cdylib   build C-ABI libraries (default false)
#   ...      everything else goes to buildWheel / buildCdylib / buildSdist
#            (src first)
{
  outputNames,
  targetTable,
  buildWheel,
  buildCdylib,
  buildSdist,
  verifier,
  symlinkJoin,
  writeShellScriptBin,
}: {
  targets ? builtins.filter (t: targetTable.${t}.libc == "glibc") (builtins.attrNames targetTable),
  wheel ? true,
  cdylib ? false,
  ...
} @ args: let
  options = builtins.removeAttrs args ["targets" "wheel" "cdylib"];
  build = {
    wheel = buildWheel;
    cdylib = buildCdylib;
  };
  kinds =
    (
      if wheel
      then ["wheel"]
      else []
    )
    ++ (
      if cdylib
      then ["cdylib"]
      else []
    );
  perTarget = builtins.mapAttrs (_: {
    kind,
    triple,
  }:
    build.${kind} (options // {target = triple;}))
  (outputNames {inherit targets kinds;});
  wheels = builtins.filter (p: p.passthru.plan.env.WW_KIND == "wheel") (builtins.attrValues perTarget);
  sdist = buildSdist options;
  dist = symlinkJoin {
    name = "${sdist.passthru.plan.crate.distName}-dist";
    paths = wheels ++ [sdist];
  };
in
  perTarget
  // (
    if wheel
    then {
      inherit sdist dist;
      # Paths given on the command line replace dist (clap reads
      # WHEELWRIGHT_DIST only when there are none).
      publish = writeShellScriptBin "publish" ''
        WHEELWRIGHT_DIST=${dist} exec ${verifier}/bin/wheelwright publish "$@"
      '';
    }
    else {}
  )
