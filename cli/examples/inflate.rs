//! Baseline for the benchmark: only read and inflate every member of the given wheels,
//! the way `check` does (raw member bytes through libdeflate, single-threaded), with no
//! hashing, CRC or parsing, to show how close `check` gets to the cost of the I/O.

use std::fs::File;
use std::io::{BufReader, Read};

use anyhow::{bail, Context, Result};
use libdeflater::Decompressor;
use zip::CompressionMethod;

fn main() -> Result<()> {
    let mut total = 0usize;
    let mut inflater = Decompressor::new();
    let (mut raw, mut out) = (Vec::new(), Vec::new());
    for path in std::env::args().skip(1) {
        let f = File::open(&path).with_context(|| format!("open {path}"))?;
        let mut zip =
            zip::ZipArchive::new(BufReader::new(f)).with_context(|| format!("read {path}"))?;
        for i in 0..zip.len() {
            let mut m = zip
                .by_index_raw(i)
                .with_context(|| format!("{path}: member #{i}"))?;
            let size = usize::try_from(m.size())?;
            let method = m.compression();
            raw.clear();
            m.read_to_end(&mut raw)
                .with_context(|| format!("{path}: member #{i}"))?;
            total += match method {
                CompressionMethod::Stored => raw.len(),
                CompressionMethod::Deflated => {
                    out.resize(size, 0);
                    inflater
                        .deflate_decompress(&raw, &mut out)
                        .map_err(|e| anyhow::anyhow!("{path}: member #{i}: {e:?}"))?
                }
                other => bail!("{path}: member #{i}: unsupported method {other}"),
            };
        }
    }
    println!("{total}");
    Ok(())
}
