#!/usr/bin/env bash
# Corpus test: pinned third-party wheels from PyPI, judged by wheelwright and by
# `auditwheel show`; the best policies must agree except for the documented `known=`
# disagreements in wheels.txt. Then mutated copies (renamed platform tag, tampered RECORD,
# `any` tag on a binary wheel, a claim of an older policy) must fail with the expected rule,
# and synthetic wheels compiled with cc (one policy rule each) must get auditwheel's verdict.
#
#   WW_CACHE_DIR  wheel cache (default ${XDG_CACHE_HOME:-$HOME/.cache}/wheelwright/corpus)
#   AUDITWHEEL    auditwheel executable (default: `auditwheel` on PATH, else a venv with
#                 the auditwheel lib/data/tools.json pins is created in the cache dir)
#   WHEELWRIGHT   wheelwright executable (default: cargo build --release of this crate)
#   WW_DOWNLOAD_ONLY=1  only fetch and verify the wheels (used by the benchmark)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cache="${WW_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/wheelwright/corpus}"
mkdir -p "$cache"
pins="$here/wheels.txt"

venv="$cache/venv"
ensure_venv() {
    if [ ! -x "$venv/bin/pip" ]; then
        python3 -m venv "$venv"
        "$venv/bin/pip" install -q --disable-pip-version-check auditwheel=="$(python3 "$here/../../checks/harness/pinned_tools.py" version auditwheel)"
    fi
}

# Download missing wheels and check every pin.
grep -v '^#' "$pins" | while read -r file sha req plat pyver abi _rest; do
    [ -n "${file:-}" ] || continue
    if [ ! -f "$cache/$file" ]; then
        ensure_venv
        "$venv/bin/pip" download -q --disable-pip-version-check --no-deps --only-binary=:all: \
            --implementation cp --platform "$plat" --python-version "$pyver" --abi "$abi" \
            -d "$cache" "$req" >&2
        [ -f "$cache/$file" ] || { echo "corpus: $req did not download as $file" >&2; exit 1; }
    fi
    got="$(sha256sum "$cache/$file" | cut -d' ' -f1)"
    if [ "$got" != "$sha" ]; then
        echo "corpus: sha256 mismatch for $file: got $got, pinned $sha" >&2
        exit 1
    fi
done
if [ "${WW_DOWNLOAD_ONLY:-0}" = 1 ]; then
    exit 0
fi

if [ -n "${AUDITWHEEL:-}" ]; then
    auditwheel="$AUDITWHEEL"
elif command -v auditwheel >/dev/null 2>&1; then
    auditwheel="$(command -v auditwheel)"
else
    ensure_venv
    auditwheel="$venv/bin/auditwheel"
fi
if [ -n "${WHEELWRIGHT:-}" ]; then
    ww="$WHEELWRIGHT"
else
    cargo build --release --quiet --manifest-path "$here/../Cargo.toml"
    ww="$here/../target/release/wheelwright"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/ldpaths" "$work/mut"

# Python (stdlib only) compares verdicts and makes the mutated copies.
python3 - "$pins" "$cache" "$ww" "$auditwheel" "$work" <<'PY'
import base64, hashlib, json, os, platform, re, shutil, subprocess, sys, zipfile

pins, cache, ww, auditwheel, work = sys.argv[1:]
passed = failed = 0


def line(ok, name, ours, theirs, note="", label="auditwheel"):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
    print(f"{'ok  ' if ok else 'FAIL'} {name}  wheelwright={ours}  {label}={theirs}{note}", flush=True)


def ww_check(path):
    p = subprocess.run([ww, "check", "--json", path], capture_output=True, text=True)
    if p.returncode == 2:
        return None, p.stderr.strip()
    return json.loads(p.stdout)[0], None


def aw_show(path):
    # --ldpaths to an empty dir: host libraries must not influence the verdict (and the
    # glibc `libc.so` linker script must not crash it on musl wheels).
    p = subprocess.run([auditwheel, "show", "--json", "--ldpaths", f"{work}/ldpaths", path],
                       capture_output=True, text=True)
    if p.returncode != 0:
        return "error: " + (p.stderr.strip().splitlines() or ["?"])[-1]
    return json.loads(p.stdout)["overall_tag"]


wheels = []
for raw in open(pins):
    if raw.startswith("#") or not raw.strip():
        continue
    parts = raw.split()
    opts, rest = {}, parts[6:]
    while rest and rest[0].split("=")[0] in ("known", "fails"):
        key, _, value = rest.pop(0).partition("=")
        opts[key] = value
    wheels.append((parts[0], opts.get("known"), set(filter(None, opts.get("fails", "").split(","))), " ".join(rest)))

for file, known, fails, reason in wheels:
    path = os.path.join(cache, file)
    report, err = ww_check(path)
    ours = report["best_policy"] if report else f"error: {err}"
    theirs = aw_show(path)
    rules = {f["rule"] for f in report["failures"]} if report else set()
    note = "" if rules == fails else f"  (failed rules {sorted(rules)}, pinned {sorted(fails)})"
    if known:
        line(ours == known and theirs != ours and rules == fails, file, ours, theirs, note + f"  (known: {reason})")
    else:
        line(ours == theirs and rules == fails, file, ours, theirs, note)


def make_wheel(path, files):
    """Writes a minimal valid wheel holding `files` (name -> bytes)."""
    dist, ver = os.path.basename(path).split("-")[:2]
    di = f"{dist}-{ver}.dist-info"
    tags = "".join(f"Tag: cp311-cp311-{p}\n" for p in path[:-4].split("-")[-1].split("."))
    files = dict(files)
    files[f"{di}/WHEEL"] = f"Wheel-Version: 1.0\nRoot-Is-Purelib: false\n{tags}".encode()
    files[f"{di}/METADATA"] = f"Metadata-Version: 2.1\nName: {dist}\nVersion: {ver}\n".encode()
    record = ""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record += f"{name},sha256={digest},{len(data)}\n"
        z.writestr(f"{di}/RECORD", record + f"{di}/RECORD,,\n")


# Synthetic x86_64 wheels from tiny C sources, one policy rule each, judged by both tools.
SYNTH = [
    # name, C source, extra cc flags, bundle libdep under syn.libs
    ("plain", "int PyInit_m(void){return 0;}", [], False),
    ("glibc225", "#include <sys/random.h>\nint PyInit_m(void){char b[4];return (int)getrandom(b,4,0);}", [], False),
    ("blacklist", "extern int __cxa_thread_atexit_impl(void*,void*,void*);int PyInit_m(void){return __cxa_thread_atexit_impl(0,0,0);}", [], False),
    ("isa_v3", "int PyInit_m(void){return 0;}", ["-Wl,-z,x86-64-v3"], False),
    ("external", "extern int dep(void);int PyInit_m(void){return dep();}", ["-L{d}", "-l:libdep-0123abcd.so"], False),
    ("bundled", "extern int dep(void);int PyInit_m(void){return dep();}", ["-L{d}", "-l:libdep-0123abcd.so", "-Wl,-rpath,$ORIGIN/../syn.libs"], True),
    ("libpython", "extern int Py_IsInitialized(void);int PyInit_m(void){return Py_IsInitialized();}", ["-L{d}", "-l:libpython3.11.so.1.0"], False),
]
cc = shutil.which("cc")
if cc is None or platform.machine() != "x86_64":
    print("synthetic cases skipped: they need cc on x86_64", flush=True)
    SYNTH = []
if SYNTH:
    d = os.path.join(work, "syn")
    os.makedirs(d)
    with open(os.path.join(d, "dep.c"), "w") as f:
        f.write("int dep(void){return 1;}\nint Py_IsInitialized(void){return 1;}\n")
    for soname in ["libdep-0123abcd.so", "libpython3.11.so.1.0"]:
        subprocess.run([cc, "-shared", "-fPIC", "-o", os.path.join(d, soname), os.path.join(d, "dep.c"),
                        f"-Wl,-soname,{soname}"], check=True)
for name, src, flags, bundle in SYNTH:
    c = os.path.join(d, f"{name}.c")
    with open(c, "w") as f:
        f.write(src + "\n")
    so = os.path.join(d, f"{name}.so")
    subprocess.run([cc, "-shared", "-fPIC", "-O1", "-o", so, c] + [x.format(d=d) for x in flags], check=True)
    files = {"syn/m.cpython-311-x86_64-linux-gnu.so": open(so, "rb").read()}
    if bundle:
        files["syn.libs/libdep-0123abcd.so"] = open(os.path.join(d, "libdep-0123abcd.so"), "rb").read()
    wheel = os.path.join(d, f"syn-1.0+{name}-cp311-cp311-linux_x86_64.whl")
    make_wheel(wheel, files)
    report, err = ww_check(wheel)
    ours = report["best_policy"] if report else f"error: {err}"
    theirs = aw_show(wheel)
    line(ours == theirs, f"[synthetic {name}]", ours, theirs)


def rewrite(src, dst, edit_record):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.endswith(".dist-info/RECORD"):
                data = edit_record(data.decode()).encode()
            zout.writestr(info, data)


def tamper(record):
    # Replace the first file's digest with the digest of other content.
    fake = base64.urlsafe_b64encode(hashlib.sha256(b"tampered").digest()).rstrip(b"=").decode()
    return re.sub(r"sha256=[A-Za-z0-9_-]+", "sha256=" + fake, record, count=1)


mutants = []
for file in ["orjson-3.10.7-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
             "simplejson-3.19.3-cp39-cp39-manylinux_2_5_x86_64.manylinux1_x86_64.manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
             "cryptography-43.0.1-cp39-abi3-manylinux_2_28_x86_64.whl"]:
    src = os.path.join(cache, file)
    dist, ver = file.split("-")[:2]
    head = "-".join(file[:-4].split("-")[:-1])
    renamed = os.path.join(work, "mut", f"{head}-manylinux_2_17_aarch64.whl")
    shutil.copy(src, renamed)
    mutants.append((renamed, "wheel.tags", "renamed platform tag"))
    if "x86_64" in file and "manylinux_2_5" not in file:
        # Claims an older policy than the binaries satisfy.
        older = os.path.join(work, "mut", "old", f"{head}-manylinux1_x86_64.whl")
        os.makedirs(os.path.dirname(older), exist_ok=True)
        shutil.copy(src, older)
        mutants.append((older, "policy.tag", "claims manylinux1"))
    anyw = os.path.join(work, "mut", f"{dist}-{ver}-py3-none-any.whl")
    shutil.copy(src, anyw)
    mutants.append((anyw, "tags.elf-in-pure", "`any` tag on a binary wheel"))
    tampered = os.path.join(work, "mut", "t", file)
    os.makedirs(os.path.dirname(tampered), exist_ok=True)
    rewrite(src, tampered, tamper)
    mutants.append((tampered, "record.hash", "tampered RECORD"))

for path, rule, what in mutants:
    report, err = ww_check(path)
    rules = [f["rule"] for f in report["failures"]] if report else []
    ok = report is not None and not report["ok"] and rule in rules
    line(ok, f"{os.path.basename(path)} [{what}]", ",".join(sorted(set(rules))) or err, rule, label="expected")
    if os.path.dirname(path).endswith("/t"):
        os.remove(path)

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
