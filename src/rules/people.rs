//! people.yaml: unique handles and e-mails, known roles.

use super::ctx::Ctx;
use super::Rule;
use crate::diagnostics::suggest::did_you_mean;
use crate::model::values::{is_email_address, is_github_login, is_handle, MAX_HANDLE};
use std::collections::HashMap;

pub fn check(cx: &mut Ctx<'_>) {
    let file = "people.yaml";
    let roles: Vec<String> = cx.repo.process.roles.keys().cloned().collect();
    let mut handles: HashMap<&str, u32> = HashMap::new();
    let mut emails: HashMap<String, u32> = HashMap::new();
    for p in &cx.repo.people.list {
        if !is_handle(&p.handle.value) {
            cx.report(
                Rule::Schema,
                file,
                p.handle.pos,
                format!("handle `{}` is not a slug", p.handle.value),
                format!("write a handle of lowercase letters, digits, `-`, `_` and `.` (at most {MAX_HANDLE}), e.g. `{}`", suggested_handle(&p.name.value)),
            );
        }
        if let Some(gh) = &p.github {
            if !is_github_login(&gh.value) {
                cx.report(
                    Rule::Schema,
                    file,
                    gh.pos,
                    format!("`{}` is not a GitHub user name", gh.value),
                    "write the user name as GitHub shows it (letters, digits and `-`), e.g. `meitanaka`, or a team as `@org/team`",
                );
            }
        }
        if let Some(line) = handles.insert(&p.handle.value, p.handle.pos.line) {
            cx.report(
                Rule::Schema,
                file,
                p.handle.pos,
                format!(
                    "handle `{}` is listed twice (first on line {line})",
                    p.handle.value
                ),
                "handles identify people in every record; give each person one unique handle",
            );
        }
        let email = p.email.value.trim().to_ascii_lowercase();
        if !is_email_address(&email) {
            cx.report(
                Rule::Schema,
                file,
                p.email.pos,
                format!("`{}` is not an e-mail address", p.email.value),
                "git commits are matched to people by e-mail; give the address they commit with",
            );
        } else if let Some(line) = emails.insert(email, p.email.pos.line) {
            cx.report(
                Rule::Schema,
                file,
                p.email.pos,
                format!(
                    "e-mail `{}` is listed twice (first on line {line})",
                    p.email.value
                ),
                "each person needs their own e-mail address",
            );
        }
        for r in p.roles.iter() {
            if !roles.contains(&r.value) {
                cx.report(
                    Rule::Schema,
                    file,
                    r.pos,
                    format!("unknown role `{}`", r.value),
                    format!(
                        "{}; roles are defined in process.yaml",
                        did_you_mean(&r.value, roles.iter().map(String::as_str))
                    ),
                );
            }
        }
    }
}

/// A handle made from a person's name, for the help of a handle that is not
/// a slug.
fn suggested_handle(name: &str) -> String {
    let slug: String = name
        .split_whitespace()
        .next()
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .take(MAX_HANDLE)
        .collect();
    if slug.is_empty() {
        "alice".into()
    } else {
        slug
    }
}
