//! What the index answers each request: redirects, the OIDC endpoints, the identity
//! provider, the simple API's listing, and uploads as scripted.

use std::io::Write;
use std::net::TcpStream;
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use super::request::{read_body, read_head, uploaded_file};
use super::{response, Held, State, Upload, GCE_IDENTITY_PATH, GITHUB_TOKEN_PATH, MINTED};

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

/// Reads one request from `stream` and answers it, or leaves it unanswered as scripted.
pub(super) fn serve(mut stream: TcpStream, shared: &Mutex<State>, json: bool) {
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
