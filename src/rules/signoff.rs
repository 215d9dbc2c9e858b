//! Test's sign-off.

use super::ctx::{Ctx, Time};
use super::handoff::lateness;
use super::Rule;
use crate::checklist::{Item, State};
use crate::model::{Decision, On, Record, Signoff, Train};
use crate::schedule::TrainSchedule;

pub fn check<'a>(
    cx: &mut Ctx<'a>,
    train: &'a Train,
    doc: &'a Record<Signoff>,
    sched: Option<&TrainSchedule>,
) -> Option<Time> {
    let file = doc.path.as_str();
    let s = &doc.data;
    let on = On::written(&s.at);
    cx.person(file, &s.by, Some("test"), on);
    let at = cx.time(file, &s.at);
    if let (Some(at), Some(sch)) = (&at, sched) {
        if let Some(late) = sch.test_signoff.late_by(at.value) {
            cx.report(
                Rule::SignoffDeadline,
                file,
                at.pos,
                lateness("signed off", at, late, &sch.test_signoff, "test sign-off"),
                "if the late sign-off was accepted, record an exception: exceptions: [{ rule: signoff-deadline, reason: …, approved_by: … }]",
            );
        }
    }

    // The criteria are decided once (crate::checklist); a go needs them.
    let criteria = crate::checklist::signoff(s, cx.process);
    let missing = |item| crate::checklist::state(&criteria, item) == Some(State::Missing);
    if s.decision.value == Decision::Go {
        let failed: Vec<&str> = [
            ("regression", Item::Regression),
            ("cross_environment", Item::CrossEnvironment),
            ("test_plan", Item::TestPlanPassed),
        ]
        .into_iter()
        .filter(|(_, item)| missing(*item))
        .map(|(n, _)| n)
        .collect();
        if !failed.is_empty() {
            cx.report(
                Rule::SignoffCriteria,
                file,
                s.decision.pos,
                format!("the decision is go, but {} failed", failed.join(", ")),
                "a go needs regression, cross-environment and test-plan passes; decide no-go or re-test",
            );
        }
    }
    // The version's further criteria: each written, an id it defines.
    let process = cx.process;
    if let Some(map) = &s.criteria {
        for (id, _) in &map.value.0 {
            if !process.criteria.iter().any(|c| c.id == id.value) {
                let ids: Vec<&str> = process.criteria.iter().map(|c| c.id.as_str()).collect();
                cx.report(
                    Rule::Schema,
                    file,
                    id.pos,
                    format!("`{}` is not a sign-off criterion of this train's process", id.value),
                    if ids.is_empty() {
                        "the process defines no further criteria (signoff.criteria in process.yaml); remove it".to_string()
                    } else {
                        crate::diagnostics::suggest::did_you_mean_or(&id.value, ids, "remove it")
                    },
                );
            }
        }
    }
    for entry in &criteria {
        if let (Item::Criterion(i), State::Missing) = (entry.item, entry.state) {
            let c = &process.criteria[usize::from(i)];
            let written = s.criteria.as_ref().and_then(|m| m.value.get(&c.id));
            if s.decision.value == Decision::Go || written.is_none() {
                cx.report(
                    Rule::SignoffCriteria,
                    file,
                    entry.pos,
                    match written {
                        Some(_) => format!("the decision is go, but {} ({}) failed", c.id, c.title),
                        None => format!("the criterion {} ({}) is not recorded", c.id, c.title),
                    },
                    format!("record it under `criteria:` as pass or fail, e.g. criteria: {{ {}: pass }}; a go needs every criterion to pass", c.id),
                );
            }
        }
    }
    let lt = &s.load_test;
    if let Some(by) = &lt.signed_off_by {
        cx.person(file, by, Some("ops"), on);
    }
    if missing(Item::LoadTest) {
        cx.report(
            Rule::SignoffCriteria,
            file,
            lt.pos,
            "a load test is required but no one from Service Ops signed it off",
            "add `signed_off_by: HANDLE` (someone with the ops role) and the `environment` it ran in",
        );
    }
    let notified = match &s.notified_at {
        Some(n) => cx.time(file, n),
        None => {
            if !cx.repo.process_for(train.date).notify.mail {
                cx.report(
                    Rule::Schema,
                    file,
                    crate::model::Pos::FILE,
                    "missing required field `notified_at`",
                    "add `notified_at:` (`trainyard mail signoff --send --record` fills it), or let trainyard send the results e-mail on merge: `notify.mail: true` in process.yaml",
                );
            }
            None
        }
    };
    if let (Some(at), Some(n)) = (&at, &notified) {
        super::order::not_before(cx, file, n, "the results e-mail", at, "the sign-off");
    }

    // Every planned feature needs a hand-off before Test can sign the train off.
    if let Some(t) = &train.train {
        for f in t.data.features.iter() {
            let expected = format!("{}/handoffs/{}.yaml", train.dir, f.project.value);
            if !train.record_files.contains(&expected) {
                cx.report(
                    Rule::HandoffMissing,
                    &t.path,
                    f.project.pos,
                    format!(
                        "`{}` is planned but has no hand-off, yet the train is signed off",
                        f.project.value
                    ),
                    format!(
                        "add {expected}, or remove the feature from the train if it was dropped"
                    ),
                );
            }
        }
    }
    cx.exceptions(file, &s.exceptions, vec![s.by.value.as_str()], on);
    at
}
