//! Reading a request: its head, its body (Content-Length or chunked), and the file and
//! attestations of a multipart/form-data upload.

use std::io::Read;
use std::net::TcpStream;

/// One request's head (request line and lower-cased headers) and what of its body
/// came with it.
pub(super) struct Head {
    pub(super) line: String,
    pub(super) headers: Vec<(String, String)>,
    rest: Vec<u8>,
}

impl Head {
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

pub(super) fn read_head(stream: &mut TcpStream) -> Option<Head> {
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
pub(super) fn read_body(stream: &mut TcpStream, head: &Head) -> Vec<u8> {
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
pub(super) fn uploaded_file(head: &Head, body: &[u8]) -> Option<(String, Vec<u8>, Option<String>)> {
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
