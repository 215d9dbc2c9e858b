//! people.yaml: unique handles and e-mails, known roles.

use super::ctx::Ctx;
use super::Rule;
use crate::diagnostics::suggest::did_you_mean;
use crate::model::people::RoleHeld;
use crate::model::values::{is_email_address, is_github_login, is_handle, MAX_HANDLE};
use crate::model::Person;
use chrono::NaiveDate;
use std::collections::HashMap;

pub fn check(cx: &mut Ctx<'_>) {
    // The rotation names people of the roster.
    if let Some(rot) = &cx.repo.process.rotation {
        let known: Vec<&str> = cx.repo.people.handles().collect();
        let unknown: Vec<String> = rot
            .order
            .iter()
            .filter(|h| !known.contains(&h.as_str()))
            .cloned()
            .collect();
        for h in unknown {
            cx.report(
                Rule::UnknownPerson,
                "process.yaml",
                crate::model::Pos::FILE,
                format!("the rotation names `{h}`, who is not listed in people.yaml"),
                "list only handles from people.yaml in rotation.order",
            );
        }
    }
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
        for extra in &p.emails {
            let email = extra.value.trim().to_ascii_lowercase();
            if !is_email_address(&email) {
                cx.report(
                    Rule::Schema,
                    file,
                    extra.pos,
                    format!("`{}` is not an e-mail address", extra.value),
                    "list in `emails` the other addresses this person commits with",
                );
            } else if let Some(line) = emails.insert(email, extra.pos.line) {
                cx.report(
                    Rule::Schema,
                    file,
                    extra.pos,
                    format!(
                        "e-mail `{}` is listed twice (first on line {line})",
                        extra.value
                    ),
                    "each address belongs to one person",
                );
            }
        }
        for r in p.roles.iter() {
            let id = r.value.role();
            let pos = match &r.value {
                RoleHeld::Always(_) => r.pos,
                RoleHeld::Period(period) => period.role.pos,
            };
            if !roles.iter().any(|known| known == id) {
                cx.report(
                    Rule::Schema,
                    file,
                    pos,
                    format!("unknown role `{id}`"),
                    format!(
                        "{}; roles are defined in process.yaml",
                        did_you_mean(id, roles.iter().map(String::as_str))
                    ),
                );
            }
        }
        periods(cx, file, p);
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

/// A person's dates: `left` not before `joined`, each period's `until` not
/// before its `from`, and no two periods of one role overlapping.
fn periods(cx: &mut Ctx<'_>, file: &str, p: &Person) {
    let who = &p.handle.value;
    if let (Some(joined), Some(left)) = (&p.joined, &p.left) {
        if let (Some(j), Some(l)) = (joined.value.get(), left.value.get()) {
            if l < j {
                cx.report(
                    Rule::Schema,
                    file,
                    left.pos,
                    format!("{who} left on {l}, before joining on {j}"),
                    "`joined` is the first day on the team and `left` the last; check the dates",
                );
            }
        }
    }
    let mut seen: Vec<(&str, Option<NaiveDate>, Option<NaiveDate>, u32)> = Vec::new();
    for r in p.roles.iter() {
        let (from, until) = r.value.bounds();
        if let (RoleHeld::Period(period), Some(f), Some(u)) = (&r.value, from, until) {
            if u < f {
                let pos = period.until.as_ref().map_or(r.pos, |x| x.pos);
                cx.report(
                    Rule::Schema,
                    file,
                    pos,
                    format!(
                        "the {} period ends on {u}, before it starts on {f}",
                        period.role.value
                    ),
                    "`from` is the first day the role is held and `until` the last",
                );
                continue;
            }
        }
        let id = r.value.role();
        let overlaps = |(other, f2, u2, _): &&(&str, Option<NaiveDate>, Option<NaiveDate>, u32)| {
            *other == id
                && from.is_none_or(|f| u2.is_none_or(|u2| f <= u2))
                && f2.is_none_or(|f2| until.is_none_or(|u| f2 <= u))
        };
        if let Some((_, _, _, line)) = seen.iter().find(overlaps) {
            cx.report(
                Rule::Schema,
                file,
                r.pos,
                format!("{who}'s {id} periods overlap (the other is on line {line})"),
                "give each period of a role its own days: end one (`until`) before the next starts (`from`)",
            );
        }
        seen.push((id, from, until, r.pos.line));
    }
}
