"""The _cffi_backend that a cffi module (maturin's cffi bindings) imports, for
the suite's CPythons: lib/data/tools.json's cffi wheel for a wheel
architecture and CPython 3.11, which the build's own python3 pins beside."""

import re
import zipfile

from harness import pinned_tools
from harness.ci_env import CI
from harness.process import Failure


def needs_cffi(site):
    """Whether the unpacked wheel at `site` requires cffi (a cffi module)."""
    return any(re.search(r"^Requires-Dist: cffi\b", m.read_text(), re.M) for m in site.glob("*.dist-info/METADATA"))


def wheel(arch):
    """The pinned cffi wheel for `arch` and CPython 3.11, downloaded and checked."""
    wheels = pinned_tools.tools()["cffi"]["wheels"]
    pin = wheels.get(f"{arch}-linux/cp311")
    if pin is None:
        raise Failure(f"lib/data/tools.json pins no cffi wheel for {arch} and CPython 3.11 (it has {', '.join(wheels)}), "
                      "so no cffi module can be imported there; pin one to import on it")
    return pinned_tools.fetch(pin, CI().ci_root / "downloads" / f"tools-{arch}-linux")


def site(work, arch):
    """wheel(arch), unpacked under `work` for PYTHONPATH."""
    dest = work / "cffi-site" / arch
    if not dest.exists():
        with zipfile.ZipFile(wheel(arch)) as z:
            z.extractall(dest)
    return dest
