//! One file of the release, read and checked: what the verifier and PyPI's rules find
//! against it and its attestations, and the upload form it goes with.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::attestations::{self, Attestation};
use super::files::file_name;
use super::options::Options;
use super::refusal::Refusal;
use super::rules;
use crate::archive;
use crate::check;
use crate::error::Unusable;
use crate::filename::WheelName;
use crate::metadata::{get, parse_headers};
use crate::sdist;

/// One file of the release, read and checked.
pub struct Dist {
    pub path: PathBuf,
    pub file_name: String,
    pub wheel: Option<WheelName>,
    /// METADATA (wheel) or PKG-INFO (sdist) text, and its header fields.
    pub metadata: String,
    pub headers: Vec<(String, String)>,
    pub sha256: String,
    pub size: u64,
    /// Its PEP 740 attestations that PyPI would take (`attestations.rs`).
    pub attestations: Vec<Attestation>,
}

impl Dist {
    pub fn header(&self, key: &str) -> Option<String> {
        get(&self.headers, key).map(str::to_string)
    }
}

/// Reads one file and its attestation files, and adds what the verifier and PyPI's rules
/// find against them.
pub fn read(
    path: &Path,
    attestation_files: &[PathBuf],
    opts: &Options,
    refusals: &mut Vec<Refusal>,
) -> Result<Dist, Unusable> {
    let limits = &opts.limits;
    let file_name = file_name(path);
    let bytes = std::fs::read(path).map_err(|e| {
        Unusable::new(
            format!("{}: {e}", path.display()),
            "check the path and permissions",
        )
    })?;
    let sha256 = hex(&Sha256::digest(&bytes));
    let mut refuse = |message: String, fix: String| {
        refusals.push(Refusal {
            file: file_name.clone(),
            message,
            fix,
        })
    };
    let (wheel, metadata) = if file_name.ends_with(".whl") {
        let archive = archive::read_archive(path, limits)?;
        let report = check::check_archive(&file_name, &archive, &check::Options::default());
        for f in &report.failures {
            refuse(
                format!("{} {}: {}", f.rule, f.member, f.message),
                f.fix.clone(),
            );
        }
        let wheel = WheelName::parse(&file_name).ok();
        for tag in wheel.iter().flat_map(|w| &w.platform) {
            if let Some((message, fix)) = rules::platform_refusal(tag) {
                refuse(message, fix);
            }
        }
        let metadata = archive
            .members
            .iter()
            .find(|m| m.name.ends_with(".dist-info/METADATA") && m.name.matches('/').count() == 1)
            .and_then(|m| m.data.as_deref())
            .map(|d| String::from_utf8_lossy(d).into_owned());
        (wheel, metadata)
    } else {
        let (report, pkg_info) = sdist::inspect(path, limits)?;
        for f in &report.failures {
            refuse(
                format!("{} {}: {}", f.rule, f.member, f.message),
                f.fix.clone(),
            );
        }
        (None, pkg_info)
    };
    let metadata = metadata.unwrap_or_default();
    if metadata.is_empty() {
        refuse(
            "it holds no metadata (METADATA or PKG-INFO) to upload".into(),
            "rebuild it with maturin".into(),
        );
    }
    let size = bytes.len() as u64;
    if let Some((message, fix)) = rules::file_size_refusal(size, opts.file_size_limit) {
        refuse(message, fix);
    }
    let mut dist = Dist {
        path: path.to_path_buf(),
        file_name: file_name.clone(),
        wheel,
        headers: parse_headers(&metadata),
        metadata,
        sha256,
        size,
        attestations: Vec::new(),
    };
    // PyPI validates the metadata fields of the upload form: those sent are checked.
    for (message, fix) in rules::form_refusals(&form_fields(&dist)) {
        refuse(message, fix);
    }
    dist.attestations = read_attestations(attestation_files, &dist, refusals);
    Ok(dist)
}

/// The attestations of `dist` in these files (in upload order) that PyPI would take;
/// adds a refusal for each file that it would refuse.
fn read_attestations(
    files: &[PathBuf],
    dist: &Dist,
    refusals: &mut Vec<Refusal>,
) -> Vec<Attestation> {
    let names: Vec<String> = files.iter().map(|p| file_name(p)).collect();
    let mut taken = Vec::new();
    for (path, name) in files.iter().zip(&names) {
        let checked = std::fs::read(path)
            .map_err(|e| {
                (
                    format!("cannot read it: {e}"),
                    "check the path and permissions".to_string(),
                )
            })
            .and_then(|bytes| attestations::check(&bytes, name, &dist.file_name, &dist.sha256));
        match checked {
            Ok(a) => taken.push(a),
            Err(r) => refusals.push(Refusal::new(name, r)),
        }
    }
    for (name, r) in attestations::set_refusals(&dist.file_name, &names, &taken) {
        refusals.push(Refusal::new(&name, r));
    }
    taken
}

/// The legacy upload API's form: the file's metadata fields under twine's names (list
/// fields repeated), the description from the body, and what identifies the file.
pub fn form_fields(d: &Dist) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = vec![
        (":action".into(), "file_upload".into()),
        ("protocol_version".into(), "1".into()),
    ];
    let metadata_version = get(&d.headers, "Metadata-Version")
        .unwrap_or("2.1")
        .to_string();
    for (key, value) in &d.headers {
        let field = match key.to_ascii_lowercase().replace('-', "_").as_str() {
            "classifier" => "classifiers".to_string(),
            "project_url" => "project_urls".to_string(),
            // Metadata older than 2.4 has no License-File that PyPI would take.
            "license_file" if metadata_version.as_str() < "2.4" => continue,
            other => other.to_string(),
        };
        fields.push((field, value.clone()));
    }
    if let Some((_, body)) = d.metadata.split_once("\n\n") {
        if !body.trim().is_empty() {
            fields.push(("description".into(), body.to_string()));
        }
    }
    let (filetype, pyversion) = match &d.wheel {
        Some(w) => ("bdist_wheel", w.python.join(".")),
        None => ("sdist", "source".to_string()),
    };
    fields.push(("filetype".into(), filetype.into()));
    fields.push(("pyversion".into(), pyversion));
    fields.push(("sha256_digest".into(), d.sha256.clone()));
    if let Some(json) = attestations::form_field(&d.attestations) {
        fields.push(("attestations".into(), json));
    }
    fields
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
