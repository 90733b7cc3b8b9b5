//! What the ELF objects hold: the abi3 API they call, build paths they leak, and
//! objects that cannot be read.

use wheelwright::archive::Limits;
use wheelwright::check::{check_file, Options};

use crate::common::*;
use crate::{failure, run};

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
fn leaked_nix_store_path() {
    let d = tmp_dir("leak");
    let so = compile(&d, "m.so", &["LEAK"], &[]);
    let r = run(&Spec::new(X86, &[("demo/m.so", &so)]).write(&d));
    assert!(failure(&r, "leak.build-path", "demo/m.so").contains("/nix/store/0123456789"));
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
fn truncated_elf() {
    let d = tmp_dir("trunc_elf");
    let so = compile(&d, "m.so", &[], &[]);
    let r = run(&Spec::new(X86, &[("demo/m.so", &so[..200])]).write(&d));
    assert!(failure(&r, "elf.invalid", "demo/m.so").contains("cannot be read"));
}
