//! Wheels judged unusable, an error rather than rule failures: zip bombs and RECORDs
//! over the limits, a truncated zip, a zip header that lies about a member's size.

use wheelwright::archive::Limits;
use wheelwright::check::{check_file, Options};

use crate::common::*;
use crate::{rules, run};

#[test]
fn zip_bomb_is_bounded() {
    let d = tmp_dir("bomb");
    let zeros = vec![0u8; 32 << 20];
    let path = Spec::new(PURE, &[("demo/bomb.bin", &zeros)]).write(&d);
    assert!(std::fs::metadata(&path).unwrap().len() < 1 << 20);
    let small = Options {
        limits: Limits {
            max_member: 1 << 20,
            ..Limits::default()
        },
        ..Options::default()
    };
    let e = check_file(&path, &small).unwrap_err();
    assert_eq!(
        e.what,
        "demo/bomb.bin: inflates to more than 1048576 bytes (zip bomb?)"
    );
    assert!(e.fix.contains("--max-member-size"));
    let total = Options {
        limits: Limits {
            max_total: 4 << 20,
            ..Limits::default()
        },
        ..Options::default()
    };
    let e = check_file(&path, &total).unwrap_err();
    assert!(
        e.what.contains("more than 4194304 bytes in total"),
        "{}",
        e.what
    );
}

#[test]
fn huge_record() {
    let d = tmp_dir("huge_record");
    let mut s = Spec::new(PURE, &pure_files());
    s.record_edit = Box::new(|r| {
        let mut big = r;
        for i in 0..100_000 {
            big.push_str(&format!("demo/missing_{i}.py,sha256=AAAA,1\n"));
        }
        big
    });
    let path = s.write(&d);
    // Within limits: judged, every phantom row reported, in bounded time.
    let r = run(&path);
    assert_eq!(
        rules(&r).iter().filter(|&&x| x == "record.stale").count(),
        100_000
    );
    // Over the metadata cap: a clear error instead of parsing it.
    let capped = Options {
        limits: Limits {
            max_metadata: 1 << 20,
            ..Limits::default()
        },
        ..Options::default()
    };
    let e = check_file(&path, &capped).unwrap_err();
    assert!(
        e.what
            .starts_with("demo-1.0.dist-info/RECORD: inflates to more than 1048576 bytes"),
        "{}",
        e.what
    );
}

#[test]
fn truncated_zip_is_unusable() {
    let d = tmp_dir("trunc_zip");
    let path = Spec::new(PURE, &pure_files()).write(&d);
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let e = check_file(&path, &Options::default()).unwrap_err();
    assert!(
        e.what.starts_with("not a readable zip archive"),
        "{}",
        e.what
    );
}

/// Sets the uncompressed size of `name` in its local and central headers.
fn patch_declared_size(bytes: &mut [u8], name: &[u8], size: u32) {
    for i in 0..bytes.len().saturating_sub(46 + name.len()) {
        let (sig, size_at, name_at) = match &bytes[i..i + 4] {
            b"PK\x03\x04" => (true, 22, 30),
            b"PK\x01\x02" => (true, 24, 46),
            _ => (false, 0, 0),
        };
        if sig && &bytes[i + name_at..i + name_at + name.len()] == name {
            bytes[i + size_at..i + size_at + 4].copy_from_slice(&size.to_le_bytes());
        }
    }
}

#[test]
fn lying_size_header_is_unusable() {
    let d = tmp_dir("lying_size");
    let big = vec![b'a'; 10_000];
    let path = Spec::new(PURE, &[("demo/big.txt", &big)]).write(&d);
    let mut bytes = std::fs::read(&path).unwrap();
    patch_declared_size(&mut bytes, b"demo/big.txt", 100);
    std::fs::write(&path, &bytes).unwrap();
    let e = check_file(&path, &Options::default()).unwrap_err();
    assert!(
        e.what.starts_with("demo/big.txt: cannot inflate"),
        "{}",
        e.what
    );
    patch_declared_size(&mut bytes, b"demo/big.txt", 20_000);
    std::fs::write(&path, &bytes).unwrap();
    let e = check_file(&path, &Options::default()).unwrap_err();
    assert_eq!(
        e.what,
        "demo/big.txt: holds 10000 bytes, the zip header says 20000"
    );
}
