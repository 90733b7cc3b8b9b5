"""The failures wheelwright's builder exists to prevent, each reproduced: maturin
without writable caches, a cargo wrapped by cargo-auditable, and an armv7
build against a read-only zig lib directory."""

from harness.ci_env import CI
from harness.process import Failure
from harness.sandbox import EXAMPLES
from harness.targets import NATIVE

def stage_known_failures(results, sandbox, example_plans, built):
    example = EXAMPLES[0]
    armv7 = "armv7-unknown-linux-gnueabihf"

    def failing_maturin(name, plan, extra=None):
        """maturin exactly as the builder runs it, without the builder's own
        setup (plus `extra`); it must fail."""
        build = sandbox.build_dir(name)
        variables = {**sandbox.build_env(example, build, plan), **(extra or {})}
        args = plan["env"]["WW_BUILD_ARGS"].split("\n")
        return sandbox.run_as_nix(["maturin", *args, "--out", build / "tmp" / "dist"],
                                  cwd=sandbox.source(example, 1), variables=variables, ok_codes=(1,))

    def without_cache_variables():
        proc = failing_maturin("no-cache-variables", example_plans[NATIVE])
        if "/homeless-shelter" not in proc.stderr or "ermission denied" not in proc.stderr:
            raise Failure(f"expected a permission error under /homeless-shelter:\n{proc.stderr[-1500:]}")
        return "maturin fails writing under /homeless-shelter, as in the Nix sandbox"
    results.check("known failure: no writable caches", without_cache_variables)

    def auditable_cargo_refused():
        wrapper_dir = sandbox.work / "auditable"
        wrapper_dir.mkdir(exist_ok=True)
        wrapper = wrapper_dir / "cargo"
        # The shape of nixpkgs' older cargo-auditable-cargo-wrapper.
        wrapper.write_text(f"#!/bin/sh\nexec {CI().rust_bin}/cargo auditable \"$@\"\n")
        wrapper.chmod(0o755)
        proc = sandbox.run_builder(example, example_plans[NATIVE], sandbox.build_dir("auditable"), sandbox.source(example, 1),
                                   path_first=[wrapper_dir], ok_codes=(1,))
        expected = f"wheelwright: error: the cargo on PATH ({wrapper}) is wrapped by cargo-auditable"
        if expected not in proc.stderr:
            raise Failure(f"expected {expected!r} in:\n{proc.stderr}")
        return "refused with a clear message"
    results.check("known failure: cargo-auditable wrapper refused", auditable_cargo_refused)

    def zig_lib_read_only():
        zig_lib = str(CI().zig_lib_dir)
        probe = sandbox.run_as_nix(["test", "-w", zig_lib], cwd="/", variables={}, ok_codes=(0, 1))
        if probe.returncode == 0:
            raise Failure(f"zig's lib dir {zig_lib} is writable by the builder; the armv7 build proves nothing")
        # With writable caches, as the builder gives, but zig's lib directory
        # left as it is.
        scratch = sandbox.work / "build" / "armv7-read-only-zig" / "tmp" / "caches"
        proc = failing_maturin("armv7-read-only-zig", example_plans[armv7], extra=dict(
            XDG_CACHE_HOME=scratch, CARGO_ZIGBUILD_CACHE_DIR=scratch / "zigbuild",
            ZIG_GLOBAL_CACHE_DIR=scratch / "zig", ZIG_LOCAL_CACHE_DIR=scratch / "zig-local"))
        if "arm-features.h" not in proc.stderr or "ermission denied" not in proc.stderr:
            raise Failure(f"expected a permission error on arm-features.h:\n{proc.stderr[-1500:]}")
        passed = [built[(p.name, armv7)] for p in EXAMPLES]
        if not all(passed):
            raise Failure(f"the armv7 builds did not all pass: {passed}")
        return "without the builder's fix maturin fails on arm-features.h; with it both armv7 builds passed"
    if all((p.name, armv7) in built for p in EXAMPLES):
        results.check("known failure: armv7 with a read-only zig lib dir", zig_lib_read_only)


def stage_cffi_without_cffi(results, sandbox, project, plan):
    """A cffi build whose python3 lacks cffi: maturin would try pip, which
    fails offline; the builder refuses first, naming the tool to pass."""
    def refused():
        bare = sandbox.work / "python-without-cffi"
        bare.mkdir(exist_ok=True)
        (bare / "python3").unlink(missing_ok=True)
        (bare / "python3").symlink_to(CI().host_python)
        proc = sandbox.run_builder(project, plan, sandbox.build_dir("cffi-without-cffi"), sandbox.source(project, 1),
                                   path_first=[bare], ok_codes=(1,))
        expected = f"wheelwright: error: cffi bindings need a python3 with cffi on PATH, and {bare}/python3 has none"
        if expected not in proc.stderr:
            raise Failure(f"expected {expected!r} in:\n{proc.stderr[-1500:]}")
        return "refused with a clear message, before maturin runs"
    results.check("known failure: a cffi build without cffi refused", refused)

