//! Attestations PyPI would refuse: not PEP 740, not an in-toto Statement v1, of another
//! file or content, of a predicate type it does not take, too many, or sent with an API
//! token.

use std::path::{Path, PathBuf};

use crate::common::index::Index;
use crate::common::*;
use crate::{assert_refused, NO_REQUEST};

/// A release of the pure wheel and the sdist in a directory of its own.
fn release(test: &str) -> (PathBuf, PathBuf) {
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
