//! Rule tests on wheels built by the test itself.

mod common;

use std::path::Path;

use common::*;
use wheelwright::archive::Limits;
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

#[test]
fn good_pure_wheel_passes() {
    let d = tmp_dir("good_pure");
    let r = run(&Spec::new(PURE, &pure_files()).write(&d));
    assert!(r.ok, "{:?}", r.failures);
    assert_eq!(r.best_policy.as_deref(), Some("any"));
    assert_eq!(r.claimed_tags, vec!["py3-none-any"]);
}

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
fn tampered_record_hash_and_size() {
    let d = tmp_dir("tampered");
    let mut s = Spec::new(PURE, &pure_files());
    s.record_edit = Box::new(|r| {
        r.replacen("sha256=", "sha256=AAAA", 1)
            .replacen(",12\n", ",13\n", 1)
    });
    let r = run(&s.write(&d));
    assert!(failure(&r, "record.hash", "demo/__init__.py").contains("does not match"));
    assert!(failure(&r, "record.size", "demo/__init__.py")
        .contains("RECORD says \"13\" bytes, the member has 12"));
    assert!(!r.ok);
}

#[test]
fn weak_hash_and_malformed_record() {
    let d = tmp_dir("weak_hash");
    let mut s = Spec::new(PURE, &pure_files());
    s.record_edit = Box::new(|r| r.replacen("sha256=", "md5=", 1));
    let r = run(&s.write(&d));
    assert!(failure(&r, "record.algorithm", "demo/__init__.py").contains("\"md5\""));
    s.record_edit = Box::new(|r| format!("{r}only,two\n"));
    let r = run(&s.write(&d));
    assert!(failure(&r, "record.malformed", "demo-1.0.dist-info/RECORD")
        .contains("2 fields, expected 3"));
}

#[test]
fn unlisted_and_stale_members() {
    let d = tmp_dir("unlisted");
    let mut s = Spec::new(PURE, &pure_files());
    s.unlisted = vec![("demo/extra.py".into(), b"x = 1\n".to_vec())];
    s.record_edit = Box::new(|r| format!("demo/gone.py,sha256=x,1\n{r}"));
    let r = run(&s.write(&d));
    assert!(failure(&r, "record.unlisted", "demo/extra.py").contains("not in RECORD"));
    assert!(failure(&r, "record.stale", "demo/gone.py").contains("not in the archive"));
}

#[test]
fn unsafe_names() {
    let d = tmp_dir("unsafe");
    let s = Spec::new(
        PURE,
        &[
            ("../evil.py", b"1".as_slice()),
            ("/etc/evil.py", b"2"),
            ("demo\\win.py", b"3"),
        ],
    );
    let r = run(&s.write(&d));
    assert!(failure(&r, "archive.unsafe-path", "../evil.py").contains("`..`"));
    assert!(failure(&r, "archive.unsafe-path", "/etc/evil.py").contains("absolute"));
    assert!(failure(&r, "archive.unsafe-path", "demo\\win.py").contains("backslash"));
}

#[test]
fn duplicate_member() {
    let d = tmp_dir("duplicate");
    let s = Spec::new(PURE, &[("demo/a.py", b"1".as_slice()), ("demo/b.py", b"2")]);
    let path = s.write(&d);
    // The zip writer refuses duplicates, so rename b.py to a.py in place (same length).
    let mut out = std::fs::read(&path).unwrap();
    let needle = b"demo/b.py";
    let mut i = 0;
    while i + needle.len() <= out.len() {
        if &out[i..i + needle.len()] == needle {
            out[i + 5] = b'a';
        }
        i += 1;
    }
    std::fs::write(&path, out).unwrap();
    let r = run(&path);
    assert!(failure(&r, "archive.duplicate", "demo/a.py").contains("more than once"));
}

#[test]
fn symlink_and_empty_dir() {
    let d = tmp_dir("symlink");
    let mut s = Spec::new(PURE, &pure_files());
    s.symlinks = vec![("demo/link.py".into(), "__init__.py".into())];
    s.empty_dirs = vec!["demo/empty/".into()];
    let r = run(&s.write(&d));
    assert!(failure(&r, "archive.symlink", "demo/link.py").contains("symbolic link"));
    assert!(failure(&r, "archive.empty-dir", "demo/empty/").contains("empty directory"));
}

#[test]
fn renamed_tag_and_wheel_tag_mismatch() {
    let d = tmp_dir("renamed");
    let so = compile(&d, "m.so", &[], &[]);
    let member = "demo/m.cpython-311-x86_64-linux-gnu.so";
    let path = Spec::new(X86, &[(member, &so)]).write(&d);
    let renamed = d.join("demo-1.0-cp311-cp311-manylinux_2_17_aarch64.whl");
    std::fs::copy(&path, &renamed).unwrap();
    let r = run(&renamed);
    assert!(failure(&r, "wheel.tags", "demo-1.0.dist-info/WHEEL")
        .contains("missing [cp311-cp311-manylinux_2_17_aarch64]"));
    assert!(failure(&r, "elf.arch", member).contains("built for x86_64"));
}

#[test]
fn any_tag_on_binary_wheel() {
    let d = tmp_dir("any_binary");
    let so = compile(&d, "m.so", &[], &[]);
    let mut s = Spec::new(PURE, &[("demo/m.so", &so)]);
    s.wheel = s
        .wheel
        .replace("Root-Is-Purelib: true", "Root-Is-Purelib: false");
    let r = run(&s.write(&d));
    assert!(failure(&r, "tags.elf-in-pure", "demo/m.so").contains("tagged `any`"));
}

#[test]
fn elf_under_purelib_and_root_is_purelib() {
    let d = tmp_dir("purelib");
    let so = compile(&d, "m.so", &[], &[]);
    let mut s = Spec::new(X86, &[("demo-1.0.data/purelib/m.so", &so)]);
    s.wheel = s
        .wheel
        .replace("Root-Is-Purelib: false", "Root-Is-Purelib: true");
    let r = run(&s.write(&d));
    assert!(failure(&r, "tags.elf-in-purelib", "demo-1.0.data/purelib/m.so").contains("purelib"));
    assert!(failure(&r, "wheel.purelib", "demo-1.0.dist-info/WHEEL").contains("holds binaries"));
}

#[test]
fn metadata_rules() {
    let d = tmp_dir("metadata");
    let mut s = Spec::new(PURE, &pure_files());
    s.metadata = "Metadata-Version: 9.9\nName: other\nVersion: 2.0\nAuthor-email: nobody\n".into();
    let r = run(&s.write(&d));
    let m = "demo-1.0.dist-info/METADATA";
    assert!(failure(&r, "metadata.name", m).contains("\"other\""));
    assert!(failure(&r, "metadata.version", m).contains("\"2.0\""));
    assert!(failure(&r, "metadata.version-field", m).contains("9.9"));
    assert!(failure(&r, "metadata.email", m).contains("nobody"));
    s.metadata = "Metadata-Version: 2.4\nName: demo\nVersion: 1.0\nLicense-File: LICENSE\nLicense-File: NOTICE\n".into();
    s.files.push((
        "demo-1.0.dist-info/licenses/LICENSE".into(),
        b"MIT".to_vec(),
    ));
    let r = run(&s.write(&d));
    assert_eq!(rules(&r), vec!["metadata.license-file"]);
    assert!(failure(&r, "metadata.license-file", m)
        .contains("\"NOTICE\" is not in demo-1.0.dist-info/licenses/"));
    let mut extra = Spec::new(PURE, &pure_files());
    extra
        .files
        .push(("demo-1.0.dist-info/INSTALLER".into(), b"pip\n".to_vec()));
    extra
        .files
        .push(("other-2.0.data/scripts/x".into(), b"#!python\n".to_vec()));
    let r = run(&extra.write(&d));
    assert!(
        failure(&r, "dist-info.layout", "demo-1.0.dist-info/INSTALLER")
            .contains("written by installers")
    );
    assert!(failure(&r, "dist-info.layout", "other-2.0.data").contains("not named after the wheel"));
    // Normalised names match: Demo_Pkg vs demo-pkg.
    let mut s = Spec::new("demo_pkg-1.0-py3-none-any.whl", &pure_files());
    s.metadata = "Metadata-Version: 2.4\nName: Demo.Pkg\nVersion: 1.0\n".into();
    assert!(run(&s.write(&d)).ok);
}

#[test]
fn leaked_nix_store_path() {
    let d = tmp_dir("leak");
    let so = compile(&d, "m.so", &["LEAK"], &[]);
    let r = run(&Spec::new(X86, &[("demo/m.so", &so)]).write(&d));
    assert!(failure(&r, "leak.build-path", "demo/m.so").contains("/nix/store/0123456789"));
}

#[test]
fn abi3_rules() {
    let d = tmp_dir("abi3");
    let name = "demo-1.0-cp38-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl";
    let so = compile(&d, "m.so", &["ABI3NEW", "ABI3BAD"], &[]);
    let r = run(&Spec::new(name, &[("demo/m.abi3.so", &so)]).write(&d));
    assert!(failure(&r, "abi3.symbol", "demo/m.abi3.so").contains("_PyObject_Magic"));
    assert!(failure(&r, "abi3.version", "demo/m.abi3.so").contains("PyList_GetItemRef (3.13)"));
    let suffixed = Spec::new(name, &[("demo/m.cpython-312-x86_64-linux-gnu.so", &so)]).write(&d);
    assert!(failure(
        &run(&suffixed),
        "abi3.suffix",
        "demo/m.cpython-312-x86_64-linux-gnu.so"
    )
    .contains("only imports there"));
    let new_enough = "demo-1.0-cp313-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl";
    let so = compile(&d, "m.so", &["ABI3NEW"], &[]);
    let r = run(&Spec::new(new_enough, &[("demo/m.abi3.so", &so)]).write(&d));
    assert!(r.ok, "{:?}", r.failures);
}

#[test]
fn truncated_elf() {
    let d = tmp_dir("trunc_elf");
    let so = compile(&d, "m.so", &[], &[]);
    let r = run(&Spec::new(X86, &[("demo/m.so", &so[..200])]).write(&d));
    assert!(failure(&r, "elf.invalid", "demo/m.so").contains("cannot be read"));
}

#[test]
fn zip_bomb_is_bounded() {
    let d = tmp_dir("bomb");
    let zeros = vec![0u8; 32 << 20];
    let path = Spec::new(PURE, &[("demo/bomb.bin", &zeros)]).write(&d);
    assert!(std::fs::metadata(&path).unwrap().len() < 1 << 20);
    let small = Options {
        limits: Limits {
            max_member: 1 << 20,
            ..Limits::default()
        },
        ..Options::default()
    };
    let e = check_file(&path, &small).unwrap_err();
    assert_eq!(
        e.what,
        "demo/bomb.bin: inflates to more than 1048576 bytes (zip bomb?)"
    );
    assert!(e.fix.contains("--max-member-size"));
    let total = Options {
        limits: Limits {
            max_total: 4 << 20,
            ..Limits::default()
        },
        ..Options::default()
    };
    let e = check_file(&path, &total).unwrap_err();
    assert!(
        e.what.contains("more than 4194304 bytes in total"),
        "{}",
        e.what
    );
}

#[test]
fn huge_record() {
    let d = tmp_dir("huge_record");
    let mut s = Spec::new(PURE, &pure_files());
    s.record_edit = Box::new(|r| {
        let mut big = r;
        for i in 0..100_000 {
            big.push_str(&format!("demo/missing_{i}.py,sha256=AAAA,1\n"));
        }
        big
    });
    let path = s.write(&d);
    // Within limits: judged, every phantom row reported, in bounded time.
    let r = run(&path);
    assert_eq!(
        rules(&r).iter().filter(|&&x| x == "record.stale").count(),
        100_000
    );
    // Over the metadata cap: a clear error instead of parsing it.
    let capped = Options {
        limits: Limits {
            max_metadata: 1 << 20,
            ..Limits::default()
        },
        ..Options::default()
    };
    let e = check_file(&path, &capped).unwrap_err();
    assert!(
        e.what
            .starts_with("demo-1.0.dist-info/RECORD: inflates to more than 1048576 bytes"),
        "{}",
        e.what
    );
}

#[test]
fn truncated_zip_is_unusable() {
    let d = tmp_dir("trunc_zip");
    let path = Spec::new(PURE, &pure_files()).write(&d);
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let e = check_file(&path, &Options::default()).unwrap_err();
    assert!(
        e.what.starts_with("not a readable zip archive"),
        "{}",
        e.what
    );
}

#[test]
fn unparsable_name() {
    let d = tmp_dir("badname");
    let mut s = Spec::new(PURE, &pure_files());
    s.file_name = "demo-1.0.whl".into();
    let r = run(&s.write(&d));
    assert!(failure(&r, "name.parse", "demo-1.0.whl").contains("2 dash-separated parts"));
}

#[test]
fn platform_tag_without_binaries() {
    let d = tmp_dir("no_binary");
    let r = run(&Spec::new(X86, &pure_files()).write(&d));
    let tags = "manylinux_2_17_x86_64.manylinux2014_x86_64";
    assert_eq!(rules(&r), vec!["tags.no-binary"]);
    assert!(failure(&r, "tags.no-binary", tags).contains("holds no x86_64 ELF object"));
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
fn archive_rules_apply_without_dist_info() {
    let d = tmp_dir("no_dist_info");
    let path = d.join(PURE);
    let mut z = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    z.start_file("../x.py", zip::write::SimpleFileOptions::default())
        .unwrap();
    z.finish().unwrap();
    let r = run(&path);
    assert!(failure(&r, "dist-info.layout", "*.dist-info").contains("no .dist-info directory"));
    assert!(failure(&r, "archive.unsafe-path", "../x.py").contains("`..`"));
}

/// Sets the uncompressed size of `name` in its local and central headers.
fn patch_declared_size(bytes: &mut [u8], name: &[u8], size: u32) {
    for i in 0..bytes.len().saturating_sub(46 + name.len()) {
        let (sig, size_at, name_at) = match &bytes[i..i + 4] {
            b"PK\x03\x04" => (true, 22, 30),
            b"PK\x01\x02" => (true, 24, 46),
            _ => (false, 0, 0),
        };
        if sig && &bytes[i + name_at..i + name_at + name.len()] == name {
            bytes[i + size_at..i + size_at + 4].copy_from_slice(&size.to_le_bytes());
        }
    }
}

#[test]
fn lying_size_header_is_unusable() {
    let d = tmp_dir("lying_size");
    let big = vec![b'a'; 10_000];
    let path = Spec::new(PURE, &[("demo/big.txt", &big)]).write(&d);
    let mut bytes = std::fs::read(&path).unwrap();
    patch_declared_size(&mut bytes, b"demo/big.txt", 100);
    std::fs::write(&path, &bytes).unwrap();
    let e = check_file(&path, &Options::default()).unwrap_err();
    assert!(
        e.what.starts_with("demo/big.txt: cannot inflate"),
        "{}",
        e.what
    );
    patch_declared_size(&mut bytes, b"demo/big.txt", 20_000);
    std::fs::write(&path, &bytes).unwrap();
    let e = check_file(&path, &Options::default()).unwrap_err();
    assert_eq!(
        e.what,
        "demo/big.txt: holds 10000 bytes, the zip header says 20000"
    );
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
fn wheel_of_another_distribution_fails_the_expected_name() {
    let d = tmp_dir("dist_name");
    let wheel = Spec::new(PURE, &pure_files()).write(&d);
    let named = |n: &str| Options {
        dist_name: Some(n.into()),
        ..Options::default()
    };
    assert!(check_file(&wheel, &named("Demo")).unwrap().ok);
    let r = check_file(&wheel, &named("my-extension")).unwrap();
    assert!(failure(&r, "name.dist", "demo")
        .contains("the wheel is of distribution demo, not my-extension"));
}

#[test]
fn build_paths_given_are_leaks() {
    let d = tmp_dir("build_paths");
    let so = compile(&d, "m.so", &[], &[]);
    let wheel = Spec::new(X86, &[("demo/m.abi3.so", &so)]).write(&d);
    // cc writes no path into the object; the directory's name stands in for one it did.
    let with = |p: &str| Options {
        limits: Limits {
            build_paths: vec![p.into()],
            ..Limits::default()
        },
        ..Options::default()
    };
    assert!(check_file(&wheel, &with("/no/such/build/dir")).unwrap().ok);
    let r = check_file(&wheel, &with("PyInit_m")).unwrap();
    assert!(failure(&r, "leak.build-path", "demo/m.abi3.so").contains("\"PyInit_m\""));
}

#[test]
fn program_wheel_may_not_call_the_python_api() {
    let d = tmp_dir("abi_none");
    let name = "demo-1.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl";
    let program = compile(&d, "prog.so", &[], &[]);
    let r = run(&Spec::new(name, &[("demo-1.0.data/scripts/demo", &program)]).write(&d));
    assert!(r.ok, "{:?}", r.failures);
    let extension = compile(&d, "m.so", &["ABI3NEW"], &[]);
    let r = run(&Spec::new(name, &[("demo/m.so", &extension)]).write(&d));
    assert!(failure(&r, "tags.abi-none", "demo/m.so").contains(
        "calls the Python C API (PyList_GetItemRef, 1 symbol(s)), but the wheel's ABI tag is none"
    ));
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
