#!/usr/bin/env bash
# wheelwright's builder: one wheel (maturin --zig + auditwheel repair) or one
# C-ABI library (cargo zigbuild) for one target, or the project's source
# distribution (maturin sdist), then verified; or the zig cache of one target
# (zig-cache), which the others start from.
#
# The derivations run it, and so does the offline test suite, with the same
# environment: lib/planBuild.nix computes every WW_* variable.
#
# Usage: builder.sh, with its helpers beside it (nix/builder/default.nix):
# prepare-wheel.py, failure-cause.awk and lock-packages.awk.
# Runs in the crate's source root, which may be read-only (for zig-cache: in
# nix/builder/zig-cache, an empty crate). Reads:
#   WW_KIND WW_TARGET WW_ZIG_TARGET WW_ARCH WW_LIBC WW_LIBC_SONAME WW_POLICY
#   WW_PLATFORM_TAG WW_MANIFEST WW_LOCK_FILE WW_LIB_NAME WW_CRATE_NAME WW_DIST_NAME
#   WW_HEADER WW_BUILD_ARGS WW_REPAIR_ARGS WW_STRIP_BUILT WW_STRIP_BUNDLED
#                         from lib/planBuild.nix (argument lists: one per line)
#   WW_ZIG_CACHE          optional: a zig cache that a zig-cache run filled for
#                         this WW_ZIG_TARGET
#   out                   where the result goes (absent in a deps-only run)
#   TMPDIR                a writable scratch directory
#   PATH                  cargo, rustc, patchelf; maturin, auditwheel and python3 (wheel);
#                         cargo-zigbuild (cdylib, zig-cache) and cbindgen (cdylib); wheelwright;
#                         zig, or python3 with the ziglang package
#   CARGO_HOME            cargo's home, with the vendored-source configuration
#   CARGO_TARGET_DIR      optional, default ./target
#   cargoVendorDir        optional: the vendored sources, remapped out of binaries
#   WW_WRITABLE_VENDOR    optional: build from a writable copy of cargoVendorDir
#   WW_BUILD_SCRIPT_ENV   optional: names of variables (one a line) for the build
#                         scripts alone, through cargo's [env]
#   WW_LINK_SEARCH        optional: the target libraries' lib/ directories, colon-
#                         separated, for rustc's link search path
#   CRANE_BUILD_DEPS_ONLY optional: only compile (crane's dependency build)
set -Eeuo pipefail

say() { echo "wheelwright: $*" >&2; }
# The last line of a failed build: `error: <cause>; <fix>`. A full disk makes
# any step fail with a message of its own (cargo's, zig's, cp's), so when the
# disk of TMPDIR or out is full, that is the cause given.
die() {
  trap - ERR
  local full
  full=$(full_disk) || true # in a trap, a function returns the trapped status
  if [[ -n $full ]]; then
    say "error: the disk that holds $full is full (No space left on device), and ${*%%;*}; free space on it, or build on a larger one (Nix: its build-dir; --crate: WW_CRATE_WORK), then build again"
  else
    say "error: $*"
  fi
  exit 1
}
full_disk() {
  local dir avail
  local dirs=("${TMPDIR:-}")
  if [[ -n ${out:-} ]]; then dirs+=("$(dirname "$out")"); fi
  for dir in "${dirs[@]}"; do
    [[ -d $dir ]] || continue
    avail=$(df -P -B1 "$dir" 2>/dev/null | awk 'NR == 2 { print $4 }') || true
    if [[ ${avail:-65536} -lt 65536 ]] || grep -qs 'No space left on device' "${build_log:-/dev/null}"; then
      echo "$dir"
      break
    fi
  done
}
# Any other step that fails ends the build the same way.
trap 'die "\`$BASH_COMMAND\` failed with exit code $? (its output is above)"' ERR

case ${WW_KIND:-} in
zig-cache)
  required=(WW_TARGET WW_ZIG_TARGET TMPDIR CARGO_HOME out)
  # a cache is filled from empty, with zig's own lib directory
  unset WW_ZIG_CACHE CRANE_BUILD_DEPS_ONLY
  ;;
sdist) required=(WW_MANIFEST WW_CRATE_NAME WW_DIST_NAME WW_BUILD_ARGS TMPDIR CARGO_HOME) ;;
*) required=(WW_KIND WW_MANIFEST WW_LOCK_FILE WW_CRATE_NAME WW_DIST_NAME WW_BUILD_ARGS TMPDIR CARGO_HOME
  WW_TARGET WW_ARCH WW_LIBC WW_POLICY WW_PLATFORM_TAG WW_LIB_NAME) ;;
esac
for var in "${required[@]}"; do
  [[ -n ${!var:-} ]] || die "$var is not set; run the builder through wheelwright's lib, which computes its environment"
done
helpers=$(dirname "${BASH_SOURCE[0]}")
prepare_wheel=$helpers/prepare-wheel.py
# zig links musl artifacts against plain libc.so; strict musllinux needs the
# soname a musl system's libc has (WW_LIBC_SONAME, e.g. libc.musl-x86_64.so.1)
libc_soname=
if [[ ${WW_LIBC:-} == musl ]]; then
  [[ -n ${WW_LIBC_SONAME:-} ]] || die "WW_LIBC_SONAME is not set for the musl target $WW_TARGET"
  libc_soname=$WW_LIBC_SONAME
fi
deps_only=${CRANE_BUILD_DEPS_ONLY:+1}
[[ -n $deps_only || -n ${out:-} ]] || die "out is not set"
[[ -w $TMPDIR ]] || die "TMPDIR ($TMPDIR) is not writable"

# nixpkgs' cargo-auditable wrapper makes every `cargo X` a `cargo auditable X`,
# which passes `--undefined` to the linker; zig rejects it.
cargo_bin=$(command -v cargo) || die "no cargo on PATH"
if grep -q auditable "$(readlink -f "$cargo_bin")"; then
  die "the cargo on PATH ($cargo_bin) is wrapped by cargo-auditable, whose --undefined linker flag zig rejects; put an unwrapped cargo first on PATH (rust-overlay's or crane's), or set auditable = false where buildRustPackage adds the wrapper"
fi

# zig, cargo-zigbuild and maturin cache under $HOME, which a Nix build cannot
# write (HOME=/homeless-shelter); zig then fails with a bare AccessDenied.
scratch=$TMPDIR/wheelwright
export XDG_CACHE_HOME=$scratch/cache
export CARGO_ZIGBUILD_CACHE_DIR=$scratch/cargo-zigbuild
export ZIG_GLOBAL_CACHE_DIR=$scratch/zig-global-cache
export ZIG_LOCAL_CACHE_DIR=$scratch/zig-local-cache
mkdir -p "$XDG_CACHE_HOME" "$CARGO_ZIGBUILD_CACHE_DIR" "$ZIG_GLOBAL_CACHE_DIR" "$ZIG_LOCAL_CACHE_DIR" "$CARGO_HOME"

# zig builds the target's libc stubs and crt objects, compiler-rt and
# libunwind into its global cache at the first link, and that cache starts
# empty in every build: a copy of the one zig-cache filled (its cache/)
# saves the work.
if [[ -n ${WW_ZIG_CACHE:-} ]]; then
  [[ -d $WW_ZIG_CACHE/cache/h ]] || die "WW_ZIG_CACHE ($WW_ZIG_CACHE) is not a zig cache; it is the output of a WW_KIND=zig-cache build"
  cp -R --no-preserve=mode,ownership "$WW_ZIG_CACHE"/cache/. "$ZIG_GLOBAL_CACHE_DIR"/
fi

# nixpkgs' Python setup hook exports these; maturin then tags the wheel
# linux_<host arch> whatever --compatibility and --target say.
unset _PYTHON_HOST_PLATFORM _PYTHON_SYSCONFIGDATA_NAME

# The zig that maturin and cargo-zigbuild run: CARGO_ZIGBUILD_ZIG_PATH, else
# PyPI's ziglang through python3, else zig on PATH.
zig_lib_dir() {
  local env
  if [[ -n ${CARGO_ZIGBUILD_ZIG_PATH:-} ]]; then
    env=$("$CARGO_ZIGBUILD_ZIG_PATH" env)
  elif python3 -c 'import ziglang' 2>/dev/null; then
    env=$(python3 -m ziglang env)
  else
    env=$(zig env)
  fi
  # `zig env` prints JSON before zig 0.15 and ZON after; both quote lib_dir.
  sed -n 's/.*lib_dir"\{0,1\} *[:=] *"\([^"]*\)".*/\1/p' <<<"$env" | head -n 1
}

# A build script that copies its own sources with their modes (isal-sys's
# copy_dir) makes read-only copies of crane's vendored crates, which live in
# the store, and then cannot fill them. nixpkgs' cargoSetupHook copies the
# vendored crates writable first; crane does not. WW_WRITABLE_VENDOR does, at
# the same path and with the same mtimes in the dependency build and the final
# one: cargo's fingerprints hold a dependency's path, and its build script's
# rerun-if-changed files are compared by mtime.
if [[ -n ${WW_WRITABLE_VENDOR:-} ]]; then
  [[ -n ${cargoVendorDir:-} && -f $CARGO_HOME/config.toml ]] ||
    die "WW_WRITABLE_VENDOR is set, but there are no vendored sources (cargoVendorDir) configured in \$CARGO_HOME/config.toml; build through crane, which vendors them"
  writable_vendor=$scratch/vendor
  rm -rf "$writable_vendor"
  cp -rL --preserve=timestamps "$cargoVendorDir" "$writable_vendor"
  chmod -R u+w "$writable_vendor"
  sed -i "s|$cargoVendorDir|$writable_vendor|g" "$CARGO_HOME/config.toml"
  cargoVendorDir=$writable_vendor
fi

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
case $CARGO_TARGET_DIR in /*) ;; *) CARGO_TARGET_DIR=$PWD/$CARGO_TARGET_DIR ;; esac

# Keep build paths out of shipped binaries (panic locations name source
# files). Later prefixes win in rustc, so the most specific comes last. Every
# vendored-source directory cargo is configured with becomes /vendor: crane
# vendors each registry into a directory of its own (<vendor>/<hash>), and a
# crate's path must not depend on how it was vendored. Build scripts' C
# compiles get the same maps (cc-rs and cmake read CFLAGS and CXXFLAGS): a
# shared object one links is bundled under a name hashed from its bytes,
# debug information and __FILE__ included, before anything strips it.
vendored_dirs=()
if [[ -f $CARGO_HOME/config.toml ]]; then
  mapfile -t vendored_dirs < <(sed -n 's/^directory *= *"\(.*\)" *$/\1/p' "$CARGO_HOME/config.toml")
fi
rustflags=${RUSTFLAGS:-}
c_prefix_maps=
for mapping in "$PWD=/source" "$CARGO_HOME=/cargo" "$CARGO_TARGET_DIR=/target" \
  ${cargoVendorDir:+"$cargoVendorDir=/vendor"} "${vendored_dirs[@]/%/=/vendor}"; do
  [[ $mapping != *[[:space:]]* ]] ||
    die "the build path in '$mapping' holds whitespace, which RUSTFLAGS and CFLAGS cannot carry; build from a directory whose path has none"
  rustflags+=" --remap-path-prefix=$mapping"
  c_prefix_maps+=" -ffile-prefix-map=$mapping"
done
# A target library is where a system library would be: a -sys crate that
# links -lffi without saying where (libffi-sys's `system`) finds it.
IFS=: read -ra link_search <<<"${WW_LINK_SEARCH:-}"
for directory in "${link_search[@]}"; do
  rustflags+=" -L native=$directory"
done
export RUSTFLAGS=${rustflags# }

# cargo-zigbuild writes libc/glibc/sysdeps/arm/arm-features.h into zig's lib
# directory for arm targets, unless it is there already, and that directory is
# read-only in /nix/store. Give zig a lib directory of symlinks to the real
# one in which only the directories on the way to that file are real (and
# writable): a handful of links instead of a copy. zig's cache keys hold the
# lib directory's path, so a zig-cache run makes it in its output (lib/), at
# a path every build that uses the cache sees too.
if [[ ${WW_TARGET:-} == arm* ]]; then
  zig_lib=$(zig_lib_dir)
  [[ -n $zig_lib ]] || die "cannot find zig's lib directory (\`zig env\` printed no lib_dir)"
  if [[ -n ${WW_ZIG_CACHE:-} && -d $WW_ZIG_CACHE/lib ]]; then
    [[ $(readlink -f "$WW_ZIG_CACHE/lib/std") == "$(readlink -f "$zig_lib/std")" ]] ||
      die "WW_ZIG_CACHE ($WW_ZIG_CACHE) was filled by another zig than $zig_lib's; fill it with the zig this build runs"
    export ZIG_LIB_DIR=$WW_ZIG_CACHE/lib
  elif [[ ! -e $zig_lib/libc/glibc/sysdeps/arm/arm-features.h && ! -w $zig_lib/libc/glibc/sysdeps/arm ]]; then
    real=$zig_lib
    farm=$scratch/zig-lib
    [[ $WW_KIND != zig-cache ]] || farm=$out/lib
    export ZIG_LIB_DIR=$farm
    rm -rf "$farm"
    mkdir -p "$farm"
    for part in "" libc glibc sysdeps arm; do
      real=$real${part:+/$part}
      farm=$farm${part:+/$part}
      [[ -z $part ]] || { rm "$farm" && mkdir "$farm"; }
      ln -s "$real"/* "$farm"/
    done
  fi
fi

mapfile -t build_args <<<"${WW_BUILD_ARGS:-}"

# Variables for the build scripts alone (WW_BUILD_SCRIPT_ENV names them),
# given through cargo's [env] and taken from maturin's environment: maturin
# would build for PYO3_CROSS_LIB_DIR's CPython instead of the plan's.
cargo_env=()
while IFS= read -r name; do
  [[ -n $name ]] || continue
  [[ -n ${!name:-} ]] || die "$name is not set, and WW_BUILD_SCRIPT_ENV names it; nix/buildArtifact.nix gives it with the target library that sets it"
  cargo_env+=(--config "env.$name=\"${!name}\"")
  unset "$name"
done <<<"${WW_BUILD_SCRIPT_ENV:-}"

# maturin generates a cffi module with the interpreter of the python3 on PATH
# (its sys.executable), and without cffi there it tries `pip install cffi`,
# which fails offline with pip's words.
if [[ $'\n'${WW_BUILD_ARGS:-}$'\n' == *$'\n--bindings\ncffi\n'* ]]; then
  cffi_python=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) || cffi_python=
  if [[ -z $cffi_python ]] || ! "$cffi_python" -c 'import cffi' 2>/dev/null; then
    die "cffi bindings need a python3 with cffi on PATH, and ${cffi_python:-no python3} has none; wheelwright's lib puts one there (tools.cffi): pass a tools.cffi whose python3 imports cffi"
  fi
fi

# zig cc's own headers (stddef.h, the libc's) are named in C's debug
# information under zig's lib directory, which every install has elsewhere,
# and cargo-zigbuild adds a C file of its cache to every arm link.
if [[ $WW_KIND != sdist ]]; then
  for zig_lib in "$(zig_lib_dir)" ${ZIG_LIB_DIR:+"$ZIG_LIB_DIR"}; do
    [[ -n $zig_lib && $zig_lib != *[[:space:]]* ]] ||
      die "zig's lib directory ('$zig_lib') is unknown or holds whitespace, which CFLAGS cannot carry; install zig where its path has none"
    c_prefix_maps+=" -ffile-prefix-map=$zig_lib=/zig"
  done
  c_prefix_maps+=" -ffile-prefix-map=$CARGO_ZIGBUILD_CACHE_DIR=/cargo-zigbuild"
fi
export CFLAGS="${CFLAGS:-}$c_prefix_maps" CXXFLAGS="${CXXFLAGS:-}$c_prefix_maps"

# Runs a build command with its stderr, where cargo and maturin report, also
# in $build_log: build_failed reads the cause of a failure there.
build_log=$scratch/build.log
logged() { { "$@" 2>&1 1>&3 3>&- | tee "$build_log" >&2 3>&-; } 3>&1; }

# A build script is compiled for, and run on, the build machine: cfg(target_*)
# and cfg!(target_*) in it test the build machine, not the target, and a cross
# build may then compile the wrong code. When one fails, this names each
# vendored crate whose build script does that and ran for the target: cargo
# runs those in <target dir>/<triple>/<profile>/build/<crate>-<hash>, and the
# build scripts of build-machine-only dependencies (proc-macros and what they
# depend on), where cfg(target_*) is right, in <target dir>/<profile>/build.
host_cfg_notes() { # HOST
  local script crate ran
  [[ -n ${cargoVendorDir:-} ]] || return 0
  ran=$(find "$CARGO_TARGET_DIR/$WW_TARGET" -mindepth 3 -maxdepth 3 -path '*/build/*' -type d -printf '%f\n' 2>/dev/null |
    sed 's/-[0-9a-f]\{16\}$//' | sort -u)
  while IFS= read -r script; do
    crate=$(basename "$(dirname "$script")") # <name>-<version>
    grep -qxF -- "${crate%-[0-9]*}" <<<"$ran" || continue
    say "note: the build script of $crate tests cfg(target_*), which in a build script is the build machine ($1), not $WW_TARGET; it should read the CARGO_CFG_TARGET_* environment variables cargo gives it"
  done < <(find -L "$cargoVendorDir" -maxdepth 4 -name build.rs -print0 2>/dev/null | sort -z |
    xargs -0 -r grep -lE 'cfg!?[[:space:]]*\(.*target_(arch|os|env|pointer_width|endian|feature|family|vendor)\b' 2>/dev/null)
}
# The cause of a failed build in one line, from $build_log: a Cargo.lock that
# --locked may not update; else the first crate whose build script failed,
# with the first line of its panic (or of its stderr); else the first crate
# that did not compile, with the compiler's first error. Empty if none.
failure_cause() {
  local lock
  lock=$(sed -n 's/.*lock file \(.*Cargo\.lock\) \(needs to be updated\|because --locked\).*/\1/p' "$build_log" | head -n 1)
  if [[ -n $lock ]]; then
    echo "${lock#"$PWD"/} is out of date with Cargo.toml: cargo would have to update it, and --locked forbids that; run \`cargo update -w\` (or \`cargo generate-lockfile\`) in its directory and commit it"
    return
  fi
  awk -v target="$WW_TARGET" -v libraries="${WW_TARGET_LIBRARY_LINKS:-}" -f "$helpers/failure-cause.awk" "$build_log"
}
build_failed() {
  local host cause
  host=$(rustc -vV | sed -n 's/^host: //p')
  [[ $host == "$WW_TARGET" ]] || host_cfg_notes "$host"
  cause=$(failure_cause)
  die "${cause:-$1 failed for $WW_TARGET (its output is above)}"
}

# A workspace member's sdist ships the workspace's Cargo.lock, which may list
# crates that only the members left out of it use. cargo would drop them from
# the lock, which --locked forbids, and the build would stop before compiling
# anything. Drop them here as cargo does, offline, and nothing else: when
# cargo would also add or change an entry, the lock stays as it was, for
# --locked to report.
lock_packages() { # LOCK -> its packages, a sorted line each
  awk -f "$helpers/lock-packages.awk" "$1" | LC_ALL=C sort
}
prune_unused_lock_entries() {
  local lock=$WW_LOCK_FILE given=$scratch/Cargo.lock.given added dropped
  cp "$lock" "$given"
  # an unchanged lock (the usual case) needs no comparing
  if ! cargo metadata --offline --format-version 1 --manifest-path "$WW_MANIFEST" >/dev/null 2>&1; then
    cmp -s "$given" "$lock" || cp "$given" "$lock"
    return 0
  fi
  cmp -s "$given" "$lock" && return 0
  lock_packages "$given" >"$scratch/packages.given"
  lock_packages "$lock" >"$scratch/packages.pruned"
  added=$(LC_ALL=C comm -13 "$scratch/packages.given" "$scratch/packages.pruned" | wc -l)
  dropped=$(LC_ALL=C comm -23 "$scratch/packages.given" "$scratch/packages.pruned" | wc -l)
  if [[ $added -eq 0 && $dropped -gt 0 ]]; then
    say "note: $lock lists $dropped crate(s) that no package of this build uses (a workspace's lock in a member's sdist); dropped them, as cargo does"
  else
    cp "$given" "$lock"
  fi
}
[[ $WW_KIND != wheel && $WW_KIND != cdylib ]] || prune_unused_lock_entries

case $WW_KIND in
zig-cache)
  # An empty library and program, linked as a wheel's or a library's build
  # links them, fill the cache. Its keys hold zig's version and lib directory
  # path, so it serves builds that run the same zig with the same lib
  # directory (for arm, the lib/ made here). zig's manifests also record
  # inodes and mtimes: the cache is an intermediate, not bit-reproducible;
  # the artifacts built from it are.
  # planBuild's zigCache.env makes them link dynamically, as wheels and
  # libraries do.
  logged cargo zigbuild --release --locked --offline --target "$WW_ZIG_TARGET" || build_failed "cargo zigbuild"
  mkdir -p "$out"
  cp -R "$ZIG_GLOBAL_CACHE_DIR" "$out/cache"
  say "done: the zig cache of $WW_ZIG_TARGET, $(du -sh "$out" | cut -f1)"
  exit 0
  ;;
sdist)
  dist=$scratch/sdist
  rm -rf "$dist"
  say "maturin ${build_args[*]}"
  maturin "${build_args[@]}" --out "$dist" || die "maturin sdist failed (its output is above)"
  mkdir -p "$out"
  cp "$dist"/*.tar.gz "$out"/ || die "maturin wrote no source distribution to $dist"
  ;;
wheel)
  dist=$scratch/dist
  rm -rf "$dist"
  # one maturin run per paragraph of WW_BUILD_ARGS (an empty line between)
  run=()
  for arg in "${build_args[@]}" ""; do
    if [[ -n $arg ]]; then
      run+=("$arg")
      continue
    fi
    [[ ${#run[@]} -gt 0 ]] || continue
    say "maturin ${run[*]}"
    logged maturin "${run[@]}" "${cargo_env[@]}" --out "$dist" || build_failed maturin
    run=()
  done
  [[ -z $deps_only ]] || exit 0
  # maturin only warns when the library lacks PyInit_<module>, which
  # `import <module>` calls: the module name it builds for ([tool.maturin]
  # module-name, else [lib] name) and the #[pymodule]'s differ. The
  # #[pymodule]'s name is looked up textually, for the message only.
  missing=$(sed -n "s/.*Couldn't find the symbol \`PyInit_\([A-Za-z0-9_]*\)\`.*/\1/p" "$build_log" | head -n 1)
  if [[ -n $missing ]]; then
    pymodule=$(grep -rhA3 --include='*.rs' '#\[pymodule' "$(dirname "$WW_MANIFEST")/src" 2>/dev/null |
      sed -n -e '/#\[py\(module\|o3\)/s/.*name *= *"\([^"]*\)".*/\1/p' -e 's/.*\<\(fn\|mod\) \+\([A-Za-z0-9_]\+\).*/\2/p' | head -n 1)
    die "the extension module defines no PyInit_$missing, so \`import $missing\` would fail: maturin builds the module $missing (pyproject.toml's [tool.maturin] module-name, else Cargo.toml's [lib] name), and the crate's #[pymodule] has another name${pymodule:+ ($pymodule)}; give both one name: rename the #[pymodule] function (or add #[pyo3(name = \"$missing\")]), or set module-name to the #[pymodule]'s name"
  fi

  mapfile -t repair_args <<<"$WW_REPAIR_ARGS"
  mkdir -p "$out"
  for wheel in "$dist"/*.whl; do
    [[ -e $wheel ]] || die "maturin wrote no wheel to $dist"
    python3 "$prepare_wheel" "$wheel" "file://$PWD" ${libc_soname:+--libc-soname "$libc_soname"} \
      ${WW_STRIP_BUILT:+--strip} ${WW_STRIP_BUNDLED:+--strip-bundled} ||
      die "$prepare_wheel failed on $(basename "$wheel")"
    say "auditwheel ${repair_args[*]} $(basename "$wheel")"
    auditwheel "${repair_args[@]}" -w "$out" "$wheel" >&2
  done
  ;;
cdylib)
  say "cargo ${build_args[*]}"
  logged cargo "${build_args[@]}" "${cargo_env[@]}" || build_failed "cargo zigbuild"
  [[ -z $deps_only ]] || exit 0

  library=lib$WW_LIB_NAME.so
  built=$CARGO_TARGET_DIR/$WW_TARGET/release/$library
  [[ -f $built ]] || die "cargo built no $library for $WW_TARGET (looked in $built)"
  install -D -m 0755 "$built" "$out/lib/$library"
  if [[ -n $libc_soname ]] && patchelf --print-needed "$out/lib/$library" | grep -qx libc.so; then
    patchelf --replace-needed libc.so "$libc_soname" "$out/lib/$library"
  fi
  if [[ -n ${WW_HEADER:-} ]]; then
    crate_dir=$(dirname "$WW_MANIFEST")
    say "cbindgen --crate $WW_CRATE_NAME"
    cbindgen --quiet --config "$crate_dir/cbindgen.toml" --crate "$WW_CRATE_NAME" \
      --output "$out/include/$WW_LIB_NAME.h" "$crate_dir"
  fi
  ;;
*) die "WW_KIND is '$WW_KIND'; expected wheel, cdylib, sdist or zig-cache" ;;
esac

# The result must be what was asked for, which the verifier proves: the
# distribution pyproject.toml names, every platform tag of the target's
# architecture and libc family, WW_PLATFORM_TAG met (symbol versions, and no
# import without one), each ELF's machine, RECORD, and no build path inside.
build_paths=()
for dir in "$PWD" "$TMPDIR" "$CARGO_HOME" "$out" ${cargoVendorDir:+"$cargoVendorDir"}; do
  build_paths+=(--build-path "$dir")
done
case $WW_KIND in
sdist)
  for sdist in "$out"/*.tar.gz; do
    name=$(basename "$sdist" .tar.gz)
    [[ $name == "$WW_DIST_NAME"-* ]] ||
      die "$name: the sdist is of distribution ${name%-*}, not $WW_DIST_NAME as pyproject.toml names it; maturin read another pyproject.toml or Cargo.toml (name the crate in the root pyproject.toml's [tool.maturin] manifest-path)"
    wheelwright check-sdist "$sdist" >&2 || die "$name: the verifier rejects it (its report is above)"
  done
  ;;
wheel)
  shopt -s nullglob
  wheels=("$out"/*.whl)
  ((${#wheels[@]})) || die "auditwheel wrote no wheel to $out"
  wheelwright check --expect-policy "$WW_PLATFORM_TAG" --dist-name "$WW_DIST_NAME" "${build_paths[@]}" "${wheels[@]}" >&2 ||
    die "the verifier rejects the wheel (its report is above)"
  ;;
cdylib)
  wheelwright check-lib --platform "$WW_PLATFORM_TAG" "${build_paths[@]}" "$out/lib/$library" >&2 ||
    die "$library: the verifier rejects it (its report is above)"
  ;;
esac
say "done: $(cd "$out" && find . -type f | sort | tr '\n' ' ')"
