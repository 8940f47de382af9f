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
use minijinja::value::{Object, ObjectRepr, Value, ValueKind};
use minijinja::{Environment, Error};
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

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

// ---------------------------------------------------------------------------
// Go layouts

/// A layout element (Go's `std*` constants).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Std {
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekDay,
    WeekDay,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    LongYear,
    Year,
    PM,
    Pm,
    Tz,
    /// Numeric zones: (ISO `Z` form, colons, minutes shown, seconds shown).
    NumTz {
        iso: bool,
        colon: bool,
        minutes: bool,
        seconds: bool,
    },
    /// Fractional seconds: (separator, digits, trim trailing zeros).
    Frac(u8, usize, bool),
}

fn starts_lower(s: &[u8]) -> bool {
    s.first().is_some_and(u8::is_ascii_lowercase)
}

/// Go's `nextStdChunk`: the literal prefix, the element and the rest.
fn next_chunk(layout: &[u8]) -> (&[u8], Option<(Std, &[u8])>) {
    let at = |i: usize, s: &str| layout.get(i..i + s.len()) == Some(s.as_bytes());
    for i in 0..layout.len() {
        let rest = |n: usize| layout.get(i + n..).unwrap_or_default();
        let pre = layout.get(..i).unwrap_or_default();
        let hit = |std: Std, n: usize| (pre, Some((std, rest(n))));
        match layout[i] {
            b'J' if at(i, "Jan") => {
                if at(i, "January") {
                    return hit(Std::LongMonth, 7);
                }
                if !starts_lower(rest(3)) {
                    return hit(Std::Month, 3);
                }
            }
            b'M' => {
                if at(i, "Mon") {
                    if at(i, "Monday") {
                        return hit(Std::LongWeekDay, 6);
                    }
                    if !starts_lower(rest(3)) {
                        return hit(Std::WeekDay, 3);
                    }
                }
                if at(i, "MST") {
                    return hit(Std::Tz, 3);
                }
            }
            b'0' => {
                if let Some(c @ b'1'..=b'6') = layout.get(i + 1) {
                    let std = [
                        Std::ZeroMonth,
                        Std::ZeroDay,
                        Std::ZeroHour12,
                        Std::ZeroMinute,
                        Std::ZeroSecond,
                        Std::Year,
                    ][usize::from(c - b'1')];
                    return hit(std, 2);
                }
                if at(i, "002") {
                    return hit(Std::ZeroYearDay, 3);
                }
            }
            b'1' => {
                if at(i, "15") {
                    return hit(Std::Hour, 2);
                }
                return hit(Std::NumMonth, 1);
            }
            b'2' => {
                if at(i, "2006") {
                    return hit(Std::LongYear, 4);
                }
                return hit(Std::Day, 1);
            }
            b'_' => {
                if at(i, "_2") {
                    if at(i, "_2006") {
                        // A literal "_" followed by the year.
                        let pre = layout.get(..=i).unwrap_or_default();
                        return (pre, Some((Std::LongYear, rest(5))));
                    }
                    return hit(Std::UnderDay, 2);
                }
                if at(i, "__2") {
                    return hit(Std::UnderYearDay, 3);
                }
            }
            b'3' => return hit(Std::Hour12, 1),
            b'4' => return hit(Std::Minute, 1),
            b'5' => return hit(Std::Second, 1),
            b'P' if at(i, "PM") => return hit(Std::PM, 2),
            b'p' if at(i, "pm") => return hit(Std::Pm, 2),
            b'-' | b'Z' => {
                let iso = layout[i] == b'Z';
                for (s, colon, minutes, seconds) in [
                    ("070000", false, true, true),
                    ("07:00:00", true, true, true),
                    ("0700", false, true, false),
                    ("07:00", true, true, false),
                    ("07", false, false, false),
                ] {
                    if layout.get(i + 1..i + 1 + s.len()) == Some(s.as_bytes()) {
                        let std = Std::NumTz {
                            iso,
                            colon,
                            minutes,
                            seconds,
                        };
                        return hit(std, 1 + s.len());
                    }
                }
            }
            c @ (b'.' | b',') => {
                if let Some(&d @ (b'0' | b'9')) = layout.get(i + 1) {
                    let mut j = i + 1;
                    while layout.get(j) == Some(&d) {
                        j += 1;
                    }
                    if !layout.get(j).is_some_and(u8::is_ascii_digit) {
                        return hit(Std::Frac(c, j - i - 1, d == b'9'), j - i);
                    }
                }
            }
            _ => {}
        }
    }
    (layout, None)
}

fn pad(out: &mut String, n: i64, width: usize) {
    if n < 0 {
        out.push('-');
    }
    out.push_str(&format!("{:0width$}", n.unsigned_abs()));
}

fn format_fields(f: &Fields, layout: &str) -> String {
    let dt = f.dt;
    let mut out = String::with_capacity(layout.len() + 10);
    let mut rest = layout.as_bytes();
    loop {
        let (pre, chunk) = next_chunk(rest);
        out.push_str(&String::from_utf8_lossy(pre));
        let Some((std, tail)) = chunk else { break };
        rest = tail;
        let year = i64::from(dt.year());
        let hour = i64::from(dt.hour());
        let month = usize::try_from(dt.month()).unwrap_or(1).clamp(1, 12) - 1;
        let wd = dt.weekday().to_sunday_zero_offset() as usize % 7;
        match std {
            Std::Year => pad(&mut out, year.rem_euclid(100), 2),
            Std::LongYear => pad(&mut out, year, 4),
            Std::Month => out.push_str(&MONTHS[month][..3]),
            Std::LongMonth => out.push_str(MONTHS[month]),
            Std::NumMonth => pad(&mut out, month as i64 + 1, 0),
            Std::ZeroMonth => pad(&mut out, month as i64 + 1, 2),
            Std::WeekDay => out.push_str(&DAYS[wd][..3]),
            Std::LongWeekDay => out.push_str(DAYS[wd]),
            Std::Day => pad(&mut out, i64::from(dt.day()), 0),
            Std::UnderDay => {
                if dt.day() < 10 {
                    out.push(' ');
                }
                pad(&mut out, i64::from(dt.day()), 0);
            }
            Std::ZeroDay => pad(&mut out, i64::from(dt.day()), 2),
            Std::UnderYearDay => out.push_str(&format!("{:>3}", dt.day_of_year())),
            Std::ZeroYearDay => pad(&mut out, i64::from(dt.day_of_year()), 3),
            Std::Hour => pad(&mut out, hour, 2),
            Std::Hour12 | Std::ZeroHour12 => {
                let h = if hour % 12 == 0 { 12 } else { hour % 12 };
                pad(&mut out, h, if std == Std::Hour12 { 0 } else { 2 });
            }
            Std::Minute => pad(&mut out, i64::from(dt.minute()), 0),
            Std::ZeroMinute => pad(&mut out, i64::from(dt.minute()), 2),
            Std::Second => pad(&mut out, i64::from(dt.second()), 0),
            Std::ZeroSecond => pad(&mut out, i64::from(dt.second()), 2),
            Std::PM => out.push_str(if hour >= 12 { "PM" } else { "AM" }),
            Std::Pm => out.push_str(if hour >= 12 { "pm" } else { "am" }),
            Std::NumTz {
                iso,
                colon,
                minutes,
                seconds,
            } => {
                if iso && f.offset == 0 {
                    out.push('Z');
                    continue;
                }
                let mut zone = f.offset / 60;
                let mut abs = f.offset;
                if zone < 0 {
                    out.push('-');
                    zone = -zone;
                    abs = -abs;
                } else {
                    out.push('+');
                }
                pad(&mut out, i64::from(zone / 60), 2);
                if colon {
                    out.push(':');
                }
                if minutes {
                    pad(&mut out, i64::from(zone % 60), 2);
                }
                if seconds {
                    if colon {
                        out.push(':');
                    }
                    pad(&mut out, i64::from(abs % 60), 2);
                }
            }
            Std::Tz => {
                if !f.abbrev.is_empty() {
                    out.push_str(&f.abbrev);
                } else {
                    let mut zone = f.offset / 60;
                    if zone < 0 {
                        out.push('-');
                        zone = -zone;
                    } else {
                        out.push('+');
                    }
                    pad(&mut out, i64::from(zone / 60), 2);
                    pad(&mut out, i64::from(zone % 60), 2);
                }
            }
            Std::Frac(sep, digits, trim) => {
                let nanos = dt.subsec_nanosecond();
                if trim && (digits == 0 || nanos == 0) {
                    continue;
                }
                let all = format!("{nanos:09}");
                let mut s = all[..digits.min(9)].to_string();
                if trim {
                    s = s.trim_end_matches('0').to_string();
                    if s.is_empty() {
                        continue;
                    }
                }
                out.push(char::from(sep));
                out.push_str(&s);
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Parsing (Go's time.Parse)

/// Go's `time.ParseInLocation(layout, value, Local)`, with Go's error text.
fn parse(clock: &Clock, layout: &str, value: &str) -> Result<GoTime, String> {
    let err = |velem: &str, lelem: &str, extra: &str| {
        format!(
            "parsing time {} as {}: cannot parse {} as {}{extra}",
            super::gofmt::go_quote(value),
            super::gofmt::go_quote(layout),
            super::gofmt::go_quote(velem),
            super::gofmt::go_quote(lelem),
        )
    };
    let range_err = |what: &str| {
        format!(
            "parsing time {}: {what} out of range",
            super::gofmt::go_quote(value)
        )
    };
    let (mut year, mut month, mut day, mut yday) = (0i64, -1i64, -1i64, -1i64);
    let (mut hour, mut min, mut sec, mut nsec) = (0i64, 0i64, 0i64, 0i64);
    let mut pm_set: Option<bool> = None;
    let mut zone_offset: Option<i32> = None;
    let mut zone_name: Option<String> = None;
    let mut utc = false;

    let mut lrest = layout.as_bytes();
    let mut v = value;
    loop {
        let (pre, chunk) = next_chunk(lrest);
        let pre = String::from_utf8_lossy(pre);
        // Go skips leading spaces in both before comparing literals.
        let pre_t = pre.trim_start_matches(' ');
        if pre_t.len() != pre.len() || v.starts_with(' ') && pre.starts_with(' ') {
            v = v.trim_start_matches(' ');
        }
        let Some(rest) = v.strip_prefix(pre_t) else {
            return Err(err(v, &pre, ""));
        };
        v = rest;
        let Some((std, tail)) = chunk else {
            if !v.is_empty() {
                return Err(format!(
                    "parsing time {}: extra text: {}",
                    super::gofmt::go_quote(value),
                    super::gofmt::go_quote(v)
                ));
            }
            break;
        };
        let lelem_len = lrest.len() - pre.len() - tail.len();
        let lelem = String::from_utf8_lossy(
            lrest
                .get(pre.len()..pre.len() + lelem_len)
                .unwrap_or_default(),
        )
        .into_owned();
        lrest = tail;
        let hold = v;
        let bad = || err(hold, &lelem, "");
        // Numbers: `fixed` digits exactly, or 1..=max digits.
        let num = |v: &mut &str, min_d: usize, max_d: usize| -> Option<i64> {
            let n = v.bytes().take(max_d).take_while(u8::is_ascii_digit).count();
            if n < min_d {
                return None;
            }
            let (d, r) = v.split_at(n);
            *v = r;
            d.parse().ok()
        };
        let name = |v: &mut &str, names: &[&str], short: bool| -> Option<i64> {
            for (i, n) in names.iter().enumerate() {
                let n = if short { &n[..3] } else { n };
                if v.len() >= n.len() && v.get(..n.len()).is_some_and(|p| p.eq_ignore_ascii_case(n))
                {
                    *v = &v[n.len()..];
                    return Some(i as i64);
                }
            }
            None
        };
        match std {
            Std::Year => {
                let y = num(&mut v, 2, 2).ok_or_else(bad)?;
                year = if y >= 69 { y + 1900 } else { y + 2000 };
            }
            Std::LongYear => year = num(&mut v, 4, 4).ok_or_else(bad)?,
            Std::Month => month = name(&mut v, &MONTHS, true).ok_or_else(bad)? + 1,
            Std::LongMonth => month = name(&mut v, &MONTHS, false).ok_or_else(bad)? + 1,
            Std::NumMonth | Std::ZeroMonth => {
                let min_d = if std == Std::ZeroMonth { 2 } else { 1 };
                month = num(&mut v, min_d, 2).ok_or_else(bad)?;
                if !(1..=12).contains(&month) {
                    return Err(range_err("month"));
                }
            }
            Std::WeekDay => {
                name(&mut v, &DAYS, true).ok_or_else(bad)?;
            }
            Std::LongWeekDay => {
                name(&mut v, &DAYS, false).ok_or_else(bad)?;
            }
            Std::Day | Std::UnderDay | Std::ZeroDay => {
                if std == Std::UnderDay && v.starts_with(' ') {
                    v = &v[1..];
                }
                let min_d = if std == Std::ZeroDay { 2 } else { 1 };
                day = num(&mut v, min_d, 2).ok_or_else(bad)?;
            }
            Std::UnderYearDay | Std::ZeroYearDay => {
                if std == Std::UnderYearDay {
                    v = v.trim_start_matches(' ');
                }
                let min_d = if std == Std::ZeroYearDay { 3 } else { 1 };
                yday = num(&mut v, min_d, 3).ok_or_else(bad)?;
            }
            Std::Hour => {
                hour = num(&mut v, 2, 2).ok_or_else(bad)?;
                if hour > 23 {
                    return Err(range_err("hour"));
                }
            }
            Std::Hour12 | Std::ZeroHour12 => {
                let min_d = if std == Std::ZeroHour12 { 2 } else { 1 };
                hour = num(&mut v, min_d, 2).ok_or_else(bad)?;
                if hour > 12 {
                    return Err(range_err("hour"));
                }
            }
            Std::Minute | Std::ZeroMinute => {
                let min_d = if std == Std::ZeroMinute { 2 } else { 1 };
                min = num(&mut v, min_d, 2).ok_or_else(bad)?;
                if min > 59 {
                    return Err(range_err("minute"));
                }
            }
            Std::Second | Std::ZeroSecond => {
                let min_d = if std == Std::ZeroSecond { 2 } else { 1 };
                sec = num(&mut v, min_d, 2).ok_or_else(bad)?;
                if sec > 59 {
                    return Err(range_err("second"));
                }
                // Go accepts fractional seconds the layout does not show.
                let next_is_frac =
                    matches!(next_chunk(lrest), (p, Some((Std::Frac(..), _))) if p.is_empty());
                if !next_is_frac
                    && let [b'.' | b',', d, ..] = v.as_bytes()
                    && d.is_ascii_digit()
                {
                    let digits = v[1..].bytes().take_while(u8::is_ascii_digit).count();
                    nsec = frac_nanos(&v[1..1 + digits]);
                    v = &v[1 + digits..];
                }
            }
            Std::PM | Std::Pm => {
                let p = v.get(..2).map(str::to_ascii_uppercase);
                match p.as_deref() {
                    Some("PM") => pm_set = Some(true),
                    Some("AM") => pm_set = Some(false),
                    _ => return Err(bad()),
                }
                v = &v[2..];
            }
            Std::NumTz {
                iso,
                colon,
                minutes,
                seconds,
            } => {
                if iso && (v.starts_with('Z') || v.starts_with('z')) {
                    v = &v[1..];
                    utc = true;
                    continue;
                }
                let b = v.as_bytes();
                let sign = match b.first() {
                    Some(b'+') => 1,
                    Some(b'-') => -1,
                    _ => return Err(bad()),
                };
                let mut p = &v[1..];
                let h = num(&mut p, 2, 2).ok_or_else(bad)?;
                let mut m = 0;
                let mut s = 0;
                if minutes {
                    if colon {
                        p = p.strip_prefix(':').ok_or_else(bad)?;
                    }
                    m = num(&mut p, 2, 2).ok_or_else(bad)?;
                }
                if seconds {
                    if colon {
                        p = p.strip_prefix(':').ok_or_else(bad)?;
                    }
                    s = num(&mut p, 2, 2).ok_or_else(bad)?;
                }
                v = p;
                zone_offset = Some(sign * i32::try_from(h * 3600 + m * 60 + s).unwrap_or(0));
            }
            Std::Tz => {
                if v.len() >= 3 && v.get(..3) == Some("UTC") {
                    v = &v[3..];
                    utc = true;
                    continue;
                }
                let n = v.bytes().take_while(u8::is_ascii_uppercase).count();
                if !(3..=5).contains(&n) {
                    return Err(bad());
                }
                zone_name = Some(v[..n].to_string());
                v = &v[n..];
            }
            Std::Frac(_, digits, trim) => {
                let b = v.as_bytes();
                if trim {
                    if let [b'.' | b',', d, ..] = b
                        && d.is_ascii_digit()
                    {
                        let n = v[1..].bytes().take_while(u8::is_ascii_digit).count();
                        nsec = frac_nanos(&v[1..1 + n]);
                        v = &v[1 + n..];
                    }
                } else {
                    let ok = b.len() > digits
                        && matches!(b.first(), Some(b'.' | b','))
                        && b[1..=digits].iter().all(u8::is_ascii_digit);
                    if !ok {
                        return Err(bad());
                    }
                    nsec = frac_nanos(&v[1..=digits]);
                    v = &v[1 + digits..];
                }
            }
        }
    }
    match pm_set {
        Some(true) if hour < 12 => hour += 12,
        Some(false) if hour == 12 => hour = 0,
        _ => {}
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    if yday >= 0 {
        let max = if leap { 366 } else { 365 };
        if yday < 1 || yday > max {
            return Err(range_err("day-of-year"));
        }
        let d = jiff::civil::Date::new(i16::try_from(year).unwrap_or(0), 1, 1)
            .ok()
            .and_then(|d| d.checked_add(jiff::Span::new().days(yday - 1)).ok())
            .ok_or_else(|| range_err("day-of-year"))?;
        if month < 0 {
            month = i64::from(d.month());
        }
        if day < 0 {
            day = i64::from(d.day());
        }
    }
    let month = if month < 0 { 1 } else { month };
    let day = if day < 0 { 1 } else { day };
    let dim = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day < 1 || day > dim {
        return Err(range_err("day"));
    }
    let to_i8 = |n: i64| i8::try_from(n).unwrap_or(0);
    let dt = DateTime::new(
        i16::try_from(year).map_err(|_| range_err("year"))?,
        to_i8(month),
        to_i8(day),
        to_i8(hour),
        to_i8(min),
        to_i8(sec),
        i32::try_from(nsec).unwrap_or(0),
    )
    .map_err(|e| format!("parsing time {}: {e}", super::gofmt::go_quote(value)))?;
    let fixed = |offset: i32| -> Result<Timestamp, String> {
        let off = Offset::from_seconds(offset).map_err(|e| e.to_string())?;
        off.to_timestamp(dt).map_err(|e| e.to_string())
    };
    if utc {
        return Ok(GoTime::in_zone(fixed(0)?, TimeZone::UTC));
    }
    if let Some(offset) = zone_offset {
        let ts = fixed(offset)?;
        // Go uses Local when the offset matches Local's at that instant.
        if clock.local().to_offset(ts).seconds() == offset {
            return Ok(GoTime::in_zone(ts, clock.local().clone()));
        }
        return Ok(GoTime {
            ts,
            loc: Location::Fixed(String::new(), offset),
        });
    }
    if let Some(name) = zone_name {
        let ts = fixed(0)?;
        let local = clock.local();
        let info = local.to_offset_info(ts);
        if info.abbreviation() == name {
            let ts = fixed(info.offset().seconds())?;
            return Ok(GoTime::in_zone(ts, local.clone()));
        }
        return Ok(GoTime {
            ts,
            loc: Location::Fixed(name, 0),
        });
    }
    let zoned = dt
        .to_zoned(clock.local().clone())
        .map_err(|e| format!("parsing time {}: {e}", super::gofmt::go_quote(value)))?;
    Ok(GoTime::in_zone(zoned.timestamp(), clock.local().clone()))
}

fn frac_nanos(digits: &str) -> i64 {
    let mut s: String = digits.chars().take(9).collect();
    while s.len() < 9 {
        s.push('0');
    }
    s.parse().unwrap_or(0)
}

// ---------------------------------------------------------------------------
// Durations

/// Go's `time.Duration.String()`: `1h2m3.5s`, `1.5ms`, `0s`.
pub fn go_duration_string(d: i64) -> String {
    if d == 0 {
        return "0s".to_string();
    }
    let neg = d < 0;
    let u = d.unsigned_abs();
    let mut out = String::new();
    if u < 1_000_000_000 {
        // Sub-second: ns, µs or ms with a fraction.
        let (unit, scale) = if u < 1_000 {
            ("ns", 1)
        } else if u < 1_000_000 {
            ("µs", 1_000)
        } else {
            ("ms", 1_000_000)
        };
        out.push_str(&frac_string(u, scale));
        out.push_str(unit);
    } else {
        let secs = u / 1_000_000_000;
        let nanos = u % 1_000_000_000;
        let h = secs / 3600;
        let m = secs / 60 % 60;
        let s = secs % 60;
        if h > 0 {
            out.push_str(&format!("{h}h"));
        }
        if h > 0 || m > 0 {
            out.push_str(&format!("{m}m"));
        }
        out.push_str(&frac_string(s * 1_000_000_000 + nanos, 1_000_000_000));
        out.push('s');
    }
    if neg { format!("-{out}") } else { out }
}

/// `v / scale` with the fraction's trailing zeros dropped.
fn frac_string(v: u64, scale: u64) -> String {
    let int = v / scale;
    let frac = v % scale;
    if frac == 0 {
        return int.to_string();
    }
    let width = scale.ilog10() as usize;
    let f = format!("{frac:0width$}");
    format!("{int}.{}", f.trim_end_matches('0'))
}

/// Go's `time.ParseDuration`, in nanoseconds.
pub fn parse_go_duration(s: &str) -> Result<i64, String> {
    let orig = s;
    let invalid = || format!("time: invalid duration {}", super::gofmt::go_quote(orig));
    let (neg, mut s) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut total: u128 = 0;
    while !s.is_empty() {
        let int_len = s.bytes().take_while(u8::is_ascii_digit).count();
        let int_part = &s[..int_len];
        s = &s[int_len..];
        let mut frac_part = "";
        if let Some(r) = s.strip_prefix('.') {
            let n = r.bytes().take_while(u8::is_ascii_digit).count();
            frac_part = &r[..n];
            s = &r[n..];
        }
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(invalid());
        }
        let unit_len = s
            .char_indices()
            .find(|(_, c)| *c == '.' || c.is_ascii_digit())
            .map_or(s.len(), |(i, _)| i);
        let unit = &s[..unit_len];
        s = &s[unit_len..];
        let scale: u128 = match unit {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            "" => {
                return Err(format!(
                    "time: missing unit in duration {}",
                    super::gofmt::go_quote(orig)
                ));
            }
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    super::gofmt::go_quote(unit),
                    super::gofmt::go_quote(orig)
                ));
            }
        };
        let int: u128 = if int_part.is_empty() {
            0
        } else {
            int_part.parse().map_err(|_| invalid())?
        };
        let mut v = int.checked_mul(scale).ok_or_else(invalid)?;
        if !frac_part.is_empty() {
            let digits: String = frac_part.chars().take(30).collect();
            let f: u128 = digits.parse().unwrap_or(0);
            let div = 10u128.checked_pow(digits.len() as u32).unwrap_or(u128::MAX);
            v = v.checked_add(f * scale / div).ok_or_else(invalid)?;
        }
        total = total.checked_add(v).ok_or_else(invalid)?;
        if total > 1u128 << 63 {
            return Err(invalid());
        }
    }
    if neg {
        i64::try_from(-(total as i128)).map_err(|_| invalid())
    } else {
        i64::try_from(total).map_err(|_| invalid())
    }
}

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
pub(crate) fn register(env: &mut Environment<'_>, clock: Arc<Clock>) {
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
#[path = "time_tests.rs"]
mod tests;
