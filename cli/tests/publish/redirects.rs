//! Redirects: followed when reading the index, reported for an upload, except the one
//! that adds the repository URL's trailing slash.

use crate::common::index::Index;
use crate::common::*;
use crate::{assert_output, post, release, READ};

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
