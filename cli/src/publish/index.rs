//! The index's HTTP interfaces: the simple API (PEP 691 JSON, or PEP 503 HTML) that lists
//! a project's files with their sha256 (and, PEP 700, their sizes), the legacy upload API
//! that twine and PyPI use, and PyPI's trusted publishing (the audience it wants of an
//! OIDC token, and the exchange of one for an API token; `oidc.rs` finds the token).
//! Failures say whether they may be retried (`retry.rs` decides); reads follow
//! redirects, uploads do not (see [`Index::upload`]).

mod error_body;
mod trusted_publishing;

use std::collections::BTreeMap;
use std::time::Duration;

use base64::Engine;
use serde::Deserialize;
use ureq::http::Uri;
use ureq::unversioned::multipart::{Form, Part};
use ureq::unversioned::resolver::DefaultResolver;

use super::retry::Failure;
use super::transport;
use error_body::said;

/// The account an upload authenticates as (HTTP basic auth; PyPI: `__token__`).
pub struct Credentials {
    pub username: String,
    pub password: String,
}

/// What the index says of a file it holds: its sha256 and size, when it gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Held {
    pub sha256: Option<String>,
    pub size: Option<u64>,
}

/// The files the index holds, by name.
pub type Listing = BTreeMap<String, Held>;

/// A request that failed: how (for the retry policy), and what to tell.
#[derive(Debug)]
pub struct Failed {
    pub failure: Failure,
    pub message: String,
}

impl Failed {
    fn fatal(message: String) -> Failed {
        Failed {
            failure: Failure::Fatal,
            message,
        }
    }

    /// ureq's error for a request to `url`: a connection that failed or dropped (which
    /// may be tried again) or anything else (which may not).
    fn from_ureq(url: &str, e: ureq::Error) -> Failed {
        let failure = match e {
            ureq::Error::Io(_)
            | ureq::Error::Timeout(_)
            | ureq::Error::Protocol(_)
            | ureq::Error::ConnectionFailed
            | ureq::Error::HostNotFound => Failure::Dropped,
            _ => Failure::Fatal,
        };
        Failed {
            failure,
            message: format!("{url} did not answer: {e}"),
        }
    }
}

pub struct Index {
    agent: ureq::Agent,
    upload_url: String,
    simple_url: String,
}

#[derive(Deserialize)]
struct SimpleJson {
    files: Vec<SimpleFile>,
}

#[derive(Deserialize)]
struct SimpleFile {
    filename: String,
    #[serde(default)]
    hashes: BTreeMap<String, String>,
    /// PEP 700 (API version 1.1): PyPI gives it, as warehouse/packaging/utils.py does.
    #[serde(default)]
    size: Option<u64>,
}

impl Index {
    pub fn new(upload_url: &str, simple_url: &str) -> Index {
        let config = ureq::Agent::config_builder()
            // Error bodies carry the index's reason.
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(600)))
            .user_agent(concat!("wheelwright/", env!("CARGO_PKG_VERSION")))
            .build();
        // An index may refuse an upload before reading its body: its answer is read.
        let agent =
            ureq::Agent::with_parts(config, transport::connector(), DefaultResolver::default());
        Index {
            agent,
            upload_url: upload_url.to_string(),
            simple_url: format!("{}/", simple_url.trim_end_matches('/')),
        }
    }

    /// The simple API's page of `project` (a PEP 503 normalised name).
    pub fn listing_url(&self, project: &str) -> String {
        format!("{}{project}/", self.simple_url)
    }

    /// The files the index holds for `project` (a PEP 503 normalised name); empty when
    /// the index does not know the project. Redirects are followed: reading sends no
    /// credentials.
    pub fn files(&self, project: &str) -> Result<Listing, Failed> {
        let url = self.listing_url(project);
        let mut response = self
            .agent
            .get(&url)
            .header(
                "Accept",
                "application/vnd.pypi.simple.v1+json, text/html;q=0.1",
            )
            .call()
            .map_err(|e| Failed::from_ureq(&url, e))?;
        let status = response.status();
        if status == 404 {
            return Ok(Listing::new());
        }
        let json = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("json"));
        let retry_after = header(&response, "retry-after");
        let body = response
            .body_mut()
            .read_to_string()
            .map_err(|e| Failed::from_ureq(&url, e))?;
        if !status.is_success() {
            return Err(Failed {
                failure: Failure::Answered {
                    status: status.as_u16(),
                    retry_after,
                },
                message: format!("{url} answered {status}{}", said(&body)),
            });
        }
        if json {
            let page: SimpleJson = serde_json::from_str(&body)
                .map_err(|e| Failed::fatal(format!("{url} is not PEP 691 JSON: {e}")))?;
            Ok(page
                .files
                .into_iter()
                .map(|f| {
                    let held = Held {
                        sha256: f.hashes.get("sha256").cloned(),
                        size: f.size,
                    };
                    (f.filename, held)
                })
                .collect())
        } else {
            Ok(listing_from_html(&body))
        }
    }

    /// Uploads one file with its form fields (legacy API, `:action=file_upload`). No
    /// redirect is followed, as twine follows none: a redirected POST would go elsewhere
    /// with the credentials, or lose its body. One is taken: an endpoint that moves the
    /// upload to its own URL with the trailing slash added or removed (307/308, as PyPI
    /// moves `/legacy` to `/legacy/`) gets the file again there, and keeps that URL.
    pub fn upload(
        &mut self,
        path: &std::path::Path,
        file_name: &str,
        fields: &[(String, String)],
        credentials: &Credentials,
    ) -> Result<(), Failed> {
        let mut response = self.post_file(path, file_name, fields, credentials)?;
        if matches!(response.status().as_u16(), 307 | 308) {
            let moved =
                header(&response, "location").and_then(|to| slash_variant(&self.upload_url, &to));
            if let Some(to) = moved {
                self.upload_url = to;
                response = self.post_file(path, file_name, fields, credentials)?;
            }
        }
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let retry_after = header(&response, "retry-after");
        let location = header(&response, "location")
            .map(|l| format!(" (redirected to {l}: pass that as --repository-url)"))
            .unwrap_or_default();
        let body = response.body_mut().read_to_string().unwrap_or_default();
        Err(Failed {
            failure: Failure::Answered {
                status: status.as_u16(),
                retry_after,
            },
            message: format!(
                "{} answered {status}{location}{}",
                self.upload_url,
                said(&body)
            ),
        })
    }

    fn post_file(
        &self,
        path: &std::path::Path,
        file_name: &str,
        fields: &[(String, String)],
        credentials: &Credentials,
    ) -> Result<ureq::http::Response<ureq::Body>, Failed> {
        let content = Part::file(path)
            .map_err(|e| Failed::fatal(format!("cannot read {}: {e}", path.display())))?
            .file_name(file_name)
            .mime_str("application/octet-stream")
            .map_err(|e| Failed::fatal(e.to_string()))?;
        let form = fields
            .iter()
            .fold(Form::new(), |form, (k, v)| form.text(k, v))
            .part("content", content);
        let auth = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", credentials.username, credentials.password));
        self.agent
            .post(&self.upload_url)
            .config()
            .max_redirects(0)
            .build()
            .header("Authorization", format!("Basic {auth}"))
            .send(form)
            .map_err(|e| Failed::from_ureq(&self.upload_url, e))
    }
}

/// A PEP 503 page's anchors: the text is the file name, the URL's fragment may carry
/// `sha256=<hex>`.
fn listing_from_html(html: &str) -> Listing {
    let page = scraper::Html::parse_document(html);
    let Ok(anchors) = scraper::Selector::parse("a[href]") else {
        return Listing::new();
    };
    page.select(&anchors)
        .map(|a| {
            let name = a.text().collect::<String>().trim().to_string();
            let sha256 = a
                .value()
                .attr("href")
                .and_then(|href| href.split_once("#sha256="))
                .map(|(_, hex)| hex.to_string());
            (name, Held { sha256, size: None })
        })
        .collect()
}

/// A response header's value, when it is text.
fn header(response: &ureq::http::Response<ureq::Body>, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// `location` resolved against `url` (an absolute URL or an absolute path), when it is
/// `url` with a trailing slash added or removed.
fn slash_variant(url: &str, location: &str) -> Option<String> {
    let to = if location.starts_with('/') {
        let uri: Uri = url.parse().ok()?;
        format!(
            "{}://{}{location}",
            uri.scheme_str()?,
            uri.authority()?.as_str()
        )
    } else {
        location.to_string()
    };
    (to == format!("{url}/") || format!("{to}/") == url).then_some(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pep503_anchors_give_names_and_hashes() {
        let html = r#"<!DOCTYPE html><html><body><h1>Links for ww</h1>
            <a href="/packages/ww-0.1.0.tar.gz#sha256=ab12">ww-0.1.0.tar.gz</a><br>
            <a href="../../packages/ww-0.1.0-cp38-abi3-manylinux_2_17_x86_64.whl">
              ww-0.1.0-cp38-abi3-manylinux_2_17_x86_64.whl</a></body></html>"#;
        let got = listing_from_html(html);
        assert_eq!(
            got.into_iter().collect::<Vec<_>>(),
            vec![
                (
                    "ww-0.1.0-cp38-abi3-manylinux_2_17_x86_64.whl".to_string(),
                    Held::default()
                ),
                (
                    "ww-0.1.0.tar.gz".to_string(),
                    Held {
                        sha256: Some("ab12".into()),
                        size: None
                    }
                ),
            ]
        );
    }

    #[test]
    fn a_trailing_slash_is_the_only_move_taken() {
        let url = "https://upload.example.org/legacy";
        assert_eq!(
            slash_variant(url, "/legacy/").as_deref(),
            Some("https://upload.example.org/legacy/")
        );
        assert_eq!(
            slash_variant(url, "https://upload.example.org/legacy/").as_deref(),
            Some("https://upload.example.org/legacy/")
        );
        assert_eq!(
            slash_variant("http://127.0.0.1:8080/up/", "http://127.0.0.1:8080/up").as_deref(),
            Some("http://127.0.0.1:8080/up")
        );
        for elsewhere in [
            "/other/",
            "https://evil.example.org/legacy/",
            "http://upload.example.org/legacy/",
            "legacy/",
        ] {
            assert_eq!(slash_variant(url, elsewhere), None, "{elsewhere}");
        }
    }
}
