#!/usr/bin/env python3
"""The README's options table, made from lib/data/options.nix (its one home).

  options_doc.py           fails, showing the table, when the README's differs
  options_doc.py --write   writes the table into the README

The nix stage runs the first. The table sits between two markers in the
README's "Options" section.
"""

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
BEGIN = "<!-- the options table: made from lib/data/options.nix by checks/offline/options_doc.py --write -->\n"
END = "<!-- end of the options table -->\n"


def nix_value(value):
    """A default as the README shows it, in Nix syntax."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value == []:
        return "[ ]"
    if value == {}:
        return "{ }"
    return json.dumps(value)


def table():
    proc = subprocess.run(["nix-instantiate", "--eval", "--strict", "--json", "-E", "(import ./lib).options"],
                          cwd=REPO, capture_output=True, text=True, check=True)
    rows = ["| option | builds | default | meaning |", "|---|---|---|---|"]
    for o in json.loads(proc.stdout):
        default = o.get("defaultText") or f"`{nix_value(o['default'])}`"
        builds = ", ".join(o["kinds"]) if o["layer"] != "packages" else "`targetPackages`"
        rows.append(f"| `{o['name']}` | {builds} | {default} | {o['doc']} |")
    return "\n".join(rows) + "\n"


def split_readme():
    text = README.read_text()
    if text.count(BEGIN) != 1 or text.count(END) != 1:
        raise SystemExit(f"README.md must hold the markers once each:\n{BEGIN}{END}")
    head, rest = text.split(BEGIN)
    current, tail = rest.split(END)
    return head, current, tail


class Stale(Exception):
    pass


def check():
    """Raises Stale when the README's table is not lib/data/options.nix's."""
    _, current, _ = split_readme()
    wanted = table()
    if current != wanted:
        raise Stale("README.md's options table differs from lib/data/options.nix; "
                         "run checks/offline/options_doc.py --write. It should be:\n" + wanted)
    return f"{wanted.count(chr(10)) - 2} options, as lib/data/options.nix has them"


def main():
    if sys.argv[1:] == ["--write"]:
        head, _, tail = split_readme()
        README.write_text(head + BEGIN + table() + END + tail)
        return 0
    try:
        print(check())
    except Stale as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
