"""The nix-build stage: the flake's derivations built by real Nix.

Nix 2.26 in the trixie root (realnix.Chroot), with its sandbox on, builds what
a user runs first: every wheel and C library of the flake for x86_64-linux, two
musl targets of each (through the real-nix probe flake), sdist, dist, publish
(run with --dry-run against a local index), the verifier, the templates as
`nix flake init -t` leaves them, and `nix flake check`. Only what needs the
network is stood in:

  nixpkgs        the same tree, with its native stdenv and the root's binaries
                 for the leaf packages (real-nix/standin-nixpkgs)
  rust-overlay   the proving ground's Rust, std for every target
                 (real-nix/standin-rust-overlay)
  fixed outputs  crate tarballs and the pinned tools' files, downloaded here
                 from the URL each derivation names and added to the store, so
                 that Nix never runs the fetcher; Nix still checks every hash

Every artifact must be bit-identical to the one the builder stage built with
the same toolchain, and a one-line source edit must rebuild only the final
derivation, in which cargo compiles only the crate, with Nix's sandbox on and
with it off.
"""

import hashlib
import json
import os
import re
import shutil
import time
import tomllib
import urllib.request
from pathlib import Path

from publish import IndexServer
from realnix import INPUTS, TEMPLATE_OUTPUTS, TOOL_PINS, Chroot, RealNix, copy_probe
from sandbox import EXAMPLES, HERE, REPO, TARGETS, Failure, Project, digest, env, files_of, run

SYSTEM = "x86_64-linux"
FLAKE = "git+file:///src"
# The musl targets built through the probe flake (the flake's own outputs have none).
MUSL_OUTPUTS = ["wheel-x86_64-musl", "cdylib-x86_64-musl", "wheel-aarch64-musl", "cdylib-aarch64-musl"]
# flake input -> the stand-in that replaces it (a directory under real-nix/)
STAND_INS = {"nixpkgs": "standin-nixpkgs", "rust-overlay": "standin-rust-overlay"}
# Nix's internal-json log: the activity of one derivation's build.
ACTIVITY_BUILD = 105


class NixBuild:
    """Builds in the trixie root with the stand-ins in place of nixpkgs and
    rust-overlay, and every other input the locked tree."""

    def __init__(self, chroot, store):
        self.chroot = chroot
        self.store = store

    def overrides(self, prefix=""):
        args = []
        for flake_input, path in self.store.items():
            source = f"path:/work/{STAND_INS[flake_input]}" if flake_input in STAND_INS else f"path:{path}"
            args += ["--override-input", prefix + flake_input, source]
        return args

    def flake_args(self, flake):
        """The arguments that point `flake`'s inputs (the checkout's, or a
        project's `wheelwright` input's) at the trees and stand-ins."""
        if flake == FLAKE:
            return ["--no-write-lock-file", *self.overrides()]
        return ["--no-write-lock-file", "--override-input", "wheelwright", FLAKE, *self.overrides("wheelwright/")]

    def drv_paths(self, flake, attribute, names=None):
        """name -> .drv path of the derivations in `flake#attribute`, or of
        `names` among them (the others need not evaluate with the stand-ins)."""
        pick = "builtins.mapAttrs (_: d: d.drvPath)" if names is None else \
            f"s: builtins.listToAttrs (map (n: {{ name = n; value = s.${{n}}.drvPath; }}) [ {' '.join(map(json.dumps, names))} ])"
        return json.loads(self.chroot.nix("eval", "--json", *self.flake_args(flake), f"{flake}#{attribute}",
                                          "--apply", pick))

    def build(self, installables, *extra):
        """`nix build` of installables; (output paths, the derivations Nix
        built, seconds). A failure quotes Nix's error, which ends with the
        failed build's log."""
        return self.logged(["build", "--no-link", "--print-out-paths", *extra, *installables])

    def flake_check(self, flake):
        """`nix flake check` of `flake` with its inputs pointed at the trees
        and stand-ins; (nothing, the derivations Nix built, seconds)."""
        return self.logged(["flake", "check", *self.flake_args(flake), flake])

    def logged(self, args):
        """A nix command with an internal-json log: (its stdout's words, the
        derivations Nix built, seconds)."""
        start = time.monotonic()
        proc = self.chroot.run(["nix", *args[:1], "--log-format", "internal-json", *args[1:]],
                               ok_codes=(0, 1), timeout=3000)
        built, errors = [], []
        for line in proc.stderr.splitlines():
            if not line.startswith("@nix "):
                continue
            event = json.loads(line[5:])
            if event.get("action") == "start" and event.get("type") == ACTIVITY_BUILD:
                built.append(event["fields"][0])
            elif event.get("action") == "msg" and event.get("level", 9) <= 1:
                errors.append(re.sub(r"\x1b\[[0-9;]*m", "", event["msg"]))
        if proc.returncode:
            raise Failure(f"nix {' '.join(args[:2])} failed:\n" + "\n".join(errors)[-4000:])
        return proc.stdout.split(), built, time.monotonic() - start

    def build_afresh(self, flake, name, options):
        """Builds `flake#name` (with `options`) on a dependency build made
        again with them: that output is deleted from the store first. The
        final output may stay (another output, such as dist, may hold it);
        an edit makes a new one."""
        deps, final = json.loads(self.chroot.nix("eval", "--json", *self.flake_args(flake),
                                                 f"{flake}#packages.{SYSTEM}.{name}",
                                                 "--apply", "d: [ d.deps.drvPath d.drvPath ]"))
        output = next(iter(json.loads(self.chroot.nix("derivation", "show", deps)).values()))["outputs"]["out"]["path"]
        self.chroot.run(["nix", "store", "delete", output], ok_codes=(0, 1))
        if self.host_path(output).exists():
            raise Failure(f"nix store delete left {output} in the store")
        self.build([f"{deps}^out", f"{final}^out"], *options)

    def log(self, drv):
        return self.chroot.nix("log", drv)

    def host_path(self, store_path):
        """Where a path of the root's store is on this machine."""
        return self.chroot.root / store_path.lstrip("/")


def missing_inputs():
    inputs = Path(env("WW_REAL_NIX_INPUTS"))
    return [t for t in INPUTS.values() if not (inputs / t).is_dir()]


def nix_build_twins():
    """(project name, target) of every example artifact this stage builds and
    compares, when it can run here."""
    if missing_inputs():
        return frozenset()
    return frozenset((EXAMPLES[kind == "cdylib"].name, output_arch(f"{kind}-{arch}"))
                     for kind in ("wheel", "cdylib") for arch in
                     [v["outputArch"] for v in TARGETS.values() if v["libc"] == "glibc"] +
                     [n.split("-", 1)[1] for n in MUSL_OUTPUTS if n.startswith(kind)])


def open_nix(work):
    """A NixBuild whose /work is `work`: the input trees in the store, the
    stand-ins written there."""
    chroot = Chroot(env("WW_REAL_NIX_ROOT"), Path(env("WW_REAL_NIX_INPUTS")), work)
    real = RealNix(chroot)
    real.add_inputs()
    write_stand_ins(work, real.store["nixpkgs"], chroot)
    return NixBuild(chroot, real.store)


def write_stand_ins(work, nixpkgs_tree, chroot):
    """The stand-in flakes, with the nixpkgs tree's store path and the Rust
    root and cargo tools of the proving ground written in."""
    version = env("WW_RUST_DEB_VERSION").split("+")[0]
    for directory in STAND_INS.values():
        dest = work / directory
        shutil.copytree(HERE / "real-nix" / directory, dest)
        for f in dest.iterdir():
            f.write_text(f.read_text().replace("@NIXPKGS_TREE@", nixpkgs_tree)
                         .replace("@RUST_ROOT@", str(chroot.rust_root)).replace("@RUST_VERSION@", version)
                         .replace("@CARGO_TOOLS@", str(chroot.cargo_tools)))


def add_fixed_outputs(nix, drvs):
    """Every fixed-output derivation in the closure of `drvs` whose output is
    not in the store yet: downloaded here from its URL (cached under
    $WW_CI_ROOT/downloads/nix-fixed), checked against its hash and added to
    the store under its name, which gives the very output path."""
    shown = {}
    for i in range(0, len(drvs), 100):
        shown.update(json.loads(nix.chroot.nix("derivation", "show", "-r", *drvs[i:i + 100])))
    fixed = {}
    for drv in shown.values():
        out = drv["outputs"].get("out", {})
        if "hash" in out:
            fixed[out["path"]] = (drv, out)
    missing = nix.chroot.run(["nix-store", "--check-validity", "--print-invalid", *fixed], timeout=300).stdout.split()
    cache = Path(env("WW_CI_ROOT")) / "downloads" / "nix-fixed"
    cache.mkdir(parents=True, exist_ok=True)
    staging = nix.chroot.work / "fixed"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    for path in missing:
        drv, out = fixed[path]
        if out.get("method") != "flat" or out.get("hashAlgo") != "sha256":
            raise Failure(f"{path}: a fixed output of method {out.get('method')} and {out.get('hashAlgo')}; "
                          "only flat sha256 files can be downloaded here")
        variables = json.loads(drv["env"]["__json"]) if "__json" in drv["env"] else drv["env"]
        urls = variables.get("urls") or variables.get("url", "").split()
        cached = cache / Path(path).name
        if not cached.exists():
            download(urls, cached, out["hash"])
        name = Path(path).name.split("-", 1)[1]
        shutil.copy(cached, staging / name)
    added = []
    if missing:
        added = nix.chroot.run(["nix-store", "--add-fixed", "sha256",
                                *(f"/work/fixed/{Path(p).name.split('-', 1)[1]}" for p in missing)],
                               timeout=600).stdout.split()
    if sorted(added) != sorted(missing):
        raise Failure(f"adding the fixed outputs gave {sorted(set(added) - set(missing))[:5]}, "
                      f"not {sorted(set(missing) - set(added))[:5]}")
    return len(shown), len(fixed), len(missing)


def download(urls, dest, sha256):
    last = "no https URL"
    for url in urls:
        if not url.startswith("https://"):
            continue
        try:
            with urllib.request.urlopen(url, timeout=120) as response:
                data = response.read()
        except OSError as err:
            last = f"{url}: {err}"
            continue
        if hashlib.sha256(data).hexdigest() != sha256:
            raise Failure(f"{url} does not have the sha256 {sha256} that its derivation pins")
        tmp = dest.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.rename(dest)
        return
    raise Failure(f"cannot download {dest.name} from {urls}: {last}")


def output_arch(name):
    """wheel-aarch64-musl -> the triple of its target"""
    arch = name.split("-", 1)[1]
    return next(t for t, v in TARGETS.items() if v["outputArch"] == arch)


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


def compiled_crates(log):
    """The crates cargo compiled in a build log (`Compiling name vX`, in colour)."""
    return sorted(set(re.findall(r"Compiling (\S+) v", re.sub(r"\x1b\[[0-9;]*m", "", log))))


def stage_nix_build(results, builder):
    """`builder` is what the builder stage built in this run (suite.Built):
    every artifact and sdist Nix's must equal, and the sandbox whose tools
    hold the suite's verifier."""
    inputs = Path(env("WW_REAL_NIX_INPUTS"))
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
        drvs.update(nix.drv_paths("path:/work/probe", f"packages.{SYSTEM}", MUSL_OUTPUTS))
        shown, fixed, added = add_fixed_outputs(nix, list(drvs.values()))
        return (f"{len(drvs)} outputs, {shown} derivations, {fixed} of them fixed outputs: {added} downloaded "
                f"and added to the store, the rest there already")
    if not results.check("nix-build: stand-ins in place, fixed outputs in the store", prepare):
        return

    def build_packages():
        paths, built, seconds = nix.build([f"{d}^out" for d in drvs.values()])
        outputs.update(zip(drvs, paths))
        return f"{len(drvs)} outputs, {len(built)} derivations built in {seconds:.0f}s, sandboxed"
    if not results.check(f"nix-build: every package of {SYSTEM} and {len(MUSL_OUTPUTS)} musl outputs", build_packages):
        return

    projects = {"wheel": EXAMPLES[0], "cdylib": EXAMPLES[1]}
    for name in sorted(n for n in outputs if n.startswith(("wheel-", "cdylib-"))):
        project, target = projects[name.split("-", 1)[0]], output_arch(name)
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
        expected = sorted(p.name for name in outputs if name.startswith("wheel-") and name not in MUSL_OUTPUTS
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
                plan_env = template_plan(template, project_kind, output_arch(name))
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


def nix_options(sandbox):
    return [] if sandbox else ["--option", "sandbox", "false"]


def edit_and_rebuild(nix, project, name, options=()):
    """Appends a function to `project`'s src/lib.rs (a flake under /work) and
    builds `name` with Nix (and `options`): (the derivations Nix built, the
    final one, the crates its cargo compiled, seconds). The function is named
    after the time, so that no earlier edit's store path holds that build."""
    lib_rs = project / "src" / "lib.rs"
    lib_rs.write_text(lib_rs.read_text() + f"\npub fn nix_build_edit_{time.time_ns()}() {{}}\n")
    final = nix.drv_paths(f"path:/work/{project.name}", f"packages.{SYSTEM}", [name])[name]
    _, built, seconds = nix.build([f"{final}^out"], *options)
    return built, final, compiled_crates(nix.log(final)), seconds
