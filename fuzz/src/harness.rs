//! One function per fuzz target: turns arbitrary bytes into input for one
//! of rudder's hostile-input surfaces and runs it. Errors are fine; a
//! panic, a hang or unbounded memory is a bug.
//!
//! Plain Rust on purpose (no libFuzzer types): `tests/hostile.rs` includes
//! this file by path to replay `fixtures/hostile/<target>/*` on every
//! `cargo test`, so each crash found becomes a regression test by saving
//! its input there.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, UNIX_EPOCH};

use rudder_render::chart::File;
use rudder_render::{Chart, Engine, EngineOptions, RenderOptions, StreamOptions, chart_values};
use rudder_values::{Map, Value, ValuesOptions};

/// The fuzz targets, by name (also the folders under `fixtures/hostile/`).
pub const TARGETS: &[&str] = &[
    "set_flags",
    "values_yaml",
    "coalesce",
    "chart_load",
    "tpl",
    "gotmpl",
];

/// Runs the target called `name` on `data`. Unknown names do nothing.
pub fn run(name: &str, data: &[u8]) {
    match name {
        "set_flags" => set_flags(data),
        "values_yaml" => values_yaml(data),
        "coalesce" => coalesce(data),
        "chart_load" => chart_load(data),
        "tpl" => tpl(data),
        "gotmpl" => gotmpl(data),
        _ => {}
    }
}

/// Records separated by ASCII RS (0x1E).
fn records(data: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(data)
        .split('\u{1e}')
        .map(str::to_owned)
        .collect()
}

/// The `--set` family and `-f`, through [`ValuesOptions::merge`]. Each
/// record's first character picks the flag (`f` a values file, `j`
/// `--set-json`, `s` `--set`, `S` `--set-string`, `F` `--set-file`, `l`
/// `--set-literal`); the rest is its text. `--set-file` paths `0`, `1`, …
/// name the `f` records' texts.
pub fn set_flags(data: &[u8]) {
    let mut opts = ValuesOptions::default();
    let mut files = Vec::new();
    for rec in records(data) {
        let mut chars = rec.chars();
        let Some(kind) = chars.next() else { continue };
        let text = chars.as_str().to_owned();
        match kind {
            'f' => {
                opts.values_files.push(files.len().to_string());
                files.push(text);
            }
            'j' => opts.set_json.push(text),
            's' => opts.set.push(text),
            'S' => opts.set_string.push(text),
            'F' => opts.set_file.push(text),
            'l' => opts.set_literal.push(text),
            _ => opts.set.push(rec.clone()),
        }
    }
    let mut read = |path: &str| -> std::io::Result<Vec<u8>> {
        path.trim()
            .parse::<usize>()
            .ok()
            .and_then(|i| files.get(i))
            .map(|s| s.clone().into_bytes())
            .ok_or_else(|| std::io::Error::other("no such file"))
    };
    if let Ok(user) = opts.merge(&mut read) {
        // What `rudder values` prints.
        let v = Value::Map(Box::new(user.values));
        let _ = rudder_values::yaml::to_string(&v);
        let _ = serde_json::to_string(&v);
    }
}

/// The YAML loader: a values file, a multi-document stream and a single
/// document; what parses is printed back (`toYaml`) and parsed again.
pub fn values_yaml(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    // Whatever the block-style fast path reads must read as saphyr does.
    rudder_values::yaml::check_fast_path(&text);
    let _ = rudder_values::yaml::parse_values(&text, "fuzz.yaml");
    let _ = rudder_values::yaml::parse_all(&text, "fuzz.yaml");
    if let Ok(v) = rudder_values::yaml::parse(&text, "fuzz.yaml") {
        let printed = rudder_values::yaml::to_string(&v);
        rudder_values::yaml::check_fast_path(&printed);
        let _ = rudder_values::yaml::helm_marshal_fails(&v);
        // Helm prints a key named `<<` plain, which reads back as a merge
        // key (tests/properties.rs); anything else must read back.
        if let Err(e) = rudder_values::yaml::parse(&printed, "printed.yaml")
            && !printed.contains("<<")
        {
            panic!("toYaml printed YAML that does not parse back: {e}\n{printed}");
        }
    }
}

const PARENT: &str = "apiVersion: v2\nname: parent\nversion: 1.0.0\n";
const DEPENDENCIES: &str = "dependencies:
- name: sub
  version: '*'
  condition: sub.enabled,global.sub
  tags: [a, b]
  import-values: [data, {child: x.y, parent: z}]
- name: sub
  alias: other
  version: '>=0.1'
  import-values: [{child: exports.data, parent: .}]
- name: sub2
  version: '*'
  condition: sub2.on
";

/// Coalescing: user values over a parent chart with two subcharts (one
/// under two names), conditions, tags and `import-values`. Records: user
/// values, parent values, `sub` values, `sub2` values, and optionally a
/// `dependencies:` block replacing the default one.
pub fn coalesce(data: &[u8]) {
    let recs = records(data);
    let rec = |i: usize| recs.get(i).map_or("", String::as_str);
    let deps = if recs.len() > 4 { rec(4) } else { DEPENDENCIES };
    let file = |name: &str, text: &str| File {
        name: name.to_owned(),
        data: text.as_bytes().to_vec(),
    };
    let files = vec![
        file("Chart.yaml", &format!("{PARENT}{deps}")),
        file("values.yaml", rec(1)),
        file(
            "charts/sub/Chart.yaml",
            "apiVersion: v2\nname: sub\nversion: 0.2.0\n",
        ),
        file("charts/sub/values.yaml", rec(2)),
        file(
            "charts/sub2/Chart.yaml",
            "apiVersion: v2\nname: sub2\nversion: 0.3.0\n",
        ),
        file("charts/sub2/values.yaml", rec(3)),
    ];
    let Ok(chart) = Chart::from_files(files, "fuzz") else {
        return;
    };
    let Ok(user) = rudder_values::yaml::parse_values(rec(0), "user.yaml") else {
        return;
    };
    if let Ok(first) = chart_values(&chart, user.clone()) {
        // Coalescing is a function of its inputs.
        if let Ok(again) = chart_values(&chart, user) {
            assert_eq!(again.values, first.values, "coalescing twice differs");
        }
    }
}

/// Chart entries: records separated by NUL, each `name` SOH `data`.
/// A name starting with `@` is a symbolic link (on disk only) to `data`.
fn entries(data: &[u8]) -> Vec<(String, Vec<u8>)> {
    data.split(|&b| b == 0)
        .filter(|r| !r.is_empty())
        .map(|r| match r.iter().position(|&b| b == 1) {
            Some(i) => (
                String::from_utf8_lossy(&r[..i]).into_owned(),
                r[i + 1..].to_vec(),
            ),
            None => (String::from_utf8_lossy(r).into_owned(), Vec::new()),
        })
        .collect()
}

/// A scratch directory per process (fuzzers run one input at a time).
fn scratch() -> PathBuf {
    std::env::temp_dir().join(format!("rudder-fuzz-{}", std::process::id()))
}

/// A gzipped tar of `entries` under a top directory, names written raw
/// (so `..` and absolute names reach the loader).
pub fn tgz(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut b = tar::Builder::new(gz);
    for (name, data) in entries {
        let mut h = tar::Header::new_gnu();
        let (kind, name) = match name.strip_prefix('@') {
            Some(n) => (tar::EntryType::Symlink, n),
            None => (tar::EntryType::Regular, name.as_str()),
        };
        h.set_entry_type(kind);
        h.set_size(if kind.is_file() { data.len() as u64 } else { 0 });
        h.set_mode(0o644);
        let raw = &mut h.as_old_mut().name;
        let n = name.len().min(raw.len());
        raw[..n].copy_from_slice(&name.as_bytes()[..n]);
        h.set_cksum();
        let body: &[u8] = if kind.is_file() { data } else { &[] };
        if b.append(&h, body).is_err() {
            return Vec::new();
        }
    }
    b.into_inner()
        .and_then(|gz| gz.finish())
        .unwrap_or_default()
}

/// The chart loader. The first byte picks the way in: files in memory
/// (`Chart::from_files`), a `.tgz` built from the entries, the rest of the
/// input as a `.tgz` as is, or a directory on disk (with symbolic links).
/// What loads is then coalesced and compiled (`define` extraction).
pub fn chart_load(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let mut files = entries(rest);
    if !files.iter().any(|(n, _)| n.ends_with("Chart.yaml")) {
        files.insert(
            0,
            (
                "Chart.yaml".to_owned(),
                b"apiVersion: v2\nname: fuzz\nversion: 0.1.0\n".to_vec(),
            ),
        );
    }
    let dir = scratch();
    let loaded = match mode % 4 {
        0 => Chart::from_files(
            files
                .into_iter()
                .filter(|(n, _)| !n.starts_with('@'))
                .map(|(name, data)| File { name, data })
                .collect(),
            "fuzz",
        ),
        1 | 2 => {
            let bytes = if mode % 4 == 1 {
                let top: Vec<_> = files
                    .into_iter()
                    .map(|(n, d)| match n.strip_prefix('@') {
                        Some(l) => (format!("@fuzz/{l}"), d),
                        None => (format!("fuzz/{n}"), d),
                    })
                    .collect();
                tgz(&top)
            } else {
                rest.to_vec()
            };
            let path = dir.with_extension("tgz");
            if std::fs::write(&path, bytes).is_err() {
                return;
            }
            let c = Chart::load(&path);
            let _ = std::fs::remove_file(&path);
            c
        }
        _ => {
            let _ = std::fs::remove_dir_all(&dir);
            if !write_dir(&dir, &files) {
                let _ = std::fs::remove_dir_all(&dir);
                return;
            }
            let c = Chart::load(&dir);
            let _ = std::fs::remove_dir_all(&dir);
            c
        }
    };
    let Ok(chart) = loaded else { return };
    let _ = chart_values(&chart, Map::new());
    let _ = Engine::new(chart, &EngineOptions::default());
}

/// Writes entries under `dir`, skipping names that would leave it (the
/// loader cannot be blamed for what the file system resolves). Returns
/// false when nothing sensible could be written.
fn write_dir(dir: &Path, files: &[(String, Vec<u8>)]) -> bool {
    for (name, data) in files {
        let (link, rel) = match name.strip_prefix('@') {
            Some(n) => (true, n),
            None => (false, name.as_str()),
        };
        let parts: Vec<&str> = rel.split('/').filter(|p| !p.is_empty()).collect();
        if parts.is_empty()
            || parts.len() > 8
            || parts
                .iter()
                .any(|p| *p == "." || *p == ".." || p.len() > 64 || p.contains('\\'))
        {
            continue;
        }
        let path = parts.iter().fold(dir.to_path_buf(), |p, c| p.join(c));
        if let Some(parent) = path.parent()
            && std::fs::create_dir_all(parent).is_err()
        {
            continue;
        }
        if link {
            let target = String::from_utf8_lossy(data).into_owned();
            #[cfg(unix)]
            let _ = std::os::unix::fs::symlink(target, &path);
        } else {
            let _ = std::fs::write(&path, data);
        }
    }
    dir.exists()
}

const TPL_CHART: &[(&str, &str)] = &[
    (
        "Chart.yaml",
        "apiVersion: v2\nname: fuzz\nversion: 0.1.0\nappVersion: '1.0'\nannotations:\n  rudder.dev/templates: jinja\n",
    ),
    (
        "values.yaml",
        "t: ''\nlist: [1, two, {three: 3}]\nmap: {a: 1, b: [x]}\n",
    ),
    (
        "templates/_helpers.tpl",
        "{% define \"fuzz.name\" %}{{ Chart.Name }}-{{ ctx }}{% enddefine %}\n\
         {% define \"fuzz.tpl\" %}{{ tpl(Values.t, ctx) }}{% enddefine %}\n",
    ),
    ("templates/out.yaml", "{{ tpl(Values.t, ctx) }}\n"),
    ("files/a.txt", "alpha\n"),
    ("files/b/c.yaml", "k: v\n"),
];

fn tpl_engine() -> Option<&'static Engine> {
    static ENGINE: OnceLock<Option<Engine>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let files = TPL_CHART
                .iter()
                .map(|(n, d)| File {
                    name: (*n).to_owned(),
                    data: d.as_bytes().to_vec(),
                })
                .collect();
            let chart = Chart::from_files(files, "fuzz").ok()?;
            Engine::new(chart, &EngineOptions::default()).ok()
        })
        .as_ref()
}

/// `tpl` on arbitrary template text from values, rendered in a chart with
/// named templates and files, then printed as `helm template` does.
pub fn tpl(data: &[u8]) {
    let Some(engine) = tpl_engine() else {
        panic!("the tpl fuzz chart does not compile");
    };
    let mut user = Map::new();
    user.insert(
        "t".to_owned(),
        Value::String(String::from_utf8_lossy(data).into_owned()),
    );
    let opts = RenderOptions {
        seed: Some(7),
        now: Some(UNIX_EPOCH + Duration::from_secs(1_767_225_600)),
        ..Default::default()
    };
    let out = engine
        .render(user, &opts)
        .and_then(|out| out.stream(&StreamOptions::default()));
    if std::env::var_os("RUDDER_FUZZ_DEBUG").is_some() {
        #[allow(clippy::print_stderr)]
        {
            eprintln!("{out:?}");
        }
    }
}

/// The Go-template chart around the `gotmpl` input: helpers to call, values,
/// files and a subchart-free `Chart.yaml` (a chart without the
/// `rudder.dev/templates: jinja` annotation is a Helm chart).
const GO_CHART: &[(&str, &str)] = &[
    (
        "Chart.yaml",
        "apiVersion: v2\nname: fuzz\nversion: 0.1.0\nappVersion: '1.0'\n",
    ),
    (
        "values.yaml",
        "list: [1, two, {three: 3}]\nmap: {a: 1, b: [x]}\nt: '{{ .Values.map.a }}'\n",
    ),
    (
        "templates/_helpers.tpl",
        "{{- define \"fuzz.name\" -}}{{ .Chart.Name }}-{{ . | toString | trunc 20 }}{{- end -}}\n\
         {{- define \"fuzz.tpl\" -}}{{ tpl .Values.t . }}{{- end -}}\n",
    ),
    ("files/a.txt", "alpha\n"),
    ("files/b/c.yaml", "k: v\n"),
];

/// A Go `text/template` file (the input) in a Helm chart: parsed,
/// translated to minijinja (`rudder_gotmpl`), rendered with Helm's objects
/// and functions, then printed as `helm template` does.
pub fn gotmpl(data: &[u8]) {
    let mut files: Vec<File> = GO_CHART
        .iter()
        .map(|(n, d)| File {
            name: (*n).to_owned(),
            data: d.as_bytes().to_vec(),
        })
        .collect();
    files.push(File {
        name: "templates/out.yaml".to_owned(),
        data: data.to_vec(),
    });
    let Ok(chart) = Chart::from_files(files, "fuzz") else {
        return;
    };
    let Ok(engine) = Engine::new(chart, &EngineOptions::default()) else {
        return;
    };
    let opts = RenderOptions {
        seed: Some(7),
        now: Some(UNIX_EPOCH + Duration::from_secs(1_767_225_600)),
        ..Default::default()
    };
    let out = engine
        .render(Map::new(), &opts)
        .and_then(|out| out.stream(&StreamOptions::default()));
    if std::env::var_os("RUDDER_FUZZ_DEBUG").is_some() {
        #[allow(clippy::print_stderr)]
        {
            eprintln!("{out:?}");
        }
    }
}
