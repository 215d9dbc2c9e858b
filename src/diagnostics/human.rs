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
            style.paint(BOLD, &format!("{}:{}:{}", d.file, d.pos.line, d.pos.col)),
            style.paint(colour, &format!("{label}[{}]", d.rule.id())),
            style.paint(BOLD, ":"),
            d.message
        );
        let line_text = sources
            .get(&d.file)
            .and_then(|src| src.lines().nth(d.pos.line.saturating_sub(1) as usize));
        // Whole-file problems (len 0) have no value to point at.
        let line_text = line_text.filter(|t| !t.trim().is_empty() && d.pos.len > 0);
        if let Some(text) = line_text {
            let number = d.pos.line.to_string();
            let gutter = " ".repeat(number.len());
            let bar = style.paint(BLUE, "|");
            let _ = writeln!(out, "{gutter} {bar}");
            let _ = writeln!(out, "{} {bar} {}", style.paint(BLUE, &number), text);
            // Keep tabs so the caret lines up with the text above it.
            let pad: String = text
                .chars()
                .take(d.pos.col.saturating_sub(1) as usize)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let remaining = text.chars().count().saturating_sub(pad.chars().count());
            let width = (d.pos.len as usize).clamp(1, remaining.max(1));
            let _ = writeln!(
                out,
                "{gutter} {bar} {pad}{}",
                style.paint(colour, &"^".repeat(width))
            );
            if let Some(help) = &d.help {
                let _ = writeln!(out, "{gutter} {} {help}", style.paint(BLUE, "= help:"));
            }
        } else if let Some(help) = &d.help {
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

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
