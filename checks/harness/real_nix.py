"""Debian trixie's Nix (2.26) in the chroot setup.sh provisions, with the flake's
input trees: Chroot runs commands in it, RealNix evaluates flakes there
against the real crane, rust-overlay, flake-utils and nix-filter at their
locked revisions and a real nixpkgs tree. The real-nix stage
(checks/offline/realnix_checks.py) and the nix-build stage use it.

The input trees come from $WW_REAL_NIX_INPUTS (nixpkgs/, crane/, rust-overlay/,
flake-utils/, systems/, nix-filter/).
"""

import json
import os
import re
from pathlib import Path

from harness.ci_env import CI
from harness.process import REPO, Failure, run

# the real-nix fixtures: facts.nix, the probe flake and the stand-ins
FIXTURES = REPO / "checks" / "offline" / "real-nix"

# flake input -> its tree under $WW_REAL_NIX_INPUTS
INPUTS = {"nixpkgs": "nixpkgs", "crane": "crane", "rust-overlay": "rust-overlay", "flake-utils": "flake-utils",
          "flake-utils/systems": "systems", "nix-filter": "nix-filter"}
# nixpkgs itself cannot be brought here (over the size limit), so a 2026
# nixpkgs stands in for the locked one; every other tree must be the locked one.
STAND_IN = "nixpkgs"
FACTS = (FIXTURES / "facts.nix").read_text()


class Chroot:
    """Runs commands in the trixie root, with the input trees at /inputs, the
    checkout at /src (read-only), a scratch directory at /work and the proving
    ground's Rust root and cargo tools at their own paths (read-only, for the
    nix-build stage's stand-ins), in a mount namespace of their own, so nothing
    stays mounted. The root is entered with pivot_root, not chroot: the kernel
    refuses user namespaces, and so Nix's sandbox, to a chrooted process."""

    # Nix's sandbox: the native stdenv runs the root's gcc, bash and coreutils.
    # Entries that are symlinks in the root fail, hence /lib=/usr/lib.
    SANDBOX_PATHS = "/usr /lib64=/usr/lib64 /lib=/usr/lib /bin/bash=/usr/bin/bash /etc/alternatives"

    def __init__(self, root, inputs, work):
        self.root, self.inputs, self.work = Path(root), Path(inputs), Path(work)
        self.rust_root = CI().rust_bin.parents[1]
        self.cargo_tools = CI().cargo_tools_bin.parent
        self.host_dirs = [self.rust_root, self.cargo_tools]

    def config(self):
        return "\n".join(["experimental-features = nix-command flakes", "substituters =", "flake-registry =",
                          "build-users-group =", "sandbox = true", "sandbox-fallback = false",
                          f"extra-sandbox-paths = {self.SANDBOX_PATHS} {' '.join(map(str, self.host_dirs))}",
                          f"max-jobs = {os.cpu_count()}", f"cores = {os.cpu_count()}"])

    def run(self, cmd, ok_codes=(0,), timeout=900):
        for d in ("inputs", "src", "work", ".old-root", *(str(h).lstrip("/") for h in self.host_dirs)):
            (self.root / d).mkdir(parents=True, exist_ok=True)
        mounts = ('r=$1; mount --bind "$r" "$r" && mount --bind /proc "$r/proc" && mount --rbind /dev "$r/dev"'
                  ' && mount --bind -o ro "$2" "$r/inputs" && mount --bind -o ro "$3" "$r/src"'
                  ' && mount --bind "$4" "$r/work" && shift 4'
                  ' && while [ "$1" != -- ]; do mount --bind -o ro "$1" "$r$1" || exit 1; shift; done && shift'
                  ' && cd "$r" && pivot_root . .old-root && umount -l /.old-root && cd / && exec "$@"')
        return run(["unshare", "-m", "--propagation", "private", "sh", "-c", mounts, "sh", self.root, self.inputs,
                    REPO, self.work, *self.host_dirs, "--", "env", "-i", "PATH=/usr/bin:/bin", "HOME=/root",
                    f"NIX_CONFIG={self.config()}", *cmd], ok_codes=ok_codes, timeout=timeout)

    def nix(self, *args, timeout=900):
        return self.run(["nix", *args], timeout=timeout).stdout


class RealNix:
    def __init__(self, chroot):
        self.chroot = chroot
        self.store = {}
        self.derivations = {}

    # ------------------------------------------------------------ evaluation

    def add_inputs(self):
        lock = json.loads((REPO / "flake.lock").read_text())["nodes"]
        lines = []
        for flake_input, tree in INPUTS.items():
            self.store[flake_input] = self.chroot.nix("store", "add-path", f"/inputs/{tree}", "--name", "source").strip()
            nar_hash = self.chroot.nix("hash", "path", f"/inputs/{tree}").strip()
            locked = lock[tree]["locked"]
            if flake_input == STAND_IN:
                version = (self.chroot.inputs / tree / "lib" / ".version").read_text().strip()
                lines.append(f"{tree}: a {version} tree stands in for {locked['rev'][:12]}")
            elif nar_hash != locked["narHash"]:
                raise Failure(f"{tree}: the tree's narHash {nar_hash} is not flake.lock's {locked['narHash']} "
                              f"(rev {locked['rev']}); export that revision")
            else:
                lines.append(f"{tree} {locked['rev'][:12]}")
        return "; ".join(lines)

    def overrides(self, prefix=""):
        args = []
        for flake_input, path in self.store.items():
            args += ["--override-input", prefix + flake_input, f"path:{path}"]
        return args

    def eval_facts(self, flake, output, through_wheelwright=False):
        """facts.nix applied to `flake#output`, for both systems."""
        extra = ["--override-input", "wheelwright", "git+file:///src"] if through_wheelwright else []
        prefix = "wheelwright/" if through_wheelwright else ""
        return json.loads(self.chroot.nix("eval", "--json", "--no-write-lock-file", *extra, *self.overrides(prefix),
                                          f"{flake}#{output}", "--apply", FACTS))

    def show(self, drv_paths):
        """`nix derivation show` of every path not shown yet."""
        wanted = sorted({p for p in drv_paths if p and p not in self.derivations})
        for i in range(0, len(wanted), 200):
            shown = json.loads(self.chroot.nix("derivation", "show", *wanted[i:i + 200]))
            self.derivations.update({(k if k.startswith("/nix/store/") else f"/nix/store/{k}"): v
                                     for k, v in shown.items()})
        return [self.derivations[p] for p in drv_paths]

    def inputs_named(self, drv_path, pattern):
        return [p for p in self.derivations[drv_path]["inputDrvs"] if re.fullmatch(pattern, name_of(p))]


def name_of(store_path):
    """`/nix/store/<hash>-maturin-1.16.0.drv` -> `maturin-1.16.0`"""
    return re.sub(r"\.drv$", "", store_path.split("/")[-1].split("-", 1)[1])


def missing_inputs():
    """The input trees $WW_REAL_NIX_INPUTS lacks."""
    inputs = CI().real_nix_inputs
    return [t for t in INPUTS.values() if not (inputs / t).is_dir()]
