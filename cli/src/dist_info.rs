//! The wheel's own metadata directory: one `.dist-info` (and at most one `.data`) named
//! after the wheel, and a WHEEL file that agrees with the file name.

use std::collections::BTreeSet;

use crate::archive::Archive;
use crate::filename::{normalize_name, normalize_version, WheelName};
use crate::metadata;
use crate::report::Failure;

/// Finds the one `.dist-info` directory and checks that it is named after the wheel.
pub(crate) fn find_dist_info(
    archive: &Archive,
    name: Option<&WheelName>,
    out: &mut Vec<Failure>,
) -> Option<String> {
    let top_dirs = |suffix: &str| -> Vec<&str> {
        let set: BTreeSet<&str> = archive
            .members
            .iter()
            .filter_map(|m| m.name.split_once('/').map(|(top, _)| top))
            .filter(|t| t.ends_with(suffix))
            .collect();
        set.into_iter().collect()
    };
    let fix = "rebuild the wheel so it holds exactly one {name}-{version}.dist-info (and at most one .data)";
    let named_after = |dir: &str, suffix: &str| {
        name.is_none_or(|n| {
            dir.trim_end_matches(suffix)
                .rsplit_once('-')
                .is_some_and(|(dn, v)| {
                    normalize_name(dn) == normalize_name(&n.dist)
                        && normalize_version(v) == normalize_version(&n.version)
                })
        })
    };
    for suffix in [".dist-info", ".data"] {
        let dirs = top_dirs(suffix);
        if dirs.len() > 1 {
            out.push(Failure::new(
                "dist-info.layout",
                dirs[0],
                &format!(
                    "the wheel has {} {suffix} directories: {}",
                    dirs.len(),
                    dirs.join(", ")
                ),
                fix,
            ));
        }
        for d in dirs.iter().filter(|d| !named_after(d, suffix)) {
            out.push(Failure::new(
                "dist-info.layout",
                d,
                "is not named after the wheel's name and version",
                fix,
            ));
        }
    }
    let dirs = top_dirs(".dist-info");
    let [d] = dirs.as_slice() else {
        if dirs.is_empty() {
            out.push(Failure::new(
                "dist-info.layout",
                "*.dist-info",
                "the wheel has no .dist-info directory",
                fix,
            ));
        }
        return None;
    };
    // Installers write these; a wheel that carries them was built from an installed copy.
    for installer_file in ["INSTALLER", "REQUESTED"] {
        let member = format!("{d}/{installer_file}");
        if archive.get(&member).is_some() {
            out.push(Failure::new(
                "dist-info.layout",
                &member,
                "is written by installers and must not be in a wheel",
                "drop it from the wheel",
            ));
        }
    }
    Some(d.to_string())
}

pub(crate) fn check_wheel_file(
    archive: &Archive,
    d: &str,
    name: &WheelName,
    has_elf: bool,
    out: &mut Vec<Failure>,
) {
    let member = format!("{d}/WHEEL");
    let Some(data) = archive.get(&member).and_then(|m| m.data.as_deref()) else {
        out.push(Failure::new(
            "dist-info.layout",
            &member,
            "is missing",
            "rebuild the wheel with a standard build backend",
        ));
        return;
    };
    let h = metadata::parse_headers(&String::from_utf8_lossy(data));
    let fix_tags = "write one `Tag:` line per expanded tag of the file name (or rename the file)";
    if metadata::get(&h, "Wheel-Version").is_none_or(|v| v.split('.').next() != Some("1")) {
        out.push(Failure::new(
            "wheel.version",
            &member,
            "Wheel-Version is missing or not 1.x",
            "write `Wheel-Version: 1.0`",
        ));
    }
    // Tag lines are compared as expanded sets: maturin < 1.8 writes one compressed line
    // (`cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64`), which means the same tags.
    let tags_owned: Vec<String> = h
        .iter()
        .filter(|(k, _)| k == "Tag")
        .flat_map(|(_, v)| expand_tag(v))
        .collect();
    let tags: BTreeSet<&str> = tags_owned.iter().map(String::as_str).collect();
    let expected_owned = name.expanded_tags();
    let expected: BTreeSet<&str> = expected_owned.iter().map(String::as_str).collect();
    if tags != expected {
        let missing: Vec<&str> = expected.difference(&tags).copied().collect();
        let extra: Vec<&str> = tags.difference(&expected).copied().collect();
        out.push(Failure::new(
            "wheel.tags",
            &member,
            &format!(
                "Tag lines differ from the file name: missing [{}], extra [{}]",
                missing.join(", "),
                extra.join(", ")
            ),
            fix_tags,
        ));
    }
    let build = metadata::get(&h, "Build");
    if build != name.build.as_deref() {
        out.push(Failure::new(
            "wheel.build",
            &member,
            &format!(
                "Build is {:?} but the file name's build tag is {:?}",
                build, name.build
            ),
            "make the Build line and the file name agree",
        ));
    }
    match metadata::get(&h, "Root-Is-Purelib") {
        Some("true") if has_elf => out.push(Failure::new(
            "wheel.purelib",
            &member,
            "Root-Is-Purelib is true, but the wheel holds binaries",
            "write `Root-Is-Purelib: false` for platform wheels",
        )),
        Some("true" | "false") => {}
        other => out.push(Failure::new(
            "wheel.purelib",
            &member,
            &format!("Root-Is-Purelib is {other:?}, expected true or false"),
            "write `Root-Is-Purelib: false` (platform wheels) or `true` (pure wheels)",
        )),
    }
}

/// Expands one `py-abi-plat` tag whose fields may be `.`-joined sets.
fn expand_tag(tag: &str) -> Vec<String> {
    let f: Vec<&str> = tag.split('-').collect();
    let [py, abi, plat] = f.as_slice() else {
        return vec![tag.to_string()];
    };
    let mut out = Vec::new();
    for p in py.split('.') {
        for a in abi.split('.') {
            for pl in plat.split('.') {
                out.push(format!("{p}-{a}-{pl}"));
            }
        }
    }
    out
}
