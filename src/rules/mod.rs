//! The process rules (RULES.md): each module checks one part of the process and
//! reports diagnostics; this module runs them all and applies exceptions and
//! the per-rule severities from process.yaml.

mod ctx;
mod exceptions;
mod handoff;
pub mod history;
mod order;
mod people;
mod planning;
mod push;
pub mod repositories;
mod signoff;
mod train;

pub use crate::diagnostics::{Level, Rule};
pub use train::weekday_name;

use crate::diagnostics::{Diagnostic, Report, Severity};
use crate::model::{ReleaseRepository, Train};
use crate::schedule::TrainSchedule;
use chrono::{DateTime, Utc};
use ctx::Ctx;
use rayon::prelude::*;
use std::collections::HashSet;

pub use crate::model::values::PLACEHOLDER;

/// A scaffolded value nobody filled in yet: one `schema` problem for each
/// placeholder, however many share a line. Returns where each placeholder's
/// value starts (its `<`, and the quote before it), so that no other rule
/// reports the same unfilled value again.
fn placeholders(repo: &ReleaseRepository) -> Unfilled {
    let mut at = HashSet::new();
    let mut diagnostics = Vec::new();
    for (file, text) in repo.sources.iter().filter(|(_, t)| t.contains(PLACEHOLDER)) {
        for (n, line) in text.lines().enumerate() {
            let line_no = n as u32 + 1;
            for (byte, _) in line.match_indices(PLACEHOLDER) {
                let col = line[..byte].chars().count() as u32 + 1;
                let what = line[byte..]
                    .split('>')
                    .next()
                    .unwrap_or("")
                    .trim_start_matches(PLACEHOLDER)
                    .trim_start_matches(':')
                    .trim();
                diagnostics.push(
                    Diagnostic::new(
                        Rule::Schema,
                        file,
                        crate::model::Pos {
                            line: line_no,
                            col,
                            len: 1,
                        },
                        format!("this placeholder is not filled in yet ({what})"),
                    )
                    .help("replace the `<fill in: …>` value before committing the record"),
                );
                at.insert((file.clone(), line_no, col));
                at.insert((file.clone(), line_no, col.saturating_sub(1)));
            }
        }
    }
    Unfilled { diagnostics, at }
}

/// The placeholders of the repository: one diagnostic each, and where each
/// value starts.
struct Unfilled {
    diagnostics: Vec<Diagnostic>,
    at: HashSet<(String, u32, u32)>,
}

/// Every rule about one train.
fn check_train<'a>(cx: &mut Ctx<'a>, t: &'a Train, sched: Option<&TrainSchedule>) {
    train::check(cx, t, sched);
    // An out-of-cycle train's deadlines are only its own order (event-order).
    let deadlines = sched.filter(|_| !t.is_out_of_cycle());
    let handoffs = t
        .handoffs
        .iter()
        .map(|h| handoff::check_handoff(cx, t, h, deadlines))
        .collect();
    let staging = t
        .staging
        .as_ref()
        .and_then(|s| handoff::check_staging(cx, t, s).map(|at| (s.path.as_str(), at)));
    let signoff = t
        .signoff
        .as_ref()
        .and_then(|s| signoff::check(cx, t, s, deadlines).map(|at| (s.path.as_str(), at)));
    let push = t
        .push
        .as_ref()
        .map(|p| (p.path.as_str(), push::check(cx, t, p, sched)));
    let events = order::TrainEvents {
        handoffs,
        staging,
        signoff,
        push,
    };
    order::check(cx, t, &events);
    order::separation_of_duties(cx, t);
}

/// Check the loaded repository. `loading` holds the diagnostics found while
/// loading; the result is the complete, sorted report.
pub fn check(repo: &ReleaseRepository, loading: Vec<Diagnostic>, now: DateTime<Utc>) -> Report {
    check_with(repo, loading, now, None)
}

/// [`check`], with what the Git history proves of each approval (`None`
/// without history: an approval is then taken as written).
pub fn check_with(
    repo: &ReleaseRepository,
    loading: Vec<Diagnostic>,
    now: DateTime<Utc>,
    approvals: Option<&crate::git::approvals::Approvals>,
) -> Report {
    let mut cx = Ctx::new(repo, now);
    cx.approvals = approvals;
    cx.out = loading;
    if repo.process_unreadable {
        // process.yaml's own diagnostic says what is wrong; judging every
        // record by the default process would bury it (pipeline::skipped
        // says so).
        return Report::new(cx.out);
    }

    let unfilled = placeholders(repo);
    people::check(&mut cx);
    // Schedules first (sequentially, so a bad configured time is reported once),
    // then the trains in parallel: each is independent of the others.
    let schedules: Vec<_> = repo.trains.iter().map(|t| cx.schedule(t.date)).collect();
    let per_train: Vec<_> = repo
        .trains
        .par_iter()
        .zip(schedules.par_iter())
        .map(|(t, sched)| {
            let mut tcx = Ctx::new(repo, now);
            tcx.process = repo.process_for(t.date);
            check_train(&mut tcx, t, sched.as_ref());
            (tcx.out, tcx.exceptions)
        })
        .collect();
    for (out, exceptions) in per_train {
        cx.out.extend(out);
        cx.exceptions.extend(exceptions);
    }
    for p in &repo.planning {
        planning::check_planning(&mut cx, p);
    }
    for q in &repo.questions {
        planning::check_question(&mut cx, q);
    }
    planning::check_question_numbers(&mut cx);
    planning::missed_meetings(&mut cx);

    // Exceptions are validated last; their own diagnostics cannot be waived.
    let uses = std::mem::take(&mut cx.exceptions);
    let mut diagnostics = std::mem::take(&mut cx.out);
    let waived = exceptions::validate(&mut cx, &uses);
    let ahead = approved_ahead(&waived);
    diagnostics.retain(|d| {
        let train_wide = crate::model::train_dir_of(&d.file)
            .is_some_and(|dir| ahead.contains_key(&(dir.to_string(), d.rule)));
        !train_wide && !waived.contains_key(&(d.file.clone(), d.rule))
    });
    diagnostics.append(&mut cx.out);
    // An unfilled placeholder is said once, as such: not again as an unknown
    // person, a bad URL or a time that cannot be read.
    if !unfilled.at.is_empty() {
        diagnostics.retain(|d| {
            !unfilled
                .at
                .contains(&(d.file.clone(), d.pos.line, d.pos.col))
        });
    }
    diagnostics.extend(
        unfilled
            .diagnostics
            .into_iter()
            .filter(|d| !waived.contains_key(&(d.file.clone(), d.rule))),
    );

    // Each diagnostic at the severity its version of the process gives it.
    let version_of = |file: &str| -> &crate::model::Process {
        if let Some(dir) = crate::model::train_dir_of(file) {
            if let Some(t) = repo.trains.iter().find(|t| t.dir == dir) {
                return repo.process_for(t.date);
            }
        }
        if let Some(p) = repo.planning.iter().find(|p| p.doc.path == file) {
            if let Some(d) = p.doc.data.date.value.get() {
                return repo.process_for(d);
            }
        }
        &repo.process
    };
    diagnostics.retain_mut(|d| match version_of(&d.file).level(d.rule) {
        Level::Off => false,
        Level::Warning => {
            d.severity = Severity::Warning;
            true
        }
        Level::Error => true,
    });
    let mut report = Report::new(diagnostics);
    report.approved_ahead = ahead;
    report
}

/// The rules a train.yaml exception approves for the whole train ahead of
/// the push (FORMAT.md): `push-window` and `freeze`, with who approved each.
fn approved_ahead(
    waived: &std::collections::HashMap<(String, Rule), String>,
) -> std::collections::BTreeMap<(String, Rule), String> {
    waived
        .iter()
        .filter(|((_, rule), _)| matches!(rule, Rule::PushWindow | Rule::Freeze))
        .filter_map(|((file, rule), by)| {
            let dir = file.strip_suffix("/train.yaml")?;
            (crate::model::train_dir_of(file) == Some(dir))
                .then(|| ((dir.to_string(), *rule), by.clone()))
        })
        .collect()
}
