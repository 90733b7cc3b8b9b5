"""The real-nix stage: the flake evaluated as a user's Nix evaluates it.

Nix 2.26 (Debian trixie, in a chroot that setup.sh provisions) evaluates every
output of both build systems, the templates and the probe flake (musl
targets, a pythonVersions matrix) against the real crane, rust-overlay,
flake-utils and nix-filter at their locked revisions and a real nixpkgs tree.
Then it asserts, from `nix derivation show`, what nix/builder/builder.sh relies on
(the checks are in realnix_checks.py; the root and the Nix in it are
harness.real_nix's; this file holds what the stage evaluates, and evaluates
it into a Stage). Nothing is
built here: the nix-build stage (nixbuild.py) builds with the same root.

The input trees come from $WW_REAL_NIX_INPUTS (nixpkgs/, crane/, rust-overlay/,
flake-utils/, systems/, nix-filter/); without them the stage is skipped.
"""

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from harness.process import REPO, Failure, nix_eval
from harness.real_nix import FIXTURES, RealNix
from harness.targets import TARGETS

SYSTEMS = ["x86_64-linux", "aarch64-linux"]
FLAKE_OUTPUTS = ["packages", "checks", "devShells", "formatter"]
TOOL_PINS = json.loads((REPO / "lib" / "data" / "tools.json").read_text())["tools"]
# flake output kind -> the example the flake builds as that kind
EXAMPLES = {"wheel": REPO / "examples" / "pyo3-abi3", "cdylib": REPO / "examples" / "cdylib"}
# The templates and the outputs of each that the nix-build stage builds, as
# `nix flake init -t` leaves them.
TEMPLATE_OUTPUTS = {"default": ["wheel-x86_64", "wheel-aarch64"], "bin": ["wheel-x86_64", "wheel-aarch64"],
                    "cdylib": ["cdylib-x86_64", "cdylib-aarch64"]}
# what the probe flake builds and refuses, which it reads too
PROBE = json.loads((FIXTURES / "probe" / "configs.json").read_text())
# the projects the probe flake builds, copied next to it
PROBE_PROJECTS = {name: REPO / path for name, path in PROBE["projects"].items()}


def probe_config(config):
    """The planBuild config of one of the probe's builds (its options that
    name no package)."""
    return {"dir": str(PROBE_PROJECTS[config["project"]]), "kind": config["kind"], "target": config["target"],
            **config["options"]}


def copy_probe(dest):
    """The probe flake with the projects it builds beside it, each under its
    name in configs.json (two names may share a directory)."""
    shutil.copytree(FIXTURES / "probe", dest)
    for name, project in PROBE_PROJECTS.items():
        shutil.copytree(project, dest / name, ignore=shutil.ignore_patterns("target", "result"))


def expected_envs(configs):
    """planBuild's env for each {dir, kind, target, ...} config, from the pure
    lib under the host's own Nix: an evaluator independent of the flake's."""
    expr = ("let ww = import ./lib; in builtins.mapAttrs (_: c: (ww.planBuild "
            "(builtins.removeAttrs c [\"dir\"] // { src = /. + c.dir; })).env) (builtins.fromJSON ''"
            + json.dumps(configs) + "'')")
    return nix_eval(expr)


def output_configs(dirs, names):
    """The planBuild config behind each artifact output name (wheel-aarch64,
    cdylib-x86_64-musl, ...): the target from the table's output names, the
    project from `dirs` (output kind -> directory)."""
    by_output = {f"{kind}-{t['outputArch']}": (kind, triple) for triple, t in TARGETS.items() for kind in dirs}
    return {name: {"dir": str(dirs[by_output[name][0]]), "kind": by_output[name][0], "target": by_output[name][1]}
            for name in names}


@dataclass
class Stage:
    """What the checks share: the Nix, its scratch directory (/work in the
    root), the evaluated outputs (label -> {system -> {output -> facts}}) and
    the artifacts among them (label/system/output -> (facts, planBuild
    config))."""
    nix: RealNix
    work: Path
    evaluated: dict = field(default_factory=dict)
    keyed: dict = field(default_factory=dict)


def version(ev):
    out = ev.nix.chroot.nix("--version").strip()
    m = re.search(r"(\d+)\.(\d+)", out)
    if not m or (int(m[1]), int(m[2])) < (2, 18):
        raise Failure(f"{out}: nixpkgs needs Nix 2.18 or newer")
    return out


def evaluate_flake(ev):
    counts = []
    for output in FLAKE_OUTPUTS:
        ev.evaluated[output] = ev.nix.eval_facts("git+file:///src", output)
        counts.append(f"{output} {sum(len(v) for v in ev.evaluated[output].values())}")
    return "both systems: " + ", ".join(counts)


def copy(ev, name, source, edit=None):
    dest = ev.work / name
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns("target", "result"))
    if edit:
        with open(dest / edit, "a") as f:
            f.write("// an edit that must rebuild the crate but not its dependencies\n")
    return f"path:/work/{name}"


def evaluate_templates(ev):
    counts = []
    for template in TEMPLATE_OUTPUTS:
        ev.evaluated[f"template {template}"] = ev.nix.eval_facts(copy(ev, f"template-{template}", REPO / "templates" / template),
                                                           "packages", through_wheelwright=True)
        counts.append(f"{template} {sum(len(v) for v in ev.evaluated[f'template {template}'].values())}")
    ev.evaluated["template default, edited"] = ev.nix.eval_facts(
        copy(ev, "template-default-edited", REPO / "templates" / "default", edit="src/lib.rs"),
        "packages", through_wheelwright=True)
    return "packages of both systems, wheelwright pointed at the checkout: " + ", ".join(counts)


def init_github(ev):
    # `nix flake init -t <flake>#github` in a project: it adds the workflow the
    # project itself runs, byte for byte.
    project = ev.work / "init-github"
    project.mkdir()
    ev.nix.chroot.run(["sh", "-c", "cd /work/init-github && nix flake init -t git+file:///src#github"])
    added = sorted(str(p.relative_to(project)) for p in project.rglob("*") if p.is_file())
    template = REPO / "templates" / "github"
    expected = sorted(str(p.relative_to(template)) for p in template.rglob("*") if p.is_file())
    if added != expected or any((project / f).read_bytes() != (REPO / f).read_bytes() for f in added):
        raise Failure(f"nix flake init -t #github added {added}, expected the project's own {expected}")
    return f"it adds {', '.join(added)}, the project's own"


def evaluate_probe(ev):
    copy_probe(ev.work / "probe")
    ev.evaluated["probe"] = ev.nix.eval_facts("path:/work/probe", "packages", through_wheelwright=True)
    return ", ".join(sorted(ev.evaluated["probe"]["x86_64-linux"]))


def artifacts(ev, templates_ok, probe_ok):
    """The artifacts (outputs with a dependency build) and the planBuild
    config behind each, keyed label/system/output."""
    found = []   # (label, system, name, facts, config)
    for system in SYSTEMS:
        pkgs = ev.evaluated["packages"][system]
        names = [n for n, f in pkgs.items() if f["deps"]]
        for name, config in output_configs(EXAMPLES, names).items():
            found.append(("flake", system, name, pkgs[name], config))
        if templates_ok:
            for template in TEMPLATE_OUTPUTS:
                outs = ev.evaluated[f"template {template}"][system]
                template_dir = REPO / "templates" / template
                built = [n for n, f in outs.items() if f["deps"]]
                for name, config in output_configs({"wheel": template_dir, "cdylib": template_dir}, built).items():
                    found.append((f"template {template}", system, name, outs[name], config))
        if probe_ok:
            outs = ev.evaluated["probe"][system]
            musl = [n for n in outs if n.endswith("-musl")]
            projects = {kind: PROBE_PROJECTS[project] for kind, project in PROBE["musl"].items()}
            for name, config in output_configs(projects, musl).items():
                found.append(("probe", system, name, outs[name], config))
            for name, config in PROBE["packages"].items():
                found.append(("probe", system, name, outs[name], probe_config(config)))
    return {f"{label}/{system}/{name}": (facts, config) for label, system, name, facts, config in found}
