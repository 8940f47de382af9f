//! Tests of splitting, sorting and printing the manifest stream.

use super::*;

#[test]
fn split_follows_helms_separator_rules() {
    assert_eq!(split_manifests("a: 1\n---\nb: 2\n"), ["a: 1", "b: 2"]);
    // Back-to-back separators leave a literal `---` document, as in Helm.
    assert_eq!(
        split_manifests("\n\n---\na: 1   \n\t\n---   \n---\n"),
        ["a: 1", "---"]
    );
    assert_eq!(
        split_manifests("a: 1\n---apiVersion: v1\n"),
        ["a: 1", "apiVersion: v1"]
    );
    assert_eq!(split_manifests("x: '---'\n"), ["x: '---'"]);
    assert_eq!(split_manifests("   \n"), Vec::<&str>::new());
}

/// The hand-written separator splits exactly like Helm's regex, on
/// literal edge cases and on every mix of a few tricky pieces.
#[test]
fn split_matches_helms_regex() {
    let re = regex::Regex::new(r"(?:^|[\t\n\x0C\r ]*\n)---[\t\n\x0C\r ]*").unwrap();
    let by_regex = |text: &str| -> Vec<String> {
        re.split(text.trim_start())
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let check = |text: &str| assert_eq!(split_manifests(text), by_regex(text), "{text:?}");
    for text in [
        "---\na: 1\r\n---\r\nb: 2\r\n",
        "a\t \x0C\n---\t\x0C\r\n \nb",
        "---",
        "----",
        "-----\n---",
        "a\n----b",
        "a ---\nb",
        "a\n --- b",
        "x\n\n\n---",
        "\u{a0}\n---\u{a0}x",
        "é\n---é",
        "\n",
        "",
    ] {
        check(text);
    }
    let pieces = ["\n", "---", "-", " ", "\t", "\r", "\x0C", "a", "\r\n", "é"];
    crate::test_support::each_text(&pieces, 5, check);
}

#[test]
fn kinds_sort_in_install_order_then_unknown_by_name() {
    let mut kinds = vec![
        "Deployment",
        "Zebra",
        "Service",
        "",
        "Namespace",
        "Alpha",
        "Service",
    ];
    sort_by_kind(&mut kinds, |k| k);
    assert_eq!(
        kinds,
        [
            "Namespace",
            "Service",
            "Service",
            "Deployment",
            "",
            "Alpha",
            "Zebra"
        ]
    );
}

#[test]
fn objects_without_identity_are_errors_naming_the_template() {
    let (mut m, mut h, mut e) = (Vec::new(), Vec::new(), Vec::new());
    classify(
        "c/templates/x.yaml",
        "kind: ConfigMap\nmetadata: {name: a}\n",
        &mut m,
        &mut h,
        &mut e,
    );
    assert_eq!(e.len(), 1);
    let msg = e[0].to_string();
    assert!(
        msg.starts_with("c/templates/x.yaml: a rendered object has no apiVersion"),
        "{msg}"
    );
    assert!(msg.contains("  | kind: ConfigMap"), "{msg}");
}

#[test]
fn hooks_are_recognised_and_unknown_hooks_skipped() {
    let (mut m, mut h, mut e) = (Vec::new(), Vec::new(), Vec::new());
    let doc = |hook: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    helm.sh/hook: {hook}\n    helm.sh/hook-weight: \"-5\"\n"
        )
    };
    let text = format!(
        "{}---\n{}---\napiVersion: v1\nkind: Pod\nmetadata: {{name: q}}\n",
        doc("Test, pre-install"),
        doc("bogus")
    );
    classify("c/templates/t.yaml", &text, &mut m, &mut h, &mut e);
    assert!(e.is_empty(), "{e:?}");
    assert_eq!(m.len(), 1);
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].events, ["test", "pre-install"]);
    assert_eq!(h[0].weight, -5);
    assert!(h[0].is_test());
}

#[test]
fn stream_layout_matches_helm_template() {
    let man = |s: &str, k: &str, t: &str| Manifest {
        source: s.into(),
        api_version: "v1".into(),
        kind: k.into(),
        name: "n".into(),
        text: t.into(),
        position: 0,
    };
    let r = Rendered {
        crds: vec![Crd {
            source: "c/crds/crd.yaml".into(),
            text: "kind: CustomResourceDefinition\n".into(),
        }],
        manifests: vec![
            man("c/templates/a.yaml", "ConfigMap", "a: 1"),
            man("c/templates/b.yaml", "Service", "b: 2"),
        ],
        hooks: vec![Hook {
            manifest: man("c/templates/t.yaml", "Pod", "t: 3"),
            events: vec!["test".into()],
            weight: 0,
        }],
        notes: None,
        values: Map::new(),
        warnings: Vec::new(),
    };
    let o = StreamOptions::default();
    assert_eq!(
        r.stream(&o).unwrap(),
        "---\n# Source: c/templates/a.yaml\na: 1\n---\n# Source: c/templates/b.yaml\nb: 2\n---\n# Source: c/templates/t.yaml\nt: 3\n"
    );
    let o = StreamOptions {
        include_crds: true,
        skip_tests: true,
        ..Default::default()
    };
    assert!(
        r.stream(&o)
            .unwrap()
            .starts_with("---\n# Source: c/crds/crd.yaml\nkind: CustomResourceDefinition\n\n---")
    );
    let o = StreamOptions {
        show_only: vec!["templates/b.yaml".into()],
        ..Default::default()
    };
    assert_eq!(
        r.stream(&o).unwrap(),
        "---\n# Source: c/templates/b.yaml\nb: 2\n"
    );
    let o = StreamOptions {
        show_only: vec!["templates/nope.yaml".into()],
        ..Default::default()
    };
    assert!(
        r.stream(&o)
            .unwrap_err()
            .to_string()
            .contains("could not find template \"templates/nope.yaml\"")
    );
}
