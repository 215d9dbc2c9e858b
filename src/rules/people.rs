//! people.yaml: unique handles and e-mails, known roles.

use super::ctx::Ctx;
use super::Rule;
use crate::diagnostics::suggest::did_you_mean;
use std::collections::HashMap;

pub fn check(cx: &mut Ctx<'_>) {
    let file = "people.yaml";
    let roles: Vec<String> = cx.repo.process.roles.keys().cloned().collect();
    let mut handles: HashMap<&str, u32> = HashMap::new();
    let mut emails: HashMap<String, u32> = HashMap::new();
    for p in &cx.repo.people.list {
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
        if !email.contains('@') {
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
