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
    let dir = tempfile::tempdir().expect("tempdir");
    let dir = dir.path();
    write_atomically(dir, "c/templates/a.yaml", b"one").expect("writes");
    write_atomically(dir, "c/templates/a.yaml", b"two").expect("overwrites");
    assert_eq!(
        std::fs::read(dir.join("c/templates/a.yaml")).expect("reads"),
        b"two"
    );
    // A target that cannot be renamed onto (a directory) fails naming it,
    // and the temporary file is gone.
    std::fs::create_dir_all(dir.join("c/templates/blocked.yaml/inside")).expect("mkdir");
    let err = write_atomically(dir, "c/templates/blocked.yaml", b"x").expect_err("blocked");
    assert!(err.to_string().contains("blocked.yaml"), "{err}");
    let mut names: Vec<String> = std::fs::read_dir(dir.join("c/templates"))
        .expect("lists")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["a.yaml", "blocked.yaml"]);
}

#[cfg(unix)]
#[test]
fn links_inside_the_directory_are_never_followed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let out = dir.path();
    std::fs::create_dir_all(out.join("c")).expect("mkdir");
    std::os::unix::fs::symlink(elsewhere.path(), out.join("c/templates")).expect("link");
    let err = write_atomically(out, "c/templates/a.yaml", b"x").expect_err("refused");
    assert!(
        err.to_string().contains("c/templates is a symbolic link"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_dir(elsewhere.path()).expect("lists").count(),
        0
    );

    // A link at the target is replaced, not written through.
    let victim = elsewhere.path().join("victim");
    std::fs::write(&victim, b"keep").expect("victim");
    std::fs::create_dir_all(out.join("d")).expect("mkdir");
    std::os::unix::fs::symlink(&victim, out.join("d/a.yaml")).expect("link");
    std::os::unix::fs::symlink(&victim, out.join("d/a.rudder-tmp")).expect("link");
    write_atomically(out, "d/a.yaml", b"new").expect("writes");
    assert_eq!(std::fs::read(&victim).expect("reads"), b"keep");
    assert_eq!(std::fs::read(out.join("d/a.yaml")).expect("reads"), b"new");
    assert!(
        !std::fs::symlink_metadata(out.join("d/a.yaml"))
            .expect("meta")
            .file_type()
            .is_symlink()
    );

    // A file where a directory must go is named.
    std::fs::write(out.join("e"), b"").expect("file");
    let err = write_atomically(out, "e/a.yaml", b"x").expect_err("refused");
    assert!(
        err.to_string()
            .contains("is a file where rudder needs a directory"),
        "{err}"
    );
}

#[test]
fn concurrent_runs_into_one_directory_do_not_collide() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().to_path_buf();
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let out = out.clone();
            std::thread::spawn(move || {
                for _ in 0..50 {
                    write_atomically(&out, "c/templates/a.yaml", format!("{i}").as_bytes())
                        .expect("writes");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("thread");
    }
    let names: Vec<_> = std::fs::read_dir(out.join("c/templates"))
        .expect("lists")
        .collect();
    assert_eq!(names.len(), 1);
}
