//! `rudder values CHART [flags] [-o yaml|json]`.

use std::io::{Read, Write};

use rudder_render::{Chart, chart_values};
use rudder_values::{ReadFile, Value};

use crate::Failure;
use crate::args::{Format, ValuesCmd};

pub(crate) fn run(
    cmd: &ValuesCmd,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let user = cmd.values.merge(&mut StdinOrFs::default())?;
    let chart = Chart::load(&cmd.chart)?;
    let computed = chart_values(&chart, user.values)?;
    rudder_render::schema::validate(&computed.chart, &computed.values)?;
    for w in user.warnings.iter().chain(&computed.warnings) {
        writeln!(err, "warning: {w}")?;
    }
    let mut values = Value::Map(computed.values);
    match cmd.output {
        Format::Yaml => out.write_all(rudder_values::yaml::to_string(&values).as_bytes())?,
        Format::Json => {
            values.sort_keys();
            let mut buf = std::io::BufWriter::new(&mut *out);
            serde_json::to_writer(&mut buf, &values).map_err(std::io::Error::from)?;
            buf.write_all(b"\n")?;
            buf.flush()?;
        }
    }
    // The process ends right after this: freeing a large tree piece by
    // piece costs more than the OS reclaiming it at once.
    std::mem::forget(values);
    std::mem::forget(chart);
    Ok(())
}

/// Files from disk; `-` is standard input, read once (a second `-` gets
/// what is left: nothing, as in Helm).
#[derive(Default)]
pub(crate) struct StdinOrFs {
    stdin_used: bool,
}

impl ReadFile for StdinOrFs {
    fn read(&mut self, path: &str) -> std::io::Result<Vec<u8>> {
        if path.trim() != "-" {
            return std::fs::read(path);
        }
        let mut buf = Vec::new();
        if !std::mem::replace(&mut self.stdin_used, true) {
            std::io::stdin().lock().read_to_end(&mut buf)?;
        }
        Ok(buf)
    }
}
