//! Which record a message is written from, where its send time goes, and
//! whether a train's messages are recorded as sent.

use super::record::SendField;
use super::Kind;
use crate::model::values::PLACEHOLDER;
use crate::model::Train;
use chrono::DateTime;
use chrono_tz::Tz;

/// The record a message is written from, and where its send time goes.
#[derive(Debug)]
pub struct Source<'a> {
    pub file: &'a str,
    pub field: SendField<'a>,
    /// For a staging notice: which of the record's notices.
    pub notice: Option<usize>,
}

impl Source<'_> {
    /// The recorded send time's text, when one is filled in.
    pub fn recorded(&self) -> Option<&str> {
        self.field
            .value
            .map(|v| v.value.text())
            .filter(|v| !v.contains(PLACEHOLDER))
    }

    /// The recorded send time, when one is filled in and could be read.
    pub fn recorded_at(&self) -> Option<DateTime<Tz>> {
        self.field.value.and_then(|v| v.value.get())
    }
}

/// Why there is nothing to write a message from.
#[derive(Debug)]
pub enum NoSource {
    /// The record does not exist (exit 2).
    Missing(String),
    /// The record exists but could not be read: its diagnostics say why (exit 1).
    Unreadable(String),
}

/// Find the record `kind` is written from in `train`.
pub fn source<'a>(train: &'a Train, kind: &Kind) -> Result<Source<'a>, NoSource> {
    let exists = |file: &str| train.record_files.iter().any(|f| f == file);
    let missing_or_broken = |file: String, what: &str| {
        if exists(&file) {
            NoSource::Unreadable(file)
        } else {
            NoSource::Missing(format!("the {} train has no {what} ({file})", train.id()))
        }
    };
    let field = |file, name, key, value| SendField {
        file,
        name,
        key,
        value,
        sibling: None,
    };
    match kind {
        Kind::Handoff(project) => {
            let h = train
                .handoffs
                .iter()
                .find(|h| &h.data.project.value == project)
                .ok_or_else(|| {
                    missing_or_broken(
                        format!("{}/handoffs/{project}.yaml", train.dir),
                        &format!("hand-off for `{project}`"),
                    )
                })?;
            Ok(Source {
                notice: None,
                file: &h.path,
                field: field(
                    &h.path,
                    "notification.sent_at",
                    "sent_at",
                    h.data
                        .notification
                        .as_ref()
                        .and_then(|n| n.value.sent_at.as_ref()),
                ),
            })
        }
        Kind::StagingNotice => {
            let s = train.staging.as_ref().ok_or_else(|| {
                missing_or_broken(format!("{}/staging.yaml", train.dir), "staging record")
            })?;
            // The newest notice: the latest `at` (the last one written on a tie
            // or when a time cannot be read).
            let (index, _) = s
                .data
                .notices
                .iter()
                .enumerate()
                .max_by_key(|(i, n)| (n.at.value.get(), *i))
                .ok_or_else(|| NoSource::Missing(format!("{} has no notices", s.path)))?;
            notice_source(train, index)
        }
        Kind::Signoff => {
            let s = train.signoff.as_ref().ok_or_else(|| {
                missing_or_broken(format!("{}/signoff.yaml", train.dir), "sign-off")
            })?;
            Ok(Source {
                notice: None,
                file: &s.path,
                field: field(
                    &s.path,
                    "notified_at",
                    "notified_at",
                    s.data.notified_at.as_ref(),
                ),
            })
        }
        Kind::Validation => {
            let p = train.push.as_ref().ok_or_else(|| {
                missing_or_broken(format!("{}/push.yaml", train.dir), "push record")
            })?;
            let v =
                p.data.validation.as_ref().ok_or_else(|| {
                    NoSource::Missing(format!("{} has no `validation` yet", p.path))
                })?;
            let sibling = [
                v.at.as_ref().map(|s| s.pos),
                v.notified_at.as_ref().map(|s| s.pos),
            ]
            .into_iter()
            .flatten()
            .chain(v.by.as_ref().map(|s| s.pos))
            .chain(v.outcome.as_ref().map(|o| o.pos))
            .filter(|p| p.line > 0)
            .max();
            Ok(Source {
                notice: None,
                file: &p.path,
                field: SendField {
                    sibling,
                    ..field(
                        &p.path,
                        "validation.notified_at",
                        "notified_at",
                        v.notified_at.as_ref(),
                    )
                },
            })
        }
    }
}

/// The staging notice at `index` of `train`'s staging.yaml, as the record
/// its e-mail is written from (`notify` tells of each new notice).
pub fn notice_source(train: &Train, index: usize) -> Result<Source<'_>, NoSource> {
    let missing = || {
        NoSource::Missing(format!(
            "the {} train has no staging notice {index}",
            train.id()
        ))
    };
    let s = train.staging.as_ref().ok_or_else(missing)?;
    let notice = s.data.notices.get(index).ok_or_else(missing)?;
    // When the time is not written yet, it goes beside the summary
    // (inside `{ … }` or on a line of its own).
    let sibling = Some(notice.summary.pos).filter(|p| p.line > 0);
    Ok(Source {
        notice: Some(index),
        file: &s.path,
        field: SendField {
            file: &s.path,
            name: "notices[].test_notified_at",
            key: "test_notified_at",
            value: notice.test_notified_at.as_ref(),
            sibling,
        },
    })
}

/// One of a train's messages whose record exists, and whether its send time
/// is recorded (`status` shows it under the milestone).
#[derive(Debug, Clone)]
pub struct Sent {
    pub step: crate::tracking::Step,
    pub kind: Kind,
    /// The recorded send time; `None` when not recorded or unreadable.
    pub at: Option<DateTime<Tz>>,
}

impl Sent {
    /// The command that writes and sends it.
    pub fn command(&self) -> String {
        match &self.kind {
            Kind::Handoff(p) => format!("trainyard mail handoff {p} --send --record"),
            k => format!("trainyard mail {} --send --record", k.key()),
        }
    }
}

/// Every message of `train` whose record exists, in the order of the process.
pub fn sent(train: &Train) -> Vec<Sent> {
    use crate::tracking::Step;
    let mut kinds: Vec<(Step, Kind)> = train
        .handoffs
        .iter()
        .map(|h| (Step::Handoff, Kind::Handoff(h.data.project.value.clone())))
        .collect();
    if train
        .staging
        .as_ref()
        .is_some_and(|s| !s.data.notices.is_empty())
    {
        kinds.push((Step::Staging, Kind::StagingNotice));
    }
    if train.signoff.is_some() {
        kinds.push((Step::Signoff, Kind::Signoff));
    }
    if train
        .push
        .as_ref()
        .is_some_and(|p| p.data.validation.is_some())
    {
        kinds.push((Step::Validation, Kind::Validation));
    }
    kinds
        .into_iter()
        .filter_map(|(step, kind)| {
            let at = source(train, &kind).ok()?.recorded_at();
            Some(Sent { step, kind, at })
        })
        .collect()
}
