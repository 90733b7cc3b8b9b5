"""A Nix build's conditions around nix/builder/builder.sh, shared by the offline
suite (checks/offline/suite.py), the `--crate` tool (crate_build.py), the
real-world corpus (checks/realworld/) and the benchmarks (bench/).

A Nix builder runs as an unprivileged user with `HOME=/homeless-shelter`
(absent, not creatable), no network, read-only inputs and a scratch TMPDIR;
crane has put the vendored-source configuration into CARGO_HOME. Sandbox
reproduces exactly that, with the environment lib/planBuild.nix computes.
"""

import fcntl
import hashlib
import json
import os
import re
import shutil
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from harness import pinned_tools
from harness.ci_env import CI
from harness.process import REPO, Failure, nix_eval, run

# What a Nix build has on PATH from stdenv (nixpkgs' pkgs/stdenv/generic/
# common-path.nix, with the C compiler and binutils), as the host's programs:
# a sandbox build sees these, the plan's buildTools and the tools wheelwright
# runs, and nothing else from the host, as a flake build does. coreutils'
# programs are the real-nix stand-in's list.
STDENV_PROGRAMS = (
    (REPO / "checks" / "offline" / "real-nix" / "standin-nixpkgs" / "coreutils.txt").read_text().split()
    + ["find", "xargs", "cmp", "diff", "diff3", "sdiff", "sed", "grep", "egrep", "fgrep", "awk", "gawk",
       "tar", "gzip", "gunzip", "zcat", "bzip2", "bunzip2", "bzcat", "make", "bash", "sh", "patch",
       "xz", "unxz", "xzcat", "file",
       "cc", "gcc", "c++", "g++", "cpp", "ld", "ar", "as", "nm", "objcopy", "objdump", "ranlib", "readelf",
       "size", "strings", "strip"])
# lib/data/buildTools.json's programs of each build tool, by package name
BUILD_TOOL_PROGRAMS = json.loads((REPO / "lib" / "data" / "buildTools.json").read_text())["binaries"]


def link_programs(directory, programs):
    """`directory` with a link to each of the host's `programs` that exists."""
    directory.mkdir(parents=True, exist_ok=True)
    for program in programs:
        found = shutil.which(program, path="/usr/bin:/bin")
        if found:
            try:
                (directory / program).symlink_to(found)
            except FileExistsError:
                # linked before, or by a build beside this one
                pass
    return directory


def emulator(arch, libc="glibc"):
    """The command prefix that runs a program of a wheel architecture and libc
    here: none on x86_64, else qemu-user with a Debian root (glibc) or
    Debian's musl (musl)."""
    if arch == "x86_64":
        return []
    if libc == "musl":
        root = CI().musl[arch]
    else:
        root = CI().glibc[arch]
    return [str(root.qemu), "-L", str(root.root)]


def python_of(arch, libc="glibc"):
    """The command that runs this machine's CPython for a wheel architecture
    and libc, and its (major, minor). glibc: the host's natively, a Debian
    root's under qemu-user. musl: setup.sh's CPython built for musl, natively on
    x86_64, elsewhere under qemu-user with Debian's musl."""
    if libc == "musl":
        path = str(CI().musl_python[arch])
        return [*emulator(arch, libc), path], version_of(path)
    if arch == "x86_64":
        path = str(CI().host_python)
        return [path], version_of(path)
    path = CI().glibc_python[arch]
    return [*emulator(arch), str(CI().glibc[arch].root) + path], version_of(path)


def version_of(python_path):
    major, minor = re.fullmatch(r".*python(\d+)\.(\d+)", python_path).groups()
    return int(major), int(minor)


@dataclass(frozen=True)
class Project:
    """A crate the builder builds: an example, a fixture, or any crate given
    on the command line. `options` are planBuild arguments as Nix
    expressions, e.g. {"pythonVersions": '[ "3.11" ]'}; `build_tools` the
    packages its build scripts run beyond the plan's buildTools (a flake
    user's nativeBuildInputs), by name."""
    name: str
    dir: Path
    kind: str
    options: tuple = ()
    build_tools: tuple = ()

    def plan_expr(self, target):
        """The Nix expression of planBuild's result for `target`, evaluated in the repository."""
        options = "".join(f" {name} = {value};" for name, value in self.options)
        return (f'(import ./lib).planBuild {{ kind = "{self.kind}"; src = /. + "{self.dir}";'
                f' target = "{target}";{options} }}')

    def plan(self, target):
        """planBuild's result for `target`, from the pure lib."""
        return nix_eval(self.plan_expr(target))


EXAMPLES = [Project("pyo3-abi3", REPO / "examples" / "pyo3-abi3", "wheel"),
            Project("cdylib", REPO / "examples" / "cdylib", "cdylib")]


class Sandbox:
    """Reproduces a Nix build's conditions around nix/builder/builder.sh."""

    def __init__(self, work, echo=None):
        """`echo`: a text file the builder's stderr also goes to as it comes."""
        self.work = work
        self.echo = echo
        self.tools = work / "tools"
        self.vendor = {}
        self.sources = {}
        self.zig_caches = {}
        self.zig_cache_lock = threading.Lock()
        self.library_lock = threading.Lock()

    def prepare(self, projects):
        """The verifier, the builder and every project's vendored crates, all
        read-only; `projects` maps each Project to a plan of it (which says
        where its Cargo.lock is)."""
        if self.work.exists():
            shutil.rmtree(self.work)
        (self.tools / "bin").mkdir(parents=True)
        link_programs(self.tools / "stdenv", STDENV_PROGRAMS)
        cli = REPO / "cli"
        run(["cargo", "build", "--release", "--locked"], cwd=cli)
        shutil.copy2(cli / "target" / "release" / "wheelwright", self.tools / "bin" / "wheelwright")
        # the builder's store directory, as every derivation has it
        builder = run(["nix-instantiate", "--eval", "--read-write-mode", "-E", "import ./nix/builder"],
                      cwd=REPO).stdout.strip().strip('"')
        for helper in Path(builder).iterdir():
            shutil.copyfile(helper, self.tools / helper.name)
        shutil.copytree(REPO / "nix" / "builder" / "zig-cache", self.tools / "zig-cache")
        shutil.copyfile(REPO / "nix" / "targetLibrary.sh", self.tools / "targetLibrary.sh")
        for project, plan in projects.items():
            vendor = self.work / "vendor" / project.name
            self.vendor_crates(project.dir / plan["crate"]["lockDir"], vendor)
            # crane's vendorCargoDeps writes the same source replacement;
            # cargo makes no directory for a crate without dependencies.
            vendor.mkdir(parents=True, exist_ok=True)
            (vendor / "config.toml").write_text(
                f'[source.crates-io]\nreplace-with = "vendored-sources"\n'
                f'[source.vendored-sources]\ndirectory = "{vendor}"\n')
            self.vendor[project.name] = vendor
        for path in [self.tools, self.work / "vendor"]:
            read_only(path)
        self.work.chmod(0o755)

    def vendor_crates(self, lock_dir, vendor):
        """`cargo vendor --locked` of the workspace at `lock_dir`, with the
        cargo the builds run (rustup's would follow a rust-toolchain file to a
        toolchain it may not have). A lock that lists crates no package uses
        (a workspace's lock in a member's sdist) is vendored from a copy that
        cargo may prune, as the builder prunes it; crane vendors every entry."""
        cargo = CI().rust_bin / "cargo"
        try:
            run([cargo, "vendor", "--locked", "--versioned-dirs", vendor], cwd=lock_dir)
            return
        except Failure as err:
            if "--locked was passed" not in str(err):
                raise
            refused = err
        copy = self.work / "pruned" / lock_dir.name
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(lock_dir, copy, ignore=shutil.ignore_patterns("target", ".git"))
        run([cargo, "vendor", "--versioned-dirs", vendor], cwd=copy, ok_codes=range(256))
        entries = [set(run(["awk", "-f", REPO / "nix" / "builder" / "lock-packages.awk", d / "Cargo.lock"])
                       .stdout.splitlines()) for d in (lock_dir, copy)]
        if not entries[1] < entries[0]:
            raise refused  # cargo would add or change entries: the lock is out of date

    def source(self, project, copy):
        """A read-only copy of a project, at a path of its own per copy, but
        for its Cargo.lock files: the builder may prune one as cargo does, and
        a Nix build's source (crane's copy of it) is writable."""
        key = (project.name, copy)
        if key not in self.sources:
            dest = self.work / f"src-{copy}" / project.name
            shutil.copytree(project.dir, dest, ignore=shutil.ignore_patterns("target", ".git", "result"))
            read_only(dest)
            for lock in dest.rglob("Cargo.lock"):
                lock.chmod(0o666)
            self.sources[key] = dest
        return self.sources[key]

    def path(self, first=(), build_tools=()):
        """A build's PATH: `first`, wheelwright's tools, the packages
        `build_tools` names (lib/data/buildTools.json's), stdenv's programs."""
        tools = []
        if build_tools:
            unknown = sorted(set(build_tools) - set(BUILD_TOOL_PROGRAMS))
            if unknown:
                raise Failure(f"build tools {', '.join(unknown)} have no programs in lib/data/buildTools.json "
                              "(binaries), so the sandbox cannot put them on PATH; add them there")
            tools = [link_programs(self.tools / "build-tools" / "-".join(sorted(build_tools)),
                                   [p for tool in build_tools for p in BUILD_TOOL_PROGRAMS[tool]])]
        return ":".join(map(str, [*first, self.tools / "bin", CI().rust_bin, CI().venv_bin,
                                  CI().cargo_tools_bin, *tools, self.tools / "stdenv"]))

    def build_dir(self, name):
        build = self.work / "build" / name
        (build / "tmp").mkdir(parents=True)
        cargo_home = build / "tmp" / "cargo-home"
        cargo_home.mkdir()
        run(["chown", "-R", "nobody:nogroup", build])
        return build

    def run_as_nix(self, cmd, *, cwd, variables, ok_codes=(0,)):
        """env -i, user nobody, no network, HOME that does not exist."""
        assignments = [f"{k}={v}" for k, v in variables.items()]
        return run(["unshare", "-n", "--", "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--",
                    "env", "-i", "HOME=/homeless-shelter", *assignments, *cmd], cwd=cwd, ok_codes=ok_codes,
                   echo=self.echo)

    def build_env(self, project, build, plan, path_first=()):
        tmp = build / "tmp"
        cargo_home = tmp / "cargo-home"
        # crane's configureCargoVendoredDepsHook does this in a derivation.
        config = cargo_home / "config.toml"
        if not config.exists():
            config.write_text((self.vendor[project.name] / "config.toml").read_text())
            shutil.chown(config, "nobody", "nogroup")
        return {**plan["env"], "PATH": self.path(path_first, [*plan.get("buildTools", []), *project.build_tools]),
                "TMPDIR": tmp, "out": build / "out",
                "CARGO_HOME": cargo_home, "CARGO_TARGET_DIR": tmp / "target",
                "cargoVendorDir": self.vendor[project.name], "NIX_BUILD_CORES": os.cpu_count()}

    def zig_cache(self, plan):
        """The zig cache a build of `plan` starts from, as the flake's
        zig-cache derivation has it (nix/zigCache.nix): filled once by the
        builder's zig-cache kind, then read-only. It is filled with the
        default PATH's cargo and zig, which every build here runs."""
        name = plan["zigCache"]["name"]
        with self.zig_cache_lock:
            if name not in self.zig_caches:
                self.zig_caches[name] = self.fill_zig_cache(plan, self.build_dir(name))
            return self.zig_caches[name]

    def fill_zig_cache(self, plan, build):
        """The builder's zig-cache run of `plan`'s zigCache in `build`; its
        output, read-only."""
        variables = {**plan["zigCache"]["env"], "PATH": self.path(), "TMPDIR": build / "tmp",
                     "out": build / "out", "CARGO_HOME": build / "tmp" / "cargo-home",
                     "CARGO_TARGET_DIR": build / "tmp" / "target"}
        self.run_as_nix(["bash", self.tools / "builder.sh"], cwd=self.tools / "zig-cache", variables=variables)
        read_only(build / "out")
        return build / "out"

    def target_libraries(self, plan):
        """The plan's target libraries, as nix/buildArtifact.nix gives them:
        {directory variable: the library's directory, or the one named in it},
        their lib/ directories as WW_LINK_SEARCH and their .pc files' as
        PKG_CONFIG_PATH."""
        libraries = [(library, self.target_library(library)) for library in plan.get("targetLibraries", [])]
        if not libraries:
            return {}
        return {**{variable: str(built / directory)
                   for library, built in libraries
                   for variable, directory in library["directoryVariables"].items()},
                "WW_LINK_SEARCH": ":".join(str(built / "lib") for _, built in libraries),
                "PKG_CONFIG_PATH": ":".join(str(built / "lib" / "pkgconfig")
                                            for library, built in libraries if library["pkgConfig"] is not None)}

    def target_library(self, library):
        """One of planBuild's targetLibraries, built by nix/targetLibrary.sh
        as nix/targetLibrary.nix builds it, from the same fixed source. Kept
        across runs in $WW_CI_ROOT/target-libraries, under a key of all its
        inputs (the plan's environment, the script, the pinned zig), as the
        store keeps the derivation."""
        inputs = [library, (self.tools / "targetLibrary.sh").read_text(), pinned_tools.tools()["ziglang"]]
        key = hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()[:16]
        kept = CI().ci_root / "target-libraries" / f"{key}-{library['drvName']}"
        kept.parent.mkdir(parents=True, exist_ok=True)
        # one build of each library at a time, across threads and runs (as the
        # store builds a derivation once)
        with self.library_lock, open(kept.with_name(kept.name + ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not kept.exists():
                source = pinned_tools.fetch(library["source"], CI().ci_root / "downloads" / "target-libraries",
                                            pinned_in="lib/data/targetLibraries.json")
                build = self.build_dir(library["drvName"])
                variables = {**library["env"], "WW_LIBRARY_SOURCE": source, "TMPDIR": build / "tmp",
                             "out": build / "out", "PATH": self.path(build_tools=library["buildTools"]),
                             "NIX_BUILD_CORES": os.cpu_count()}
                self.run_as_nix(["bash", self.tools / "targetLibrary.sh"], cwd=build, variables=variables)
                partial = kept.with_name(kept.name + ".part")
                shutil.rmtree(partial, ignore_errors=True)
                shutil.copytree(build / "out", partial)
                read_only(partial)
                partial.rename(kept)
        return kept

    def build_requirements(self, plan):
        """{"PYTHONPATH": a directory of the plan's build-requirements.lock
        wheels for this machine and the build's python3}, unpacked as
        nix/buildArtifact.nix installs them into its python3; {} without a
        lock."""
        locked = plan.get("buildRequirements")
        if not locked:
            return {}
        python = run([CI().venv_bin / "python3", "-c",
                      "import sys; print(f'cp{sys.version_info.major}{sys.version_info.minor}')"]).stdout.strip()
        key = f"x86_64-linux/{python}"
        if key not in locked:
            raise Failure(f"{plan['crate']['buildRequirementsLock']['path']} has no wheels for {key} (the suite's "
                          f"build python3); it has {', '.join(sorted(locked))}")
        wheels = locked[key]
        digest_of_set = hashlib.sha256(json.dumps(wheels, sort_keys=True).encode()).hexdigest()[:16]
        site = CI().ci_root / "build-requirements" / digest_of_set
        with self.library_lock:
            if not site.exists():
                partial = site.with_name(site.name + ".part")
                shutil.rmtree(partial, ignore_errors=True)
                for wheel in wheels:
                    path = pinned_tools.fetch(wheel, CI().ci_root / "downloads" / "build-requirements",
                                              pinned_in=plan["crate"]["buildRequirementsLock"]["path"])
                    with zipfile.ZipFile(path) as archive:
                        archive.extractall(partial)
                read_only(partial)
                partial.rename(site)
        return {"PYTHONPATH": str(site)}

    def run_builder(self, project, plan, build, src, extra=None, path_first=(), ok_codes=(0,), zig_cache=True):
        """nix/builder/builder.sh with `plan`'s environment in `build` on the
        sources at `src`, into a fresh `out`; with the target's zig cache, as
        the derivations run it, unless `zig_cache` is false."""
        variables = {**self.build_env(project, build, plan, path_first), **self.target_libraries(plan),
                     **self.build_requirements(plan), **(extra or {})}
        if zig_cache and "zigCache" in plan:
            variables["WW_ZIG_CACHE"] = self.zig_cache(plan)
        shutil.rmtree(build / "out", ignore_errors=True)
        return self.run_as_nix(["bash", self.tools / "builder.sh"],
                               cwd=src, variables=variables, ok_codes=ok_codes)

    def deps_then_final(self, project, plan, name, edit=None):
        """The two derivations as Nix runs them. The deps build runs on crane's
        stand-in sources (dummy_source); then its target directory, crane's
        cargoArtifacts with their mtimes, goes into a fresh build directory of
        the same name and a fresh TMPDIR, where the final build runs on the
        project's sources, after `edit(source dir)` if given. Both sources are
        read-only. Returns (deps seconds, final seconds, the final build's
        process, its build directory, its sources); the zig cache is filled
        before, untimed (a derivation of its own)."""
        self.zig_cache(plan)
        seconds = []

        def builder(build, src, extra=None):
            read_only(src)
            start = time.monotonic()
            proc = self.run_builder(project, plan, build, src, extra=extra)
            seconds.append(time.monotonic() - start)
            return proc

        build = self.build_dir(name)
        dummy_source(project, plan, build / "source")
        builder(build, build / "source", extra={"CRANE_BUILD_DEPS_ONLY": "1"})
        artifacts = self.work / "cargo-artifacts" / name
        shutil.rmtree(artifacts, ignore_errors=True)
        artifacts.parent.mkdir(exist_ok=True)
        run(["cp", "-a", build / "tmp" / "target", artifacts])
        run(["chmod", "-R", "u+w", build])
        shutil.rmtree(build)
        build = self.build_dir(name)
        run(["cp", "-a", artifacts, build / "tmp" / "target"])
        src = build / "source"
        shutil.copytree(project.dir, src, ignore=shutil.ignore_patterns("target", ".git", "result"))
        if edit:
            edit(src)
        proc = builder(build, src)
        return seconds[0], seconds[1], proc, build, src

    def build(self, project, plan, name, copy, zig_cache=True):
        build = self.build_dir(name)
        src = self.source(project, copy)
        proc = self.run_builder(project, plan, build, src, zig_cache=zig_cache)
        return build / "out", proc, build, src


def dummy_source(project, plan, dest):
    """What the dependency derivation builds on: crane's mkDummySrc (every
    Cargo.toml, its build script pointed at a stub outside the source, the
    root Cargo.lock and .cargo/config.toml kept, every Rust file a stub) plus
    plan.depsSource, which nix/buildArtifact.nix adds. crane's changed
    build-script path is what makes cargo compile the crates themselves again
    in the final build, whose sources are no newer than the deps build's."""
    build_stub = dest.parent / "dummy-build.rs"
    build_stub.write_text("fn main() {}\n")
    for path in sorted(project.dir.rglob("*")):
        rel = path.relative_to(project.dir)
        if "target" in rel.parts or not path.is_file():
            continue
        kept = str(rel) == "Cargo.lock" or (rel.parent.name == ".cargo" and path.name in ("config", "config.toml"))
        if path.name == "Cargo.toml":
            text = re.sub(r"^build\s*=.*\n", "", path.read_text(), flags=re.M)
            text = re.sub(r"^\[package\]\s*$", f'[package]\nbuild = "{build_stub}"', text, count=1, flags=re.M)
        elif kept or path.suffix == ".rs":
            text = path.read_text() if kept else "pub fn main() {}\n"
        else:
            continue
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_text(text)
    extra = plan["depsSource"]
    for rel in extra["copy"]:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(project.dir / rel, dest / rel)
    for rel in extra["empty"]:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).touch()
    for rel in extra["directories"]:
        (dest / rel).mkdir(parents=True, exist_ok=True)


def read_only(path):
    run(["chmod", "-R", "a-w,a+rX", path])


def files_of(artifact):
    """(member name, bytes) of every file a wheel or a library output ships."""
    if artifact.suffix == ".whl":
        with zipfile.ZipFile(artifact) as z:
            return [(i.filename, z.read(i)) for i in z.infolist() if not i.is_dir()]
    return [(str(p.relative_to(artifact)), p.read_bytes()) for p in sorted(artifact.rglob("*")) if p.is_file()]


def digest(artifact):
    h = hashlib.sha256()
    for name, data in files_of(artifact) if artifact.is_dir() else [("", artifact.read_bytes())]:
        h.update(name.encode() + b"\0" + data)
    return h.hexdigest()
