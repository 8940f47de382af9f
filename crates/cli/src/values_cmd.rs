//! `rudder values CHART [flags] [-o yaml|json]`.

use std::io::Write;

use rudder_render::release_values;
use rudder_values::Value;

use crate::Failure;
use crate::args::{Format, Release};

pub(crate) fn run(
    release: &Release,
    output: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let (chart, user) = crate::release::prepare(release, err)?;
    let computed = release_values(&chart, user.values)?;
    crate::warn_all(err, &computed.warnings)?;
    let mut values = Value::Map(Box::new(computed.values));
    match output {
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
