//! The release's files on disk: the wheels and sdists given, or found in the directories
//! given, and the attestation files beside them.

use std::path::{Path, PathBuf};

use super::attestations;
use crate::error::Unusable;

/// The wheels and sdists named, or found (not recursively) in the directories named;
/// and the other files in those directories, and the attestation files named, which are
/// not uploaded themselves (attestations go with the file they attest).
pub fn collect(paths: &[PathBuf]) -> Result<(Vec<PathBuf>, Vec<PathBuf>), Unusable> {
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
pub fn attestation_files(dist: &Path) -> Result<Vec<PathBuf>, Unusable> {
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
pub fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
