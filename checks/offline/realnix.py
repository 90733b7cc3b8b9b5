"""The real-nix stage: the flake evaluated as a user's Nix evaluates it.

Nix 2.26 (Debian trixie, in a chroot that setup.sh provisions) evaluates every
output of both build systems, both templates and the probe flake (musl
targets, a pythonVersions matrix) against the real crane, rust-overlay,
flake-utils and nix-filter at their locked revisions and a real nixpkgs tree.
Then it asserts, from `nix derivation show`, what nix/builder/builder.sh relies on.
Nothing is built here: the nix-build stage (nixbuild.py) builds with the same root.

The input trees come from $WW_REAL_NIX_INPUTS (nixpkgs/, crane/, rust-overlay/,
flake-utils/, systems/, nix-filter/); without them the stage is skipped.
"""

import json
import os
import re
import shutil
import tarfile
from pathlib import Path

from sandbox import HERE, REPO, Failure, env, nix_eval, run

SYSTEMS = ["x86_64-linux", "aarch64-linux"]
FLAKE_OUTPUTS = ["packages", "checks", "devShells", "formatter"]
# flake input -> its tree under $WW_REAL_NIX_INPUTS
INPUTS = {"nixpkgs": "nixpkgs", "crane": "crane", "rust-overlay": "rust-overlay", "flake-utils": "flake-utils",
          "flake-utils/systems": "systems", "nix-filter": "nix-filter"}
# nixpkgs itself cannot be brought here (over the size limit), so a 2026
# nixpkgs stands in for the locked one; every other tree must be the locked one.
STAND_IN = "nixpkgs"
FACTS = (HERE / "real-nix" / "facts.nix").read_text()
TOOL_PINS = json.loads((REPO / "lib" / "data" / "tools.json").read_text())["tools"]
# flake output kind -> the example the flake builds as that kind
EXAMPLES = {"wheel": REPO / "examples" / "pyo3-abi3", "cdylib": REPO / "examples" / "cdylib"}
# the probe's badConfigs, each with the message its evaluation must fail with
PROBE_BAD_CONFIGS = {
    "nativeBuildInputs": "wheelwright: nativeBuildInputs must be a list of packages, e.g. nativeBuildInputs = [ pkgs.nasm ]",
}
# the projects the probe flake builds, copied next to it
PROBE_PROJECTS = {name: REPO / path for name, path in [
    ("pyo3-abi3", "examples/pyo3-abi3"), ("cdylib", "examples/cdylib"),
    ("per-interpreter", "checks/offline/fixtures/per-interpreter"),
    ("pyproject-layout", "checks/offline/fixtures/pyproject-layout")]}


class Chroot:
    """Runs commands in the trixie root, with the input trees at /inputs, the
    checkout at /src (read-only), a scratch directory at /work and the proving
    ground's Rust root and cargo tools at their own paths (read-only, for the
    nix-build stage's stand-ins), in a mount namespace of their own, so nothing
    stays mounted. The root is entered with pivot_root, not chroot: the kernel
    refuses user namespaces, and so Nix's sandbox, to a chrooted process."""

    # Nix's sandbox: the native stdenv runs the root's gcc, bash and coreutils.
    # Entries that are symlinks in the root fail, hence /lib=/usr/lib.
    SANDBOX_PATHS = "/usr /lib64=/usr/lib64 /lib=/usr/lib /bin/bash=/usr/bin/bash /etc/alternatives"

    def __init__(self, root, inputs, work):
        self.root, self.inputs, self.work = Path(root), Path(inputs), Path(work)
        self.rust_root = Path(env("WW_RUST_BIN")).parents[1]
        self.cargo_tools = Path(env("WW_CARGO_TOOLS_BIN")).parent
        self.host_dirs = [self.rust_root, self.cargo_tools]

    def config(self):
        return "\n".join(["experimental-features = nix-command flakes", "substituters =", "flake-registry =",
                          "build-users-group =", "sandbox = true", "sandbox-fallback = false",
                          f"extra-sandbox-paths = {self.SANDBOX_PATHS} {' '.join(map(str, self.host_dirs))}",
                          f"max-jobs = {os.cpu_count()}", f"cores = {os.cpu_count()}"])

    def run(self, cmd, ok_codes=(0,), timeout=900):
        for d in ("inputs", "src", "work", ".old-root", *(str(h).lstrip("/") for h in self.host_dirs)):
            (self.root / d).mkdir(parents=True, exist_ok=True)
        mounts = ('r=$1; mount --bind "$r" "$r" && mount --bind /proc "$r/proc" && mount --rbind /dev "$r/dev"'
                  ' && mount --bind -o ro "$2" "$r/inputs" && mount --bind -o ro "$3" "$r/src"'
                  ' && mount --bind "$4" "$r/work" && shift 4'
                  ' && while [ "$1" != -- ]; do mount --bind -o ro "$1" "$r$1" || exit 1; shift; done && shift'
                  ' && cd "$r" && pivot_root . .old-root && umount -l /.old-root && cd / && exec "$@"')
        return run(["unshare", "-m", "--propagation", "private", "sh", "-c", mounts, "sh", self.root, self.inputs,
                    REPO, self.work, *self.host_dirs, "--", "env", "-i", "PATH=/usr/bin:/bin", "HOME=/root",
                    f"NIX_CONFIG={self.config()}", *cmd], ok_codes=ok_codes, timeout=timeout)

    def nix(self, *args, timeout=900):
        return self.run(["nix", *args], timeout=timeout).stdout


class RealNix:
    def __init__(self, chroot):
        self.chroot = chroot
        self.store = {}
        self.derivations = {}

    # ------------------------------------------------------------ evaluation

    def add_inputs(self):
        lock = json.loads((REPO / "flake.lock").read_text())["nodes"]
        lines = []
        for flake_input, tree in INPUTS.items():
            self.store[flake_input] = self.chroot.nix("store", "add-path", f"/inputs/{tree}", "--name", "source").strip()
            nar_hash = self.chroot.nix("hash", "path", f"/inputs/{tree}").strip()
            locked = lock[tree]["locked"]
            if flake_input == STAND_IN:
                version = (self.chroot.inputs / tree / "lib" / ".version").read_text().strip()
                lines.append(f"{tree}: a {version} tree stands in for {locked['rev'][:12]}")
            elif nar_hash != locked["narHash"]:
                raise Failure(f"{tree}: the tree's narHash {nar_hash} is not flake.lock's {locked['narHash']} "
                              f"(rev {locked['rev']}); export that revision")
            else:
                lines.append(f"{tree} {locked['rev'][:12]}")
        return "; ".join(lines)

    def overrides(self, prefix=""):
        args = []
        for flake_input, path in self.store.items():
            args += ["--override-input", prefix + flake_input, f"path:{path}"]
        return args

    def eval_facts(self, flake, output, through_wheelwright=False):
        """facts.nix applied to `flake#output`, for both systems."""
        extra = ["--override-input", "wheelwright", "git+file:///src"] if through_wheelwright else []
        prefix = "wheelwright/" if through_wheelwright else ""
        return json.loads(self.chroot.nix("eval", "--json", "--no-write-lock-file", *extra, *self.overrides(prefix),
                                          f"{flake}#{output}", "--apply", FACTS))

    def show(self, drv_paths):
        """`nix derivation show` of every path not shown yet."""
        wanted = sorted({p for p in drv_paths if p and p not in self.derivations})
        for i in range(0, len(wanted), 200):
            shown = json.loads(self.chroot.nix("derivation", "show", *wanted[i:i + 200]))
            self.derivations.update({(k if k.startswith("/nix/store/") else f"/nix/store/{k}"): v
                                     for k, v in shown.items()})
        return [self.derivations[p] for p in drv_paths]

    def inputs_named(self, drv_path, pattern):
        return [p for p in self.derivations[drv_path]["inputDrvs"] if re.fullmatch(pattern, name_of(p))]


def name_of(store_path):
    """`/nix/store/<hash>-maturin-1.16.0.drv` -> `maturin-1.16.0`"""
    return re.sub(r"\.drv$", "", store_path.split("/")[-1].split("-", 1)[1])


def copy_probe(dest):
    """The probe flake with the projects it builds beside it."""
    shutil.copytree(HERE / "real-nix" / "probe", dest)
    for project in PROBE_PROJECTS.values():
        shutil.copytree(project, dest / project.name, ignore=shutil.ignore_patterns("target", "result"))


def expected_envs(configs):
    """planBuild's env for each {dir, kind, target, ...} config, from the pure
    lib under the host's own Nix: an evaluator independent of the flake's."""
    expr = ("let ww = import ../../lib; in builtins.mapAttrs (_: c: (ww.planBuild "
            "(builtins.removeAttrs c [\"dir\"] // { src = /. + c.dir; })).env) (builtins.fromJSON ''"
            + json.dumps(configs) + "'')")
    return nix_eval(expr)


def output_configs(dirs, names):
    """The planBuild config behind each artifact output name (wheel-aarch64,
    cdylib-x86_64-musl, ...): the target from the table's output names, the
    project from `dirs` (output kind -> directory)."""
    table = nix_eval("import ../../lib/data/targets.nix")
    by_output = {f"{kind}-{t['outputArch']}": (kind, triple) for triple, t in table.items() for kind in dirs}
    return {name: {"dir": str(dirs[by_output[name][0]]), "kind": by_output[name][0], "target": by_output[name][1]}
            for name in names}


def stage_real_nix(results):
    inputs = Path(env("WW_REAL_NIX_INPUTS"))
    missing = [t for t in INPUTS.values() if not (inputs / t).is_dir()]
    if missing:
        results.skip("real-nix: the flake evaluated against real nixpkgs, crane and rust-overlay",
                     f"no input trees {', '.join(missing)} in {inputs} (export them there with the search "
                     f"tool's fetch; see checks/offline/real-nix/README.md)")
        return
    root = Path(env("WW_REAL_NIX_ROOT"))
    work = Path(os.environ.get("WW_SUITE_WORK", "/tmp/wheelwright-suite")) / "real-nix"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    nix = RealNix(Chroot(root, inputs, work))

    def version():
        out = nix.chroot.nix("--version").strip()
        m = re.search(r"(\d+)\.(\d+)", out)
        if not m or (int(m[1]), int(m[2])) < (2, 18):
            raise Failure(f"{out}: nixpkgs needs Nix 2.18 or newer")
        return out
    if not results.check("real-nix: Nix >= 2.18 in the trixie chroot", version):
        return
    if not results.check("real-nix: input trees in the store, locked revisions", nix.add_inputs):
        return

    evaluated = {}   # label -> {system -> {output -> facts}}

    def evaluate_flake():
        counts = []
        for output in FLAKE_OUTPUTS:
            evaluated[output] = nix.eval_facts("git+file:///src", output)
            counts.append(f"{output} {sum(len(v) for v in evaluated[output].values())}")
        return "both systems: " + ", ".join(counts)
    if not results.check("real-nix: every output of the flake evaluates", evaluate_flake):
        return

    def copy(name, source, edit=None):
        dest = work / name
        shutil.copytree(source, dest, ignore=shutil.ignore_patterns("target", "result"))
        if edit:
            with open(dest / edit, "a") as f:
                f.write("// an edit that must rebuild the crate but not its dependencies\n")
        return f"path:/work/{name}"

    def evaluate_templates():
        counts = []
        for template in ("default", "cdylib"):
            evaluated[f"template {template}"] = nix.eval_facts(copy(f"template-{template}", REPO / "templates" / template),
                                                               "packages", through_wheelwright=True)
            counts.append(f"{template} {sum(len(v) for v in evaluated[f'template {template}'].values())}")
        evaluated["template default, edited"] = nix.eval_facts(
            copy("template-default-edited", REPO / "templates" / "default", edit="src/lib.rs"),
            "packages", through_wheelwright=True)
        return "packages of both systems, wheelwright pointed at the checkout: " + ", ".join(counts)
    templates_ok = results.check("real-nix: both templates evaluate", evaluate_templates)

    def init_github():
        # `nix flake init -t <flake>#github` in a project: it adds the workflow the
        # project itself runs, byte for byte.
        project = work / "init-github"
        project.mkdir()
        nix.chroot.run(["sh", "-c", "cd /work/init-github && nix flake init -t git+file:///src#github"])
        added = sorted(str(p.relative_to(project)) for p in project.rglob("*") if p.is_file())
        template = REPO / "templates" / "github"
        expected = sorted(str(p.relative_to(template)) for p in template.rglob("*") if p.is_file())
        if added != expected or any((project / f).read_bytes() != (REPO / f).read_bytes() for f in added):
            raise Failure(f"nix flake init -t #github added {added}, expected the project's own {expected}")
        return f"it adds {', '.join(added)}, the project's own"
    results.check("real-nix: nix flake init -t #github adds the workflow", init_github)

    def evaluate_probe():
        copy_probe(work / "probe")
        evaluated["probe"] = nix.eval_facts("path:/work/probe", "packages", through_wheelwright=True)
        return ", ".join(sorted(evaluated["probe"]["x86_64-linux"]))
    probe_ok = results.check("real-nix: musl targets and a pythonVersions matrix evaluate", evaluate_probe)

    # The artifacts (outputs with a -deps build) and the planBuild config behind each.
    artifacts = []   # (label, system, name, facts, config)
    for system in SYSTEMS:
        pkgs = evaluated["packages"][system]
        names = [n for n, f in pkgs.items() if f["deps"]]
        for name, config in output_configs(EXAMPLES, names).items():
            artifacts.append(("flake", system, name, pkgs[name], config))
        if templates_ok:
            for template in ("default", "cdylib"):
                outs = evaluated[f"template {template}"][system]
                template_dir = REPO / "templates" / template
                built = [n for n, f in outs.items() if f["deps"]]
                for name, config in output_configs({"wheel": template_dir, "cdylib": template_dir}, built).items():
                    artifacts.append((f"template {template}", system, name, outs[name], config))
        if probe_ok:
            outs = evaluated["probe"][system]
            musl = [n for n in outs if n.endswith("-musl")]
            for name, config in output_configs(EXAMPLES, musl).items():
                artifacts.append(("probe", system, name, outs[name], config))
            artifacts.append(("probe", system, "wheel-x86_64-pythons", outs["wheel-x86_64-pythons"],
                              {"dir": str(PROBE_PROJECTS["per-interpreter"]), "kind": "wheel",
                               "target": "x86_64-unknown-linux-gnu", "pythonVersions": ["3.12", "3.13", "3.14t"]}))
            artifacts.append(("probe", system, "wheel-aarch64-layout", outs["wheel-aarch64-layout"],
                              {"dir": str(PROBE_PROJECTS["pyproject-layout"]), "kind": "wheel",
                               "target": "aarch64-unknown-linux-gnu"}))
            artifacts.append(("probe", system, "wheel-x86_64-tools", outs["wheel-x86_64-tools"],
                              {"dir": str(PROBE_PROJECTS["pyo3-abi3"]), "kind": "wheel",
                               "target": "x86_64-unknown-linux-gnu", "writableVendoredSources": True}))
    keyed = {f"{label}/{system}/{name}": (facts, config) for label, system, name, facts, config in artifacts}

    def environments():
        expected = expected_envs({k: c for k, (_, c) in keyed.items()})
        finals = nix.show([f["drvPath"] for f, _ in keyed.values()])
        deps = nix.show([f["deps"] for f, _ in keyed.values()])
        wrong = []
        for (key, (facts, _)), final, dep in zip(keyed.items(), finals, deps):
            for which, drv in (("final", final), ("deps", dep)):
                for var, value in expected[key].items():
                    if drv["env"].get(var) != value:
                        wrong.append(f"{key} ({which}): {var} is {drv['env'].get(var)!r}, planBuild says {value!r}")
        if wrong:
            raise Failure(f"{len(wrong)} wrong:\n" + "\n".join(wrong[:20]))
        variables = sum(len(v) for v in expected.values())
        return f"{len(keyed)} artifacts x 2 derivations, {variables} WW_*/cargo variables each as planBuild gives"
    results.check("real-nix: every builder environment is planBuild's", environments)

    def builder_dirs(drv):
        """The store directories of nix/builder/default.nix among a derivation's sources."""
        return [s for s in drv["inputSrcs"] if re.fullmatch(r"/nix/store/[a-z0-9]{32}-wheelwright-builder", s)]

    def dependency_builds():
        wrong = []
        for key, (facts, _) in keyed.items():
            final, dep = nix.derivations[facts["drvPath"]], nix.derivations[facts["deps"]]
            builder = builder_dirs(final)
            if len(builder) != 1 or builder[0] not in dep["inputSrcs"]:
                wrong.append(f"{key}: final and deps do not share one wheelwright-builder ({builder})")
            elif f"bash {builder[0]}/builder.sh" not in final["env"]["buildPhase"] or \
                    f"bash {builder[0]}/builder.sh" not in dep["env"]["buildPhase"]:
                wrong.append(f"{key}: a buildPhase does not run bash {builder[0]}/builder.sh")
            if dep["env"].get("CRANE_BUILD_DEPS_ONLY") != "1" or "CRANE_BUILD_DEPS_ONLY" in final["env"]:
                wrong.append(f"{key}: CRANE_BUILD_DEPS_ONLY must be 1 in the deps build only")
            # outside Nix's sandbox, the build directory is named after the derivation
            if dep["name"] != final["name"]:
                wrong.append(f"{key}: the deps build is named {dep['name']}, the final one {final['name']}")
        # The crate's (filtered) source may reach neither the deps build nor
        # the derivations it is made of.
        nix.show([p for f, _ in keyed.values() for p in nix.derivations[f["deps"]]["inputDrvs"]])
        for key, (facts, _) in keyed.items():
            source = nix.derivations[facts["drvPath"]]["env"]["src"]
            dep = nix.derivations[facts["deps"]]
            around = [dep] + [nix.derivations[p] for p in dep["inputDrvs"]]
            if any(source in d["inputSrcs"] or source in json.dumps(d["env"]) for d in around):
                wrong.append(f"{key}: the deps build depends on the crate's source {source}")
        if wrong:
            raise Failure("\n".join(wrong[:20]))
        return (f"{len(keyed)} deps builds: same builder.sh and name as the final build, CRANE_BUILD_DEPS_ONLY=1, "
                "no path to the crate's source")
    results.check("real-nix: deps builds run the builder without the crate's source", dependency_builds)

    def layout_dependency_build():
        # crane's stand-in source for the layout fixture: what extraDummyScript
        # must have put into it, checked in the script the derivation runs.
        facts, _ = keyed["probe/x86_64-linux/wheel-aarch64-layout"]
        dummy = [p for p in nix.derivations[facts["deps"]]["inputDrvs"] if name_of(p) == "source"]
        nix.show(dummy)
        script = nix.derivations[dummy[0]]["env"]["buildCommand"]
        wanted = [r"install -D -m 0644 /nix/store/[a-z0-9]{32}-Cargo\.lock \$out/rust/py/Cargo\.lock",
                  r"install -D -m 0644 /nix/store/[a-z0-9]{32}-pyproject\.toml \$out/pyproject\.toml",
                  r"\[ -e \$out/README\.md \] \|\| install -D -m 0644 /dev/null \$out/README\.md",
                  r"\[ -e \$out/LICENSE \] \|\| install -D -m 0644 /dev/null \$out/LICENSE",
                  r"\[ -e \$out/python/ww_layout/__init__\.py \] \|\| install -D -m 0644 /dev/null "
                  r"\$out/python/ww_layout/__init__\.py",
                  r"mkdir -p \$out/python/ww_layout"]
        missing = [w for w in wanted if not re.search(w, script)]
        if missing:
            raise Failure("the layout's deps source script lacks " + "; ".join(missing) + f":\n{script[-1500:]}")
        return "the lock of rust/py, the root pyproject.toml, stand-ins for readme, licence and python-source"
    if probe_ok:
        results.check("real-nix: a pyproject layout's deps build has its lock, pyproject and stand-ins",
                      layout_dependency_build)

    def interpreters():
        # ["3.12", "3.13", "3.14t"] for x86_64: on x86_64-linux each is on
        # PATH (3.13 is also the build's own python3, the same derivation); on
        # aarch64-linux, across, none of them is (the build's python3 only).
        counts = {}
        for system in SYSTEMS:
            facts, _ = keyed[f"probe/{system}/wheel-x86_64-pythons"]
            counts[system] = {minor: len(nix.inputs_named(facts["drvPath"], rf"python3-3\.{minor}\.[0-9]+"))
                              for minor in (12, 13, 14)}
        expected = {"x86_64-linux": {12: 1, 13: 1, 14: 1}, "aarch64-linux": {12: 0, 13: 1, 14: 0}}
        if counts != expected:
            raise Failure(f"interpreters among the inputs: {counts}, expected {expected}")
        return "3.12, 3.13 and 3.14t on PATH on x86_64-linux; only the build's python3 on aarch64-linux"
    if probe_ok:
        results.check("real-nix: a pythonVersions build gets its interpreters natively", interpreters)

    def source_edit():
        before, after = evaluated["template default"], evaluated["template default, edited"]
        for system in SYSTEMS:
            for name, facts in before[system].items():
                if after[system][name]["deps"] != facts["deps"]:
                    raise Failure(f"{system} {name}: editing src/lib.rs changed the deps build")
                if after[system][name]["drvPath"] == facts["drvPath"]:
                    raise Failure(f"{system} {name}: editing src/lib.rs did not change the final build")
        return "an edit of src/lib.rs changes every final build and no deps build"
    if templates_ok:
        results.check("real-nix: a source edit rebuilds the crate, not its dependencies", source_edit)

    def toolchains():
        table = nix_eval("import ../../lib/data/targets.nix")
        toolchain_of = {}
        for key, (facts, config) in keyed.items():
            found = nix.inputs_named(facts["drvPath"], r"rust-minimal-[0-9.]+")
            if len(found) != 1:
                raise Failure(f"{key}: expected one rust-minimal toolchain among its inputs, found {found}")
            toolchain_of[key] = (found[0], table[config["target"]]["rustTarget"])
        nix.show([t for t, _ in toolchain_of.values()])
        for key, (toolchain, rust_target) in toolchain_of.items():
            if not nix.inputs_named(toolchain, rf"rust-std-[0-9.]+-{re.escape(rust_target)}"):
                raise Failure(f"{key}: {name_of(toolchain)} has no rust-std for {rust_target}")
        versions = sorted({name_of(t) for t, _ in toolchain_of.values()})
        return f"{', '.join(versions)} with rust-std for each artifact's target"
    results.check("real-nix: each toolchain has std for its target", toolchains)

    def zig_caches():
        # Each wheel and library build, deps and final, starts from the zig
        # cache of its target and glibc version, which the same builder.sh
        # fills with the same toolchain and zig; projects of one target and
        # toolchain share it.
        wrong, caches = [], {}
        for key, (facts, _) in keyed.items():
            final, dep = nix.derivations[facts["drvPath"]], nix.derivations[facts["deps"]]
            zig_target = final["env"]["WW_ZIG_TARGET"]
            found = nix.inputs_named(facts["drvPath"], rf"wheelwright-zig-cache-{re.escape(zig_target)}")
            builder = builder_dirs(final)
            toolchain = nix.inputs_named(facts["drvPath"], r"rust-minimal-[0-9.]+")
            if len(found) != 1 or len(builder) != 1 or len(toolchain) != 1:
                wrong.append(f"{key}: expected one wheelwright-zig-cache-{zig_target}, builder.sh and toolchain "
                             f"among its inputs, found {found}, {builder}, {toolchain}")
                continue
            cache = nix.show(found)[0]
            if {final["env"].get("WW_ZIG_CACHE"), dep["env"].get("WW_ZIG_CACHE")} != {cache["outputs"]["out"]["path"]}:
                wrong.append(f"{key}: WW_ZIG_CACHE is not {cache['outputs']['out']['path']} in both builds")
            if (cache["env"].get("WW_KIND"), cache["env"].get("WW_ZIG_TARGET")) != ("zig-cache", zig_target) or \
                    f"bash {builder[0]}/builder.sh" not in cache["env"]["buildPhase"]:
                wrong.append(f"{key}: {name_of(found[0])} does not run its builder.sh with WW_KIND=zig-cache")
            if toolchain[0] not in cache["inputDrvs"]:
                wrong.append(f"{key}: {name_of(found[0])} links with another toolchain than {name_of(toolchain[0])}")
            if cache["env"].get("CARGO_ZIGBUILD_ZIG_PATH") != final["env"]["CARGO_ZIGBUILD_ZIG_PATH"]:
                wrong.append(f"{key}: {name_of(found[0])} runs another zig than the build")
            caches.setdefault((key.split("/")[1], zig_target, toolchain[0]), set()).add(found[0])
        wrong += [f"{system}: {len(drvs)} zig cache derivations for {zig_target} with {name_of(toolchain)}, not one"
                  for (system, zig_target, toolchain), drvs in caches.items() if len(drvs) != 1]
        if wrong:
            raise Failure("\n".join(wrong[:20]))
        per_system = {}
        for system, _, _ in caches:
            per_system[system] = per_system.get(system, 0) + 1
        return f"{len(keyed)} artifacts, deps and final builds, from " + \
            "; ".join(f"{n} zig caches on {system}" for system, n in sorted(per_system.items())) + \
            ", one per target, glibc version and toolchain, shared by every project"
    results.check("real-nix: every build starts from its target's zig cache", zig_caches)

    def tools():
        # input name pattern -> the tool's name in lib/data/tools.json, and the
        # artifacts that use it
        expected = {"maturin": ("maturin", lambda c, e: c["kind"] == "wheel"),
                    "zig": ("ziglang", lambda c, e: True),
                    "python3\\.[0-9]+-auditwheel": ("auditwheel", lambda c, e: c["kind"] == "wheel"),
                    "cargo-zigbuild": ("cargo-zigbuild", lambda c, e: c["kind"] == "cdylib"),
                    "cbindgen": ("cbindgen", lambda c, e: e["WW_HEADER"] == "1")}
        tool_drvs = {}
        for key, (facts, config) in keyed.items():
            drv_env = nix.derivations[facts["drvPath"]]["env"]
            for pattern, (pin, used) in expected.items():
                version = TOOL_PINS[pin]["version"]
                found = nix.inputs_named(facts["drvPath"], rf"{pattern}-[0-9][0-9.]*")
                want = [version] if used(config, drv_env) else []
                if [name_of(p).rsplit("-", 1)[1] for p in found] != want:
                    raise Failure(f"{key}: expected {pin} {want}, found {[name_of(p) for p in found]}")
                if found:
                    tool_drvs[found[0]] = (pin, key.split("/")[1])
        nix.show(list(tool_drvs))
        fetches = {}
        for drv, (pin, system) in tool_drvs.items():
            pinned = TOOL_PINS[pin].get("crate") or TOOL_PINS[pin]["wheels"].get(system) \
                or TOOL_PINS[pin]["wheels"]["any"]
            file = pinned["url"].rsplit("/", 1)[1] if "wheels" in TOOL_PINS[pin] \
                else f"{pin}-{TOOL_PINS[pin]['version']}.tar.gz"
            found = nix.inputs_named(drv, re.escape(file))
            if len(found) != 1:
                raise Failure(f"{name_of(drv)}: expected the fetch of {file} among its inputs")
            fetches[found[0]] = pinned
        nix.show(list(fetches))
        for drv, pinned in fetches.items():
            fetch = nix.derivations[drv]
            # fetchurl uses structured attributes: its environment is one JSON value.
            got = (json.loads(fetch["env"]["__json"]).get("urls"), fetch["outputs"]["out"].get("hash"))
            if got != ([pinned["url"]], pinned["sha256"]):
                raise Failure(f"{name_of(drv)} fetches {got}, lib/data/tools.json pins {pinned}")
        # The pinned addresses serve the pinned bytes (pinned_tools.py checks
        # every sha256), and the lock file cbindgen is built with is the crate's.
        for system in SYSTEMS:
            files = run(["python3", HERE / "pinned_tools.py", "fetch",
                         Path(env("WW_CI_ROOT")) / "downloads" / f"tools-{system}", "--system", system]).stdout.split()
        crate = next(f for f in files if f.endswith(".crate"))
        with tarfile.open(crate) as t:
            lock = t.extractfile(f"cbindgen-{TOOL_PINS['cbindgen']['version']}/Cargo.lock").read()
        if lock != (REPO / "lib" / "data" / "cbindgen.Cargo.lock").read_bytes():
            raise Failure("lib/data/cbindgen.Cargo.lock is not the Cargo.lock of the pinned cbindgen crate")
        return (", ".join(f"{p} {TOOL_PINS[p]['version']}" for p in ("maturin", "ziglang", "auditwheel",
                                                                      "cargo-zigbuild", "cbindgen"))
                + f"; {len(fetches)} fetches, each of lib/data/tools.json's URL and sha256, downloaded and checked")
    results.check("real-nix: the tools are the pinned files", tools)

    def disallowed_references():
        wrong = []
        for key, (facts, config) in keyed.items():
            if config["kind"] != "cdylib":
                continue
            refs = nix.derivations[facts["drvPath"]]["env"].get("disallowedReferences", "").split()
            names = sorted(re.sub(r"^[a-z0-9]{32}-", "", r.split("/")[-1]) for r in refs)
            if len(names) != 2 or not names[0].startswith("rust-minimal-") or names[1] != "vendor-cargo-deps":
                wrong.append(f"{key}: disallowedReferences {names}")
        if wrong:
            raise Failure("\n".join(wrong))
        return "every cdylib refuses references to its toolchain and vendored sources"
    results.check("real-nix: cdylibs have disallowedReferences", disallowed_references)

    def pyo3_checks():
        drvs = []
        for system in SYSTEMS:
            checks = evaluated["checks"][system]
            for name in ("pyo3-abi3-test", "pyo3-abi3-clippy"):
                drvs += [(f"{system} {name}", checks[name]["drvPath"]),
                         (f"{system} {name} (deps)", checks[name]["cargoArtifacts"])]
        nix.show([d for _, d in drvs])
        without = [label for label, d in drvs if not nix.inputs_named(d, r"python3-3\.[0-9.]+")]
        if without:
            raise Failure("no Python among the inputs of " + ", ".join(without))
        return f"{len(drvs)} derivations, each with a python3"
    results.check("real-nix: every pyo3 crate check has a Python", pyo3_checks)

    def build_tools():
        # nativeBuildInputs = [pkgs.nasm] puts nasm into both builds of that
        # wheel, and into no other artifact's.
        wrong = []
        for key, (facts, _) in keyed.items():
            wanted = 1 if key.endswith("/wheel-x86_64-tools") else 0
            for which in ("drvPath", "deps"):
                found = len(nix.inputs_named(facts[which], r"nasm-[0-9.]+"))
                if found != wanted:
                    wrong.append(f"{key} ({which}): {found} nasm inputs, expected {wanted}")
        if wrong:
            raise Failure("\n".join(wrong[:20]))
        return "nasm in the final and the deps build of the one wheel that asks for it, in no other"
    if probe_ok:
        results.check("real-nix: nativeBuildInputs reach both builds", build_tools)

    def bad_configs():
        for name, message in PROBE_BAD_CONFIGS.items():
            failed = nix.chroot.run(["nix", "eval", "--no-write-lock-file", "--override-input", "wheelwright",
                                     "git+file:///src", *nix.overrides("wheelwright/"),
                                     f"path:/work/probe#badConfigs.x86_64-linux.{name}.drvPath"], ok_codes=(1,))
            if message not in failed.stderr:
                raise Failure(f"badConfigs.{name}: expected {message!r}, got:\n{failed.stderr[-800:]}")
        return f"{len(PROBE_BAD_CONFIGS)} rejected at evaluation with their message"
    if probe_ok:
        results.check("real-nix: bad buildWheel arguments fail with their message", bad_configs)

    def release_outputs():
        # sdist: planBuild's environment, maturin, no dependency build; dist: a
        # link farm of every wheel and the sdist; publish: the verifier's
        # publish on dist.
        wrong = []
        expected = expected_envs({"sdist": {"dir": str(EXAMPLES["wheel"]), "kind": "sdist"}})["sdist"]
        for system in SYSTEMS:
            pkgs = evaluated["packages"][system]
            sdist, dist, publish = nix.show([pkgs[n]["drvPath"] for n in ("sdist", "dist", "publish")])
            for var, value in expected.items():
                if sdist["env"].get(var) != value:
                    wrong.append(f"{system} sdist: {var} is {sdist['env'].get(var)!r}, planBuild says {value!r}")
            if pkgs["sdist"]["deps"] is not None or sdist["env"].get("cargoArtifacts"):
                wrong.append(f"{system} sdist: it has a dependency build")
            if [name_of(p) for p in nix.inputs_named(pkgs["sdist"]["drvPath"], r"maturin-[0-9.]+")] != \
                    [f"maturin-{TOOL_PINS['maturin']['version']}"]:
                wrong.append(f"{system} sdist: not built by the pinned maturin")
            wheels = sorted(n for n, f in pkgs.items() if n.startswith("wheel-") and f["deps"])
            out = {n: nix.show([pkgs[n]["drvPath"]])[0]["outputs"]["out"]["path"] for n in [*wheels, "sdist", "dist"]}
            if sorted(dist["env"].get("paths", "").split()) != sorted(out[n] for n in [*wheels, "sdist"]):
                wrong.append(f"{system} dist: links {dist['env'].get('paths')!r}, not the {len(wheels)} wheels and sdist")
            verifier = nix.show([pkgs["verifier"]["drvPath"]])[0]["outputs"]["out"]["path"]
            script = f"WHEELWRIGHT_DIST={out['dist']} exec {verifier}/bin/wheelwright publish"
            if script not in json.dumps(publish["env"]):
                wrong.append(f"{system} publish: its script does not run `{script}`")
        if wrong:
            raise Failure("\n".join(wrong))
        return (f"sdist as planBuild gives it, built by maturin {TOOL_PINS['maturin']['version']} without a deps build;"
                f" dist links {len(wheels)} wheels and the sdist; publish uploads dist with the flake's verifier")
    results.check("real-nix: sdist, dist and publish", release_outputs)

    def checks_build_the_packages():
        for system in SYSTEMS:
            checks, pkgs = evaluated["checks"][system], evaluated["packages"][system]
            for name, facts in pkgs.items():
                if not facts["deps"]:
                    continue
                prefix = "pyo3-abi3-" if name.startswith("wheel-") else "cdylib-example-"
                if checks.get(prefix + name, {}).get("drvPath") != facts["drvPath"]:
                    raise Failure(f"{system}: checks.{prefix}{name} is not packages.{name}")
        return "nix flake check builds the very derivations of packages"
    results.check("real-nix: flake checks build every example package", checks_build_the_packages)

