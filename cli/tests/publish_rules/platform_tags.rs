//! Windows and macOS platform tags, as warehouse takes them.

use std::path::Path;

use crate::common::index::Index;
use crate::common::*;
use crate::{assert_refused, NO_REQUEST};

/// tests/data/platform_tags.tsv: each Windows and macOS tag, accepted or refused with
/// its reason, as warehouse's `_valid_platform_tag` judges it.
#[test]
fn windows_and_macos_tags_as_warehouse_takes_them() {
    let table = include_str!("../data/platform_tags.tsv");
    let mut checked = 0;
    for (n, line) in table.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (tag, verdict) = line
            .split_once('\t')
            .unwrap_or_else(|| panic!("platform_tags.tsv line {}: no tab", n + 1));
        let got = wheelwright::publish::rules::platform_refusal(tag).map(|(why, _)| why);
        let expected = (verdict != "accepted").then(|| verdict.to_string());
        assert_eq!(got, expected, "platform_tags.tsv line {}: {tag}", n + 1);
        checked += 1;
    }
    assert_eq!(checked, 53);
}

#[test]
fn windows_and_macos_wheels_pypi_refuses() {
    let dir = tmp_dir("publish_rules_win_macos");
    let refused = [
        "demo-1.0-cp311-cp311-win_x86_64.whl",
        "demo-1.0-cp311-cp311-macosx_11_1_arm64.whl",
    ];
    let accepted = [
        "demo-1.0-cp311-cp311-win_amd64.whl",
        "demo-1.0-cp311-cp311-macosx_10_12_x86_64.macosx_11_0_arm64.whl",
    ];
    let wheels: Vec<_> = refused
        .iter()
        .chain(&accepted)
        .map(|name| Spec::new(name, &pure_files()).write(&dir))
        .collect();
    let index = Index::start(true);
    let paths: Vec<&Path> = wheels.iter().map(|w| w.as_path()).collect();
    let o = index.publish("legacy/", &paths);
    assert_refused(
        &o,
        &[
            format!("refused {}: PyPI rejects the platform tag win_x86_64: of Windows tags it takes win32, win_amd64, win_arm64 and win_ia64; fix: build the wheel for one of those: win_amd64 is x86_64, win_arm64 is aarch64, win32 is 32-bit x86", refused[0]),
            format!("refused {}: PyPI rejects the platform tag macosx_11_1_arm64: macOS 11 is written 11_0, not 11_1; fix: build the wheel for a tag PyPI takes: macosx_10_<minor>_<arch>, or macosx_<major>_0_<arch> for macOS 11 to 15 and 26, the arch one of ppc, ppc64, i386, x86_64, arm64, intel, fat, fat3, fat64, universal, universal2", refused[1]),
        ],
    );
    assert_eq!(index.log(), NO_REQUEST);
    // The tags PyPI takes go up.
    let o = index.publish("legacy/", &paths[2..]);
    assert_eq!(
        stdout(&o),
        format!(
            "uploaded {}\nuploaded {}\ndemo 1.0: uploaded 2, 0 on the index already\n",
            accepted[0], accepted[1]
        )
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(index.held(), [accepted[1], accepted[0]]);
}
