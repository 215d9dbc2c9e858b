//! Hand-offs from Engineering to Test, and Ops' push to staging.

use super::ctx::{Ctx, Time};
use super::Rule;
use crate::checklist::{Item, State};
use crate::model::{CiStatus, Handoff, On, Record, Staging, Train};
use crate::schedule::time::{show, show_duration};
use crate::schedule::{Deadline, TrainSchedule};

/// The times a hand-off recorded, for the cross-record rules.
pub struct HandoffTimes<'a> {
    pub doc: &'a Record<Handoff>,
    pub at: Option<Time>,
}

/// "late by …" wording shared by the deadline rules.
pub fn lateness(
    what: &str,
    at: &Time,
    late: chrono::Duration,
    deadline: &Deadline,
    name: &str,
) -> String {
    let moved = match &deadline.moved_because {
        Some(why) => format!(", moved earlier for {why}"),
        None => String::new(),
    };
    format!(
        "{what} at {}, {} after the {name} deadline ({}{moved})",
        show(&at.value),
        show_duration(late),
        show(&deadline.at)
    )
}

pub fn check_handoff<'a>(
    cx: &mut Ctx<'a>,
    train: &'a Train,
    doc: &'a Record<Handoff>,
    sched: Option<&TrainSchedule>,
) -> HandoffTimes<'a> {
    let file = doc.path.as_str();
    let h = &doc.data;

    let stem = file
        .rsplit('/')
        .next()
        .and_then(|n| n.strip_suffix(".yaml"))
        .unwrap_or("");
    if stem != h.project.value {
        cx.report(
            Rule::FileName,
            file,
            h.project.pos,
            format!(
                "the file is named `{stem}.yaml` but its project is `{}`",
                h.project.value
            ),
            format!(
                "rename the file to handoffs/{}.yaml, or correct `project`",
                h.project.value
            ),
        );
    }
    if let Some(t) = &train.train {
        let features: Vec<&str> = t
            .data
            .features
            .iter()
            .map(|f| f.project.value.as_str())
            .collect();
        if !t.data.features.is_empty() && !features.contains(&h.project.value.as_str()) {
            cx.report(
                Rule::UnknownProject,
                file,
                h.project.pos,
                format!("`{}` is not among this train's features", h.project.value),
                crate::diagnostics::suggest::did_you_mean_or(
                    &h.project.value,
                    features.iter().copied(),
                    "add the feature to train.yaml",
                ),
            );
        }
    }

    let on = On::written(&h.at);
    cx.person(file, &h.by, Some("dev"), on);
    let at = cx.time(file, &h.at);
    // A re-hand-off after a no-go belongs to the next round: the drop-to-test
    // deadline judges only the first.
    let sched = sched.filter(|_| at.as_ref().is_none_or(|a| train.round_of(a.value) == 0));
    if let (Some(at), Some(s)) = (&at, sched) {
        if let Some(late) = s.drop_to_test.late_by(at.value) {
            cx.report(
                Rule::HandoffDeadline,
                file,
                at.pos,
                lateness("handed off", at, late, &s.drop_to_test, "drop-to-test"),
                "if Test accepted the late drop, record an exception approved by an approver: exceptions: [{ rule: handoff-deadline, reason: …, approved_by: … }]",
            );
        }
    }

    // The checklist is decided once (crate::checklist); here each missing
    // item becomes a diagnostic, and the values' own rules (URLs, people) run.
    let checklist = crate::checklist::handoff(h, cx.process);
    let missing = |item| crate::checklist::state(&checklist, item) == Some(State::Missing);
    extra_items(cx, file, h, &checklist);
    if missing(Item::Tag) {
        cx.report(
            Rule::HandoffChecklist,
            file,
            h.tag.pos,
            "the tag is empty",
            "give the tag that holds the changes, e.g. v1.14.2",
        );
    }
    if missing(Item::GreenCi) {
        let status = match h.ci.status.value {
            CiStatus::Failing => "failing",
            _ => "unknown",
        };
        cx.report(
            Rule::HandoffChecklist,
            file,
            h.ci.status.pos,
            format!("CI is {status}: a hand-off needs a green build"),
            "hand off a tag whose CI run passes, then set `status: passing`",
        );
    }

    let sec = &h.security;
    if let Some(by) = &sec.signed_off_by {
        cx.person(file, by, Some("security"), on);
    }
    let mut unsigned = Vec::new();
    if missing(Item::SecurityDoc) {
        unsigned.push("`doc`");
    }
    if missing(Item::SecuritySignoff) {
        unsigned.push("`signed_off_by`");
    }
    if !unsigned.is_empty() {
        cx.report(
            Rule::HandoffChecklist,
            file,
            sec.pos,
            format!(
                "a security review is required but {} missing",
                join_is_are(&unsigned)
            ),
            "link the updated security documentation and name the Security person who signed off",
        );
    }

    // With `notify.mail`, trainyard sends the e-mail on merge: the record
    // need not say when, nor to whom (the role lists).
    let trainyard_sends = cx.repo.process_for(train.date).notify.mail;
    'mail: {
        let n = match &h.notification {
            Some(n) => n,
            None => {
                if !trainyard_sends {
                    cx.report(
                        Rule::Schema,
                        file,
                        crate::model::Pos::FILE,
                        "missing required field `notification`",
                        "add `notification:` with `sent_at`, `to` and `cc` (see docs/format.md), or let trainyard send the hand-off e-mail on merge: `notify.mail: true` in process.yaml",
                    );
                }
                break 'mail;
            }
        };
        let sent = match &n.sent_at {
            Some(t) => cx.time(file, t),
            None => {
                if !trainyard_sends {
                    cx.report(
                        Rule::Schema,
                        file,
                        n.pos,
                        "missing required field `sent_at`",
                        "add `sent_at:` (`trainyard mail handoff PROJECT --send --record` fills it), or let trainyard send the e-mail on merge: `notify.mail: true` in process.yaml",
                    );
                }
                None
            }
        };
        for (list, role) in [(&n.to, "test"), (&n.cc, "ops")] {
            for a in list.iter() {
                if !crate::model::values::is_email_address(a.value.trim()) {
                    cx.report(
                        Rule::Schema,
                        file,
                        a.pos,
                        format!("`{}` is not an e-mail address", a.value),
                        "write each recipient as an address, e.g. services-qa@example.com",
                    );
                }
            }
            let item = if role == "test" {
                Item::EmailToTest
            } else {
                Item::EmailCcOps
            };
            if !missing(item) {
                continue;
            }
            // Missing only when the role has a list to reach.
            let address = cx
                .repo
                .process
                .role_list(role)
                .map(str::to_string)
                .unwrap_or_default();
            let field = if role == "test" { "to" } else { "cc" };
            cx.report(
                Rule::HandoffChecklist,
                file,
                list.pos,
                format!(
                    "the hand-off e-mail's `{field}` lacks the {} list {address}",
                    cx.repo.process.role_title(role)
                ),
                format!("send the e-mail {field} {address} and add it to `{field}`"),
            );
        }
        if let (Some(at), Some(sent)) = (&at, &sent) {
            super::order::not_before(cx, file, sent, "the hand-off e-mail", at, "the hand-off");
        }
    }

    cx.exceptions(file, &h.exceptions, vec![h.by.value.as_str()], on);
    HandoffTimes { doc, at }
}

pub fn check_staging<'a>(
    cx: &mut Ctx<'a>,
    train: &'a Train,
    doc: &'a Record<Staging>,
) -> Option<Time> {
    let file = doc.path.as_str();
    let s = &doc.data;
    // Partial staging: each project named must be one the train planned.
    if let (Some(projects), Some(t)) = (&s.projects, &train.train) {
        let planned: Vec<&str> = t
            .data
            .features
            .iter()
            .map(|f| f.project.value.as_str())
            .collect();
        for p in projects.iter() {
            if !planned.contains(&p.value.as_str()) {
                cx.report(
                    Rule::UnknownProject,
                    file,
                    p.pos,
                    format!(
                        "`{}` is not a project the {} train planned",
                        p.value,
                        train.id()
                    ),
                    crate::diagnostics::suggest::did_you_mean_or(
                        &p.value,
                        planned.iter().copied(),
                        "list only planned projects",
                    ),
                );
            }
        }
    }
    let on = On::written(&s.pushed_at);
    cx.person(file, &s.pushed_by, Some("ops"), on);
    let pushed = cx.time(file, &s.pushed_at);
    for n in &s.notices {
        cx.person(file, &n.by, None, On::written(&n.at));
        let at = cx.time(file, &n.at);
        let told = match &n.test_notified_at {
            Some(t) => cx.time(file, t),
            // trainyard tells Test on merge (`notify.mail`).
            None if cx.repo.process_for(train.date).notify.mail => None,
            None => {
                cx.report(
                    Rule::Schema,
                    file,
                    n.at.pos,
                    "this notice does not say when Test was told (`test_notified_at`)",
                    "run `trainyard mail staging-notice --send --record`: it tells Test and records the time",
                );
                None
            }
        };
        if let (Some(at), Some(told)) = (&at, &told) {
            super::order::not_before(
                cx,
                file,
                told,
                "Test's notification",
                at,
                "the staging notice",
            );
        }
    }
    cx.exceptions(file, &s.exceptions, vec![s.pushed_by.value.as_str()], on);
    pushed
}

fn join_is_are(items: &[&str]) -> String {
    match items {
        [one] => format!("{one} is"),
        _ => format!("{} are", items.join(" and ")),
    }
}

/// The version's further checklist items: each one given, a URL where one is
/// asked for, and no id the version does not define.
fn extra_items(cx: &mut Ctx<'_>, file: &str, h: &Handoff, checklist: &[crate::checklist::Entry]) {
    use crate::model::process::ItemKind;
    let process = cx.process;
    if let Some(map) = &h.checklist {
        for (id, value) in &map.value.0 {
            match process.checklist.iter().find(|i| i.id == id.value) {
                None => {
                    let ids: Vec<&str> = process.checklist.iter().map(|i| i.id.as_str()).collect();
                    cx.report(
                        Rule::Schema,
                        file,
                        id.pos,
                        format!("`{}` is not a checklist item of this train's process", id.value),
                        if ids.is_empty() {
                            "the process defines no further items (handoff.checklist in process.yaml); remove it".to_string()
                        } else {
                            crate::diagnostics::suggest::did_you_mean_or(&id.value, ids, "remove it")
                        },
                    );
                }
                Some(item) if item.kind == ItemKind::Url => {
                    let text = value.value.text();
                    if value.value.is_given() && !crate::model::values::is_http_url(text.trim()) {
                        cx.report(
                            Rule::BadUrl,
                            file,
                            value.pos,
                            format!("`{text}` is not an absolute http or https URL"),
                            "write the full address, e.g. https://perf.example.com/run/812",
                        );
                    }
                }
                Some(_) => {}
            }
        }
    }
    for entry in checklist {
        if let (Item::Extra(i), State::Missing) = (entry.item, entry.state) {
            let item = &process.checklist[usize::from(i)];
            let example = match item.kind {
                ItemKind::Url => "https://…",
                ItemKind::Text => "…",
                ItemKind::Yes => "yes",
            };
            cx.report(
                Rule::HandoffChecklist,
                file,
                entry.pos,
                format!("the checklist item {} ({}) is missing", item.id, item.title),
                format!(
                    "add it under `checklist:`, e.g. checklist: {{ {}: {example} }}",
                    item.id
                ),
            );
        }
    }
}
