//! Tests of the engine: rendering, stacks, values handed back, function names.

use super::*;

/// Renders on the large stack equal renders on the caller's stack and
/// on a fresh engine, render after render, from several threads.
#[test]
fn renders_are_the_same_on_any_stack_and_thread() {
    fn shared<T: Send + Sync>(_: &T) {}
    let chart = || {
        crate::chart::test_chart(&[
            ("Chart.yaml", "apiVersion: v2\nname: t\nversion: 0.1.0\n"),
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
        ("Chart.yaml", "apiVersion: v2\nname: t\nversion: 0.1.0\n"),
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

/// Every function the render issue names is registered, as a filter
/// (compiles as `x | name`) or a global (defined as a name).
#[test]
fn helm_function_names_are_all_available() {
    let names = "toYaml toJson toPrettyJson fromYaml fromJson fromYamlArray toToml indent nindent quote \
        squote default empty coalesce ternary required fail tpl include trunc trim trimPrefix trimSuffix \
        upper lower title replace contains hasPrefix hasSuffix regexMatch regexReplaceAll regexFind split \
        splitList join printf cat repeat b64enc b64dec sha256sum sha1sum adler32sum toString int int64 \
        float64 atoi kindIs typeOf typeIs dict list get set unset hasKey keys values pick omit merge \
        mergeOverwrite deepCopy append prepend concat first last uniq has without compact until untilStep \
        semver semverCompare randAlphaNum randAlpha uuidv4 genCA genSelfSignedCert genSignedCert \
        genPrivateKey derivePassword htpasswd now date lookup";
    let chart = Chart::from_files(
        vec![File {
            name: "Chart.yaml".into(),
            data: b"apiVersion: v2\nname: t\nversion: 0.1.0\n".to_vec(),
        }],
        "t",
    )
    .expect("chart");
    let engine = Engine::new(chart, &EngineOptions::default()).expect("engine");
    let missing: Vec<&str> = names
        .split_whitespace()
        .filter(|n| {
            let filter = !matches!(
                engine.env.render_str(&format!("{{{{ x | {n} }}}}"), minijinja::context! { x => 1 }),
                Err(e) if e.kind() == ErrorKind::UnknownFilter
            );
            let global = engine.env.render_str(&format!("{{{{ {n} is defined }}}}"), ()).is_ok_and(|s| s == "true");
            !filter && !global
        })
        .collect();
    assert!(missing.is_empty(), "not registered: {missing:?}");
}
