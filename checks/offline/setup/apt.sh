# shellcheck shell=bash
# apt: the host's packages, and .deb downloads for the steps that unpack them.
# Sourced by checks/offline/setup.sh, after common.sh.

APT_PACKAGES="nix-bin debootstrap qemu-user util-linux zip unzip file xz-utils curl ca-certificates binutils
  python3.11 python3.11-venv musl-tools shellcheck make"
# and the build tools of the real-world corpus's projects (their nativeBuildInputs) and of
# the target libraries' recipes (perl for OpenSSL)
APT_PACKAGES="$APT_PACKAGES $(python3 "$HERE/../realworld/run" --build-tools)"
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
  foreign=$(echo "$PYROOT_DEB_ARCHES" | tr ' ' '|')
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

# Installs what the host lacks.
setup_apt() {
  missing=$(apt_missing | tr '\n' ' ')
  if [ -n "${missing// /}" ]; then
    ensure_apt_update
    say apt-install "missing: $missing"
    step apt-install do_apt_install
  else
    cached apt-install
  fi
}
