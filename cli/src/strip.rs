//! Strips an ELF shared library after the fact: its symbol table and debug
//! information go, as the linker's `--strip-all` drops them; everything the
//! dynamic loader reads stays. The builder needs it for uniffi libraries:
//! zig's linker cannot drop debug information but keep the symbol table,
//! from which uniffi-bindgen reads the module's API, so such a library is
//! linked unstripped and stripped once the bindings are written.

use object::build::elf::{Builder, SectionData};
use std::fs;
use std::path::Path;

use crate::error::Unusable;

/// Whether a section is what `--strip-all` drops: the symbol table, its
/// strings and index extension, and debug information (which a loader never
/// maps).
fn dropped(name: &[u8], data: &SectionData<'_>, alloc: bool) -> bool {
    !alloc
        && (matches!(data, SectionData::Symbol | SectionData::SymbolSectionIndex)
            || name == b".strtab"
            || name.starts_with(b".debug_")
            || name.starts_with(b".zdebug_"))
}

/// `data` (an ELF file) stripped; an error says why it cannot be.
pub fn strip(data: &[u8]) -> Result<Vec<u8>, String> {
    if !data.starts_with(b"\x7fELF") {
        return Err("is not an ELF file".to_string());
    }
    let mut builder = Builder::read(data).map_err(|e| format!("is a damaged ELF file: {e}"))?;
    for section in builder.sections.iter_mut() {
        if dropped(&section.name, &section.data, section.is_alloc()) {
            section.delete = true;
        }
    }
    for symbol in builder.symbols.iter_mut() {
        symbol.delete = true;
    }
    let mut out = Vec::with_capacity(data.len());
    builder
        .write(&mut out)
        .map_err(|e| format!("cannot be written back stripped: {e}"))?;
    Ok(out)
}

/// Strips the file at `path` in place.
pub fn strip_file(path: &Path) -> Result<(), Unusable> {
    let fix = "pass an ELF shared library or program";
    let data =
        fs::read(path).map_err(|e| Unusable::new(format!("{}: {e}", path.display()), fix))?;
    let stripped =
        strip(&data).map_err(|e| Unusable::new(format!("{}: {e}", path.display()), fix))?;
    fs::write(path, stripped)
        .map_err(|e| Unusable::new(format!("{}: {e}", path.display()), "make the file writable"))
}
