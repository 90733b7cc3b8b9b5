"""The _cffi_backend that a cffi module (maturin's cffi bindings, or a
cffi-generated C module such as cryptography's) imports, for the suite's
CPythons: lib/data/tools.json's cffi wheel for a wheel architecture, libc and
CPython, the release the build's own python3 pins."""

import re
import zipfile

from harness import pinned_tools
from harness.ci_env import CI
from harness.process import Failure


def needs_cffi(site):
    """Whether the unpacked wheel at `site` requires cffi (a cffi module)."""
    return any(re.search(r"^Requires-Dist: cffi\b", m.read_text(), re.M) for m in site.glob("*.dist-info/METADATA"))


def wheel(arch, libc="glibc", version=(3, 11)):
    """The pinned cffi wheel for `arch`, `libc` and CPython `version`,
    downloaded and checked."""
    wheels = pinned_tools.tools()["cffi"]["wheels"]
    system = f"{arch}-linux" + ("-musl" if libc == "musl" else "")
    key = f"{system}/cp{version[0]}{version[1]}"
    pin = wheels.get(key)
    if pin is None:
        raise Failure(f"lib/data/tools.json pins no cffi wheel for {key} (it has {', '.join(wheels)}), "
                      "so no cffi module can be imported there; pin PyPI's wheel for it, if PyPI has one")
    return pinned_tools.fetch(pin, CI().ci_root / "downloads" / f"tools-{system}")


def site(work, arch, libc="glibc", version=(3, 11)):
    """wheel(arch, libc, version), unpacked under `work` for PYTHONPATH."""
    dest = work / "cffi-site" / f"{arch}-{libc}-cp{version[0]}{version[1]}"
    if not dest.exists():
        with zipfile.ZipFile(wheel(arch, libc, version)) as z:
            z.extractall(dest)
    return dest
