//! The zip's members: unsafe names, duplicates, symbolic links, empty directories, and
//! the archive rules that hold without a .dist-info directory.

use crate::common::*;
use crate::{failure, run};

#[test]
fn unsafe_names() {
    let d = tmp_dir("unsafe");
    let s = Spec::new(
        PURE,
        &[
            ("../evil.py", b"1".as_slice()),
            ("/etc/evil.py", b"2"),
            ("demo\\win.py", b"3"),
        ],
    );
    let r = run(&s.write(&d));
    assert!(failure(&r, "archive.unsafe-path", "../evil.py").contains("`..`"));
    assert!(failure(&r, "archive.unsafe-path", "/etc/evil.py").contains("absolute"));
    assert!(failure(&r, "archive.unsafe-path", "demo\\win.py").contains("backslash"));
}

#[test]
fn duplicate_member() {
    let d = tmp_dir("duplicate");
    let s = Spec::new(PURE, &[("demo/a.py", b"1".as_slice()), ("demo/b.py", b"2")]);
    let path = s.write(&d);
    // The zip writer refuses duplicates, so rename b.py to a.py in place (same length).
    let mut out = std::fs::read(&path).unwrap();
    let needle = b"demo/b.py";
    let mut i = 0;
    while i + needle.len() <= out.len() {
        if &out[i..i + needle.len()] == needle {
            out[i + 5] = b'a';
        }
        i += 1;
    }
    std::fs::write(&path, out).unwrap();
    let r = run(&path);
    assert!(failure(&r, "archive.duplicate", "demo/a.py").contains("more than once"));
}

#[test]
fn symlink_and_empty_dir() {
    let d = tmp_dir("symlink");
    let mut s = Spec::new(PURE, &pure_files());
    s.symlinks = vec![("demo/link.py".into(), "__init__.py".into())];
    s.empty_dirs = vec!["demo/empty/".into()];
    let r = run(&s.write(&d));
    assert!(failure(&r, "archive.symlink", "demo/link.py").contains("symbolic link"));
    assert!(failure(&r, "archive.empty-dir", "demo/empty/").contains("empty directory"));
}

#[test]
fn archive_rules_apply_without_dist_info() {
    let d = tmp_dir("no_dist_info");
    let path = d.join(PURE);
    let mut z = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    z.start_file("../x.py", zip::write::SimpleFileOptions::default())
        .unwrap();
    z.finish().unwrap();
    let r = run(&path);
    assert!(failure(&r, "dist-info.layout", "*.dist-info").contains("no .dist-info directory"));
    assert!(failure(&r, "archive.unsafe-path", "../x.py").contains("`..`"));
}
