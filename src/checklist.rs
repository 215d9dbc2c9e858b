//! The hand-off checklist and the sign-off criteria, decided once: what
//! Engineering owes Test with each deliverable (a tag, green CI, a test plan,
//! the security review when one is required, deploy bugs, the e-mail to the
//! QA list cc Ops, the staging location), what Test's sign-off rests on
//! (regression, cross-environment and test-plan results, a load test when
//! one is required), and whether each item is done. The rules report the
//! missing ones, the release page ticks the done ones, from these lists, so
//! the two cannot disagree about an item.

use crate::diagnostics::Pos;
use crate::model::{
    ChecklistValue, CiStatus, Handoff, PassFail, Process, RecordUrl, Signoff, Spanned,
};

/// An item of the hand-off checklist, in the order the process lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Tag,
    GreenCi,
    TestPlan,
    /// Required: the updated security documentation.
    SecurityDoc,
    /// Required: who in Security signed off.
    SecuritySignoff,
    /// Not required for this change (one item in place of the two above).
    SecurityReview,
    DeployBugs,
    /// The e-mail is sent to the Test list…
    EmailToTest,
    /// …with the Ops list in copy.
    EmailCcOps,
    Staging,
    // The sign-off criteria.
    Regression,
    CrossEnvironment,
    TestPlanPassed,
    /// Required: Ops signed off a load test (not needed otherwise).
    LoadTest,
    /// A further checklist item of the train's process version
    /// (`handoff.checklist`, by index).
    Extra(u16),
    /// A further sign-off criterion of the version (`signoff.criteria`, by index).
    Criterion(u16),
}

/// Where an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Done,
    Missing,
    NotNeeded,
}

/// One item of one hand-off: where it stands and where in the record it is
/// written (where a diagnostic about it points).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub item: Item,
    pub state: State,
    pub pos: Pos,
}

fn done(ok: bool) -> State {
    if ok {
        State::Done
    } else {
        State::Missing
    }
}

/// Whether a written value says anything (not empty, not only spaces).
fn written(v: &Spanned<String>) -> bool {
    !v.value.trim().is_empty()
}

/// Whether a web address is written at all (whether it is a good one is
/// `bad-url`'s question, asked at load).
fn addressed(v: &Spanned<RecordUrl>) -> bool {
    !v.value.text().trim().is_empty()
}

/// Whether `list` holds `address` (case-insensitively); with no address
/// configured for the role, any list does.
fn names(list: &Spanned<Vec<Spanned<String>>>, address: Option<&str>) -> bool {
    address.is_none_or(|want| {
        list.iter()
            .any(|a| a.value.trim().eq_ignore_ascii_case(want))
    })
}

/// The checklist of hand-off `h` under `process` (whose role lists the e-mail
/// must reach).
pub fn handoff(h: &Handoff, process: &Process) -> Vec<Entry> {
    let entry = |item, state, pos| Entry { item, state, pos };
    let mut out = vec![
        entry(Item::Tag, done(written(&h.tag)), h.tag.pos),
        entry(
            Item::GreenCi,
            done(h.ci.status.value == CiStatus::Passing),
            h.ci.status.pos,
        ),
        entry(
            Item::TestPlan,
            done(addressed(&h.test_plan)),
            h.test_plan.pos,
        ),
    ];
    let sec = &h.security;
    if sec.required.value {
        out.push(entry(
            Item::SecurityDoc,
            done(sec.doc.as_ref().is_some_and(addressed)),
            sec.pos,
        ));
        out.push(entry(
            Item::SecuritySignoff,
            done(sec.signed_off_by.as_ref().is_some_and(written)),
            sec.pos,
        ));
    } else {
        out.push(entry(Item::SecurityReview, State::NotNeeded, sec.pos));
    }
    out.push(entry(
        Item::DeployBugs,
        if h.deploy_bugs.is_empty() {
            State::NotNeeded
        } else {
            State::Done
        },
        h.deploy_bugs.pos,
    ));
    let list = |role: &str| process.role_list(role);
    match &h.notification {
        Some(n) => {
            out.push(entry(
                Item::EmailToTest,
                done(names(&n.to, list("test"))),
                n.to.pos,
            ));
            out.push(entry(
                Item::EmailCcOps,
                done(names(&n.cc, list("ops"))),
                n.cc.pos,
            ));
        }
        // With `notify.mail`, trainyard sends it to the role lists on merge.
        None => {
            for item in [Item::EmailToTest, Item::EmailCcOps] {
                out.push(entry(item, done(process.notify.mail), Pos::FILE));
            }
        }
    }
    out.push(entry(Item::Staging, State::Done, h.staging.pos));
    // The version's further items: given when written and not empty (`yes`
    // for a yes item). A missing one points at `checklist`, or at line 1.
    let map_pos = h.checklist.as_ref().map_or(Pos::FILE, |c| c.pos);
    for (i, extra) in process.checklist.iter().enumerate() {
        let value = h.checklist.as_ref().and_then(|c| c.value.get(&extra.id));
        let given = value.is_some_and(|v| match extra.kind {
            crate::model::process::ItemKind::Yes => v.value == ChecklistValue::Flag(true),
            _ => v.value.is_given() && !matches!(v.value, ChecklistValue::Flag(_)),
        });
        out.push(entry(
            Item::Extra(i as u16),
            done(given),
            value.map_or(map_pos, |v| v.pos),
        ));
    }
    out
}

/// The criteria of sign-off `s`: each result passed, and the load test
/// signed off by Ops when one is required.
pub fn signoff(s: &Signoff, process: &Process) -> Vec<Entry> {
    let passed = |v: &Spanned<PassFail>| done(v.value == PassFail::Pass);
    let lt = &s.load_test;
    let map_pos = s.criteria.as_ref().map_or(Pos::FILE, |c| c.pos);
    let extra = process.criteria.iter().enumerate().map(|(i, c)| {
        let value = s.criteria.as_ref().and_then(|m| m.value.get(&c.id));
        Entry {
            item: Item::Criterion(i as u16),
            state: done(value.is_some_and(|v| v.value == PassFail::Pass)),
            pos: value.map_or(map_pos, |v| v.pos),
        }
    });
    let mut out = vec![
        Entry {
            item: Item::Regression,
            state: passed(&s.regression),
            pos: s.regression.pos,
        },
        Entry {
            item: Item::CrossEnvironment,
            state: passed(&s.cross_environment),
            pos: s.cross_environment.pos,
        },
        Entry {
            item: Item::TestPlanPassed,
            state: passed(&s.test_plan),
            pos: s.test_plan.pos,
        },
        Entry {
            item: Item::LoadTest,
            state: if lt.required.value {
                done(lt.signed_off_by.as_ref().is_some_and(written))
            } else {
                State::NotNeeded
            },
            pos: lt.pos,
        },
    ];
    out.extend(extra);
    out
}

/// The state of `item` in `list`, if it is there.
pub fn state(list: &[Entry], item: Item) -> Option<State> {
    list.iter().find(|e| e.item == item).map(|e| e.state)
}
