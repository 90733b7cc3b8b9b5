//! The job's OIDC token where it runs, had as id has it (`detect_github`, `detect_gcp`,
//! `detect_gitlab`), and checked as id checks it (`_validate_credential`).

use base64::Engine;

use super::{Ambient, Provider, GCE_METADATA_TEST_ENV};

/// The origin of id's `_GCP_IDENTITY_REQUEST_URL`
/// (`http://metadata/computeMetadata/v1/instance/service-accounts/default/identity`).
const GCE_METADATA_ORIGIN: &str = "http://metadata";
/// The path of id's `_GCP_IDENTITY_REQUEST_URL`.
pub const GCE_IDENTITY_PATH: &str =
    "/computeMetadata/v1/instance/service-accounts/default/identity";

impl Ambient {
    /// The job's OIDC token for `audience`, or why it cannot be had, in id's words.
    pub fn token(
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
pub fn python_repr(s: &str) -> String {
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
