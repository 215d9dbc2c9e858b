//! One service repository: a local Git clone named in process.yaml, opened
//! once, read only inside itself.

use super::graph::{Graph, Range};
use crate::model::process::ProjectSpec;
use chrono::{DateTime, FixedOffset};
use git2::{ObjectType, Oid, Repository as GitRepository, RepositoryOpenFlags};
use std::path::{Component, Path, PathBuf};

/// Why a configured clone cannot be read (`repository-missing`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub why: String,
    pub help: String,
}

fn unreadable(why: impl Into<String>, help: impl Into<String>) -> Unreadable {
    Unreadable {
        why: why.into(),
        help: help.into(),
    }
}

/// A commit as trainyard shows it.
#[derive(Debug, Clone)]
pub struct Commit {
    pub id: String,
    pub author: String,
    pub email: String,
    /// The author time, with the author's offset.
    pub time: DateTime<FixedOffset>,
    pub subject: String,
    /// The bug numbers its message names (`bugs.pattern`).
    pub bugs: Vec<u64>,
}

/// Why a hand-off's tag fails `handoff-tag`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagProblem {
    Missing,
    NotACommit(&'static str),
    NoMatch { pattern: String, any_match: bool },
    OffBranch(String),
}

/// An opened clone and what every hand-off of its project needs from it.
pub struct ServiceClone {
    git: GitRepository,
    /// The branch release tags must be on, as found.
    pub branch: String,
    /// Every commit reachable from the branch or a tag, read once.
    graph: Graph,
    /// Which of them the branch reaches, by node.
    on_branch: Vec<bool>,
    pub shallow: bool,
}

/// Where the clone named `written` (relative to `root`) is, if it may be
/// read: never through a symbolic link, never an absolute path.
fn locate(root: &Path, written: &str) -> Result<PathBuf, Unreadable> {
    let rel = Path::new(written.trim());
    if written.trim().is_empty() || rel.is_absolute() || rel.has_root() {
        return Err(unreadable(
            format!("`{written}` is not a path relative to this repository"),
            "write the clone's path relative to the release repository, e.g. ../sync-server",
        ));
    }
    let mut at = root.to_path_buf();
    // The path as written, so far: messages reach pages and CI logs, which
    // must not show where the repository is checked out.
    let mut shown = PathBuf::new();
    for c in rel.components() {
        shown.push(c);
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                at.pop();
            }
            Component::Normal(part) => {
                at.push(part);
                match std::fs::symlink_metadata(&at) {
                    Ok(m) if m.file_type().is_symlink() => {
                        return Err(unreadable(
                            format!("{} is a symbolic link", shown.display()),
                            "give the clone's real path; links are not followed",
                        ))
                    }
                    Ok(_) => {}
                    Err(_) => {
                        return Err(unreadable(
                            format!("there is no folder at {written}"),
                            "clone the service repository there before running trainyard (CI: actions/checkout with `repository:` and `path:`)",
                        ))
                    }
                }
            }
            // A relative path has neither (checked above).
            Component::Prefix(_) | Component::RootDir => {}
        }
    }
    Ok(at)
}

impl ServiceClone {
    /// Open the clone of `spec` for reading (`shown` names it in messages).
    pub fn open(
        root: &Path,
        spec: &ProjectSpec,
        written: &str,
        bugs: &crate::model::process::BugPattern,
    ) -> Result<ServiceClone, Unreadable> {
        let path = locate(root, written)?;
        if !path.is_dir() {
            return Err(unreadable(
                format!("{written} is not a folder"),
                "point `repository` at the clone's folder",
            ));
        }
        let dotgit = path.join(".git");
        match std::fs::symlink_metadata(&dotgit) {
            Ok(m) if m.is_dir() => {}
            Ok(m) if m.file_type().is_symlink() => {
                return Err(unreadable(
                    format!("{written}/.git is a symbolic link"),
                    "use a plain clone: its .git must be a folder",
                ))
            }
            Ok(_) => {
                return Err(unreadable(
                    format!("{written}/.git is a file: a worktree or submodule whose history lives elsewhere"),
                    "use a plain clone (git clone URL PATH)",
                ))
            }
            Err(_) if path.join("HEAD").is_file() && path.join("objects").is_dir() => {
                return Err(unreadable(
                    format!("{written} is a bare repository"),
                    "clone it with a work tree (git clone without --bare)",
                ))
            }
            Err(_) => {
                return Err(unreadable(
                    format!("{written} is not a Git repository"),
                    "clone the service repository there (git clone URL PATH)",
                ))
            }
        }
        if std::fs::symlink_metadata(dotgit.join("commondir")).is_ok() {
            return Err(unreadable(
                format!("{written} keeps its history in another repository (.git/commondir)"),
                "use a plain clone (git clone URL PATH), not a linked worktree",
            ));
        }
        if !std::fs::symlink_metadata(dotgit.join("objects")).is_ok_and(|m| m.is_dir()) {
            return Err(unreadable(
                format!("{written}/.git/objects is not a folder of its own"),
                "use a plain clone (git clone URL PATH), with its objects inside it",
            ));
        }
        if let Err(why) = super::loose::verify(&dotgit.join("objects")) {
            return Err(damaged(written, &why));
        }
        if dotgit.join("objects/info/alternates").exists() {
            return Err(unreadable(
                format!(
                    "{written} borrows objects from another repository (objects/info/alternates)"
                ),
                "clone it without --reference or --shared, so its history is inside it",
            ));
        }
        let git = GitRepository::open_ext(
            &path,
            RepositoryOpenFlags::NO_SEARCH,
            std::iter::empty::<&std::ffi::OsStr>(),
        )
        .map_err(|e| {
            unreadable(
                format!("{written} cannot be opened: {}", e.message()),
                "clone the service repository there (git clone URL PATH)",
            )
        })?;
        if git.is_bare() {
            return Err(unreadable(
                format!("{written} is a bare repository"),
                "clone it with a work tree (git clone without --bare)",
            ));
        }
        let shallow = git.is_shallow();
        let (branch, tip) = branch_tip(&git, spec, written)?;
        // The branch and every tag: what hand-offs, FROM and baselines name.
        let mut tips = vec![tip];
        if let Ok(names) = git.tag_names(None) {
            for name in (0..names.len()).filter_map(|i| names.get(i).ok().flatten()) {
                if let Ok(c) = git
                    .find_reference(&format!("refs/tags/{name}"))
                    .and_then(|r| r.peel_to_commit())
                {
                    tips.push(c.id());
                }
            }
        }
        let graph = Graph::read(&git, &tips, bugs).map_err(|e| broken(written, &e))?;
        let on_branch = graph.reachable(tip);
        Ok(ServiceClone {
            git,
            branch,
            graph,
            on_branch,
            shallow,
        })
    }

    /// The commit `tag` names (an annotated tag peeled), or why it names none.
    pub fn commit_of(&self, tag: &str) -> Result<Oid, TagProblem> {
        let name = format!("refs/tags/{tag}");
        let reference = git2::Reference::is_valid_name(&name)
            .then(|| self.git.find_reference(&name).ok())
            .flatten()
            .ok_or(TagProblem::Missing)?;
        match reference.peel(ObjectType::Commit) {
            Ok(c) => Ok(c.id()),
            Err(_) => Err(TagProblem::NotACommit(
                match reference.peel(ObjectType::Any).map(|o| o.kind()) {
                    Ok(Some(ObjectType::Tree)) => "a tree",
                    Ok(Some(ObjectType::Blob)) => "a file (blob)",
                    _ => "something other than a commit",
                },
            )),
        }
    }

    /// The commit a hand-off's `tag` names, or why it cannot ship: it must
    /// exist, name a commit, match the project's `tag_pattern` and be on the
    /// branch (not checked in a shallow clone, whose history is cut off).
    pub fn tag(&self, spec: &ProjectSpec, tag: &str) -> Result<Oid, TagProblem> {
        let commit = self.commit_of(tag)?;
        if !spec.tag_pattern.matches(tag) {
            return Err(TagProblem::NoMatch {
                pattern: spec.tag_pattern.source.value.clone(),
                any_match: self.any_tag_matches(spec),
            });
        }
        let on_branch = self
            .graph
            .node_of(commit)
            .is_some_and(|n| self.on_branch[n as usize]);
        if !self.shallow && !on_branch {
            return Err(TagProblem::OffBranch(self.branch.clone()));
        }
        Ok(commit)
    }

    /// Whether any tag of the clone matches the project's pattern (asked only
    /// to word a `handoff-tag` message).
    fn any_tag_matches(&self, spec: &ProjectSpec) -> bool {
        self.git
            .tag_names(None)
            .map(|names| {
                (0..names.len())
                    .filter_map(|i| names.get(i).ok().flatten())
                    .any(|t| spec.tag_pattern.matches(t))
            })
            .unwrap_or(false)
    }

    /// The commits in `to` that `from` lacks, merges left out, newest first:
    /// what `git log --no-merges FROM..TO` lists.
    pub fn range(&self, from: Oid, to: Oid) -> Range {
        self.graph.range(from, to)
    }

    /// Whether `a` is an ancestor of `b`.
    pub fn is_ancestor(&self, a: Oid, b: Oid) -> bool {
        self.graph.is_ancestor(a, b)
    }

    /// Whether `a` and `b` share any history.
    pub fn related(&self, a: Oid, b: Oid) -> bool {
        self.graph.related(a, b)
    }
}

fn broken(written: &str, e: &git2::Error) -> Unreadable {
    damaged(written, e.message())
}

/// The clone's history cannot be read whole: said as such, rather than as
/// wrong findings about tags from a history cut short.
fn damaged(written: &str, why: &str) -> Unreadable {
    unreadable(
        format!("the clone at {written} is damaged: {why}"),
        format!("run `git fsck` in {written} to see what is broken, then clone the service repository again"),
    )
}

/// The branch release tags must be on: the configured one (a local branch,
/// else `origin/BRANCH`), or the branch HEAD is on.
fn branch_tip(
    git: &GitRepository,
    spec: &ProjectSpec,
    written: &str,
) -> Result<(String, Oid), Unreadable> {
    let tip = |name: &str| -> Option<Oid> {
        [
            format!("refs/heads/{name}"),
            format!("refs/remotes/origin/{name}"),
        ]
        .iter()
        .find_map(|r| git.find_reference(r).ok()?.peel_to_commit().ok())
        .map(|c| c.id())
    };
    match &spec.branch {
        Some(b) => tip(&b.value).map(|oid| (b.value.clone(), oid)).ok_or_else(|| {
            unreadable(
                format!("branch `{}` does not exist in {written}", b.value),
                "fetch it (CI: actions/checkout with `ref:` and fetch-depth: 0), or name the release branch in `branch`",
            )
        }),
        None => {
            let head = git.head().map_err(|e| {
                unreadable(
                    format!("{written} has no HEAD: {}", e.message()),
                    "name the release branch in process.yaml `branch`",
                )
            })?;
            let name = head.shorthand().unwrap_or("HEAD").to_string();
            let oid = head.peel_to_commit().map(|c| c.id()).map_err(|e| {
                unreadable(
                    format!("{written}'s HEAD is not a commit: {}", e.message()),
                    "name the release branch in process.yaml `branch`",
                )
            })?;
            Ok((name, oid))
        }
    }
}
