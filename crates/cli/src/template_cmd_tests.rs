//! `--output-dir` safety (issue 7): nothing outside the directory, no
//! half-written files.

use super::{check_inside, write_atomically};

#[test]
fn output_paths_outside_the_directory_are_refused_naming_them() {
    for ok in [
        "c/templates/a.yaml",
        "c/charts/sub/templates/x.yaml",
        "./c/a.yaml",
    ] {
        assert!(check_inside(ok).is_ok(), "{ok}");
    }
    for bad in [
        "../x.yaml",
        "c/../../x.yaml",
        "/etc/x.yaml",
        "c\\..\\..\\x.yaml",
        "",
    ] {
        let err = check_inside(bad).expect_err(bad).to_string();
        assert!(
            err.contains(bad) && err.contains("outside --output-dir"),
            "{err}"
        );
    }
}

#[test]
fn writes_are_atomic_and_failures_leave_nothing_behind() {
    let dir = std::env::temp_dir().join(format!("rudder-atomic-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let target = dir.join("c/templates/a.yaml");
    write_atomically(&target, b"one").expect("writes");
    write_atomically(&target, b"two").expect("overwrites");
    assert_eq!(std::fs::read(&target).expect("reads"), b"two");
    // A target that cannot be renamed onto (a directory) fails, and the
    // temporary file is gone.
    let blocked = dir.join("c/templates/blocked.yaml");
    std::fs::create_dir_all(blocked.join("inside")).expect("mkdir");
    assert!(write_atomically(&blocked, b"x").is_err());
    let mut names: Vec<String> = std::fs::read_dir(dir.join("c/templates"))
        .expect("lists")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["a.yaml", "blocked.yaml"]);
    std::fs::remove_dir_all(&dir).expect("cleanup");
}
