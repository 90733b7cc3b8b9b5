# shellcheck shell=bash
# What every step file uses: Debian's architecture names, the step runner, stamps.
# Sourced by checks/offline/setup.sh first.

# lib/data/targets.json's fields, one line per target: [--libc LIBC] FIELD...
targets() { python3 "$HERE/../harness/targets.py" "$@"; }
# WHEELARCH FIELD -> the field of the first target with that wheel arch
target_field() {
  local value
  value=$(targets arch "$2" | sed -n "s/^$1://p" | head -n 1)
  [ -n "$value" ] || { echo "setup: no target in lib/data/targets.json has the wheel arch $1" >&2; return 1; }
  echo "$value"
}
deb_arch() { target_field "$1" debian; }
qemu_arch() { target_field "$1" qemu; }
targets_with_libc() { # LIBC -> the triples of lib/data/targets.json that link it
  targets --libc "$1" triple | paste -sd' '
}
musl_arches() { # -> <wheel arch>:<qemu arch>:<zig target> of every musl target of lib/data/targets.json
  targets --libc musl arch qemu zigTarget
}

DL=$WW_CI_ROOT/downloads
LOGS=$WW_CI_ROOT/logs
STAMPS=$WW_CI_ROOT/stamps
mkdir -p "$WW_CI_ROOT" "$DL" "$LOGS" "$STAMPS"
chmod 755 "$WW_CI_ROOT"


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
