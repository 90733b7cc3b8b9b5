"""`checks/offline/run --crate DIR --target TRIPLE [--option NAME=NIXEXPR]...`:
builds any crate, or unpacked sdist, the way the suite builds the examples.

DIR is left untouched: its crates are vendored from crates.io, then
nix/builder/builder.sh runs under a Nix build's conditions (user nobody, no network,
read-only copies) with the environment the pure lib's planBuild gives for the
options, in $WW_CRATE_WORK/<name>-<hash of DIR's absolute path> (default
/tmp/wheelwright-crates), which the next run of the same DIR replaces; runs of
one DIR wait for each other, runs of different ones do not. The build's log
goes to stderr; the last stdout lines are `artifact: <absolute path>`, one per
artifact. On failure the last line is `error: <cause>; <fix>` and the exit
code 1.
"""

import errno
import fcntl
import hashlib
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from harness import pinned_tools
from harness.ci_env import CI
from harness.process import REPO, Failure, nix_eval, run
from harness.sandbox import Project, Sandbox

SUITE = REPO / "checks" / "offline" / "suite.py"


def wheelwright_error(text):
    """The last `wheelwright: ...` message in a command's output."""
    found = re.findall(r"(?:error: )?wheelwright: (?:error: )?(.+)", text)
    return found[-1].strip() if found else None


def evaluation_error(trace):
    """One line for a failed evaluation, from Nix's error with --show-trace: a
    file that is not valid TOML (readCrate names it in the trace), with the
    line and column tomllib finds; else wheelwright's message; else Nix's."""
    toml = re.search(r"^\s*… while wheelwright reads (.+?) as TOML", trace, re.M)
    if toml:
        path = Path(toml.group(1))
        try:
            tomllib.loads(path.read_text())
        except tomllib.TOMLDecodeError as err:
            return f"{path} is not valid TOML: {err}; fix the syntax there"
        except (OSError, UnicodeDecodeError) as err:
            return f"{path} cannot be read: {err}"
        nix_says = re.search(r"error: while parsing a TOML string: (?:\[error\] )?(.+)", trace)
        return (f"{path} is not TOML that Nix reads: {nix_says[1] if nix_says else 'see the trace above'}; "
                "fix the syntax there")
    # the first line: the trace below it quotes the lib's sources
    first = re.search(r"^error: (?:wheelwright: )?(.+)", trace, re.M)
    if first and "wheelwright: " in first[0]:
        return first[1].strip()
    print(trace, file=sys.stderr)
    return (f"evaluating the build failed: {first[1].strip() if first else 'see the trace above'}; "
            "the trace is above")


def vendoring_error(text, lock_dir):
    """One line for a failed `cargo vendor --locked`."""
    stale = re.search(r"lock file (\S*Cargo\.lock) (?:needs to be updated|because --locked)", text)
    if stale:
        return (f"{stale[1]} is out of date with Cargo.toml: cargo would have to update it, and --locked forbids "
                f"that; run `cargo update -w` (or `cargo generate-lockfile`) in {lock_dir} and commit it")
    detail = tool_error(text)
    return (f"vendoring the crates of {lock_dir} failed{': ' + detail if detail else ''}; check that "
            f"`cargo vendor --locked` works in {lock_dir} (the log is above)")


def tool_error(text):
    """cargo's first error (the cause; with the line after it when it ends in
    a colon), else maturin's last `Caused by:`."""
    lines = [line.strip() for line in text.splitlines()]
    for i, line in enumerate(lines):
        if line.startswith(("error:", "error[")):
            return f"{line} {lines[i + 1]}" if line.endswith(":") and i + 1 < len(lines) else line
    causes = [line for line in lines if line.startswith("Caused by:")]
    return causes[-1] if causes else None


def project_of(directory, options):
    """The Project of a crate and its options; `nativeBuildInputs` names
    packages (`[ "nasm" ]`), which the sandbox puts on PATH as a flake's
    packages are."""
    kind = "wheel" if (directory / "pyproject.toml").is_file() else "cdylib"
    rest, build_tools = [], ()
    for name, value in options:
        if name == "kind":
            kind = value.strip('"')
        elif name == "nativeBuildInputs":
            build_tools = tuple(nix_eval(value))
        else:
            rest.append((name, value))
    return Project(directory.name, directory, kind, tuple(rest), build_tools)


def work_dir(directory, name, base=None):
    """The work directory of a crate's runs: one per source directory."""
    digest = hashlib.sha256(str(directory).encode()).hexdigest()[:12]
    return Path(base or os.environ.get("WW_CRATE_WORK", "/tmp/wheelwright-crates")) / f"{name}-{digest}"


def lock_file(work):
    """What a run holds (flock) while it uses `work`."""
    return work.with_name(work.name + ".lock")


def start(directory, target, work, stderr=subprocess.PIPE, options=()):
    """`checks/offline/run --crate DIR --target T [--option NAME=VALUE...]` as
    a user runs it, after setup, with its work directories under `work`: the
    process, in a process group of its own, its stdout a pipe."""
    given = [arg for name, value in options for arg in ("--option", f"{name}={value}")]
    return subprocess.Popen([sys.executable, SUITE, "--crate", directory, "--target", target, *given],
                            stdout=subprocess.PIPE, stderr=stderr, text=True, errors="replace",
                            env=dict(os.environ, WW_CRATE_WORK=str(work)), start_new_session=True)


def build(directory, target, options):
    """Builds one crate for one target; returns (artifacts, None) or
    ([], "<cause>; <fix>")."""
    directory = Path(directory).resolve()
    if not (directory / "Cargo.toml").is_file() and not (directory / "pyproject.toml").is_file():
        return [], f"{directory} has neither Cargo.toml nor pyproject.toml; pass a crate's or an unpacked sdist's root"
    project = project_of(directory, options)
    evaluated = run(["nix-instantiate", "--eval", "--strict", "--json", "--show-trace", "-E", project.plan_expr(target)],
                    cwd=REPO, ok_codes=range(256))
    if evaluated.returncode:
        return [], evaluation_error(evaluated.stderr)
    plan = json.loads(evaluated.stdout)
    try:
        # The flake refuses a toolchain older than the crate's rust-version
        # at evaluation time; the proving ground's is Debian's.
        nix_eval(f"(import ./lib).resolveRustVersion {{ available = [ \"{CI().rust_version}\" ];"
                 f" rustVersion = {json.dumps(plan['crate']['rustVersion'])}; }}")
    except Failure as err:
        return [], wheelwright_error(str(err)) or str(err).splitlines()[-1]
    for message in plan.get("warnings", []):
        print(f"wheelwright: warning: {message}", file=sys.stderr)
    wanted, pinned = plan["crate"]["maturinRequirement"], pinned_tools.tools()["maturin"]["version"]
    allows = wanted is None or nix_eval(f"let r = builtins.tryEval ((import ./lib).versionSatisfies "
                                        f"{json.dumps(wanted)} {json.dumps(pinned)}); in !r.success || r.value")
    if not allows:
        print(f"wheelwright: warning: {plan['crate']['pyproject']} asks for maturin{wanted} ([build-system] "
              f"requires), but the build runs maturin {pinned}", file=sys.stderr)
    if plan["crate"]["toolchainChannel"]:
        print(f"wheelwright: note: {directory} pins Rust {plan['crate']['toolchainChannel']} (its rust-toolchain "
              f"file), which a flake build takes from rust-overlay; --crate builds with the proving ground's "
              f"Rust {CI().rust_version}", file=sys.stderr)
    work = work_dir(directory, project.name)
    work.parent.mkdir(parents=True, exist_ok=True)
    closed = next((p for p in [work.parent, *work.parent.parents] if not p.stat().st_mode & 0o001), None)
    if closed:
        return [], (f"{closed} is closed to other users, and the builder runs as nobody in {work}; "
                    "set WW_CRATE_WORK to a directory under one that everyone may enter, e.g. /tmp")
    with open(lock_file(work), "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"wheelwright: waiting for another run that builds {directory} in {work}", file=sys.stderr)
            fcntl.flock(lock, fcntl.LOCK_EX)
        return build_in(work, project, directory, target, plan)


def build_in(work, project, directory, target, plan):
    # the builder's log goes to stderr as it comes
    sandbox = Sandbox(work, echo=sys.stderr)
    print(f"wheelwright: preparing {work}: the verifier, the builder, the crates of {directory} vendored",
          file=sys.stderr)
    try:
        sandbox.prepare({project: plan})
    except Failure as err:
        print(str(err), file=sys.stderr)
        if "cargo vendor " in str(err):
            return [], vendoring_error(str(err), directory / plan["crate"]["lockDir"])
        return [], f"preparing the sandbox in {work} failed: {str(err).splitlines()[0]}; the log is above"
    except OSError as err:
        fix = ("free space on its disk, or set WW_CRATE_WORK to a directory on a larger one"
               if err.errno == errno.ENOSPC else "check that WW_CRATE_WORK is a directory you may write")
        return [], f"preparing the sandbox in {work} failed: {err.strerror} ({err.filename}); {fix}"
    print(f"wheelwright: building {project.kind} {project.name} for {target}", file=sys.stderr)
    build_dir = sandbox.build_dir("build")
    try:
        proc = sandbox.run_builder(project, plan, build_dir, sandbox.source(project, 1), ok_codes=range(256))
    except Failure as err:
        # what the build starts from: the zig cache, the target libraries
        cause = wheelwright_error(str(err)) or str(err).splitlines()[-1]
        return [], (f"preparing the build for {target} (its zig cache, its target libraries) failed: {cause}"
                    + ("" if ";" in cause else "; the log is above"))
    if proc.returncode != 0:
        cause = wheelwright_error(proc.stderr) or f"the builder exited {proc.returncode}"
        if ";" in cause:
            # the builder named the cause and the fix
            return [], cause
        detail = tool_error(proc.stderr)
        return [], cause + (f": {detail}" if detail and detail not in cause else "") + "; the build's log is above"
    out = build_dir / "out"
    if project.kind == "wheel":
        return sorted(out.glob("*.whl")), None
    return sorted(p for p in out.rglob("*") if p.is_file()), None


def build_crate(directory, target, options):
    """The command line's --crate: the artifacts' lines, or one error line."""
    artifacts, error = build(directory, target, options)
    if error:
        print(f"error: {error}")
        return 1
    for artifact in artifacts:
        print(f"artifact: {artifact}")
    return 0
