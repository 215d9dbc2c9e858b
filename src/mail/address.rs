//! Who a message is from and to: people.yaml, the records' addresses and
//! the roles' mailing lists, each checked before anything is sent.

use super::body::one_line;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::Rule;
use crate::model::{Pos, ReleaseRepository, Spanned};
use lettre::message::Mailbox;
use lettre::Address;

/// A person's name and address, or why they cannot send.
pub(super) fn mailbox_of(
    repo: &ReleaseRepository,
    file: &str,
    handle: &Spanned<String>,
) -> Result<Mailbox, Diagnostic> {
    let Some(p) = repo.people.get(&handle.value) else {
        return Err(Diagnostic::new(
            Rule::UnknownPerson,
            file,
            handle.pos,
            format!(
                "`{}` is not in people.yaml, so the message has no sender",
                handle.value
            ),
        )
        .help("add them to people.yaml with their e-mail"));
    };
    let email = p.email.value.trim();
    match email.parse::<Address>() {
        Ok(addr) => Ok(Mailbox::new(Some(one_line(&p.name.value)), addr)),
        Err(_) => Err(Diagnostic::new(
            Rule::Schema,
            "people.yaml",
            p.email.pos,
            if email.is_empty() {
                format!(
                    "`{}` has no e-mail address, so trainyard cannot send as them",
                    handle.value
                )
            } else {
                format!("`{}`'s e-mail `{email}` is not an address", handle.value)
            },
        )
        .help("set `email:` to the address their mail goes out from, e.g. alice@example.com")),
    }
}

/// Where a message goes.
pub(super) enum Recipients<'a> {
    /// The hand-off's own notification `to` and `cc`.
    Listed {
        file: &'a str,
        to: Vec<Spanned<String>>,
        cc: Vec<Spanned<String>>,
    },
    /// The test list, and with `cc_ops` the ops list in Cc.
    Lists { cc_ops: bool },
}

pub(super) fn recipients(
    repo: &ReleaseRepository,
    r: Recipients<'_>,
    problems: &mut Vec<Diagnostic>,
) -> (Vec<Mailbox>, Vec<Mailbox>) {
    let mut keep = |found: Result<Mailbox, Diagnostic>| found.map_err(|d| problems.push(d)).ok();
    match r {
        Recipients::Listed { file, to, cc } => (
            to.iter().filter_map(|a| keep(address(file, a))).collect(),
            cc.iter().filter_map(|a| keep(address(file, a))).collect(),
        ),
        Recipients::Lists { cc_ops } => {
            let to = keep(list(repo, "test")).into_iter().collect();
            let cc = if cc_ops {
                keep(list(repo, "ops")).into_iter().collect()
            } else {
                Vec::new()
            };
            (to, cc)
        }
    }
}

/// An address written in a record.
fn address(file: &str, raw: &Spanned<String>) -> Result<Mailbox, Diagnostic> {
    raw.value
        .trim()
        .parse::<Address>()
        .map(|a| Mailbox::new(None, a))
        .map_err(|_| {
            Diagnostic::new(
                Rule::Schema,
                file,
                raw.pos,
                format!("`{}` is not an e-mail address", raw.value),
            )
            .help("write one address, e.g. services-qa@example.com")
        })
}

/// A role's mailing list from process.yaml.
fn list(repo: &ReleaseRepository, role: &str) -> Result<Mailbox, Diagnostic> {
    match repo.process.role_list(role).map(str::to_string) {
        Some(l) => address("process.yaml", &Spanned::unplaced(l)),
        None => Err(Diagnostic::new(
            Rule::Schema,
            "process.yaml",
            Pos::FILE,
            format!("`roles.{role}.list` is not set, so the message has nowhere to go"),
        )
        .help(format!(
            "set the {role} role's mailing list: `roles: {{ {role}: {{ list: … }} }}`"
        ))),
    }
}
