//! Times each phase of `build` on its own (median of N runs): reading the
//! history, loading the records, both with every rule (`checked`), rendering
//! the pages in memory, and writing them. A tool for profiling, beside
//! `benches/run.sh` which measures the binary end to end.
//!
//! Usage: phases ROOT OUT [RUNS] [PHASE]   (PHASE: history, load, checked, render, write)
use std::path::Path;

/// The binary's allocator, so the phases cost what they cost in `trainyard`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: phases ROOT OUT [RUNS] [PHASE]");
        std::process::exit(2);
    }
    let root = Path::new(&args[1]);
    let out = Path::new(&args[2]);
    let runs: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(9);
    let only = args.get(4).map(String::as_str);
    let wanted = |p: &str| only.is_none_or(|o| o == p);
    let mut times = std::collections::BTreeMap::<&str, Vec<f64>>::new();
    let mut time = |name: &'static str, f: &mut dyn FnMut()| {
        let s = Instant::now();
        f();
        times
            .entry(name)
            .or_default()
            .push(s.elapsed().as_secs_f64() * 1e3);
    };
    let checked = trainyard::cli::checked(root, Some("2100-01-01"), None).expect("checked");
    let opts = trainyard::site::BuildOptions {
        base_url: None,
        now: checked.now,
        history: checked.history.clone(),
    };
    let site = trainyard::site::build(&checked.repo, &checked.report, &opts).expect("render");
    for _ in 0..runs {
        if wanted("history") {
            time("1 history", &mut || {
                drop(trainyard::git::History::read(root))
            });
        }
        if wanted("load") {
            time("2 load", &mut || drop(trainyard::load::load(root)));
        }
        if wanted("checked") {
            time("3 checked", &mut || {
                drop(trainyard::cli::checked(root, Some("2100-01-01"), None))
            });
        }
        if wanted("render") {
            time("4 render", &mut || {
                drop(trainyard::site::build(
                    &checked.repo,
                    &checked.report,
                    &opts,
                ))
            });
        }
        if wanted("write") {
            time("5 write", &mut || {
                trainyard::site::write(&site, out).expect("write");
            });
        }
    }
    for (k, v) in times {
        println!("{k:10} {:7.1} ms", median(v));
    }
}
