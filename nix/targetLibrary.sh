#!/usr/bin/env bash
# Builds one C library for one target, as the wheels of that target link it:
# static, position-independent, compiled by zig for the target's zig triple
# with its glibc version, so that nothing in it needs a newer glibc than the
# wheel's policy allows. lib/planBuild.nix's targetLibraries give the
# environment (lib/data/targetLibraries.json holds each library's recipe);
# nix/targetLibrary.nix runs it, and so does the offline suite.
#
# Reads:
#   WW_LIBRARY            the library (openssl, sqlite, zlib, ...)
#   WW_LIBRARY_VERSION    its version
#   WW_LIBRARY_RECIPE     how to build it: openssl, autotools, cc or cpython
#   WW_LIBRARY_SOURCE     its source: a tar.gz (a crate that ships the upstream
#                         tree), or a Debian package (.deb) of the target's
#   WW_LIBRARY_SOURCE_DIR the upstream tree's directory inside the tarball (the
#                         package's files)
#   WW_LIBRARY_CONFIGURE  its configuration, one argument per line (Configure's
#                         or configure's arguments; cc's compile-time options)
#   WW_LIBRARY_SOURCES    cc: the files to compile, globs in the tree, one a line
#   WW_LIBRARY_HEADERS    cc: the headers to install, one a line
#   WW_LIBRARY_ARCHIVE    the archive's name (z: lib/libz.a), or empty
#   WW_LIBRARY_SONAME     cc: instead of an archive, the shared object to link
#                         the objects into (libodbc.so.2), or unset
#   WW_LIBRARY_SHARED_LIBRARIES  with it: the system libraries it links, one a line
#   WW_LIBRARY_PKG_CONFIG its pkg-config name, or empty: a .pc file to write
#   WW_LIBRARY_ZIG_TARGET zig cc's target, with the glibc version to compile against
#   WW_LIBRARY_ZIG_CPU    zig cc's -mcpu, as cargo-zigbuild gives it for the Rust
#                         target (empty: zig's default)
#   out                   where include/ and lib/ go
#   TMPDIR                a writable scratch directory
#   PATH                  the recipe's build tools (perl), make and coreutils;
#                         zig, or python3 with the ziglang package (or
#                         CARGO_ZIGBUILD_ZIG_PATH)
set -Eeuo pipefail

say() { echo "wheelwright: $*" >&2; }
die() {
  trap - ERR
  say "error: $*"
  exit 1
}
trap 'die "\`$BASH_COMMAND\` failed with exit code $? (its output is above); the build of $WW_LIBRARY for $WW_LIBRARY_ZIG_TARGET stopped there"' ERR

for name in WW_LIBRARY WW_LIBRARY_VERSION WW_LIBRARY_RECIPE WW_LIBRARY_SOURCE WW_LIBRARY_SOURCE_DIR WW_LIBRARY_ZIG_TARGET out TMPDIR; do
  [[ -n ${!name:-} ]] || die "$name is not set; lib/planBuild.nix's targetLibraries give it"
done

# zig caches under $HOME, which a Nix build cannot write.
scratch=$TMPDIR/wheelwright-library
export ZIG_GLOBAL_CACHE_DIR=$scratch/zig-global-cache ZIG_LOCAL_CACHE_DIR=$scratch/zig-local-cache
# The build's date, which OpenSSL compiles in ("built on:"), is the epoch Nix gives.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-315532800}
mkdir -p "$scratch/bin" "$ZIG_GLOBAL_CACHE_DIR" "$ZIG_LOCAL_CACHE_DIR"

if [[ -n ${CARGO_ZIGBUILD_ZIG_PATH:-} ]]; then
  zig=("$CARGO_ZIGBUILD_ZIG_PATH")
elif python3 -c 'import ziglang' 2>/dev/null; then
  zig=("$(command -v python3)" -m ziglang)
else
  zig=("$(command -v zig)") || die "no zig: set CARGO_ZIGBUILD_ZIG_PATH, or put zig (or a python3 with ziglang) on PATH"
fi

# The tree is unpacked under a fixed name, and the compiler is a program named
# cc that maps it away: OpenSSL compiles its compiler command into the
# library, so neither a build path nor zig's own path may appear in it.
tree=$scratch/src
for tool in cc ar ranlib; do
  case $tool in
  cc) args=(cc -target "$WW_LIBRARY_ZIG_TARGET" ${WW_LIBRARY_ZIG_CPU:+"-mcpu=$WW_LIBRARY_ZIG_CPU"} "-ffile-prefix-map=$tree=/usr/src/$WW_LIBRARY") ;;
  *) args=("$tool") ;;
  esac
  printf '#!%s\nexec %s "$@"\n' "$(command -v bash)" "$(printf '%q ' "${zig[@]}" "${args[@]}")" >"$scratch/bin/$tool"
  chmod +x "$scratch/bin/$tool"
done
export PATH=$scratch/bin:$PATH CC=cc AR=ar RANLIB=ranlib
unset CFLAGS CPPFLAGS LDFLAGS CROSS_COMPILE

case $WW_LIBRARY_SOURCE in
# a Debian package: an ar archive whose data.tar.* holds the files
*.deb) (cd "$scratch" && ar x "$WW_LIBRARY_SOURCE" && tar -xf data.tar.*) ;;
*) tar -xzf "$WW_LIBRARY_SOURCE" -C "$scratch" ;;
esac
mv "$scratch/$WW_LIBRARY_SOURCE_DIR" "$tree"

# Runs a build step with its output in $scratch/LOG; when it fails, shows
# the output's last lines and stops.
quietly() {
  local log=$scratch/$1 step=$2
  shift 2
  "$@" >"$log" 2>&1 || {
    tail -n 40 "$log" >&2
    die "$step failed for $WW_LIBRARY_ZIG_TARGET (the last lines of its output are above)"
  }
}
# The headers and the archives ARCHIVES (globs) that `make install` put
# under the configuration's --prefix in $scratch/dest, into $out.
keep_installed() {
  local prefix archive
  prefix=$(sed -n 's/^--prefix=//p' <<<"$WW_LIBRARY_CONFIGURE")
  mkdir -p "${out:?}/lib"
  cp -R "$scratch/dest$prefix/include" "$out/include"
  for archive in "$@"; do
    # shellcheck disable=SC2086 # a glob to expand
    cp "$scratch/dest$prefix/lib/"$archive "$out/lib/"
  done
}

mapfile -t configure <<<"$WW_LIBRARY_CONFIGURE"
cd "$tree"
case $WW_LIBRARY_RECIPE in
openssl)
  say "building OpenSSL for $WW_LIBRARY_ZIG_TARGET: Configure ${configure[*]}"
  perl ./Configure "${configure[@]}"
  quietly make.log "make build_libs" make -j"${NIX_BUILD_CORES:-1}" build_libs
  make install_dev DESTDIR="$scratch/dest" >/dev/null
  keep_installed libcrypto.a libssl.a
  ;;
autotools)
  # configure's --host: zig's target in autoconf's spelling (x86 is i686)
  host=${WW_LIBRARY_ZIG_TARGET%%.*}
  host=${host/#x86-/i686-}
  say "building $WW_LIBRARY for $WW_LIBRARY_ZIG_TARGET: configure --host=$host ${configure[*]}"
  CFLAGS="-O2 -g0" quietly configure.log configure ./configure --host="$host" "${configure[@]}"
  quietly make.log make make -j"${NIX_BUILD_CORES:-1}"
  make install DESTDIR="$scratch/dest" >/dev/null
  keep_installed "*.a"
  ;;
cc)
  # as the -sys crates' bundled builds compile them: each file, then one archive
  mapfile -t patterns <<<"$WW_LIBRARY_SOURCES"
  mapfile -t headers <<<"$WW_LIBRARY_HEADERS"
  say "compiling $WW_LIBRARY for $WW_LIBRARY_ZIG_TARGET: ${configure[*]}"
  mkdir -p "${out:?}/include" "$out/lib" "$scratch/objects"
  objects=()
  for pattern in "${patterns[@]}"; do
    # shellcheck disable=SC2206 # a glob to expand (bash sorts it)
    sources=($pattern)
    [[ -e ${sources[0]} ]] || die "$WW_LIBRARY_SOURCE_DIR has no $pattern, which lib/data/targetLibraries.json's sources of $WW_LIBRARY name"
    for source in "${sources[@]}"; do
      object=$scratch/objects/${source//\//_}.o
      cc -c -O2 -fPIC "${configure[@]}" "$source" -o "$object"
      objects+=("$object")
    done
  done
  if [[ -n ${WW_LIBRARY_SONAME:-} ]]; then
    # for a crate that links the library only dynamically; the linker finds
    # lib<name>.so, and the module then needs the soname, which the repair
    # bundles under a name hashed from its bytes. Linked stripped (-s): the
    # debug information of zig's compiler-rt names zig's cache directory.
    system_libraries=()
    [[ -z ${WW_LIBRARY_SHARED_LIBRARIES:-} ]] || mapfile -t system_libraries <<<"$WW_LIBRARY_SHARED_LIBRARIES"
    cc -shared -s -Wl,-soname,"$WW_LIBRARY_SONAME" -o "$out/lib/$WW_LIBRARY_SONAME" "${objects[@]}" \
      "${system_libraries[@]/#/-l}"
    ln -s "$WW_LIBRARY_SONAME" "$out/lib/${WW_LIBRARY_SONAME%%.so*}.so"
  else
    ar rcs "$out/lib/lib$WW_LIBRARY_ARCHIVE.a" "${objects[@]}"
  fi
  cp "${headers[@]}" "$out/include/"
  ;;
cpython)
  # Debian's development package of CPython for the target's architecture:
  # its headers, with the architecture's pyconfig.h in place of Debian's
  # switch between the multiarch ones, in include/python3.X beside the
  # lib/python3.X that PYO3_CROSS_LIB_DIR names (where cryptography's build
  # script looks for them).
  makefiles=(lib/python3*/config-*/Makefile)
  [[ -f ${makefiles[0]} ]] || die "the package has no lib/python3.X/config-*/Makefile; lib/data/targetLibraries.json's debian files must be CPython's development package"
  variable() { sed -n "s/^$1=[[:space:]]*//p" "${makefiles[0]}"; }
  version=$(variable VERSION)
  multiarch=$(variable MULTIARCH)
  say "keeping CPython $version's headers for $multiarch"
  mkdir -p "${out:?}/include" "$out/lib/python$version"
  cp -R "include/python$version" "$out/include/"
  cp "include/$multiarch/python$version/pyconfig.h" "$out/include/python$version/pyconfig.h"
  ;;
*) die "WW_LIBRARY_RECIPE is '$WW_LIBRARY_RECIPE'; lib/data/targetLibraries.json's recipes are openssl, autotools, cc and cpython" ;;
esac

# A crate that links the library as a system one (libffi-sys's `system`:
# rustc-link-lib=dylib=ffi) makes the linker look for lib<name>.so, and zig
# takes nothing else in that mode: a linker script of that name hands it the
# archive, so the wheel still needs no library outside its policy.
if [[ -n ${WW_LIBRARY_ARCHIVE:-} ]]; then
  echo "INPUT(lib$WW_LIBRARY_ARCHIVE.a)" >"$out/lib/lib$WW_LIBRARY_ARCHIVE.so"
fi

# The .pc file's prefix is where the file is, so that the library may move
# (the suite keeps it elsewhere than it builds it).
if [[ -n ${WW_LIBRARY_PKG_CONFIG:-} ]]; then
  rm -rf "$out/lib/pkgconfig"
  mkdir "$out/lib/pkgconfig"
  cat >"$out/lib/pkgconfig/$WW_LIBRARY_PKG_CONFIG.pc" <<EOF
prefix=\${pcfiledir}/../..
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: $WW_LIBRARY_PKG_CONFIG
Description: $WW_LIBRARY, built by wheelwright for $WW_LIBRARY_ZIG_TARGET
Version: $WW_LIBRARY_VERSION
Libs: -L\${libdir} -l$WW_LIBRARY_ARCHIVE
Cflags: -I\${includedir}
EOF
fi
say "done: $WW_LIBRARY for $WW_LIBRARY_ZIG_TARGET, $(du -sh "$out" | cut -f1)"
