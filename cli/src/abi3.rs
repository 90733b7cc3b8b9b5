//! abi3 rule: extensions in an `abi3` wheel may only use limited-API symbols, added no
//! later than the wheel's baseline (`cp39-abi3` → 3.9). Table from abi3info, see
//! `policy/ATTRIBUTION.md`.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::elf::ElfInfo;
use crate::report::Failure;

const TABLE: &str = include_str!("../policy/stable_abi.tsv");

/// Stable-ABI symbol → CPython version that added it.
pub fn table() -> &'static HashMap<&'static str, (u32, u32)> {
    static T: OnceLock<HashMap<&'static str, (u32, u32)>> = OnceLock::new();
    T.get_or_init(|| {
        TABLE
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut f = l.split('\t');
                let name = f.next()?;
                let (maj, min) = f.nth(1)?.split_once('.')?;
                Some((name, (maj.parse().ok()?, min.parse().ok()?)))
            })
            .collect()
    })
}

pub fn check(elfs: &[ElfInfo], baseline: (u32, u32), out: &mut Vec<Failure>) {
    let t = table();
    for e in elfs {
        let mut outside = Vec::new();
        let mut newer = Vec::new();
        for s in &e.py_symbols {
            // The module's own entry points: PyInit_<name>, and PEP 793's
            // PyModExport_<name> (CPython 3.15; PyO3 exports it for abi3t).
            if s.starts_with("PyInit_") || s.starts_with("PyModExport_") {
                continue;
            }
            match t.get(s.as_str()) {
                None => outside.push(s.as_str()),
                Some(&v) if v > baseline => newer.push(format!("{s} ({}.{})", v.0, v.1)),
                Some(_) => {}
            }
        }
        if !outside.is_empty() {
            out.push(Failure::new(
                "abi3.symbol",
                &e.member,
                &format!(
                    "uses {} symbol(s) outside the limited API: {}",
                    outside.len(),
                    summary(&outside)
                ),
                "build with Py_LIMITED_API (pyo3 feature abi3) or drop the abi3 tag",
            ));
        }
        if !newer.is_empty() {
            out.push(Failure::new(
                "abi3.version",
                &e.member,
                &format!(
                    "uses limited-API symbol(s) newer than the cp{}{} baseline: {}",
                    baseline.0,
                    baseline.1,
                    summary(&newer)
                ),
                "raise the python tag to the newest version used, or avoid those symbols",
            ));
        }
    }
}

fn summary<S: AsRef<str>>(items: &[S]) -> String {
    let mut s: Vec<&str> = items.iter().take(5).map(AsRef::as_ref).collect();
    if items.len() > 5 {
        s.push("…");
    }
    s.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_entry_points_are_not_api_uses() {
        let elf = ElfInfo {
            member: "m.abi3.so".into(),
            py_symbols: [
                "PyInit_m",
                "PyModExport_m",
                "PyLong_FromLong",
                "_PyObject_Private",
            ]
            .map(String::from)
            .to_vec(),
            ..ElfInfo::default()
        };
        let mut out = Vec::new();
        check(&[elf], (3, 15), &mut out);
        let messages: Vec<&str> = out.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            ["uses 1 symbol(s) outside the limited API: _PyObject_Private"]
        );
    }

    #[test]
    fn table_has_known_entries() {
        let t = table();
        assert_eq!(t.get("PyType_FromSpec"), Some(&(3, 2)));
        assert_eq!(t.get("PyType_FromMetaclass"), Some(&(3, 12)));
        assert!(t.len() > 900);
    }
}
