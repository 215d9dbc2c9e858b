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
    pub fn new(raw: &str) -> WebUrl {
        WebUrl {
            href: crate::rules::is_http_url(raw).then(|| raw.to_string()),
            text: raw.to_string(),
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

/// Remove every URL attribute with a scheme other than http, https or mailto
/// (`javascript:`, `data:`, `vbscript:`, however written) from `html`. Returns
/// how many were removed. Pages the built-in templates render never have one,
/// and then nothing is copied.
pub fn guard(html: &mut Vec<u8>) -> usize {
    let cuts = unsafe_attributes(html);
    if cuts.is_empty() {
        return 0;
    }
    let mut out = Vec::with_capacity(html.len());
    let mut at = 0;
    for (start, end) in &cuts {
        out.extend_from_slice(&html[at..*start]);
        at = *end;
    }
    out.extend_from_slice(&html[at..]);
    *html = out;
    cuts.len()
}

/// The byte ranges of unsafe URL attributes (with the space before each).
fn unsafe_attributes(html: &[u8]) -> Vec<(usize, usize)> {
    let mut cuts = Vec::new();
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &html[i..]) {
        i += lt + 1;
        if html[i..].starts_with(b"!--") {
            i = find(html, i, b"-->").map_or(html.len(), |e| e + 3);
            continue;
        }
        if !html.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name_end = scan(html, i, |b| {
            !b.is_ascii_whitespace() && b != b'>' && b != b'/'
        });
        let tag = &html[i..name_end];
        i = name_end;
        // Attributes, up to the end of the tag.
        loop {
            let before = i;
            i = scan(html, i, |b| b.is_ascii_whitespace() || b == b'/');
            match html.get(i) {
                None => return cuts,
                Some(b'>') => {
                    i += 1;
                    break;
                }
                _ => {}
            }
            let name_start = i;
            i = scan(html, i, |b| {
                !b.is_ascii_whitespace() && b != b'=' && b != b'>' && b != b'/'
            });
            let name = &html[name_start..i];
            if i == name_start {
                // A lone `=` or the like: step over it.
                i += 1;
                continue;
            }
            let after_name = scan(html, i, |b| b.is_ascii_whitespace());
            if html.get(after_name) != Some(&b'=') {
                continue;
            }
            let v = scan(html, after_name + 1, |b| b.is_ascii_whitespace());
            let (value, end) = match html.get(v) {
                Some(&q @ (b'"' | b'\'')) => {
                    let close = memchr::memchr(q, &html[v + 1..]).map_or(html.len(), |e| v + 1 + e);
                    (
                        &html[(v + 1).min(close)..close],
                        (close + 1).min(html.len()),
                    )
                }
                _ => {
                    let e = scan(html, v, |b| !b.is_ascii_whitespace() && b != b'>');
                    (&html[v..e], e)
                }
            };
            i = end;
            // Without a colon (or a character reference that could be one)
            // there is no scheme: most values, every relative link.
            let may_have_scheme = memchr::memchr2(b':', b'&', value).is_some();
            if may_have_scheme
                && URL_ATTRIBUTES
                    .iter()
                    .any(|a| name.eq_ignore_ascii_case(a.as_bytes()))
                && is_unsafe_value(name, value)
            {
                cuts.push((before, end));
            }
        }
        // Script and style bodies are not markup.
        for raw in [&b"script"[..], b"style"] {
            if tag.eq_ignore_ascii_case(raw) {
                let close = [b"</", raw].concat();
                let lower = |from: usize| {
                    html[from..]
                        .windows(close.len())
                        .position(|w| w.eq_ignore_ascii_case(&close))
                        .map(|p| from + p)
                };
                i = lower(i).unwrap_or(html.len());
            }
        }
    }
    cuts
}

/// Whether a URL attribute's value leads anywhere but http, https, mailto or
/// the site itself (`srcset` holds a list of URLs).
fn is_unsafe_value(name: &[u8], value: &[u8]) -> bool {
    let value = decode(value);
    if name.eq_ignore_ascii_case(b"srcset") {
        value
            .split(',')
            .any(|c| !is_safe(c.split_whitespace().next().unwrap_or("")))
    } else {
        !is_safe(&value)
    }
}

fn scan(html: &[u8], from: usize, keep: impl Fn(u8) -> bool) -> usize {
    html[from.min(html.len())..]
        .iter()
        .position(|&b| !keep(b))
        .map_or(html.len(), |p| from + p)
}

fn find(html: &[u8], from: usize, what: &[u8]) -> Option<usize> {
    html[from..]
        .windows(what.len())
        .position(|w| w == what)
        .map(|p| from + p)
}

/// The attribute value as a browser reads it: character references decoded
/// (`&#106;`, `&#x6A;`, `&colon;`, `&Tab;`, `&NewLine;`, `&amp;`).
fn decode(value: &[u8]) -> String {
    let text = String::from_utf8_lossy(value);
    if !text.contains('&') {
        return text.into_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = &*text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map_or(rest.len(), |e| e + 1);
        let entity = &rest[1..end];
        let decoded = if let Some(num) = entity.strip_prefix('#') {
            let n = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse().ok(),
            };
            n.and_then(char::from_u32)
        } else {
            match entity.to_ascii_lowercase().as_str() {
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                "amp" => Some('&'),
                _ => None,
            }
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = rest[end..].strip_prefix(';').unwrap_or(&rest[end..]);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
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
        // A tag cut off at the end of the page.
        assert_eq!(guarded(r#"<a href="javascript:x"#), "<a");
    }
}
