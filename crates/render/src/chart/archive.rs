//! Reading a chart archive (`.tgz`) into memory, safely.
//!
//! Mirrors Helm's `loader.LoadArchiveFiles`: entries are read into memory,
//! the archive's single top directory is stripped, and paths that are
//! absolute or climb out with `..` are refused (zip-slip). Helm caps the
//! decompressed size of an archive at 100 MiB and of one file at 5 MiB;
//! rudder uses the same bounds so a decompression bomb stops early.

use std::io::Read;

use crate::{Error, Result};

/// Helm's `MaxDecompressedChartSize`.
pub const MAX_ARCHIVE_BYTES: u64 = 100 * 1024 * 1024;
/// Helm's `MaxDecompressedFileSize`.
pub const MAX_FILE_BYTES: u64 = 5 * 1024 * 1024;

/// One file of a chart: its path inside the chart (with `/` separators)
/// and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Path relative to the chart root, e.g. `templates/deployment.yaml`.
    pub name: String,
    /// Contents, with a UTF-8 byte order mark removed.
    pub data: Vec<u8>,
}

impl File {
    /// A file at `name` (a path inside the chart) holding `data`.
    pub fn new(name: impl Into<String>, data: impl Into<Vec<u8>>) -> File {
        File {
            name: name.into(),
            data: data.into(),
        }
    }
}

/// Reads a gzipped tar chart archive. `origin` names it in errors.
pub(crate) fn read_tgz(bytes: &[u8], origin: &str) -> Result<Vec<File>> {
    let gz = flate2::read::GzDecoder::new(bytes);
    let mut archive = tar::Archive::new(gz.take(MAX_ARCHIVE_BYTES + 1));
    let bad = |m: String| Error::chart(origin, m);
    let mut files: Vec<File> = Vec::new();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut total: u64 = 0;
    let entries = archive
        .entries()
        .map_err(|e| bad(format!("not a gzipped tar archive: {e}")))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| bad(format!("corrupt archive: {e}")))?;
        let kind = entry.header().entry_type();
        if kind.is_dir() || kind.is_pax_global_extensions() || kind.is_pax_local_extensions() {
            continue;
        }
        let raw = entry.path_bytes().into_owned();
        let name = String::from_utf8_lossy(&raw).replace('\\', "/");
        if !kind.is_file() {
            return Err(bad(format!(
                "archive entry {name:?} is a link or special file; charts may only hold regular files"
            )));
        }
        check_entry_path(&name).map_err(|m| bad(format!("archive entry {name:?} {m}")))?;
        let size = entry.header().size().unwrap_or(u64::MAX);
        if size > MAX_FILE_BYTES {
            return Err(bad(format!(
                "archive entry {name:?} is {size} bytes, over Helm's limit of {MAX_FILE_BYTES} per file"
            )));
        }
        total = total.saturating_add(size);
        if total > MAX_ARCHIVE_BYTES {
            return Err(bad(format!(
                "archive decompresses to more than {MAX_ARCHIVE_BYTES} bytes, Helm's limit"
            )));
        }
        let mut data = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        (&mut entry)
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut data)
            .map_err(|e| bad(format!("cannot read archive entry {name:?}: {e}")))?;
        // Strip the chart's top directory (`mychart/templates/x` -> `templates/x`).
        let Some((_, rest)) = name.split_once('/') else {
            continue;
        };
        if rest.is_empty() {
            continue;
        }
        // An archive may hold one path twice (tar appends); Helm's loader
        // keeps the last entry (`LoadFiles` overwrites by name), so the
        // template renders once, with the later content.
        let data = strip_bom(data);
        match seen.get(rest) {
            Some(&at) => files[at].data = data,
            None => {
                seen.insert(rest.to_owned(), files.len());
                files.push(File {
                    name: rest.to_owned(),
                    data,
                });
            }
        }
    }
    if files.is_empty() {
        return Err(bad("archive holds no chart files".to_owned()));
    }
    Ok(files)
}

/// Refuses absolute paths, `..` components and Windows drive letters, as
/// Helm does ("chart illegally contains absolute paths" and friends).
pub(crate) fn check_entry_path(name: &str) -> std::result::Result<(), String> {
    if name.starts_with('/') {
        return Err("is an absolute path; charts may not reach outside themselves".to_owned());
    }
    if name.split('/').any(|part| part == "..") {
        return Err("climbs out of the chart with '..'".to_owned());
    }
    let b = name.as_bytes();
    if b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' {
        return Err("names a drive letter; charts may not reach outside themselves".to_owned());
    }
    Ok(())
}

/// Helm strips a UTF-8 byte order mark from every chart file.
pub(crate) fn strip_bom(mut data: Vec<u8>) -> Vec<u8> {
    if data.starts_with(&[0xEF, 0xBB, 0xBF]) {
        data.drain(..3);
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tgz(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let mut b = tar::Builder::new(gz);
        for (name, data) in entries {
            let mut h = tar::Header::new_gnu();
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            h.set_entry_type(tar::EntryType::Regular);
            // set_path refuses "..", so write the raw name for hostile cases.
            let raw = &mut h.as_old_mut().name;
            raw[..name.len()].copy_from_slice(name.as_bytes());
            h.set_cksum();
            b.append(&h, *data).expect("append");
        }
        b.into_inner().expect("tar").finish().expect("gz")
    }

    #[test]
    fn strips_the_top_directory_and_bom() {
        let files =
            read_tgz(&tgz(&[("c/Chart.yaml", b"\xEF\xBB\xBFname: c")]), "c.tgz").expect("reads");
        assert_eq!(
            files,
            [File {
                name: "Chart.yaml".into(),
                data: b"name: c".to_vec()
            }]
        );
    }

    #[test]
    fn refuses_zip_slip_and_absolute_paths() {
        for name in ["c/../../etc/passwd", "/etc/passwd", "c/templates/../../x"] {
            let err = read_tgz(&tgz(&[(name, b"x")]), "bad.tgz")
                .expect_err(name)
                .to_string();
            assert!(err.starts_with("bad.tgz: archive entry"), "{err}");
        }
    }

    #[test]
    fn refuses_oversized_files_before_reading_them() {
        let big = vec![b'a'; usize::try_from(MAX_FILE_BYTES).unwrap_or(0) + 1];
        let err = read_tgz(&tgz(&[("c/values.yaml", &big)]), "big.tgz").expect_err("too big");
        assert!(err.to_string().contains("over Helm's limit"), "{err}");
    }

    #[test]
    fn a_duplicate_entry_keeps_the_last_content_once() {
        let files = read_tgz(
            &tgz(&[
                ("c/Chart.yaml", b"name: c"),
                ("c/templates/a.yaml", b"first"),
                ("c/templates/a.yaml", b"second"),
            ]),
            "c.tgz",
        )
        .expect("reads");
        let a: Vec<_> = files
            .iter()
            .filter(|f| f.name == "templates/a.yaml")
            .collect();
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].data, b"second");
    }

    #[test]
    fn refuses_garbage() {
        let err = read_tgz(b"not gzip", "x.tgz")
            .expect_err("garbage")
            .to_string();
        assert!(err.starts_with("x.tgz: "), "{err}");
    }
}
