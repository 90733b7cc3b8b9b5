"""lib/data/targets.nix's table, from lib/data/targets.json without Nix: for
the checks (TARGETS and its orderings) and, as a program, for setup's step
files, which run before Nix is installed:

    python3 checks/harness/targets.py [--libc glibc|musl] FIELD...

prints one line per target, in the table's order, with the asked fields
joined by ':' (`triple` is the target's key); a line that several targets
give (e.g. `debian` of x86_64's glibc and musl targets) is printed once.
"""

import argparse
import json
from pathlib import Path

TABLE = Path(__file__).resolve().parents[2] / "lib" / "data" / "targets.json"
TARGETS = json.loads(TABLE.read_text())["targets"]
# the glibc targets with x86_64 (the host) first, then every target, musl ones last
GLIBC_TARGETS = sorted((t for t, v in TARGETS.items() if v["libc"] == "glibc"),
                       key=lambda t: (not t.startswith("x86_64-"), t))
ALL_TARGETS = GLIBC_TARGETS + sorted(t for t, v in TARGETS.items() if v["libc"] == "musl")
NATIVE = "x86_64-unknown-linux-gnu"
# wheel architecture -> Rust's name for it, which the examples report
RUST_ARCH = {v["arch"]: v["rustArch"] for v in TARGETS.values()}


def rows(fields, libc=None):
    """The asked fields of each target (of `libc`, if given), joined by ':'."""
    found = []
    for triple, target in TARGETS.items():
        if libc in (None, target["libc"]):
            row = ":".join(triple if f == "triple" else target[f] for f in fields)
            if row not in found:
                found.append(row)
    return found


def main():
    parser = argparse.ArgumentParser(description="Fields of lib/data/targets.json, one line per target.")
    parser.add_argument("--libc", choices=["glibc", "musl"])
    parser.add_argument("fields", nargs="+")
    args = parser.parse_args()
    known = {"triple", *(f for target in TARGETS.values() for f in target)}
    for field in args.fields:
        if field not in known:
            parser.error(f"no field {field!r} in {TABLE}; its fields: {', '.join(sorted(known))}")
    print("\n".join(rows(args.fields, args.libc)))


if __name__ == "__main__":
    main()
