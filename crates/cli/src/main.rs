//! `rudder`: render Helm charts without Helm.
//!
//! `main` stays thin: parse arguments, run the command, turn the outcome
//! into an exit code (0 ok, 1 chart/values/render error, 2 usage). A closed
//! stdout (`rudder … | head`) is success, as in ripgrep.

mod args;
mod template_cmd;
mod values_cmd;

use std::io::Write;
use std::process::ExitCode;

// glibc's allocator spends a fifth of a large values load in free-list
// upkeep; mimalloc halves allocation-heavy phases (parse, coalesce).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cmd = match args::parse() {
        Ok(cmd) => cmd,
        Err(e) => {
            // clap prints help/version to stdout and usage errors to stderr.
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    let result = match cmd {
        args::Command::Template(opts) => template_cmd::run(&opts, &mut stdout, &mut stderr),
        args::Command::Values(opts) => values_cmd::run(&opts, &mut stdout, &mut stderr),
    };
    match result.and_then(|()| stdout.flush().map_err(Failure::from)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(f) => {
            let _ = writeln!(stderr, "{}", f.report());
            ExitCode::from(1)
        }
    }
}

/// Why a command failed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Writing output failed.
    Io(std::io::Error),
    /// Values could not be read or merged.
    Values(rudder_values::Error),
    /// The chart could not be loaded or its values computed.
    Render(rudder_render::Error),
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Io(e)
    }
}
impl From<rudder_values::Error> for Failure {
    fn from(e: rudder_values::Error) -> Self {
        Failure::Values(e)
    }
}
impl From<rudder_render::Error> for Failure {
    fn from(e: rudder_render::Error) -> Self {
        Failure::Render(e)
    }
}

impl Failure {
    /// The problems, one message each (several when all were collected).
    fn messages(&self) -> Vec<String> {
        fn values(e: &rudder_values::Error, out: &mut Vec<String>) {
            match e {
                rudder_values::Error::Many(all) => all.iter().for_each(|e| values(e, out)),
                e => out.push(e.to_string()),
            }
        }
        fn render(e: &rudder_render::Error, out: &mut Vec<String>) {
            match e {
                rudder_render::Error::Many(all) => all.iter().for_each(|e| render(e, out)),
                rudder_render::Error::Values(v) => values(v, out),
                e => out.push(e.to_string()),
            }
        }
        let mut out = Vec::new();
        match self {
            Failure::Io(e) => out.push(format!("cannot write output: {e}")),
            Failure::Values(e) => values(e, &mut out),
            Failure::Render(e) => render(e, &mut out),
        }
        out
    }

    /// `Error: …` as Helm prints it; several problems listed, indented.
    fn report(&self) -> String {
        let messages = self.messages();
        let indent = |m: &str| m.lines().collect::<Vec<_>>().join("\n  ");
        match messages.as_slice() {
            [one] => format!("Error: {one}"),
            many => {
                let mut out = format!("Error: {} problems:", many.len());
                for m in many {
                    out.push_str("\n  ");
                    out.push_str(&indent(m));
                }
                out
            }
        }
    }
}
