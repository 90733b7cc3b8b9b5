//! `wheelwright strip`: what the builder runs on a uniffi library once
//! uniffi-bindgen has read its symbol table.

mod common;

use common::*;
use goblin::elf::Elf;
use std::process::Command;

fn section_names(data: &[u8]) -> Vec<String> {
    let elf = Elf::parse(data).expect("an ELF file");
    elf.section_headers
        .iter()
        .filter_map(|h| elf.shdr_strtab.get_at(h.sh_name).map(str::to_string))
        .collect()
}

fn dynamic_symbols(data: &[u8]) -> Vec<String> {
    let elf = Elf::parse(data).expect("an ELF file");
    elf.dynsyms
        .iter()
        .filter_map(|s| elf.dynstrtab.get_at(s.st_name).map(str::to_string))
        .collect()
}

#[test]
fn strip_drops_symbol_table_and_debug_info_and_keeps_what_loads() {
    let d = tmp_dir("strip_debug");
    let built = compile(&d, "m.so", &[], &["-g"]);
    let before = section_names(&built);
    for kept in [".symtab", ".strtab", ".debug_info"] {
        assert!(
            before.iter().any(|n| n == kept),
            "cc -g wrote no {kept}: {before:?}"
        );
    }
    let lib = d.join("m.so");
    let o = ww(&["strip", lib.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let stripped = std::fs::read(&lib).unwrap();
    let after = section_names(&stripped);
    assert!(
        !after
            .iter()
            .any(|n| n == ".symtab" || n == ".strtab" || n.starts_with(".debug_")),
        "{after:?}"
    );
    assert!(after.iter().any(|n| n == ".dynsym"), "{after:?}");
    assert_eq!(dynamic_symbols(&stripped), dynamic_symbols(&built));
    assert!(stripped.len() < built.len());
    // a program linked against it still loads it and calls its function
    let main = d.join("main.c");
    std::fs::write(
        &main,
        "int PyInit_m(void);\nint main(void) { return PyInit_m() + 7; }\n",
    )
    .unwrap();
    let program = d.join("main");
    let st = cc()
        .arg("-o")
        .arg(&program)
        .arg(&main)
        .arg(&lib)
        .arg("-Wl,-rpath,$ORIGIN")
        .status()
        .expect("run cc");
    assert!(
        st.success(),
        "cc could not link against the stripped library"
    );
    let call = Command::new(&program).status().expect("run the program");
    assert_eq!(call.code(), Some(7));
    // and the verifier passes it in a wheel
    let wheel = Spec::new(X86, &[("demo/m.so", &stripped)]).write(&d);
    let o = ww(&["check", wheel.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn strip_is_deterministic_and_idempotent() {
    let d = tmp_dir("strip_twice");
    compile(&d, "m.so", &[], &["-g"]);
    let lib = d.join("m.so");
    assert_eq!(ww(&["strip", lib.to_str().unwrap()]).status.code(), Some(0));
    let once = std::fs::read(&lib).unwrap();
    assert_eq!(ww(&["strip", lib.to_str().unwrap()]).status.code(), Some(0));
    assert_eq!(std::fs::read(&lib).unwrap(), once);
}

#[test]
fn strip_refuses_what_is_not_elf_in_one_line() {
    let d = tmp_dir("strip_not_elf");
    let text = d.join("notes.txt");
    std::fs::write(&text, "not a library\n").unwrap();
    let o = ww(&["strip", text.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        format!(
            "wheelwright: error: {}: is not an ELF file (pass an ELF shared library or program)\n",
            text.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&text).unwrap(), "not a library\n");
}
