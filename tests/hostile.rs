//! Hostile input (issue 7): charts and values people download or receive
//! in pull requests may not crash rudder, exhaust the machine, or reach
//! outside the chart.
//!
//! * Every input under `fixtures/hostile/<target>/` is replayed through the
//!   fuzz target of that name (`fuzz/src/harness.rs`, included here), so a
//!   crash found by `scripts/fuzz.sh` becomes a regression test by saving
//!   its input there.
//! * Bounds: each hostile input is refused with a clear error in bounded
//!   time.
//! * No escape: `Files`, symbolic links and archive entries stay inside the
//!   chart.

#[allow(unreachable_pub, dead_code)]
#[path = "../fuzz/src/harness.rs"]
mod harness;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rudder_render::chart::File;
use rudder_render::{Chart, Engine, EngineOptions, RenderOptions, StreamOptions};
use rudder_values::{Map, Value, ValuesOptions};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rudder-hostile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    dir
}

fn file(name: &str, data: &str) -> File {
    File {
        name: name.to_owned(),
        data: data.as_bytes().to_vec(),
    }
}

const CHART_YAML: &str =
    "apiVersion: v2\nname: hostile\nversion: 0.1.0\nannotations:\n  rudder.dev/templates: jinja\n";

/// Renders a chart made of `files` (plus Chart.yaml) with `values` as user
/// values; the error text, or the output stream.
fn render(files: &[(&str, &str)], values: Map) -> Result<String, String> {
    let mut all = vec![file("Chart.yaml", CHART_YAML)];
    all.extend(files.iter().map(|(n, d)| file(n, d)));
    Chart::from_files(all, "hostile")
        .and_then(|c| Engine::new(c, &EngineOptions::default()))
        .and_then(|e| e.render(values, &RenderOptions::default()))
        .and_then(|r| r.stream(&StreamOptions::default()))
        .map_err(|e| e.to_string())
}

fn render_err(files: &[(&str, &str)], values: Map) -> String {
    match render(files, values) {
        Ok(out) => panic!("rendered without error:\n{out}"),
        Err(e) => e,
    }
}

/// Runs `f`, failing when it takes longer than `limit` (debug builds).
fn within<T>(limit: Duration, what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    assert!(
        start.elapsed() < limit,
        "{what} took {:?}, over {limit:?}",
        start.elapsed()
    );
    out
}

#[test]
fn fuzz_regression_inputs_replay_without_panics() {
    let mut replayed = 0;
    for target in harness::TARGETS {
        let dir = root().join("fixtures/hostile").join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.map(|e| e.expect("entry").path()).collect();
        paths.sort();
        for path in paths {
            let data = std::fs::read(&path).expect("reads");
            within(Duration::from_secs(60), &path.display().to_string(), || {
                harness::run(target, &data)
            });
            replayed += 1;
        }
    }
    assert!(replayed > 0, "no inputs under fixtures/hostile/");
}

// ---- bounded resources ----

#[test]
fn a_yaml_alias_bomb_in_values_yaml_is_refused_quickly() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let items = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{items}]\n"));
    }
    let err = within(Duration::from_secs(10), "alias bomb", || {
        Chart::from_files(
            vec![file("Chart.yaml", CHART_YAML), file("values.yaml", &text)],
            "bomb",
        )
        .expect_err("refused")
        .to_string()
    });
    assert!(
        err.contains("bomb/values.yaml") && err.contains("alias bomb"),
        "{err}"
    );
}

#[test]
fn values_nested_past_the_limits_are_refused() {
    // YAML: 1000 levels (rudder_values::yaml::Limits).
    let deep = format!("{}1\n", "- ".repeat(5000));
    let err = Chart::from_files(
        vec![file("Chart.yaml", CHART_YAML), file("values.yaml", &deep)],
        "deep",
    )
    .expect_err("too deep")
    .to_string();
    assert!(err.contains("nested deeper than 1000"), "{err}");
    // --set: Helm's 30 names; --set-json: the JSON parser's 128 levels.
    let mut reader = rudder_values::FsReader;
    let set = ValuesOptions {
        set: vec![format!("{}=1", vec!["k"; 40].join("."))],
        ..Default::default()
    };
    let err = set.merge(&mut reader).expect_err("too deep").to_string();
    assert!(err.contains("more than 30 levels"), "{err}");
    let json = ValuesOptions {
        set_json: vec![format!("a={}1{}", "[".repeat(10_000), "]".repeat(10_000))],
        ..Default::default()
    };
    let err = json.merge(&mut reader).expect_err("too deep").to_string();
    assert!(err.contains("recursion limit"), "{err}");
}

#[test]
fn list_indexes_past_helms_cap_are_refused() {
    let mut reader = rudder_values::FsReader;
    let at = |i: usize| ValuesOptions {
        set: vec![format!("a[{i}]=1")],
        ..Default::default()
    };
    let ok = at(rudder_values::MAX_INDEX)
        .merge(&mut reader)
        .expect("at the cap");
    let Some(Value::List(l)) = ok.values.get("a") else {
        panic!("{ok:?}")
    };
    assert_eq!(l.len(), rudder_values::MAX_INDEX + 1);
    for i in [rudder_values::MAX_INDEX + 1, 10_000_000_000] {
        let err = at(i)
            .merge(&mut reader)
            .expect_err("past the cap")
            .to_string();
        assert!(err.contains("larger than 65536"), "{err}");
    }
}

/// A gzipped tar with `entries` (names written raw, so hostile names reach
/// the loader), as a file in `dir`.
fn tgz_file(dir: &Path, name: &str, entries: &[(&str, Vec<u8>)]) -> PathBuf {
    let owned: Vec<(String, Vec<u8>)> = entries
        .iter()
        .map(|(n, d)| ((*n).to_owned(), d.clone()))
        .collect();
    let path = dir.join(name);
    std::fs::write(&path, harness::tgz(&owned)).expect("write");
    path
}

#[test]
fn tgz_decompression_bombs_and_oversized_files_are_refused() {
    let dir = scratch("bomb");
    let chart =
        b"apiVersion: v2\nname: c\nversion: 0.1.0\nannotations:\n  rudder.dev/templates: jinja\n"
            .to_vec();
    // One file over Helm's 5 MiB per file: refused from its header.
    let big = vec![0u8; usize::try_from(rudder_render::chart::MAX_FILE_BYTES).expect("fits") + 1];
    let path = tgz_file(
        &dir,
        "big.tgz",
        &[("c/Chart.yaml", chart.clone()), ("c/big.bin", big)],
    );
    let err = Chart::load(&path).expect_err("too big").to_string();
    assert!(
        err.contains("\"c/big.bin\"") && err.contains("per file"),
        "{err}"
    );
    // 21 files of 5 MiB: each allowed, together over Helm's 100 MiB. The
    // archive is ~100 KiB; loading stops at the limit.
    let five = vec![0u8; usize::try_from(rudder_render::chart::MAX_FILE_BYTES).expect("fits")];
    let mut entries = vec![("c/Chart.yaml".to_owned(), chart)];
    for i in 0..21 {
        entries.push((format!("c/files/{i}.bin"), five.clone()));
    }
    let refs: Vec<(&str, Vec<u8>)> = entries
        .iter()
        .map(|(n, d)| (n.as_str(), d.clone()))
        .collect();
    let path = tgz_file(&dir, "bomb.tgz", &refs);
    assert!(std::fs::metadata(&path).expect("stat").len() < 1024 * 1024);
    let err = within(Duration::from_secs(30), "tgz bomb", || {
        Chart::load(&path).expect_err("bomb").to_string()
    });
    assert!(err.contains("more than 104857600 bytes"), "{err}");
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[test]
fn recursive_include_and_tpl_stop_at_helms_nesting_limit() {
    // include calling itself: Helm's 1000 per name.
    let err = within(Duration::from_secs(60), "recursive include", || {
        render_err(
            &[(
                "templates/cm.yaml",
                "{% define \"loop\" %}{{ include(\"loop\", ctx) }}{% enddefine %}{{ include(\"loop\", ctx) }}",
            )],
            Map::new(),
        )
    });
    assert!(
        err.contains("nested reference name: loop: more than 1000"),
        "{err}"
    );
    // tpl text from values that renders itself.
    let mut values = Map::new();
    values.insert("t".into(), Value::String("{{ tpl(Values.t, ctx) }}".into()));
    let err = within(Duration::from_secs(60), "recursive tpl", || {
        render_err(&[("templates/cm.yaml", "{{ tpl(Values.t, ctx) }}")], values)
    });
    assert!(err.contains("more than 1000 nested calls"), "{err}");
}

#[test]
fn a_ring_of_named_templates_stops_at_the_total_nesting_limit() {
    // 20 templates calling the next: under 1000 per name for 20 000 levels,
    // stopped at 10 000 in all.
    let mut helpers = String::new();
    for i in 0..20 {
        helpers.push_str(&format!(
            "{{% define \"r{i}\" %}}{{{{ include(\"r{}\", ctx) }}}}{{% enddefine %}}\n",
            (i + 1) % 20
        ));
    }
    let err = within(Duration::from_secs(120), "include ring", || {
        render_err(
            &[
                ("templates/_ring.tpl", &helpers),
                ("templates/cm.yaml", "{{ include(\"r0\", ctx) }}"),
            ],
            Map::new(),
        )
    });
    assert!(
        err.contains("more than 10000 nested include/tpl calls"),
        "{err}"
    );
}

#[test]
fn a_runaway_loop_in_tpl_text_runs_out_of_fuel() {
    let mut values = Map::new();
    values.insert(
        "t".into(),
        Value::String(
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
                .into(),
        ),
    );
    let err = within(Duration::from_secs(120), "runaway loop", || {
        render_err(&[("templates/cm.yaml", "{{ tpl(Values.t, ctx) }}")], values)
    });
    assert!(
        err.contains(&format!("limit of {} steps", rudder_render::FUEL)),
        "{err}"
    );
}

// ---- no escape ----

#[test]
fn files_refuses_paths_that_leave_the_chart_naming_them() {
    let files = [
        ("files/a.txt", "inside\n"),
        (
            "templates/ok.yaml",
            "{% set s = Files.Get(\"files/a.txt\") %}",
        ),
    ];
    assert!(render(&files, Map::new()).is_ok());
    for (call, path) in [
        ("Files.Get(\"../Chart.yaml\")", "../Chart.yaml"),
        ("Files.Get(\"files/../../secret\")", "files/../../secret"),
        ("Files.GetBytes(\"/etc/passwd\")", "/etc/passwd"),
        ("Files.Lines(\"..\\\\x\")", "..\\\\x"),
        ("Files.Get(\"C:/x\")", "C:/x"),
    ] {
        let t = format!("{{% set s = {call} %}}");
        let err = render_err(&[files[0], ("templates/x.yaml", &t)], Map::new());
        assert!(err.contains(&format!("path \"{path}\"")), "{call}: {err}");
    }
    // Looking a path up as a key finds nothing (it is not a chart file).
    let out = render(
        &[
            files[0],
            (
                "templates/x.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: \"{{ Files['../Chart.yaml'] }}\"\n",
            ),
        ],
        Map::new(),
    )
    .expect("renders");
    assert!(out.contains("a: \"\""), "{out}");
}

#[cfg(unix)]
#[test]
fn symlinks_pointing_outside_the_chart_are_refused_naming_them() {
    let dir = scratch("symlink");
    let outside = dir.join("secret.txt");
    std::fs::write(&outside, "secret").expect("write");
    let chart = dir.join("chart");
    std::fs::create_dir_all(chart.join("templates")).expect("mkdir");
    std::fs::write(chart.join("Chart.yaml"), CHART_YAML).expect("write");
    std::fs::write(chart.join("inside.txt"), "ok").expect("write");
    std::os::unix::fs::symlink(chart.join("inside.txt"), chart.join("link.txt")).expect("link");
    let c = Chart::load(&chart).expect("a link inside the chart loads");
    assert!(
        c.files
            .iter()
            .any(|f| f.name == "link.txt" && f.data == b"ok")
    );
    for (link, target) in [("files/leak.txt", outside.clone()), ("up", dir.clone())] {
        let at = chart.join(link);
        std::fs::create_dir_all(at.parent().expect("parent")).expect("mkdir");
        std::os::unix::fs::symlink(&target, &at).expect("link");
        let err = Chart::load(&chart).expect_err("outside").to_string();
        assert!(
            err.contains(&at.display().to_string()) && err.contains("points outside the chart"),
            "{err}"
        );
        std::fs::remove_file(&at).expect("unlink");
    }
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[test]
fn tgz_entries_that_climb_out_or_are_links_are_refused_naming_them() {
    let dir = scratch("zipslip");
    let chart =
        b"apiVersion: v2\nname: c\nversion: 0.1.0\nannotations:\n  rudder.dev/templates: jinja\n"
            .to_vec();
    for (name, want) in [
        ("c/../../evil.yaml", "climbs out of the chart"),
        ("/etc/evil.yaml", "absolute path"),
        ("c/templates/../../../x", "climbs out of the chart"),
        ("C:/evil", "drive letter"),
        ("@c/templates/link.yaml", "link or special file"),
    ] {
        let path = tgz_file(
            &dir,
            "slip.tgz",
            &[("c/Chart.yaml", chart.clone()), (name, b"x".to_vec())],
        );
        let err = Chart::load(&path).expect_err(name).to_string();
        let shown = name.trim_start_matches('@');
        assert!(
            err.contains(&format!("{shown:?}")) && err.contains(want),
            "{name}: {err}"
        );
    }
    // The same inside a subchart archive under charts/.
    let sub = harness::tgz(&[
        (
            "sub/Chart.yaml".into(),
            b"apiVersion: v2\nname: sub\nversion: 0.1.0\nannotations:\n  rudder.dev/templates: jinja\n".to_vec(),
        ),
        ("sub/../../../evil".into(), b"x".to_vec()),
    ]);
    let err = Chart::from_files(
        vec![
            file("Chart.yaml", CHART_YAML),
            File {
                name: "charts/sub-0.1.0.tgz".into(),
                data: sub,
            },
        ],
        "parent",
    )
    .expect_err("slip in a subchart")
    .to_string();
    assert!(
        err.contains("parent/charts/sub-0.1.0.tgz") && err.contains("\"sub/../../../evil\""),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[test]
fn chart_names_and_aliases_cannot_make_output_paths_leave_the_directory() {
    for (chart_yaml, want) in [
        (
            "apiVersion: v2\nname: ..\nversion: 0.1.0\n",
            "may not contain a path",
        ),
        (
            "apiVersion: v2\nname: a/../../b\nversion: 0.1.0\n",
            "may not contain a path",
        ),
        (
            "apiVersion: v2\nname: p\nversion: 0.1.0\ndependencies:\n- name: sub\n  version: '*'\n  alias: ../../x\n",
            "alias",
        ),
    ] {
        let err = Chart::from_files(vec![file("Chart.yaml", chart_yaml)], "c")
            .expect_err(chart_yaml)
            .to_string();
        assert!(err.contains(want), "{err}");
    }
    // Every path `--output-dir` would write is relative and stays inside.
    let files = vec![
        file(
            "Chart.yaml",
            "apiVersion: v2\nname: p\nversion: 0.1.0\ndependencies:\n- name: sub\n  version: '*'\n  alias: other\n",
        ),
        file(
            "templates/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p\n",
        ),
        file(
            "charts/sub/Chart.yaml",
            "apiVersion: v2\nname: sub\nversion: 0.1.0\nannotations:\n  rudder.dev/templates: jinja\n",
        ),
        file(
            "charts/sub/templates/deep/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\n",
        ),
    ];
    let engine = Engine::new(
        Chart::from_files(files, "p").expect("loads"),
        &EngineOptions::default(),
    )
    .expect("compiles");
    let out = engine
        .render(Map::new(), &RenderOptions::default())
        .expect("renders");
    let docs = out.output_documents(&StreamOptions::default());
    let paths: Vec<&str> = docs.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "p/charts/other/templates/deep/cm.yaml",
            "p/templates/cm.yaml"
        ]
    );
    for p in paths {
        assert!(
            !p.starts_with('/') && !p.split('/').any(|c| c == ".." || c.is_empty()),
            "{p}"
        );
    }
}

// ---- determinism ----

#[test]
fn the_same_chart_values_and_seed_give_the_same_bytes_on_any_thread() {
    let run = || {
        let mut v = Map::new();
        v.insert(
            "t".into(),
            Value::String(
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ randAlpha(8) | lower }}\n\
                 stringData:\n  m: {{ Values.map | toJson | quote }}\n  p: {{ randAlphaNum(16) | quote }}\n"
                    .into(),
            ),
        );
        let mut m = Map::new();
        for k in ["z", "a", "m", "b"] {
            m.insert(k.into(), Value::String(k.into()));
        }
        v.insert("map".into(), Value::Map(Box::new(m)));
        let engine = Engine::new(
            Chart::from_files(
                vec![
                    file("Chart.yaml", CHART_YAML),
                    file("templates/s.yaml", "{{ tpl(Values.t, ctx) }}"),
                ],
                "det",
            )
            .expect("loads"),
            &EngineOptions::default(),
        )
        .expect("compiles");
        let opts = RenderOptions {
            seed: Some(99),
            now: Some(std::time::UNIX_EPOCH + Duration::from_secs(1_767_225_600)),
            ..Default::default()
        };
        engine
            .render(v, &opts)
            .and_then(|r| r.stream(&StreamOptions::default()))
            .expect("renders")
    };
    let first = run();
    assert_eq!(run(), first);
    let threads: Vec<String> = (0..3)
        .map(|_| std::thread::spawn(run))
        .map(|t| t.join().expect("thread"))
        .collect();
    assert!(threads.iter().all(|t| *t == first), "{threads:?}");
}

#[test]
fn includes_that_double_per_level_stop_at_the_render_budget() {
    // Twice per level, 40 levels: under every nesting limit, 2^40 calls.
    let twice = "{% define \"t\" %}{% if ctx > 0 %}{{ include(\"t\", ctx - 1) }}{{ include(\"t\", ctx - 1) }}{% endif %}{% enddefine %}{{ include(\"t\", 40) }}";
    let err = render_err(&[("templates/cm.yaml", twice)], Map::new());
    assert!(
        err.contains("more than 1000000 include/tpl calls in one render"),
        "{err}"
    );
    // Output that doubles per level: stopped by bytes long before the
    // call budget.
    let grows = "{% define \"g\" %}{% if ctx > 0 %}{{ include(\"g\", ctx - 1) }}{{ include(\"g\", ctx - 1) }}{% else %}{{ \"x\" * 65536 }}{% endif %}{% enddefine %}{{ include(\"g\", 30) }}";
    let err = render_err(&[("templates/cm.yaml", grows)], Map::new());
    assert!(
        err.contains("include/tpl calls returned more than 512 MiB in one render"),
        "{err}"
    );
}
