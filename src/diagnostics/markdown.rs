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

/// Where a [`code`] span sits: a table cell, where GitHub splits cells at
/// every `|` not escaped (even inside a code span), or running text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum In {
    Cell,
    Text,
}

/// `s` as one code span, on one line: nothing inside a code span is markup,
/// and GitHub neither links a URL or `www.` host nor notifies an `@mention`
/// there. The fence is a run of backticks longer than any in `s`, so no
/// backtick of the text can close it; a space inside the fence keeps a
/// backtick at either end of the text apart from it (CommonMark strips one
/// from each side). Line breaks become spaces and hidden control
/// characters are shown as `\u{…}`.
pub fn code(s: &str, within: In) -> String {
    let shown = super::printable(&s.replace(['\r', '\n'], " ")).into_owned();
    let shown = match within {
        In::Cell => shown.replace('|', "\\|"),
        In::Text => shown,
    };
    let mut longest = 0;
    let mut run = 0;
    for c in shown.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    // CommonMark strips one space from each end when both have one: pad a
    // text that starts or ends with a backtick (which would otherwise join
    // the fence) or with spaces at both ends (which would lose one).
    let pad = shown.is_empty()
        || shown.starts_with('`')
        || shown.ends_with('`')
        || (shown.starts_with(' ') && shown.ends_with(' '));
    if pad {
        format!("{fence} {shown} {fence}")
    } else {
        format!("{fence}{shown}{fence}")
    }
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
        // Messages quote record text: each is one code span, so a URL, a
        // mention or a backtick in the text stays text.
        let mut problem = code(&d.message, In::Cell);
        if let Some(help) = &d.help {
            problem.push_str("<br>help: ");
            problem.push_str(&code(help, In::Cell));
        }
        let at = format!("{}:{}:{}", d.file, d.pos.line, d.pos.col);
        let _ = writeln!(
            out,
            "| {severity} | [`{id}`]({}) | {} | {problem} |",
            rule_link(id),
            code(&at, In::Cell),
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

    /// `markdown` as GitHub renders it (comrak with GitHub's extensions).
    fn gfm(markdown: &str) -> String {
        let mut options = comrak::Options::default();
        options.extension.table = true;
        options.extension.autolink = true;
        options.extension.strikethrough = true;
        comrak::markdown_to_html(markdown, &options)
    }

    const HOSTILE: &str = "![x](https://evil.example/p.png) <img src=x> | cell\n## [a](b) `code` ``two`` *em* &amp; ~~s~~ www.evil.example @org/team https://evil.example/x";

    #[test]
    fn record_text_cannot_become_markdown_html_links_or_mentions() {
        let row = format!(
            "| a | b |\n| --- | --- |\n| {} | z |\n",
            code(HOSTILE, In::Cell)
        );
        let html = gfm(&row);
        for made in ["<img", "<a ", "<h2", "<em", "<del"] {
            assert!(!html.contains(made), "{made:?} in {html}");
        }
        // One cell shows the text as written (HTML-escaped), on one line, in
        // one code span (where GitHub makes no mention), and the row keeps its
        // second cell.
        assert!(html.contains("<td>z</td>"), "{html}");
        assert_eq!(html.matches("<code>").count(), 1, "{html}");
        assert!(html.contains(
            "<td><code>![x](https://evil.example/p.png) &lt;img src=x&gt; | cell ## [a](b) `code` ``two`` *em* &amp;amp; ~~s~~ www.evil.example @org/team https://evil.example/x</code></td>"
        ), "{html}");
        // In running text (release notes) too.
        let html = gfm(&format!("- {} (alice)\n", code(HOSTILE, In::Text)));
        assert!(!html.contains("<a ") && !html.contains("<img"), "{html}");
        assert_eq!(html.matches("<code>").count(), 1, "{html}");
    }

    #[test]
    fn a_backtick_at_either_end_stays_inside_the_span() {
        for s in ["`", "a`", "`a", "``a```", ""] {
            let html = gfm(&code(s, In::Text));
            assert!(
                html.contains(&format!("<code>{s}</code>"))
                    || (s.is_empty() && html.contains("<code>")),
                "{s:?}: {html}"
            );
        }
    }

    #[test]
    fn control_characters_are_shown_not_acted_on() {
        assert_eq!(code("a\u{1b}[31m\nb", In::Text), "`a\\u{1b}[31m b`");
        assert_eq!(code(" a ", In::Text), "`  a  `");
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
