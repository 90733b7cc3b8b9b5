#!/usr/bin/env python3
"""Faults while building, through `--crate` as a user meets them: each check
asserts the last line a user reads and the state after, and ends with a run
that must give the very wheel the builder stage built.

  disk_full   the work directory on a tmpfs too small for the build: the last
              line names the full disk and the fix; with space added, the next
              run of the same crate completes
  killed      the run killed (SIGKILL, the whole process group) while it
              vendors, while the zig cache fills and while cargo compiles: the
              crate's lock is free again each time, and the next run completes

Both need root (mount, and the builder's user nobody); the suite's builder
stage runs them on examples/pyo3-abi3 for the native target.
"""

import contextlib
import fcntl
import hashlib
import os
import signal
import sys
from pathlib import Path

# checks/, where the harness package is, for a run as a program
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from harness.crate_build import lock_file, start, work_dir
from harness.process import REPO, Failure, PrintedResults, run
from harness.targets import NATIVE

EXAMPLE = REPO / "examples" / "pyo3-abi3"
# Holds the example's vendored crates, tools and zig cache, not its target
# directory: the disk fills while cargo compiles (or, should the zig cache
# outgrow it, while that fills; the message is the same).
SMALL_DISK = "200m"
LARGE_DISK = "2g"


def completes(work, reference):
    """The next run in `work` builds the wheel the builder stage built."""
    proc = start(EXAMPLE, NATIVE, work)
    stdout, stderr = proc.communicate(timeout=1800)
    wheels = [Path(line.removeprefix("artifact: ")) for line in stdout.splitlines() if line.startswith("artifact: ")]
    if proc.returncode != 0 or len(wheels) != 1:
        raise Failure(f"the run after the fault exited {proc.returncode}:\n" + "\n".join(
            (stdout + stderr).strip().splitlines()[-10:]))
    if sha256(wheels[0]) != sha256(reference):
        raise Failure(f"the run after the fault built {wheels[0].name} with other bytes than the builder "
                      f"stage's {reference}")
    return wheels[0]


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextlib.contextmanager
def tmpfs(mountpoint, size):
    mountpoint.mkdir(parents=True, exist_ok=True)
    run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=755", "tmpfs", mountpoint])
    try:
        yield mountpoint
    finally:
        run(["umount", "--lazy", mountpoint])


def disk_full(work, reference):
    with tmpfs(work, SMALL_DISK):
        proc = start(EXAMPLE, NATIVE, work)
        stdout, stderr = proc.communicate(timeout=1800)
        last = (stdout.strip().splitlines() or [""])[-1]
        expected = f"error: the disk that holds {work}/"
        fix = ("is full (No space left on device), and ", "; free space on it, or build on a larger one "
               "(Nix: its build-dir; --crate: WW_CRATE_WORK), then build again")
        if proc.returncode != 1 or not last.startswith(expected) or not all(f in last for f in fix):
            raise Failure(f"expected exit 1 and {expected}... {fix[0]}...{fix[1]}, got {proc.returncode}: {last!r}\n"
                          + "\n".join(stderr.strip().splitlines()[-8:]))
        step = last.split(fix[0], 1)[1].split(";", 1)[0]
        run(["mount", "-o", f"remount,size={LARGE_DISK}", work])
        wheel = completes(work, reference)
    return f"{step[:90]}...; with {LARGE_DISK} the next run built {wheel.name}, the builder stage's bytes"


# Where a run is killed: after the line it prints when it starts vendoring,
# when it starts filling the zig cache, and when cargo starts compiling; each
# phase then runs for seconds at least. (The repair and verification at the
# end last about as long as reading a line can take on a busy machine, so a
# kill there could miss.)
KILL_POINTS = [("while vendoring", "wheelwright: preparing "),
               ("while the zig cache fills", f"wheelwright: building wheel {EXAMPLE.name} for {NATIVE}"),
               ("while cargo compiles", "   Compiling ")]


def killed(work, reference):
    said = []
    for when, line in KILL_POINTS:
        proc = start(EXAMPLE, NATIVE, work)
        try:
            for seen in proc.stderr:
                if seen.startswith(line):
                    break
            else:
                raise Failure(f"the run ended ({proc.wait()}) before printing {line!r}")
            os.killpg(proc.pid, signal.SIGKILL)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
        if proc.returncode != -signal.SIGKILL:
            raise Failure(f"the run killed {when} exited {proc.returncode}")
        with open(lock_file(work_dir(EXAMPLE, EXAMPLE.name, work)), "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise Failure(f"after the run killed {when}, something still holds the crate's lock") from None
        said.append(when)
    wheel = completes(work, reference)
    return (f"killed {', '.join(said[:-1])} and {said[-1]}; the lock free after each; the next run built "
            f"{wheel.name}, the same bytes")


def checks(results, work, reference):
    """The fault checks, in `work`, against the builder stage's wheel of the
    example for NATIVE (`reference`)."""
    results.check(f"faults: the disk fills during a build ({SMALL_DISK} tmpfs); the next run, with space, completes",
                  lambda: disk_full(work / "disk", reference))
    results.check("faults: a run killed at three points; the next run completes",
                  lambda: killed(work / "killed", reference))


def main():
    """Standalone: `python3 checks/offline/faults.py WORK REFERENCE_WHEEL`
    (after sourcing setup.sh's env.sh), one line per check."""
    results = PrintedResults()
    work, reference = map(Path, sys.argv[1:3])
    work.mkdir(parents=True, exist_ok=True)
    checks(results, work, reference)
    sys.exit(1 if results.failed else 0)


if __name__ == "__main__":
    main()
