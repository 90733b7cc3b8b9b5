//! What PyPI would refuse of the release as a whole: its files together, and its files
//! beside those the index holds already.

use super::dist::Dist;
use super::index::Listing;
use super::options::Options;
use super::refusal::Refusal;
use super::rules;
use crate::filename::normalize_name;

/// One project, one version, one sdist at most, no file twice, and every file name
/// spelling the project's name as PyPI wants it. Returns the project and version.
pub fn release_refusals(dists: &[Dist], refusals: &mut Vec<Refusal>) -> (String, String) {
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

/// What the index's listing shows PyPI would refuse of the files to upload (in upload
/// order): their content under another name, a second sdist for the release, and the
/// project's total over its size limit.
pub fn index_refusals(
    todo: &[&Dist],
    on_index: &Listing,
    opts: &Options,
    refusals: &mut Vec<Refusal>,
) {
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
