//! JUnit XML as helm-unittest's `--output-type JUnit` writes it
//! (`formatter/junit_report_xml.go`): one `<testsuite>` per suite, one
//! `<testcase>` per test, `<failure>` with the failing asserts' text,
//! `<error>` for a test whose render failed, `<skipped>`.

use crate::SuiteResult;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

fn secs(d: std::time::Duration) -> String {
    format!("{:.3}", d.as_secs_f64())
}

/// helm-unittest `TestJobResult.StringifyToXmlAttribute`-like text: each
/// failed assert's title and lines.
fn failure_text(t: &crate::TestResult) -> String {
    let mut out = String::new();
    for a in t.asserts.iter().filter(|a| !a.passed) {
        let not = if a.not { " NOT" } else { "" };
        out.push_str(&format!(
            "\t\t - asserts[{}]{not} `{}` fail \n",
            a.index, a.kind
        ));
        for line in &a.fail_info {
            out.push_str(&format!("\t\t\t {line} \n"));
        }
    }
    out
}

/// The report for `suites`; `timestamp` is RFC 3339 (`2024-01-02T03:04:05`)
/// and `hostname` the machine's name, as JUnit readers expect.
pub fn to_xml(suites: &[&SuiteResult], timestamp: &str, hostname: &str) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let mut ok = w
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .is_ok();
    ok &= w
        .write_event(Event::Start(BytesStart::new("testsuites")))
        .is_ok();
    for (id, s) in suites.iter().enumerate() {
        let failures = s
            .tests
            .iter()
            .filter(|t| !t.skipped && !t.passed && t.error.is_none())
            .count();
        let errors = s
            .tests
            .iter()
            .filter(|t| !t.skipped && !t.passed && t.error.is_some())
            .count();
        let total: std::time::Duration = s.tests.iter().map(|t| t.duration).sum();
        let mut el = BytesStart::new("testsuite");
        let (id, tests, failures, errors) = (
            id.to_string(),
            s.tests.len().to_string(),
            failures.to_string(),
            errors.to_string(),
        );
        let time = secs(total);
        el.extend_attributes([
            ("name", s.name.as_str()),
            ("tests", &tests),
            ("failures", &failures),
            ("errors", &errors),
            ("id", &id),
            ("package", ""),
            ("time", &time),
            ("timestamp", timestamp),
            ("hostname", hostname),
        ]);
        ok &= w.write_event(Event::Start(el)).is_ok();
        ok &= w
            .write_event(Event::Start(BytesStart::new("properties")))
            .is_ok();
        let mut p = BytesStart::new("property");
        p.extend_attributes([
            ("name", "rudder.version"),
            ("value", env!("CARGO_PKG_VERSION")),
        ]);
        ok &= w.write_event(Event::Empty(p)).is_ok();
        ok &= w
            .write_event(Event::End(BytesEnd::new("properties")))
            .is_ok();
        for t in &s.tests {
            let mut tc = BytesStart::new("testcase");
            let time = secs(t.duration);
            tc.extend_attributes([
                ("name", t.name.as_str()),
                ("classname", s.name.as_str()),
                ("time", &time),
            ]);
            let child = if t.skipped {
                Some(("skipped", String::new(), String::new()))
            } else if !t.passed {
                match &t.error {
                    Some(e) => Some(("error", "Error".to_owned(), e.clone())),
                    None => Some(("failure", "Failed".to_owned(), failure_text(t))),
                }
            } else {
                None
            };
            match child {
                None => ok &= w.write_event(Event::Empty(tc)).is_ok(),
                Some((tag, message, body)) => {
                    ok &= w.write_event(Event::Start(tc)).is_ok();
                    let mut c = BytesStart::new(tag);
                    c.push_attribute(("message", message.as_str()));
                    if tag == "skipped" {
                        ok &= w.write_event(Event::Empty(c)).is_ok();
                    } else {
                        c.push_attribute(("type", ""));
                        ok &= w.write_event(Event::Start(c)).is_ok();
                        ok &= w.write_event(Event::Text(BytesText::new(&body))).is_ok();
                        ok &= w.write_event(Event::End(BytesEnd::new(tag))).is_ok();
                    }
                    ok &= w.write_event(Event::End(BytesEnd::new("testcase"))).is_ok();
                }
            }
        }
        ok &= w
            .write_event(Event::End(BytesEnd::new("testsuite")))
            .is_ok();
    }
    ok &= w
        .write_event(Event::End(BytesEnd::new("testsuites")))
        .is_ok();
    debug_assert!(ok, "writing to a Vec cannot fail");
    let mut out = String::from_utf8_lossy(&w.into_inner()).into_owned();
    out.push('\n');
    out
}
