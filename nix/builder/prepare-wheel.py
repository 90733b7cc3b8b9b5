"""Prepares one wheel that maturin built for auditwheel; nix/builder/builder.sh runs it.

    prepare-wheel.py WHEEL SOURCE_URL [--libc-soname SONAME] [--strip | --strip-bundled]

- maturin's Rust SBOM names path crates by absolute path (path+file://...):
  SOURCE_URL (file://<the source root>) becomes file:///source, as the
  binaries' path remapping renames the source directory.
- With --libc-soname (musl targets): zig links a musl extension against plain
  `libc.so`, which auditwheel cannot look up, so it can only call the wheel
  linux_<arch>. Every ELF member that needs `libc.so` needs SONAME
  (libc.musl-<arch>.so.1) instead, as one linked on a musl system does.
- With --strip (uniffi libraries, linked unstripped for uniffi-bindgen,
  which reads the symbol table): every ELF member is stripped
  (`wheelwright strip`), as the wheels of other builds are when linked.
- With --strip-bundled (a build that maturin strips): the shared objects
  maturin's repair bundled (in a top-level `<name>.libs/`), which it does
  not strip, are stripped as its module is.

The wheel is rewritten in place, its members in their order and with their
timestamps; auditwheel rewrites RECORD when it repacks the wheel.
"""

import argparse
import os
import subprocess
import tempfile
import zipfile


def strict_libc(path, soname):
    """Replaces a DT_NEEDED of plain libc.so in the ELF file at `path` with
    `soname` (patchelf); a file that needs no plain libc.so stays as it is."""
    needed = subprocess.run(["patchelf", "--print-needed", path], check=True, capture_output=True,
                            text=True).stdout.split()
    if "libc.so" in needed:
        subprocess.run(["patchelf", "--replace-needed", "libc.so", soname, path], check=True)


def strip(path):
    """Drops the symbol table and debug information of the ELF file at `path`."""
    subprocess.run(["wheelwright", "strip", path], check=True)


def edited(data, edits):
    """The ELF `data` after each of `edits` (functions of a file's path) ran
    on a copy of it."""
    with tempfile.NamedTemporaryFile() as elf:
        elf.write(data)
        elf.flush()
        for edit in edits:
            edit(elf.name)
        with open(elf.name, "rb") as done:
            return done.read()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("wheel")
    parser.add_argument("source_url")
    parser.add_argument("--libc-soname")
    stripped = parser.add_mutually_exclusive_group()
    stripped.add_argument("--strip", action="store_true")
    stripped.add_argument("--strip-bundled", action="store_true")
    args = parser.parse_args()
    source = args.source_url.encode()
    libc = [lambda path: strict_libc(path, args.libc_soname)] if args.libc_soname else []
    with zipfile.ZipFile(args.wheel) as old, \
            zipfile.ZipFile(args.wheel + ".new", "w", zipfile.ZIP_DEFLATED) as new:
        for member in old.infolist():
            data = old.read(member)
            bundled = member.filename.split("/", 1)[0].endswith(".libs")
            edits = ([strip] if args.strip or (args.strip_bundled and bundled) else []) + libc
            if "/sboms/" in member.filename:
                data = data.replace(source, b"file:///source")
            elif edits and data.startswith(b"\x7fELF"):
                data = edited(data, edits)
            new.writestr(member, data)
    os.replace(args.wheel + ".new", args.wheel)


if __name__ == "__main__":
    main()
