//! Baseline for the benchmark: only read and inflate every member of the given wheels
//! (no hashing, no parsing), to show how close `check` gets to the cost of the I/O.

use std::fs::File;
use std::io::{self, BufReader};

use anyhow::{Context, Result};

fn main() -> Result<()> {
    let mut total = 0u64;
    for path in std::env::args().skip(1) {
        let f = File::open(&path).with_context(|| format!("open {path}"))?;
        let mut zip =
            zip::ZipArchive::new(BufReader::new(f)).with_context(|| format!("read {path}"))?;
        for i in 0..zip.len() {
            let mut m = zip
                .by_index(i)
                .with_context(|| format!("{path}: member #{i}"))?;
            total += io::copy(&mut m, &mut io::sink())
                .with_context(|| format!("{path}: inflate member #{i}"))?;
        }
    }
    println!("{total}");
    Ok(())
}
