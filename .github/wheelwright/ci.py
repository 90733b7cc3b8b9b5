#!/usr/bin/env python3
"""What wheelwright's GitHub workflow (.github/workflows/wheelwright.yml) decides
from the wheels it built. Standard library only; Python 3.11 or newer (tomllib),
which is the runner's /usr/bin/python3, not the interpreter under test.

  ci.py smoke-plan DIR
      DIR holds one directory per wheel artifact (wheel-x86_64/, ...). Prints the
      smoke job's matrix as JSON: one entry per wheel and interpreter that fits
      it, on a runner of the wheel's architecture (x86_64, aarch64). abi3: the
      oldest CPython the tag names, and the newest release; abi3t: 3.15 and
      3.15t; cpXY: X.Y; cpXYt: X.Yt. musllinux wheels run in an Alpine
      container (python:X.Y-alpine), which has no free-threaded builds.
  ci.py smoke WHEEL --interpreter SPEC [--python PATH] [--project DIR] [--dry-run]
      In a new venv of PATH (or, for a musllinux wheel, in python:SPEC-alpine):
      installs WHEEL with --no-deps, then its dependencies from the index, imports
      its top-level modules, and runs the project's tests, set in DIR's
      pyproject.toml as cibuildwheel's are:
          [tool.wheelwright]
          test-requires = ["pytest"]
          test-command = "pytest {project}/tests"
      ({project} is the project's directory). The commands run from an empty
      directory, so that only the installed wheel can be imported. --dry-run
      prints them instead.
  ci.py check-tag TAG [PATH...] [--version V]
      Fails unless the tag (v1.2.3, or refs/tags/v1.2.3) names the version of the
      wheels and sdists in PATH (files or directories) and V.
  ci.py check-descriptions PATH...
      Fails, naming each file, unless PyPI can render the description of every
      wheel and sdist in PATH: PyPI refuses an upload whose reStructuredText
      (the default when no Description-Content-Type is given) does not render.
      Needs readme_renderer, as .github/wheelwright/release-requirements.txt
      pins it (PyPI's version); the release job runs it in that venv.
"""

import argparse
import email.message
import email.parser
import io
import json
import os
import re
import shlex
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

RUNNERS = {"x86_64": "ubuntu-24.04", "aarch64": "ubuntu-24.04-arm"}
# The newest CPython release: setup-python's "3.x" and the python:3-alpine image
# follow it. An abi3 wheel is tried with it too when it is older than this.
NEWEST = (3, 14)
# PEP 803: the first CPython with abi3t.
ABI3T_FROM = (3, 15)


class Refusal(Exception):
    pass


# ---------------------------------------------------------------- wheel names

def parse_wheel(name):
    """(distribution, version, python tags, abi tags, platform tags) of a wheel
    file name (PEP 427; compressed tag sets split on dots)."""
    parts = name[:-len(".whl")].split("-") if name.endswith(".whl") else []
    if len(parts) not in (5, 6):
        raise Refusal(f"{name}: not a wheel file name")
    return parts[0], parts[1], parts[-3].split("."), parts[-2].split("."), parts[-1].split(".")


def platform_of(tags):
    """(libc, arch) of a wheel's platform tags, or None for one not portable."""
    for tag in tags:
        m = (re.fullmatch(r"(manylinux|musllinux)_\d+_\d+_(\w+)", tag)
             or re.fullmatch(r"(manylinux)(?:1|2010|2014)_(\w+)", tag))
        if m:
            return ("musl" if m[1] == "musllinux" else "glibc"), m[2]
    return None


def cpython(tag):
    """(3, 12) and whether free-threaded, from cp312 / cp314t; None otherwise."""
    m = re.fullmatch(r"cp3(\d+)(t?)", tag)
    return ((3, int(m[1])), m[2] == "t") if m else None


def spec(version, free_threaded=False):
    return f"{version[0]}.{version[1]}" + ("t" if free_threaded else "")


def interpreters(python_tags, abi_tags):
    """The interpreters to install a wheel with (setup-python's spelling:
    3.8, 3.x, 3.14t), and why there are none when there are none."""
    found = [c for c in map(cpython, python_tags) if c]
    if not found:
        return [], f"no CPython tag in {'.'.join(python_tags)}"
    oldest = min(v for v, _ in found)
    chosen = []
    if "abi3" in abi_tags:
        chosen.append(spec(oldest))
        if oldest < NEWEST:
            chosen.append("3.x")
    if "abi3t" in abi_tags:
        chosen.append(spec(max(oldest, ABI3T_FROM), free_threaded=True))
    # per interpreter: cp312 (or cp314t, free-threaded) names it
    chosen += [spec(*c) for c in map(cpython, abi_tags) if c]
    chosen = list(dict.fromkeys(chosen))
    return chosen, (None if chosen else f"no interpreter fits the tags {'.'.join(python_tags)}-{'.'.join(abi_tags)}")


def images(interpreter):
    """Docker images with that CPython on Alpine, in the order to try them: a
    version still in pre-release has only an -rc tag."""
    if interpreter == "3.x":
        return ["python:3-alpine"]
    return [f"python:{interpreter}-alpine", f"python:{interpreter}-rc-alpine"]


def smoke_plan(directory):
    """The smoke matrix for the wheel artifacts under `directory`, and a note
    for each wheel or interpreter left out."""
    matrix, notes = [], []
    for wheel in sorted(Path(directory).rglob("*.whl")):
        _, _, python_tags, abi_tags, platform_tags = parse_wheel(wheel.name)
        artifact, *inside = wheel.relative_to(directory).parts
        if not inside:
            raise Refusal(f"{wheel}: {directory} should hold a directory per artifact")
        platform = platform_of(platform_tags)
        if platform is None or platform[1] not in RUNNERS:
            notes.append(f"{wheel.name}: not smoke-tested: GitHub has no runner for {'.'.join(platform_tags)}")
            continue
        libc, arch = platform
        chosen, why = interpreters(python_tags, abi_tags)
        if why:
            notes.append(f"{wheel.name}: not smoke-tested: {why}")
        for interpreter in chosen:
            if libc == "musl" and interpreter.endswith("t"):
                notes.append(f"{wheel.name}: not smoke-tested on {interpreter}: no free-threaded Python image on Alpine")
                continue
            matrix.append({
                "name": f"{artifact} {'.'.join(python_tags)}-{'.'.join(abi_tags)} on {interpreter}",
                "artifact": artifact,
                # its path in the artifact
                "wheel": "/".join(inside),
                "python": interpreter,
                "runner": RUNNERS[arch],
                "musl": libc == "musl",
            })
    return matrix, notes


# ---------------------------------------------------------------- smoke test

def top_level_modules(wheel):
    """The importable top-level modules and packages a wheel installs."""
    modules = set()
    with zipfile.ZipFile(wheel) as z:
        for member in z.namelist():
            first, _, rest = member.partition("/")
            if rest:
                # packages; not .dist-info, .data, nor auditwheel's <name>.libs
                if "." not in first:
                    modules.add(first)
            elif first.endswith((".py", ".so")):
                modules.add(first.split(".")[0])
    return sorted(m for m in modules if m.isidentifier())


def project_tests(project):
    """(test-requires, test-command) from the project's pyproject.toml."""
    pyproject = Path(project) / "pyproject.toml"
    if not pyproject.is_file():
        return [], None
    table = tomllib.loads(pyproject.read_text()).get("tool", {}).get("wheelwright", {})
    requires, command = table.get("test-requires", []), table.get("test-command")
    if not (isinstance(requires, list) and all(isinstance(r, str) for r in requires)):
        raise Refusal(f"{pyproject}: [tool.wheelwright] test-requires must be a list of strings")
    if command is not None and not isinstance(command, str):
        raise Refusal(f"{pyproject}: [tool.wheelwright] test-command must be a string")
    return requires, command


def smoke_script(wheel, installed, python, project, requires, command):
    """A POSIX sh script (dash on the runner, busybox sh on Alpine) that installs
    `wheel` from the path `installed`, with `python`, and tests it."""
    distribution, version, *_ = parse_wheel(wheel.name)
    q = shlex.quote
    lines = [
        "work=$(mktemp -d)",
        "trap 'rm -rf \"$work\"' EXIT",
        f"{q(python)} -m venv \"$work/venv\"",
        'PATH="$work/venv/bin:$PATH"',
        'export VIRTUAL_ENV="$work/venv" PATH',
        # a pip that knows the newest tags (abi3t)
        "python -m pip install --upgrade pip",
        f"python -m pip install --no-deps {q(installed)}",
        # its dependencies, from the index; the installed wheel satisfies the pin
        f"python -m pip install {q(f'{distribution}=={version}')}",
    ]
    if requires:
        lines.append("python -m pip install " + " ".join(map(q, requires)))
    lines.append('cd "$work"')
    lines += [f"python -c {q(f'import {m}; print({m}.__name__, {m}.__file__)')}" for m in top_level_modules(wheel)]
    if command:
        lines.append(command.replace("{project}", q(project)))
    return "\n".join(["set -eux", *lines, ""])


def smoke(wheel, interpreter, python, project, dry_run):
    wheel = Path(wheel).resolve()
    project = Path(project).resolve()
    _, _, _, _, platform_tags = parse_wheel(wheel.name)
    platform = platform_of(platform_tags)
    requires, command = project_tests(project)
    if platform and platform[0] == "musl":
        script = smoke_script(wheel, f"/wheels/{wheel.name}", "python", "/project", requires, command)
        candidates = images(interpreter)
        run = ["docker", "run", "--rm", "-e", "PIP_DISABLE_PIP_VERSION_CHECK=1",
               "-v", f"{wheel.parent}:/wheels:ro", "-v", f"{project}:/project", "IMAGE", "sh", "-c", script]
        if dry_run:
            print("# with the first of these images that docker can pull: " + " ".join(candidates))
            print(shlex.join(candidates[0] if a == "IMAGE" else a for a in run))
            return 0
        for image in candidates:
            if subprocess.run(["docker", "pull", image]).returncode == 0:
                return subprocess.run([image if a == "IMAGE" else a for a in run]).returncode
        raise Refusal(f"docker could pull none of {', '.join(candidates)}")
    if not python:
        raise Refusal(f"{wheel.name}: --python is needed for a wheel that is not musllinux")
    script = smoke_script(wheel, str(wheel), python, str(project), requires, command)
    if dry_run:
        print(script, end="")
        return 0
    return subprocess.run(["sh", "-c", script], env=dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")).returncode


# ---------------------------------------------------------------- tag

PEP440 = re.compile(r"""v?(?:(?P<epoch>\d+)!)?(?P<release>\d+(?:\.\d+)*)
    (?P<pre>[-_.]?(?P<pre_l>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?P<pre_n>\d+)?)?
    (?P<post>-(?P<post_n1>\d+)|[-_.]?(?:post|rev|r)[-_.]?(?P<post_n2>\d+)?)?
    (?P<dev>[-_.]?dev[-_.]?(?P<dev_n>\d+)?)?
    (?:\+(?P<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?""", re.X | re.I)
PRE = {"alpha": "a", "beta": "b", "c": "rc", "pre": "rc", "preview": "rc"}


def canonical(version):
    """A PEP 440 version in normal form, trailing .0s dropped (1.0 == 1.0.0), or
    None. Also takes Cargo's 1.0.0-alpha.1, which maturin publishes as 1.0.0a1."""
    m = PEP440.fullmatch(version.strip())
    if not m:
        return None
    release = [int(p) for p in m["release"].split(".")]
    while len(release) > 1 and release[-1] == 0:
        release.pop()
    text = (f"{int(m['epoch'])}!" if m["epoch"] and int(m["epoch"]) else "") + ".".join(map(str, release))
    if m["pre"]:
        label = m["pre_l"].lower()
        text += f"{PRE.get(label, label)}{int(m['pre_n'] or 0)}"
    if m["post"]:
        text += f".post{int(m['post_n1'] or m['post_n2'] or 0)}"
    if m["dev"]:
        text += f".dev{int(m['dev_n'] or 0)}"
    if m["local"]:
        text += "+" + ".".join(str(int(p)) if p.isdigit() else p.lower() for p in re.split(r"[-_.]", m["local"]))
    return text


def release_versions(paths):
    """{version: [file]} of the wheels and sdists among `paths`."""
    found = {}
    for path in map(Path, paths):
        for f in sorted(path.rglob("*") if path.is_dir() else [path]):
            if f.name.endswith(".whl"):
                version = parse_wheel(f.name)[1]
            elif f.name.endswith(".tar.gz"):
                version = f.name[:-len(".tar.gz")].rpartition("-")[2]
            else:
                continue
            found.setdefault(version, []).append(f.name)
    return found


def check_tag(tag, paths, version):
    tag = tag.removeprefix("refs/tags/")
    found = release_versions(paths)
    if version:
        found.setdefault(version, []).append("the crate")
    versions = {canonical(v) for v in found}
    if not found:
        raise Refusal("no wheel, sdist or --version to compare the tag with")
    if len(versions) != 1 or None in versions:
        raise Refusal("the release has more than one version: " +
                      "; ".join(f"{v} ({', '.join(files)})" for v, files in found.items()))
    (want,) = versions
    shown = next(iter(found))
    if canonical(tag) != want:
        raise Refusal(f"the tag {tag} does not name this release's version, {shown}; "
                      f"fix: tag the commit v{shown} (or set the version to the tag's)")
    return f"the tag {tag} names version {shown}"


# ---------------------------------------------------------------- descriptions

def metadata_of(path):
    """The core metadata text of a wheel (.dist-info/METADATA) or an sdist
    (<name>-<version>/PKG-INFO)."""
    if path.name.endswith(".whl"):
        with zipfile.ZipFile(path) as z:
            names = [n for n in z.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", n)]
            return z.read(names[0]).decode() if len(names) == 1 else None
    with tarfile.open(path) as t:
        member = next((m for m in t.getmembers() if re.fullmatch(r"[^/]+/PKG-INFO", m.name)), None)
        return t.extractfile(member).read().decode() if member else None


def description_problem(text):
    """Why PyPI would refuse this metadata's description (warehouse's
    forklift: readme.render(..., use_fallback=False) is None), or None."""
    try:
        import readme_renderer.rst
    except ImportError:
        raise Refusal("check-descriptions needs readme_renderer: run it with the Python of a venv made with "
                      "`pip install --no-deps --require-hashes -r .github/wheelwright/release-requirements.txt`")
    meta = email.parser.Parser().parsestr(text)
    description = meta.get_payload() or meta.get("Description", "")
    if not description.strip():
        return None
    content_type = meta.get("Description-Content-Type")
    kind = email.message.EmailMessage()
    kind["content-type"] = content_type or "text/x-rst"
    if kind.get_content_type() != "text/x-rst":
        return None  # Markdown and plain text always render
    warnings = io.StringIO()
    if readme_renderer.rst.render(description, stream=warnings) is not None:
        return None
    where = " ".join(warnings.getvalue().split())[:300]
    default = "" if content_type else " (no Description-Content-Type, so PyPI's default)"
    return f"its reStructuredText description{default} does not render: {where}"


def check_descriptions(paths):
    files = [f for path in map(Path, paths) for f in sorted(path.rglob("*") if path.is_dir() else [path])
             if f.name.endswith((".whl", ".tar.gz"))]
    if not files:
        raise Refusal("no wheel or sdist to check")
    problems = []
    for f in files:
        text = metadata_of(f)
        problem = "it has no core metadata" if text is None else description_problem(text)
        if problem:
            problems.append(f"{f.name}: {problem}")
    if problems:
        raise Refusal("PyPI would refuse " + "; ".join(problems) + ". Fix the README the description comes "
                      "from (`python -m readme_renderer README.rst` shows the same message), or write it in "
                      "Markdown (README.md) for maturin to declare text/markdown")
    return f"{len(files)} descriptions render as PyPI renders them"


# ---------------------------------------------------------------- main

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("smoke-plan")
    p.add_argument("directory")
    p = sub.add_parser("smoke")
    p.add_argument("wheel")
    p.add_argument("--interpreter", required=True)
    p.add_argument("--python")
    p.add_argument("--project", default=".")
    p.add_argument("--dry-run", action="store_true")
    p = sub.add_parser("check-tag")
    p.add_argument("tag")
    p.add_argument("paths", nargs="*")
    p.add_argument("--version")
    p = sub.add_parser("check-descriptions")
    p.add_argument("paths", nargs="+")
    args = parser.parse_args(argv)
    try:
        if args.command == "smoke-plan":
            matrix, notes = smoke_plan(args.directory)
            for note in notes:
                print(note, file=sys.stderr)
            print(json.dumps(matrix, separators=(",", ":")))
            return 0
        if args.command == "smoke":
            return smoke(args.wheel, args.interpreter, args.python, args.project, args.dry_run)
        if args.command == "check-descriptions":
            print(check_descriptions(args.paths))
            return 0
        print(check_tag(args.tag, args.paths, args.version))
        return 0
    except Refusal as refusal:
        print(f"error: {refusal}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
