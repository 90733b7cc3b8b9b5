"""`wheelwright publish` against a real index server: pypiserver (setup.sh
installs the version suite-tools.txt pins) on loopback.

The release (every wheel the builder stage built of one project, and its
sdist) is uploaded, installed by name with pip from that index and imported;
a second run must upload nothing; a file the index holds with other content,
a `linux_*` wheel and a loongarch64 wheel must each be refused with PyPI's
reason before anything is uploaded; an upload the index answers before
reading it must stop with the index's answer.
"""

import base64
import gzip
import hashlib
import os
import shutil
import socket
import subprocess
import tarfile
import time
import urllib.request
import zipfile

from sandbox import Failure, env, run


class IndexServer:
    """pypiserver on 127.0.0.1, uploads without authentication, no fallback to PyPI."""

    def __init__(self, packages):
        self.packages = packages
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.upload_url = f"http://127.0.0.1:{self.port}/"
        self.simple_url = f"http://127.0.0.1:{self.port}/simple/"

    def __enter__(self):
        shutil.rmtree(self.packages, ignore_errors=True)
        self.packages.mkdir(parents=True)
        self.log = open(self.packages.parent / "index-server.log", "w")
        self.proc = subprocess.Popen([env("WW_INDEX_SERVER"), "run", "-i", "127.0.0.1", "-p", str(self.port),
                                      "-a", ".", "-P", ".", "--disable-fallback", str(self.packages)],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{self.upload_url}health", timeout=1)
                return self
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.1)
        raise Failure(f"pypiserver did not start; see {self.log.name}")

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.log.close()

    def held(self):
        return sorted(p.name for p in self.packages.iterdir())


def publish(tools, server, paths, ok_codes=(0,), upload_url=None):
    """`wheelwright publish` to the server (or another upload URL of it);
    (exit code, stdout lines)."""
    proc = run([tools / "bin" / "wheelwright", "publish", "--repository-url", upload_url or server.upload_url,
                "--index-url", server.simple_url, *paths], ok_codes=ok_codes,
               env_vars={"PATH": "/usr/bin:/bin", "WHEELWRIGHT_PUBLISH_TOKEN": "pypiserver-takes-any"})
    return proc.returncode, proc.stdout.strip().splitlines()


def expect_lines(lines, expected):
    """Each expected text is in one of the lines."""
    missing = [e for e in expected if not any(e in line for line in lines)]
    if missing:
        raise Failure(f"expected lines with {missing}, got:\n" + "\n".join(lines))


def differently_compressed(sdist, dest):
    """The same sdist members in a gzip stream of another level: a file the index
    would hold under the same name with other bytes."""
    dest.mkdir(parents=True, exist_ok=True)
    out = dest / sdist.name
    with tarfile.open(sdist) as src, gzip.GzipFile(out, "wb", compresslevel=1, mtime=0) as gz, \
            tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for member in src.getmembers():
            tar.addfile(member, src.extractfile(member) if member.isfile() else None)
    return out


def padded(wheel, dest, size=24 << 20):
    """A copy of `wheel` with one more member, `size` zero bytes stored (and
    listed in RECORD): an upload bigger than loopback sockets buffer, so an
    index that answers before reading the body always closes the connection
    while publish is still writing it."""
    dest.mkdir(parents=True, exist_ok=True)
    out = dest / wheel.name
    name, padding = "wheelwright_padding/padding.bin", bytes(size)
    digest = base64.urlsafe_b64encode(hashlib.sha256(padding).digest()).rstrip(b"=").decode()
    with zipfile.ZipFile(wheel) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith(".dist-info/RECORD") and info.filename.count("/") == 1:
                member = zipfile.ZipInfo(name, date_time=info.date_time)
                member.external_attr = 0o644 << 16
                dst.writestr(member, padding, compress_type=zipfile.ZIP_STORED)
                data = f"{name},sha256={digest},{size}\n".encode() + data
            dst.writestr(info, data)
    return out


def prove_publish(sandbox, project, wheels, sdist, smoke_arch):
    """Publishes `wheels` and `sdist` (one release of `project`), then proves
    what the module docstring says; pip installs the x86_64 wheel by the
    distribution name and runs the project's smoke test with `smoke_arch`."""
    dist, version = sdist.name.removesuffix(".tar.gz").rsplit("-", 1)
    work = sandbox.work / "publish" / project.name
    release = work / "dist"
    shutil.rmtree(work, ignore_errors=True)
    release.mkdir(parents=True)
    for f in [*wheels, sdist]:
        os.symlink(f, release / f.name)
    names = sorted(f.name for f in [*wheels, sdist])
    tools = sandbox.tools
    with IndexServer(work / "packages") as server:
        _, lines = publish(tools, server, [release])
        expect_lines(lines, [f"uploaded {n}" for n in names] + [f" {version}: uploaded {len(names)}, "
                                                                 "0 on the index already"])
        if server.held() != names:
            raise Failure(f"the index holds {server.held()}, expected {names}")

        venv = work / "venv"
        run([env("WW_HOST_PYTHON"), "-m", "venv", venv])
        run([venv / "bin" / "pip", "install", "-q", "--disable-pip-version-check", "--no-deps", "--only-binary",
             ":all:", "--index-url", server.simple_url, dist])
        said = run([venv / "bin" / "python", project.dir / "tests" / "smoke.py", smoke_arch]).stdout.strip()

        _, again = publish(tools, server, [release])
        expect_lines(again, [f"skip {n}: the index has it, identical" for n in names]
                     + [f" {version}: 0 to upload, {len(names)} on the index already"])

        other = differently_compressed(sdist, work / "other")
        _, lines = publish(tools, server, [other], ok_codes=(1,))
        expect_lines(lines, [f"refused {sdist.name}: the index already holds this file with other content",
                             "nothing was uploaded"])

        x86_64 = next(w for w in wheels if w.name.endswith("_x86_64.whl"))
        platform = x86_64.name.rsplit("-", 1)[1]
        rejected = work / "rejected"
        rejected.mkdir()
        for tag in ("linux_x86_64", "manylinux_2_36_loongarch64"):
            shutil.copy(x86_64, rejected / x86_64.name.replace(platform, tag + ".whl"))
        _, lines = publish(tools, server, [rejected], ok_codes=(1,))
        expect_lines(lines, ["refused " + x86_64.name.replace(platform, "linux_x86_64.whl") +
                             ": PyPI rejects the platform tag linux_x86_64",
                             "refused " + x86_64.name.replace(platform, "manylinux_2_36_loongarch64.whl") +
                             ": PyPI does not accept loongarch64 wheels", "nothing was uploaded"])
        if server.held() != names:
            raise Failure(f"a refused publish changed the index: {server.held()}")

    # An upload the index refuses (pypiserver takes uploads at /, not /legacy/)
    # stops the run with the index's answer and what to do. pypiserver answers
    # 405 after the headers and closes without reading the body; the upload is
    # big enough that publish is always still writing it then.
    big = padded(x86_64, work / "big")
    with IndexServer(work / "packages-empty") as empty:
        _, lines = publish(tools, empty, [big], ok_codes=(1,), upload_url=empty.upload_url + "legacy/")
        expect_lines(lines, [f"error: uploading {big.name}: {empty.upload_url}legacy/ answered 405 ",
                             "run publish again once that is fixed"])
        if empty.held():
            raise Failure(f"a refused upload changed the index: {empty.held()}")
    return (f"{len(names)} files uploaded, pip installed {dist} from the index ({said}); "
            f"a second run uploaded nothing; other content, linux_x86_64 and loongarch64 refused; "
            f"an upload the index refuses stops with its answer")

