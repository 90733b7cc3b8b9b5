"""An index on loopback that takes uploads with PEP 740 attestations as PyPI
does: each upload's `attestations` form field is parsed and verified the way
warehouse's IntegrityService does it (warehouse/attestations/services.py), with
pypi-attestations and Sigstore's trust root, offline; the file is kept when
they verify, and the upload is answered 400 with warehouse's words when not.
Runs under the Python of setup.sh's release-tools (the pins of
.github/wheelwright/release-requirements.txt, which the release job signs with).

  python attesting_index.py PACKAGES IDENTITY [--staging]

PACKAGES: where kept files go, with received.json: for each kept file, the
attestations it came with (as parsed JSON). IDENTITY: the signer identity the
attestations must carry (warehouse checks the trusted publisher's). Prints the
index's URL once it listens. The simple API (PEP 691 JSON) lists what it keeps.
"""

import email.parser
import email.policy
import hashlib
import http.server
import json
import re
import sys
from pathlib import Path

from pydantic import TypeAdapter, ValidationError
from pypi_attestations import Attestation, Distribution, VerificationError
from sigstore.verify import policy

# warehouse's SUPPORTED_ATTESTATION_TYPES
SUPPORTED = {"https://docs.pypi.org/attestations/publish/v1", "https://slsa.dev/provenance/v1"}


def verify(field, filename, content, identity, staging):
    """The attestations of one upload, parsed, or warehouse's reason to refuse them."""
    try:
        attestations = TypeAdapter(list[Attestation]).validate_json(field)
    except ValidationError as e:
        return None, f"Malformed attestations: {e}"
    if not attestations:
        return None, "Malformed attestations: an empty attestation set is not permitted"
    if len(attestations) > len(SUPPORTED):
        return None, f"A maximum of {len(SUPPORTED)} attestations per file are supported"
    dist = Distribution(name=filename, digest=hashlib.sha256(content).hexdigest())
    seen = set()
    for attestation in attestations:
        try:
            predicate_type, _ = attestation.verify(policy.Identity(identity=identity), dist,
                                                   staging=staging, offline=True)
        except VerificationError as e:
            return None, f"Could not verify the uploaded artifact using the included attestation: {e}"
        if predicate_type not in SUPPORTED:
            return None, f"Attestation with unsupported predicate type: {predicate_type}"
        if predicate_type in seen:
            return None, ("Multiple attestations for the same file with the same predicate type "
                          f"({predicate_type}) are not supported")
        seen.add(predicate_type)
    return json.loads(field), None


def serve(packages, identity, staging):
    received = packages / "received.json"

    class Handler(http.server.BaseHTTPRequestHandler):
        def answer(self, status, body, content_type="text/plain"):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            project = re.fullmatch(r"/simple/([^/]+)/", self.path)
            files = [p for p in sorted(packages.iterdir()) if p.name != received.name] if project else []
            if not files:
                return self.answer(404, "not found")
            self.answer(200, json.dumps({
                "meta": {"api-version": "1.1"}, "name": project[1],
                "files": [{"filename": p.name, "url": f"/files/{p.name}", "size": p.stat().st_size,
                           "hashes": {"sha256": hashlib.sha256(p.read_bytes()).hexdigest()}} for p in files]}),
                "application/vnd.pypi.simple.v1+json")

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            form = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode() + body)
            fields, content, filename = {}, None, None
            for part in form.iter_parts():
                name = part.get_param("name", header="content-disposition")
                if part.get_filename():
                    filename, content = part.get_filename(), part.get_payload(decode=True)
                else:
                    # form fields are UTF-8 (a checkpoint holds an em dash); the part names no charset
                    fields[name] = part.get_payload(decode=True).decode()
            if content is None:
                return self.answer(400, "no content")
            attestations = None
            if "attestations" in fields:
                attestations, refused = verify(fields["attestations"], filename, content, identity, staging)
                if refused:
                    return self.answer(400, f"Invalid attestations supplied during upload: {refused}")
            (packages / filename).write_bytes(content)
            kept = json.loads(received.read_text()) if received.exists() else {}
            kept[filename] = attestations
            received.write_text(json.dumps(kept))
            self.answer(200, "OK")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"http://127.0.0.1:{server.server_address[1]}/", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    packages, identity = Path(sys.argv[1]), sys.argv[2]
    packages.mkdir(parents=True, exist_ok=True)
    serve(packages, identity, "--staging" in sys.argv[3:])
