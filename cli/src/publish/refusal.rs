//! What stops a release from being uploaded, and how publish reports it.

use std::io::Write;

use super::rules;
use crate::report::one_line;

/// What stops a release from being uploaded: a file and why, with the fix.
pub struct Refusal {
    pub file: String,
    pub message: String,
    pub fix: String,
}

impl Refusal {
    pub fn new(file: &str, (message, fix): rules::Refused) -> Refusal {
        Refusal {
            file: file.to_string(),
            message,
            fix,
        }
    }
}

/// Lists the refusals, then that nothing was uploaded; returns the exit code, 1.
pub fn refuse(out: &mut impl Write, refusals: &[Refusal]) -> i32 {
    for r in refusals {
        let _ = writeln!(
            out,
            "refused {}: {}; fix: {}",
            one_line(&r.file),
            one_line(&r.message),
            r.fix
        );
    }
    let _ = writeln!(out, "nothing was uploaded");
    1
}
