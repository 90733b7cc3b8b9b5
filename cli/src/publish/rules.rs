//! What PyPI's upload endpoint (warehouse's `forklift/legacy.py`) rejects, checked before
//! anything is uploaded: platform tags it does not list, file names that do not spell the
//! project's normalised name, files and projects over its size limits, and the metadata
//! fields it validates (version, summary, description content type).
//!
//! Sources, as read at warehouse commit 6b62157 (August 2026) and the packaging release it
//! pins (requirements/main.txt: `packaging==26.2`). Where packaging 26.3 is stricter, its
//! rule is taken too, so that the release is refused before either would refuse it.

mod metadata;

use super::version::Version;
use crate::filename::normalize_name;

pub use metadata::form_refusals;

/// Architectures PyPI accepts in `manylinux_X_Y_<arch>` tags (PEP 600); musllinux takes
/// the same without ppc64. loongarch64 is not among them (warehouse, August 2026).
const MANYLINUX_ARCHES: &[&str] = &[
    "x86_64", "i686", "aarch64", "armv7l", "ppc64le", "s390x", "riscv64", "ppc64",
];

/// Tags PyPI lists one by one: the legacy manylinux aliases and the two `linux_*` tags
/// it still takes.
const LISTED: &[&str] = &[
    "any",
    "manylinux1_x86_64",
    "manylinux1_i686",
    "manylinux2010_x86_64",
    "manylinux2010_i686",
    "manylinux2014_x86_64",
    "manylinux2014_i686",
    "manylinux2014_aarch64",
    "manylinux2014_armv7l",
    "manylinux2014_ppc64",
    "manylinux2014_ppc64le",
    "manylinux2014_s390x",
    "linux_armv6l",
    "linux_armv7l",
];

/// Platform families wheelwright does not build, passed as PyPI's own checks take them
/// (iOS, Android and Emscripten); Windows and macOS tags are checked as warehouse checks them.
const OTHER_FAMILIES: &[&str] = &["ios_", "android_", "pyemscripten_"];

/// The Windows tags PyPI takes: forklift/legacy.py `_allowed_platforms` lists these four
/// and no other tag starting with `win` (no pattern of `_valid_platform_tag` matches one).
const WINDOWS_TAGS: &[&str] = &["win32", "win_arm64", "win_amd64", "win_ia64"];

/// forklift/legacy.py `_macosx_arches`: the architectures a `macosx_*` tag may name.
const MACOS_ARCHES: &[&str] = &[
    "ppc",
    "ppc64",
    "i386",
    "x86_64",
    "arm64",
    "intel",
    "fat",
    "fat3",
    "fat64",
    "universal",
    "universal2",
];

/// forklift/legacy.py `_macosx_major_versions`: the macOS versions after 10 a tag may
/// name, each as `<major>_0` (Apple went from 15 to 26).
const MACOS_MAJORS: &[&str] = &["11", "12", "13", "14", "15", "26"];

/// Why PyPI would reject a wheel's platform tag, and what to do: `None` when it accepts it.
pub fn platform_refusal(tag: &str) -> Option<(String, String)> {
    if LISTED.contains(&tag) || OTHER_FAMILIES.iter().any(|f| tag.starts_with(f)) {
        return None;
    }
    // warehouse checks the tag as packaging parsed it, lower-cased (packaging 26.2
    // tags.py, `Tag.__init__`: `self._platform = platform.lower()`).
    let lower = tag.to_lowercase();
    if lower.starts_with("win") {
        return windows_refusal(tag, &lower);
    }
    if lower.starts_with("macos") {
        return macos_refusal(tag, &lower);
    }
    let versioned = |family: &str| -> Option<String> {
        let rest = tag.strip_prefix(family)?;
        let mut parts = rest.splitn(3, '_');
        let (major, minor, arch) = (parts.next()?, parts.next()?, parts.next()?);
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        (digits(major) && digits(minor)).then(|| arch.to_string())
    };
    let arch = versioned("manylinux_")
        .map(|a| (a, "manylinux"))
        .or_else(|| versioned("musllinux_").map(|a| (a, "musllinux")));
    match arch {
        Some((arch, family)) => {
            let accepted = MANYLINUX_ARCHES.contains(&arch.as_str())
                && !(family == "musllinux" && arch == "ppc64");
            if accepted {
                None
            } else if arch == "loongarch64" {
                Some((
                    format!("PyPI does not accept loongarch64 wheels ({tag})"),
                    "leave the loongarch64 wheels out, or publish them to an index that takes them (--repository-url)".into(),
                ))
            } else {
                Some((
                    format!("PyPI accepts no {family} wheels for {arch} ({tag})"),
                    "publish only the architectures PyPI lists: x86_64, i686, aarch64, armv7l, ppc64le, s390x, riscv64".into(),
                ))
            }
        }
        None if tag.starts_with("linux_") => Some((
            format!("PyPI rejects the platform tag {tag}: a plain linux tag promises nothing about the system's libraries"),
            "repair the wheel with auditwheel (wheelwright's builds do) so that it carries a manylinux or musllinux tag".into(),
        )),
        None => Some((
            format!("PyPI does not know the platform tag {tag}"),
            "build the wheel with a platform tag PyPI lists (manylinux_X_Y_<arch>, musllinux_X_Y_<arch>)".into(),
        )),
    }
}

/// A `win*` tag PyPI refuses: any but the four of [`WINDOWS_TAGS`] (forklift/legacy.py
/// `_valid_platform_tag`, `if platform_tag in _allowed_platforms`).
fn windows_refusal(tag: &str, lower: &str) -> Option<Refused> {
    if WINDOWS_TAGS.contains(&lower) {
        return None;
    }
    Some((
        format!("PyPI rejects the platform tag {tag}: of Windows tags it takes win32, win_amd64, win_arm64 and win_ia64"),
        "build the wheel for one of those: win_amd64 is x86_64, win_arm64 is aarch64, win32 is 32-bit x86".into(),
    ))
}

/// A `macos*` tag PyPI refuses. forklift/legacy.py `_valid_platform_tag` matches
/// `macosx_(?P<major>\d+)_(?P<minor>\d+)_(?P<arch>.*)` and takes major `10` with any
/// minor, or a major of [`MACOS_MAJORS`] with minor `0`; the arch one of [`MACOS_ARCHES`].
/// No other pattern of it matches a tag starting with `macos`. Digits are ASCII here;
/// Python's `\d` also takes other scripts' decimal digits, which no build tool writes.
fn macos_refusal(tag: &str, lower: &str) -> Option<Refused> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let parsed = lower.strip_prefix("macosx_").and_then(|rest| {
        let (major, rest) = rest.split_once('_')?;
        let (minor, arch) = rest.split_once('_')?;
        (digits(major) && digits(minor)).then_some((major, minor, arch))
    });
    let mut why = Vec::new();
    match parsed {
        None => why.push(
            "a macOS tag is macosx_<major>_<minor>_<arch>, with numbers for major and minor"
                .to_string(),
        ),
        Some((major, minor, arch)) => {
            if major != "10" && !MACOS_MAJORS.contains(&major) {
                why.push(format!(
                    "it knows no macOS {major} (it takes 10, 11 to 15, and 26)"
                ));
            } else if major != "10" && minor != "0" {
                why.push(format!(
                    "macOS {major} is written {major}_0, not {major}_{minor}"
                ));
            }
            if !MACOS_ARCHES.contains(&arch) {
                why.push(format!("it takes no macOS architecture {arch:?}"));
            }
        }
    }
    (!why.is_empty()).then(|| {
        (
            format!("PyPI rejects the platform tag {tag}: {}", why.join(", and ")),
            "build the wheel for a tag PyPI takes: macosx_10_<minor>_<arch>, or macosx_<major>_0_<arch> for macOS 11 to 15 and 26, the arch one of ppc, ppc64, i386, x86_64, arm64, intel, fat, fat3, fat64, universal, universal2".into(),
        )
    })
}

/// The name a distribution's file names must start with on PyPI: the project's
/// normalised name with `_` for `-` (PEP 625 for sdists, the same rule for wheels).
pub fn file_name_stem(project: &str) -> String {
    normalize_name(project).replace('-', "_")
}

/// PyPI's largest file unless raised for the project: warehouse/constants.py line 5,
/// `MAX_FILESIZE = 100 * ONE_MIB`. forklift/legacy.py line 1151 refuses
/// `file_size > file_size_limit` ("File too large"), the limit being the largest of this,
/// the project's and its organisation's (packaging/models.py `upload_limit_size`), which
/// no API tells.
pub const FILE_SIZE_LIMIT: u64 = 100 << 20;

/// PyPI's largest project unless raised: constants.py line 6, `MAX_PROJECT_SIZE = 10 *
/// ONE_GIB`. legacy.py line 1164 refuses `file_size + project.total_size >
/// project_size_limit` ("Project size too large"), `total_size` being the sum of the
/// sizes of every file the project holds (the simple API's PEP 700 `size`s).
pub const PROJECT_SIZE_LIMIT: u64 = 10 << 30;

/// A refusal's reason and fix.
pub type Refused = (String, String);

/// A file bigger than the index's file size limit.
pub fn file_size_refusal(size: u64, limit: u64) -> Option<Refused> {
    let what = if limit == FILE_SIZE_LIMIT {
        format!("PyPI's file size limit of 100 MiB ({limit} bytes)")
    } else {
        format!("the --file-size-limit of {limit} bytes")
    };
    (size > limit).then(|| {
        (
            format!("it is {size} bytes, over {what}"),
            "make it smaller (e.g. strip debug info), or have PyPI raise the project's file size limit and pass it as --file-size-limit".into(),
        )
    })
}

/// The upload that takes the project over its size limit: `total` bytes with it, of
/// which `held` are on the index already (`None` when the index lists no sizes).
pub fn project_size_refusal(total: u64, held: Option<u64>, limit: u64) -> Option<Refused> {
    let what = if limit == PROJECT_SIZE_LIMIT {
        format!("PyPI's project size limit of 10 GiB ({limit} bytes)")
    } else {
        format!("the --project-size-limit of {limit} bytes")
    };
    let held = match held {
        Some(held) => format!("{held} of them on the index already"),
        None => "the index lists no sizes, so only this release's files are counted".into(),
    };
    (total > limit).then(|| {
        (
            format!("with it the project would hold {total} bytes ({held}), over {what}"),
            "delete files of old releases from the index, or have PyPI raise the project's size limit and pass it as --project-size-limit".into(),
        )
    })
}

/// The release an sdist on the index belongs to: its canonical version, read from the
/// file name as `packaging.utils.parse_sdist_filename` does (`.tar.gz` or `.zip`, the
/// version after the last `-`); `None` for a wheel or a version that does not parse.
/// PyPI takes one sdist per release (legacy.py line 1274, "Only one sdist may be
/// uploaded per release"), the release found by canonical version (line 989).
pub fn sdist_release(file_name: &str) -> Option<String> {
    let lower = file_name.to_ascii_lowercase();
    let stem = lower
        .strip_suffix(".tar.gz")
        .or_else(|| lower.strip_suffix(".zip"))?;
    let (_, version) = stem.rsplit_once('-')?;
    Version::parse(version).ok().map(|v| v.canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_pypi_takes() {
        for tag in [
            "manylinux_2_17_x86_64",
            "manylinux2014_aarch64",
            "manylinux_2_31_riscv64",
            "musllinux_1_2_armv7l",
            "linux_armv7l",
            "any",
            "win_amd64",
        ] {
            assert_eq!(platform_refusal(tag), None, "{tag}");
        }
    }

    #[test]
    fn what_pypi_rejects_and_why() {
        let why = |tag| platform_refusal(tag).map(|(m, _)| m);
        assert_eq!(
            why("linux_x86_64").as_deref(),
            Some("PyPI rejects the platform tag linux_x86_64: a plain linux tag promises nothing about the system's libraries")
        );
        assert_eq!(
            why("manylinux_2_36_loongarch64").as_deref(),
            Some("PyPI does not accept loongarch64 wheels (manylinux_2_36_loongarch64)")
        );
        assert_eq!(
            why("musllinux_1_2_ppc64").as_deref(),
            Some("PyPI accepts no musllinux wheels for ppc64 (musllinux_1_2_ppc64)")
        );
        assert_eq!(
            why("manylinux_x_17_x86_64").as_deref(),
            Some("PyPI does not know the platform tag manylinux_x_17_x86_64")
        );
    }

    #[test]
    fn sizes_over_the_limits() {
        assert_eq!(file_size_refusal(FILE_SIZE_LIMIT, FILE_SIZE_LIMIT), None);
        assert_eq!(
            file_size_refusal(FILE_SIZE_LIMIT + 1, FILE_SIZE_LIMIT).map(|r| r.0),
            Some(
                "it is 104857601 bytes, over PyPI's file size limit of 100 MiB (104857600 bytes)"
                    .into()
            )
        );
        assert_eq!(
            file_size_refusal(2000, 1000).map(|r| r.0),
            Some("it is 2000 bytes, over the --file-size-limit of 1000 bytes".into())
        );
        assert_eq!(
            project_size_refusal(PROJECT_SIZE_LIMIT, Some(5), PROJECT_SIZE_LIMIT),
            None
        );
        assert_eq!(
            project_size_refusal(PROJECT_SIZE_LIMIT + 1, Some(5), PROJECT_SIZE_LIMIT).map(|r| r.0),
            Some("with it the project would hold 10737418241 bytes (5 of them on the index already), over PyPI's project size limit of 10 GiB (10737418240 bytes)".into())
        );
        assert_eq!(
            project_size_refusal(11, None, 10).map(|r| r.0),
            Some("with it the project would hold 11 bytes (the index lists no sizes, so only this release's files are counted), over the --project-size-limit of 10 bytes".into())
        );
    }

    #[test]
    fn sdists_name_their_release() {
        assert_eq!(sdist_release("my_pkg-1.0.tar.gz").as_deref(), Some("1"));
        assert_eq!(sdist_release("my-pkg-1.0.0.zip").as_deref(), Some("1"));
        assert_eq!(
            sdist_release("My-Pkg-1.0rc1.TAR.GZ").as_deref(),
            Some("1rc1")
        );
        assert_eq!(sdist_release("my_pkg-1.0-py3-none-any.whl"), None);
        assert_eq!(sdist_release("my_pkg-1.0.linux-x86_64.tar.gz"), None);
        assert_eq!(sdist_release("nodash.tar.gz"), None);
    }

    #[test]
    fn file_names_spell_the_normalised_name() {
        assert_eq!(file_name_stem("Wheelwright.Example"), "wheelwright_example");
        assert_eq!(file_name_stem("ww-layout"), "ww_layout");
    }
}
