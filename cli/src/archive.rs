//! Reading a wheel's zip archive with bounded memory: every member is inflated once (by
//! libdeflate, into a buffer of the size the zip header declares, which the caps bound),
//! CRC-checked and hashed; ELF objects are inspected on the way; only `.dist-info` files
//! (and, for `diff`, ELF bytes) are kept.

mod central_directory;
mod members;

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use zip::ZipArchive;

use crate::elf::ElfInfo;
use crate::error::Unusable;
use central_directory::central_directory_names;
use members::read_range;

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
