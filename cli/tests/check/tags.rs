//! The wheel's file name and tags against what it holds: its WHEEL tags, binaries in a
//! pure or purelib wheel, a platform tag without binaries, the Python API under ABI none.

use crate::common::*;
use crate::{failure, rules, run};

#[test]
fn good_pure_wheel_passes() {
    let d = tmp_dir("good_pure");
    let r = run(&Spec::new(PURE, &pure_files()).write(&d));
    assert!(r.ok, "{:?}", r.failures);
    assert_eq!(r.best_policy.as_deref(), Some("any"));
    assert_eq!(r.claimed_tags, vec!["py3-none-any"]);
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
