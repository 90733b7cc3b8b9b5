//! PyPI's trusted publishing at the index: the audience it wants of an OIDC token, and
//! the exchange of one for an API token (warehouse/oidc/views.py).

use serde::Deserialize;
use ureq::http::Uri;

use super::error_body::index_said;
use super::{Credentials, Index};

impl Index {
    /// The origin (`scheme://host[:port]`) of the upload endpoint, where PyPI answers
    /// trusted publishing (twine/auth.py `_make_trusted_publishing_token` asks the
    /// repository's host).
    fn origin(&self) -> Result<String, String> {
        let uri: Uri = self
            .upload_url
            .parse()
            .map_err(|e| format!("{} is not a URL: {e}", self.upload_url))?;
        Ok(format!(
            "{}://{}",
            uri.scheme_str().unwrap_or("https"),
            uri.authority().map(|a| a.as_str()).unwrap_or_default()
        ))
    }

    /// The audience the index wants of an OIDC token: `{"audience": ...}` at
    /// `/_/oidc/audience` (warehouse/oidc/views.py `oidc_audience`).
    pub fn oidc_audience(&self) -> Result<String, String> {
        #[derive(Deserialize)]
        struct Audience {
            audience: String,
        }
        let url = format!("{}/_/oidc/audience", self.origin()?);
        let response = self.agent.get(&url).call();
        let (_, body) = success(&url, response)?;
        serde_json::from_str::<Audience>(&body)
            .map(|a| a.audience)
            .map_err(|e| format!("{url} gave no audience: {e}"))
    }

    /// An OIDC token exchanged for a short-lived API token at `/_/oidc/mint-token`
    /// (warehouse/oidc/views.py `mint_token_from_oidc`: `{"token": ...}` in, `{"token":
    /// ...}` out, or 422 with `{"message", "errors": [{"code", "description"}]}`).
    pub fn mint_token(&self, oidc_token: &str) -> Result<Credentials, String> {
        #[derive(Deserialize)]
        struct Minted {
            token: String,
        }
        let url = format!("{}/_/oidc/mint-token", self.origin()?);
        let response = self
            .agent
            .post(&url)
            .config()
            .max_redirects(0)
            .build()
            .send_json(serde_json::json!({ "token": oidc_token }));
        let (status, body) = success(&url, response)?;
        let minted: Minted = serde_json::from_str(&body)
            .map_err(|e| format!("{url} answered {status} but gave no token: {e}"))?;
        Ok(Credentials {
            username: "__token__".into(),
            password: minted.token,
        })
    }
}

/// A successful response's status and body, or why there was none: no answer, or
/// another status with what the index said.
fn success(
    url: &str,
    response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> Result<(ureq::http::StatusCode, String), String> {
    let mut response = response.map_err(|e| format!("{url} did not answer: {e}"))?;
    let status = response.status();
    let body = response
        .body_mut()
        .read_to_string()
        .map_err(|e| format!("{url} did not answer whole: {e}"))?;
    if !status.is_success() {
        return Err(format!("{url} answered {status}{}", index_said(&body)));
    }
    Ok((status, body))
}
