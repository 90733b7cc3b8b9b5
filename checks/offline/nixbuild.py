"""The nix-build stage: the flake's derivations built by real Nix.

Nix 2.26 in the trixie root (harness.real_nix), with its sandbox on, builds
what a user runs first: every wheel and C library of the flake for
x86_64-linux, two musl targets of each and a cffi module (through the real-nix
probe flake), sdist, dist, publish (run with --dry-run against a local index),
the verifier, the templates as `nix flake init -t` leaves them, and `nix flake
check`, with only what needs the network stood in (harness.nix_build says
how).

Every artifact must be bit-identical to the one the builder stage built with
the same toolchain, and a one-line source edit must rebuild only the final
derivation, in which cargo compiles only the crate, with Nix's sandbox on and
with it off.
"""

import json
import os
import re
import shutil
import tomllib
from pathlib import Path

from publish import IndexServer
from harness.ci_env import CI
from harness.nix_build import FLAKE, SYSTEM, add_fixed_outputs, edit_and_rebuild, nix_options, open_nix
from harness.process import REPO, Failure, run
from harness.real_nix import missing_inputs
from harness.sandbox import EXAMPLES, Project, digest, files_of
from harness.targets import TARGETS
from realnix import PROBE, PROBE_PROJECTS, TEMPLATE_OUTPUTS, TOOL_PINS, copy_probe


# What is built through the probe flake: musl targets (the flake's own outputs
# have none), a cffi module, a uniffi module, a program that links the
# openssl target library, one that links the sqlite one, the same program
# linking all five of zlib, zstd, bzip2, libffi and sqlite as target
# libraries, a program whose build script imports its locked build
# requirements, a module whose C is compiled against the python target
# library's CPython headers, and a module that links two shared objects the
# wheel bundles, its build script's and the unixodbc target library.
MUSL_OUTPUTS = ["wheel-x86_64-musl", "cdylib-x86_64-musl", "wheel-aarch64-musl", "cdylib-aarch64-musl"]
PROBE_OUTPUTS = MUSL_OUTPUTS + ["wheel-x86_64-cffi", "wheel-x86_64-uniffi", "wheel-x86_64-openssl",
                                "wheel-x86_64-clibs", "wheel-x86_64-clibs-system", "wheel-x86_64-buildreq",
                                "wheel-x86_64-pyheaders", "wheel-x86_64-sharedlib"]


def source_of(name):
    """The builder stage's Project and target of an artifact output:
    wheel-aarch64-musl -> (the wheel example, aarch64-unknown-linux-musl); a
    probe build of configs.json -> its project and target."""
    if name in PROBE["packages"]:
        config = PROBE["packages"][name]
        return Project(config["project"], PROBE_PROJECTS[config["project"]], config["kind"]), config["target"]
    kind, arch = name.split("-", 1)
    return EXAMPLES[kind == "cdylib"], next(t for t, v in TARGETS.items() if v["outputArch"] == arch)


def nix_build_twins():
    """(project name, target) of every artifact this stage builds and
    compares (where it can run: nix_build_runs)."""
    names = [f"{kind}-{v['outputArch']}" for kind in ("wheel", "cdylib") for v in TARGETS.values()
             if v["libc"] == "glibc"] + PROBE_OUTPUTS
    return frozenset((project.name, target) for project, target in map(source_of, names))


def verify(tools, name, out, plan_env):
    """The suite's verifier on one Nix-built artifact; the artifact."""
    if name.startswith("wheel-"):
        wheels = sorted(out.glob("*.whl"))
        if len(wheels) != 1:
            raise Failure(f"{name}: expected one wheel in {out}, found {[w.name for w in wheels]}")
        verdict = json.loads(run([tools / "wheelwright", "check", "--json", "--expect-policy",
                                  plan_env["WW_PLATFORM_TAG"], wheels[0]]).stdout)
        if not all(w.get("ok") for w in verdict):
            raise Failure(f"{name}: the verifier says {verdict}")
        return wheels[0]
    library = out / "lib" / f"lib{plan_env['WW_LIB_NAME']}.so"
    run([tools / "wheelwright", "check-lib", "--platform", plan_env["WW_PLATFORM_TAG"], library])
    return out


def compare(name, nix_artifact, builder_artifact, tools):
    if digest(nix_artifact) == digest(builder_artifact):
        return
    if nix_artifact.suffix == ".whl":
        why = run([tools / "wheelwright", "diff", nix_artifact, builder_artifact], ok_codes=(0, 1)).stdout
    else:
        ours, theirs = dict(files_of(nix_artifact)), dict(files_of(builder_artifact))
        why = "; ".join(f"{member} differs" for member in sorted(ours.keys() | theirs.keys())
                        if ours.get(member) != theirs.get(member))
    raise Failure(f"{name}: Nix's build differs from the builder stage's:\n{why}")


def nix_build_runs():
    return not missing_inputs()


def stage_nix_build(results, builder):
    """`builder` is what the builder stage built in this run (suite.Built):
    every artifact and sdist Nix's must equal, and the sandbox whose tools
    hold the suite's verifier."""
    inputs = CI().real_nix_inputs
    missing = missing_inputs()
    if missing:
        results.skip("nix-build: the flake's derivations built by Nix",
                     f"no input trees {', '.join(missing)} in {inputs} (see checks/offline/real-nix/README.md)")
        return
    if builder is None:
        results.skip("nix-build: the flake's derivations built by Nix",
                     "it compares every artifact with the builder stage's, which did not run: "
                     "pass --stage builder --stage nix-build")
        return
    work = Path(os.environ.get("WW_SUITE_WORK", "/tmp/wheelwright-suite")) / "nix-build"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    nix = None
    tools = builder.sandbox.tools / "bin"
    outputs = {}   # installable label -> output path
    drvs = {}      # installable label -> .drv path

    def prepare():
        nonlocal nix
        nix = open_nix(work)
        copy_probe(work / "probe")
        packages = nix.drv_paths(FLAKE, f"packages.{SYSTEM}")
        drvs.update({name: d for name, d in packages.items() if name != "default"})
        drvs.update(nix.drv_paths("path:/work/probe", f"packages.{SYSTEM}", PROBE_OUTPUTS))
        shown, fixed, added = add_fixed_outputs(nix, list(drvs.values()))
        return (f"{len(drvs)} outputs, {shown} derivations, {fixed} of them fixed outputs: {added} downloaded "
                f"and added to the store, the rest there already")
    if not results.check("nix-build: stand-ins in place, fixed outputs in the store", prepare):
        return

    def build_packages():
        paths, built, seconds = nix.build([f"{d}^out" for d in drvs.values()])
        outputs.update(zip(drvs, paths))
        return f"{len(drvs)} outputs, {len(built)} derivations built in {seconds:.0f}s, sandboxed"
    if not results.check(f"nix-build: every package of {SYSTEM}, {len(MUSL_OUTPUTS)} musl outputs, a cffi and a uniffi module, "
                         "programs linking the openssl, the sqlite and all five C target libraries, one "
                         "importing locked build requirements, a module compiled against the python one, and one bundling "
                         "the unixodbc one",
                         build_packages):
        return

    for name in sorted(n for n in outputs if n.startswith(("wheel-", "cdylib-"))):
        project, target = source_of(name)
        label = f"nix-build: {name} ({project.name}) verified, bit-identical to the builder stage's"
        reference = builder.artifacts.get((project.name, target))
        if reference is None:
            results.skip(label, f"the builder stage did not build {target} in this run (--target)")
            continue

        def artifact(name=name, project=project, target=target, reference=reference):
            built = verify(tools, name, nix.host_path(outputs[name]), project.plan(target)["env"])
            compare(name, built, reference, tools)
            return built.name if built.suffix == ".whl" else \
                " ".join(sorted(str(f.relative_to(built)) for f in built.rglob("*") if f.is_file()))
        results.check(label, artifact)

    def sdist():
        sdists = sorted((nix.host_path(outputs["sdist"])).glob("*.tar.gz"))
        if len(sdists) != 1:
            raise Failure(f"expected one sdist in {outputs['sdist']}, found {[s.name for s in sdists]}")
        run([tools / "wheelwright", "check-sdist", sdists[0]])
        reference = builder.sdists.get(EXAMPLES[0].name)
        if reference is None:
            raise Failure("the builder stage built no sdist of the example in this run")
        if digest(sdists[0]) != digest(reference):
            raise Failure(f"{sdists[0].name}: Nix's sdist differs from the builder stage's {reference}")
        return f"{sdists[0].name}, verified, bit-identical to the builder stage's"
    results.check("nix-build: sdist", sdist)

    def dist():
        # every wheel the flake builds and the sdist, as links to their builds
        held = sorted(p.name for p in (nix.host_path(outputs["dist"])).iterdir())
        expected = sorted(p.name for name in outputs if name.startswith("wheel-") and name not in PROBE_OUTPUTS
                          for p in (nix.host_path(outputs[name])).iterdir()) + \
            [p.name for p in (nix.host_path(outputs["sdist"])).iterdir()]
        if held != sorted(expected):
            raise Failure(f"dist holds {held}, expected {sorted(expected)}")
        return f"{len(held)} files: every wheel and the sdist"
    results.check("nix-build: dist", dist)

    def publish():
        # `nix run .#publish -- --dry-run` against an empty local index: every
        # file checked as PyPI would, nothing uploaded
        with IndexServer(work / "index" / "packages") as server:
            proc = nix.chroot.run(["nix", "run", *nix.flake_args(FLAKE), f"{FLAKE}#publish", "--", "--dry-run",
                               "--repository-url", server.upload_url, "--index-url", server.simple_url])
            held = server.held()
        files = len(list((nix.host_path(outputs["dist"])).iterdir()))
        wanted = f"{files} to upload, 0 on the index already (dry run)"
        if wanted not in proc.stdout or held:
            raise Failure(f"expected `{wanted}` and an untouched index, got {proc.stdout!r}, index {held}")
        return proc.stdout.strip().splitlines()[-1]
    results.check("nix-build: nix run .#publish -- --dry-run", publish)

    def templates():
        built = []
        for template, names in TEMPLATE_OUTPUTS.items():
            project = f"/work/init-{template}"
            (work / f"init-{template}").mkdir()
            nix.chroot.run(["sh", "-c", f"cd {project} && nix flake init -t {FLAKE}#{template}"])
            paths, _, seconds = nix.build([f"path:{project}#{name}" for name in names], *nix.flake_args(project))
            for name, path in zip(names, paths):
                project_kind = "wheel" if name.startswith("wheel-") else "cdylib"
                plan_env = template_plan(template, project_kind, source_of(name)[1])
                artifact = verify(tools, name, nix.host_path(path), plan_env)
                built.append(artifact.name if artifact.suffix == ".whl" else f"{name}/lib/lib{plan_env['WW_LIB_NAME']}.so")
        return f"{', '.join(built)}: built as nix flake init -t leaves them, verified"
    templates_ok = results.check(f"nix-build: the templates ({', '.join(TEMPLATE_OUTPUTS)}), as nix flake init -t leaves them", templates)

    def maturin_range():
        # [build-system] requires that the pinned maturin is outside of: said
        # at evaluation, as pip would have installed another maturin
        project = work / "init-pinned"
        shutil.copytree(work / "init-default", project)
        pyproject = project / "pyproject.toml"
        pyproject.write_text(re.sub(r"requires = \[.*\]", 'requires = ["maturin>=1.14,<1.15"]', pyproject.read_text(), count=1))
        flake = f"path:/work/{project.name}"
        proc = nix.chroot.run(["nix", "eval", *nix.flake_args(flake), f"{flake}#packages.{SYSTEM}.wheel-x86_64.drvPath"])
        expected = ("evaluation warning: wheelwright: pyproject.toml asks for maturin>=1.14,<1.15 ([build-system] requires), "
                    f"but the build runs maturin {TOOL_PINS['maturin']['version']}; pass tools.maturin")
        if expected not in proc.stderr:
            raise Failure(f"no warning {expected!r}:\n{proc.stderr[-1500:]}")
        return expected.split(": ", 1)[1]
    if templates_ok:
        results.check("nix-build: a maturin range the pinned maturin is outside: a warning at evaluation", maturin_range)

    def flake_check():
        # `nix flake check` as a user runs it: every output evaluated (the
        # formatter is the proving ground's alejandra, a stand-in), every check
        # of this system built and passing. Its fixed outputs first.
        checks = nix.drv_paths(FLAKE, f"checks.{SYSTEM}")
        add_fixed_outputs(nix, list(checks.values()))
        _, built, seconds = nix.flake_check(FLAKE)
        return f"{len(checks)} checks built and passing, {len(built)} derivations built in {seconds:.0f}s"
    results.check(f"nix-build: every check of {SYSTEM} (nix flake check)", flake_check)

    if templates_ok:
        results.check("nix-build: an edit rebuilds only the final derivation, cargo only the crate (sandboxed)",
                      lambda: rebuild_after_edit(nix, work / "init-default", "wheel-aarch64"))
        results.check("nix-build: an edit rebuilds only the final derivation, cargo only the crate (sandbox = false)",
                      lambda: rebuild_after_edit(nix, work / "init-default", "wheel-x86_64", sandbox=False))


def template_plan(template, kind, target):
    return Project(f"template-{template}", REPO / "templates" / template, kind).plan(target)["env"]


def rebuild_after_edit(nix, project, name, sandbox=True):
    """A one-line edit of the project's src/lib.rs, then `nix build`: Nix
    builds the final derivation and nothing else, and its cargo compiles only
    the crate. The dependency build is first made again with the same
    setting, as a user has it: one built with the sandbox on holds other
    build paths than one built with it off, and the store may hold either."""
    options = nix_options(sandbox)
    nix.build_afresh(f"path:/work/{project.name}", name, options)
    built, final, compiled, seconds = edit_and_rebuild(nix, project, name, options=options)
    if built != [final]:
        raise Failure(f"Nix built {[b.split('-', 1)[1] for b in built]}, expected only {final.split('-', 1)[1]}")
    crate = tomllib.loads((project / "Cargo.toml").read_text())["package"]["name"]
    if compiled != [crate]:
        raise Failure(f"cargo compiled {compiled} in the final build, expected only {crate}")
    return f"{name}: Nix built 1 derivation, in which cargo compiled {crate} alone; {seconds:.1f}s"
