//! `--record`: write a message's send time into its record, changing one
//! value and nothing else (comments, quoting, line ends and every other
//! byte of the file stay as they were).

use crate::model::{Pos, RecordTime, Spanned};
use std::fmt;

/// Where a message's send time lives in its record.
#[derive(Debug, Clone)]
pub struct SendField<'a> {
    /// The record, relative to the repository root.
    pub file: &'a str,
    /// The field as a person reads it, e.g. `notification.sent_at`.
    pub name: &'static str,
    /// The key alone, e.g. `sent_at`.
    pub key: &'static str,
    /// Its value, when the field is written at all.
    pub value: Option<&'a Spanned<RecordTime>>,
    /// When the field is missing: a field of the same mapping, written on a
    /// line of its own, after which it is inserted.
    pub sibling: Option<Pos>,
}

/// Why the value cannot be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordError {
    /// The position does not fall inside the text (the file changed).
    Moved,
    /// A missing field inside a one-line `{ … }` mapping, or with nothing to
    /// place it after.
    NoPlace,
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordError::Moved => f.write_str("the record changed while trainyard was reading it"),
            RecordError::NoPlace => f.write_str("trainyard cannot tell where to add the field"),
        }
    }
}

/// The byte offset of 1-based `line` and character `col` in `text`.
fn offset(text: &str, pos: Pos) -> Option<usize> {
    let mut start = 0;
    for _ in 1..pos.line {
        start += text[start..].find('\n')? + 1;
    }
    let line = &text[start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let skip = usize::try_from(pos.col.checked_sub(1)?).ok()?;
    line.char_indices().nth(skip).map(|(i, _)| start + i)
}

/// The byte length of the scalar written at the start of `rest`: a quoted
/// scalar to its closing quote, a plain one to a comment, the end of the line
/// or (in a `{ … }` mapping) the next `,`, `}` or `]`.
fn scalar_len(rest: &str) -> usize {
    let line = &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())];
    let mut chars = line.char_indices();
    match chars.next() {
        Some((_, '"')) => {
            let mut escaped = false;
            for (i, c) in chars {
                match c {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => return i + 1,
                    _ => escaped = false,
                }
            }
            line.len()
        }
        Some((_, '\'')) => {
            let mut it = chars.peekable();
            while let Some((i, c)) = it.next() {
                if c == '\'' {
                    if it.peek().is_some_and(|(_, n)| *n == '\'') {
                        it.next();
                    } else {
                        return i + 1;
                    }
                }
            }
            line.len()
        }
        _ => {
            let end = line
                .find(" #")
                .into_iter()
                .chain(line.find([',', '}', ']']))
                .min()
                .unwrap_or(line.len());
            line[..end].trim_end().len()
        }
    }
}

/// `text` with the field's value replaced by `value` (a plain scalar), or the
/// field added after its sibling when it is missing.
pub fn rewrite(text: &str, field: &SendField<'_>, value: &str) -> Result<String, RecordError> {
    if let Some(old) = field.value {
        let at = offset(text, old.pos).ok_or(RecordError::Moved)?;
        let len = scalar_len(&text[at..]);
        let mut out = String::with_capacity(text.len() + value.len());
        out.push_str(&text[..at]);
        out.push_str(value);
        out.push_str(&text[at + len..]);
        return Ok(out);
    }
    let sibling = field.sibling.ok_or(RecordError::NoPlace)?;
    let at = offset(text, sibling).ok_or(RecordError::Moved)?;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..at];
    // The sibling's key starts the line after the indentation (block style);
    // anything else (`{`, `-`, another key) means there is no line to copy.
    let indent_len = before.len() - before.trim_start_matches(' ').len();
    let key_part = &before[indent_len..];
    if key_part.contains(['{', ',']) {
        // Inside a `{ … }` mapping: the field goes right after the
        // sibling's value (a mapping's order does not matter).
        let end = at + scalar_len(&text[at..]);
        if !text[end..].trim_start_matches(' ').starts_with([',', '}']) {
            return Err(RecordError::NoPlace);
        }
        return Ok(format!(
            "{}, {}: {value}{}",
            &text[..end],
            field.key,
            &text[end..]
        ));
    }
    if key_part.contains(['[', '-']) || !key_part.trim_end().ends_with(':') {
        return Err(RecordError::NoPlace);
    }
    let new_line = format!("{}{}: {value}", " ".repeat(indent_len), field.key);
    Ok(match text[at..].find('\n').map(|i| at + i) {
        Some(nl) => {
            let ending = if text[..nl].ends_with('\r') {
                "\r\n"
            } else {
                "\n"
            };
            format!("{}{new_line}{ending}{}", &text[..=nl], &text[nl + 1..])
        }
        // The sibling is on the last line, which has no line end.
        None => {
            let ending = if text.contains("\r\n") { "\r\n" } else { "\n" };
            format!("{text}{ending}{new_line}")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field<'a>(value: Option<&'a Spanned<RecordTime>>, sibling: Option<Pos>) -> SendField<'a> {
        SendField {
            file: "x.yaml",
            name: "validation.notified_at",
            key: "notified_at",
            value,
            sibling,
        }
    }

    #[test]
    fn replaces_one_value_keeping_quotes_comments_and_the_rest() {
        let text =
            "a: 1 # one\nnotification:\n  sent_at: \"<fill in: when>\"   # keep me\n  to: [x]\n";
        let v = Spanned::new(RecordTime::unread(""), Pos::new(3, 12));
        let out = rewrite(text, &field(Some(&v), None), "2026-11-24 16:25").unwrap();
        assert_eq!(
            out,
            "a: 1 # one\nnotification:\n  sent_at: 2026-11-24 16:25   # keep me\n  to: [x]\n"
        );
    }

    #[test]
    fn replaces_inside_a_flow_mapping() {
        let text = "notices:\n  - { at: 2026-11-26 10:00, test_notified_at: 'later', by: oscar }\n";
        let v = Spanned::new(RecordTime::unread(""), Pos::new(2, 47));
        let out = rewrite(text, &field(Some(&v), None), "2026-11-26 10:05").unwrap();
        assert_eq!(
            out,
            "notices:\n  - { at: 2026-11-26 10:00, test_notified_at: 2026-11-26 10:05, by: oscar }\n"
        );
        let plain = "  - { at: x, test_notified_at: soon, by: oscar }\n";
        let v = Spanned::new(RecordTime::unread(""), Pos::new(1, 32));
        let out = rewrite(plain, &field(Some(&v), None), "T").unwrap();
        assert_eq!(out, "  - { at: x, test_notified_at: T, by: oscar }\n");
    }

    #[test]
    fn characters_not_bytes() {
        let text = "# héllo\nx: { é: 1, sent_at: \"<fill in>\" }\n";
        let v = Spanned::new(RecordTime::unread(""), Pos::new(2, 21));
        let out = rewrite(text, &field(Some(&v), None), "T").unwrap();
        assert_eq!(out, "# héllo\nx: { é: 1, sent_at: T }\n");
    }

    #[test]
    fn adds_a_missing_field_after_its_sibling() {
        let text = "validation:\n  by: quinn\n  outcome: success # ok\nother: 1\n";
        let out = rewrite(
            text,
            &field(None, Some(Pos::new(3, 12))),
            "2026-11-30 16:35",
        )
        .unwrap();
        assert_eq!(
            out,
            "validation:\n  by: quinn\n  outcome: success # ok\n  notified_at: 2026-11-30 16:35\nother: 1\n"
        );
        let crlf = "validation:\r\n  by: quinn\r\n";
        let out = rewrite(crlf, &field(None, Some(Pos::new(2, 7))), "T").unwrap();
        assert_eq!(out, "validation:\r\n  by: quinn\r\n  notified_at: T\r\n");
        let last = "validation:\n  by: quinn";
        let out = rewrite(last, &field(None, Some(Pos::new(2, 7))), "T").unwrap();
        assert_eq!(out, "validation:\n  by: quinn\n  notified_at: T");
    }

    #[test]
    fn adds_a_missing_field_inside_a_flow_mapping() {
        let text =
            "notices:\n  - { at: 2026-11-26 10:00, by: oscar, summary: \"DB, failover\" } # x\n";
        let out = rewrite(
            text,
            &field(None, Some(Pos::new(2, 49))),
            "2026-11-26 10:05",
        )
        .unwrap();
        assert_eq!(
            out,
            "notices:\n  - { at: 2026-11-26 10:00, by: oscar, summary: \"DB, failover\", notified_at: 2026-11-26 10:05 } # x\n"
        );
        let flow = "validation: { by: quinn }\n";
        assert_eq!(
            rewrite(flow, &field(None, Some(Pos::new(1, 19))), "T").unwrap(),
            "validation: { by: quinn, notified_at: T }\n"
        );
    }

    #[test]
    fn refuses_what_it_cannot_place() {
        let flow = "validation: { by: quinn }\n";
        assert_eq!(
            rewrite(flow, &field(None, None), "T"),
            Err(RecordError::NoPlace)
        );
        let v = Spanned::new(RecordTime::unread(""), Pos::new(9, 1));
        assert_eq!(
            rewrite(flow, &field(Some(&v), None), "T"),
            Err(RecordError::Moved)
        );
    }
}
