//! A PyPI-like index on 127.0.0.1 for the publish tests: a simple API listing what it
//! holds (PEP 691 JSON with PEP 700 sizes, or PEP 503 HTML), an upload endpoint that
//! keeps what it is sent (the file, and the `attestations` form field when there is
//! one), and scripted answers to play an index that fails. For trusted publishing it
//! answers warehouse's `/_/oidc/audience` and `/_/oidc/mint-token`, keeping the OIDC
//! tokens it is sent, and plays the job's identity provider too: Google Cloud's metadata
//! server and GitHub Actions' token request URL.

mod request;
mod routes;

use std::collections::{BTreeMap, VecDeque};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

/// What the index does with the next upload.
pub enum Upload {
    /// Reads the whole request, then sends this response (see [`response`]); keeps nothing.
    Answer(String),
    /// Reads the request's headers only, sends this response and closes the connection
    /// with the body unread, as indexes refuse an upload early (authentication, size).
    AnswerEarly(String),
    /// Reads the request's headers only, then closes the connection without answering:
    /// a connection dropped while the file is being sent.
    DropMidBody,
    /// Reads the whole request and keeps the file, then closes without answering: an
    /// upload that landed, its answer lost.
    KeepAndDrop,
    /// Keeps the file and answers 200, as when nothing is scripted.
    Keep,
}

/// A file the index holds, and the size its listing gives.
struct Held {
    content: Vec<u8>,
    listed_size: u64,
}

#[derive(Default)]
struct State {
    held: BTreeMap<String, Held>,
    /// The `attestations` form field of each upload kept that had one, by file name.
    attestations: BTreeMap<String, String>,
    /// The answers to the next uploads, in order; after them, uploads are kept and
    /// answered 200.
    uploads: VecDeque<Upload>,
    /// The answers to the next reads of the simple API, in order; after them, the listing.
    reads: VecDeque<String>,
    /// Paths answered with a redirect, whatever the method: path, status, Location.
    redirects: Vec<(String, String, String)>,
    /// The request line of every request, in order.
    log: Vec<String>,
    /// Every request's line and headers (names lower-cased), in order.
    heads: Vec<(String, Vec<(String, String)>)>,
    /// What `/_/oidc/audience` answers.
    audience: String,
    /// The OIDC tokens `/_/oidc/mint-token` was sent, in order.
    oidc_tokens: Vec<String>,
    /// The answers to the next token requests, in order; after them, [`MINTED`].
    mints: VecDeque<String>,
    /// The job's OIDC token, as the metadata server and GitHub's request URL give it.
    identity: String,
}

/// The API token `/_/oidc/mint-token` mints.
pub const MINTED: &str = "pypi-minted-token";
/// Where the index plays GitHub Actions' OIDC token request URL.
pub const GITHUB_TOKEN_PATH: &str = "/github/idtoken";
/// Where the index plays the metadata server's identity (id's
/// `_GCP_IDENTITY_REQUEST_URL`).
pub const GCE_IDENTITY_PATH: &str =
    "/computeMetadata/v1/instance/service-accounts/default/identity";

pub struct Index {
    /// `http://127.0.0.1:<port>/`
    pub url: String,
    state: Arc<Mutex<State>>,
}

impl Index {
    /// Starts the index; `json` chooses PEP 691 JSON listings with sizes over PEP 503
    /// HTML without them.
    pub fn start(json: bool) -> Index {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("local address").port();
        let state = Arc::new(Mutex::new(State {
            audience: "pypi".into(),
            ..State::default()
        }));
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                routes::serve(stream, &shared, json);
            }
        });
        Index {
            url: format!("http://127.0.0.1:{port}/"),
            state,
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().expect("index state")
    }

    /// Holds `file_name` with this content, listed with its real size.
    pub fn hold(&self, file_name: &str, content: &[u8]) {
        self.hold_listed(file_name, content, content.len() as u64);
    }

    /// Holds `file_name` with this content, listed with `listed_size` bytes.
    pub fn hold_listed(&self, file_name: &str, content: &[u8], listed_size: u64) {
        self.state().held.insert(
            file_name.to_string(),
            Held {
                content: content.to_vec(),
                listed_size,
            },
        );
    }

    /// What the next uploads get, in order.
    pub fn script_uploads(&self, uploads: Vec<Upload>) {
        self.state().uploads.extend(uploads);
    }

    /// What the next reads of the simple API get, in order.
    pub fn script_reads(&self, responses: Vec<String>) {
        self.state().reads.extend(responses);
    }

    /// Requests for `path` get `status` and `Location: location`.
    pub fn redirect(&self, path: &str, status: &str, location: &str) {
        self.state()
            .redirects
            .push((path.into(), status.into(), location.into()));
    }

    /// The names of the files held.
    pub fn held(&self) -> Vec<String> {
        self.state().held.keys().cloned().collect()
    }

    /// The content of a file held.
    pub fn content(&self, file_name: &str) -> Option<Vec<u8>> {
        self.state().held.get(file_name).map(|h| h.content.clone())
    }

    /// The `attestations` form field sent with the upload of `file_name` that the index
    /// kept, when it had one.
    pub fn attestations(&self, file_name: &str) -> Option<String> {
        self.state().attestations.get(file_name).cloned()
    }

    /// Every request line so far.
    pub fn log(&self) -> Vec<String> {
        self.state().log.clone()
    }

    /// The request lines of the requests that carried the header `name`, with its value.
    pub fn headers(&self, name: &str) -> Vec<(String, String)> {
        let name = name.to_ascii_lowercase();
        self.state()
            .heads
            .iter()
            .filter_map(|(line, headers)| {
                let (_, value) = headers.iter().find(|(k, _)| *k == name)?;
                Some((line.clone(), value.clone()))
            })
            .collect()
    }

    /// What `/_/oidc/audience` answers (`pypi` unless set).
    pub fn set_audience(&self, audience: &str) {
        self.state().audience = audience.into();
    }

    /// The OIDC token the metadata server and GitHub's request URL give.
    pub fn set_identity(&self, token: &str) {
        self.state().identity = token.into();
    }

    /// What the next requests to `/_/oidc/mint-token` get, in order.
    pub fn script_mints(&self, responses: Vec<String>) {
        self.state().mints.extend(responses);
    }

    /// The OIDC tokens `/_/oidc/mint-token` was sent.
    pub fn oidc_tokens(&self) -> Vec<String> {
        self.state().oidc_tokens.clone()
    }

    /// Runs `wheelwright publish --repository-url <url><upload_path> --index-url
    /// <url>simple/ <args>` with a token and no proxy.
    pub fn publish(&self, upload_path: &str, args: &[&Path]) -> Output {
        self.publish_with(upload_path, &[], args)
    }

    /// [`Index::publish`] with more options before the paths.
    pub fn publish_with(&self, upload_path: &str, options: &[&str], args: &[&Path]) -> Output {
        self.publish_env(upload_path, options, &[], args)
    }

    /// [`Index::publish_with`] with these environment variables set after the others (an
    /// empty WHEELWRIGHT_PUBLISH_TOKEN is none). Trusted publishing finds nothing unless
    /// they say so: the variables of GitHub Actions and GitLab CI/CD are removed, and
    /// WHEELWRIGHT_TEST_GCE_METADATA_URL is empty (not on Google Cloud).
    pub fn publish_env(
        &self,
        upload_path: &str,
        options: &[&str],
        env: &[(&str, &str)],
        args: &[&Path],
    ) -> Output {
        self.publish_at(&format!("{}{upload_path}", self.url), options, env, args)
    }

    /// [`Index::publish_env`] uploading to `repository_url`, this index's simple API
    /// still the one read.
    pub fn publish_at(
        &self,
        repository_url: &str,
        options: &[&str],
        env: &[(&str, &str)],
        args: &[&Path],
    ) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_wheelwright"));
        cmd.arg("publish")
            .arg("--repository-url")
            .arg(repository_url)
            .arg("--index-url")
            .arg(format!("{}simple/", self.url))
            .args(options)
            .args(args)
            .env("WHEELWRIGHT_PUBLISH_TOKEN", "pypi-test-token")
            .env("WHEELWRIGHT_TEST_GCE_METADATA_URL", "");
        for var in [
            "http_proxy",
            "HTTP_PROXY",
            "https_proxy",
            "HTTPS_PROXY",
            "all_proxy",
            "ALL_PROXY",
            "WHEELWRIGHT_PUBLISH_URL",
            "WHEELWRIGHT_PUBLISH_INDEX_URL",
            "ACTIONS_ID_TOKEN_REQUEST_URL",
            "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
            "GITHUB_ACTIONS",
            "GITLAB_CI",
            "PYPI_ID_TOKEN",
            "TESTPYPI_ID_TOKEN",
            "GOOGLE_SERVICE_ACCOUNT_NAME",
        ] {
            cmd.env_remove(var);
        }
        cmd.envs(env.iter().copied());
        cmd.output().expect("run wheelwright")
    }
}

/// An HTTP/1.1 response that closes the connection.
pub fn response(status: &str, headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}
