"""What checks/offline/setup.sh provisioned, typed: the paths and versions it
writes to $WW_CI_ROOT/env.sh, read from that file (so no module runs anything
to learn them, and a script need not have sourced it).

    from harness.ci_env import CI
    CI().rust_bin / "cargo"
"""

import functools
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ENV_FILE = Path(os.environ.get("WW_CI_ROOT", "/opt/wheelwright-ci")) / "env.sh"


@dataclass(frozen=True)
class Emulated:
    """A Debian root that runs a wheel architecture's programs under qemu-user."""
    qemu: Path
    root: Path


@dataclass(frozen=True)
class CiEnv:
    ci_root: Path
    # Debian unstable's rustc, cargo and rustdoc, which run under env -i
    rust_bin: Path
    rust_version: str
    rust_deb_version: str
    # the venv of the flake's default Python tools (maturin ziglang auditwheel ...)
    venv_bin: Path
    host_python: Path
    zig_lib_dir: Path
    # the suite's own tools
    index_server: Path
    actionlint: Path
    release_tools_python: Path
    attest_assets: Path
    cargo_tools_bin: Path
    # the real-nix chroot (absent without input trees) and the input trees
    real_nix_root: Path
    real_nix_inputs: Path
    # wheel arch -> its qemu-user, Debian's CPython root (glibc), its python's
    # path in the root, Debian's musl root and setup's CPython on musl
    qemu: dict
    glibc: dict
    glibc_python: dict
    musl: dict
    musl_python: dict
    # (wheel arch, "3.X") -> a root of the interpreter matrix's CPython 3.X
    interpreters: dict
    # tool (as pip or cargo names it) -> the version setup installed
    versions: dict


def parse(text):
    """env.sh's `export NAME='value'` lines as a dict."""
    return dict(re.findall(r"^export (\w+)='([^']*)'$", text, re.M))


@functools.cache
def CI():
    """The CiEnv of $WW_CI_ROOT/env.sh; exits with what to run when setup has not."""
    if not ENV_FILE.is_file():
        sys.exit(f"harness: {ENV_FILE} does not exist; run checks/offline/setup.sh (checks/offline/run does)")
    values = parse(ENV_FILE.read_text())

    def get(name):
        if not values.get(name):
            sys.exit(f"harness: {ENV_FILE} does not set {name}; run checks/offline/setup.sh again")
        return values[name]

    def path(name):
        return Path(get(name))

    qemu = {name.removeprefix("WW_QEMU_"): Path(v) for name, v in values.items()
            if name.startswith("WW_QEMU_") and name != "WW_QEMU_VERSION"}
    musl_arches = [name.removeprefix("WW_MUSLROOT_") for name in values if name.startswith("WW_MUSLROOT_")]
    return CiEnv(
        ci_root=path("WW_CI_ROOT"),
        rust_bin=path("WW_RUST_BIN"),
        rust_version=get("WW_RUST_VERSION"),
        rust_deb_version=get("WW_RUST_DEB_VERSION"),
        venv_bin=path("WW_VENV_BIN"),
        host_python=path("WW_HOST_PYTHON"),
        zig_lib_dir=path("WW_ZIG_LIB_DIR"),
        index_server=path("WW_INDEX_SERVER"),
        actionlint=path("WW_ACTIONLINT"),
        release_tools_python=path("WW_RELEASE_TOOLS_PYTHON"),
        attest_assets=path("WW_ATTEST_ASSETS"),
        cargo_tools_bin=path("WW_CARGO_TOOLS_BIN"),
        real_nix_root=path("WW_REAL_NIX_ROOT"),
        real_nix_inputs=path("WW_REAL_NIX_INPUTS"),
        qemu=qemu,
        glibc={arch: Emulated(qemu[arch], path(f"WW_PYROOT_{arch}")) for arch in get("WW_PYROOT_ARCHES").split()},
        glibc_python={arch: get(f"WW_PYROOT_{arch}_PYTHON") for arch in get("WW_PYROOT_ARCHES").split()},
        musl={arch: Emulated(path(f"WW_MUSLQEMU_{arch}"), path(f"WW_MUSLROOT_{arch}")) for arch in musl_arches},
        musl_python={arch: path(f"WW_MUSL_PYTHON_{arch}") for arch in musl_arches},
        interpreters={(m[1], f"{m[2]}.{m[3]}"): Path(v) for name, v in values.items()
                      if (m := re.fullmatch(r"WW_INTERPRETER_(.+)_(\d+)_(\d+)", name))},
        versions={m[1].lower().replace("_", "-"): v for name, v in values.items()
                  if (m := re.fullmatch(r"WW_([A-Z0-9_]+)_VERSION", name))},
    )
