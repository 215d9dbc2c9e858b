//! calendar.ics: an RFC 5545 feed. CRLF line ends, lines folded at 75 octets,
//! text escaped, stable UIDs, and local times backed by a VTIMEZONE generated
//! from the timezone database for the years the events cover.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use std::fmt::Write as _;

use super::view::train_href;
use super::{absolute, BuildOptions};
use crate::model::ReleaseRepository;
use crate::tracking::{Planned, Step, Tracked};

/// When an event happens.
#[derive(Debug, Clone, PartialEq)]
pub enum When {
    /// An all-day event.
    Day(NaiveDate),
    /// A moment (a deadline): no end.
    At(DateTime<Tz>),
    /// A span of time.
    Span(DateTime<Tz>, DateTime<Tz>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Stable across builds: derived from the train and milestone.
    pub uid: String,
    pub when: When,
    pub summary: String,
    pub description: String,
    pub url: Option<String>,
    pub categories: Vec<String>,
}

/// Escape a TEXT value (RFC 5545 §3.3.11).
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(s, &mut out);
    out
}

/// Append `s` to `out` as an escaped TEXT value.
fn escape_into(s: &str, out: &mut String) {
    // Most values need no escaping: copy them whole.
    let dropped = |c: char| c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}');
    if !s.contains(|c: char| matches!(c, '\\' | ';' | ',') || dropped(c)) {
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push(' '),
            // TEXT holds no other control character (RFC 5545 §3.3.11), and
            // no noncharacter.
            c if dropped(c) => {}
            c => out.push(c),
        }
    }
}

/// Fold a content line at 75 octets (never inside a UTF-8 sequence) and end it with CRLF.
pub fn fold(line: &str, out: &mut String) {
    let mut rest = line;
    // Each continuation line starts with a space, which counts toward its 75.
    let mut room = 75;
    while rest.len() > room {
        let mut cut = room;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        room = 74;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

/// `20261124T162000`: an RFC 5545 local date-time.
fn local_stamp(t: &chrono::NaiveDateTime) -> String {
    crate::schedule::time::iso_stamp(t, true)
}

/// Fold the content line built in `line` into `out`, and empty `line`.
fn put(line: &mut String, out: &mut String) {
    fold(line, out);
    line.clear();
}

/// `20261124`: an RFC 5545 DATE.
fn date_stamp(d: &NaiveDate, out: &mut String) {
    use std::fmt::Write;
    // Writing to a String cannot fail.
    let _ = write!(out, "{}", d.format("%Y%m%d"));
}

fn utc_stamp(t: &DateTime<Utc>) -> String {
    local_stamp(&t.naive_utc()) + "Z"
}

fn offset(secs: i32) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.abs();
    if a % 60 == 0 {
        format!("{sign}{:02}{:02}", a / 3600, (a % 3600) / 60)
    } else {
        format!("{sign}{:02}{:02}{:02}", a / 3600, (a % 3600) / 60, a % 60)
    }
}

fn offset_at(tz: Tz, t: DateTime<Utc>) -> i32 {
    tz.offset_from_utc_datetime(&t.naive_utc())
        .fix()
        .local_minus_utc()
}

/// The instants in [from, to) at which `tz` changes its UTC offset.
fn transitions(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let mut found = Vec::new();
    let step = Duration::hours(12);
    let mut t = from;
    let mut prev = offset_at(tz, t);
    while t < to {
        let next = t + step;
        let off = offset_at(tz, next);
        if off != prev {
            // Bisect on whole seconds: offsets change on a second boundary.
            let (mut lo, mut hi) = (t.timestamp(), next.timestamp());
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                let at = DateTime::from_timestamp(mid, 0).unwrap_or(t);
                if offset_at(tz, at) == prev {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            found.push(DateTime::from_timestamp(hi, 0).unwrap_or(next));
            prev = off;
        }
        t = next;
    }
    found
}

/// The VTIMEZONE for `tz`, covering the years `first..=last`.
fn vtimezone(tz: Tz, first: i32, last: i32, out: &mut String) {
    fold("BEGIN:VTIMEZONE", out);
    fold(&format!("TZID:{}", tz.name()), out);
    let start = Utc.with_ymd_and_hms(first, 1, 1, 0, 0, 0).single();
    let end = Utc.with_ymd_and_hms(last + 1, 1, 1, 0, 0, 0).single();
    let changes = match (start, end) {
        (Some(s), Some(e)) => transitions(tz, s, e),
        _ => Vec::new(),
    };
    // The observance in force at the start of the range.
    let mut from_off = start.map(|s| offset_at(tz, s)).unwrap_or(0);
    let initial_name = start
        .map(|s| s.with_timezone(&tz).format("%Z").to_string())
        .unwrap_or_else(|| "UTC".into());
    let observance =
        |kind: &str, dtstart: String, from: i32, to: i32, name: &str, out: &mut String| {
            fold(&format!("BEGIN:{kind}"), out);
            fold(&format!("DTSTART:{dtstart}"), out);
            fold(&format!("TZOFFSETFROM:{}", offset(from)), out);
            fold(&format!("TZOFFSETTO:{}", offset(to)), out);
            fold(&format!("TZNAME:{}", escape_text(name)), out);
            fold(&format!("END:{kind}"), out);
        };
    // Before the first change: a STANDARD (or DAYLIGHT) observance from the range's start.
    let first_kind = if changes
        .first()
        .is_some_and(|c| offset_at(tz, *c) < from_off)
    {
        "DAYLIGHT"
    } else {
        "STANDARD"
    };
    observance(
        first_kind,
        format!("{first}0101T000000"),
        from_off,
        from_off,
        &initial_name,
        out,
    );
    for c in changes {
        let to_off = offset_at(tz, c);
        // DTSTART is the local time of the change, read in the offset before it.
        let local = c.naive_utc() + Duration::seconds(i64::from(from_off));
        let kind = if to_off > from_off {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        let name = c.with_timezone(&tz).format("%Z").to_string();
        observance(kind, local_stamp(&local), from_off, to_off, &name, out);
        from_off = to_off;
    }
    fold("END:VTIMEZONE", out);
}

/// The whole calendar.
pub fn calendar(name: &str, tz: Tz, stamp: DateTime<Utc>, events: &[Event]) -> String {
    // About 220 bytes an event (the 10-year history: 580 kB for 2,700).
    let mut out = String::with_capacity(4096 + 256 * events.len());
    fold("BEGIN:VCALENDAR", &mut out);
    fold("VERSION:2.0", &mut out);
    fold("PRODID:-//trainyard//release calendar//EN", &mut out);
    fold("CALSCALE:GREGORIAN", &mut out);
    fold("METHOD:PUBLISH", &mut out);
    fold(&format!("X-WR-CALNAME:{}", escape_text(name)), &mut out);
    fold(&format!("X-WR-TIMEZONE:{}", tz.name()), &mut out);
    let years = events.iter().map(|e| match &e.when {
        When::Day(d) => d.year(),
        When::At(t) | When::Span(t, _) => t.year(),
    });
    let (first, last) = years.fold((i32::MAX, i32::MIN), |(a, b), y| (a.min(y), b.max(y)));
    if first <= last {
        vtimezone(tz, first, last, &mut out);
    }
    let tzid = tz.name();
    let dtstamp = format!("DTSTAMP:{}", utc_stamp(&stamp));
    // One line buffer for every property: filled, folded into `out`, cleared.
    let mut line = String::with_capacity(256);
    for e in events {
        fold("BEGIN:VEVENT", &mut out);
        line.push_str("UID:");
        line.push_str(&e.uid);
        put(&mut line, &mut out);
        fold(&dtstamp, &mut out);
        match &e.when {
            When::Day(d) => {
                line.push_str("DTSTART;VALUE=DATE:");
                date_stamp(d, &mut line);
                put(&mut line, &mut out);
                line.push_str("DTEND;VALUE=DATE:");
                date_stamp(&d.succ_opt().unwrap_or(*d), &mut line);
                put(&mut line, &mut out);
                fold("TRANSP:TRANSPARENT", &mut out);
            }
            When::At(t) => {
                let _ = write!(
                    line,
                    "DTSTART;TZID={tzid}:{}",
                    local_stamp(&t.naive_local())
                );
                put(&mut line, &mut out);
            }
            When::Span(a, b) => {
                let _ = write!(
                    line,
                    "DTSTART;TZID={tzid}:{}",
                    local_stamp(&a.naive_local())
                );
                put(&mut line, &mut out);
                let _ = write!(line, "DTEND;TZID={tzid}:{}", local_stamp(&b.naive_local()));
                put(&mut line, &mut out);
            }
        }
        line.push_str("SUMMARY:");
        escape_into(&e.summary, &mut line);
        put(&mut line, &mut out);
        if !e.description.is_empty() {
            line.push_str("DESCRIPTION:");
            escape_into(&e.description, &mut line);
            put(&mut line, &mut out);
        }
        if !e.categories.is_empty() {
            line.push_str("CATEGORIES:");
            for (i, c) in e.categories.iter().enumerate() {
                if i > 0 {
                    line.push(',');
                }
                escape_into(c, &mut line);
            }
            put(&mut line, &mut out);
        }
        if let Some(u) = &e.url {
            line.push_str("URL:");
            line.push_str(u);
            put(&mut line, &mut out);
        }
        fold("END:VEVENT", &mut out);
    }
    fold("END:VCALENDAR", &mut out);
    out
}

/// calendar.ics of the whole repository: every train's milestones (a
/// skipped train as one all-day event) and every monthly meeting.
pub fn feed(repo: &ReleaseRepository, tracked: &[Tracked], opts: &BuildOptions) -> String {
    let mut events = Vec::new();
    for (train, t) in repo.trains.iter().zip(tracked) {
        let id = train.id();
        let url = opts
            .base_url
            .as_ref()
            .map(|_| absolute(&opts.base_url, &train_href(&id)));
        if let Some(s) = train.train.as_ref().and_then(|d| d.data.skipped.as_ref()) {
            events.push(Event {
                uid: format!("{id}-skipped@trainyard"),
                when: When::Day(train.date),
                summary: format!("No push this week ({id})"),
                description: s.reason.value.clone(),
                url,
                categories: vec!["skipped".into()],
            });
            continue;
        }
        for m in &t.milestones {
            let status = format!("Status: {}", m.status.label());
            let (when, summary) = match (&m.planned, m.step) {
                (Planned::Day(d), Step::Planning) => {
                    (When::Day(*d), format!("Planning: {id} train"))
                }
                (Planned::Deadline { at, moved_because }, _) => (
                    When::At(*at),
                    format!(
                        "{} due: {id} train{}",
                        m.step.name(),
                        if moved_because.is_some() {
                            " (moved for a holiday)"
                        } else {
                            ""
                        }
                    ),
                ),
                (Planned::Window { start, end }, _) => (
                    When::Span(*start, *end),
                    format!("Production push: {id} train"),
                ),
                _ => continue,
            };
            let mut description = format!(
                "{status}. Owner: {}.",
                repo.process.role_title(m.step.owner())
            );
            if let Planned::Deadline {
                moved_because: Some(why),
                ..
            } = &m.planned
            {
                description.push_str(&format!(" Moved earlier for {why}."));
            }
            events.push(Event {
                uid: format!("{id}-{}@trainyard", m.step.key()),
                when,
                summary,
                description,
                url: url.clone(),
                categories: vec![m.step.key().to_string()],
            });
        }
    }
    for (y, mo) in super::calendar::meeting_months(repo) {
        if let Some(Ok(meeting)) = crate::schedule::monthly_meeting(&repo.process, y, mo) {
            events.push(Event {
                uid: format!("monthly-{}@trainyard", super::calendar::month_id(y, mo)),
                when: When::Span(meeting.start, meeting.end),
                summary: "Monthly release planning".into(),
                description: format!(
                    "Resource planning for the coming month. Required: {}.",
                    repo.process
                        .monthly
                        .requires
                        .iter()
                        .map(|r| repo.process.role_title(r))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                url: None,
                categories: vec!["monthly".into()],
            });
        }
    }
    calendar(&repo.process.name, repo.process.timezone, opts.now, &events)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::Los_Angeles as LA;

    #[test]
    fn folding_keeps_lines_within_75_octets_and_utf8_intact() {
        let mut out = String::new();
        fold(&format!("SUMMARY:{}", "é".repeat(100)), &mut out);
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets", line.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{}\r\n", "é".repeat(100)));
    }

    #[test]
    fn folding_starts_past_75_octets_and_continuations_hold_74() {
        let mut out = String::new();
        fold(&"a".repeat(75), &mut out);
        assert_eq!(out, format!("{}\r\n", "a".repeat(75)));
        out.clear();
        fold(&"b".repeat(75 + 74 + 1), &mut out);
        let lines: Vec<&str> = out.split("\r\n").collect();
        assert_eq!(
            lines.iter().map(|l| l.len()).collect::<Vec<_>>(),
            [75, 75, 2, 0]
        );
        assert!(lines[1].starts_with(' ') && lines[2] == " b");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        assert_eq!(escape_text("a\u{1}b\u{7f}c\rd\te\u{FFFE}"), "abcd e");
    }

    #[test]
    fn los_angeles_transitions_in_2026() {
        let from = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let to = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
        let t = transitions(LA, from, to);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].to_rfc3339(), "2026-03-08T10:00:00+00:00");
        assert_eq!(t[1].to_rfc3339(), "2026-11-01T09:00:00+00:00");
        let mut out = String::new();
        vtimezone(LA, 2026, 2026, &mut out);
        assert!(out.contains("BEGIN:DAYLIGHT\r\nDTSTART:20260308T020000\r\nTZOFFSETFROM:-0800\r\nTZOFFSETTO:-0700\r\nTZNAME:PDT"), "{out}");
        assert!(out.contains("BEGIN:STANDARD\r\nDTSTART:20261101T020000\r\nTZOFFSETFROM:-0700\r\nTZOFFSETTO:-0800\r\nTZNAME:PST"), "{out}");
    }
}
