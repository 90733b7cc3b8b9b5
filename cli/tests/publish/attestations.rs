//! `.attestation` files beside a distribution go up in its upload's `attestations`
//! field; one that attests no file of the release is skipped.

use crate::common::index::{Index, Upload};
use crate::common::*;
use crate::{assert_output, assert_retried_once_then, post, release, READ};

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
