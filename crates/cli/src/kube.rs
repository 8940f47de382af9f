//! Running kubectl: apply, delete, wait for a hook, read logs. Every call
//! carries `--context`/`--kubeconfig` as given; kubectl's own messages
//! reach the user unchanged.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::Failure;
use crate::args::Kubectl;

/// Where kubectl's standard output goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Out {
    /// rudder's stdout (`rudder apply`: kubectl's `… created` lines are the
    /// command's output).
    Inherit,
    /// rudder's stderr (`rudder test`: stdout carries the test report).
    Stderr,
}

/// One kubectl, as the user configured it.
pub(crate) struct Kube<'a> {
    pub(crate) kubectl: &'a Kubectl,
    pub(crate) out: Out,
}

impl Kube<'_> {
    fn command(&self) -> Command {
        let mut cmd = Command::new(&self.kubectl.program);
        if let Some(c) = &self.kubectl.context {
            cmd.args(["--context", c]);
        }
        if let Some(k) = &self.kubectl.kubeconfig {
            cmd.args(["--kubeconfig", k]);
        }
        cmd
    }

    fn spawn_error(&self, e: &std::io::Error) -> Failure {
        let program = self.kubectl.program.display();
        Failure::Kubectl(if e.kind() == std::io::ErrorKind::NotFound {
            format!(
                "{program} not found: install kubectl, or pass its path with --kubectl (or print the stream with --dry-run)"
            )
        } else {
            format!("cannot run {program}: {e}")
        })
    }

    /// `kubectl ARGS` with `stdin` piped in; a failure exits with
    /// kubectl's status (it printed why).
    pub(crate) fn run(&self, args: &[&str], stdin: &str) -> Result<(), Failure> {
        let mut cmd = self.command();
        cmd.args(args).stdin(Stdio::piped());
        if self.out == Out::Stderr {
            cmd.stdout(Stdio::from(std::io::stderr()));
        }
        let mut child = cmd.spawn().map_err(|e| self.spawn_error(&e))?;
        if let Some(mut pipe) = child.stdin.take() {
            // kubectl may exit early (bad context); its status tells why.
            let _ = pipe.write_all(stdin.as_bytes());
        }
        let status = child
            .wait()
            .map_err(|e| Failure::Kubectl(format!("waiting for kubectl: {e}")))?;
        match status.code() {
            Some(0) => Ok(()),
            Some(code) => Err(Failure::Exit(u8::try_from(code).unwrap_or(1))),
            None => Err(Failure::Kubectl(
                "kubectl was killed by a signal".to_owned(),
            )),
        }
    }

    /// `kubectl ARGS`, its stdout captured: `Err` holds its stderr.
    pub(crate) fn capture(&self, args: &[&str]) -> Result<Result<String, String>, Failure> {
        let out = self
            .command()
            .args(args)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| self.spawn_error(&e))?;
        Ok(if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
        })
    }

    /// Waits until a hook's Job completes or its Pod succeeds, as Helm's
    /// `WatchUntilReady` does (other kinds are ready once created). A
    /// failed Job or Pod, or `timeout` passing, is an error.
    pub(crate) fn wait(&self, obj: &Object<'_>, timeout: Duration) -> Result<(), String> {
        let (kind, jsonpath) = match obj.kind {
            // The types of the conditions that are true: Complete or Failed.
            "Job" => ("job", "{.status.conditions[?(@.status==\"True\")].type}"),
            "Pod" => ("pod", "{.status.phase}"),
            _ => return Ok(()),
        };
        let target = format!("{kind}/{}", obj.name);
        let jsonpath = format!("jsonpath={jsonpath}");
        let start = Instant::now();
        // Quick first looks (short hooks finish in a second), then every 2s.
        let mut pause = Duration::from_millis(100);
        let mut last: String;
        loop {
            let got = self
                .capture(&["get", "-n", obj.namespace, &target, "-o", &jsonpath])
                .map_err(|f| f.messages().join("; "))?;
            match got {
                Ok(status) => {
                    let words: Vec<&str> = status.split_whitespace().collect();
                    if words.iter().any(|w| *w == "Complete" || *w == "Succeeded") {
                        return Ok(());
                    }
                    if words.contains(&"Failed") {
                        return Err(format!("{} {} failed", obj.kind, obj.name));
                    }
                    last = status.trim().to_owned();
                }
                Err(stderr) => last = stderr,
            }
            let elapsed = start.elapsed();
            if elapsed >= timeout {
                let seen = if last.is_empty() {
                    String::new()
                } else {
                    format!(" (last seen: {last})")
                };
                return Err(format!(
                    "timed out after {} waiting for {} {} to {}{seen}; raise --timeout",
                    go_duration(timeout),
                    obj.kind,
                    obj.name,
                    if kind == "job" { "complete" } else { "succeed" },
                ));
            }
            std::thread::sleep(pause.min(timeout - elapsed));
            pause = (pause * 2).min(Duration::from_secs(2));
        }
    }
}

/// What kubectl needs to address one object.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Object<'a> {
    pub(crate) kind: &'a str,
    pub(crate) name: &'a str,
    pub(crate) namespace: &'a str,
}

/// A Go `time.Duration` as `--timeout` takes it (`5m0s`, `90s`, `1h`,
/// `1.5m`, `300ms`): Go's `time.ParseDuration`.
pub(crate) fn parse_go_duration(text: &str) -> Result<Duration, String> {
    let bad = || {
        format!(
            "{text:?} is not a duration; write e.g. 5m0s, 90s or 1h (units h, m, s, ms, us, ns)"
        )
    };
    let s = text.trim().strip_prefix('+').unwrap_or(text.trim());
    if s == "0" {
        return Ok(Duration::ZERO);
    }
    if s.is_empty() || s.starts_with('-') {
        return Err(bad());
    }
    let mut rest = s;
    let mut total = 0f64;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(bad)?;
        let number: f64 = rest[..num_len].parse().map_err(|_| bad())?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let nanos = match &rest[..unit_len] {
            "ns" => 1e0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return Err(bad()),
        };
        total += number * nanos;
        rest = &rest[unit_len..];
    }
    // Truncation, as Go's integer nanoseconds; durations are far below u64.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Ok(Duration::from_nanos(total as u64))
}

/// Go's `Duration.String` for whole seconds and more (`5m0s`, `1h0m0s`,
/// `90s` → `1m30s`); sub-second durations as milliseconds.
pub(crate) fn go_duration(d: Duration) -> String {
    let secs = d.as_secs();
    if secs == 0 {
        return format!("{}ms", d.as_millis());
    }
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}m{s}s"),
        _ => format!("{h}h{m}m{s}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations_parse_as_go_does() {
        let s = Duration::from_secs;
        assert_eq!(parse_go_duration("5m0s"), Ok(s(300)));
        assert_eq!(parse_go_duration("90s"), Ok(s(90)));
        assert_eq!(parse_go_duration("1h30m"), Ok(s(5400)));
        assert_eq!(parse_go_duration("1.5m"), Ok(s(90)));
        assert_eq!(parse_go_duration("300ms"), Ok(Duration::from_millis(300)));
        assert_eq!(parse_go_duration("0"), Ok(Duration::ZERO));
        for bad in ["", "5", "5x", "-1s", "m"] {
            assert!(parse_go_duration(bad).is_err(), "{bad}");
        }
        assert_eq!(go_duration(s(300)), "5m0s");
        assert_eq!(go_duration(s(3600)), "1h0m0s");
        assert_eq!(go_duration(s(7)), "7s");
    }
}
