//! Files PyPI refuses for what they say or are: a local version, a summary or
//! description type it does not take, a second sdist or content it holds already, and
//! files that cannot be read.

use std::path::Path;

use crate::common::index::Index;
use crate::common::*;
use crate::{assert_refused, NO_REQUEST, READ};

#[test]
fn a_local_version_is_refused() {
    let dir = tmp_dir("publish_rules_local");
    let name = "demo-1.0+local-py3-none-any.whl";
    let wheel = Spec::new(name, &pure_files()).write(&dir);
    let sdist = write_sdist(
        &dir,
        "demo-1.0+local",
        &DEMO_PKG_INFO.replace("1.0", "1.0+local"),
    );
    let index = Index::start(true);
    let o = index.publish("legacy/", &[&wheel, &sdist]);
    let fix = "publish it without the local label, or to an index of your own (--repository-url)";
    assert_refused(
        &o,
        &[
            format!("refused {name}: its version 1.0+local is a local version (+local), which PyPI refuses; fix: {fix}"),
            format!("refused demo-1.0+local.tar.gz: its version 1.0+local is a local version (+local), which PyPI refuses; fix: {fix}"),
        ],
    );
    assert_eq!(index.log(), NO_REQUEST);
}

#[test]
fn summaries_and_description_content_types_pypi_refuses() {
    let dir = tmp_dir("publish_rules_metadata");
    let mut spec = Spec::new(PURE, &pure_files());
    spec.metadata = format!(
        "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nSummary: {}\nDescription-Content-Type: text/markdown; charset=utf-8\n\nBody\n",
        "s".repeat(513)
    );
    let wheel = spec.write(&dir);
    let sdist = write_sdist(
        &dir,
        "demo-1.0",
        "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nSummary: A first line\n  and a second\nDescription-Content-Type: text/md\n\nBody\n",
    );
    let index = Index::start(true);
    let o = index.publish("legacy/", &[&wheel, &sdist]);
    let summary_fix = "make the project's description (pyproject.toml [project] description) one line of at most 512 characters";
    let type_fix = "write text/markdown; charset=UTF-8; variant=GFM, text/x-rst; charset=UTF-8 or text/plain; charset=UTF-8 (maturin derives it from the readme's extension: .md, .rst, .txt)";
    assert_refused(
        &o,
        &[
            format!("refused {PURE}: its Summary is 513 characters, PyPI takes 512 at most; fix: {summary_fix}"),
            format!("refused {PURE}: its Description-Content-Type \"text/markdown; charset=utf-8\" names the charset \"utf-8\": PyPI takes \"UTF-8\" only, spelled so; fix: {type_fix}"),
            format!("refused demo-1.0.tar.gz: its Summary spans more than one line, PyPI takes one; fix: {summary_fix}"),
            format!("refused demo-1.0.tar.gz: its Description-Content-Type \"text/md\" is not text/plain, text/x-rst or text/markdown, the types PyPI renders; fix: {type_fix}"),
        ],
    );
    assert_eq!(index.log(), NO_REQUEST);
}

#[test]
fn an_sdist_of_the_release_under_another_name_is_refused() {
    for other in ["demo-1.0.zip", "demo-1.0.0.tar.gz"] {
        let dir = tmp_dir("publish_rules_second_sdist");
        let wheel = Spec::new(PURE, &pure_files()).write(&dir);
        let sdist = write_sdist(&dir, "demo-1.0", DEMO_PKG_INFO);
        let index = Index::start(true);
        index.hold(other, b"an sdist uploaded before");
        let o = index.publish("legacy/", &[&wheel, &sdist]);
        assert_refused(
            &o,
            &[format!("refused demo-1.0.tar.gz: the index already holds {other}, an sdist of this release: PyPI takes one sdist per release; fix: publish the wheels without this sdist, or release a new version")],
        );
        assert_eq!(index.log(), [READ], "{other}");
        assert_eq!(index.held(), [other]);
    }
}

#[test]
fn its_content_under_another_name_is_refused() {
    let dir = tmp_dir("publish_rules_same_content");
    let wheel = Spec::new(PURE, &pure_files()).write(&dir);
    let index = Index::start(true);
    let other = "demo-1.0-py2.py3-none-any.whl";
    index.hold(other, &std::fs::read(&wheel).unwrap());
    let o = index.publish("legacy/", &[&wheel]);
    assert_refused(
        &o,
        &[format!("refused {PURE}: the index already holds this content as {other}: PyPI takes no file twice, under any name; fix: leave this file out")],
    );
    assert_eq!(index.log(), [READ]);
    assert_eq!(index.held(), [other]);
}

#[test]
fn truncated_and_foreign_files_in_dist_are_refused() {
    let dir = tmp_dir("publish_rules_truncated");
    let wheel = Spec::new(PURE, &pure_files()).write(&dir);
    let sdist = write_sdist(&dir, "demo-1.0", DEMO_PKG_INFO);
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).expect("dist");
    let cut = |from: &Path, name: &str| {
        let bytes = std::fs::read(from).expect("written");
        std::fs::write(dist.join(name), &bytes[..bytes.len() / 2]).expect("write");
    };
    cut(&wheel, PURE);
    cut(&sdist, "demo-1.0.tar.gz");
    // a foreign file under a wheel's name, and one that is no distribution at all
    std::fs::write(
        dist.join("demo-1.0-cp38-abi3-manylinux_2_17_x86_64.whl"),
        b"\x7fELF\x02\x01\x01",
    )
    .expect("write");
    std::fs::write(dist.join("notes.txt"), b"release notes").expect("write");
    let index = Index::start(true);
    let o = index.publish("legacy/", &[&dist]);
    let zip = "not a readable zip archive: invalid Zip archive: Could not find EOCD; fix: the file is truncated or not a zip archive; re-download or rebuild the wheel";
    let skipped = format!(
        "skip {}: neither a wheel (.whl) nor an sdist (.tar.gz)",
        dist.join("notes.txt").display()
    );
    assert_refused(
        &o,
        &[
            skipped,
            format!("refused demo-1.0-cp38-abi3-manylinux_2_17_x86_64.whl: {zip}"),
            format!("refused {PURE}: {zip}"),
            "refused demo-1.0.tar.gz: not a readable .tar.gz: incomplete deflate stream; fix: rebuild the source distribution (maturin sdist)".into(),
        ],
    );
    assert_eq!(index.log(), NO_REQUEST);
    assert!(index.held().is_empty());
}
