//! The wheel's ELF objects linked as ld.so links them: which needed libraries resolve to
//! an object in the wheel (through `$ORIGIN` RPATH/RUNPATH), and which come from outside.

use std::collections::{HashMap, HashSet};

use crate::elf::ElfInfo;
use crate::policy::Policy;

/// The dynamic loader itself, which the symbol-version and library rules leave out.
pub fn ignored_lib(soname: &str) -> bool {
    soname.starts_with("ld-linux")
        || soname.starts_with("ld-musl-")
        || soname == "ld64.so.1"
        || soname == "ld64.so.2"
}

fn is_libpython(soname: &str) -> bool {
    soname
        .strip_prefix("libpython")
        .is_some_and(|r| r.contains(".so"))
}

fn dirname(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Joins and normalises an archive path; `None` if it climbs out of the archive root.
fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for c in rel.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            _ => parts.push(c),
        }
    }
    Some(parts.join("/"))
}

/// Expands one RPATH/RUNPATH entry of the ELF at `elf_path` into an archive directory;
/// entries that do not start at `$ORIGIN` point outside the wheel.
pub fn expand(entry: &str, elf_path: &str) -> Option<String> {
    let rest = entry
        .strip_prefix("$ORIGIN")
        .or_else(|| entry.strip_prefix("${ORIGIN}"))?;
    join(dirname(elf_path), rest)
}

/// The objects of one arch, found by their path in the archive.
pub struct Graph<'a> {
    elfs: &'a [&'a ElfInfo],
    by_path: HashMap<&'a str, usize>,
}

impl<'a> Graph<'a> {
    pub fn new(elfs: &'a [&'a ElfInfo]) -> Graph<'a> {
        Graph {
            elfs,
            by_path: elfs
                .iter()
                .enumerate()
                .map(|(i, e)| (e.member.as_str(), i))
                .collect(),
        }
    }

    /// Resolves `soname` needed by ELF `i` to another ELF in the wheel, the way ld.so would:
    /// RUNPATH alone if present, else the object's RPATH then its loaders' RPATHs.
    fn resolve(&self, i: usize, soname: &str, inherited: &[String]) -> Option<usize> {
        let e = self.elfs[i];
        let own: Vec<String> = if e.runpath.is_empty() {
            e.rpath
                .iter()
                .filter_map(|r| expand(r, &e.member))
                .chain(inherited.iter().cloned())
                .collect()
        } else {
            e.runpath
                .iter()
                .filter_map(|r| expand(r, &e.member))
                .collect()
        };
        own.iter()
            .filter_map(|dir| join(dir, soname))
            .find_map(|p| self.by_path.get(p.as_str()).copied())
    }

    /// External libraries reached from `root` under `policy`.
    pub fn externals(
        &self,
        root: usize,
        policy: &Policy,
        arch: &str,
        out: &mut Vec<(String, String)>,
    ) {
        let mut stack: Vec<(usize, Vec<String>)> = vec![(root, Vec::new())];
        let mut seen = HashSet::new();
        while let Some((i, inherited)) = stack.pop() {
            if !seen.insert(i) {
                continue;
            }
            let e = self.elfs[i];
            let mut next_inherited = inherited.clone();
            if e.runpath.is_empty() {
                next_inherited.extend(e.rpath.iter().filter_map(|r| expand(r, &e.member)));
            }
            for lib in &e.needed {
                if ignored_lib(lib) || policy.allows_lib(lib, arch) {
                    continue;
                }
                match (is_libpython(lib), self.resolve(i, lib, &inherited)) {
                    (false, Some(j)) => stack.push((j, next_inherited.clone())),
                    _ => out.push((e.member.clone(), lib.clone())),
                }
            }
        }
    }
}
