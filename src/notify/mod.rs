//! Telling people: what a merge recorded ([`events`]) and what is due soon
//! ([`remind`]), as chat messages ([`text`]) delivered to the webhooks of
//! process.yaml `notify` ([`deliver`]).
//!
//! Each message is decided once, here, as a typed [`Message`]: the same value
//! is printed by `notify` and `remind`, posted to a JSON webhook, and
//! formatted for Slack and Matrix. Its id is stable (the same records give the
//! same id), so a resend is recognised: Matrix keeps one event per
//! transaction id, and the e-mail's Message-ID is the same.

pub mod deliver;
pub mod events;
pub mod outbox;
pub mod remind;
pub mod run;
pub mod text;

use crate::model::notify::Event;
use serde::Serialize;

/// One message, as every channel gets it and `--format json` prints it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Message {
    pub event: &'static str,
    /// The train, by push date.
    pub train: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    /// `DATE.EVENT[.PROJECT].HASH12` (a reminder: `DATE.reminder.STEP[.PROJECT].LEAD`).
    pub id: String,
    /// Where it goes: webhook names, and `mail` for the process e-mail.
    pub to: Vec<String>,
    /// The message as plain text, on one line.
    pub text: String,
    /// The release page, when `site.url` is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// A reminder's step, deadline, lead time and who owes it.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub reminder: Option<Reminder>,
    /// The bold part of the message, for the formats that have bold.
    #[serde(skip)]
    pub headline: String,
    /// The rest, after the headline.
    #[serde(skip)]
    pub detail: String,
    #[serde(skip)]
    pub kind: Event,
}

/// What a reminder adds to its message.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Reminder {
    pub step: &'static str,
    /// RFC 3339 with the process timezone's offset.
    pub due: String,
    pub lead: String,
    /// Handles of the people who owe it.
    pub owners: Vec<String>,
}

impl Message {
    /// A message with its text and id made from the headline and detail
    /// (`id_tail` is the reminder's `STEP[.PROJECT].LEAD`; other events hash
    /// the text).
    pub fn new(
        kind: Event,
        train: chrono::NaiveDate,
        project: Option<&str>,
        headline: String,
        detail: String,
        url: Option<String>,
    ) -> Message {
        let text = format!("{headline}: {detail}");
        let project_part = project
            .map(|p| format!(".{}", id_part(p)))
            .unwrap_or_default();
        let hash = crate::mail::sha256_hex(text.as_bytes());
        Message {
            event: kind.key(),
            train: train.to_string(),
            project: project.map(str::to_string),
            id: format!("{train}.{}{project_part}.{}", kind.key(), &hash[..12]),
            to: Vec::new(),
            text,
            url,
            reminder: None,
            headline,
            detail,
            kind,
        }
    }
}

/// A project as it goes into an id (a Matrix transaction id, a
/// Message-ID): the slug, or, for text that is not one (a stranger's record
/// with its rule turned off), a hash of it, so no id carries other text.
pub fn id_part(project: &str) -> String {
    if crate::load::is_slug(project) {
        project.to_string()
    } else {
        format!(
            "project-{}",
            &crate::mail::sha256_hex(project.as_bytes())[..8]
        )
    }
}

/// The release page of a train, when the site's address is known.
pub fn page_url(
    repo: &crate::model::ReleaseRepository,
    train: chrono::NaiveDate,
) -> Option<String> {
    repo.process
        .site
        .url
        .as_ref()
        .map(|base| format!("{}/releases/{train}/", base.trim_end_matches('/')))
}
