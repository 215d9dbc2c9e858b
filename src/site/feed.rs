//! feed.xml: an Atom feed (RFC 4287) of trains and their outcomes.

use super::view::TrainSummary;
use super::{absolute, BuildOptions};
use crate::model::ReleaseRepository;
use crate::tracking::Tracked;
use chrono::{DateTime, Utc};

pub struct Entry {
    pub id: String,
    pub title: String,
    pub link: String,
    pub updated: DateTime<Utc>,
    pub summary: String,
}

/// Escape text for XML element content and attribute values.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow: a feed holding one is not
            // well-formed, and readers refuse all of it.
            // (and the C1 controls it discourages).
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn stamp(t: &DateTime<Utc>) -> String {
    crate::schedule::time::iso_stamp(&t.naive_utc(), false) + "Z"
}

pub fn atom(
    title: &str,
    id: &str,
    home: &str,
    self_link: &str,
    updated: DateTime<Utc>,
    entries: &[Entry],
) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str(&format!("  <title>{}</title>\n", xml_escape(title)));
    out.push_str(&format!("  <id>{}</id>\n", xml_escape(id)));
    out.push_str(&format!("  <updated>{}</updated>\n", stamp(&updated)));
    out.push_str(&format!(
        "  <link rel=\"alternate\" href=\"{}\"/>\n",
        xml_escape(home)
    ));
    out.push_str(&format!(
        "  <link rel=\"self\" href=\"{}\"/>\n",
        xml_escape(self_link)
    ));
    out.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        xml_escape(title)
    ));
    out.push_str("  <generator>trainyard</generator>\n");
    for e in entries {
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", xml_escape(&e.title)));
        out.push_str(&format!("    <id>{}</id>\n", xml_escape(&e.id)));
        out.push_str(&format!("    <updated>{}</updated>\n", stamp(&e.updated)));
        out.push_str(&format!(
            "    <link rel=\"alternate\" href=\"{}\"/>\n",
            xml_escape(&e.link)
        ));
        out.push_str(&format!(
            "    <summary>{}</summary>\n",
            xml_escape(&e.summary)
        ));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// feed.xml of the whole repository: one entry per train up to a week ahead,
/// newest first, at most 100.
pub fn feed(
    repo: &ReleaseRepository,
    tracked: &[Tracked],
    summaries: &[TrainSummary],
    opts: &BuildOptions,
) -> String {
    let today = opts.now.with_timezone(&repo.process.timezone).date_naive();
    let mut entries = Vec::new();
    for ((train, t), s) in repo.trains.iter().zip(tracked).zip(summaries).rev() {
        if train.date > today + chrono::Duration::days(7) {
            continue;
        }
        // The entry changes when the train's last recorded event does.
        let updated = t
            .milestones
            .iter()
            .filter_map(|m| m.done_at)
            .max()
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_else(|| {
                crate::schedule::time::at(repo.process.timezone, train.date, chrono::NaiveTime::MIN)
                    .map(|d| d.with_timezone(&Utc))
                    .unwrap_or(opts.now)
            });
        let mut summary = format!(
            "{} — {}",
            s.state_label,
            if s.features.is_empty() {
                "no features".into()
            } else {
                s.features.join(", ")
            }
        );
        if let Some(r) = &s.skipped {
            summary = format!("skipped: {r}");
        }
        if !s.late.is_empty() {
            summary.push_str(&format!(". Late: {}", s.late.join(", ")));
        }
        if let Some(reason) = train
            .push
            .as_ref()
            .and_then(|p| p.data.validation.as_ref())
            .and_then(|v| v.rollback_reason.as_ref())
        {
            summary.push_str(&format!(". Rolled back: {}", reason.value));
        }
        entries.push(Entry {
            id: match &opts.base_url {
                Some(_) => absolute(&opts.base_url, &s.href),
                None => format!("urn:trainyard:release:{}", s.id),
            },
            title: format!("Release {}: {}", s.id, s.state_label),
            link: absolute(&opts.base_url, &s.href),
            updated,
            summary,
        });
        if entries.len() >= 100 {
            break;
        }
    }
    let updated = entries.iter().map(|e| e.updated).max().unwrap_or(opts.now);
    atom(
        &format!("{}: releases", repo.process.name),
        &match &opts.base_url {
            Some(_) => absolute(&opts.base_url, "feed.xml"),
            None => "urn:trainyard:releases".to_string(),
        },
        &absolute(&opts.base_url, "index.html"),
        &absolute(&opts.base_url, "feed.xml"),
        updated,
        &entries,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            xml_escape("<a href=\"x\">&'\u{1}\u{FFFE}"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;\u{FFFD}"
        );
    }
}
