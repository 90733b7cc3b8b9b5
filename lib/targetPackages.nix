# Turns a list of targets into flake packages: `wheel-<arch>` and
# `cdylib-<arch>` (musl: `wheel-<arch>-musl`), so that
# `nix build .#wheel-aarch64` works.
#
# Arguments:
#   targets  Rust target triples (default: every glibc target)
#   wheel    build wheels (default true)
#   cdylib   build C-ABI libraries (default false)
#   ...      everything else goes to buildWheel / buildCdylib (src first)
{
  outputNames,
  targetTable,
  buildWheel,
  buildCdylib,
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
in
  builtins.mapAttrs (_: {
    kind,
    triple,
  }:
    build.${kind} (options // {target = triple;}))
  (outputNames {inherit targets kinds;})
