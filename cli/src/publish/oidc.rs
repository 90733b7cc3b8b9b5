//! Trusted publishing: without a token, the job's OIDC identity token from GitHub
//! Actions, Google Cloud or GitLab CI/CD, exchanged at the index for a short-lived API
//! token.
//!
//! The identity is found as pypa's `id` package finds it (id 1.6.1,
//! `id/_internal/oidc/ambient.py`; twine/auth.py `_make_trusted_publishing_token` calls
//! its `detect_credential`): the same environments, detected the same way and tried in
//! the same order (GitHub, Google Cloud, GitLab), with id's failure messages, and the
//! token checked as id checks it (`id/__init__.py`, `_validate_credential`). id also
//! knows Buildkite and CircleCI, which wheelwright does not, and impersonates the
//! service account that `GOOGLE_SERVICE_ACCOUNT_NAME` names, which wheelwright refuses.

use std::collections::BTreeMap;
use std::time::Duration;

use base64::Engine;

use super::index::{Credentials, Index};
use crate::error::Unusable;

/// For tests only: stands for Google Cloud's metadata server, which is otherwise
/// `http://metadata` on a machine whose DMI product name says Google. Set and empty, the
/// machine is taken as not on Google Cloud; set to an origin (`http://127.0.0.1:8080`),
/// it is taken as on Google Cloud with its metadata server there. id has no such variable
/// (its tests patch its module).
pub const GCE_METADATA_TEST_ENV: &str = "WHEELWRIGHT_TEST_GCE_METADATA_URL";

/// The origin of id's `_GCP_IDENTITY_REQUEST_URL`
/// (`http://metadata/computeMetadata/v1/instance/service-accounts/default/identity`).
const GCE_METADATA_ORIGIN: &str = "http://metadata";
/// The path of id's `_GCP_IDENTITY_REQUEST_URL`.
pub const GCE_IDENTITY_PATH: &str =
    "/computeMetadata/v1/instance/service-accounts/default/identity";
/// id's `_GCP_PRODUCT_NAME_FILE`: Google Cloud's machines name themselves there.
const GCE_PRODUCT_NAME_FILE: &str = "/sys/class/dmi/id/product_name";

/// id's detectors' timeout (`timeout=30` on each request).
const TIMEOUT: Duration = Duration::from_secs(30);

/// Where the job runs, for trusted publishing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provider {
    GitHub,
    GoogleCloud,
    GitLab,
}

impl Provider {
    /// How id's messages name it.
    fn label(self) -> &'static str {
        match self {
            Provider::GitHub => "GitHub",
            Provider::GoogleCloud => "GCP",
            Provider::GitLab => "GitLab",
        }
    }

    /// What to do when the job's token cannot be had, or is not for the index.
    fn token_fix(self) -> &'static str {
        match self {
            Provider::GitHub => {
                "give the job `permissions: id-token: write`, or set WHEELWRIGHT_PUBLISH_TOKEN"
            }
            Provider::GoogleCloud => {
                "publish as the instance's own service account (GOOGLE_SERVICE_ACCOUNT_NAME unset), or set WHEELWRIGHT_PUBLISH_TOKEN"
            }
            Provider::GitLab => {
                "define it in the job's `id_tokens:`, with `aud:` the index's audience (pypi; testpypi for TestPyPI), or set WHEELWRIGHT_PUBLISH_TOKEN"
            }
        }
    }

    /// What to do when the index mints no API token for the job's token.
    fn publisher_fix(self) -> &'static str {
        match self {
            Provider::GitHub => {
                "add this repository and workflow as a trusted publisher of the project on the index, or set WHEELWRIGHT_PUBLISH_TOKEN"
            }
            Provider::GoogleCloud => {
                "add the service account's e-mail as a trusted publisher of the project on the index, or set WHEELWRIGHT_PUBLISH_TOKEN"
            }
            Provider::GitLab => {
                "add this GitLab project and its CI/CD file as a trusted publisher of the project on the index, or set WHEELWRIGHT_PUBLISH_TOKEN"
            }
        }
    }
}

/// What no credentials at all is reported as: every way to have some.
pub fn no_credentials() -> Unusable {
    Unusable::new(
        format!(
            "no credentials: {} is not set, and this is not GitHub Actions, GitLab CI/CD or Google Cloud, where trusted publishing would find an identity",
            super::TOKEN_ENV
        ),
        "set WHEELWRIGHT_PUBLISH_TOKEN to an API token of the index, or publish from one of those with trusted publishing",
    )
}

/// An API token by trusted publishing: the index's audience, the job's OIDC token for it,
/// and the index's exchange of that token (the steps of twine/auth.py
/// `_make_trusted_publishing_token`). [`no_credentials`] where the job has no identity.
pub fn credentials(index: &Index) -> Result<Credentials, Unusable> {
    let ambient = Ambient::read();
    let Some(provider) = ambient.detect() else {
        return Err(no_credentials());
    };
    let fail = |what: String, fix: &'static str| {
        Unusable::new(
            format!("trusted publishing: {}: {what}", provider.label()),
            fix,
        )
    };
    let audience = index.oidc_audience().map_err(|e| {
        fail(
            format!("cannot get the index's OIDC audience: {e}"),
            "trusted publishing needs an index that answers it, as PyPI and TestPyPI do: check --repository-url, or set WHEELWRIGHT_PUBLISH_TOKEN",
        )
    })?;
    // id's messages name the provider already.
    let token = ambient
        .token(provider, &audience, &agent())
        .map_err(|e| Unusable::new(format!("trusted publishing: {e}"), provider.token_fix()))?;
    validate(&token, &audience).map_err(|e| fail(e, provider.token_fix()))?;
    index.mint_token(&token).map_err(|e| {
        fail(
            format!("the index minted no API token: {e}"),
            provider.publisher_fix(),
        )
    })
}

/// The agent for the job's token: as id's requests (urllib3's, which read no proxy
/// variables, and must not send the metadata server's request through one), 30 s each.
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .timeout_global(Some(TIMEOUT))
        .user_agent(concat!("wheelwright/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// What id reads of the job's environment: its variables, and the machine's DMI product
/// name.
pub struct Ambient {
    vars: BTreeMap<String, String>,
    product_name: Option<String>,
}

impl Ambient {
    /// This process's environment and machine.
    pub fn read() -> Ambient {
        let vars = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .collect();
        Ambient {
            vars,
            product_name: std::fs::read_to_string(GCE_PRODUCT_NAME_FILE).ok(),
        }
    }

    /// A variable as id takes one (`if not os.getenv(...)`): set and not empty.
    fn var(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// Where the job runs, as id's detectors find it, in their order
    /// (`detect_credential`: `detect_github`, `detect_gcp`, then, after Buildkite,
    /// `detect_gitlab`); `None` where none of them would find anything.
    pub fn detect(&self) -> Option<Provider> {
        if self.var("GITHUB_ACTIONS").is_some() {
            Some(Provider::GitHub)
        } else if self.var("GOOGLE_SERVICE_ACCOUNT_NAME").is_some() || self.on_google_cloud() {
            Some(Provider::GoogleCloud)
        } else if self.var("GITLAB_CI").is_some() {
            Some(Provider::GitLab)
        } else {
            None
        }
    }

    /// id's `detect_gcp` without a service account to impersonate: the DMI product name,
    /// stripped, is `Google` or `Google Compute Engine`. [`GCE_METADATA_TEST_ENV`] stands
    /// for it where set.
    fn on_google_cloud(&self) -> bool {
        match self.vars.get(GCE_METADATA_TEST_ENV) {
            Some(origin) => !origin.is_empty(),
            None => self
                .product_name
                .as_deref()
                .is_some_and(|name| ["Google", "Google Compute Engine"].contains(&name.trim())),
        }
    }

    /// The job's OIDC token for `audience`, or why it cannot be had, in id's words.
    fn token(
        &self,
        provider: Provider,
        audience: &str,
        agent: &ureq::Agent,
    ) -> Result<String, String> {
        match provider {
            Provider::GitHub => self.github(audience, agent),
            Provider::GoogleCloud => self.google_cloud(audience, agent),
            Provider::GitLab => {
                let name = gitlab_variable(audience);
                self.var(&name)
                    .map(str::to_string)
                    .ok_or_else(|| format!("GitLab: Environment variable {name} not found"))
            }
        }
    }

    /// id's `detect_github`: GET the request URL with `audience`, the request token as
    /// bearer; the token is the answer's `value`.
    fn github(&self, audience: &str, agent: &ureq::Agent) -> Result<String, String> {
        let permissions = |var: &str| {
            format!("GitHub: missing or insufficient OIDC token permissions, the {var} environment variable was unset")
        };
        let request_token = self
            .var("ACTIONS_ID_TOKEN_REQUEST_TOKEN")
            .ok_or_else(|| permissions("ACTIONS_ID_TOKEN_REQUEST_TOKEN"))?;
        let request_url = self
            .var("ACTIONS_ID_TOKEN_REQUEST_URL")
            .ok_or_else(|| permissions("ACTIONS_ID_TOKEN_REQUEST_URL"))?;
        let response = agent
            .get(request_url)
            .query("audience", audience)
            .header("Authorization", format!("bearer {request_token}"))
            .call();
        let body = ok_body("GitHub", response)?;
        #[derive(serde::Deserialize)]
        struct IdToken {
            value: String,
        }
        serde_json::from_str::<IdToken>(&body)
            .map(|t| t.value)
            .map_err(|_| "GitHub: malformed or incomplete JSON".to_string())
    }

    /// id's `detect_gcp` without impersonation: GET the metadata server's identity with
    /// `audience` and `format=full`, `Metadata-Flavor: Google`; the token is the body.
    fn google_cloud(&self, audience: &str, agent: &ureq::Agent) -> Result<String, String> {
        if self.var("GOOGLE_SERVICE_ACCOUNT_NAME").is_some() {
            return Err("GCP: GOOGLE_SERVICE_ACCOUNT_NAME is set, and wheelwright does not impersonate a service account (id does)".into());
        }
        let origin = self
            .var(GCE_METADATA_TEST_ENV)
            .unwrap_or(GCE_METADATA_ORIGIN)
            .trim_end_matches('/');
        let response = agent
            .get(format!("{origin}{GCE_IDENTITY_PATH}"))
            .query("audience", audience)
            .query("format", "full")
            .header("Metadata-Flavor", "Google")
            .call();
        ok_body("GCP", response)
    }
}

/// The body of a 200 answer to id's OIDC token request, or id's failure message for it.
/// id says "timed out" for any request that got no answer (urllib3's `MaxRetryError`);
/// here the error says what happened.
fn ok_body(
    label: &str,
    response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> Result<String, String> {
    let mut response = response.map_err(|e| format!("{label}: OIDC token request failed ({e})"))?;
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .read_to_string()
        .map_err(|e| format!("{label}: OIDC token request failed ({e})"))?;
    if status != 200 {
        return Err(format!(
            "{label}: OIDC token request failed (code={status}, body={})",
            python_repr(&body)
        ));
    }
    Ok(body)
}

/// The variable a GitLab job's ID token for `audience` is in: id's `detect_gitlab`,
/// `_env_var_regex.sub("_", audience.upper()) + "_ID_TOKEN"`, the regex being
/// `[^A-Z0-9_]|^[^A-Z_]`: the audience upper-cased, every character but A-Z, 0-9 and `_`
/// made `_`, and a leading digit too. `pypi` gives PYPI_ID_TOKEN, `testpypi`
/// TESTPYPI_ID_TOKEN.
pub fn gitlab_variable(audience: &str) -> String {
    let sanitized: String = audience
        .to_uppercase()
        .chars()
        .enumerate()
        .map(|(i, c)| match c {
            'A'..='Z' | '_' => c,
            '0'..='9' if i > 0 => c,
            _ => '_',
        })
        .collect();
    format!("{sanitized}_ID_TOKEN")
}

/// id's `_validate_credential`: the token is a JWT whose payload is a JSON object with
/// `aud` the audience. Its messages.
pub fn validate(token: &str, audience: &str) -> Result<(), String> {
    let malformed = || "Malformed token".to_string();
    let [_, payload, _] = token.split('.').collect::<Vec<_>>()[..] else {
        return Err(malformed());
    };
    // Python's `base64.urlsafe_b64decode(payload + "==")`: padding optional.
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::URL_SAFE,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    let bytes = engine
        .decode(payload.trim_end_matches('='))
        .map_err(|_| malformed())?;
    let text = String::from_utf8(bytes).map_err(|_| malformed())?;
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|_| malformed())?;
    let Some(claims) = json.as_object() else {
        return Err("Malformed token payload (JWT is not a JSON object)".into());
    };
    let Some(aud) = claims.get("aud") else {
        return Err("Malformed token payload (audience claim is missing)".into());
    };
    if aud.as_str() == Some(audience) {
        return Ok(());
    }
    let got = match aud {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    Err(format!(
        "Token audience claim mismatch (expected {audience}, got {got})"
    ))
}

/// A string as Python's `repr` writes it (id's messages show bodies so): in single
/// quotes unless it holds one and no double quote; backslashes, the quote, and control
/// characters escaped.
fn python_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
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
}
