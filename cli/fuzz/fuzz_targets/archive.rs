//! Archive + RECORD reader, then every rule on whatever archive comes out.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wheelwright::archive::{read_bytes, Limits};
use wheelwright::check::{check_archive, Options};

fuzz_target!(|data: &[u8]| {
    // Small caps keep each run fast and prove the bomb guards hold.
    let limits = Limits {
        max_member: 4 << 20,
        max_total: 16 << 20,
        max_metadata: 1 << 20,
        keep_elf_data: false,
        build_paths: Vec::new(),
    };
    let _ = wheelwright::record::parse(data);
    if let Ok(archive) = read_bytes(data, &limits) {
        let opts = Options {
            limits,
            ..Options::default()
        };
        let _ = check_archive(
            "demo-1.0-cp39-abi3-manylinux_2_17_x86_64.whl",
            &archive,
            &opts,
        );
    }
});
