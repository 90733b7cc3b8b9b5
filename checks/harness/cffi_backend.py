"""The _cffi_backend that a cffi module (maturin's cffi bindings, or a
cffi-generated C module such as cryptography's) imports, for the suite's
CPythons: lib/data/tools.json's cffi wheel for a wheel architecture, libc and
CPython, the release the build's own python3 pins, where PyPI has one; else,
for a foreign glibc CPython, Debian's, which setup puts in its root
(setup/pyroots.sh's PYROOT_IMPORT_PACKAGES), and for a musl CPython the one
setup compiles into it from the pinned cffi's sdist (setup/musl.sh)."""

import re
import zipfile

from harness import pinned_tools
from harness.ci_env import CI
from harness.process import Failure


def needs_cffi(site):
    """Whether the unpacked wheel at `site` requires cffi (a cffi module)."""
    return any(re.search(r"^Requires-Dist: cffi\b", m.read_text(), re.M) for m in site.glob("*.dist-info/METADATA"))


def pin(arch, libc="glibc", version=(3, 11)):
    """tools.json's key and pin of the cffi wheel for `arch`, `libc` and
    CPython `version` (the pin None where it has none)."""
    key = f"{arch}-linux{'-musl' if libc == 'musl' else ''}/cp{version[0]}{version[1]}"
    return key, pinned_tools.tools()["cffi"]["wheels"].get(key)


def wheel(arch, libc="glibc", version=(3, 11)):
    """The pinned cffi wheel for `arch`, `libc` and CPython `version`,
    downloaded and checked."""
    key, pinned = pin(arch, libc, version)
    if pinned is None:
        raise Failure(f"lib/data/tools.json pins no cffi wheel for {key}, so no cffi module can be imported there; "
                      "pin PyPI's wheel for it, if PyPI has one")
    return pinned_tools.fetch(pinned, CI().ci_root / "downloads" / f"tools-{key.split('/')[0]}")


def path(work, arch, libc="glibc", version=(3, 11)):
    """The PYTHONPATH entries that give the CPython of `arch`, `libc` and
    `version` a _cffi_backend: the pinned wheel unpacked under `work`, or
    none for a foreign glibc root or a musl CPython without a pin (each has
    its own backend)."""
    _, pinned = pin(arch, libc, version)
    if pinned is None and (libc == "musl" or arch != "x86_64"):
        return []
    dest = work / "cffi-site" / f"{arch}-{libc}-cp{version[0]}{version[1]}"
    if not dest.exists():
        with zipfile.ZipFile(wheel(arch, libc, version)) as z:
            z.extractall(dest)
    return [dest]
