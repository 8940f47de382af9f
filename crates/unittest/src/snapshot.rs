//! Snapshot files as helm-unittest keeps them (`pkg/unittest/snapshot`):
//! `tests/__snapshot__/<suite file name>.snap`, a YAML map from test name
//! to the assert counter (1, 2, … per `matchSnapshot` in the test) to the
//! snapshot text, which is the value printed by go-yaml v3.

use crate::Error;
use rudder_values::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One comparison's outcome (helm-unittest `CompareResult`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Compared {
    pub passed: bool,
    pub index: u64,
    pub new: String,
    pub cached: String,
    /// Set when a `matchRegex`/`notMatchRegex` pattern decided.
    pub message: String,
}

/// What a validator compares through: the cache, bound to one test.
pub(crate) trait Comparer {
    fn compare(&mut self, content: &str, want: &str, unwanted: &str) -> Compared;
}

/// The snapshots of one suite file.
#[derive(Debug)]
pub struct Cache {
    path: PathBuf,
    updating: bool,
    existed: bool,
    cached: BTreeMap<String, BTreeMap<u64, String>>,
    current: BTreeMap<String, BTreeMap<u64, String>>,
    updated: u64,
    inserted: u64,
    compared: u64,
}

/// Snapshot counts of a suite, as helm-unittest's summary shows them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SnapshotCounts {
    /// Snapshots compared.
    pub total: u64,
    /// Compared and different (0 when updating).
    pub failed: u64,
    /// New snapshots written.
    pub created: u64,
    /// Stored snapshots no test asked for any more.
    pub vanished: u64,
}

impl Cache {
    /// Reads the snapshot file of `suite_file`, if there is one.
    pub fn open(suite_file: &Path, updating: bool) -> Result<Cache, Error> {
        let dir = suite_file
            .parent()
            .unwrap_or(Path::new("."))
            .join("__snapshot__");
        let name = suite_file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let path = dir.join(format!("{name}.snap"));
        let mut cache = Cache {
            path,
            updating,
            existed: false,
            cached: BTreeMap::new(),
            current: BTreeMap::new(),
            updated: 0,
            inserted: 0,
            compared: 0,
        };
        let text = match std::fs::read_to_string(&cache.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(cache),
            Err(e) => {
                return Err(Error::Io {
                    path: cache.path.clone(),
                    source: e,
                });
            }
        };
        cache.existed = true;
        let origin = cache.path.display().to_string();
        let bad = |why: String| Error::Snapshot {
            path: cache.path.clone(),
            message: why,
        };
        let parsed = rudder_values::yaml::parse(&text, &origin).map_err(|e| bad(e.to_string()))?;
        let tests = match parsed {
            Value::Map(m) => *m,
            Value::Null => Default::default(),
            other => {
                return Err(bad(format!(
                    "expected a map of test names, found a {}",
                    other.kind()
                )));
            }
        };
        for (test, entries) in tests {
            let mut by_index = BTreeMap::new();
            let Value::Map(entries) = entries else {
                return Err(bad(format!(
                    "test {test:?}: expected a map of snapshot numbers"
                )));
            };
            for (i, text) in entries.iter() {
                let i: u64 = i
                    .parse()
                    .map_err(|_| bad(format!("test {test:?}: {i:?} is not a snapshot number")))?;
                let Value::String(text) = text else {
                    return Err(bad(format!("test {test:?}, snapshot {i}: expected text")));
                };
                by_index.insert(i, text.clone());
            }
            cache.cached.insert(test, by_index);
        }
        Ok(cache)
    }

    /// helm-unittest `Cache.Compare`.
    pub(crate) fn compare(
        &mut self,
        test: &str,
        index: u64,
        new: &str,
        want: &str,
        unwanted: &str,
    ) -> Compared {
        self.compared += 1;
        let cached = self.cached.get(test).and_then(|t| t.get(&index)).cloned();
        if cached.is_none() {
            self.inserted += 1;
        }
        let mut matched = true;
        let mut message = String::new();
        if !want.is_empty() || !unwanted.is_empty() {
            let hit = |p: &str| {
                regex::Regex::new(p)
                    .map(|r| r.is_match(new))
                    .unwrap_or(false)
            };
            if !want.is_empty() && !hit(want) {
                matched = false;
                message = format!(" pattern '{want}' not found in snapshot");
            }
            if !unwanted.is_empty() && matched && hit(unwanted) {
                matched = false;
                message = format!(" pattern '{unwanted}' should not be in snapshot");
            }
        } else if cached.as_deref().is_some_and(|c| c != new) {
            matched = false;
            self.updated += 1;
        }
        let save = match (&cached, self.updating) {
            (Some(c), false) => c.clone(),
            _ => new.to_owned(),
        };
        self.current
            .entry(test.to_owned())
            .or_default()
            .insert(index, save);
        Compared {
            passed: self.updating || matched,
            index,
            new: new.to_owned(),
            cached: cached.unwrap_or_default(),
            message,
        }
    }

    fn vanished(&self) -> u64 {
        let mut n = 0;
        for (test, entries) in &self.cached {
            for i in entries.keys() {
                if !self.current.get(test).is_some_and(|c| c.contains_key(i)) {
                    n += 1;
                }
            }
        }
        n
    }

    /// The suite's counts.
    pub fn counts(&self) -> SnapshotCounts {
        SnapshotCounts {
            total: self.compared,
            failed: if self.updating { 0 } else { self.updated },
            created: self.inserted,
            vanished: self.vanished(),
        }
    }

    /// Writes the file when a snapshot was added, updated (with `-u`) or
    /// vanished (helm-unittest `StoreToFileIfNeeded`). True if written.
    pub fn store(&self) -> Result<bool, Error> {
        let changed = self.updated > 0 || self.inserted > 0 || self.vanished() > 0;
        if !changed || !(self.updating || self.inserted > 0 || self.vanished() > 0) {
            return Ok(false);
        }
        let tests: Vec<(&str, Vec<(u64, &str)>)> = self
            .current
            .iter()
            .map(|(t, e)| {
                (
                    t.as_str(),
                    e.iter().map(|(i, s)| (*i, s.as_str())).collect(),
                )
            })
            .collect();
        let text = crate::yaml3::snapshot_file(&tests);
        let io = |e| Error::Io {
            path: self.path.clone(),
            source: e,
        };
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        std::fs::write(&self.path, text).map_err(io)?;
        Ok(true)
    }

    /// Whether the file existed before the run.
    pub fn existed(&self) -> bool {
        self.existed
    }
}

/// The cache bound to one test: each compare takes the next counter.
pub(crate) struct TestComparer<'a> {
    pub cache: &'a mut Cache,
    pub test: String,
    pub counter: u64,
}

impl Comparer for TestComparer<'_> {
    fn compare(&mut self, content: &str, want: &str, unwanted: &str) -> Compared {
        self.counter += 1;
        self.cache
            .compare(&self.test, self.counter, content, want, unwanted)
    }
}
