use super::*;

fn chart(files: &[(&str, &str)]) -> Vec<File> {
    files.iter().map(|(n, t)| File::new(*n, *t)).collect()
}

const CHART_YAML: &str = "apiVersion: v2\nname: demo\nversion: 0.1.0\n";

fn file<'a>(c: &'a Conversion, name: &str) -> &'a str {
    let f = c.files.iter().find(|f| f.name == name).expect(name);
    std::str::from_utf8(&f.data).expect("utf-8")
}

#[test]
fn annotations_are_added_as_lines_of_their_own() {
    assert_eq!(
        annotate("name: x\n").as_deref(),
        Some("name: x\nannotations:\n  rudder.dev/templates: jinja\n  rudder.dev/scope: ctx\n")
    );
    // An existing block keeps its entries and indentation; our keys replace
    // any already there.
    let text =
        "name: x\nannotations:\n    a: b # kept\n    rudder.dev/templates: go\nversion: 1.0.0\n";
    assert_eq!(
        annotate(text).as_deref(),
        Some(
            "name: x\nannotations:\n    rudder.dev/templates: jinja\n    rudder.dev/scope: ctx\n    a: b # kept\nversion: 1.0.0\n"
        )
    );
    assert_eq!(annotate("annotations: {a: b}\n"), None);
    // An empty flow map (external-dns's `annotations: {}`) is replaced.
    assert_eq!(
        annotate("name: x\nannotations: {}\nversion: 1.0.0\n").as_deref(),
        Some(
            "name: x\nannotations:\n  rudder.dev/templates: jinja\n  rudder.dev/scope: ctx\nversion: 1.0.0\n"
        )
    );
}

#[test]
fn a_flow_style_annotations_map_is_an_error_naming_chart_yaml() {
    let files = chart(&[(
        "Chart.yaml",
        "apiVersion: v2\nname: d\nversion: 0.1.0\nannotations: {a: b}\n",
    )]);
    let e = convert(files, "d").unwrap_err().to_string();
    assert!(
        e.contains("d/Chart.yaml") && e.contains("not a block map"),
        "{e}"
    );
}

#[test]
fn a_jinja_chart_is_refused() {
    let yaml = format!("{CHART_YAML}annotations:\n  rudder.dev/templates: jinja\n");
    let e = convert(chart(&[("Chart.yaml", &yaml)]), "d")
        .unwrap_err()
        .to_string();
    assert!(e.contains("rudder (Jinja) chart already"), "{e}");
}

#[test]
fn every_template_that_does_not_parse_is_reported() {
    let files = chart(&[
        ("Chart.yaml", CHART_YAML),
        ("templates/a.yaml", "{{ nope }}"),
        ("templates/b.yaml", "{{ if }}"),
    ]);
    let e = convert(files, "d").unwrap_err().to_string();
    assert!(
        e.contains("demo/templates/a.yaml") && e.contains("demo/templates/b.yaml"),
        "{e}"
    );
}

#[test]
fn defines_become_blocks_and_tpl_becomes_gotpl() {
    let files = chart(&[
        ("Chart.yaml", CHART_YAML),
        ("values.yaml", "x: 1\n"),
        (
            "templates/_h.tpl",
            "{{ define \"full\" }}{{ tpl .Values.t . }}{{ end }}{{ define \"empty\" }} {{ end }}",
        ),
        (
            "templates/_other.tpl",
            "{{ define \"empty\" }}body{{ end }}",
        ),
    ]);
    let c = convert(files, "d").unwrap();
    assert_eq!(c.templates, 2);
    assert!(c.kept.is_empty());
    let h = file(&c, "templates/_h.tpl");
    assert!(
        h.contains("{% define \"full\" %}") && h.contains("gotpl("),
        "{h}"
    );
    // Go never lets the empty definition replace the full one.
    assert!(!h.contains("\"empty\""), "{h}");
    assert!(file(&c, "templates/_other.tpl").contains("{% define \"empty\" %}body"));
    assert_eq!(file(&c, "values.yaml"), "x: 1\n");
}

#[test]
fn text_that_looks_like_a_define_tag_stays_text() {
    let files = chart(&[
        ("Chart.yaml", CHART_YAML),
        (
            "templates/cm.yaml",
            "a: '{% enddefine %}{% define \"x\" %}'\n",
        ),
    ]);
    let c = convert(files, "d").unwrap();
    let (text, defines) = crate::engine::defines::extract(file(&c, "templates/cm.yaml")).unwrap();
    assert!(defines.is_empty(), "{text}");
}

#[test]
fn every_node_stays_on_its_go_line_and_defines_stay_in_place() {
    let src = "a: 1\n{{/* two\nlines */}}\n{{- define \"h\" }}\nx: {{ .Values.x }}\n{{ end }}\nb: {{ .Values.b\n  | quote }}\n{{ if .Values.c }}\nc: {{ .Values.c }}\n{{ end }}\n";
    let files = chart(&[("Chart.yaml", CHART_YAML), ("templates/cm.yaml", src)]);
    let c = convert(files, "d").unwrap();
    let out = file(&c, "templates/cm.yaml");
    let line_of = |text: &str, needle: &str| {
        let at = text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} in {text}"));
        1 + text[..at].matches('\n').count()
    };
    // The define opens on Go's line 4 (not at the end of the file), its
    // body's action on line 5, then the file's own actions on theirs.
    assert_eq!(line_of(out, "{% define \"h\" %}"), 4, "{out}");
    assert_eq!(line_of(out, "__gfv(ctx, \"Values\", \"x\")"), 5, "{out}");
    assert_eq!(line_of(out, "quote("), 7, "{out}");
    assert_eq!(line_of(out, "{% if "), 9, "{out}");
    assert_eq!(line_of(out, "c: {{"), 10, "{out}");
    // One define, lifted out of the file by the Jinja engine.
    let (_, defines) = crate::engine::defines::extract(out).unwrap();
    assert_eq!(defines.len(), 1);
}
