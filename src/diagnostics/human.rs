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
    let mut line_index: BTreeMap<&str, LineIndex> = BTreeMap::new();
    // The byte offset of each character of the line quoted last: the
    // diagnostics come sorted by file and line, so the many on one line
    // share it, and only one line's offsets are held at a time.
    let mut char_starts: Option<((&str, u32), Vec<usize>)> = None;
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
        let line_text = sources.get(&d.file).and_then(|src| {
            let lines = line_index
                .entry(d.file.as_str())
                .or_insert_with(|| LineIndex::new(src));
            lines.line(src, d.pos.line)
        });
        // Whole-file problems (len 0) have no value to point at.
        let line_text = line_text.filter(|t| !t.trim().is_empty() && d.pos.len > 0);
        if let Some(text) = line_text {
            let number = d.pos.line.to_string();
            let gutter = " ".repeat(number.len());
            let bar = style.paint(BLUE, "|");
            let key = (d.file.as_str(), d.pos.line);
            if char_starts.as_ref().is_none_or(|(k, _)| *k != key) {
                char_starts = Some((key, text.char_indices().map(|(i, _)| i).collect()));
            }
            let starts = char_starts.as_ref().map_or(&[][..], |(_, s)| s.as_slice());
            let excerpt = Excerpt::of(text, starts, d.pos.col, d.pos.len);
            let _ = writeln!(out, "{gutter} {bar}",);
            let _ = writeln!(out, "{} {bar} {}", style.paint(BLUE, &number), excerpt.text);
            let _ = writeln!(
                out,
                "{gutter} {bar} {}{}",
                excerpt.pad,
                style.paint(colour, &"^".repeat(excerpt.width.max(1)))
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
            "{} {files} checked, no problems found{}",
            style.paint(GREEN, "ok:"),
            older(report.older)
        );
    } else {
        let head = if errors > 0 {
            style.paint(RED, "error:")
        } else {
            style.paint(YELLOW, "warning:")
        };
        let _ = writeln!(
            out,
            "{head} {} and {} in {files}{}",
            plural(errors, "error"),
            plural(warnings, "warning"),
            older(report.older)
        );
    }
    out
}

/// Where each line of a file starts, so quoting the line of each of many
/// diagnostics does not scan the file from its start each time.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(src: &str) -> LineIndex {
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', src.as_bytes()).map(|i| i + 1))
            .collect();
        LineIndex { starts }
    }

    /// Line `n` (1-based) without its line end.
    fn line<'s>(&self, src: &'s str, n: u32) -> Option<&'s str> {
        let i = (n as usize).checked_sub(1)?;
        let start = *self.starts.get(i)?;
        let end = self.starts.get(i + 1).map_or(src.len(), |e| e - 1);
        let line = src.get(start..end)?;
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

/// The most characters of a source line quoted under a diagnostic: a longer
/// line is cut to a window around the value, so a stranger's one-line file
/// cannot make every diagnostic on it repeat the whole line.
pub const QUOTED_LINE_CHARS: usize = 120;
/// How much of the line before the value a cut window keeps.
const CONTEXT_BEFORE: usize = 30;

/// The part of a source line shown under a diagnostic, with the padding and
/// width of the caret line beneath it.
struct Excerpt {
    text: String,
    pad: String,
    width: usize,
}

impl Excerpt {
    /// `line` as shown: control characters escaped, tabs kept so the caret
    /// lines up with the text above it, and cut with `…` to at most
    /// [`QUOTED_LINE_CHARS`] characters around the value at `col` (1-based,
    /// in characters) that is `len` characters long.
    ///
    /// `starts` holds the byte offset of each character of `line`, computed
    /// once per line however many diagnostics quote it: only the window is
    /// looked at here, so many diagnostics on one long line cost the window
    /// each, not the line each.
    fn of(line: &str, starts: &[usize], col: u32, len: u32) -> Excerpt {
        let count = starts.len();
        let before = (col.saturating_sub(1) as usize).min(count);
        let (mut from, mut to) = (0, count);
        if count > QUOTED_LINE_CHARS {
            from = before.saturating_sub(CONTEXT_BEFORE);
            to = (from + QUOTED_LINE_CHARS).min(count);
        }
        let shown = |c: char| -> String {
            match c {
                '\t' => "\t".into(),
                c if is_hidden_control(c) => c.escape_unicode().to_string(),
                c => c.to_string(),
            }
        };
        let mut text = String::new();
        let mut pad = String::new();
        if from > 0 {
            text.push('…');
            pad.push(' ');
        }
        let mut width = 0;
        let byte = |i: usize| starts.get(i).copied().unwrap_or(line.len());
        for (i, c) in (from..).zip(line[byte(from)..byte(to)].chars()) {
            let s = shown(c);
            if i < before {
                if c == '\t' {
                    pad.push('\t');
                } else {
                    pad.extend(std::iter::repeat_n(' ', s.chars().count()));
                }
            } else if i < before + len as usize {
                width += s.chars().count();
            }
            text.push_str(&s);
        }
        if to < count {
            text.push('…');
        }
        Excerpt { text, pad, width }
    }
}

/// Characters a terminal would act on or hide instead of showing: control
/// characters (a file named `a\n::error …` must not start a line of its own
/// in a CI log, nor ESC change the terminal) and the bidirectional overrides
/// that make text read differently from what it is.
pub(crate) fn is_hidden_control(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            // Bidirectional marks, embeddings, overrides and isolates.
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
            // Zero-width characters, the byte-order mark and the line and
            // paragraph separators some terminals and editors break lines at.
            | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{2028}' | '\u{2029}'
            // Noncharacters and the interlinear annotation controls.
            | '\u{FFF9}'..='\u{FFFB}' | '\u{FFFE}' | '\u{FFFF}'
        )
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

/// `; 4 older problems in files this change does not touch` (check --base).
fn older(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => "; 1 older problem in a file this change does not touch".to_string(),
        n => format!("; {n} older problems in files this change does not touch"),
    }
}
