//! PEP 740 attestations: which files attest a distribution, and what PyPI (warehouse's
//! `forklift/legacy.py`, verifying with pypi-attestations) would refuse of them before it
//! checks their signatures, which cannot be checked offline and are not.
//!
//! An attestation of the file `F` is a file beside it named `F.<kind>.attestation`
//! (`python -m pypi_attestations sign F` writes `F.publish.attestation`; twine attaches
//! `*.*.attestation` to the file whose name it starts with). It is the JSON object
//! `{"version": 1, "verification_material": {"certificate": <base64>,
//! "transparency_entries": [<object>, ...]}, "envelope": {"statement": <base64>,
//! "signature": <base64>}}`, the statement an in-toto Statement v1 whose one subject is
//! `F` and its sha256. PyPI takes at most two per file, one of each predicateType it knows,
//! sent as the form field `attestations`: the JSON array of them.

mod schema;

use serde_json::Value;

use super::rules::Refused;
use schema::{in_toto, shape, string};

/// The predicateType of a publish attestation (what pypi_attestations signs).
pub const PUBLISH_V1: &str = "https://docs.pypi.org/attestations/publish/v1";
/// The predicateType of SLSA provenance.
pub const SLSA_PROVENANCE_V1: &str = "https://slsa.dev/provenance/v1";
/// The most attestations PyPI takes with one file.
pub const MAX_PER_FILE: usize = 2;

/// An attestation that PyPI would take, but for its signature.
#[derive(Debug, Clone, PartialEq)]
pub struct Attestation {
    /// The attestation file's name.
    pub file_name: String,
    /// The object as read, to be sent.
    pub object: Value,
    pub predicate_type: String,
}

/// Whether `name` is the name of a file that may be an attestation (`*.attestation`).
pub fn is_attestation_name(name: &str) -> bool {
    name.ends_with(".attestation")
}

/// Whether the file `name` attests the distribution file `dist`: `<dist>.<kind>.attestation`.
pub fn attests(name: &str, dist: &str) -> bool {
    name.strip_prefix(dist)
        .and_then(|rest| rest.strip_prefix('.'))
        .is_some_and(|rest| rest.ends_with(".attestation"))
}

/// The fix for an attestation that is not one of `dist` as PyPI takes it.
fn sign_again(dist: &str) -> String {
    format!("sign the file again (python -m pypi_attestations sign {dist})")
}

/// Reads the attestation `bytes` of the distribution file `dist` (whose sha256 is
/// `sha256`): the attestation, or why PyPI would refuse it.
pub fn check(
    bytes: &[u8],
    file_name: &str,
    dist: &str,
    sha256: &str,
) -> Result<Attestation, Refused> {
    let refused = |why: String| (why, sign_again(dist));
    let object: Value =
        serde_json::from_slice(bytes).map_err(|e| refused(format!("it is not JSON: {e}")))?;
    let statement = shape(&object)
        .map_err(|what| refused(format!("it is not a PEP 740 attestation: {what}")))?;
    let statement: Value = serde_json::from_slice(&statement)
        .map_err(|e| refused(format!("its statement is not JSON: {e}")))?;
    let (subjects, predicate_type) = in_toto(&statement).map_err(|what| {
        refused(format!(
            "its statement is not an in-toto Statement v1: {what}"
        ))
    })?;
    let [subject] = subjects else {
        return Err(refused(format!(
            "its statement names {} subjects, PyPI takes exactly one: the file it attests",
            subjects.len()
        )));
    };
    let name = string(subject, "name", "subject[0].name").map_err(|what| {
        refused(format!(
            "its statement is not an in-toto Statement v1: {what}"
        ))
    })?;
    if name != dist {
        return Err(refused(format!("its subject is {name:?}, not {dist}")));
    }
    let digest = subject
        .get("digest")
        .and_then(Value::as_object)
        .and_then(|d| d.get("sha256"))
        .and_then(Value::as_str);
    match digest {
        None => return Err(refused("its subject gives no sha256 digest".into())),
        Some(theirs) if theirs != sha256 => {
            return Err(refused(format!(
                "its subject's sha256 is {theirs}, the file's is {sha256}: it attests other content"
            )))
        }
        Some(_) => {}
    }
    if predicate_type != PUBLISH_V1 && predicate_type != SLSA_PROVENANCE_V1 {
        return Err((
            format!(
                "its predicateType is {predicate_type:?}, which PyPI does not take: it takes \"{PUBLISH_V1}\" and \"{SLSA_PROVENANCE_V1}\""
            ),
            format!("remove this file; a publish attestation is what python -m pypi_attestations sign {dist} writes"),
        ));
    }
    Ok(Attestation {
        file_name: file_name.to_string(),
        predicate_type: predicate_type.to_string(),
        object,
    })
}

/// What PyPI refuses of a file's attestations together (`files`, the names of all its
/// attestation files in upload order; `valid`, those [`check`] took): more than
/// [`MAX_PER_FILE`] (each file past it is refused), and two of one predicateType (the
/// second is refused). Each refusal names its attestation file.
pub fn set_refusals(dist: &str, files: &[String], valid: &[Attestation]) -> Vec<(String, Refused)> {
    let mut refusals = Vec::new();
    for file in files.iter().skip(MAX_PER_FILE) {
        refusals.push((
            file.clone(),
            (
                format!(
                    "{dist} has {} attestations, PyPI takes {MAX_PER_FILE} at most",
                    files.len()
                ),
                "keep one publish attestation and at most one SLSA provenance, remove the others"
                    .into(),
            ),
        ));
    }
    let kept: Vec<&Attestation> = valid
        .iter()
        .filter(|a| files.iter().take(MAX_PER_FILE).any(|f| *f == a.file_name))
        .collect();
    for (i, a) in kept.iter().enumerate() {
        if let Some(first) = kept[..i]
            .iter()
            .find(|b| b.predicate_type == a.predicate_type)
        {
            refusals.push((
                a.file_name.clone(),
                (
                    format!(
                        "{} attests {dist} with the same predicateType ({}): PyPI takes one attestation of each predicateType",
                        first.file_name, a.predicate_type
                    ),
                    "remove one of the two".into(),
                ),
            ));
        }
    }
    refusals
}

/// The form field `attestations` of a file: the JSON array of its attestations, or
/// `None` when it has none (no field is sent then).
pub fn form_field(attestations: &[Attestation]) -> Option<String> {
    (!attestations.is_empty())
        .then(|| Value::Array(attestations.iter().map(|a| a.object.clone()).collect()).to_string())
}

/// Why a release with attestations is refused on PyPI with an API token.
pub fn token_refusal(token_env: &str) -> Refused {
    (
        format!(
            "PyPI takes attestations only from trusted publishing, and {token_env} holds an API token"
        ),
        format!("unset {token_env} to publish through trusted publishing, or remove the .attestation files"),
    )
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use serde_json::json;

    use super::schema::STATEMENT_V1;
    use super::*;

    const DIST: &str = "demo-1.0-py3-none-any.whl";
    const SHA: &str = "ab01";

    #[test]
    fn names_of_attestations() {
        assert!(attests(&format!("{DIST}.publish.attestation"), DIST));
        assert!(attests(&format!("{DIST}.a.b.attestation"), DIST));
        assert!(attests(&format!("{DIST}..attestation"), DIST));
        for other in [
            format!("{DIST}.attestation"),
            format!("{DIST}x.publish.attestation"),
            format!("{DIST}.publish.attestation.bak"),
            "demo-1.0.tar.gz.publish.attestation".into(),
        ] {
            assert!(!attests(&other, DIST), "{other}");
        }
    }

    fn statement(name: &str, sha: &str, predicate_type: &str) -> Value {
        json!({
            "_type": STATEMENT_V1,
            "subject": [{"name": name, "digest": {"sha256": sha}}],
            "predicateType": predicate_type,
            "predicate": null,
        })
    }

    fn attestation(statement: &Value) -> Value {
        json!({
            "version": 1,
            "verification_material": {
                "certificate": STANDARD.encode(b"cert"),
                "transparency_entries": [{"logIndex": "1"}],
            },
            "envelope": {
                "statement": STANDARD.encode(statement.to_string()),
                "signature": STANDARD.encode(b"sig"),
            },
        })
    }

    fn why(object: &Value) -> Option<String> {
        check(object.to_string().as_bytes(), "a", DIST, SHA)
            .err()
            .map(|r| r.0)
    }

    #[test]
    fn a_good_attestation_is_taken_as_read() {
        let object = attestation(&statement(DIST, SHA, PUBLISH_V1));
        let got = check(object.to_string().as_bytes(), "a", DIST, SHA).unwrap();
        assert_eq!(got.object, object);
        assert_eq!(got.predicate_type, PUBLISH_V1);
        assert_eq!(
            form_field(std::slice::from_ref(&got)),
            Some(format!("[{object}]"))
        );
        assert_eq!(form_field(&[]), None);
    }

    #[test]
    fn the_first_thing_wrong_is_named() {
        let good = attestation(&statement(DIST, SHA, PUBLISH_V1));
        let with = |pointer: &str, value: Value| {
            let mut o = good.clone();
            *o.pointer_mut(pointer).unwrap() = value;
            why(&o).unwrap()
        };
        assert_eq!(
            with("/version", json!(2)),
            "it is not a PEP 740 attestation: \"version\" is 2, not 1"
        );
        assert_eq!(
            with("/verification_material", json!([])),
            "it is not a PEP 740 attestation: \"verification_material\" is not an object"
        );
        assert_eq!(
            with("/verification_material/certificate", json!("not base64!")),
            "it is not a PEP 740 attestation: \"verification_material.certificate\" is not base64"
        );
        assert_eq!(
            with("/verification_material/transparency_entries", json!([1])),
            "it is not a PEP 740 attestation: \"verification_material.transparency_entries\" is not a list of objects"
        );
        assert_eq!(
            with("/envelope/signature", json!(7)),
            "it is not a PEP 740 attestation: \"envelope.signature\" is not base64"
        );
        let mut missing = good.clone();
        missing.as_object_mut().unwrap().remove("envelope");
        assert_eq!(
            why(&missing).unwrap(),
            "it is not a PEP 740 attestation: \"envelope\" is missing"
        );
        assert_eq!(
            why(&json!([])).unwrap(),
            "it is not a PEP 740 attestation: not a JSON object"
        );
        let statement_with = |statement: Value| why(&attestation(&statement)).unwrap();
        assert_eq!(
            statement_with(json!({"_type": "https://in-toto.io/Statement/v0.1"})),
            "its statement is not an in-toto Statement v1: \"_type\" is \"https://in-toto.io/Statement/v0.1\", not \"https://in-toto.io/Statement/v1\""
        );
        assert_eq!(
            statement_with(json!({"_type": STATEMENT_V1, "subject": []})),
            "its statement is not an in-toto Statement v1: \"predicateType\" is missing"
        );
        assert_eq!(
            statement_with(
                json!({"_type": STATEMENT_V1, "subject": [{}], "predicateType": PUBLISH_V1, "predicate": 1})
            ),
            "its statement is not an in-toto Statement v1: \"predicate\" is not an object"
        );
        assert_eq!(
            statement_with(
                json!({"_type": STATEMENT_V1, "subject": [{"digest": {}}], "predicateType": PUBLISH_V1})
            ),
            "its statement is not an in-toto Statement v1: \"subject[0].name\" is missing"
        );
        assert_eq!(
            statement_with(
                json!({"_type": STATEMENT_V1, "subject": [], "predicateType": PUBLISH_V1})
            ),
            "its statement names 0 subjects, PyPI takes exactly one: the file it attests"
        );
        assert_eq!(
            statement_with(
                json!({"_type": STATEMENT_V1, "subject": [{"name": DIST}], "predicateType": PUBLISH_V1})
            ),
            "its subject gives no sha256 digest"
        );
        assert_eq!(
            check(b"{", "a", DIST, SHA).unwrap_err(),
            (
                "it is not JSON: EOF while parsing an object at line 1 column 1".into(),
                format!("sign the file again (python -m pypi_attestations sign {DIST})")
            )
        );
    }

    #[test]
    fn two_of_a_kind_and_more_than_two() {
        let a = |file: &str, predicate_type: &str| Attestation {
            file_name: file.into(),
            object: Value::Null,
            predicate_type: predicate_type.into(),
        };
        let files: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        assert_eq!(
            set_refusals(
                DIST,
                &files[..2],
                &[a("a", PUBLISH_V1), a("b", SLSA_PROVENANCE_V1)]
            ),
            []
        );
        let got = set_refusals(
            DIST,
            &files,
            &[a("a", PUBLISH_V1), a("b", PUBLISH_V1), a("c", PUBLISH_V1)],
        );
        let got: Vec<(&str, &str)> = got
            .iter()
            .map(|(f, r)| (f.as_str(), r.0.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("c", "demo-1.0-py3-none-any.whl has 3 attestations, PyPI takes 2 at most"),
                ("b", "a attests demo-1.0-py3-none-any.whl with the same predicateType (https://docs.pypi.org/attestations/publish/v1): PyPI takes one attestation of each predicateType"),
            ]
        );
    }
}
