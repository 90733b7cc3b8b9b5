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
mod index;
mod oidc;
mod retry;
pub mod rules;
mod transport;
mod version;

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use sha2::{Digest, Sha256};

use crate::archive::{self, Limits};
use crate::check;
use crate::error::Unusable;
use crate::filename::{normalize_name, WheelName};
use crate::metadata::{get, parse_headers};
use crate::report::one_line;
use crate::sdist;
use attestations::Attestation;
use index::{Credentials, Failed, Index, Listing};
use retry::{Failure, Next};

/// The environment variable holding an API token for the index.
pub const TOKEN_ENV: &str = "WHEELWRIGHT_PUBLISH_TOKEN";
/// PyPI's upload endpoint, the default.
pub const PYPI_UPLOAD_URL: &str = "https://upload.pypi.org/legacy/";
pub use rules::{FILE_SIZE_LIMIT, PROJECT_SIZE_LIMIT};

pub struct Options {
    pub upload_url: String,
    /// The simple index listing what the upload endpoint holds (PyPI's is derived).
    pub simple_url: Option<String>,
    pub dry_run: bool,
    pub limits: Limits,
    /// The largest file the index takes ([`FILE_SIZE_LIMIT`] unless raised).
    pub file_size_limit: u64,
    /// The largest total the project may hold ([`PROJECT_SIZE_LIMIT`] unless raised).
    pub project_size_limit: u64,
}

/// One file of the release, read and checked.
struct Dist {
    path: PathBuf,
    file_name: String,
    wheel: Option<WheelName>,
    /// METADATA (wheel) or PKG-INFO (sdist) text, and its header fields.
    metadata: String,
    headers: Vec<(String, String)>,
    sha256: String,
    size: u64,
    /// Its PEP 740 attestations that PyPI would take (`attestations.rs`).
    attestations: Vec<Attestation>,
}

impl Dist {
    fn header(&self, key: &str) -> Option<String> {
        get(&self.headers, key).map(str::to_string)
    }
}

/// What stops a release from being uploaded: a file and why, with the fix.
struct Refusal {
    file: String,
    message: String,
    fix: String,
}

impl Refusal {
    fn new(file: &str, (message, fix): rules::Refused) -> Refusal {
        Refusal {
            file: file.to_string(),
            message,
            fix,
        }
    }
}

/// How an upload ended well.
enum Landed {
    Uploaded,
    /// A retry found the file on the index: an earlier attempt landed, its answer lost.
    Found,
}

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

/// What the index's listing shows PyPI would refuse of the files to upload (in upload
/// order): their content under another name, a second sdist for the release, and the
/// project's total over its size limit.
fn index_refusals(todo: &[&Dist], on_index: &Listing, opts: &Options, refusals: &mut Vec<Refusal>) {
    for d in todo {
        // legacy.py `_is_duplicate_file` (line 483): a file whose blake2_256 digest the
        // index holds under another name is "File already exists"; the same bytes have
        // the same sha256.
        let same_content = on_index.iter().find(|(name, held)| {
            *name != &d.file_name
                && held
                    .sha256
                    .as_ref()
                    .is_some_and(|s| s.eq_ignore_ascii_case(&d.sha256))
        });
        if let Some((other, _)) = same_content {
            refusals.push(Refusal {
                file: d.file_name.clone(),
                message: format!("the index already holds this content as {other}: PyPI takes no file twice, under any name"),
                fix: "leave this file out".into(),
            });
        }
        if d.wheel.is_none() {
            let release = rules::sdist_release(&d.file_name);
            let other = on_index.keys().find(|name| {
                *name != &d.file_name && release.is_some() && rules::sdist_release(name) == release
            });
            if let Some(other) = other {
                refusals.push(Refusal {
                    file: d.file_name.clone(),
                    message: format!("the index already holds {other}, an sdist of this release: PyPI takes one sdist per release"),
                    fix: "publish the wheels without this sdist, or release a new version".into(),
                });
            }
        }
    }
    let sizes: Vec<u64> = on_index.values().filter_map(|h| h.size).collect();
    let held = (on_index.is_empty() || !sizes.is_empty()).then(|| sizes.iter().sum::<u64>());
    let mut total = held.unwrap_or(0);
    for d in todo {
        total += d.size;
        if let Some(r) = rules::project_size_refusal(total, held, opts.project_size_limit) {
            refusals.push(Refusal::new(&d.file_name, r));
            break;
        }
    }
}

/// `attempt` (given the attempt's number, from 1) until it succeeds, fails in a way not
/// to retry, or the attempts are used up; each retry is announced on `out` as `retry
/// <what>: ...`.
fn with_retries<T>(
    out: &mut impl Write,
    what: &str,
    mut attempt: impl FnMut(u32) -> Result<T, Failed>,
) -> Result<T, Failed> {
    let mut n = 1;
    loop {
        let e = match attempt(n) {
            Ok(t) => return Ok(t),
            Err(e) => e,
        };
        let message = match retry::next(&e.failure, n, SystemTime::now()) {
            Next::Retry(wait) => {
                let _ = writeln!(
                    out,
                    "retry {what}: {}; again in {} s (attempt {} of {})",
                    e.message,
                    wait.as_secs(),
                    n + 1,
                    retry::ATTEMPTS
                );
                std::thread::sleep(wait);
                n += 1;
                continue;
            }
            Next::Stop => e.message,
            Next::Exhausted => format!("{} ({} attempts)", e.message, retry::ATTEMPTS),
            Next::TooLong(wait) => format!(
                "{}, and asks for {} s before a retry, longer than publish waits ({} s)",
                e.message,
                wait.as_secs(),
                retry::MAX_WAIT.as_secs()
            ),
        };
        return Err(Failed {
            failure: e.failure,
            message,
        });
    }
}

/// Uploads one file, retrying what [`retry`] says; before each retry the index is read
/// again, since the failed attempt may have landed: a file is never sent again once
/// the index holds it.
fn upload(
    index: &mut Index,
    project: &str,
    d: &Dist,
    credentials: &Credentials,
    out: &mut impl Write,
) -> Result<Landed, Failed> {
    let fields = form_fields(d);
    with_retries(out, &d.file_name, |attempt| {
        if attempt > 1 {
            match index.files(project)?.get(&d.file_name) {
                None => {}
                Some(held) => match &held.sha256 {
                    Some(sha) if !sha.eq_ignore_ascii_case(&d.sha256) => {
                        return Err(Failed {
                            failure: Failure::Fatal,
                            message: format!(
                            "the index now holds {} with other content (sha256 {sha}, this one {})",
                            d.file_name, d.sha256
                        ),
                        })
                    }
                    _ => return Ok(Landed::Found),
                },
            }
        }
        index
            .upload(&d.path, &d.file_name, &fields, credentials)
            .map(|()| Landed::Uploaded)
    })
}

fn refuse(out: &mut impl Write, refusals: &[Refusal]) -> i32 {
    for r in refusals {
        let _ = writeln!(
            out,
            "refused {}: {}; fix: {}",
            one_line(&r.file),
            one_line(&r.message),
            r.fix
        );
    }
    let _ = writeln!(out, "nothing was uploaded");
    1
}

/// The wheels and sdists named, or found (not recursively) in the directories named;
/// and the other files in those directories, and the attestation files named, which are
/// not uploaded themselves (attestations go with the file they attest).
fn collect(paths: &[PathBuf]) -> Result<(Vec<PathBuf>, Vec<PathBuf>), Unusable> {
    let is_dist = |p: &Path| {
        let name = file_name(p);
        name.ends_with(".whl") || name.ends_with(".tar.gz")
    };
    let (mut files, mut others) = (Vec::new(), Vec::new());
    for path in paths {
        if path.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|e| {
                Unusable::new(
                    format!("{}: {e}", path.display()),
                    "check the path and permissions",
                )
            })?;
            let mut found: Vec<PathBuf> =
                entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            found.sort();
            let (dists, rest): (Vec<_>, Vec<_>) = found.into_iter().partition(|p| is_dist(p));
            files.extend(dists);
            others.extend(rest);
        } else if is_dist(path) && path.is_file() {
            files.push(path.clone());
        } else if attestations::is_attestation_name(&file_name(path)) && path.is_file() {
            others.push(path.clone());
        } else {
            return Err(Unusable::new(
                format!("{} is neither a wheel, an sdist (.tar.gz) nor a directory", path.display()),
                "pass the release's files, or the directory holding them (result/ of `nix build .#dist`)",
            ));
        }
    }
    if files.is_empty() {
        return Err(Unusable::new(
            "no wheel or sdist to publish",
            "pass the release's files, or the directory holding them (result/ of `nix build .#dist`)",
        ));
    }
    Ok((files, others))
}

/// The attestation files of the distribution file at `dist`: the files beside it named
/// `<its name>.<kind>.attestation`, sorted.
fn attestation_files(dist: &Path) -> Result<Vec<PathBuf>, Unusable> {
    let dir = match dist.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = file_name(dist);
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Unusable::new(
            format!("{}: {e}", dir.display()),
            "check the path and permissions (publish looks for attestations beside each file)",
        )
    })?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| attestations::attests(&file_name(p), &name))
        .collect();
    found.sort();
    Ok(found)
}

/// The path with its links and `..` resolved, to compare paths; as given when it
/// cannot be resolved.
fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Reads one file and its attestation files, and adds what the verifier and PyPI's rules
/// find against them.
fn read(
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

/// One project, one version, one sdist at most, no file twice, and every file name
/// spelling the project's name as PyPI wants it. Returns the project and version.
fn release_refusals(dists: &[Dist], refusals: &mut Vec<Refusal>) -> (String, String) {
    let first = dists
        .iter()
        .find_map(|d| Some((d.header("Name")?, d.header("Version")?)));
    let (project, version) = first.unwrap_or_default();
    let mut seen = std::collections::BTreeSet::new();
    let mut sdists = 0;
    for d in dists {
        let mut refuse = |message: String, fix: &str| {
            refusals.push(Refusal {
                file: d.file_name.clone(),
                message,
                fix: fix.to_string(),
            })
        };
        if !seen.insert(d.file_name.clone()) {
            refuse("the file is given twice".into(), "pass each file once");
        }
        let (name, v) = (
            d.header("Name").unwrap_or_default(),
            d.header("Version").unwrap_or_default(),
        );
        if normalize_name(&name) != normalize_name(&project) || v != version {
            refuse(
                format!("it is {name} {v}, not {project} {version}: a release is one project and version"),
                "publish each project's release on its own",
            );
        }
        let stem = rules::file_name_stem(&name);
        if !d.file_name.starts_with(&format!("{stem}-")) {
            refuse(
                format!(
                    "PyPI wants the file name to start with the normalised project name {stem:?}"
                ),
                "rebuild it with maturin >= 1.9, which normalises the name",
            );
        }
        if d.wheel.is_none() {
            sdists += 1;
            if sdists > 1 {
                refuse(
                    "a second sdist: PyPI takes one per release".into(),
                    "publish one sdist",
                );
            }
        }
    }
    (project, version)
}

/// PyPI's and TestPyPI's upload endpoints and the simple indexes beside them.
const KNOWN: &[(&str, &str)] = &[
    (PYPI_UPLOAD_URL, "https://pypi.org/simple/"),
    (
        "https://test.pypi.org/legacy/",
        "https://test.pypi.org/simple/",
    ),
];

/// PyPI's or TestPyPI's upload endpoint and simple index, when `upload_url` is the
/// upload endpoint of one (with or without its trailing slash).
fn known(upload_url: &str) -> Option<&'static (&'static str, &'static str)> {
    KNOWN
        .iter()
        .find(|(upload, _)| upload.trim_end_matches('/') == upload_url.trim_end_matches('/'))
}

/// The upload endpoint and the simple index beside it: PyPI's and TestPyPI's own (their
/// upload URL taken with or without its trailing slash), or as given.
fn endpoints(opts: &Options) -> Result<(String, String), Unusable> {
    let known = known(&opts.upload_url);
    let upload_url = known.map_or(opts.upload_url.as_str(), |(upload, _)| upload);
    let simple_url = match (&opts.simple_url, known) {
        (Some(given), _) => given.as_str(),
        (None, Some((_, simple))) => simple,
        (None, None) => {
            return Err(Unusable::new(
                format!("no simple index is known for {}", opts.upload_url),
                "pass --index-url, the index's simple API (e.g. http://host:8080/simple/), to see what it holds",
            ))
        }
    };
    Ok((upload_url.to_string(), simple_url.to_string()))
}

/// The API token in the environment, unless it is empty.
fn token() -> Option<String> {
    std::env::var(TOKEN_ENV).ok().filter(|t| !t.is_empty())
}

/// A token from the environment, else PyPI's trusted publishing from GitHub Actions,
/// Google Cloud or GitLab CI/CD (`oidc.rs`).
fn credentials(index: &Index) -> Result<Credentials, Unusable> {
    if let Some(token) = token() {
        return Ok(Credentials {
            username: "__token__".into(),
            password: token,
        });
    }
    oidc::credentials(index)
}

/// The legacy upload API's form: the file's metadata fields under twine's names (list
/// fields repeated), the description from the body, and what identifies the file.
fn form_fields(d: &Dist) -> Vec<(String, String)> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn dist(file_name: &str, metadata: &str) -> Dist {
        Dist {
            path: PathBuf::from(file_name),
            file_name: file_name.into(),
            wheel: WheelName::parse(file_name).ok(),
            metadata: metadata.into(),
            headers: parse_headers(metadata),
            sha256: "00".into(),
            size: 0,
            attestations: Vec::new(),
        }
    }

    const META: &str = "Metadata-Version: 2.4\nName: WW-Example\nVersion: 0.1.0\nClassifier: A\nClassifier: B\nProject-URL: Home, https://x\nLicense-File: LICENSE\n\n# Readme\n";

    #[test]
    fn form_fields_follow_twine() {
        let d = dist("ww_example-0.1.0-cp38-abi3-manylinux_2_17_x86_64.whl", META);
        let got = form_fields(&d);
        let keys: Vec<&str> = got.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                ":action",
                "protocol_version",
                "metadata_version",
                "name",
                "version",
                "classifiers",
                "classifiers",
                "project_urls",
                "license_file",
                "description",
                "filetype",
                "pyversion",
                "sha256_digest"
            ]
        );
        assert_eq!(got[9].1, "# Readme\n");
        assert_eq!(got[11].1, "cp38");
        let sdist = form_fields(&dist(
            "ww_example-0.1.0.tar.gz",
            &META.replace("2.4", "2.3"),
        ));
        assert!(!sdist.iter().any(|(k, _)| k == "license_file"));
        assert!(sdist.contains(&("pyversion".into(), "source".into())));
    }

    #[test]
    fn a_release_is_one_project_and_version() {
        let dists = [
            dist("ww_example-0.1.0-cp38-abi3-manylinux_2_17_x86_64.whl", META),
            dist("ww_example-0.1.0.tar.gz", META),
            dist("ww_example-0.1.0.tar.gz", META),
            dist(
                "WW_Example-0.1.0-cp38-abi3-manylinux_2_17_aarch64.whl",
                META,
            ),
            dist("other-0.2.0.tar.gz", "Name: other\nVersion: 0.2.0\n"),
        ];
        let mut refusals = Vec::new();
        let (project, version) = release_refusals(&dists, &mut refusals);
        assert_eq!(
            (project.as_str(), version.as_str()),
            ("WW-Example", "0.1.0")
        );
        let got: Vec<(&str, &str)> = refusals
            .iter()
            .map(|r| (r.file.as_str(), r.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("ww_example-0.1.0.tar.gz", "the file is given twice"),
                ("ww_example-0.1.0.tar.gz", "a second sdist: PyPI takes one per release"),
                (
                    "WW_Example-0.1.0-cp38-abi3-manylinux_2_17_aarch64.whl",
                    "PyPI wants the file name to start with the normalised project name \"ww_example\""
                ),
                ("other-0.2.0.tar.gz", "it is other 0.2.0, not WW-Example 0.1.0: a release is one project and version"),
                ("other-0.2.0.tar.gz", "a second sdist: PyPI takes one per release"),
            ]
        );
    }

    #[test]
    fn pypi_and_testpypi_have_known_indexes() {
        let opts = |u: &str| Options {
            upload_url: u.into(),
            simple_url: None,
            dry_run: false,
            limits: Limits::default(),
            file_size_limit: FILE_SIZE_LIMIT,
            project_size_limit: PROJECT_SIZE_LIMIT,
        };
        for given in [PYPI_UPLOAD_URL, "https://upload.pypi.org/legacy"] {
            assert_eq!(
                endpoints(&opts(given)).unwrap(),
                (
                    PYPI_UPLOAD_URL.to_string(),
                    "https://pypi.org/simple/".to_string()
                ),
                "{given}"
            );
        }
        assert_eq!(
            endpoints(&opts("https://test.pypi.org/legacy")).unwrap().1,
            "https://test.pypi.org/simple/"
        );
        let err = endpoints(&opts("http://127.0.0.1:8080/")).unwrap_err();
        assert_eq!(
            err.what,
            "no simple index is known for http://127.0.0.1:8080/"
        );
        let given = Options {
            simple_url: Some("http://127.0.0.1:8080/simple".into()),
            ..opts("http://127.0.0.1:8080/legacy")
        };
        assert_eq!(
            endpoints(&given).unwrap(),
            (
                "http://127.0.0.1:8080/legacy".to_string(),
                "http://127.0.0.1:8080/simple".to_string()
            )
        );
    }
}
