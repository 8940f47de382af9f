//! Compiling `values.schema.json` files, once per engine.
//!
//! Compiling a schema (parsing it, checking it against its draft's
//! metaschema, resolving `$ref`s) cost 15% of a Dispatch render, and the
//! schema files of a loaded chart never change: an [`crate::Engine`] keeps
//! each compiled schema (or why it does not compile) in a [`Cache`], by
//! content.

use std::error::Error as _;
use std::fmt::{self, Write as _};
use std::sync::{Arc, Mutex, OnceLock};

use boon::{CompileError, Compiler, Draft, SchemaIndex, Schemas, ValidationError};
use serde_json::Value as Json;

use crate::chart::File;

use super::{CHECKED_URL, SCHEMA_URL, VALIDATOR_FAILURE, collect, dedup, local_url, pointer};

/// A schema ready to validate values.
pub(super) struct Compiled {
    pub(super) schemas: Schemas,
    pub(super) index: SchemaIndex,
    /// The schema document, to map boon's locations back into it.
    pub(super) doc: Json,
}

/// Compiled schemas by file content and the chart files their `$ref`s
/// may load, each with its result.
type Entries = Vec<(Vec<u8>, Arc<[File]>, Result<Arc<Compiled>, String>)>;

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
    /// `files` are the chart's own files (`Files.Get`'s), the only ones a
    /// `$ref` may load.
    pub(super) fn get(&self, bytes: &[u8], files: &Arc<[File]>) -> Result<Arc<Compiled>, String> {
        let mut entries = self.0.lock().unwrap_or_else(|p| p.into_inner());
        // A schema without `$ref`s reads no file: one entry serves every
        // chart that has it.
        let refs = memchr::memmem::find(bytes, b"$ref").is_some();
        let same_files = |f: &Arc<[File]>| !refs || Arc::ptr_eq(f, files) || **f == **files;
        if let Some((_, _, compiled)) = entries.iter().find(|(b, f, _)| b == bytes && same_files(f))
        {
            return compiled.clone();
        }
        let compiled = compile_as(bytes, true, files.clone()).map(Arc::new);
        entries.push((bytes.to_vec(), files.clone(), compiled.clone()));
        compiled
    }
}

/// [`compile`]; with `check_here` false, boon checks every schema against
/// its metaschema itself (the tests compare the two ways).
/// `$ref`s load only from `files` (see [`Loader`]).
pub(super) fn compile_as(
    bytes: &[u8],
    check_here: bool,
    files: Arc<[File]>,
) -> Result<Compiled, String> {
    let doc: Json = serde_json::from_slice(bytes).map_err(|e| {
        format!("values.schema.json is not valid JSON ({e}); fix the file or delete it")
    })?;
    // Helm recovers from validator panics ("unable to validate schema");
    // boon debug-asserts on its own bugs, so rudder guards the same way.
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // boon checks a schema against its draft's metaschema when it
        // compiles it, and its first check compiles the metaschemas of all
        // five drafts: a third of a whole Dispatch run. It skips the check
        // for schemas under json-schema.org (its own metaschemas). When the
        // draft is plain from the document, rudder makes the same check
        // against that one metaschema and compiles the schema there, with
        // Helm's base URL as its `$id` so `$ref`s resolve as before.
        let checked = checked_base(&doc)
            .filter(|_| check_here)
            .and_then(|(draft, with_base)| Some((metaschema(draft)?, with_base)));
        let (url, resource) = match checked {
            Some((meta, with_base)) => {
                if let Err(e) = meta.schemas.validate(&doc, meta.index) {
                    return Err(invalid_against_metaschema(&e, &doc));
                }
                (CHECKED_URL, with_base)
            }
            None => (SCHEMA_URL, doc.clone()),
        };
        let mut compiler = Compiler::new();
        // santhosh-tekuri/jsonschema v6's default draft, which Helm keeps.
        compiler.set_default_draft(Draft::V2020_12);
        compiler.use_loader(Box::new(Loader(files)));
        compiler
            .add_resource(url, resource)
            .map_err(|e| invalid_schema(&e, &doc))?;
        let mut schemas = Schemas::new();
        let index = compiler
            .compile(url, &mut schemas)
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

/// The draft of a schema document whose draft boon would take from the
/// document alone (no `$schema`, or a standard one), and the document to
/// compile under [`CHECKED_URL`]: with Helm's base URL as its id. `None`
/// for anything else (a custom metaschema, an id of its own, a boolean
/// schema): boon then compiles and checks it as Helm does.
pub(super) fn checked_base(doc: &Json) -> Option<(Draft, Json)> {
    let obj = doc.as_object()?;
    if obj.contains_key("$id") || obj.contains_key("id") {
        return None;
    }
    let draft = match obj.get("$schema") {
        Some(Json::String(url)) => Draft::from_url(url)?,
        Some(_) => return None,
        None => Draft::V2020_12,
    };
    let id = if draft == Draft::V4 { "id" } else { "$id" };
    let mut with_base = obj.clone();
    with_base.insert(id.to_owned(), Json::String(SCHEMA_URL.to_owned()));
    Some((draft, Json::Object(with_base)))
}

/// One draft's metaschema, compiled once per process as boon compiles its
/// own (format assertions on).
struct Meta {
    schemas: Schemas,
    index: SchemaIndex,
}

/// The compiled metaschema of `draft`; `None` if boon cannot compile it
/// (then boon checks schemas itself, as before).
fn metaschema(draft: Draft) -> Option<&'static Meta> {
    static METAS: [OnceLock<Option<Meta>>; 5] = [const { OnceLock::new() }; 5];
    let (slot, url) = match draft {
        Draft::V4 => (0, "http://json-schema.org/draft-04/schema"),
        Draft::V6 => (1, "http://json-schema.org/draft-06/schema"),
        Draft::V7 => (2, "http://json-schema.org/draft-07/schema"),
        Draft::V2019_09 => (3, "https://json-schema.org/draft/2019-09/schema"),
        _ => (4, "https://json-schema.org/draft/2020-12/schema"),
    };
    METAS[slot]
        .get_or_init(|| {
            let mut compiler = Compiler::new();
            compiler.enable_format_assertions();
            let mut schemas = Schemas::new();
            let index = compiler.compile(url, &mut schemas).ok()?;
            Some(Meta { schemas, index })
        })
        .as_ref()
}

/// [`invalid_schema`] for a document its draft's metaschema refuses.
fn invalid_against_metaschema(e: &ValidationError<'_, '_>, doc: &Json) -> String {
    invalid_schema_detail(doc, &metaschema_detail(e, doc))
}

/// The violations of the metaschema, with locations inside the schema
/// file as JSON pointers.
fn metaschema_detail(e: &ValidationError<'_, '_>, doc: &Json) -> String {
    let mut leaves = Vec::new();
    collect(e, doc, &mut leaves);
    dedup(&mut leaves);
    leaves
        .iter()
        .map(|l| format!("at {}: {}", pointer(&l.path), l.rule_and_value()))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The message for a schema that is not a valid JSON Schema of its draft.
fn invalid_schema_detail(doc: &Json, detail: &str) -> String {
    let draft = match doc.get("$schema").and_then(Json::as_str) {
        Some(url) => format!("$schema {url:?}"),
        None => "draft 2020-12, the default without $schema".to_owned(),
    };
    format!("values.schema.json is not a valid JSON Schema ({draft}): {detail}")
}

/// Why a schema does not compile, in words, with locations inside the
/// schema file as JSON pointers.
fn invalid_schema(e: &CompileError, doc: &Json) -> String {
    let detail = match e {
        CompileError::ValidationError { src, .. } => metaschema_detail(src, doc),
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
    invalid_schema_detail(doc, &detail)
}

/// Helm's loaders minus the network and the disk: `file:` URLs name files
/// of the chart itself, `urn:` resolves to the permissive schema `true`
/// (Helm's `urnLoader` fallback), anything else is refused.
///
/// Helm's `file:` loader reads any path on the machine (a relative `$ref`
/// resolves against `file:///values.schema.json`, so against `/`), shows
/// what it read in its error, and blocks forever on a FIFO. rudder keeps a
/// `$ref` inside the chart, as `Files.Get` does: `file:///defs.json` and
/// `defs.json` are the chart's `defs.json`; `file:///etc/passwd` is the
/// chart's `etc/passwd`, which it does not have. (A deliberate difference,
/// listed in the README.)
struct Loader(Arc<[File]>);

impl boon::UrlLoader for Loader {
    fn load(&self, url: &str) -> Result<Json, Box<dyn std::error::Error>> {
        if let Some(path) = url.strip_prefix("file://") {
            let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
            let name = decoded
                .split('/')
                .filter(|p| !p.is_empty() && *p != ".")
                .collect::<Vec<_>>()
                .join("/");
            let file = self.0.iter().find(|f| f.name == name).ok_or_else(|| {
                format!(
                    "$ref {url}: the chart has no file {name:?}; a $ref names a file inside the chart (as Files.Get does), relative to the chart's root"
                )
            })?;
            serde_json::from_slice(&file.data).map_err(|e| {
                format!("$ref {url}: the chart's {name} is not valid JSON ({e})").into()
            })
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
