//! `wheelwright check-sdist`: a source distribution (PEP 625 `.tar.gz`) that PyPI accepts
//! and from which a wheel can be built offline: one top directory named after the file,
//! PKG-INFO that agrees with the name, and the files a maturin build reads.

use std::io::Read;
use std::path::Path;

use flate2::read::GzDecoder;
use serde::Serialize;
use tar::EntryType;

use crate::archive::Limits;
use crate::error::Unusable;
use crate::filename::{normalize_name, normalize_version};
use crate::metadata::{get, parse_headers};
use crate::report::{text_lines, Failure};

/// Everything `check-sdist` says about one source distribution.
#[derive(Debug, Clone, Serialize)]
pub struct SdistReport {
    pub file: String,
    pub ok: bool,
    /// Regular files in the archive.
    pub files: usize,
    pub failures: Vec<Failure>,
}

/// The report in `check-sdist`'s text form: `ok  <file>  <N> files`, then one
/// line per failure.
pub fn text(r: &SdistReport) -> String {
    text_lines(&r.file, r.ok, &format!("{} files", r.files), &r.failures)
}

/// One member: its path and, for PKG-INFO, its text.
struct Member {
    path: String,
    kind: EntryType,
    text: Option<String>,
}

/// Reads and checks one `.tar.gz`; an unreadable archive is unusable.
pub fn check_sdist_file(path: &Path, limits: &Limits) -> Result<SdistReport, Unusable> {
    inspect(path, limits).map(|(report, _)| report)
}

/// Reads and checks one `.tar.gz`: its report, and the text of its top-level PKG-INFO.
pub fn inspect(path: &Path, limits: &Limits) -> Result<(SdistReport, Option<String>), Unusable> {
    let file = std::fs::File::open(path).map_err(|e| {
        Unusable::new(
            format!("cannot open: {e}"),
            "check the path and permissions",
        )
    })?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let members = read_members(file, limits)?;
    let report = check(&path.display().to_string(), &file_name, &members);
    let top = file_name.strip_suffix(".tar.gz").unwrap_or(&file_name);
    let pkg_info = members
        .into_iter()
        .find(|m| m.path == format!("{top}/PKG-INFO"))
        .and_then(|m| m.text);
    Ok((report, pkg_info))
}

fn read_members(file: std::fs::File, limits: &Limits) -> Result<Vec<Member>, Unusable> {
    let bad = |e: std::io::Error| {
        Unusable::new(
            format!("not a readable .tar.gz: {e}"),
            "rebuild the source distribution (maturin sdist)",
        )
    };
    let mut archive = tar::Archive::new(GzDecoder::new(file));
    let mut members = Vec::new();
    let mut total = 0u64;
    for entry in archive.entries().map_err(bad)? {
        let mut entry = entry.map_err(bad)?;
        let path = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let size = entry.header().size().map_err(bad)?;
        total += size;
        if size > limits.max_member || total > limits.max_total {
            return Err(Unusable::new(
                format!("{path} takes the archive past the size limits"),
                "raise --max-member-size / --max-total-size if the archive is trusted",
            ));
        }
        let kind = entry.header().entry_type();
        let text = if path.ends_with("/PKG-INFO") && path.matches('/').count() == 1 {
            let mut text = String::new();
            entry.read_to_string(&mut text).map_err(bad)?;
            Some(text)
        } else {
            None
        };
        members.push(Member { path, kind, text });
    }
    Ok(members)
}

/// Runs every sdist rule on the archive's members.
fn check(file: &str, file_name: &str, members: &[Member]) -> SdistReport {
    let mut out = Vec::new();
    let fail = |out: &mut Vec<Failure>, rule, member: &str, message: String, fix: &str| {
        out.push(Failure::new(rule, member, &message, fix));
    };
    let stem = file_name.strip_suffix(".tar.gz");
    let parts = stem.and_then(|s| s.rsplit_once('-'));
    let (dist, version) = match parts {
        Some((d, v)) if !d.is_empty() && !v.is_empty() => (d, v),
        _ => {
            fail(
                &mut out,
                "sdist.filename",
                file_name,
                "the file name is not {name}-{version}.tar.gz".into(),
                "build the source distribution with maturin sdist, which names it after PEP 625",
            );
            ("", "")
        }
    };
    let pep625_name = normalize_name(dist).replace('-', "_");
    if !dist.is_empty() && dist != pep625_name {
        fail(
            &mut out,
            "sdist.filename",
            file_name,
            format!("the name part {dist:?} is not normalised as PEP 625 spells it ({pep625_name:?})"),
            "PyPI rejects unnormalised sdist names; build with maturin >= 1.9, which normalises them",
        );
    }
    let top = stem.unwrap_or(file_name);
    let files = members.iter().filter(|m| m.kind.is_file()).count();
    for m in members {
        let escapes = m.path.starts_with('/') || m.path.split('/').any(|c| c == "..");
        if escapes || !(m.path == top || m.path.starts_with(&format!("{top}/"))) {
            fail(
                &mut out,
                "sdist.layout",
                &m.path,
                format!("the member is not under the top directory {top}/"),
                "an sdist holds one directory named like its file; rebuild it with maturin sdist",
            );
        }
        if !(m.kind.is_file() || m.kind.is_dir()) {
            fail(
                &mut out,
                "sdist.member-type",
                &m.path,
                format!("the member is a {:?}, not a file or directory", m.kind),
                "PyPI's installers unpack only files and directories; replace links with copies",
            );
        }
    }
    let has = |rel: &str| {
        members
            .iter()
            .any(|m| m.kind.is_file() && m.path == format!("{top}/{rel}"))
    };
    let has_anywhere = |name: &str| {
        members
            .iter()
            .any(|m| m.kind.is_file() && m.path.rsplit('/').next() == Some(name))
    };
    for (rel, why) in [
        (
            "pyproject.toml",
            "a build frontend (pip, uv, build) reads it to find maturin",
        ),
        ("PKG-INFO", "it is the sdist's metadata (PEP 643)"),
    ] {
        if !has(rel) {
            fail(
                &mut out,
                "sdist.missing",
                &format!("{top}/{rel}"),
                format!("the sdist has no {rel}: {why}"),
                "build it with maturin sdist from the project's root",
            );
        }
    }
    for (name, why) in [
        ("Cargo.toml", "the Rust crate cannot build without it"),
        (
            "Cargo.lock",
            "without it a build resolves dependencies again, and not offline",
        ),
    ] {
        if !has_anywhere(name) {
            fail(
                &mut out,
                "sdist.missing",
                top,
                format!("the sdist has no {name}: {why}"),
                "commit the file and build the sdist with maturin sdist",
            );
        }
    }
    if let Some(text) = members
        .iter()
        .find(|m| m.path == format!("{top}/PKG-INFO"))
        .and_then(|m| m.text.as_deref())
    {
        check_pkg_info(text, dist, version, &format!("{top}/PKG-INFO"), &mut out);
    }
    SdistReport {
        file: file.to_string(),
        ok: out.is_empty(),
        files,
        failures: out,
    }
}

fn check_pkg_info(text: &str, dist: &str, version: &str, member: &str, out: &mut Vec<Failure>) {
    let h = parse_headers(text);
    if get(&h, "Metadata-Version").is_none() {
        out.push(Failure::new(
            "sdist.pkg-info",
            member,
            "PKG-INFO has no Metadata-Version",
            "rebuild the sdist with maturin sdist",
        ));
    }
    match get(&h, "Name") {
        Some(n) if normalize_name(n) == normalize_name(dist) => {}
        n => out.push(Failure::new(
            "sdist.pkg-info",
            member,
            &format!("PKG-INFO names {n:?}, the file name {dist:?}"),
            "rebuild the sdist; its name comes from pyproject.toml's [project] name",
        )),
    }
    match get(&h, "Version") {
        Some(v) if normalize_version(v) == normalize_version(version) => {}
        v => out.push(Failure::new(
            "sdist.pkg-info",
            member,
            &format!("PKG-INFO has version {v:?}, the file name {version:?}"),
            "rebuild the sdist; its version comes from pyproject.toml or Cargo.toml",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str) -> Member {
        Member {
            path: path.into(),
            kind: EntryType::Regular,
            text: None,
        }
    }

    fn good() -> Vec<Member> {
        let mut m = vec![
            file("ww_x-1.0.0/pyproject.toml"),
            file("ww_x-1.0.0/Cargo.toml"),
            file("ww_x-1.0.0/Cargo.lock"),
            file("ww_x-1.0.0/src/lib.rs"),
        ];
        m.push(Member {
            text: Some("Metadata-Version: 2.4\nName: ww-x\nVersion: 1.0.0\n".into()),
            ..file("ww_x-1.0.0/PKG-INFO")
        });
        m
    }

    fn rules(r: &SdistReport) -> Vec<(&'static str, String)> {
        r.failures
            .iter()
            .map(|f| (f.rule, f.message.clone()))
            .collect()
    }

    #[test]
    fn a_maturin_sdist_passes() {
        let r = check("x", "ww_x-1.0.0.tar.gz", &good());
        assert!(r.ok, "{:?}", r.failures);
        assert_eq!(r.files, 5);
    }

    #[test]
    fn a_missing_lock_is_named() {
        let mut m = good();
        m.retain(|m| !m.path.ends_with("Cargo.lock"));
        let r = check("x", "ww_x-1.0.0.tar.gz", &m);
        assert_eq!(
            rules(&r),
            vec![(
                "sdist.missing",
                "the sdist has no Cargo.lock: without it a build resolves dependencies again, and not offline".to_string()
            )]
        );
    }

    #[test]
    fn unnormalised_names_and_stray_members_fail() {
        let mut m: Vec<Member> = good()
            .into_iter()
            .map(|mut m| {
                m.path = m.path.replace("ww_x-1.0.0", "WW-x-1.0.0");
                m
            })
            .collect();
        m.push(file("elsewhere/evil.py"));
        m.push(Member {
            kind: EntryType::Symlink,
            ..file("WW-x-1.0.0/link")
        });
        let r = check("x", "WW-x-1.0.0.tar.gz", &m);
        let got: Vec<&str> = r.failures.iter().map(|f| f.rule).collect();
        assert_eq!(
            got,
            vec!["sdist.filename", "sdist.layout", "sdist.member-type"]
        );
        assert!(r.failures[0].message.contains("\"ww_x\""));
    }

    #[test]
    fn pkg_info_must_agree_with_the_file_name() {
        let mut m = good();
        m.last_mut().unwrap().text =
            Some("Metadata-Version: 2.4\nName: other\nVersion: 2.0\n".into());
        let r = check("x", "ww_x-1.0.0.tar.gz", &m);
        assert_eq!(
            rules(&r),
            vec![
                (
                    "sdist.pkg-info",
                    "PKG-INFO names Some(\"other\"), the file name \"ww_x\"".to_string()
                ),
                (
                    "sdist.pkg-info",
                    "PKG-INFO has version Some(\"2.0\"), the file name \"1.0.0\"".to_string()
                ),
            ]
        );
    }
}
