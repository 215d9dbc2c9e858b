//! Cross-record rules of one train: the order of events, and separation of duties.

use super::ctx::{Ctx, Time};
use super::handoff::HandoffTimes;
use super::push::PushTimes;
use super::Rule;
use crate::model::{Spanned, Train};
use crate::schedule::time::{show, start_of_day};

/// Report `later` if it happened before `earlier`.
pub fn not_before(
    cx: &mut Ctx<'_>,
    file: &str,
    later: &Time,
    later_name: &str,
    earlier: &Time,
    earlier_name: &str,
) {
    if later.value < earlier.value {
        cx.report(
            Rule::EventOrder,
            file,
            later.pos,
            format!(
                "{later_name} ({}) is before {earlier_name} ({})",
                show(&later.value),
                show(&earlier.value)
            ),
            "check both times: events happen in the order planning, hand-off, staging, sign-off, push, validation",
        );
    }
}

/// One event of the train's sequence.
struct Event<'a> {
    name: String,
    file: &'a str,
    at: Time,
}

pub struct TrainEvents<'a> {
    pub handoffs: Vec<HandoffTimes<'a>>,
    pub staging: Option<(&'a str, Time)>,
    pub signoff: Option<(&'a str, Time)>,
    pub push: Option<(&'a str, PushTimes)>,
}

/// planning date <= hand-offs <= staging <= sign-off <= push start <= finish <= validation.
pub fn check<'a>(cx: &mut Ctx<'a>, train: &'a Train, ev: &TrainEvents<'a>) {
    let tz = cx.tz();
    let mut stages: Vec<Vec<Event<'a>>> = Vec::new();
    if let Some(t) = &train.train {
        if let Some(d) = t.data.planned_at.value.get() {
            stages.push(vec![Event {
                name: format!("the planning meeting ({d})"),
                file: &t.path,
                at: Spanned::new(start_of_day(tz, d), t.data.planned_at.pos),
            }]);
        }
    }
    // Hand-offs by round: the first round's come before staging; a
    // re-hand-off after the k-th no-go comes after that round and before
    // the next.
    let handoffs_of = |round: usize| -> Vec<Event<'a>> {
        ev.handoffs
            .iter()
            .filter_map(|h| {
                let at = h.at.clone()?;
                (train.round_of(at.value) == round).then(|| Event {
                    name: format!("the hand-off of {}", h.doc.data.project.value),
                    file: &h.doc.path,
                    at,
                })
            })
            .collect()
    };
    stages.push(handoffs_of(0));
    let single = |name: &str, v: &Option<(&'a str, Time)>| -> Vec<Event<'a>> {
        v.iter()
            .map(|(file, at)| Event {
                name: name.to_string(),
                file,
                at: at.clone(),
            })
            .collect()
    };
    stages.push(single("the staging push", &ev.staging));
    for (i, (n, round)) in train.earlier_rounds.iter().enumerate() {
        if let Some(at) = round.data.at.value.get() {
            stages.push(vec![Event {
                name: format!("sign-off round {n}"),
                file: &round.path,
                at: Spanned::new(at, round.data.at.pos),
            }]);
        }
        stages.push(handoffs_of(i + 1));
    }
    stages.push(single("the sign-off", &ev.signoff));
    if let Some((file, p)) = &ev.push {
        for (name, t) in [
            ("the push start", &p.started),
            ("the push finish", &p.finished),
            ("the validation", &p.validated),
        ] {
            stages.push(
                t.iter()
                    .map(|at| Event {
                        name: name.into(),
                        file,
                        at: at.clone(),
                    })
                    .collect(),
            );
        }
    }

    let mut latest: Option<Event<'a>> = None;
    for stage in stages {
        for e in &stage {
            if let Some(l) = &latest {
                if e.at.value < l.at.value {
                    let (file, at) = (e.file, e.at.clone());
                    let what = if l.file == e.file {
                        String::new()
                    } else {
                        format!(" in {}", l.file)
                    };
                    cx.report(
                        Rule::EventOrder,
                        file,
                        at.pos,
                        format!("{} ({}) is before {}{what} ({})", e.name, show(&at.value), l.name, show(&l.at.value)),
                        "events happen in the order planning, hand-off, staging, sign-off, push, validation; check both times",
                    );
                }
            }
        }
        for e in stage {
            if latest.as_ref().is_none_or(|l| e.at.value > l.at.value) {
                latest = Some(e);
            }
        }
    }
}

/// Test must not sign off or validate work they handed off themselves.
pub fn separation_of_duties(cx: &mut Ctx<'_>, train: &Train) {
    let authors: Vec<&str> = train
        .handoffs
        .iter()
        .map(|h| h.data.by.value.as_str())
        .collect();
    let mut checks = Vec::new();
    if let Some(s) = &train.signoff {
        checks.push((s.path.as_str(), &s.data.by, "signs off"));
    }
    if let Some(p) = &train.push {
        if let Some(by) = p.data.validation.as_ref().and_then(|v| v.by.as_ref()) {
            checks.push((p.path.as_str(), by, "validates"));
        }
    }
    for (file, who, verb) in checks {
        if authors.contains(&who.value.as_str()) {
            cx.report(
                Rule::SeparationOfDuties,
                file,
                who.pos,
                format!(
                    "`{}` {verb} this train but also handed off one of its deliverables",
                    who.value
                ),
                "someone from Test who did not hand off the work must do this",
            );
        }
    }
}
