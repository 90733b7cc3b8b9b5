//! `wheelwright publish` against an index on loopback that answers an upload as soon as
//! it has read the request's headers and closes the connection without reading the body,
//! as indexes do when they refuse one (authentication, file too large, wrong endpoint).
//! The wheel is many megabytes, more than the sockets buffer, so writing the body always
//! fails (broken pipe or connection reset) before it is all sent: publish must still
//! report the index's answer, not the failed write.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

use common::*;

/// Bigger than what loopback sockets buffer between the client and a server that does
/// not read, so the upload cannot be written whole before the server's reset arrives.
const BIG: usize = 24 << 20;

/// An index on 127.0.0.1: the simple API knows no project (404), and every upload gets
/// `answer` once its headers are read, the rest of the request left unread.
struct RefusingIndex {
    url: String,
    /// The request line of each request, as the server read it.
    requests: Receiver<String>,
}

impl RefusingIndex {
    fn start(answer: String) -> RefusingIndex {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("local address").port();
        let (tx, requests) = channel();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let Some(request_line) = read_head(&mut stream) else {
                    continue;
                };
                let reply = if request_line.starts_with("GET ") {
                    response("404 Not Found", "", "")
                } else {
                    answer.clone()
                };
                let _ = stream.write_all(reply.as_bytes());
                // Dropping the stream with the body unread makes the kernel reset the
                // connection: the client's next writes fail.
                drop(stream);
                if tx.send(request_line).is_err() {
                    return;
                }
            }
        });
        RefusingIndex {
            url: format!("http://127.0.0.1:{port}/"),
            requests,
        }
    }

    /// Every request line the server has read so far.
    fn request_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        while let Ok(line) = self.requests.recv_timeout(Duration::from_secs(5)) {
            let upload = line.starts_with("POST ");
            lines.push(line);
            if upload {
                break;
            }
        }
        lines
    }
}

/// An HTTP/1.1 response that closes the connection.
fn response(status: &str, headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// Reads up to the blank line ending the request's headers (and whatever part of the
/// body came in the same reads); returns the request line.
fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&head);
    text.lines().next().map(str::to_string)
}

/// A valid pure wheel of more than `BIG` bytes.
fn big_wheel(dir: &Path) -> PathBuf {
    let padding = vec![0u8; BIG];
    let mut files = pure_files();
    files.push(("demo/padding.bin", &padding));
    let mut spec = Spec::new(PURE, &files);
    spec.stored = true;
    let wheel = spec.write(dir);
    let size = std::fs::metadata(&wheel).expect("wheel written").len();
    assert!(size > BIG as u64, "the wheel is {size} bytes");
    wheel
}

fn publish(index: &RefusingIndex, wheel: &Path) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wheelwright"));
    cmd.arg("publish")
        .arg("--repository-url")
        .arg(format!("{}legacy/", index.url))
        .arg("--index-url")
        .arg(format!("{}simple/", index.url))
        .arg(wheel)
        .env("WHEELWRIGHT_PUBLISH_TOKEN", "pypi-test-token");
    for proxy in [
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
    ] {
        cmd.env_remove(proxy);
    }
    cmd.output().expect("run wheelwright")
}

/// Publishes the big wheel to an index answering `answer`; asserts exit code 1, no
/// stderr, the one stdout line `error: uploading <file>: <url> answered <said>; ...`.
fn refused_early(test: &str, answer: String, said: &str) {
    let dir = tmp_dir(test);
    let wheel = big_wheel(&dir);
    let index = RefusingIndex::start(answer);
    let o = publish(&index, &wheel);
    assert_eq!(
        stdout(&o),
        format!(
            "error: uploading {PURE}: {}legacy/ answered {said}; run publish again once that is fixed: what was uploaded is skipped\n",
            index.url
        )
    );
    assert_eq!(stderr(&o), "");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        index.request_lines(),
        ["GET /simple/demo/ HTTP/1.1", "POST /legacy/ HTTP/1.1"]
    );
}

#[test]
fn an_early_405_is_reported_not_the_broken_pipe() {
    refused_early(
        "publish_early_405",
        response("405 Method Not Allowed", "Allow: GET\r\n", ""),
        "405 Method Not Allowed",
    );
}

#[test]
fn an_early_403_is_reported_with_its_body() {
    let body = "Invalid or non-existent authentication information.\n";
    refused_early(
        "publish_early_403",
        response("403 Forbidden", "Content-Type: text/plain\r\n", body),
        "403 Forbidden: Invalid or non-existent authentication information.",
    );
}
