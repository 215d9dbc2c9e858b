//! The process's e-mails, written from the records (SITE.md "Commands that
//! act on the process"): the hand-off to Test, a staging notice, Test's
//! sign-off and the production push's outcome.
//!
//! [`source`] finds the record a message is written from and where its send
//! time goes; [`compose`] turns the records into a [`Letter`] (a typed
//! context rendered by the built-in templates into a text and an HTML part);
//! [`Letter::message`] makes the RFC 5322 message; [`smtp`] delivers it and
//! [`record`] writes the send time back into the record.

pub mod record;
pub mod smtp;

use crate::diagnostics::Diagnostic;
use crate::model::{Bug, Decision, Environment, Outcome, PassFail, Pos, Repository, Sp, Train};
use crate::repositories::{bug_number, Shipment};
use crate::rules::{is_http_url, Rule, PLACEHOLDER};
use crate::schedule::time;
use chrono::DateTime;
use chrono_tz::Tz;
use lettre::message::{Mailbox, MultiPart};
use lettre::Address;
use record::SendField;
use serde::Serialize;

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

/// The record a message is written from, and where its send time goes.
#[derive(Debug)]
pub struct Source<'a> {
    pub file: &'a str,
    pub field: SendField<'a>,
}

impl Source<'_> {
    /// The recorded send time's text, when one is filled in.
    pub fn recorded(&self) -> Option<&str> {
        self.field
            .value
            .map(|v| v.value.as_str())
            .filter(|v| !v.contains(PLACEHOLDER))
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
pub fn source<'a>(train: &'a Train, kind: &Kind, tz: Tz) -> Result<Source<'a>, NoSource> {
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
                file: &h.path,
                field: field(
                    &h.path,
                    "notification.sent_at",
                    "sent_at",
                    Some(&h.data.notification.sent_at),
                ),
            })
        }
        Kind::StagingNotice => {
            let s = train.staging.as_ref().ok_or_else(|| {
                missing_or_broken(format!("{}/staging.yaml", train.dir), "staging record")
            })?;
            // The newest notice: the latest `at` (the last one written on a tie
            // or when a time cannot be read).
            let newest = s
                .data
                .notices
                .iter()
                .enumerate()
                .max_by_key(|(i, n)| (time::parse_time(&n.at.value, tz).ok(), *i))
                .map(|(_, n)| n)
                .ok_or_else(|| NoSource::Missing(format!("{} has no notices", s.path)))?;
            Ok(Source {
                file: &s.path,
                field: field(
                    &s.path,
                    "notices[].test_notified_at",
                    "test_notified_at",
                    Some(&newest.test_notified_at),
                ),
            })
        }
        Kind::Signoff => {
            let s = train.signoff.as_ref().ok_or_else(|| {
                missing_or_broken(format!("{}/signoff.yaml", train.dir), "sign-off")
            })?;
            Ok(Source {
                file: &s.path,
                field: field(
                    &s.path,
                    "notified_at",
                    "notified_at",
                    Some(&s.data.notified_at),
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
            let sibling = [&v.by, &v.at, &v.notified_at]
                .into_iter()
                .flatten()
                .map(|s| s.pos)
                .chain(v.outcome.as_ref().map(|o| o.pos))
                .filter(|p| p.line > 0)
                .max();
            Ok(Source {
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

/// One kind of message, as the process page lists them.
#[derive(Debug, Clone, Serialize)]
pub struct Described {
    pub name: &'static str,
    pub command: &'static str,
    /// When it is written and sent.
    pub when: &'static str,
    pub from: &'static str,
    pub to: String,
    pub subject: &'static str,
    /// The record field its send time is recorded in.
    pub recorded_in: &'static str,
}

/// Every message `trainyard mail` writes, with this process's lists.
pub fn catalogue(process: &crate::model::Process) -> Vec<Described> {
    let list = |role: &str| {
        process
            .roles
            .get(role)
            .and_then(|r| r.list.clone())
            .unwrap_or_else(|| format!("the {role} list (not set)"))
    };
    let (test, ops) = (list("test"), list("ops"));
    vec![
        Described {
            name: "Hand-off",
            command: "trainyard mail handoff PROJECT",
            when: "when a deliverable is handed to Test, by the drop-to-test deadline",
            from: "the developer handing off",
            to: "the hand-off's notification to and cc (the test list, cc the ops list)".into(),
            subject: "[release DATE] Hand-off: PROJECT TAG",
            recorded_in: "handoffs/PROJECT.yaml notification.sent_at",
        },
        Described {
            name: "Staging notice",
            command: "trainyard mail staging-notice",
            when: "when staging is not stable during testing",
            from: "Service Ops, who wrote the notice",
            to: test.clone(),
            subject: "[release DATE] Staging notice: SUMMARY",
            recorded_in: "staging.yaml notices[].test_notified_at",
        },
        Described {
            name: "Test sign-off",
            command: "trainyard mail signoff",
            when: "when Test signs off, go or no-go, by the sign-off deadline",
            from: "the tester signing off",
            to: test.clone(),
            subject: "[release DATE] Test sign-off: go (or no-go)",
            recorded_in: "signoff.yaml notified_at",
        },
        Described {
            name: "Production push",
            command: "trainyard mail validation",
            when: "when Test has validated the push in production",
            from: "the tester validating",
            to: format!("{test}, cc {ops}"),
            subject: "[release DATE] Production push: success (or rolled back)",
            recorded_in: "push.yaml validation.notified_at",
        },
    ]
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
pub fn sent(train: &Train, tz: Tz) -> Vec<Sent> {
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
            let at = source(train, &kind, tz)
                .ok()?
                .recorded()
                .and_then(|raw| time::parse_time(raw, tz).ok());
            Some(Sent { step, kind, at })
        })
        .collect()
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

/// One piece of a value: text, linked when it has a (checked) web address.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    pub text: String,
    pub href: Option<String>,
}

/// A labelled line of the message.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub label: &'static str,
    pub parts: Vec<Part>,
}

/// A list under a heading (the commits that ship).
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub title: String,
    pub items: Vec<Part>,
}

/// What the message templates render.
#[derive(Debug, Clone, Serialize)]
pub struct Body {
    pub intro: String,
    pub rows: Vec<Row>,
    pub sections: Vec<Section>,
    /// The record it was written from.
    pub source: String,
    /// The train's page on the site, when `site.url` is set.
    pub page: Option<String>,
}

const TEXT_TEMPLATE: &str = include_str!("message.txt");
const HTML_TEMPLATE: &str = include_str!("message.html");

impl Body {
    fn render(&self) -> Result<(String, String), String> {
        let mut tera = tera::Tera::new();
        tera.add_raw_templates([
            ("message.txt", TEXT_TEMPLATE),
            ("message.html", HTML_TEMPLATE),
        ])
        .map_err(|e| format!("the built-in message templates: {e}"))?;
        let ctx = tera::Context::from_serialize(self).map_err(|e| format!("the message: {e}"))?;
        let text = tera
            .render("message.txt", &ctx)
            .map_err(|e| format!("the message text: {e}"))?;
        let html = tera
            .render("message.html", &ctx)
            .map_err(|e| format!("the message HTML: {e}"))?;
        // Text in its canonical form (RFC 2046): CRLF line ends, as sent,
        // so the Message-ID's hash is of the part a reader receives.
        let crlf = |s: String| s.replace("\r\n", "\n").replace('\n', "\r\n");
        Ok((crlf(text), crlf(html)))
    }
}

fn text(s: impl Into<String>) -> Part {
    Part {
        text: one_line(&s.into()),
        href: None,
    }
}

/// A web address as a link (only absolute http(s) ones are linked).
fn link(label: impl Into<String>, url: &str) -> Part {
    Part {
        text: one_line(&label.into()),
        href: is_http_url(url).then(|| url.to_string()),
    }
}

fn row(label: &'static str, parts: Vec<Part>) -> Row {
    Row { label, parts }
}

/// Record text on one line: control characters (a CR or LF from a quoted
/// YAML string among them) become spaces, so no record can add a header or
/// break a line it does not own.
pub fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out.trim().to_string()
}

/// Everything [`compose`] needs besides the train.
pub struct Inputs<'a> {
    pub repo: &'a Repository,
    pub train: &'a Train,
    pub kind: &'a Kind,
    pub source: &'a Source<'a>,
    /// What the hand-off ships, when its repository is configured and read.
    pub ships: Option<&'a Shipment>,
    /// The Date: the recorded send time, else now.
    pub date: DateTime<Tz>,
}

/// Build the message (its Message-ID hashes the text/plain part as sent:
/// UTF-8 with CRLF line ends), or the diagnostics that stop it (a person without a
/// usable e-mail, an address that is not one, a list that is not set).
pub fn compose(i: &Inputs<'_>) -> Result<Letter, Vec<Diagnostic>> {
    let repo = i.repo;
    let train = i.train;
    let mut problems = Vec::new();
    let id = train.id();
    let tracker = &repo.process.bugs;
    let bug_parts = |bugs: &[Sp<Bug>]| -> Vec<Part> {
        bugs.iter()
            .map(|b| match bug_number(&b.value, &tracker.pattern) {
                Some(n) => match tracker.link(n) {
                    Some(url) => link(b.value.to_string(), &url),
                    None => text(b.value.to_string()),
                },
                None => text(b.value.to_string()),
            })
            .collect()
    };
    let mut person = |file: &str, handle: &Sp<String>| -> Option<Mailbox> {
        mailbox_of(repo, file, handle)
            .map_err(|d| problems.push(d))
            .ok()
    };
    let (from, subject, intro, mut rows, sections, to_cc) = match i.kind {
        Kind::Handoff(project) => {
            // `source` found it, so the hand-off exists.
            let Some(h) = train
                .handoffs
                .iter()
                .find(|h| &h.data.project.value == project)
            else {
                return Err(Vec::new());
            };
            let h_data = &h.data;
            let from = person(&h.path, &h_data.by);
            let features: Vec<_> = train
                .train
                .iter()
                .flat_map(|t| t.data.features.iter())
                .filter(|f| &f.project.value == project)
                .collect();
            let listed: Vec<Sp<Bug>> = features
                .iter()
                .flat_map(|f| f.bugs.iter().cloned())
                .collect();
            let numbers: Vec<u64> = listed
                .iter()
                .filter_map(|b| bug_number(&b.value, &tracker.pattern))
                .collect();
            let security = &h_data.security.value;
            let mut security_parts = vec![text(if security.required.value {
                "required"
            } else {
                "not required"
            })];
            if let Some(doc) = &security.doc {
                security_parts.push(link("review", &doc.value));
            }
            if let Some(by) = &security.signed_off_by {
                security_parts.push(text(format!(
                    "signed off by {}",
                    display_name(repo, &by.value)
                )));
            }
            let ci = &h_data.ci.value;
            let status = match ci.status.value {
                crate::model::CiStatus::Passing => "passing",
                crate::model::CiStatus::Failing => "failing",
                crate::model::CiStatus::Unknown => "unknown",
            };
            let mut rows = vec![
                row("Project", vec![text(project.as_str())]),
                row("Tag", vec![text(h_data.tag.value.as_str())]),
                row("CI", vec![link(status, &ci.url.value)]),
                row(
                    "Test plan",
                    vec![link(
                        h_data.test_plan.value.as_str(),
                        &h_data.test_plan.value,
                    )],
                ),
                row("Security", security_parts),
                row(
                    "Deploy bugs",
                    none_if_empty(bug_parts(&h_data.deploy_bugs.value)),
                ),
                row("Bugs", none_if_empty(bug_parts(&listed))),
            ];
            if let Some(url) = tracker.list_link(&numbers) {
                rows.push(row("Bug list", vec![link(url.as_str(), &url)]));
            }
            rows.push(row(
                "Staging",
                vec![link(
                    h_data.staging.value.url.value.as_str(),
                    &h_data.staging.value.url.value,
                )],
            ));
            rows.push(row(
                "Database",
                vec![text(h_data.staging.value.database.value.as_str())],
            ));
            for f in &features {
                rows.push(row("Feature", vec![text(f.summary.value.as_str())]));
                if let Some(dep) = &f.client_dependency {
                    rows.push(row("Client", vec![text(dep.value.as_str())]));
                }
            }
            let sections = i.ships.map(shipped).into_iter().collect();
            let to: Vec<_> = h_data.notification.value.to.value.to_vec();
            let cc: Vec<_> = h_data.notification.value.cc.value.to_vec();
            (
                from,
                format!("[release {id}] Hand-off: {project} {}", h_data.tag.value),
                format!(
                    "{project} {} is handed to Test for the {id} train.",
                    h_data.tag.value
                ),
                rows,
                sections,
                Recipients::Listed {
                    file: &h.path,
                    to,
                    cc,
                },
            )
        }
        Kind::StagingNotice => {
            // `source` found it, so staging.yaml and a notice exist.
            let Some(s) = &train.staging else {
                return Err(Vec::new());
            };
            let Some(n) = s.data.notices.iter().find(|n| {
                i.source
                    .field
                    .value
                    .is_some_and(|v| std::ptr::eq(v, &n.test_notified_at))
            }) else {
                return Err(Vec::new());
            };
            let from = person(&s.path, &n.by);
            let rows = vec![
                row("Notice", vec![text(n.summary.value.as_str())]),
                row("When", vec![text(show_time(repo, &n.at.value))]),
                row("Who", vec![text(display_name(repo, &n.by.value))]),
                row(
                    "Staging push",
                    vec![text(format!(
                        "{} by {}",
                        show_time(repo, &s.data.pushed_at.value),
                        display_name(repo, &s.data.pushed_by.value)
                    ))],
                ),
            ];
            (
                from,
                format!("[release {id}] Staging notice: {}", n.summary.value),
                format!("Staging for the {id} train: {}", n.summary.value),
                rows,
                Vec::new(),
                Recipients::Lists { cc_ops: false },
            )
        }
        Kind::Signoff => {
            let Some(s) = &train.signoff else {
                return Err(Vec::new());
            };
            let d = &s.data;
            let from = person(&s.path, &d.by);
            let decision = match d.decision.value {
                Decision::Go => "go",
                Decision::NoGo => "no-go",
            };
            let pf = |p: PassFail| match p {
                PassFail::Pass => "pass",
                PassFail::Fail => "fail",
            };
            let load = &d.load_test.value;
            let mut load_parts = vec![text(if load.required.value {
                "required"
            } else {
                "not required"
            })];
            if let Some(by) = &load.signed_off_by {
                load_parts.push(text(format!(
                    "signed off by {}",
                    display_name(repo, &by.value)
                )));
            }
            if let Some(env) = &load.environment {
                load_parts.push(text(match env.value {
                    Environment::Stage => "on stage",
                    Environment::Production => "in production",
                }));
            }
            let mut rows = vec![
                row("Decision", vec![text(decision)]),
                row("Regression", vec![text(pf(d.regression.value))]),
                row(
                    "Cross-environment",
                    vec![text(pf(d.cross_environment.value))],
                ),
                row("Test plan", vec![text(pf(d.test_plan.value))]),
                row("Load test", load_parts),
                row(
                    "Signed off",
                    vec![text(format!(
                        "{} by {}",
                        show_time(repo, &d.at.value),
                        display_name(repo, &d.by.value)
                    ))],
                ),
            ];
            if let Some(r) = &d.results {
                rows.push(row("Results", vec![link(r.value.as_str(), &r.value)]));
            }
            (
                from,
                format!("[release {id}] Test sign-off: {decision}"),
                format!("Test's sign-off of the {id} train: {decision}."),
                rows,
                Vec::new(),
                Recipients::Lists { cc_ops: false },
            )
        }
        Kind::Validation => {
            let Some(p) = &train.push else {
                return Err(Vec::new());
            };
            let Some(v) = &p.data.validation else {
                return Err(Vec::new());
            };
            let by = v.by.as_ref();
            let from = match by {
                Some(by) => person(&p.path, by),
                None => {
                    problems.push(
                        Diagnostic::new(
                            Rule::PushValidation,
                            &p.path,
                            v.pos,
                            "the validation names no `by`",
                        )
                        .help("add `by:` with the tester who validated the push"),
                    );
                    None
                }
            };
            let outcome = match v.outcome.as_ref().map(|o| o.value) {
                Some(Outcome::Success) => "success",
                Some(Outcome::RolledBack) => "rolled back",
                None => "unknown",
            };
            let present = &p.data.present.value;
            let names = |list: &[Sp<String>]| {
                list.iter()
                    .map(|h| display_name(repo, &h.value))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let mut rows = vec![row("Outcome", vec![text(outcome)])];
            if let Some(r) = &v.rollback_reason {
                rows.push(row("Rollback reason", vec![text(r.value.as_str())]));
            }
            rows.extend([
                row(
                    "Push started",
                    vec![text(show_time(repo, &p.data.started_at.value))],
                ),
                row(
                    "Push finished",
                    vec![text(show_time(repo, &p.data.finished_at.value))],
                ),
                row(
                    "Pushed by",
                    vec![text(display_name(repo, &p.data.pushed_by.value))],
                ),
                row("Dev present", vec![text(names(&present.dev))]),
                row("Test present", vec![text(names(&present.test))]),
                row("Ops present", vec![text(names(&present.ops))]),
            ]);
            if let (Some(by), Some(at)) = (by, &v.at) {
                rows.push(row(
                    "Validated",
                    vec![text(format!(
                        "{} by {}",
                        show_time(repo, &at.value),
                        display_name(repo, &by.value)
                    ))],
                ));
            }
            (
                from,
                format!("[release {id}] Production push: {outcome}"),
                format!("The {id} train's production push: {outcome}."),
                rows,
                Vec::new(),
                Recipients::Lists { cc_ops: true },
            )
        }
    };
    rows.retain(|r| !r.parts.is_empty());
    let (to, cc) = recipients(repo, to_cc, &mut problems);
    let Some(from) = from else {
        return Err(problems);
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let page = repo
        .process
        .site
        .url
        .as_ref()
        .map(|base| format!("{}/releases/{id}/", base.trim_end_matches('/')));
    let body = Body {
        intro,
        rows,
        sections,
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
        subject: one_line(&subject),
        date: i.date,
        message_id: format!("<{id}.{}{project}.{}@{domain}>", i.kind.key(), &hash[..12]),
        thread: format!("<{id}.train@{domain}>"),
        text: text_part,
        html: html_part,
    })
}

fn none_if_empty(parts: Vec<Part>) -> Vec<Part> {
    if parts.is_empty() {
        vec![text("none")]
    } else {
        parts
    }
}

/// The commits a hand-off ships, as a section.
fn shipped(s: &Shipment) -> Section {
    let title = match (&s.from, s.has_range()) {
        (Some(from), true) => format!(
            "What ships: {from}..{} ({} commits)",
            s.tag.value,
            s.commits.len()
        ),
        _ => format!(
            "What ships: unknown (no earlier successful train or baseline for {})",
            s.project
        ),
    };
    Section {
        title,
        items: s
            .commits
            .iter()
            .map(|c| {
                text(format!(
                    "{} {} ({})",
                    &c.id[..c.id.len().min(10)],
                    c.subject,
                    c.author
                ))
            })
            .collect(),
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    let mut hex = String::with_capacity(64);
    for b in digest.as_ref() {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

/// A person's name for the message body (the handle when unknown).
fn display_name(repo: &Repository, handle: &str) -> String {
    repo.people
        .get(handle)
        .map_or_else(|| handle.to_string(), |p| p.name.value.clone())
}

/// A recorded time as people read it, or the text as written.
fn show_time(repo: &Repository, raw: &str) -> String {
    time::parse_time(raw, repo.process.timezone)
        .map(|t| time::show(&t))
        .unwrap_or_else(|_| raw.to_string())
}

/// A person's name and address, or why they cannot send.
fn mailbox_of(repo: &Repository, file: &str, handle: &Sp<String>) -> Result<Mailbox, Diagnostic> {
    let Some(p) = repo.people.get(&handle.value) else {
        return Err(Diagnostic::new(
            Rule::UnknownPerson,
            file,
            handle.pos,
            format!(
                "`{}` is not in people.yaml, so the message has no sender",
                handle.value
            ),
        )
        .help("add them to people.yaml with their e-mail"));
    };
    let email = p.email.value.trim();
    match email.parse::<Address>() {
        Ok(addr) => Ok(Mailbox::new(Some(one_line(&p.name.value)), addr)),
        Err(_) => Err(Diagnostic::new(
            Rule::Schema,
            "people.yaml",
            p.email.pos,
            if email.is_empty() {
                format!(
                    "`{}` has no e-mail address, so trainyard cannot send as them",
                    handle.value
                )
            } else {
                format!("`{}`'s e-mail `{email}` is not an address", handle.value)
            },
        )
        .help("set `email:` to the address their mail goes out from, e.g. alice@example.com")),
    }
}

/// Where a message goes.
enum Recipients<'a> {
    /// The hand-off's own notification `to` and `cc`.
    Listed {
        file: &'a str,
        to: Vec<Sp<String>>,
        cc: Vec<Sp<String>>,
    },
    /// The test list, and with `cc_ops` the ops list in Cc.
    Lists { cc_ops: bool },
}

fn recipients(
    repo: &Repository,
    r: Recipients<'_>,
    problems: &mut Vec<Diagnostic>,
) -> (Vec<Mailbox>, Vec<Mailbox>) {
    let mut keep = |found: Result<Mailbox, Diagnostic>| found.map_err(|d| problems.push(d)).ok();
    match r {
        Recipients::Listed { file, to, cc } => (
            to.iter().filter_map(|a| keep(address(file, a))).collect(),
            cc.iter().filter_map(|a| keep(address(file, a))).collect(),
        ),
        Recipients::Lists { cc_ops } => {
            let to = keep(list(repo, "test")).into_iter().collect();
            let cc = if cc_ops {
                keep(list(repo, "ops")).into_iter().collect()
            } else {
                Vec::new()
            };
            (to, cc)
        }
    }
}

/// An address written in a record.
fn address(file: &str, raw: &Sp<String>) -> Result<Mailbox, Diagnostic> {
    raw.value
        .trim()
        .parse::<Address>()
        .map(|a| Mailbox::new(None, a))
        .map_err(|_| {
            Diagnostic::new(
                Rule::Schema,
                file,
                raw.pos,
                format!("`{}` is not an e-mail address", raw.value),
            )
            .help("write one address, e.g. services-qa@example.com")
        })
}

/// A role's mailing list from process.yaml.
fn list(repo: &Repository, role: &str) -> Result<Mailbox, Diagnostic> {
    match repo.process.roles.get(role).and_then(|r| r.list.clone()) {
        Some(l) => address("process.yaml", &Sp::unplaced(l)),
        None => Err(Diagnostic::new(
            Rule::Schema,
            "process.yaml",
            Pos::FILE,
            format!("`roles.{role}.list` is not set, so the message has nowhere to go"),
        )
        .help(format!(
            "set the {role} role's mailing list: `roles: {{ {role}: {{ list: … }} }}`"
        ))),
    }
}
