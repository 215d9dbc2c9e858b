//! What a handle, an e-mail address and a GitHub login may be. These values
//! are written into other formats (YAML that `new` prefills, CODEOWNERS,
//! mail headers), so each is checked against a strict shape once, by
//! `check`, and whatever writes one of them writes only values that pass.

/// The marker `trainyard new` leaves in fields a person must fill in
/// (`"<fill in: your handle>"`); `check` reports each one until it is.
pub const PLACEHOLDER: &str = "<fill in";

/// A file-name slug made from `text` (a question's title): ASCII lowercase
/// letters and digits, runs of anything else as one `-`, at most `max`
/// bytes, never empty. Letters with accents lose them only when they are
/// ASCII to begin with, so `Café` gives `caf`.
pub fn slug_of(text: &str, max: usize) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= max {
            break;
        }
    }
    out.truncate(max);
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "question".to_string()
    } else {
        out.to_string()
    }
}

/// The longest handle, in bytes.
pub const MAX_HANDLE: usize = 64;

/// A person's handle: a slug of lowercase letters, digits, `-`, `_` and `.`
/// (FORMAT.md), at most [`MAX_HANDLE`] bytes.
pub fn is_handle(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_HANDLE
        && s.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_' || b == b'.'
        })
}

/// An e-mail address as people write one in a roster or a recipient list:
/// `local@host`, the local part printable ASCII without spaces, quotes or the
/// characters that delimit addresses in a header (`<>()[],;:\`), the host a
/// host name. At most 254 bytes (RFC 5321).
pub fn is_email_address(s: &str) -> bool {
    let Some((local, host)) = s.rsplit_once('@') else {
        return false;
    };
    s.len() <= 254
        && !local.is_empty()
        && local.len() <= 64
        && local
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"<>()[],;:\\\"@".contains(&b))
        && is_host_name(host)
}

/// A DNS host name: dot-separated labels of letters, digits and `-`, none
/// empty or starting or ending with `-`, at most 253 bytes.
pub fn is_host_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// A GitHub user name (`meitanaka`, optionally written `@meitanaka`) or team
/// (`@org/team`): what CODEOWNERS can name. Letters, digits and inner `-`,
/// at most 39 characters; a team's name may also hold `_` and `.`.
pub fn is_github_login(s: &str) -> bool {
    let s = s.strip_prefix('@').unwrap_or(s);
    let user = |u: &str| {
        !u.is_empty()
            && u.len() <= 39
            && !u.starts_with('-')
            && !u.ends_with('-')
            && u.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    match s.split_once('/') {
        None => user(s),
        Some((org, team)) => {
            user(org)
                && !team.is_empty()
                && team.len() <= 100
                && team
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        }
    }
}

/// `http://host…` or `https://host…`, with no spaces.
/// An absolute http or https URL, as written (see [`is_http_url`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl(String);

impl HttpUrl {
    /// `s`, when it is an absolute http(s) URL.
    pub fn parse(s: &str) -> Option<HttpUrl> {
        is_http_url(s).then(|| HttpUrl(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for HttpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub fn is_http_url(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    match rest {
        Some(r) => {
            let host = r.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !host.starts_with(':') && !s.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_slugs_are_ascii() {
        assert_eq!(
            slug_of("Will hand-offs be recorded?", 48),
            "will-hand-offs-be-recorded"
        );
        assert_eq!(slug_of("Café déjà vu", 48), "caf-d-j-vu");
        assert_eq!(slug_of("日本語", 48), "question");
        assert_eq!(slug_of(&"ab ".repeat(40), 48).len(), 47);
    }

    #[test]
    fn handles_are_slugs() {
        for ok in ["alice", "mei.t", "raj_p", "o-2"] {
            assert!(is_handle(ok), "{ok}");
        }
        for bad in [
            "",
            "Alice",
            "dana], test: [tess] } #",
            "a b",
            "x\ny",
            &"a".repeat(65),
        ] {
            assert!(!is_handle(bad), "{bad}");
        }
    }

    #[test]
    fn addresses() {
        for ok in [
            "alice@example.com",
            "services-qa@example.com",
            "a.b+c@x-y.example",
        ] {
            assert!(is_email_address(ok), "{ok}");
        }
        for bad in [
            "",
            "alice",
            "@example.com",
            "alice@",
            "a b@example.com",
            "alice@example.com>, eve@evil.example",
            "alice@exa mple.com",
            "alice@-x.com",
            "a\r\nBcc: eve@x.com",
        ] {
            assert!(!is_email_address(bad), "{bad}");
        }
    }

    #[test]
    fn github_logins() {
        for ok in ["meitanaka", "@meitanaka", "Mei-T", "@org/release-team"] {
            assert!(is_github_login(ok), "{ok}");
        }
        for bad in [
            "",
            "-x",
            "a\n* @evil",
            "a b",
            "@org/",
            "x/y/z",
            &"a".repeat(40),
        ] {
            assert!(!is_github_login(bad), "{bad}");
        }
    }

    #[test]
    fn urls() {
        assert!(is_http_url("https://ci.example.com/job/1"));
        assert!(is_http_url("HTTP://x.org"));
        for bad in [
            "javascript:alert(1)",
            "ftp://x",
            "https://",
            "wiki/page",
            "https:// x",
            "//x.org",
        ] {
            assert!(!is_http_url(bad), "{bad}");
        }
    }
}
