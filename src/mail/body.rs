//! The body of a message: a typed context (rows of labelled values, lists
//! under headings) rendered by the built-in templates into the text and the
//! HTML part.

use crate::model::values::is_http_url;
use crate::model::{RecordTime, RecordUrl, ReleaseRepository};
use crate::schedule::time;
use serde::Serialize;

/// One piece of a value: text, linked when it has a (checked) web address.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    pub text: String,
    pub href: Option<String>,
}

/// A labelled line of the message.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub label: std::borrow::Cow<'static, str>,
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
    pub(super) fn render(&self) -> Result<(String, String), String> {
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

pub(super) fn text(s: impl Into<String>) -> Part {
    Part {
        text: one_line(&s.into()),
        href: None,
    }
}

/// A web address as a link (only absolute http(s) ones are linked).
pub(super) fn link(label: impl Into<String>, url: &str) -> Part {
    Part {
        text: one_line(&label.into()),
        href: is_http_url(url).then(|| url.to_string()),
    }
}

/// A record's web address as a link, when load read it as one.
pub(super) fn record_link(label: impl Into<String>, url: &RecordUrl) -> Part {
    Part {
        text: one_line(&label.into()),
        href: url.value().map(|u| u.to_string()),
    }
}

pub(super) fn row(label: impl Into<std::borrow::Cow<'static, str>>, parts: Vec<Part>) -> Row {
    Row {
        label: label.into(),
        parts,
    }
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

pub(super) fn none_if_empty(parts: Vec<Part>) -> Vec<Part> {
    if parts.is_empty() {
        vec![text("none")]
    } else {
        parts
    }
}

/// A person's name for the message body (the handle when unknown).
pub(super) fn display_name(repo: &ReleaseRepository, handle: &str) -> String {
    repo.people
        .get(handle)
        .map_or_else(|| handle.to_string(), |p| p.name.value.clone())
}

/// A recorded time as people read it, or the text as written when load
/// could not read it (and reported it).
pub(super) fn show_time(t: &RecordTime) -> String {
    t.get()
        .map(|t| time::show(&t))
        .unwrap_or_else(|| t.text().to_string())
}
