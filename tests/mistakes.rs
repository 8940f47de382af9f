//! Mistakes users make, and what they get (issue 20): each test runs the
//! `rudder` binary the way a user would and checks the message.

use std::path::Path;
use std::process::{Command, Output};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn rudder(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rudder"))
        .args(args)
        .current_dir(ROOT)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("rudder runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `rudder template dispatch dispatch/dispatch -n dispatch ARGS`.
fn dispatch(args: &[&str]) -> Output {
    let mut all = vec![
        "template",
        "dispatch",
        "dispatch/dispatch",
        "-n",
        "dispatch",
    ];
    all.extend_from_slice(args);
    rudder(&all)
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(&p, text).expect("write");
    p.display().to_string()
}

const GUIDE: [&str; 6] = [
    "autoscaling",
    "manual-replicas",
    "konvoy-dex",
    "auth-type",
    "default-role",
    "rbac",
];

#[test]
fn the_install_guides_cluster_yaml_examples_as_printed_get_the_indentation_rule() {
    for name in GUIDE {
        let path = format!("fixtures/konvoy/guide-{name}.yaml");
        let out = dispatch(&["--from-konvoy", &path]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{name}: {err}");
        assert!(
            err.starts_with(&format!(
                "Error: {path}:9:7: the `values: |` block on line 8 is empty"
            )),
            "{name}: {err}"
        );
        assert!(
            err.contains("The body of a `|` block must be indented deeper than its key")
                && err.contains("     8 |       values: |\n     9 |       ---\n"),
            "{name}: {err}"
        );
    }
}

#[test]
fn the_guide_examples_without_the_dashes_are_refused_instead_of_rendering_defaults() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in GUIDE {
        let text = std::fs::read_to_string(format!("{ROOT}/fixtures/konvoy/guide-{name}.yaml"))
            .expect("fixture");
        let path = write(dir.path(), "cluster.yaml", &text.replace("      ---\n", ""));
        let out = dispatch(&["--from-konvoy", &path]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{name}: {err}");
        assert!(
            err.contains(
                "addon \"dispatch\": `values: |` is empty and the addon entry has `argo-cd`"
            ) && err.contains("without your overrides"),
            "{name}: {err}"
        );
    }
}

const TYPO_WARNING: &str = "warning: values key `argo-cd.konvoydex.enabled` is unknown: neither \
     the defaults nor the schema of chart dispatch/argo-cd know it; did you mean \
     `argo-cd.konvoyDex.enabled`? (Helm ignores it silently; --strict makes this an error)\n";

#[test]
fn a_typo_in_a_values_key_is_a_warning_in_every_source() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(
        dir.path(),
        "v.yaml",
        "argo-cd:\n  konvoydex:\n    enabled: true\n",
    );
    let cluster = write(
        dir.path(),
        "cluster.yaml",
        "kind: ClusterConfiguration\napiVersion: konvoy.mesosphere.io/v1beta1\nspec:\n  addons:\n  \
         - addonsList:\n    - name: dispatch\n      enabled: true\n      values: |\n        \
         argo-cd:\n          konvoydex:\n            enabled: true\n",
    );
    for args in [
        vec!["--set", "argo-cd.konvoydex.enabled=true"],
        vec!["-f", &file],
        vec!["--from-konvoy", &cluster],
    ] {
        let out = dispatch(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), TYPO_WARNING, "{args:?}");
    }
    // `rudder values` prints it too, and `rudder lint` exactly once (it
    // computes the values for its checks and for the render).
    let out = rudder(&[
        "values",
        "dispatch/dispatch",
        "--set",
        "argo-cd.konvoydex.enabled=true",
    ]);
    assert_eq!(stderr(&out), TYPO_WARNING);
    for args in [
        vec!["--set", "argo-cd.konvoydex.enabled=true"],
        vec!["--from-konvoy", &cluster],
    ] {
        let mut all = vec!["lint", "dispatch/dispatch"];
        all.extend_from_slice(&args);
        let out = rudder(&all);
        let err = stderr(&out);
        assert_eq!(err.matches(TYPO_WARNING).count(), 1, "lint {args:?}: {err}");
    }
}

#[test]
fn strict_makes_an_unknown_values_key_an_error() {
    let out = dispatch(&["--strict", "--set", "argo-cd.konvoydex.enabled=true"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "Error: values path `argo-cd.konvoydex.enabled`: unknown key: neither the defaults nor \
         the schema of chart dispatch/argo-cd know it; did you mean `argo-cd.konvoyDex.enabled`? \
         fix the key, or drop --strict to only warn\n"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn the_install_guides_own_commands_give_no_warning() {
    let commands: [&[&str]; 8] = [
        &[
            "--set",
            "argo-cd.server.autoscaling.minReplicas=2",
            "--set",
            "argo-cd.repoServer.autoscaling.minReplicas=3",
        ],
        &[
            "--set",
            "argo-cd.server.autoscaling.enabled=false",
            "--set",
            "argo-cd.repoServer.autoscaling.enabled=false",
            "--set",
            "argo-cd.server.replicas=2",
            "--set",
            "argo-cd.repoServer.replicas=1",
        ],
        &["--set", "argo-cd.konvoyDex.enabled=true"],
        &[
            "--set",
            r"argo-cd.server.ingress.annotations.traefik\.ingress\.kubernetes\.io\/auth-type=",
        ],
        &[
            "--set",
            "argo-cd.server.config.users.anonymous.enabled=false",
            "--set",
            "argo-cd.server.rbacConfig.policy.default=role:readonly",
        ],
        &[
            "--set",
            "minio.mode=distributed",
            "--set",
            "minio.replicas=6",
        ],
        &["--set", "minio.mode=standalone"],
        &["-f", "fixtures/values/dispatch-rbac.yaml"],
    ];
    for args in commands {
        let out = dispatch(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{args:?}");
    }
    // The guide's Konvoy examples, indented as YAML needs.
    for name in [
        "autoscaling",
        "manual-replicas",
        "konvoy-dex",
        "auth-type",
        "default-role",
        "rbac",
        "minio-distributed",
    ] {
        let out = dispatch(&["--from-konvoy", &format!("fixtures/konvoy/{name}.yaml")]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{name}");
    }
}

#[test]
fn a_bad_set_pair_is_quoted_alone_never_the_other_pairs() {
    let out = dispatch(&[
        "--set",
        "minio.secretKey=hunter2-secret,argo-cd.server.replicas[x]=1",
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(
        err,
        "Error: --set \"argo-cd.server.replicas[x]=1\": list index \"x\" is not a whole number; \
         write e.g. name[0]=VALUE\n"
    );
    // An earlier value is named by kind, not shown.
    let out = dispatch(&[
        "--set",
        "minio.secretKey=hunter2-secret",
        "--set",
        "minio.secretKey.x=1",
    ]);
    let err = stderr(&out);
    assert!(
        err.contains("\"secretKey\" is already a string (set earlier)") && !err.contains("hunter2"),
        "{err}"
    );
}

#[test]
fn an_unparsable_kube_version_constraint_is_called_invalid() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "c/Chart.yaml",
        "apiVersion: v2\nname: c\nversion: 0.1.0\nkubeVersion: \">= banana\"\n",
    );
    write(dir.path(), "c/templates/cm.yaml", "kind: ConfigMap\n");
    let chart = dir.path().join("c").display().to_string();
    let out = rudder(&["template", "r", &chart]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!(
            "Error: {chart}/Chart.yaml: invalid kubeVersion constraint \">= banana\" in \
             Chart.yaml: improper constraint: >= banana; write e.g. \">= 1.19.0-0\"\n"
        )
    );
}

#[test]
fn a_mistyped_chart_name_is_one_problem() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "c/Chart.yaml",
        "apiVersion: v2\nname: [1, 2]\nversion: 0.1.0\n",
    );
    write(dir.path(), "c/templates/cm.yaml", "kind: ConfigMap\n");
    let chart = dir.path().join("c").display().to_string();
    let out = rudder(&["template", "r", &chart]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!("Error: {chart}/Chart.yaml: name: expected a string, found a list\n")
    );
}

#[test]
fn usage_errors_exit_2() {
    let chart = "fixtures/charts/small-app";
    for (args, env) in [
        (vec!["template", chart, "--kube-version", "banana"], None),
        (vec!["values", chart, "--kube-version", "banana"], None),
        (vec!["template", chart, "-f", "\"a"], None),
        (vec!["template", chart, "--max-memory", "12Q"], None),
        (vec!["template", chart], Some("abc")),
    ] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rudder"));
        cmd.args(&args).current_dir(ROOT);
        match env {
            Some(v) => cmd.env("SOURCE_DATE_EPOCH", v),
            None => cmd.env_remove("SOURCE_DATE_EPOCH"),
        };
        let out = cmd.output().expect("runs");
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?} {env:?}: {err}");
        assert!(err.starts_with("error: "), "{args:?}: {err}");
    }
}

/// A chart whose helper (in `_h.tpl`) is broken and included by three
/// files; `jinja` picks the dialect.
fn broken_helper(dir: &Path, jinja: bool) -> String {
    let (chart, helper, include) = if jinja {
        (
            "apiVersion: v2\nname: h\nversion: 0.1.0\nannotations:\n  rudder.dev/templates: jinja\n",
            "{%- define \"h.name\" -%}\nname: {{ Values.a | nofilter }}\n{%- enddefine %}\n",
            "{{ include(\"h.name\", ctx) }}",
        )
    } else {
        (
            "apiVersion: v2\nname: h\nversion: 0.1.0\n",
            "{{- define \"h.name\" -}}\n{{ .Values.nope.deeper }}\n{{- end -}}\n",
            "{{ include \"h.name\" . }}",
        )
    };
    write(dir, "Chart.yaml", chart);
    write(dir, "templates/_h.tpl", helper);
    for f in ["a", "b", "c"] {
        let text = format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {f}\ndata:\n  x: {include}\n"
        );
        write(dir, &format!("templates/{f}.yaml"), &text);
    }
    dir.display().to_string()
}

#[test]
fn an_error_in_a_helper_is_one_problem_at_the_helper_with_its_callers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let chart = broken_helper(dir.path(), true);
    let o = rudder(&["template", "x", &chart]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "Error: h/templates/_h.tpl (in h.name, line 2): filter nofilter is unknown\n\
         \x20  1 | {%- define \"h.name\" -%}\n\
         \x20  2 > name: {{ Values.a | nofilter }}\n\
         \x20    i                     ^^^^^^^^ unknown filter\n\
         included from: h/templates/c.yaml:6, h/templates/b.yaml:6, h/templates/a.yaml:6\n"
    );
    // Go templates: Helm's own error first (its first failing file), then
    // the other files that reach the same helper line.
    let dir = tempfile::tempdir().expect("tempdir");
    let chart = broken_helper(dir.path(), false);
    let o = rudder(&["template", "x", &chart]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.starts_with("Error: h/templates/c.yaml:6:8\n")
            && err
                .matches("nil pointer evaluating interface {}.deeper")
                .count()
                == 1
            && err.ends_with(
                "the same error is reached from: h/templates/b.yaml:6:8, h/templates/a.yaml:6:8\n"
            ),
        "{err}"
    );
}

#[test]
fn a_chart_rule_shows_its_message_alone_and_the_source_with_debug() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "Chart.yaml",
        "apiVersion: v2\nname: r\nversion: 0.1.0\nannotations:\n  rudder.dev/templates: jinja\n",
    );
    write(
        dir.path(),
        "templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: r\ndata:\n  bucket: {{ Values.bucket | required(\"set bucket, the S3 bucket to use\") }}\n",
    );
    let chart = dir.path().display().to_string();
    let o = rudder(&["template", "x", &chart]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "Error: r/templates/cm.yaml:6: set bucket, the S3 bucket to use\n"
    );
    let o = rudder(&["template", "x", &chart, "--debug"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.starts_with("Error: r/templates/cm.yaml:6: set bucket, the S3 bucket to use\n")
            && err.contains("   6 >   bucket: {{ Values.bucket | required("),
        "{err}"
    );
}

#[test]
fn a_template_in_the_other_dialect_gets_a_hint() {
    // A Helm template in a chart marked as Jinja, and a rudder template in
    // a chart without the mark: each error says which dialect the file
    // reads like and what to change in Chart.yaml.
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ";
    let go = tempfile::tempdir().expect("tempdir");
    write(
        go.path(),
        "Chart.yaml",
        "apiVersion: v2\nname: g\nversion: 0.1.0\nannotations:\n  rudder.dev/templates: jinja\n",
    );
    write(
        go.path(),
        "templates/cm.yaml",
        &format!("{cm}{{{{ .Release.Name }}}}\n"),
    );
    let jinja = tempfile::tempdir().expect("tempdir");
    write(
        jinja.path(),
        "Chart.yaml",
        "apiVersion: v2\nname: j\nversion: 0.1.0\n",
    );
    write(
        jinja.path(),
        "templates/cm.yaml",
        &format!("{cm}{{{{ Release.Name }}}}\n{{% if Values.on %}}\n{{% endif %}}\n"),
    );
    for (dir, want) in [
        (
            &go,
            "hint: this template reads like Helm's Go template syntax (`{{ .`), but the chart \
             \"g\" declares `rudder.dev/templates: jinja` in its Chart.yaml; remove that annotation",
        ),
        (
            &jinja,
            "hint: this template reads like rudder's Jinja dialect (`{% if`), but the chart \"j\" \
             is a Helm (Go template) chart; if it is a rudder chart, add `annotations: \
             {rudder.dev/templates: jinja}` to its Chart.yaml",
        ),
    ] {
        let o = rudder(&["template", "x", &dir.path().display().to_string()]);
        assert_eq!(o.status.code(), Some(1));
        let err = stderr(&o);
        assert!(err.contains(want), "{err}");
    }
}
