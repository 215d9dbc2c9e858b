//! Markdown to safe HTML: tables, task lists, footnotes, strikethrough and
//! heading anchors; raw HTML is shown as text and unsafe link schemes dropped,
//! so nothing a record says can run script in a reader's browser.

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashMap;

/// A slug for a heading anchor: lowercase letters, digits and dashes.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "section".to_string()
    } else {
        trimmed.to_string()
    }
}

/// Render Markdown to HTML. Heading ids are unique within the document and
/// prefixed with `id_prefix` so several documents can share a page.
pub fn render(markdown: &str, id_prefix: &str) -> String {
    render_with(markdown, id_prefix, None)
}

/// [`render`], with each bug the text names (per `bugs.pattern`) linked to
/// the tracker when `bugs.url` is set (not inside links or code).
pub fn render_with(
    markdown: &str,
    id_prefix: &str,
    bugs: Option<&crate::model::process::BugTracker>,
) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH;
    let events: Vec<Event> = Parser::new_ext(markdown, options).collect();

    // First pass: the text of each heading, for its id.
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut ids = Vec::new();
    let mut in_heading: Option<String> = None;
    let mut top = 6;
    for e in &events {
        match e {
            Event::Start(Tag::Heading { level, .. }) => {
                top = top.min(*level as usize);
                in_heading = Some(String::new());
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = in_heading.as_mut() {
                    h.push_str(t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let base = format!(
                    "{id_prefix}{}",
                    slug(&in_heading.take().unwrap_or_default())
                );
                let n = seen.entry(base.clone()).or_insert(0);
                ids.push(if *n == 0 {
                    base.clone()
                } else {
                    format!("{base}-{n}")
                });
                *n += 1;
            }
            _ => {}
        }
    }

    let mut ids = ids.into_iter();
    // A link or image whose URL is unsafe is dropped, its text kept: no link
    // to a fragment that does not exist, nothing to click.
    let (mut in_dropped_link, mut in_dropped_image) = (false, false);
    let safe = events.into_iter().filter_map(|e| match e {
        // Raw HTML is shown as text, never interpreted.
        Event::Html(h) | Event::InlineHtml(h) => Some(Event::Text(h)),
        // A task's checkbox says what it shows to a screen reader (axe
        // `label`): markup made here, not from the document.
        Event::TaskListMarker(done) => Some(Event::InlineHtml(CowStr::Borrowed(if done {
            r#"<input type="checkbox" disabled checked aria-label="Done"> "#
        } else {
            r#"<input type="checkbox" disabled aria-label="Not done"> "#
        }))),
        Event::Start(Tag::Heading {
            level,
            classes,
            attrs,
            ..
        }) => Some(Event::Start(Tag::Heading {
            level: demote(level, top),
            id: ids.next().map(CowStr::from),
            classes,
            attrs,
        })),
        Event::End(TagEnd::Heading(level)) => Some(Event::End(TagEnd::Heading(demote(level, top)))),
        Event::Start(Tag::Link { ref dest_url, .. }) if !super::safe_url::is_safe(dest_url) => {
            in_dropped_link = true;
            None
        }
        Event::End(TagEnd::Link) if in_dropped_link => {
            in_dropped_link = false;
            None
        }
        Event::Start(Tag::Image { ref dest_url, .. }) if !super::safe_url::is_safe(dest_url) => {
            in_dropped_image = true;
            None
        }
        Event::End(TagEnd::Image) if in_dropped_image => {
            in_dropped_image = false;
            None
        }
        other => Some(other),
    });
    let (mut in_link, mut in_code) = (false, false);
    let linked = safe.flat_map(|e| {
        match &e {
            Event::Start(Tag::Link { .. }) => in_link = true,
            Event::End(TagEnd::Link) => in_link = false,
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            _ => {}
        }
        match (e, bugs) {
            (Event::Text(t), Some(tracker)) if !in_link && !in_code && tracker.url.is_some() => {
                link_bugs(t, tracker)
            }
            (e, _) => vec![e],
        }
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, linked);
    out
}

/// `text` with every bug it names as a link to the tracker.
fn link_bugs<'a>(text: CowStr<'a>, tracker: &crate::model::process::BugTracker) -> Vec<Event<'a>> {
    let mut out = Vec::new();
    let mut last = 0;
    for caps in tracker.pattern.regex.captures_iter(&text) {
        let (Some(whole), Some(number)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        let Some(url) = number.as_str().parse().ok().and_then(|n| tracker.link(n)) else {
            continue;
        };
        out.push(Event::Text(CowStr::from(
            text[last..whole.start()].to_string(),
        )));
        out.push(Event::Start(Tag::Link {
            link_type: pulldown_cmark::LinkType::Inline,
            dest_url: CowStr::from(url),
            title: CowStr::Borrowed(""),
            id: CowStr::Borrowed(""),
        }));
        out.push(Event::Text(CowStr::from(whole.as_str().to_string())));
        out.push(Event::End(TagEnd::Link));
        last = whole.end();
    }
    if last == 0 {
        return vec![Event::Text(text)];
    }
    out.push(Event::Text(CowStr::from(text[last..].to_string())));
    out
}

/// Notes sit under the page's own h1 and h2: the document's top heading level
/// becomes h3 and the others keep their distance below it (at most h6).
fn demote(level: HeadingLevel, top: usize) -> HeadingLevel {
    match (level as usize + 3).saturating_sub(top).clamp(3, 6) {
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_escaped() {
        let html = render(
            "Hi <script>alert(1)</script>\n\n<div onclick=x>y</div>\n",
            "n-",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<div"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn unsafe_links_are_dropped() {
        let html = render("[a](javascript:alert(1)) [b](JaVa\tScript:x) [c](https://ok.example) [d](../x.html) ![i](data:image/png;base64,xx)", "");
        assert!(!html.to_lowercase().contains("javascript"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(
            html.contains("https://ok.example") && html.contains("../x.html"),
            "{html}"
        );
        // Their text stays, as text: no link to a fragment that does not exist.
        assert!(html.starts_with("<p>a "), "{html}");
        assert!(!html.contains("href=\"#"), "{html}");
        assert!(
            html.contains(">i") || html.contains(" i<") || html.ends_with("i</p>\n"),
            "{html}"
        );
    }

    #[test]
    fn headings_get_unique_anchors() {
        let html = render("# Plan\n## Plan\n### Rollback (v2)\n", "notes-");
        assert!(html.contains(r#"<h3 id="notes-plan">"#), "{html}");
        assert!(html.contains(r#"<h4 id="notes-plan-1">"#), "{html}");
        assert!(html.contains(r#"<h5 id="notes-rollback-v2">"#), "{html}");
        // A document starting at h2 still starts at h3: no skipped levels.
        assert!(render("## Rollback\n### Why\n", "").contains("<h3 id=\"rollback\">"));
    }

    #[test]
    fn bugs_named_in_text_link_to_the_tracker() {
        let tracker = crate::model::process::BugTracker {
            url: Some("https://bugs.example.com/{id}".into()),
            list_url: None,
            pattern: crate::model::process::BugPattern::new(r"(?i)\bbug\s*#?(\d+)").unwrap(),
        };
        let html = render_with(
            "Fixed bug 1235559 and Bug #7.\n\n[bug 9](https://x.example/) `bug 10`\n\n    bug 11\n",
            "",
            Some(&tracker),
        );
        assert!(html.contains(r#"Fixed <a href="https://bugs.example.com/1235559">bug 1235559</a> and <a href="https://bugs.example.com/7">Bug #7</a>."#), "{html}");
        // Not inside a link, inline code or a code block.
        assert!(
            html.contains(r#"<a href="https://x.example/">bug 9</a>"#),
            "{html}"
        );
        assert!(
            html.contains("<code>bug 10</code>") && html.contains("bug 11\n</code>"),
            "{html}"
        );
        // Without a tracker URL, text stays text.
        let plain = crate::model::process::BugTracker {
            url: None,
            ..tracker
        };
        assert!(!render_with("bug 5", "", Some(&plain)).contains("<a"));
    }

    #[test]
    fn tables_tasks_footnotes_strikethrough() {
        let html = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\n~~old~~ note[^1]\n\n[^1]: the note\n", "");
        assert!(html.contains("<table>"));
        // Each checkbox is labelled for screen readers (axe `label`).
        assert!(
            html.contains(r#"<input type="checkbox" disabled checked aria-label="Done"> done"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<input type="checkbox" disabled aria-label="Not done"> todo"#),
            "{html}"
        );
        assert!(html.contains("<del>old</del>"));
        assert!(html.contains("footnote"));
    }
}
