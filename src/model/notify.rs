//! process.yaml `notify` (a tool key): the chat rooms and webhooks the
//! process's events and reminders go to, and whether the process e-mails go
//! too. Secrets (webhook URLs, tokens) are never in the file: only the names
//! of the environment variables that hold them.

use super::Spanned;
use chrono::Duration;
use schemars::JsonSchema;
use serde::Deserialize;

/// `notify` as written.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct NotifyFile {
    /// Where messages go.
    pub webhooks: Vec<WebhookFile>,
    /// The events every webhook gets unless it lists its own (default: all).
    pub events: Option<Spanned<Vec<Spanned<String>>>>,
    /// Lead times before each deadline and the window's opening: `24h`, `2h`, `30m`, `1d`.
    pub reminders: Option<Spanned<Vec<Spanned<String>>>>,
    /// Also send the process e-mails (`trainyard mail`) for what a merge records.
    pub mail: Option<Spanned<bool>>,
}

/// One chat room or webhook, as written.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookFile {
    /// How people name it (shown in `notify`'s output).
    pub name: Spanned<String>,
    /// `slack`, `matrix` or `json`.
    pub format: Spanned<String>,
    /// slack, json: the environment variable holding the webhook URL.
    #[serde(default)]
    pub url_env: Option<Spanned<String>>,
    /// matrix: the homeserver's base URL, e.g. https://matrix.example.com.
    #[serde(default)]
    pub homeserver: Option<Spanned<String>>,
    /// matrix: a room id (`!abc:example.com`) or alias (`#releases:example.com`).
    #[serde(default)]
    pub room: Option<Spanned<String>>,
    /// matrix: the environment variable holding the access token.
    #[serde(default)]
    pub token_env: Option<Spanned<String>>,
    /// The events this webhook gets, instead of `notify.events`.
    #[serde(default)]
    pub events: Option<Spanned<Vec<Spanned<String>>>>,
}

/// What a message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Event {
    Handoff,
    Staging,
    StagingNotice,
    Signoff,
    Push,
    Validation,
    Reminder,
}

impl Event {
    pub const ALL: [Event; 7] = [
        Event::Handoff,
        Event::Staging,
        Event::StagingNotice,
        Event::Signoff,
        Event::Push,
        Event::Validation,
        Event::Reminder,
    ];

    /// As written in process.yaml, in message ids and in JSON.
    pub fn key(self) -> &'static str {
        match self {
            Event::Handoff => "handoff",
            Event::Staging => "staging",
            Event::StagingNotice => "staging-notice",
            Event::Signoff => "signoff",
            Event::Push => "push",
            Event::Validation => "validation",
            Event::Reminder => "reminder",
        }
    }

    pub fn from_key(s: &str) -> Option<Event> {
        Event::ALL.into_iter().find(|e| e.key() == s)
    }
}

/// Where a webhook delivers.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A Slack incoming webhook; its URL is in the environment variable.
    Slack { url_env: String },
    /// A Matrix room, through the client-server API.
    Matrix {
        homeserver: String,
        room: String,
        token_env: String,
    },
    /// Any endpoint taking the event as JSON; its URL is in the environment variable.
    Json { url_env: String },
}

impl Target {
    pub fn format(&self) -> &'static str {
        match self {
            Target::Slack { .. } => "slack",
            Target::Matrix { .. } => "matrix",
            Target::Json { .. } => "json",
        }
    }
}

/// A webhook, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    pub name: String,
    pub target: Target,
    /// The events it gets.
    pub events: Vec<Event>,
}

/// A reminder's lead time, with its text as written (`24h`), which names it
/// in message ids.
#[derive(Debug, Clone, PartialEq)]
pub struct Lead {
    pub text: String,
    pub before: Duration,
}

impl Lead {
    /// `24h`, `2h`, `90m`, `1d`, `1w`: a whole number and a unit, at most
    /// five weeks (a reminder further ahead is for a calendar, not a chat).
    pub fn parse(s: &str) -> Option<Lead> {
        let s = s.trim();
        let unit = s.chars().last()?;
        let n: i64 = s[..s.len() - unit.len_utf8()].parse().ok()?;
        let minutes = match unit {
            'm' => n,
            'h' => n.checked_mul(60)?,
            'd' => n.checked_mul(24 * 60)?,
            'w' => n.checked_mul(7 * 24 * 60)?,
            _ => return None,
        };
        (1..=5 * 7 * 24 * 60).contains(&minutes).then(|| Lead {
            text: s.to_string(),
            before: Duration::minutes(minutes),
        })
    }
}

/// `notify`, resolved.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Notify {
    pub webhooks: Vec<Webhook>,
    /// Lead times, longest first.
    pub reminders: Vec<Lead>,
    /// Whether the process e-mails go too.
    pub mail: bool,
    /// The events the e-mails are sent for (`notify.events`).
    pub events: Vec<Event>,
}

impl Notify {
    /// Whether anything at all listens for `event`.
    pub fn wants(&self, event: Event) -> bool {
        self.webhooks.iter().any(|w| w.events.contains(&event))
            || (self.mail && self.events.contains(&event))
    }
}
