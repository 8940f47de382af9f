//! Compiling `values.schema.json` files, once per engine.
//!
//! Compiling a schema (parsing it, checking it against its draft's
//! metaschema, resolving `$ref`s) cost 15% of a Dispatch render, and the
//! schema files of a loaded chart never change: an [`crate::Engine`] keeps
//! each compiled schema (or why it does not compile) in a [`Cache`], by
//! content.

use std::error::Error as _;
use std::fmt::{self, Write as _};
use std::sync::{Arc, Mutex};

use boon::{CompileError, Compiler, Draft, SchemaIndex, Schemas};
use serde_json::Value as Json;

use super::{SCHEMA_URL, VALIDATOR_FAILURE, collect, dedup, local_url, pointer};

/// A schema ready to validate values.
pub(super) struct Compiled {
    pub(super) schemas: Schemas,
    pub(super) index: SchemaIndex,
    /// The schema document, to map boon's locations back into it.
    pub(super) doc: Json,
}

/// Compiled schemas by file content, each with its result.
type Entries = Vec<(Vec<u8>, Result<Arc<Compiled>, String>)>;

/// Compiled schemas, by file content.
#[derive(Default)]
pub(crate) struct Cache(Mutex<Entries>);

impl fmt::Debug for Cache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.lock().map_or(0, |e| e.len());
        write!(f, "schema::Cache({n} schemas)")
    }
}

impl Cache {
    /// The compiled schema of `bytes`, or why it is unusable; compiled on
    /// first use.
    pub(super) fn get(&self, bytes: &[u8]) -> Result<Arc<Compiled>, String> {
        let mut entries = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, compiled)) = entries.iter().find(|(b, _)| b == bytes) {
            return compiled.clone();
        }
        let compiled = compile(bytes).map(Arc::new);
        entries.push((bytes.to_vec(), compiled.clone()));
        compiled
    }
}

/// Parses and compiles one schema file.
fn compile(bytes: &[u8]) -> Result<Compiled, String> {
    let doc: Json = serde_json::from_slice(bytes).map_err(|e| {
        format!("values.schema.json is not valid JSON ({e}); fix the file or delete it")
    })?;
    // Helm recovers from validator panics ("unable to validate schema");
    // boon debug-asserts on its own bugs, so rudder guards the same way.
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut compiler = Compiler::new();
        // santhosh-tekuri/jsonschema v6's default draft, which Helm keeps.
        compiler.set_default_draft(Draft::V2020_12);
        compiler.use_loader(Box::new(Loader));
        compiler
            .add_resource(SCHEMA_URL, doc.clone())
            .map_err(|e| invalid_schema(&e, &doc))?;
        let mut schemas = Schemas::new();
        let index = compiler
            .compile(SCHEMA_URL, &mut schemas)
            .map_err(|e| invalid_schema(&e, &doc))?;
        Ok((schemas, index))
    }));
    let (schemas, index) = run.unwrap_or_else(|_| Err(VALIDATOR_FAILURE.to_owned()))?;
    Ok(Compiled {
        schemas,
        index,
        doc,
    })
}

/// Why a schema does not compile, in words, with locations inside the
/// schema file as JSON pointers.
fn invalid_schema(e: &CompileError, doc: &Json) -> String {
    let draft = match doc.get("$schema").and_then(Json::as_str) {
        Some(url) => format!("$schema {url:?}"),
        None => "draft 2020-12, the default without $schema".to_owned(),
    };
    let detail = match e {
        CompileError::ValidationError { src, .. } => {
            let mut leaves = Vec::new();
            collect(src, doc, &mut leaves);
            dedup(&mut leaves);
            leaves
                .iter()
                .map(|l| format!("at {}: {}", pointer(&l.path), l.rule_and_value()))
                .collect::<Vec<_>>()
                .join("; ")
        }
        CompileError::LoadUrlError { url, src } => {
            format!("cannot load {}: {src}", local_url(url))
        }
        CompileError::UnsupportedUrlScheme { url } => format!(
            "cannot load {}: rudder does not fetch schemas over the network; inline it",
            local_url(url)
        ),
        other => {
            let mut s = format!("{other:#}");
            if let Some(src) = other.source()
                && !s.contains(&src.to_string())
            {
                let _ = write!(s, ": {src}");
            }
            local_url(&s).into_owned()
        }
    };
    format!("values.schema.json is not a valid JSON Schema ({draft}): {detail}")
}

/// Helm's loaders minus the network: `file:` from disk, `urn:` resolved to
/// the permissive schema `true` (Helm's `urnLoader` fallback), anything else
/// refused.
struct Loader;

impl boon::UrlLoader for Loader {
    fn load(&self, url: &str) -> Result<Json, Box<dyn std::error::Error>> {
        if url.starts_with("file:") {
            boon::FileLoader.load(url)
        } else if url.starts_with("urn:") {
            Ok(Json::Bool(true))
        } else {
            Err(format!(
                "{url} is remote; rudder does not fetch schemas over the network, inline it"
            )
            .into())
        }
    }
}
