//! `wheelwright publish` without a token: trusted publishing from GitLab CI/CD, Google
//! Cloud and GitHub Actions against the index on loopback (tests/common/index.rs), which
//! answers warehouse's `/_/oidc/audience` and `/_/oidc/mint-token` and plays the job's
//! identity provider. Each test asserts the exact output, the exit code, what the index
//! was asked and sent, and which token the uploads used.

mod common;

use std::path::PathBuf;
use std::process::Output;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use common::index::{response, Index, GCE_IDENTITY_PATH, GITHUB_TOKEN_PATH, MINTED};
use common::*;

const READ: &str = "GET /simple/demo/ HTTP/1.1";
const AUDIENCE: &str = "GET /_/oidc/audience HTTP/1.1";
const MINT: &str = "POST /_/oidc/mint-token HTTP/1.1";
const UPLOAD: &str = "POST /legacy/ HTTP/1.1";

/// No token given: trusted publishing is all there is.
const NO_TOKEN: (&str, &str) = ("WHEELWRIGHT_PUBLISH_TOKEN", "");

/// The release the tests publish: the pure wheel and the sdist of demo 1.0.
fn release(test: &str) -> (PathBuf, PathBuf) {
    let dir = tmp_dir(test);
    let wheel = Spec::new(PURE, &pure_files()).write(&dir);
    let sdist = write_sdist(&dir, "demo-1.0", DEMO_PKG_INFO);
    (wheel, sdist)
}

/// An OIDC token (a JWT, unsigned: publish reads only its audience) from `issuer` for
/// `audience`.
fn jwt(issuer: &str, audience: &str) -> String {
    format!(
        "{}.{}.c2lnbmF0dXJl",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(format!(r#"{{"iss":"{issuer}","aud":"{audience}"}}"#))
    )
}

fn assert_published(o: &Output) {
    assert_eq!(
        stdout(o),
        format!("uploaded {PURE}\nuploaded demo-1.0.tar.gz\ndemo 1.0: uploaded 2, 0 on the index already\n")
    );
    assert_eq!(stderr(o), "");
    assert_eq!(o.status.code(), Some(0));
}

/// Nothing on stdout, this one error line on stderr, exit 2.
fn assert_error(o: &Output, line: &str) {
    assert_eq!(stdout(o), "");
    assert_eq!(stderr(o), format!("wheelwright: error: {line}\n"));
    assert_eq!(o.status.code(), Some(2));
}

/// Both uploads authenticated with the minted token.
fn assert_uploads_used_the_minted_token(index: &Index) {
    let basic = format!("Basic {}", STANDARD.encode(format!("__token__:{MINTED}")));
    let uploads: Vec<(String, String)> = index
        .headers("authorization")
        .into_iter()
        .filter(|(line, _)| line == UPLOAD)
        .collect();
    assert_eq!(
        uploads,
        [(UPLOAD.into(), basic.clone()), (UPLOAD.into(), basic)]
    );
}

#[test]
fn a_gitlab_id_token_is_exchanged_for_the_upload_token() {
    let (wheel, sdist) = release("publish_trusted_gitlab");
    let index = Index::start(true);
    let token = jwt("https://gitlab.com", "pypi");
    let o = index.publish_env(
        "legacy/",
        &[],
        &[NO_TOKEN, ("GITLAB_CI", "true"), ("PYPI_ID_TOKEN", &token)],
        &[&wheel, &sdist],
    );
    assert_published(&o);
    assert_eq!(index.oidc_tokens(), [token]);
    assert_eq!(index.log(), [READ, AUDIENCE, MINT, UPLOAD, UPLOAD]);
    assert_uploads_used_the_minted_token(&index);
    assert_eq!(index.held(), [PURE, "demo-1.0.tar.gz"]);
}

#[test]
fn gitlab_takes_the_variable_named_after_the_audience() {
    let (wheel, _) = release("publish_trusted_gitlab_testpypi");
    let index = Index::start(true);
    index.set_audience("testpypi");
    let fix = "define it in the job's `id_tokens:`, with `aud:` the index's audience (pypi; testpypi for TestPyPI), or set WHEELWRIGHT_PUBLISH_TOKEN";
    // PyPI's variable does not serve TestPyPI (id's detect_gitlab).
    let o = index.publish_env(
        "legacy/",
        &[],
        &[
            NO_TOKEN,
            ("GITLAB_CI", "true"),
            ("PYPI_ID_TOKEN", &jwt("https://gitlab.com", "testpypi")),
        ],
        &[&wheel],
    );
    assert_error(
        &o,
        &format!(
            "trusted publishing: GitLab: Environment variable TESTPYPI_ID_TOKEN not found ({fix})"
        ),
    );
    assert_eq!(index.log(), [READ, AUDIENCE]);
    // A token for another audience is refused before the index sees it.
    let o = index.publish_env(
        "legacy/",
        &[],
        &[
            NO_TOKEN,
            ("GITLAB_CI", "true"),
            ("TESTPYPI_ID_TOKEN", &jwt("https://gitlab.com", "pypi")),
        ],
        &[&wheel],
    );
    assert_error(
        &o,
        &format!("trusted publishing: GitLab: Token audience claim mismatch (expected testpypi, got pypi) ({fix})"),
    );
    assert!(index.oidc_tokens().is_empty());
    assert!(index.held().is_empty());
}

#[test]
fn the_google_cloud_metadata_servers_identity_is_exchanged_for_the_upload_token() {
    let (wheel, sdist) = release("publish_trusted_google");
    let index = Index::start(true);
    let token = jwt("https://accounts.google.com", "pypi");
    index.set_identity(&token);
    let o = index.publish_env(
        "legacy/",
        &[],
        &[NO_TOKEN, ("WHEELWRIGHT_TEST_GCE_METADATA_URL", &index.url)],
        &[&wheel, &sdist],
    );
    assert_published(&o);
    // id's request: the audience and format=full as the query, Metadata-Flavor: Google.
    let identity = format!("GET {GCE_IDENTITY_PATH}?audience=pypi&format=full HTTP/1.1");
    assert_eq!(
        index.log(),
        [READ, AUDIENCE, &identity, MINT, UPLOAD, UPLOAD]
    );
    assert_eq!(
        index.headers("metadata-flavor"),
        [(identity, "Google".to_string())]
    );
    assert_eq!(index.oidc_tokens(), [token]);
    assert_uploads_used_the_minted_token(&index);
}

#[test]
fn a_github_actions_token_is_exchanged_for_the_upload_token() {
    let (wheel, sdist) = release("publish_trusted_github");
    let index = Index::start(true);
    let token = jwt("https://token.actions.githubusercontent.com", "pypi");
    index.set_identity(&token);
    let request_url = format!(
        "{}{}?api-version=2.0",
        index.url.trim_end_matches('/'),
        GITHUB_TOKEN_PATH
    );
    let o = index.publish_env(
        "legacy/",
        &[],
        &[
            NO_TOKEN,
            ("GITHUB_ACTIONS", "true"),
            ("ACTIONS_ID_TOKEN_REQUEST_URL", &request_url),
            ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "request-token"),
            // GitHub comes first (id's order).
            ("GITLAB_CI", "true"),
            ("WHEELWRIGHT_TEST_GCE_METADATA_URL", &index.url),
        ],
        &[&wheel, &sdist],
    );
    assert_published(&o);
    let github = format!("GET {GITHUB_TOKEN_PATH}?api-version=2.0&audience=pypi HTTP/1.1");
    assert_eq!(index.log(), [READ, AUDIENCE, &github, MINT, UPLOAD, UPLOAD]);
    assert_eq!(
        index.headers("authorization")[0],
        (github, "bearer request-token".to_string())
    );
    assert_eq!(index.oidc_tokens(), [token]);
    assert_uploads_used_the_minted_token(&index);
}

#[test]
fn github_actions_without_id_token_permission() {
    let (wheel, _) = release("publish_trusted_github_permission");
    let index = Index::start(true);
    let o = index.publish_env(
        "legacy/",
        &[],
        &[NO_TOKEN, ("GITHUB_ACTIONS", "true")],
        &[&wheel],
    );
    assert_error(
        &o,
        "trusted publishing: GitHub: missing or insufficient OIDC token permissions, the ACTIONS_ID_TOKEN_REQUEST_TOKEN environment variable was unset (give the job `permissions: id-token: write`, or set WHEELWRIGHT_PUBLISH_TOKEN)",
    );
    assert_eq!(index.log(), [READ, AUDIENCE]);
}

/// warehouse/oidc/views.py's answer to a token no trusted publisher matches.
const NO_PUBLISHER: &str = r#"{"message": "Token request failed", "errors": [{"code": "invalid-publisher", "description": "valid token, but no corresponding publisher (Publisher with matching claims was not found)"}]}"#;

#[test]
fn a_refused_token_request_is_reported_with_the_indexs_reasons() {
    let (wheel, sdist) = release("publish_trusted_refused");
    let index = Index::start(true);
    index.script_mints(vec![response(
        "422 Unprocessable Entity",
        "Content-Type: application/json\r\n",
        NO_PUBLISHER,
    )]);
    let token = jwt("https://gitlab.com", "pypi");
    let o = index.publish_env(
        "legacy/",
        &[],
        &[NO_TOKEN, ("GITLAB_CI", "true"), ("PYPI_ID_TOKEN", &token)],
        &[&wheel, &sdist],
    );
    assert_error(
        &o,
        &format!(
            "trusted publishing: GitLab: the index minted no API token: {}_/oidc/mint-token answered 422 Unprocessable Entity: Token request failed: invalid-publisher: valid token, but no corresponding publisher (Publisher with matching claims was not found) (add this GitLab project and its CI/CD file as a trusted publisher of the project on the index, or set WHEELWRIGHT_PUBLISH_TOKEN)",
            index.url
        ),
    );
    assert_eq!(index.oidc_tokens(), [token]);
    assert_eq!(index.log(), [READ, AUDIENCE, MINT]);
    assert!(index.held().is_empty());
}

#[test]
fn without_any_credentials_every_way_is_named() {
    let (wheel, _) = release("publish_trusted_none");
    let index = Index::start(true);
    let o = index.publish_env("legacy/", &[], &[NO_TOKEN], &[&wheel]);
    assert_error(
        &o,
        "no credentials: WHEELWRIGHT_PUBLISH_TOKEN is not set, and this is not GitHub Actions, GitLab CI/CD or Google Cloud, where trusted publishing would find an identity (set WHEELWRIGHT_PUBLISH_TOKEN to an API token of the index, or publish from one of those with trusted publishing)",
    );
    // The index was read; trusted publishing asked it nothing.
    assert_eq!(index.log(), [READ]);
    assert!(index.held().is_empty());
}
