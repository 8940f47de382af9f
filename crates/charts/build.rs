#![allow(clippy::print_stdout)]
//! Embeds the product charts (`charts/*`) in this crate: every file of each
//! chart directory becomes a `(path, bytes)` entry of `BUNDLED`, generated
//! into `$OUT_DIR/bundled.rs`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let charts = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../charts");
    println!("cargo:rerun-if-changed={}", charts.display());
    let mut out = String::from(
        "/// One chart file: (path in the chart, bytes).\ntype ChartFile = (&'static str, &'static [u8]);\n\
         /// Bundled charts: (directory name, files).\npub(crate) static BUNDLED: &[(&str, &[ChartFile])] = &[\n",
    );
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&charts)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.join("Chart.yaml").is_file())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    for dir in dirs {
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let _ = writeln!(out, "    ({name:?}, &[");
        let mut files = Vec::new();
        collect(&dir, &dir, &mut files);
        files.sort();
        for (rel, abs) in files {
            println!("cargo:rerun-if-changed={}", abs.display());
            let _ = writeln!(
                out,
                "        ({rel:?}, include_bytes!({:?})),",
                abs.display().to_string()
            );
        }
        out.push_str("    ]),\n");
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("bundled.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in rd.flatten() {
        let path = entry.path();
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.is_file() {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push((rel, path.canonicalize().unwrap_or(path)));
        }
    }
}
