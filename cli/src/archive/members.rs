//! Reading a run of members: each checked against the caps before it is inflated, then
//! inflated once, CRC-checked and hashed; ELF objects are inspected and searched for
//! build paths while their bytes are at hand.

use std::io::{Read, Seek};
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

use libdeflater::Decompressor;
use sha2::{Digest, Sha256};
use zip::{CompressionMethod, ZipArchive};

use super::{Limits, Member, ZIP_FIX};
use crate::elf;
use crate::error::Unusable;
use crate::leaks;

/// Members at least this large are hashed on a second thread while they are inspected.
const PARALLEL_HASH_MIN: usize = 4 << 20;

/// The members `range` of `zip`, each one's declared size added to `total`, which
/// [`Limits::max_total`] caps.
pub fn read_range<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    range: Range<usize>,
    limits: &Limits,
    total: &AtomicU64,
) -> Result<Vec<Member>, Unusable> {
    let mut members = Vec::with_capacity(range.len().min(1 << 16));
    // Buffers reused for the whole range: fresh allocations per member cost page faults.
    let mut raw = Vec::new();
    let mut out = Vec::new();
    let mut inflater = Decompressor::new();
    for i in range {
        let mut f = zip
            .by_index_raw(i)
            .map_err(|e| Unusable::new(format!("member #{i}: {e}"), ZIP_FIX))?;
        let name = f.name().to_string();
        let keep_meta = is_dist_info_file(&name);
        let cap = if keep_meta {
            limits.max_metadata.min(limits.max_member)
        } else {
            limits.max_member
        };
        let declared = f.size();
        // Sizes come from the central directory; checking them before inflating bounds
        // memory, and inflating into exactly `declared` bytes catches a lying header.
        if declared > cap {
            return Err(Unusable::new(
                format!("{name}: inflates to more than {cap} bytes (zip bomb?)"),
                "raise --max-member-size if the wheel is genuine",
            ));
        }
        if total.fetch_add(declared, Ordering::Relaxed) + declared > limits.max_total {
            return Err(Unusable::new(
                format!(
                    "archive inflates to more than {} bytes in total (zip bomb?)",
                    limits.max_total
                ),
                "raise --max-total-size if the wheel is genuine",
            ));
        }
        // Deflate expands incompressible data by a few bytes per 64 KiB block at most.
        let compressed = f.compressed_size();
        if compressed > declared + declared / 64 + 4096 {
            return Err(Unusable::new(
                format!("{name}: {compressed} compressed bytes cannot inflate to the declared {declared}"),
                ZIP_FIX,
            ));
        }
        let method = f.compression();
        let crc = f.crc32();
        raw.clear();
        (&mut f)
            .take(compressed)
            .read_to_end(&mut raw)
            .map_err(|e| Unusable::new(format!("{name}: cannot read: {e}"), ZIP_FIX))?;
        // `declared <= cap`, which the caller chose to fit in memory.
        let len = usize::try_from(declared).unwrap_or(usize::MAX);
        out.clear();
        match method {
            CompressionMethod::Stored => out.extend_from_slice(&raw),
            CompressionMethod::Deflated => {
                out.resize(len, 0);
                let n = inflater.deflate_decompress(&raw, &mut out).map_err(|e| {
                    Unusable::new(format!("{name}: cannot inflate: {e:?}"), ZIP_FIX)
                })?;
                out.truncate(n);
            }
            other => {
                return Err(Unusable::new(
                    format!("{name}: unsupported compression method {other}"),
                    "rebuild the wheel with deflate or stored members",
                ))
            }
        }
        if out.len() != len {
            return Err(Unusable::new(
                format!(
                    "{name}: holds {} bytes, the zip header says {declared}",
                    out.len()
                ),
                ZIP_FIX,
            ));
        }
        let is_elf = out.starts_with(b"\x7fELF");
        // ELF objects are inspected here, on the reader's thread, while their bytes are hot;
        // a large member is hashed on a second thread meanwhile.
        let analyse = || {
            let crc_ok = crc32fast::hash(&out) == crc;
            if is_elf {
                (
                    crc_ok,
                    Some(elf::inspect(&name, &out)),
                    leaks::find(&out, &limits.build_paths),
                )
            } else {
                (crc_ok, None, None)
            }
        };
        let (sha256, (crc_ok, elf_info, leak)) = if out.len() >= PARALLEL_HASH_MIN {
            std::thread::scope(|s| {
                let hasher = s.spawn(|| Sha256::digest(&out).into());
                let analysis = analyse();
                // Hashing a byte slice cannot panic; recompute inline if the thread was lost.
                (
                    hasher
                        .join()
                        .unwrap_or_else(|_| Sha256::digest(&out).into()),
                    analysis,
                )
            })
        } else {
            (Sha256::digest(&out).into(), analyse())
        };
        if !crc_ok {
            return Err(Unusable::new(format!("{name}: CRC-32 mismatch"), ZIP_FIX));
        }
        let keep = keep_meta || (is_elf && limits.keep_elf_data);
        members.push(Member {
            is_dir: f.is_dir(),
            is_symlink: f.is_symlink(),
            mode: f.unix_mode(),
            mtime: f.last_modified().map(|t| {
                format!(
                    "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
                    t.year(),
                    t.month(),
                    t.day(),
                    t.hour(),
                    t.minute(),
                    t.second()
                )
            }),
            compression: method.to_string(),
            size: declared,
            sha256,
            is_elf,
            elf: elf_info,
            leak,
            data: keep.then(|| out.clone()),
            name,
        });
    }
    Ok(members)
}

fn is_dist_info_file(name: &str) -> bool {
    match name.split_once('/') {
        Some((top, rest)) => top.ends_with(".dist-info") && !rest.is_empty() && !rest.contains('/'),
        None => false,
    }
}
