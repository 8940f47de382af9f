//! Helm's `toToml` and `fromToml` (Helm 4.1.4 `engine/funcs.go`, encoding
//! with BurntSushi/toml v1.6.0).
//!
//! `toToml` reproduces BurntSushi's encoder byte for byte: in every table
//! the plain keys come first, then sub-tables and arrays of tables, each
//! group sorted by key; nested table headers are indented two spaces per
//! level (`[a]`, `  [a.b]`), a blank line precedes each top-level table and
//! each `[[array]]` entry; nil values are skipped; strings are basic strings
//! (`"..."` with `\"`, `\\`, `\t`, `\n`, `\uXXXX` escapes); floats print
//! like Go's `%g` with `.0` added when there is no `.` or exponent (`1.0`,
//! `1e+21`); lists mixing tables with other values are inline arrays with
//! inline tables (`[{p = 1}, 2]`). A non-map top level prints just the
//! value (`[1, 2]`). Encoder failures print the error text instead (Helm
//! returns `err.Error()`).

use super::time::{GoTime, Location};
use super::{fail, gofmt, is_nil, map_entries, seq_items};
use minijinja::Error;
use minijinja::value::{Value, ValueKind};

/// BurntSushi's `isBareKey`: `A-Za-z0-9_-`, non-empty.
fn bare_key(k: &str) -> bool {
    !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// BurntSushi's basic-string escaping (`dblQuotedReplacer`).
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn key_part(k: &str) -> String {
    if bare_key(k) { k.to_string() } else { quote(k) }
}

fn key_path(key: &[String]) -> String {
    key.iter()
        .map(|k| key_part(k))
        .collect::<Vec<_>>()
        .join(".")
}

/// The TOML kind BurntSushi assigns a Go value (`tomlTypeOfGo`).
#[derive(PartialEq, Eq)]
enum Kind {
    Nil,
    Table,
    ArrayOfTables,
    Other,
}

fn is_table(v: &Value) -> bool {
    v.kind() == ValueKind::Map && v.downcast_object_ref::<GoTime>().is_none()
}

fn kind_of(v: &Value) -> Result<Kind, String> {
    if is_nil(v) {
        return Ok(Kind::Nil);
    }
    if is_table(v) {
        return Ok(Kind::Table);
    }
    if v.kind() != ValueKind::String
        && let Some(items) = seq_items(v)
    {
        if items.is_empty() {
            return Ok(Kind::Other);
        }
        let mut all_tables = true;
        for item in &items {
            match kind_of(item)? {
                Kind::Nil => return Err("toml: cannot encode array with nil element".into()),
                Kind::Table => {}
                _ => all_tables = false,
            }
        }
        return Ok(if all_tables {
            Kind::ArrayOfTables
        } else {
            Kind::Other
        });
    }
    Ok(Kind::Other)
}

struct Encoder {
    out: String,
}

impl Encoder {
    fn newline(&mut self) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
    }

    fn indent(key: &[String]) -> String {
        "  ".repeat(key.len().saturating_sub(1))
    }

    /// `eElement`: a value in value position.
    fn element(&mut self, v: &Value) -> Result<(), String> {
        if let Some(t) = v.downcast_object_ref::<GoTime>() {
            let layout = match t.loc_name() {
                _ if !matches!(t.loc, Location::Fixed(..)) => "2006-01-02T15:04:05.999999999Z07:00",
                Some("datetime-local") => "2006-01-02T15:04:05.999999999",
                Some("date-local") => "2006-01-02",
                Some("time-local") => "15:04:05.999999999",
                _ => "2006-01-02T15:04:05.999999999Z07:00",
            };
            self.out.push_str(&t.format(layout));
            return Ok(());
        }
        match v.kind() {
            ValueKind::String => self.out.push_str(&quote(v.as_str().unwrap_or_default())),
            ValueKind::Bool => self
                .out
                .push_str(if v.is_true() { "true" } else { "false" }),
            ValueKind::Number if v.is_integer() => self.out.push_str(&gofmt::format_value(v)),
            ValueKind::Number => {
                let f = f64::try_from(v.clone()).unwrap_or(f64::NAN);
                let s = if f.is_nan() {
                    if f.is_sign_negative() { "-nan" } else { "nan" }.to_string()
                } else if f.is_infinite() {
                    if f < 0.0 { "-inf" } else { "inf" }.to_string()
                } else {
                    let s = gofmt::format_float_g(f);
                    if s.contains(['.', 'e']) {
                        s
                    } else {
                        format!("{s}.0")
                    }
                };
                self.out.push_str(&s);
            }
            ValueKind::Map => self.map(&[], v, true)?,
            ValueKind::Undefined | ValueKind::None => {
                return Err("toml: cannot encode a nil value".into());
            }
            _ => {
                let Some(items) = seq_items(v) else {
                    return Err(format!("toml: unsupported type: {}", gofmt::type_name(v)));
                };
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    // A nil element is an encoder error (tomlTypeOfGo).
                    kind_of(v)?;
                    self.element(item)?;
                }
                self.out.push(']');
            }
        }
        Ok(())
    }

    /// `writeKeyValue`.
    fn key_value(&mut self, key: &[String], v: &Value, inline: bool) -> Result<(), String> {
        let Some(last) = key.last() else {
            return self.element(v);
        };
        self.out.push_str(&Self::indent(key));
        self.out.push_str(&key_part(last));
        self.out.push_str(" = ");
        self.element(v)?;
        if !inline {
            self.newline();
        }
        Ok(())
    }

    /// `encode`.
    fn encode(&mut self, key: &[String], v: &Value) -> Result<(), String> {
        match kind_of(v)? {
            Kind::Nil => Ok(()),
            Kind::Table => {
                // eTable
                if key.len() == 1 {
                    self.newline();
                }
                if !key.is_empty() {
                    self.out.push_str(&Self::indent(key));
                    self.out.push('[');
                    self.out.push_str(&key_path(key));
                    self.out.push(']');
                    self.newline();
                }
                self.map(key, v, false)
            }
            Kind::ArrayOfTables => {
                if key.is_empty() {
                    return Err("toml: top-level values must be Go maps or structs".into());
                }
                for item in seq_items(v).unwrap_or_default() {
                    self.newline();
                    self.out.push_str(&Self::indent(key));
                    self.out.push_str("[[");
                    self.out.push_str(&key_path(key));
                    self.out.push_str("]]");
                    self.newline();
                    self.map(key, &item, false)?;
                }
                Ok(())
            }
            Kind::Other => self.key_value(key, v, false),
        }
    }

    /// `eMap`: plain keys first, then tables, each sorted.
    fn map(&mut self, key: &[String], v: &Value, inline: bool) -> Result<(), String> {
        let entries = map_entries(v).unwrap_or_default();
        let mut direct = Vec::new();
        let mut sub = Vec::new();
        for (k, val) in entries {
            let k = match k.as_str() {
                Some(s) => s.to_string(),
                None => gofmt::format_value(&k),
            };
            match kind_of(&val)? {
                Kind::Table | Kind::ArrayOfTables => sub.push((k, val)),
                _ => direct.push((k, val)),
            }
        }
        direct.sort_by(|a, b| a.0.cmp(&b.0));
        sub.sort_by(|a, b| a.0.cmp(&b.0));
        if inline {
            self.out.push('{');
        }
        let trail = !sub.is_empty();
        for (group, trail_comma) in [(direct, trail), (sub, false)] {
            let n = group.len();
            for (i, (k, val)) in group.into_iter().enumerate() {
                if is_nil(&val) {
                    continue;
                }
                if inline {
                    self.key_value(std::slice::from_ref(&k), &val, true)?;
                    if trail_comma || i + 1 != n {
                        self.out.push_str(", ");
                    }
                } else {
                    let mut path = key.to_vec();
                    path.push(k);
                    self.encode(&path, &val)?;
                }
            }
        }
        if inline {
            self.out.push('}');
        }
        Ok(())
    }
}

/// Helm `toToml .Values.config`: `{{ Values.config | toToml }}`. The
/// BurntSushi/toml encoding of the value; an encoder error prints its text.
pub fn to_toml(v: &Value) -> String {
    let mut enc = Encoder { out: String::new() };
    match enc.encode(&[], v) {
        Ok(()) => enc.out,
        Err(e) => e,
    }
}

fn from_toml_value(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::from(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::from(b),
        toml::Value::Datetime(d) => datetime(&d),
        toml::Value::Array(a) => {
            Value::from(a.into_iter().map(from_toml_value).collect::<Vec<_>>())
        }
        toml::Value::Table(t) => table(t),
    }
}

fn table(t: toml::Table) -> Value {
    super::dicts::Dict::from_entries(t.into_iter().map(|(k, v)| (k, from_toml_value(v))))
}

/// BurntSushi's decoding of TOML datetimes into `time.Time`: offset
/// datetimes in UTC or a fixed zone, local ones in the pseudo-locations
/// `datetime-local`, `date-local` and `time-local`.
fn datetime(d: &toml::value::Datetime) -> Value {
    let (y, mo, da) = d
        .date
        .map_or((0, 1, 1), |x| (x.year as i16, x.month as i8, x.day as i8));
    let (h, mi, s, ns) = d.time.map_or((0, 0, 0, 0), |t| {
        (
            t.hour as i8,
            t.minute as i8,
            t.second as i8,
            t.nanosecond as i32,
        )
    });
    let (name, offset) = match (d.offset, d.date, d.time) {
        (Some(toml::value::Offset::Z), ..) => ("UTC", 0),
        (Some(toml::value::Offset::Custom { minutes }), ..) => ("", i32::from(minutes) * 60),
        (None, Some(_), Some(_)) => ("datetime-local", 0),
        (None, Some(_), None) => ("date-local", 0),
        _ => ("time-local", 0),
    };
    let ts = jiff::civil::DateTime::new(y, mo, da, h, mi, s, ns)
        .ok()
        .and_then(|dt| {
            jiff::tz::Offset::from_seconds(offset)
                .ok()?
                .to_timestamp(dt)
                .ok()
        })
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let loc = if name == "UTC" {
        Location::Zone(jiff::tz::TimeZone::UTC)
    } else {
        Location::Fixed(name.to_string(), offset)
    };
    Value::from_object(GoTime { ts, loc })
}

/// Helm `fromToml .Files.Get "x.toml"`: `{{ Files.Get("x.toml") | fromToml
/// }}`. A map; on a parse error the map `{Error: <message>}` (Helm's shape;
/// the message text is the Rust parser's).
pub fn from_toml(s: &str) -> Value {
    match s.parse::<toml::Table>() {
        Ok(t) => table(t),
        Err(e) => super::dicts::Dict::from_entries([(
            "Error".to_string(),
            Value::from(format!("toml: {}", e.message())),
        )]),
    }
}

/// Installs `toToml` and `fromToml`, both as filter and global.
pub(crate) fn register(env: &mut super::inventory::Reg<'_, '_>) {
    let to = |v: &Value| -> Result<String, Error> {
        // Go's encoder fails on a nil interface (reflect on a zero Value).
        if is_nil(v) {
            return Err(fail("toToml: cannot encode nil"));
        }
        Ok(to_toml(v))
    };
    env.add_filter("toToml", to);
    env.add_function("toToml", to);
    let from = |v: &Value| -> Result<Value, Error> {
        let s = v.as_str().ok_or_else(|| {
            fail(format!(
                "fromToml: expected a string, got {}",
                super::describe(v)
            ))
        })?;
        Ok(from_toml(s))
    };
    env.add_filter("fromToml", from);
    env.add_function("fromToml", from);
}

#[cfg(test)]
#[path = "toml_tests.rs"]
mod tests;
