//! Rule tests on wheels built by the test itself: a module (check/) per family of rules,
//! and `unusable` for wheels that cannot be judged at all.

mod common;

#[path = "check/archive.rs"]
mod archive;
#[path = "check/elf.rs"]
mod elf;
#[path = "check/metadata.rs"]
mod metadata;
#[path = "check/policy.rs"]
mod policy;
#[path = "check/record.rs"]
mod record;
#[path = "check/tags.rs"]
mod tags;
#[path = "check/unusable.rs"]
mod unusable;

use std::path::Path;

use wheelwright::check::{check_file, Options};
use wheelwright::report::WheelReport;

fn run(path: &Path) -> WheelReport {
    check_file(path, &Options::default()).expect("wheel is usable")
}

fn rules(r: &WheelReport) -> Vec<&str> {
    r.failures.iter().map(|f| f.rule).collect()
}

/// Asserts exactly one failure of `rule` on `member`, and returns its message.
fn failure<'a>(r: &'a WheelReport, rule: &str, member: &str) -> &'a str {
    let f = r
        .failures
        .iter()
        .find(|f| f.rule == rule && f.member == member)
        .unwrap_or_else(|| panic!("no {rule} on {member}: {:?}", r.failures));
    &f.message
}
