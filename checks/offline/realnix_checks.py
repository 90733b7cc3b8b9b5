"""The real-nix stage's checks (realnix.py evaluates the facts): each check is a function of the Stage, which the first
checks fill with what Nix evaluated, and `CHECKS` lists them in order with
what each needs (the templates or the probe evaluated).
"""

import json
import os
import re
import shutil
import tarfile
from pathlib import Path

from harness.ci_env import CI
from harness.process import REPO, Failure, nix_eval, run
from harness.real_nix import Chroot, RealNix, missing_inputs, name_of
from realnix import (EXAMPLES, PROBE, SYSTEMS, TEMPLATE_OUTPUTS, TOOL_PINS, Stage, artifacts, evaluate_flake,
                     evaluate_probe, evaluate_templates, expected_envs, init_github, version)


def environments(ev):
    expected = expected_envs({k: c for k, (_, c) in ev.keyed.items()})
    finals = ev.nix.show([f["drvPath"] for f, _ in ev.keyed.values()])
    deps = ev.nix.show([f["deps"] for f, _ in ev.keyed.values()])
    wrong = []
    for (key, (facts, _)), final, dep in zip(ev.keyed.items(), finals, deps):
        for which, drv in (("final", final), ("deps", dep)):
            for var, value in expected[key].items():
                if drv["env"].get(var) != value:
                    wrong.append(f"{key} ({which}): {var} is {drv['env'].get(var)!r}, planBuild says {value!r}")
    if wrong:
        raise Failure(f"{len(wrong)} wrong:\n" + "\n".join(wrong[:20]))
    variables = sum(len(v) for v in expected.values())
    return f"{len(ev.keyed)} artifacts x 2 derivations, {variables} WW_*/cargo variables each as planBuild gives"


def builder_dirs(drv):
    """The store directories of nix/builder/default.nix among a derivation's sources."""
    return [s for s in drv["inputSrcs"] if re.fullmatch(r"/nix/store/[a-z0-9]{32}-wheelwright-builder", s)]


def dependency_builds(ev):
    wrong = []
    for key, (facts, _) in ev.keyed.items():
        final, dep = ev.nix.derivations[facts["drvPath"]], ev.nix.derivations[facts["deps"]]
        builder = builder_dirs(final)
        if len(builder) != 1 or builder[0] not in dep["inputSrcs"]:
            wrong.append(f"{key}: final and deps do not share one wheelwright-builder ({builder})")
        elif f"bash {builder[0]}/builder.sh" not in final["env"]["buildPhase"] or \
                f"bash {builder[0]}/builder.sh" not in dep["env"]["buildPhase"]:
            wrong.append(f"{key}: a buildPhase does not run bash {builder[0]}/builder.sh")
        if dep["env"].get("CRANE_BUILD_DEPS_ONLY") != "1" or "CRANE_BUILD_DEPS_ONLY" in final["env"]:
            wrong.append(f"{key}: CRANE_BUILD_DEPS_ONLY must be 1 in the deps build only")
        # outside Nix's sandbox, the build directory is named after the derivation
        if dep["name"] != final["name"]:
            wrong.append(f"{key}: the deps build is named {dep['name']}, the final one {final['name']}")
    # The crate's (filtered) source may reach neither the deps build nor
    # the derivations it is made of.
    ev.nix.show([p for f, _ in ev.keyed.values() for p in ev.nix.derivations[f["deps"]]["inputDrvs"]])
    for key, (facts, _) in ev.keyed.items():
        source = ev.nix.derivations[facts["drvPath"]]["env"]["src"]
        dep = ev.nix.derivations[facts["deps"]]
        around = [dep] + [ev.nix.derivations[p] for p in dep["inputDrvs"]]
        if any(source in d["inputSrcs"] or source in json.dumps(d["env"]) for d in around):
            wrong.append(f"{key}: the deps build depends on the crate's source {source}")
    if wrong:
        raise Failure("\n".join(wrong[:20]))
    return (f"{len(ev.keyed)} deps builds: same builder.sh and name as the final build, CRANE_BUILD_DEPS_ONLY=1, "
            "no path to the crate's source")


def layout_dependency_build(ev):
    # crane's stand-in source for the layout fixture: what extraDummyScript
    # must have put into it, checked in the script the derivation runs.
    facts, _ = ev.keyed["probe/x86_64-linux/wheel-aarch64-layout"]
    dummy = [p for p in ev.nix.derivations[facts["deps"]]["inputDrvs"] if name_of(p) == "source"]
    ev.nix.show(dummy)
    script = ev.nix.derivations[dummy[0]]["env"]["buildCommand"]
    wanted = [r"install -D -m 0644 /nix/store/[a-z0-9]{32}-Cargo\.lock \$out/rust/py/Cargo\.lock",
              r"install -D -m 0644 /nix/store/[a-z0-9]{32}-pyproject\.toml \$out/pyproject\.toml",
              r"\[ -e \$out/README\.md \] \|\| install -D -m 0644 /dev/null \$out/README\.md",
              r"\[ -e \$out/LICENSE \] \|\| install -D -m 0644 /dev/null \$out/LICENSE",
              r"\[ -e \$out/python/ww_layout/__init__\.py \] \|\| install -D -m 0644 /dev/null "
              r"\$out/python/ww_layout/__init__\.py",
              r"mkdir -p \$out/python/ww_layout"]
    missing = [w for w in wanted if not re.search(w, script)]
    if missing:
        raise Failure("the layout's deps source script lacks " + "; ".join(missing) + f":\n{script[-1500:]}")
    return "the lock of rust/py, the root pyproject.toml, stand-ins for readme, licence and python-source"


def interpreters(ev):
    # ["3.12", "3.13", "3.14t"] for x86_64: on x86_64-linux each is on
    # PATH (3.13 is also the build's own python3, the same derivation); on
    # aarch64-linux, across, none of them is (the build's python3 only).
    counts = {}
    for system in SYSTEMS:
        facts, _ = ev.keyed[f"probe/{system}/wheel-x86_64-pythons"]
        counts[system] = {minor: len(ev.nix.inputs_named(facts["drvPath"], rf"python3-3\.{minor}\.[0-9]+"))
                          for minor in (12, 13, 14)}
    expected = {"x86_64-linux": {12: 1, 13: 1, 14: 1}, "aarch64-linux": {12: 0, 13: 1, 14: 0}}
    if counts != expected:
        raise Failure(f"interpreters among the inputs: {counts}, expected {expected}")
    return "3.12, 3.13 and 3.14t on PATH on x86_64-linux; only the build's python3 on aarch64-linux"


def source_edit(ev):
    before, after = ev.evaluated["template default"], ev.evaluated["template default, edited"]
    for system in SYSTEMS:
        for name, facts in before[system].items():
            if after[system][name]["deps"] != facts["deps"]:
                raise Failure(f"{system} {name}: editing src/lib.rs changed the deps build")
            if after[system][name]["drvPath"] == facts["drvPath"]:
                raise Failure(f"{system} {name}: editing src/lib.rs did not change the final build")
    return "an edit of src/lib.rs changes every final build and no deps build"


def toolchains(ev):
    table = nix_eval("import ./lib/data/targets.nix")
    toolchain_of = {}
    for key, (facts, config) in ev.keyed.items():
        found = ev.nix.inputs_named(facts["drvPath"], r"rust-minimal-[0-9.]+")
        if len(found) != 1:
            raise Failure(f"{key}: expected one rust-minimal toolchain among its inputs, found {found}")
        toolchain_of[key] = (found[0], table[config["target"]]["rustTarget"])
    ev.nix.show([t for t, _ in toolchain_of.values()])
    for key, (toolchain, rust_target) in toolchain_of.items():
        if not ev.nix.inputs_named(toolchain, rf"rust-std-[0-9.]+-{re.escape(rust_target)}"):
            raise Failure(f"{key}: {name_of(toolchain)} has no rust-std for {rust_target}")
    versions = sorted({name_of(t) for t, _ in toolchain_of.values()})
    return f"{', '.join(versions)} with rust-std for each artifact's target"


def zig_caches(ev):
    # Each wheel and library build, deps and final, starts from the zig
    # cache of its target and glibc version, which the same builder.sh
    # fills with the same toolchain and zig; projects of one target and
    # toolchain share it. An unstripped link (a uniffi library, stripped
    # after by the builder) has a cache of its own.
    wrong, caches = [], {}
    for key, (facts, _) in ev.keyed.items():
        final, dep = ev.nix.derivations[facts["drvPath"]], ev.nix.derivations[facts["deps"]]
        zig_target = final["env"]["WW_ZIG_TARGET"]
        name = f"wheelwright-zig-cache-{zig_target}" + ("-unstripped" if final["env"].get("WW_STRIP_BUILT") else "")
        found = ev.nix.inputs_named(facts["drvPath"], re.escape(name))
        builder = builder_dirs(final)
        toolchain = ev.nix.inputs_named(facts["drvPath"], r"rust-minimal-[0-9.]+")
        if len(found) != 1 or len(builder) != 1 or len(toolchain) != 1:
            wrong.append(f"{key}: expected one {name}, builder.sh and toolchain "
                         f"among its inputs, found {found}, {builder}, {toolchain}")
            continue
        cache = ev.nix.show(found)[0]
        if {final["env"].get("WW_ZIG_CACHE"), dep["env"].get("WW_ZIG_CACHE")} != {cache["outputs"]["out"]["path"]}:
            wrong.append(f"{key}: WW_ZIG_CACHE is not {cache['outputs']['out']['path']} in both builds")
        if (cache["env"].get("WW_KIND"), cache["env"].get("WW_ZIG_TARGET")) != ("zig-cache", zig_target) or \
                f"bash {builder[0]}/builder.sh" not in cache["env"]["buildPhase"]:
            wrong.append(f"{key}: {name_of(found[0])} does not run its builder.sh with WW_KIND=zig-cache")
        if toolchain[0] not in cache["inputDrvs"]:
            wrong.append(f"{key}: {name_of(found[0])} links with another toolchain than {name_of(toolchain[0])}")
        if cache["env"].get("CARGO_ZIGBUILD_ZIG_PATH") != final["env"]["CARGO_ZIGBUILD_ZIG_PATH"]:
            wrong.append(f"{key}: {name_of(found[0])} runs another zig than the build")
        caches.setdefault((key.split("/")[1], name, toolchain[0]), set()).add(found[0])
    wrong += [f"{system}: {len(drvs)} derivations {name} with {name_of(toolchain)}, not one"
              for (system, name, toolchain), drvs in caches.items() if len(drvs) != 1]
    if wrong:
        raise Failure("\n".join(wrong[:20]))
    per_system = {}
    for system, _, _ in caches:
        per_system[system] = per_system.get(system, 0) + 1
    return f"{len(ev.keyed)} artifacts, deps and final builds, from " + \
        "; ".join(f"{n} zig caches on {system}" for system, n in sorted(per_system.items())) + \
        ", one per target, glibc version, toolchain and linking (stripped or not), shared by every project"


def tools(ev):
    # input name pattern -> the tool's name in lib/data/tools.json, and the
    # artifacts that use it
    expected = {"maturin": ("maturin", lambda c, e: c["kind"] == "wheel"),
                "zig": ("ziglang", lambda c, e: True),
                "python3\\.[0-9]+-auditwheel": ("auditwheel", lambda c, e: c["kind"] == "wheel"),
                "cargo-zigbuild": ("cargo-zigbuild", lambda c, e: c["kind"] == "cdylib"),
                "cbindgen": ("cbindgen", lambda c, e: e["WW_HEADER"] == "1")}
    tool_drvs = {}
    for key, (facts, config) in ev.keyed.items():
        drv_env = ev.nix.derivations[facts["drvPath"]]["env"]
        for pattern, (pin, used) in expected.items():
            version = TOOL_PINS[pin]["version"]
            found = ev.nix.inputs_named(facts["drvPath"], rf"{pattern}-[0-9][0-9.]*")
            want = [version] if used(config, drv_env) else []
            if [name_of(p).rsplit("-", 1)[1] for p in found] != want:
                raise Failure(f"{key}: expected {pin} {want}, found {[name_of(p) for p in found]}")
            if found:
                tool_drvs[found[0]] = (pin, key.split("/")[1])
    ev.nix.show(list(tool_drvs))
    fetches = {}
    for drv, (pin, system) in tool_drvs.items():
        pinned = TOOL_PINS[pin].get("crate") or TOOL_PINS[pin]["wheels"].get(system) \
            or TOOL_PINS[pin]["wheels"]["any"]
        file = pinned["url"].rsplit("/", 1)[1] if "wheels" in TOOL_PINS[pin] \
            else f"{pin}-{TOOL_PINS[pin]['version']}.tar.gz"
        found = ev.nix.inputs_named(drv, re.escape(file))
        if len(found) != 1:
            raise Failure(f"{name_of(drv)}: expected the fetch of {file} among its inputs")
        fetches[found[0]] = pinned
    ev.nix.show(list(fetches))
    for drv, pinned in fetches.items():
        fetch = ev.nix.derivations[drv]
        # fetchurl uses structured attributes: its environment is one JSON value.
        got = (json.loads(fetch["env"]["__json"]).get("urls"), fetch["outputs"]["out"].get("hash"))
        if got != ([pinned["url"]], pinned["sha256"]):
            raise Failure(f"{name_of(drv)} fetches {got}, lib/data/tools.json pins {pinned}")
    # The pinned addresses serve the pinned bytes (pinned_tools.py checks
    # every sha256), and the lock file cbindgen is built with is the crate's.
    for system in SYSTEMS:
        files = run(["python3", REPO / "checks" / "harness" / "pinned_tools.py", "fetch",
                     CI().ci_root / "downloads" / f"tools-{system}", "--system", system]).stdout.split()
    crate = next(f for f in files if f.endswith(".crate"))
    with tarfile.open(crate) as t:
        lock = t.extractfile(f"cbindgen-{TOOL_PINS['cbindgen']['version']}/Cargo.lock").read()
    if lock != (REPO / "lib" / "data" / "cbindgen.Cargo.lock").read_bytes():
        raise Failure("lib/data/cbindgen.Cargo.lock is not the Cargo.lock of the pinned cbindgen crate")
    return (", ".join(f"{p} {TOOL_PINS[p]['version']}" for p in ("maturin", "ziglang", "auditwheel",
                                                                  "cargo-zigbuild", "cbindgen"))
            + f"; {len(fetches)} fetches, each of lib/data/tools.json's URL and sha256, downloaded and checked")


def disallowed_references(ev):
    wrong = []
    for key, (facts, config) in ev.keyed.items():
        if config["kind"] != "cdylib":
            continue
        refs = ev.nix.derivations[facts["drvPath"]]["env"].get("disallowedReferences", "").split()
        names = sorted(re.sub(r"^[a-z0-9]{32}-", "", r.split("/")[-1]) for r in refs)
        if len(names) != 2 or not names[0].startswith("rust-minimal-") or names[1] != "vendor-cargo-deps":
            wrong.append(f"{key}: disallowedReferences {names}")
    if wrong:
        raise Failure("\n".join(wrong))
    return "every cdylib refuses references to its toolchain and vendored sources"


def pyo3_checks(ev):
    drvs = []
    for system in SYSTEMS:
        checks = ev.evaluated["checks"][system]
        for name in ("pyo3-abi3-test", "pyo3-abi3-clippy"):
            drvs += [(f"{system} {name}", checks[name]["drvPath"]),
                     (f"{system} {name} (deps)", checks[name]["cargoArtifacts"])]
    ev.nix.show([d for _, d in drvs])
    without = [label for label, d in drvs if not ev.nix.inputs_named(d, r"python3-3\.[0-9.]+")]
    if without:
        raise Failure("no Python among the inputs of " + ", ".join(without))
    return f"{len(drvs)} derivations, each with a python3"


def tool_only_in(ev, tool, pattern, outputs):
    """Raises unless each of the probe's `outputs` (a name, or a tuple) has
    `tool` (an input named by `pattern`) in its final and its deps build, and
    no other artifact has (no artifact at all, for no `outputs`)."""
    outputs = (outputs,) if isinstance(outputs, str) else outputs or ()
    wrong = []
    for key, (facts, _) in ev.keyed.items():
        wanted = 1 if any(key.endswith(f"/{output}") for output in outputs) else 0
        for which in ("drvPath", "deps"):
            found = len(ev.nix.inputs_named(facts[which], pattern))
            if found != wanted:
                wrong.append(f"{key} ({which}): {found} {tool} inputs, expected {wanted}")
    if wrong:
        raise Failure("\n".join(wrong[:20]))


def build_tools(ev):
    # nativeBuildInputs = [pkgs.nasm] puts nasm into both builds of that wheel
    tool_only_in(ev, "nasm", r"nasm-[0-9.]+", "wheel-x86_64-tools")
    return "nasm in the final and the deps build of the one wheel that asks for it, in no other"


def target_library(ev, name, output, also=()):
    """Raises unless the probe's `output` and `also`, and no other artifact,
    have the `name` target library for x86_64 (glibc 2.17) in their final
    and deps builds; returns `output`'s facts and the library's derivation."""
    library = rf"wheelwright-{name}-[0-9.]+-x86_64-linux-gnu\.2\.17"
    tool_only_in(ev, f"{name} library", library, (output, *also))
    facts, _ = next(v for k, v in ev.keyed.items() if k.endswith(f"/{output}"))
    drv = ev.nix.inputs_named(facts["drvPath"], library)[0]
    ev.nix.show([drv])
    return facts, drv


def expect_env(ev, facts, expected):
    """Raises unless the final and the deps build of `facts`' artifact have
    each of `expected`'s variables with its value."""
    for which in ("drvPath", "deps"):
        env = ev.nix.derivations[facts[which]]["env"]
        given = {name: env.get(name) for name in expected}
        if given != expected:
            raise Failure(f"{name_of(facts[which])}: {given}, expected {expected}")


def openssl_library(ev):
    # a lock that names openssl-src (lib/data/targetLibraries.json's fromLock)
    # builds against the openssl target library, in both builds; its
    # Configure's perl is the library's input, not the wheel's
    _, drv = target_library(ev, "openssl", "wheel-x86_64-openssl")
    perl = r"(host-)?perl(-[0-9.]+)?"
    if not ev.nix.inputs_named(drv, perl):
        raise Failure(f"{name_of(drv)} has no perl among its inputs, which OpenSSL's Configure needs")
    tool_only_in(ev, "perl", perl, None)
    return f"{name_of(drv)} in the final and the deps build of the wheel whose lock names openssl-src, in no other; perl only in it"


def sqlite_library(ev):
    # targetLibraries = [ "sqlite" ] gives both builds of that wheel, and no
    # other, the sqlite target library, where libsqlite3-sys looks for it
    # (its directoryVariables: SQLITE3_LIB_DIR is its lib/, SQLITE3_INCLUDE_DIR
    # its include/)
    facts, drv = target_library(ev, "sqlite", "wheel-x86_64-clibs", also=("wheel-x86_64-clibs-system",))
    out = ev.nix.derivations[drv]["outputs"]["out"]["path"]
    expected = {"SQLITE3_LIB_DIR": f"{out}/lib", "SQLITE3_INCLUDE_DIR": f"{out}/include", "SQLITE3_STATIC": "1"}
    expect_env(ev, facts, expected)
    return f"{name_of(drv)} in both builds of the wheels that ask for it, in no other: SQLITE3_LIB_DIR its lib/, SQLITE3_INCLUDE_DIR its include/"


def python_headers_library(ev):
    # targetLibraries = [ "python" ] gives both builds of that wheel, and no
    # other, the python target library (the target's CPython headers, from
    # Debian's package for its architecture), as PYO3_CROSS_LIB_DIR
    facts, drv = target_library(ev, "python", "wheel-x86_64-pyheaders")
    out = ev.nix.derivations[drv]["outputs"]["out"]["path"]
    expected = {"PYO3_CROSS_LIB_DIR": f"{out}/lib/python3.13"}
    expect_env(ev, facts, expected)
    source = ev.nix.derivations[drv]["env"]["WW_LIBRARY_SOURCE"]
    if not source.endswith("-libpython3.13-dev_3.13.5-2+deb13u5_amd64.deb"):
        raise Failure(f"{name_of(drv)}: its source is {source}, not Debian's libpython3.13-dev for amd64")
    return f"{name_of(drv)} in both builds of the wheel that asks for it, in no other: PYO3_CROSS_LIB_DIR its lib/python3.13, from Debian's amd64 package"


def system_style_libraries(ev):
    # targetLibraries = [ "bzip2" "libffi" "sqlite" "zlib" "zstd" ]: both
    # builds get each library's lib/ on rustc's link path (WW_LINK_SEARCH),
    # its .pc file's directory on PKG_CONFIG_PATH, and pkg-config, searching
    # no directory of its own
    output = "wheel-x86_64-clibs-system"
    names = ["bzip2", "libffi", "sqlite", "zlib", "zstd"]
    outs = []
    for name in names:
        facts, drv = target_library(ev, name, output, also=("wheel-x86_64-clibs",) if name == "sqlite" else ())
        outs.append(ev.nix.derivations[drv]["outputs"]["out"]["path"])
    tool_only_in(ev, "pkg-config", r"(host-)?pkg-config(-wrapper)?(-[0-9.]+)?", (output, "wheel-x86_64-clibs"))
    expected = {"WW_LINK_SEARCH": ":".join(f"{out}/lib" for out in outs),
                "PKG_CONFIG_PATH": ":".join(f"{out}/lib/pkgconfig" for out in outs),
                "PKG_CONFIG_LIBDIR": "", "PKG_CONFIG_ALLOW_CROSS": "1", "PKG_CONFIG_ALL_STATIC": "1"}
    expect_env(ev, facts, expected)
    return (f"{', '.join(names)} in both builds of {output}: each lib/ in WW_LINK_SEARCH, each .pc directory in "
            "PKG_CONFIG_PATH, pkg-config with no directory of its own")


def build_pythons(ev):
    # A cffi build runs a python3 with the pinned cffi, and a build with a
    # build-requirements.lock one with the lock's wheels (in both builds: build
    # scripts and maturin run in the deps build too); no other build has a
    # python3 environment.
    cffi = TOOL_PINS["cffi"]["version"]
    packages = {"/wheel-x86_64-cffi": [("cffi", cffi)],
                "/wheel-x86_64-buildreq": [("markupsafe", "3.0.3"), ("six", "1.17.0")]}
    wrong, found_in = [], []
    for key, (facts, config) in ev.keyed.items():
        wanted = next((v for k, v in packages.items() if key.endswith(k)), [])
        for which in ("drvPath", "deps"):
            envs = ev.nix.inputs_named(facts[which], r"python3(\.[0-9]+|-[0-9.]+)-env")
            if len(envs) != bool(wanted):
                wrong.append(f"{key} ({which}): {len(envs)} python environments among its inputs, expected {int(bool(wanted))}")
                continue
            if envs:
                ev.nix.show(envs)
                for name, pinned in wanted:
                    if len(ev.nix.inputs_named(envs[0], rf"python3\.[0-9]+-{name}-{re.escape(pinned)}")) != 1:
                        wrong.append(f"{key} ({which}): {name_of(envs[0])} has no {name} {pinned} among its inputs")
                found_in.append(key)
    if wrong or len(set(found_in)) < 2 * len(packages):
        raise Failure("\n".join(wrong[:20]) or f"the cffi and the build-requirements builds are not all among the artifacts: {found_in}")
    return (f"{', '.join(sorted(set(found_in)))}: a python3 with cffi {cffi}, or with markupsafe and six from the lock; "
            "no other artifact has one")


def bad_configs(ev):
    for name, config in PROBE["badConfigs"].items():
        message = config["message"]
        failed = ev.nix.chroot.run(["nix", "eval", "--no-write-lock-file", "--override-input", "wheelwright",
                                 "git+file:///src", *ev.nix.overrides("wheelwright/"),
                                 f"path:/work/probe#badConfigs.x86_64-linux.{name}.drvPath"], ok_codes=(1,))
        if message not in failed.stderr:
            raise Failure(f"badConfigs.{name}: expected {message!r}, got:\n{failed.stderr[-800:]}")
    return f"{len(PROBE['badConfigs'])} rejected at evaluation with their message"


def warned_configs(ev):
    for name, config in PROBE["warnedConfigs"].items():
        evaluated = ev.nix.chroot.run(["nix", "eval", "--no-write-lock-file", "--override-input", "wheelwright",
                                       "git+file:///src", *ev.nix.overrides("wheelwright/"),
                                       f"path:/work/probe#warnedConfigs.x86_64-linux.{name}.drvPath"])
        if config["warning"] not in evaluated.stderr:
            raise Failure(f"warnedConfigs.{name}: expected {config['warning']!r}, got:\n{evaluated.stderr[-800:]}")
    return f"{len(PROBE['warnedConfigs'])} evaluated with their warning"


def release_outputs(ev):
    # sdist: planBuild's environment, maturin, no dependency build; dist: a
    # link farm of every wheel and the sdist; publish: the verifier's
    # publish on dist.
    wrong = []
    expected = expected_envs({"sdist": {"dir": str(EXAMPLES["wheel"]), "kind": "sdist"}})["sdist"]
    for system in SYSTEMS:
        pkgs = ev.evaluated["packages"][system]
        sdist, dist, publish = ev.nix.show([pkgs[n]["drvPath"] for n in ("sdist", "dist", "publish")])
        for var, value in expected.items():
            if sdist["env"].get(var) != value:
                wrong.append(f"{system} sdist: {var} is {sdist['env'].get(var)!r}, planBuild says {value!r}")
        if pkgs["sdist"]["deps"] is not None or sdist["env"].get("cargoArtifacts"):
            wrong.append(f"{system} sdist: it has a dependency build")
        if [name_of(p) for p in ev.nix.inputs_named(pkgs["sdist"]["drvPath"], r"maturin-[0-9.]+")] != \
                [f"maturin-{TOOL_PINS['maturin']['version']}"]:
            wrong.append(f"{system} sdist: not built by the pinned maturin")
        wheels = sorted(n for n, f in pkgs.items() if n.startswith("wheel-") and f["deps"])
        out = {n: ev.nix.show([pkgs[n]["drvPath"]])[0]["outputs"]["out"]["path"] for n in [*wheels, "sdist", "dist"]}
        if sorted(dist["env"].get("paths", "").split()) != sorted(out[n] for n in [*wheels, "sdist"]):
            wrong.append(f"{system} dist: links {dist['env'].get('paths')!r}, not the {len(wheels)} wheels and sdist")
        cli = ev.nix.show([pkgs["cli"]["drvPath"]])[0]["outputs"]["out"]["path"]
        script = f"WHEELWRIGHT_DIST={out['dist']} exec {cli}/bin/wheelwright publish"
        if script not in json.dumps(publish["env"]):
            wrong.append(f"{system} publish: its script does not run `{script}`")
    if wrong:
        raise Failure("\n".join(wrong))
    return (f"sdist as planBuild gives it, built by maturin {TOOL_PINS['maturin']['version']} without a deps build;"
            f" dist links {len(wheels)} wheels and the sdist; publish uploads dist with the flake's CLI")


def checks_build_the_packages(ev):
    for system in SYSTEMS:
        checks, pkgs = ev.evaluated["checks"][system], ev.evaluated["packages"][system]
        for name, facts in pkgs.items():
            if not facts["deps"]:
                continue
            prefix = "pyo3-abi3-" if name.startswith("wheel-") else "cdylib-example-"
            if checks.get(prefix + name, {}).get("drvPath") != facts["drvPath"]:
                raise Failure(f"{system}: checks.{prefix}{name} is not packages.{name}")
    return "nix flake check builds the very derivations of packages"


# (check, what it needs evaluated: None, "templates" or "probe"), after the
# evaluation and the artifacts
CHECKS = [
    ("real-nix: every builder environment is planBuild's", environments, None),
    ("real-nix: deps builds run the builder without the crate's source", dependency_builds, None),
    ("real-nix: a pyproject layout's deps build has its lock, pyproject and stand-ins", layout_dependency_build,
     "probe"),
    ("real-nix: a pythonVersions build gets its interpreters natively", interpreters, "probe"),
    ("real-nix: a source edit rebuilds the crate, not its dependencies", source_edit, "templates"),
    ("real-nix: each toolchain has std for its target", toolchains, None),
    ("real-nix: every build starts from its target's zig cache", zig_caches, None),
    ("real-nix: the tools are the pinned files", tools, None),
    ("real-nix: cdylibs have disallowedReferences", disallowed_references, None),
    ("real-nix: every pyo3 crate check has a Python", pyo3_checks, None),
    ("real-nix: nativeBuildInputs reach both builds", build_tools, "probe"),
    ("real-nix: a cffi build runs a python3 with the pinned cffi, a locked build one with its lock's wheels",
     build_pythons, "probe"),
    ("real-nix: a lock naming openssl-src builds against the openssl target library", openssl_library, "probe"),
    ("real-nix: targetLibraries = [ \"sqlite\" ] builds against the sqlite target library", sqlite_library, "probe"),
    ("real-nix: zlib, zstd, bzip2 and libffi target libraries are found as a system's are", system_style_libraries,
     "probe"),
    ("real-nix: targetLibraries = [ \"python\" ] gives the target's CPython headers", python_headers_library,
     "probe"),
    ("real-nix: bad buildWheel arguments fail with their message", bad_configs, "probe"),
    ("real-nix: a narrowed python-headers build evaluates with its warning", warned_configs, "probe"),
    ("real-nix: sdist, dist and publish", release_outputs, None),
    ("real-nix: flake checks build every example package", checks_build_the_packages, None),
]


def stage_real_nix(results):
    inputs = CI().real_nix_inputs
    missing = missing_inputs()
    if missing:
        results.skip("real-nix: the flake evaluated against real nixpkgs, crane and rust-overlay",
                     f"no input trees {', '.join(missing)} in {inputs} (export them there with the search "
                     f"tool's fetch; see checks/offline/real-nix/README.md)")
        return
    root = CI().real_nix_root
    work = Path(os.environ.get("WW_SUITE_WORK", "/tmp/wheelwright-suite")) / "real-nix"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    ev = Stage(RealNix(Chroot(root, inputs, work)), work)
    if not results.check("real-nix: Nix >= 2.18 in the trixie chroot", lambda: version(ev)):
        return
    if not results.check("real-nix: input trees in the store, locked revisions", ev.nix.add_inputs):
        return
    if not results.check("real-nix: every output of the flake evaluates", lambda: evaluate_flake(ev)):
        return
    evaluated = {
        "templates": results.check(f"real-nix: the templates ({', '.join(TEMPLATE_OUTPUTS)}) evaluate", lambda: evaluate_templates(ev)),
    }
    results.check("real-nix: nix flake init -t #github adds the workflow", lambda: init_github(ev))
    evaluated["probe"] = results.check("real-nix: musl targets and a pythonVersions matrix evaluate",
                                       lambda: evaluate_probe(ev))
    ev.keyed = artifacts(ev, evaluated["templates"], evaluated["probe"])
    for name, check, needs in CHECKS:
        if needs is None or evaluated[needs]:
            results.check(name, lambda check=check: check(ev))
