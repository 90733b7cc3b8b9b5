#!/usr/bin/env python3
"""The README's function and options tables, made from lib/data/functions.nix
and lib/data/options.nix (their one home).

  options_doc.py           fails, showing the table, when the README's differs
  options_doc.py --write   writes the tables into the README

The nix stage runs the first. Each table sits between two markers, in the
README's "The library" and "Options" sections.
"""

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
# each table's markers in the README
OPTIONS = ("<!-- the options table: made from lib/data/options.nix by checks/offline/options_doc.py --write -->\n",
           "<!-- end of the options table -->\n")
FUNCTIONS = ("<!-- the function table: made from lib/data/functions.nix and lib/data/options.nix by "
             "checks/offline/options_doc.py --write -->\n", "<!-- end of the function table -->\n")


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


def evaluate(expr):
    proc = subprocess.run(["nix-instantiate", "--eval", "--strict", "--json", "-E", expr],
                          cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def options_table(options):
    rows = ["| option | builds | default | meaning |", "|---|---|---|---|"]
    for o in options:
        default = o.get("defaultText") or f"`{nix_value(o['default'])}`"
        builds = ", ".join(o["kinds"]) if o["layer"] != "packages" else "`targetPackages`"
        rows.append(f"| `{o['name']}` | {builds} | {default} | {o['doc']} |")
    return "\n".join(rows) + "\n"


def function_table(functions, options):
    """Each function with its required options and the names of the others."""
    rows = ["| function | options | result |", "|---|---|---|"]
    for f in functions:
        # a build's options; targetPackages's own (layer "packages") as well
        own = [o for o in options if o["name"] not in f["sets"] and
               (set(o["kinds"]) & set(f["kinds"]) or (o["layer"] == "packages" and f["name"] == "targetPackages"))]
        required = [o["name"] for o in own if o.get("defaultText") == "(required)" and
                    (o["name"] == "src" or set(f["kinds"]) <= set(o["kinds"]))]
        optional = [o["name"] for o in own if o["name"] not in required]
        rows.append(f"| `{f['name']} {{ {', '.join(required)}, ... }}` | "
                    f"{', '.join(f'`{n}`' for n in optional)} | {f['result']} |")
    return "\n".join(rows) + "\n"


def tables(options):
    """(markers, wanted text) of each table."""
    functions = evaluate("import ./lib/data/functions.nix")
    return [(OPTIONS, options_table(options)), (FUNCTIONS, function_table(functions, options))]


def split_readme(text, markers):
    begin, end = markers
    if text.count(begin) != 1 or text.count(end) != 1:
        raise SystemExit(f"README.md must hold the markers once each:\n{begin}{end}")
    head, rest = text.split(begin)
    current, tail = rest.split(end)
    return head, current, tail


class Stale(Exception):
    pass


def check():
    """Raises Stale when a README table is not the data's."""
    text = README.read_text()
    options = evaluate("(import ./lib).options")
    for markers, wanted in tables(options):
        if split_readme(text, markers)[1] != wanted:
            raise Stale("README.md's tables differ from lib/data/functions.nix and options.nix; "
                        "run checks/offline/options_doc.py --write. This one should be:\n" + wanted)
    return f"{len(options)} options and the functions that take them, as lib/data has them"


def main():
    if sys.argv[1:] == ["--write"]:
        text = README.read_text()
        for markers, wanted in tables(evaluate("(import ./lib).options")):
            head, _, tail = split_readme(text, markers)
            text = head + markers[0] + wanted + markers[1] + tail
        README.write_text(text)
        return 0
    try:
        print(check())
    except Stale as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
