//! `wheelwright check`: runs every rule on one wheel.

use std::collections::BTreeSet;
use std::path::Path;

use crate::archive::{self, Archive, Limits};
use crate::audit::{self, Verdict};
use crate::elf::ElfInfo;
use crate::elf_rules::{check_arch, check_bundled_soname, check_rpaths, invalid_elf, Scope};
use crate::error::Unusable;
use crate::filename::{normalize_name, WheelName};
use crate::metadata;
use crate::policy::{self, Claim, Libc};
use crate::report::{Failure, PolicyResult, WheelReport};
use crate::{abi3, dist_info, leaks, record, symbols};

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub limits: Limits,
    /// Fail unless the wheel satisfies at least this policy (e.g. `manylinux_2_17_x86_64`)
    /// and every platform tag is of its family and architecture.
    pub expect_policy: Option<String>,
    /// Fail unless the wheel is of this distribution (compared normalized).
    pub dist_name: Option<String>,
}

pub fn check_file(path: &Path, opts: &Options) -> Result<WheelReport, Unusable> {
    let archive = archive::read_archive(path, &opts.limits)?;
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    Ok(check_archive(&file, &archive, opts))
}

pub fn check_archive(file: &str, archive: &Archive, opts: &Options) -> WheelReport {
    let mut out = Vec::new();
    let name = match WheelName::parse(file) {
        Ok(n) => Some(n),
        Err(e) => {
            out.push(Failure::new(
                "name.parse",
                file,
                &format!("the file name is not a valid wheel name: {e}"),
                "name it {dist}-{version}(-{build})?-{python}-{abi}-{platform}.whl",
            ));
            None
        }
    };
    if let (Some(name), Some(expected)) = (&name, &opts.dist_name) {
        check_dist_name(name, expected, &mut out);
    }
    // Every tag, whatever it claims: a pure or a macOS wheel is not the Linux one asked for.
    if let (Some(name), Some(expect)) = (&name, &opts.expect_policy) {
        if let Claim::Policy { libc, arch, .. } = policy::claim(expect) {
            check_expected_tags(name, expect, libc, &arch, &mut out);
        }
    }
    let dist_info = dist_info::find_dist_info(archive, name.as_ref(), &mut out);
    record::check_members(archive, &mut out);
    if let Some(d) = &dist_info {
        record::check(archive, d, &mut out);
    }

    // Members with ELF magic, parseable or not: these decide "is this a binary wheel".
    let elf_members: Vec<&str> = archive
        .members
        .iter()
        .filter(|m| m.is_elf)
        .map(|m| m.name.as_str())
        .collect();
    let mut elfs = Vec::new();
    for m in archive.members.iter().filter(|m| m.is_elf) {
        match &m.elf {
            Some(Ok(info)) => {
                check_rpaths(info, Scope::Wheel, &mut out);
                check_bundled_soname(info, &mut out);
                elfs.push(info.clone());
            }
            Some(Err(e)) => out.push(invalid_elf(&m.name, e)),
            None => {}
        }
        if let Some(path) = &m.leak {
            out.push(leaks::failure(&m.name, path));
        }
        if m.name.split('/').nth(1) == Some("purelib")
            && m.name
                .split('/')
                .next()
                .is_some_and(|t| t.ends_with(".data"))
        {
            out.push(Failure::new(
                "tags.elf-in-purelib",
                &m.name,
                "is a binary under .data/purelib, which must stay platform-independent",
                "install binaries through platlib (the wheel root with Root-Is-Purelib: false)",
            ));
        }
    }

    let mut best_policies = Vec::new();
    let mut best_policy = None;
    if let Some(name) = &name {
        if let Some(d) = &dist_info {
            dist_info::check_wheel_file(archive, d, name, !elf_members.is_empty(), &mut out);
            match archive
                .get(&format!("{d}/METADATA"))
                .and_then(|m| m.data.as_deref())
            {
                Some(data) => metadata::check(
                    &format!("{d}/METADATA"),
                    &String::from_utf8_lossy(data),
                    name,
                    &|n| archive.get(n).is_some(),
                    &mut out,
                ),
                None => out.push(Failure::new(
                    "dist-info.layout",
                    &format!("{d}/METADATA"),
                    "is missing",
                    "rebuild the wheel with a standard build backend",
                )),
            }
        }
        if name.is_pure() {
            best_policy = Some("any".to_string());
            if let Some(first) = elf_members.first() {
                out.push(Failure::new(
                    "tags.elf-in-pure",
                    first,
                    &format!(
                        "is a binary, but the wheel is tagged `any` ({} ELF object(s))",
                        elf_members.len()
                    ),
                    "tag the wheel with its platform (e.g. manylinux_2_17_x86_64) or drop the binary",
                ));
            }
        } else {
            let verdicts = judge_platform(name, &elfs, opts, &mut out);
            best_policy = verdicts.first().map(|v| v.best.clone());
            best_policies = verdicts
                .into_iter()
                .map(|v| PolicyResult {
                    libc: v.libc,
                    arch: v.arch,
                    best: v.best,
                })
                .collect();
        }
        if name.abi.iter().all(|a| a == "none") && !name.is_pure() {
            check_abi_none(&elfs, &mut out);
        }
        if let Some(baseline) = name.abi3_baseline() {
            let exts: Vec<ElfInfo> = elfs
                .iter()
                .filter(|e| e.member.ends_with(".so"))
                .cloned()
                .collect();
            abi3::check(&exts, baseline, &mut out);
            check_abi3_suffixes(&exts, &mut out);
        }
    }
    WheelReport {
        file: file.to_string(),
        ok: out.is_empty(),
        size: archive.file_size,
        inflated_size: archive.inflated_size,
        best_policy,
        best_policies,
        claimed_tags: name.map(|n| n.expanded_tags()).unwrap_or_default(),
        failures: out,
        elf: elfs,
    }
}

/// `name.dist`: the wheel is of the distribution the build was asked for; another one
/// means the backend read another project's pyproject.toml or Cargo.toml.
fn check_dist_name(name: &WheelName, expected: &str, out: &mut Vec<Failure>) {
    if normalize_name(&name.dist) != normalize_name(expected) {
        out.push(Failure::new(
            "name.dist",
            &name.dist,
            &format!("the wheel is of distribution {}, not {expected}", name.dist),
            &format!("build the project named {expected}: the build backend read another pyproject.toml or Cargo.toml (with maturin, name the crate in the root pyproject.toml's [tool.maturin] manifest-path)"),
        ));
    }
}

/// `tags.abi-none`: a platform wheel with ABI tag `none` (a program in a wheel, as
/// maturin's bin bindings build it) runs under any Python, so no binary in it may call
/// the Python C API, which only an interpreter of the right ABI provides.
fn check_abi_none(elfs: &[ElfInfo], out: &mut Vec<Failure>) {
    for e in elfs {
        let api: Vec<&str> = e
            .undefined
            .iter()
            .map(String::as_str)
            .filter(|s| s.starts_with("Py") || s.starts_with("_Py"))
            .collect();
        if let Some(first) = api.first() {
            out.push(Failure::new(
                "tags.abi-none",
                &e.member,
                &format!(
                    "calls the Python C API ({first}, {} symbol(s)), but the wheel's ABI tag is none, which any Python may install",
                    api.len()
                ),
                "tag the wheel with the ABI it was built for (cp312, abi3), or build a program that does not link Python",
            ));
        }
    }
}

/// An abi3 wheel's extensions must not carry a version-specific suffix
/// (`m.cpython-312-x86_64-linux-gnu.so` only imports on 3.12).
fn check_abi3_suffixes(elfs: &[ElfInfo], out: &mut Vec<Failure>) {
    for e in elfs {
        let file = e.member.rsplit('/').next().unwrap_or_default();
        if file.contains(".cpython-") && file.ends_with(".so") {
            out.push(Failure::new(
                "abi3.suffix",
                &e.member,
                "is named for one CPython version, so it only imports there despite the abi3 tag",
                "name the extension <module>.abi3.so (build it with the limited API)",
            ));
        }
    }
}

/// Checks ELF machines against the tags' arch and every claimed policy; returns the
/// verdict per claimed libc family, first family first.
fn judge_platform(
    name: &WheelName,
    elfs: &[ElfInfo],
    opts: &Options,
    out: &mut Vec<Failure>,
) -> Vec<Verdict> {
    let arches: BTreeSet<String> = name
        .platform
        .iter()
        .filter_map(|t| policy::tag_arch(t))
        .collect();
    if arches.len() > 1 {
        out.push(Failure::new(
            "tags.arch-mixed",
            &name.platform.join("."),
            &format!(
                "platform tags name several architectures: {}",
                arches.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
            "build one wheel per architecture",
        ));
        return Vec::new();
    }
    let Some(arch) = arches.into_iter().next() else {
        return Vec::new();
    };
    for e in elfs {
        check_arch(
            e,
            &arch,
            "the wheel is tagged",
            "rebuild for the tagged architecture or fix the platform tag",
            out,
        );
    }
    if !elfs.iter().any(|e| e.machine == Some(arch.as_str())) {
        out.push(Failure::new(
            "tags.no-binary",
            &name.platform.join("."),
            &format!("the wheel claims a Linux {arch} platform but holds no {arch} ELF object"),
            "tag a pure-Python wheel py3-none-any, or check that the build put its binaries in the wheel",
        ));
    }
    let claims: Vec<(&String, Claim)> = name
        .platform
        .iter()
        .map(|t| (t, policy::claim(t)))
        .collect();
    let mut families: Vec<Libc> = Vec::new();
    for (tag, c) in &claims {
        match c {
            Claim::Policy { libc, .. } if !families.contains(libc) => families.push(*libc),
            Claim::Unknown => out.push(Failure::new(
                "policy.unknown-tag",
                tag,
                "names no manylinux/musllinux policy for this architecture",
                "use a tag auditwheel defines (e.g. manylinux2014_aarch64, not manylinux1_aarch64)",
            )),
            _ => {}
        }
    }
    if families.is_empty() {
        families.push(infer_libc(elfs));
    }
    if families.contains(&Libc::Musl) {
        symbols::check_musl_libc_soname(elfs, &arch, out);
    }
    let verdicts: Vec<Verdict> = families
        .iter()
        .map(|&l| audit::audit(elfs, l, &arch))
        .collect();
    for (tag, c) in &claims {
        let Claim::Policy {
            policy,
            libc,
            priority,
            ..
        } = c
        else {
            continue;
        };
        let Some(v) = verdicts.iter().find(|v| v.libc == *libc) else {
            continue;
        };
        if *priority > v.best_priority {
            let (member, why) = v.reason(policy);
            out.push(Failure::new(
                "policy.tag",
                &member,
                &format!("{why}, so the wheel is not {tag} (best: {})", v.best),
                &format!(
                    "retag the wheel {}, or remove the cause (older glibc, libraries bundled by auditwheel repair, baseline x86-64)",
                    v.best
                ),
            ));
        }
    }
    if let Some(expect) = &opts.expect_policy {
        if let Claim::Policy { libc, priority, .. } = policy::claim(expect) {
            if libc == Libc::Glibc {
                symbols::check_unversioned(elfs, out);
            }
            let v = verdicts
                .iter()
                .find(|v| v.libc == libc)
                .cloned()
                .unwrap_or_else(|| audit::audit(elfs, libc, &arch));
            if priority > v.best_priority {
                out.push(Failure::new(
                    "policy.expect",
                    &name.platform.join("."),
                    &format!(
                        "the wheel satisfies only {}, but {expect} was expected",
                        v.best
                    ),
                    "rebuild against an older libc or fix the expected policy",
                ));
            }
        }
    }
    verdicts
}

/// `policy.expect`: every platform tag is of the expected policy's family and architecture
/// (a wheel built for another target, or tagged `linux_*`, is not what was asked for).
fn check_expected_tags(
    name: &WheelName,
    expect: &str,
    libc: Libc,
    arch: &str,
    out: &mut Vec<Failure>,
) {
    for tag in &name.platform {
        let fits = matches!(policy::claim(tag), Claim::Policy { libc: l, arch: a, .. } if l == libc && a == arch);
        if !fits {
            out.push(Failure::new(
                "policy.expect",
                tag,
                &format!("the platform tag is not a {} tag for {arch}, as {expect} needs", libc.family()),
                "build for the expected target, and tag the wheel with auditwheel repair --plat <policy>",
            ));
        }
    }
}

/// For `linux_*` tags: musl if any ELF shows a musl loader or libc, else glibc.
fn infer_libc(elfs: &[ElfInfo]) -> Libc {
    let musl = elfs.iter().any(|e| {
        e.interpreter
            .as_deref()
            .is_some_and(|i| i.contains("ld-musl-"))
            || e.needed
                .iter()
                .any(|n| n.starts_with("libc.musl-") || n.starts_with("ld-musl-"))
    });
    if musl {
        Libc::Musl
    } else {
        Libc::Glibc
    }
}
