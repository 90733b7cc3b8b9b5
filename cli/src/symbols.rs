//! What an ELF object imports from the C library: rules a symbol-version policy check
//! cannot see.

use crate::elf::ElfInfo;
use crate::policy;
use crate::report::Failure;

/// Libraries that version every symbol they export: glibc's own, its loaders, and GCC's
/// runtime. A reference into them without a version came from an unversioned stub.
fn versions_every_symbol(soname: &str) -> bool {
    matches!(
        soname,
        "libc.so.6"
            | "libm.so.6"
            | "libdl.so.2"
            | "librt.so.1"
            | "libpthread.so.0"
            | "libutil.so.1"
            | "libresolv.so.2"
            | "libnsl.so.1"
            | "libanl.so.1"
            | "libcrypt.so.1"
            | "libgcc_s.so.1"
            | "libstdc++.so.6"
    ) || soname.starts_with("ld-linux")
        || soname.starts_with("ld64.so.")
}

/// `elf.unversioned-symbol` (glibc, when a policy is to be proven: `check --expect-policy`,
/// `check-lib`): an object whose libraries all version their symbols imports one without a
/// version. The loader binds it to whatever the system's glibc has (Rust links with
/// `-z now`, so a glibc without it refuses the library at load time), and no policy check
/// can see which glibc it needs. zig's libunwind did this on ppc64le below glibc 2.34
/// (`__fprintfieee128`). Third-party wheels are not judged by it unasked: C extensions
/// that call libm or libdl without linking them (Pillow's) import such symbols from the
/// interpreter's scope and load everywhere, which the ELF alone cannot tell apart. The interpreter's own API (`Py*`, `_Py*`) carries no
/// version and is exempt; an object that needs any other library, or none, is not judged,
/// since such libraries (bundled ones, libX11) and the interpreter need not version theirs.
pub(crate) fn check_unversioned(elfs: &[ElfInfo], out: &mut Vec<Failure>) {
    for e in elfs {
        if e.needed.is_empty() || !e.needed.iter().all(|n| versions_every_symbol(n)) {
            continue;
        }
        let names: Vec<&str> = e
            .unversioned
            .iter()
            .map(String::as_str)
            .filter(|n| !n.starts_with("Py") && !n.starts_with("_Py"))
            .collect();
        if names.is_empty() {
            continue;
        }
        let shown = names.iter().take(5).copied().collect::<Vec<_>>().join(", ");
        let more = if names.len() > 5 {
            format!(" and {} more", names.len() - 5)
        } else {
            String::new()
        };
        out.push(Failure::new(
            "elf.unversioned-symbol",
            &e.member,
            &format!(
                "imports {shown}{more} without a symbol version from {}, which version every symbol; no policy check can see which glibc provides them",
                e.needed.join(", ")
            ),
            "link against the policy's glibc so the references carry versions (zig: -target <arch>-linux-gnu.<glibc>), or raise the policy to a glibc that versions them",
        ));
    }
}

/// `elf.musl-plain-libc`: a musl object that needs plain `libc.so` (as zig and other cross
/// linkers link it) loads, because musl's loader answers to that name, but auditwheel
/// cannot resolve it and musl systems name their libc `libc.musl-<arch>.so.1`: strict
/// musllinux needs the latter.
pub(crate) fn check_musl_libc_soname(elfs: &[ElfInfo], arch: &str, out: &mut Vec<Failure>) {
    let Some(strict) = policy::musl_libc_soname(arch) else {
        return;
    };
    for e in elfs
        .iter()
        .filter(|e| e.needed.iter().any(|n| n == "libc.so"))
    {
        out.push(Failure::new(
            "elf.musl-plain-libc",
            &e.member,
            &format!("needs plain libc.so; musl systems and auditwheel know musl's libc as {strict}"),
            &format!("make it need {strict}: patchelf --replace-needed libc.so {strict} (wheelwright's builder does this for musl targets)"),
        ));
    }
}
