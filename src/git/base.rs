//! `check --base REV`: compare the working tree with the base of a pull request.
//! Merged sign-off and push records never change (push.yaml may only gain its
//! `validation`); hand-offs and staging freeze once the sign-off is merged.

use super::{open, NoHistory};
use crate::diagnostics::Diagnostic;
use crate::diagnostics::Rule;
use crate::model::{Pos, ReleaseRepository};
use git2::{ObjectType, Oid, Repository as GitRepository};
use std::borrow::Cow;
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

/// The files under `releases/` at `rev`: the blob id of each, by path relative
/// to the root, and the repository to read them from.
fn files_at(root: &Path, rev: &str) -> Result<(GitRepository, BTreeMap<String, Oid>), BaseError> {
    let (repo, prefix) = open(root).map_err(BaseError::NoHistory)?;
    let releases = if prefix.is_empty() {
        "releases".to_string()
    } else {
        format!("{prefix}/releases")
    };
    match blob_ids(&repo, rev, &releases) {
        Some(ids) => Ok((repo, ids)),
        None => Err(BaseError::UnknownRevision {
            rev: rev.to_string(),
            shallow: repo.is_shallow(),
        }),
    }
}

/// The blob id of every file under the folder `releases` (a path from the
/// repository's top) at `rev`, keyed `releases/…`; None if `rev` names no tree.
fn blob_ids(repo: &GitRepository, rev: &str, releases: &str) -> Option<BTreeMap<String, Oid>> {
    let tree = repo
        .revparse_single(rev)
        .and_then(|o| o.peel_to_tree())
        .ok()?;
    let mut out = BTreeMap::new();
    let sub = tree
        .get_path(Path::new(releases))
        .ok()
        .and_then(|entry| repo.find_tree(entry.id()).ok());
    // Walked from a stack of folders rather than by recursion (libgit2's
    // walk recurses): a stranger's history may hold a folder thousands of
    // levels deep.
    let mut folders: Vec<(git2::Tree<'_>, String)> = sub
        .into_iter()
        .map(|t| (t, "releases/".to_string()))
        .collect();
    while let Some((tree, dir)) = folders.pop() {
        for e in tree.iter() {
            let Ok(name) = e.name() else { continue };
            match e.kind() {
                Some(ObjectType::Blob) => {
                    out.insert(format!("{dir}{name}"), e.id());
                }
                Some(ObjectType::Tree) => {
                    if let Ok(t) = repo.find_tree(e.id()) {
                        folders.push((t, format!("{dir}{name}/")));
                    }
                }
                _ => {}
            }
        }
    }
    Some(out)
}

/// A file's text at the base, read only when the working tree's differs
/// (None if it is not UTF-8 text).
fn text_of(repo: &GitRepository, id: Oid) -> Option<String> {
    let blob = repo.find_blob(id).ok()?;
    std::str::from_utf8(blob.content()).ok().map(str::to_string)
}

/// Whether `text` is exactly the blob `id` (Git's own id of the same bytes):
/// unchanged files are told apart without reading the base's copy.
fn is_blob(id: Oid, text: &str) -> bool {
    Oid::hash_object(ObjectType::Blob, text.as_bytes()).is_ok_and(|h| h == id)
}

/// The train folder of a hand-off or staging record (`releases/DATE`), or None
/// for any other path.
fn frozen_dir(path: &str) -> Option<&str> {
    match path.split_once("/handoffs/") {
        Some((dir, rest)) if !rest.is_empty() => Some(dir),
        _ => path.strip_suffix("/staging.yaml"),
    }
}

/// The first line where two texts differ (1-based).
pub fn first_difference(a: &str, b: &str) -> u32 {
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
    current: &ReleaseRepository,
) -> Result<Vec<Diagnostic>, BaseError> {
    let (git, base) = files_at(root, rev)?;
    let dir = crate::sandbox::RepoDir::new(&current.root).ok();
    let now = |path: &str| -> Option<Cow<'_, str>> {
        match current.sources.get(path) {
            Some(text) => Some(Cow::Borrowed(text.as_str())),
            // Read as the loader reads: a link counts as no file.
            None => dir.as_ref()?.read_text(path).map(Cow::Owned),
        }
    };
    let mut out = Vec::new();
    // At most 20 characters of the revision as typed (it may not be ASCII).
    let short: String = rev.chars().take(20).collect();

    // Merged sign-offs and pushes.
    for (path, &id) in &base {
        let is_signoff = path
            .rsplit('/')
            .next()
            .and_then(crate::load::signoff_round)
            .is_some();
        let is_push = path.ends_with("/push.yaml");
        if !(is_signoff || is_push) {
            continue;
        }
        let now = now(path);
        if now.as_deref().is_some_and(|text| is_blob(id, text)) {
            continue;
        }
        let Some(before) = text_of(&git, id) else {
            continue;
        };
        match now {
            None => out.push(
                Diagnostic::new(Rule::RecordImmutable, path.clone(), Pos::FILE, format!("this merged record was deleted (it exists at {short})"))
                    .help("sign-off and push records are the audit trail and never change once merged; restore the file"),
            ),
            Some(text) if text == before => {}
            Some(text) if is_push && only_gained_validation(&before, &text) => {}
            Some(text) => {
                let line = first_difference(&before, &text);
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

    // Hand-offs and staging of trains with a merged `go` round (after a
    // no-go, hand-offs may change and a new round follows).
    #[derive(serde::Deserialize)]
    struct Decided {
        #[serde(default)]
        decision: Option<String>,
    }
    let signed: BTreeMap<&str, &str> = base
        .iter()
        .filter_map(|(p, id)| {
            let (dir, name) = p.rsplit_once('/')?;
            crate::load::signoff_round(name)?;
            let text = text_of(&git, *id)?;
            let go = serde_saphyr::from_str::<Decided>(&text)
                .ok()?
                .decision
                .is_some_and(|d| d.trim() == "go");
            go.then_some((dir, p.as_str()))
        })
        .collect();
    // Every hand-off and staging record of a signed train, at the base or now,
    // by train folder (one pass over the paths).
    let frozen: BTreeSet<(&str, &str)> = base
        .keys()
        .chain(current.sources.keys())
        .filter_map(|p| {
            let dir = frozen_dir(p)?;
            signed.get_key_value(dir).map(|(&dir, _)| (dir, p.as_str()))
        })
        .collect();
    for (dir, path) in frozen {
        let after = now(path);
        let id = base.get(path).copied();
        if let (Some(id), Some(text)) = (id, &after) {
            if is_blob(id, text) {
                continue;
            }
        }
        let before = id.and_then(|id| text_of(&git, id));
        let (what, line) = match (&before, &after) {
            (Some(b), Some(a)) if b == a => continue,
            (Some(_), None) => ("was deleted".to_string(), 1),
            (None, Some(_)) => ("was added".to_string(), 1),
            (Some(b), Some(a)) => {
                let line = first_difference(b, a);
                (format!("was changed (line {line} differs)"), line)
            }
            (None, None) => continue,
        };
        out.push(
            Diagnostic::new(
                Rule::RecordFrozen,
                path,
                Pos { line, col: 1, len: 0 },
                format!("this record {what} after the train's go was merged ({} at {short})", signed.get(dir).copied().unwrap_or(dir)),
            )
            .help("hand-offs and staging freeze once Test has signed off; a late change needs a new sign-off, so discuss it with Test"),
        );
    }
    Ok(out)
}

/// The top-level files and folders of a release repository that `load`
/// reads (and `check` compares): what [`release_files_at`] returns.
const RELEASE_ENTRIES: &[&str] = &[
    "process.yaml",
    "people.yaml",
    "process",
    "releases",
    "planning",
    "questions",
    ".github",
];

/// The release repository's files as they were at `rev`, by path relative to
/// its root, for `check --base` to load without writing them out. Only what
/// `load` reads: plain files of at most the sandbox's size, with names that
/// are one path component; links and submodules are left out.
pub fn release_files_at(root: &Path, rev: &str) -> Result<BTreeMap<String, Vec<u8>>, BaseError> {
    release_files_of(root, rev, None)
}

/// The train folders (`releases/DATE`) whose files differ between `rev` and
/// the working tree (untracked files included): what `notify` reads, so a
/// push that adds one record reads one train, not the whole history.
pub fn changed_train_dirs(root: &Path, rev: &str) -> Result<BTreeSet<String>, BaseError> {
    let (repo, prefix) = open(root).map_err(BaseError::NoHistory)?;
    let tree = repo
        .revparse_single(rev)
        .and_then(|o| o.peel_to_tree())
        .map_err(|_| BaseError::UnknownRevision {
            rev: rev.to_string(),
            shallow: repo.is_shallow(),
        })?;
    let releases = if prefix.is_empty() {
        "releases".to_string()
    } else {
        format!("{prefix}/releases")
    };
    let mut opts = git2::DiffOptions::new();
    opts.pathspec(&releases)
        .include_untracked(true)
        .recurse_untracked_dirs(true)
        .skip_binary_check(true);
    let diff = repo
        .diff_tree_to_workdir_with_index(Some(&tree), Some(&mut opts))
        .map_err(|_| BaseError::UnknownRevision {
            rev: rev.to_string(),
            shallow: repo.is_shallow(),
        })?;
    let mut out = BTreeSet::new();
    for delta in diff.deltas() {
        for file in [delta.old_file().path(), delta.new_file().path()]
            .into_iter()
            .flatten()
        {
            let Some(path) = file.to_str() else { continue };
            let rel = if prefix.is_empty() {
                path
            } else {
                match path.strip_prefix(&prefix).and_then(|p| p.strip_prefix('/')) {
                    Some(p) => p,
                    None => continue,
                }
            };
            if let Some(dir) = crate::model::train_dir_of(rel) {
                out.insert(dir.to_string());
            }
        }
    }
    Ok(out)
}

/// [`release_files_at`], with only the train folders in `only` (when given).
pub fn release_files_of(
    root: &Path,
    rev: &str,
    only: Option<&BTreeSet<String>>,
) -> Result<BTreeMap<String, Vec<u8>>, BaseError> {
    let (repo, prefix) = open(root).map_err(BaseError::NoHistory)?;
    let unknown = || BaseError::UnknownRevision {
        rev: rev.to_string(),
        shallow: repo.is_shallow(),
    };
    let tree = repo
        .revparse_single(rev)
        .and_then(|o| o.peel_to_tree())
        .map_err(|_| unknown())?;
    let mut out = BTreeMap::new();
    let top = if prefix.is_empty() {
        tree
    } else {
        match tree.get_path(Path::new(&prefix)) {
            Ok(e) => repo.find_tree(e.id()).map_err(|_| unknown())?,
            // The release repository did not exist at the base.
            Err(_) => return Ok(out),
        }
    };
    let fine = |name: &str| {
        !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
    };
    // An explicit stack, as everywhere history is walked (no recursion).
    let mut folders: Vec<(git2::Tree<'_>, String)> = vec![(top, String::new())];
    while let Some((tree, dir)) = folders.pop() {
        for e in tree.iter() {
            let Ok(name) = e.name() else { continue };
            if !fine(name) || (dir.is_empty() && !RELEASE_ENTRIES.contains(&name)) {
                continue;
            }
            let path = format!("{dir}{name}");
            match (e.kind(), e.filemode()) {
                (Some(ObjectType::Blob), 0o100644 | 0o100755) => {
                    let Ok(blob) = repo.find_blob(e.id()) else {
                        continue;
                    };
                    if blob.size() as u64 <= crate::sandbox::MAX_FILE_BYTES {
                        out.insert(path, blob.content().to_vec());
                    }
                }
                (Some(ObjectType::Tree), _) => {
                    let skipped = dir == "releases/" && only.is_some_and(|o| !o.contains(&path));
                    if skipped {
                        continue;
                    }
                    if let Ok(t) = repo.find_tree(e.id()) {
                        folders.push((t, format!("{path}/")));
                    }
                }
                _ => {}
            }
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
    fn frozen_records_are_handoffs_and_staging() {
        let dir = Some("releases/2026-11-30");
        assert_eq!(frozen_dir("releases/2026-11-30/staging.yaml"), dir);
        assert_eq!(frozen_dir("releases/2026-11-30/handoffs/api.yaml"), dir);
        assert_eq!(frozen_dir("releases/2026-11-30/handoffs/staging.yaml"), dir);
        assert_eq!(frozen_dir("releases/2026-11-30/signoff.yaml"), None);
        assert_eq!(frozen_dir("releases/2026-11-30/push.yaml"), None);
        assert_eq!(frozen_dir("releases/2026-11-30/handoffs/"), None);
    }

    #[test]
    fn unchanged_text_is_known_by_its_blob_id() {
        // `printf 'hello\n' | git hash-object --stdin`
        let id = Oid::from_str("ce013625030ba8dba906f756967f9e9ca394464a").unwrap();
        assert!(is_blob(id, "hello\n"));
        assert!(!is_blob(id, "hello"));
    }

    #[test]
    fn first_difference_is_one_based() {
        assert_eq!(first_difference("a\nb\nc\n", "a\nx\nc\n"), 2);
        assert_eq!(first_difference("a\n", "a\nb\n"), 2);
    }
}
