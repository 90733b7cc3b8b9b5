#!/usr/bin/env python3
"""wheelwright's benchmarks: what the pipeline costs, measured side by side in
one run on the examples, through nix/builder/builder.sh under Nix-build conditions
(the offline suite's sandbox). Machines are noisy: every figure is the median
of BENCH_RUNS runs (default 3) with its spread (min..max), and comparisons are
ratios of figures taken in the same run.

  1. pipeline overhead: the whole builder against plain `cargo build --release
     --target T`, cold (with the target's zig cache, as the flake gives every
     build, and with an empty one, as before it) and warm (dependencies
     already built); and what filling the zig cache costs, once per target
  2. a source edit rebuilt as Nix runs it: the deps derivation on crane's
     stand-in sources, then the final derivation in a fresh build directory
     and TMPDIR of the same name, with the deps build's target directory
     copied in (crane's cargoArtifacts): time and the crates recompiled; and,
     where the real-nix input trees are, the same edit rebuilt by Nix itself
     (the nix-build stage's Nix, sandboxed): its final derivation
  3. cross against native: each target's cold build over x86_64's, musl and
     riscv64 included
  4. size: the builder's artifacts against default settings
  5. the verifier against `auditwheel show` (bench/verifier/run.sh)
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

# checks/, where the harness package is
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "checks"))
from harness import nix_build, real_nix
from harness.process import REPO
from harness.sandbox import EXAMPLES, Sandbox
from harness.targets import ALL_TARGETS, NATIVE

RUNS = int(os.environ.get("BENCH_RUNS", "3"))


class Timing:
    def __init__(self, seconds):
        self.seconds = sorted(seconds)
        self.median = statistics.median(self.seconds)

    def __str__(self):
        return f"{self.median:6.1f}s ({self.seconds[0]:.1f}..{self.seconds[-1]:.1f})"


def ratio(a, b):
    return f"{a.median / b.median:5.2f}x"


class Bench:
    def __init__(self):
        self.sandbox = Sandbox(Path(os.environ.get("WW_BENCH_WORK", "/tmp/wheelwright-bench")))
        self.projects = {p.name: p for p in EXAMPLES}
        self.plans = {f"{p.name}/{t}": p.plan(t) for p in EXAMPLES for t in ALL_TARGETS}
        self.sandbox.prepare({p: self.plans[f"{p.name}/{NATIVE}"] for p in EXAMPLES})
        self.counter = 0
        self.rows = []

    def fresh(self, label):
        self.counter += 1
        return self.sandbox.build_dir(f"{label}-{self.counter}")

    def timed_builder(self, example, target, build=None, zig_cache=True):
        """One builder run; a fresh build directory unless one is given. The
        target's zig cache is filled beforehand, untimed: a derivation of its
        own, built once."""
        build = build or self.fresh(f"{example}-{target}")
        project = self.projects[example]
        plan = self.plans[f"{example}/{target}"]
        if zig_cache:
            self.sandbox.zig_cache(plan)
        start = time.monotonic()
        proc = self.sandbox.run_builder(project, plan, build, self.sandbox.source(project, 1),
                                        zig_cache=zig_cache)
        return time.monotonic() - start, proc, build

    def timed_cargo(self, example, target, build=None, extra=None):
        project = self.projects[example]
        build = build or self.fresh(f"cargo-{example}-{target}")
        variables = {**self.sandbox.build_env(project, build, self.plans[f"{example}/{target}"]), **(extra or {})}
        start = time.monotonic()
        self.sandbox.run_as_nix(["cargo", "build", "--release", "--locked", "--offline", "--target", target],
                                cwd=self.sandbox.source(project, 1), variables=variables)
        return time.monotonic() - start, build

    def row(self, *cells):
        self.rows.append(cells)
        print(" | ".join(str(c) for c in cells), flush=True)

    def overhead(self, example="pyo3-abi3"):
        cold_builder, cold_empty, cold_cargo, warm_builder, warm_cargo, fills = [], [], [], [], [], []
        plan = self.plans[f"{example}/{NATIVE}"]
        for _ in range(RUNS):
            seconds, _, build = self.timed_builder(example, NATIVE)
            cold_builder.append(seconds)
            warm_builder.append(self.timed_builder(example, NATIVE, build=build)[0])
            cold_empty.append(self.timed_builder(example, NATIVE, zig_cache=False)[0])
            seconds, build = self.timed_cargo(example, NATIVE)
            cold_cargo.append(seconds)
            warm_cargo.append(self.timed_cargo(example, NATIVE, build=build)[0])
            start = time.monotonic()
            self.sandbox.fill_zig_cache(plan, self.fresh("zig-cache"))
            fills.append(time.monotonic() - start)
        cb, ce, cc, wb, wc, fill = map(Timing, (cold_builder, cold_empty, cold_cargo, warm_builder, warm_cargo, fills))
        self.row("overhead, cold", f"builder {cb}", f"cargo {cc}", f"{ratio(cb, cc)} (goal <= 1.10x)")
        self.row("overhead, cold, empty zig cache", f"builder {ce}", f"cargo {cc}", f"{ratio(ce, cc)} (as before the zig cache)")
        self.row("zig cache, filled once per target", f"{fill}", f"cold builder {cb}", f"{ratio(fill, cb)}")
        self.row("overhead, warm", f"builder {wb}", f"cargo {wc}", f"+{wb.median - wc.median:.1f}s fixed (goal: a few s)")
        return cb

    def nix_rebuild(self, cold, example="pyo3-abi3"):
        """A one-line edit, as Nix rebuilds it: the deps derivation, then the
        final one in a fresh build directory of the same name."""
        project, plan = self.projects[example], self.plans[f"{example}/{NATIVE}"]
        deps_times, times, recompiled = [], [], set()

        def edit(src):
            lib = src / "src" / "lib.rs"
            lib.write_text(lib.read_text() + "\n// a one-line change\n")
        for n in range(RUNS):
            deps_seconds, seconds, proc, _, _ = self.sandbox.deps_then_final(project, plan, f"nix-rebuild-{n}", edit)
            deps_times.append(deps_seconds)
            times.append(seconds)
            recompiled |= set(re.findall(r"^\s*Compiling (\S+) v", proc.stdout + proc.stderr, re.M))
        deps, t = Timing(deps_times), Timing(times)
        only_workspace = recompiled <= {"wheelwright-example-pyo3"}
        self.row("source edit, deps derivation", f"{deps}", f"cold {cold}", f"{ratio(deps, cold)}")
        self.row("source edit, final derivation", f"{t}", f"cold {cold}",
                 f"{ratio(t, cold)}; recompiled: {', '.join(sorted(recompiled)) or 'nothing'}"
                 f" ({'only the workspace crate' if only_workspace else 'DEPENDENCIES TOO'}; goal: a few s)")
        if real_nix.missing_inputs():
            print("source edit rebuilt by Nix: skipped, no real-nix input trees", flush=True)
            return
        for sandbox in (True, False):
            nix_times, built, compiled = self.nix_edits(project, sandbox)
            self.row(f"source edit, rebuilt by Nix ({'sandboxed' if sandbox else 'sandbox = false'})",
                     f"{nix_times}", f"final derivation {t}",
                     f"{ratio(nix_times, t)}; Nix built {built}; cargo compiled {', '.join(compiled)}")

    def nix_edits(self, project, sandbox, name="wheel-x86_64"):
        """The example as a flake (the default template's flake.nix), built
        once by Nix, then rebuilt after each of RUNS edits, with Nix's sandbox
        on or off: (Timing, the derivations Nix built per edit, what cargo
        compiled)."""
        work = self.sandbox.work.parent / "wheelwright-bench-nix"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        nix = nix_build.open_nix(work)
        flake = work / "example"
        shutil.copytree(project.dir, flake, ignore=shutil.ignore_patterns("target", "result"))
        shutil.copy(REPO / "templates" / "default" / "flake.nix", flake)
        drv = nix.drv_paths("path:/work/example", "packages.x86_64-linux", [name])[name]
        nix_build.add_fixed_outputs(nix, [drv])
        options = nix_build.nix_options(sandbox)
        nix.build_afresh("path:/work/example", name, options)
        times, built, compiled = [], set(), set()
        for _ in range(RUNS):
            drvs, _, crates, seconds = nix_build.edit_and_rebuild(nix, flake, name, options)
            times.append(seconds)
            built.add(len(drvs))
            compiled |= set(crates)
        return Timing(times), " or ".join(f"{b} derivation(s)" for b in sorted(built)), sorted(compiled)

    def cross(self, example="cdylib"):
        timings = {t: Timing([self.timed_builder(example, t)[0] for _ in range(RUNS)]) for t in ALL_TARGETS}
        native = timings[NATIVE]
        for target, timing in timings.items():
            if target != NATIVE:
                self.row("cross/native", f"{target} {timing}", f"x86_64 {native}", f"{ratio(timing, native)} (goal <= 1.2x)")

    def sizes(self):
        # The wheel against `maturin build --release` with default settings.
        _, _, build = self.timed_builder("pyo3-abi3", NATIVE)
        ours = next((build / "out").glob("*.whl")).stat().st_size
        plain = self.fresh("maturin-default")
        variables = self.sandbox.build_env(self.projects["pyo3-abi3"], plain, self.plans[f"pyo3-abi3/{NATIVE}"])
        variables.update(XDG_CACHE_HOME=plain / "tmp")
        self.sandbox.run_as_nix(["maturin", "build", "--release", "--offline", "--out", plain / "tmp" / "dist"],
                                cwd=self.sandbox.source(self.projects["pyo3-abi3"], 1), variables=variables)
        default = next((plain / "tmp" / "dist").glob("*.whl")).stat().st_size
        self.row("size, wheel", f"builder {ours / 1024:.0f} KiB", f"maturin default {default / 1024:.0f} KiB",
                 f"{ours / default:.2f}x")
        # The library against the same crate built by plain cargo without
        # strip and LTO (the builder would refuse it: its debug information
        # names build paths).
        _, _, build = self.timed_builder("cdylib", NATIVE)
        ours = (build / "out" / "lib" / "libwwcalc.so").stat().st_size
        _, build = self.timed_cargo("cdylib", NATIVE, extra={"CARGO_PROFILE_RELEASE_LTO": "false",
                                                             "CARGO_PROFILE_RELEASE_STRIP": "false"})
        loose = (build / "tmp" / "target" / NATIVE / "release" / "libwwcalc.so").stat().st_size
        self.row("size, cdylib", f"builder {ours / 1024:.0f} KiB", f"no strip, no LTO {loose / 1024:.0f} KiB",
                 f"{ours / loose:.2f}x")


SECTIONS = ["overhead", "rebuild", "cross", "sizes", "verifier"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--section", action="append", choices=SECTIONS, help="measure only these (default: all)")
    sections = parser.parse_args().section or SECTIONS
    started = time.monotonic()
    bench = Bench()
    print(f"runs per figure: {RUNS}; examples: {', '.join(p.name for p in EXAMPLES)}", flush=True)
    if "overhead" in sections or "rebuild" in sections:
        cold = bench.overhead()
        if "rebuild" in sections:
            bench.nix_rebuild(cold)
    if "cross" in sections:
        bench.cross()
    if "sizes" in sections:
        bench.sizes()
    if "verifier" in sections:
        print(subprocess.run(["bash", REPO / "bench" / "verifier" / "run.sh"], capture_output=True, text=True).stdout,
              flush=True)
    print("\n| measure | ours | reference | ratio |\n|---|---|---|---|")
    for cells in bench.rows:
        print("| " + " | ".join(str(c) for c in cells) + " |")
    print(f"\ntotal {time.monotonic() - started:.0f}s")


if __name__ == "__main__":
    main()
