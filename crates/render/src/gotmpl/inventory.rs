//! The functions a Helm chart's templates may call: Sprig's function map
//! (Masterminds/sprig v3 `TxtFuncMap`) without `env` and `expandenv`, plus
//! Helm 4.1.4's own (`pkg/engine/funcs.go` and the late-bound `include`,
//! `tpl`, `required`, `lookup`). Go's parser rejects any other name
//! (`function "x" not defined`).
//!
//! How each is called from the translated Jinja is the function library's
//! contract: a global under its Helm name taking Go's arguments in Go's
//! order. Until every name is registered that way, a name the library only
//! has as a filter is called as one, with the input its calling convention
//! documents (see [`crate::funcs`]).

use std::collections::HashSet;

use rudder_gotmpl::{Call, Functions, Subject};

/// Every function name Helm's templates know (besides Go's builtins).
pub(crate) const HELM_FUNCTIONS: &[&str] = &[
    // Sprig: dates
    "ago",
    "date",
    "date_in_zone",
    "date_modify",
    "dateInZone",
    "dateModify",
    "duration",
    "durationRound",
    "htmlDate",
    "htmlDateInZone",
    "must_date_modify",
    "mustDateModify",
    "mustToDate",
    "now",
    "toDate",
    "unixEpoch",
    // strings
    "hello",
    "abbrev",
    "abbrevboth",
    "trunc",
    "trim",
    "upper",
    "lower",
    "title",
    "untitle",
    "substr",
    "repeat",
    "trimall",
    "trimAll",
    "trimSuffix",
    "trimPrefix",
    "nospace",
    "initials",
    "randAlphaNum",
    "randAlpha",
    "randAscii",
    "randNumeric",
    "randSeededNumeric",
    "swapcase",
    "shuffle",
    "snakecase",
    "camelcase",
    "kebabcase",
    "wrap",
    "wrapWith",
    "contains",
    "hasPrefix",
    "hasSuffix",
    "quote",
    "squote",
    "cat",
    "indent",
    "nindent",
    "replace",
    "plural",
    "sha1sum",
    "sha256sum",
    "sha512sum",
    "adler32sum",
    "toString",
    "atoi",
    "int64",
    "int",
    "float64",
    "seq",
    "toDecimal",
    "split",
    "splitList",
    "splitn",
    "toStrings",
    "until",
    "untilStep",
    // arithmetic
    "add1",
    "add",
    "sub",
    "div",
    "mod",
    "mul",
    "randInt",
    "add1f",
    "addf",
    "subf",
    "divf",
    "mulf",
    "biggest",
    "max",
    "min",
    "maxf",
    "minf",
    "ceil",
    "floor",
    "round",
    // lists of strings, defaults, encodings
    "join",
    "sortAlpha",
    "default",
    "empty",
    "coalesce",
    "all",
    "any",
    "compact",
    "mustCompact",
    "fromJson",
    "toJson",
    "toPrettyJson",
    "toRawJson",
    "mustFromJson",
    "mustToJson",
    "mustToPrettyJson",
    "mustToRawJson",
    "ternary",
    "deepCopy",
    "mustDeepCopy",
    // reflection
    "typeOf",
    "typeIs",
    "typeIsLike",
    "kindOf",
    "kindIs",
    "deepEqual",
    // network, paths
    "getHostByName",
    "base",
    "dir",
    "clean",
    "ext",
    "isAbs",
    "osBase",
    "osClean",
    "osDir",
    "osExt",
    "osIsAbs",
    // encoding
    "b64enc",
    "b64dec",
    "b32enc",
    "b32dec",
    // data structures
    "tuple",
    "list",
    "dict",
    "get",
    "set",
    "unset",
    "hasKey",
    "pluck",
    "keys",
    "pick",
    "omit",
    "merge",
    "mergeOverwrite",
    "mustMerge",
    "mustMergeOverwrite",
    "values",
    "append",
    "push",
    "mustAppend",
    "mustPush",
    "prepend",
    "mustPrepend",
    "first",
    "mustFirst",
    "rest",
    "mustRest",
    "last",
    "mustLast",
    "initial",
    "mustInitial",
    "reverse",
    "mustReverse",
    "uniq",
    "mustUniq",
    "without",
    "mustWithout",
    "has",
    "mustHas",
    "slice",
    "mustSlice",
    "concat",
    "dig",
    "chunk",
    "mustChunk",
    // crypto
    "bcrypt",
    "htpasswd",
    "genPrivateKey",
    "derivePassword",
    "buildCustomCert",
    "genCA",
    "genCAWithKey",
    "genSelfSignedCert",
    "genSelfSignedCertWithKey",
    "genSignedCert",
    "genSignedCertWithKey",
    "encryptAES",
    "decryptAES",
    "randBytes",
    "uuidv4",
    // semver, flow control, regex, urls
    "semver",
    "semverCompare",
    "fail",
    "regexMatch",
    "mustRegexMatch",
    "regexFindAll",
    "mustRegexFindAll",
    "regexFind",
    "mustRegexFind",
    "regexReplaceAll",
    "mustRegexReplaceAll",
    "regexReplaceAllLiteral",
    "mustRegexReplaceAllLiteral",
    "regexSplit",
    "mustRegexSplit",
    "regexQuoteMeta",
    "urlParse",
    "urlJoin",
    // Helm
    "toToml",
    "mustToToml",
    "fromToml",
    "toYaml",
    "mustToYaml",
    "toYamlPretty",
    "fromYaml",
    "fromYamlArray",
    "fromJsonArray",
    "mustToDuration",
    "durationSeconds",
    "durationMilliseconds",
    "durationMicroseconds",
    "durationNanoseconds",
    "durationMinutes",
    "durationHours",
    "durationDays",
    "durationWeeks",
    "durationRoundTo",
    "durationTruncateTo",
    "include",
    "tpl",
    "required",
    "lookup",
];

/// Sprig functions whose subject (the filter input in rudder's calling
/// convention) is Go's first argument.
const FIRST: &[&str] = &[
    "get",
    "set",
    "unset",
    "hasKey",
    "pick",
    "omit",
    "merge",
    "mergeOverwrite",
    "mustMerge",
    "mustMergeOverwrite",
    "append",
    "push",
    "mustAppend",
    "mustPush",
    "prepend",
    "mustPrepend",
    "concat",
    "without",
    "mustWithout",
];

/// Sprig functions whose subject is Go's second argument.
const SECOND: &[&str] = &[
    "regexReplaceAll",
    "mustRegexReplaceAll",
    "regexReplaceAllLiteral",
    "mustRegexReplaceAllLiteral",
    "regexFindAll",
    "mustRegexFindAll",
    "regexSplit",
    "mustRegexSplit",
];

/// Helm's function names, and how the current function library takes each.
#[derive(Debug, Clone)]
pub(crate) struct HelmFunctions {
    known: HashSet<&'static str>,
    /// Names registered as globals (Go's argument order).
    globals: HashSet<String>,
}

impl HelmFunctions {
    /// `globals` are the names the environment has as global functions.
    pub(crate) fn new(globals: impl IntoIterator<Item = String>) -> Self {
        HelmFunctions {
            known: HELM_FUNCTIONS.iter().copied().collect(),
            globals: globals.into_iter().collect(),
        }
    }
}

impl Functions for HelmFunctions {
    fn has(&self, name: &str) -> bool {
        self.known.contains(name)
    }

    fn call(&self, name: &str) -> Call {
        if self.globals.contains(name) {
            return Call::Global;
        }
        Call::Filter(if FIRST.contains(&name) {
            Subject::First
        } else if SECOND.contains(&name) {
            Subject::Second
        } else {
            Subject::Last
        })
    }
}
