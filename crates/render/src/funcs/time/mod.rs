//! Sprig's date functions (Sprig v3.3.0 `date.go`, as Helm 4.1.4 ships
//! it): `now`, `date`, `dateInZone`, `htmlDate`, `htmlDateInZone`,
//! `unixEpoch`, `dateModify`, `mustDateModify`, `ago`, `toDate`,
//! `mustToDate`, `duration`, `durationRound`.
//!
//! Times are [`GoTime`] objects (Go's `time.Time`: an instant plus a
//! location) that print like Go's `Time.String()`. Layouts are Go reference
//! layouts (`"2006-01-02T15:04:05Z07:00"`). "Now" comes from the
//! environment's [`Clock`]: the real time, or a pinned instant for
//! reproducible renders. `Local` is the system time zone (`TZ`,
//! `/etc/localtime`), like Go's.
//!
//! Where Go distinguishes `int` from `int64` rudder cannot (both are
//! integers), integers take Sprig's `int64` meaning: `duration` reads
//! seconds and `durationRound` nanoseconds (Helm ignores a plain `int`,
//! printing `0s`). Floats (Helm's values-file numbers) are ignored as in
//! Helm: `date`/`dateInZone` use now, `duration`/`durationRound` give `0s`.

use super::{describe, fail, str_arg};
use jiff::civil::DateTime;
use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Timestamp, Zoned};
use minijinja::Error;
use minijinja::value::{Object, ObjectRepr, Value, ValueKind};
use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

/// The time source behind `now` (and certificate validity): the real clock,
/// or a fixed instant so that renders are reproducible.
#[derive(Debug)]
pub struct Clock {
    /// Behind a lock so a renderer can pin it per release.
    fixed: std::sync::Mutex<Option<Timestamp>>,
    /// Go's `time.Local`, looked up on first use: jiff's lookup scans the
    /// zoneinfo tree (milliseconds), which renders without dates never need.
    local: std::sync::OnceLock<TimeZone>,
}

impl Clock {
    /// `None`: the real time, like Helm. `Some(t)`: always `t`.
    pub fn new(fixed: Option<SystemTime>) -> Arc<Clock> {
        Arc::new(Clock {
            fixed: std::sync::Mutex::new(fixed.and_then(|t| Timestamp::try_from(t).ok())),
            local: std::sync::OnceLock::new(),
        })
    }

    /// Like [`Clock::new`] with `local` as Go's `time.Local` instead of the
    /// system zone (tests, or pinning the zone for reproducible output).
    pub fn with_zone(fixed: Option<SystemTime>, local: TimeZone) -> Arc<Clock> {
        Arc::new(Clock {
            fixed: std::sync::Mutex::new(fixed.and_then(|t| Timestamp::try_from(t).ok())),
            local: std::sync::OnceLock::from(local),
        })
    }

    /// The current instant: the render's pinned time inside a render
    /// ([`RenderClock`]), this clock's otherwise.
    pub fn now(&self) -> Timestamp {
        let fixed = RENDER_NOW
            .with(std::cell::Cell::get)
            .unwrap_or_else(|| *self.fixed.lock().unwrap_or_else(|e| e.into_inner()));
        fixed.unwrap_or_else(Timestamp::now)
    }

    /// Pins the clock to `fixed`, or lets it follow the real time again
    /// (`None`). The renderer calls this at the start of every release.
    pub fn pin(&self, fixed: Option<SystemTime>) {
        *self.fixed.lock().unwrap_or_else(|e| e.into_inner()) =
            fixed.and_then(|t| Timestamp::try_from(t).ok());
    }

    /// Go's `time.Local`.
    pub fn local(&self) -> &TimeZone {
        self.local.get_or_init(TimeZone::system)
    }
}

thread_local! {
    /// The time of the render running on this thread: `Some(None)` the
    /// real time, `Some(Some(t))` pinned, `None` outside a render.
    static RENDER_NOW: std::cell::Cell<Option<Option<Timestamp>>> = const { std::cell::Cell::new(None) };
}

/// A render's own time, in force on this thread while the guard lives
/// (`None`: the real time; `Some(t)`: pinned for reproducible output).
/// Dropping it restores the time in force before, so renders nest.
#[derive(Debug)]
#[must_use = "the time is in force only while the guard lives"]
pub struct RenderClock(Option<Option<Timestamp>>);

impl RenderClock {
    /// Starts a render's time on this thread.
    pub fn enter(now: Option<SystemTime>) -> RenderClock {
        let now = now.and_then(|t| Timestamp::try_from(t).ok());
        RenderClock(RENDER_NOW.with(|c| c.replace(Some(now))))
    }
}

impl Drop for RenderClock {
    fn drop(&mut self) {
        RENDER_NOW.with(|c| c.set(self.0));
    }
}

/// A Go location: a time zone (with its abbreviations) or a fixed offset
/// with a name (Go's `FixedZone`; `""` prints as the offset).
#[derive(Debug, Clone)]
pub enum Location {
    /// A tz database zone (`UTC`, `Local`, `Europe/Paris`).
    Zone(TimeZone),
    /// A fixed offset in seconds, named as Go's `FixedZone(name, offset)`.
    Fixed(String, i32),
}

/// Go's `time.Time`: an instant in a location.
#[derive(Debug, Clone)]
pub struct GoTime {
    /// The instant.
    pub ts: Timestamp,
    /// Where it is displayed.
    pub loc: Location,
}

/// The broken-down fields Go's formatter needs.
struct Fields {
    dt: DateTime,
    offset: i32,
    abbrev: String,
}

impl GoTime {
    /// A time in a tz database zone.
    pub fn in_zone(ts: Timestamp, tz: TimeZone) -> GoTime {
        GoTime {
            ts,
            loc: Location::Zone(tz),
        }
    }

    fn fields(&self) -> Fields {
        match &self.loc {
            Location::Zone(tz) => {
                let info = tz.to_offset_info(self.ts);
                let offset = info.offset();
                Fields {
                    dt: offset.to_datetime(self.ts),
                    offset: offset.seconds(),
                    abbrev: info.abbreviation().to_string(),
                }
            }
            Location::Fixed(name, secs) => {
                let offset = Offset::from_seconds(*secs).unwrap_or(Offset::UTC);
                Fields {
                    dt: offset.to_datetime(self.ts),
                    offset: offset.seconds(),
                    abbrev: name.clone(),
                }
            }
        }
    }

    /// Go's `Time.Format(layout)`.
    pub fn format(&self, layout: &str) -> String {
        format_fields(&self.fields(), layout)
    }

    /// The same instant in another location (Go's `Time.In`).
    pub fn with_loc(&self, loc: Location) -> GoTime {
        GoTime { ts: self.ts, loc }
    }

    /// The name of the location, as Go's `Location.String()`.
    pub fn loc_name(&self) -> Option<&str> {
        match &self.loc {
            Location::Fixed(name, _) => Some(name),
            Location::Zone(tz) => tz.iana_name(),
        }
    }

    fn add(&self, d: SignedDuration) -> Option<GoTime> {
        Some(GoTime {
            ts: self.ts.checked_add(d).ok()?,
            loc: self.loc.clone(),
        })
    }
}

impl fmt::Display for GoTime {
    /// Go's `Time.String()` (without the monotonic clock reading).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format("2006-01-02 15:04:05.999999999 -0700 MST"))
    }
}

impl Object for GoTime {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }

    /// Go templates call niladic methods as fields: `now.Year`.
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let f = self.fields();
        let dt = f.dt;
        Some(match key.as_str()? {
            "Year" => Value::from(dt.year()),
            "Month" => Value::from(MONTHS.get(dt.month() as usize - 1).copied()?),
            "Day" => Value::from(dt.day()),
            "Hour" => Value::from(dt.hour()),
            "Minute" => Value::from(dt.minute()),
            "Second" => Value::from(dt.second()),
            "Nanosecond" => Value::from(dt.subsec_nanosecond()),
            "YearDay" => Value::from(dt.day_of_year()),
            "Weekday" => Value::from(
                DAYS.get(dt.weekday().to_sunday_zero_offset() as usize)
                    .copied()?,
            ),
            "Unix" => Value::from(self.ts.as_second()),
            "UnixMilli" => Value::from(self.ts.as_millisecond()),
            "UnixMicro" => Value::from(self.ts.as_microsecond()),
            "UnixNano" => Value::from(self.ts.as_nanosecond()),
            _ => return None,
        })
    }

    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_ref(), f)
    }
}

mod duration;
mod layout;
pub use duration::{go_duration_string, parse_go_duration};
use layout::*;

// ---------------------------------------------------------------------------
// Template functions

/// Sprig's `toDate` conversions for `date`/`dateInZone`: a time, or an
/// integer of Unix seconds; anything else means now.
fn time_or_now(clock: &Clock, v: &Value) -> GoTime {
    if let Some(t) = v.downcast_object_ref::<GoTime>() {
        return t.clone();
    }
    if v.kind() == ValueKind::Number
        && v.is_integer()
        && let Ok(secs) = i64::try_from(v.clone())
        && let Ok(ts) = Timestamp::from_second(secs)
    {
        return GoTime::in_zone(ts, clock.local().clone());
    }
    GoTime::in_zone(clock.now(), clock.local().clone())
}

/// A `time.Time` argument (Go rejects anything else).
fn time_arg(func: &str, v: &Value) -> Result<GoTime, Error> {
    v.downcast_object_ref::<GoTime>().cloned().ok_or_else(|| {
        fail(format!(
            "{func}: expected a time (time.Time), got {}",
            describe(v)
        ))
    })
}

/// Go's `time.LoadLocation`; Sprig falls back to UTC for unknown names.
fn load_location(clock: &Clock, zone: &str) -> TimeZone {
    match zone {
        "" | "UTC" => TimeZone::UTC,
        "Local" => clock.local().clone(),
        _ => TimeZone::get(zone).unwrap_or(TimeZone::UTC),
    }
}

/// Helm `now`: `{{ now() }}`, the clock's current time in `Local`.
pub fn now(clock: &Clock) -> GoTime {
    GoTime::in_zone(clock.now(), clock.local().clone())
}

/// Helm `dateInZone "2006-01-02" $t "UTC"`:
/// `{{ t | dateInZone("2006-01-02", "UTC") }}`. `t` may be a time or Unix
/// seconds (anything else is now); an unknown zone is UTC.
pub fn date_in_zone(clock: &Clock, layout: &str, t: &Value, zone: &str) -> String {
    let t = time_or_now(clock, t);
    t.with_loc(Location::Zone(load_location(clock, zone)))
        .format(layout)
}

/// Helm `date "2006-01-02" $t` (`{{ now | date "2006-01-02" }}`):
/// `{{ now() | date("2006-01-02") }}`; formats in `Local`.
pub fn date(clock: &Clock, layout: &str, t: &Value) -> String {
    date_in_zone(clock, layout, t, "Local")
}

/// Helm `dateModify "-1.5h" $t`: `{{ now() | dateModify("-1.5h") }}`. An
/// invalid duration leaves the time unchanged (Sprig).
pub fn date_modify(modifier: &str, t: &GoTime) -> GoTime {
    parse_go_duration(modifier)
        .ok()
        .and_then(|d| t.add(SignedDuration::from_nanos(d)))
        .unwrap_or_else(|| t.clone())
}

/// Helm `toDate "2006-01-02" "2024-03-05"`:
/// `{{ "2024-03-05" | toDate("2006-01-02") }}`. Parses in `Local`; a
/// value that does not match gives Go's zero time (`0001-01-01 00:00:00
/// +0000 UTC`), as Sprig.
pub fn to_date(clock: &Clock, layout: &str, value: &str) -> GoTime {
    parse(clock, layout, value).unwrap_or_else(|_| zero_time())
}

fn zero_time() -> GoTime {
    let ts = DateTime::new(1, 1, 1, 0, 0, 0, 0)
        .ok()
        .and_then(|dt| dt.to_zoned(TimeZone::UTC).ok())
        .map_or(Timestamp::MIN, |z: Zoned| z.timestamp());
    GoTime::in_zone(ts, TimeZone::UTC)
}

/// Helm `duration 95` (seconds): `{{ 95 | duration }}` → `1m35s`. Integers
/// and numeric strings are seconds; anything else is `0s`.
pub fn duration(v: &Value) -> String {
    let secs = match v.kind() {
        ValueKind::String => v.as_str().and_then(|s| s.parse::<i64>().ok()).unwrap_or(0),
        ValueKind::Number if v.is_integer() => i64::try_from(v.clone()).unwrap_or(0),
        _ => 0,
    };
    go_duration_string(secs.saturating_mul(1_000_000_000))
}

/// Helm `durationRound "2h10m"`: `{{ "2h10m" | durationRound }}` → `2h`.
/// The largest unit that fits (`y` = 365 days, `mo` = 30 days, `d`, `h`,
/// `m`, `s`); strings are Go durations, integers nanoseconds, times the
/// time since then; the sign is dropped.
pub fn duration_round(clock: &Clock, v: &Value) -> String {
    let d: i64 = if let Some(t) = v.downcast_object_ref::<GoTime>() {
        clock
            .now()
            .as_nanosecond()
            .saturating_sub(t.ts.as_nanosecond()) as i64
    } else {
        match v.kind() {
            ValueKind::String => v
                .as_str()
                .and_then(|s| parse_go_duration(s).ok())
                .unwrap_or(0),
            ValueKind::Number if v.is_integer() => i64::try_from(v.clone()).unwrap_or(0),
            _ => 0,
        }
    };
    let u = d.unsigned_abs();
    const SEC: u64 = 1_000_000_000;
    for (unit, suffix) in [
        (SEC * 3600 * 24 * 365, "y"),
        (SEC * 3600 * 24 * 30, "mo"),
        (SEC * 3600 * 24, "d"),
        (SEC * 3600, "h"),
        (SEC * 60, "m"),
        (SEC, "s"),
    ] {
        if u > unit {
            return format!("{}{suffix}", u / unit);
        }
    }
    "0s".to_string()
}

/// Helm `ago $t`: `{{ t | ago }}`, the time since `t` rounded to seconds
/// (`t` a time or Unix seconds; anything else is now, `0s`).
pub fn ago(clock: &Clock, v: &Value) -> String {
    let t = time_or_now(clock, v);
    let d = clock.now().as_nanosecond() - t.ts.as_nanosecond();
    // Go's Duration.Round(time.Second): halves away from zero.
    let s = 1_000_000_000i128;
    let r = if d >= 0 {
        (d + s / 2) / s * s
    } else {
        (d - s / 2) / s * s
    };
    go_duration_string(i64::try_from(r).unwrap_or(i64::MAX))
}

fn rest_layout<'a>(func: &str, v: &'a Value) -> Result<&'a str, Error> {
    str_arg(func, "layout", v)
}

/// Installs the date functions. `clock` backs `now` and every "now" of the
/// other functions.
///
/// Globals (Helm's order): now, date, dateInZone, date_in_zone, htmlDate,
/// htmlDateInZone, unixEpoch, dateModify, date_modify, mustDateModify,
/// must_date_modify, ago, toDate, mustToDate, duration, durationRound.
///
/// Filters (the time, string or number piped in): date(layout),
/// dateInZone(layout, zone), htmlDate, htmlDateInZone(zone), unixEpoch,
/// dateModify(modifier), mustDateModify(modifier), ago, toDate(layout),
/// mustToDate(layout), duration, durationRound.
pub(crate) fn register(env: &mut super::inventory::Reg<'_, '_>, clock: Arc<Clock>) {
    let c = clock.clone();
    env.add_function("now", move || Value::from_object(now(&c)));

    let c = clock.clone();
    env.add_function("date", move |layout: &Value, t: &Value| {
        Ok::<_, Error>(date(&c, rest_layout("date", layout)?, t))
    });
    let c = clock.clone();
    env.add_filter("date", move |t: &Value, layout: &Value| {
        Ok::<_, Error>(date(&c, rest_layout("date", layout)?, t))
    });

    for name in ["dateInZone", "date_in_zone"] {
        let c = clock.clone();
        let f = move |layout: &Value, t: &Value, zone: &Value| {
            Ok::<_, Error>(date_in_zone(
                &c,
                rest_layout(name, layout)?,
                t,
                str_arg(name, "zone", zone)?,
            ))
        };
        env.add_function(name, f.clone());
        // The filter takes the time piped in: `t | dateInZone(layout, zone)`.
        env.add_filter(name, move |t: &Value, layout: &Value, zone: &Value| {
            f(layout, t, zone)
        });
    }

    let c = clock.clone();
    let html = move |t: &Value| date(&c, "2006-01-02", t);
    env.add_function("htmlDate", html.clone());
    env.add_filter("htmlDate", html);
    let c = clock.clone();
    let html_zone = move |t: &Value, zone: &Value| {
        Ok::<_, Error>(date_in_zone(
            &c,
            "2006-01-02",
            t,
            str_arg("htmlDateInZone", "zone", zone)?,
        ))
    };
    env.add_function("htmlDateInZone", html_zone.clone());
    env.add_filter("htmlDateInZone", html_zone);

    let epoch = |t: &Value| -> Result<String, Error> {
        Ok(time_arg("unixEpoch", t)?.ts.as_second().to_string())
    };
    env.add_function("unixEpoch", epoch);
    env.add_filter("unixEpoch", epoch);

    for name in ["dateModify", "date_modify"] {
        env.add_function(name, move |m: &Value, t: &Value| {
            let t = time_arg(name, t)?;
            Ok::<_, Error>(Value::from_object(date_modify(
                str_arg(name, "modifier", m)?,
                &t,
            )))
        });
        env.add_filter(name, move |t: &Value, m: &Value| {
            let t = time_arg(name, t)?;
            Ok::<_, Error>(Value::from_object(date_modify(
                str_arg(name, "modifier", m)?,
                &t,
            )))
        });
    }
    for name in ["mustDateModify", "must_date_modify"] {
        let must = move |m: &Value, t: &Value| -> Result<Value, Error> {
            let t = time_arg(name, t)?;
            let d = parse_go_duration(str_arg(name, "modifier", m)?)
                .map_err(|e| fail(format!("{name}: {e}")))?;
            t.add(SignedDuration::from_nanos(d))
                .map(Value::from_object)
                .ok_or_else(|| fail(format!("{name}: time out of range")))
        };
        env.add_function(name, must);
        env.add_filter(name, move |t: &Value, m: &Value| must(m, t));
    }

    let c = clock.clone();
    let ago_f = move |t: &Value| ago(&c, t);
    env.add_function("ago", ago_f.clone());
    env.add_filter("ago", ago_f);

    let c = clock.clone();
    let to = move |layout: &Value, s: &Value| -> Result<Value, Error> {
        Ok(Value::from_object(to_date(
            &c,
            rest_layout("toDate", layout)?,
            str_arg("toDate", "date", s)?,
        )))
    };
    env.add_function("toDate", to.clone());
    env.add_filter("toDate", move |s: &Value, layout: &Value| to(layout, s));
    let c = clock.clone();
    let must_to = move |layout: &Value, s: &Value| -> Result<Value, Error> {
        parse(
            &c,
            rest_layout("mustToDate", layout)?,
            str_arg("mustToDate", "date", s)?,
        )
        .map(Value::from_object)
        .map_err(|e| fail(format!("mustToDate: {e}")))
    };
    env.add_function("mustToDate", must_to.clone());
    env.add_filter("mustToDate", move |s: &Value, layout: &Value| {
        must_to(layout, s)
    });

    env.add_function("duration", |v: &Value| duration(v));
    env.add_filter("duration", |v: &Value| duration(v));
    let c = clock.clone();
    let dr = move |v: &Value| duration_round(&c, v);
    env.add_function("durationRound", dr.clone());
    env.add_filter("durationRound", dr);
}

#[cfg(test)]
mod tests;
