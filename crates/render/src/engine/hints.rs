//! Hints for a template written in the other dialect.
//!
//! A chart is a Helm (Go-template) chart unless its `Chart.yaml` carries
//! `rudder.dev/templates: jinja`. A rudder chart that lost the annotation,
//! or a Helm template copied into a Jinja chart, fails with an error that
//! says nothing about dialects (`function "Values" not defined`,
//! ``unexpected `.` ``); when the failing file reads like the other
//! dialect, the error gets one line saying so and what to change.

use crate::gotmpl::dialect::{DIALECT_ANNOTATION, JINJA};

/// Go-template actions that are not Jinja: a field of the dot, Go's block
/// ends, calls with Go's space-separated arguments.
const GO_SIGNS: &[&str] = &[
    "{{ .",
    "{{- .",
    "{{ end",
    "{{- end",
    "{{ include \"",
    "{{- include \"",
    "{{ template \"",
    "{{- template \"",
    "{{ define \"",
    "{{- define \"",
    "{{ $",
    "{{- $",
];

/// Jinja statements and rudder's Jinja objects, none of which a Go
/// template writes (`{%` is plain text to Go).
const JINJA_SIGNS: &[&str] = &[
    "{% if ",
    "{%- if ",
    "{% for ",
    "{%- for ",
    "{% set ",
    "{%- set ",
    "{% define ",
    "{%- define ",
    "{% endif",
    "{%- endif",
    "{% endfor",
    "{%- endfor",
    "{{ Values.",
    "{{- Values.",
    "{{ Release.",
    "{{- Release.",
];

/// The hint for a failing template `source` of chart `chart` (its name),
/// whose dialect is Go when `is_go`.
pub(crate) fn other_dialect(source: &[u8], chart: &str, is_go: bool) -> Option<String> {
    let text = std::str::from_utf8(source).ok()?;
    let signs = if is_go { JINJA_SIGNS } else { GO_SIGNS };
    let sign = signs.iter().find(|s| text.contains(**s))?;
    Some(if is_go {
        format!(
            "hint: this template reads like rudder's Jinja dialect (`{}`), but the chart {chart:?} \
             is a Helm (Go template) chart; if it is a rudder chart, add \
             `annotations: {{{DIALECT_ANNOTATION}: {JINJA}}}` to its Chart.yaml",
            sign.trim()
        )
    } else {
        format!(
            "hint: this template reads like Helm's Go template syntax (`{}`), but the chart \
             {chart:?} declares `{DIALECT_ANNOTATION}: {JINJA}` in its Chart.yaml; remove that \
             annotation to render it as Helm does, or write the template in Jinja \
             (README: Writing templates)",
            sign.trim()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_dialect_is_told_about_the_other() {
        let go = b"name: {{ .Release.Name }}\n{{- end }}";
        let jinja = b"{% if Values.on %}x{% endif %}";
        let hint = other_dialect(go, "demo", false).expect("a hint");
        assert!(
            hint.contains("`{{ .`") && hint.contains("remove that annotation"),
            "{hint}"
        );
        let hint = other_dialect(jinja, "demo", true).expect("a hint");
        assert!(
            hint.contains("`{% if`") && hint.contains("rudder.dev/templates: jinja"),
            "{hint}"
        );
        // A template in its own dialect gets none.
        assert_eq!(other_dialect(go, "demo", true), None);
        assert_eq!(other_dialect(jinja, "demo", false), None);
    }
}
