//! Whom publish uploads as: an API token from the environment, else trusted publishing
//! (`oidc.rs`).

use super::index::{Credentials, Index};
use super::oidc;
use crate::error::Unusable;

/// The environment variable holding an API token for the index.
pub const TOKEN_ENV: &str = "WHEELWRIGHT_PUBLISH_TOKEN";

/// The API token in the environment, unless it is empty.
pub fn token() -> Option<String> {
    std::env::var(TOKEN_ENV).ok().filter(|t| !t.is_empty())
}

/// A token from the environment, else PyPI's trusted publishing from GitHub Actions,
/// Google Cloud or GitLab CI/CD (`oidc.rs`).
pub fn credentials(index: &Index) -> Result<Credentials, Unusable> {
    if let Some(token) = token() {
        return Ok(Credentials {
            username: "__token__".into(),
            password: token,
        });
    }
    oidc::credentials(index)?.ok_or_else(no_credentials)
}

/// What no credentials at all is reported as: every way to have some.
fn no_credentials() -> Unusable {
    Unusable::new(
        format!(
            "no credentials: {TOKEN_ENV} is not set, and this is not GitHub Actions, GitLab CI/CD or Google Cloud, where trusted publishing would find an identity"
        ),
        "set WHEELWRIGHT_PUBLISH_TOKEN to an API token of the index, or publish from one of those with trusted publishing",
    )
}
