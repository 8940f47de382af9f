//! `rudder unittest`: helm-unittest suites on the fixture charts, their
//! output and exit codes, snapshots written and compared, JUnit XML.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rudder(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_rudder"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.code().unwrap_or(-1), text)
}

/// Copies a fixture chart into a temporary directory (snapshots get
/// written there).
fn copy(fixture: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let src = root().join("fixtures/unittest").join(fixture);
    for entry in walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(&src).unwrap_or(entry.path());
        let to = dir.path().join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap_or_else(|e| panic!("{e}"));
        } else {
            std::fs::copy(entry.path(), &to).unwrap_or_else(|e| panic!("{e}"));
        }
    }
    dir
}

#[test]
fn every_assert_type_passes_on_the_basic_chart() {
    let (code, out) = rudder(&["unittest", "fixtures/unittest/basic"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(" PASS  every assert, passing\ttests/pass_test.yaml"),
        "{out}"
    );
    assert!(out.ends_with("9 passed, 0 failed, 1 skipped\n"), "{out}");
}

#[test]
fn document_index_counts_in_the_files_own_order() {
    // Service, hook Job, ConfigMap: install order would be ConfigMap,
    // Service with the Job apart.
    let (code, out) = rudder(&["unittest", "fixtures/unittest/order"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("1 passed, 0 failed\n"), "{out}");
}

#[test]
fn failing_asserts_print_helm_unittest_text() {
    let (code, out) = rudder(&["unittest", "fixtures/unittest/failing"]);
    assert_eq!(code, 1, "{out}");
    let expected = "\t\t- asserts[0] `equal` fail
\t\t\tTemplate:\tbasic/templates/deployment.yaml
\t\t\tDocumentIndex:\t0
\t\t\tValuesIndex:\t0
\t\t\tPath:\tspec.replicas
\t\t\tExpected to equal:
\t\t\t\t3
\t\t\tActual:
\t\t\t\t2
\t\t\tDiff:
\t\t\t\t--- Expected
\t\t\t\t+++ Actual
\t\t\t\t@@ -1 +1 @@
\t\t\t\t-3
\t\t\t\t+2
";
    assert!(out.contains(expected), "{out}");
    for piece in [
        "\t\t- asserts[1] `isKind` fail\n\t\t\tTemplate:\tbasic/templates/deployment.yaml\n\t\t\tDocumentIndex:\t0\n\t\t\tExpected to be kind:\n\t\t\t\tStatefulSet\n\t\t\tActual:\n\t\t\t\tDeployment\n",
        "\t\t\tError:\n\t\t\t\tunknown path metadata.nothere\n",
        "\t\t\tPath:\tmetadata.name\n\t\t\tExpected to match:\n\t\t\t\t^prod-\n\t\t\tActual:\n\t\t\t\tRELEASE-NAME-basic\n",
        "\t\t\tExpected to contain:\n\t\t\t\t- name: C\n\t\t\tActual:\n\t\t\t\t- name: A\n\t\t\t\t  value: \"1\"\n",
        "\t\t\tExpected documents count to be:\n\t\t\t\t2\n\t\t\tActual:\n\t\t\t\t1\n",
        "\t\t\tPath:\tspec.template.spec.containers\n\t\t\tExpected to match count:\n\t\t\t\t1\n\t\t\tActual:\n\t\t\t\t2\n",
        "\t\t- asserts[7] `equal` fail\n\t\t\tError:\n\t\t\tdocument index 3 is out of range\n",
    ] {
        assert!(out.contains(piece), "missing {piece:?} in\n{out}");
    }
    assert!(out.ends_with("0 passed, 1 failed\n"), "{out}");
}

#[test]
fn snapshots_are_written_then_compared_with_a_diff() {
    let dir = copy("snapshot");
    let chart = dir.path().to_string_lossy().into_owned();
    let (code, out) = rudder(&["unittest", &chart]);
    assert_eq!(code, 0, "{out}");
    let snap = dir.path().join("tests/__snapshot__/snap_test.yaml.snap");
    let text = std::fs::read_to_string(&snap).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        text.starts_with(
            "matches the whole deployment:\n  1: |\n    apiVersion: apps/v1\n    kind: Deployment\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("\n  2: |\n    env:\n      - name: A\n        value: \"1\"\n"),
        "{text}"
    );
    // The long annotation folds at 80 columns, as go-yaml v3 folds it.
    assert!(text.contains("kubernetes.io/description: a long description that goes on and on past eighty\n          columns so that go-yaml folds it\n"), "{text}");
    let (code, out) = rudder(&["unittest", &chart]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Snapshot:    2 passed, 2 total"), "{out}");
    std::fs::write(&snap, text.replace("replicas: 2", "replicas: 9"))
        .unwrap_or_else(|e| panic!("{e}"));
    let (code, out) = rudder(&["unittest", &chart]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("\t\t\tExpected to match snapshot 1:\n"),
        "{out}"
    );
    assert!(
        out.contains("\t\t\t\t-  replicas: 9\n\t\t\t\t+  replicas: 2\n"),
        "{out}"
    );
    assert!(
        out.contains("Snapshot Summary: 1 snapshot failed in 1 test suite."),
        "{out}"
    );
    let (code, out) = rudder(&["unittest", "-u", &chart]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(std::fs::read_to_string(&snap).unwrap_or_default(), text);
}

#[test]
fn junit_output_validates_against_the_junit_schema() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let report = dir.path().join("report.xml");
    let report_s = report.to_string_lossy().into_owned();
    let (code, _) = rudder(&[
        "unittest",
        "-t",
        "JUnit",
        "-o",
        &report_s,
        "fixtures/unittest/failing",
        "fixtures/unittest/basic",
    ]);
    assert_eq!(code, 1);
    let xml = std::fs::read_to_string(&report).unwrap_or_else(|e| panic!("{e}"));
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"failing asserts\" tests=\"1\" failures=\"1\" errors=\"0\" id=\"0\""), "{xml}");
    assert!(
        xml.contains("<failure message=\"Failed\" type=\"\">"),
        "{xml}"
    );
    assert!(xml.contains("<skipped message=\"\"/>"), "{xml}");
    // xmllint (Debian's libxml2-utils) checks the report against the
    // JUnit XSD (fixtures/unittest/junit.xsd); CI installs it.
    let xsd = root().join("fixtures/unittest/junit.xsd");
    let lint = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(&report)
        .output();
    match lint {
        Ok(o) => assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr)),
        Err(e) if std::env::var_os("CI").is_some() => panic!("xmllint is needed in CI: {e}"),
        Err(_) => eprintln!("xmllint not installed: schema check skipped"),
    }
}
