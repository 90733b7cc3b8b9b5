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

mod token;

use std::collections::BTreeMap;
use std::time::Duration;

use super::index::{Credentials, Index};
use crate::error::Unusable;
use token::validate;

/// For tests only: stands for Google Cloud's metadata server, which is otherwise
/// `http://metadata` on a machine whose DMI product name says Google. Set and empty, the
/// machine is taken as not on Google Cloud; set to an origin (`http://127.0.0.1:8080`),
/// it is taken as on Google Cloud with its metadata server there. id has no such variable
/// (its tests patch its module).
pub const GCE_METADATA_TEST_ENV: &str = "WHEELWRIGHT_TEST_GCE_METADATA_URL";

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

/// An API token by trusted publishing: the index's audience, the job's OIDC token for it,
/// and the index's exchange of that token (the steps of twine/auth.py
/// `_make_trusted_publishing_token`); `None` where the job has no identity.
pub fn credentials(index: &Index) -> Result<Option<Credentials>, Unusable> {
    let ambient = Ambient::read();
    let Some(provider) = ambient.detect() else {
        return Ok(None);
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
    index.mint_token(&token).map(Some).map_err(|e| {
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
}

#[cfg(test)]
mod tests;
