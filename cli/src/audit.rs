//! The policy verdict: which manylinux/musllinux policies a set of ELF objects satisfies,
//! following auditwheel's rules (symbol versions, library whitelist with `$ORIGIN`
//! resolution inside the wheel, blacklist, x86-64 ISA level, UCS2/PyFPE).

mod graph;

use std::collections::{HashMap, HashSet};

use crate::elf::ElfInfo;
use crate::policy::{self, Libc, Policy};
use graph::{ignored_lib, Graph};

pub use graph::expand;

/// Why a policy fails: the ELF member at fault and a sentence.
pub type Reason = (String, String);

/// Outcome for one libc family and arch.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub libc: Libc,
    pub arch: String,
    /// Best satisfied policy with its arch (`manylinux_2_17_x86_64`), or `linux_<arch>`.
    pub best: String,
    pub best_priority: u32,
    /// First reason each unsatisfied policy fails, keyed by policy name.
    pub reasons: HashMap<String, Reason>,
}

impl Verdict {
    /// Why `policy` (a policy name without arch) does not hold, if it does not.
    pub fn reason(&self, policy: &str) -> Reason {
        self.reasons.get(policy).cloned().unwrap_or_default()
    }
}

/// Judges the ELF objects of `arch` against every policy of `libc` for that arch.
pub fn audit(all_elfs: &[ElfInfo], libc: Libc, arch: &str) -> Verdict {
    let elfs: Vec<&ElfInfo> = all_elfs
        .iter()
        .filter(|e| e.machine == Some(arch))
        .collect();
    let graph = Graph::new(&elfs);
    // Objects that another object needs by file name are judged through their users.
    let needed: HashSet<&str> = elfs
        .iter()
        .flat_map(|e| e.needed.iter().map(String::as_str))
        .collect();
    let mut roots: Vec<usize> = (0..elfs.len())
        .filter(|&i| !needed.contains(elfs[i].member.rsplit('/').next().unwrap_or_default()))
        .collect();
    if roots.is_empty() {
        roots = (0..elfs.len()).collect();
    }
    let global = global_reason(&elfs, arch);
    let mut reasons = HashMap::new();
    let mut best: Option<&Policy> = None;
    for p in policy::for_arch(libc, arch) {
        let reason = global
            .clone()
            .or_else(|| symbol_reason(&elfs, p, arch))
            .or_else(|| musl_time64_reason(&elfs, p))
            .or_else(|| {
                let mut ext = Vec::new();
                for &r in &roots {
                    graph.externals(r, p, arch, &mut ext);
                }
                ext.into_iter().next().map(|(m, lib)| {
                    (m, format!("needs {lib}, which is neither bundled (through $ORIGIN RPATH) nor allowed by {}", p.name))
                })
            })
            .or_else(|| blacklist_reason(&elfs, p));
        match reason {
            Some(r) => {
                reasons.insert(p.name.to_string(), r);
            }
            None => {
                if best.is_none() {
                    best = Some(p);
                }
            }
        }
    }
    let (best, best_priority) = match best {
        Some(p) => (format!("{}_{arch}", p.name), p.priority),
        None => (format!("linux_{arch}"), 0),
    };
    Verdict {
        libc,
        arch: arch.to_string(),
        best,
        best_priority,
        reasons,
    }
}

/// Reasons that rule out every policy at once.
fn global_reason(elfs: &[&ElfInfo], arch: &str) -> Option<Reason> {
    for e in elfs {
        if arch == "x86_64" && e.x86_isa_level > 1 {
            return Some((
                e.member.clone(),
                format!("needs x86-64-v{} instructions", e.x86_isa_level),
            ));
        }
        if let Some(s) = e
            .undefined_funcs
            .iter()
            .find(|s| s.starts_with("PyUnicodeUCS2_"))
        {
            return Some((
                e.member.clone(),
                format!("uses the UCS2 narrow-unicode ABI ({s})"),
            ));
        }
        if let Some(s) = e
            .undefined
            .iter()
            .find(|s| matches!(s.as_str(), "PyFPE_jbuf" | "PyFPE_dummy" | "PyFPE_counter"))
        {
            return Some((
                e.member.clone(),
                format!("uses {s}, which only --with-fpectl Pythons provide"),
            ));
        }
    }
    None
}

/// Symbol-version rule over the pooled `.gnu.version_r` of every ELF: for each prefix the
/// policy lists, the needed nodes must be members of its set.
fn symbol_reason(elfs: &[&ElfInfo], p: &Policy, arch: &str) -> Option<Reason> {
    let table = p.symbol_versions.get(arch)?;
    for e in elfs {
        for (file, node) in &e.verneed {
            if ignored_lib(file) {
                continue;
            }
            // The JSON keys sets by prefix and stores the rest: `GLIBC_2.17` → GLIBC / `2.17`.
            let (prefix, rest) = node.split_once('_').unwrap_or((node.as_str(), ""));
            if let Some(allowed) = table.get(prefix) {
                if !allowed.contains(rest) {
                    return Some((
                        e.member.clone(),
                        format!(
                            "needs symbol version {node} (from {file}), which {} does not allow",
                            p.name
                        ),
                    ));
                }
            }
        }
    }
    None
}

/// musl has no symbol versions; what tells 1.1 from 1.2 on 32-bit targets is 64-bit
/// `time_t`: musl 1.2 redirects every time function to a `__*time64` symbol (e.g.
/// `__clock_gettime64`, `__stat_time64`) that musl 1.1 lacks.
fn musl_time64_reason(elfs: &[&ElfInfo], p: &Policy) -> Option<Reason> {
    if p.libc != Libc::Musl || p.name != "musllinux_1_1" {
        return None;
    }
    elfs.iter().find_map(|e| {
        e.undefined
            .iter()
            .find(|s| s.starts_with("__") && s.ends_with("time64"))
            .map(|s| {
                (
                    e.member.clone(),
                    format!("uses {s}, a 64-bit time_t symbol that musl has only from 1.2"),
                )
            })
    })
}

/// Blacklist rule: undefined, non-weak symbols of an ELF that directly needs a whitelisted library.
fn blacklist_reason(elfs: &[&ElfInfo], p: &Policy) -> Option<Reason> {
    for e in elfs {
        for lib in &e.needed {
            let Some(black) = p.blacklist.get(lib.as_str()) else {
                continue;
            };
            if let Some(sym) = e.undefined.iter().find(|s| black.contains(s.as_str())) {
                return Some((
                    e.member.clone(),
                    format!("uses {sym} from {lib}, which {} forbids", p.name),
                ));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elf(member: &str, needed: &[&str], rpath: &[&str], verneed: &[(&str, &str)]) -> ElfInfo {
        ElfInfo {
            member: member.into(),
            machine: Some("x86_64"),
            e_machine: 62,
            class: 64,
            endian: "little",
            interpreter: None,
            needed: needed.iter().map(|s| s.to_string()).collect(),
            soname: None,
            rpath: rpath.iter().map(|s| s.to_string()).collect(),
            runpath: vec![],
            x86_isa_level: 1,
            e_type: 3,
            pie: false,
            verneed: verneed
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            undefined: vec![],
            undefined_funcs: vec![],
            unversioned: vec![],
            py_symbols: vec![],
            sections: vec![],
        }
    }

    #[test]
    fn symbol_versions_pick_the_best_policy() {
        let e = [elf(
            "m.so",
            &["libc.so.6"],
            &[],
            &[
                ("libc.so.6", "GLIBC_2.14"),
                ("ld-linux-x86-64.so.2", "GLIBC_2.99"),
            ],
        )];
        let v = audit(&e, Libc::Glibc, "x86_64");
        assert_eq!(v.best, "manylinux_2_17_x86_64");
        assert!(
            v.reasons["manylinux_2_12"].1.contains("GLIBC_2.14"),
            "{:?}",
            v.reasons
        );
    }

    #[test]
    fn unknown_node_means_linux() {
        let e = [elf("m.so", &[], &[], &[("libc.so.6", "GLIBC_PRIVATE")])];
        assert_eq!(audit(&e, Libc::Glibc, "x86_64").best, "linux_x86_64");
    }

    #[test]
    fn bundled_libs_resolve_through_origin() {
        let e = [
            elf(
                "pkg/m.so",
                &["libfoo-1234.so.1", "libc.so.6"],
                &["$ORIGIN/../pkg.libs"],
                &[],
            ),
            elf(
                "pkg.libs/libfoo-1234.so.1",
                &["libbar.so.2"],
                &["$ORIGIN"],
                &[],
            ),
            elf("pkg.libs/libbar.so.2", &["libm.so.6"], &[], &[]),
        ];
        assert_eq!(
            audit(&e, Libc::Glibc, "x86_64").best,
            "manylinux_2_5_x86_64"
        );
        let unreachable = [
            elf("pkg/m.so", &["libfoo-1234.so.1"], &[], &[]),
            elf("pkg.libs/libfoo-1234.so.1", &[], &[], &[]),
        ];
        let v = audit(&unreachable, Libc::Glibc, "x86_64");
        assert_eq!(v.best, "linux_x86_64");
        assert!(v.reasons["manylinux_2_5"].1.contains("libfoo-1234.so.1"));
    }

    #[test]
    fn libpython_and_escaping_rpath_are_external() {
        let e = [elf("m.so", &["libpython3.11.so.1.0"], &[], &[])];
        assert_eq!(audit(&e, Libc::Glibc, "x86_64").best, "linux_x86_64");
        let esc = [
            elf("m.so", &["libx.so"], &["$ORIGIN/../../x"], &[]),
            elf("libx.so", &[], &[], &[]),
        ];
        assert_eq!(audit(&esc, Libc::Glibc, "x86_64").best, "linux_x86_64");
    }

    #[test]
    fn blacklist_and_isa() {
        let mut e = elf("m.so", &["libc.so.6"], &[], &[]);
        e.undefined = vec!["__cxa_thread_atexit_impl".into()];
        assert_eq!(
            audit(std::slice::from_ref(&e), Libc::Glibc, "x86_64").best,
            "manylinux_2_24_x86_64"
        );
        e.undefined.clear();
        e.x86_isa_level = 3;
        let v = audit(&[e], Libc::Glibc, "x86_64");
        assert_eq!(v.best, "linux_x86_64");
        assert!(v.reasons["manylinux_2_5"].1.contains("x86-64-v3"));
    }

    #[test]
    fn musl_has_no_symbol_rule() {
        let e = [elf(
            "m.so",
            &["libc.musl-x86_64.so.1"],
            &[],
            &[("libgcc_s.so.1", "GLIBC_2.0")],
        )];
        assert_eq!(audit(&e, Libc::Musl, "x86_64").best, "musllinux_1_1_x86_64");
        let g = [elf("m.so", &["libc.so.6"], &[], &[])];
        assert_eq!(audit(&g, Libc::Musl, "x86_64").best, "linux_x86_64");
    }

    #[test]
    fn musl_time64_needs_1_2() {
        let mut e = elf("m.so", &["libc.musl-x86.so.1"], &[], &[]);
        e.machine = Some("i686");
        assert_eq!(
            audit(std::slice::from_ref(&e), Libc::Musl, "i686").best,
            "musllinux_1_1_i686"
        );
        e.undefined = vec!["__clock_gettime64".into()];
        let v = audit(&[e], Libc::Musl, "i686");
        assert_eq!(v.best, "musllinux_1_2_i686");
        assert_eq!(
            v.reasons["musllinux_1_1"].1,
            "uses __clock_gettime64, a 64-bit time_t symbol that musl has only from 1.2"
        );
    }
}
