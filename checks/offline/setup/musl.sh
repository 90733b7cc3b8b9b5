# shellcheck shell=bash
# musl: Debian's musl per musl target, a CPython on musl, and musl std built from rust-src.
# Sourced by checks/offline/setup.sh, after common.sh.

# A CPython that runs on musl, to import the musl wheels: Debian unstable's python3.13 and zlib
# source tarballs, built natively with Debian's musl-gcc (musl-tools) for x86_64 and cross-built
# with zig cc for the other musl targets; with libffi (for ctypes, which uniffi's modules import,
# and cffi's backend), from the source lib/data/targetLibraries.json pins for the libffi target library
MUSL_PYTHON_SRC="http://deb.debian.org/debian/pool/main/p/python3.13/python3.13_3.13.15.orig.tar.xz 1e66a7945a48390ee4c2a4268a0e4185884059a13c4aab6d148aa208deea4a76"
MUSL_ZLIB_SRC="http://deb.debian.org/debian/pool/main/z/zlib/zlib_1.3.dfsg+really1.3.2.orig.tar.gz 7b6903eb019983987b7112eccf90f1703f1c6c0e0cede36564bf611d19ca579d"
# "URL SHA256 DIR": the tarball and the libffi tree inside it
MUSL_LIBFFI_SRC=$(python3 "$HERE/../harness/pinned_tools.py" library-source libffi)
# and cffi's _cffi_backend, which cffi modules import where lib/data/tools.json pins no musl wheel of
# cffi for the CPython (checks/harness/cffi_backend.py), from the sdist of the cffi it pins
MUSL_CFFI_SRC=$(python3 "$HERE/../harness/pinned_tools.py" sdist cffi)
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
  local arch=$1 work=$DL/musl-python-build/$1 prefix=$MUSL_PYTHONS/$1 python zlib libffi cffi host=() cross=() run=()
  python=$(fetch_source "$MUSL_PYTHON_SRC" "$DL/src")
  zlib=$(fetch_source "$MUSL_ZLIB_SRC" "$DL/src")
  libffi=$(fetch_source "${MUSL_LIBFFI_SRC% *}" "$DL/src")
  cffi=$(fetch_source "$MUSL_CFFI_SRC" "$DL/src")
  rm -rf "$work" "$prefix"; mkdir -p "$work/python" "$work/zlib-src"
  tar -xf "$zlib" -C "$work/zlib-src" --strip-components=1
  tar -xf "$libffi" -C "$work" "${MUSL_LIBFFI_SRC##* }"
  tar -xf "$python" -C "$work/python" --strip-components=1
  export CC=$HERE/musl-cc.sh
  if [ "$arch" != x86_64 ]; then
    export WW_MUSL_ZIG_TARGET=$2 WW_ZIG ZIG_GLOBAL_CACHE_DIR=$work/zig-cache ZIG_LOCAL_CACHE_DIR=$work/zig-cache
    WW_ZIG=$("$VENV/bin/python" -c 'import ziglang, os; print(os.path.join(os.path.dirname(ziglang.__file__), "zig"))')
    export AR="$WW_ZIG ar" RANLIB="$WW_ZIG ranlib" CHOST=$2
    # what configure cannot run a program to find out; and libffi's visibility check, which compiles
    # with -Werror, where zig cc warns that musl-cc.sh's -dynamic is unused (without .hidden, i686's
    # sysv.S cannot be linked into _ctypes)
    printf '%s\n' ac_cv_file__dev_ptmx=yes ac_cv_file__dev_ptc=no ac_cv_buggy_getaddrinfo=no \
      libffi_cv_hidden_visibility_attribute=yes >"$work/config.site"
    export CONFIG_SITE=$work/config.site
    host=("--host=${2/#x86-/i686-}" --build=x86_64-pc-linux-gnu)
    cross=("${host[@]}" "--with-build-python=$MUSL_PYTHONS/x86_64/bin/python3.13")
    run=("qemu-$3" -L "$MUSLROOTS/$arch")
  fi
  (cd "$work/zlib-src" && CFLAGS="-O2 -fPIC" ./configure --static --prefix="$work/zlib" && make -j2 && make install)
  # without static trampolines, whose source alone includes kernel headers, which musl-gcc does not see
  (cd "$work/${MUSL_LIBFFI_SRC##* }" && CFLAGS="-O2" ./configure --prefix="$work/libffi" "${host[@]}" --with-pic \
    --disable-shared --disable-docs --disable-multi-os-directory --disable-exec-static-tramp && make -j2 && make install)
  # pkg-config sees only the musl zlib and libffi: the host's libraries are glibc's
  (cd "$work/python" && CPPFLAGS="-I$work/zlib/include" LDFLAGS="-L$work/zlib/lib" \
    PKG_CONFIG_LIBDIR="$work/zlib/lib/pkgconfig:$work/libffi/lib/pkgconfig" ./configure --prefix="$prefix" "${cross[@]}" \
    --without-ensurepip --disable-test-modules && make -j2 && make install)
  # the backend as cffi's setup.py builds it on Linux (its compiler probes answer yes for gcc and zig cc)
  tar -xf "$cffi" -C "$work"
  "$CC" -shared -fPIC -O2 -DUSE__THREAD -DHAVE_SYNC_SYNCHRONIZE -I"$prefix/include/python3.13" -I"$work/libffi/include" \
    "$work"/cffi-*/src/c/_cffi_backend.c "$work/libffi/lib/libffi.a" \
    -o "$prefix/lib/python3.13/lib-dynload/_cffi_backend$("${run[@]}" "$prefix/bin/python3.13" -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')"
  rm -rf "$work"
  chmod -R a+rX "$prefix"
  readelf -l "$prefix/bin/python3.13" | grep 'interpreter: /lib/ld-musl-'
  # a SOABI without the triplet would load `.cpython-313.so`, not the `.cpython-313-<triplet>.so` maturin writes
  "${run[@]}" "$prefix/bin/python3.13" -c 'import sys, sysconfig, platform, zlib, ctypes, _cffi_backend; soabi = sysconfig.get_config_var("SOABI"); print(sys.version, platform.machine(), soabi); assert "-linux-musl" in soabi, f"SOABI {soabi} names no musl platform triplet"'
}

# ---------------------------------------------------------------- musl std (from rust-src)
# Debian ships no musl std. It is built once per musl target of lib/data/targets.nix from the
# toolchain's own rust-src (cargo -Zbuild-std), with paths remapped as in rustc's own std, and
# put into the sysroot: the builder then sees what rust-overlay gives, a prebuilt std per target.
# Like rustc's own std it carries bitcode (crates with lto = true link it), and std-rustc.sh
# compiles panic_abort with panic=abort.
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


setup_musl() {
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
    key=$(key_of "$MUSL_PYTHON_SRC" "$MUSL_ZLIB_SRC" "$MUSL_LIBFFI_SRC" "$MUSL_CFFI_SRC" "$(sha256sum <"$HERE/musl-cc.sh")" "$zigtarget" v6)
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
}
