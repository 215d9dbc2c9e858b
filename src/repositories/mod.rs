//! What ships: each hand-off's tag looked up in its project's service
//! repository, and the range of commits it puts in production.
//!
//! The **range** of a hand-off is FROM..TAG (FORMAT.md): FROM is the tag of
//! the same project's hand-off in the most recent earlier train whose
//! validation outcome is `success` (a rolled-back train shipped nothing), or
//! the project's `baseline`; with neither, the range is unknown. Each
//! configured clone is opened once (projects in parallel), every tag resolved
//! once, and every range walked once; the rules, `trainyard changes`, the site
//! and the API all read the [`Shipments`] made here.

mod clone;
mod graph;
mod loose;

pub use clone::{Commit, TagProblem, Unreadable};

use crate::model::{Bug, Outcome, ReleaseRepository, Spanned};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// A configured project's clone, as found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CloneState {
    Readable {
        branch: String,
    },
    /// Read, but its history is cut off: ranges are not trusted.
    Shallow,
    Unreadable(Unreadable),
}

/// Why a hand-off's range is not listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RangeProblem {
    /// Neither an earlier successful train nor a baseline: unknown.
    Unknown,
    /// The clone is shallow.
    Shallow,
    /// FROM (its tag) cannot be found in the clone.
    FromMissing(String),
    /// The tag itself fails `handoff-tag`.
    BadTag,
    /// Nothing new: the tag is FROM, or FROM already holds everything.
    NothingNew,
    /// The tag is an ancestor of FROM.
    Backwards,
    /// The tag shares no history with FROM.
    Unrelated,
}

/// What one hand-off ships.
#[derive(Debug, Clone)]
pub struct Shipment {
    pub project: String,
    /// The hand-off file and its `tag` value (with its position).
    pub file: String,
    pub tag: Spanned<String>,
    pub tag_problem: Option<TagProblem>,
    /// FROM, when known.
    pub from: Option<String>,
    pub range_problem: Option<RangeProblem>,
    /// `git log --no-merges FROM..TAG`, newest first (empty without a range).
    pub commits: Vec<Commit>,
    /// The bugs the commits name, each once, in order of appearance.
    pub bugs_named: Vec<u64>,
}

impl Shipment {
    /// Whether the range is known and listed.
    pub fn has_range(&self) -> bool {
        self.range_problem.is_none()
            || matches!(
                self.range_problem,
                Some(RangeProblem::NothingNew | RangeProblem::Backwards)
            )
    }
}

/// Everything read from the service repositories.
#[derive(Debug, Clone, Default)]
pub struct Shipments {
    /// Every project with a configured `repository`, and its clone's state.
    pub clones: BTreeMap<String, CloneState>,
    /// Per train (as `ReleaseRepository::trains`), one shipment per hand-off of a
    /// project whose clone could be read, in hand-off order.
    pub trains: Vec<Vec<Shipment>>,
}

impl Shipments {
    /// The shipments of the train at `index`.
    pub fn of(&self, index: usize) -> &[Shipment] {
        self.trains.get(index).map_or(&[], Vec::as_slice)
    }
}

/// The bug number a listed bug stands for: the number itself, or the one its
/// text names (`bugs.pattern`, else its last run of digits: a tracker URL).
pub fn bug_number(bug: &Bug, pattern: &crate::model::process::BugPattern) -> Option<u64> {
    match bug {
        Bug::Number(n) => Some(*n),
        Bug::Text(t) => pattern.numbers(t).first().copied().or_else(|| {
            let digits: String = t
                .chars()
                .rev()
                .skip_while(|c| !c.is_ascii_digit())
                .take_while(char::is_ascii_digit)
                .collect();
            digits.chars().rev().collect::<String>().parse().ok()
        }),
    }
}

/// The tag a project's hand-off shipped in the most recent train before
/// `index` whose validation outcome is success.
fn shipped_before(repo: &ReleaseRepository, index: usize, project: &str) -> Option<String> {
    repo.trains[..index].iter().rev().find_map(|t| {
        let success = t
            .push
            .as_ref()
            .and_then(|p| p.data.validation.as_ref())
            .and_then(|v| v.outcome.as_ref())
            .is_some_and(|o| o.value == Outcome::Success);
        if !success {
            return None;
        }
        t.handoffs
            .iter()
            .find(|h| h.data.project.value == project)
            .map(|h| h.data.tag.value.clone())
    })
}

/// One project's clone state and its shipments, by train index.
type ProjectRead = (String, CloneState, Vec<(usize, Shipment)>);

/// Read every configured clone (or only `only`'s: opening a clone reads its
/// whole history) and work out what each hand-off ships. With no project
/// configured this opens nothing.
pub fn read(repo: &ReleaseRepository, only: Option<&str>) -> Shipments {
    let projects: Vec<(
        &String,
        &crate::model::process::ProjectSpec,
        &Spanned<String>,
    )> = repo
        .process
        .projects
        .iter()
        .filter(|(name, _)| only.is_none_or(|o| o == name.as_str()))
        .filter_map(|(name, spec)| Some((name, spec, spec.repository.as_ref()?)))
        .collect();
    if projects.is_empty() {
        return Shipments::default();
    }
    let bugs = &repo.process.bugs.pattern;
    let per_project: Vec<ProjectRead> = projects
        .par_iter()
        .map(|(name, spec, written)| {
            let clone = match clone::ServiceClone::open(&repo.root, spec, &written.value, bugs) {
                Ok(c) => c,
                Err(why) => return (name.to_string(), CloneState::Unreadable(why), Vec::new()),
            };
            let state = if clone.shallow {
                CloneState::Shallow
            } else {
                CloneState::Readable {
                    branch: clone.branch.clone(),
                }
            };
            let mut out = Vec::new();
            for (i, t) in repo.trains.iter().enumerate() {
                for h in t.handoffs.iter().filter(|h| h.data.project.value == **name) {
                    out.push((i, ship(repo, &clone, spec, name, i, h)));
                }
            }
            (name.to_string(), state, out)
        })
        .collect();
    let mut shipments = Shipments {
        clones: BTreeMap::new(),
        trains: vec![Vec::new(); repo.trains.len()],
    };
    for (name, state, list) in per_project {
        shipments.clones.insert(name, state);
        for (i, s) in list {
            shipments.trains[i].push(s);
        }
    }
    for list in &mut shipments.trains {
        list.sort_by(|a, b| a.file.cmp(&b.file));
    }
    shipments
}

fn ship(
    repo: &ReleaseRepository,
    clone: &clone::ServiceClone,
    spec: &crate::model::process::ProjectSpec,
    project: &str,
    index: usize,
    h: &crate::model::Record<crate::model::Handoff>,
) -> Shipment {
    let from = shipped_before(repo, index, project)
        .or_else(|| spec.baseline.as_ref().map(|b| b.value.clone()));
    let mut s = Shipment {
        project: project.to_string(),
        file: h.path.clone(),
        tag: h.data.tag.clone(),
        tag_problem: None,
        from: from.clone(),
        range_problem: None,
        commits: Vec::new(),
        bugs_named: Vec::new(),
    };
    let to = match clone.tag(spec, &s.tag.value) {
        Ok(oid) => oid,
        Err(p) => {
            s.tag_problem = Some(p);
            s.range_problem = Some(RangeProblem::BadTag);
            return s;
        }
    };
    let Some(from) = from else {
        s.range_problem = Some(RangeProblem::Unknown);
        return s;
    };
    if clone.shallow {
        s.range_problem = Some(RangeProblem::Shallow);
        return s;
    }
    // FROM shipped before (or is the baseline): only that it names a commit
    // matters, not the pattern or the branch.
    let Ok(from_oid) = clone.commit_of(&from) else {
        s.range_problem = Some(RangeProblem::FromMissing(from));
        return s;
    };
    let range = clone.range(from_oid, to);
    if range.all == 0 {
        s.range_problem = Some(if clone.is_ancestor(to, from_oid) {
            RangeProblem::Backwards
        } else {
            RangeProblem::NothingNew
        });
    } else if range.met_root && !clone.related(from_oid, to) {
        s.range_problem = Some(RangeProblem::Unrelated);
        return s;
    }
    for c in &range.commits {
        for b in &c.bugs {
            if !s.bugs_named.contains(b) {
                s.bugs_named.push(*b);
            }
        }
    }
    s.commits = range.commits;
    s
}

/// What one project ships in one train, as `trainyard changes`, the release
/// page and `api/releases.json` show it.
#[derive(Debug, Clone)]
pub struct ProjectChanges<'a> {
    pub project: &'a str,
    /// FROM, when the range is known.
    pub from: Option<&'a str>,
    pub to: &'a str,
    pub commits: &'a [Commit],
    /// The bugs the train lists for the project.
    pub bugs_listed: Vec<u64>,
    pub bugs_not_named: Vec<u64>,
    pub bugs_not_listed: Vec<u64>,
    /// The bugs the commits name.
    pub bugs_named: &'a [u64],
    /// Why the commits are not listed, when they are not.
    pub problem: Option<String>,
}

/// What each project with a configured repository ships in the train at
/// `index`, by hand-off, plus the hand-offs of projects whose clone could not
/// be read (with no range).
pub fn changes<'a>(
    repo: &'a ReleaseRepository,
    ships: &'a Shipments,
    index: usize,
) -> Vec<ProjectChanges<'a>> {
    let train = &repo.trains[index];
    let listed = |project: &str| -> Vec<u64> {
        let mut out = Vec::new();
        for f in train.train.iter().flat_map(|t| t.data.features.iter()) {
            if f.project.value == project {
                for b in &f.bugs {
                    if let Some(n) = bug_number(&b.value, &repo.process.bugs.pattern) {
                        if !out.contains(&n) {
                            out.push(n);
                        }
                    }
                }
            }
        }
        out
    };
    let mut out = Vec::new();
    for h in &train.handoffs {
        let project = h.data.project.value.as_str();
        let Some(state) = ships.clones.get(project) else {
            continue;
        };
        let bugs_listed = listed(project);
        match ships.of(index).iter().find(|s| s.file == h.path) {
            Some(s) => {
                let known = s.range_problem.is_none();
                let problem = s.range_problem.as_ref().map(|p| match p {
                    RangeProblem::Unknown => "the range is unknown: no earlier train of this project succeeded and no `baseline` is configured".to_string(),
                    RangeProblem::Shallow => "the clone is shallow, so the range is not listed".to_string(),
                    RangeProblem::FromMissing(f) => format!("`{f}` (in production) is not a tag of the clone"),
                    RangeProblem::BadTag => "the tag fails `handoff-tag`".to_string(),
                    RangeProblem::NothingNew => "nothing new since the tag in production".to_string(),
                    RangeProblem::Backwards => "the tag is older than the one in production".to_string(),
                    RangeProblem::Unrelated => "the tag shares no history with the one in production".to_string(),
                });
                out.push(ProjectChanges {
                    project,
                    from: s.from.as_deref().filter(|_| s.has_range()),
                    to: &s.tag.value,
                    commits: &s.commits,
                    bugs_not_named: if known {
                        bugs_listed
                            .iter()
                            .copied()
                            .filter(|b| !s.bugs_named.contains(b))
                            .collect()
                    } else {
                        Vec::new()
                    },
                    bugs_not_listed: if known {
                        s.bugs_named
                            .iter()
                            .copied()
                            .filter(|b| !bugs_listed.contains(b))
                            .collect()
                    } else {
                        Vec::new()
                    },
                    bugs_listed,
                    bugs_named: &s.bugs_named,
                    problem,
                });
            }
            None => out.push(ProjectChanges {
                project,
                from: None,
                to: &h.data.tag.value,
                commits: &[],
                bugs_listed,
                bugs_not_named: Vec::new(),
                bugs_not_listed: Vec::new(),
                bugs_named: &[],
                problem: Some(match state {
                    CloneState::Unreadable(u) => u.why.clone(),
                    _ => "not read".to_string(),
                }),
            }),
        }
    }
    out
}
