use base64::Engine;

use super::token::{gitlab_variable, python_repr, validate};
use super::*;

fn ambient(vars: &[(&str, &str)], product_name: Option<&str>) -> Ambient {
    Ambient {
        vars: vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        product_name: product_name.map(str::to_string),
    }
}

#[test]
fn detection_follows_ids_order() {
    let detect = |vars: &[(&str, &str)], product: Option<&str>| ambient(vars, product).detect();
    assert_eq!(detect(&[], None), None);
    assert_eq!(detect(&[("GITHUB_ACTIONS", "")], None), None);
    assert_eq!(
        detect(&[("GITLAB_CI", "true")], None),
        Some(Provider::GitLab)
    );
    assert_eq!(
        detect(&[("GITLAB_CI", "true"), ("GITHUB_ACTIONS", "true")], None),
        Some(Provider::GitHub)
    );
    // The request variables alone are not GitHub Actions (id asks GITHUB_ACTIONS).
    assert_eq!(
        detect(&[("ACTIONS_ID_TOKEN_REQUEST_URL", "https://x")], None),
        None
    );
    for name in ["Google", "Google Compute Engine\n"] {
        assert_eq!(
            detect(&[("GITLAB_CI", "true")], Some(name)),
            Some(Provider::GoogleCloud),
            "{name:?}"
        );
    }
    assert_eq!(detect(&[], Some("Standard PC (Q35 + ICH9, 2009)\n")), None);
    assert_eq!(
        detect(
            &[(
                "GOOGLE_SERVICE_ACCOUNT_NAME",
                "sa@p.iam.gserviceaccount.com"
            )],
            None
        ),
        Some(Provider::GoogleCloud)
    );
    // The test variable stands for the product name: empty, not on Google Cloud.
    assert_eq!(detect(&[(GCE_METADATA_TEST_ENV, "")], Some("Google")), None);
    assert_eq!(
        detect(&[(GCE_METADATA_TEST_ENV, "http://127.0.0.1:9")], None),
        Some(Provider::GoogleCloud)
    );
}

#[test]
fn gitlab_variables_are_named_as_id_names_them() {
    for (audience, name) in [
        ("pypi", "PYPI_ID_TOKEN"),
        ("testpypi", "TESTPYPI_ID_TOKEN"),
        ("sigstore", "SIGSTORE_ID_TOKEN"),
        // id's docstring's example
        ("http://test.audience", "HTTP___TEST_AUDIENCE_ID_TOKEN"),
        ("1pypi", "_PYPI_ID_TOKEN"),
        ("py-pi.2", "PY_PI_2_ID_TOKEN"),
        ("_x", "_X_ID_TOKEN"),
        ("straße", "STRASSE_ID_TOKEN"),
        ("", "_ID_TOKEN"),
    ] {
        assert_eq!(gitlab_variable(audience), name, "{audience:?}");
    }
}

#[test]
fn gitlab_without_its_variable_says_which() {
    let a = ambient(&[("GITLAB_CI", "true"), ("PYPI_ID_TOKEN", "")], None);
    assert_eq!(
        a.token(Provider::GitLab, "pypi", &agent()).unwrap_err(),
        "GitLab: Environment variable PYPI_ID_TOKEN not found"
    );
    let a = ambient(&[("GITLAB_CI", "true"), ("PYPI_ID_TOKEN", "a.b.c")], None);
    assert_eq!(
        a.token(Provider::GitLab, "testpypi", &agent()).unwrap_err(),
        "GitLab: Environment variable TESTPYPI_ID_TOKEN not found"
    );
    assert_eq!(
        a.token(Provider::GitLab, "pypi", &agent()).unwrap(),
        "a.b.c"
    );
}

#[test]
fn github_without_permissions_says_which_variable() {
    let a = ambient(
        &[
            ("GITHUB_ACTIONS", "true"),
            ("ACTIONS_ID_TOKEN_REQUEST_URL", "https://x"),
        ],
        None,
    );
    assert_eq!(
        a.token(Provider::GitHub, "pypi", &agent()).unwrap_err(),
        "GitHub: missing or insufficient OIDC token permissions, the ACTIONS_ID_TOKEN_REQUEST_TOKEN environment variable was unset"
    );
    let a = ambient(
        &[
            ("GITHUB_ACTIONS", "true"),
            ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "t"),
        ],
        None,
    );
    assert_eq!(
        a.token(Provider::GitHub, "pypi", &agent()).unwrap_err(),
        "GitHub: missing or insufficient OIDC token permissions, the ACTIONS_ID_TOKEN_REQUEST_URL environment variable was unset"
    );
}

#[test]
fn a_service_account_to_impersonate_is_refused() {
    let a = ambient(
        &[(
            "GOOGLE_SERVICE_ACCOUNT_NAME",
            "sa@p.iam.gserviceaccount.com",
        )],
        None,
    );
    assert_eq!(
        a.token(Provider::GoogleCloud, "pypi", &agent()).unwrap_err(),
        "GCP: GOOGLE_SERVICE_ACCOUNT_NAME is set, and wheelwright does not impersonate a service account (id does)"
    );
}

/// A JWT whose payload is `payload` (unsigned: only its shape is read here).
fn jwt(payload: &str) -> String {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "{}.{}.sig",
        b64.encode(r#"{"alg":"RS256"}"#),
        b64.encode(payload)
    )
}

#[test]
fn tokens_are_checked_as_id_checks_them() {
    assert_eq!(
        validate(&jwt(r#"{"aud":"pypi","iss":"x"}"#), "pypi"),
        Ok(())
    );
    // padded base64 is read too
    let padded = format!(
        "h.{}.s",
        base64::engine::general_purpose::URL_SAFE.encode(r#"{"aud":"pypi"}"#)
    );
    assert_eq!(validate(&padded, "pypi"), Ok(()));
    let why = |token: &str| validate(token, "pypi").unwrap_err();
    assert_eq!(why("not-a-jwt"), "Malformed token");
    assert_eq!(why("a.b.c.d"), "Malformed token");
    assert_eq!(why("a.!!!.c"), "Malformed token");
    assert_eq!(why(&jwt("not json")), "Malformed token");
    assert_eq!(
        why(&jwt("[1]")),
        "Malformed token payload (JWT is not a JSON object)"
    );
    assert_eq!(
        why(&jwt(r#"{"iss":"x"}"#)),
        "Malformed token payload (audience claim is missing)"
    );
    assert_eq!(
        why(&jwt(r#"{"aud":"sigstore"}"#)),
        "Token audience claim mismatch (expected pypi, got sigstore)"
    );
}

#[test]
fn bodies_are_shown_as_python_shows_them() {
    assert_eq!(python_repr("nope"), "'nope'");
    assert_eq!(python_repr("it's"), "\"it's\"");
    assert_eq!(python_repr("a'b\"c"), "'a\\'b\"c'");
    assert_eq!(python_repr("line\nnext\\"), "'line\\nnext\\\\'");
    assert_eq!(python_repr("\u{1}é"), "'\\x01é'");
}
