//! Render errors, one broken chart each under `fixtures/render-errors/`:
//! every message must name the template (and line), show the source and say
//! what to do. Snapshots pin the exact text.

use rudder_render::{Chart, Engine, EngineOptions, RenderOptions};

fn render_error(dir: &std::path::Path) -> String {
    let result = Chart::load(dir)
        .and_then(|c| Engine::new(c, &EngineOptions::default()))
        .and_then(|e| e.render(Default::default(), &RenderOptions::default()));
    match result {
        Ok(r) => panic!("{} rendered without error: {r:?}", dir.display()),
        // Paths in messages are relative to the workspace root.
        Err(e) => {
            let parent = dir
                .parent()
                .map(|p| format!("{}/", p.display()))
                .unwrap_or_default();
            e.to_string().replace(&parent, "")
        }
    }
}

#[test]
fn render_errors() {
    insta::glob!("../../../fixtures/render-errors", "*/Chart.yaml", |path| {
        let dir = path.parent().expect("chart dir");
        insta::assert_snapshot!(render_error(dir));
    });
}

#[test]
fn strict_mode_makes_undefined_values_errors() {
    let dir = std::env::temp_dir().join(format!("rudder-strict-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("templates")).expect("mkdir");
    std::fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: strict\nversion: 0.1.0\nannotations:\n  rudder.dev/templates: jinja\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: \"{{ Values.missing }}\"\n",
    )
    .expect("write");
    let chart = Chart::load(&dir).expect("loads");
    let lenient = Engine::new(chart.clone(), &EngineOptions::default()).expect("compiles");
    let out = lenient
        .render(Default::default(), &RenderOptions::default())
        .expect("lenient renders");
    assert_eq!(
        out.manifests[0].text,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: \"\""
    );
    let strict = Engine::new(
        chart,
        &EngineOptions {
            strict: true,
            ..Default::default()
        },
    )
    .expect("compiles");
    let err = strict
        .render(Default::default(), &RenderOptions::default())
        .expect_err("strict fails")
        .to_string();
    assert!(
        err.starts_with("strict/templates/cm.yaml:6: `Values.missing` is undefined"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).expect("cleanup");
}
