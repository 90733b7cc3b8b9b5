//! Email-header style files (METADATA, WHEEL) and the METADATA rules.

use crate::filename::{normalize_name, normalize_version, WheelName};
use crate::report::Failure;

/// Header fields in order; parsing stops at the first blank line (the body).
pub fn parse_headers(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some(last) = out.last_mut() {
                last.1.push('\n');
                last.1.push_str(line.trim());
            }
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            out.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    out
}

pub fn get<'a>(headers: &'a [(String, String)], key: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
}

const METADATA_VERSIONS: &[&str] = &["1.0", "1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "2.5"];

/// METADATA rules; `has_member` says whether an archive member exists (for License-File).
pub fn check(
    member: &str,
    text: &str,
    name: &WheelName,
    has_member: &dyn Fn(&str) -> bool,
    out: &mut Vec<Failure>,
) {
    let h = parse_headers(text);
    // Metadata 2.4 (PEP 639) puts every License-File under .dist-info/licenses/.
    let dist_info = member.rsplit_once('/').map_or("", |(d, _)| d);
    if get(&h, "Metadata-Version").is_some_and(|v| matches!(v, "2.4" | "2.5")) {
        for (_, path) in h
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("License-File"))
        {
            if !has_member(&format!("{dist_info}/licenses/{path}")) {
                out.push(Failure::new(
                    "metadata.license-file",
                    member,
                    &format!("License-File {path:?} is not in {dist_info}/licenses/"),
                    "ship the licence file under .dist-info/licenses/ (PEP 639)",
                ));
            }
        }
    }
    match get(&h, "Metadata-Version") {
        Some(v) if METADATA_VERSIONS.contains(&v) => {}
        v => out.push(Failure::new(
            "metadata.version-field",
            member,
            &format!(
                "Metadata-Version is {}, not a known version",
                v.map_or("missing".into(), |v| format!("{v:?}"))
            ),
            "write Metadata-Version 2.1 or later",
        )),
    }
    match get(&h, "Name") {
        Some(n) if normalize_name(n) == normalize_name(&name.dist) => {}
        n => out.push(Failure::new(
            "metadata.name",
            member,
            &format!(
                "Name {:?} does not match the file name's {:?}",
                n.unwrap_or(""),
                name.dist
            ),
            "make the project name and the wheel file name agree",
        )),
    }
    match get(&h, "Version") {
        Some(v) if normalize_version(v) == normalize_version(&name.version) => {}
        v => out.push(Failure::new(
            "metadata.version",
            member,
            &format!(
                "Version {:?} does not match the file name's {:?}",
                v.unwrap_or(""),
                name.version
            ),
            "make the project version and the wheel file name agree",
        )),
    }
    for key in ["Author", "Maintainer"] {
        if let Some(v) = get(&h, key) {
            if v.chars().any(|c| c.is_control() && c != '\n') {
                out.push(Failure::new(
                    "metadata.author",
                    member,
                    &format!("{key} contains control characters"),
                    "use plain text for author names",
                ));
            }
        }
    }
    for key in ["Author-email", "Maintainer-email"] {
        if let Some(v) = get(&h, key) {
            if let Err(bad) = check_address_list(v) {
                out.push(Failure::new(
                    "metadata.email",
                    member,
                    &format!("{key} has a malformed address {bad:?}"),
                    "write `Name <user@example.org>` entries separated by commas",
                ));
            }
        }
    }
}

/// Validates an RFC 822 address list: `a@b`, `Name <a@b>`, `"Name, Inc." <a@b>`, comma-separated.
pub fn check_address_list(list: &str) -> Result<(), String> {
    let mut items = Vec::new();
    let (mut cur, mut quoted, mut angle) = (String::new(), false, false);
    for c in list.chars() {
        match c {
            '"' if !angle => quoted = !quoted,
            '<' if !quoted => angle = true,
            '>' if !quoted => angle = false,
            ',' if !quoted && !angle => {
                items.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    if quoted || angle {
        return Err(list.to_string());
    }
    items.push(cur);
    for item in items.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let addr = match (item.rfind('<'), item.ends_with('>')) {
            (Some(i), true) => &item[i + 1..item.len() - 1],
            (None, false) => item,
            _ => return Err(item.to_string()),
        };
        let ok = addr.split_once('@').is_some_and(|(l, d)| {
            !l.is_empty()
                && !d.is_empty()
                && !d.contains('@')
                && !addr.contains(char::is_whitespace)
        });
        if !ok {
            return Err(item.to_string());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert!(check_address_list("\"Astral Software Inc.\" <hey@astral.sh>").is_ok());
        assert!(check_address_list("Jeffrey 'Alex' Clark <aclark@aclark.net>").is_ok());
        assert!(check_address_list("a@b.c, \"X, Inc.\" <x@y.z>, Q <q@r>").is_ok());
        assert_eq!(
            check_address_list("Alice <alice>"),
            Err("Alice <alice>".into())
        );
        assert!(check_address_list("no address here").is_err());
        assert!(check_address_list("A <a@b").is_err());
    }

    #[test]
    fn headers_stop_at_body() {
        let h = parse_headers("Name: x\nSummary: a\n  b\n\nVersion: 9\n");
        assert_eq!(get(&h, "summary"), Some("a\nb"));
        assert_eq!(get(&h, "Version"), None);
    }
}
