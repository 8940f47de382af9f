//! `rudder`: render Helm charts without Helm.
//!
//! `main` stays thin: parse arguments, run the command, turn the outcome
//! into an exit code (0 ok, 1 chart/values/render/kubectl error, 2 usage;
//! kubectl's own status when it fails). A closed stdout (`rudder … | head`)
//! is success, as in ripgrep. stdout carries only manifests (or the output
//! asked for); diagnostics go to stderr, coloured on a terminal.

mod apply_cmd;
mod args;
mod args_help;
mod charts_cmd;
mod convert_cmd;
mod crash;
mod hook_exec;
mod hooks;
mod kube;
mod lint_cmd;
mod memory;
mod overflow;
mod post_render;
mod progress;
mod release;
mod template_cmd;
mod test_cmd;
mod unittest_cmd;
mod values_cmd;

use std::io::Write;
use std::process::ExitCode;

// glibc's allocator spends a fifth of a large values load in free-list
// upkeep; mimalloc halves allocation-heavy phases (parse, coalesce). The
// budget around it enforces `--max-memory`.
#[global_allocator]
static GLOBAL: memory::Budget = memory::Budget::new();

fn main() -> ExitCode {
    overflow::install();
    crash::install();
    let cmd = match args::parse() {
        Ok((cmd, max_memory)) => {
            GLOBAL.set_limit(max_memory);
            cmd
        }
        Err(e) => {
            // clap prints help/version to stdout and usage errors to stderr.
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        run(cmd, &mut stdout, &mut stderr)
    }));
    let Ok(result) = outcome else {
        let _ = writeln!(stderr, "{}", crash::report());
        return ExitCode::from(1);
    };
    match result.and_then(|()| stdout.flush().map_err(Failure::from)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Failure::Exit(code)) => ExitCode::from(code),
        Err(f) => {
            let mut report = f.report(colour());
            // A library caught a panic and reported it as an error: name it.
            if let Some(cause) = crash::take() {
                report.push_str(&format!(" (internal error: {cause})"));
            }
            let _ = writeln!(stderr, "{report}");
            ExitCode::from(1)
        }
    }
}

fn run(cmd: args::Command, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Failure> {
    use args::Command as C;
    match cmd {
        C::Template {
            release,
            output_dir,
        } => template_cmd::run(&release, output_dir.as_deref(), out, err),
        C::Values { release, output } => values_cmd::run(&release, output, out, err),
        C::Lint(release) => lint_cmd::run(&release, err),
        C::Apply {
            release,
            kubectl,
            opts,
        } => apply_cmd::run(&release, &kubectl, &opts, out, err),
        C::Test {
            release,
            kubectl,
            opts,
        } => test_cmd::run(&release, &kubectl, &opts, out, err),
        C::Version => Ok(out.write_all(args::version_text().as_bytes())?),
        C::Charts => charts_cmd::list(out),
        C::Pull { chart, dir } => charts_cmd::pull(&chart, &dir, err),
        C::Convert { chart, out: dir } => convert_cmd::run(&chart, &dir, err),
        C::Completions(shell) => charts_cmd::completions(shell, out),
        C::Unittest(a) => unittest_cmd::run(&a, out),
    }
}

/// Whether rudder's own messages on stderr are coloured: on a terminal,
/// unless `NO_COLOR` (or `CLICOLOR=0`) says otherwise — anstream's rules.
fn colour() -> bool {
    anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never
}

/// Prints `warning: …` to stderr (yellow where [`colour`] allows).
pub(crate) fn warn(err: &mut dyn Write, message: &str) -> std::io::Result<()> {
    if colour() {
        let style = anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Yellow.into()));
        writeln!(err, "{style}warning:{style:#} {message}")
    } else {
        writeln!(err, "warning: {message}")
    }
}

/// Prints each of Helm's coalescing warnings.
pub(crate) fn warn_all(err: &mut dyn Write, warnings: &[String]) -> std::io::Result<()> {
    warnings.iter().try_for_each(|w| warn(err, w))
}

/// Why a command failed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Writing output failed.
    Io(std::io::Error),
    /// Values could not be read or merged.
    Values(rudder_values::Error),
    /// The chart could not be loaded, validated or rendered.
    Render(rudder_render::Error),
    /// A chart reference could not be resolved, or a Konvoy block read.
    Charts(rudder_charts::Error),
    /// A command's own check failed: what (a path, a command) and why.
    Command { at: String, message: String },
    /// `rudder lint` found problems.
    Lint(Vec<String>),
    /// kubectl could not be run.
    Kubectl(String),
    /// kubectl ran and failed: exit with its status (it printed why).
    Exit(u8),
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
impl From<rudder_charts::Error> for Failure {
    fn from(e: rudder_charts::Error) -> Self {
        match e {
            rudder_charts::Error::Render(e) => Failure::Render(e),
            rudder_charts::Error::Values(e) => Failure::Values(e),
            e => Failure::Charts(e),
        }
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
            Failure::Charts(e) => out.push(e.to_string()),
            Failure::Command { at, message } => out.push(format!("{at}: {message}")),
            Failure::Lint(problems) => out.extend(problems.iter().cloned()),
            Failure::Kubectl(m) => out.push(m.clone()),
            Failure::Exit(code) => out.push(format!("kubectl exited with status {code}")),
        }
        out
    }

    /// `Error: …` as Helm prints it; several problems listed, indented.
    fn report(&self, colour: bool) -> String {
        let style = anstyle::Style::new()
            .bold()
            .fg_color(Some(anstyle::AnsiColor::Red.into()));
        let head = if colour {
            format!("{style}Error:{style:#}")
        } else {
            "Error:".to_owned()
        };
        let messages = self.messages();
        let indent = |m: &str| m.lines().collect::<Vec<_>>().join("\n  ");
        match messages.as_slice() {
            [one] => format!("{head} {one}"),
            many => {
                let mut out = format!("{head} {} problems:", many.len());
                for m in many {
                    out.push_str("\n  ");
                    out.push_str(&indent(m));
                }
                out
            }
        }
    }
}
