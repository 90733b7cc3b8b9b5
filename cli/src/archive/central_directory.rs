//! Member names as the central directory lists them, duplicates included (the zip crate
//! keeps one entry per name).

use std::io::{Read, Seek, SeekFrom};

/// Lists central-directory names straight from the end-of-central-directory record, because
/// the zip crate silently merges duplicate names. Returns `None` for zip64 or odd layouts,
/// in which case duplicates go undetected rather than failing the read.
pub fn central_directory_names<R: Read + Seek>(r: &mut R, file_size: u64) -> Option<Vec<String>> {
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
