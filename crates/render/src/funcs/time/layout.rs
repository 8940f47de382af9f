//! Go reference layouts (`"2006-01-02T15:04:05Z07:00"`): formatting a
//! time with one (`Time.Format`) and parsing with one (`time.Parse`), as
//! Go's `time` package does.

use super::*;

pub(super) const MONTHS: [&str; 12] = [
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
pub(super) const DAYS: [&str; 7] = [
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
pub(super) enum Std {
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

pub(super) fn starts_lower(s: &[u8]) -> bool {
    s.first().is_some_and(u8::is_ascii_lowercase)
}

/// Go's `nextStdChunk`: the literal prefix, the element and the rest.
pub(super) fn next_chunk(layout: &[u8]) -> (&[u8], Option<(Std, &[u8])>) {
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

pub(super) fn pad(out: &mut String, n: i64, width: usize) {
    if n < 0 {
        out.push('-');
    }
    out.push_str(&format!("{:0width$}", n.unsigned_abs()));
}

pub(super) fn format_fields(f: &Fields, layout: &str) -> String {
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
pub(super) fn parse(clock: &Clock, layout: &str, value: &str) -> Result<GoTime, String> {
    let err = |velem: &str, lelem: &str, extra: &str| {
        format!(
            "parsing time {} as {}: cannot parse {} as {}{extra}",
            crate::funcs::gofmt::go_quote(value),
            crate::funcs::gofmt::go_quote(layout),
            crate::funcs::gofmt::go_quote(velem),
            crate::funcs::gofmt::go_quote(lelem),
        )
    };
    let range_err = |what: &str| {
        format!(
            "parsing time {}: {what} out of range",
            crate::funcs::gofmt::go_quote(value)
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
                    crate::funcs::gofmt::go_quote(value),
                    crate::funcs::gofmt::go_quote(v)
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
    .map_err(|e| format!("parsing time {}: {e}", crate::funcs::gofmt::go_quote(value)))?;
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
        .map_err(|e| format!("parsing time {}: {e}", crate::funcs::gofmt::go_quote(value)))?;
    Ok(GoTime::in_zone(zoned.timestamp(), clock.local().clone()))
}

pub(super) fn frac_nanos(digits: &str) -> i64 {
    let mut s: String = digits.chars().take(9).collect();
    while s.len() < 9 {
        s.push('0');
    }
    s.parse().unwrap_or(0)
}
