//! The production push and Test's validation of it.

use super::ctx::{Ctx, Time};
use super::Rule;
use crate::model::{Decision, On, Outcome, Pos, Push, Record, Train};
use crate::schedule::time::show;
use crate::schedule::TrainSchedule;

pub struct PushTimes {
    pub started: Option<Time>,
    pub finished: Option<Time>,
    pub validated: Option<Time>,
}

pub fn check<'a>(
    cx: &mut Ctx<'a>,
    train: &'a Train,
    doc: &'a Record<Push>,
    sched: Option<&TrainSchedule>,
) -> PushTimes {
    let file = doc.path.as_str();
    let p = &doc.data;

    let go = train
        .signoff
        .as_ref()
        .map(|s| s.data.decision.value == Decision::Go);
    match go {
        Some(true) => {}
        Some(false) => cx.report(
            Rule::PushWithoutGo,
            file,
            Pos::FILE,
            "the train was pushed although Test's decision was no-go",
            "a push needs a go sign-off; if this was an approved emergency, record an exception",
        ),
        // A sign-off that exists but does not parse is reported on its own.
        None if !train.has_signoff_file => cx.report(
            Rule::PushWithoutGo,
            file,
            Pos::FILE,
            "the train was pushed without a Test sign-off",
            "add signoff.yaml with `decision: go` before recording the push",
        ),
        None => {}
    }

    let on = On::written(&p.started_at);
    cx.person(file, &p.pushed_by, Some("ops"), on);
    let started = cx.time(file, &p.started_at);
    let finished = cx.time(file, &p.finished_at);
    if let Some(s) = sched {
        let window = format!(
            "{}–{} on {}",
            s.window_start.format("%H:%M"),
            s.window_end.format("%H:%M %Z"),
            s.push_date.format("%a %Y-%m-%d")
        );
        for (t, what) in [(&started, "started"), (&finished, "finished")] {
            let Some(t) = t else { continue };
            let problem = if t.value < s.window_start {
                "before the maintenance window opens"
            } else if t.value > s.window_end {
                "after the maintenance window closes"
            } else {
                continue;
            };
            cx.report(
                Rule::PushWindow,
                file,
                t.pos,
                format!("the push {what} at {}, {problem} ({window})", show(&t.value)),
                "push inside the window; an emergency push outside it needs an approved exception for push-window",
            );
        }
    }
    if let (Some(s), Some(f)) = (&started, &finished) {
        super::order::not_before(cx, file, f, "the push finish", s, "its start");
    }

    let present = &p.present;
    for (role, list) in [
        ("dev", &present.dev),
        ("test", &present.test),
        ("ops", &present.ops),
    ] {
        if list.is_empty() {
            let title = cx.repo.process.role_title(role).to_string();
            cx.report(
                Rule::PushAttendance,
                file,
                present.pos,
                format!("no one from {title} ({role}) is recorded as present at the push"),
                format!("the pertinent dev, test and ops people must attend; list them under `present: {{ {role}: [...] }}`"),
            );
        }
        for who in list {
            cx.person(file, who, Some(role), on);
        }
    }
    for who in &present.security {
        cx.person(file, who, Some("security"), on);
    }

    let mut owners = vec![p.pushed_by.value.as_str()];
    let mut validated = None;
    if let Some(v) = &p.validation {
        let mut missing = Vec::new();
        if v.by.is_none() {
            missing.push("`by`");
        }
        if v.at.is_none() {
            missing.push("`at`");
        }
        if v.outcome.is_none() {
            missing.push("`outcome`");
        }
        if v.notified_at.is_none() && !cx.repo.process_for(train.date).notify.mail {
            missing.push("`notified_at`");
        }
        if !missing.is_empty() {
            cx.report(
                Rule::PushValidation,
                file,
                v.pos,
                format!("the validation lacks {}", missing.join(", ")),
                "Test records who validated, when, the outcome (success or rolled-back) and when the e-mail went out",
            );
        }
        if let Some(o) = &v.outcome {
            let no_reason = v
                .rollback_reason
                .as_ref()
                .is_none_or(|r| r.value.trim().is_empty());
            if o.value == Outcome::RolledBack && no_reason {
                cx.report(
                    Rule::PushValidation,
                    file,
                    o.pos,
                    "the push was rolled back but no `rollback_reason` is given",
                    "add `rollback_reason:` saying what failed, so the next train can learn from it",
                );
            }
        }
        if let Some(by) = &v.by {
            cx.person(
                file,
                by,
                Some("test"),
                v.at.as_ref().map_or(On::AnyDay, On::written),
            );
            owners.push(by.value.as_str());
        }
        validated = v.at.as_ref().and_then(|a| cx.time(file, a));
        let notified = v.notified_at.as_ref().and_then(|n| cx.time(file, n));
        if let (Some(at), Some(n)) = (&validated, &notified) {
            super::order::not_before(cx, file, n, "the validation e-mail", at, "the validation");
        }
        if let Some(back) = v.rolled_back_at.as_ref().and_then(|r| cx.time(file, r)) {
            if v.outcome
                .as_ref()
                .is_some_and(|o| o.value != Outcome::RolledBack)
            {
                cx.report(
                    Rule::PushValidation,
                    file,
                    back.pos,
                    "`rolled_back_at` is given, but the outcome is not rolled-back",
                    "set `outcome: rolled-back`, or remove `rolled_back_at`",
                );
            }
            if let Some(at) = &validated {
                super::order::not_before(cx, file, &back, "the rollback", at, "the validation");
            }
        }
    }
    cx.exceptions(file, &p.exceptions, owners, on);
    PushTimes {
        started,
        finished,
        validated,
    }
}
