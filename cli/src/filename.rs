//! Wheel file names (PEP 427) and their compressed tag sets (PEP 425).

use thiserror::Error;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum NameError {
    #[error("file name does not end in .whl")]
    NotWhl,
    #[error("file name has {0} dash-separated parts, expected 5 or 6")]
    PartCount(usize),
    #[error("build tag {0:?} does not start with a digit")]
    BuildTag(String),
    #[error("empty {0} field")]
    Empty(&'static str),
}

/// A parsed `{dist}-{version}(-{build})?-{python}-{abi}-{platform}.whl`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WheelName {
    pub dist: String,
    pub version: String,
    pub build: Option<String>,
    pub python: Vec<String>,
    pub abi: Vec<String>,
    pub platform: Vec<String>,
}

impl WheelName {
    pub fn parse(file_name: &str) -> Result<Self, NameError> {
        let stem = file_name.strip_suffix(".whl").ok_or(NameError::NotWhl)?;
        let parts: Vec<&str> = stem.split('-').collect();
        let (dist, version, build, py, abi, plat) = match parts.as_slice() {
            [d, v, p, a, pl] => (*d, *v, None, *p, *a, *pl),
            [d, v, b, p, a, pl] => (*d, *v, Some(*b), *p, *a, *pl),
            _ => return Err(NameError::PartCount(parts.len())),
        };
        if let Some(b) = build {
            if !b.starts_with(|c: char| c.is_ascii_digit()) {
                return Err(NameError::BuildTag(b.to_string()));
            }
        }
        let field = |s: &str, what: &'static str| -> Result<Vec<String>, NameError> {
            let v: Vec<String> = s.split('.').map(str::to_string).collect();
            if v.iter().any(String::is_empty) {
                return Err(NameError::Empty(what));
            }
            Ok(v)
        };
        if dist.is_empty() {
            return Err(NameError::Empty("distribution"));
        }
        if version.is_empty() {
            return Err(NameError::Empty("version"));
        }
        Ok(WheelName {
            dist: dist.to_string(),
            version: version.to_string(),
            build: build.map(str::to_string),
            python: field(py, "python tag")?,
            abi: field(abi, "abi tag")?,
            platform: field(plat, "platform tag")?,
        })
    }

    /// Cartesian product of the three tag sets, in file-name order.
    pub fn expanded_tags(&self) -> Vec<String> {
        let mut out = Vec::new();
        for p in &self.python {
            for a in &self.abi {
                for pl in &self.platform {
                    out.push(format!("{p}-{a}-{pl}"));
                }
            }
        }
        out
    }

    pub fn is_pure(&self) -> bool {
        self.platform.iter().all(|p| p == "any")
    }

    /// Baseline of an abi3 claim: the highest `cpXY` python tag, if the abi set holds `abi3`.
    pub fn abi3_baseline(&self) -> Option<(u32, u32)> {
        if !self.abi.iter().any(|a| a == "abi3") {
            return None;
        }
        self.python.iter().filter_map(|p| parse_cp(p)).max()
    }
}

fn parse_cp(tag: &str) -> Option<(u32, u32)> {
    let digits = tag.strip_prefix("cp")?;
    if digits.len() < 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let major = digits[..1].parse().ok()?;
    let minor = digits[1..].parse().ok()?;
    Some((major, minor))
}

/// PEP 503 normalisation: runs of `-`, `_`, `.` become `-`, lowercased.
pub fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Light PEP 440 comparison form: lowercase, `-` as `_` (file names escape `-`), no leading `v`.
pub fn normalize_version(v: &str) -> String {
    let v = v.trim().to_lowercase().replace('-', "_");
    v.strip_prefix('v').map(str::to_string).unwrap_or(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_expands() {
        let n = WheelName::parse("uv-0.4.18-py3-none-manylinux_2_17_aarch64.manylinux2014_aarch64.musllinux_1_1_aarch64.whl").unwrap();
        assert_eq!(n.dist, "uv");
        assert_eq!(n.platform.len(), 3);
        assert_eq!(n.expanded_tags()[2], "py3-none-musllinux_1_1_aarch64");
        let b = WheelName::parse("foo-1.0-1abc-cp38-abi3-linux_x86_64.whl").unwrap();
        assert_eq!(b.build.as_deref(), Some("1abc"));
        assert_eq!(b.abi3_baseline(), Some((3, 8)));
    }

    #[test]
    fn rejects_bad_names() {
        assert_eq!(
            WheelName::parse("foo-1.0-py3-none.whl"),
            Err(NameError::PartCount(4))
        );
        assert_eq!(
            WheelName::parse("foo-1.0-x1-py3-none-any.whl"),
            Err(NameError::BuildTag("x1".into()))
        );
        assert_eq!(
            WheelName::parse("foo-1.0-py3-none-any.zip"),
            Err(NameError::NotWhl)
        );
        assert_eq!(
            WheelName::parse("foo-1.0-py3..-none-any.whl"),
            Err(NameError::Empty("python tag"))
        );
    }

    #[test]
    fn normalises() {
        assert_eq!(normalize_name("Rpds__Py"), normalize_name("rpds-py"));
        assert_eq!(normalize_name("MarkupSafe"), "markupsafe");
        assert_eq!(normalize_version("1.0-1"), normalize_version("1.0_1"));
    }
}
