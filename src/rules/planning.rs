//! The monthly planning meeting and the open-questions log.

use super::ctx::Ctx;
use super::train::weekday_name;
use super::Rule;
use crate::diagnostics::suggest::did_you_mean;
use crate::model::{On, PlanningRecord, QuestionRecord, QuestionStatus, PROCESS_SECTIONS};
use crate::schedule::monthly_date;
use crate::schedule::time::show_date;
use chrono::Datelike;

pub fn check_planning<'a>(cx: &mut Ctx<'a>, p: &'a PlanningRecord) {
    let file = p.doc.path.as_str();
    let m = &p.doc.data;
    // The meeting is judged by the version of the process in force that day.
    let process = m
        .date
        .value
        .get()
        .map_or(&cx.repo.process, |d| cx.repo.process_for(d));
    let on = On::date(m.date.value.get());
    if let Some(date) = cx.date(&m.date) {
        let (y, mo) = p.month.unwrap_or((date.value.year(), date.value.month()));
        if (date.value.year(), date.value.month()) != (y, mo) {
            cx.report(
                Rule::MonthlyPlanning,
                file,
                date.pos,
                format!(
                    "the meeting is dated {}, outside the month this file is for ({y}-{mo:02})",
                    date.value
                ),
                format!(
                    "move the record to planning/{}.yaml or correct the date",
                    date.value.format("%Y-%m")
                ),
            );
        } else if let Some(expected) = monthly_date(process, y, mo) {
            if expected != date.value {
                cx.report(
                    Rule::MonthlyPlanning,
                    file,
                    date.pos,
                    format!(
                        "the meeting is dated {}, but this month's planning day is {}",
                        show_date(date.value),
                        show_date(expected)
                    ),
                    format!("set `date: {expected}`, or change monthly_planning in process.yaml"),
                );
            }
        }
    }
    let mut present_roles: Vec<&str> = Vec::new();
    for who in m.attendees.iter() {
        if cx.person(file, who, None, on) {
            if let Some(person) = cx.repo.people.get(&who.value) {
                present_roles.extend(person.roles_on(on));
            }
        }
    }
    for role in &process.monthly.requires {
        if !present_roles.contains(&role.as_str()) && !cx.repo.people.unreadable {
            cx.report(
                Rule::MonthlyPlanning,
                file,
                m.attendees.pos,
                format!(
                    "no one from {} ({role}) attended the planning meeting",
                    process.role_title(role)
                ),
                format!(
                    "the monthly meeting requires the {role} role; add who attended, or reschedule"
                ),
            );
        }
    }
    let push_day = process.production_push.weekday;
    for t in &m.trains {
        if let Some(d) = cx.date(t) {
            if d.value.weekday() != push_day {
                cx.report(
                    Rule::MonthlyPlanning,
                    file,
                    d.pos,
                    format!("{} is a {}, not a push date", d.value, d.value.format("%A")),
                    format!(
                        "trains are named by their push date, a {}",
                        weekday_name(push_day)
                    ),
                );
            }
        }
    }
}

pub fn check_question<'a>(cx: &mut Ctx<'a>, q: &'a QuestionRecord) {
    let file = q.doc.path.as_str();
    let d = &q.doc.data;
    cx.date(&d.asked_at);
    if let Some(a) = &d.answered_at {
        cx.date(a);
    }
    if let Some(by) = &d.answered_by {
        cx.person(
            file,
            by,
            None,
            On::date(d.answered_at.as_ref().and_then(|a| a.value.get())),
        );
    }
    if matches!(
        d.status.value,
        QuestionStatus::Answered | QuestionStatus::Incorporated
    ) {
        let mut missing = Vec::new();
        if d.answer.as_ref().is_none_or(|a| a.value.trim().is_empty()) {
            missing.push("`answer`");
        }
        if d.answered_by.is_none() {
            missing.push("`answered_by`");
        }
        if d.answered_at.is_none() {
            missing.push("`answered_at`");
        }
        if !missing.is_empty() {
            cx.report(
                Rule::Question,
                file,
                d.status.pos,
                format!(
                    "the question is marked answered but lacks {}",
                    missing.join(", ")
                ),
                "record the answer, who gave it and when; or set `status: open`",
            );
        }
    }
    if d.status.value == QuestionStatus::Incorporated {
        match &d.incorporated_in {
            None => cx.report(
                Rule::Question,
                file,
                d.status.pos,
                "the question is incorporated but does not say where",
                format!(
                    "add `incorporated_in:` with one of {}",
                    PROCESS_SECTIONS.join(", ")
                ),
            ),
            Some(s) if !PROCESS_SECTIONS.contains(&s.value.as_str()) => cx.report(
                Rule::Question,
                file,
                s.pos,
                format!("`{}` is not a section of the process page", s.value),
                did_you_mean(&s.value, PROCESS_SECTIONS.iter().copied()),
            ),
            Some(_) => {}
        }
    }
}

/// Question numbers identify questions; two files may not share one.
pub fn check_question_numbers(cx: &mut Ctx<'_>) {
    let qs = &cx.repo.questions;
    let mut dups = Vec::new();
    for pair in qs.windows(2) {
        if pair[0].number == pair[1].number {
            dups.push((
                pair[1].doc.path.clone(),
                pair[0].doc.path.clone(),
                pair[1].number,
            ));
        }
    }
    let next = qs.last().map(|q| q.number + 1).unwrap_or(1);
    for (file, other, n) in dups {
        cx.report(
            Rule::FileName,
            &file,
            crate::model::Pos::FILE,
            format!("question number {n:04} is also used by {other}"),
            format!("renumber this question; the next free number is {next:04}"),
        );
    }
}

/// `monthly-planning`: a month whose meeting day has passed with no
/// planning/YYYY-MM.yaml, from the month of the oldest planning file on (a
/// repository that records no meetings is not asked for them). Reported at
/// line 1 of the file of the process version in force that day.
pub fn missed_meetings(cx: &mut Ctx<'_>) {
    let repo = cx.repo;
    let Some(first) = repo.planning.iter().filter_map(|p| p.month).min() else {
        return;
    };
    let today = cx.now.with_timezone(&repo.process.timezone).date_naive();
    let (mut y, mut m) = first;
    while (y, m) <= (today.year(), today.month()) {
        let held = repo.planning.iter().any(|p| p.month == Some((y, m)));
        if !held {
            // The day the meeting was due by the version in force then.
            let due = crate::schedule::monthly_date(&repo.process, y, m)
                .and_then(|d| crate::schedule::monthly_date(repo.process_for(d), y, m));
            if let Some(due) = due.filter(|due| *due < today) {
                cx.report(
                    Rule::MonthlyPlanning,
                    "process.yaml",
                    crate::model::Pos::FILE,
                    format!(
                        "no monthly planning meeting is recorded for {y}-{m:02} (it was due {})",
                        crate::schedule::time::show_date(due)
                    ),
                    format!("record it in planning/{y}-{m:02}.yaml with its date and attendees, as held"),
                );
            }
        }
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
}
