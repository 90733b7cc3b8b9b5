//! manylinux and musllinux policies: the symbol versions and libraries each object
//! needs, the best policy they allow, and the policy a caller expects.

use wheelwright::check::{check_file, Options};

use crate::common::*;
use crate::{failure, rules, run};

#[test]
fn good_binary_wheel_passes_with_best_policy() {
    let d = tmp_dir("good_binary");
    let so = compile(&d, "m.so", &[], &[]);
    let r = run(&Spec::new(X86, &[("demo/m.cpython-311-x86_64-linux-gnu.so", &so)]).write(&d));
    assert!(r.ok, "{:?}", r.failures);
    assert_eq!(r.best_policy.as_deref(), Some("manylinux_2_5_x86_64"));
    assert_eq!(r.elf.len(), 1);
    assert_eq!(r.elf[0].machine, Some("x86_64"));
}

#[test]
fn too_new_glibc_fails_the_claimed_tag() {
    let d = tmp_dir("glibc_2_25");
    let so = compile(&d, "m.so", &["RANDOM"], &[]);
    let member = "demo/m.cpython-311-x86_64-linux-gnu.so";
    let r = run(&Spec::new(X86, &[(member, &so)]).write(&d));
    assert_eq!(r.best_policy.as_deref(), Some("manylinux_2_26_x86_64"));
    let msg = failure(&r, "policy.tag", member);
    assert!(
        msg.contains("GLIBC_2.25") && msg.contains("manylinux_2_17_x86_64"),
        "{msg}"
    );
    // Both the PEP 600 name and its legacy alias are reported.
    assert_eq!(rules(&r).iter().filter(|&&x| x == "policy.tag").count(), 2);
    let expect = Options {
        expect_policy: Some("manylinux_2_12_x86_64".into()),
        ..Options::default()
    };
    let r2 = check_file(&d.join(X86), &expect).unwrap();
    assert!(rules(&r2).contains(&"policy.expect"));
}

#[test]
fn bundled_library_resolves_through_origin_rpath() {
    let d = tmp_dir("bundled");
    let dep = compile(
        &d,
        "libdep-12345678.so",
        &[],
        &["-Wl,-soname,libdep-12345678.so"],
    );
    let dir = d.display().to_string();
    let link = ["-L", &dir, "-l:libdep-12345678.so"];
    let with_rpath = compile(
        &d,
        "m.so",
        &["DEP"],
        &[&link[..], &["-Wl,-rpath,$ORIGIN/../demo.libs"]].concat(),
    );
    let files: [(&str, &[u8]); 2] = [
        ("demo/m.abi3.so", &with_rpath),
        ("demo.libs/libdep-12345678.so", &dep),
    ];
    let r = run(&Spec::new(X86, &files).write(&d));
    assert!(r.ok, "{:?}", r.failures);
    assert_eq!(r.best_policy.as_deref(), Some("manylinux_2_5_x86_64"));

    let absolute = compile(
        &d,
        "m.so",
        &["DEP"],
        &[&link[..], &["-Wl,-rpath,/opt/build/lib:$ORIGIN/../../x"]].concat(),
    );
    let r = run(&Spec::new(X86, &[("demo/m.abi3.so", &absolute)]).write(&d));
    assert!(
        r.failures.iter().any(|f| f.rule == "elf.rpath"
            && f.message
                .contains("\"/opt/build/lib\" does not start at $ORIGIN")),
        "{:?}",
        r.failures
    );
    assert!(
        r.failures
            .iter()
            .any(|f| f.rule == "elf.rpath" && f.message.contains("climbs out of the wheel")),
        "{:?}",
        r.failures
    );

    let unhashed = compile(&d, "libdep.so", &[], &["-Wl,-soname,libother.so"]);
    let r = run(&Spec::new(X86, &[("demo.libs/libdep.so", &unhashed)]).write(&d));
    assert!(failure(&r, "elf.soname", "demo.libs/libdep.so")
        .contains("DT_SONAME \"libother.so\", not its file name"));

    let no_rpath = compile(&d, "m.so", &["DEP"], &link);
    let files: [(&str, &[u8]); 2] = [
        ("demo/m.abi3.so", &no_rpath),
        ("demo.libs/libdep-12345678.so", &dep),
    ];
    let r = run(&Spec::new(X86, &files).write(&d));
    assert_eq!(r.best_policy.as_deref(), Some("linux_x86_64"));
    assert!(failure(&r, "policy.tag", "demo/m.abi3.so").contains("needs libdep-12345678.so"));
}

#[test]
fn musl_wheel_needs_the_strict_libc_soname() {
    let d = tmp_dir("musl_soname");
    let name = "demo-1.0-cp311-cp311-musllinux_1_2_x86_64.whl";
    let member = "demo/m.cpython-311-x86_64-linux-musl.so";
    let plain = musl_linked(&d, "libc.so");
    let r = run(&Spec::new(name, &[(member, &plain)]).write(&d));
    assert_eq!(
        failure(&r, "elf.musl-plain-libc", member),
        "needs plain libc.so; musl systems and auditwheel know musl's libc as libc.musl-x86_64.so.1"
    );
    assert!(!r.ok);
    let strict = musl_linked(&d, "libc.musl-x86_64.so.1");
    let r = run(&Spec::new(name, &[(member, &strict)]).write(&d));
    assert!(r.ok, "{:?}", r.failures);
    assert_eq!(r.best_policy.as_deref(), Some("musllinux_1_1_x86_64"));
}

#[test]
fn unversioned_import_from_a_versioning_library_fails() {
    let d = tmp_dir("unversioned");
    // A stand-in for a system library that versions its symbols, built without versions:
    // what an unversioned stub (zig's libunwind on ppc64le below glibc 2.34) leaves.
    compile(&d, "libdep-stub.so", &[], &["-Wl,-soname,libgcc_s.so.1"]);
    let dir = d.display().to_string();
    let so = compile(&d, "m.so", &["DEP"], &["-L", &dir, "-l:libdep-stub.so"]);
    let member = "demo/m.abi3.so";
    let wheel = Spec::new(X86, &[(member, &so)]).write(&d);
    // Judged only when a policy is to be proven.
    assert!(run(&wheel).ok, "{:?}", run(&wheel).failures);
    let expect = Options {
        expect_policy: Some("manylinux_2_17_x86_64".into()),
        ..Options::default()
    };
    let r = check_file(&wheel, &expect).unwrap();
    let msg = failure(&r, "elf.unversioned-symbol", member);
    assert!(
        msg.contains("imports dep without a symbol version") && msg.contains("libgcc_s.so.1"),
        "{msg}"
    );
    // The same import from a bundled library, which need not version its symbols, passes
    // (bundled_library_resolves_through_origin_rpath); so does the interpreter's API.
    let abi3 = compile(&d, "m.so", &["ABI3NEW", "RANDOM"], &[]);
    let wheel = Spec::new(X86, &[(member, &abi3)]).write(&d);
    let newer = Options {
        expect_policy: Some("manylinux_2_28_x86_64".into()),
        ..Options::default()
    };
    let r = check_file(&wheel, &newer).unwrap();
    assert_eq!(r.elf[0].needed, ["libc.so.6"]);
    assert!(
        !rules(&r).contains(&"elf.unversioned-symbol"),
        "{:?}",
        r.failures
    );
}

#[test]
fn unknown_policy_tag() {
    let d = tmp_dir("unknown_tag");
    let so = compile(&d, "m.so", &[], &[]);
    let r = run(&Spec::new(
        "demo-1.0-cp311-cp311-manylinux1_aarch64.whl",
        &[("demo/m.so", &so)],
    )
    .write(&d));
    assert!(failure(&r, "policy.unknown-tag", "manylinux1_aarch64").contains("names no"));
}

#[test]
fn expected_policy_holds_every_tag_to_its_target() {
    let d = tmp_dir("expect_tags");
    let so = compile(&d, "m.so", &[], &[]);
    let wheel = Spec::new(X86, &[("demo/m.abi3.so", &so)]).write(&d);
    let expect = |policy: &str| Options {
        expect_policy: Some(policy.into()),
        ..Options::default()
    };
    let r = check_file(&wheel, &expect("manylinux_2_17_x86_64")).unwrap();
    assert!(r.ok, "{:?}", r.failures);
    let r = check_file(&wheel, &expect("manylinux_2_17_aarch64")).unwrap();
    let msg = failure(&r, "policy.expect", "manylinux_2_17_x86_64");
    assert!(
        msg.contains("not a manylinux tag for aarch64, as manylinux_2_17_aarch64 needs"),
        "{msg}"
    );
    let r = check_file(&wheel, &expect("musllinux_1_2_x86_64")).unwrap();
    assert!(failure(&r, "policy.expect", "manylinux2014_x86_64")
        .contains("not a musllinux tag for x86_64"));
}

#[test]
fn expected_policy_refuses_a_pure_wheel() {
    let d = tmp_dir("expect_pure");
    let wheel = Spec::new(PURE, &pure_files()).write(&d);
    let expect = Options {
        expect_policy: Some("manylinux_2_17_x86_64".into()),
        ..Options::default()
    };
    let r = check_file(&wheel, &expect).unwrap();
    assert!(failure(&r, "policy.expect", "any")
        .contains("not a manylinux tag for x86_64, as manylinux_2_17_x86_64 needs"));
}
