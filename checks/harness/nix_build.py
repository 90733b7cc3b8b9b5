"""Builds with real Nix in the real-nix chroot (harness.real_nix), with only
what needs the network stood in:

  nixpkgs        the same tree, with its native stdenv and the root's binaries
                 for the leaf packages (real-nix/standin-nixpkgs)
  rust-overlay   the proving ground's Rust, std for every target
                 (real-nix/standin-rust-overlay)
  fixed outputs  crate tarballs and the pinned tools' files, downloaded here
                 from the URL each derivation names and added to the store, so
                 that Nix never runs the fetcher; Nix still checks every hash

The nix-build stage (checks/offline/nixbuild.py) and bench/ build with it.
"""

import hashlib
import json
import re
import shutil
import time
import urllib.request
from pathlib import Path

from harness.ci_env import CI
from harness.process import Failure
from harness.real_nix import FIXTURES, Chroot, RealNix

SYSTEM = "x86_64-linux"
FLAKE = "git+file:///src"
# flake input -> the stand-in that replaces it (a directory under real-nix/)
STAND_INS = {"nixpkgs": "standin-nixpkgs", "rust-overlay": "standin-rust-overlay"}
# Nix's internal-json log: the activity of one derivation's build.
ACTIVITY_BUILD = 105


class NixBuild:
    """Builds in the trixie root with the stand-ins in place of nixpkgs and
    rust-overlay, and every other input the locked tree."""

    def __init__(self, chroot, store):
        self.chroot = chroot
        self.store = store

    def overrides(self, prefix=""):
        args = []
        for flake_input, path in self.store.items():
            source = f"path:/work/{STAND_INS[flake_input]}" if flake_input in STAND_INS else f"path:{path}"
            args += ["--override-input", prefix + flake_input, source]
        return args

    def flake_args(self, flake):
        """The arguments that point `flake`'s inputs (the checkout's, or a
        project's `wheelwright` input's) at the trees and stand-ins."""
        if flake == FLAKE:
            return ["--no-write-lock-file", *self.overrides()]
        return ["--no-write-lock-file", "--override-input", "wheelwright", FLAKE, *self.overrides("wheelwright/")]

    def drv_paths(self, flake, attribute, names=None):
        """name -> .drv path of the derivations in `flake#attribute`, or of
        `names` among them (the others need not evaluate with the stand-ins)."""
        pick = "builtins.mapAttrs (_: d: d.drvPath)" if names is None else \
            f"s: builtins.listToAttrs (map (n: {{ name = n; value = s.${{n}}.drvPath; }}) [ {' '.join(map(json.dumps, names))} ])"
        return json.loads(self.chroot.nix("eval", "--json", *self.flake_args(flake), f"{flake}#{attribute}",
                                          "--apply", pick))

    def build(self, installables, *extra):
        """`nix build` of installables; (output paths, the derivations Nix
        built, seconds). A failure quotes Nix's error, which ends with the
        failed build's log."""
        return self.logged(["build", "--no-link", "--print-out-paths", *extra, *installables])

    def flake_check(self, flake):
        """`nix flake check` of `flake` with its inputs pointed at the trees
        and stand-ins; (nothing, the derivations Nix built, seconds)."""
        return self.logged(["flake", "check", *self.flake_args(flake), flake])

    def logged(self, args):
        """A nix command with an internal-json log: (its stdout's words, the
        derivations Nix built, seconds)."""
        start = time.monotonic()
        proc = self.chroot.run(["nix", *args[:1], "--log-format", "internal-json", *args[1:]],
                               ok_codes=(0, 1), timeout=3000)
        built, errors = [], []
        for line in proc.stderr.splitlines():
            if not line.startswith("@nix "):
                continue
            event = json.loads(line[5:])
            if event.get("action") == "start" and event.get("type") == ACTIVITY_BUILD:
                built.append(event["fields"][0])
            elif event.get("action") == "msg" and event.get("level", 9) <= 1:
                errors.append(re.sub(r"\x1b\[[0-9;]*m", "", event["msg"]))
        if proc.returncode:
            raise Failure(f"nix {' '.join(args[:2])} failed:\n" + "\n".join(errors)[-4000:])
        return proc.stdout.split(), built, time.monotonic() - start

    def build_afresh(self, flake, name, options):
        """Builds `flake#name` (with `options`) on a dependency build made
        again with them: that output is deleted from the store first. The
        final output may stay (another output, such as dist, may hold it);
        an edit makes a new one."""
        deps, final = json.loads(self.chroot.nix("eval", "--json", *self.flake_args(flake),
                                                 f"{flake}#packages.{SYSTEM}.{name}",
                                                 "--apply", "d: [ d.deps.drvPath d.drvPath ]"))
        output = next(iter(json.loads(self.chroot.nix("derivation", "show", deps)).values()))["outputs"]["out"]["path"]
        self.chroot.run(["nix", "store", "delete", output], ok_codes=(0, 1))
        if self.host_path(output).exists():
            raise Failure(f"nix store delete left {output} in the store")
        self.build([f"{deps}^out", f"{final}^out"], *options)

    def log(self, drv):
        return self.chroot.nix("log", drv)

    def host_path(self, store_path):
        """Where a path of the root's store is on this machine."""
        return self.chroot.root / store_path.lstrip("/")


def open_nix(work):
    """A NixBuild whose /work is `work`: the input trees in the store, the
    stand-ins written there."""
    chroot = Chroot(CI().real_nix_root, CI().real_nix_inputs, work)
    real = RealNix(chroot)
    real.add_inputs()
    write_stand_ins(work, real.store["nixpkgs"], chroot)
    return NixBuild(chroot, real.store)


def write_stand_ins(work, nixpkgs_tree, chroot):
    """The stand-in flakes, with the nixpkgs tree's store path and the Rust
    root and cargo tools of the proving ground written in."""
    version = CI().rust_deb_version.split("+")[0]
    for directory in STAND_INS.values():
        dest = work / directory
        shutil.copytree(FIXTURES / directory, dest)
        for f in dest.iterdir():
            f.write_text(f.read_text().replace("@NIXPKGS_TREE@", nixpkgs_tree)
                         .replace("@RUST_ROOT@", str(chroot.rust_root)).replace("@RUST_VERSION@", version)
                         .replace("@CARGO_TOOLS@", str(chroot.cargo_tools)))


def add_fixed_outputs(nix, drvs):
    """Every fixed-output derivation in the closure of `drvs` whose output is
    not in the store yet: downloaded here from its URL (cached under
    $WW_CI_ROOT/downloads/nix-fixed), checked against its hash and added to
    the store under its name, which gives the very output path."""
    shown = {}
    for i in range(0, len(drvs), 100):
        shown.update(json.loads(nix.chroot.nix("derivation", "show", "-r", *drvs[i:i + 100])))
    fixed = {}
    for drv in shown.values():
        out = drv["outputs"].get("out", {})
        if "hash" in out:
            fixed[out["path"]] = (drv, out)
    missing = nix.chroot.run(["nix-store", "--check-validity", "--print-invalid", *fixed], timeout=300).stdout.split()
    cache = CI().ci_root / "downloads" / "nix-fixed"
    cache.mkdir(parents=True, exist_ok=True)
    staging = nix.chroot.work / "fixed"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    for path in missing:
        drv, out = fixed[path]
        if out.get("method") != "flat" or out.get("hashAlgo") != "sha256":
            raise Failure(f"{path}: a fixed output of method {out.get('method')} and {out.get('hashAlgo')}; "
                          "only flat sha256 files can be downloaded here")
        variables = json.loads(drv["env"]["__json"]) if "__json" in drv["env"] else drv["env"]
        urls = variables.get("urls") or variables.get("url", "").split()
        cached = cache / Path(path).name
        if not cached.exists():
            download(urls, cached, out["hash"])
        name = Path(path).name.split("-", 1)[1]
        shutil.copy(cached, staging / name)
    added = []
    if missing:
        added = nix.chroot.run(["nix-store", "--add-fixed", "sha256",
                                *(f"/work/fixed/{Path(p).name.split('-', 1)[1]}" for p in missing)],
                               timeout=600).stdout.split()
    if sorted(added) != sorted(missing):
        raise Failure(f"adding the fixed outputs gave {sorted(set(added) - set(missing))[:5]}, "
                      f"not {sorted(set(missing) - set(added))[:5]}")
    return len(shown), len(fixed), len(missing)


def download(urls, dest, sha256):
    last = "no https URL"
    for url in urls:
        if not url.startswith("https://"):
            continue
        try:
            with urllib.request.urlopen(url, timeout=120) as response:
                data = response.read()
        except OSError as err:
            last = f"{url}: {err}"
            continue
        if hashlib.sha256(data).hexdigest() != sha256:
            raise Failure(f"{url} does not have the sha256 {sha256} that its derivation pins")
        tmp = dest.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.rename(dest)
        return
    raise Failure(f"cannot download {dest.name} from {urls}: {last}")


def compiled_crates(log):
    """The crates cargo compiled in a build log (`Compiling name vX`, in colour)."""
    return sorted(set(re.findall(r"Compiling (\S+) v", re.sub(r"\x1b\[[0-9;]*m", "", log))))


def nix_options(sandbox):
    return [] if sandbox else ["--option", "sandbox", "false"]


def edit_and_rebuild(nix, project, name, options=()):
    """Appends a function to `project`'s src/lib.rs (a flake under /work) and
    builds `name` with Nix (and `options`): (the derivations Nix built, the
    final one, the crates its cargo compiled, seconds). The function is named
    after the time, so that no earlier edit's store path holds that build."""
    lib_rs = project / "src" / "lib.rs"
    lib_rs.write_text(lib_rs.read_text() + f"\npub fn nix_build_edit_{time.time_ns()}() {{}}\n")
    final = nix.drv_paths(f"path:/work/{project.name}", f"packages.{SYSTEM}", [name])[name]
    _, built, seconds = nix.build([f"{final}^out"], *options)
    return built, final, compiled_crates(nix.log(final)), seconds
