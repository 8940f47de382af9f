//! List functions (Sprig's `list.go` and `numeric.go`'s `until`).
//!
//! Lists are immutable values; every function returns a new list. Sprig
//! panics with a nil pointer error when `first`, `append`, `uniq` etc. get
//! nil, so Helm fails there; these functions fail with a message instead.

use super::gofmt::strval;
use super::{fail, go_equal, int_arg, is_empty, seq_items};
use minijinja::Error;
use minijinja::value::{Rest, Value};

/// Longest list `until`/`untilStep` build, so a template cannot exhaust
/// memory (Helm would try).
const MAX_RANGE: i64 = 1 << 22;

/// The items of a list argument, or Sprig's error for the function (its
/// `must*` form returns it; the plain form panics with it in Helm): `Cannot
/// find first on type string`, `Cannot push on type int`, with the value's
/// Go kind.
fn items(func: &str, v: &Value) -> Result<Vec<Value>, Error> {
    seq_items(v).ok_or_else(|| {
        // Helm dereferences a nil pointer here (`runtime error: invalid
        // memory address or nil pointer dereference`); rudder says what
        // is missing.
        if v.is_none() || v.is_undefined() {
            return fail(format!(
                "{func}: expected a list, got nil; check that the value is set or use `default list`"
            ));
        }
        let kind = super::conversion::kind_of(v.clone());
        let reason = match func {
            "append" | "push" => format!("Cannot push on type {kind}"),
            "prepend" | "compact" => format!("Cannot {func} on type {kind}"),
            "chunk" => format!("Cannot chunk type {kind}"),
            "slice" => format!("list should be type of slice or array but {kind}"),
            "concat" => format!("Cannot concat type {kind} as list"),
            _ => format!("Cannot find {func} on type {kind}"),
        };
        fail(format!("{func}: {reason}"))
    })
}

fn list_value(items: Vec<Value>) -> Value {
    Value::from(items)
}

/// Helm `list A B ...`. `{{ list(1, 2) }}`
pub fn list(args: Rest<Value>) -> Value {
    list_value(args.0)
}

/// `list` as a filter (piped value last, as Go's pipe puts it):
/// `{{ x | list }}` is `[x]`, `{{ x | list(a) }}` is `[a, x]`. This
/// replaces Jinja's "convert to a list" filter.
pub fn list_filter(value: Value, args: Rest<Value>) -> Value {
    let mut all = args.0;
    all.push(value);
    list_value(all)
}

/// Helm `append LIST V` (alias `push`). `{{ Values.l | append(3) }}`
pub fn append(l: &Value, v: Value) -> Result<Value, Error> {
    let mut out = items("append", l)?;
    out.push(v);
    Ok(list_value(out))
}

/// Helm `prepend LIST V`. `{{ Values.l | prepend(0) }}`
pub fn prepend(l: &Value, v: Value) -> Result<Value, Error> {
    let mut out = vec![v];
    out.extend(items("prepend", l)?);
    Ok(list_value(out))
}

/// Helm `concat L1 L2 ...`: every argument must be a list.
/// `{{ a | concat(b, c) }}`
pub fn concat(first: &Value, rest: Rest<Value>) -> Result<Value, Error> {
    let mut out = items("concat", first)?;
    for l in rest.iter() {
        out.extend(items("concat", l)?);
    }
    Ok(list_value(out))
}

/// Helm `first LIST`: the first item, nil for an empty list.
/// `{{ Values.l | first }}`
pub fn first(l: &Value) -> Result<Value, Error> {
    Ok(items("first", l)?
        .into_iter()
        .next()
        .unwrap_or(Value::from(())))
}

/// Helm `last LIST`: the last item, nil for an empty list.
pub fn last(l: &Value) -> Result<Value, Error> {
    Ok(items("last", l)?.pop().unwrap_or(Value::from(())))
}

/// Helm `rest LIST`: all but the first item.
pub fn rest(l: &Value) -> Result<Value, Error> {
    Ok(list_value(items("rest", l)?.into_iter().skip(1).collect()))
}

/// Helm `initial LIST`: all but the last item.
pub fn initial(l: &Value) -> Result<Value, Error> {
    let mut out = items("initial", l)?;
    out.pop();
    Ok(list_value(out))
}

/// Helm `reverse LIST` (lists only, unlike Jinja's builtin).
pub fn reverse(l: &Value) -> Result<Value, Error> {
    let mut out = items("reverse", l)?;
    out.reverse();
    Ok(list_value(out))
}

/// Helm `uniq LIST`: first occurrences in order, compared like Go's
/// `reflect.DeepEqual` (`1` and `"1"` differ). `{{ l | uniq }}`
pub fn uniq(l: &Value) -> Result<Value, Error> {
    let mut out: Vec<Value> = Vec::new();
    for item in items("uniq", l)? {
        if !out.iter().any(|o| go_equal(o, &item)) {
            out.push(item);
        }
    }
    Ok(list_value(out))
}

/// Helm `has NEEDLE LIST`: membership by Go equality. `{{ Values.l | has(2) }}`
///
/// As Sprig's `mustHas`: a nil list has nothing, anything else that is not
/// a list is an error ("Cannot find has on type string"), for `has` too.
pub fn has(l: &Value, needle: &Value) -> Result<bool, Error> {
    if l.is_none() || l.is_undefined() {
        return Ok(false);
    }
    Ok(items("has", l)?.iter().any(|i| go_equal(i, needle)))
}

/// Helm `without LIST V ...`: the list without the given values.
/// `{{ l | without(2, 3) }}`
pub fn without(l: &Value, omit: Rest<Value>) -> Result<Value, Error> {
    Ok(list_value(
        items("without", l)?
            .into_iter()
            .filter(|i| !omit.iter().any(|o| go_equal(o, i)))
            .collect(),
    ))
}

/// Helm `compact LIST`: drops empty items (nil, `""`, `0`, `false`, empty
/// lists and maps).
pub fn compact(l: &Value) -> Result<Value, Error> {
    Ok(list_value(
        items("compact", l)?
            .into_iter()
            .filter(|i| !is_empty(i))
            .collect(),
    ))
}

/// Helm `sortAlpha LIST`: items printed with `%v` and sorted bytewise; a
/// non-list is a one-item list of its text. `{{ m | keys | sortAlpha }}`
pub fn sort_alpha(l: &Value) -> Value {
    let mut out: Vec<String> = match seq_items(l) {
        Some(items) => items.iter().map(strval).collect(),
        None => vec![strval(l)],
    };
    out.sort();
    list_value(out.into_iter().map(Value::from).collect())
}

/// Sprig's `untilStep`: from `start` towards `stop` (exclusive) by `step`;
/// empty when the step points the wrong way or is zero.
pub(crate) fn until_step_impl(
    func: &str,
    start: i64,
    stop: i64,
    step: i64,
) -> Result<Value, Error> {
    // i128 so that extreme bounds cannot overflow.
    let (start_w, stop_w, step_w) = (i128::from(start), i128::from(stop), i128::from(step));
    let len: i128 = if stop_w < start_w {
        if step_w >= 0 {
            0
        } else {
            (start_w - stop_w - 1) / -step_w + 1
        }
    } else if step_w <= 0 || stop_w == start_w {
        0
    } else {
        (stop_w - start_w - 1) / step_w + 1
    };
    if len > i128::from(MAX_RANGE) {
        return Err(fail(format!(
            "{func}: range of {len} items is too large (limit {MAX_RANGE})"
        )));
    }
    let mut out = Vec::with_capacity(len.max(0) as usize);
    let mut i = start;
    for _ in 0..len {
        out.push(Value::from(i));
        i = i.saturating_add(step);
    }
    Ok(list_value(out))
}

/// Helm `until N`: `0..N`, or `0, -1, ... N+1` for a negative `N`.
/// `{% for i in until(3) %}`
pub fn until(n: &Value) -> Result<Value, Error> {
    let n = int_arg("until", "count", n)?;
    until_step_impl("until", 0, n, if n < 0 { -1 } else { 1 })
}

/// Helm `untilStep START STOP STEP`. `{{ untilStep(10, 0, -3) }}` → `[10 7 4 1]`
pub fn until_step(start: &Value, stop: &Value, step: &Value) -> Result<Value, Error> {
    until_step_impl(
        "untilStep",
        int_arg("untilStep", "start", start)?,
        int_arg("untilStep", "stop", stop)?,
        int_arg("untilStep", "step", step)?,
    )
}

/// Helm `chunk SIZE LIST` (also `mustChunk`): the list cut into lists of
/// `SIZE` items, the last one shorter. `chunk 2 (list 1 2 3)` → `[[1 2] [3]]`
pub fn chunk(size: &Value, l: &Value) -> Result<Value, Error> {
    let size = int_arg("chunk", "size", size)?;
    let items = items("chunk", l)?;
    if size < 1 {
        // Go divides by the size: a panic in Helm.
        return Err(fail(format!("chunk: size {size} must be at least 1")));
    }
    Ok(list_value(
        items
            .chunks(size as usize)
            .map(|c| list_value(c.to_vec()))
            .collect(),
    ))
}

/// Helm `slice LIST [START [END]]` (Sprig's, which replaces Go's builtin
/// `slice`; also `mustSlice`): items `START..END`; an empty list gives nil,
/// indices out of range are an error (a panic in Helm).
pub fn slice(l: &Value, idx: Rest<Value>) -> Result<Value, Error> {
    let items = items("slice", l)?;
    if items.is_empty() {
        return Ok(Value::from(()));
    }
    let start = idx.first().map_or(0, |v| super::conversion::int(v.clone()));
    let end = idx
        .get(1)
        .map_or(items.len() as i64, |v| super::conversion::int(v.clone()));
    if start < 0 || end < start || end as usize > items.len() {
        return Err(fail(format!(
            "slice: slice bounds out of range [{start}:{end}] with length {}",
            items.len()
        )));
    }
    Ok(list_value(items[start as usize..end as usize].to_vec()))
}

pub(crate) fn register(env: &mut super::inventory::Reg<'_, '_>) {
    env.add_function("list", list);
    env.add_filter("list", list_filter);
    env.add_filter("append", append);
    env.add_filter("push", append);
    env.add_filter("prepend", prepend);
    env.add_filter("concat", concat);
    env.add_filter("first", first);
    env.add_filter("last", last);
    env.add_filter("rest", rest);
    env.add_filter("initial", initial);
    env.add_filter("reverse", reverse);
    env.add_filter("uniq", uniq);
    env.add_filter("has", has);
    env.add_filter("without", without);
    env.add_filter("compact", compact);
    env.add_filter("sortAlpha", sort_alpha);
    env.add_function("until", until);
    env.add_function("untilStep", until_step);
    env.add_function("tuple", list);
    env.add_function("chunk", chunk);
    env.add_function("mustChunk", chunk);
    env.add_filter("slice", slice);
    env.add_filter("mustSlice", slice);
    for (name, f) in [
        (
            "mustAppend",
            append as fn(&Value, Value) -> Result<Value, Error>,
        ),
        ("mustPush", append),
        ("mustPrepend", prepend),
    ] {
        env.add_filter(name, f);
    }
    for (name, f) in [
        ("mustFirst", first as fn(&Value) -> Result<Value, Error>),
        ("mustLast", last),
        ("mustRest", rest),
        ("mustInitial", initial),
        ("mustReverse", reverse),
        ("mustUniq", uniq),
        ("mustCompact", compact),
    ] {
        env.add_filter(name, f);
    }
    env.add_filter("mustWithout", without);
    env.add_filter("mustHas", has);
}
