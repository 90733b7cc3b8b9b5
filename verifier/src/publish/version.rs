//! PEP 440 versions as PyPI reads them: packaging 26.2's `Version` (the packaging that
//! warehouse pins in requirements/main.txt), whose `_VERSION_PATTERN`
//! (src/packaging/version.py, lines 193-227) this parser follows part by part, and
//! `packaging.utils.canonicalize_version`, by which warehouse finds the release a file
//! belongs to (warehouse/forklift/legacy.py: `Release.canonical_version == canonical_version`).

/// A parsed version; numbers are kept as decimal strings without leading zeros.
#[derive(Debug, PartialEq, Eq)]
pub struct Version {
    epoch: String,
    release: Vec<String>,
    pre: Option<(&'static str, String)>,
    post: Option<String>,
    dev: Option<String>,
    /// The local label (`+...`), lower-cased with `.` separators.
    pub local: Option<String>,
}

impl Version {
    /// Parses `text` as packaging's `Version(text)` does; `None` where it raises
    /// `InvalidVersion`.
    pub fn parse(text: &str) -> Option<Version> {
        let lower = text.trim().to_ascii_lowercase();
        let mut c = Cursor {
            s: lower.as_bytes(),
            i: 0,
        };
        c.eat(b'v');
        let start = c.i;
        let epoch = match (c.digits(), c.eat(b'!')) {
            (Some(e), true) => e,
            _ => {
                c.i = start;
                "0".into()
            }
        };
        let mut release = vec![c.digits()?];
        while c.peek() == Some(b'.') && c.peek_at(1).is_some_and(|b| b.is_ascii_digit()) {
            c.i += 1;
            release.push(c.digits()?);
        }
        let pre = c.attempt(|c| {
            c.separator();
            let label = match c.word(&["alpha", "a", "beta", "b", "preview", "pre", "c", "rc"])? {
                "alpha" | "a" => "a",
                "beta" | "b" => "b",
                _ => "rc",
            };
            c.separator();
            Some((label, c.digits().unwrap_or_else(|| "0".into())))
        });
        let post = c.attempt(|c| {
            let dash = c.i;
            if c.eat(b'-') {
                if let Some(n) = c.digits() {
                    return Some(n);
                }
                c.i = dash;
            }
            c.separator();
            c.word(&["post", "rev", "r"])?;
            c.separator();
            Some(c.digits().unwrap_or_else(|| "0".into()))
        });
        let dev = c.attempt(|c| {
            c.separator();
            c.word(&["dev"])?;
            c.separator();
            Some(c.digits().unwrap_or_else(|| "0".into()))
        });
        let local = if c.eat(b'+') {
            let mut parts = vec![c.alphanumeric()?];
            while matches!(c.peek(), Some(b'.' | b'_' | b'-')) {
                c.i += 1;
                parts.push(c.alphanumeric()?);
            }
            Some(parts.join("."))
        } else {
            None
        };
        (c.i == c.s.len()).then_some(Version {
            epoch,
            release,
            pre,
            post,
            dev,
            local,
        })
    }

    /// `canonicalize_version(v)`: the normalised form with the release's trailing
    /// zeros stripped (`1.0.0` is `1`), under which PyPI keeps one release.
    pub fn canonical(&self) -> String {
        let mut release = self.release.as_slice();
        while release.len() > 1 && release.last().is_some_and(|n| n == "0") {
            release = &release[..release.len() - 1];
        }
        let mut out = String::new();
        if self.epoch != "0" {
            out.push_str(&format!("{}!", self.epoch));
        }
        out.push_str(&release.join("."));
        if let Some((label, n)) = &self.pre {
            out.push_str(&format!("{label}{n}"));
        }
        if let Some(n) = &self.post {
            out.push_str(&format!(".post{n}"));
        }
        if let Some(n) = &self.dev {
            out.push_str(&format!(".dev{n}"));
        }
        if let Some(local) = &self.local {
            out.push_str(&format!("+{local}"));
        }
        out
    }
}

struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.s.get(self.i + ahead).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        let hit = self.peek() == Some(b);
        if hit {
            self.i += 1;
        }
        hit
    }

    /// `[._-]?`
    fn separator(&mut self) {
        if matches!(self.peek(), Some(b'.' | b'_' | b'-')) {
            self.i += 1;
        }
    }

    /// `[0-9]+`, as a number without leading zeros.
    fn digits(&mut self) -> Option<String> {
        let start = self.i;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.i += 1;
        }
        let run = std::str::from_utf8(&self.s[start..self.i]).ok()?;
        if run.is_empty() {
            return None;
        }
        let trimmed = run.trim_start_matches('0');
        Some(if trimmed.is_empty() { "0" } else { trimmed }.to_string())
    }

    /// `[a-z0-9]+`; a number loses its leading zeros, as packaging's local parts do.
    fn alphanumeric(&mut self) -> Option<String> {
        let start = self.i;
        while self.peek().is_some_and(|b| b.is_ascii_alphanumeric()) {
            self.i += 1;
        }
        let run = std::str::from_utf8(&self.s[start..self.i]).ok()?;
        if run.is_empty() {
            return None;
        }
        if run.bytes().all(|b| b.is_ascii_digit()) {
            let trimmed = run.trim_start_matches('0');
            return Some(if trimmed.is_empty() { "0" } else { trimmed }.to_string());
        }
        Some(run.to_string())
    }

    /// The first of `words` (in the pattern's order of alternatives) starting here.
    fn word(&mut self, words: &[&'static str]) -> Option<&'static str> {
        let rest = &self.s[self.i..];
        let hit = words.iter().find(|w| rest.starts_with(w.as_bytes()))?;
        self.i += hit.len();
        Some(hit)
    }

    /// An optional group: where `part` does not match, nothing is consumed.
    fn attempt<T>(&mut self, part: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        let start = self.i;
        let got = part(self);
        if got.is_none() {
            self.i = start;
        }
        got
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each pair was checked against packaging 26.2:
    /// `canonicalize_version(Version(text))`.
    #[test]
    fn canonical_forms_match_packaging() {
        for (text, canonical) in [
            ("1.0", "1"),
            ("1.0.0", "1"),
            ("v1.2.0", "1.2"),
            (" 1.2.3 ", "1.2.3"),
            ("1!2.0", "1!2"),
            ("0!1.0", "1"),
            ("01.002", "1.2"),
            ("1.0alpha1", "1a1"),
            ("1.0-BETA.2", "1b2"),
            ("1.0c1", "1rc1"),
            ("1.0preview", "1rc0"),
            ("1.0a.", "1a0"),
            ("1.0-1", "1.post1"),
            ("1.0.rev3", "1.post3"),
            ("1.0r", "1.post0"),
            ("1.0-dev", "1.dev0"),
            ("1.0.post.dev1", "1.post0.dev1"),
            ("1.0rc1.post2.dev3", "1rc1.post2.dev3"),
            ("1.0+Local-007_x", "1+local.7.x"),
        ] {
            let v = Version::parse(text).unwrap_or_else(|| panic!("{text:?} is valid"));
            assert_eq!(v.canonical(), canonical, "{text:?}");
        }
    }

    #[test]
    fn what_packaging_refuses() {
        for text in [
            "", "1.", ".1", "1..2", "1.0+", "1.0+a..b", "1.0-", "1.0x", "a1", "1.0 2", "1!",
            "1.0+a+b", "1.0é",
        ] {
            assert_eq!(Version::parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn local_labels() {
        assert_eq!(
            Version::parse("1.0+ubuntu.1").and_then(|v| v.local),
            Some("ubuntu.1".into())
        );
        assert_eq!(Version::parse("1.0.post1").and_then(|v| v.local), None);
    }
}
