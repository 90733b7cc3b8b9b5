//! METADATA and the .dist-info layout, and the distribution name a caller expects.

use wheelwright::check::{check_file, Options};

use crate::common::*;
use crate::{failure, rules, run};

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
