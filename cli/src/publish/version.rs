//! PEP 440 versions as PyPI reads them: packaging 26.2's `Version` (the packaging that
//! warehouse pins in requirements/main.txt) and `packaging.utils.canonicalize_version`,
//! by which warehouse finds the release a file belongs to
//! (warehouse/forklift/legacy.py: `Release.canonical_version == canonical_version`).
//!
//! `pep440_rs` parses them; it accepts what packaging's `_VERSION_PATTERN` does (`v`
//! prefix, any case, implicit and alternative separators: `1.0A1`, `1.0-1`, `1.0.post`),
//! with two differences bridged here: packaging strips Python's whitespace (`\s`, which
//! holds `\x0b`, `\x1c`-`\x1f` and non-ASCII spaces) where `pep440_rs` strips ASCII's,
//! and a local part of digits too long for a `u64` is a number (no leading zeros) to
//! packaging. One is not: `pep440_rs` reads no number over `u64::MAX`, which packaging
//! accepts; such a version is told apart from an invalid one.

use pep440_rs::LocalSegment;

/// A parsed version.
#[derive(Debug, PartialEq, Eq)]
pub struct Version(pep440_rs::Version);

/// Why a version does not parse.
#[derive(Debug, PartialEq, Eq)]
pub enum Unreadable {
    /// packaging raises `InvalidVersion`.
    Invalid,
    /// Valid, but a number in it is over `u64::MAX`.
    NumberOverU64,
}

impl Version {
    /// Parses `text` as packaging's `Version(text)` does.
    pub fn parse(text: &str) -> Result<Version, Unreadable> {
        // Python's `str.isspace`: Rust's whitespace and the separators \x1c-\x1f.
        let text = text.trim_matches(|c: char| c.is_whitespace() || ('\x1c'..='\x1f').contains(&c));
        let Ok(version) = text.parse::<pep440_rs::Version>() else {
            // Each run of digits as `0`: the grammar takes one wherever it takes the other.
            let mut small = String::new();
            for c in text.chars() {
                if !c.is_ascii_digit() {
                    small.push(c);
                } else if !small.ends_with('0') {
                    small.push('0');
                }
            }
            return Err(match small.parse::<pep440_rs::Version>() {
                Ok(_) => Unreadable::NumberOverU64,
                Err(_) => Unreadable::Invalid,
            });
        };
        let local = version.local().iter().map(|segment| match segment {
            LocalSegment::String(s) if s.bytes().all(|b| b.is_ascii_digit()) => {
                let n = s.trim_start_matches('0');
                LocalSegment::String(if n.is_empty() { "0" } else { n }.into())
            }
            other => other.clone(),
        });
        let local = local.collect();
        Ok(Version(version.with_local(local)))
    }

    /// The local label (`+...`) in its normal form (`ubuntu.1`), if any.
    pub fn local(&self) -> Option<String> {
        let local = self.0.local().iter().map(ToString::to_string);
        self.0
            .is_local()
            .then(|| local.collect::<Vec<_>>().join("."))
    }

    /// `canonicalize_version(v)`: the normalised form with the release's trailing
    /// zeros stripped, leaving one number (`1.0.0` is `1`), under which PyPI keeps one
    /// release.
    pub fn canonical(&self) -> String {
        let release = self.0.release();
        let kept = release.iter().rposition(|&n| n != 0).map_or(1, |i| i + 1);
        let trimmed = self.0.clone().with_release(release[..kept].iter().copied());
        trimmed.to_string()
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
            ("0.0", "0"),
            ("1.0.1.0", "1.0.1"),
            ("v1.2.0", "1.2"),
            ("V1.2", "1.2"),
            (" 1.2.3 ", "1.2.3"),
            ("\x0b1.2\x1f", "1.2"),
            ("\u{a0}1.2\u{3000}", "1.2"),
            ("1!2.0", "1!2"),
            ("0!1.0", "1"),
            ("01.002", "1.2"),
            ("1.0a1", "1a1"),
            ("1.0alpha1", "1a1"),
            ("1.0-BETA.2", "1b2"),
            ("1.0_c1", "1rc1"),
            ("1.0preview", "1rc0"),
            ("1.0pre", "1rc0"),
            ("1.0a.", "1a0"),
            ("1.0-1", "1.post1"),
            ("1.0post", "1.post0"),
            ("1.0.post", "1.post0"),
            ("1.0.post-", "1.post0"),
            ("1.0.rev3", "1.post3"),
            ("1.0r", "1.post0"),
            ("1.0-dev", "1.dev0"),
            ("1.0dev_", "1.dev0"),
            ("1.0.post.dev1", "1.post0.dev1"),
            ("1.0a-1", "1a1"),
            ("1.0a1-1", "1a1.post1"),
            ("1.0rc1.post2.dev3", "1rc1.post2.dev3"),
            ("1.0+Local-007_x", "1+local.7.x"),
            ("1.0+0123abc", "1+0123abc"),
            (
                "1.0+000099999999999999999999999",
                "1+99999999999999999999999",
            ),
        ] {
            let v = Version::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
            assert_eq!(v.canonical(), canonical, "{text:?}");
        }
    }

    #[test]
    fn what_packaging_refuses() {
        for text in [
            "",
            " ",
            "1.",
            ".1",
            "1..2",
            "1.0+",
            "1.0+a..b",
            "1.0+a.",
            "1.0-",
            "1.0--1",
            "1.0x",
            "a1",
            "1.0 2",
            "1!",
            "!1",
            "1.0+a+b",
            "1.0é",
            "v",
            "vv1",
            "v 1",
            "1.*",
            "1.0.*",
            "1.0-1-1",
            "1.0post1post2",
            "1.0.dev1a1",
            "1.0a1a1",
            "1.0_-1",
            "1.0+a_",
            "\u{200b}1.0",
            "１.0",
        ] {
            assert_eq!(Version::parse(text), Err(Unreadable::Invalid), "{text:?}");
        }
    }

    /// packaging reads any size of number; pep440_rs up to `u64::MAX`.
    #[test]
    fn numbers_over_u64() {
        let max = Version::parse("1.18446744073709551615").map(|v| v.canonical());
        assert_eq!(max.as_deref(), Ok("1.18446744073709551615"));
        for text in ["18446744073709551616", "1.0a1.post99999999999999999999+x.1"] {
            assert_eq!(
                Version::parse(text),
                Err(Unreadable::NumberOverU64),
                "{text:?}"
            );
        }
        for text in ["1.0x99999999999999999999", "99999999999999999999..1"] {
            assert_eq!(Version::parse(text), Err(Unreadable::Invalid), "{text:?}");
        }
    }

    #[test]
    fn local_labels() {
        let local = |text| Version::parse(text).ok().and_then(|v| v.local());
        assert_eq!(local("1.0+ubuntu-1"), Some("ubuntu.1".into()));
        assert_eq!(local("1.0+UBUNTU_01"), Some("ubuntu.1".into()));
        assert_eq!(local("1.0.post1"), None);
    }
}
