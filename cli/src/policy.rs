//! manylinux/musllinux policy tables, embedded from auditwheel 6.8.2's policy JSON
//! (MIT licence, see `policy/ATTRIBUTION.md`), and platform-tag lookup.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use serde::Deserialize;

const MANYLINUX_JSON: &str = include_str!("../policy/manylinux-policy.json");
const MUSLLINUX_JSON: &str = include_str!("../policy/musllinux-policy.json");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Libc {
    Glibc,
    Musl,
}

#[derive(Deserialize)]
struct RawPolicy<'a> {
    #[serde(borrow)]
    name: &'a str,
    #[serde(borrow)]
    aliases: Vec<&'a str>,
    priority: u32,
    #[serde(borrow)]
    symbol_versions: HashMap<&'a str, HashMap<&'a str, Vec<&'a str>>>,
    #[serde(borrow)]
    lib_whitelist: Vec<&'a str>,
    #[serde(borrow)]
    blacklist: HashMap<&'a str, Vec<&'a str>>,
}

impl Libc {
    /// The platform tag family of this libc's policies.
    pub fn family(self) -> &'static str {
        match self {
            Libc::Glibc => "manylinux",
            Libc::Musl => "musllinux",
        }
    }
}

/// One policy; strings borrow from the embedded JSON, so loading allocates little.
#[derive(Debug)]
pub struct Policy {
    pub name: &'static str,
    pub aliases: Vec<&'static str>,
    /// Higher = older libc = installs on more systems.
    pub priority: u32,
    pub libc: Libc,
    /// arch → version prefix (`GLIBC`, `GLIBCXX`, …) → allowed version nodes.
    pub symbol_versions: HashMap<&'static str, HashMap<&'static str, HashSet<&'static str>>>,
    pub lib_whitelist: HashSet<&'static str>,
    pub blacklist: HashMap<&'static str, HashSet<&'static str>>,
}

impl Policy {
    pub fn has_arch(&self, arch: &str) -> bool {
        self.symbol_versions.contains_key(arch)
    }

    /// Whether `soname` may stay external. musl's `libc.so` entry stands for the Alpine
    /// soname `libc.musl-<arch>.so.1` (as in auditwheel); the literal `libc.so` is accepted
    /// too, unlike auditwheel, because musl's loader registers itself under that name and
    /// maturin's musl wheels need it (see README, "Disagreements with auditwheel").
    pub fn allows_lib(&self, soname: &str, arch: &str) -> bool {
        if self.lib_whitelist.contains(soname) {
            return true;
        }
        self.libc == Libc::Musl && Some(soname) == musl_libc_soname(arch).as_deref()
    }
}

/// Alpine's musl soname for a wheel arch.
pub fn musl_libc_soname(arch: &str) -> Option<String> {
    let m = match arch {
        "i686" => "x86",
        "armv7l" => "armv7",
        "x86_64" | "aarch64" | "ppc64le" | "s390x" | "riscv64" | "loongarch64" => arch,
        _ => return None,
    };
    Some(format!("libc.musl-{m}.so.1"))
}

fn load(json: &'static str, libc: Libc) -> Vec<Policy> {
    // The JSON is compiled in and covered by tests, so a parse failure is a build defect.
    let raw: Vec<RawPolicy> = serde_json::from_str(json).expect("embedded policy JSON is valid");
    raw.into_iter()
        .filter(|p| p.name != "linux")
        .map(|p| Policy {
            name: p.name,
            aliases: p.aliases,
            priority: p.priority,
            libc,
            symbol_versions: p
                .symbol_versions
                .into_iter()
                .map(|(arch, m)| {
                    (
                        arch,
                        m.into_iter()
                            .map(|(k, v)| (k, v.into_iter().collect()))
                            .collect(),
                    )
                })
                .collect(),
            lib_whitelist: p.lib_whitelist.into_iter().collect(),
            blacklist: p
                .blacklist
                .into_iter()
                .map(|(k, v)| (k, v.into_iter().collect()))
                .collect(),
        })
        .collect()
}

/// All policies, highest priority first within each libc family.
pub fn all() -> &'static [Policy] {
    static ALL: OnceLock<Vec<Policy>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut v = load(MANYLINUX_JSON, Libc::Glibc);
        v.extend(load(MUSLLINUX_JSON, Libc::Musl));
        v.sort_by(|a, b| {
            (a.libc == Libc::Musl, b.priority).cmp(&(b.libc == Libc::Musl, a.priority))
        });
        v
    })
}

/// Policies of one family that exist for `arch`, best (highest priority) first.
pub fn for_arch(libc: Libc, arch: &str) -> Vec<&'static Policy> {
    all()
        .iter()
        .filter(|p| p.libc == libc && p.has_arch(arch))
        .collect()
}

/// What one platform tag claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// A manylinux/musllinux policy for an arch.
    Policy {
        policy: &'static str,
        libc: Libc,
        arch: String,
        priority: u32,
    },
    /// `linux_<arch>`: no portability promise.
    Linux { arch: String },
    /// Looks like manylinux/musllinux but names no policy (e.g. `manylinux1_aarch64`).
    Unknown,
    /// `any`, or a non-Linux platform (macOS, Windows, …) that this tool does not judge.
    NotLinux,
}

pub fn claim(tag: &str) -> Claim {
    if let Some(arch) = tag.strip_prefix("linux_") {
        return Claim::Linux {
            arch: arch.to_string(),
        };
    }
    let family = if tag.starts_with("manylinux") {
        Libc::Glibc
    } else if tag.starts_with("musllinux") {
        Libc::Musl
    } else {
        return Claim::NotLinux;
    };
    for p in all().iter().filter(|p| p.libc == family) {
        for name in std::iter::once(&p.name).chain(p.aliases.iter()) {
            if let Some(arch) = tag.strip_prefix(*name).and_then(|r| r.strip_prefix('_')) {
                if p.has_arch(arch) {
                    return Claim::Policy {
                        policy: p.name,
                        libc: family,
                        arch: arch.to_string(),
                        priority: p.priority,
                    };
                }
            }
        }
    }
    Claim::Unknown
}

/// Arch of a platform tag (the part after the policy name), if it is a Linux tag.
pub fn tag_arch(tag: &str) -> Option<String> {
    match claim(tag) {
        Claim::Policy { arch, .. } | Claim::Linux { arch } => Some(arch),
        Claim::Unknown => {
            // Unknown policies still name an arch: the suffix after the version digits.
            let rest = tag
                .strip_prefix("manylinux")
                .or_else(|| tag.strip_prefix("musllinux"))?;
            let arch = rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == '_');
            (!arch.is_empty()).then(|| arch.to_string())
        }
        Claim::NotLinux => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(name: &str) -> &'static Policy {
        all().iter().find(|p| p.name == name).unwrap()
    }

    fn allows(name: &str, arch: &str, node: &str) -> bool {
        let (prefix, rest) = node.split_once('_').unwrap();
        policy(name).symbol_versions[arch][prefix].contains(rest)
    }

    /// Highest numeric version node of a prefix, re-derived from the data.
    fn ceiling(name: &str, arch: &str, prefix: &str) -> &'static str {
        policy(name).symbol_versions[arch][prefix]
            .iter()
            .filter(|r| r.split('.').all(|c| c.parse::<u32>().is_ok()))
            .copied()
            .max_by_key(|r| {
                r.split('.')
                    .map(|c| c.parse::<u32>().unwrap_or(0))
                    .collect::<Vec<_>>()
            })
            .unwrap()
    }

    #[test]
    fn ceilings_match_wheel_rules_1_4() {
        assert_eq!(ceiling("manylinux_2_5", "x86_64", "GLIBC"), "2.5");
        assert_eq!(ceiling("manylinux_2_5", "x86_64", "GLIBCXX"), "3.4.8");
        assert_eq!(ceiling("manylinux_2_12", "x86_64", "CXXABI"), "1.3.3");
        assert_eq!(ceiling("manylinux_2_17", "x86_64", "GLIBC"), "2.17");
        assert_eq!(ceiling("manylinux_2_17", "aarch64", "GLIBC"), "2.18");
        assert_eq!(ceiling("manylinux_2_17", "aarch64", "GCC"), "4.7.0");
        assert_eq!(ceiling("manylinux_2_28", "x86_64", "GLIBCXX"), "3.4.24");
        assert_eq!(ceiling("manylinux_2_37", "x86_64", "GLIBC"), "2.36");
        assert_eq!(ceiling("manylinux_2_34", "aarch64", "GCC"), "11.0");
        assert_eq!(ceiling("manylinux_2_41", "aarch64", "GLIBC"), "2.41");
    }

    #[test]
    fn per_arch_quirks() {
        assert!(allows("manylinux_2_17", "aarch64", "GLIBC_2.18"));
        assert!(!allows("manylinux_2_17", "x86_64", "GLIBC_2.18"));
        assert!(allows("manylinux_2_17", "aarch64", "GLIBC_2.0"));
        assert!(!allows("manylinux_2_5", "x86_64", "GLIBC_2.0"));
        assert!(allows("manylinux_2_36", "x86_64", "GLIBC_ABI_DT_RELR"));
        assert!(allows("manylinux_2_17", "x86_64", "CXXABI_TM_1"));
        assert!(!allows("manylinux_2_35", "x86_64", "GLIBC_ABI_DT_RELR"));
        assert!(policy("manylinux_2_5").symbol_versions["x86_64"]["ZLIB"].is_empty());
    }

    #[test]
    fn arch_start_points() {
        let first = |arch: &str| for_arch(Libc::Glibc, arch).first().map(|p| p.name);
        assert_eq!(first("x86_64"), Some("manylinux_2_5"));
        assert_eq!(first("ppc64le"), Some("manylinux_2_17"));
        assert_eq!(first("riscv64"), Some("manylinux_2_31"));
        assert_eq!(first("loongarch64"), Some("manylinux_2_36"));
        assert_eq!(for_arch(Libc::Glibc, "ppc64").len(), 1);
        assert_eq!(for_arch(Libc::Musl, "loongarch64").len(), 1);
    }

    #[test]
    fn tags_and_aliases() {
        assert!(matches!(
            claim("manylinux2014_aarch64"),
            Claim::Policy {
                policy: "manylinux_2_17",
                ..
            }
        ));
        assert!(matches!(
            claim("manylinux1_i686"),
            Claim::Policy {
                policy: "manylinux_2_5",
                priority: 100,
                ..
            }
        ));
        assert_eq!(claim("manylinux1_aarch64"), Claim::Unknown);
        assert_eq!(claim("manylinux_2_24_ppc64"), Claim::Unknown);
        assert_eq!(claim("musllinux_1_1_loongarch64"), Claim::Unknown);
        assert_eq!(claim("macosx_11_0_arm64"), Claim::NotLinux);
        assert_eq!(tag_arch("manylinux1_aarch64").as_deref(), Some("aarch64"));
        assert_eq!(tag_arch("linux_x86_64").as_deref(), Some("x86_64"));
    }

    #[test]
    fn musl_libc_rewrite() {
        let p = policy("musllinux_1_2");
        assert!(p.allows_lib("libc.musl-x86.so.1", "i686"));
        assert!(p.allows_lib("libc.so", "x86_64"));
        assert!(!p.allows_lib("libgcc_s.so.1", "x86_64"));
    }
}
