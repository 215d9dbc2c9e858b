//! YAML parsing with budgets, mapping every failure to a positioned diagnostic.
//!
//! Records are small, so the budget is tight: a nesting or alias bomb fails in
//! microseconds instead of eating memory.

use crate::diagnostics::suggest::did_you_mean;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::Rule;
use crate::model::Pos;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_saphyr::{Budget, DefaultMessageFormatter, Error, MessageFormatter, Options};

pub use crate::sandbox::MAX_FILE_BYTES;

fn options() -> Options {
    let mut o = Options::default();
    let mut budget = Budget::default();
    budget.max_depth = 32;
    budget.max_events = 200_000;
    budget.max_nodes = 100_000;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_documents = 1;
    budget.max_recorded_anchor_events = 20_000;
    budget.max_recorded_anchor_bytes = 1024 * 1024;
    o.budget = Some(budget);
    o.with_snippet = false;
    o
}

fn pos_of(err: &Error) -> Pos {
    err.location()
        .filter(|l| l.line() > 0)
        .map(|l| Pos {
            line: u32::try_from(l.line()).unwrap_or(u32::MAX),
            col: u32::try_from(l.column()).unwrap_or(u32::MAX).max(1),
            len: u32::try_from(l.span().len()).unwrap_or(1).max(1),
        })
        .unwrap_or(Pos::FILE)
}

fn plain_message(err: &Error) -> String {
    let msg = DefaultMessageFormatter.format_message(err.without_snippet());
    msg.trim().to_string()
}

/// Whether the text holds nothing but comments and blank lines.
pub fn is_blank(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    })
}

/// Parse `text` (the contents of `file`) into `T`.
pub fn parse<T: DeserializeOwned>(text: &str, file: &str) -> Result<T, Diagnostic> {
    if is_blank(text) {
        return Err(
            Diagnostic::new(Rule::Schema, file, Pos::FILE, "the file is empty")
                .help("fill in the record's fields; see docs/format.md"),
        );
    }
    match serde_saphyr::from_str_with_options::<T>(text, options()) {
        Ok(v) => Ok(v),
        Err(typed) => {
            // Tell broken YAML apart from well-formed YAML of the wrong shape:
            // a failure to even skip over the document is a syntax problem.
            if let Err(syntax) = serde_saphyr::from_str_with_options::<IgnoredAny>(text, options())
            {
                return Err(syntax_diagnostic(&syntax, file));
            }
            Err(schema_diagnostic(&typed, file))
        }
    }
}

/// A parser's error in the words of someone editing a record: what is wrong
/// with the value at the position, and how to write it. None for errors
/// that have words of their own below.
fn in_user_words(err: &Error) -> Option<(String, String)> {
    let said = match err.without_snippet() {
        Error::NullIntoString { .. } => (
            "this field has no value".to_string(),
            "write its value after the `:` (see docs/format.md), or remove the line if the field is optional".to_string(),
        ),
        Error::Unexpected { expected, .. } => {
            let (what, how) = expected_in_words(expected);
            (format!("expected {what} here"), how.to_string())
        }
        Error::DuplicateMappingKey { key, .. } => (
            match key {
                Some(k) => format!("`{k}` is given twice"),
                None => "a key is given twice".to_string(),
            },
            "keep one of them: each field appears once (a later one would silently replace the first)".to_string(),
        ),
        Error::SerdeInvalidType {
            unexpected,
            expected,
            ..
        }
        | Error::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => (
            format!("expected {}, found {unexpected}", expected_in_words(expected).0),
            "see docs/format.md for how this field is written".to_string(),
        ),
        _ => {
            let msg = plain_message(err);
            if msg.contains("found a tab") || msg.contains("tabs") {
                return Some((
                    "a tab character, where YAML allows only spaces".to_string(),
                    "indent and separate values with spaces; YAML does not allow tabs there".to_string(),
                ));
            }
            return None;
        }
    };
    Some(said)
}

/// What the parser expected, as (a phrase for the message, how to write it).
fn expected_in_words(expected: &str) -> (&'static str, &'static str) {
    let e = expected.to_ascii_lowercase();
    if e.contains("sequence") || e.contains("list") {
        (
            "a list",
            "write a list, e.g. `[alice, bob]` or one `- item` per line; an empty list is `[]`",
        )
    } else if e.contains("map") || e.contains("struct") {
        (
            "a group of `key: value` fields",
            "write the fields indented under the key, one `key: value` per line, or as `{ key: value }`",
        )
    } else if e.contains("bool") {
        ("true or false", "write `true` or `false`")
    } else if e.contains("integer")
        || e.contains("i64")
        || e.contains("u64")
        || e.contains("i32")
        || e.contains("u32")
    {
        ("a whole number", "write a number without quotes, e.g. `3`")
    } else {
        (
            "a single value",
            "write one value after the `:`, e.g. `by: alice`; quote it if it holds `: ` or starts with `[`, `{` or `&`",
        )
    }
}

fn syntax_diagnostic(err: &Error, file: &str) -> Diagnostic {
    if let Some((message, help)) = in_user_words(err) {
        return Diagnostic::new(Rule::YamlSyntax, file, pos_of(err), message).help(help);
    }
    let msg = plain_message(err);
    let help = if msg.contains("budget") || msg.contains("depth") || msg.contains("alias") {
        "release records are small, flat documents: remove deep nesting and YAML aliases"
    } else {
        "fix the YAML syntax; quote values that contain `: ` or start with a special character"
    };
    Diagnostic::new(Rule::YamlSyntax, file, pos_of(err), msg).help(help)
}

fn schema_diagnostic(err: &Error, file: &str) -> Diagnostic {
    let pos = pos_of(err);
    match err.without_snippet() {
        Error::SerdeUnknownField {
            field, expected, ..
        } => Diagnostic::new(Rule::Schema, file, pos, format!("unknown field `{field}`"))
            .help(did_you_mean(field, expected.iter().copied())),
        Error::SerdeMissingField { field, .. } => {
            // The parser reports the mapping's last key. A top-level key (column 1)
            // means the record itself lacks the field: a whole-file problem.
            let (pos, whose) = if pos.col == 1 {
                (Pos::FILE, "this record")
            } else {
                (pos, "this mapping")
            };
            Diagnostic::new(
                Rule::Schema,
                file,
                pos,
                format!("missing required field `{field}`"),
            )
            .help(format!(
                "add `{field}:` to {whose}; see docs/format.md for its meaning"
            ))
        }
        Error::SerdeUnknownVariant {
            variant, expected, ..
        } => Diagnostic::new(
            Rule::Schema,
            file,
            pos,
            format!("`{variant}` is not an allowed value here"),
        )
        .help(did_you_mean(variant, expected.iter().copied())),
        other => match in_user_words(other) {
            Some((message, help)) => Diagnostic::new(Rule::Schema, file, pos, message).help(help),
            None => Diagnostic::new(Rule::Schema, file, pos, plain_message(other))
                .help("see docs/format.md for this file's fields and how each is written"),
        },
    }
}

/// Split a question file into its YAML front matter (including the opening
/// `---` line, so positions stay exact) and its Markdown body.
pub fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("---")?;
    if !(rest.starts_with('\n') || rest.starts_with("\r\n")) {
        return None;
    }
    let mut offset = 3;
    for line in rest.split_inclusive('\n') {
        if offset > 3 && line.trim_end() == "---" {
            let body = &text[offset + line.len()..];
            return Some((&text[..offset], body));
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_keeps_line_numbers() {
        let text = "---\ntitle: x\n---\nBody\n";
        let (fm, body) = split_front_matter(text).unwrap();
        assert_eq!(fm, "---\ntitle: x\n");
        assert_eq!(body, "Body\n");
        assert!(split_front_matter("title: x\n").is_none());
        assert!(split_front_matter("---\ntitle: x\n").is_none());
    }

    #[test]
    fn alias_bomb_is_a_syntax_error() {
        let mut y = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("l{}", i - 1)
            };
            y.push_str(&format!("l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let e = parse::<IgnoredAny>(&y, "x.yaml").unwrap_err();
        assert_eq!(e.rule, Rule::YamlSyntax);
    }
}
