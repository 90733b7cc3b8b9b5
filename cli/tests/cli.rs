//! Runs the built `wheelwright` binary and checks exit codes, text and JSON output.

mod common;

use common::*;

#[test]
fn check_ok_exits_0_with_verdict_line() {
    let d = tmp_dir("cli_ok");
    let so = compile(&d, "m.so", &[], &[]);
    let p = Spec::new(X86, &[("demo/m.so", &so)]).write(&d);
    let o = ww(&["check", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        format!("ok  {X86}  best: manylinux_2_5_x86_64\n")
    );
}

#[test]
fn check_failure_exits_1_with_rule_lines() {
    let d = tmp_dir("cli_fail");
    let mut s = Spec::new(PURE, &pure_files());
    s.record_edit = Box::new(|r| r.replacen("sha256=", "sha256=AAAA", 1));
    let p = s.write(&d);
    let o = ww(&["check", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.starts_with(&format!("FAIL {PURE}  best: any\n")),
        "{out}"
    );
    assert!(out.contains(
        "FAIL record.hash demo/__init__.py: sha256 in RECORD does not match the content; fix: regenerate RECORD"
    ), "{out}");
}

#[test]
fn check_json_schema() {
    let d = tmp_dir("cli_json");
    let so = compile(&d, "m.so", &["RANDOM"], &[]);
    let p = Spec::new(X86, &[("demo/m.so", &so)]).write(&d);
    let o = ww(&["check", "--json", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    let w = &v[0];
    assert_eq!(w["file"], X86);
    assert_eq!(w["ok"], false);
    assert_eq!(w["size"], std::fs::metadata(&p).unwrap().len());
    assert!(w["inflated_size"].as_u64().unwrap() > so.len() as u64);
    assert_eq!(w["best_policy"], "manylinux_2_26_x86_64");
    assert_eq!(w["claimed_tags"][0], "cp311-cp311-manylinux_2_17_x86_64");
    assert_eq!(w["failures"][0]["rule"], "policy.tag");
    assert_eq!(w["failures"][0]["member"], "demo/m.so");
    assert!(w["failures"][0]["fix"]
        .as_str()
        .unwrap()
        .contains("manylinux_2_26_x86_64"));
    assert_eq!(w["elf"][0]["machine"], "x86_64");
    assert_eq!(w["elf"][0]["class"], 64);
    assert_eq!(w["best_policies"][0]["libc"], "glibc");
}

#[test]
fn unusable_inputs_exit_2_with_one_line() {
    let d = tmp_dir("cli_unusable");
    let missing = d.join("nope-1.0-py3-none-any.whl");
    let o = ww(&["check", missing.to_str().unwrap()]);
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

    let p = Spec::new(PURE, &pure_files()).write(&d);
    let bytes = std::fs::read(&p).unwrap();
    std::fs::write(&p, &bytes[..bytes.len() - 30]).unwrap();
    let o = ww(&["check", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not a readable zip archive"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("panicked"));
}

#[test]
fn zip_bomb_flag() {
    let d = tmp_dir("cli_bomb");
    let zeros = vec![0u8; 4 << 20];
    let p = Spec::new(PURE, &[("demo/z.bin", &zeros)]).write(&d);
    let o = ww(&["check", "--max-member-size", "65536", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(
            "demo/z.bin: inflates to more than 65536 bytes (zip bomb?) (raise --max-member-size"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn expect_policy_flag() {
    let d = tmp_dir("cli_expect");
    let so = compile(&d, "m.so", &[], &[]);
    let p = Spec::new(X86, &[("demo/m.so", &so)]).write(&d);
    let o = ww(&[
        "check",
        "--expect-policy",
        "manylinux_2_5_x86_64",
        p.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = ww(&[
        "check",
        "--expect-policy",
        "manylinux1_aarch64",
        p.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("names no manylinux/musllinux policy"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn dist_name_and_build_path_flags() {
    let d = tmp_dir("cli_dist_name");
    let so = compile(&d, "m.so", &[], &[]);
    let p = Spec::new(X86, &[("demo/m.so", &so)]).write(&d);
    let p = p.to_str().unwrap();
    let o = ww(&[
        "check",
        "--dist-name",
        "demo",
        "--build-path",
        "/no/such/dir",
        p,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = ww(&[
        "check",
        "--dist-name",
        "other",
        "--build-path",
        "PyInit_m",
        p,
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.contains("FAIL name.dist demo: the wheel is of distribution demo, not other"),
        "{out}"
    );
    assert!(
        out.contains("FAIL leak.build-path demo/m.so: contains the build path \"PyInit_m\""),
        "{out}"
    );
}

#[test]
fn diff_identical_and_different() {
    let d = tmp_dir("cli_diff");
    let so = compile(&d, "m.so", &[], &[]);
    let a = Spec::new(X86, &[("demo/m.so", &so), ("demo/a.py", b"1")]).write(&d);
    let a2 = d.join("copy.whl");
    std::fs::copy(&a, &a2).unwrap();
    let o = ww(&["diff", a.to_str().unwrap(), a2.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("identical "));

    let so2 = compile(&d, "m2.so", &["RANDOM"], &[]);
    let bdir = d.join("b");
    std::fs::create_dir_all(&bdir).unwrap();
    let b = Spec::new(X86, &[("demo/b.py", b"2"), ("demo/m.so", &so2)]).write(&bdir);
    let o = ww(&["diff", "--json", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["identical"], false);
    let kinds: Vec<(String, String)> = v["differences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["kind"].as_str().unwrap().to_string(),
                d["member"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        kinds.contains(&("missing".into(), "demo/a.py".into())),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("added".into(), "demo/b.py".into())),
        "{kinds:?}"
    );
    let m = v["differences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == "content" && d["member"] == "demo/m.so")
        .unwrap();
    assert!(
        m["detail"]
            .as_str()
            .unwrap()
            .contains("ELF sections differ: ")
            && m["detail"].as_str().unwrap().contains(".dynsym"),
        "{m}"
    );

    let cdir = d.join("c");
    std::fs::create_dir_all(&cdir).unwrap();
    let c = Spec::new(X86, &[("demo/a.py", b"1"), ("demo/m.so", &so)]).write(&cdir);
    let o = ww(&["diff", a.to_str().unwrap(), c.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("order demo/m.so: position 0 holds demo/a.py in the second wheel"),
        "{}",
        stdout(&o)
    );

    let o = ww(&[
        "diff",
        a.to_str().unwrap(),
        d.join("missing.whl").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.whl: cannot open"));
}
