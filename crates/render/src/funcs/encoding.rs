//! Encodings, checksums and JSON (Sprig's `crypto.go`/`strings.go`
//! encoders and Helm's `toJson`/`fromJson`).
//!
//! JSON output is Go `encoding/json`'s byte for byte: map keys sorted,
//! `<`, `>`, `&`, U+2028 and U+2029 escaped as `\u003c` etc. (except in
//! `toRawJson`), floats as Go prints them (`1`, `1e+21`, `1e-7`), and
//! `toPrettyJson` indents by two spaces with empty containers as `{}`/`[]`.

use super::dicts::Dict;
use super::gofmt::format_float_json;
use super::{map_entries, seq_items, str_arg};
use base64::Engine;
use minijinja::Error;
use minijinja::value::{Value, ValueKind};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};
use std::fmt::Write;

/// Helm `b64enc S`: standard base64 with padding.
/// `{{ Values.password | b64enc }}`
pub fn b64enc(s: &Value) -> Result<String, Error> {
    Ok(base64::engine::general_purpose::STANDARD.encode(str_arg("b64enc", "", s)?))
}

fn b64_value(c: u8) -> Option<u32> {
    Some(u32::from(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    }))
}

/// Go's `base64.StdEncoding.DecodeString`, including where it reports a
/// "CorruptInputError" (Sprig prints that error as the result). Line breaks
/// are skipped like Go does.
fn go_b64_decode(src: &[u8]) -> Result<Vec<u8>, usize> {
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0usize;
    loop {
        let mut dbuf = [0u32; 4];
        let mut dlen = 4usize;
        let mut j = 0usize;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                // Padding is mandatory: an incomplete quantum is corrupt.
                return Err(si - j);
            }
            let c = src.get(si).copied().unwrap_or(0);
            si += 1;
            if let Some(v) = b64_value(c) {
                if let Some(slot) = dbuf.get_mut(j) {
                    *slot = v;
                }
                j += 1;
                continue;
            }
            if c == b'\n' || c == b'\r' {
                continue;
            }
            if c != b'=' {
                return Err(si - 1);
            }
            // Padding: only valid after two or three symbols.
            match j {
                0 | 1 => return Err(si - 1),
                2 => {
                    while si < src.len() && matches!(src.get(si), Some(b'\n' | b'\r')) {
                        si += 1;
                    }
                    if si == src.len() {
                        return Err(src.len());
                    }
                    if src.get(si) != Some(&b'=') {
                        return Err(si - 1);
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < src.len() && matches!(src.get(si), Some(b'\n' | b'\r')) {
                si += 1;
            }
            if si < src.len() {
                return Err(si);
            }
            dlen = j;
            break;
        }
        let val = dbuf.iter().fold(0u32, |acc, d| (acc << 6) | d);
        let bytes = [(val >> 16) as u8, (val >> 8) as u8, val as u8];
        out.extend_from_slice(bytes.get(..dlen - 1).unwrap_or_default());
        if dlen < 4 {
            return Ok(out);
        }
    }
}

/// Helm `b64dec S`: the decoded text; invalid input yields Go's error text
/// (`illegal base64 data at input byte 12`) as the result, as Sprig does.
/// `{{ Values.secret | b64dec }}`
pub fn b64dec(s: &Value) -> Result<String, Error> {
    let s = str_arg("b64dec", "", s)?;
    Ok(match go_b64_decode(s.as_bytes()) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(at) => format!("illegal base64 data at input byte {at}"),
    })
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Helm `sha256sum S`: lowercase hex. `{{ include "cm" . | sha256sum }}`
pub fn sha256sum(s: &Value) -> Result<String, Error> {
    Ok(hex(&Sha256::digest(
        str_arg("sha256sum", "", s)?.as_bytes(),
    )))
}

/// Helm `sha1sum S`: lowercase hex.
pub fn sha1sum(s: &Value) -> Result<String, Error> {
    Ok(hex(&Sha1::digest(str_arg("sha1sum", "", s)?.as_bytes())))
}

/// Helm `sha512sum S`: lowercase hex.
pub fn sha512sum(s: &Value) -> Result<String, Error> {
    Ok(hex(&Sha512::digest(
        str_arg("sha512sum", "", s)?.as_bytes(),
    )))
}

/// Adler-32 (RFC 1950): two running sums modulo 65521.
fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % MOD;
        b = (b + a) % MOD;
    }
    (b << 16) | a
}

/// Helm `adler32sum S`: the checksum in decimal (`adler32sum "hello"` is
/// `103547413`).
pub fn adler32sum(s: &Value) -> Result<String, Error> {
    Ok(adler32(str_arg("adler32sum", "", s)?.as_bytes()).to_string())
}

/// Writes a JSON string the way Go's encoder does.
fn write_json_str(out: &mut String, s: &str, escape_html: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' if escape_html => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn newline(out: &mut String, indent: Option<&str>, level: usize) {
    if let Some(ind) = indent {
        out.push('\n');
        for _ in 0..level {
            out.push_str(ind);
        }
    }
}

/// Go `json.Marshal`/`MarshalIndent` of a template value.
fn write_json(out: &mut String, v: &Value, indent: Option<&str>, level: usize, html: bool) {
    let Some(_nest) = super::Nest::enter() else {
        out.push_str("null");
        return;
    };
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => out.push_str("null"),
        ValueKind::Bool => out.push_str(if v.is_true() { "true" } else { "false" }),
        ValueKind::Number if v.is_integer() => out.push_str(&v.to_string()),
        ValueKind::Number => {
            out.push_str(&format_float_json(f64::try_from(v.clone()).unwrap_or(0.0)));
        }
        ValueKind::String => write_json_str(out, v.as_str().unwrap_or_default(), html),
        ValueKind::Bytes => {
            // Go encodes []byte as base64.
            let b = v.as_bytes().unwrap_or_default();
            write_json_str(
                out,
                &base64::engine::general_purpose::STANDARD.encode(b),
                html,
            );
        }
        ValueKind::Seq | ValueKind::Iterable => {
            let items = seq_items(v).unwrap_or_default();
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, level + 1);
                write_json(out, item, indent, level + 1, html);
            }
            newline(out, indent, level);
            out.push(']');
        }
        ValueKind::Map => {
            let mut entries: Vec<(String, Value)> = map_entries(v)
                .unwrap_or_default()
                .into_iter()
                .map(|(k, x)| (super::gofmt::strval(&k), x))
                .collect();
            // encoding/json sorts map keys bytewise.
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            if entries.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (k, x)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, level + 1);
                write_json_str(out, k, html);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                write_json(out, x, indent, level + 1, html);
            }
            newline(out, indent, level);
            out.push('}');
        }
        // Objects such as semver versions marshal as their string form.
        _ => write_json_str(out, &v.to_string(), html),
    }
}

/// Helm `toJson V`: compact JSON, Go's escaping and key order.
/// `{{ Values.config | toJson }}`
pub fn to_json(v: Value) -> Result<String, Error> {
    super::bounded("toJson", || {
        let mut out = String::new();
        write_json(&mut out, &v, None, 0, true);
        out
    })
}

/// Helm `toPrettyJson V`: JSON indented by two spaces.
pub fn to_pretty_json(v: Value) -> Result<String, Error> {
    super::bounded("toPrettyJson", || {
        let mut out = String::new();
        write_json(&mut out, &v, Some("  "), 0, true);
        out
    })
}

/// Helm `toRawJson V`: compact JSON without HTML escaping.
pub fn to_raw_json(v: Value) -> Result<String, Error> {
    super::bounded("toRawJson", || {
        let mut out = String::new();
        write_json(&mut out, &v, None, 0, false);
        out
    })
}

/// A parsed JSON document as template values: objects become [`Dict`]s,
/// integers stay exact, other numbers are floats.
fn from_serde(v: serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::from(()),
        serde_json::Value::Bool(b) => Value::from(b),
        serde_json::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                Value::from(n.as_f64().unwrap_or(0.0))
            }
        }
        serde_json::Value::String(s) => Value::from(s),
        serde_json::Value::Array(a) => {
            Value::from(a.into_iter().map(from_serde).collect::<Vec<_>>())
        }
        serde_json::Value::Object(o) => {
            Dict::from_entries(o.into_iter().map(|(k, v)| (k, from_serde(v))))
        }
    }
}

/// Helm `fromJson S`: a dict; on bad input a dict `{Error: "<message>"}`
/// like Helm (Go's message for truncated input and for a value of the
/// wrong kind, serde_json's for other syntax errors). A JSON value that is
/// not an object is an error too, as in Helm.
/// `{{ (Values.raw | fromJson).key }}`
pub fn from_json(s: &Value) -> Result<Value, Error> {
    let s = str_arg("fromJson", "", s)?;
    let error = |msg: String| Dict::from_entries([("Error".to_string(), Value::from(msg))]);
    Ok(match serde_json::from_str::<serde_json::Value>(s) {
        Ok(v @ serde_json::Value::Object(_)) => from_serde(v),
        // Go unmarshals `null` into a map without error: an empty map.
        Ok(serde_json::Value::Null) => Dict::from_entries([]),
        Ok(v) => error(format!(
            "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            json_kind(&v)
        )),
        Err(e) => error(go_json_error(&e)),
    })
}

/// Helm `fromJsonArray S`: a list; on bad input a one-item list holding the
/// error message.
pub fn from_json_array(s: &Value) -> Result<Value, Error> {
    let s = str_arg("fromJsonArray", "", s)?;
    Ok(match serde_json::from_str::<serde_json::Value>(s) {
        Ok(v @ serde_json::Value::Array(_)) => from_serde(v),
        Ok(v) => Value::from(vec![Value::from(format!(
            "json: cannot unmarshal {} into Go value of type []interface {{}}",
            json_kind(&v)
        ))]),
        Err(e) => Value::from(vec![Value::from(go_json_error(&e))]),
    })
}

/// The word Go's encoding/json uses for a JSON value's kind in "cannot
/// unmarshal number into Go value of type …".
fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "bool",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

/// Go's message for truncated JSON ("unexpected end of JSON input");
/// other syntax errors keep serde_json's wording (Go's "invalid character
/// 'x' looking for beginning of value" family is not reproduced).
fn go_json_error(e: &serde_json::Error) -> String {
    match e.classify() {
        serde_json::error::Category::Eof => "unexpected end of JSON input".to_string(),
        _ => e.to_string(),
    }
}

const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Helm `b32enc S`: RFC 4648 base32 with padding.
pub fn b32enc(s: &Value) -> Result<String, Error> {
    let b = str_arg("b32enc", "", s)?.as_bytes();
    let mut out = String::with_capacity(b.len().div_ceil(5) * 8);
    for chunk in b.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let n = buf.iter().fold(0u64, |a, x| a << 8 | u64::from(*x));
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < chars {
                out.push(char::from(B32[((n >> (35 - 5 * i)) & 31) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    Ok(out)
}

/// Helm `b32dec S`: the decoded text; bad input gives Go's error text, as
/// Sprig returns it in place of the result.
pub fn b32dec(s: &Value) -> Result<String, Error> {
    let text = str_arg("b32dec", "", s)?;
    // Go's decoder skips \r and \n.
    let clean: Vec<u8> = text
        .bytes()
        .filter(|b| *b != b'\r' && *b != b'\n')
        .collect();
    let corrupt = |at: usize| Ok(format!("illegal base32 data at input byte {at}"));
    if !clean.len().is_multiple_of(8) {
        let at = clean.len() / 8 * 8;
        return corrupt(at.min(clean.len()));
    }
    let mut out = Vec::with_capacity(clean.len() / 8 * 5);
    for (ci, chunk) in clean.chunks(8).enumerate() {
        let pad = chunk.iter().rev().take_while(|b| **b == b'=').count();
        let data = 8 - pad;
        let bytes = match data {
            8 => 5,
            7 => 4,
            5 => 3,
            4 => 2,
            2 => 1,
            _ => return corrupt(ci * 8 + data),
        };
        if pad > 0 && (ci + 1) * 8 != clean.len() {
            return corrupt(ci * 8 + data);
        }
        let mut n = 0u64;
        for (i, b) in chunk[..data].iter().enumerate() {
            let Some(v) = B32.iter().position(|c| c == b) else {
                return corrupt(ci * 8 + i);
            };
            n |= (v as u64) << (35 - 5 * i);
        }
        for i in 0..bytes {
            out.push((n >> (32 - 8 * i)) as u8);
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Helm `mustFromJson S` (Sprig's): the decoded value; bad JSON is an error.
pub fn must_from_json(s: &Value) -> Result<Value, Error> {
    let text = str_arg("mustFromJson", "", s)?;
    serde_json::from_str::<serde_json::Value>(text)
        .map(from_serde)
        .map_err(|e| super::fail(format!("mustFromJson: {}", go_json_error(&e))))
}

pub(crate) fn register(env: &mut super::inventory::Reg<'_, '_>) {
    env.add_filter("b64enc", b64enc);
    env.add_filter("b64dec", b64dec);
    env.add_filter("sha256sum", sha256sum);
    env.add_filter("sha1sum", sha1sum);
    env.add_filter("sha512sum", sha512sum);
    env.add_filter("adler32sum", adler32sum);
    for (name, f) in [
        ("toJson", to_json as fn(Value) -> Result<String, Error>),
        ("toPrettyJson", to_pretty_json),
        ("toRawJson", to_raw_json),
    ] {
        env.add_function(name, f);
        env.add_filter(name, f);
    }
    env.add_function("fromJson", from_json);
    env.add_filter("fromJson", from_json);
    env.add_function("fromJsonArray", from_json_array);
    env.add_filter("fromJsonArray", from_json_array);
    env.add_filter("b32enc", b32enc);
    env.add_filter("b32dec", b32dec);
    for (name, f) in [
        ("mustToJson", to_json as fn(Value) -> Result<String, Error>),
        ("mustToPrettyJson", to_pretty_json),
        ("mustToRawJson", to_raw_json),
    ] {
        env.add_filter(name, f);
    }
    env.add_filter("mustFromJson", must_from_json);
}
