//! Times each phase of `build` on its own: reading the history, loading the
//! records, both with every rule (`checked`), rendering the pages in memory, and
//! writing them. Prints each phase's median wall time and mean CPU time (all
//! threads), and the peak memory. A tool for profiling, beside `benches/run.sh`
//! which measures the binary end to end.
//!
//! Usage: phases ROOT OUT [RUNS] [PHASE]   (PHASE: history, load, checked, render, write)
//! With PHASE, only that phase runs (after one setup build for render and write).
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

/// The binary's allocator, so the phases cost what they cost in `trainyard`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// CPU time used by the process so far (user + system, all threads), in ms
/// (Linux; 0 elsewhere).
fn cpu_ms() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let after = s.rsplit_once(')')?.1;
            let f: Vec<&str> = after.split_whitespace().collect();
            let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
            Some(ticks * 10.0)
        })
        .unwrap_or(0.0)
}

/// The process's peak resident memory, as /proc reports it (Linux).
fn peak_memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM"))?;
    Some(line.trim_start_matches("VmHWM:").trim().to_string())
}

#[derive(Default)]
struct Timer {
    wall: BTreeMap<&'static str, Vec<f64>>,
    cpu: BTreeMap<&'static str, f64>,
}

impl Timer {
    fn time(&mut self, name: &'static str, f: impl FnOnce()) {
        let c = cpu_ms();
        let s = Instant::now();
        f();
        self.wall
            .entry(name)
            .or_default()
            .push(s.elapsed().as_secs_f64() * 1e3);
        *self.cpu.entry(name).or_default() += cpu_ms() - c;
    }

    fn report(self) {
        if let Some(peak) = peak_memory() {
            println!("peak memory: {peak}");
        }
        for (k, mut v) in self.wall {
            let n = v.len() as f64;
            v.sort_by(|a, b| a.total_cmp(b));
            println!(
                "{k:10} {:7.1} ms wall (median), {:7.1} ms CPU (mean)",
                v[v.len() / 2],
                self.cpu.get(k).copied().unwrap_or(0.0) / n
            );
        }
    }
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
    let mut timer = Timer::default();
    let now = Some("2100-01-01");
    if matches!(only, Some("history" | "load" | "checked")) {
        for _ in 0..runs {
            match only {
                Some("history") => {
                    timer.time("1 history", || drop(trainyard::git::History::read(root)))
                }
                Some("load") => timer.time("2 load", || drop(trainyard::load::load(root))),
                _ => timer.time("3 checked", || {
                    drop(trainyard::pipeline::checked(root, now, None))
                }),
            }
        }
        timer.report();
        return;
    }
    let checked = trainyard::pipeline::checked(root, now, None).expect("checked");
    let opts = trainyard::site::BuildOptions {
        base_url: None,
        now: checked.now,
        history: checked.history.clone(),
        ships: checked.ships.clone(),
        approvals: None,
        previous_index: None,
    };
    let site = trainyard::site::build(&checked.repo, &checked.report, &opts).expect("render");
    for _ in 0..runs {
        if wanted("history") {
            timer.time("1 history", || drop(trainyard::git::History::read(root)));
        }
        if wanted("load") {
            timer.time("2 load", || drop(trainyard::load::load(root)));
        }
        if wanted("checked") {
            timer.time("3 checked", || {
                drop(trainyard::pipeline::checked(root, now, None))
            });
        }
        if wanted("render") {
            timer.time("4 render", || {
                drop(trainyard::site::build(
                    &checked.repo,
                    &checked.report,
                    &opts,
                ))
            });
        }
        if wanted("write") {
            timer.time("5 write", || {
                let claim = trainyard::site::claim(root, out).expect("an output folder of our own");
                trainyard::site::write(&site, &claim).expect("write");
            });
        }
    }
    timer.report();
}
