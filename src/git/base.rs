//! `check --base REV`: compare the working tree with the base of a pull request.
//! Merged sign-off and push records never change (push.yaml may only gain its
//! `validation`); hand-offs and staging freeze once the sign-off is merged.

use super::{open, NoHistory};
use crate::diagnostics::Diagnostic;
use crate::model::{Pos, Repository};
use crate::rules::Rule;
use git2::{ObjectType, TreeWalkMode, TreeWalkResult};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Debug)]
pub enum BaseError {
    NoHistory(NoHistory),
    UnknownRevision { rev: String, shallow: bool },
}

impl std::fmt::Display for BaseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BaseError::NoHistory(n) => write!(f, "--base needs Git history: {n}"),
            BaseError::UnknownRevision { rev, shallow } => {
                write!(f, "--base: `{rev}` is not a revision of this repository")?;
                if *shallow {
                    write!(f, "\n  help: the clone is shallow; fetch the full history (git fetch --unshallow, or actions/checkout with fetch-depth: 0)")
                } else {
                    write!(
                        f,
                        "\n  help: give a branch, tag or commit, e.g. origin/main"
                    )
                }
            }
        }
    }
}

/// The text of every file under `releases/` at `rev`, by path relative to the root.
fn files_at(root: &Path, rev: &str) -> Result<BTreeMap<String, String>, BaseError> {
    let (repo, prefix) = open(root).map_err(BaseError::NoHistory)?;
    let unknown = || BaseError::UnknownRevision {
        rev: rev.to_string(),
        shallow: repo.is_shallow(),
    };
    let tree = repo
        .revparse_single(rev)
        .and_then(|o| o.peel_to_tree())
        .map_err(|_| unknown())?;
    let releases = if prefix.is_empty() {
        "releases".to_string()
    } else {
        format!("{prefix}/releases")
    };
    let mut out = BTreeMap::new();
    let Ok(entry) = tree.get_path(Path::new(&releases)) else {
        return Ok(out);
    };
    let Ok(sub) = repo.find_tree(entry.id()) else {
        return Ok(out);
    };
    let _ = sub.walk(TreeWalkMode::PreOrder, |dir, e| {
        if e.kind() == Some(ObjectType::Blob) {
            if let (Ok(name), Ok(blob)) = (e.name(), repo.find_blob(e.id())) {
                if let Ok(text) = std::str::from_utf8(blob.content()) {
                    out.insert(format!("releases/{dir}{name}"), text.to_string());
                }
            }
        }
        TreeWalkResult::Ok
    });
    Ok(out)
}

/// The first line where two texts differ (1-based).
fn first_difference(a: &str, b: &str) -> u32 {
    let mut n = 1;
    let (mut x, mut y) = (a.lines(), b.lines());
    loop {
        match (x.next(), y.next()) {
            (Some(l), Some(r)) if l == r => n += 1,
            (None, None) => return 1,
            _ => return n,
        }
    }
}

fn yaml_value(text: &str) -> Option<serde_json::Value> {
    serde_saphyr::from_str::<serde_json::Value>(text).ok()
}

/// Whether `now` is `before` plus a `validation` that `before` did not have.
fn only_gained_validation(before: &str, now: &str) -> bool {
    let (Some(serde_json::Value::Object(b)), Some(serde_json::Value::Object(mut n))) =
        (yaml_value(before), yaml_value(now))
    else {
        return false;
    };
    if b.contains_key("validation") {
        return false;
    }
    n.remove("validation");
    n == b
}

/// The record-immutable and record-frozen diagnostics of the working tree against `rev`.
pub fn compare_with_base(
    root: &Path,
    rev: &str,
    current: &Repository,
) -> Result<Vec<Diagnostic>, BaseError> {
    let base = files_at(root, rev)?;
    let now = |path: &str| -> Option<String> {
        current
            .sources
            .get(path)
            .cloned()
            .or_else(|| std::fs::read_to_string(root.join(path)).ok())
    };
    let mut out = Vec::new();
    // At most 20 characters of the revision as typed (it may not be ASCII).
    let short: String = rev.chars().take(20).collect();

    // Merged sign-offs and pushes.
    for (path, before) in &base {
        let is_signoff = path.ends_with("/signoff.yaml");
        let is_push = path.ends_with("/push.yaml");
        if !(is_signoff || is_push) {
            continue;
        }
        match now(path) {
            None => out.push(
                Diagnostic::new(Rule::RecordImmutable, path.clone(), Pos::FILE, format!("this merged record was deleted (it exists at {short})"))
                    .help("sign-off and push records are the audit trail and never change once merged; restore the file"),
            ),
            Some(text) if text == *before => {}
            Some(text) if is_push && only_gained_validation(before, &text) => {}
            Some(text) => {
                let line = first_difference(before, &text);
                let help = if is_push {
                    "a merged push record may only gain its `validation`; record a correction in notes.md instead"
                } else {
                    "a merged sign-off never changes; record a correction in notes.md, or an exception approved by an approver in a new record"
                };
                out.push(
                    Diagnostic::new(
                        Rule::RecordImmutable,
                        path.clone(),
                        Pos { line, col: 1, len: 0 },
                        format!("this merged record was changed (line {line} differs from {short})"),
                    )
                    .help(help),
                );
            }
        }
    }

    // Hand-offs and staging of trains whose sign-off is merged.
    let signed: BTreeSet<String> = base
        .keys()
        .filter_map(|p| p.strip_suffix("/signoff.yaml").map(str::to_string))
        .collect();
    for dir in signed {
        let frozen = |p: &str| {
            p == format!("{dir}/staging.yaml") || p.starts_with(&format!("{dir}/handoffs/"))
        };
        let mut paths: BTreeSet<String> = base.keys().filter(|p| frozen(p)).cloned().collect();
        paths.extend(current.sources.keys().filter(|p| frozen(p)).cloned());
        for path in paths {
            let (before, after) = (base.get(&path), now(&path));
            let what = match (before, &after) {
                (Some(b), Some(a)) if b == a => continue,
                (Some(_), None) => "was deleted".to_string(),
                (None, Some(_)) => "was added".to_string(),
                (Some(b), Some(a)) => {
                    format!("was changed (line {} differs)", first_difference(b, a))
                }
                (None, None) => continue,
            };
            let line = match (before, &after) {
                (Some(b), Some(a)) => first_difference(b, a),
                _ => 1,
            };
            out.push(
                Diagnostic::new(
                    Rule::RecordFrozen,
                    path.clone(),
                    Pos { line, col: 1, len: 0 },
                    format!("this record {what} after the train's sign-off was merged ({dir}/signoff.yaml at {short})"),
                )
                .help("hand-offs and staging freeze once Test has signed off; a late change needs a new sign-off, so discuss it with Test"),
            );
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_may_only_gain_validation() {
        let before = "pushed_by: oscar\nstarted_at: 2026-11-30 15:05\n";
        assert!(only_gained_validation(
            before,
            &format!("{before}validation:\n  by: quinn\n")
        ));
        assert!(!only_gained_validation(
            before,
            "pushed_by: olga\nstarted_at: 2026-11-30 15:05\nvalidation: {}\n"
        ));
        assert!(!only_gained_validation(
            &format!("{before}validation: {{ by: quinn }}\n"),
            &format!("{before}validation: {{ by: tara }}\n")
        ));
    }

    #[test]
    fn first_difference_is_one_based() {
        assert_eq!(first_difference("a\nb\nc\n", "a\nx\nc\n"), 2);
        assert_eq!(first_difference("a\n", "a\nb\n"), 2);
    }
}
