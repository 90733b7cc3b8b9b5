//! ELF inspection through goblin: the facts the policy, abi3 and diff rules need.

use goblin::elf::dynamic::DF_1_PIE;
use goblin::elf::header::{
    EM_386, EM_AARCH64, EM_ARM, EM_LOONGARCH, EM_PPC64, EM_RISCV, EM_S390, EM_X86_64,
};
use goblin::elf::sym::{STB_LOCAL, STB_WEAK, STT_FUNC};
use goblin::elf::Elf;
use serde::Serialize;

const NT_GNU_PROPERTY_TYPE_0: u32 = 5;
const GNU_PROPERTY_X86_ISA_1_NEEDED: u32 = 0xc000_8002;
const EF_ARM_EABIMASK: u32 = 0xff00_0000;
const EF_ARM_EABI_VER5: u32 = 0x0500_0000;
const EF_ARM_ABI_FLOAT_HARD: u32 = 0x400;

/// What the verifier knows about one ELF member.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ElfInfo {
    pub member: String,
    /// Wheel architecture name (`x86_64`, `aarch64`, …) or `None` when no wheel arch fits.
    pub machine: Option<&'static str>,
    pub e_machine: u16,
    pub class: u8,
    pub endian: &'static str,
    pub interpreter: Option<String>,
    pub needed: Vec<String>,
    pub soname: Option<String>,
    pub rpath: Vec<String>,
    pub runpath: Vec<String>,
    /// x86-64 micro-architecture level required by `GNU_PROPERTY_X86_ISA_1_NEEDED` (1 = baseline).
    pub x86_isa_level: u8,
    /// `e_type` (`ET_DYN` = 3 for shared objects and PIE executables).
    #[serde(skip)]
    pub e_type: u16,
    /// `DF_1_PIE` is set: a position-independent executable, not a library.
    #[serde(skip)]
    pub pie: bool,
    #[serde(skip)]
    pub verneed: Vec<(String, String)>,
    /// Undefined, non-weak dynamic symbol names (blacklist rule).
    #[serde(skip)]
    pub undefined: Vec<String>,
    /// Undefined `FUNC` symbols (the legacy UCS2 rule looks only at functions).
    #[serde(skip)]
    pub undefined_funcs: Vec<String>,
    /// Undefined, non-weak dynamic symbols that carry no version (unversioned-symbol rule).
    #[serde(skip)]
    pub unversioned: Vec<String>,
    /// Non-local `Py*`/`_Py*` names from `.symtab` and `.dynsym` (abi3 rule).
    #[serde(skip)]
    pub py_symbols: Vec<String>,
    /// `(name, size, file byte range)` per section, for `diff`.
    #[serde(skip)]
    pub sections: Vec<(String, u64, Option<std::ops::Range<usize>>)>,
}

/// Maps `(e_machine, class, endianness, flags)` to a wheel arch the way auditwheel does.
pub fn wheel_arch(e_machine: u16, is_64: bool, little: bool, flags: u32) -> Option<&'static str> {
    match (e_machine, is_64, little) {
        (EM_386, false, true) => Some("i686"),
        (EM_X86_64, true, true) => Some("x86_64"),
        (EM_PPC64, true, true) => Some("ppc64le"),
        (EM_PPC64, true, false) => Some("ppc64"),
        (EM_RISCV, true, true) => Some("riscv64"),
        (EM_AARCH64, true, true) => Some("aarch64"),
        (EM_S390, true, false) => Some("s390x"),
        (EM_LOONGARCH, true, true) => Some("loongarch64"),
        (EM_ARM, false, true)
            if flags & EF_ARM_EABIMASK == EF_ARM_EABI_VER5
                && flags & EF_ARM_ABI_FLOAT_HARD != 0 =>
        {
            Some("armv7l")
        }
        _ => None,
    }
}

pub fn inspect(member: &str, data: &[u8]) -> Result<ElfInfo, String> {
    let elf = Elf::parse(data).map_err(|e| e.to_string())?;
    let h = &elf.header;
    let dynstr = |off: usize| elf.dynstrtab.get_at(off).unwrap_or_default().to_string();

    let mut verneed = Vec::new();
    if let Some(vn) = &elf.verneed {
        for need in vn.iter() {
            let file = dynstr(need.vn_file);
            for aux in need.iter() {
                verneed.push((file.clone(), dynstr(aux.vna_name)));
            }
        }
    }
    let mut undefined = Vec::new();
    let mut undefined_funcs = Vec::new();
    let mut unversioned = Vec::new();
    for (index, sym) in elf.dynsyms.iter().enumerate() {
        if sym.st_shndx != 0 || sym.st_name == 0 {
            continue;
        }
        let name = dynstr(sym.st_name);
        if sym.st_type() == STT_FUNC {
            undefined_funcs.push(name.clone());
        }
        if sym.st_bind() != STB_WEAK {
            // Index 0 (local) and 1 (global) name no version, as does a missing table.
            let versioned = elf
                .versym
                .as_ref()
                .and_then(|v| v.get_at(index))
                .is_some_and(|v| v.version() > 1);
            if !versioned {
                unversioned.push(name.clone());
            }
            undefined.push(name);
        }
    }
    let mut py_symbols = Vec::new();
    let tables = [(&elf.syms, &elf.strtab), (&elf.dynsyms, &elf.dynstrtab)];
    for (syms, strs) in tables {
        for sym in syms.iter() {
            if sym.st_bind() == STB_LOCAL {
                continue;
            }
            let Some(name) = strs.get_at(sym.st_name) else {
                continue;
            };
            if (name.starts_with("Py") || name.starts_with("_Py"))
                && !py_symbols.iter().any(|s| s == name)
            {
                py_symbols.push(name.to_string());
            }
        }
    }
    let mut sections = Vec::new();
    for sh in &elf.section_headers {
        let name = elf
            .shdr_strtab
            .get_at(sh.sh_name)
            .unwrap_or_default()
            .to_string();
        sections.push((name, sh.sh_size, sh.file_range()));
    }
    Ok(ElfInfo {
        member: member.to_string(),
        machine: wheel_arch(h.e_machine, elf.is_64, elf.little_endian, h.e_flags),
        e_machine: h.e_machine,
        class: if elf.is_64 { 64 } else { 32 },
        endian: if elf.little_endian { "little" } else { "big" },
        interpreter: elf.interpreter.map(str::to_string),
        needed: elf.libraries.iter().map(|s| s.to_string()).collect(),
        soname: elf.soname.map(str::to_string),
        rpath: split_paths(&elf.rpaths),
        runpath: split_paths(&elf.runpaths),
        x86_isa_level: x86_isa_level(&elf, data),
        e_type: h.e_type,
        pie: elf
            .dynamic
            .as_ref()
            .is_some_and(|d| d.info.flags_1 & DF_1_PIE != 0),
        verneed,
        undefined,
        undefined_funcs,
        unversioned,
        py_symbols,
        sections,
    })
}

fn split_paths(entries: &[&str]) -> Vec<String> {
    entries
        .iter()
        .flat_map(|e| e.split(':'))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Reads the x86 ISA-needed bits from `.note.gnu.property`; goblin hands over the raw
/// descriptor, whose property list is walked here with bounds checks.
fn x86_isa_level(elf: &Elf, data: &[u8]) -> u8 {
    let mut level = 1;
    let Some(notes) = elf.iter_note_headers(data) else {
        return level;
    };
    let align = if elf.is_64 { 8 } else { 4 };
    for note in notes.flatten() {
        if note.n_type != NT_GNU_PROPERTY_TYPE_0 || note.name != "GNU" {
            continue;
        }
        let d = note.desc;
        let mut off = 0usize;
        while off + 8 <= d.len() {
            let word = |o: usize| -> Option<u32> {
                let b: [u8; 4] = d.get(o..o + 4)?.try_into().ok()?;
                Some(if elf.little_endian {
                    u32::from_le_bytes(b)
                } else {
                    u32::from_be_bytes(b)
                })
            };
            let (Some(pr_type), Some(size)) = (word(off), word(off + 4)) else {
                break;
            };
            let size = size as usize;
            if pr_type == GNU_PROPERTY_X86_ISA_1_NEEDED && size >= 4 {
                let bits = word(off + 8).unwrap_or(0);
                // Bit 1 = v2, bit 2 = v3, bit 3 = v4.
                for (bit, lvl) in [(1, 2), (2, 3), (3, 4)] {
                    if bits & (1 << bit) != 0 {
                        level = level.max(lvl);
                    }
                }
            }
            let step = (8 + size).div_ceil(align) * align;
            match off.checked_add(step) {
                Some(n) if n > off => off = n,
                _ => break,
            }
        }
    }
    level
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arch_mapping() {
        assert_eq!(wheel_arch(EM_PPC64, true, false, 0), Some("ppc64"));
        assert_eq!(wheel_arch(EM_PPC64, true, true, 0), Some("ppc64le"));
        assert_eq!(wheel_arch(EM_ARM, false, true, 0x0500_0400), Some("armv7l"));
        assert_eq!(wheel_arch(EM_ARM, false, true, 0x0500_0000), None);
        assert_eq!(wheel_arch(EM_X86_64, false, true, 0), None);
    }

    #[test]
    fn truncated_elf_is_an_error() {
        let e = inspect("x.so", b"\x7fELF\x02\x01\x01\0\0\0").unwrap_err();
        assert!(!e.is_empty());
    }
}
