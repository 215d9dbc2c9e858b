//! URLs on pages: a record's URL reaches a link only through [`WebUrl`], and
//! [`guard`] removes, from every rendered page, any URL attribute whose scheme
//! is not http, https or mailto — what an override template might put there
//! from any field. A rejected URL is shown as text, never followed.

use serde::Serialize;

/// A URL from a record as pages show it: `href` is set only when the URL
/// passes `bad-url` (absolute http or https); `text` is what was written.
#[derive(Debug, Clone, Serialize)]
pub struct WebUrl {
    pub href: Option<String>,
    pub text: String,
}

impl WebUrl {
    /// An address the process's own checklist asks for (`kind: url`):
    /// linked when it is an http(s) URL, as `bad-url` judges it.
    pub fn checked(raw: &str) -> WebUrl {
        WebUrl {
            href: crate::model::values::is_http_url(raw.trim()).then(|| raw.trim().to_string()),
            text: raw.to_string(),
        }
    }

    /// A record's address: linked when load read it as an http(s) URL.
    pub fn new(url: &crate::model::RecordUrl) -> WebUrl {
        WebUrl {
            href: url.value().map(|u| u.to_string()),
            text: url.text().to_string(),
        }
    }
}

/// Attributes whose value a browser loads or follows as a URL.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "data",
    "cite",
    "background",
    "ping",
    "manifest",
];

/// Elements of SVG that animate another attribute: their `values`, `from`,
/// `to` and `by` can set an `href` to a script URL
/// (`<animate attributeName="href" values="javascript:…">`).
const ANIMATIONS: &[&str] = &["animate", "set", "animatemotion", "animatetransform"];
const ANIMATED_VALUES: &[&str] = &["values", "from", "to", "by"];

/// Remove every URL attribute with a scheme other than http, https or mailto
/// (`javascript:`, `data:`, `vbscript:`, however written) from `html`, and
/// every SVG animation value or refresh that would set one. Returns how
/// many were removed.
///
/// The page is read by lol_html, an HTML5 tokenizer that follows the
/// parser's rules for what is markup (a comment ended by `--!>`, `<style>`
/// inside `<svg>` holding elements, a script body holding none), so the
/// attributes looked at are the ones a browser sees. A page without an
/// unsafe one is left as it is, byte for byte.
pub fn guard(html: &mut Vec<u8>) -> usize {
    use std::cell::Cell;
    let removed = Cell::new(0);
    let text = String::from_utf8_lossy(html);
    let rewritten = lol_html::rewrite_str(
        &text,
        lol_html::RewriteStrSettings::new().append_element_content_handler(lol_html::element!(
            "*",
            |el| {
                let tag = el.tag_name();
                let refresh = tag == "meta"
                    && el
                        .get_attribute("http-equiv")
                        .is_some_and(|v| v.trim().eq_ignore_ascii_case("refresh"));
                let animation = ANIMATIONS.contains(&tag.as_str());
                let unsafe_names: Vec<String> = el
                    .attributes()
                    .iter()
                    .filter(|a| {
                        let name = a.name();
                        let value = decode(&a.value());
                        if URL_ATTRIBUTES.contains(&name.as_str()) {
                            is_unsafe_value(&name, &value)
                        } else if animation && ANIMATED_VALUES.contains(&name.as_str()) {
                            value.split(';').any(|v| !is_safe(v))
                        } else if refresh && name == "content" {
                            !is_safe(refresh_url(&value))
                        } else {
                            false
                        }
                    })
                    .map(|a| a.name())
                    .collect();
                for name in unsafe_names {
                    el.remove_attribute(&name);
                    removed.set(removed.get() + 1);
                }
                Ok(())
            }
        )),
    );
    match rewritten {
        Ok(out) if removed.get() > 0 => {
            *html = out.into_bytes();
            removed.get()
        }
        Ok(_) => 0,
        // lol_html refuses only a page it cannot hold in memory: such a page
        // is not published with links nobody checked.
        Err(_) => {
            *html = WITHHELD.as_bytes().to_vec();
            1
        }
    }
}

/// What stands in for a page that could not be checked.
const WITHHELD: &str = "<!DOCTYPE html><html lang=\"en\"><title>Page withheld</title><p>This page could not be checked for unsafe links, so it is not published.</p></html>";

/// The URL of a `<meta http-equiv="refresh" content="5; url=…">`.
fn refresh_url(content: &str) -> &str {
    let Some((_, rest)) = content.split_once([';', ',']) else {
        return "";
    };
    let rest = rest.trim_start();
    let after_url = rest
        .get(..3)
        .filter(|u| u.eq_ignore_ascii_case("url"))
        .map(|_| rest[3..].trim_start());
    match after_url.and_then(|r| r.strip_prefix('=')) {
        Some(url) => url.trim().trim_matches(['\'', '"']),
        None => rest.trim().trim_matches(['\'', '"']),
    }
}

/// Whether a URL attribute's value (decoded) leads anywhere but http, https,
/// mailto or the site itself (`srcset` holds a list of URLs).
fn is_unsafe_value(name: &str, value: &str) -> bool {
    if name == "srcset" {
        value
            .split(',')
            .any(|c| !is_safe(c.split_whitespace().next().unwrap_or("")))
    } else {
        !is_safe(value)
    }
}

/// An attribute value as a browser reads it: numeric character references
/// decoded whether or not a `;` ends them (`&#106avascript:` is
/// `javascript:`), and the named ones that can make or hide a scheme
/// (`&colon;`, `&Tab;`, `&NewLine;`, `&amp;`). No other named reference
/// decodes to an ASCII letter, a colon or a character a URL parser drops.
fn decode(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp + 1..];
        if let Some(num) = rest.strip_prefix('#') {
            let (radix, digits) = match num.strip_prefix(['x', 'X']) {
                Some(hex) => (16, hex),
                None => (10, num),
            };
            let len = digits
                .find(|c: char| !c.is_digit(radix))
                .unwrap_or(digits.len());
            if len > 0 {
                let n = u32::from_str_radix(&digits[..len.min(8)], radix).ok();
                out.push(
                    n.and_then(char::from_u32)
                        .filter(|c| *c != '\0')
                        .unwrap_or('\u{FFFD}'),
                );
                let after = &digits[len..];
                rest = after.strip_prefix(';').unwrap_or(after);
                continue;
            }
        } else {
            let len = rest
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(rest.len());
            let decoded = match rest[..len].to_ascii_lowercase().as_str() {
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                "amp" => Some('&'),
                _ => None,
            };
            if let Some(c) = decoded {
                out.push(c);
                let after = &rest[len..];
                rest = after.strip_prefix(';').unwrap_or(after);
                continue;
            }
        }
        out.push('&');
    }
    out.push_str(rest);
    out
}

/// Whether a browser would follow `url` to an http, https or mailto address,
/// or within the site (no scheme). Browsers drop tabs and line breaks inside
/// a URL and spaces and control characters around it, so `java\tscript:` is
/// still a script.
pub fn is_safe(url: &str) -> bool {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let Some(colon) = cleaned.find(':') else {
        return true;
    };
    let scheme = &cleaned[..colon];
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !is_scheme {
        // Not a scheme (`a/b:c`, `?q=a:b`): a link within the site.
        return true;
    }
    matches!(
        scheme.to_ascii_lowercase().as_str(),
        "http" | "https" | "mailto"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guarded(html: &str) -> String {
        let mut v = html.as_bytes().to_vec();
        guard(&mut v);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn schemes() {
        for ok in [
            "https://x.example/a:b",
            "http://x",
            "mailto:a@b",
            "../releases/index.html",
            "#top",
            "?q=a:b",
            "a/b:c",
            "",
        ] {
            assert!(is_safe(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:x",
            "java\tscript:x",
            "java\nscript:x",
            "\u{1}javascript:x",
            "data:text/html,<script>",
            "vbscript:x",
            "file:///etc/passwd",
        ] {
            assert!(!is_safe(bad), "{bad:?}");
        }
    }

    #[test]
    fn unsafe_url_attributes_are_removed_and_the_rest_kept() {
        assert_eq!(
            guarded(
                r#"<p><a href="javascript:alert(1)">Results</a> <a href="https://ok">ok</a></p>"#
            ),
            r#"<p><a>Results</a> <a href="https://ok">ok</a></p>"#
        );
        assert_eq!(
            guarded(r#"<img alt="x" src='data:image/png;base64,AA'><IMG SRC=JaVaScRiPt:x>"#),
            r#"<img alt="x"><IMG>"#
        );
        assert_eq!(
            guarded(r#"<a title="javascript:x" href="&#106;avascript&colon;x">t</a>"#),
            r#"<a title="javascript:x">t</a>"#
        );
        assert_eq!(
            guarded(
                r#"<img srcset="a.png 1x, javascript:x 2x"><svg><a xlink:href="data:x">s</a></svg>"#
            ),
            r#"<img><svg><a>s</a></svg>"#
        );
        // Not markup: comments, script and style bodies, text.
        let untouched = r#"<!-- <a href="javascript:x"> --><script>let s = '<a href="javascript:x">';</script><style>a{}</style>href="javascript:x" 1 < 2"#;
        assert_eq!(guarded(untouched), untouched);
        // A tag cut off at the end of the page is text to a browser.
        let cut = r#"<a href="javascript:x"#;
        assert_eq!(guarded(cut), cut);
    }

    #[test]
    fn what_a_tokenizer_of_our_own_missed() {
        for (hostile, kept) in [
            // Numeric references without their `;`.
            (r#"<a href="&#106avascript:alert(1)">x</a>"#, "<a>x</a>"),
            (r#"<a href="javascript&#58alert(1)">x</a>"#, "<a>x</a>"),
            (r#"<a href="&#x6A;avascript&#x3A;x">x</a>"#, "<a>x</a>"),
            // A comment ended by `--!>`: what follows is markup.
            (
                r#"<!-- a --!><a href="javascript:x">x</a>"#,
                r#"<!-- a --!><a>x</a>"#,
            ),
            // `<style>` in SVG holds elements, not text.
            (
                r#"<svg><style><a href="javascript:x">x</a></style></svg>"#,
                r#"<svg><style><a>x</a></style></svg>"#,
            ),
            // An animation that sets a link.
            (
                r#"<svg><a><animate attributeName="href" values="javascript:alert(1)"/>x</a></svg>"#,
                r#"<svg><a><animate attributeName="href" />x</a></svg>"#,
            ),
            (
                r#"<svg><set attributeName="href" to="javascript:x"/></svg>"#,
                r#"<svg><set attributeName="href" /></svg>"#,
            ),
            (
                r#"<meta http-equiv="refresh" content="0; url=javascript:alert(1)">"#,
                r#"<meta http-equiv="refresh">"#,
            ),
        ] {
            assert_eq!(guarded(hostile), kept, "{hostile}");
        }
        let fine = r#"<meta http-equiv="refresh" content="5; url=https://x.example/"><svg><animate attributeName="opacity" values="0;1"/></svg><a href="a.html?x=1&amp;y=2">y</a>"#;
        assert_eq!(guarded(fine), fine);
    }
}
