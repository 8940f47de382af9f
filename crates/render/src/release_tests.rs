//! Tests of rendering a release: stacks, threads, values handed back,
//! function names.

use super::*;
use crate::{EngineOptions, StreamOptions};

/// Renders on the large stack equal renders on the caller's stack and
/// on a fresh engine, render after render, from several threads.
#[test]
fn renders_are_the_same_on_any_stack_and_thread() {
    fn shared<T: Send + Sync>(_: &T) {}
    let chart = || {
        crate::chart::test_chart(&[
            (
                "Chart.yaml",
                "apiVersion: v2\nname: t\nversion: 0.1.0\nannotations:\n  rudder.dev/templates: jinja\n",
            ),
            (
                "templates/cm.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ Release.Name }}\n\
                 data:\n  r: {{ randAlphaNum(8) | quote }}\n  d: {{ include(\"d\", ctx) | quote }}\n\
                 {% define \"d\" %}{{ Release.Revision }}{% enddefine %}",
            ),
        ])
    };
    let shared_engine = Engine::new(chart(), &EngineOptions::default()).expect("engine");
    shared(&shared_engine);
    let here = EngineOptions {
        same_thread: true,
        ..Default::default()
    };
    let stream = |e: &Engine, i: i64| {
        let opts = RenderOptions {
            revision: i,
            seed: Some(i as u64),
            ..Default::default()
        };
        e.render(Map::new(), &opts)
            .and_then(|r| r.stream(&StreamOptions::default()))
            .expect("render")
    };
    std::thread::scope(|s| {
        for t in 0..2 {
            let (kept, here) = (&shared_engine, &here);
            s.spawn(move || {
                for i in 0..20 {
                    let fresh = Engine::new(chart(), here).expect("engine");
                    assert_eq!(stream(kept, i + t), stream(&fresh, i + t));
                }
            });
        }
    });
}

/// `Rendered::values` holds the coalesced values the templates saw.
#[test]
fn rendered_values_are_the_computed_values() {
    let chart = crate::chart::test_chart(&[
        (
            "Chart.yaml",
            "apiVersion: v2\nname: t\nversion: 0.1.0\nannotations:\n  rudder.dev/templates: jinja\n",
        ),
        ("values.yaml", "a: {b: 1, c: [x]}\nd: keep\n"),
        ("templates/x.yaml", "# {{ Values.a.b }}"),
    ]);
    let mut user = Map::new();
    user.insert(
        "a".into(),
        V::Map(Box::new(Map::from_iter([("b".into(), V::Int(2))]))),
    );
    let want = chart_values(&chart, user.clone()).expect("values").values;
    let engine = Engine::new(chart, &EngineOptions::default()).expect("engine");
    let got = engine
        .render(user, &RenderOptions::default())
        .expect("render");
    assert_eq!(got.values, want);
    assert_eq!(got.values.get("d"), Some(&V::String("keep".into())));
}
