//! `wheelwright check-lib`: shared libraries compiled with `cc` at test time, judged
//! through the library API and through the built binary.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::*;
use wheelwright::check_lib::{check_lib_file, Platform};
use wheelwright::report::LibReport;

/// Compiles a shared library into `dir` and returns its path.
fn lib(dir: &Path, name: &str, defines: &[&str], extra: &[&str]) -> PathBuf {
    compile(dir, name, defines, extra);
    dir.join(name)
}

fn judge(path: &Path, platform: &str) -> LibReport {
    check_lib_file(
        path,
        &Platform::parse(platform).expect("known platform"),
        &[],
    )
    .expect("usable")
}

fn rules(r: &LibReport) -> Vec<&str> {
    r.failures.iter().map(|f| f.rule).collect()
}

/// The one failure of `rule`, as its message.
fn failure<'a>(r: &'a LibReport, rule: &str) -> &'a str {
    let f: Vec<_> = r.failures.iter().filter(|f| f.rule == rule).collect();
    assert_eq!(f.len(), 1, "expected one {rule}: {:?}", r.failures);
    assert_eq!(f[0].member, r.file);
    &f[0].message
}

fn check_lib(platform: &str, path: &Path) -> Output {
    ww(&["check-lib", "--platform", platform, path.to_str().unwrap()])
}

#[test]
fn clean_library_passes() {
    let d = tmp_dir("lib_clean");
    let p = lib(&d, "libww.so", &[], &[]);
    let r = judge(&p, "manylinux_2_17_x86_64");
    assert!(r.ok, "{:?}", r.failures);
    assert_eq!(r.best_policy.as_deref(), Some("manylinux_2_5_x86_64"));
    assert_eq!(r.elf[0].machine, Some("x86_64"));

    let o = check_lib("manylinux_2_17_x86_64", &p);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(
        stdout(&o),
        format!("ok  {}  best: manylinux_2_5_x86_64\n", p.display())
    );
    assert_eq!(stderr(&o), "");
    // Legacy alias; an $ORIGIN-relative RUNPATH (even climbing up) is relocatable.
    let origin = lib(&d, "libor.so", &[], &["-Wl,-rpath,$ORIGIN/../lib"]);
    let o = check_lib("manylinux2014_x86_64", &origin);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn too_new_symbol_version_fails_old_policy_only() {
    let d = tmp_dir("lib_glibc_2_25");
    let p = lib(&d, "libww.so", &["RANDOM"], &[]);
    let r = judge(&p, "manylinux_2_17_x86_64");
    assert_eq!(rules(&r), ["policy.platform"]);
    let msg = failure(&r, "policy.platform");
    assert!(
        msg.contains("needs symbol version GLIBC_2.25 (from libc.so.6)")
            && msg.contains(
                "so the library is not manylinux_2_17_x86_64 (best: manylinux_2_26_x86_64)"
            ),
        "{msg}"
    );
    assert_eq!(r.best_policy.as_deref(), Some("manylinux_2_26_x86_64"));
    let o = check_lib("manylinux_2_17_x86_64", &p);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.starts_with(&format!(
            "FAIL {}  best: manylinux_2_26_x86_64\nFAIL policy.platform {}: needs symbol version GLIBC_2.25",
            p.display(),
            p.display()
        )),
        "{out}"
    );
    assert!(out.trim_end().lines().nth(1).unwrap().contains("; fix: "));

    assert!(judge(&p, "manylinux_2_28_x86_64").ok);
    assert_eq!(
        check_lib("manylinux_2_28_x86_64", &p).status.code(),
        Some(0)
    );
    // A glibc library is no musllinux library: libc.so.6 is not on musl's whitelist.
    let r = judge(&p, "musllinux_1_2_x86_64");
    assert!(failure(&r, "policy.platform").contains("needs libc.so.6"));
    assert_eq!(r.best_policy.as_deref(), Some("linux_x86_64"));
}

#[test]
fn absolute_runpath_fails() {
    let d = tmp_dir("lib_runpath");
    let p = lib(&d, "libww.so", &[], &["-Wl,-rpath,/nix/store/abc/lib"]);
    let r = judge(&p, "manylinux_2_17_x86_64");
    assert!(!r.ok);
    assert_eq!(
        failure(&r, "elf.rpath"),
        "RPATH/RUNPATH entry \"/nix/store/abc/lib\" does not start at $ORIGIN"
    );
    let o = check_lib("manylinux_2_17_x86_64", &p);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains(&format!(
            "FAIL elf.rpath {}: RPATH/RUNPATH entry \"/nix/store/abc/lib\" does not start at $ORIGIN; fix: ",
            p.display()
        )),
        "{}",
        stdout(&o)
    );
}

#[test]
fn leaked_build_path_fails() {
    let d = tmp_dir("lib_leak");
    let p = lib(&d, "libww.so", &["LEAK"], &[]);
    let r = judge(&p, "manylinux_2_17_x86_64");
    assert_eq!(rules(&r), ["leak.build-path"]);
    assert!(failure(&r, "leak.build-path").contains(
        "contains the build path \"/nix/store/0123456789abcdfghijklmnpqrsvwxyz-foo/lib\""
    ));
    assert_eq!(
        check_lib("manylinux_2_17_x86_64", &p).status.code(),
        Some(1)
    );
}

#[test]
fn wrong_architecture_fails_the_machine_rule() {
    let d = tmp_dir("lib_arch");
    let p = lib(&d, "libww.so", &[], &[]);
    let r = judge(&p, "manylinux_2_17_aarch64");
    // The policy itself is not judged for the wrong arch; the best is the library's own.
    assert_eq!(rules(&r), ["elf.arch"]);
    assert_eq!(
        failure(&r, "elf.arch"),
        "is built for x86_64 (e_machine 62, 64-bit, little-endian), but the platform is aarch64"
    );
    assert_eq!(r.best_policy.as_deref(), Some("manylinux_2_5_x86_64"));
    let o = check_lib("manylinux_2_24_ppc64le", &p);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("FAIL elf.arch ") && stdout(&o).contains("the platform is ppc64le"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn executable_is_not_a_shared_object() {
    let d = tmp_dir("lib_exe");
    let src = d.join("main.c");
    std::fs::write(&src, "int main(void) { return 0; }\n").unwrap();
    let exe = d.join("prog");
    let st = cc()
        .args(["-fPIE", "-pie", "-o"])
        .arg(&exe)
        .arg(&src)
        .status()
        .expect("run cc");
    assert!(st.success());
    let r = judge(&exe, "manylinux_2_39_x86_64");
    assert!(
        failure(&r, "elf.type").contains("not a shared object"),
        "{:?}",
        r.failures
    );
}

#[test]
fn json_output() {
    let d = tmp_dir("lib_json");
    let good = lib(&d, "libgood.so", &[], &[]);
    let bad = lib(&d, "libbad.so", &["RANDOM"], &[]);
    let o = ww(&[
        "check-lib",
        "--json",
        "--platform",
        "manylinux2014_x86_64",
        good.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(v[0]["file"], good.to_str().unwrap());
    assert_eq!(v[0]["ok"], true);
    assert_eq!(v[0]["platform"], "manylinux2014_x86_64");
    assert_eq!(v[0]["best_policy"], "manylinux_2_5_x86_64");
    assert_eq!(v[0]["size"], std::fs::metadata(&good).unwrap().len());
    assert_eq!(v[0]["elf"][0]["machine"], "x86_64");
    assert_eq!(v[1]["ok"], false);
    assert_eq!(v[1]["best_policy"], "manylinux_2_26_x86_64");
    assert_eq!(v[1]["elf"][0]["needed"][0], "libc.so.6");
    assert_eq!(v[1]["failures"][0]["rule"], "policy.platform");
    assert_eq!(v[1]["failures"][0]["member"], bad.to_str().unwrap());
    assert!(v[1]["failures"][0]["fix"]
        .as_str()
        .unwrap()
        .contains("older libc"));
}

#[test]
fn non_elf_and_missing_files_are_unusable() {
    let d = tmp_dir("lib_unusable");
    let text = d.join("libww.so");
    std::fs::write(&text, "INPUT(libww.so.1)\n").unwrap();
    let good = lib(&d, "libgood.so", &[], &[]);
    let o = ww(&[
        "check-lib",
        "--platform",
        "manylinux_2_17_x86_64",
        text.to_str().unwrap(),
        good.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        format!(
            "wheelwright: error: {}: not an ELF object (no \\x7fELF magic) (pass the shared library itself (lib*.so), not a linker script, archive or wheel)\n",
            text.display()
        )
    );
    // The other library is still checked.
    assert!(
        stdout(&o).starts_with(&format!("ok  {}", good.display())),
        "{}",
        stdout(&o)
    );

    let missing = d.join("nope.so");
    let o = check_lib("manylinux_2_17_x86_64", &missing);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.starts_with(&format!(
            "wheelwright: error: {}: cannot open:",
            missing.display()
        )),
        "{e}"
    );
    assert_eq!(e.lines().count(), 1);

    // ELF magic that goblin cannot read is a rule failure, as in wheels.
    let trunc = d.join("libtrunc.so");
    std::fs::write(&trunc, &std::fs::read(&good).unwrap()[..40]).unwrap();
    let o = check_lib("manylinux_2_17_x86_64", &trunc);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("FAIL elf.invalid "), "{}", stdout(&o));
    assert!(!stderr(&o).contains("panicked"));
}

#[test]
fn unknown_platform_is_unusable() {
    let d = tmp_dir("lib_platform");
    let p = lib(&d, "libww.so", &[], &[]);
    for bad in ["manylinux_2_17_sparc", "linux_x86_64", "manylinux1_aarch64"] {
        let o = check_lib(bad, &p);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert_eq!(
            stderr(&o),
            format!(
                "wheelwright: error: unknown platform {bad:?}: it names no manylinux/musllinux policy (pass a policy with its arch, e.g. manylinux_2_17_x86_64, manylinux2014_aarch64 or musllinux_1_2_x86_64)\n"
            )
        );
        assert_eq!(stdout(&o), "");
    }
}

#[test]
fn neighbouring_libraries_are_not_bundled() {
    let d = tmp_dir("lib_needed");
    compile(&d, "libdep.so", &[], &["-Wl,-soname,libdep.so"]);
    let dir = d.display().to_string();
    let p = lib(
        &d,
        "libww.so",
        &["DEP"],
        &["-L", &dir, "-l:libdep.so", "-Wl,-rpath,$ORIGIN"],
    );
    let r = judge(&p, "manylinux_2_17_x86_64");
    assert_eq!(rules(&r), ["policy.platform"]);
    assert!(
        failure(&r, "policy.platform").starts_with("needs libdep.so, which is neither"),
        "{:?}",
        r.failures
    );
    assert_eq!(r.best_policy.as_deref(), Some("linux_x86_64"));
}

#[test]
fn musl_library_needs_the_strict_libc_soname() {
    let d = tmp_dir("lib_musl_soname");
    let plain = d.join("libplain.so");
    std::fs::write(&plain, musl_linked(&d, "libc.so")).unwrap();
    let r = judge(&plain, "musllinux_1_2_x86_64");
    assert_eq!(
        failure(&r, "elf.musl-plain-libc"),
        "needs plain libc.so; musl systems and auditwheel know musl's libc as libc.musl-x86_64.so.1"
    );
    let strict = d.join("libstrict.so");
    std::fs::write(&strict, musl_linked(&d, "libc.musl-x86_64.so.1")).unwrap();
    let r = judge(&strict, "musllinux_1_2_x86_64");
    assert!(r.ok, "{:?}", r.failures);
}

#[test]
fn unversioned_import_and_given_build_path_fail_through_the_binary() {
    let d = tmp_dir("lib_unversioned");
    compile(&d, "libdep-stub.so", &[], &["-Wl,-soname,libm.so.6"]);
    let dir = d.display().to_string();
    let p = lib(&d, "libww.so", &["DEP"], &["-L", &dir, "-l:libdep-stub.so"]);
    let r = judge(&p, "manylinux_2_17_x86_64");
    assert!(failure(&r, "elf.unversioned-symbol")
        .contains("imports dep without a symbol version from libm.so.6"));
    // Only glibc versions symbols: the musl platform does not judge it.
    let musl = check_lib_file(&p, &Platform::parse("musllinux_1_2_x86_64").unwrap(), &[]).unwrap();
    assert!(
        !rules(&musl).contains(&"elf.unversioned-symbol"),
        "{:?}",
        musl.failures
    );

    let clean = lib(&d, "libclean.so", &[], &[]);
    let o = ww(&[
        "check-lib",
        "--platform",
        "manylinux_2_17_x86_64",
        "--build-path",
        "PyInit_m",
        clean.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("FAIL leak.build-path"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("contains the build path \"PyInit_m\""),
        "{}",
        stdout(&o)
    );
}
