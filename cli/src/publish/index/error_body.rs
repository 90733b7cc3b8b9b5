//! What an index says when it refuses: its answer's body on one line, without markup.

use serde::Deserialize;

/// What an index's JSON error says (warehouse's `{"message", "errors": [{"code",
/// "description"}]}`, as twine/auth.py lists the errors), as `: <message>: <code>:
/// <description>; ...`; any other body as [`said`] gives it.
pub fn index_said(body: &str) -> String {
    #[derive(Deserialize)]
    struct Reason {
        code: String,
        description: String,
    }
    #[derive(Deserialize)]
    struct Refusal {
        message: Option<String>,
        #[serde(default)]
        errors: Vec<Reason>,
    }
    let Ok(refusal) = serde_json::from_str::<Refusal>(body) else {
        return said(body);
    };
    let reasons = refusal
        .errors
        .iter()
        .map(|r| format!("{}: {}", r.code, r.description))
        .collect::<Vec<_>>()
        .join("; ");
    let parts: Vec<String> = refusal
        .message
        .into_iter()
        .chain((!reasons.is_empty()).then_some(reasons))
        .collect();
    if parts.is_empty() {
        return said(body);
    }
    one_line_said(&parts.join(": "))
}

/// `: <text>` on one line.
fn one_line_said(text: &str) -> String {
    format!(
        ": {}",
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    )
}

/// What an error body says, as `: <excerpt>`, or nothing.
pub fn said(body: &str) -> String {
    match excerpt(body) {
        e if e.is_empty() => e,
        e => format!(": {e}"),
    }
}

/// The start of an error body on one line, without HTML markup.
fn excerpt(body: &str) -> String {
    let text = if body.trim_start().starts_with('<') {
        html_text(body)
    } else {
        body.to_string()
    };
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    line.chars().take(300).collect()
}

/// The text an HTML page shows in its body (else anywhere), without styles and scripts.
fn html_text(html: &str) -> String {
    let page = scraper::Html::parse_document(html);
    let shown = |root: scraper::ElementRef| {
        root.descendants()
            .filter(|node| {
                let parent = node.parent().and_then(|p| p.value().as_element());
                !parent.is_some_and(|e| matches!(e.name(), "style" | "script"))
            })
            .filter_map(|node| node.value().as_text().map(|t| t.to_string()))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let body = scraper::Selector::parse("body")
        .ok()
        .and_then(|s| page.select(&s).next())
        .map(shown)
        .unwrap_or_default();
    if body.trim().is_empty() {
        shown(page.root_element())
    } else {
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_pages_become_one_line() {
        assert_eq!(
            excerpt("<html><body><h1>Error: 409 Conflict</h1>\n<pre>Package 'x' already exists!</pre></body></html>"),
            "Error: 409 Conflict Package 'x' already exists!"
        );
        // pypiserver's (bottle's) page: its title and styles are not the answer.
        let bottle = r#"<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
            <html><head><title>Error: 405 Method Not Allowed</title>
            <style type="text/css">html {background-color: #eee;}</style></head>
            <body><h1>Error: 405 Method Not Allowed</h1>
            <p>Sorry, the requested URL <tt>&#039;http://127.0.0.1:8080/legacy/&#039;</tt>
               caused an error:</p><pre>Method not allowed.</pre></body></html>"#;
        assert_eq!(
            excerpt(bottle),
            "Error: 405 Method Not Allowed Sorry, the requested URL 'http://127.0.0.1:8080/legacy/' caused an error: Method not allowed."
        );
        assert_eq!(
            excerpt("<html><head><title>403 Forbidden</title></head></html>"),
            "403 Forbidden"
        );
    }
}
