//! `check` and `build` on synthetic repositories of 10 and 50 years of weekly
//! trains, against the floor of merely finding, reading and parsing the same
//! YAML files, in the same run. `build` here renders every page in memory; the
//! cost of writing them is measured end to end by benches/run.sh.
//!
//! Run: `cargo bench --bench pipeline` (see docs/performance.md).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use rayon::prelude::*;
use serde::de::IgnoredAny;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn yaml_files(root: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "md"))
        .collect()
}

/// Read and parse every file into nothing: what any YAML-reading tool pays.
fn floor(root: &Path) -> usize {
    yaml_files(root)
        .par_iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            let yaml = match text.strip_prefix("---\n") {
                Some(rest) => rest.split("\n---\n").next().unwrap_or(""),
                None => &text,
            };
            serde_saphyr::from_str::<IgnoredAny>(yaml)
                .map(|_| 1)
                .unwrap_or(0)
        })
        .sum()
}

/// "Now" a week after the last train of `years` of history: every step
/// recorded, nothing overdue (a later "now" would find months without a
/// planning meeting).
fn after(years: u32) -> chrono::DateTime<chrono::Utc> {
    let day = trainyard::synth::first_push() + chrono::Duration::weeks(i64::from(years * 52) + 1);
    day.and_hms_opt(12, 0, 0).expect("a valid time").and_utc()
}

fn check(root: &Path, now: chrono::DateTime<chrono::Utc>) -> usize {
    let loaded = trainyard::load::load(root).unwrap();
    let report = trainyard::rules::check(&loaded.repo, loaded.diagnostics, now);
    assert_eq!(report.errors(), 0, "{:?}", report.diagnostics.first());
    report.diagnostics.len()
}

fn build(root: &Path, now: chrono::DateTime<chrono::Utc>) -> usize {
    let loaded = trainyard::load::load(root).unwrap();
    let report = trainyard::rules::check(&loaded.repo, loaded.diagnostics, now);
    let opts = trainyard::site::BuildOptions {
        base_url: None,
        now,
        history: None,
        ships: Default::default(),
        approvals: None,
        previous_index: None,
    };
    trainyard::site::build(&loaded.repo, &report, &opts)
        .unwrap()
        .files
        .len()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("pipeline");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(8));
    for years in [10u32, 50] {
        let dir = tempfile::tempdir().unwrap();
        trainyard::synth::write_repository(dir.path(), years).unwrap();
        group.bench_with_input(
            BenchmarkId::new("floor: read+parse", years),
            dir.path(),
            |b, root| b.iter(|| floor(root)),
        );
        group.bench_with_input(
            BenchmarkId::new("trainyard check", years),
            dir.path(),
            |b, root| b.iter(|| check(root, after(years))),
        );
        group.bench_with_input(
            BenchmarkId::new("trainyard build (render)", years),
            dir.path(),
            |b, root| b.iter(|| build(root, after(years))),
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
