"""`checks/offline/run --crate DIR --target TRIPLE [--option NAME=NIXEXPR]...`:
builds any crate, or unpacked sdist, the way the suite builds the examples.

DIR is left untouched: its crates are vendored from crates.io, then
nix/builder.sh runs under a Nix build's conditions (user nobody, no network,
read-only copies) with the environment the pure lib's planBuild gives for the
options, in $WW_CRATE_WORK/<name> (default /tmp/wheelwright-crates). The
build's log goes to stderr; the last stdout lines are
`artifact: <absolute path>`, one per artifact. On failure the last line is
`error: <cause>; <fix>` and the exit code 1.
"""

import json
import os
import re
import sys
from pathlib import Path

from sandbox import Failure, Project, Sandbox, env, nix_eval


def wheelwright_error(text):
    """The last `wheelwright: ...` message in a command's output."""
    found = re.findall(r"(?:error: )?wheelwright: (?:error: )?(.+)", text)
    return found[-1].strip() if found else None


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
    kind = "wheel" if (directory / "pyproject.toml").is_file() else "cdylib"
    rest = []
    for name, value in options:
        if name == "kind":
            kind = value.strip('"')
        else:
            rest.append((name, value))
    return Project(directory.name, directory, kind, tuple(rest))


def build(directory, target, options):
    """Builds one crate for one target; returns (artifacts, None) or
    ([], "<cause>; <fix>")."""
    directory = Path(directory).resolve()
    if not (directory / "Cargo.toml").is_file() and not (directory / "pyproject.toml").is_file():
        return [], f"{directory} has neither Cargo.toml nor pyproject.toml; pass a crate's or an unpacked sdist's root"
    project = project_of(directory, options)
    try:
        plan = project.plan(target)
        # The flake refuses a toolchain older than the crate's rust-version
        # at evaluation time; the proving ground's is Debian's.
        nix_eval(f"(import ../../lib).resolveRustVersion {{ available = [ \"{env('WW_RUST_VERSION')}\" ];"
                 f" rustVersion = {json.dumps(plan['crate']['rustVersion'])}; }}")
    except Failure as err:
        return [], wheelwright_error(str(err)) or str(err).splitlines()[-1]
    work = Path(os.environ.get("WW_CRATE_WORK", "/tmp/wheelwright-crates")) / project.name
    sandbox = Sandbox(work)
    try:
        sandbox.prepare({project: plan})
    except Failure as err:
        print(str(err), file=sys.stderr)
        return [], (f"vendoring the crates of {directory} failed; check that `cargo vendor --locked` works in "
                    f"{directory / plan['crate']['lockDir']} (the log is above)")
    print(f"wheelwright: building {project.kind} {project.name} for {target}", file=sys.stderr)
    build_dir = sandbox.build_dir("build")
    proc = sandbox.run_builder(project, plan["env"], build_dir, sandbox.source(project, 1), ok_codes=range(256))
    sys.stderr.write(proc.stderr)
    if proc.returncode != 0:
        cause = wheelwright_error(proc.stderr) or f"the builder exited {proc.returncode}"
        detail = tool_error(proc.stderr)
        return [], (cause + (f": {detail}" if detail and detail not in cause else "")
                    + ("" if ";" in cause else "; the build's log is above"))
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
