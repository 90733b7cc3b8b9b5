//! What PyPI refuses of the metadata fields an upload form sends, as warehouse validates
//! them with packaging (`forklift/metadata.py`): the version, the summary and the
//! description's content type.

use super::Refused;
use crate::publish::version::{Unreadable, Version};

/// A version PyPI refuses: forklift/metadata.py line 116 refuses a local version
/// (`if metadata.version.local:` "The use of local versions ... is not allowed"), and
/// packaging 26.2 metadata.py line 600 (`_process_version`) one that is not PEP 440.
fn version_refusal(version: &str) -> Option<Refused> {
    let parsed = match Version::parse(version) {
        Ok(parsed) => parsed,
        Err(Unreadable::Invalid) => {
            return Some((
                format!("its version {version:?} is not a PEP 440 version, which PyPI refuses"),
                "give the project a PEP 440 version (1.2.3, 1.2.3rc1, 1.2.3.post1)".into(),
            ))
        }
        Err(Unreadable::NumberOverU64) => {
            return Some((
                format!(
                    "its version {version} has a number over {}, which wheelwright cannot \
                     read (PyPI would take it)",
                    u64::MAX
                ),
                "give the version smaller numbers, or upload it with another tool".into(),
            ))
        }
    };
    let local = parsed.local()?;
    Some((
        format!("its version {version} is a local version (+{local}), which PyPI refuses"),
        "publish it without the local label, or to an index of your own (--repository-url)".into(),
    ))
}

/// packaging 26.3's `_LINE_BOUNDARY_RE` (metadata.py line 314), which its
/// `_process_summary` refuses; 26.2 (metadata.py line 612) refuses `"\n"` alone.
const LINE_BOUNDARIES: &[char] = &[
    '\n', '\r', '\u{b}', '\u{c}', '\u{1c}', '\u{1d}', '\u{1e}', '\u{85}', '\u{2028}', '\u{2029}',
];

/// The longest Summary: forklift/metadata.py lines 64-66, `_LENGTH_LIMITS = {"summary":
/// 512}`, refused when `len(value) > limit` (line 130: characters, not bytes).
const SUMMARY_LIMIT: usize = 512;

/// A Summary PyPI refuses: longer than 512 characters, or more than one line.
fn summary_refusal(summary: &str) -> Option<Refused> {
    let fix = "make the project's description (pyproject.toml [project] description) one line of at most 512 characters";
    let chars = summary.chars().count();
    if chars > SUMMARY_LIMIT {
        return Some((
            format!("its Summary is {chars} characters, PyPI takes {SUMMARY_LIMIT} at most"),
            fix.into(),
        ));
    }
    summary.contains(LINE_BOUNDARIES).then(|| {
        (
            "its Summary spans more than one line, PyPI takes one".into(),
            fix.into(),
        )
    })
}

/// A Description-Content-Type PyPI refuses, as packaging 26.2's
/// `_process_description_content_type` (metadata.py lines 616-646) does: the type must
/// be text/plain, text/x-rst or text/markdown; a charset must be spelled `UTF-8` (26.2
/// compares case-sensitively: line 634, `if charset != "UTF-8"`); a Markdown variant
/// must be `GFM` or `CommonMark` (line 639). Parameters are `name=value` or
/// `name="value"`, names in any case, as Python's email header parser reads them; a
/// parameter of another form is refused, as packaging 26.3 refuses its header defects.
fn content_type_refusal(value: &str) -> Option<Refused> {
    // An empty field is no field (forklift/metadata.py line 335, `if value == [""]`).
    if value.is_empty() {
        return None;
    }
    let fix = "write text/markdown; charset=UTF-8; variant=GFM, text/x-rst; charset=UTF-8 or text/plain; charset=UTF-8 (maturin derives it from the readme's extension: .md, .rst, .txt)";
    let refused = |why: String| {
        Some((
            format!("its Description-Content-Type {value:?} {why}"),
            fix.into(),
        ))
    };
    let mut parts = value.split(';');
    let kind = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    let (mut charset, mut variant) = (None, None);
    for param in parts.map(str::trim).filter(|p| !p.is_empty()) {
        let Some((name, v)) = param
            .split_once('=')
            .map(|(n, v)| (n.trim(), v.trim()))
            .and_then(|(n, v)| Some((n, parameter_value(v)?)))
            .filter(|(n, _)| !n.is_empty() && !n.contains(char::is_whitespace))
        else {
            return refused(format!(
                "has the parameter {param:?}, which is not name=value"
            ));
        };
        match name.to_ascii_lowercase().as_str() {
            "charset" => charset = Some(v),
            "variant" => variant = Some(v),
            _ => {}
        }
    }
    if !["text/plain", "text/x-rst", "text/markdown"].contains(&kind.as_str()) {
        return refused(
            "is not text/plain, text/x-rst or text/markdown, the types PyPI renders".into(),
        );
    }
    if let Some(charset) = charset.filter(|c| *c != "UTF-8") {
        return refused(format!(
            "names the charset {charset:?}: PyPI takes \"UTF-8\" only, spelled so"
        ));
    }
    match variant {
        Some(v) if kind == "text/markdown" && v != "GFM" && v != "CommonMark" => refused(format!(
            "names the Markdown variant {v:?}: PyPI renders GFM or CommonMark"
        )),
        _ => None,
    }
}

/// What PyPI would refuse of the metadata fields of an upload form (the fields as sent,
/// warehouse validating those: legacy.py `metadata.parse(None, form_data=request.POST)`).
pub fn form_refusals(fields: &[(String, String)]) -> Vec<Refused> {
    fields
        .iter()
        .filter_map(|(key, value)| match key.as_str() {
            "version" => version_refusal(value),
            "summary" => summary_refusal(value),
            "description_content_type" => content_type_refusal(value),
            _ => None,
        })
        .collect()
}

/// A parameter's value: a token, or a closed quoted string (packaging 26.3 refuses the
/// header defects Python's parser finds in anything else: metadata.py line 671).
fn parameter_value(v: &str) -> Option<&str> {
    match v.strip_prefix('"') {
        Some(quoted) => quoted.strip_suffix('"').filter(|q| !q.contains('"')),
        None => {
            (!v.is_empty() && !v.contains(|c: char| c.is_whitespace() || c == '"')).then_some(v)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_pypi_refuses() {
        let why = |v| version_refusal(v).map(|r| r.0);
        assert_eq!(why("1.0"), None);
        assert_eq!(why("1.0.post1.dev2"), None);
        assert_eq!(
            why("1.0+local").as_deref(),
            Some("its version 1.0+local is a local version (+local), which PyPI refuses")
        );
        assert_eq!(
            why("1.0+Ubuntu-1").as_deref(),
            Some("its version 1.0+Ubuntu-1 is a local version (+ubuntu.1), which PyPI refuses")
        );
        assert_eq!(
            why("1.0-foo").as_deref(),
            Some("its version \"1.0-foo\" is not a PEP 440 version, which PyPI refuses")
        );
        assert_eq!(
            why("1.99999999999999999999").as_deref(),
            Some("its version 1.99999999999999999999 has a number over 18446744073709551615, which wheelwright cannot read (PyPI would take it)")
        );
    }

    /// The cases were checked against packaging 26.2's and 26.3's `Metadata.from_raw`
    /// (26.2 refuses only the `\n`) and warehouse's 512-character limit.
    #[test]
    fn summaries_pypi_refuses() {
        let why = |s: &str| summary_refusal(s).map(|r| r.0);
        assert_eq!(why(&"a".repeat(512)), None);
        assert_eq!(why(&"é".repeat(512)), None);
        assert_eq!(
            why(&"a".repeat(513)).as_deref(),
            Some("its Summary is 513 characters, PyPI takes 512 at most")
        );
        for s in ["a\nb", "a\rb", "a\u{c}b", "a\u{2028}b"] {
            assert_eq!(
                why(s).as_deref(),
                Some("its Summary spans more than one line, PyPI takes one"),
                "{s:?}"
            );
        }
    }

    /// Each value was checked against packaging 26.2's and 26.3's `Metadata.from_raw`:
    /// refused here when either refuses it.
    #[test]
    fn description_content_types() {
        for ok in [
            "",
            "text/markdown",
            "text/markdown; charset=UTF-8; variant=GFM",
            "Text/Markdown; Charset=\"UTF-8\"; VARIANT=CommonMark",
            "text/markdown;charset=UTF-8;variant=GFM",
            "text/x-rst; charset=UTF-8",
            "text/x-rst; variant=whatever",
            "text/plain",
            "text/plain; charset=\"UTF-8\" ",
            "text/markdown;",
            "text/markdown; charset=UTF-8;",
        ] {
            assert_eq!(content_type_refusal(ok), None, "{ok:?}");
        }
        let why = |v| content_type_refusal(v).map(|r| r.0);
        assert_eq!(
            why("text/md").as_deref(),
            Some("its Description-Content-Type \"text/md\" is not text/plain, text/x-rst or text/markdown, the types PyPI renders")
        );
        for refused in ["text/html", "markdown", "text / markdown"] {
            assert!(why(refused).is_some(), "{refused:?}");
        }
        assert_eq!(
            why("text/markdown; charset=utf-8").as_deref(),
            Some("its Description-Content-Type \"text/markdown; charset=utf-8\" names the charset \"utf-8\": PyPI takes \"UTF-8\" only, spelled so")
        );
        assert!(why("text/plain; charset=latin-1").is_some());
        assert_eq!(
            why("text/markdown; variant=gfm").as_deref(),
            Some("its Description-Content-Type \"text/markdown; variant=gfm\" names the Markdown variant \"gfm\": PyPI renders GFM or CommonMark")
        );
        assert!(why("text/markdown; variant=MyST").is_some());
        // packaging 26.3 refuses what Python's header parser finds defects in.
        assert_eq!(
            why("text/markdown; x").as_deref(),
            Some("its Description-Content-Type \"text/markdown; x\" has the parameter \"x\", which is not name=value")
        );
        for refused in [
            "text/markdown; =x",
            "text/markdown; charset=\"UTF-8",
            "text/markdown; a=b c",
        ] {
            assert!(why(refused).is_some(), "{refused:?}");
        }
    }
}
