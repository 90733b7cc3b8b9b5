"""The builder stage: nix/builder/builder.sh run as a Nix build runs it (user
nobody, env -i, HOME=/homeless-shelter, no network, read-only source,
vendored dependencies and tools) for every target and both examples, plus
the layouts of real projects; every artifact verified as the builder verifies
it, installed and called (qemu-user for foreign ones), rebuilt elsewhere to
prove it bit-identical; the sdist, publishing, the two-derivation build, and
then the known failures, bad input and faults."""

import dataclasses
import json
import os
import re
import shutil
import tarfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import bad_input
import faults
import interpreters
from known_failures import stage_cffi_without_cffi, stage_known_failures
from publish import prove_attestations, prove_publish
from harness import cffi_backend
from harness.ci_env import CI
from harness.process import REPO, Failure, run
from harness.sandbox import EXAMPLES, Project, Sandbox, digest, emulator, python_of
from harness.targets import NATIVE, RUST_ARCH, TARGETS

HERE = Path(__file__).resolve().parent

AARCH64 = "aarch64-unknown-linux-gnu"


@dataclasses.dataclass(frozen=True)
class Fixture:
    """A project that proves a layout or a kind of project, built for
    `targets` (where the suite's --target allows). The examples prove every
    target's build; a fixture's builds are compared on the native target (by
    Nix, twice, or from its sdist), and its sdist is proven where `sdist`."""
    project: Project
    targets: tuple
    sdist: bool
    # Its build scripts link C with zig cc (autotools' configure tests, as
    # libffi-sys runs them, or a shared object), which zig links with other
    # flags than the module: a start file (crt1.o), and variants of
    # libc_nonshared's and compiler-rt's objects, which the zig cache holds
    # only as they are built for the module.
    links_c_with_zig: bool = False
    # -sys crates that must link a target library, not a build of their own:
    # each build script's output puts one on the link path
    links_target_libraries: tuple = ()


def fixture(name, targets, sdist, options=(), links_c_with_zig=False, directory=None, links_target_libraries=()):
    """A fixture of checks/offline/fixtures/`directory` (default `name`),
    built with `options` ((name, Nix expression) pairs)."""
    return Fixture(Project(name, HERE / "fixtures" / (directory or name), "wheel", options), targets, sdist,
                   links_c_with_zig, links_target_libraries)


def prove_target_library_links(build, target, crates):
    """The link paths each of `crates`' build scripts gave (cargo's
    build/<crate>-*/output in `build`): one must be a target library's."""
    libraries = (CI().ci_root / "target-libraries").resolve()
    outputs = build / "tmp" / "target" / target / "release" / "build"
    for crate in crates:
        said = [line.split("=", 1)[1].removeprefix("native=")
                for output in outputs.glob(f"{crate}-*/output") for line in output.read_text().splitlines()
                if line.startswith("cargo:rustc-link-search=")]
        if not any(Path(path).resolve().is_relative_to(libraries) for path in said):
            raise Failure(f"{crate}'s build script put no target library on the link path (it gave: "
                          f"{', '.join(said) or 'none'}); it linked a build of its own")
    return f"{', '.join(crates)} linked target libraries"


# Layouts of real projects: a root pyproject.toml naming a crate in a
# subdirectory (its own Cargo.lock, a path dependency outside it,
# python-source, readme and licence files) and a per-interpreter crate; a
# program (maturin's bin bindings); a C library with its cffi module (cffi
# bindings); a program whose build script imports its [build-system]
# requires, from its build-requirements.lock; a C library with its uniffi
# module; a program whose lock names openssl-src, which links the openssl
# target library; a program that links zlib, zstd, bzip2 and libffi as their
# -sys crates build them and the sqlite target library, and the same program
# linking all five as target libraries (libffi-sys's `system`; the others
# through pkg-config or SQLITE3_LIB_DIR); and a module whose C is compiled
# against the target's CPython headers (the python target library), as
# cryptography's is. Those five, from uniffi-lib to python-headers,
# take minutes per build and are built for the native target only, their
# second build Nix's; the corpus builds such projects for every target
# (glean-sdk, cryptography). And a module that links two shared objects,
# one its build script makes and unixODBC's (the unixodbc target library,
# linked as odbc-sys links it), which the repair step bundles (renamed with a hash,
# found through $ORIGIN) and the build strips; its Nix twin, built in
# /build, shows that the bundled names do not depend on the build directory.
FIXTURES = [fixture("pyproject-layout", (NATIVE, AARCH64), True),
            fixture("per-interpreter", (NATIVE, AARCH64), True, (("pythonVersions", '[ "3.11" ]'),)),
            fixture("bin-cli", (NATIVE, AARCH64), True),
            fixture("cffi-lib", (NATIVE, AARCH64), True),
            fixture("build-requirements", (NATIVE,), False),
            fixture("uniffi-lib", (NATIVE,), False),
            fixture("openssl-vendored", (NATIVE,), False),
            fixture("c-libraries", (NATIVE,), False, (("targetLibraries", '[ "sqlite" ]'),), links_c_with_zig=True),
            fixture("c-libraries-system", (NATIVE,), False,
                    (("features", '[ "system-libraries" ]'),
                     ("targetLibraries", '[ "bzip2" "libffi" "sqlite" "zlib" "zstd" ]')),
                    links_c_with_zig=True, directory="c-libraries",
                    links_target_libraries=("bzip2-sys", "libsqlite3-sys", "libz-sys", "zstd-sys")),
            fixture("python-headers", (NATIVE,), False, (("targetLibraries", '[ "python" ]'),)),
            fixture("shared-library", (NATIVE, AARCH64), False, (("targetLibraries", '[ "unixodbc" ]'),),
                    links_c_with_zig=True)]


@dataclasses.dataclass
class Built:
    """What the builder stage built, which the nix-build stage compares Nix's
    builds with: (project name, target) -> the wheel, or a library's output
    directory; project name -> its sdist; and the sandbox they were built in."""
    sandbox: Sandbox
    artifacts: dict = dataclasses.field(default_factory=dict)
    sdists: dict = dataclasses.field(default_factory=dict)


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
    paths = [build, src, sandbox.vendor[project.name], sandbox.work, CI().rust_bin.parent]
    return [arg for p in paths for arg in ("--build-path", str(p))]


def check_wheel(sandbox, project, plan_env, wheel, arch, paths):
    verdict = run([sandbox.tools / "bin" / "wheelwright", "check", "--json", "--expect-policy",
                   plan_env["WW_PLATFORM_TAG"], "--dist-name", plan_env["WW_DIST_NAME"], *paths, wheel],
                  ok_codes=(0, 1))
    reports = json.loads(verdict.stdout)
    if not reports or not all(w["ok"] for w in reports):
        raise Failure(f"verifier: {verdict.stdout}")
    shown = run([CI().venv_bin / "auditwheel", "show", wheel])
    m = re.search(r'consistent with the following platform tag:\s*"([^"]+)"', shown.stdout.replace("\n", " "))
    if not m or not within_policy(m.group(1), plan_env["WW_PLATFORM_TAG"]):
        raise Failure(f"auditwheel show says {m.group(1) if m else shown.stdout!r}, expected "
                      f"{plan_env['WW_PLATFORM_TAG']} or an older policy of the same architecture")
    site = sandbox.work / "site" / wheel.name
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)
    stripped = bool(plan_env.get("WW_STRIP_BUNDLED"))
    bundled = bundled_libraries(site, stripped)
    # A program in a wheel (bin bindings) is run, given the expected
    # architecture; an extension module is imported by the project's smoke test.
    programs = sorted(site.glob("*.data/scripts/*"))
    smoke = project.dir / "tests" / "smoke.py"
    if arch == "x86_64" and plan_env["WW_LIBC"] == "glibc":
        venv = sandbox.work / "venv-x86_64"
        if not venv.exists():
            run([CI().host_python, "-m", "venv", venv])
            run([venv / "bin" / "pip", "install", "--no-index", "--no-deps", "-q", cffi_backend.wheel("x86_64")])
        run([venv / "bin" / "pip", "install", "--no-index", "--no-deps", "--force-reinstall", "-q", wheel])
        # pip installs a program onto the environment's PATH
        commands = [[venv / "bin" / p.name] for p in programs] or [[venv / "bin" / "python", smoke]]
        said = [run([*command, RUST_ARCH[arch]]).stdout.strip() for command in commands]
    else:
        python, version = python_of(arch, plan_env["WW_LIBC"])
        qemu = emulator(arch, plan_env["WW_LIBC"])
        for program in programs:
            # as an installer does; qemu-user runs only executable files
            program.chmod(0o755)
        path = [site] + (cffi_backend.path(sandbox.work, arch, plan_env["WW_LIBC"], version)
                         if cffi_backend.needs_cffi(site) else [])
        said = [run([*qemu, program, RUST_ARCH[arch]]).stdout.strip() for program in programs] or \
            [run([*python, smoke, RUST_ARCH[arch]],
                 env_vars={"PYTHONPATH": ":".join(map(str, path)), "PATH": "/usr/bin:/bin"}).stdout.strip()]
    if bundled:
        said.append(f"bundled {', '.join(bundled)}" + (", stripped" if stripped else ""))
    return "; ".join(said)


def bundled_libraries(site, stripped):
    """The libraries maturin's repair bundled into the unpacked wheel at
    `site` (`<module>.libs/`), by path in the wheel; raises where `stripped`
    (the build strips) unless each has no symbol table and no debug
    information."""
    bundled = sorted(site.glob("*.libs/*"))
    for library in bundled if stripped else []:
        sections = run(["readelf", "-S", "--wide", library]).stdout
        kept = sorted(set(re.findall(r"\] (\.symtab|\.debug_\w+)", sections)))
        if kept:
            raise Failure(f"{library.relative_to(site)}, which maturin's repair bundled, keeps {', '.join(kept)}: "
                          "the build strips, so it must be stripped too (WW_STRIP_BUNDLED)")
    return [str(library.relative_to(site)) for library in bundled]


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
    # glibc programs run on the host's glibc (x86_64) or a Debian root's; musl
    # ones on Debian unstable's musl under qemu-user, also on x86_64: zig links
    # them against statx, which the host's musl 1.2.3 lacks
    zig_target = TARGETS[plan_env["WW_TARGET"]]["zigTarget"]
    if plan_env["WW_LIBC"] == "musl":
        expected = f"{RUST_ARCH[arch]}-linux-musl"
        qemu = [CI().musl[arch].qemu, "-L", CI().musl[arch].root]
    else:
        zig_target += "." + plan_env["WW_POLICY"].split("_", 1)[1].replace("_", ".")
        expected = f"{RUST_ARCH[arch]}-linux-gnu"
        qemu = emulator(arch)
    run([CI().venv_bin / "python", "-m", "ziglang", "cc", "-target", zig_target, "-dynamic",
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
        said = check_wheel(sandbox, project, plan_env, artifact, arch, paths)
        name, size = artifact.name, artifact.stat().st_size
    else:
        said = check_cdylib(sandbox, project, plan_env, out, arch, paths)
        library = out / "lib" / f"lib{plan_env['WW_LIB_NAME']}.so"
        name, size = library.name, library.stat().st_size
    return artifact, f"{name}  {size / 1024:.0f} KiB  {said}"


def stage_builder(results, targets, nix_twins=frozenset(), nix_runs=False):
    """Returns what it built (Built). Each artifact is built twice and must be
    bit-identical, except those in `nix_twins` ((project name, target)), whose
    second build is Nix's, which the nix-build stage compares, and fixtures
    on foreign targets, built once. Where the nix-build stage cannot run
    (`nix_runs` false), the examples among the twins are built twice here and
    the fixtures once, saying so: the examples prove every target's builds
    reproducible, and a fixture's second build is Nix's."""
    sandbox = Sandbox(Path(os.environ.get("WW_SUITE_WORK", "/tmp/wheelwright-suite")))
    done = Built(sandbox)
    builds = [(p, t) for p in EXAMPLES for t in targets] + \
        [(f.project, t) for f in FIXTURES for t in f.targets if t in targets]
    matrix = [(p, t) for p, t in interpreters.builds() if t in targets]
    links_c_with_zig = {f.project for f in FIXTURES if f.links_c_with_zig}
    links_target_libraries = {f.project: f.links_target_libraries for f in FIXTURES}
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
        plan = plans[(project, target)]
        plan_env = plan["env"]
        label = TARGETS[target]["outputArch"]

        def build_and_prove(project=project, plan=plan, plan_env=plan_env, label=label):
            # The same inputs twice, from different source paths, build
            # directories and TMPDIRs, the first with the target's zig cache
            # and the second without; in parallel, as two cores allow. A
            # Nix twin is built once, with the cache, as Nix builds it.
            cache = sandbox.zig_cache(plan)
            in_nix = (project.name, plan_env["WW_TARGET"]) in nix_twins
            nix_twin = in_nix and nix_runs
            left_to_nix = in_nix and not nix_runs and project not in EXAMPLES
            # A fixture proves a layout or kind of project: its builds are
            # compared on the native target (by Nix, twice, or from its
            # sdist); the examples prove every target's.
            twice = not nix_twin and not left_to_nix and (project in EXAMPLES or plan_env["WW_TARGET"] == NATIVE)
            start = time.monotonic()
            with ThreadPoolExecutor(max_workers=2) as pool:
                builds = [pool.submit(sandbox.build, project, plan, f"{project.name}-{label}-{n}", copy=n,
                                      zig_cache=n == 1) for n in (1, 2)[:1 + twice]]
                out, _, build, src = builds[0].result()
                again = builds[1].result()[0] if twice else None
            seconds = time.monotonic() - start
            # the builder's ZIG_GLOBAL_CACHE_DIR
            cached = zig_objects(cache / "cache")
            rebuilt = zig_objects(build / "tmp" / "wheelwright" / "zig-global-cache") - cached
            variants = set()
            if project in links_c_with_zig:
                held = {o.split("/")[1] for o in cached} | {"crt1.o"}
                variants = {o for o in rebuilt if o.split("/")[1] in held}
                rebuilt -= variants
            if rebuilt:
                raise Failure(f"zig built {', '.join(sorted(rebuilt))} again, which its zig cache {cache} should have held")
            artifact, summary = prove_artifact(sandbox, project, plan_env, out, build, src)
            if links_target_libraries.get(project):
                summary += "  " + prove_target_library_links(build, plan_env["WW_TARGET"],
                                                             links_target_libraries[project])
            if variants:
                summary += f"  (zig built {len(variants)} variants of cached objects for the C its build scripts link)"
            done.artifacts[(project.name, plan_env["WW_TARGET"])] = artifact
            if project.kind == "wheel":
                wheels[(project.name, plan_env["WW_TARGET"])] = artifact
            if nix_twin:
                return f"{summary}  {seconds:.0f}s  its second build is Nix's (nix-build stage)"
            if left_to_nix:
                return f"{summary}  {seconds:.0f}s  built once: its second build is Nix's, and the nix-build stage cannot run here"
            if not twice:
                return f"{summary}  {seconds:.0f}s  built once (a fixture: compared on {NATIVE})"
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
                          sandbox, project, plans[(project, target)]))

    sdists = done.sdists
    sdist_projects = [p for p in EXAMPLES if p.kind == "wheel"] + [f.project for f in FIXTURES if f.sdist]
    for project in sorted({p for p, _ in builds if p in sdist_projects}, key=lambda p: p.name):
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
    results.check("builder: nix/lock-build-requirements.py writes the build-requirements fixture's lock again, "
                  "the same", lambda: prove_build_requirements_lock(sandbox.work / "build-requirements-lock"))

    layout = FIXTURES[0].project
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
        cffi = next(f.project for f in FIXTURES if f.project.name == "cffi-lib")
        stage_cffi_without_cffi(results, sandbox, cffi, plans[(cffi, NATIVE)])
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


def prove_build_requirements_lock(work):
    """The lock command, run on a copy of the fixture's pyproject.toml
    (pip's resolver, on PyPI), writes the committed lock: its requirements
    are exact, so the same wheels."""
    fixture = HERE / "fixtures" / "build-requirements"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    shutil.copy(fixture / "pyproject.toml", work)
    said = run([CI().venv_bin / "python3", REPO / "nix" / "lock-build-requirements.py", work]).stdout.strip()
    written = json.loads((work / "build-requirements.lock").read_text())
    committed = json.loads((fixture / "build-requirements.lock").read_text())
    if written != committed:
        changed = sorted(k for k in {*written["wheels"], *committed["wheels"]}
                         if written["wheels"].get(k) != committed["wheels"].get(k))
        raise Failure(f"the lock written now differs from the fixture's in {', '.join(changed) or 'requires'}")
    return said


def prove_sdist(sandbox, project, tree_wheel, sdists):
    """The project's sdist, built twice (other source paths, build directories
    and TMPDIRs) and bit-identical; then, as the strong check that it holds
    every source the build needs, the native wheel built from the unpacked
    sdist, which must be bit-identical to the one built from the tree. Records
    the sdist in `sdists`."""
    sdist_project = dataclasses.replace(project, kind="sdist", options=())
    plan = sdist_project.plan(NATIVE)
    with ThreadPoolExecutor(max_workers=2) as pool:
        outs = [pool.submit(sandbox.build, sdist_project, plan, f"{project.name}-sdist-{n}", copy=n)
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
    out = sandbox.build(from_sdist, from_sdist.plan(NATIVE), f"{from_sdist.name}", copy=1)[0]
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
