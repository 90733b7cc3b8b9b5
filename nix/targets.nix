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
#   qemu        the qemu-user binary suffix (`qemu-<qemu>`) for emulated tests
#   libcSoname  the C library's soname on the target's systems; a musl
#               artifact must need this one, not zig's plain libc.so
{
  "x86_64-unknown-linux-gnu" = {
    arch = "x86_64";
    outputArch = "x86_64";
    libc = "glibc";
    floor = "manylinux_2_17";
    rustTarget = "x86_64-unknown-linux-gnu";
    libcSoname = "libc.so.6";
    qemu = "x86_64";
  };
  "aarch64-unknown-linux-gnu" = {
    arch = "aarch64";
    outputArch = "aarch64";
    libc = "glibc";
    floor = "manylinux_2_17";
    rustTarget = "aarch64-unknown-linux-gnu";
    libcSoname = "libc.so.6";
    qemu = "aarch64";
  };
  "armv7-unknown-linux-gnueabihf" = {
    arch = "armv7l";
    outputArch = "armv7";
    libc = "glibc";
    floor = "manylinux_2_17";
    rustTarget = "armv7-unknown-linux-gnueabihf";
    libcSoname = "libc.so.6";
    qemu = "arm";
  };
  "i686-unknown-linux-gnu" = {
    arch = "i686";
    outputArch = "i686";
    libc = "glibc";
    floor = "manylinux_2_17";
    rustTarget = "i686-unknown-linux-gnu";
    libcSoname = "libc.so.6";
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
    libcSoname = "libc.so.6";
    qemu = "ppc64le";
  };
  "s390x-unknown-linux-gnu" = {
    arch = "s390x";
    outputArch = "s390x";
    libc = "glibc";
    floor = "manylinux_2_17";
    rustTarget = "s390x-unknown-linux-gnu";
    libcSoname = "libc.so.6";
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
    libcSoname = "libc.so.6";
    qemu = "riscv64";
  };
  "x86_64-unknown-linux-musl" = {
    arch = "x86_64";
    outputArch = "x86_64-musl";
    libc = "musl";
    floor = "musllinux_1_2";
    rustTarget = "x86_64-unknown-linux-musl";
    libcSoname = "libc.musl-x86_64.so.1";
    qemu = "x86_64";
  };
  "aarch64-unknown-linux-musl" = {
    arch = "aarch64";
    outputArch = "aarch64-musl";
    libc = "musl";
    floor = "musllinux_1_2";
    rustTarget = "aarch64-unknown-linux-musl";
    libcSoname = "libc.musl-aarch64.so.1";
    qemu = "aarch64";
  };
}
