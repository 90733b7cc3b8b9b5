//! Rules on one ELF object, shared by `check` (each wheel member) and `check-lib`.

use crate::audit;
use crate::elf::ElfInfo;
use crate::report::Failure;

/// `elf.invalid`: ELF magic, but goblin cannot parse the object.
pub fn invalid_elf(member: &str, err: &str) -> Failure {
    Failure::new(
        "elf.invalid",
        member,
        &format!("starts like an ELF object but cannot be read: {err}"),
        "rebuild the binary; the file is truncated or corrupt",
    )
}

/// Where an ELF object is installed, which decides how far its `$ORIGIN` paths may reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// A wheel member: RPATHs must stay inside the wheel.
    Wheel,
    /// A standalone shared library: any `$ORIGIN`-relative path is relocatable.
    Standalone,
}

/// `elf.rpath`: RPATH/RUNPATH entries must start at `$ORIGIN` (anything else depends on
/// the build machine) and, in a wheel, stay inside it (`$ORIGIN/../..` reaches into other
/// distributions' files).
pub fn check_rpaths(e: &ElfInfo, scope: Scope, out: &mut Vec<Failure>) {
    for entry in e.rpath.iter().chain(&e.runpath) {
        let why = if !entry.starts_with("$ORIGIN") && !entry.starts_with("${ORIGIN}") {
            "does not start at $ORIGIN"
        } else if scope == Scope::Wheel && audit::expand(entry, &e.member).is_none() {
            "climbs out of the wheel"
        } else {
            continue;
        };
        let fix = match scope {
            Scope::Wheel => "bundle the libraries and use $ORIGIN-relative RPATHs inside the wheel (auditwheel repair does this)",
            Scope::Standalone => "link without absolute RPATHs (at most -Wl,-rpath,'$ORIGIN'), or drop them with patchelf --remove-rpath",
        };
        out.push(Failure::new(
            "elf.rpath",
            &e.member,
            &format!("RPATH/RUNPATH entry {entry:?} {why}"),
            fix,
        ));
    }
}

/// `elf.arch`: the object's machine/class/endianness (and ARM ABI flags) must map to
/// `arch`; `claimed` says who claims it (`the wheel is tagged`, `the platform is`).
pub fn check_arch(e: &ElfInfo, arch: &str, claimed: &str, fix: &str, out: &mut Vec<Failure>) {
    if e.machine == Some(arch) {
        return;
    }
    out.push(Failure::new(
        "elf.arch",
        &e.member,
        &format!(
            "is built for {} (e_machine {}, {}-bit, {}-endian), but {claimed} {arch}",
            e.machine.unwrap_or("an unsupported machine or ABI"),
            e.e_machine,
            e.class,
            e.endian
        ),
        fix,
    ));
}

/// A library grafted into `<name>.libs/` must be found under the name its users need
/// (DT_SONAME = file name) and that name must be unique to this wheel (a `-<8 hex>` hash),
/// so it cannot clash with another wheel's copy (PEP 600 "play well with others").
pub(crate) fn check_bundled_soname(e: &ElfInfo, out: &mut Vec<Failure>) {
    let Some((dir, file)) = e.member.rsplit_once('/') else {
        return;
    };
    if dir.contains('/') || !dir.ends_with(".libs") {
        return;
    }
    let hashed = file.match_indices('-').any(|(i, _)| {
        let h = file.as_bytes().get(i + 1..i + 10);
        h.is_some_and(|h| h[..8].iter().all(u8::is_ascii_hexdigit) && h[8] == b'.')
    });
    let why = if e.soname.as_deref() != Some(file) {
        format!(
            "has DT_SONAME {:?}, not its file name",
            e.soname.as_deref().unwrap_or("")
        )
    } else if !hashed {
        "is bundled without a hash-suffixed, wheel-unique name".to_string()
    } else {
        return;
    };
    out.push(Failure::new(
        "elf.soname",
        &e.member,
        &why,
        "graft bundled libraries with auditwheel repair (renames to <lib>-<hash>.so and sets DT_SONAME)",
    ));
}
