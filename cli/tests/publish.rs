//! `wheelwright publish` against an index on loopback (tests/common/index.rs) that
//! fails the way indexes fail: it refuses an upload early and closes the connection, it
//! refuses the token, it answers 5xx or 429, it drops the connection mid-upload, it
//! loses its answer to an upload that landed, it redirects, it fails a release half-way
//! (which a second run completes). Each test asserts the exact output, the exit code, and
//! what the index ended up holding.

mod common;

#[path = "publish/attestations.rs"]
mod attestations;
#[path = "publish/redirects.rs"]
mod redirects;
#[path = "publish/refused.rs"]
mod refused;
#[path = "publish/retries.rs"]
mod retries;

use std::path::PathBuf;
use std::process::Output;

use common::index::Index;
use common::*;

/// The release most tests publish: the pure wheel and the sdist of demo 1.0.
fn release(test: &str) -> (PathBuf, PathBuf) {
    let dir = tmp_dir(test);
    let wheel = Spec::new(PURE, &pure_files()).write(&dir);
    let sdist = write_sdist(&dir, "demo-1.0", DEMO_PKG_INFO);
    (wheel, sdist)
}

fn assert_output(o: &Output, stdout_text: &str, code: i32) {
    assert_eq!(stdout(o), stdout_text);
    assert_eq!(stderr(o), "");
    assert_eq!(o.status.code(), Some(code));
}

/// The request line of a read of demo's page; [`post`] gives an upload's.
const READ: &str = "GET /simple/demo/ HTTP/1.1";
/// The request line of an upload to `path`.
fn post(path: &str) -> String {
    format!("POST {path} HTTP/1.1")
}

/// Asserts one retry of the upload of [`PURE`] after the index did not answer, then
/// `then`, and exit 0.
fn assert_retried_once_then(o: &Output, index: &Index, then: [String; 2]) {
    let out = stdout(o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    let retry = format!("retry {PURE}: {}legacy/ did not answer: ", index.url);
    assert!(
        lines[0].starts_with(&retry) && lines[0].ends_with("; again in 1 s (attempt 2 of 5)"),
        "{out}"
    );
    assert_eq!(lines[1..], then);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn wheels_go_up_before_the_sdist() {
    let (wheel, sdist) = release("publish_order");
    let index = Index::start(true);
    let o = index.publish("legacy/", &[&sdist, &wheel]);
    assert_output(
        &o,
        &format!("uploaded {PURE}\nuploaded demo-1.0.tar.gz\ndemo 1.0: uploaded 2, 0 on the index already\n"),
        0,
    );
    assert_eq!(
        index.held(),
        ["demo-1.0-py3-none-any.whl", "demo-1.0.tar.gz"]
    );
    assert_eq!(
        index.content("demo-1.0.tar.gz"),
        Some(std::fs::read(&sdist).unwrap())
    );
    assert_eq!(
        index.log(),
        [READ.into(), post("/legacy/"), post("/legacy/")]
    );
}
