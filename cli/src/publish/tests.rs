use std::path::PathBuf;

use super::dist::{form_fields, Dist};
use super::options::{endpoints, Options, PYPI_UPLOAD_URL};
use super::release::release_refusals;
use super::rules::{FILE_SIZE_LIMIT, PROJECT_SIZE_LIMIT};
use crate::archive::Limits;
use crate::filename::WheelName;
use crate::metadata::parse_headers;

fn dist(file_name: &str, metadata: &str) -> Dist {
    Dist {
        path: PathBuf::from(file_name),
        file_name: file_name.into(),
        wheel: WheelName::parse(file_name).ok(),
        metadata: metadata.into(),
        headers: parse_headers(metadata),
        sha256: "00".into(),
        size: 0,
        attestations: Vec::new(),
    }
}

const META: &str = "Metadata-Version: 2.4\nName: WW-Example\nVersion: 0.1.0\nClassifier: A\nClassifier: B\nProject-URL: Home, https://x\nLicense-File: LICENSE\n\n# Readme\n";

#[test]
fn form_fields_follow_twine() {
    let d = dist("ww_example-0.1.0-cp38-abi3-manylinux_2_17_x86_64.whl", META);
    let got = form_fields(&d);
    let keys: Vec<&str> = got.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            ":action",
            "protocol_version",
            "metadata_version",
            "name",
            "version",
            "classifiers",
            "classifiers",
            "project_urls",
            "license_file",
            "description",
            "filetype",
            "pyversion",
            "sha256_digest"
        ]
    );
    assert_eq!(got[9].1, "# Readme\n");
    assert_eq!(got[11].1, "cp38");
    let sdist = form_fields(&dist(
        "ww_example-0.1.0.tar.gz",
        &META.replace("2.4", "2.3"),
    ));
    assert!(!sdist.iter().any(|(k, _)| k == "license_file"));
    assert!(sdist.contains(&("pyversion".into(), "source".into())));
}

#[test]
fn a_release_is_one_project_and_version() {
    let dists = [
        dist("ww_example-0.1.0-cp38-abi3-manylinux_2_17_x86_64.whl", META),
        dist("ww_example-0.1.0.tar.gz", META),
        dist("ww_example-0.1.0.tar.gz", META),
        dist(
            "WW_Example-0.1.0-cp38-abi3-manylinux_2_17_aarch64.whl",
            META,
        ),
        dist("other-0.2.0.tar.gz", "Name: other\nVersion: 0.2.0\n"),
    ];
    let mut refusals = Vec::new();
    let (project, version) = release_refusals(&dists, &mut refusals);
    assert_eq!(
        (project.as_str(), version.as_str()),
        ("WW-Example", "0.1.0")
    );
    let got: Vec<(&str, &str)> = refusals
        .iter()
        .map(|r| (r.file.as_str(), r.message.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("ww_example-0.1.0.tar.gz", "the file is given twice"),
            (
                "ww_example-0.1.0.tar.gz",
                "a second sdist: PyPI takes one per release"
            ),
            (
                "WW_Example-0.1.0-cp38-abi3-manylinux_2_17_aarch64.whl",
                "PyPI wants the file name to start with the normalised project name \"ww_example\""
            ),
            (
                "other-0.2.0.tar.gz",
                "it is other 0.2.0, not WW-Example 0.1.0: a release is one project and version"
            ),
            (
                "other-0.2.0.tar.gz",
                "a second sdist: PyPI takes one per release"
            ),
        ]
    );
}

#[test]
fn pypi_and_testpypi_have_known_indexes() {
    let opts = |u: &str| Options {
        upload_url: u.into(),
        simple_url: None,
        dry_run: false,
        limits: Limits::default(),
        file_size_limit: FILE_SIZE_LIMIT,
        project_size_limit: PROJECT_SIZE_LIMIT,
    };
    for given in [PYPI_UPLOAD_URL, "https://upload.pypi.org/legacy"] {
        assert_eq!(
            endpoints(&opts(given)).unwrap(),
            (
                PYPI_UPLOAD_URL.to_string(),
                "https://pypi.org/simple/".to_string()
            ),
            "{given}"
        );
    }
    assert_eq!(
        endpoints(&opts("https://test.pypi.org/legacy")).unwrap().1,
        "https://test.pypi.org/simple/"
    );
    let err = endpoints(&opts("http://127.0.0.1:8080/")).unwrap_err();
    assert_eq!(
        err.what,
        "no simple index is known for http://127.0.0.1:8080/"
    );
    let given = Options {
        simple_url: Some("http://127.0.0.1:8080/simple".into()),
        ..opts("http://127.0.0.1:8080/legacy")
    };
    assert_eq!(
        endpoints(&given).unwrap(),
        (
            "http://127.0.0.1:8080/legacy".to_string(),
            "http://127.0.0.1:8080/simple".to_string()
        )
    );
}
