# The targets wheelwright builds for, keyed by Rust target triple: the table
# of ./targets.json, which the offline test suite and its setup read too
# (without Nix). Fields:
#   arch        wheel architecture, as in platform tags (`manylinux_2_17_<arch>`)
#   outputArch  the `<arch>` of the flake outputs `wheel-<arch>` / `cdylib-<arch>`
#   libc        "glibc" (manylinux) or "musl" (musllinux)
#   floor       the lowest policy zig can honour for this target; see
#               checks/offline/floors/README.md for how each one was found
#   rustTarget  the rust-overlay `targets` entry that provides this target's std
#   rustArch    Rust's name for the architecture (`cfg(target_arch)`), which
#               the examples report when called
#   qemu        the qemu-user binary suffix (`qemu-<qemu>`) for emulated tests
#   zigTarget   zig's name for the target (`zig cc -target`), without a glibc
#               version; the tests compile their C programs with it
#   zigCpu      the `-mcpu` cargo-zigbuild gives zig cc for the Rust target
#               (its src/zig/wrapper.rs; "" for zig's default), which the
#               target libraries are compiled with, as cc-rs's C code is
#   libcSoname  the C library's soname on the target's systems; a musl
#               artifact must need this one, not zig's plain libc.so. The
#               verifier's policy allows only its own name for it
#               (musl_libc_soname in cli/src/policy.rs), so every musl
#               build checks that the two agree
#   floorReason (optional) why no older policy holds, for the error that
#               refuses one (in the JSON, a key of its floorReasons)
#   debian      Debian's name for the architecture, whose CPythons and musl
#               the tests run under qemu-user
let
  data = builtins.fromJSON (builtins.readFile ./targets.json);
in
  builtins.mapAttrs (_: target:
    target
    // (
      if target ? floorReason
      then {floorReason = data.floorReasons.${target.floorReason};}
      else {}
    ))
  data.targets
