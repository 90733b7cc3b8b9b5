"""`wheelwright publish` against a real index server: pypiserver (setup.sh
installs the version suite-tools.txt pins) on loopback.

The release (every wheel the builder stage built of one project, and its
sdist) is uploaded, installed by name with pip from that index and imported;
a second run must upload nothing; a file the index holds with other content,
a `linux_*` wheel and a loongarch64 wheel must each be refused with PyPI's
reason before anything is uploaded, and so must a local version, a Summary
over 512 characters, a Description-Content-Type PyPI refuses, a file over the
file size limit, the release's content under another name, a second sdist of
the release and a project over its size limit (pypiserver lists no sizes: the
release alone counts); an upload the index answers before reading it must stop
with the index's answer.
"""

import base64
import gzip
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import tarfile
import time
import urllib.request
import zipfile
from pathlib import Path

from harness.ci_env import CI
from harness.process import Failure, run


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
        self.proc = subprocess.Popen([CI().index_server, "run", "-i", "127.0.0.1", "-p", str(self.port),
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


class AttestingIndex:
    """attesting_index.py on 127.0.0.1: an index that verifies each upload's
    PEP 740 attestations as PyPI does, signed by `identity` (on Sigstore's
    staging instance if `staging`), with the release job's own tools."""

    def __init__(self, packages, identity, staging):
        self.packages = packages
        self.command = [CI().release_tools_python, Path(__file__).with_name("attesting_index.py"), packages, identity,
                        *(["--staging"] if staging else [])]

    def __enter__(self):
        shutil.rmtree(self.packages, ignore_errors=True)
        self.packages.mkdir(parents=True)
        self.log = open(self.packages.parent / "attesting-index.log", "w")
        self.proc = subprocess.Popen(list(map(str, self.command)), stdout=subprocess.PIPE, stderr=self.log, text=True)
        url = self.proc.stdout.readline().strip()
        if not url.startswith("http://127.0.0.1:"):
            raise Failure(f"attesting_index.py did not start; see {self.log.name}")
        self.upload_url, self.simple_url = url + "legacy/", url + "simple/"
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.log.close()

    def held(self):
        return sorted(p.name for p in self.packages.iterdir() if p.name != "received.json")

    def received(self):
        """{file: the attestations it was uploaded with, as JSON}"""
        received = self.packages / "received.json"
        return json.loads(received.read_text()) if received.exists() else {}


def publish(tools, server, paths, ok_codes=(0,), upload_url=None, options=()):
    """`wheelwright publish` to the server (or another upload URL of it);
    (exit code, stdout lines)."""
    proc = run([tools / "bin" / "wheelwright", "publish", "--repository-url", upload_url or server.upload_url,
                "--index-url", server.simple_url, *options, *paths], ok_codes=ok_codes,
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


def with_header(metadata, name, value):
    """METADATA text with every `name` header (and its continuation lines) replaced by
    one `name: value` after the Version header."""
    head, sep, body = metadata.partition("\n\n")
    lines, skipping = [], False
    for line in head.splitlines():
        if line.lower().startswith(name.lower() + ":"):
            skipping = True
            continue
        if skipping and line[:1] in (" ", "\t"):
            continue
        skipping = False
        lines.append(line)
        if line.startswith("Version:"):
            lines.append(f"{name}: {value}")
    return "\n".join(lines) + (sep or "\n\n") + body


def rewritten(wheel, dest, edit, version=None):
    """A copy of `wheel` in `dest` whose METADATA is `edit(text)` and, given `version`,
    whose file name, .dist-info and .data directories and Version say that version;
    RECORD lists the new names and hashes."""
    dest.mkdir(parents=True, exist_ok=True)
    dist, old_version, tags = wheel.name.split("-", 2)
    new_version = version or old_version
    out = dest / f"{dist}-{new_version}-{tags}"
    prefixes = [(f"{dist}-{old_version}.{d}/", f"{dist}-{new_version}.{d}/") for d in ("dist-info", "data")]
    info_dir = prefixes[0][1]
    with zipfile.ZipFile(wheel) as src:
        members = []
        for info in src.infolist():
            name, data = info.filename, src.read(info)
            for old, new in prefixes:
                if name.startswith(old):
                    name = new + name[len(old):]
            if name == info_dir + "METADATA":
                text = data.decode()
                if version:
                    text = re.sub(r"(?m)^Version: .*$", f"Version: {version}", text, count=1)
                data = edit(text).encode()
            members.append((info, name, data))
    record = "".join(
        f"{name},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},{len(data)}\n"
        for _, name, data in members if name != info_dir + "RECORD") + f"{info_dir}RECORD,,\n"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, name, data in members:
            member = zipfile.ZipInfo(name, date_time=info.date_time)
            member.external_attr = info.external_attr
            dst.writestr(member, record.encode() if name == info_dir + "RECORD" else data,
                         compress_type=zipfile.ZIP_DEFLATED)
    return out


def prove_refusals(tools, work, release, wheels, sdist, x86_64):
    """The refusals of PyPI's rules that a fresh pypiserver shows: each one before
    anything is uploaded, the index as it was."""
    dist, version = sdist.name.removesuffix(".tar.gz").rsplit("-", 1)
    with IndexServer(work / "packages-refusals") as server:
        local = rewritten(x86_64, work / "local", lambda text: text, version=f"{version}+local")
        _, lines = publish(tools, server, [local], ok_codes=(1,))
        expect_lines(lines, [f"refused {local.name}: its version {version}+local is a local version (+local), "
                             "which PyPI refuses", "nothing was uploaded"])

        meta = rewritten(x86_64, work / "metadata", lambda text: with_header(
            with_header(text, "Summary", "s" * 513), "Description-Content-Type", "text/markdown; charset=utf-8"))
        _, lines = publish(tools, server, [meta], ok_codes=(1,))
        expect_lines(lines, [f"refused {meta.name}: its Summary is 513 characters, PyPI takes 512 at most",
                             f'refused {meta.name}: its Description-Content-Type "text/markdown; charset=utf-8" '
                             'names the charset "utf-8"', "nothing was uploaded"])

        size = x86_64.stat().st_size
        _, lines = publish(tools, server, [x86_64], ok_codes=(1,), options=["--file-size-limit", str(size - 1)])
        expect_lines(lines, [f"refused {x86_64.name}: it is {size} bytes, over the --file-size-limit of "
                             f"{size - 1} bytes", "nothing was uploaded"])

        # The index holds the x86_64 wheel's bytes under another wheel's name, and a
        # .zip sdist of the release; the release is one byte over the project limit.
        copy = f"{dist}-{version}-1copy-py3-none-any.whl"
        shutil.copy(x86_64, server.packages / copy)
        (server.packages / f"{dist}-{version}.zip").write_bytes(b"an sdist uploaded before")
        held = server.held()
        total = sum(f.stat().st_size for f in [*wheels, sdist])
        _, lines = publish(tools, server, [release], ok_codes=(1,),
                           options=["--project-size-limit", str(total - 1)])
        expect_lines(lines, [f"refused {x86_64.name}: the index already holds this content as {copy}",
                             f"refused {sdist.name}: the index already holds {dist}-{version}.zip, an sdist of "
                             "this release: PyPI takes one sdist per release",
                             f"refused {sdist.name}: with it the project would hold {total} bytes (the index lists "
                             f"no sizes, so only this release's files are counted), over the --project-size-limit "
                             f"of {total - 1} bytes", "nothing was uploaded"])
        if server.held() != held:
            raise Failure(f"a refused publish changed the index: {server.held()}")


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
        run([CI().host_python, "-m", "venv", venv])
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

    prove_refusals(tools, work, release, wheels, sdist, x86_64)

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
            f"a second run uploaded nothing; other content, linux_x86_64, loongarch64, a local version, "
            f"Summary, Description-Content-Type, file size, content under another name, a second sdist and "
            f"project size refused; an upload the index refuses stops with its answer")



# A real wheel and its real PEP 740 attestation from pypi-attestations' own
# tests (setup.sh's release-tools): signed on Sigstore's staging instance by
# this identity.
ATTESTED = "rfc8785-0.1.2-py3-none-any.whl"
ATTESTED_BY = "william@yossarian.net"


def prove_attestations(tools, work):
    """A wheel's attestation reaches the index as PyPI verifies it, and the
    same attestation beside that wheel rebuilt (one METADATA header more) is
    refused before anything is uploaded."""
    assets = CI().attest_assets
    attestation = f"{ATTESTED}.publish.attestation"
    shutil.rmtree(work, ignore_errors=True)
    release, other = work / "release", work / "other"
    for d in (release, other):
        d.mkdir(parents=True)
        shutil.copy(assets / attestation, d / attestation)
    shutil.copy(assets / ATTESTED, release / ATTESTED)
    rewritten(assets / ATTESTED, other, lambda text: with_header(text, "Keywords", "rebuilt"))
    with AttestingIndex(work / "packages", ATTESTED_BY, staging=True) as index:
        _, lines = publish(tools, index, [other], ok_codes=(1,))
        expect_lines(lines, [f"refused {attestation}: its subject's sha256 is ", "it attests other content", "nothing was uploaded"])
        if index.held():
            raise Failure(f"a refused publish changed the index: {index.held()}")
        _, lines = publish(tools, index, [release])
        expect_lines(lines, [f"uploaded {ATTESTED} with 1 attestation", "rfc8785 0.1.2: uploaded 1"])
        sent = json.loads((assets / attestation).read_text())
        if index.received() != {ATTESTED: [sent]}:
            raise Failure(f"the index received {index.received()!r:.300}, expected {ATTESTED}'s attestation as is")
    return (f"{ATTESTED} uploaded with its attestation, which the index verified as PyPI does (Sigstore staging, "
            f"{ATTESTED_BY}); the same attestation beside a rebuilt {ATTESTED} refused before any upload")
