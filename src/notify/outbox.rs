//! Where each message goes and what became of it: every webhook whose
//! events include it, and the process e-mail when `notify.mail` is on. One
//! channel that fails does not stop the others; each failure is kept with
//! the message's id and the channel's name (never its secret).

use super::deliver::{Failure, Sender};
use super::events::Recorded;
use super::Message;
use crate::mail::smtp::{self, SendError, Server};
use crate::model::notify::Target;
use crate::model::ReleaseRepository;
use chrono::{DateTime, Utc};
use lettre::message::Mailbox;
use serde::Serialize;
use std::time::Duration;

/// A message that did not reach a channel.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Failed {
    pub id: String,
    /// The webhook's name, or `mail`.
    pub to: String,
    pub reason: String,
    #[serde(skip)]
    pub failure: Failure,
}

/// What a run sent, or would send.
#[derive(Debug, Default, Serialize)]
pub struct Delivered {
    pub sent: Vec<Message>,
    pub failed: Vec<Failed>,
}

/// The e-mail side of a run: the server and its login, read once.
pub struct Mail {
    server: Result<(Server, Option<smtp::Credentials>), Failure>,
    /// Set once the server could not be reached: it is not tried again.
    down: std::cell::RefCell<Option<Failure>>,
}

impl Mail {
    pub fn from_env() -> Mail {
        let server = match std::env::var("TRAINYARD_SMTP_URL").ok().filter(|v| !v.trim().is_empty()) {
            None => Err(Failure::Secret(
                "the environment variable TRAINYARD_SMTP_URL (the SMTP server) is not set".into(),
            )),
            Some(url) => Server::parse(url.trim())
                .map_err(|_| Failure::Secret("the environment variable TRAINYARD_SMTP_URL does not hold an smtp:// or smtps:// URL".into()))
                .and_then(|s| {
                    let creds = smtp::credentials_from_env().map_err(|e| Failure::Secret(e.lines().next().unwrap_or_default().to_string()))?;
                    if creds.is_some() && s.security == smtp::Security::Plain {
                        return Err(Failure::Secret("TRAINYARD_SMTP_USER is set but TRAINYARD_SMTP_URL is plain smtp://: the password is not sent in clear".into()));
                    }
                    Ok((s, creds))
                }),
        };
        Mail {
            server,
            down: std::cell::RefCell::new(None),
        }
    }

    fn send(&self, letter: &crate::mail::Letter, timeout: Duration) -> Result<(), Failure> {
        let (server, creds) = self.server.as_ref().map_err(Clone::clone)?;
        if let Some(f) = self.down.borrow().as_ref() {
            return Err(f.clone());
        }
        let message = letter.message().map_err(Failure::Refused)?;
        smtp::send(server, creds.clone(), None, &message, timeout).map_err(|e| match e {
            SendError::Refused(e) => Failure::Refused(e),
            SendError::Unreachable(e) | SendError::Untrusted(e) => {
                *self.down.borrow_mut() =
                    Some(Failure::Unreachable(format!("not tried again after: {e}")));
                Failure::Unreachable(e)
            }
        })
    }
}

/// Set each message's `to`: the webhooks that take its event, and `mail`
/// when the process e-mail goes too (`with_mail`).
pub fn route(repo: &ReleaseRepository, m: &mut Message, with_mail: bool) {
    let n = &repo.process.notify;
    m.to = n
        .webhooks
        .iter()
        .filter(|w| w.events.contains(&m.kind))
        .map(|w| w.name.clone())
        .collect();
    if with_mail && n.mail && n.events.contains(&m.kind) {
        m.to.push("mail".into());
    }
}

/// Send every message to its channels; `letters` gives a message's e-mail.
pub fn deliver(
    repo: &ReleaseRepository,
    messages: Vec<Message>,
    letters: &dyn Fn(&Message) -> Result<Vec<crate::mail::Letter>, String>,
    timeout: Duration,
) -> Delivered {
    let n = &repo.process.notify;
    let mut sender = Sender::new(&n.webhooks, timeout);
    let mail = messages
        .iter()
        .any(|m| m.to.iter().any(|t| t == "mail"))
        .then(Mail::from_env);
    let mut out = Delivered::default();
    for mut m in messages {
        let mut reached = Vec::new();
        for to in m.to.clone() {
            let result = if to == "mail" {
                match (&mail, letters(&m)) {
                    (Some(mail), Ok(letters)) => {
                        letters.iter().try_for_each(|l| mail.send(l, timeout))
                    }
                    (_, Err(why)) => Err(Failure::Refused(why)),
                    (None, _) => Ok(()),
                }
            } else {
                let json = n
                    .webhooks
                    .iter()
                    .find(|w| w.name == to)
                    .is_some_and(|w| matches!(w.target, Target::Json { .. }));
                sender.send(&to, json, &m)
            };
            match result {
                Ok(()) => reached.push(to),
                Err(failure) => out.failed.push(Failed {
                    id: m.id.clone(),
                    to: to.clone(),
                    reason: failure.to_string(),
                    failure,
                }),
            }
        }
        m.to = reached;
        out.sent.push(m);
    }
    out
}

/// The process e-mail of a recorded event (`trainyard mail`'s, with the
/// same Message-ID), or none for an event that has no e-mail.
pub fn process_letter(
    repo: &ReleaseRepository,
    r: &Recorded,
    now: DateTime<Utc>,
) -> Result<Option<crate::mail::Letter>, String> {
    let Some(kind) = &r.mail else {
        return Ok(None);
    };
    let train = &repo.trains[r.train];
    let source = match r.notice {
        Some(i) => crate::mail::notice_source(train, i),
        None => crate::mail::source(train, kind),
    }
    .map_err(|_| "its record cannot be read".to_string())?;
    let date = source
        .recorded_at()
        .unwrap_or_else(|| now.with_timezone(&repo.process_for(train.date).timezone));
    let inputs = crate::mail::Inputs {
        repo,
        train,
        kind,
        source: &source,
        ships: None,
        date,
    };
    crate::mail::compose(&inputs).map(Some).map_err(|problems| {
        let first = problems
            .first()
            .map(|d| d.message.clone())
            .unwrap_or_default();
        format!("the e-mail cannot be written: {first}")
    })
}

/// A reminder's e-mail to each person who owes the step and has an address.
pub fn reminder_letters(
    repo: &ReleaseRepository,
    m: &Message,
    now: DateTime<Utc>,
) -> Result<Vec<crate::mail::Letter>, String> {
    let Some(r) = &m.reminder else {
        return Ok(Vec::new());
    };
    let to: Vec<Mailbox> = r
        .owners
        .iter()
        .filter_map(|h| repo.people.get(h))
        .filter_map(|p| {
            let email = p.email.value.trim().parse().ok()?;
            Some(Mailbox::new(Some(super::text::field(&p.name.value)), email))
        })
        .collect();
    if to.is_empty() {
        return Ok(Vec::new());
    }
    let domain = repo
        .process
        .mail_domain
        .clone()
        .unwrap_or_else(|| to[0].email.domain().to_string());
    let from: Mailbox = format!("trainyard <trainyard@{domain}>")
        .parse()
        .map_err(|_| format!("`trainyard@{domain}` is not an address"))?;
    let text = match &m.url {
        Some(url) => format!("{}\r\n\r\n{url}\r\n", m.text),
        None => format!("{}\r\n", m.text),
    };
    let html = format!(
        "<p>{}</p>{}",
        super::text::html_escape(&m.text),
        m.url
            .as_ref()
            .map(|u| format!(
                "<p><a href=\"{}\">Release page</a></p>",
                super::text::html_escape(u)
            ))
            .unwrap_or_default()
    );
    Ok(vec![crate::mail::Letter {
        from,
        to,
        cc: Vec::new(),
        subject: format!(
            "[release {}] {}",
            m.train,
            m.detail
                .split(" is due")
                .next()
                .and_then(|s| s.split(" opens").next())
                .unwrap_or("Reminder")
        ),
        date: now.with_timezone(&repo.process.timezone),
        message_id: format!("<{}@{domain}>", m.id),
        thread: format!("<{}.train@{domain}>", m.train),
        text,
        html,
    }])
}
