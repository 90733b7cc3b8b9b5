//! Reading a wheel's zip archive with bounded memory: every member is inflated once (by
//! libdeflate, into a buffer of the size the zip header declares, which the caps bound),
//! CRC-checked and hashed; ELF objects are inspected on the way; only `.dist-info` files
//! (and, for `diff`, ELF bytes) are kept.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use libdeflater::Decompressor;
use sha2::{Digest, Sha256};
use zip::{CompressionMethod, ZipArchive};

use crate::elf::{self, ElfInfo};
use crate::error::Unusable;
use crate::leaks;

const ZIP_FIX: &str =
    "the file is truncated or not a zip archive; re-download or rebuild the wheel";

/// How much a read may inflate and keep, so a zip bomb ends in an error instead of
/// exhausting memory, and which build directories it looks for in ELF objects.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest inflated size of any one member.
    pub max_member: u64,
    /// Largest inflated size of all members together.
    pub max_total: u64,
    /// Largest `.dist-info` file (RECORD, METADATA, WHEEL) kept for parsing.
    pub max_metadata: u64,
    /// Keep ELF content after it has been inspected (`diff` compares sections); `check`
    /// drops it so memory stays bounded by the largest ELF object per reader thread.
    pub keep_elf_data: bool,
    /// Directories the build ran in, looked for in ELF objects besides the usual needles.
    pub build_paths: Vec<String>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_member: 2 << 30,
            max_total: 8 << 30,
            max_metadata: 64 << 20,
            keep_elf_data: false,
            build_paths: Vec::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Member {
    pub name: String,
    pub is_dir: bool,
    pub is_symlink: bool,
    pub mode: Option<u32>,
    /// Zip DOS timestamp as `YYYY-MM-DD HH:MM:SS`.
    pub mtime: Option<String>,
    pub compression: String,
    pub size: u64,
    pub sha256: [u8; 32],
    pub is_elf: bool,
    /// For ELF objects: what goblin found, or why it could not parse the object.
    pub elf: Option<Result<ElfInfo, String>>,
    /// For ELF objects: the first leaked build path, if any.
    pub leak: Option<String>,
    /// Content of `.dist-info` files, and of ELF objects with `keep_elf_data`.
    pub data: Option<Vec<u8>>,
}

#[derive(Debug)]
pub struct Archive {
    pub members: Vec<Member>,
    /// Member names as listed in the central directory, duplicates included
    /// (the zip crate keeps only one entry per name).
    pub raw_names: Vec<String>,
    /// Compressed (file) size and total inflated size, in bytes.
    pub file_size: u64,
    pub inflated_size: u64,
}

impl Archive {
    pub fn get(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }

    /// Names that occur more than once in the central directory.
    pub fn duplicate_names(&self) -> Vec<&str> {
        let mut seen = std::collections::HashSet::new();
        let mut dups = Vec::new();
        for n in &self.raw_names {
            if !seen.insert(n.as_str()) && !dups.contains(&n.as_str()) {
                dups.push(n.as_str());
            }
        }
        dups
    }
}

pub fn read_archive(path: &Path, limits: &Limits) -> Result<Archive, Unusable> {
    let open = || -> Result<BufReader<File>, Unusable> {
        let file = File::open(path).map_err(|e| {
            Unusable::new(
                format!("cannot open: {e}"),
                "check the path and permissions",
            )
        })?;
        Ok(BufReader::new(file))
    };
    let mut reader = open()?;
    let file_size = reader
        .get_ref()
        .metadata()
        .map_err(|e| Unusable::new(format!("cannot stat: {e}"), "check the path"))?
        .len();
    let raw_names = central_directory_names(&mut reader, file_size).unwrap_or_default();
    let mut zip = open_zip(open()?)?;
    // Members are split into contiguous runs of similar compressed size, one per core:
    // inflating and hashing dominate, and each worker reads through its own file handle.
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(4);
    let ranges = split_by_size(&mut zip, workers);
    let total = AtomicU64::new(0);
    let results: Vec<Result<Vec<Member>, Unusable>> = if ranges.len() <= 1 {
        let all = 0..zip.len();
        vec![read_range(&mut zip, all, limits, &total)]
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = ranges
                .into_iter()
                .map(|r| {
                    let total = &total;
                    s.spawn(move || read_range(&mut open_zip(open()?)?, r, limits, total))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(Unusable::new("a reader thread failed", ZIP_FIX)))
                })
                .collect()
        })
    };
    let mut members = Vec::with_capacity(zip.len().min(1 << 16));
    for r in results {
        members.extend(r?);
    }
    Ok(finish(members, raw_names, file_size, &total))
}

/// Reads an archive held in memory (the fuzz target's entry point).
pub fn read_bytes(data: &[u8], limits: &Limits) -> Result<Archive, Unusable> {
    let mut cursor = std::io::Cursor::new(data);
    let raw_names = central_directory_names(&mut cursor, data.len() as u64).unwrap_or_default();
    let mut zip = open_zip(cursor)?;
    let total = AtomicU64::new(0);
    let all = 0..zip.len();
    let members = read_range(&mut zip, all, limits, &total)?;
    Ok(finish(members, raw_names, data.len() as u64, &total))
}

fn open_zip<R: Read + Seek>(reader: R) -> Result<ZipArchive<R>, Unusable> {
    ZipArchive::new(reader)
        .map_err(|e| Unusable::new(format!("not a readable zip archive: {e}"), ZIP_FIX))
}

fn finish(
    members: Vec<Member>,
    raw_names: Vec<String>,
    file_size: u64,
    total: &AtomicU64,
) -> Archive {
    let raw_names = if raw_names.is_empty() {
        members.iter().map(|m| m.name.clone()).collect()
    } else {
        raw_names
    };
    Archive {
        members,
        raw_names,
        file_size,
        inflated_size: total.load(Ordering::Relaxed),
    }
}

/// Cuts `0..len` into at most `n` contiguous ranges of roughly equal compressed size.
fn split_by_size<R: Read + Seek>(zip: &mut ZipArchive<R>, n: usize) -> Vec<Range<usize>> {
    let sizes: Vec<u64> = (0..zip.len())
        .map(|i| zip.by_index_raw(i).map_or(0, |f| f.compressed_size()))
        .collect();
    let sum: u64 = sizes.iter().sum();
    let share = sum / n.max(1) as u64 + 1;
    let mut ranges = Vec::new();
    let (mut start, mut acc) = (0, 0u64);
    for (i, s) in sizes.iter().enumerate() {
        acc += s;
        if acc >= share && ranges.len() + 1 < n {
            ranges.push(start..i + 1);
            start = i + 1;
            acc = 0;
        }
    }
    if start < sizes.len() {
        ranges.push(start..sizes.len());
    }
    ranges
}

/// Members at least this large are hashed on a second thread while they are inspected.
const PARALLEL_HASH_MIN: usize = 4 << 20;

fn read_range<R: Read + Seek>(
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

/// Lists central-directory names straight from the end-of-central-directory record, because
/// the zip crate silently merges duplicate names. Returns `None` for zip64 or odd layouts,
/// in which case duplicates go undetected rather than failing the read.
fn central_directory_names<R: Read + Seek>(r: &mut R, file_size: u64) -> Option<Vec<String>> {
    let tail_len = file_size.min(22 + 65535);
    r.seek(SeekFrom::Start(file_size - tail_len)).ok()?;
    let mut tail = vec![0u8; usize::try_from(tail_len).ok()?];
    r.read_exact(&mut tail).ok()?;
    let pos = (0..tail.len().saturating_sub(21))
        .rev()
        .find(|&i| tail[i..].starts_with(b"PK\x05\x06"))?;
    let eocd = &tail[pos..];
    let le32 = |b: &[u8], o: usize| -> Option<u32> {
        Some(u32::from_le_bytes(b.get(o..o + 4)?.try_into().ok()?))
    };
    let le16 = |b: &[u8], o: usize| -> Option<u16> {
        Some(u16::from_le_bytes(b.get(o..o + 2)?.try_into().ok()?))
    };
    let cd_size = u64::from(le32(eocd, 12)?);
    let cd_offset = u64::from(le32(eocd, 16)?);
    if cd_offset == 0xFFFF_FFFF || cd_offset.checked_add(cd_size)? > file_size {
        return None;
    }
    r.seek(SeekFrom::Start(cd_offset)).ok()?;
    let mut cd = vec![0u8; usize::try_from(cd_size).ok()?];
    r.read_exact(&mut cd).ok()?;
    let mut names = Vec::new();
    let mut off = 0usize;
    while off + 46 <= cd.len() && cd[off..].starts_with(b"PK\x01\x02") {
        let flags = le16(&cd, off + 8)?;
        let n = usize::from(le16(&cd, off + 28)?);
        let e = usize::from(le16(&cd, off + 30)?);
        let c = usize::from(le16(&cd, off + 32)?);
        let raw = cd.get(off + 46..off + 46 + n)?;
        // Bit 11 marks UTF-8; wheels are written that way, others are decoded lossily.
        let name = if flags & 0x800 != 0 {
            String::from_utf8_lossy(raw).into_owned()
        } else {
            raw.iter().map(|&b| char::from(b)).collect()
        };
        names.push(name);
        off += 46 + n + e + c;
    }
    Some(names)
}
