//! The two runs, from the repository on disk to what was (or would be)
//! sent: [`merged`] for `notify` (what a change from a base recorded) and
//! [`reminders`] for `remind` (what is due in a period). The command line
//! only prints the outcome and maps it to an exit status.

use super::events;
use super::outbox::{self, Delivered};
use super::{remind, Message};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::ReleaseRepository;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;
use std::path::Path;

/// A recorded event that sends nothing: its record has errors.
#[derive(Debug, Serialize)]
pub struct Refused {
    pub event: &'static str,
    pub train: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    pub file: String,
    pub problems: Vec<Problem>,
}

/// One error of a refused record, for `--format json`.
#[derive(Debug, Serialize)]
pub struct Problem {
    pub rule: &'static str,
    pub line: u32,
    pub message: String,
}

/// What a change recorded: the messages ready to go, and the records that
/// send nothing.
pub struct Merged {
    pub repo: ReleaseRepository,
    pub now: DateTime<Utc>,
    /// Each message, with its process e-mail (composed once: its
    /// Message-ID gives the message its id).
    ready: Vec<(Message, Result<Option<crate::mail::Letter>, String>)>,
    pub refused: Vec<Refused>,
    /// The refused records' errors, to show as `check` does.
    pub diagnostics: Vec<Diagnostic>,
}

/// Read what the change from `base` to the working tree recorded. Only the
/// train folders the change touches are read, at the base and now.
pub fn merged(root: &Path, base: &str, now: Option<&str>) -> Result<Merged, String> {
    let changed = crate::git::changed_train_dirs(root, base).map_err(|e| e.to_string())?;
    let files =
        crate::git::release_files_of(root, base, Some(&changed)).map_err(|e| e.to_string())?;
    let touched = |dates: &[NaiveDate], _, _: &_| -> Vec<NaiveDate> {
        dates
            .iter()
            .copied()
            .filter(|d| changed.contains(&format!("releases/{d}")))
            .collect()
    };
    let (loaded, now, _) = crate::pipeline::load_trains(root, now, touched)?;
    let before = crate::load::load_files(root, &files).repo;
    let repo = loaded.repo;
    let report = crate::rules::check(&repo, loaded.diagnostics, now);
    let (recorded, unreadable) = events::recorded(&before, &repo);

    // When process.yaml or people.yaml cannot be read, the records were not
    // judged: nothing is sent, and their errors say why.
    let settings_broken = repo.process_unreadable || repo.people.unreadable;
    let errors_in = |file: &str| -> Vec<&Diagnostic> {
        report
            .diagnostics
            .iter()
            .filter(|d| {
                d.severity == Severity::Error
                    && (d.file == file
                        || (settings_broken
                            && matches!(d.file.as_str(), "process.yaml" | "people.yaml")))
            })
            .collect()
    };
    let mut refused = Vec::new();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut ready = Vec::new();
    for r in recorded {
        let errors = errors_in(&r.file);
        if errors.is_empty() {
            let mut m = r.message.clone();
            outbox::route(&repo, &mut m, r.mail.is_some());
            // An event with a process e-mail has that e-mail's id (HASH12 of
            // its text/plain part), so `notify` and `trainyard mail` agree.
            let letter = outbox::process_letter(&repo, &r, now);
            if let Ok(Some(l)) = &letter {
                if let Some(id) = l
                    .message_id
                    .strip_prefix('<')
                    .and_then(|i| i.split('@').next())
                {
                    m.id = id.to_string();
                }
            }
            ready.push((m, letter));
        } else {
            diagnostics.extend(errors.iter().map(|d| (*d).clone()));
            refused.push(Refused {
                event: r.message.event,
                train: r.message.train.clone(),
                project: r.message.project.clone(),
                file: r.file.clone(),
                problems: problems(&errors),
            });
        }
    }
    for u in unreadable {
        let errors = errors_in(&u.file);
        diagnostics.extend(errors.iter().map(|d| (*d).clone()));
        refused.push(Refused {
            event: u.event.key(),
            train: u.train,
            project: None,
            file: u.file,
            problems: problems(&errors),
        });
    }
    diagnostics.dedup();
    Ok(Merged {
        repo,
        now,
        ready,
        refused,
        diagnostics,
    })
}

impl Merged {
    /// The messages, as they would be sent.
    pub fn unsent(&self) -> Delivered {
        Delivered {
            sent: self.ready.iter().map(|(m, _)| m.clone()).collect(),
            failed: Vec::new(),
        }
    }

    /// Send every message to its channels.
    pub fn send(&self, timeout: std::time::Duration) -> Delivered {
        let letters = |m: &Message| match self.ready.iter().find(|(r, _)| r.id == m.id) {
            Some((_, letter)) => letter.clone().map(|l| l.into_iter().collect()),
            None => Ok(Vec::new()),
        };
        let messages = self.ready.iter().map(|(m, _)| m.clone()).collect();
        outbox::deliver(&self.repo, messages, &letters, timeout)
    }
}

/// The reminders due in a period.
pub struct Reminders {
    pub repo: ReleaseRepository,
    pub now: DateTime<Utc>,
    pub messages: Vec<Message>,
}

/// Read the current and next trains and the planning meetings, and find the
/// reminders due in (now − since, now].
pub fn reminders(root: &Path, now: Option<&str>, since: Duration) -> Result<Reminders, String> {
    let pick = |dates: &[NaiveDate], now: chrono::DateTime<chrono_tz::Tz>, _: &_| {
        let today = now.date_naive();
        let mut picked: Vec<_> = dates.iter().copied().filter(|d| *d >= today).collect();
        picked.extend(dates.last().copied());
        picked
    };
    let (loaded, now, _) = crate::pipeline::load_trains_and_planning(root, now, pick)?;
    let repo = loaded.repo;
    let mut messages = remind::due(&repo, now, since);
    for m in &mut messages {
        outbox::route(&repo, m, true);
    }
    Ok(Reminders {
        repo,
        now,
        messages,
    })
}

impl Reminders {
    /// Send every reminder to its channels.
    pub fn send(self, timeout: std::time::Duration) -> Delivered {
        let letters = |m: &Message| outbox::reminder_letters(&self.repo, m, self.now);
        outbox::deliver(&self.repo, self.messages.clone(), &letters, timeout)
    }
}

fn problems(errors: &[&Diagnostic]) -> Vec<Problem> {
    errors
        .iter()
        .map(|d| Problem {
            rule: d.rule.id(),
            line: d.pos.line,
            message: d.message.clone(),
        })
        .collect()
}
