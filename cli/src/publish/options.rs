//! What publish is told: the index to upload to (PyPI's and TestPyPI's simple indexes
//! known), and the limits to check the release against.

use crate::archive::Limits;
use crate::error::Unusable;

/// PyPI's upload endpoint, the default.
pub const PYPI_UPLOAD_URL: &str = "https://upload.pypi.org/legacy/";

pub struct Options {
    pub upload_url: String,
    /// The simple index listing what the upload endpoint holds (PyPI's is derived).
    pub simple_url: Option<String>,
    pub dry_run: bool,
    pub limits: Limits,
    /// The largest file the index takes
    /// ([`FILE_SIZE_LIMIT`](super::rules::FILE_SIZE_LIMIT) unless raised).
    pub file_size_limit: u64,
    /// The largest total the project may hold
    /// ([`PROJECT_SIZE_LIMIT`](super::rules::PROJECT_SIZE_LIMIT) unless raised).
    pub project_size_limit: u64,
}

/// PyPI's and TestPyPI's upload endpoints and the simple indexes beside them.
const KNOWN: &[(&str, &str)] = &[
    (PYPI_UPLOAD_URL, "https://pypi.org/simple/"),
    (
        "https://test.pypi.org/legacy/",
        "https://test.pypi.org/simple/",
    ),
];

/// PyPI's or TestPyPI's upload endpoint and simple index, when `upload_url` is the
/// upload endpoint of one (with or without its trailing slash).
pub fn known(upload_url: &str) -> Option<&'static (&'static str, &'static str)> {
    KNOWN
        .iter()
        .find(|(upload, _)| upload.trim_end_matches('/') == upload_url.trim_end_matches('/'))
}

/// The upload endpoint and the simple index beside it: PyPI's and TestPyPI's own (their
/// upload URL taken with or without its trailing slash), or as given.
pub fn endpoints(opts: &Options) -> Result<(String, String), Unusable> {
    let known = known(&opts.upload_url);
    let upload_url = known.map_or(opts.upload_url.as_str(), |(upload, _)| upload);
    let simple_url = match (&opts.simple_url, known) {
        (Some(given), _) => given.as_str(),
        (None, Some((_, simple))) => simple,
        (None, None) => {
            return Err(Unusable::new(
                format!("no simple index is known for {}", opts.upload_url),
                "pass --index-url, the index's simple API (e.g. http://host:8080/simple/), to see what it holds",
            ))
        }
    };
    Ok((upload_url.to_string(), simple_url.to_string()))
}
