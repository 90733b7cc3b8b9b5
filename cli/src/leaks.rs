//! Build paths leaked into binaries (Nix store paths, sandbox and temporary directories).

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use crate::report::Failure;

/// Needles, and whether they only count at the start of a string (after a NUL or
/// non-path byte): `/build/` inside `target/release/build/` is not a leak, `/build/src` is.
const NEEDLES: &[(&str, bool)] = &[
    ("/nix/store/", false),
    ("/homeless-shelter", false),
    ("/build/", true),
    ("/tmp/nix-build-", false),
    ("/tmp/pip-", true),
    ("/tmp/tmp", true),
    ("/private/var/folders/", false),
    ("/var/folders/", true),
];

/// One automaton for all needles: a single pass over each binary.
fn automaton() -> &'static AhoCorasick {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        // Built from constant needles; construction cannot fail for these.
        AhoCorasick::new(NEEDLES.iter().map(|(n, _)| n)).expect("leak needles build an automaton")
    })
}

/// Returns the first leaked path found (with some context) or `None`: one of the usual
/// needles, else one of `build_paths` (the directories a build ran in, `--build-path`).
pub fn find(data: &[u8], build_paths: &[String]) -> Option<String> {
    for m in automaton().find_overlapping_iter(data) {
        let pos = m.start();
        let anchored = NEEDLES[m.pattern().as_usize()].1;
        if anchored && pos > 0 && is_path_byte(data[pos - 1]) {
            continue;
        }
        let end = data[pos..]
            .iter()
            .position(|&b| !is_path_byte(b))
            .map_or(data.len(), |n| pos + n)
            .min(pos + 120);
        return Some(String::from_utf8_lossy(&data[pos..end]).into_owned());
    }
    build_paths
        .iter()
        .find(|p| !p.is_empty() && holds_path(data, p.as_bytes()))
        .cloned()
}

/// Whether `data` holds `path` as a path of its own or a prefix of one: not inside a
/// longer name on either side. A Nix build runs in `/build`, which `.../release/build/`
/// and `/buildx` must not match.
fn holds_path(data: &[u8], path: &[u8]) -> bool {
    memchr::memmem::find_iter(data, path).any(|pos| {
        let before = pos.checked_sub(1).map(|i| data[i]);
        let after = data.get(pos + path.len()).copied();
        before.is_none_or(|b| !is_path_byte(b))
            && after.is_none_or(|b| b == b'/' || !is_path_byte(b))
    })
}

fn is_path_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"/._-+~@%=,".contains(&b)
}

pub fn failure(member: &str, path: &str) -> Failure {
    Failure::new(
        "leak.build-path",
        member,
        &format!("contains the build path {path:?}"),
        "strip it (remap-path-prefix, patchelf --remove-rpath, strip) so the binary is reproducible",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_skips() {
        assert_eq!(
            find(b"\0/nix/store/abc-foo/lib\0", &[]).as_deref(),
            Some("/nix/store/abc-foo/lib")
        );
        assert_eq!(
            find(b"\0/build/source/src/lib.rs\0", &[]).as_deref(),
            Some("/build/source/src/lib.rs")
        );
        assert_eq!(find(b"/home/u/x/target/release/build/foo/out\0", &[]), None);
        assert_eq!(find(b"/tmp/.X11-unix/X%d\0", &[]), None);
        assert!(find(b"x\0/homeless-shelter/.cargo", &[]).is_some());
    }

    #[test]
    fn finds_the_build_paths_given() {
        let build = ["/srv/ci/work-1".to_string()];
        assert_eq!(
            find(b"x\0/srv/ci/work-1/src/lib.rs\0", &build).as_deref(),
            Some("/srv/ci/work-1")
        );
        assert_eq!(find(b"x\0/srv/ci/work-2/src/lib.rs\0", &build), None);
        assert_eq!(find(b"x\0/srv/ci/work-1\0", &[]), None);
        // A Nix build's /build: a path of its own, not a piece of a longer one.
        let nix = ["/build".to_string()];
        assert_eq!(
            find(b"x\0/build/source/src/lib.rs\0", &nix).as_deref(),
            Some("/build/source/src/lib.rs")
        );
        assert_eq!(find(b"x\0/build\0", &nix).as_deref(), Some("/build"));
        assert_eq!(find(b"target/release/build/foo\0/buildx\0", &nix), None);
    }
}
