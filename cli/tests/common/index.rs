//! A PyPI-like index on 127.0.0.1 for the publish tests: a simple API listing what it
//! holds (PEP 691 JSON with PEP 700 sizes, or PEP 503 HTML), an upload endpoint that
//! keeps what it is sent (the file, and the `attestations` form field when there is
//! one), and scripted answers to play an index that fails. For trusted publishing it
//! answers warehouse's `/_/oidc/audience` and `/_/oidc/mint-token`, keeping the OIDC
//! tokens it is sent, and plays the job's identity provider too: Google Cloud's metadata
//! server and GitHub Actions' token request URL.

use std::collections::{BTreeMap, VecDeque};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

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
                serve(stream, &shared, json);
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

/// One request's head (request line and lower-cased headers) and what of its body
/// came with it.
struct Head {
    line: String,
    headers: Vec<(String, String)>,
    rest: Vec<u8>,
}

impl Head {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn read_head(stream: &mut TcpStream) -> Option<Head> {
    let mut data = Vec::new();
    let mut buf = [0u8; 8192];
    let end = loop {
        if let Some(i) = find(&data, b"\r\n\r\n") {
            break i;
        }
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    };
    let text = String::from_utf8_lossy(&data[..end]).into_owned();
    let mut lines = text.split("\r\n");
    let line = lines.next()?.to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Some(Head {
        line,
        headers,
        rest: data[end + 4..].to_vec(),
    })
}

/// The request's whole body (Content-Length or chunked).
fn read_body(stream: &mut TcpStream, head: &Head) -> Vec<u8> {
    let mut data = head.rest.clone();
    let mut buf = [0u8; 65536];
    if head
        .header("transfer-encoding")
        .is_some_and(|v| v.contains("chunked"))
    {
        loop {
            if let Some(body) = dechunk(&data) {
                return body;
            }
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => return Vec::new(),
                Ok(n) => data.extend_from_slice(&buf[..n]),
            }
        }
    }
    let length: usize = head
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while data.len() < length {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    }
    data
}

/// A complete chunked body, decoded; `None` while it is incomplete.
fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = find(data, b"\r\n")?;
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(body);
        }
        if data.len() < size + 2 {
            return None;
        }
        body.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// One part of a multipart/form-data body: its name, its file name if it has one, and
/// its bytes.
struct Part {
    name: String,
    file_name: Option<String>,
    data: Vec<u8>,
}

/// A multipart/form-data body's parts, in order.
fn form_parts(head: &Head, body: &[u8]) -> Vec<Part> {
    let Some(boundary) = head
        .header("content-type")
        .and_then(|t| t.split("boundary=").nth(1))
        .map(|b| b.trim_matches('"').to_string())
    else {
        return Vec::new();
    };
    let delimiter = format!("--{boundary}");
    let quoted = |head: &str, key: &str| {
        let value = head.split(&format!("; {key}=\"")).nth(1)?;
        value.split('"').next().map(str::to_string)
    };
    let mut parts = Vec::new();
    let mut rest = body;
    while let Some(start) = find(rest, delimiter.as_bytes()) {
        rest = &rest[start + delimiter.len()..];
        let part_end = find(rest, delimiter.as_bytes()).unwrap_or(rest.len());
        let part = &rest[..part_end];
        let Some(head_end) = find(part, b"\r\n\r\n") else {
            continue;
        };
        let part_head = String::from_utf8_lossy(&part[..head_end]);
        let Some(name) = quoted(&part_head, "name") else {
            continue;
        };
        let data = &part[head_end + 4..];
        let data = data.strip_suffix(b"\r\n").unwrap_or(data);
        parts.push(Part {
            name,
            file_name: quoted(&part_head, "filename"),
            data: data.to_vec(),
        });
    }
    parts
}

/// The `content` part of a multipart/form-data upload (its file name and bytes), and
/// the `attestations` field if there is one.
fn uploaded_file(head: &Head, body: &[u8]) -> Option<(String, Vec<u8>, Option<String>)> {
    let parts = form_parts(head, body);
    let content = parts.iter().find(|p| p.name == "content")?;
    let attestations = parts
        .iter()
        .find(|p| p.name == "attestations")
        .map(|p| String::from_utf8_lossy(&p.data).into_owned());
    Some((
        content.file_name.clone()?,
        content.data.clone(),
        attestations,
    ))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The simple API's page of what the index holds.
fn listing(state: &State, json: bool) -> String {
    let sha = |content: &[u8]| hex(&Sha256::digest(content));
    if json {
        let files: Vec<String> = state
            .held
            .iter()
            .map(|(name, h)| {
                format!(
                    r#"{{"filename":"{name}","url":"../../packages/{name}","hashes":{{"sha256":"{}"}},"size":{}}}"#,
                    sha(&h.content),
                    h.listed_size
                )
            })
            .collect();
        let body = format!(
            r#"{{"meta":{{"api-version":"1.1"}},"name":"demo","files":[{}]}}"#,
            files.join(",")
        );
        response(
            "200 OK",
            "Content-Type: application/vnd.pypi.simple.v1+json\r\n",
            &body,
        )
    } else {
        let anchors: String = state
            .held
            .iter()
            .map(|(name, h)| {
                format!(
                    "<a href=\"../../packages/{name}#sha256={}\">{name}</a><br>\n",
                    sha(&h.content)
                )
            })
            .collect();
        let body = format!("<!DOCTYPE html><html><body>\n{anchors}</body></html>\n");
        response("200 OK", "Content-Type: text/html\r\n", &body)
    }
}

fn serve(mut stream: TcpStream, shared: &Mutex<State>, json: bool) {
    let Some(head) = read_head(&mut stream) else {
        return;
    };
    let lock = || shared.lock().expect("index state");
    let mut state = lock();
    state.log.push(head.line.clone());
    state.heads.push((head.line.clone(), head.headers.clone()));
    let mut parts = head.line.split(' ');
    let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let route = path.split('?').next().unwrap_or("");
    let json_answer =
        |status: &str, body: &str| response(status, "Content-Type: application/json\r\n", body);
    let redirect = state
        .redirects
        .iter()
        .find(|(from, _, _)| from == path)
        .map(|(_, status, to)| response(status, &format!("Location: {to}\r\n"), ""));
    let reply = if let Some(redirect) = redirect {
        drop(state);
        read_body(&mut stream, &head);
        redirect
    } else if route == "/_/oidc/audience" {
        json_answer("200 OK", &format!(r#"{{"audience":"{}"}}"#, state.audience))
    } else if route == "/_/oidc/mint-token" {
        drop(state);
        let body = read_body(&mut stream, &head);
        let sent: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        let mut state = lock();
        state
            .oidc_tokens
            .push(sent["token"].as_str().unwrap_or_default().to_string());
        match state.mints.pop_front() {
            Some(scripted) => scripted,
            None => json_answer(
                "200 OK",
                &format!(r#"{{"success":true,"token":"{MINTED}","expires":1}}"#),
            ),
        }
    } else if route == GCE_IDENTITY_PATH {
        // The metadata server answers only requests that say they are meant for it.
        if head.header("metadata-flavor") == Some("Google") {
            response("200 OK", "Content-Type: text/html\r\n", &state.identity)
        } else {
            response(
                "403 Forbidden",
                "",
                "Missing Metadata-Flavor:Google header.",
            )
        }
    } else if route == GITHUB_TOKEN_PATH {
        json_answer("200 OK", &format!(r#"{{"value":"{}"}}"#, state.identity))
    } else if method == "GET" {
        match state.reads.pop_front() {
            Some(scripted) => scripted,
            None if state.held.is_empty() => response("404 Not Found", "", ""),
            None => listing(&state, json),
        }
    } else {
        let next = state.uploads.pop_front();
        drop(state);
        // Dropping the stream with the body unread resets the connection.
        match next {
            Some(Upload::DropMidBody) => return,
            Some(Upload::AnswerEarly(answer)) => {
                let _ = stream.write_all(answer.as_bytes());
                return;
            }
            _ => {}
        }
        let body = read_body(&mut stream, &head);
        if let Some(Upload::Answer(answer)) = next {
            answer
        } else {
            let Some((name, content, attestations)) = uploaded_file(&head, &body) else {
                let _ = stream.write_all(response("400 Bad Request", "", "no content").as_bytes());
                return;
            };
            let listed_size = content.len() as u64;
            let mut state = lock();
            if let Some(attestations) = attestations {
                state.attestations.insert(name.clone(), attestations);
            }
            state.held.insert(
                name,
                Held {
                    content,
                    listed_size,
                },
            );
            drop(state);
            if matches!(next, Some(Upload::KeepAndDrop)) {
                // the file is kept, the answer never sent
                return;
            }
            response("200 OK", "", "")
        }
    };
    let _ = stream.write_all(reply.as_bytes());
}
