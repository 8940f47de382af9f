//! Same chart, values, seed and time: same bytes, across runs and threads.
//! Without a seed, random functions differ between renders, as in Helm.

use rudder_render::{Chart, Engine, EngineOptions, RenderOptions, StreamOptions};
use std::time::{Duration, UNIX_EPOCH};

fn engine() -> Engine {
    // One directory per call: the tests run in parallel and each removes
    // its own.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir =
        std::env::temp_dir().join(format!("rudder-determinism-{}-{call}", std::process::id()));
    std::fs::create_dir_all(dir.join("templates")).expect("mkdir");
    std::fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: det\nversion: 0.1.0\nannotations:\n  rudder.dev/templates: jinja\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("templates/secret.yaml"),
        "{% set ca = genCA(\"det-ca\", 365) %}\n\
         apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  annotations:\n    at: {{ now() | date(\"2006-01-02T15:04:05Z07:00\") | quote }}\n\
         stringData:\n  password: {{ randAlphaNum(24) | quote }}\n  id: {{ uuidv4() | quote }}\n\
         \x20 ca.crt: {{ ca.Cert | b64enc | quote }}\n  ca.key: {{ ca.Key | b64enc | quote }}\n",
    )
    .expect("write");
    let chart = Chart::load(&dir).expect("loads");
    std::fs::remove_dir_all(&dir).expect("cleanup");
    Engine::new(chart, &EngineOptions::default()).expect("compiles")
}

fn render(e: &Engine, seed: Option<u64>) -> String {
    let opts = RenderOptions {
        seed,
        now: seed.map(|_| UNIX_EPOCH + Duration::from_secs(1_767_225_600)),
        ..Default::default()
    };
    e.render(Default::default(), &opts)
        .expect("renders")
        .stream(&StreamOptions::default())
        .expect("stream")
}

#[test]
fn a_seed_and_a_pinned_clock_give_identical_bytes() {
    let e = engine();
    let first = render(&e, Some(42));
    // The pinned clock (2026-01-01T00:00:00Z), in the local zone.
    assert!(
        first.contains("at: \"2026-01-01T") || first.contains("at: \"2025-12-31T"),
        "{first}"
    );
    assert_eq!(render(&e, Some(42)), first, "same engine, same seed");
    assert_eq!(
        render(&engine(), Some(42)),
        first,
        "a fresh engine, same seed"
    );
    assert_ne!(render(&e, Some(43)), first, "another seed differs");
    // Renders from several threads sharing one engine stay reproducible.
    let e = std::sync::Arc::new(e);
    let outs: Vec<String> = (0..4)
        .map(|_| {
            let e = e.clone();
            std::thread::spawn(move || render(&e, Some(42)))
        })
        .map(|t| t.join().expect("thread"))
        .collect();
    assert!(outs.iter().all(|o| *o == first));
}

#[test]
fn without_a_seed_random_functions_differ_like_helm() {
    let e = engine();
    assert_ne!(render(&e, None), render(&e, None));
}

/// One engine, many threads at once: every render gives the bytes the
/// same release gives rendered alone. Renders with different seeds run
/// interleaved, so a stream shared between renders would show.
#[test]
fn concurrent_renders_give_the_bytes_of_sequential_ones() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../charts/dispatch");
    let chart = Chart::load(&dir).expect("dispatch loads");
    let e = Engine::new(chart, &EngineOptions::default()).expect("compiles");
    let seeds: Vec<u64> = (0..6).collect();
    let opts = |seed: u64| RenderOptions {
        release_name: format!("r{seed}"),
        namespace: "dispatch".into(),
        seed: Some(seed),
        now: Some(UNIX_EPOCH + Duration::from_secs(1_767_225_600)),
        ..Default::default()
    };
    let one = |seed: u64| {
        e.render(Default::default(), &opts(seed))
            .expect("renders")
            .stream(&StreamOptions::default())
            .expect("stream")
    };
    let sequential: Vec<String> = seeds.iter().map(|s| one(*s)).collect();
    let small = engine();
    let small_seq = render(&small, Some(9));
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|t| {
                let (one, seeds, small) = (&one, &seeds, &small);
                scope.spawn(move || {
                    // Each thread walks the seeds from another start.
                    let mut got = Vec::new();
                    for i in 0..seeds.len() {
                        let s = seeds[(i + t) % seeds.len()];
                        got.push((s, one(s)));
                        got.push((99, render(small, Some(9))));
                    }
                    got
                })
            })
            .collect();
        for h in handles {
            for (seed, out) in h.join().expect("thread") {
                if seed == 99 {
                    assert_eq!(
                        out, small_seq,
                        "random functions under a seed, concurrently"
                    );
                } else {
                    assert_eq!(out, sequential[seed as usize], "seed {seed}, concurrently");
                }
            }
        }
    });
}
