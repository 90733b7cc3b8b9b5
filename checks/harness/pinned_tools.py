#!/usr/bin/env python3
"""Reads lib/data/tools.json for the scripts that install tools outside Nix.

    pinned_tools.py fetch DEST [--system x86_64-linux] [--python cp311] [--wheels-only]
    pinned_tools.py version NAME

`fetch` downloads the files pinned for one build system (every tool wheel, and
cbindgen's crate) and checks each against its sha256, so the suite installs
exactly the files the flake's default tools are made of. It prints one path a
line; a file already in DEST with the right hash is not downloaded again, and
it exits 1 naming a file whose hash differs from the pin. `version` prints a
tool's pinned version.
"""

import argparse
import hashlib
import json
import sys
import urllib.request
from pathlib import Path

TOOLS_JSON = Path(__file__).resolve().parents[2] / "lib" / "data" / "tools.json"


def tools():
    return json.loads(TOOLS_JSON.read_text())["tools"]


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
    version = commands.add_parser("version", help="print a tool's pinned version")
    version.add_argument("name")
    args = parser.parse_args()
    if args.command == "version":
        if args.name not in tools():
            raise SystemExit(f"pinned_tools: lib/data/tools.json pins no tool {args.name!r}; it pins {', '.join(tools())}")
        print(tools()[args.name]["version"])
        return
    for _, pin in pinned_files(args.system, args.python, args.wheels_only):
        print(fetch(pin, args.dest))


if __name__ == "__main__":
    sys.exit(main())
