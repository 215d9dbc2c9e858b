//! `check --summary FILE`: the report as a Markdown job summary (GitHub's
//! `$GITHUB_STEP_SUMMARY`): the counts, then a table of the diagnostics with
//! each rule linked to its documentation.
//!
//! Messages quote record text, which a pull request's author chose, so every
//! character Markdown or HTML would act on is escaped: a record cannot add a
//! link, an image, a heading or a table cell to the summary.

use super::{Report, Severity};
use std::fmt::Write;

/// More rows than anyone reads in a summary; GitHub also caps a step's
/// summary at 1 MiB. The annotations and the log still have every one.
const MAX_ROWS: usize = 200;

/// Where each rule is documented: docs/rules.md of the released version, so
/// the link describes the rule as this binary checks it.
fn rule_link(id: &str) -> String {
    format!(
        "{}/blob/v{}/docs/rules.md#{id}",
        env!("CARGO_PKG_REPOSITORY"),
        env!("CARGO_PKG_VERSION")
    )
}

/// `s` as literal Markdown text, on one line (a table cell, a list item):
/// line breaks become spaces, hidden control characters are shown as
/// `\u{…}`, and every ASCII character that could start markup is
/// backslash-escaped (CommonMark allows that for any ASCII punctuation; `\|`
/// is GitHub's escape for a pipe inside a table). With `[` and `]` escaped no
/// link or image can form, with `<` no HTML, with `&` no character reference.
pub fn text(s: &str) -> String {
    let shown = super::printable(&s.replace(['\r', '\n'], " ")).into_owned();
    let mut out = String::with_capacity(shown.len() + 8);
    for c in shown.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '&' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn plural(n: usize, word: &str) -> String {
    match n {
        1 => format!("1 {word}"),
        n => format!("{n} {word}s"),
    }
}

/// The job summary for one `check` run over `files` record files.
pub fn render_markdown(report: &Report, files: usize) -> String {
    let mut out = String::from("## trainyard check\n\n");
    let (errors, warnings) = (report.errors(), report.warnings());
    // Writing to a String cannot fail.
    let _ = if errors + warnings == 0 {
        writeln!(out, "✅ {} checked: no problems.", plural(files, "file"))
    } else {
        writeln!(
            out,
            "{} {} and {} in {} checked.",
            if errors > 0 { "❌" } else { "⚠️" },
            plural(errors, "error"),
            plural(warnings, "warning"),
            plural(files, "file"),
        )
    };
    if report.diagnostics.is_empty() {
        return out;
    }
    out.push_str("\n| | Rule | Where | Problem |\n| --- | --- | --- | --- |\n");
    for d in report.diagnostics.iter().take(MAX_ROWS) {
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let id = d.rule.id();
        let mut problem = text(&d.message);
        if let Some(help) = &d.help {
            problem.push_str("<br>help: ");
            problem.push_str(&text(help));
        }
        let _ = writeln!(
            out,
            "| {severity} | [`{id}`]({}) | {}:{}:{} | {problem} |",
            rule_link(id),
            text(&d.file),
            d.pos.line,
            d.pos.col,
        );
    }
    if report.diagnostics.len() > MAX_ROWS {
        let _ = writeln!(
            out,
            "\n…and {} more: every one is annotated in the log; run `trainyard check` to see them all.",
            report.diagnostics.len() - MAX_ROWS
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_text_cannot_become_markdown_or_html() {
        let hostile = "![x](https://evil.example/p.png) <img src=x> | cell\n## [a](b) `code` *em* &amp; ~~s~~";
        let row = format!("| a | b |\n| --- | --- |\n| {} | z |\n", text(hostile));
        let mut html = String::new();
        pulldown_cmark::html::push_html(
            &mut html,
            pulldown_cmark::Parser::new_ext(&row, pulldown_cmark::Options::all()),
        );
        for made in ["<img", "<a ", "<h2", "<code", "<em", "<del"] {
            assert!(!html.contains(made), "{made:?} in {html}");
        }
        // One cell shows the text as written (HTML-escaped), on one line, and
        // the row keeps its second cell.
        assert!(html.contains("<td>z</td>"), "{html}");
        assert!(html.contains(
            "<td>![x](https://evil.example/p.png) &lt;img src=x&gt; | cell ## [a](b) `code` *em* &amp;amp; ~~s~~</td>"
        ), "{html}");
    }

    #[test]
    fn control_characters_are_shown_not_acted_on() {
        assert_eq!(text("a\u{1b}[31m"), "a\\\\u{1b}\\[31m");
    }

    #[test]
    fn rules_link_to_this_versions_documentation() {
        let link = rule_link("push-window");
        assert!(link.starts_with("https://github.com/"), "{link}");
        assert!(link.ends_with(&format!(
            "/blob/v{}/docs/rules.md#push-window",
            env!("CARGO_PKG_VERSION")
        )));
    }
}
