//! Record text made safe for a chat message, and the message in each
//! format: plain text, Slack mrkdwn and Block Kit, Matrix HTML.
//!
//! Record text is a stranger's: it is put on one line (CR, LF and other
//! controls become spaces), invisible and bidirectional characters are
//! written as `\u{…}`, it is cut to a length a chat shows, and a mass
//! mention (`@channel`, `@here`, `@everyone`, `@room`) loses its power by a
//! full-width at sign. Each format then escapes what its markup reads.

use super::Message;
use serde::Serialize;

/// The longest piece of record text a message quotes, in characters.
const MAX_FIELD: usize = 200;

/// A piece of record text, safe in every format before that format's own escaping.
pub fn field(s: &str) -> String {
    let line = crate::mail::one_line(s);
    let shown = crate::diagnostics::printable(&line);
    let mut out: String = shown.chars().take(MAX_FIELD).collect();
    if shown.chars().count() > MAX_FIELD {
        out.push('…');
    }
    defuse_mentions(&out)
}

/// `@channel` → `＠channel`: what Slack and Matrix clients would read as a
/// mention of everyone in the room.
fn defuse_mentions(s: &str) -> String {
    const MASS: [&str; 4] = ["channel", "here", "everyone", "room"];
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('@') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let word: String = after
            .chars()
            .take_while(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        let before_ok = out
            .chars()
            .last()
            .is_none_or(|c| !c.is_alphanumeric() && c != '.');
        if before_ok && MASS.contains(&word.as_str()) {
            out.push('＠');
        } else {
            out.push('@');
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Slack's three escapes for text in mrkdwn (`&`, `<`, `>`): with them no
/// record text makes a link or a `<!channel>` mention.
fn slack_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// HTML's five escapes, for Matrix's `formatted_body` (text and attribute values).
pub(super) fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[derive(Serialize)]
pub struct SlackText {
    #[serde(rename = "type")]
    kind: &'static str,
    text: String,
}

#[derive(Serialize)]
pub struct SlackBlock {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<SlackText>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    elements: Vec<SlackText>,
}

/// A Slack incoming webhook's body: `text` (the notification's fallback)
/// and a section block in mrkdwn, with the release page as a context block.
#[derive(Serialize)]
pub struct SlackPayload {
    text: String,
    blocks: Vec<SlackBlock>,
}

pub fn slack(m: &Message) -> SlackPayload {
    let mut blocks = vec![SlackBlock {
        kind: "section",
        text: Some(SlackText {
            kind: "mrkdwn",
            text: format!(
                "*{}*: {}",
                slack_escape(&m.headline),
                slack_escape(&m.detail)
            ),
        }),
        elements: Vec::new(),
    }];
    if let Some(url) = &m.url {
        blocks.push(SlackBlock {
            kind: "context",
            text: None,
            elements: vec![SlackText {
                kind: "mrkdwn",
                text: format!("<{}|Release page>", slack_escape(url)),
            }],
        });
    }
    SlackPayload {
        text: slack_escape(&m.text),
        blocks,
    }
}

/// `m.mentions` present and empty: this event mentions no one (Matrix's
/// intentional mentions), so no client rings for `@room` in its body.
#[derive(Serialize)]
pub struct Mentions {}

/// A Matrix `m.room.message` event's content.
#[derive(Serialize)]
pub struct MatrixContent {
    msgtype: &'static str,
    body: String,
    format: &'static str,
    formatted_body: String,
    #[serde(rename = "m.mentions")]
    mentions: Mentions,
}

pub fn matrix(m: &Message) -> MatrixContent {
    let (body, link) = match &m.url {
        Some(url) => (
            format!("{}\n{url}", m.text),
            format!(" — <a href=\"{}\">release page</a>", html_escape(url)),
        ),
        None => (m.text.clone(), String::new()),
    };
    MatrixContent {
        msgtype: "m.text",
        body,
        format: "org.matrix.custom.html",
        formatted_body: format!(
            "<strong>{}</strong>: {}{link}",
            html_escape(&m.headline),
            html_escape(&m.detail)
        ),
        mentions: Mentions {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_text_is_one_safe_line() {
        assert_eq!(field("a\r\nSubject: x"), "a Subject: x");
        assert_eq!(
            field("hi @channel and @Room, mail a@here.com"),
            "hi ＠channel and ＠Room, mail a@here.com"
        );
        assert_eq!(field("x\u{202E}y"), "x\\u{202e}y");
        assert_eq!(field(&"w".repeat(500)).chars().count(), MAX_FIELD + 1);
    }

    #[test]
    fn markup_is_escaped_for_each_format() {
        let m = Message::new(
            crate::model::notify::Event::Handoff,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            Some("p"),
            "Hand-off".into(),
            "<!channel> & <b>x</b>".into(),
            None,
        );
        let s = serde_json::to_string(&slack(&m)).unwrap();
        assert!(
            s.contains("&lt;!channel&gt; &amp; &lt;b&gt;x&lt;/b&gt;"),
            "{s}"
        );
        let x = serde_json::to_string(&matrix(&m)).unwrap();
        assert!(x.contains("&lt;b&gt;x&lt;/b&gt;"), "{x}");
        assert!(x.contains("\"m.mentions\":{}"), "{x}");
    }
}
