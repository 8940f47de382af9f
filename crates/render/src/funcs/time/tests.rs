//! Date function tests: each case is what `helm template` (v4.1.4, with
//! `Local` = UTC) printed for the Go-template equivalent.

use super::*;
use crate::funcs::Rng;
use minijinja::{Environment, context};
use std::time::{Duration, UNIX_EPOCH};

/// The pinned "now": 2026-11-21T23:53:14.5Z.
const NOW_MS: u64 = 1_795_305_194_500;

fn env() -> Environment<'static> {
    let now = UNIX_EPOCH + Duration::from_millis(NOW_MS);
    crate::funcs::testing::env(
        Rng::new(Some(1)),
        Clock::with_zone(Some(now), TimeZone::UTC),
    )
}

/// `$t` of the Helm probes: `toDate "2006-01-02 15:04:05.999999999 -0700"
/// "2024-03-05 07:08:09.012345678 +0530"`.
const T: &str = r#"{% set t = "2024-03-05 07:08:09.012345678 +0530" | toDate("2006-01-02 15:04:05.999999999 -0700") %}"#;

fn check(cases: &[(&str, &str)]) {
    let env = env();
    crate::funcs::testing::check_table(cases, |tpl| {
        env.render_str(&format!("{T}{tpl}"), context! {})
    });
}

#[test]
fn date_layouts() {
    check(&[
        (r#"{{ t | date("2006-01-02") }}"#, "2024-03-05"),
        (r#"{{ t | date("15:04:05") }}"#, "01:38:09"),
        (r#"{{ t | date("Jan 2 2006") }}"#, "Mar 5 2024"),
        (
            r#"{{ t | date("2006-01-02T15:04:05Z07:00") }}"#,
            "2024-03-05T01:38:09Z",
        ),
        (
            r#"{{ t | date("Mon Jan _2 15:04:05 MST 2006") }}"#,
            "Tue Mar  5 01:38:09 UTC 2024",
        ),
        (
            r#"{{ t | date("Monday January 02 3:4:5 PM pm") }}"#,
            "Tuesday March 05 1:38:9 AM am",
        ),
        (r#"{{ t | date("06 1 2 03 04 05") }}"#, "24 3 5 01 38 09"),
        (
            r#"{{ t | date(".000 .999 ,000000 .999999999 .0") }}"#,
            ".012 .012 ,012345 .012345678 .0",
        ),
        (
            r#"{{ t | date("Z0700 Z07:00 -07 -0700 -07:00:00 Z070000 MST") }}"#,
            "Z Z +00 +0000 +00:00:00 Z UTC",
        ),
        (r#"{{ t | date("__2 002 Jan-Mon") }}"#, " 65 065 Mar-Tue"),
        (
            r#"{{ t | date("2006-01-02T15:04:05.999999999Z07:00") }}"#,
            "2024-03-05T01:38:09.012345678Z",
        ),
        (r#"{{ t | date("hello 2006") }}"#, "hello 2024"),
        (r#"{{ date("2006-01-02", t) }}"#, "2024-03-05"),
        (
            r#"{{ 86400 | date("2006-01-02 15:04:05 MST") }}"#,
            "1970-01-02 00:00:00 UTC",
        ),
        (r#"{{ 1e10 | date("2006") }}"#, "2026"),
        (r#"{{ 10000000000 | date("2006") }}"#, "2286"),
        (r#"{{ "x" | date("2006") }}"#, "2026"),
        (
            r#"{{ now() | date("2006-01-02 15:04:05.000") }}"#,
            "2026-11-21 23:53:14.500",
        ),
    ]);
}

#[test]
fn zones() {
    check(&[
        (
            r#"{{ t | dateInZone("2006-01-02T15:04:05Z07:00 MST", "UTC") }}"#,
            "2024-03-05T01:38:09Z UTC",
        ),
        (
            r#"{{ dateInZone("2006-01-02T15:04:05Z07:00 MST", t, "America/New_York") }}"#,
            "2024-03-04T20:38:09-05:00 EST",
        ),
        (
            r#"{{ t | dateInZone("2006-01-02T15:04:05Z07:00 MST", "Nowhere/X") }}"#,
            "2024-03-05T01:38:09Z UTC",
        ),
        (
            r#"{{ t | htmlDate }} {{ t | htmlDateInZone("Asia/Tokyo") }}"#,
            "2024-03-05 2024-03-05",
        ),
        (
            r#"{{ t | date_in_zone("15:04 MST", "Asia/Tokyo") }}"#,
            "10:38 JST",
        ),
    ]);
}

#[test]
fn printing_and_parsing() {
    check(&[
        (r#"{{ t }}"#, "2024-03-05 07:08:09.012345678 +0530 +0530"),
        (r#"{{ now() }}"#, "2026-11-21 23:53:14.5 +0000 UTC"),
        (
            r#"{{ "2024-03-05" | toDate("2006-01-02") }}"#,
            "2024-03-05 00:00:00 +0000 UTC",
        ),
        (
            r#"{{ toDate("2006-01-02", "xx") }}"#,
            "0001-01-01 00:00:00 +0000 UTC",
        ),
        (
            r#"{{ toDate("2006-01-02", "2024-02-30") }}"#,
            "0001-01-01 00:00:00 +0000 UTC",
        ),
        (
            r#"{{ toDate("Jan 2 2006 15:04 MST", "Mar 5 2024 13:04 EST") }}"#,
            "2024-03-05 13:04:00 +0000 EST",
        ),
        (
            r#"{{ toDate("2006-01-02T15:04:05Z07:00", "2024-03-05T13:04:05+02:00") }}"#,
            "2024-03-05 13:04:05 +0200 +0200",
        ),
        (
            r#"{{ toDate("2006-01-02T15:04:05Z07:00", "2024-03-05T13:04:05Z") }}"#,
            "2024-03-05 13:04:05 +0000 UTC",
        ),
        (
            r#"{{ toDate("02/01/06 3PM", "05/03/24 1PM") }}"#,
            "2024-03-05 13:00:00 +0000 UTC",
        ),
        (
            r#"{{ toDate("Monday, 2 January 2006", "Tuesday, 5 March 2024") }}"#,
            "2024-03-05 00:00:00 +0000 UTC",
        ),
        (
            r#"{{ toDate("2006-01-02 15:04:05", "2024-03-05 01:02:03.25") }}"#,
            "2024-03-05 01:02:03.25 +0000 UTC",
        ),
        (
            r#"{{ t | unixEpoch }} {{ unixEpoch(t) }}"#,
            "1709602689 1709602689",
        ),
        (
            r#"{{ t.Year }} {{ t.Month }} {{ t.Day }} {{ t.Weekday }} {{ t.Unix }}"#,
            "2024 March 5 Tuesday 1709602689",
        ),
    ]);
}

#[test]
fn modify_and_durations() {
    check(&[
        (
            r#"{{ t | dateModify("-1.5h") | date("2006-01-02 15:04:05") }}"#,
            "2024-03-05 00:08:09",
        ),
        (
            r#"{{ dateModify("xx", t) | date("2006-01-02 15:04:05") }}"#,
            "2024-03-05 01:38:09",
        ),
        (
            r#"{{ t | dateModify("1h2m3.5s") }} {{ t | dateModify("-300ms") }} {{ t | dateModify("2us") }}"#,
            "2024-03-05 08:10:12.512345678 +0530 +0530 2024-03-05 07:08:08.712345678 +0530 +0530 2024-03-05 07:08:09.012347678 +0530 +0530",
        ),
        (
            r#"{{ t | mustDateModify("1h") | unixEpoch }}"#,
            "1709606289",
        ),
        (
            r#"{{ 95 | duration }} {{ duration(-3725) }} {{ "86400" | duration }} {{ "1.5" | duration }} {{ 0 | duration }} {{ 1.5 | duration }}"#,
            "1m35s -1h2m5s 24h0m0s 0s 0s 0s",
        ),
        (
            r#"{{ "800h" | durationRound }} {{ durationRound(5000000000) }} {{ 2.5 | durationRound }} {{ "1s" | durationRound }} {{ "61s" | durationRound }} {{ "1m" | durationRound }}"#,
            "1mo 5s 0s 0s 1m 60s",
        ),
        (
            r#"{{ "2h10m" | durationRound }} {{ "-3s" | durationRound }} {{ "400h" | durationRound }} {{ "9000h" | durationRound }}"#,
            "2h 3s 16d 1y",
        ),
        (r#"{{ t | ago }}"#, "23806h15m5s"),
        (r#"{{ 0 | ago }}"#, "498695h53m15s"),
        (r#"{{ now() | ago }}"#, "0s"),
        (r#"{{ t | durationRound }}"#, "2y"),
    ]);
}

#[test]
fn errors() {
    let env = env();
    for (tpl, want) in [
        (
            r#"{{ mustToDate("2006-01-02", "xx") }}"#,
            r#"mustToDate: parsing time "xx" as "2006-01-02": cannot parse "xx" as "2006""#,
        ),
        (
            r#"{{ now() | mustDateModify("xx") }}"#,
            r#"mustDateModify: time: invalid duration "xx""#,
        ),
        (
            r#"{{ "2024" | dateModify("1h") }}"#,
            "dateModify: expected a time",
        ),
        (r#"{{ "2024" | unixEpoch }}"#, "unixEpoch: expected a time"),
        (r#"{{ now() | date(1) }}"#, "date: expected a string layout"),
    ] {
        match env.render_str(tpl, context! {}) {
            Ok(s) => panic!("{tpl}: expected an error, got {s:?}"),
            Err(e) => {
                let e = format!("{e:#}");
                assert!(e.contains(want), "{tpl}: {e}");
            }
        }
    }
}

#[test]
fn go_durations() {
    for (ns, want) in [
        (0, "0s"),
        (1, "1ns"),
        (1_500, "1.5µs"),
        (2_000_000, "2ms"),
        (1_500_000_000, "1.5s"),
        (3_600_000_000_000, "1h0m0s"),
        (-61_000_000_000, "-1m1s"),
        (i64::MIN, "-2562047h47m16.854775808s"),
    ] {
        assert_eq!(go_duration_string(ns), want);
    }
    for (s, want) in [
        ("1h2m3.5s", Ok(3_723_500_000_000)),
        ("-1.5h", Ok(-5_400_000_000_000)),
        ("0", Ok(0)),
        ("+2ms", Ok(2_000_000)),
        ("1µs", Ok(1_000)),
        (".5s", Ok(500_000_000)),
        ("", Err(())),
        ("1", Err(())),
        ("1d", Err(())),
        ("9999999999h", Err(())),
    ] {
        assert_eq!(parse_go_duration(s).map_err(|_| ()), want, "{s}");
    }
}
