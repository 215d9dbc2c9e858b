//! The shape ARCHITECTURE.md describes, held by tests: a record's times and
//! dates are read only while loading, and the modules depend on each other
//! one way.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every `.rs` file under `src/`, as (path relative to `src/`, the code
/// before its `#[cfg(test)]` module).
fn sources() -> Vec<(String, String)> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let code = text.split("#[cfg(test)]").next().unwrap_or("").to_string();
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, code));
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    assert!(out.len() > 50, "the sources were not found");
    out
}

#[test]
fn record_times_are_read_only_while_loading() {
    // Where a date or time may be read from text: the load step (records,
    // process.yaml), the reader itself, and command-line arguments (`--now`,
    // `new`'s date, `gate`'s train).
    let allowed = |file: &str| {
        file.starts_with("load/")
            || file.starts_with("cli/")
            || file == "schedule/time.rs"
            || file == "pipeline.rs"
    };
    let readers: Vec<String> = sources()
        .into_iter()
        .filter(|(file, code)| {
            !allowed(file) && (code.contains("parse_time(") || code.contains("parse_date("))
        })
        .map(|(file, _)| file)
        .collect();
    assert!(
        readers.is_empty(),
        "these read a time or date from text; read the typed value load resolved instead (model::RecordTime, model::RecordDate): {readers:?}"
    );
}

#[test]
fn the_module_graph_has_no_cycle() {
    let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, code) in sources() {
        let top = file
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string();
        let entry = deps.entry(top.clone()).or_default();
        for (i, _) in code.match_indices("crate::") {
            let name: String = code[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if !name.is_empty() && name != top {
                entry.insert(name);
            }
        }
    }
    // A depth-first walk; a module met again while still on the path closes
    // a cycle.
    fn visit<'a>(
        m: &'a str,
        deps: &'a BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| *p == m) {
            let mut cycle: Vec<String> = path[at..].iter().map(|s| s.to_string()).collect();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if !done.insert(m) {
            return None;
        }
        path.push(m);
        for d in deps.get(m).into_iter().flatten() {
            if let Some(c) = visit(d, deps, path, done) {
                return Some(c);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for m in deps.keys() {
        if let Some(cycle) = visit(m, &deps, &mut Vec::new(), &mut done) {
            panic!(
                "modules depend on each other in a cycle: {}",
                cycle.join(" → ")
            );
        }
    }
    // The layers ARCHITECTURE.md names, bottom first, keep their order.
    for (low, high) in [
        ("diagnostics", "model"),
        ("model", "schedule"),
        ("schedule", "load"),
        ("load", "rules"),
        ("rules", "site"),
    ] {
        assert!(
            !deps.get(low).is_some_and(|d| d.contains(high)),
            "{low} must not use {high}"
        );
    }
}
