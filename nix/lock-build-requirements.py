#!/usr/bin/env python3
"""Writes a project's build-requirements.lock: the wheels that its
pyproject.toml's [build-system] requires resolves to (maturin left out:
wheelwright pins its own), for each build system and CPython a build may run,
each by URL and sha256. A build then installs exactly those wheels into its
python3, offline: the flake fetches them as fixed outputs, the test suite
downloads and checks the same files.

    lock-build-requirements.py [PROJECT] [--python 3.13 ...]

PROJECT is the directory of pyproject.toml (default: the current one). It
runs pip's resolver (`pip install --dry-run --report`, which downloads only
metadata) once for each system and CPython, so it needs pip and PyPI. Run it
again whenever [build-system] requires changes: a build refuses a lock
written for other requirements.
"""
import argparse
import json
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

LOCK_NAME = "build-requirements.lock"
# The build machines wheelwright runs on, as pip's platform tags spell them.
SYSTEMS = {"x86_64-linux": "x86_64", "aarch64-linux": "aarch64"}
# CPythons a build's python3 may be: nixpkgs' python3 of the years
# wheelwright supports, and the test suite's 3.11.
PYTHONS = ["3.11", "3.12", "3.13", "3.14"]
# wheelwright runs its own, pinned maturin.
BUILD_BACKEND = "maturin"


def requirement_name(requirement):
    """PEP 503's normalized project name of a PEP 508 requirement."""
    name = ""
    for char in requirement.strip():
        if not (char.isalnum() or char in "-_."):
            break
        name += char
    return name.lower().replace("_", "-").replace(".", "-")


def resolve(requires, system, python):
    """[{name, version, url, sha256}] of the wheels pip resolves `requires`
    to for `system` and CPython `python`, sorted by name."""
    arch = SYSTEMS[system]
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        command = [sys.executable, "-m", "pip", "install", "--quiet", "--dry-run", "--ignore-installed",
                   "--target", str(Path(scratch) / "target"), "--report", str(report), "--only-binary=:all:",
                   "--platform", f"manylinux_2_17_{arch}", "--platform", f"manylinux2014_{arch}",
                   "--python-version", python, "--implementation", "cp", *requires]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"lock-build-requirements: pip cannot resolve {' '.join(requires)} for {system} and "
                     f"CPython {python}:\n{done.stderr.strip()}")
        installs = json.loads(report.read_text())["install"]
    wheels = []
    for install in installs:
        info = install["download_info"]
        wheels.append({"name": requirement_name(install["metadata"]["name"]),
                       "version": install["metadata"]["version"],
                       "url": info["url"], "sha256": info["archive_info"]["hashes"]["sha256"]})
    return sorted(wheels, key=lambda wheel: wheel["name"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", nargs="?", default=".", type=Path,
                        help="the directory of pyproject.toml (default: .)")
    parser.add_argument("--python", action="append", dest="pythons", metavar="X.Y",
                        help=f"a CPython the builds may run (default: {', '.join(PYTHONS)})")
    args = parser.parse_args()
    pyproject = args.project / "pyproject.toml"
    try:
        requires = tomllib.loads(pyproject.read_text())["build-system"]["requires"]
    except (OSError, KeyError, tomllib.TOMLDecodeError) as error:
        sys.exit(f"lock-build-requirements: cannot read [build-system] requires from {pyproject}: {error}")
    wanted = [r for r in requires if requirement_name(r) != BUILD_BACKEND]
    if not wanted:
        sys.exit(f"lock-build-requirements: {pyproject}'s [build-system] requires names nothing but "
                 f"{BUILD_BACKEND}, which wheelwright provides; no lock is needed")
    lock = {"_comment": [f"Written by wheelwright's nix/lock-build-requirements.py from {pyproject.name}'s",
                         "[build-system] requires; run it again when they change."],
            "requires": requires,
            "wheels": {f"{system}/cp{python.replace('.', '')}": resolve(wanted, system, python)
                       for system in SYSTEMS for python in args.pythons or PYTHONS}}
    (args.project / LOCK_NAME).write_text(json.dumps(lock, indent=2) + "\n")
    print(f"lock-build-requirements: wrote {args.project / LOCK_NAME}: "
          f"{len({w['name'] for ws in lock['wheels'].values() for w in ws})} packages for "
          f"{len(lock['wheels'])} systems and CPythons")


if __name__ == "__main__":
    main()
