//! What publish retries, and how it ends: 5xx and 429 answers, reads of the index that
//! fail, connections dropped mid-upload, answers lost to an upload that landed, and a
//! release left half-done that a second run completes.

use crate::common::index::{response, Index, Upload};
use crate::common::*;
use crate::{assert_output, assert_retried_once_then, post, release, READ};

#[test]
fn server_errors_and_429_are_retried_after_reading_the_index() {
    let (wheel, sdist) = release("publish_retry");
    let index = Index::start(true);
    index.script_uploads(vec![
        Upload::Answer(response("500 Internal Server Error", "", "boom")),
        Upload::Answer(response(
            "503 Service Unavailable",
            "Retry-After: 0\r\n",
            "",
        )),
        Upload::Answer(response(
            "429 Too Many Requests",
            "Retry-After: 0\r\n",
            "Too many new projects created",
        )),
    ]);
    let o = index.publish("legacy/", &[&wheel, &sdist]);
    let url = format!("{}legacy/", index.url);
    assert_output(
        &o,
        &format!(
            "retry {PURE}: {url} answered 500 Internal Server Error: boom; again in 1 s (attempt 2 of 5)\n\
             retry {PURE}: {url} answered 503 Service Unavailable; again in 0 s (attempt 3 of 5)\n\
             retry {PURE}: {url} answered 429 Too Many Requests: Too many new projects created; again in 0 s (attempt 4 of 5)\n\
             uploaded {PURE}\n\
             uploaded demo-1.0.tar.gz\n\
             demo 1.0: uploaded 2, 0 on the index already\n"
        ),
        0,
    );
    assert_eq!(index.held(), [PURE, "demo-1.0.tar.gz"]);
    let upload = post("/legacy/");
    assert_eq!(
        index.log(),
        [
            READ.into(),
            upload.clone(),
            READ.into(),
            upload.clone(),
            READ.into(),
            upload.clone(),
            READ.into(),
            upload.clone(),
            upload
        ]
    );
}

#[test]
fn retries_end() {
    let (wheel, _) = release("publish_retries_end");
    let index = Index::start(true);
    let unavailable = || {
        Upload::Answer(response(
            "503 Service Unavailable",
            "Retry-After: 0\r\n",
            "",
        ))
    };
    index.script_uploads((0..5).map(|_| unavailable()).collect());
    let o = index.publish("legacy/", &[&wheel]);
    let url = format!("{}legacy/", index.url);
    let mut expected = String::new();
    for attempt in 2..=5 {
        expected.push_str(&format!(
            "retry {PURE}: {url} answered 503 Service Unavailable; again in 0 s (attempt {attempt} of 5)\n"
        ));
    }
    expected.push_str(&format!(
        "error: uploading {PURE}: {url} answered 503 Service Unavailable (5 attempts); run publish again once that is fixed: what was uploaded is skipped\n"
    ));
    assert_output(&o, &expected, 1);
    assert!(index.held().is_empty());
    assert_eq!(index.log().len(), 10);
}

#[test]
fn a_retry_after_too_long_ends_the_run() {
    let (wheel, _) = release("publish_retry_after_long");
    let index = Index::start(true);
    index.script_uploads(vec![Upload::Answer(response(
        "429 Too Many Requests",
        "Retry-After: 3600\r\n",
        "",
    ))]);
    let o = index.publish("legacy/", &[&wheel]);
    assert_output(
        &o,
        &format!(
            "error: uploading {PURE}: {}legacy/ answered 429 Too Many Requests, and asks for 3600 s before a retry, longer than publish waits (300 s); run publish again once that is fixed: what was uploaded is skipped\n",
            index.url
        ),
        1,
    );
    assert_eq!(index.log(), [READ.into(), post("/legacy/")]);
}

#[test]
fn an_index_read_answered_503_is_retried() {
    let (wheel, _) = release("publish_read_retry");
    let index = Index::start(true);
    index.script_reads(vec![response(
        "503 Service Unavailable",
        "Retry-After: 0\r\n",
        "",
    )]);
    let o = index.publish("legacy/", &[&wheel]);
    assert_output(
        &o,
        &format!(
            "retry {}simple/demo/: {}simple/demo/ answered 503 Service Unavailable; again in 0 s (attempt 2 of 5)\n\
             uploaded {PURE}\ndemo 1.0: uploaded 1, 0 on the index already\n",
            index.url, index.url
        ),
        0,
    );
    assert_eq!(index.held(), [PURE]);
}

#[test]
fn a_connection_dropped_mid_upload_is_retried() {
    let (wheel, _) = release("publish_dropped");
    let index = Index::start(true);
    index.script_uploads(vec![Upload::DropMidBody]);
    let o = index.publish("legacy/", &[&wheel]);
    assert_retried_once_then(
        &o,
        &index,
        [
            format!("uploaded {PURE}"),
            "demo 1.0: uploaded 1, 0 on the index already".into(),
        ],
    );
    assert_eq!(index.held(), [PURE]);
    assert_eq!(
        index.log(),
        [READ.into(), post("/legacy/"), READ.into(), post("/legacy/")]
    );
}

#[test]
fn a_second_run_completes_a_release_left_half_done() {
    let (wheel, sdist) = release("publish_half_done");
    let index = Index::start(true);
    let unavailable = || {
        Upload::Answer(response(
            "503 Service Unavailable",
            "Retry-After: 0\r\n",
            "",
        ))
    };
    index.script_uploads(
        std::iter::once(Upload::Keep)
            .chain((0..5).map(|_| unavailable()))
            .collect(),
    );
    let o = index.publish("legacy/", &[&wheel, &sdist]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.starts_with(&format!("uploaded {PURE}\n")), "{out}");
    assert!(
        out.ends_with("answered 503 Service Unavailable (5 attempts); run publish again once that is fixed: what was uploaded is skipped\n"),
        "{out}"
    );
    // the wheel is on the index whole, the sdist not at all
    assert_eq!(index.held(), [PURE]);
    assert_eq!(index.content(PURE), std::fs::read(&wheel).ok());
    let again = index.publish("legacy/", &[&wheel, &sdist]);
    assert_output(
        &again,
        &format!(
            "skip {PURE}: the index has it, identical\n\
             uploaded demo-1.0.tar.gz\n\
             demo 1.0: uploaded 1, 1 on the index already\n"
        ),
        0,
    );
    assert_eq!(index.held(), [PURE, "demo-1.0.tar.gz"]);
}

#[test]
fn an_upload_that_landed_is_not_sent_again() {
    let (wheel, _) = release("publish_landed");
    let index = Index::start(true);
    index.script_uploads(vec![Upload::KeepAndDrop]);
    let o = index.publish("legacy/", &[&wheel]);
    assert_retried_once_then(
        &o,
        &index,
        [
            format!("uploaded {PURE}: the index holds it, though its answer was lost"),
            "demo 1.0: uploaded 1, 0 on the index already".into(),
        ],
    );
    assert_eq!(index.held(), [PURE]);
    // One upload: the retry read the index and found the file there.
    assert_eq!(index.log(), [READ.into(), post("/legacy/"), READ.into()]);
}
