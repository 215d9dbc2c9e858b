//! `--format human`: `path:line:col: error[rule]: message`, the source line with
//! a caret under the value, and a help line.

use super::{Report, Severity};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Whether to colour the output (only on a terminal, never when NO_COLOR is set).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

const RED: &str = "1;31";
const YELLOW: &str = "1;33";
const BLUE: &str = "1;34";
const BOLD: &str = "1";
const GREEN: &str = "1;32";

/// Render every diagnostic, then a summary line.
pub fn render_human(
    report: &Report,
    sources: &BTreeMap<String, String>,
    files_checked: usize,
    style: Style,
) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let (label, colour) = match d.severity {
            Severity::Error => ("error", RED),
            Severity::Warning => ("warning", YELLOW),
        };
        let _ = writeln!(
            out,
            "{}: {}{} {}",
            style.paint(
                BOLD,
                &format!("{}:{}:{}", printable(&d.file), d.pos.line, d.pos.col)
            ),
            style.paint(colour, &format!("{label}[{}]", d.rule.id())),
            style.paint(BOLD, ":"),
            printable(&d.message)
        );
        let help = d.help.as_deref().map(printable);
        let line_text = sources
            .get(&d.file)
            .and_then(|src| src.lines().nth(d.pos.line.saturating_sub(1) as usize));
        // Whole-file problems (len 0) have no value to point at.
        let line_text = line_text.filter(|t| !t.trim().is_empty() && d.pos.len > 0);
        if let Some(text) = line_text {
            let number = d.pos.line.to_string();
            let gutter = " ".repeat(number.len());
            let bar = style.paint(BLUE, "|");
            // Each character as shown: control characters escaped, tabs kept
            // so the caret lines up with the text above it.
            let shown: Vec<std::borrow::Cow<str>> = text
                .chars()
                .map(|c| match c {
                    '\t' => "\t".into(),
                    c if is_hidden_control(c) => c.escape_unicode().to_string().into(),
                    c => c.to_string().into(),
                })
                .collect();
            let _ = writeln!(out, "{gutter} {bar}",);
            let _ = writeln!(
                out,
                "{} {bar} {}",
                style.paint(BLUE, &number),
                shown.concat()
            );
            let before = (d.pos.col.saturating_sub(1) as usize).min(shown.len());
            let pad: String = shown[..before]
                .iter()
                .map(|s| {
                    if s == "\t" {
                        "\t".to_string()
                    } else {
                        " ".repeat(s.chars().count())
                    }
                })
                .collect();
            let value_width: usize = shown[before..]
                .iter()
                .take(d.pos.len as usize)
                .map(|s| s.chars().count())
                .sum();
            let _ = writeln!(
                out,
                "{gutter} {bar} {pad}{}",
                style.paint(colour, &"^".repeat(value_width.max(1)))
            );
            if let Some(help) = &help {
                let _ = writeln!(out, "{gutter} {} {help}", style.paint(BLUE, "= help:"));
            }
        } else if let Some(help) = &help {
            let _ = writeln!(out, "  {} {help}", style.paint(BLUE, "= help:"));
        }
        out.push('\n');
    }
    let (errors, warnings) = (report.errors(), report.warnings());
    let files = plural(files_checked, "file");
    if errors == 0 && warnings == 0 {
        let _ = writeln!(
            out,
            "{} {files} checked, no problems found",
            style.paint(GREEN, "ok:")
        );
    } else {
        let head = if errors > 0 {
            style.paint(RED, "error:")
        } else {
            style.paint(YELLOW, "warning:")
        };
        let _ = writeln!(
            out,
            "{head} {} and {} in {files}",
            plural(errors, "error"),
            plural(warnings, "warning")
        );
    }
    out
}

/// Characters a terminal would act on or hide instead of showing: control
/// characters (a file named `a\n::error …` must not start a line of its own
/// in a CI log, nor ESC change the terminal) and the bidirectional overrides
/// that make text read differently from what it is.
pub(crate) fn is_hidden_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every [`is_hidden_control`] character written as `\u{…}`.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_hidden_control) {
        return s.into();
    }
    s.chars()
        .map(|c| {
            if is_hidden_control(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
