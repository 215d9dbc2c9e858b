//! Rules about a train as a whole: its folder, date, plan and skipped state.

use super::ctx::Ctx;
use super::Rule;
use crate::model::{On, Pos, Train};
use crate::schedule::time::show_date;
use crate::schedule::{milestone_date, TrainSchedule};
use chrono::{Datelike, Duration};

pub fn check<'a>(cx: &mut Ctx<'a>, train: &'a Train, sched: Option<&TrainSchedule>) {
    let process = cx.process;
    let here = if train.has_train_file {
        train.train_path()
    } else {
        train.dir.clone()
    };

    if !train.has_train_file {
        cx.report(
            Rule::FileName,
            &train.dir,
            Pos::FILE,
            "this train folder has no train.yaml",
            format!(
                "add {}/train.yaml with `planned_at` and `features` (trainyard new train {})",
                train.dir,
                train.id()
            ),
        );
    }

    // A train left behind: its push date is more than a week gone, and it
    // neither pushed nor was skipped.
    let today = cx.now.with_timezone(&process.timezone).date_naive();
    if train.has_train_file
        && train.push.is_none()
        && !train.record_files.iter().any(|f| f.ends_with("/push.yaml"))
        && !train.is_skipped()
        && today - train.date > Duration::days(7)
    {
        cx.report(
            Rule::TrainUnfinished,
            &here,
            Pos::FILE,
            format!(
                "the {} train's push date passed {} days ago, and it was neither pushed nor skipped",
                train.id(),
                (today - train.date).num_days()
            ),
            "record what happened: push.yaml for a push, or `skipped: { reason: … }` in train.yaml (a no-go that never shipped included)",
        );
    }

    // Sign-off rounds: each follows the one before it, and only a no-go.
    let round_file = |n: u32| match n {
        1 => format!("{}/signoff.yaml", train.dir),
        n => format!("{}/signoff-{n}.yaml", train.dir),
    };
    for &n in train.signoff_rounds.iter().filter(|n| **n >= 2) {
        if !train.signoff_rounds.contains(&(n - 1)) {
            cx.report(
                Rule::FileName,
                &round_file(n),
                Pos::FILE,
                format!("this is sign-off round {n}, but there is no round {} ({})", n - 1, round_file(n - 1)),
                "rounds are numbered in order: signoff.yaml, then signoff-2.yaml after a no-go, then signoff-3.yaml",
            );
        }
    }
    for (n, round) in &train.earlier_rounds {
        if round.data.decision.value == crate::model::Decision::Go {
            cx.report(
                Rule::FileName,
                &round_file(n + 1),
                Pos::FILE,
                format!("round {} follows a go ({}): a new round follows only a no-go", n + 1, round.path),
                "after a go the train pushes; remove this round, or record the earlier round's decision as it was",
            );
        }
    }

    let push_day = process.production_push.weekday;
    if train.date.weekday() != push_day && !train.is_out_of_cycle() {
        let before = milestone_date(train.date, push_day);
        let after = before + Duration::days(7);
        cx.report(
            Rule::PushDay,
            &here,
            Pos::FILE,
            format!(
                "{} is a {}, but production pushes happen on {}",
                train.id(),
                train.date.format("%A"),
                weekday_name(push_day)
            ),
            format!("name the folder after the push date: releases/{before} or releases/{after}"),
        );
    }

    let skipped = train.is_skipped();
    if !skipped {
        if let Some(h) = process.holiday(train.date) {
            cx.report(
                Rule::Freeze,
                &here,
                Pos::FILE,
                format!("{} is a holiday ({}): no push can happen that day", train.id(), h.name),
                "mark the train skipped (`skipped: { reason: … }` in train.yaml), or push on another day as an out-of-cycle train (`out_of_cycle: { reason: …, approved_by: … }` in that train's train.yaml)",
            );
        } else if let Some(f) = process.freeze(train.date) {
            cx.report(
                Rule::Freeze,
                &here,
                Pos::FILE,
                format!("{} falls in a freeze ({}, {} to {})", train.id(), f.reason, f.from, f.to),
                "mark the train skipped (`skipped: { reason: … }` in train.yaml) or move it after the freeze",
            );
        }
    }

    let Some(doc) = &train.train else { return };
    let t = &doc.data;
    let file = doc.path.as_str();

    if skipped {
        let reason = t
            .skipped
            .as_ref()
            .map(|s| s.reason.value.clone())
            .unwrap_or_default();
        for record in &train.record_files {
            cx.report(
                Rule::SkippedTrain,
                record,
                Pos::FILE,
                format!("this train is skipped ({reason}), so it can hold no hand-off, staging, sign-off or push record"),
                "delete this file, or remove `skipped` from train.yaml if the train runs after all",
            );
        }
    } else if t.features.is_empty() {
        cx.report(
            Rule::SkippedTrain,
            file,
            t.features.pos,
            "the train has no features",
            "list the features chosen at the planning meeting, or mark the week `skipped: { reason: … }`",
        );
    }

    let on = On::date(t.planned_at.value.get());
    if let Some(ooc) = &t.out_of_cycle {
        super::exceptions::out_of_cycle(cx, file, ooc, On::Day(train.date));
    }
    if let Some(planned) = cx.date(&t.planned_at) {
        if let Some(s) = sched.filter(|_| !train.is_out_of_cycle()) {
            if planned.value != s.planning {
                cx.report(
                    Rule::PlanningDay,
                    file,
                    planned.pos,
                    format!(
                        "planned_at is {}, but the planning meeting for the {} push is {}",
                        show_date(planned.value),
                        train.id(),
                        show_date(s.planning)
                    ),
                    format!("set `planned_at: {}`", s.planning),
                );
            }
        }
    }

    if let Some(a) = &t.announcement {
        cx.person(file, &a.called_out_by, Some("ops"), on);
    }
    // A feature's owner owes its hand-off: a developer on the planning day.
    for f in t.features.iter() {
        if let Some(owner) = &f.owner {
            cx.person(file, owner, Some("dev"), on);
        }
    }
    cx.exceptions(file, &t.exceptions, Vec::new(), on);
}

pub fn weekday_name(w: chrono::Weekday) -> &'static str {
    use chrono::Weekday::*;
    match w {
        Mon => "Monday",
        Tue => "Tuesday",
        Wed => "Wednesday",
        Thu => "Thursday",
        Fri => "Friday",
        Sat => "Saturday",
        Sun => "Sunday",
    }
}
