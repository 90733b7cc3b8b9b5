#!/usr/bin/env python3
"""Bad project input through `--crate`, as a new user meets it: each case
must fail with exit code 1 and a last line `error: <cause>; <fix>` that names
the file or crate. The fixtures are under fixtures/bad-input (each says what
is wrong with it); bad-configs.nix pins what the lib says for the same inputs
at evaluation time.

  eval_checks   inputs refused before anything is built (the nix stage)
  build_checks  inputs refused while vendoring or building, the cfg(target_*)
                note of a cross build, and --crate's work directories: runs of
                same-named crates at once, and of one crate twice at once
                (the builder stage)

Standalone: `python3 checks/offline/bad_input.py [eval|build]...` (after
sourcing setup.sh's env.sh) prints one line per check and exits 1 when one
fails.
"""

import fcntl
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

# checks/, where the harness package is, for a run as a program
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from harness.crate_build import lock_file, start, work_dir
from harness.process import Failure, PrintedResults, run
from harness.sandbox import EXAMPLES
from harness.targets import NATIVE

HERE = Path(__file__).resolve().parent

FIXTURES = HERE / "fixtures" / "bad-input"
CROSS = "aarch64-unknown-linux-gnu"

# (fixture, what the last line must contain, in order)
EVAL_CASES = [
    ("pyproject-syntax", [f"error: {FIXTURES}/pyproject-syntax/pyproject.toml is not valid TOML: ",
                          "(at line 9, column 14); fix the syntax there"]),
    ("cargo-toml-syntax", [f"error: {FIXTURES}/cargo-toml-syntax/Cargo.toml is not valid TOML: ",
                           "(at line 3, column 17); fix the syntax there"]),
    ("cargo-lock-syntax", [f"error: {FIXTURES}/cargo-lock-syntax/Cargo.lock is not valid TOML: ",
                           "(at line 6, column 26); fix the syntax there"]),
    ("features-string", [f"error: {FIXTURES}/features-string/pyproject.toml: [tool.maturin] features must be a "
                         "list of features (names, or tables with a `feature` name and string `python-version` or "
                         "`python-implementation` conditions), not a string; write it as e.g. "
                         'features = ["pyo3/extension-module"]']),
    ("manifest-path-list", [f"error: {FIXTURES}/manifest-path-list/pyproject.toml: [tool.maturin] manifest-path "
                            'must be a string, not a list; write it as e.g. manifest-path = "rust/Cargo.toml"']),
    ("manifest-path-nowhere", [f"error: {FIXTURES}/manifest-path-nowhere/pyproject.toml: [tool.maturin] "
                               'manifest-path = "rust/Cargo.toml" names no file '
                               f"({FIXTURES}/manifest-path-nowhere/rust/Cargo.toml does not exist); "
                               "set it to the package's Cargo.toml, relative to pyproject.toml"]),
    ("python-source-missing", [f"error: {FIXTURES}/python-source-missing/pyproject.toml: [tool.maturin] "
                               'python-source = "python" names no directory '
                               f"({FIXTURES}/python-source-missing/python does not exist), and maturin would "
                               "refuse it; create it with the Python package in it, or remove python-source"]),
    ("pyproject-only", [f"error: {FIXTURES}/pyproject-only has no Cargo.toml; "
                        "pass the crate's root directory as src"]),
    ("../no-lock", [f"error: no Cargo.lock in {FIXTURES.parent}/no-lock; run `cargo generate-lockfile` in the "
                    "crate's workspace root and commit it"]),
]


def crate(directory, target, work, timeout=900, options=()):
    """`suite.py --crate DIR --target T` as a user runs it: (exit code, last
    stdout line, stderr)."""
    proc = start(directory, target, work, options=options)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    lines = stdout.strip().splitlines()
    return proc.returncode, lines[-1] if lines else "", stderr


def refused(directory, target, work, fragments):
    """Checks that the run fails with one last line holding `fragments` in
    order; returns that line."""
    code, line, stderr = crate(directory, target, work)
    if code != 1 or not line.startswith("error: "):
        raise Failure(f"expected exit 1 and an error line, got {code}: {line!r}\n"
                      + "\n".join(stderr.strip().splitlines()[-15:]))
    at = 0
    for fragment in fragments:
        found = line.find(fragment, at)
        if found < 0:
            raise Failure(f"the last line lacks {fragment!r}:\n{line}")
        at = found + len(fragment)
    return line


def short(line, width=150):
    line = line.replace(f"{HERE}/", "")
    return line if len(line) <= width else line[:width - 3] + "..."


def eval_checks(results, work=None):
    # each case fails before a work directory is made
    work = work or Path(tempfile.gettempdir()) / "wheelwright-bad-input"
    for fixture, fragments in EVAL_CASES:
        results.check(f"bad input: --crate {Path(fixture).name}",
                      lambda fixture=fixture, fragments=fragments:
                      short(refused(FIXTURES / fixture, NATIVE, work, fragments)))


def build_checks(results, work, targets):
    if NATIVE not in targets:
        results.skip("bad input: build cases", f"they build for {NATIVE}, which --target left out")
        return
    work.mkdir(parents=True, exist_ok=True)
    results.check("bad input: --crate lock-outdated (vendoring refuses the lock)", lambda: short(refused(
        FIXTURES / "lock-outdated", NATIVE, work,
        [f"error: {FIXTURES}/lock-outdated/Cargo.lock is out of date with Cargo.toml: cargo would have to update "
         "it, and --locked forbids that; run `cargo update -w` (or `cargo generate-lockfile`) in "
         f"{FIXTURES}/lock-outdated and commit it"])))
    results.check("bad input: --crate build-script-panics (its crate and the first line of its panic)",
                  lambda: short(refused(FIXTURES / "build-script-panics", NATIVE, work, [
                      "error: the build script of build-script-panics v0.1.0 failed (building for "
                      f"{NATIVE}): libfoo not found: set FOO_DIR to its prefix; fix what it reports"])))
    results.check("bad input: --crate build-requirement-unlocked (a build script's missing Python module, and how "
                  "to give it)",
                  lambda: short(refused(FIXTURES / "build-requirement-unlocked", NATIVE, work, [
                      "error: the build script of build-requirement-unlocked v0.1.0 failed (building for "
                      f"{NATIVE}): it imports the Python module six, which the build's python3 lacks; name its "
                      "package in [build-system] requires and write build-requirements.lock beside pyproject.toml "
                      "with wheelwright's nix/lock-build-requirements.py"])))
    results.check("bad input: --crate build-script-runs-perl: a build sees only the tools it is given (stdenv's, "
                  "the lock's, nativeBuildInputs), not the host's", lambda: build_tools(work))
    results.check("bad input: --crate link-undefined-symbol (a failed link names the symbol)",
                  lambda: short(refused(FIXTURES / "link-undefined-symbol", NATIVE, work, [
                      f"error: linking link-undefined-symbol failed for {NATIVE}: undefined symbol: "
                      "ww_defined_nowhere; a library it links lacks this symbol or was not linked: give the build "
                      "the library (targetLibraries, or a -sys crate that builds it)"])))
    results.check("bad input: --crate link-missing-library (a failed link names the library it did not find, and "
                  "the target library that gives it)",
                  lambda: short(refused(FIXTURES / "link-missing-library", NATIVE, work, [
                      f"error: linking link-missing-library failed for {NATIVE}: it links the C library sqlite3 "
                      "(-lsqlite3), which the build does not have; give the build that library with "
                      'targetLibraries = [ "sqlite" ], or turn on the feature of its -sys crate that builds its own'])))
    results.check("bad input: --crate module-name-mismatch (maturin's missing PyInit_ is an error)",
                  lambda: short(refused(FIXTURES / "module-name-mismatch", NATIVE, work, [
                      "error: the extension module defines no PyInit_other_name, so `import other_name` "
                      "would fail: ", "#[pymodule] has another name (module_name_mismatch); give both one name"])))
    results.check("bad input: --crate of the pyo3 example with crate-type [\"rlib\"] (maturin builds the library as "
                  "the module)", lambda: rlib_wheel(work))
    results.check("bad input: --crate unused-lock-entries (a workspace's lock in a member's sdist: pruned as cargo does)",
                  lambda: unused_lock_entries(work))
    results.check("bad input: --crate in a work directory whose path holds a space (RUSTFLAGS and CFLAGS cannot "
                  "carry its path maps)", lambda: short(refused(
                      HERE / "fixtures" / "shared-library", NATIVE, work / "with space", [
                          "error: preparing the build for ", " failed: the build path in '",
                          f"{work}/with space/", "' holds whitespace, which RUSTFLAGS and CFLAGS cannot carry; "
                          "build from a directory whose path has none"])))
    results.check("bad input: --crate toolchain-pin (a Rust release rustup lacks: a note, and the build goes on)",
                  lambda: toolchain_pin(work))
    if CROSS in targets:
        results.check(f"bad input: --crate compile-error for {CROSS} (the cfg(target_*) note names only "
                      "build scripts run for the target)", lambda: compile_error(work))
    else:
        results.skip("bad input: compile-error", f"it cross-builds for {CROSS}, which --target left out")
    results.check("bad input: --crate work directories: same-named crates at once, one run waiting for another of its crate",
                  lambda: concurrent_runs(work / "concurrent"))


def build_tools(work):
    """The host has perl, but a build whose plan names none runs without it,
    as a flake build does; given as nativeBuildInputs, it runs."""
    directory = FIXTURES / "build-script-runs-perl"
    refused(directory, NATIVE, work, [
        "error: the build script of build-script-runs-perl v0.1.0 failed (building for "
        f"{NATIVE}): cannot run perl: No such file or directory (os error 2); fix what it reports"])
    code, line, stderr = crate(directory, NATIVE, work, options=[("nativeBuildInputs", '[ "perl" ]')])
    if code != 0 or not line.startswith("artifact: "):
        raise Failure(f"expected a library with perl given; got {code}: {line!r}\n"
                      + "\n".join(stderr.strip().splitlines()[-15:]))
    library = Path(line.split(" ", 1)[1])
    said = run(["python3", "-c", "import ctypes, sys; print(ctypes.CDLL(sys.argv[1]).perl_says())", library]).stdout
    if said.strip() != "42":
        raise Failure(f"{library}: perl_says() = {said.strip()!r}, not the 42 its build script's perl computed")
    return "without perl: its build script fails on perl; with nativeBuildInputs = [ \"perl\" ]: perl_says() = 42"


def rlib_wheel(work):
    project = work / "rlib-wheel"
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(EXAMPLES[0].dir, project, ignore=shutil.ignore_patterns("target", "result"))
    manifest = project / "Cargo.toml"
    manifest.write_text(manifest.read_text().replace('crate-type = ["cdylib"]', 'crate-type = ["rlib"]'))
    code, line, stderr = crate(project, NATIVE, work)
    if code != 0 or not re.fullmatch(r"artifact: \S+/wheelwright_example-0\.1\.0-cp38-abi3-manylinux\S+_x86_64\.whl", line):
        raise Failure(f"expected a verified abi3 wheel; got {code}: {line!r}\n" + "\n".join(stderr.strip().splitlines()[-15:]))
    return short(line.rsplit("/", 1)[1])


def unused_lock_entries(work):
    directory = HERE / "fixtures" / "unused-lock-entries"
    code, line, stderr = crate(directory, NATIVE, work)
    note = "wheelwright: note: Cargo.lock lists 2 crate(s) that no package of this build uses"
    if code != 0 or not line.startswith("artifact: ") or note not in stderr:
        raise Failure(f"expected the note and an artifact; got {code}: "
                      f"{line!r}\n" + "\n".join(stderr.strip().splitlines()[-15:]))
    if "sibling" not in (directory / "Cargo.lock").read_text():
        raise Failure(f"the run changed {directory}/Cargo.lock")
    return short(line)


def toolchain_pin(work):
    code, line, stderr = crate(FIXTURES / "toolchain-pin", NATIVE, work)
    note = (f"wheelwright: note: {FIXTURES}/toolchain-pin pins Rust 1.71.1 (its rust-toolchain file), which a flake "
            "build takes from rust-overlay; --crate builds with the proving ground's Rust ")
    expected = "error: compiling toolchain-pin failed for x86_64-unknown-linux-gnu: error[E0425]: cannot find value"
    if code != 1 or not line.startswith(expected) or note not in stderr or "rustup" in stderr:
        raise Failure(f"expected the note, no rustup, and exit 1 with {expected!r}; got {code}: {line!r}\n"
                      + "\n".join(stderr.strip().splitlines()[-15:]))
    return short(line)


def compile_error(work):
    code, line, stderr = crate(FIXTURES / "compile-error", CROSS, work)
    expected = (f"error: compiling compile-error failed for {CROSS}: error[E0425]: cannot find value "
                "`undefined_value` in this scope (src/lib.rs:7:5); fix it")
    if code != 1 or not line.startswith(expected):
        raise Failure(f"expected {expected!r}..., got {code}: {line!r}")
    notes = re.findall(r"^wheelwright: note: the build script of (\S+) ", stderr, re.M)
    # thiserror's build script runs for the target; proc-macro2's (under the
    # proc-macro thiserror-impl) for the build machine, where cfg(target_*) is right
    if [n.rsplit("-", 1)[0] for n in notes] != ["thiserror"]:
        raise Failure(f"the notes name {notes}, expected thiserror's build script alone")
    return f"notes: {', '.join(notes)}; {short(line, 110)}"


def concurrent_runs(work):
    """Two crates in directories of one name at once, while another run holds
    the first one's work directory (this check holds its lock): the second
    crate's run ends with its own panic while the first waits, and the first
    ends with its own once the lock is let go."""
    shutil.rmtree(work, ignore_errors=True)
    crates = work / "crates"
    crates.mkdir(parents=True)
    sources = {}
    for side in ("a", "b"):
        src = work / "sources" / side / "same-name"
        shutil.copytree(FIXTURES / "build-script-panics", src)
        build_rs = src / "build.rs"
        build_rs.write_text(build_rs.read_text().replace("libfoo not found", f"crate {side} panics"))
        sources[side] = src

    def run_of(side):
        log = open(work / f"{side}.stderr", "w+")
        return start(sources[side], NATIVE, crates, stderr=log), log

    def ended(side, proc, log):
        stdout, _ = proc.communicate(timeout=900)
        last = (stdout.strip().splitlines() or [""])[-1]
        if proc.returncode != 1 or f"failed (building for {NATIVE}): crate {side} panics: " not in last:
            log.seek(0)
            raise Failure(f"the run of {side} ended {proc.returncode}: {last!r}\n"
                          + "\n".join(log.read().strip().splitlines()[-10:]))

    runs = []
    try:
        with open(lock_file(work_dir(sources["a"], "same-name", crates)), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            runs = [a, b] = [run_of("a"), run_of("b")]
            ended("b", *b)
            deadline = time.monotonic() + 300
            while "waiting for another run that builds" not in (work / "a.stderr").read_text():
                if a[0].poll() is not None or time.monotonic() > deadline:
                    raise Failure(f"the run of a did not wait for the run holding its work directory "
                                  f"(exit {a[0].poll()}):\n{(work / 'a.stderr').read_text()[-1000:]}")
                time.sleep(0.5)
        ended("a", *a)
    finally:
        for proc, log in runs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            log.close()
    dirs = sorted(p.name for p in crates.iterdir() if p.is_dir())
    if len(dirs) != 2 or not all(d.startswith("same-name-") for d in dirs):
        raise Failure(f"expected two work directories same-name-<hash>, found {dirs}")
    return f"work directories {', '.join(dirs)}; b built while a waited for its lock"


def main():
    results = PrintedResults()
    parts = sys.argv[1:] or ["eval", "build"]
    with tempfile.TemporaryDirectory(prefix="wheelwright-bad-input-", ignore_cleanup_errors=True) as work:
        # the builder runs as nobody
        Path(work).chmod(0o755)
        if "eval" in parts:
            eval_checks(results, Path(work))
        if "build" in parts:
            build_checks(results, Path(work), [NATIVE, CROSS])
    sys.exit(1 if results.failed else 0)


if __name__ == "__main__":
    main()
