//! Turns `src/funcs/inventory.tsv` (every name in Helm 4.1.4's template
//! function map) into a const table, `$OUT_DIR/inventory.rs`, that both the
//! function registration and the Go-template translator read, so the two
//! cannot disagree about names, arities or argument order.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let src = "src/funcs/inventory.tsv";
    println!("cargo::rerun-if-changed={src}");
    let text = match std::fs::read_to_string(src) {
        Ok(t) => t,
        Err(e) => panic!("build.rs: cannot read {src}: {e}"),
    };
    let mut out = String::from(
        "/// Every name in Helm 4.1.4's template function map, from `inventory.tsv`.\npub static INVENTORY: &[Spec] = &[\n",
    );
    let mut names = std::collections::BTreeSet::new();
    for (no, line) in text.lines().enumerate() {
        let line_no = no + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let [name, family, min, max, pipe, must, origin] = cols[..] else {
            panic!(
                "{src}:{line_no}: expected 7 tab-separated columns, got {}",
                cols.len()
            );
        };
        if !names.insert(name.to_string()) {
            panic!("{src}:{line_no}: {name} is listed twice");
        }
        let min: u8 = min
            .parse()
            .unwrap_or_else(|_| panic!("{src}:{line_no}: min arity {min:?} is not a number"));
        let max = match max {
            "*" => "None".to_string(),
            n => format!(
                "Some({})",
                n.parse::<u8>().unwrap_or_else(|_| panic!(
                    "{src}:{line_no}: max arity {n:?} is not a number or *"
                ))
            ),
        };
        let pipe = match pipe {
            "-" => "Pipe::None".to_string(),
            "first" => "Pipe::First".to_string(),
            "last" => "Pipe::Last".to_string(),
            n => format!(
                "Pipe::Index({})",
                n.parse::<u8>().unwrap_or_else(|_| panic!(
                    "{src}:{line_no}: pipe {n:?} is not -, first, last or an index"
                ))
            ),
        };
        let must = match must {
            "-" => "None".to_string(),
            m => format!("Some({m:?})"),
        };
        let origin = match origin {
            "go" => "Origin::GoBuiltin",
            "engine" => "Origin::Engine",
            "helm" => "Origin::Helm",
            "sprig" => "Origin::Sprig",
            o => panic!("{src}:{line_no}: origin {o:?} is not go, engine, helm or sprig"),
        };
        let _ = writeln!(
            out,
            "    Spec {{ name: {name:?}, family: {family:?}, min_args: {min}, max_args: {max}, pipe: {pipe}, must: {must}, origin: {origin} }},"
        );
    }
    out.push_str("];\n");
    let dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    if let Err(e) = std::fs::write(dir.join("inventory.rs"), out) {
        panic!("build.rs: cannot write the inventory table: {e}");
    }
}
