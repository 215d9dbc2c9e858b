//! The service-repository rules (RULES.md): `repository-missing`,
//! `shallow-history` for a clone, `handoff-tag`, `handoff-changes` and
//! `bug-mismatch`, from what [`crate::repositories`] read.

use crate::diagnostics::Diagnostic;
use crate::model::{Pos, ReleaseRepository};
use crate::repositories::{bug_number, CloneState, RangeProblem, Shipments, TagProblem};
use crate::rules::Rule;

const PROCESS: &str = "process.yaml";

/// Every diagnostic about the service repositories.
pub fn check(repo: &ReleaseRepository, ships: &Shipments) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (name, state) in &ships.clones {
        let at = repo
            .process
            .projects
            .get(name)
            .and_then(|p| p.repository.as_ref());
        let pos = at.map_or(Pos::FILE, |r| r.pos);
        let shown = at.map_or("", |r| r.value.as_str());
        match state {
            CloneState::Readable { .. } => {}
            CloneState::Shallow => out.push(
                Diagnostic::new(
                    Rule::ShallowHistory,
                    PROCESS,
                    pos,
                    format!("project `{name}`: the clone at {shown} is shallow, so what its hand-offs ship is neither listed nor checked"),
                )
                .help("fetch its full history (`git -C PATH fetch --unshallow --tags`; in CI, actions/checkout with fetch-depth: 0)"),
            ),
            CloneState::Unreadable(why) => out.push(
                Diagnostic::new(
                    Rule::RepositoryMissing,
                    PROCESS,
                    pos,
                    format!("project `{name}`: {}; its tags and what ships are not checked", why.why),
                )
                .help(why.help.clone()),
            ),
        }
    }
    for (i, train) in repo.trains.iter().enumerate() {
        let list = ships.of(i);
        for s in list {
            if let Some(p) = &s.tag_problem {
                let tag = &s.tag.value;
                let shown = repo
                    .process
                    .projects
                    .get(&s.project)
                    .and_then(|p| p.repository.as_ref())
                    .map_or("", |r| r.value.as_str());
                let (message, help) = match p {
                    TagProblem::Missing => (
                        format!("tag `{tag}` does not exist in {} ({shown})", s.project),
                        "push the tag to the service repository (and fetch tags into the clone), or correct `tag`".to_string(),
                    ),
                    TagProblem::NotACommit(kind) => (
                        format!("tag `{tag}` in {} names {kind}, not a commit", s.project),
                        "tag the release commit itself".to_string(),
                    ),
                    TagProblem::NoMatch { pattern, any_match } => (
                        format!(
                            "tag `{tag}` does not match {}'s tag_pattern `{pattern}`{}",
                            s.project,
                            if *any_match { "" } else { " (no tag in the repository does)" }
                        ),
                        "hand off a release tag, or correct `tag_pattern` in process.yaml".to_string(),
                    ),
                    TagProblem::OffBranch(branch) => (
                        format!("tag `{tag}` in {} is not on branch `{branch}`", s.project),
                        format!("tag a commit of `{branch}`, or name the release branch in process.yaml `projects.{}.branch`", s.project),
                    ),
                };
                out.push(Diagnostic::new(Rule::HandoffTag, &s.file, s.tag.pos, message).help(help));
            }
            let from = s.from.as_deref().unwrap_or("");
            let changes = match &s.range_problem {
                Some(RangeProblem::NothingNew) => Some((
                    format!("tag `{}` ships nothing new: it holds no commit that `{from}` (in production) lacks", s.tag.value),
                    "tag the new work, or leave this project out of the train",
                )),
                Some(RangeProblem::Backwards) => Some((
                    format!("tag `{}` goes backwards: it is an ancestor of `{from}`, which is already in production", s.tag.value),
                    "hand off a tag newer than the one in production",
                )),
                Some(RangeProblem::Unrelated) => Some((
                    format!("tag `{}` shares no history with `{from}`, which is in production", s.tag.value),
                    "check that `tag` and the project's repository are right",
                )),
                _ => None,
            };
            if let Some((message, help)) = changes {
                out.push(
                    Diagnostic::new(Rule::HandoffChanges, &s.file, s.tag.pos, message).help(help),
                );
            }
        }
        // Bugs, per project: listed in train.yaml against named in commits.
        let Some(plan) = &train.train else { continue };
        let mut projects: Vec<&str> = list
            .iter()
            .filter(|s| s.range_problem.is_none())
            .map(|s| s.project.as_str())
            .collect();
        projects.dedup();
        for project in projects {
            let named: Vec<u64> = list
                .iter()
                .filter(|s| s.project == project && s.range_problem.is_none())
                .flat_map(|s| s.bugs_named.iter().copied())
                .collect();
            let features: Vec<_> = plan
                .data
                .features
                .iter()
                .filter(|f| f.project.value == project)
                .collect();
            let Some(first) = features.first() else {
                continue;
            };
            let mut listed = Vec::new();
            for bug in features.iter().flat_map(|f| &f.bugs) {
                let n = bug_number(&bug.value, &repo.process.bugs.pattern);
                // One diagnostic per bug, even when it is listed twice.
                if n.is_some_and(|n| listed.contains(&n)) {
                    continue;
                }
                if let Some(n) = n {
                    listed.push(n);
                }
                if !n.is_some_and(|n| named.contains(&n)) {
                    out.push(
                        Diagnostic::new(
                            Rule::BugMismatch,
                            &plan.path,
                            bug.pos,
                            format!("bug {} is listed for {project}, but no commit in what ships names it", bug.value),
                        )
                        .help("name the bug in the commit that fixes it, or take it off the list if it does not ship"),
                    );
                }
            }
            let mut seen = Vec::new();
            for n in named {
                if !listed.contains(&n) && !seen.contains(&n) {
                    seen.push(n);
                    out.push(
                        Diagnostic::new(
                            Rule::BugMismatch,
                            &plan.path,
                            first.project.pos,
                            format!("a commit in what ships for {project} names bug {n}, which the train does not list"),
                        )
                        .help(format!("add {n} to the feature's `bugs`, or check that the commit belongs in this release")),
                    );
                }
            }
        }
    }
    out
}
