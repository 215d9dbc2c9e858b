//! The repository's Git history as an audit trail: who added and who changed
//! each record, in which commit, and when.
//!
//! [`History::read`] walks the commits once (newest first, not once per file),
//! diffs each non-merge commit against its first parent with rename detection,
//! and indexes every path under the release repository's root. Merge commits
//! are skipped, as in `git log`: the commits they bring in carry the changes and
//! their real authors.

mod base;
pub mod codeowners;

pub use base::{compare_with_base, BaseError};

use chrono::{DateTime, Utc};
use git2::{Delta, DiffFindOptions, DiffOptions, Repository, Sort};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

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
    pub paths: HashMap<String, PathHistory>,
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
pub fn open(root: &Path) -> Result<(Repository, String), NoHistory> {
    let repo = Repository::discover(root).map_err(|_| NoHistory::NotARepository)?;
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

/// One changed file between two trees.
struct Change {
    path: String,
    status: Delta,
    old_path: Option<String>,
}

/// Git's tree order: names compared bytewise, a folder as if it ended in `/`.
fn tree_order(a: &[u8], a_dir: bool, b: &[u8], b_dir: bool) -> std::cmp::Ordering {
    let n = a.len().min(b.len());
    match a[..n].cmp(&b[..n]) {
        std::cmp::Ordering::Equal => {}
        o => return o,
    }
    let end = |s: &[u8], dir: bool| s.get(n).copied().or(if dir { Some(b'/') } else { None });
    end(a, a_dir).cmp(&end(b, b_dir))
}

fn is_tree(e: &git2::TreeEntry<'_>) -> bool {
    e.kind() == Some(git2::ObjectType::Tree)
}

/// Every file added, deleted or modified between two trees, walking both in
/// lockstep and descending only into subtrees whose ids differ.
fn tree_changes(
    repo: &Repository,
    old: Option<&git2::Tree<'_>>,
    new: Option<&git2::Tree<'_>>,
    base: &str,
    out: &mut Vec<Change>,
) -> Result<(), git2::Error> {
    let (old_len, new_len) = (old.map_or(0, |t| t.len()), new.map_or(0, |t| t.len()));
    let (mut i, mut j) = (0, 0);
    let join = |name: &[u8]| {
        let name = String::from_utf8_lossy(name);
        if base.is_empty() {
            name.to_string()
        } else {
            format!("{base}/{name}")
        }
    };
    while i < old_len || j < new_len {
        let a = old.and_then(|t| t.get(i));
        let b = new.and_then(|t| t.get(j));
        let order = match (&a, &b) {
            (Some(a), Some(b)) => {
                tree_order(a.name_bytes(), is_tree(a), b.name_bytes(), is_tree(b))
            }
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => break,
        };
        match order {
            std::cmp::Ordering::Less => {
                let a = a.expect("old entry exists when it sorts first");
                side(repo, &a, join(a.name_bytes()), Delta::Deleted, out)?;
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                let b = b.expect("new entry exists when it sorts first");
                side(repo, &b, join(b.name_bytes()), Delta::Added, out)?;
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                let (a, b) = (a.expect("both exist"), b.expect("both exist"));
                if a.id() != b.id() {
                    let path = join(b.name_bytes());
                    match (is_tree(&a), is_tree(&b)) {
                        (true, true) => {
                            let (ta, tb) = (repo.find_tree(a.id())?, repo.find_tree(b.id())?);
                            tree_changes(repo, Some(&ta), Some(&tb), &path, out)?;
                        }
                        (false, false) => out.push(Change {
                            path,
                            status: Delta::Modified,
                            old_path: None,
                        }),
                        _ => {
                            side(repo, &a, path.clone(), Delta::Deleted, out)?;
                            side(repo, &b, path, Delta::Added, out)?;
                        }
                    }
                }
                i += 1;
                j += 1;
            }
        }
    }
    Ok(())
}

/// A whole entry added or deleted: a file, or every file under a folder.
fn side(
    repo: &Repository,
    e: &git2::TreeEntry<'_>,
    path: String,
    status: Delta,
    out: &mut Vec<Change>,
) -> Result<(), git2::Error> {
    if is_tree(e) {
        let t = repo.find_tree(e.id())?;
        if status == Delta::Added {
            tree_changes(repo, None, Some(&t), &path, out)
        } else {
            tree_changes(repo, Some(&t), None, &path, out)
        }
    } else {
        out.push(Change {
            path,
            status,
            old_path: None,
        });
        Ok(())
    }
}

/// The changes of one commit under `prefix`, with renames found by libgit2's
/// similarity detection when the commit both adds and deletes files.
fn commit_changes(
    repo: &Repository,
    parent: Option<&git2::Tree<'_>>,
    tree: &git2::Tree<'_>,
    prefix: &str,
) -> Result<Vec<Change>, git2::Error> {
    let sub = |t: &git2::Tree<'_>| -> Result<Option<git2::Tree<'_>>, git2::Error> {
        if prefix.is_empty() {
            return Ok(Some(repo.find_tree(t.id())?));
        }
        match t.get_path(Path::new(prefix)) {
            Ok(e) if is_tree(&e) => Ok(Some(repo.find_tree(e.id())?)),
            _ => Ok(None),
        }
    };
    let (old, new) = (parent.map(sub).transpose()?.flatten(), sub(tree)?);
    let mut changes = Vec::new();
    tree_changes(repo, old.as_ref(), new.as_ref(), "", &mut changes)?;
    let adds = changes.iter().any(|c| c.status == Delta::Added);
    let deletes = changes.iter().any(|c| c.status == Delta::Deleted);
    if !(adds && deletes) {
        return Ok(changes);
    }
    let mut opts = DiffOptions::new();
    if !prefix.is_empty() {
        opts.pathspec(prefix);
    }
    let mut diff = repo.diff_tree_to_tree(parent, Some(tree), Some(&mut opts))?;
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
        let mut alias: HashMap<String, String> = HashMap::new();
        // Paths whose current incarnation's birth has been seen: older events
        // belong to an earlier file of the same name.
        let mut born: HashMap<String, bool> = HashMap::new();
        for oid in walk {
            let oid = oid.map_err(unreadable)?;
            let commit = repo.find_commit(oid).map_err(unreadable)?;
            if commit.parent_count() > 1 {
                continue;
            }
            let tree = commit.tree().map_err(unreadable)?;
            let parent_tree = match commit.parent(0) {
                Ok(p) => Some(p.tree().map_err(unreadable)?),
                // A root commit, or the edge of a shallow clone.
                Err(_) => None,
            };
            let changes =
                commit_changes(&repo, parent_tree.as_ref(), &tree, &prefix).map_err(unreadable)?;
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

    /// The commit that added `path` (relative to the root).
    pub fn added(&self, path: &str) -> Option<&Commit> {
        self.paths.get(path)?.added.map(|i| &self.commits[i])
    }

    /// The newest commit that touched `path`.
    pub fn last_change(&self, path: &str) -> Option<&Commit> {
        self.paths
            .get(path)?
            .commits
            .first()
            .map(|i| &self.commits[*i])
    }

    /// The commits that touched each source, newest first, in one pass over the
    /// paths: per train folder (`releases/YYYY-MM-DD`) and per top-level entry
    /// (`releases`, `process.yaml`, `planning`, …).
    pub fn commits_by_source(&self) -> HashMap<String, Vec<usize>> {
        let mut by: HashMap<String, Vec<usize>> = HashMap::new();
        for (path, ph) in &self.paths {
            let mut parts = path.split('/');
            let top = parts.next().unwrap_or_default();
            by.entry(top.to_string()).or_default().extend(&ph.commits);
            if top == "releases" {
                if let Some(id) = parts.next() {
                    by.entry(format!("releases/{id}"))
                        .or_default()
                        .extend(&ph.commits);
                }
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
    Repository::discover(root)
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
