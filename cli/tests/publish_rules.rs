//! `wheelwright publish` refusing, before the first upload, what PyPI would reject
//! (src/publish/rules.rs cites warehouse's source for each rule), against an index on
//! loopback (tests/common/index.rs): one `refused <file>: <why>; fix: <fix>` line each,
//! then `nothing was uploaded`, exit 1, and the index as it was.

mod common;

use std::path::Path;
use std::process::Output;

use common::index::Index;
use common::*;

const NOTHING: &str = "nothing was uploaded\n";

fn assert_refused(o: &Output, lines: &[String]) {
    let mut expected: String = lines.iter().map(|l| format!("{l}\n")).collect();
    expected.push_str(NOTHING);
    assert_eq!(stdout(o), expected);
    assert_eq!(stderr(o), "");
    assert_eq!(o.status.code(), Some(1));
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path).expect("file written").len()
}

/// What the index is asked when the release is refused before it is read.
const NO_REQUEST: [&str; 0] = [];
const READ: &str = "GET /simple/demo/ HTTP/1.1";

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

/// A release of the pure wheel and the sdist in a directory of its own.
fn release(test: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = tmp_dir(test);
    let wheel = Spec::new(PURE, &pure_files()).write(&dir);
    let sdist = write_sdist(&dir, "demo-1.0", DEMO_PKG_INFO);
    (wheel, sdist)
}

/// The fix for an attestation that is not one PyPI takes of `dist`.
fn sign_again(dist: &str) -> String {
    format!("sign the file again (python -m pypi_attestations sign {dist})")
}

/// An attestation of the file at `dist` with the statement's JSON changed by `edit`.
fn edited(dist: &Path, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let name = dist.file_name().unwrap().to_string_lossy();
    let mut s = statement(&name, &sha256_hex(dist), PUBLISH_V1);
    edit(&mut s);
    attestation_object(&s.to_string()).to_string()
}

#[test]
fn attestations_not_in_pep_740_form_are_refused() {
    let (wheel, sdist) = release("publish_rules_attestation_form");
    let good = attestation_of(&wheel, PUBLISH_V1);
    write_attestation(&wheel, "a", "not JSON");
    let mut v2 = good.clone();
    v2["version"] = 2.into();
    write_attestation(&wheel, "b", &v2.to_string());
    let mut no_entries = attestation_of(&sdist, PUBLISH_V1);
    no_entries["verification_material"]["transparency_entries"] = serde_json::json!([]);
    write_attestation(&sdist, "a", &no_entries.to_string());
    let mut bad_certificate = attestation_of(&sdist, SLSA_V1);
    bad_certificate["verification_material"]["certificate"] = "MII?not base64".into();
    write_attestation(&sdist, "b", &bad_certificate.to_string());
    let index = Index::start(true);
    let o = index.publish("legacy/", &[&wheel, &sdist]);
    let (w, s) = (sign_again(PURE), sign_again("demo-1.0.tar.gz"));
    assert_refused(
        &o,
        &[
            format!("refused {PURE}.a.attestation: it is not JSON: expected ident at line 1 column 2; fix: {w}"),
            format!("refused {PURE}.b.attestation: it is not a PEP 740 attestation: \"version\" is 2, not 1; fix: {w}"),
            format!("refused demo-1.0.tar.gz.a.attestation: it is not a PEP 740 attestation: \"verification_material.transparency_entries\" is empty, PyPI wants at least one; fix: {s}"),
            format!("refused demo-1.0.tar.gz.b.attestation: it is not a PEP 740 attestation: \"verification_material.certificate\" is not base64; fix: {s}"),
        ],
    );
    assert_eq!(index.log(), NO_REQUEST);
    assert!(index.held().is_empty());
}

#[test]
fn statements_that_are_not_in_toto_v1_are_refused() {
    let (wheel, sdist) = release("publish_rules_attestation_statement");
    let mut not_base64 = attestation_of(&wheel, PUBLISH_V1);
    not_base64["envelope"]["statement"] = "{\"_type\": \"https://in-toto.io/Statement/v1\"}".into();
    write_attestation(&wheel, "a", &not_base64.to_string());
    write_attestation(&wheel, "b", &attestation_object("a statement").to_string());
    write_attestation(
        &sdist,
        "a",
        &edited(&sdist, |s| {
            s["_type"] = "https://in-toto.io/Statement/v0.1".into()
        }),
    );
    let index = Index::start(true);
    let o = index.publish("legacy/", &[&wheel, &sdist]);
    let (w, s) = (sign_again(PURE), sign_again("demo-1.0.tar.gz"));
    assert_refused(
        &o,
        &[
            format!("refused {PURE}.a.attestation: it is not a PEP 740 attestation: \"envelope.statement\" is not base64; fix: {w}"),
            format!("refused {PURE}.b.attestation: its statement is not JSON: expected value at line 1 column 1; fix: {w}"),
            format!("refused demo-1.0.tar.gz.a.attestation: its statement is not an in-toto Statement v1: \"_type\" is \"https://in-toto.io/Statement/v0.1\", not \"https://in-toto.io/Statement/v1\"; fix: {s}"),
        ],
    );
    assert_eq!(index.log(), NO_REQUEST);
}

#[test]
fn attestations_of_other_files_are_refused() {
    let (wheel, sdist) = release("publish_rules_attestation_subject");
    let (wheel_sha, sdist_sha) = (sha256_hex(&wheel), sha256_hex(&sdist));
    write_attestation(
        &wheel,
        "a",
        &edited(&wheel, |s| {
            let subject = s["subject"][0].clone();
            s["subject"] = serde_json::json!([subject.clone(), subject]);
        }),
    );
    write_attestation(
        &wheel,
        "b",
        &edited(&wheel, |s| {
            s["subject"][0]["name"] = "demo-1.0.tar.gz".into()
        }),
    );
    // The sdist signed, then rebuilt: the attestation names it with other content.
    write_attestation(
        &sdist,
        "publish",
        &edited(&sdist, |s| {
            s["subject"][0]["digest"]["sha256"] = wheel_sha.clone().into()
        }),
    );
    let index = Index::start(true);
    let o = index.publish("legacy/", &[&wheel, &sdist]);
    let (w, s) = (sign_again(PURE), sign_again("demo-1.0.tar.gz"));
    assert_refused(
        &o,
        &[
            format!("refused {PURE}.a.attestation: its statement names 2 subjects, PyPI takes exactly one: the file it attests; fix: {w}"),
            format!("refused {PURE}.b.attestation: its subject is \"demo-1.0.tar.gz\", not {PURE}; fix: {w}"),
            format!("refused demo-1.0.tar.gz.publish.attestation: its subject's sha256 is {wheel_sha}, the file's is {sdist_sha}: it attests other content; fix: {s}"),
        ],
    );
    assert_eq!(index.log(), NO_REQUEST);
}

#[test]
fn a_predicate_type_pypi_does_not_take_is_refused() {
    let (wheel, _) = release("publish_rules_attestation_predicate");
    let old_slsa = "https://slsa.dev/provenance/v0.2";
    write_attestation(
        &wheel,
        "provenance",
        &edited(&wheel, |s| s["predicateType"] = old_slsa.into()),
    );
    let index = Index::start(true);
    let o = index.publish("legacy/", &[&wheel]);
    assert_refused(
        &o,
        &[format!(
            "refused {PURE}.provenance.attestation: its predicateType is \"{old_slsa}\", which PyPI does not take: it takes \"{PUBLISH_V1}\" and \"{SLSA_V1}\"; fix: remove this file; a publish attestation is what python -m pypi_attestations sign {PURE} writes"
        )],
    );
    assert_eq!(index.log(), NO_REQUEST);
}

#[test]
fn two_attestations_of_one_predicate_type_are_refused() {
    let (wheel, _) = release("publish_rules_attestation_twice");
    let publish = attestation_of(&wheel, PUBLISH_V1).to_string();
    write_attestation(&wheel, "publish", &publish);
    write_attestation(&wheel, "publish-again", &publish);
    let index = Index::start(true);
    let o = index.publish("legacy/", &[&wheel]);
    assert_refused(
        &o,
        &[format!(
            "refused {PURE}.publish.attestation: {PURE}.publish-again.attestation attests {PURE} with the same predicateType ({PUBLISH_V1}): PyPI takes one attestation of each predicateType; fix: remove one of the two"
        )],
    );
    assert_eq!(index.log(), NO_REQUEST);
}

#[test]
fn more_than_two_attestations_of_a_file_are_refused() {
    let (wheel, _) = release("publish_rules_attestation_three");
    write_attestation(&wheel, "a", &attestation_of(&wheel, PUBLISH_V1).to_string());
    write_attestation(&wheel, "b", &attestation_of(&wheel, SLSA_V1).to_string());
    write_attestation(&wheel, "c", &attestation_of(&wheel, PUBLISH_V1).to_string());
    let index = Index::start(true);
    let o = index.publish("legacy/", &[&wheel]);
    assert_refused(
        &o,
        &[format!(
            "refused {PURE}.c.attestation: {PURE} has 3 attestations, PyPI takes 2 at most; fix: keep one publish attestation and at most one SLSA provenance, remove the others"
        )],
    );
    assert_eq!(index.log(), NO_REQUEST);
}

#[test]
fn attestations_with_an_api_token_are_refused_on_pypi_and_testpypi() {
    for url in [
        "https://upload.pypi.org/legacy/",
        "https://test.pypi.org/legacy",
    ] {
        let (wheel, sdist) = release("publish_rules_attestation_token");
        write_attestation(
            &wheel,
            "publish",
            &attestation_of(&wheel, PUBLISH_V1).to_string(),
        );
        write_attestation(
            &sdist,
            "publish",
            &attestation_of(&sdist, PUBLISH_V1).to_string(),
        );
        let index = Index::start(true);
        // The token is set (tests/common/index.rs); the index named is never read.
        let o = index.publish_at(url, &[], &[], &[&wheel, &sdist]);
        let why = "PyPI takes attestations only from trusted publishing, and WHEELWRIGHT_PUBLISH_TOKEN holds an API token; fix: unset WHEELWRIGHT_PUBLISH_TOKEN to publish through trusted publishing, or remove the .attestation files";
        assert_refused(
            &o,
            &[
                format!("refused {PURE}.publish.attestation: {why}"),
                format!("refused demo-1.0.tar.gz.publish.attestation: {why}"),
            ],
        );
        assert_eq!(index.log(), NO_REQUEST, "{url}");
    }
}

/// tests/data/platform_tags.tsv: each Windows and macOS tag, accepted or refused with
/// its reason, as warehouse's `_valid_platform_tag` judges it.
#[test]
fn windows_and_macos_tags_as_warehouse_takes_them() {
    let table = include_str!("data/platform_tags.tsv");
    let mut checked = 0;
    for (n, line) in table.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (tag, verdict) = line
            .split_once('\t')
            .unwrap_or_else(|| panic!("platform_tags.tsv line {}: no tab", n + 1));
        let got = wheelwright::publish::rules::platform_refusal(tag).map(|(why, _)| why);
        let expected = (verdict != "accepted").then(|| verdict.to_string());
        assert_eq!(got, expected, "platform_tags.tsv line {}: {tag}", n + 1);
        checked += 1;
    }
    assert_eq!(checked, 53);
}

#[test]
fn windows_and_macos_wheels_pypi_refuses() {
    let dir = tmp_dir("publish_rules_win_macos");
    let refused = [
        "demo-1.0-cp311-cp311-win_x86_64.whl",
        "demo-1.0-cp311-cp311-macosx_11_1_arm64.whl",
    ];
    let accepted = [
        "demo-1.0-cp311-cp311-win_amd64.whl",
        "demo-1.0-cp311-cp311-macosx_10_12_x86_64.macosx_11_0_arm64.whl",
    ];
    let wheels: Vec<_> = refused
        .iter()
        .chain(&accepted)
        .map(|name| Spec::new(name, &pure_files()).write(&dir))
        .collect();
    let index = Index::start(true);
    let paths: Vec<&Path> = wheels.iter().map(|w| w.as_path()).collect();
    let o = index.publish("legacy/", &paths);
    assert_refused(
        &o,
        &[
            format!("refused {}: PyPI rejects the platform tag win_x86_64: of Windows tags it takes win32, win_amd64, win_arm64 and win_ia64; fix: build the wheel for one of those: win_amd64 is x86_64, win_arm64 is aarch64, win32 is 32-bit x86", refused[0]),
            format!("refused {}: PyPI rejects the platform tag macosx_11_1_arm64: macOS 11 is written 11_0, not 11_1; fix: build the wheel for a tag PyPI takes: macosx_10_<minor>_<arch>, or macosx_<major>_0_<arch> for macOS 11 to 15 and 26, the arch one of ppc, ppc64, i386, x86_64, arm64, intel, fat, fat3, fat64, universal, universal2", refused[1]),
        ],
    );
    assert_eq!(index.log(), NO_REQUEST);
    // The tags PyPI takes go up.
    let o = index.publish("legacy/", &paths[2..]);
    assert_eq!(
        stdout(&o),
        format!(
            "uploaded {}\nuploaded {}\ndemo 1.0: uploaded 2, 0 on the index already\n",
            accepted[0], accepted[1]
        )
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(index.held(), [accepted[1], accepted[0]]);
}
