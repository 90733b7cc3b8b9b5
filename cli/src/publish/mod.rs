//! `wheelwright publish`: uploads one release (wheels and an sdist of one project and
//! version) to a PyPI-compatible index. Everything PyPI would reject is refused before
//! the first upload, and so is a file the index already holds with other content; a file
//! it holds with the same content is skipped, so running it again is harmless.
//!
//! The wheels go up first and the sdist last. Every refusal is found before the first
//! upload, so what can still stop a release half-way is the network or the index
//! failing; a release interrupted then has some wheels and no sdist. pip installs a
//! version only where it finds a file of it that fits, so everyone else keeps getting the
//! previous version, as wheels; with the sdist up first, every platform whose wheel was
//! still missing would build the new version from source (a Rust toolchain and minutes
//! of compiling, where it works at all). Running publish again finishes the release.
//!
//! Each file's PEP 740 attestations, the files `<file name>.<kind>.attestation` beside it
//! (what `python -m pypi_attestations sign` writes), go up with it in the form field
//! `attestations`; what PyPI would refuse of them is refused with the rest
//! (`attestations.rs`), and so are attestations on PyPI or TestPyPI with an API token,
//! since PyPI takes them only through trusted publishing.

mod attestations;
mod credentials;
mod dist;
mod files;
mod index;
mod oidc;
mod options;
mod refusal;
mod release;
mod retry;
pub mod rules;
mod transport;
mod upload;
mod version;

use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;

use crate::error::Unusable;
use crate::filename::normalize_name;
use crate::report::one_line;
use credentials::{credentials, token};
use dist::read;
use files::{attestation_files, canonical, collect, file_name};
use index::Index;
use options::{endpoints, known};
use refusal::{refuse, Refusal};
use release::{index_refusals, release_refusals};
use retry::Failure;
use upload::{upload, with_retries, Landed};

pub use credentials::TOKEN_ENV;
pub use options::{Options, PYPI_UPLOAD_URL};
pub use rules::{FILE_SIZE_LIMIT, PROJECT_SIZE_LIMIT};

/// Runs `publish` on files and directories (their `*.whl` and `*.tar.gz`, and the
/// attestations beside them); returns the exit code: 0 published (or nothing left to
/// publish), 1 refused or failed, 2 unusable.
pub fn run(paths: &[PathBuf], opts: &Options, out: &mut impl Write) -> i32 {
    let fail = |e: Unusable| {
        eprintln!("wheelwright: error: {}", one_line(&e.to_string()));
        2
    };
    let (files, others) = match collect(paths) {
        Ok(f) => f,
        Err(e) => return fail(e),
    };
    let attached = match files
        .iter()
        .map(|f| attestation_files(f))
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    let attesting: HashSet<PathBuf> = attached.iter().flatten().map(|p| canonical(p)).collect();
    for other in &others {
        let why = if !attestations::is_attestation_name(&file_name(other)) {
            "neither a wheel (.whl) nor an sdist (.tar.gz)"
        } else if attesting.contains(&canonical(other)) {
            continue;
        } else {
            "it attests no file of this release"
        };
        let _ = writeln!(out, "skip {}: {why}", other.display());
    }
    let mut refusals = Vec::new();
    let mut dists = Vec::new();
    for (path, attestation_files) in files.iter().zip(&attached) {
        match read(path, attestation_files, opts, &mut refusals) {
            Ok(d) => dists.push(d),
            // A file that cannot be read at all (truncated, not an archive) is
            // refused like any other, so every file's refusals are listed.
            Err(e) => refusals.push(Refusal {
                file: file_name(path),
                message: e.what,
                fix: e.fix.into(),
            }),
        }
    }
    if dists.is_empty() {
        return refuse(out, &refusals);
    }
    let (project, version) = release_refusals(&dists, &mut refusals);
    // warehouse refuses attestations on an upload not made through trusted publishing.
    if known(&opts.upload_url).is_some() && token().is_some() {
        for path in attached.iter().flatten() {
            refusals.push(Refusal::new(
                &file_name(path),
                attestations::token_refusal(TOKEN_ENV),
            ));
        }
    }
    if !refusals.is_empty() {
        return refuse(out, &refusals);
    }
    let (upload_url, simple_url) = match endpoints(opts) {
        Ok(u) => u,
        Err(e) => return fail(e),
    };
    let mut index = Index::new(&upload_url, &simple_url);
    let normalized = normalize_name(&project);
    let on_index = match with_retries(out, index.listing_url(&normalized).as_str(), |_| {
        index.files(&normalized)
    }) {
        Ok(l) => l,
        Err(e) => {
            let _ = writeln!(
                out,
                "error: {}; check the network and --index-url (nothing was uploaded)",
                e.message
            );
            return 1;
        }
    };
    let mut todo = Vec::new();
    for d in &dists {
        match on_index.get(&d.file_name) {
            None => todo.push(d),
            Some(held) if held.sha256.as_ref().is_some_and(|s| s.eq_ignore_ascii_case(&d.sha256)) => {
                let _ = writeln!(out, "skip {}: the index has it, identical", d.file_name);
            }
            Some(held) => refusals.push(Refusal {
                file: d.file_name.clone(),
                message: match &held.sha256 {
                    Some(sha) => format!(
                        "the index already holds this file with other content (sha256 {sha}, this one {})",
                        d.sha256
                    ),
                    None => "the index already holds a file of this name and lists no sha256 to compare".into(),
                },
                fix: format!("an index never replaces a file: release a new version than {version}"),
            }),
        }
    }
    // Wheels first, the sdist last (see the module's documentation).
    todo.sort_by_key(|d| d.wheel.is_none());
    index_refusals(&todo, &on_index, opts, &mut refusals);
    if !refusals.is_empty() {
        return refuse(out, &refusals);
    }
    let attesting = with_attestations(todo.iter().map(|d| d.attestations.len()).sum());
    if todo.is_empty() || opts.dry_run {
        let _ = writeln!(
            out,
            "{project} {version}: {} to upload{attesting}, {} on the index already{}",
            todo.len(),
            dists.len() - todo.len(),
            if opts.dry_run { " (dry run)" } else { "" }
        );
        return 0;
    }
    let credentials = match credentials(&index) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    for d in &todo {
        let with = with_attestations(d.attestations.len());
        match upload(&mut index, &normalized, d, &credentials, out) {
            Ok(Landed::Uploaded) => {
                let _ = writeln!(out, "uploaded {}{with}", d.file_name);
            }
            Ok(Landed::Found) => {
                let _ = writeln!(
                    out,
                    "uploaded {}{with}: the index holds it, though its answer was lost",
                    d.file_name
                );
            }
            Err(e) => {
                let what = match e.failure {
                    Failure::Answered {
                        status: 401 | 403, ..
                    } => format!(
                        "the index refuses these credentials for {project}: use a token allowed to upload it (or its trusted publisher), then run publish again"
                    ),
                    _ => "run publish again once that is fixed".into(),
                };
                let _ = writeln!(
                    out,
                    "error: uploading {}: {}; {what}: what was uploaded is skipped",
                    d.file_name, e.message
                );
                return 1;
            }
        }
    }
    let _ = writeln!(
        out,
        "{project} {version}: uploaded {}{attesting}, {} on the index already",
        todo.len(),
        dists.len() - todo.len()
    );
    0
}

/// ` with N attestation(s)`, or nothing for none.
fn with_attestations(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => " with 1 attestation".into(),
        n => format!(" with {n} attestations"),
    }
}

#[cfg(test)]
mod tests;
