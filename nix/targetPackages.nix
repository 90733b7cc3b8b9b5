# Turns a list of targets into flake packages: `wheel-<arch>` and
# `cdylib-<arch>` (musl: `wheel-<arch>-musl`), so that
# `nix build .#wheel-aarch64` works. With wheels come the release: `sdist`,
# the source distribution; `dist`, one directory linking every wheel and the
# sdist; and `publish`, which uploads dist (`nix run .#publish`, see
# `wheelwright publish --help`).
#
# Arguments: the options of lib/data/options.nix. Its own (layer "packages"):
#   targets  Rust target triples (default: every glibc target)
#   wheel    build wheels, the sdist and dist (default true)
#   cdylib   build C-ABI libraries (default false)
# and every other goes to the builds it applies to (buildWheel, buildCdylib,
# buildSdist; `src` first).
{
  options,
  outputNames,
  targetTable,
  buildWheel,
  buildCdylib,
  buildSdist,
  cli,
  symlinkJoin,
  writeShellScriptBin,
}: {
  targets ? builtins.filter (t: targetTable.${t}.libc == "glibc") (builtins.attrNames targetTable),
  wheel ? true,
  cdylib ? false,
  ...
} @ args: let
  # each build gets the options that apply to its kind; a name that is no
  # option goes to every build, which refuses it
  kindsOf = builtins.listToAttrs (map (o: {
      inherit (o) name;
      value = o.kinds;
    })
    options);
  optionsFor = kind: builtins.removeAttrs args (builtins.filter (n: !(builtins.elem kind (kindsOf.${n} or [kind]))) (builtins.attrNames args));
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
    build.${kind} (optionsFor kind // {target = triple;}))
  (outputNames {inherit targets kinds;});
  wheels = builtins.filter (p: p.passthru.plan.env.WW_KIND == "wheel") (builtins.attrValues perTarget);
  sdist = buildSdist (optionsFor "sdist");
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
        WHEELWRIGHT_DIST=${dist} exec ${cli}/bin/wheelwright publish "$@"
      '';
    }
    else {}
  )
