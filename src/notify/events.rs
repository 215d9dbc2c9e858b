//! What a change recorded: the records the working tree has and the base
//! did not, each one event (SITE.md `notify`). A hand-off, staging.yaml, a
//! notice added to it, a sign-off round and push.yaml are new when their
//! file (or notice) is; a validation is new when push.yaml gains it.

use super::{page_url, text::field, Message};
use crate::mail::Kind;
use crate::model::notify::Event;
use crate::model::{Decision, Outcome, ReleaseRepository, Train};
use crate::schedule::time::{show, show_clock};
use std::collections::HashSet;

/// One event the change brings, with the file it was read from.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub message: Message,
    /// The record file, whose errors stop the message.
    pub file: String,
    /// The train, by index into the working tree's trains.
    pub train: usize,
    /// The process e-mail that tells the same (none for staging and push).
    pub mail: Option<Kind>,
    /// For a staging notice: which of staging.yaml's notices.
    pub notice: Option<usize>,
}

/// A record file the change adds that could not be read: it sends nothing.
#[derive(Debug, Clone)]
pub struct Unreadable {
    pub event: Event,
    pub train: String,
    pub file: String,
}

/// Every event from `base` to `head`, in the order of the trains and, in a
/// train, of the process.
pub fn recorded(
    base: &ReleaseRepository,
    head: &ReleaseRepository,
) -> (Vec<Recorded>, Vec<Unreadable>) {
    let before: HashSet<&str> = base
        .trains
        .iter()
        .flat_map(|t| t.record_files.iter().map(String::as_str))
        .collect();
    let mut out = Vec::new();
    let mut unreadable = Vec::new();
    for (index, train) in head.trains.iter().enumerate() {
        let old = base.trains.iter().find(|t| t.date == train.date);
        let is_new = |path: &str| !before.contains(path);
        let mut push = |message: Message, file: &str, mail: Option<Kind>, notice| {
            out.push(Recorded {
                message,
                file: file.to_string(),
                train: index,
                mail,
                notice,
            });
        };
        let name = |handle: &str| {
            field(
                head.people
                    .get(handle)
                    .map_or(handle, |p| p.name.value.as_str()),
            )
        };
        let url = page_url(head, train.date);
        let when = |t: &crate::model::Spanned<crate::model::RecordTime>| {
            t.value
                .get()
                .map(|t| show(&t))
                .unwrap_or_else(|| field(t.value.text()))
        };

        for h in train.handoffs.iter().filter(|h| is_new(&h.path)) {
            let d = &h.data;
            let project = d.project.value.as_str();
            let message = Message::new(
                Event::Handoff,
                train.date,
                Some(project),
                "Hand-off".into(),
                format!(
                    "{} {} by {} for the {} train",
                    field(project),
                    field(&d.tag.value),
                    name(&d.by.value),
                    train.date
                ),
                url.clone(),
            );
            push(
                message,
                &h.path,
                // Only a slug goes into the e-mail's Message-ID.
                crate::load::is_slug(project).then(|| Kind::Handoff(project.to_string())),
                None,
            );
        }
        if let Some(s) = &train.staging {
            let d = &s.data;
            if is_new(&s.path) {
                let projects = match &d.projects {
                    Some(p) => p
                        .value
                        .iter()
                        .map(|p| field(&p.value))
                        .collect::<Vec<_>>()
                        .join(", "),
                    None => "every planned feature".to_string(),
                };
                let message = Message::new(
                    Event::Staging,
                    train.date,
                    None,
                    "Staging push".into(),
                    format!(
                        "the {} train is on staging ({projects}), pushed by {} at {}",
                        train.date,
                        name(&d.pushed_by.value),
                        when(&d.pushed_at)
                    ),
                    url.clone(),
                );
                push(message, &s.path, None, None);
            }
            let known = old
                .and_then(|o| o.staging.as_ref())
                .map_or(0, |o| o.data.notices.len());
            for (i, n) in d.notices.iter().enumerate().skip(known) {
                let message = Message::new(
                    Event::StagingNotice,
                    train.date,
                    None,
                    "Staging notice".into(),
                    format!(
                        "{} (by {} at {}, the {} train)",
                        field(&n.summary.value),
                        name(&n.by.value),
                        when(&n.at),
                        train.date
                    ),
                    url.clone(),
                );
                push(message, &s.path, Some(Kind::StagingNotice), Some(i));
            }
        }
        let rounds = train.rounds().count();
        for (i, r) in train.rounds().enumerate().filter(|(_, r)| is_new(&r.path)) {
            let d = &r.data;
            let decision = match d.decision.value {
                Decision::Go => "go",
                Decision::NoGo => "no-go",
            };
            // The round as its file names it (signoff-2.yaml is round 2).
            let number = r
                .path
                .rsplit('/')
                .next()
                .and_then(crate::load::signoff_round)
                .unwrap_or(1);
            let round = if number > 1 {
                format!(", round {number}")
            } else {
                String::new()
            };
            let message = Message::new(
                Event::Signoff,
                train.date,
                None,
                "Test sign-off".into(),
                format!(
                    "{decision} for the {} train, by {}{round}",
                    train.date,
                    name(&d.by.value)
                ),
                url.clone(),
            );
            // Only the deciding round's e-mail can be written (`mail signoff`).
            let mail = (i + 1 == rounds).then_some(Kind::Signoff);
            push(message, &r.path, mail, None);
        }
        if let Some(p) = &train.push {
            let d = &p.data;
            if is_new(&p.path) {
                let span = match (d.started_at.value.get(), d.finished_at.value.get()) {
                    (Some(a), Some(b)) => format!("{}–{}", show(&a), show_clock(&b)),
                    _ => when(&d.started_at),
                };
                let message = Message::new(
                    Event::Push,
                    train.date,
                    None,
                    "Production push".into(),
                    format!(
                        "the {} train was pushed by {}, {span}",
                        train.date,
                        name(&d.pushed_by.value)
                    ),
                    url.clone(),
                );
                push(message, &p.path, None, None);
            }
            let had = old
                .and_then(|o| o.push.as_ref())
                .and_then(|o| o.data.validation.as_ref())
                .is_some_and(|v| v.value.outcome.is_some());
            let v = d.validation.as_ref().map(|v| &v.value);
            if let (false, Some(v), Some(outcome)) = (had, v, v.and_then(|v| v.outcome.as_ref())) {
                let by =
                    v.by.as_ref()
                        .map(|b| name(&b.value))
                        .unwrap_or_else(|| "Test".into());
                let detail = match outcome.value {
                    Outcome::Success => format!("success for the {} train, by {by}", train.date),
                    Outcome::RolledBack => format!(
                        "rolled back for the {} train, by {by}: {}",
                        train.date,
                        v.rollback_reason
                            .as_ref()
                            .map_or_else(|| "no reason given".to_string(), |r| field(&r.value))
                    ),
                };
                let message = Message::new(
                    Event::Validation,
                    train.date,
                    None,
                    "Validation".into(),
                    detail,
                    url.clone(),
                );
                push(message, &p.path, Some(Kind::Validation), None);
            }
        }
        unreadable.extend(unread(train, &before));
    }
    (out, unreadable)
}

/// New record files of `train` that did not parse.
fn unread(train: &Train, before: &HashSet<&str>) -> Vec<Unreadable> {
    let parsed: HashSet<&str> = train
        .handoffs
        .iter()
        .map(|h| h.path.as_str())
        .chain(train.staging.iter().map(|s| s.path.as_str()))
        .chain(train.rounds().map(|r| r.path.as_str()))
        .chain(train.push.iter().map(|p| p.path.as_str()))
        .chain(train.train.iter().map(|t| t.path.as_str()))
        .collect();
    train
        .record_files
        .iter()
        .filter(|f| !before.contains(f.as_str()) && !parsed.contains(f.as_str()))
        .filter_map(|f| {
            let name = f.rsplit('/').next().unwrap_or(f);
            let event = if f.contains("/handoffs/") {
                Event::Handoff
            } else if name == "staging.yaml" {
                Event::Staging
            } else if name.starts_with("signoff") {
                Event::Signoff
            } else if name == "push.yaml" {
                Event::Push
            } else {
                return None;
            };
            Some(Unreadable {
                event,
                train: train.id(),
                file: f.clone(),
            })
        })
        .collect()
}
