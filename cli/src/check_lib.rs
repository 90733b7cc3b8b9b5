//! `wheelwright check-lib`: the wheel path's ELF, policy and leak rules applied to one
//! plain C-ABI shared library (no wheel around it, so nothing can be bundled with it).

use std::path::Path;

use crate::audit;
use crate::elf::{self, ElfInfo};
use crate::elf_rules::{self, Scope};
use crate::error::Unusable;
use crate::policy::{self, Claim, Libc};
use crate::report::{Failure, LibReport};
use crate::{leaks, symbols};

const ET_DYN: u16 = 3;

/// The policy a library must satisfy (`--platform`), resolved through the policy tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Platform {
    /// As given, e.g. `manylinux2014_x86_64`.
    pub tag: String,
    /// Canonical policy name without arch, e.g. `manylinux_2_17`.
    pub policy: &'static str,
    pub libc: Libc,
    pub arch: String,
    pub priority: u32,
}

impl Platform {
    /// Parses `POLICY_ARCH` (legacy aliases allowed); anything else is unusable input.
    pub fn parse(tag: &str) -> Result<Platform, Unusable> {
        match policy::claim(tag) {
            Claim::Policy {
                policy,
                libc,
                arch,
                priority,
            } => Ok(Platform {
                tag: tag.to_string(),
                policy,
                libc,
                arch,
                priority,
            }),
            _ => Err(Unusable::new(
                format!("unknown platform {tag:?}: it names no manylinux/musllinux policy"),
                "pass a policy with its arch, e.g. manylinux_2_17_x86_64, manylinux2014_aarch64 or musllinux_1_2_x86_64",
            )),
        }
    }

    /// The policy's canonical name with its arch (`manylinux_2_17_x86_64`).
    pub fn canonical(&self) -> String {
        format!("{}_{}", self.policy, self.arch)
    }
}

/// Reads and checks one library file; a missing file or one without ELF magic is unusable.
pub fn check_lib_file(
    path: &Path,
    platform: &Platform,
    build_paths: &[String],
) -> Result<LibReport, Unusable> {
    let data = std::fs::read(path).map_err(|e| {
        Unusable::new(
            format!("cannot open: {e}"),
            "check the path and permissions",
        )
    })?;
    if !data.starts_with(b"\x7fELF") {
        return Err(Unusable::new(
            "not an ELF object (no \\x7fELF magic)",
            "pass the shared library itself (lib*.so), not a linker script, archive or wheel",
        ));
    }
    Ok(check_lib(
        &path.display().to_string(),
        &data,
        platform,
        build_paths,
    ))
}

/// Runs every library rule on the bytes of `file` (which start with ELF magic);
/// `build_paths` are looked for besides the usual build-path needles.
pub fn check_lib(
    file: &str,
    data: &[u8],
    platform: &Platform,
    build_paths: &[String],
) -> LibReport {
    let mut out = Vec::new();
    let mut best_policy = None;
    let info = match elf::inspect(file, data) {
        Ok(info) => Some(info),
        Err(e) => {
            out.push(elf_rules::invalid_elf(file, &e));
            None
        }
    };
    if let Some(e) = &info {
        check_shared_object(e, &mut out);
        elf_rules::check_arch(
            e,
            &platform.arch,
            "the platform is",
            "build for the platform's target (e.g. zig's <arch>-linux-gnu.<glibc>) or fix --platform",
            &mut out,
        );
        elf_rules::check_rpaths(e, Scope::Standalone, &mut out);
        match platform.libc {
            Libc::Musl => {
                symbols::check_musl_libc_soname(std::slice::from_ref(e), &platform.arch, &mut out)
            }
            Libc::Glibc => symbols::check_unversioned(std::slice::from_ref(e), &mut out),
        }
        if let Some(machine) = e.machine {
            // The best policy for what the library really is; judged against --platform
            // only when the arch matches (elf.arch already says it does not).
            let v = audit::audit(std::slice::from_ref(e), platform.libc, machine);
            if machine == platform.arch && platform.priority > v.best_priority {
                let (member, why) = v.reason(platform.policy);
                out.push(Failure::new(
                    "policy.platform",
                    &member,
                    &format!(
                        "{why}, so the library is not {} (best: {})",
                        platform.canonical(),
                        v.best
                    ),
                    "build against an older libc (zig: -target <arch>-linux-gnu.<glibc>), drop the dependency or symbol, target baseline x86-64, or pass the --platform it satisfies",
                ));
            }
            best_policy = Some(v.best);
        }
    }
    if let Some(path) = leaks::find(data, build_paths) {
        out.push(leaks::failure(file, &path));
    }
    LibReport {
        file: file.to_string(),
        ok: out.is_empty(),
        size: data.len() as u64,
        platform: platform.tag.clone(),
        best_policy,
        failures: out,
        elf: info.into_iter().collect(),
    }
}

/// `elf.type`: a library must be `ET_DYN` and not a position-independent executable.
fn check_shared_object(e: &ElfInfo, out: &mut Vec<Failure>) {
    let what = if e.e_type != ET_DYN {
        match e.e_type {
            1 => "a relocatable object (ET_REL)".to_string(),
            2 => "an executable (ET_EXEC)".to_string(),
            4 => "a core dump (ET_CORE)".to_string(),
            t => format!("of ELF type {t}"),
        }
    } else if e.pie {
        "a position-independent executable (DF_1_PIE)".to_string()
    } else {
        return;
    };
    out.push(Failure::new(
        "elf.type",
        &e.member,
        &format!("is {what}, not a shared object"),
        "link the library with -shared (a cdylib crate type)",
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_aliases_and_unknown() {
        let p = Platform::parse("manylinux2014_x86_64").unwrap();
        assert_eq!(p.canonical(), "manylinux_2_17_x86_64");
        assert_eq!(p.libc, Libc::Glibc);
        let p = Platform::parse("musllinux_1_2_aarch64").unwrap();
        assert_eq!((p.libc, p.arch.as_str()), (Libc::Musl, "aarch64"));
        assert_eq!(
            Platform::parse("manylinux_2_24_ppc64le").unwrap().policy,
            "manylinux_2_24"
        );
        let e = Platform::parse("linux_x86_64").unwrap_err();
        assert!(e.what.contains("unknown platform \"linux_x86_64\""), "{e}");
        assert!(Platform::parse("manylinux1_aarch64").is_err());
    }

    #[test]
    fn truncated_elf_is_a_rule_failure() {
        let p = Platform::parse("manylinux_2_17_x86_64").unwrap();
        let r = check_lib("x.so", b"\x7fELF\x02\x01\x01\0\0\0", &p, &[]);
        assert!(!r.ok);
        assert_eq!(r.failures[0].rule, "elf.invalid");
        assert_eq!(r.best_policy, None);
        assert!(r.elf.is_empty());
    }
}
