//! `wheelwright publish` against an index on loopback (tests/common/index.rs) that
//! fails the way indexes fail: it refuses an upload early and closes the connection, it
//! refuses the token, it answers 5xx or 429, it drops the connection mid-upload, it
//! loses its answer to an upload that landed, it redirects, it fails a release half-way
//! (which a second run completes). Each test asserts the exact output, the exit code, and
//! what the index ended up holding.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::index::{response, Index, Upload};
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

#[test]
fn reading_the_index_follows_redirects() {
    let (wheel, _) = release("publish_read_redirect");
    let index = Index::start(true);
    index.hold(PURE, &std::fs::read(&wheel).unwrap());
    index.redirect("/simple/demo/", "301 Moved Permanently", "/moved/demo/");
    let o = index.publish("legacy/", &[&wheel]);
    assert_output(
        &o,
        &format!("skip {PURE}: the index has it, identical\ndemo 1.0: 0 to upload, 1 on the index already\n"),
        0,
    );
    assert_eq!(index.log(), [READ, "GET /moved/demo/ HTTP/1.1"]);
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
fn an_upload_is_not_redirected() {
    let (wheel, _) = release("publish_upload_redirect");
    let index = Index::start(true);
    index.redirect("/legacy/", "302 Found", "http://127.0.0.1:9/elsewhere/");
    let o = index.publish("legacy/", &[&wheel]);
    assert_output(
        &o,
        &format!(
            "error: uploading {PURE}: {}legacy/ answered 302 Found (redirected to http://127.0.0.1:9/elsewhere/: pass that as --repository-url); run publish again once that is fixed: what was uploaded is skipped\n",
            index.url
        ),
        1,
    );
    assert_eq!(index.log(), [READ.into(), post("/legacy/")]);
    assert!(index.held().is_empty());
}

#[test]
fn a_repository_url_without_its_trailing_slash() {
    let (wheel, sdist) = release("publish_no_slash");
    let index = Index::start(true);
    // As warehouse answers a POST to /legacy.
    index.redirect("/legacy", "308 Permanent Redirect", "/legacy/");
    let o = index.publish("legacy", &[&wheel, &sdist]);
    assert_output(
        &o,
        &format!("uploaded {PURE}\nuploaded demo-1.0.tar.gz\ndemo 1.0: uploaded 2, 0 on the index already\n"),
        0,
    );
    assert_eq!(index.held(), [PURE, "demo-1.0.tar.gz"]);
    assert_eq!(
        index.log(),
        [
            READ.into(),
            post("/legacy"),
            post("/legacy/"),
            post("/legacy/")
        ]
    );
}

/// The `attestations` field the index received with `file_name`, read as JSON.
fn received(index: &Index, file_name: &str) -> Option<serde_json::Value> {
    index
        .attestations(file_name)
        .map(|field| serde_json::from_str(&field).expect("the field is JSON"))
}

#[test]
fn attestations_go_up_with_their_file() {
    let (wheel, sdist) = release("publish_attestations");
    let publish = attestation_of(&wheel, PUBLISH_V1);
    let slsa = attestation_of(&wheel, SLSA_V1);
    let sdist_publish = attestation_of(&sdist, PUBLISH_V1);
    write_attestation(&wheel, "slsa", &slsa.to_string());
    write_attestation(&wheel, "publish", &publish.to_string());
    write_attestation(&sdist, "publish", &sdist_publish.to_string());
    let index = Index::start(true);
    // The directory: the attestations are neither uploaded as files nor skipped.
    let dir = wheel.parent().unwrap();
    let o = index.publish("legacy/", &[dir]);
    assert_output(
        &o,
        &format!(
            "uploaded {PURE} with 2 attestations\n\
             uploaded demo-1.0.tar.gz with 1 attestation\n\
             demo 1.0: uploaded 2 with 3 attestations, 0 on the index already\n"
        ),
        0,
    );
    assert_eq!(index.held(), [PURE, "demo-1.0.tar.gz"]);
    // In the order of their file names: publish, then slsa.
    assert_eq!(
        received(&index, PURE),
        Some(serde_json::json!([publish, slsa]))
    );
    assert_eq!(
        received(&index, "demo-1.0.tar.gz"),
        Some(serde_json::json!([sdist_publish]))
    );
    assert_eq!(
        index.log(),
        [READ.into(), post("/legacy/"), post("/legacy/")]
    );
}

#[test]
fn a_file_without_attestations_sends_no_field() {
    let (wheel, sdist) = release("publish_attestations_none");
    let publish = attestation_of(&wheel, PUBLISH_V1);
    write_attestation(&wheel, "publish", &publish.to_string());
    let index = Index::start(true);
    let o = index.publish("legacy/", &[&wheel, &sdist]);
    assert_output(
        &o,
        &format!(
            "uploaded {PURE} with 1 attestation\n\
             uploaded demo-1.0.tar.gz\n\
             demo 1.0: uploaded 2 with 1 attestation, 0 on the index already\n"
        ),
        0,
    );
    assert_eq!(index.held(), [PURE, "demo-1.0.tar.gz"]);
    // The field is the attestation file's object, sent compact.
    assert_eq!(index.attestations(PURE), Some(format!("[{publish}]")));
    assert_eq!(index.attestations("demo-1.0.tar.gz"), None);
}

#[test]
fn a_dry_run_counts_the_attestations() {
    let (wheel, sdist) = release("publish_attestations_dry_run");
    write_attestation(
        &wheel,
        "publish",
        &attestation_of(&wheel, PUBLISH_V1).to_string(),
    );
    write_attestation(&wheel, "slsa", &attestation_of(&wheel, SLSA_V1).to_string());
    let index = Index::start(true);
    let o = index.publish_with("legacy/", &["--dry-run"], &[&wheel, &sdist]);
    assert_output(
        &o,
        "demo 1.0: 2 to upload with 2 attestations, 0 on the index already (dry run)\n",
        0,
    );
    assert_eq!(index.log(), [READ]);
    assert!(index.held().is_empty());
}

#[test]
fn an_attestation_of_no_file_of_the_release_is_skipped() {
    let (wheel, sdist) = release("publish_attestations_orphan");
    let dir = wheel.parent().unwrap().to_path_buf();
    let publish = attestation_of(&wheel, PUBLISH_V1);
    write_attestation(&wheel, "publish", &publish.to_string());
    // The sdist's attestation, the sdist left out of the release.
    let orphan = write_attestation(
        &sdist,
        "publish",
        &attestation_of(&sdist, PUBLISH_V1).to_string(),
    );
    std::fs::remove_file(&sdist).expect("remove the sdist");
    std::fs::write(dir.join("notes.txt"), b"release notes").expect("write");
    let index = Index::start(true);
    let o = index.publish("legacy/", &[&dir]);
    assert_output(
        &o,
        &format!(
            "skip {}: it attests no file of this release\n\
             skip {}: neither a wheel (.whl) nor an sdist (.tar.gz)\n\
             uploaded {PURE} with 1 attestation\n\
             demo 1.0: uploaded 1 with 1 attestation, 0 on the index already\n",
            orphan.display(),
            dir.join("notes.txt").display()
        ),
        0,
    );
    assert_eq!(index.held(), [PURE]);
    assert_eq!(received(&index, PURE), Some(serde_json::json!([publish])));
}

#[test]
fn attestation_files_named_go_with_their_file() {
    let (wheel, sdist) = release("publish_attestations_named");
    let publish = attestation_of(&wheel, PUBLISH_V1);
    let named = write_attestation(&wheel, "publish", &publish.to_string());
    // An attestation named whose file is not: it attests no file of this release.
    let orphan = write_attestation(
        &sdist,
        "publish",
        &attestation_of(&sdist, PUBLISH_V1).to_string(),
    );
    let index = Index::start(true);
    let o = index.publish("legacy/", &[&named, &wheel, &orphan]);
    assert_output(
        &o,
        &format!(
            "skip {}: it attests no file of this release\n\
             uploaded {PURE} with 1 attestation\n\
             demo 1.0: uploaded 1 with 1 attestation, 0 on the index already\n",
            orphan.display()
        ),
        0,
    );
    assert_eq!(index.held(), [PURE]);
    assert_eq!(received(&index, PURE), Some(serde_json::json!([publish])));
}

#[test]
fn attestations_that_landed_with_their_answer_lost_are_counted() {
    let (wheel, _) = release("publish_attestations_landed");
    let publish = attestation_of(&wheel, PUBLISH_V1);
    write_attestation(&wheel, "publish", &publish.to_string());
    let index = Index::start(true);
    index.script_uploads(vec![Upload::KeepAndDrop]);
    let o = index.publish("legacy/", &[&wheel]);
    assert_retried_once_then(
        &o,
        &index,
        [
            format!("uploaded {PURE} with 1 attestation: the index holds it, though its answer was lost"),
            "demo 1.0: uploaded 1 with 1 attestation, 0 on the index already".into(),
        ],
    );
    assert_eq!(received(&index, PURE), Some(serde_json::json!([publish])));
    assert_eq!(index.log(), [READ.into(), post("/legacy/"), READ.into()]);
}
