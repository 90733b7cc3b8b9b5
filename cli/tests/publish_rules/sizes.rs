//! PyPI's limits on the size of a file and of a project, and the options that set
//! others.

use std::path::Path;

use crate::common::index::Index;
use crate::common::*;
use crate::{assert_refused, NO_REQUEST, READ};

fn size(path: &Path) -> u64 {
    std::fs::metadata(path).expect("file written").len()
}

#[test]
fn a_file_over_100_mib_is_refused() {
    let dir = tmp_dir("publish_rules_file_size");
    let padding = vec![0u8; 100 << 20];
    let mut files = pure_files();
    files.push(("demo/padding.bin", &padding));
    let mut spec = Spec::new(PURE, &files);
    spec.stored = true;
    let wheel = spec.write(&dir);
    let index = Index::start(true);
    let o = index.publish("legacy/", &[&wheel]);
    assert_refused(
        &o,
        &[format!(
            "refused {PURE}: it is {} bytes, over PyPI's file size limit of 100 MiB (104857600 bytes); fix: make it smaller (e.g. strip debug info), or have PyPI raise the project's file size limit and pass it as --file-size-limit",
            size(&wheel)
        )],
    );
    assert_eq!(index.log(), NO_REQUEST);
}

#[test]
fn file_size_limit_sets_another_limit() {
    let dir = tmp_dir("publish_rules_file_size_limit");
    let wheel = Spec::new(PURE, &pure_files()).write(&dir);
    let index = Index::start(true);
    let o = index.publish_with("legacy/", &["--file-size-limit", "500"], &[&wheel]);
    assert_refused(
        &o,
        &[format!(
            "refused {PURE}: it is {} bytes, over the --file-size-limit of 500 bytes; fix: make it smaller (e.g. strip debug info), or have PyPI raise the project's file size limit and pass it as --file-size-limit",
            size(&wheel)
        )],
    );
    assert_eq!(index.log(), NO_REQUEST);
}

const PROJECT_FIX: &str = "delete files of old releases from the index, or have PyPI raise the project's size limit and pass it as --project-size-limit";

#[test]
fn the_project_size_limit_counts_what_the_index_holds() {
    let dir = tmp_dir("publish_rules_project_size");
    let wheel = Spec::new(PURE, &pure_files()).write(&dir);
    let sdist = write_sdist(&dir, "demo-1.0", DEMO_PKG_INFO);
    let limit: u64 = 10 << 30;
    // With the wheel the project is at the limit exactly, which PyPI takes; the sdist
    // goes over it.
    let held = limit - size(&wheel);
    let index = Index::start(true);
    index.hold_listed("demo-0.9.tar.gz", b"old", held);
    let o = index.publish("legacy/", &[&wheel, &sdist]);
    assert_refused(
        &o,
        &[format!(
            "refused demo-1.0.tar.gz: with it the project would hold {} bytes ({held} of them on the index already), over PyPI's project size limit of 10 GiB (10737418240 bytes); fix: {PROJECT_FIX}",
            limit + size(&sdist)
        )],
    );
    assert_eq!(index.log(), [READ]);
    assert_eq!(index.held(), ["demo-0.9.tar.gz"]);
}

#[test]
fn without_listed_sizes_the_release_alone_is_counted() {
    let dir = tmp_dir("publish_rules_project_size_html");
    let wheel = Spec::new(PURE, &pure_files()).write(&dir);
    let sdist = write_sdist(&dir, "demo-1.0", DEMO_PKG_INFO);
    let limit = size(&wheel) + size(&sdist) - 1;
    let index = Index::start(false);
    index.hold("demo-0.9.tar.gz", b"old");
    let o = index.publish_with(
        "legacy/",
        &["--project-size-limit", &limit.to_string()],
        &[&wheel, &sdist],
    );
    assert_refused(
        &o,
        &[format!(
            "refused demo-1.0.tar.gz: with it the project would hold {} bytes (the index lists no sizes, so only this release's files are counted), over the --project-size-limit of {limit} bytes; fix: {PROJECT_FIX}",
            limit + 1
        )],
    );
    assert_eq!(index.log(), [READ]);
}
