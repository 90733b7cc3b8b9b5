"""Prepares one wheel that maturin built for auditwheel; nix/builder/builder.sh runs it.

    prepare-wheel.py WHEEL SOURCE_URL [--libc-soname SONAME] [--strip]

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

The wheel is rewritten in place, its members in their order and with their
timestamps; auditwheel rewrites RECORD when it repacks the wheel.
"""

import argparse
import os
import subprocess
import tempfile
import zipfile


def strict_libc(data, soname):
    """The ELF `data` with a DT_NEEDED of plain libc.so replaced by `soname`
    (patchelf), or `data` itself when it needs no plain libc.so."""
    with tempfile.NamedTemporaryFile() as elf:
        elf.write(data)
        elf.flush()
        needed = subprocess.run(["patchelf", "--print-needed", elf.name], check=True, capture_output=True,
                                text=True).stdout.split()
        if "libc.so" not in needed:
            return data
        subprocess.run(["patchelf", "--replace-needed", "libc.so", soname, elf.name], check=True)
        with open(elf.name, "rb") as patched:
            return patched.read()


def stripped(data):
    """The ELF `data` without symbol table and debug information."""
    with tempfile.NamedTemporaryFile() as elf:
        elf.write(data)
        elf.flush()
        subprocess.run(["wheelwright", "strip", elf.name], check=True)
        with open(elf.name, "rb") as done:
            return done.read()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("wheel")
    parser.add_argument("source_url")
    parser.add_argument("--libc-soname")
    parser.add_argument("--strip", action="store_true")
    args = parser.parse_args()
    source = args.source_url.encode()
    with zipfile.ZipFile(args.wheel) as old, \
            zipfile.ZipFile(args.wheel + ".new", "w", zipfile.ZIP_DEFLATED) as new:
        for member in old.infolist():
            data = old.read(member)
            if "/sboms/" in member.filename:
                data = data.replace(source, b"file:///source")
            elif data.startswith(b"\x7fELF"):
                if args.strip:
                    data = stripped(data)
                if args.libc_soname:
                    data = strict_libc(data, args.libc_soname)
            new.writestr(member, data)
    os.replace(args.wheel + ".new", args.wheel)


if __name__ == "__main__":
    main()
