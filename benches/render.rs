//! Render benchmarks: the product charts with defaults (loaded once,
//! rendered repeatedly: the many-releases case), 1,000 releases with
//! different values from one loaded chart, Helm (Go-template) charts cold
//! and cached, and `toYaml` of a 10 MB tree.
//! Run with `cargo bench -p rudder-render`.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

// The `rudder` binary runs on mimalloc; measure the library the same way.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use rudder_render::{Chart, Engine, EngineOptions, RenderOptions};
use rudder_values::{Map, Value};

#[path = "common/mod.rs"]
mod common;
use common::values_yaml;

fn engine(dir: &str) -> Option<Engine> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(dir);
    let chart = Chart::load(&path).ok()?;
    Engine::new(chart, &EngineOptions::default()).ok()
}

fn release(name: &str, namespace: &str) -> RenderOptions {
    RenderOptions {
        release_name: name.into(),
        namespace: namespace.into(),
        seed: Some(1),
        ..Default::default()
    }
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("render");
    for (label, dir, ns) in [
        ("dispatch", "charts/dispatch", "dispatch"),
        ("isd", "charts/isd", "opsmx"),
    ] {
        let Some(e) = engine(dir) else { continue };
        let opts = release(label, ns);
        g.bench_function(format!("{label} chart, defaults"), |b| {
            b.iter(|| {
                e.render(Map::new(), black_box(&opts))
                    .map(|r| r.manifests.len())
            })
        });
    }
    // The many-releases case both ways: on a 1 GiB stack (the default) and
    // on the caller's stack. Both run on the calling thread; the labels
    // keep their names so results compare across versions.
    for (label, same_thread) in [("own thread", false), ("same thread", true)] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/charts/small-app");
        let Ok(chart) = Chart::load(&path) else {
            continue;
        };
        let Ok(e) = Engine::new(
            chart,
            &EngineOptions {
                same_thread,
                ..Default::default()
            },
        ) else {
            continue;
        };
        g.throughput(Throughput::Elements(1000));
        g.sample_size(10);
        g.bench_function(
            format!("1,000 releases of small-app, different values, {label}"),
            |b| {
                b.iter(|| {
                    (0..1000)
                        .map(|i| {
                            let mut user = Map::new();
                            user.insert("replicas".into(), Value::Int(i));
                            e.render(user, &release(&format!("r{i}"), "default"))
                                .map(|r| r.manifests.len())
                                .unwrap_or(0)
                        })
                        .sum::<usize>()
                })
            },
        );
    }
    // One loaded chart, rendered by 1, 2 and 4 threads at once: 64 renders
    // in all per iteration, so throughput compares directly (issue 18:
    // renders share nothing, so 2 threads on 2 cores should give ~2×).
    if let Some(e) = engine("charts/dispatch") {
        const RENDERS: usize = 64;
        g.throughput(Throughput::Elements(RENDERS as u64));
        g.sample_size(10);
        for threads in [1usize, 2, 4] {
            g.bench_function(
                format!("dispatch, {RENDERS} renders on {threads} threads"),
                |b| {
                    b.iter(|| {
                        std::thread::scope(|scope| {
                            let e = &e;
                            let handles: Vec<_> = (0..threads)
                                .map(|t| {
                                    scope.spawn(move || {
                                        (t..RENDERS)
                                            .step_by(threads)
                                            .map(|i| {
                                                let opts = release(&format!("r{i}"), "dispatch");
                                                e.render(Map::new(), &opts)
                                                    .map(|r| r.manifests.len())
                                                    .unwrap_or(0)
                                            })
                                            .sum::<usize>()
                                    })
                                })
                                .collect();
                            handles
                                .into_iter()
                                .map(|h| h.join().unwrap_or(0))
                                .sum::<usize>()
                        })
                    })
                },
            );
        }
    }
    // Helm (Go-template) charts: cold is load + parse + translation to
    // minijinja + compile + one render (what one `rudder template` pays);
    // cached renders a loaded engine again (templates translated and
    // compiled once, as for many releases).
    g.throughput(Throughput::Elements(1));
    g.sample_size(20);
    for case in ["defines", "subcharts"] {
        let dir = format!("tests/go_templates/{case}");
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(&dir);
        let opts = release(case, "default");
        g.bench_function(format!("Go chart {case}, cold"), |b| {
            b.iter(|| {
                let chart = Chart::load(black_box(&path)).ok()?;
                let e = Engine::new(chart, &EngineOptions::default()).ok()?;
                e.render(Map::new(), &opts).ok().map(|r| r.manifests.len())
            })
        });
        let Some(e) = engine(&dir) else { continue };
        let _ = e.render(Map::new(), &opts);
        g.bench_function(format!("Go chart {case}, cached"), |b| {
            b.iter(|| {
                e.render(Map::new(), black_box(&opts))
                    .map(|r| r.manifests.len())
            })
        });
    }
    let big = rudder_values::yaml::parse(&values_yaml(10 << 20), "big").unwrap_or_default();
    let big = minijinja::Value::from(minijinja::value::Serde(&big));
    g.throughput(Throughput::Bytes(10 << 20));
    g.sample_size(10);
    g.bench_function("toYaml of a 10 MB tree", |b| {
        b.iter(|| rudder_render::funcs::yaml::to_yaml(black_box(&big)).map(|s| s.len()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
