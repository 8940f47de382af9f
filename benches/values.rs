//! Values benchmarks: parsing many `--set` flags and loading a large values
//! file. Run with `cargo bench -p rudder-values`.
//!
//! For scale: helm 4.1.4 takes about 2.4 s and 300 MiB to template a
//! trivial chart with a 10 MB values file on the project's machines.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rudder_values::{ValuesOptions, yaml};

// The `rudder` binary runs on mimalloc; measure the library the same way.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "common/mod.rs"]
mod common;
use common::values_yaml;

/// 10,000 `--set` flags of the shapes the Dispatch docs use.
fn set_flags() -> ValuesOptions {
    let set = (0..10_000)
        .map(|i| match i % 4 {
            0 => format!("argo-cd.server.autoscaling.minReplicas{i}={i}"),
            1 => format!(r"argo-cd.server.ingress.annotations.traefik\.ingress\.kubernetes\.io\/auth-type{i}="),
            2 => format!("minio.extra[{}]=value-{i},minio.flag{i}=true", i % 100),
            _ => format!("list{i}={{a,b,c}}"),
        })
        .collect();
    ValuesOptions {
        set,
        ..Default::default()
    }
}

fn bench(c: &mut Criterion) {
    let flags = set_flags();
    let mut g = c.benchmark_group("values");
    g.throughput(Throughput::Elements(10_000));
    g.bench_function("parse 10,000 --set flags", |b| {
        b.iter(|| {
            black_box(&flags)
                .merge(&mut rudder_values::FsReader)
                .map(|u| u.values.len())
        })
    });
    let text = values_yaml(10 << 20);
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(10);
    g.bench_function("load a 10 MB values file", |b| {
        b.iter(|| yaml::parse_values(black_box(&text), "values.yaml").map(|m| m.len()))
    });
    // The same file through saphyr alone: what the fast path saves.
    g.bench_function("load a 10 MB values file, full parser", |b| {
        b.iter(|| yaml::parse_without_fast_path(black_box(&text), "values.yaml").map(|v| v.kind()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
