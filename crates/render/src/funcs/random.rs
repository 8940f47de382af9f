//! Random strings and UUIDs (Sprig's `randAlphaNum`, `randAlpha`,
//! `randNumeric`, `randAscii`, `uuidv4`).
//!
//! Helm draws from crypto/rand, so every render differs. rudder draws from
//! an [`Rng`] the environment owns: seeded from OS entropy by default (like
//! Helm), or from a fixed seed so that the same seed gives the same bytes
//! (reproducible renders and tests).

use super::int_arg;
use minijinja::value::Value;
use minijinja::{Environment, Error};
use rand::{Rng as _, RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use std::fmt::Write;
use std::sync::{Arc, Mutex};

/// Longest random string a template may ask for.
const MAX_LEN: i64 = 1 << 20;

/// The random source behind the `rand*` functions and `uuidv4`: a ChaCha20
/// generator behind a mutex, shared by every use of an environment outside
/// a render; inside a render ([`RenderStream`]), every draw on that thread
/// comes from the render's own stream instead, so renders on many threads
/// neither wait for each other nor mix their seeded streams.
///
/// The generator is made on first use: most renders draw nothing, and
/// seeding from the OS (plus the cipher's CPU feature probe) was a visible
/// part of a small `rudder template` run.
#[derive(Debug)]
pub struct Rng(Mutex<Source>);

#[derive(Debug)]
enum Source {
    /// Not drawn from yet: the seed to start from (`None`: OS entropy).
    Seed(Option<u64>),
    Ready(Box<ChaCha20Rng>),
}

impl Source {
    /// Runs `f` on the generator, making it first if need be.
    fn draw<T>(&mut self, f: impl FnOnce(&mut ChaCha20Rng) -> T) -> T {
        if let Source::Seed(seed) = *self {
            *self = Source::Ready(Box::new(Rng::generator(seed)));
        }
        match self {
            Source::Ready(rng) => f(rng),
            Source::Seed(seed) => f(&mut Rng::generator(*seed)),
        }
    }
}

thread_local! {
    /// The stream of the render running on this thread, if any.
    static RENDER: std::cell::RefCell<Option<Source>> = const { std::cell::RefCell::new(None) };
}

/// A render's own random stream, in force on this thread while the guard
/// lives: `Some(seed)` reproducible, `None` from OS entropy (made on first
/// draw). Dropping it restores the stream that was in force before, so
/// renders nest.
#[derive(Debug)]
#[must_use = "the stream is in force only while the guard lives"]
pub struct RenderStream(Option<Source>);

impl RenderStream {
    /// Starts a render's stream on this thread.
    pub fn enter(seed: Option<u64>) -> RenderStream {
        RenderStream(RENDER.with(|r| r.replace(Some(Source::Seed(seed)))))
    }
}

impl Drop for RenderStream {
    fn drop(&mut self) {
        let outer = self.0.take();
        RENDER.with(|r| *r.borrow_mut() = outer);
    }
}

impl Rng {
    /// `Some(seed)`: a reproducible stream (same seed, same output).
    /// `None`: seeded from OS entropy, like Helm's crypto/rand.
    pub fn new(seed: Option<u64>) -> Arc<Rng> {
        Arc::new(Rng(Mutex::new(Source::Seed(seed))))
    }

    /// Restarts the stream: from `seed`, or from fresh OS entropy. The
    /// renderer calls this at the start of every release.
    pub fn reseed(&self, seed: Option<u64>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Source::Seed(seed);
    }

    fn generator(seed: Option<u64>) -> ChaCha20Rng {
        match seed {
            Some(s) => ChaCha20Rng::seed_from_u64(s),
            None => ChaCha20Rng::try_from_os_rng().unwrap_or_else(|_| {
                // No OS entropy: fall back to the clock rather than fail.
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(0);
                ChaCha20Rng::seed_from_u64(nanos ^ u64::from(std::process::id()))
            }),
        }
    }

    /// Runs `f` on the current render's stream, or on the shared generator
    /// outside a render.
    fn with<T>(&self, f: impl FnOnce(&mut ChaCha20Rng) -> T) -> T {
        RENDER.with(|render| match render.borrow_mut().as_mut() {
            Some(source) => source.draw(f),
            None => self.0.lock().unwrap_or_else(|e| e.into_inner()).draw(f),
        })
    }

    /// `len` characters drawn uniformly from `alphabet`.
    pub fn string(&self, alphabet: &[u8], len: usize) -> String {
        self.with(|rng| {
            (0..len)
                .filter_map(|_| alphabet.get(rng.random_range(0..alphabet.len().max(1))))
                .map(|b| char::from(*b))
                .collect()
        })
    }

    /// 16 random bytes.
    pub fn bytes16(&self) -> [u8; 16] {
        let mut b = [0u8; 16];
        self.with(|rng| rng.fill_bytes(&mut b));
        b
    }
}

const ALPHA: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const NUMERIC: &[u8] = b"0123456789";
const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

fn length(func: &str, n: &Value) -> Result<usize, Error> {
    let n = int_arg(func, "length", n)?;
    if n > MAX_LEN {
        return Err(super::fail(format!("{func}: length {n} is too large")));
    }
    // Sprig ignores goutils' "count must be positive" error: "".
    Ok(n.max(0) as usize)
}

/// The printable ASCII range Sprig's `randAscii` draws from (32..=126).
fn ascii() -> Vec<u8> {
    (32u8..=126).collect()
}

/// Formats 16 bytes as an RFC 4122 version 4 UUID.
pub fn format_uuid_v4(mut b: [u8; 16]) -> String {
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let mut out = String::with_capacity(36);
    for (i, byte) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        let _ = write!(out, "{byte:02x}");
    }
    out
}

pub(crate) fn register(env: &mut Environment<'_>, rng: Arc<Rng>) {
    for (name, alphabet) in [
        ("randAlphaNum", ALNUM.to_vec()),
        ("randAlpha", ALPHA.to_vec()),
        ("randNumeric", NUMERIC.to_vec()),
        ("randAscii", ascii()),
    ] {
        let rng = rng.clone();
        // Helm `randAlphaNum N` etc.: `{{ randAlphaNum(16) }}`.
        env.add_function(name, move |n: &Value| -> Result<String, Error> {
            Ok(rng.string(&alphabet, length(name, n)?))
        });
    }
    // Helm `uuidv4`: `{{ uuidv4() }}`.
    env.add_function("uuidv4", move || format_uuid_v4(rng.bytes16()));
}
