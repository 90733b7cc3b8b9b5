//! Results and their text/JSON renderings.

use serde::Serialize;

use crate::elf::ElfInfo;

/// One failed rule: stable id, the member it concerns, what is wrong, how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    pub rule: &'static str,
    pub member: String,
    pub message: String,
    pub fix: String,
}

impl Failure {
    pub fn new(rule: &'static str, member: &str, message: &str, fix: &str) -> Self {
        Failure {
            rule,
            member: member.to_string(),
            message: message.to_string(),
            fix: fix.to_string(),
        }
    }
}

/// Best policy per libc family the wheel's tags claim.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyResult {
    pub libc: crate::policy::Libc,
    pub arch: String,
    pub best: String,
}

/// Everything `check` says about one wheel.
#[derive(Debug, Clone, Serialize)]
pub struct WheelReport {
    pub file: String,
    pub ok: bool,
    /// Size of the wheel file and of all its members inflated, in bytes.
    pub size: u64,
    pub inflated_size: u64,
    /// Best policy the wheel really satisfies (first claimed family), `any` for a pure
    /// wheel, `null` when no Linux tag is claimed or the name does not parse.
    pub best_policy: Option<String>,
    pub best_policies: Vec<PolicyResult>,
    pub claimed_tags: Vec<String>,
    pub failures: Vec<Failure>,
    pub elf: Vec<ElfInfo>,
}

/// Everything `check-lib` says about one shared library.
#[derive(Debug, Clone, Serialize)]
pub struct LibReport {
    /// The path as given on the command line.
    pub file: String,
    pub ok: bool,
    /// Size of the file in bytes.
    pub size: u64,
    /// The `--platform` value, as given.
    pub platform: String,
    /// Best policy the library satisfies (its own arch, the platform's libc family),
    /// `linux_<arch>` when none holds, `null` when it is no ELF object of a wheel arch.
    pub best_policy: Option<String>,
    pub failures: Vec<Failure>,
    /// The library's ELF facts (empty when goblin cannot read it).
    pub elf: Vec<ElfInfo>,
}

pub fn text(r: &WheelReport) -> String {
    text_lines(&r.file, r.ok, &best(r.best_policy.as_deref()), &r.failures)
}

pub fn lib_text(r: &LibReport) -> String {
    text_lines(&r.file, r.ok, &best(r.best_policy.as_deref()), &r.failures)
}

fn best(policy: Option<&str>) -> String {
    format!("best: {}", policy.unwrap_or("-"))
}

/// `ok  <file>  <summary>` or `FAIL <file>  <summary>` (a wheel's summary is
/// `best: <policy>`), then `FAIL <rule> <member>: <message>; fix: <fix>` per failure.
pub fn text_lines(file: &str, ok: bool, summary: &str, failures: &[Failure]) -> String {
    let mut s = format!(
        "{} {}  {summary}\n",
        if ok { "ok " } else { "FAIL" },
        one_line(file),
    );
    for f in failures {
        s.push_str(&format!(
            "FAIL {} {}: {}; fix: {}\n",
            f.rule,
            one_line(&f.member),
            one_line(&f.message),
            f.fix
        ));
    }
    s
}

/// Escapes control characters, so hostile member names cannot break the one-line format.
pub fn one_line(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(super::one_line("a\nb\tc\u{1b}"), "a\\nb\\tc\\u{1b}");
    }
}
