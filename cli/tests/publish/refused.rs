//! Uploads the index refuses, reported as it answered and not retried: an answer sent
//! before the body was read, a token refused for the project, any other 4xx.

use std::path::{Path, PathBuf};

use crate::common::index::{response, Index, Upload};
use crate::common::*;
use crate::{assert_output, post, release, READ};

/// Bigger than what loopback sockets buffer between the client and a server that does
/// not read, so the upload cannot be written whole before the server's reset arrives.
const BIG: usize = 24 << 20;

/// A valid pure wheel of more than `BIG` bytes.
fn big_wheel(dir: &Path) -> PathBuf {
    let padding = vec![0u8; BIG];
    let mut files = pure_files();
    files.push(("demo/padding.bin", &padding));
    let mut spec = Spec::new(PURE, &files);
    spec.stored = true;
    let wheel = spec.write(dir);
    let size = std::fs::metadata(&wheel).expect("wheel written").len();
    assert!(size > BIG as u64, "the wheel is {size} bytes");
    wheel
}

/// Publishes the big wheel to an index that answers `answer` once it has read the
/// upload's headers and closes the connection without reading the body: publish must
/// report that answer, not the failed write; `what` is what the line says to do.
fn refused_early(test: &str, answer: String, said: &str, what: &str) {
    let wheel = big_wheel(&tmp_dir(test));
    let index = Index::start(false);
    index.script_uploads(vec![Upload::AnswerEarly(answer)]);
    let o = index.publish("legacy/", &[&wheel]);
    assert_output(
        &o,
        &format!(
            "error: uploading {PURE}: {}legacy/ answered {said}; {what}: what was uploaded is skipped\n",
            index.url
        ),
        1,
    );
    assert_eq!(index.log(), [READ.into(), post("/legacy/")]);
    assert!(index.held().is_empty());
}

#[test]
fn an_early_405_is_reported_not_the_broken_pipe() {
    refused_early(
        "publish_early_405",
        response("405 Method Not Allowed", "Allow: GET\r\n", ""),
        "405 Method Not Allowed",
        "run publish again once that is fixed",
    );
}

#[test]
fn an_early_403_is_reported_with_its_body() {
    let body = "Invalid or non-existent authentication information.\n";
    refused_early(
        "publish_early_403",
        response("403 Forbidden", "Content-Type: text/plain\r\n", body),
        "403 Forbidden: Invalid or non-existent authentication information.",
        "the index refuses these credentials for demo: use a token allowed to upload it (or its trusted publisher), then run publish again",
    );
}

/// warehouse's answer to a token of another project (forklift/legacy.py).
const NOT_ALLOWED: &str = "The user 'someone' isn't allowed to upload to project 'demo'. See https://pypi.org/help/#project-name for more information.";

#[test]
fn a_token_refused_for_the_project_stops_everything() {
    let (wheel, sdist) = release("publish_403");
    let index = Index::start(true);
    index.script_uploads(vec![Upload::Answer(response(
        "403 Forbidden",
        "Content-Type: text/plain\r\n",
        NOT_ALLOWED,
    ))]);
    let o = index.publish("legacy/", &[&wheel, &sdist]);
    assert_output(
        &o,
        &format!(
            "error: uploading {PURE}: {}legacy/ answered 403 Forbidden: {NOT_ALLOWED}; the index refuses these credentials for demo: use a token allowed to upload it (or its trusted publisher), then run publish again: what was uploaded is skipped\n",
            index.url
        ),
        1,
    );
    assert!(index.held().is_empty());
    assert_eq!(index.log(), [READ.into(), post("/legacy/")]);
}

#[test]
fn other_4xx_answers_are_not_retried() {
    let (wheel, _) = release("publish_400");
    let index = Index::start(true);
    let said = "Invalid value for classifiers.";
    index.script_uploads(vec![Upload::Answer(response("400 Bad Request", "", said))]);
    let o = index.publish("legacy/", &[&wheel]);
    assert_output(
        &o,
        &format!(
            "error: uploading {PURE}: {}legacy/ answered 400 Bad Request: {said}; run publish again once that is fixed: what was uploaded is skipped\n",
            index.url
        ),
        1,
    );
    assert_eq!(index.log(), [READ.into(), post("/legacy/")]);
}
