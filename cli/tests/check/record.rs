//! RECORD against the members: hashes, sizes, algorithms, malformed rows, members it
//! leaves out and rows of members that are gone.

use crate::common::*;
use crate::{failure, run};

#[test]
fn tampered_record_hash_and_size() {
    let d = tmp_dir("tampered");
    let mut s = Spec::new(PURE, &pure_files());
    s.record_edit = Box::new(|r| {
        r.replacen("sha256=", "sha256=AAAA", 1)
            .replacen(",12\n", ",13\n", 1)
    });
    let r = run(&s.write(&d));
    assert!(failure(&r, "record.hash", "demo/__init__.py").contains("does not match"));
    assert!(failure(&r, "record.size", "demo/__init__.py")
        .contains("RECORD says \"13\" bytes, the member has 12"));
    assert!(!r.ok);
}

#[test]
fn weak_hash_and_malformed_record() {
    let d = tmp_dir("weak_hash");
    let mut s = Spec::new(PURE, &pure_files());
    s.record_edit = Box::new(|r| r.replacen("sha256=", "md5=", 1));
    let r = run(&s.write(&d));
    assert!(failure(&r, "record.algorithm", "demo/__init__.py").contains("\"md5\""));
    s.record_edit = Box::new(|r| format!("{r}only,two\n"));
    let r = run(&s.write(&d));
    assert!(failure(&r, "record.malformed", "demo-1.0.dist-info/RECORD")
        .contains("2 fields, expected 3"));
}

#[test]
fn unlisted_and_stale_members() {
    let d = tmp_dir("unlisted");
    let mut s = Spec::new(PURE, &pure_files());
    s.unlisted = vec![("demo/extra.py".into(), b"x = 1\n".to_vec())];
    s.record_edit = Box::new(|r| format!("demo/gone.py,sha256=x,1\n{r}"));
    let r = run(&s.write(&d));
    assert!(failure(&r, "record.unlisted", "demo/extra.py").contains("not in RECORD"));
    assert!(failure(&r, "record.stale", "demo/gone.py").contains("not in the archive"));
}
