//! RECORD parsing and the archive/RECORD consistency rules.

use std::collections::{HashMap, HashSet};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::archive::Archive;
use crate::report::Failure;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub path: String,
    pub hash: String,
    pub size: String,
}

/// Parses RECORD as Python's `csv` default dialect would write it.
pub fn parse(data: &[u8]) -> Result<Vec<Row>, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(data);
    let mut rows = Vec::new();
    for (i, rec) in rdr.byte_records().enumerate() {
        let rec = rec.map_err(|e| format!("line {}: {e}", i + 1))?;
        if rec.len() == 1 && rec.get(0).is_some_and(<[u8]>::is_empty) {
            continue;
        }
        if rec.len() != 3 {
            return Err(format!("line {}: {} fields, expected 3", i + 1, rec.len()));
        }
        let field = |k: usize| String::from_utf8_lossy(rec.get(k).unwrap_or_default()).into_owned();
        rows.push(Row {
            path: field(0),
            hash: field(1),
            size: field(2),
        });
    }
    Ok(rows)
}

/// Rejects names that could escape the install directory or confuse installers.
pub fn unsafe_path_reason(name: &str) -> Option<&'static str> {
    if name.starts_with('/') || name.get(1..2) == Some(":") {
        Some("is an absolute path")
    } else if name.contains('\\') {
        Some("contains a backslash")
    } else if name.contains('\0') {
        Some("contains a NUL byte")
    } else if name.split('/').any(|c| c == "..") {
        Some("contains a `..` component")
    } else {
        None
    }
}

/// Archive-level rules: member names, duplicates, links, empty directories.
pub fn check_members(archive: &Archive, out: &mut Vec<Failure>) {
    for name in archive.duplicate_names() {
        out.push(Failure::new(
            "archive.duplicate",
            name,
            "occurs more than once in the zip archive",
            "rebuild the wheel so each member is written once",
        ));
    }
    // Every proper `dir/` prefix of some member; a directory entry not in it is empty.
    let parents: HashSet<&str> = archive
        .members
        .iter()
        .flat_map(|m| {
            let n = m.name.trim_end_matches('/');
            n.match_indices('/').map(move |(i, _)| &m.name[..=i])
        })
        .collect();
    for m in &archive.members {
        if let Some(why) = unsafe_path_reason(&m.name) {
            out.push(Failure::new(
                "archive.unsafe-path",
                &m.name,
                &format!("member name {why}"),
                "use relative, `/`-separated names inside the wheel",
            ));
        }
        if m.is_symlink {
            out.push(Failure::new(
                "archive.symlink",
                &m.name,
                "is a symbolic link, which installers do not support",
                "store the file itself instead of a link",
            ));
        }
        if m.is_dir && !parents.contains(m.name.as_str()) {
            out.push(Failure::new(
                "archive.empty-dir",
                &m.name,
                "is an empty directory, which RECORD cannot describe",
                "drop the empty directory from the wheel",
            ));
        }
    }
}

/// Checks the archive's members against RECORD.
pub fn check(archive: &Archive, dist_info: &str, out: &mut Vec<Failure>) {
    let record_name = format!("{dist_info}/RECORD");
    let names: HashSet<&str> = archive.members.iter().map(|m| m.name.as_str()).collect();
    let Some(rec_member) = archive.get(&record_name) else {
        out.push(Failure::new(
            "record.missing",
            &record_name,
            "the wheel has no RECORD",
            "rebuild the wheel with a standard build backend",
        ));
        return;
    };
    let rows = match parse(rec_member.data.as_deref().unwrap_or_default()) {
        Ok(r) => r,
        Err(e) => {
            out.push(Failure::new(
                "record.malformed",
                &record_name,
                &format!("is not valid CSV: {e}"),
                "regenerate RECORD",
            ));
            return;
        }
    };
    let mut listed: HashMap<&str, &Row> = HashMap::with_capacity(rows.len());
    for row in &rows {
        if listed.insert(row.path.as_str(), row).is_some() {
            out.push(Failure::new(
                "record.duplicate",
                &row.path,
                "is listed more than once in RECORD",
                "regenerate RECORD",
            ));
        }
    }
    let jws = format!("{dist_info}/RECORD.jws");
    let p7s = format!("{dist_info}/RECORD.p7s");
    for m in archive.members.iter().filter(|m| !m.is_dir) {
        if m.name == record_name || m.name == jws || m.name == p7s {
            continue;
        }
        let Some(row) = listed.get(m.name.as_str()) else {
            out.push(Failure::new(
                "record.unlisted",
                &m.name,
                "is in the archive but not in RECORD",
                "regenerate RECORD after the last change to the wheel",
            ));
            continue;
        };
        check_row(row, m.size, &m.sha256, out);
    }
    for row in &rows {
        if row.path == record_name {
            continue;
        }
        if !names.contains(row.path.as_str()) {
            out.push(Failure::new(
                "record.stale",
                &row.path,
                "is listed in RECORD but not in the archive",
                "regenerate RECORD after the last change to the wheel",
            ));
        }
    }
}

fn check_row(row: &Row, size: u64, sha256: &[u8; 32], out: &mut Vec<Failure>) {
    let fix = "regenerate RECORD after the last change to the wheel";
    let Some((algo, digest)) = row.hash.split_once('=') else {
        out.push(Failure::new(
            "record.hash",
            &row.path,
            "has no hash in RECORD",
            fix,
        ));
        return;
    };
    match algo {
        "sha256" => {
            if digest != URL_SAFE_NO_PAD.encode(sha256) {
                out.push(Failure::new(
                    "record.hash",
                    &row.path,
                    "sha256 in RECORD does not match the content",
                    fix,
                ));
            }
        }
        "sha384" | "sha512" | "sha3_256" | "sha3_384" | "sha3_512" | "blake2b" => {
            // Stronger digests are allowed; only sha256 is recomputed here.
        }
        _ => out.push(Failure::new(
            "record.algorithm",
            &row.path,
            &format!("uses hash algorithm {algo:?}, weaker than sha256 or unknown"),
            "hash RECORD entries with sha256",
        )),
    }
    if row.size != size.to_string() {
        out.push(Failure::new(
            "record.size",
            &row.path,
            &format!("RECORD says {:?} bytes, the member has {size}", row.size),
            fix,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_quoted_rows() {
        let rows = parse(b"a.py,sha256=x,1\r\n\"b,c.py\",sha256=y,2\nd/RECORD,,\n").unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1].path, "b,c.py");
        assert_eq!(rows[2].hash, "");
    }

    #[test]
    fn rejects_wrong_field_count() {
        let e = parse(b"a.py,sha256=x\n").unwrap_err();
        assert!(e.contains("2 fields, expected 3"), "{e}");
    }

    #[test]
    fn unsafe_paths() {
        assert_eq!(
            unsafe_path_reason("/etc/passwd"),
            Some("is an absolute path")
        );
        assert_eq!(
            unsafe_path_reason("a/../../x"),
            Some("contains a `..` component")
        );
        assert_eq!(unsafe_path_reason("a\\b"), Some("contains a backslash"));
        assert_eq!(unsafe_path_reason("a/..b/c"), None);
    }
}
