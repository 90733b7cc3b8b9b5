//! ELF inspection (goblin plus the GNU property note walk) and the leak scan.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = wheelwright::elf::inspect("fuzz.so", data);
    let _ = wheelwright::leaks::find(data, &[]);
});
