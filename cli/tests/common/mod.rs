//! Builds small wheels (and tiny ELF objects with the host C compiler) for the tests.
#![allow(dead_code)] // each test binary uses a different subset of these helpers

pub mod index;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::ZipWriter;

pub const C_SOURCE: &str = r#"
#ifdef RANDOM
#include <sys/random.h>
#endif
#ifdef ABI3NEW
extern void *PyList_GetItemRef(void *, long);
#endif
#ifdef ABI3BAD
extern void *_PyObject_Magic(void);
#endif
#ifdef DEP
extern int dep(void);
#endif
#ifdef LEAK
const char leaked[] = "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-foo/lib";
#endif
int PyInit_m(void) {
    int r = 0;
#ifdef RANDOM
    char b[4]; r += (int)getrandom(b, 4, 0);
#endif
#ifdef ABI3NEW
    r += PyList_GetItemRef(0, 0) != 0;
#endif
#ifdef ABI3BAD
    r += _PyObject_Magic() != 0;
#endif
#ifdef DEP
    r += dep();
#endif
    return r;
}
int dep(void);
"#;

pub fn tmp_dir(test: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(test);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("create test dir");
    d
}

/// The host C compiler. nixpkgs' linker wrapper gives every object it links
/// a RUNPATH to each /nix/store library directory it used (glibc's, at
/// least); the fixtures must carry only the RUNPATH a test asks for.
pub fn cc() -> Command {
    let mut cmd = Command::new("cc");
    cmd.env("NIX_DONT_SET_RPATH", "1");
    cmd
}

/// Compiles `C_SOURCE` with `-D` flags into a shared object and returns its bytes.
pub fn compile(dir: &Path, out: &str, defines: &[&str], extra: &[&str]) -> Vec<u8> {
    let src = dir.join("m.c");
    std::fs::write(&src, C_SOURCE).expect("write C source");
    std::fs::write(dir.join("dep.c"), "int dep(void) { return 1; }\n").expect("write dep.c");
    let path = dir.join(out);
    let mut cmd = cc();
    cmd.args(["-shared", "-fPIC", "-O1", "-o"]).arg(&path);
    for d in defines {
        cmd.arg(format!("-D{d}"));
    }
    cmd.arg(if out.starts_with("libdep") {
        dir.join("dep.c")
    } else {
        src
    });
    cmd.args(extra);
    let st = cmd.status().expect("run cc");
    assert!(st.success(), "cc failed for {out}");
    std::fs::read(path).expect("read compiled object")
}

pub fn hash(data: &[u8]) -> String {
    format!("sha256={}", URL_SAFE_NO_PAD.encode(Sha256::digest(data)))
}

/// A wheel to write: payload files plus generated WHEEL, METADATA and RECORD.
pub struct Spec {
    pub file_name: String,
    pub dist_info: String,
    pub files: Vec<(String, Vec<u8>)>,
    pub wheel: String,
    pub metadata: String,
    /// Applied to the generated RECORD text before it is written.
    pub record_edit: Box<dyn Fn(String) -> String>,
    /// Members written after RECORD and left out of it.
    pub unlisted: Vec<(String, Vec<u8>)>,
    pub empty_dirs: Vec<String>,
    pub symlinks: Vec<(String, String)>,
    /// Members are stored, not deflated: a big wheel written quickly, as big on disk.
    pub stored: bool,
}

impl Spec {
    pub fn new(file_name: &str, files: &[(&str, &[u8])]) -> Spec {
        let stem = file_name.trim_end_matches(".whl");
        let parts: Vec<&str> = stem.split('-').collect();
        let (dist, version) = (parts[0], parts[1]);
        let n = parts.len();
        let (py, abi, plat) = (parts[n - 3], parts[n - 2], parts[n - 1]);
        let mut tags = String::new();
        for p in py.split('.') {
            for a in abi.split('.') {
                for pl in plat.split('.') {
                    tags.push_str(&format!("Tag: {p}-{a}-{pl}\n"));
                }
            }
        }
        let purelib = if plat == "any" { "true" } else { "false" };
        Spec {
            file_name: file_name.to_string(),
            dist_info: format!("{dist}-{version}.dist-info"),
            files: files.iter().map(|(n, d)| (n.to_string(), d.to_vec())).collect(),
            wheel: format!("Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: {purelib}\n{tags}"),
            metadata: format!(
                "Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\nAuthor-email: \"Test, Inc.\" <t@example.org>\n\nBody\n"
            ),
            record_edit: Box::new(|r| r),
            unlisted: Vec::new(),
            empty_dirs: Vec::new(),
            symlinks: Vec::new(),
            stored: false,
        }
    }

    pub fn write(&self, dir: &Path) -> PathBuf {
        let path = dir.join(&self.file_name);
        let f = std::fs::File::create(&path).expect("create wheel");
        let mut z = ZipWriter::new(f);
        let mut opts = SimpleFileOptions::default().unix_permissions(0o644);
        if self.stored {
            opts = opts.compression_method(zip::CompressionMethod::Stored);
        }
        let mut record = String::new();
        let mut all = self.files.clone();
        all.push((
            format!("{}/WHEEL", self.dist_info),
            self.wheel.clone().into_bytes(),
        ));
        all.push((
            format!("{}/METADATA", self.dist_info),
            self.metadata.clone().into_bytes(),
        ));
        for (name, data) in &all {
            z.start_file(name.as_str(), opts).expect("start file");
            z.write_all(data).expect("write member");
            record.push_str(&format!("{name},{},{}\n", hash(data), data.len()));
        }
        for d in &self.empty_dirs {
            z.add_directory(d.as_str(), opts).expect("add dir");
        }
        for (name, target) in &self.symlinks {
            z.add_symlink(name.as_str(), target.as_str(), opts)
                .expect("add symlink");
            record.push_str(&format!(
                "{name},{},{}\n",
                hash(target.as_bytes()),
                target.len()
            ));
        }
        record.push_str(&format!("{}/RECORD,,\n", self.dist_info));
        z.start_file(format!("{}/RECORD", self.dist_info), opts)
            .expect("start RECORD");
        z.write_all((self.record_edit)(record).as_bytes())
            .expect("write RECORD");
        for (name, data) in &self.unlisted {
            z.start_file(name.as_str(), opts).expect("start file");
            z.write_all(data).expect("write member");
        }
        z.finish().expect("finish zip");
        path
    }
}

pub const PURE: &str = "demo-1.0-py3-none-any.whl";
pub const X86: &str = "demo-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl";

pub fn pure_files() -> Vec<(&'static str, &'static [u8])> {
    vec![("demo/__init__.py", b"print('hi')\n".as_slice())]
}

/// Writes an sdist `<stem>.tar.gz` whose top directory holds this PKG-INFO, a
/// pyproject.toml, Cargo.toml and Cargo.lock (what `check-sdist` asks for).
pub fn write_sdist(dir: &Path, stem: &str, pkg_info: &str) -> PathBuf {
    let path = dir.join(format!("{stem}.tar.gz"));
    let file = std::fs::File::create(&path).expect("create sdist");
    let gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
    let mut tar = tar::Builder::new(gz);
    for (name, data) in [
        ("PKG-INFO", pkg_info),
        (
            "pyproject.toml",
            "[build-system]\nrequires = [\"maturin>=1.9\"]\nbuild-backend = \"maturin\"\n",
        ),
        (
            "Cargo.toml",
            "[package]\nname = \"demo\"\nversion = \"1.0.0\"\n",
        ),
        ("Cargo.lock", "version = 4\n"),
    ] {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_cksum();
        tar.append_data(&mut header, format!("{stem}/{name}"), data.as_bytes())
            .expect("append to sdist");
    }
    tar.into_inner()
        .and_then(|gz| gz.finish())
        .expect("finish sdist");
    path
}

/// PKG-INFO of the `demo 1.0` sdist.
pub const DEMO_PKG_INFO: &str = "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n\nBody\n";

/// The predicateType of a publish attestation, and of SLSA provenance: the two PyPI takes.
pub const PUBLISH_V1: &str = "https://docs.pypi.org/attestations/publish/v1";
pub const SLSA_V1: &str = "https://slsa.dev/provenance/v1";

/// The sha256 of a file, in lower-case hex.
pub fn sha256_hex(path: &Path) -> String {
    let bytes = std::fs::read(path).expect("file written");
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An in-toto Statement v1 with one subject, as pypi_attestations signs it.
pub fn statement(subject: &str, sha256: &str, predicate_type: &str) -> serde_json::Value {
    serde_json::json!({
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": subject, "digest": {"sha256": sha256}}],
        "predicateType": predicate_type,
        "predicate": null,
    })
}

/// A PEP 740 attestation object whose envelope carries the statement `statement` (its
/// text, in base64); its certificate, signature and transparency log entry are stand-in
/// bytes that no index here verifies.
pub fn attestation_object(statement: &str) -> serde_json::Value {
    use base64::engine::general_purpose::STANDARD;
    serde_json::json!({
        "version": 1,
        "verification_material": {
            "certificate": STANDARD.encode(b"0\x82\x06\xfe0\x82\x06\x84 test certificate"),
            "transparency_entries": [{
                "logIndex": "148905912",
                "logId": {"keyId": STANDARD.encode(b"rekor log id")},
                "kindVersion": {"kind": "dsse", "version": "0.0.1"},
                "integratedTime": "1733354051",
                "inclusionPromise": {"signedEntryTimestamp": STANDARD.encode(b"set")},
                "inclusionProof": {
                    "logIndex": "26999650",
                    "rootHash": STANDARD.encode(b"root hash"),
                    "treeSize": "27000000",
                    "hashes": [STANDARD.encode(b"hash")],
                    "checkpoint": {"envelope": "rekor.sigstore.dev - 1193050959916656506\n27000000\n"},
                },
                "canonicalizedBody": STANDARD.encode(b"{}"),
            }],
        },
        "envelope": {
            "statement": STANDARD.encode(statement),
            "signature": STANDARD.encode(b"0E\x02 test signature"),
        },
    })
}

/// The attestation of the file at `dist` that PyPI would take (but for its signature):
/// its name and real sha256 as the statement's one subject.
pub fn attestation_of(dist: &Path, predicate_type: &str) -> serde_json::Value {
    let name = dist.file_name().expect("a file").to_string_lossy();
    attestation_object(&statement(&name, &sha256_hex(dist), predicate_type).to_string())
}

/// Writes `<dist>.<kind>.attestation` beside `dist` with this text; returns its path.
pub fn write_attestation(dist: &Path, kind: &str, text: &str) -> PathBuf {
    let name = dist.file_name().expect("a file").to_string_lossy();
    let path = dist.with_file_name(format!("{name}.{kind}.attestation"));
    std::fs::write(&path, text).expect("write attestation");
    path
}

/// Runs the wheelwright binary built for these tests.
pub fn ww(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_wheelwright"))
        .args(args)
        .output()
        .expect("run wheelwright")
}

pub fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A shared object linked against a stand-in musl libc whose soname is `soname`.
pub fn musl_linked(d: &Path, soname: &str) -> Vec<u8> {
    let stub = d.join(soname);
    std::fs::create_dir_all(&stub).unwrap();
    std::fs::write(stub.join("empty.c"), "").unwrap();
    let st = cc()
        .args([
            "-shared",
            "-fPIC",
            "-nostdlib",
            &format!("-Wl,-soname,{soname}"),
            "-o",
        ])
        .arg(stub.join("libc.so"))
        .arg(stub.join("empty.c"))
        .status()
        .expect("run cc");
    assert!(st.success());
    let out = format!("m-{soname}.so");
    let lib_dir = format!("-L{}", stub.display());
    compile(
        d,
        &out,
        &[],
        &["-nostdlib", &lib_dir, "-Wl,--no-as-needed", "-lc"],
    )
}
