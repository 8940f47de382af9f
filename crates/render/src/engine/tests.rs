//! Tests of the engine's environment.

use minijinja::ErrorKind;

use super::*;
use crate::chart::File;

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
