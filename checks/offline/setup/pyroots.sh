# shellcheck shell=bash
# Foreign CPython roots for qemu-user, and the interpreter matrix's CPythons.
# Sourced by checks/offline/setup.sh, after common.sh.

# foreign CPython roots: <wheel arch>:<suite>:<python>; bookworm's come through the
# host's apt, riscv64 (which bookworm lacks) from trixie, where it is a release architecture
PYROOT_ARCHES="aarch64:bookworm:3.11 armv7l:bookworm:3.11 i686:bookworm:3.11
  ppc64le:bookworm:3.11 s390x:bookworm:3.11 riscv64:trixie:3.13"
# Further CPythons, one root each, that import the interpreter matrix's wheels (suite.py's
# INTERPRETERS): 3.9 from bullseye, 3.13 from trixie, 3.14 and 3.15 (abi3t's) from unstable
INTERPRETER_ROOTS="x86_64:bullseye:3.9 aarch64:bullseye:3.9 x86_64:trixie:3.13
  aarch64:trixie:3.13 x86_64:unstable:3.14 aarch64:unstable:3.14
  x86_64:unstable:3.15 aarch64:unstable:3.15"
PYROOT_DEB_ARCHES=$(for spec in $PYROOT_ARCHES; do case "$spec" in *:bookworm:*) deb_arch "${spec%%:*}" ;; esac; done | paste -sd' ')
# @V@ is the spec's python version
PYROOT_PACKAGES="python@V@-minimal libpython@V@-minimal libpython@V@-stdlib libc6 libexpat1 zlib1g libffi8 libgcc-s1"
# A foreign root's CPython (the suite's default for its architecture) also gets Debian's
# _cffi_backend, which a cffi module imports where PyPI has no cffi wheel for it (armv7l,
# riscv64; checks/harness/cffi_backend.py): cffi's module format has not changed since 1.11.
PYROOT_IMPORT_PACKAGES="python3-cffi-backend"
PYROOTS=$WW_CI_ROOT/pyroot
pyroot_packages() { # DEBARCH PYTHON SUITE IMPORTROOT
  local p packages=${PYROOT_PACKAGES//@V@/$2}
  # bullseye's libffi is the older soname
  [ "$3" != bullseye ] || packages=${packages//libffi8/libffi7}
  # CPython 3.15 links libzstd (compression.zstd) into the interpreter
  [ "$2" != 3.15 ] || packages+=" libzstd1"
  [ "$4" != yes ] || packages+=" $PYROOT_IMPORT_PACKAGES"
  for p in $packages; do echo "$p:$1"; done
}
do_pyroot() { # ROOTNAME DEBARCH WHEELARCH QEMUARCH SUITE PYTHON
  local name=$1 deb=$2 arch=$3 qemu=$4 suite=$5 python=$6 d root=$PYROOTS/$1 pkgs
  local debs=$DL/debs/pyroot-$suite-$deb-$python
  mapfile -t pkgs < <(pyroot_packages "$deb" "$python" "$suite" "$([ "$name" = "$arch" ] && echo yes)")
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


setup_pyroots() {
  for spec in $PYROOT_ARCHES $INTERPRETER_ROOTS; do
    IFS=: read -r wheelarch suite python <<<"$spec"
    debarch=$(deb_arch "$wheelarch") qemuarch=$(qemu_arch "$wheelarch")
    name=$wheelarch
    # shellcheck disable=SC2086
    case " $(echo $INTERPRETER_ROOTS) " in *" $spec "*) name=$wheelarch-$python ;; esac
    key=$(key_of "$PYROOT_PACKAGES" "$PYROOT_IMPORT_PACKAGES" "$debarch" "$suite" "$python" "v3")
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
}
