#!/usr/bin/env bash
# Benchmark (not a test): on the corpus wheels, in one run, wheels/s and MB/s for
# `wheelwright check` (release build), for `auditwheel show`, and for only reading and
# inflating the archives (cli/examples/inflate.rs). Each figure is the median of
# several runs, with min–max spread, plus the CPU time (check uses every core; the
# inflate baseline uses one).
#
#   WW_CACHE_DIR  corpus cache (same default as cli/corpus/run.sh, which fills it)
#   AUDITWHEEL    auditwheel executable (default: on PATH, else the corpus venv)
#   RUNS          runs for wheelwright and inflate (default 7); AW_RUNS for auditwheel (default 3)
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
cli="$root/cli"
cache="${WW_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/wheelwright/corpus}"
export WW_CACHE_DIR="$cache"

WW_DOWNLOAD_ONLY=1 "$cli/corpus/run.sh"
if [ -n "${AUDITWHEEL:-}" ]; then
    auditwheel="$AUDITWHEEL"
elif command -v auditwheel >/dev/null 2>&1; then
    auditwheel="$(command -v auditwheel)"
else
    [ -x "$cache/venv/bin/auditwheel" ] || { python3 -m venv "$cache/venv"; "$cache/venv/bin/pip" install -q auditwheel=="$(python3 "$root/checks/harness/pinned_tools.py" version auditwheel)"; }
    auditwheel="$cache/venv/bin/auditwheel"
fi
cargo build --release --quiet --manifest-path "$cli/Cargo.toml" --bin wheelwright --example inflate
ww="$cli/target/release/wheelwright"
inflate="$cli/target/release/examples/inflate"

mapfile -t wheels < <(grep -v '^#' "$cli/corpus/wheels.txt" | awk 'NF {print ENVIRON["WW_CACHE_DIR"] "/" $1}')
ldpaths="$(mktemp -d)"
trap 'rmdir "$ldpaths"' EXIT

python3 - "$ww" "$inflate" "$auditwheel" "$ldpaths" "${RUNS:-7}" "${AW_RUNS:-3}" "${wheels[@]}" <<'PY'
import os, platform, resource, statistics, subprocess, sys, time

ww, inflate, auditwheel, ldpaths, runs, aw_runs, *wheels = sys.argv[1:]
runs, aw_runs = int(runs), int(aw_runs)
mb = sum(os.path.getsize(w) for w in wheels) / 1e6
n = len(wheels)


def timed(cmds, repeat):
    """Wall time of running every command once, `repeat` times."""
    out = []
    for _ in range(repeat):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        for c in cmds:
            # check exits 1 when a rule fails and show 0/1 by verdict: only crashes matter here.
            p = subprocess.run(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if p.returncode not in (0, 1):
                sys.exit(f"bench: {c[0]} exited {p.returncode} on {c[-1]}")
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
        out.append((time.perf_counter() - t, cpu))
    return out


rows = [
    ("inflate only (1 process)", timed([[inflate, *wheels]], runs)),
    ("wheelwright check (1 process)", timed([[ww, "check", *wheels]], runs)),
    ("inflate only (per wheel)", timed([[inflate, w] for w in wheels], runs)),
    ("wheelwright check (per wheel)", timed([[ww, "check", w] for w in wheels], runs)),
    ("auditwheel show (per wheel)", timed([[auditwheel, "show", "--ldpaths", ldpaths, w] for w in wheels], aw_runs)),
]
print(f"{n} wheels, {mb:.1f} MB compressed; {platform.machine()}, {os.cpu_count()} cores")
print("| what | runs | median wall s | spread s | CPU s | wheels/s | MB/s |")
print("|---|---|---|---|---|---|---|")
med = {}
for name, ts in rows:
    walls = [w for w, _ in ts]
    m = statistics.median(walls)
    cpu = statistics.median(c for _, c in ts)
    med[name] = m
    print(f"| {name} | {len(ts)} | {m:.3f} | {min(walls):.3f}–{max(walls):.3f} | {cpu:.3f} | {n / m:.1f} | {mb / m:.1f} |")
aw = med["auditwheel show (per wheel)"]
print()
print(f"speed-up over auditwheel (per wheel): {aw / med['wheelwright check (per wheel)']:.1f}x")
print(f"speed-up over auditwheel (check in 1 process): {aw / med['wheelwright check (1 process)']:.1f}x")
print(f"check / inflate-only (1 process): {med['wheelwright check (1 process)'] / med['inflate only (1 process)']:.2f}x")
print(f"check / inflate-only (per wheel): {med['wheelwright check (per wheel)'] / med['inflate only (per wheel)']:.2f}x")
PY
