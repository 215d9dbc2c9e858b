//! View models: the data each page shows, computed once from the model, the
//! schedule and the diagnostics. Templates only lay it out.

use crate::checklist::{Item, State};
use crate::diagnostics::{Diagnostic, Report};
use crate::model::{
    train_dir_of, CiStatus, Decision, Environment, Exception, Outcome, RecordTime, RecordUrl,
    ReleaseRepository, Spanned, Train,
};
use crate::schedule::time::{show, show_date, show_duration};
use crate::tracking::{self, Planned, Status, Step, Tracked};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

/// A link relative to the site root; templates prefix it with `root`.
pub fn train_href(id: &str) -> String {
    format!("releases/{id}/index.html")
}

/// The history page of a release.
pub fn train_history_href(id: &str) -> String {
    format!("releases/{id}/history/index.html")
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub label: String,
    pub href: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MilestoneView {
    pub key: &'static str,
    pub name: &'static str,
    pub owner: String,
    pub planned: String,
    pub moved: Option<String>,
    pub status: &'static str,
    pub status_label: &'static str,
    pub done: Option<String>,
    pub by: Vec<String>,
    pub late_by: Option<String>,
    pub progress: Option<String>,
    /// The step ended badly (a no-go, a rollback).
    pub alert: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrainSummary {
    pub id: String,
    pub href: String,
    pub date: String,
    pub state: &'static str,
    pub state_label: &'static str,
    pub features: Vec<String>,
    pub skipped: Option<String>,
    pub late: Vec<String>,
    pub lead_time: Option<String>,
    pub errors: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckItem {
    pub label: String,
    /// `done`, `missing` or `not-needed`.
    pub state: &'static str,
    pub detail: String,
    /// The item's web address (CI run, test plan, security document,
    /// staging), linked when it is an absolute http(s) URL; shown before
    /// `detail`.
    pub link: Option<super::safe_url::WebUrl>,
    /// Bugs the item lists, linked to the tracker when `bugs.url` is set
    /// (shown instead of `detail` when there are any).
    pub bugs: Vec<BugView>,
}

fn item(label: &str, ok: bool, detail: impl Into<String>) -> CheckItem {
    CheckItem {
        label: label.into(),
        state: if ok { "done" } else { "missing" },
        detail: detail.into(),
        link: None,
        bugs: Vec::new(),
    }
}

/// An item whose value is a web address, with `detail` after it.
fn linked(label: &str, ok: bool, url: &RecordUrl, detail: impl Into<String>) -> CheckItem {
    CheckItem {
        link: Some(super::safe_url::WebUrl::new(url)),
        ..item(label, ok, detail)
    }
}

fn not_needed(label: &str, detail: impl Into<String>) -> CheckItem {
    CheckItem {
        state: "not-needed",
        ..item(label, true, detail)
    }
}

/// A bug as pages show it: its label, and its tracker page when `bugs.url`
/// is set (made from a checked http(s) template, so safe to link).
#[derive(Debug, Clone, Serialize)]
pub struct BugView {
    pub label: String,
    pub href: Option<String>,
}

/// What one project ships in a train (the release page's "What ships").
#[derive(Debug, Clone, Serialize)]
pub struct ShipView {
    pub project: String,
    pub from: Option<String>,
    pub to: String,
    pub problem: Option<String>,
    pub commits: Vec<ShipCommitView>,
    pub bugs_not_named: Vec<BugView>,
    pub bugs_not_listed: Vec<BugView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ShipCommitView {
    pub short: String,
    pub id: String,
    pub subject: String,
    pub author: String,
    pub date: String,
    pub bugs: Vec<BugView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FeatureView {
    pub project: String,
    pub summary: String,
    pub bugs: Vec<String>,
    /// The same bugs, linked when `bugs.url` is set.
    pub bug_links: Vec<BugView>,
    pub client_dependency: Option<String>,
    pub handed_off: bool,
    /// Who owes its hand-off, by name.
    pub owner: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HandoffView {
    pub project: String,
    pub by: String,
    pub at: String,
    pub late_by: Option<String>,
    pub tag: String,
    pub checklist: Vec<CheckItem>,
    pub file: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct NoticeView {
    pub at: String,
    pub by: String,
    pub summary: String,
    pub notified: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StagingView {
    pub by: String,
    pub at: String,
    pub notices: Vec<NoticeView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SignoffView {
    pub by: String,
    pub at: String,
    pub late_by: Option<String>,
    pub decision: &'static str,
    pub criteria: Vec<CheckItem>,
    pub notified: String,
    pub results: Option<super::safe_url::WebUrl>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Attendance {
    pub role: String,
    pub people: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ValidationView {
    pub by: Option<String>,
    pub at: Option<String>,
    pub outcome: Option<&'static str>,
    /// The outcome as shown, also when a half-written record lacks it.
    pub outcome_label: &'static str,
    /// `success`, `rolled-back` or `unknown`: a CSS class suffix.
    pub outcome_class: &'static str,
    pub notified: Option<String>,
    pub rollback_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PushView {
    pub by: String,
    pub started: String,
    pub finished: String,
    pub window: String,
    pub in_window: bool,
    pub present: Vec<Attendance>,
    pub validation: Option<ValidationView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExceptionView {
    pub file: String,
    pub rule: String,
    pub reason: String,
    pub approved_by: String,
    /// The commit that proves the approval, from Git history.
    pub proven_in: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DiagView {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub rule: &'static str,
    pub severity: &'static str,
    pub message: String,
    pub help: Option<String>,
}

impl From<&Diagnostic> for DiagView {
    fn from(d: &Diagnostic) -> Self {
        DiagView {
            file: d.file.clone(),
            line: d.pos.line,
            column: d.pos.col,
            rule: d.rule.id(),
            severity: d.severity.as_str(),
            message: d.message.clone(),
            help: d.help.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AnnouncementView {
    pub summary: String,
    pub called_out_by: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReleaseView<'v> {
    pub summary: TrainSummary,
    pub planned_at: Option<String>,
    pub announcement: Option<AnnouncementView>,
    pub features: Vec<FeatureView>,
    pub milestones: Vec<MilestoneView>,
    pub handoffs: Vec<HandoffView>,
    pub staging: Option<StagingView>,
    pub signoff: Option<SignoffView>,
    pub push: Option<PushView>,
    pub exceptions: Vec<ExceptionView>,
    pub diagnostics: Vec<DiagView>,
    pub notes_html: Option<String>,
    pub next_due: Option<String>,
    /// Whether the next step is overdue (shown as an alert, not as due).
    pub next_overdue: bool,
    pub provenance: Vec<Provenance<'v>>,
    /// Every bug the train lists, in the tracker (`bugs.list_url`).
    pub bug_list: Option<String>,
    /// What each project with a configured repository ships.
    pub ships: Vec<ShipView>,
    /// The version of the process that judges the train, when the process
    /// has changed over time.
    pub process_version: Option<Link>,
    /// Why the train pushes off the regular day, and who approved it.
    pub out_of_cycle: Option<String>,
    /// The sign-off rounds before the deciding one, each as people read it.
    pub earlier_rounds: Vec<String>,
    /// The train's release driver (`rotation`), by name.
    pub driver: Option<String>,
}

/// Who recorded a file, from Git history.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance<'v> {
    pub file: String,
    pub added: Option<&'v CommitView>,
    /// The latest change, when it is not the addition.
    pub changed: Option<&'v CommitView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CommitView {
    pub short: String,
    pub summary: String,
    pub author: String,
    pub date: String,
}

/// A commit as people read it: the author's name from people.yaml when
/// their e-mail is listed there, the date in the process timezone.
fn commit_view(repo: &ReleaseRepository, tz: Tz, c: &crate::git::Commit) -> CommitView {
    let author = repo
        .people
        .by_email(&c.author_email)
        .map(|p| p.name.value.clone())
        .unwrap_or_else(|| c.author_name.clone());
    CommitView {
        short: c.short.clone(),
        summary: c.summary.clone(),
        author,
        date: show(&c.time.with_timezone(&tz)),
    }
}

/// Shared helpers over one repository.
pub struct Viewer<'a> {
    pub repo: &'a ReleaseRepository,
    /// What each hand-off ships, from the service repositories.
    ships: &'a crate::repositories::Shipments,
    pub now: DateTime<Utc>,
    pub history: Option<&'a crate::git::History>,
    /// The diagnostics of each train folder (`releases/DATE`), in report order.
    by_train: HashMap<&'a str, Vec<&'a Diagnostic>>,
    /// Every commit of the history as pages show it, by index: made once,
    /// since the same commits appear on many pages (provenance, "last
    /// changed", the history pages).
    commits: Vec<CommitView>,
    /// What the history proves of each approval.
    approvals: Option<&'a crate::git::approvals::Approvals>,
}

impl<'a> Viewer<'a> {
    pub fn new(
        repo: &'a ReleaseRepository,
        report: &'a Report,
        now: DateTime<Utc>,
        history: Option<&'a crate::git::History>,
        ships: &'a crate::repositories::Shipments,
        approvals: Option<&'a crate::git::approvals::Approvals>,
    ) -> Viewer<'a> {
        // Grouped once: looking them up per train is then independent of how
        // many diagnostics the other trains have.
        let mut by_train: HashMap<&str, Vec<&Diagnostic>> = HashMap::new();
        for d in &report.diagnostics {
            if let Some(dir) = train_dir_of(&d.file) {
                by_train.entry(dir).or_default().push(d);
            }
        }
        let tz = repo.process.timezone;
        let commits = history.map_or_else(Vec::new, |h| {
            h.commits
                .par_iter()
                .map(|c| commit_view(repo, tz, c))
                .collect()
        });
        Viewer {
            repo,
            ships,
            now,
            history,
            by_train,
            commits,
            approvals,
        }
    }

    /// A bug with its tracker link, if any.
    pub fn bug(&self, bug: &crate::model::Bug) -> BugView {
        let bugs = &self.repo.process.bugs;
        BugView {
            label: bug.to_string(),
            href: crate::repositories::bug_number(bug, &bugs.pattern).and_then(|n| bugs.link(n)),
        }
    }

    fn bug_number(&self, n: u64) -> BugView {
        self.bug(&crate::model::Bug::Number(n))
    }

    /// What each project ships in `train`.
    fn ships(&self, train: &Train) -> (Vec<ShipView>, Option<String>) {
        let tz = self.repo.process.timezone;
        let listed: Vec<u64> = train
            .train
            .iter()
            .flat_map(|d| d.data.features.iter())
            .flat_map(|f| f.bugs.iter())
            .filter_map(|b| {
                crate::repositories::bug_number(&b.value, &self.repo.process.bugs.pattern)
            })
            .collect();
        let bug_list = self.repo.process.bugs.list_link(&listed);
        let Ok(index) = self
            .repo
            .trains
            .binary_search_by_key(&train.date, |t| t.date)
        else {
            return (Vec::new(), bug_list);
        };
        let ships = crate::repositories::changes(self.repo, self.ships, index)
            .into_iter()
            .map(|c| ShipView {
                project: c.project.to_string(),
                from: c.from.map(str::to_string),
                to: c.to.to_string(),
                problem: c.problem,
                commits: c
                    .commits
                    .iter()
                    .map(|k| ShipCommitView {
                        short: k.id.chars().take(10).collect(),
                        id: k.id.clone(),
                        subject: k.subject.clone(),
                        author: k.author.clone(),
                        date: show_date(k.time.with_timezone(&tz).date_naive()),
                        bugs: k.bugs.iter().map(|n| self.bug_number(*n)).collect(),
                    })
                    .collect(),
                bugs_not_named: c
                    .bugs_not_named
                    .iter()
                    .map(|n| self.bug_number(*n))
                    .collect(),
                bugs_not_listed: c
                    .bugs_not_listed
                    .iter()
                    .map(|n| self.bug_number(*n))
                    .collect(),
            })
            .collect();
        (ships, bug_list)
    }

    /// The diagnostics of the files in `train`'s folder.
    fn diagnostics_of(&self, train: &Train) -> &[&'a Diagnostic] {
        self.by_train
            .get(train.dir.as_str())
            .map_or(&[], Vec::as_slice)
    }

    /// The commit at index `i` of the history, as pages show it.
    pub fn commit(&self, i: usize) -> Option<&CommitView> {
        self.commits.get(i)
    }

    fn provenance(&self, train: &Train) -> Vec<Provenance<'_>> {
        let Some(h) = self.history else {
            return Vec::new();
        };
        let mut files: Vec<String> = train.train.iter().map(|d| d.path.clone()).collect();
        files.extend(train.record_files.iter().cloned());
        files.extend(train.notes.iter().cloned());
        files
            .into_iter()
            .filter_map(|f| {
                let added = h.added_at(&f);
                let last = h.last_change_at(&f);
                if added.is_none() && last.is_none() {
                    return None;
                }
                let changed = match (added, last) {
                    (Some(a), Some(l)) if a == l => None,
                    (_, l) => l.and_then(|i| self.commit(i)),
                };
                Some(Provenance {
                    added: added.and_then(|i| self.commit(i)),
                    changed,
                    file: f,
                })
            })
            .collect()
    }

    /// A person's name, or the handle when people.yaml does not list them.
    pub fn name(&self, handle: &str) -> String {
        self.repo
            .people
            .get(handle)
            .map(|p| p.name.value.clone())
            .unwrap_or_else(|| handle.to_string())
    }

    /// When an e-mail went out: the recorded send time; without one
    /// (trainyard sends it on merge, `notify.mail`), the time of the commit
    /// that brought the record, from the history.
    pub fn sent(&self, t: Option<&Spanned<RecordTime>>, path: &str) -> String {
        if let Some(t) = t {
            return self.time(t);
        }
        let merged = self
            .history
            .and_then(|h| h.added_at(path))
            .and_then(|i| self.commit(i));
        match merged {
            Some(c) => format!("by trainyard on merge, {}", c.date),
            None => "by trainyard on merge (not merged yet)".to_string(),
        }
    }

    /// A recorded time as people read it, or the text as written when load
    /// could not read it (and reported it).
    pub fn time(&self, t: &Spanned<RecordTime>) -> String {
        t.value
            .get()
            .map_or_else(|| t.value.text().to_string(), |at| show(&at))
    }

    fn role_title(&self, role: &str) -> String {
        self.repo.process.role_title(role).to_string()
    }

    pub fn milestones(&self, t: &Tracked) -> Vec<MilestoneView> {
        t.milestones
            .iter()
            .map(|m| {
                let planned = m.planned.describe();
                let moved = match &m.planned {
                    Planned::Deadline { moved_because, .. } => moved_because.clone(),
                    _ => None,
                };
                MilestoneView {
                    key: m.step.key(),
                    name: m.step.name(),
                    owner: self.role_title(m.step.owner()),
                    planned,
                    moved,
                    status: m.status.key(),
                    status_label: m.status.label(),
                    done: m.done_at.as_ref().map(|d| {
                        if m.step == Step::Planning {
                            show_date(d.date_naive())
                        } else {
                            show(d)
                        }
                    }),
                    by: m.done_by.iter().map(|h| self.name(h)).collect(),
                    late_by: m.late_by.map(show_duration),
                    progress: m.progress.clone(),
                    alert: matches!(m.progress.as_deref(), Some("rolled back" | "no-go")),
                }
            })
            .collect()
    }

    pub fn summary(&self, train: &Train, t: &Tracked) -> TrainSummary {
        let id = train.id();
        let errors = self
            .diagnostics_of(train)
            .iter()
            .filter(|d| d.severity == crate::diagnostics::Severity::Error)
            .count();
        TrainSummary {
            href: train_href(&id),
            date: show_date(train.date),
            state: t.state.key(),
            state_label: t.state.label(),
            features: train
                .train
                .iter()
                .flat_map(|d| d.data.features.iter().map(|f| f.project.value.clone()))
                .collect(),
            skipped: train
                .train
                .as_ref()
                .and_then(|d| d.data.skipped.as_ref())
                .map(|s| s.reason.value.clone()),
            late: t
                .milestones
                .iter()
                .filter(|m| m.status.is_late())
                .map(|m| m.step.name().to_string())
                .collect(),
            lead_time: t.lead_time().map(show_duration),
            errors,
            id,
        }
    }

    pub fn release(&self, train: &Train, t: &Tracked) -> ReleaseView<'_> {
        let sched = t.schedule.as_ref();
        let mut exceptions = Vec::new();
        let mut add_exceptions = |file: &str, list: &[Exception]| {
            for e in list {
                exceptions.push(ExceptionView {
                    file: file.to_string(),
                    rule: e.rule.value.clone(),
                    reason: e
                        .reason
                        .as_ref()
                        .map(|r| r.value.clone())
                        .unwrap_or_default(),
                    approved_by: e
                        .approved_by
                        .as_ref()
                        .map(|a| self.name(&a.value))
                        .unwrap_or_default(),
                    proven_in: e.approved_by.as_ref().and_then(|a| {
                        match self.approvals?.get(file, &e.rule.value, &a.value)? {
                            crate::git::approvals::Approval::Proven { commit } => {
                                Some(commit.clone())
                            }
                            crate::git::approvals::Approval::Unproven(_) => None,
                        }
                    }),
                });
            }
        };
        let doc = train.train.as_ref();
        if let Some(d) = doc {
            add_exceptions(&d.path, &d.data.exceptions);
        }
        let features = doc
            .map(|d| {
                d.data
                    .features
                    .iter()
                    .map(|f| FeatureView {
                        project: f.project.value.clone(),
                        summary: f.summary.value.clone(),
                        bugs: f.bugs.iter().map(|b| b.value.to_string()).collect(),
                        bug_links: f.bugs.iter().map(|b| self.bug(&b.value)).collect(),
                        client_dependency: f.client_dependency.as_ref().map(|c| c.value.clone()),
                        handed_off: train
                            .handoffs
                            .iter()
                            .any(|h| h.data.project.value == f.project.value),
                        owner: f.owner.as_ref().map(|o| self.name(&o.value)),
                    })
                    .collect()
            })
            .unwrap_or_default();

        let handoffs = train
            .handoffs
            .iter()
            .map(|h| {
                add_exceptions(&h.path, &h.data.exceptions);
                let d = &h.data;
                let at = d.at.value.get();
                let late_by = t.late_for(Step::Handoff, at).map(show_duration);
                // Which items are done is the checklist's decision (the
                // same list `check` reports from); this says how each reads.
                let states = crate::checklist::handoff(d, self.repo.process_for(train.date));
                let ok = |item| crate::checklist::state(&states, item) == Some(State::Done);
                let mut checklist = vec![
                    item("Tag with the changes", ok(Item::Tag), d.tag.value.clone()),
                    linked(
                        "Green CI",
                        ok(Item::GreenCi),
                        &d.ci.url.value,
                        format!(
                            "({})",
                            match d.ci.status.value {
                                CiStatus::Passing => "passing",
                                CiStatus::Failing => "failing",
                                CiStatus::Unknown => "unknown",
                            }
                        ),
                    ),
                    linked("Test plan", ok(Item::TestPlan), &d.test_plan.value, ""),
                ];
                if d.security.required.value {
                    checklist.push(match &d.security.doc {
                        Some(doc) if ok(Item::SecurityDoc) => {
                            linked("Security documentation", true, &doc.value, "")
                        }
                        _ => item("Security documentation", false, "missing"),
                    });
                    checklist.push(item(
                        "Security sign-off",
                        ok(Item::SecuritySignoff),
                        d.security
                            .signed_off_by
                            .as_ref()
                            .filter(|_| ok(Item::SecuritySignoff))
                            .map(|x| self.name(&x.value))
                            .unwrap_or_else(|| "missing".into()),
                    ));
                } else {
                    checklist.push(not_needed(
                        "Security review",
                        "not required for this change",
                    ));
                }
                if d.deploy_bugs.is_empty() {
                    checklist.push(not_needed(
                        "Deploy bugs for Ops",
                        "no special deployment steps",
                    ));
                } else {
                    let bugs: Vec<String> =
                        d.deploy_bugs.iter().map(|b| b.value.to_string()).collect();
                    let mut deploy = item("Deploy bugs for Ops", true, bugs.join(", "));
                    deploy.bugs = d.deploy_bugs.iter().map(|b| self.bug(&b.value)).collect();
                    checklist.push(deploy);
                }
                let joined = |l: &[Spanned<String>]| {
                    l.iter()
                        .map(|a| a.value.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let list = |role: &str| {
                    self.repo
                        .process_for(train.date)
                        .role_list(role)
                        .map(str::to_string)
                        .unwrap_or_default()
                };
                let sent = self.sent(
                    d.notification.as_ref().and_then(|n| n.sent_at.as_ref()),
                    &h.path,
                );
                let (to, cc) = match &d.notification {
                    Some(n) => (joined(&n.to), joined(&n.cc)),
                    None => (list("test"), list("ops")),
                };
                checklist.push(item(
                    "E-mail to Test, cc Ops",
                    ok(Item::EmailToTest) && ok(Item::EmailCcOps),
                    format!("sent {sent} to {to} cc {cc}"),
                ));
                checklist.push(linked(
                    "Staging environment and database",
                    ok(Item::Staging),
                    &d.staging.url.value,
                    format!("· database {}", d.staging.database.value),
                ));
                // The version's further items, in its order.
                let process = self.repo.process_for(train.date);
                for (i, extra) in process.checklist.iter().enumerate() {
                    let given = ok(Item::Extra(i as u16));
                    let value = d.checklist.as_ref().and_then(|c| c.value.get(&extra.id));
                    let text = value.map_or("missing", |v| v.value.text());
                    let mut it = item(&extra.title, given, if given { text } else { "missing" });
                    if given && extra.kind == crate::model::process::ItemKind::Url {
                        it.link = Some(super::safe_url::WebUrl::checked(text));
                        it.detail = String::new();
                    }
                    checklist.push(it);
                }
                HandoffView {
                    project: d.project.value.clone(),
                    by: self.name(&d.by.value),
                    at: self.time(&d.at),
                    late_by,
                    tag: d.tag.value.clone(),
                    checklist,
                    file: h.path.clone(),
                }
            })
            .collect();

        let staging = train.staging.as_ref().map(|s| {
            add_exceptions(&s.path, &s.data.exceptions);
            StagingView {
                by: self.name(&s.data.pushed_by.value),
                at: self.time(&s.data.pushed_at),
                notices: s
                    .data
                    .notices
                    .iter()
                    .map(|n| NoticeView {
                        at: self.time(&n.at),
                        by: self.name(&n.by.value),
                        summary: n.summary.value.clone(),
                        notified: n
                            .test_notified_at
                            .as_ref()
                            .map_or_else(|| "not yet".to_string(), |t| self.time(t)),
                    })
                    .collect(),
            }
        });

        let signoff = train.signoff.as_ref().map(|s| {
            add_exceptions(&s.path, &s.data.exceptions);
            let d = &s.data;
            // Which criteria are met is the checklist's decision (the same
            // list `check` reports from); this says how each reads.
            let states = crate::checklist::signoff(d, self.repo.process_for(train.date));
            let ok = |item| crate::checklist::state(&states, item) == Some(State::Done);
            let result =
                |label: &str, it: Item| item(label, ok(it), if ok(it) { "pass" } else { "fail" });
            let lt = &d.load_test;
            let load = if !lt.required.value {
                not_needed("Load test signed off by Ops", "not required")
            } else {
                item(
                    "Load test signed off by Ops",
                    ok(Item::LoadTest),
                    match (
                        lt.signed_off_by.as_ref().filter(|_| ok(Item::LoadTest)),
                        &lt.environment,
                    ) {
                        (Some(by), env) => format!(
                            "{}{}",
                            self.name(&by.value),
                            match env.as_ref().map(|e| e.value) {
                                Some(Environment::Stage) => ", in stage",
                                Some(Environment::Production) => ", in production",
                                None => "",
                            }
                        ),
                        (None, _) => "missing".into(),
                    },
                )
            };
            let at = d.at.value.get();
            SignoffView {
                by: self.name(&d.by.value),
                at: self.time(&d.at),
                late_by: t.late_for(Step::Signoff, at).map(show_duration),
                decision: match d.decision.value {
                    Decision::Go => "go",
                    Decision::NoGo => "no-go",
                },
                criteria: {
                    let mut list = vec![
                        result("QA regression tests pass", Item::Regression),
                        result("Cross-environment tests pass", Item::CrossEnvironment),
                        result("Test plan passes", Item::TestPlanPassed),
                        load,
                    ];
                    let process = self.repo.process_for(train.date);
                    list.extend(
                        process
                            .criteria
                            .iter()
                            .enumerate()
                            .map(|(i, c)| result(&c.title, Item::Criterion(i as u16))),
                    );
                    list.push(item(
                        "Results e-mailed to the test list",
                        true,
                        self.sent(d.notified_at.as_ref(), &s.path),
                    ));
                    list
                },
                notified: self.sent(d.notified_at.as_ref(), &s.path),
                results: d
                    .results
                    .as_ref()
                    .map(|r| super::safe_url::WebUrl::new(&r.value)),
            }
        });

        let push = train.push.as_ref().map(|p| {
            add_exceptions(&p.path, &p.data.exceptions);
            let d = &p.data;
            let start = d.started_at.value.get();
            let end = d.finished_at.value.get();
            let in_window = match (sched, start, end) {
                (Some(s), Some(a), Some(b)) => a >= s.window_start && b <= s.window_end,
                _ => false,
            };
            let people = |list: &[Spanned<String>]| {
                list.iter().map(|h| self.name(&h.value)).collect::<Vec<_>>()
            };
            let mut present = vec![
                Attendance {
                    role: self.role_title("dev"),
                    people: people(&d.present.dev),
                },
                Attendance {
                    role: self.role_title("test"),
                    people: people(&d.present.test),
                },
                Attendance {
                    role: self.role_title("ops"),
                    people: people(&d.present.ops),
                },
            ];
            if !d.present.security.is_empty() {
                present.push(Attendance {
                    role: self.role_title("security"),
                    people: people(&d.present.security),
                });
            }
            PushView {
                by: self.name(&d.pushed_by.value),
                started: self.time(&d.started_at),
                finished: self.time(&d.finished_at),
                window: sched
                    .map(|s| {
                        format!(
                            "{}–{}",
                            show(&s.window_start),
                            crate::schedule::time::show_clock(&s.window_end)
                        )
                    })
                    .unwrap_or_default(),
                in_window,
                present,
                validation: d.validation.as_ref().map(|v| ValidationView {
                    by: v.by.as_ref().map(|b| self.name(&b.value)),
                    at: v.at.as_ref().map(|a| self.time(a)),
                    outcome: v.outcome.as_ref().map(|o| match o.value {
                        Outcome::Success => "success",
                        Outcome::RolledBack => "rolled back",
                    }),
                    outcome_label: match v.outcome.as_ref().map(|o| o.value) {
                        Some(Outcome::Success) => "success",
                        Some(Outcome::RolledBack) => "rolled back",
                        None => "not recorded",
                    },
                    outcome_class: match v.outcome.as_ref().map(|o| o.value) {
                        Some(Outcome::Success) => "success",
                        Some(Outcome::RolledBack) => "rolled-back",
                        None => "unknown",
                    },
                    notified: v.notified_at.as_ref().map(|n| self.time(n)),
                    rollback_reason: v.rollback_reason.as_ref().map(|r| r.value.clone()),
                }),
            }
        });

        let diagnostics = self
            .diagnostics_of(train)
            .iter()
            .map(|d| DiagView::from(*d))
            .collect();
        let notes_html = train
            .notes
            .as_ref()
            .and_then(|n| self.repo.sources.get(n))
            .map(|md| super::markdown::render_with(md, "notes-", Some(&self.repo.process.bugs)));
        let next = t.next_due();
        let next_due = next.map(|m| self.owes(train, m));
        let next_overdue = next.is_some_and(|m| m.status == Status::Overdue);
        let (ships, bug_list) = self.ships(train);
        let process_version = (!self.repo.earlier.is_empty()).then(|| {
            let (file, p) = self.repo.version_for(train.date);
            Link {
                label: match p.since {
                    Some(since) if file == "process.yaml" => {
                        format!("the current process (from {since})")
                    }
                    Some(since) => format!("the process of {since}"),
                    None => "the current process".to_string(),
                },
                href: super::pages::process::version_href(file),
            }
        });
        let out_of_cycle = doc.and_then(|d| d.data.out_of_cycle.as_ref()).map(|o| {
            let reason = o
                .reason
                .as_ref()
                .map_or("no reason given", |r| r.value.as_str());
            match &o.approved_by {
                Some(by) => format!("{reason} (approved by {})", self.name(&by.value)),
                None => format!("{reason} (not approved)"),
            }
        });
        let earlier_rounds = train
            .earlier_rounds
            .iter()
            .map(|(n, r)| {
                let decision = match r.data.decision.value {
                    Decision::Go => "go",
                    Decision::NoGo => "no-go",
                };
                format!(
                    "Round {n}: {decision}, by {} at {} ({})",
                    self.name(&r.data.by.value),
                    self.time(&r.data.at),
                    r.path
                )
            })
            .collect();
        ReleaseView {
            driver: self
                .repo
                .driver_for(train.date)
                .map(|p| p.name.value.clone()),
            process_version,
            out_of_cycle,
            earlier_rounds,
            summary: self.summary(train, t),
            planned_at: doc.map(|d| d.data.planned_at.value.text().to_string()),
            announcement: doc.and_then(|d| d.data.announcement.as_ref()).map(|a| {
                AnnouncementView {
                    summary: a.summary.value.clone(),
                    called_out_by: self.name(&a.called_out_by.value),
                }
            }),
            features,
            milestones: self.milestones(t),
            handoffs,
            staging,
            signoff,
            push,
            exceptions,
            diagnostics,
            notes_html,
            next_due,
            next_overdue,
            provenance: self.provenance(train),
            bug_list,
            ships,
        }
    }

    /// "Test sign-off is due by Fri 2026-11-27 17:00 PST (in 3 h); Test owes it."
    pub fn owes(&self, train: &Train, m: &tracking::Milestone) -> String {
        let today = self
            .now
            .with_timezone(&self.repo.process.timezone)
            .date_naive();
        let owner = tracking::owed_by(self.repo, train, m.step, today);
        let when = match &m.planned {
            Planned::Deadline { at, .. } => Some(*at),
            Planned::Window { start, .. } => Some(*start),
            _ => None,
        };
        match when {
            Some(at) => {
                let delta = at.with_timezone(&Utc) - self.now;
                // Overdue by what the milestones table says (for a window,
                // since it closed), in the same words.
                let rel = match (m.status, m.late_by) {
                    (Status::Overdue, Some(late)) => format!("overdue by {}", show_duration(late)),
                    (Status::Overdue, None) => "overdue".to_string(),
                    _ => format!("in {}", show_duration(delta)),
                };
                format!(
                    "{} — due {} ({rel}); {owner} owes it",
                    m.step.name(),
                    show(&at)
                )
            }
            None => format!("{} — next; {owner} owes it", m.step.name()),
        }
    }
}
