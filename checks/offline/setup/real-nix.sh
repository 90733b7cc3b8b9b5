# shellcheck shell=bash
# real-nix: Debian trixie's Nix in a chroot, for the real-nix and nix-build stages.
# Sourced by checks/offline/setup.sh, after common.sh.

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
# binaries (xz, patch, file, jq, zstd, rsync, patchelf, unzip, lndir, perl, pkg-config), and
# python3 with libpython for pyo3's tests.
REAL_NIX_PACKAGES="nix-bin gcc libc6-dev make patch file xz-utils jq zstd rsync patchelf unzip xutils-dev
  pkgconf python3 libpython3.13-dev"
do_real_nix_root() {
  rm -rf "$REAL_NIX_ROOT.tmp"
  mkdir -p "$(dirname "$REAL_NIX_ROOT")"
  debootstrap --variant=minbase trixie "$REAL_NIX_ROOT.tmp" "$(debian_mirror)"
  rm -rf "$REAL_NIX_ROOT"; mv "$REAL_NIX_ROOT.tmp" "$REAL_NIX_ROOT"
  # shellcheck disable=SC2086
  in_real_nix_root sh -c "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(echo $REAL_NIX_PACKAGES)"
  in_real_nix_root nix --version
}


setup_real_nix() {
  if [ ! -d "$REAL_NIX_INPUTS" ]; then
    say real-nix "skipped: no input trees in $REAL_NIX_INPUTS"
  elif stamp_ok real-nix "$(key_of $REAL_NIX_PACKAGES)" && [ -x "$REAL_NIX_ROOT/usr/bin/nix" ]; then
    cached real-nix
  else
    step real-nix do_real_nix_root
    stamp_set real-nix "$(key_of $REAL_NIX_PACKAGES)"
  fi
}
