//! Running a suite: render each test (helm-unittest `TestJob.RunV3`),
//! group the documents by template, select documents, run the asserts.

use crate::snapshot::{Cache, TestComparer};
use crate::suite::{Assertion, Selector, Suite, Test};
use crate::validate::{self, Ctx, RAW};
use crate::{AssertResult, Error, SuiteResult, TestResult};
use rudder_render::chart::File;
use rudder_render::{Chart, Engine, EngineOptions, RenderOptions};
use rudder_values::{Map, Value};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

/// What helm-unittest keeps of a template error for `failedTemplate`
/// (`parseRenderError`): Helm's message after its `execution error at
/// (…): ` prefix when it is one line, and only the lines after the first
/// when it has several (a multi-line `fail` message). rudder's message
/// carries the same text, then a source excerpt (`  12 > …` rows) and an
/// `included from:` line that Helm's has not; those are dropped first.
fn error_content(message: &str) -> String {
    let excerpt_row = |l: &str| {
        let t = l.trim_start();
        let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        digits > 0 && (t[digits..].starts_with(" | ") || t[digits..].starts_with(" > "))
    };
    let own: Vec<&str> = message
        .lines()
        .take_while(|l| !excerpt_row(l) && !l.starts_with("included from: "))
        .collect();
    match own.as_slice() {
        [] => String::new(),
        [one] => one.trim().to_owned(),
        [_, rest @ ..] => rest.join("\n"),
    }
}

/// `getTemplateFileName`: `templates/` is implied.
fn template_file(name: &str) -> String {
    if ["templates/", "charts/", "crds/", "**"]
        .iter()
        .any(|p| name.starts_with(p))
    {
        name.to_owned()
    } else {
        format!("templates/{name}")
    }
}

/// `getTemplateFileNamePattern`: `*`/`**` wildcards, the rest literal,
/// unanchored (as helm-unittest's `regexp.MatchString`).
fn template_pattern(name: &str) -> Option<regex::Regex> {
    let mut re = String::new();
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '*' {
            if chars.peek() == Some(&'*') {
                chars.next();
                re.push_str(r"[0-9a-zA-Z_\-/\.]+");
            } else {
                re.push_str(r"[0-9a-zA-Z_\-_/\.]*");
            }
        } else {
            re.push_str(&regex::escape(&c.to_string()));
        }
    }
    regex::Regex::new(&re).ok()
}

/// `CopyV3Chart`: only the selected templates (and every partial) render.
fn filter_chart(
    chart: &Chart,
    route: &str,
    current: &str,
    keep: &[String],
    skip: &[String],
) -> Chart {
    let mut out = chart.clone();
    let pats = |names: &[String]| -> Vec<regex::Regex> {
        names
            .iter()
            .filter_map(|n| template_pattern(&format!("{route}/{}", template_file(n))))
            .collect()
    };
    let (keep_p, skip_p) = (pats(keep), pats(skip));
    let templates: Vec<File> = chart
        .templates
        .iter()
        .filter(|t| {
            let full = format!("{current}/{}", t.name);
            let base = t.name.rsplit('/').next().unwrap_or("");
            base.starts_with('_')
                || (keep_p.iter().any(|p| p.is_match(&full))
                    && !skip_p.iter().any(|p| p.is_match(&full)))
        })
        .cloned()
        .collect();
    out.templates = templates.into();
    out.dependencies = chart
        .dependencies
        .iter()
        .map(|d| {
            filter_chart(
                d,
                route,
                &format!("{current}/charts/{}", d.name()),
                keep,
                skip,
            )
        })
        .collect();
    out
}

/// User values of a test: values files, then the suite's `set`, then the
/// test's (later wins, helm-unittest `getUserValues`).
fn user_values(suite: &Suite, test: &Test) -> Result<Map, String> {
    let dir = suite.file.parent().unwrap_or(Path::new("."));
    let mut out = Map::new();
    for f in suite.values.iter().chain(&test.values) {
        let path = if Path::new(f).is_absolute() {
            Path::new(f).to_path_buf()
        } else {
            dir.join(f)
        };
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let m = rudder_values::yaml::parse_values(&text, &path.display().to_string())
            .map_err(|e| format!("failed to parse {f}: {e}"))?;
        rudder_values::merge::merge_maps(&mut out, m);
    }
    for (k, v) in suite.set.iter().chain(&test.set) {
        rudder_values::merge::merge_maps(&mut out, crate::path::build_set(k, v.clone())?);
    }
    Ok(out)
}

/// What one render produced, by `chart/templates/x.yaml`.
struct Output {
    by_template: BTreeMap<String, Vec<Value>>,
    succeeded: bool,
    error: Option<String>,
}

fn parse_docs(text: &str, origin: &str) -> Vec<Value> {
    match rudder_values::yaml::parse_all(text, origin) {
        Ok(docs) => docs
            .into_iter()
            .filter(|d| !matches!(d, Value::Null) && !matches!(d, Value::Map(m) if m.is_empty()))
            .collect(),
        Err(e) => vec![raw_doc(&e.to_string())],
    }
}

fn raw_doc(text: &str) -> Value {
    let mut m = Map::new();
    m.insert(RAW.to_owned(), Value::String(text.to_owned()));
    Value::Map(Box::new(m))
}

fn render(
    chart: &Chart,
    suite: &Suite,
    test: &Test,
    selected: &[String],
) -> Result<Output, String> {
    let mut chart = filter_chart(
        chart,
        chart.name(),
        chart.name(),
        selected,
        &suite.exclude_templates,
    );
    let (version, app) = (
        if test.chart.0.is_empty() {
            &suite.chart.0
        } else {
            &test.chart.0
        },
        if test.chart.1.is_empty() {
            &suite.chart.1
        } else {
            &test.chart.1
        },
    );
    if !version.is_empty() {
        chart.metadata.version = version.clone();
        chart
            .metadata
            .raw
            .insert("version".into(), Value::String(version.clone()));
    }
    if !app.is_empty() {
        chart.metadata.app_version = Some(app.clone());
        chart
            .metadata
            .raw
            .insert("appVersion".into(), Value::String(app.clone()));
    }
    let user = user_values(suite, test)?;
    let or = |a: &str, b: &str, d: &str| {
        if !a.is_empty() {
            a.to_owned()
        } else if !b.is_empty() {
            b.to_owned()
        } else {
            d.to_owned()
        }
    };
    let (major, minor) = (
        or(&test.capabilities.major, &suite.capabilities.major, ""),
        or(&test.capabilities.minor, &suite.capabilities.minor, ""),
    );
    let kube_version = match (major.as_str(), minor.as_str()) {
        ("", "") => None,
        (ma, mi) => {
            let default = rudder_render::DEFAULT_KUBE_VERSION.trim_start_matches('v');
            let mut parts = default.split('.');
            let (dma, dmi) = (parts.next().unwrap_or("1"), parts.next().unwrap_or("0"));
            Some(format!(
                "v{}.{}.0",
                if ma.is_empty() { dma } else { ma },
                if mi.is_empty() { dmi } else { mi }
            ))
        }
    };
    let name = or(&test.release.name, &suite.release.name, "");
    let opts = RenderOptions {
        release_name: if name.is_empty() {
            "RELEASE-NAME".into()
        } else {
            name.clone()
        },
        namespace: or(
            &test.release.namespace,
            &suite.release.namespace,
            "NAMESPACE",
        ),
        is_upgrade: test.release.upgrade || suite.release.upgrade,
        revision: if test.release.revision != 0 {
            test.release.revision
        } else {
            suite.release.revision
        },
        kube_version,
        api_versions: test
            .capabilities
            .api_versions
            .iter()
            .chain(&suite.capabilities.api_versions)
            .cloned()
            .collect(),
        seed: Some(0),
        now: None,
        skip_schema_validation: false,
    };
    let engine = Engine::new(
        chart.clone(),
        &EngineOptions {
            any_release_name: name.is_empty(),
            ..Default::default()
        },
    )
    .map_err(|e| e.to_string())?;
    let top = chart.name().to_owned();
    let mut by_template: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    match engine.render(user, &opts) {
        Ok(r) => {
            let all = r
                .manifests
                .iter()
                .chain(r.hooks.iter().map(|h| &h.manifest));
            // helm-unittest splits each file's own output, so a file's
            // documents keep the order it wrote them in: not install order,
            // and hooks among the rest.
            let mut all: Vec<_> = all.collect();
            all.sort_by_key(|m| m.position);
            for m in all {
                by_template
                    .entry(m.source.clone())
                    .or_default()
                    .extend(parse_docs(&m.text, &m.source));
            }
            // Helm's render returns every template, empty ones too: a
            // template that rendered nothing has zero documents.
            add_empty(&chart, &top, &mut by_template);
            let has_notes = chart
                .templates
                .iter()
                .any(|t| t.name == "templates/NOTES.txt");
            if let Some(notes) = r.notes.as_ref().filter(|_| has_notes) {
                by_template.insert(format!("{top}/templates/NOTES.txt"), vec![raw_doc(notes)]);
            }
            if suite.include_crds {
                for crd in &r.crds {
                    let key = crd
                        .source
                        .strip_prefix(&format!("{top}/"))
                        .unwrap_or(&crd.source)
                        .to_owned();
                    by_template.insert(key, parse_docs(&crd.text, &crd.source));
                }
            }
            Ok(Output {
                by_template,
                succeeded: true,
                error: None,
            })
        }
        Err(e) => {
            // helm-unittest turns a template error into a document of its
            // template holding the message (`translateErrorToOutputFiles`);
            // an error in a partial (`_x.tpl`) goes to every selected one.
            let mut found = false;
            let mut stack = vec![&e];
            while let Some(err) = stack.pop() {
                match err {
                    rudder_render::Error::Many(all) => stack.extend(all.iter().rev()),
                    rudder_render::Error::Template {
                        template: file,
                        message,
                        ..
                    }
                    | rudder_render::Error::Manifest {
                        template: file,
                        message,
                    } if file.contains("/templates/") => {
                        let first = error_content(message);
                        let base = file.rsplit('/').next().unwrap_or("");
                        let targets: Vec<String> = if base.starts_with('_') {
                            selected
                                .iter()
                                .map(|s| format!("{top}/{}", template_file(s)))
                                .collect()
                        } else {
                            vec![file.to_owned()]
                        };
                        for t in targets {
                            by_template
                                .entry(t)
                                .or_insert_with(|| vec![raw_doc(&first)]);
                        }
                        found = true;
                    }
                    _ => {}
                }
            }
            if !found {
                return Ok(Output {
                    by_template,
                    succeeded: false,
                    error: Some(e.to_string()),
                });
            }
            Ok(Output {
                by_template,
                succeeded: false,
                error: None,
            })
        }
    }
}

fn add_empty(chart: &Chart, route: &str, out: &mut BTreeMap<String, Vec<Value>>) {
    for t in chart.templates.iter() {
        let base = t.name.rsplit('/').next().unwrap_or("");
        let yaml = [".yaml", ".yml", ".tpl"].iter().any(|e| base.ends_with(e));
        if !base.starts_with('_') && yaml {
            out.entry(format!("{route}/{}", t.name)).or_default();
        }
    }
    for d in &chart.dependencies {
        add_empty(d, &format!("{route}/charts/{}", d.name()), out);
    }
}

/// helm-unittest `DocumentSelector.SelectDocuments`.
fn select(
    sel: &Selector,
    docs: &BTreeMap<String, Vec<Value>>,
) -> Result<BTreeMap<String, Vec<Value>>, String> {
    let mut out = BTreeMap::new();
    let mut total = 0;
    for (template, manifests) in docs {
        let mut picked = Vec::new();
        for doc in manifests {
            let found = crate::path::find(doc, &sel.path)?;
            if found
                .iter()
                .any(|v| sel.value.as_ref().is_none_or(|want| want == v))
            {
                if !sel.match_many && !picked.is_empty() {
                    return Err("multiple indexes found".into());
                }
                picked.push(doc.clone());
            }
        }
        if picked.is_empty() && !sel.skip_empty {
            return Err("document not found".into());
        }
        total += picked.len();
        if !sel.match_many && total > 1 {
            return Err("multiple indexes found".into());
        }
        if !picked.is_empty() || !sel.skip_empty {
            out.insert(template.clone(), picked);
        }
    }
    Ok(out)
}

/// Which `chart/templates/…` files an assertion looks at.
fn assert_templates(
    suite: &Suite,
    test: &Test,
    a: &Assertion,
    out: &Output,
    top: &str,
) -> Vec<String> {
    let names: Vec<String> = if !a.template.is_empty() {
        vec![a.template.clone()]
    } else if !test.templates.is_empty() {
        test.templates.clone()
    } else if suite.templates.is_empty() || suite.templates.iter().any(|t| t.contains('*')) {
        return out.by_template.keys().cloned().collect();
    } else {
        suite.templates.clone()
    };
    names
        .iter()
        .map(|n| format!("{top}/{}", template_file(n)))
        .collect()
}

fn run_assert(
    suite: &Suite,
    test: &Test,
    i: usize,
    a: &Assertion,
    out: &Output,
    top: &str,
    snapshots: &mut TestComparer<'_>,
) -> AssertResult {
    let mut result = AssertResult {
        index: i,
        kind: a.kind.clone(),
        not: a.not,
        passed: false,
        skipped: false,
        fail_info: Vec::new(),
    };
    let templates = assert_templates(suite, test, a, out, top);
    let docs: BTreeMap<String, Vec<Value>> = templates
        .iter()
        .map(|t| {
            (
                t.clone(),
                out.by_template.get(t).cloned().unwrap_or_default(),
            )
        })
        .collect();
    let selector = a.selector.clone().or_else(|| test.selector.clone());
    let index = test.document_index.unwrap_or(a.document_index);
    let selected = match (&selector, index) {
        (Some(sel), _) => select(sel, &docs),
        (None, -1) => Ok(docs.clone()),
        (None, n) => docs
            .iter()
            .map(|(t, d)| {
                usize::try_from(n)
                    .ok()
                    .and_then(|n| d.get(n))
                    .map(|doc| (t.clone(), vec![doc.clone()]))
                    .ok_or_else(|| format!("document index {n} is out of range"))
            })
            .collect(),
    };
    let selected = match selected {
        Ok(s) => s,
        Err(e) => {
            result.fail_info = vec!["Error:".into(), e];
            return result;
        }
    };
    if selector.as_ref().is_some_and(|s| s.skip_empty) && selected.is_empty() {
        result.skipped = true;
        result.passed = true;
        return result;
    }
    let wants_success = a.kind != "failedTemplate";
    let antonym = matches!(
        a.kind.as_str(),
        "notEqual"
            | "notGreaterOrEqual"
            | "notLessOrEqual"
            | "notEqualRaw"
            | "notExists"
            | "notMatchRegex"
            | "notMatchRegexRaw"
            | "notContains"
            | "isNotSubset"
            | "isNotNullOrEmpty"
            | "notFailedTemplate"
            | "notLengthEqual"
            | "isNull"
            | "isNotEmpty"
            | "isNotType"
    );
    let negative = a.not != antonym;
    let mut passed = true;
    let mut first = true;
    let empty: Vec<Value> = Vec::new();
    let keys: Vec<&String> = if selected.is_empty() {
        Vec::new()
    } else {
        selected.keys().collect()
    };
    let evaluate = |rendered: &[Value], picked: &[Value], snaps: &mut TestComparer<'_>| {
        let mut ctx = Ctx {
            docs: rendered,
            selected: picked,
            negative,
            snapshots: snaps,
            render_error: out.error.as_deref(),
        };
        dispatch(&a.kind, &mut ctx, &a.params)
    };
    if keys.is_empty() {
        if wants_success != out.succeeded {
            result.fail_info = vec!["Error: rendered manifest is empty".into()];
            return result;
        }
        let (ok, info) = evaluate(&empty, &empty, snapshots);
        result.passed = ok;
        result.fail_info = info;
        return result;
    }
    for t in keys {
        let rendered = out.by_template.get(t);
        let (ok, info) = match rendered {
            None if wants_success => (
                false,
                vec![
                    "Error:".into(),
                    format!("\ttemplate \"{t}\" not exists or not selected in test suite"),
                ],
            ),
            r if wants_success != out.succeeded => {
                let msg = match r.and_then(|d| d.first()) {
                    Some(doc) => format!(
                        "Error: Invalid rendering: {}",
                        doc.lookup(RAW).and_then(Value::as_str).unwrap_or("")
                    ),
                    None => "Error: rendered manifest is empty".into(),
                };
                (false, vec![format!("Template:\t{t}"), msg])
            }
            r => {
                let (ok, info) =
                    evaluate(r.map_or(&empty[..], |v| &v[..]), &selected[t], snapshots);
                let mut lines = Vec::new();
                if !ok {
                    lines.push(format!("Template:\t{t}"));
                    lines.extend(info);
                }
                (ok, lines)
            }
        };
        if !ok {
            result.fail_info.extend(info);
        }
        passed = if first { ok } else { passed && ok };
        first = false;
    }
    result.passed = passed;
    result
}

fn dispatch(kind: &str, ctx: &mut Ctx<'_>, p: &Value) -> (bool, Vec<String>) {
    match kind {
        "equal" | "notEqual" => validate::equal(ctx, p),
        "equalRaw" | "notEqualRaw" => validate::equal_raw(ctx, p),
        "greaterOrEqual" | "notGreaterOrEqual" => validate::compare(ctx, p, "greater"),
        "lessOrEqual" | "notLessOrEqual" => validate::compare(ctx, p, "less"),
        "exists" | "notExists" | "isNull" | "isNotNull" => validate::exists(ctx, p),
        "matchRegex" | "notMatchRegex" => validate::match_regex(ctx, p),
        "matchRegexRaw" | "notMatchRegexRaw" => validate::match_regex_raw(ctx, p),
        "contains" | "notContains" => validate::contains(ctx, p),
        "containsDocument" => validate::contains_document(ctx, p),
        "isKind" => validate::is_field(ctx, p, "kind", " to be kind"),
        "isAPIVersion" => validate::is_field(ctx, p, "apiVersion", " to be apiVersion"),
        "hasDocuments" => validate::has_documents(ctx, p),
        "isSubset" | "isNotSubset" => validate::subset(ctx, p),
        "isNullOrEmpty" | "isNotNullOrEmpty" | "isEmpty" | "isNotEmpty" => {
            validate::null_or_empty(ctx, p)
        }
        "isType" | "isNotType" => validate::is_type(ctx, p),
        "failedTemplate" | "notFailedTemplate" => validate::failed_template(ctx, p),
        "lengthEqual" | "notLengthEqual" => validate::length_equal(ctx, p),
        "matchSnapshot" => validate::match_snapshot(ctx, p),
        "matchSnapshotRaw" => validate::match_snapshot_raw(ctx, p),
        _ => (false, vec![format!("unknown assertion type {kind}")]),
    }
}

fn run_test(chart: &Chart, suite: &Suite, test: &Test, cache: &mut Cache) -> TestResult {
    let start = Instant::now();
    let mut r = TestResult {
        name: test.name.clone(),
        passed: false,
        skipped: false,
        error: None,
        asserts: Vec::new(),
        duration: Default::default(),
    };
    if !suite.skip.is_empty() || !test.skip.is_empty() {
        r.skipped = true;
        r.passed = true;
        return r;
    }
    let selected: Vec<String> = if !test.templates.is_empty() {
        let mut all = test.templates.clone();
        all.extend(
            test.asserts
                .iter()
                .filter(|a| !a.template.is_empty())
                .map(|a| a.template.clone()),
        );
        if suite.templates.is_empty() {
            vec!["**".into()]
        } else {
            suite.templates.clone()
        }
        .into_iter()
        .chain(all)
        .collect()
    } else if suite.templates.is_empty() {
        vec!["**".into()]
    } else {
        suite.templates.clone()
    };
    let out = match render(chart, suite, test, &selected) {
        Ok(o) => o,
        Err(e) => {
            r.error = Some(e);
            r.duration = start.elapsed();
            return r;
        }
    };
    let wants_success = test.asserts.iter().all(|a| a.kind != "failedTemplate");
    if let Some(e) = &out.error {
        r.error = Some(e.clone());
        if wants_success {
            r.duration = start.elapsed();
            return r;
        }
    }
    let top = chart.name().to_owned();
    let mut snapshots = TestComparer {
        cache,
        test: test.name.clone(),
        counter: 0,
    };
    let mut passed = false;
    for (i, a) in test.asserts.iter().enumerate() {
        let ar = run_assert(suite, test, i, a, &out, &top, &mut snapshots);
        passed = if i == 0 {
            ar.passed
        } else {
            passed && ar.passed
        };
        r.asserts.push(ar);
    }
    r.passed = passed;
    r.skipped = !r.asserts.is_empty() && r.asserts.iter().all(|a| a.skipped);
    r.duration = start.elapsed();
    r
}

/// Runs every suite of one suite file (they share its snapshot file).
pub(crate) fn run_file(
    chart: &Chart,
    file: &Path,
    update: bool,
) -> Result<Vec<SuiteResult>, Error> {
    let suites = crate::suite::read(file)?;
    let mut cache = Cache::open(file, update)?;
    let mut results = Vec::new();
    for suite in &suites {
        let start = Instant::now();
        let tests: Vec<TestResult> = suite
            .tests
            .iter()
            .map(|t| run_test(chart, suite, t, &mut cache))
            .collect();
        let skipped = !tests.is_empty() && tests.iter().all(|t| t.skipped);
        let passed = tests.iter().all(|t| t.passed || t.skipped) && !tests.is_empty();
        results.push(SuiteResult {
            name: suite.name.clone(),
            file: file.to_path_buf(),
            passed,
            skipped,
            tests,
            snapshots: Default::default(),
            duration: start.elapsed(),
        });
    }
    cache.store()?;
    if let Some(last) = results.last_mut() {
        last.snapshots = cache.counts();
    }
    Ok(results)
}
