"""The interpreter matrix: every CPython `pythonVersions` accepts
(lib/data/pythons.nix's `supported`), an abi3t crate's one wheel, and an abi3
and abi3t crate's three (cp311-abi3, cp314t, cp315-abi3.abi3t), built by
nix/builder/builder.sh for the native and one foreign target, each wheel verified by
the builder and imported by its own CPython where this machine has one.

Where they come from (setup.sh): 3.11 is the host's (x86_64) and bookworm's
(foreign); 3.9 bullseye's, 3.13 trixie's, 3.14 and 3.15 unstable's, each run
under qemu-user. Debian packages no 3.10, 3.12 or free-threaded 3.14t, and the
reachable mirror does not serve python3.14's source to build one: those wheels
are built and verified, not imported, and each check line says so.
"""

import functools
import re
import zipfile
from pathlib import Path

from harness.ci_env import CI
from harness.process import Failure, nix_eval, run
from harness.sandbox import Project, python_of
from harness.targets import NATIVE

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BUILD_TARGETS = [NATIVE, "aarch64-unknown-linux-gnu"]
ABI3T = Project("abi3t", FIXTURES / "abi3t", "wheel")
ABI3_AND_ABI3T = Project("abi3-and-abi3t", FIXTURES / "abi3-and-abi3t", "wheel")


@functools.cache
def supported():
    return nix_eval("(import ./lib/data/pythons.nix).supported")


def matrix():
    return Project("per-interpreter-matrix", FIXTURES / "per-interpreter", "wheel",
                   (("pythonVersions", "[ " + " ".join(f'"{v}"' for v in supported()) + " ]"),))


def builds():
    """(project, target) of each build; the abi3 and abi3t crate's two maturin
    runs are the same for every target, so the native one proves its set."""
    return [(p, t) for p in (matrix(), ABI3T) for t in BUILD_TARGETS] + [(ABI3_AND_ABI3T, BUILD_TARGETS[0])]


def wanted(project):
    """The CPython each of the project's wheels is for (version_of)."""
    return {"per-interpreter-matrix": supported(), ABI3T.name: ["3.15"],
            ABI3_AND_ABI3T.name: ["3.11", "3.14t", "3.15"]}[project.name]


def interpreter(arch, version):
    """The command that runs CPython `version` for `arch` here, or None."""
    if version == "3.11":
        return python_of(arch)[0]
    root = CI().interpreters.get((arch, version))
    if not root:
        return None
    return [str(CI().qemu[arch]), "-L", str(root), f"{root}/usr/bin/python{version}"]


def version_of(wheel):
    """`3.9`, `3.14t`, or `3.15` (abi3t: the oldest CPython that loads it)."""
    python, abi = wheel.name.split("-")[2:4]
    m = re.fullmatch(r"cp3(\d+)", python)
    if not m:
        raise Failure(f"{wheel.name}: python tag {python} is not a CPython one")
    return f"3.{m[1]}" + ("t" if abi.endswith("t") and "abi3" not in abi else "")


def prove(sandbox, project, plan):
    """Builds `project` for the plan's target; imports each wheel by its
    CPython where there is one. Returns the check's summary."""
    arch = plan["env"]["WW_ARCH"]
    out = sandbox.build(project, plan, f"{project.name}-{arch}", copy=1)[0]
    wheels = sorted(out.glob("*.whl"), key=lambda w: ([int(x) for x in re.findall(r"\d+", version_of(w))], w.name))
    want = wanted(project)
    got = [version_of(w) for w in wheels]
    if got != want:
        raise Failure(f"built wheels for {got}, expected one each for {want}: {[w.name for w in wheels]}")
    imported, built_only = [], []
    for wheel in wheels:
        version = version_of(wheel)
        site = sandbox.work / "site" / wheel.name
        with zipfile.ZipFile(wheel) as z:
            z.extractall(site)
        python = interpreter(arch, version)
        if python is None:
            built_only.append(version)
            continue
        said = run([*python, project.dir / "tests" / "smoke.py"],
                   env_vars={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}).stdout.strip()
        if not said.startswith("ok "):
            raise Failure(f"{wheel.name} under CPython {version}: {said}")
        imported.append(version)
    summary = f"{len(wheels)} wheel(s) verified; imported by CPython {', '.join(imported)}"
    if built_only:
        summary += f"; built and verified only (no such CPython here): {', '.join(built_only)}"
    return summary
