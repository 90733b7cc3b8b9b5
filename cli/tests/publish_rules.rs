//! `wheelwright publish` refusing, before the first upload, what PyPI would reject
//! (src/publish/rules.rs cites warehouse's source for each rule), against an index on
//! loopback (tests/common/index.rs): one `refused <file>: <why>; fix: <fix>` line each,
//! then `nothing was uploaded`, exit 1, and the index as it was.

mod common;

#[path = "publish_rules/attestations.rs"]
mod attestations;
#[path = "publish_rules/files.rs"]
mod files;
#[path = "publish_rules/platform_tags.rs"]
mod platform_tags;
#[path = "publish_rules/sizes.rs"]
mod sizes;

use std::process::Output;

use common::*;

const NOTHING: &str = "nothing was uploaded\n";

fn assert_refused(o: &Output, lines: &[String]) {
    let mut expected: String = lines.iter().map(|l| format!("{l}\n")).collect();
    expected.push_str(NOTHING);
    assert_eq!(stdout(o), expected);
    assert_eq!(stderr(o), "");
    assert_eq!(o.status.code(), Some(1));
}

/// What the index is asked when the release is refused before it is read.
const NO_REQUEST: [&str; 0] = [];
const READ: &str = "GET /simple/demo/ HTTP/1.1";
