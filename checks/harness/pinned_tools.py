#!/usr/bin/env python3
"""Reads lib/data/tools.json for the scripts that install tools outside Nix.

    pinned_tools.py fetch DEST [--system x86_64-linux] [--python cp311] [--wheels-only]
    pinned_tools.py version NAME
    pinned_tools.py sdist NAME
    pinned_tools.py library-source NAME

`fetch` downloads the files pinned for one build system (every tool wheel, and
cbindgen's crate) and checks each against its sha256, so the suite installs
exactly the files the flake's default tools are made of. It prints one path a
line; a file already in DEST with the right hash is not downloaded again, and
it exits 1 naming a file whose hash differs from the pin. `version` prints a
tool's pinned version, `sdist` its pinned source distribution ("URL SHA256"),
and `library-source` the source lib/data/targetLibraries.json pins for a
target library ("URL SHA256 DIR", DIR the library's tree inside it), for
setup steps that build them outside Nix.
"""

import argparse
import hashlib
import json
import sys
import urllib.request
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "lib" / "data"
TOOLS_JSON = DATA / "tools.json"
LIBRARIES_JSON = DATA / "targetLibraries.json"


def tools():
    return json.loads(TOOLS_JSON.read_text())["tools"]


def pinned(table, name, kind):
    """`table`'s entry `name`, or exit naming what the file pins."""
    if name not in table:
        raise SystemExit(f"pinned_tools: {kind} pins no {name!r}; it pins {', '.join(table)}")
    return table[name]


def pinned_files(system, python, wheels_only=False):
    """(name, {url, sha256}) of every pinned file for `system` and the CPython
    `python` (e.g. cp311) that installs the wheels."""
    for name, tool in tools().items():
        if "crate" in tool:
            if not wheels_only:
                yield name, tool["crate"]
            continue
        wheels = tool["wheels"]
        wheel = wheels.get(f"{system}/{python}") or wheels.get(system) or wheels.get("any")
        if wheel is None:
            raise SystemExit(f"pinned_tools: lib/data/tools.json pins no {name} wheel for {system} and {python}; "
                             f"it has {', '.join(wheels)}")
        yield name, wheel


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fetch(pin, dest, pinned_in="lib/data/tools.json"):
    url, sha256 = pin["url"], pin["sha256"]
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / url.rsplit("/", 1)[1]
    if path.exists() and sha256_of(path) == sha256:
        return path
    partial = path.with_name(path.name + ".part")
    with urllib.request.urlopen(url, timeout=300) as response, open(partial, "wb") as out:
        while block := response.read(1 << 20):
            out.write(block)
    got = sha256_of(partial)
    if got != sha256:
        partial.unlink()
        raise SystemExit(f"pinned_tools: {url} has sha256 {got}, but {pinned_in} pins {sha256}")
    partial.replace(path)
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    fetch_files = commands.add_parser("fetch", help="download and check the pinned files")
    fetch_files.add_argument("dest", type=Path)
    fetch_files.add_argument("--system", default="x86_64-linux")
    fetch_files.add_argument("--python", default=f"cp3{sys.version_info.minor}",
                             help="the CPython that installs the wheels (default: this one)")
    fetch_files.add_argument("--wheels-only", action="store_true", help="leave out cbindgen's crate")
    for command, what in [("version", "print a tool's pinned version"),
                          ("sdist", "print a tool's pinned sdist: URL SHA256"),
                          ("library-source", "print a target library's pinned source: URL SHA256 DIR")]:
        commands.add_parser(command, help=what).add_argument("name")
    args = parser.parse_args()
    if args.command in ("version", "sdist"):
        tool = pinned(tools(), args.name, "lib/data/tools.json")
        if args.command == "version":
            print(tool["version"])
        elif "sdist" not in tool:
            raise SystemExit(f"pinned_tools: lib/data/tools.json pins no sdist of {args.name}")
        else:
            print(tool["sdist"]["url"], tool["sdist"]["sha256"])
        return
    if args.command == "library-source":
        library = pinned(json.loads(LIBRARIES_JSON.read_text())["libraries"], args.name, "lib/data/targetLibraries.json")
        if "source" not in library:
            raise SystemExit(f"pinned_tools: the target library {args.name} has no source tarball "
                             "(lib/data/targetLibraries.json gives Debian's packages of it)")
        print(library["source"]["url"], library["source"]["sha256"], library["source"]["dir"])
        return
    for _, pin in pinned_files(args.system, args.python, args.wheels_only):
        print(fetch(pin, args.dest))


if __name__ == "__main__":
    sys.exit(main())
