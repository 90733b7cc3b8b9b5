#!/usr/bin/env python3
"""The GitHub workflow's decisions, proved here with the commands it runs.

templates/github/.github/wheelwright/ci.py is what the workflow runs on the wheels
it built; these checks run it on realistic wheel file names (abi3, per-interpreter,
free-threaded, abi3t, musllinux, architectures without a runner), install a wheel
with a Requires-Dist dependency and run a project's tests with it for real (the
index is a local directory), and compare tags with versions. They also read the
workflow itself: every action pinned by commit, the jobs' permissions, timeouts,
caches and commands.

Standalone: `python3 checks/offline/workflow.py` prints one line per check and
exits 1 when one fails. The suite calls `checks(results, Failure)`.
"""

import importlib.util
import io
import json
import os
import re
import shlex
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

from harness.ci_env import CI

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "templates" / "github"
WORKFLOW = Path(".github") / "workflows" / "wheelwright.yml"
CI_PY = TEMPLATE / ".github" / "wheelwright" / "ci.py"


def load_ci():
    spec = importlib.util.spec_from_file_location("wheelwright_ci", CI_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ci_command(*args, env=None, cwd=None):
    """ci.py run as the workflow runs it."""
    return subprocess.run([sys.executable, str(CI_PY), *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=600)


def wheel_bytes(name, version, tag, files, requires=(), description=""):
    """A wheel's bytes: its files, METADATA (with Requires-Dist, and
    `description`: headers, a blank line and the body) and WHEEL."""
    buffer = io.BytesIO()
    info = f"{name}-{version}.dist-info"
    with zipfile.ZipFile(buffer, "w") as z:
        for path, text in files.items():
            z.writestr(path, text)
        z.writestr(f"{info}/METADATA", "Metadata-Version: 2.1\n"
                   f"Name: {name.replace('_', '-')}\nVersion: {version}\n"
                   + "".join(f"Requires-Dist: {r}\n" for r in requires) + description)
        z.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: workflow.py\n"
                   f"Root-Is-Purelib: {'true' if tag == 'py3-none-any' else 'false'}\nTag: {tag}\n")
        z.writestr(f"{info}/RECORD", "")
    return buffer.getvalue()


def write_wheel(directory, name, version, tag, files, requires=(), description=""):
    path = Path(directory) / f"{name}-{version}-{tag}.whl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(wheel_bytes(name, version, tag, files, requires, description))
    return path


MANY = "manylinux_2_17_{0}.manylinux2014_{0}"
# (artifact, wheel file name) -> the matrix entries expected: (python, runner, musl)
PLAN_CASES = {
    # the default template: abi3-py38
    ("wheel-x86_64", f"my_extension-0.1.0-cp38-abi3-{MANY.format('x86_64')}.whl"):
        [("3.8", "ubuntu-24.04", False), ("3.x", "ubuntu-24.04", False)],
    ("wheel-aarch64", f"my_extension-0.1.0-cp38-abi3-{MANY.format('aarch64')}.whl"):
        [("3.8", "ubuntu-24.04-arm", False), ("3.x", "ubuntu-24.04-arm", False)],
    # pythonVersions = [ "3.11" "3.12" "3.14t" ]
    ("wheel-x86_64-pythons", f"per_interp-1.0.0-cp311-cp311-{MANY.format('x86_64')}.whl"):
        [("3.11", "ubuntu-24.04", False)],
    ("wheel-x86_64-pythons", f"per_interp-1.0.0-cp312-cp312-{MANY.format('x86_64')}.whl"):
        [("3.12", "ubuntu-24.04", False)],
    ("wheel-x86_64-pythons", f"per_interp-1.0.0-cp314-cp314t-{MANY.format('x86_64')}.whl"):
        [("3.14t", "ubuntu-24.04", False)],
    # PEP 803: CPython 3.15 and newer, free-threaded or not
    ("wheel-aarch64-abi3t", f"stable_t-2.0.0-cp315-abi3.abi3t-{MANY.format('aarch64')}.whl"):
        [("3.15", "ubuntu-24.04-arm", False), ("3.15t", "ubuntu-24.04-arm", False)],
    # musl: in an Alpine container, which has no free-threaded Python
    ("wheel-x86_64-musl", "my_extension-0.1.0-cp38-abi3-musllinux_1_2_x86_64.whl"):
        [("3.8", "ubuntu-24.04", True), ("3.x", "ubuntu-24.04", True)],
    ("wheel-aarch64-musl", "per_interp-1.0.0-cp312-cp312-musllinux_1_2_aarch64.whl"):
        [("3.12", "ubuntu-24.04-arm", True)],
    ("wheel-aarch64-musl", "per_interp-1.0.0-cp314-cp314t-musllinux_1_2_aarch64.whl"): [],
    # no GitHub-hosted runner of these architectures
    ("wheel-riscv64", "my_extension-0.1.0-cp38-abi3-manylinux_2_31_riscv64.whl"): [],
    ("wheel-armv7", f"my_extension-0.1.0-cp38-abi3-{MANY.format('armv7l')}.whl"): [],
}


def check_plan(ci, fail):
    with tempfile.TemporaryDirectory() as tmp:
        for artifact, name in PLAN_CASES:
            (Path(tmp) / artifact).mkdir(exist_ok=True)
            (Path(tmp) / artifact / name).write_bytes(b"")
        proc = ci_command("smoke-plan", tmp)
        if proc.returncode:
            raise fail(f"ci.py smoke-plan exited {proc.returncode}: {proc.stderr}")
        matrix = json.loads(proc.stdout)
    got = {}
    for entry in matrix:
        got.setdefault((entry["artifact"], entry["wheel"]), []).append((entry["python"], entry["runner"], entry["musl"]))
    wrong = [f"{name}: {got.get((artifact, name), [])}, expected {want}"
             for (artifact, name), want in PLAN_CASES.items() if got.get((artifact, name), []) != want]
    if wrong:
        raise fail("smoke-plan chose:\n" + "\n".join(wrong))
    for note in ("per_interp-1.0.0-cp314-cp314t-musllinux_1_2_aarch64.whl: not smoke-tested on 3.14t: no free-threaded",
                 "riscv64.whl: not smoke-tested: GitHub has no runner"):
        if note not in proc.stderr:
            raise fail(f"smoke-plan does not say `{note}`:\n{proc.stderr}")
    return f"{len(matrix)} jobs for {len(PLAN_CASES)} wheels; riscv64, armv7l and musl 3.14t left out, saying why"


def check_commands(ci, fail):
    """The commands for a wheel with a dependency and a project with tests, on the
    runner (glibc) and in Alpine (musl)."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        files = {"my_extension/__init__.py": "", "my_extension/_native.abi3.so": "",
                 "my_extension.libs/libz-0123abcd.so.1": "", "helper.abi3.so": ""}
        glibc = write_wheel(tmp / "wheels", "my_extension", "0.1.0", f"cp38-abi3-{MANY.format('x86_64')}", files,
                            requires=["numpy>=1.24"])
        musl = write_wheel(tmp / "wheels", "my_extension", "0.1.0", "cp38-abi3-musllinux_1_2_x86_64", files,
                           requires=["numpy>=1.24"])
        project = tmp / "project"
        project.mkdir()
        (project / "pyproject.toml").write_text('[project]\nname = "my-extension"\n[tool.wheelwright]\n'
                                                'test-requires = ["pytest>=8"]\ntest-command = "pytest {project}/tests"\n')
        if ci.top_level_modules(glibc) != ["helper", "my_extension"]:
            raise fail(f"top-level modules: {ci.top_level_modules(glibc)}")
        proc = ci_command("smoke", glibc, "--interpreter", "3.8", "--python", "/opt/hostedtoolcache/Python/3.8/bin/python",
                          "--project", project, "--dry-run")
        lines = proc.stdout.splitlines()
        want = [
            "set -eux",
            "/opt/hostedtoolcache/Python/3.8/bin/python -m venv \"$work/venv\"",
            f"python -m pip install --no-deps {glibc}",
            "python -m pip install my_extension==0.1.0",
            "python -m pip install 'pytest>=8'",
            'cd "$work"',
            "python -c 'import helper; print(helper.__name__, helper.__file__)'",
            f"pytest {project}/tests",
        ]
        missing = [w for w in want if w not in lines]
        if proc.returncode or missing:
            raise fail(f"glibc commands lack {missing}:\n{proc.stdout}{proc.stderr}")
        if lines.index(f"python -m pip install --no-deps {glibc}") > lines.index("python -m pip install my_extension==0.1.0"):
            raise fail("the dependencies are installed before the wheel")
        proc = ci_command("smoke", musl, "--interpreter", "3.15", "--project", project, "--dry-run")
        if proc.returncode:
            raise fail(f"musl: {proc.stderr}")
        first, _, command = proc.stdout.partition("\n")
        docker = shlex.split(command)
        if "python:3.15-alpine python:3.15-rc-alpine" not in first:
            raise fail(f"musl images: {first}")
        script = docker[-1]
        if docker[:3] != ["docker", "run", "--rm"] or "python:3.15-alpine" not in docker or f"{musl.parent}:/wheels:ro" not in docker \
                or f"{project}:/project" not in docker or docker[-3:-1] != ["sh", "-c"] \
                or f"python -m pip install --no-deps /wheels/{musl.name}" not in script \
                or "pytest /project/tests" not in script:
            raise fail(f"musl command: {docker}")
        proc = ci_command("smoke", glibc, "--interpreter", "3.8", "--project", project, "--dry-run")
        if proc.returncode != 1 or "--python is needed" not in proc.stderr:
            raise fail("a glibc wheel without --python is not refused")
    return "--no-deps, then its dependencies from the index, test-requires, imports, test-command; musl in python:X.Y-alpine"


def check_real_install(ci, fail):
    """A wheel for this interpreter, whose Requires-Dist is found on the index
    (a local directory), installed and tested by the commands ci.py runs."""
    tag = f"cp{sys.version_info[0]}{sys.version_info[1]}"
    machine = os.uname().machine
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        index = tmp / "index"
        write_wheel(index, "ww_demo_dep", "1.0.0", "py3-none-any", {"ww_demo_dep.py": "ANSWER = 42\n"})
        wheel = write_wheel(tmp / "wheels" / f"wheel-{machine}", "ww_demo", "0.1.0", f"{tag}-{tag}-{MANY.format(machine)}",
                            {"ww_demo/__init__.py": "from ww_demo_dep import ANSWER\n"}, requires=["ww-demo-dep>=1"])
        project = tmp / "project"
        (project / "tests").mkdir(parents=True)
        (project / "pyproject.toml").write_text('[tool.wheelwright]\ntest-command = "python {project}/tests/check.py"\n')
        (project / "tests" / "check.py").write_text(
            "import os, ww_demo\nassert ww_demo.ANSWER == 42\n"
            "assert 'project' not in ww_demo.__file__, ww_demo.__file__\nprint('tests ran in', os.getcwd())\n")
        matrix, _ = ci.smoke_plan(tmp / "wheels")
        if [e["python"] for e in matrix] != [f"{sys.version_info[0]}.{sys.version_info[1]}"]:
            raise fail(f"plan for {wheel.name}: {matrix}")
        offline = dict(os.environ, PIP_NO_INDEX="1", PIP_FIND_LINKS=str(index), PIP_DISABLE_PIP_VERSION_CHECK="1")
        proc = ci_command("smoke", wheel, "--interpreter", matrix[0]["python"], "--python", sys.executable,
                          "--project", project, env=offline)
        out = proc.stdout + proc.stderr
        if proc.returncode or "Successfully installed ww-demo-dep-1.0.0" not in out or "tests ran in" not in out:
            raise fail(f"ci.py smoke exited {proc.returncode}:\n" + "\n".join(out.splitlines()[-25:]))
        (project / "tests" / "check.py").write_text("raise SystemExit('a failing test')\n")
        proc = ci_command("smoke", wheel, "--interpreter", matrix[0]["python"], "--python", sys.executable,
                          "--project", project, env=offline)
        if proc.returncode == 0:
            raise fail("a failing test-command did not fail the smoke test")
        proc = ci_command("smoke", wheel, "--interpreter", matrix[0]["python"], "--python", sys.executable,
                          "--project", project, env=dict(offline, PIP_FIND_LINKS=str(tmp / "empty")))
        if proc.returncode == 0:
            raise fail("a missing dependency did not fail the smoke test")
    return f"{wheel.name} and its dependency installed, imported and tested by {Path(sys.executable).name}; " \
           "a failing test and a missing dependency fail"


def check_tags(ci, fail):
    with tempfile.TemporaryDirectory() as tmp:
        dist = Path(tmp) / "dist"
        dist.mkdir()
        for name in ("my_extension-1.2.0.tar.gz", f"my_extension-1.2.0-cp38-abi3-{MANY.format('x86_64')}.whl"):
            (dist / name).write_bytes(b"")
        cases = [
            (["v1.2.0", dist], 0), (["refs/tags/v1.2.0", dist], 0), (["v1.2", dist], 0),
            (["v1.2.1", dist], 1), (["1.2.0-rc.1", dist], 1),
            (["v1.0.0-alpha.1", "--version", "1.0.0-alpha.1"], 0), (["v1.0.0a1", "--version", "1.0.0-alpha.1"], 0),
            (["v1.0.0", "--version", "1.0.0-alpha.1"], 1), (["v1.2.0"], 1),
        ]
        wrong = []
        for args, code in cases:
            proc = ci_command("check-tag", *args)
            if proc.returncode != code:
                wrong.append(f"check-tag {' '.join(map(str, args))}: exit {proc.returncode}, expected {code} {proc.stderr}")
        (dist / "my_extension-1.3.0.tar.gz").write_bytes(b"")
        proc = ci_command("check-tag", "v1.2.0", dist)
        if proc.returncode != 1 or "more than one version" not in proc.stderr:
            wrong.append(f"two versions in dist: {proc.stderr}")
    if wrong:
        raise fail("\n".join(wrong))
    return f"{len(cases) + 1} tags against dist file names and a crate version"


# description (Description-Content-Type header, or none, and body) -> whether
# PyPI renders it; the broken ones with a phrase of docutils' message
DESCRIPTIONS = {
    "rst": ("Description-Content-Type: text/x-rst\n\nTitle\n=====\n\nSome *text*.\n", None),
    "markdown": ("Description-Content-Type: text/markdown\n\nTitle\n==\n\n.. nothing::\n", None),
    "short-underline": ("Description-Content-Type: text/x-rst\n\nA long title here\n=====\n\nText.\n",
                        "Title underline too short"),
    "no-type": ("\nIntro\n\n.. no-such-directive::\n", "Unknown directive type"),
}


def check_descriptions(_, fail):
    python = CI().release_tools_python
    with tempfile.TemporaryDirectory() as tmp:
        dist = Path(tmp) / "dist"
        for n, (name, (description, _)) in enumerate(DESCRIPTIONS.items()):
            if name == "no-type":  # an sdist's PKG-INFO
                pkg_info = f"Metadata-Version: 2.1\nName: ww-{name}\nVersion: 1.0.{n}\n{description}".encode()
                member = tarfile.TarInfo(f"ww_{name.replace('-', '_')}-1.0.{n}/PKG-INFO")
                member.size = len(pkg_info)
                with tarfile.open(dist / f"ww_{name.replace('-', '_')}-1.0.{n}.tar.gz", "w:gz") as t:
                    t.addfile(member, io.BytesIO(pkg_info))
            else:
                write_wheel(dist, f"ww_{name.replace('-', '_')}", f"1.0.{n}", "py3-none-any", {}, description=description)
        run = [python, str(CI_PY), "check-descriptions", str(dist)]
        proc = subprocess.run(run, capture_output=True, text=True, timeout=120)
        broken = {name: phrase for name, (_, phrase) in DESCRIPTIONS.items() if phrase}
        wrong = [f"exit {proc.returncode}, expected 1"] if proc.returncode != 1 else []
        wrong += [f"{name}: not refused with `{phrase}`" for name, phrase in broken.items()
                  if not re.search(rf"ww_{name.replace('-', '_')}-1\.0\.\d[^;]*{phrase}", proc.stderr)]
        wrong += [f"{name}: refused" for name in DESCRIPTIONS if name not in broken
                  and f"ww_{name}-" in proc.stderr]
        if "PyPI's default" not in proc.stderr:
            wrong.append("the description without a Description-Content-Type is not said to be rendered as rST")
        for name in broken:
            next(dist.glob(f"ww_{name.replace('-', '_')}-*")).unlink()
        proc_ok = subprocess.run(run, capture_output=True, text=True, timeout=120)
        if proc_ok.returncode != 0 or "2 descriptions render" not in proc_ok.stdout:
            wrong.append(f"the renderable ones: exit {proc_ok.returncode} {proc_ok.stdout}{proc_ok.stderr}")
        bare = subprocess.run([sys.executable, "-S", *run[1:]], capture_output=True, text=True, timeout=120)
        if bare.returncode != 1 or "needs readme_renderer" not in bare.stderr:
            wrong.append(f"without readme_renderer: exit {bare.returncode} {bare.stderr}")
    if wrong:
        raise fail("\n".join(wrong) + f"\nci.py said: {proc.stderr}")
    return f"{len(broken)} broken reStructuredText descriptions refused by name, with docutils' message; " \
           f"{len(DESCRIPTIONS) - len(broken)} others pass; without readme_renderer, one error line"


def jobs_of(text):
    """{job: its text} of a workflow."""
    body = text.split("\njobs:\n", 1)[1]
    parts = re.split(r"^  ([\w-]+):\n", body, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def check_workflow(_, fail):
    text = (TEMPLATE / WORKFLOW).read_text()
    problems = []
    for line in re.findall(r"uses: (.*)", text):
        if not re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", line):
            problems.append(f"not pinned by commit with a `# vX.Y.Z` comment: {line}")
    if "\nconcurrency:\n" not in text:
        problems.append("no concurrency group")
    jobs = jobs_of(text)
    for job, body in jobs.items():
        if "timeout-minutes:" not in body:
            problems.append(f"{job}: no timeout-minutes")
        for cache in re.findall(r"cache-nix-action@.*\n((?:          .*\n)+)", body):
            if "hashFiles('flake.lock', '**/*.nix', '**/Cargo.lock')" not in cache:
                problems.append(f"{job}: the cache key ignores flake.lock, .nix files or Cargo.lock")
            if "save: false" not in cache and not all(k in cache for k in ("gc-max-store-size-linux:", "purge: true")):
                problems.append(f"{job}: a cache saved without garbage collection or purging")
        if "nix copy --all --from" in body and "nixcache-*" not in body:
            problems.append(f"{job}: imports no build outputs")
    release = jobs.get("release", "")
    if not all(p in release for p in ("contents: read", "id-token: write")):
        problems.append("release: needs contents: read (checkout of a private repository) and id-token: write")
    if "nix run .#publish -- dist/" not in release or "check-tag" not in release:
        problems.append("release: does not check the tag and run the flake's own publish")
    install = "--require-hashes -r .github/wheelwright/release-requirements.txt"
    for step, what in (("-m pypi_attestations sign dist/*.whl dist/*.tar.gz",
                        "sign the release (PEP 740) with the pinned pypi-attestations"),
                       ("ci.py check-descriptions dist/", "check that PyPI can render each description")):
        if install not in release or step not in release or not \
                release.index(install) < release.index(step) < release.index("nix run .#publish"):
            problems.append(f"release: does not {what} with the pinned release tools before publish")
    if "--inputs-from" in text:
        problems.append("`nix run --inputs-from`: needs an input named wheelwright")
    if "--dry-run" not in jobs.get("publish-check", ""):
        problems.append("publish-check: no publish --dry-run")
    if "contents: write" not in jobs.get("github-release", ""):
        problems.append("github-release: cannot create a release")
    for job in ("check", "publish-check", "release"):
        if "nix copy --all --from" not in jobs.get(job, ""):
            problems.append(f"{job}: builds the packages again instead of importing the build jobs' outputs")
    if problems:
        raise fail("\n".join(problems))
    return f"{len(jobs)} jobs, {len(re.findall('uses: ', text))} actions pinned by commit"


def check_copies(_, fail):
    """The project runs what the template gives: every file of templates/github
    is the project's own, byte for byte."""
    files = sorted(p.relative_to(TEMPLATE) for p in TEMPLATE.rglob("*") if p.is_file())
    differ = [str(f) for f in files if not (REPO / f).is_file() or (REPO / f).read_bytes() != (TEMPLATE / f).read_bytes()]
    if differ:
        raise fail(f"not the project's own: {', '.join(differ)}")
    return ", ".join(map(str, files))


CHECKS = [
    ("workflow: templates/github is the project's own .github", check_copies),
    ("workflow: actions pinned, permissions, timeouts, caches, publish", check_workflow),
    ("workflow: smoke-plan picks interpreters from wheel tags", check_plan),
    ("workflow: smoke commands for glibc and musl wheels", check_commands),
    ("workflow: a wheel with a dependency installed and its project's tests run", check_real_install),
    ("workflow: check-tag compares the tag with the release's version", check_tags),
    ("workflow: check-descriptions refuses what PyPI cannot render", check_descriptions),
]


def guarded(fn, ci, failure):
    """fn(ci, failure), with an unexpected exception reported as a failure."""
    try:
        return fn(ci, failure)
    except (failure, subprocess.TimeoutExpired, OSError):
        raise
    except Exception as err:
        raise failure(f"{type(err).__name__}: {err}") from err


def checks(results, failure):
    """Runs every check through the suite's Results (failure: its Failure)."""
    ci = load_ci()
    for name, fn in CHECKS:
        results.check(name, lambda fn=fn: guarded(fn, ci, failure))


class Failed(Exception):
    pass


def main():
    ci = load_ci()
    failed = 0
    for name, fn in CHECKS:
        try:
            detail = guarded(fn, ci, Failed)
        except (Failed, subprocess.TimeoutExpired, OSError) as err:
            failed += 1
            print(f"FAIL {name}\n     " + str(err).replace("\n", "\n     "), flush=True)
            continue
        print(f"ok   {name}  {detail}", flush=True)
    print(f"{len(CHECKS) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
