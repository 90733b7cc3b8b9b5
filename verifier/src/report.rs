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

pub fn text(r: &WheelReport) -> String {
    let mut s = format!(
        "{} {}  best: {}\n",
        if r.ok { "ok " } else { "FAIL" },
        r.file,
        r.best_policy.as_deref().unwrap_or("-")
    );
    for f in &r.failures {
        s.push_str(&format!(
            "FAIL {} {}: {}; fix: {}\n",
            f.rule, f.member, f.message, f.fix
        ));
    }
    s
}
