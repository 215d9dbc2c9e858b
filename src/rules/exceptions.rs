//! Exceptions: validate each one, then let the valid ones waive their rule in their file.

use super::ctx::{Ctx, ExceptionUse};
use super::Rule;
use crate::diagnostics::suggest::did_you_mean;
use crate::diagnostics::Diagnostic;
use std::collections::HashMap;

/// Check every exception; return the (file, rule) pairs that are waived,
/// each with who approved it.
pub fn validate(cx: &mut Ctx<'_>, uses: &[ExceptionUse<'_>]) -> HashMap<(String, Rule), String> {
    let mut waived = HashMap::new();
    for u in uses {
        let process = u.process;
        let e = u.exception;
        let mut valid = true;
        let mut found = Vec::new();
        let rule = Rule::from_id(e.rule.value.trim());
        if rule.is_none() {
            valid = false;
            found.push(
                Diagnostic::new(
                    Rule::Exception,
                    u.file,
                    e.rule.pos,
                    format!("`{}` is not a rule", e.rule.value),
                )
                .help(did_you_mean(
                    &e.rule.value,
                    Rule::ALL.iter().map(|r| r.id()),
                )),
            );
        }
        if let Some(never @ (Rule::RecordImmutable | Rule::RecordFrozen)) = rule {
            // The rules that protect merged records cannot be waived by a
            // line the same change adds.
            valid = false;
            found.push(
                Diagnostic::new(
                    Rule::Exception,
                    u.file,
                    e.rule.pos,
                    format!("`{}` can never be waived by an exception", never.id()),
                )
                .help("merged sign-offs and pushes (and hand-offs after a go) are the audit trail; restore the merged record, and record a correction in notes.md or a new sign-off round"),
            );
        }
        if e.reason.as_ref().is_none_or(|r| r.value.trim().is_empty()) {
            valid = false;
            let pos = e.reason.as_ref().map(|r| r.pos).unwrap_or(e.rule.pos);
            found.push(
                Diagnostic::new(
                    Rule::Exception,
                    u.file,
                    pos,
                    "the exception gives no reason",
                )
                .help("say why the rule does not apply this time: `reason: …`"),
            );
        }
        match &e.approved_by {
            None => {
                valid = false;
                found.push(
                    Diagnostic::new(
                        Rule::Exception,
                        u.file,
                        e.rule.pos,
                        "the exception is not approved by anyone",
                    )
                    .help(format!(
                        "add `approved_by:` with someone holding an approver role ({})",
                        process.approvers.join(", ")
                    )),
                );
            }
            Some(by) => {
                if !cx.person(u.file, by, None, u.on) {
                    valid = false;
                } else {
                    // `person` succeeded, so the handle is in people.yaml.
                    let person = cx.repo.people.get(&by.value);
                    let approver =
                        person.is_some_and(|p| process.approvers.iter().any(|r| p.holds(r, u.on)));
                    if !approver {
                        valid = false;
                        let roles = process.approvers.join(", ");
                        found.push(
                            Diagnostic::new(
                                Rule::Exception,
                                u.file,
                                by.pos,
                                format!(
                                    "`{}` cannot approve exceptions: only the {roles} role can",
                                    by.value
                                ),
                            )
                            .help(format!("ask someone with the {roles} role to approve it")),
                        );
                    } else if let Some(crate::git::approvals::Approval::Unproven(why)) = cx
                        .approvals
                        // A rule that can never be waived was said so once.
                        .filter(|_| {
                            !matches!(rule, Some(Rule::RecordImmutable | Rule::RecordFrozen))
                        })
                        .and_then(|a| a.get(u.file, &e.rule.value, &by.value))
                    {
                        valid = false;
                        found.push(
                            Diagnostic::new(Rule::Exception, u.file, by.pos, why.clone()).help(format!(
                                "an approval counts when {0} commits it, or is named in the commit as `Co-authored-by: Name <{0}'s address>`; ask {0} to approve the pull request's change that way",
                                by.value
                            )),
                        );
                    } else if u.owners.contains(&by.value.as_str())
                        && process.level(Rule::SeparationOfDuties) != super::Level::Off
                    {
                        valid = false;
                        found.push(
                            Diagnostic::new(
                                Rule::SeparationOfDuties,
                                u.file,
                                by.pos,
                                format!("`{}` approves an exception to their own record", by.value),
                            )
                            .help("another approver must approve an exception to this record"),
                        );
                    }
                }
            }
        }
        cx.out.extend(found);
        if let (true, Some(rule), Some(by)) = (valid, rule, &e.approved_by) {
            waived.insert((u.file.to_string(), rule), by.value.clone());
        }
    }
    waived
}

use crate::git::approvals::OUT_OF_CYCLE;

/// An out-of-cycle train's `out_of_cycle`: a reason, and an approver who
/// holds an approver role on the train's day and, with history, approved it
/// in a commit of their own (`exception` otherwise).
pub fn out_of_cycle(
    cx: &mut Ctx<'_>,
    file: &str,
    ooc: &crate::model::Spanned<crate::model::OutOfCycle>,
    on: crate::model::On,
) {
    let process = cx.process;
    if ooc
        .reason
        .as_ref()
        .is_none_or(|r| r.value.trim().is_empty())
    {
        cx.report(
            Rule::Exception,
            file,
            ooc.reason.as_ref().map_or(ooc.pos, |r| r.pos),
            "the out-of-cycle push gives no reason",
            "say why this train pushes off the regular day: `reason: …` (a hotfix, a holiday)",
        );
    }
    let Some(by) = &ooc.approved_by else {
        cx.report(
            Rule::Exception,
            file,
            ooc.pos,
            "the out-of-cycle push is not approved by anyone",
            format!(
                "add `approved_by:` with someone holding an approver role ({})",
                process.approvers.join(", ")
            ),
        );
        return;
    };
    if !cx.person(file, by, None, on) {
        return;
    }
    let approver = cx
        .repo
        .people
        .get(&by.value)
        .is_some_and(|p| process.approvers.iter().any(|r| p.holds(r, on)));
    if !approver {
        let roles = process.approvers.join(", ");
        cx.report(
            Rule::Exception,
            file,
            by.pos,
            format!(
                "`{}` cannot approve an out-of-cycle push: only the {roles} role can",
                by.value
            ),
            format!("ask someone with the {roles} role to approve it"),
        );
    } else if let Some(crate::git::approvals::Approval::Unproven(why)) = cx
        .approvals
        .and_then(|a| a.get(file, OUT_OF_CYCLE, &by.value))
    {
        cx.report(
            Rule::Exception,
            file,
            by.pos,
            why.clone(),
            format!(
                "an approval counts when {0} commits it, or is named in the commit as `Co-authored-by: Name <{0}'s address>`",
                by.value
            ),
        );
    }
}
