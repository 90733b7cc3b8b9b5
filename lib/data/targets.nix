# The targets wheelwright builds for, keyed by Rust target triple.
#
# Pure data (no nixpkgs), so the lib, the flake and the offline test suite all
# read the same table. Fields:
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
#   libcSoname  the C library's soname on the target's systems; a musl
#               artifact must need this one, not zig's plain libc.so. The
#               verifier's policy allows only its own name for it
#               (musl_libc_soname in cli/src/policy.rs), so every musl
#               build checks that the two agree
#   floorReason (optional) why no older policy holds, for the error that
#               refuses one
let
  time64 = "zig compiles C code against musl 1.2, whose 32-bit targets have a 64-bit time_t and call __*time64 symbols (e.g. __clock_gettime64) that musl 1.1 lacks";
in {
  "x86_64-unknown-linux-gnu" = {
    arch = "x86_64";
    outputArch = "x86_64";
    libc = "glibc";
    floor = "manylinux_2_17";
    rustTarget = "x86_64-unknown-linux-gnu";
    rustArch = "x86_64";
    libcSoname = "libc.so.6";
    zigTarget = "x86_64-linux-gnu";
    qemu = "x86_64";
  };
  "aarch64-unknown-linux-gnu" = {
    arch = "aarch64";
    outputArch = "aarch64";
    libc = "glibc";
    floor = "manylinux_2_17";
    rustTarget = "aarch64-unknown-linux-gnu";
    rustArch = "aarch64";
    libcSoname = "libc.so.6";
    zigTarget = "aarch64-linux-gnu";
    qemu = "aarch64";
  };
  "armv7-unknown-linux-gnueabihf" = {
    arch = "armv7l";
    outputArch = "armv7";
    libc = "glibc";
    floor = "manylinux_2_17";
    rustTarget = "armv7-unknown-linux-gnueabihf";
    rustArch = "arm";
    libcSoname = "libc.so.6";
    zigTarget = "arm-linux-gnueabihf";
    qemu = "arm";
  };
  "i686-unknown-linux-gnu" = {
    arch = "i686";
    outputArch = "i686";
    libc = "glibc";
    floor = "manylinux_2_17";
    rustTarget = "i686-unknown-linux-gnu";
    rustArch = "x86";
    libcSoname = "libc.so.6";
    zigTarget = "x86-linux-gnu";
    qemu = "i386";
  };
  # zig 0.17 links ppc64le against glibc 2.24..2.31 with unversioned
  # references to __*ieee128 functions that only glibc 2.32 has; from 2.34
  # they carry their GLIBC_2.32 version and the policy checks see them.
  "powerpc64le-unknown-linux-gnu" = {
    arch = "ppc64le";
    outputArch = "ppc64le";
    libc = "glibc";
    floor = "manylinux_2_34";
    rustTarget = "powerpc64le-unknown-linux-gnu";
    rustArch = "powerpc64";
    libcSoname = "libc.so.6";
    zigTarget = "powerpc64le-linux-gnu";
    qemu = "ppc64le";
  };
  "s390x-unknown-linux-gnu" = {
    arch = "s390x";
    outputArch = "s390x";
    libc = "glibc";
    floor = "manylinux_2_17";
    rustTarget = "s390x-unknown-linux-gnu";
    rustArch = "s390x";
    libcSoname = "libc.so.6";
    zigTarget = "s390x-linux-gnu";
    qemu = "s390x";
  };
  # auditwheel's lowest riscv64 policy (glibc 2.31, the first riscv64 glibc
  # manylinux knows); see checks/offline/floors/README.md.
  "riscv64gc-unknown-linux-gnu" = {
    arch = "riscv64";
    outputArch = "riscv64";
    libc = "glibc";
    floor = "manylinux_2_31";
    rustTarget = "riscv64gc-unknown-linux-gnu";
    rustArch = "riscv64";
    libcSoname = "libc.so.6";
    zigTarget = "riscv64-linux-gnu";
    qemu = "riscv64";
  };
  "x86_64-unknown-linux-musl" = {
    arch = "x86_64";
    outputArch = "x86_64-musl";
    libc = "musl";
    floor = "musllinux_1_2";
    rustTarget = "x86_64-unknown-linux-musl";
    rustArch = "x86_64";
    libcSoname = "libc.musl-x86_64.so.1";
    zigTarget = "x86_64-linux-musl";
    qemu = "x86_64";
  };
  "aarch64-unknown-linux-musl" = {
    arch = "aarch64";
    outputArch = "aarch64-musl";
    libc = "musl";
    floor = "musllinux_1_2";
    rustTarget = "aarch64-unknown-linux-musl";
    rustArch = "aarch64";
    libcSoname = "libc.musl-aarch64.so.1";
    zigTarget = "aarch64-linux-musl";
    qemu = "aarch64";
  };
  "armv7-unknown-linux-musleabihf" = {
    arch = "armv7l";
    outputArch = "armv7-musl";
    libc = "musl";
    floor = "musllinux_1_2";
    floorReason = time64;
    rustTarget = "armv7-unknown-linux-musleabihf";
    rustArch = "arm";
    libcSoname = "libc.musl-armv7.so.1";
    zigTarget = "arm-linux-musleabihf";
    qemu = "arm";
  };
  "i686-unknown-linux-musl" = {
    arch = "i686";
    outputArch = "i686-musl";
    libc = "musl";
    floor = "musllinux_1_2";
    floorReason = time64;
    rustTarget = "i686-unknown-linux-musl";
    rustArch = "x86";
    libcSoname = "libc.musl-x86.so.1";
    zigTarget = "x86-linux-musl";
    qemu = "i386";
  };
  "riscv64gc-unknown-linux-musl" = {
    arch = "riscv64";
    outputArch = "riscv64-musl";
    libc = "musl";
    floor = "musllinux_1_2";
    rustTarget = "riscv64gc-unknown-linux-musl";
    rustArch = "riscv64";
    libcSoname = "libc.musl-riscv64.so.1";
    zigTarget = "riscv64-linux-musl";
    qemu = "riscv64";
  };
}
