//! The JSON of a PEP 740 attestation and of the in-toto statement it signs, read field
//! by field as pypi-attestations' and sigstore's models read them: the first field that
//! is missing or wrong is named.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{Map, Value};

/// The `_type` of an in-toto Statement v1.
pub const STATEMENT_V1: &str = "https://in-toto.io/Statement/v1";

/// The attestation object's fields, as pypi-attestations' `Attestation` model wants
/// them (other fields are ignored, as it ignores them): the statement's bytes, or the
/// first field that is missing or wrong.
pub fn shape(object: &Value) -> Result<Vec<u8>, String> {
    let object = object.as_object().ok_or("not a JSON object")?;
    match object.get("version") {
        None => return Err("\"version\" is missing".into()),
        Some(v) if v.as_u64() == Some(1) => {}
        Some(v) => return Err(format!("\"version\" is {v}, not 1")),
    }
    let material = section(object, "verification_material")?;
    base64_field(material, "verification_material", "certificate")?;
    let path = "\"verification_material.transparency_entries\"";
    match material.get("transparency_entries") {
        None => return Err(format!("{path} is missing")),
        Some(Value::Array(entries)) if entries.iter().all(Value::is_object) => {
            if entries.is_empty() {
                return Err(format!("{path} is empty, PyPI wants at least one"));
            }
        }
        Some(_) => return Err(format!("{path} is not a list of objects")),
    }
    let envelope = section(object, "envelope")?;
    base64_field(envelope, "envelope", "signature")?;
    base64_field(envelope, "envelope", "statement")
}

/// The object `object[key]`.
fn section<'a>(
    object: &'a Map<String, Value>,
    key: &str,
) -> Result<&'a Map<String, Value>, String> {
    match object.get(key) {
        None => Err(format!("\"{key}\" is missing")),
        Some(v) => v
            .as_object()
            .ok_or_else(|| format!("\"{key}\" is not an object")),
    }
}

/// The bytes of the base64 string `object[key]`, `object` being `parent`.
fn base64_field(object: &Map<String, Value>, parent: &str, key: &str) -> Result<Vec<u8>, String> {
    match object.get(key) {
        None => Err(format!("\"{parent}.{key}\" is missing")),
        Some(v) => v
            .as_str()
            .and_then(|s| STANDARD.decode(s).ok())
            .ok_or_else(|| format!("\"{parent}.{key}\" is not base64")),
    }
}

/// The string `object[key]`, or that `path` (the field's name in messages) is missing
/// or not a string.
pub fn string<'a>(object: &'a Value, key: &str, path: &str) -> Result<&'a str, String> {
    match object.get(key) {
        None => Err(format!("\"{path}\" is missing")),
        Some(v) => v
            .as_str()
            .ok_or_else(|| format!("\"{path}\" is not a string")),
    }
}

/// An in-toto Statement v1's subjects and predicateType, as sigstore's `_Statement`
/// model reads them (the predicate an object, or null, or absent).
pub fn in_toto(statement: &Value) -> Result<(&[Value], &str), String> {
    if !statement.is_object() {
        return Err("not a JSON object".into());
    }
    let kind = string(statement, "_type", "_type")?;
    if kind != STATEMENT_V1 {
        return Err(format!("\"_type\" is {kind:?}, not \"{STATEMENT_V1}\""));
    }
    let subjects = match statement.get("subject") {
        None => return Err("\"subject\" is missing".into()),
        Some(Value::Array(subjects)) if subjects.iter().all(Value::is_object) => subjects,
        Some(_) => return Err("\"subject\" is not a list of objects".into()),
    };
    let predicate_type = string(statement, "predicateType", "predicateType")?;
    match statement.get("predicate") {
        None | Some(Value::Null | Value::Object(_)) => Ok((subjects, predicate_type)),
        Some(_) => Err("\"predicate\" is not an object".into()),
    }
}
