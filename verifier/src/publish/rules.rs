//! What PyPI's upload endpoint (warehouse's `forklift/legacy.py`) rejects, checked before
//! anything is uploaded: platform tags it does not list, and file names that do not
//! spell the project's normalised name.

use crate::filename::normalize_name;

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

/// Platform families wheelwright does not build, passed as PyPI's own checks take them.
const OTHER_FAMILIES: &[&str] = &["win", "macosx_", "ios_", "android_", "pyemscripten_"];

/// Why PyPI would reject a wheel's platform tag, and what to do: `None` when it accepts it.
pub fn platform_refusal(tag: &str) -> Option<(String, String)> {
    if LISTED.contains(&tag) || OTHER_FAMILIES.iter().any(|f| tag.starts_with(f)) {
        return None;
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

/// The name a distribution's file names must start with on PyPI: the project's
/// normalised name with `_` for `-` (PEP 625 for sdists, the same rule for wheels).
pub fn file_name_stem(project: &str) -> String {
    normalize_name(project).replace('-', "_")
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
    fn file_names_spell_the_normalised_name() {
        assert_eq!(file_name_stem("Wheelwright.Example"), "wheelwright_example");
        assert_eq!(file_name_stem("ww-layout"), "ww_layout");
    }
}
