#!/usr/bin/env python3
"""Downloads the tool wheels nix/tools.json pins for one build system and
checks each against its sha256, so the suite installs exactly the files the
flake's default tools are made of.

    tool_wheels.py DEST [--system x86_64-linux]

Prints one path a line. A file already in DEST with the right hash is not
downloaded again; a wrong one is replaced. Exits 1 naming the file whose hash
differs from the pin.
"""

import argparse
import hashlib
import json
import sys
import urllib.request
from pathlib import Path

TOOLS_JSON = Path(__file__).resolve().parents[2] / "nix" / "tools.json"


def pinned_wheels(system):
    """(name, version, url, sha256) of every pinned wheel for `system`."""
    tools = json.loads(TOOLS_JSON.read_text())["tools"]
    for name, tool in tools.items():
        wheel = tool["wheels"].get(system) or tool["wheels"].get("any")
        if wheel is None:
            raise SystemExit(f"tool_wheels: nix/tools.json pins no {name} wheel for {system}")
        yield name, tool["version"], wheel["url"], wheel["sha256"]


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fetch(url, sha256, dest):
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
        raise SystemExit(f"tool_wheels: {url} has sha256 {got}, but nix/tools.json pins {sha256}")
    partial.replace(path)
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--system", default="x86_64-linux")
    args = parser.parse_args()
    args.dest.mkdir(parents=True, exist_ok=True)
    for _, _, url, sha256 in pinned_wheels(args.system):
        print(fetch(url, sha256, args.dest))


if __name__ == "__main__":
    sys.exit(main())
