//! Robustness: deterministic mutations of a real wheel and ELF object through the same
//! entry points as the fuzz targets, then the cargo-fuzz targets themselves for a bounded time.

mod common;

use std::process::Command;

use common::*;
use wheelwright::archive::{read_bytes, Limits};
use wheelwright::check::{check_archive, Options};

/// xorshift64: reproducible mutations without a dependency.
fn rng(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

fn mutate(base: &[u8], seed: &mut u64) -> Vec<u8> {
    let mut v = base.to_vec();
    match rng(seed) % 3 {
        0 => v.truncate((rng(seed) as usize) % (base.len() + 1)),
        1 => {
            for _ in 0..1 + rng(seed) % 8 {
                let i = (rng(seed) as usize) % v.len().max(1);
                if let Some(b) = v.get_mut(i) {
                    *b ^= 1 << (rng(seed) % 8);
                }
            }
        }
        _ => {
            let i = (rng(seed) as usize) % v.len().max(1);
            let word = [0xff, 0xff, 0xff, 0x7f];
            for (k, b) in word.iter().enumerate() {
                if let Some(x) = v.get_mut(i + k) {
                    *x = *b;
                }
            }
        }
    }
    v
}

#[test]
fn mutated_inputs_never_panic() {
    let d = tmp_dir("mutations");
    let so = compile(&d, "m.so", &["RANDOM"], &[]);
    let wheel = std::fs::read(Spec::new(X86, &[("demo/m.so", &so)]).write(&d)).unwrap();
    let limits = Limits {
        max_member: 1 << 20,
        max_total: 4 << 20,
        max_metadata: 1 << 20,
        keep_elf_data: true,
        build_paths: Vec::new(),
    };
    let opts = Options {
        limits: limits.clone(),
        ..Options::default()
    };
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let (mut usable, mut unusable) = (0, 0);
    for _ in 0..3000 {
        let w = mutate(&wheel, &mut seed);
        match read_bytes(&w, &limits) {
            Ok(a) => {
                usable += 1;
                let r = check_archive(X86, &a, &opts);
                assert_eq!(r.ok, r.failures.is_empty());
            }
            Err(e) => {
                unusable += 1;
                assert!(!e.what.is_empty() && !e.fix.is_empty());
            }
        }
        let e = mutate(&so, &mut seed);
        let _ = wheelwright::elf::inspect("m.so", &e);
    }
    // Both paths were exercised.
    assert!(
        usable > 100 && unusable > 100,
        "usable {usable}, unusable {unusable}"
    );
}

/// Runs `fuzz/run.sh` (cargo-fuzz, each target for WW_FUZZ_SECONDS, default 10); it fails
/// with "cargo-fuzz is not installed" where it is missing. Set WW_SKIP_FUZZ=1 where the
/// fuzzers run separately (the offline suite's verifier stage runs fuzz/run.sh itself).
#[test]
fn cargo_fuzz_targets_run_bounded() {
    if std::env::var_os("WW_SKIP_FUZZ").is_some() {
        eprintln!("WW_SKIP_FUZZ set: cargo-fuzz run skipped");
        return;
    }
    let secs = std::env::var("WW_FUZZ_SECONDS").unwrap_or_else(|_| "10".into());
    let out = Command::new("bash")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/run.sh"))
        .env("FUZZ_SECONDS", secs)
        .output()
        .expect("run fuzz/run.sh");
    let log = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = log.lines().collect();
    assert!(
        out.status.success(),
        "fuzzing failed:\n{}",
        lines[lines.len().saturating_sub(40)..].join("\n")
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("no crash in any target"));
}
