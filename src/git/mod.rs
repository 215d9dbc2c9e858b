//! The repository's Git history as an audit trail: who added and who changed
//! each record, in which commit, and when.
//!
//! [`History::read`] walks the commits once (newest first, not once per file),
//! diffs each non-merge commit against its first parent with rename detection,
//! and indexes every path under the release repository's root. Merge commits
//! are skipped, as in `git log`: the commits they bring in carry the changes and
//! their real authors.

pub mod approvals;
mod base;
pub mod codeowners;
mod tree;

pub use base::{
    changed_train_dirs, compare_with_base, first_difference, release_files_at, release_files_of,
    BaseError,
};

use ahash::AHashMap;
use chrono::{DateTime, Utc};
use git2::{Delta, DiffFindOptions, DiffOptions, Repository as GitRepository, Sort};
use std::path::{Path, PathBuf};
use tree::{Change, Trees};

/// One commit, as shown to people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    pub id: String,
    pub short: String,
    pub author_name: String,
    pub author_email: String,
    pub time: DateTime<Utc>,
    pub summary: String,
}

/// The history of one path (following renames), as indexes into `History::commits`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathHistory {
    /// The commit that added the file as it exists now.
    pub added: Option<usize>,
    /// Every commit that added, changed or renamed it, newest first.
    pub commits: Vec<usize>,
}

/// The indexed history of a release repository.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Newest first.
    pub commits: Vec<Commit>,
    /// By path relative to the release repository's root, with `/`.
    pub paths: AHashMap<String, PathHistory>,
    /// The clone is shallow: older history is missing.
    pub shallow: bool,
    /// The root relative to the Git work tree (empty when they are the same).
    pub prefix: String,
}

/// Why history is not available; none of these is an error for `check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoHistory {
    /// The root is not inside a Git work tree.
    NotARepository,
    /// The repository has no commits yet.
    Empty,
    /// libgit2 could not read it.
    Unreadable(String),
}

impl std::fmt::Display for NoHistory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoHistory::NotARepository => {
                f.write_str("not a Git repository: history checks and pages are off")
            }
            NoHistory::Empty => f.write_str(
                "the Git repository has no commits yet: history checks and pages are off",
            ),
            NoHistory::Unreadable(e) => write!(
                f,
                "cannot read Git history ({e}): history checks and pages are off"
            ),
        }
    }
}

/// Open the Git repository holding `root`, and `root`'s path inside its work tree.
pub fn open(root: &Path) -> Result<(GitRepository, String), NoHistory> {
    let repo = GitRepository::discover(root).map_err(|_| NoHistory::NotARepository)?;
    let workdir = repo
        .workdir()
        .map(Path::to_path_buf)
        .ok_or(NoHistory::NotARepository)?;
    let workdir = std::fs::canonicalize(&workdir).unwrap_or(workdir);
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let prefix = root
        .strip_prefix(&workdir)
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        })
        .unwrap_or_default();
    Ok((repo, prefix))
}

fn commit_info(c: &git2::Commit<'_>) -> Commit {
    let author = c.author();
    let id = c.id().to_string();
    Commit {
        short: id.chars().take(7).collect(),
        id,
        author_name: author.name().unwrap_or("").to_string(),
        author_email: author.email().unwrap_or("").to_string(),
        time: DateTime::from_timestamp(author.when().seconds(), 0).unwrap_or_default(),
        summary: c.summary().ok().flatten().unwrap_or("").to_string(),
    }
}

/// The changes of one commit under `prefix`, with renames found by libgit2's
/// similarity detection when the commit both adds and deletes files.
fn commit_changes(
    repo: &GitRepository,
    trees: &mut Trees<'_>,
    parent: Option<&git2::Commit<'_>>,
    commit: &git2::Commit<'_>,
    prefix: &str,
) -> Result<Vec<Change>, git2::Error> {
    let old = match parent {
        Some(p) => trees.subtree(p.tree_id(), prefix)?,
        None => None,
    };
    let new = trees.subtree(commit.tree_id(), prefix)?;
    let mut changes = Vec::new();
    trees.changes(old, new, "", &mut changes)?;
    let adds = changes.iter().any(|c| c.status == Delta::Added);
    let deletes = changes.iter().any(|c| c.status == Delta::Deleted);
    if !(adds && deletes) {
        return Ok(changes);
    }
    let mut opts = DiffOptions::new();
    if !prefix.is_empty() {
        opts.pathspec(prefix);
    }
    let parent_tree = parent.map(|p| p.tree()).transpose()?;
    let tree = commit.tree()?;
    let mut diff = repo.diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), Some(&mut opts))?;
    let mut find = DiffFindOptions::new();
    find.renames(true);
    diff.find_similar(Some(&mut find))?;
    let strip = |p: &Path| -> Option<String> {
        let s = p.to_string_lossy().replace('\\', "/");
        if prefix.is_empty() {
            Some(s)
        } else {
            s.strip_prefix(&format!("{prefix}/")).map(str::to_string)
        }
    };
    Ok(diff
        .deltas()
        .filter_map(|d| {
            let new_path = d.new_file().path().and_then(strip);
            let old_path = d.old_file().path().and_then(strip);
            match d.status() {
                Delta::Deleted => old_path.map(|p| Change {
                    path: p,
                    status: Delta::Deleted,
                    old_path: None,
                }),
                status => new_path.map(|p| Change {
                    path: p,
                    status,
                    old_path,
                }),
            }
        })
        .collect())
}

impl History {
    /// Read the history of the repository holding `root`.
    pub fn read(root: &Path) -> Result<History, NoHistory> {
        // Reading our own repository to index it: re-hashing every object on
        // read (libgit2's default) would be most of the cost, for no safety gained.
        git2::opts::strict_hash_verification(false);
        let (repo, prefix) = open(root)?;
        let head = match repo.head() {
            Ok(h) => h,
            Err(e)
                if e.code() == git2::ErrorCode::UnbornBranch
                    || e.code() == git2::ErrorCode::NotFound =>
            {
                return Err(NoHistory::Empty)
            }
            Err(e) => return Err(NoHistory::Unreadable(e.message().to_string())),
        };
        let head = head
            .peel_to_commit()
            .map_err(|e| NoHistory::Unreadable(e.message().to_string()))?;
        let unreadable = |e: git2::Error| NoHistory::Unreadable(e.message().to_string());
        let odb = repo.odb().map_err(unreadable)?;
        let mut trees = Trees::new(&odb);
        let mut walk = repo.revwalk().map_err(unreadable)?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)
            .map_err(unreadable)?;
        walk.push(head.id()).map_err(unreadable)?;

        let mut history = History {
            shallow: repo.is_shallow(),
            prefix: prefix.clone(),
            ..History::default()
        };
        // Older names of renamed files → the name the file has now.
        let mut alias: AHashMap<String, String> = AHashMap::new();
        // Paths whose current incarnation's birth has been seen: older events
        // belong to an earlier file of the same name.
        let mut born: AHashMap<String, bool> = AHashMap::new();
        for oid in walk {
            let oid = oid.map_err(unreadable)?;
            let commit = repo.find_commit(oid).map_err(unreadable)?;
            if commit.parent_count() > 1 {
                continue;
            }
            // None for a root commit, or at the edge of a shallow clone.
            let parent = commit.parent(0).ok();
            let changes = commit_changes(&repo, &mut trees, parent.as_ref(), &commit, &prefix)
                .map_err(unreadable)?;
            trees.next_commit();
            let mut touched = false;
            let index = history.commits.len();
            for change in changes {
                if change.status == Delta::Deleted {
                    // Going back in time, a deletion means an older file of that
                    // name is not the current one.
                    let current = alias.get(&change.path).cloned().unwrap_or(change.path);
                    born.entry(current).or_insert(true);
                    continue;
                }
                let current = alias
                    .get(&change.path)
                    .cloned()
                    .unwrap_or_else(|| change.path.clone());
                if born.get(&current).copied().unwrap_or(false) {
                    continue;
                }
                let entry = history.paths.entry(current.clone()).or_default();
                entry.commits.push(index);
                touched = true;
                match change.status {
                    Delta::Added | Delta::Copied => {
                        entry.added = Some(index);
                        born.insert(current, true);
                    }
                    Delta::Renamed => {
                        if let Some(old) = change.old_path {
                            alias.insert(old, current);
                        }
                    }
                    _ => {}
                }
            }
            if touched {
                history.commits.push(commit_info(&commit));
            }
        }
        Ok(history)
    }

    /// The index in `commits` of the commit that added `path` (relative to
    /// the root).
    pub fn added_at(&self, path: &str) -> Option<usize> {
        self.paths.get(path)?.added
    }

    /// The index in `commits` of the newest commit that touched `path`.
    pub fn last_change_at(&self, path: &str) -> Option<usize> {
        self.paths.get(path)?.commits.first().copied()
    }

    /// The commit that added `path` (relative to the root).
    pub fn added(&self, path: &str) -> Option<&Commit> {
        self.added_at(path).map(|i| &self.commits[i])
    }

    /// The commits that touched each source, newest first, in one pass over the
    /// paths: per train folder (`releases/YYYY-MM-DD`) and per top-level entry
    /// (`releases`, `process.yaml`, `planning`, …).
    pub fn commits_by_source(&self) -> AHashMap<String, Vec<usize>> {
        let mut by: AHashMap<String, Vec<usize>> = AHashMap::new();
        for (path, ph) in &self.paths {
            let top = path.split('/').next().unwrap_or_default();
            by.entry(top.to_string()).or_default().extend(&ph.commits);
            if let Some(dir) = crate::model::train_dir_of(path) {
                by.entry(dir.to_string()).or_default().extend(&ph.commits);
            }
        }
        for ids in by.values_mut() {
            ids.sort_unstable();
            ids.dedup();
        }
        by
    }
}

/// The path of the file that marks a shallow clone, relative to `root`.
pub fn shallow_marker(root: &Path) -> String {
    GitRepository::discover(root)
        .ok()
        .map(|r| r.path().join("shallow"))
        .and_then(|p| {
            let root = std::fs::canonicalize(root).ok()?;
            let p = std::fs::canonicalize(p.parent()?).ok()?.join("shallow");
            relative(&root, &p)
        })
        .unwrap_or_else(|| ".git/shallow".to_string())
}

fn relative(from: &Path, to: &Path) -> Option<String> {
    let mut ups = PathBuf::new();
    let mut base = from.to_path_buf();
    loop {
        if let Ok(rest) = to.strip_prefix(&base) {
            let joined = ups.join(rest);
            return Some(
                joined
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/"),
            );
        }
        ups.push("..");
        if !base.pop() {
            return None;
        }
    }
}
