//! The process's e-mails, written from the records (SITE.md "Commands that
//! act on the process"): the hand-off to Test, a staging notice, Test's
//! sign-off and the production push's outcome.
//!
//! [`source`] finds the record a message is written from and where its send
//! time goes; [`compose`] turns the records into a [`Letter`]: `draft` says
//! what each kind of message says, `address` checks who it is from and to,
//! `body` renders the typed context into a text and an HTML part.
//! [`Letter::message`] makes the RFC 5322 message; [`smtp`] delivers it and
//! [`record`] writes the send time back into the record.

mod address;
mod body;
mod catalogue;
mod draft;
pub mod record;
pub mod smtp;
mod source;

pub use body::one_line;
pub use catalogue::{catalogue, Described};
pub use source::{notice_source, sent, source, NoSource, Sent, Source};

use crate::diagnostics::Diagnostic;
use crate::diagnostics::Rule;
use crate::model::{Pos, ReleaseRepository, Train};
use crate::repositories::Shipment;
use body::Body;
use chrono::DateTime;
use chrono_tz::Tz;
use lettre::message::{Mailbox, MultiPart};

/// Which message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A project's hand-off to Test (cc Ops).
    Handoff(String),
    /// The newest staging notice, to the test list.
    StagingNotice,
    /// Test's sign-off, to the test list.
    Signoff,
    /// The production push's outcome, to the test list cc the ops list.
    Validation,
}

impl Kind {
    /// As written on the command line and in Message-IDs.
    pub fn key(&self) -> &'static str {
        match self {
            Kind::Handoff(_) => "handoff",
            Kind::StagingNotice => "staging-notice",
            Kind::Signoff => "signoff",
            Kind::Validation => "validation",
        }
    }
}

/// A message ready to be made into RFC 5322 text or sent.
#[derive(Debug, Clone)]
pub struct Letter {
    pub from: Mailbox,
    pub to: Vec<Mailbox>,
    pub cc: Vec<Mailbox>,
    pub subject: String,
    pub date: DateTime<Tz>,
    pub message_id: String,
    /// The train's thread: In-Reply-To and References.
    pub thread: String,
    pub text: String,
    pub html: String,
}

impl Letter {
    /// The message, as lettre builds it (CRLF line ends, MIME, RFC 2047).
    pub fn message(&self) -> Result<lettre::Message, String> {
        let mut b = lettre::Message::builder()
            .from(self.from.clone())
            .subject(self.subject.clone())
            .date(std::time::SystemTime::from(
                self.date.with_timezone(&chrono::Utc),
            ))
            .message_id(Some(self.message_id.clone()))
            .in_reply_to(self.thread.clone())
            .references(self.thread.clone());
        for to in &self.to {
            b = b.to(to.clone());
        }
        for cc in &self.cc {
            b = b.cc(cc.clone());
        }
        b.multipart(MultiPart::alternative_plain_html(
            self.text.clone(),
            self.html.clone(),
        ))
        .map_err(|e| format!("cannot build the message: {e}"))
    }
}

/// Everything [`compose`] needs besides the train.
pub struct Inputs<'a> {
    pub repo: &'a ReleaseRepository,
    pub train: &'a Train,
    pub kind: &'a Kind,
    pub source: &'a Source<'a>,
    /// What the hand-off ships, when its repository is configured and read.
    pub ships: Option<&'a Shipment>,
    /// The Date: the recorded send time, else now.
    pub date: DateTime<Tz>,
}

/// Build the message (its Message-ID hashes the text/plain part as sent:
/// UTF-8 with CRLF line ends), or the diagnostics that stop it (a person
/// without a usable e-mail, an address that is not one, a list that is not set).
pub fn compose(i: &Inputs<'_>) -> Result<Letter, Vec<Diagnostic>> {
    let repo = i.repo;
    let id = i.train.id();
    let mut problems = Vec::new();
    let Some(d) = draft::draft(i, &mut problems) else {
        return Err(problems);
    };
    let (to, cc) = address::recipients(repo, d.recipients, &mut problems);
    let (Some(from), true) = (d.from, problems.is_empty()) else {
        return Err(problems);
    };
    let page = repo
        .process
        .site
        .url
        .as_ref()
        .map(|base| format!("{}/releases/{id}/", base.trim_end_matches('/')));
    let body = Body {
        intro: d.intro,
        rows: d.rows,
        sections: d.sections,
        source: i.source.file.to_string(),
        page,
    };
    let (text_part, html_part) = body
        .render()
        .map_err(|e| vec![Diagnostic::new(Rule::Schema, i.source.file, Pos::FILE, e)])?;
    let domain = repo
        .process
        .mail_domain
        .clone()
        .unwrap_or_else(|| from.email.domain().to_string());
    let hash = sha256_hex(text_part.as_bytes());
    let project = match i.kind {
        Kind::Handoff(p) => format!(".{p}"),
        _ => String::new(),
    };
    Ok(Letter {
        from,
        to,
        cc,
        subject: one_line(&d.subject),
        date: i.date,
        message_id: format!("<{id}.{}{project}.{}@{domain}>", i.kind.key(), &hash[..12]),
        thread: format!("<{id}.train@{domain}>"),
        text: text_part,
        html: html_part,
    })
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    let mut hex = String::with_capacity(64);
    for b in digest.as_ref() {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{b:02x}");
    }
    hex
}
