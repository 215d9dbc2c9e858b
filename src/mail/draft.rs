//! What each kind of message says (SITE.md's table): its sender, subject,
//! opening line, rows and recipients, from the records.

use super::address::{mailbox_of, Recipients};
use super::body::{
    display_name, link, none_if_empty, one_line, record_link, row, show_time, text, Part, Row,
    Section,
};
use super::{Inputs, Kind};
use crate::diagnostics::Diagnostic;
use crate::diagnostics::Rule;
use crate::model::{
    Bug, CiStatus, Decision, Environment, Handoff, Outcome, PassFail, Push, Record, RecordTime,
    ReleaseRepository, Signoff, Spanned, Staging,
};
use crate::repositories::{bug_number, RangeProblem, Shipment};
use lettre::message::Mailbox;

/// A message before its addresses are checked and its body rendered.
pub(super) struct Draft<'a> {
    /// `None` when the sender cannot send (the problem is reported).
    pub from: Option<Mailbox>,
    pub subject: String,
    pub intro: String,
    pub rows: Vec<Row>,
    pub sections: Vec<Section>,
    pub recipients: Recipients<'a>,
}

/// The draft of `i.kind`, or `None` when its record is gone (the caller
/// found it with [`super::source`], so only a changed repository gets here).
pub(super) fn draft<'a>(i: &Inputs<'a>, problems: &mut Vec<Diagnostic>) -> Option<Draft<'a>> {
    let train = i.train;
    let mut d = match i.kind {
        Kind::Handoff(project) => {
            let h = train
                .handoffs
                .iter()
                .find(|h| &h.data.project.value == project)?;
            handoff(i, project, h, problems)
        }
        Kind::StagingNotice => {
            let s = train.staging.as_ref()?;
            staging_notice(i, s, problems)?
        }
        Kind::Signoff => signoff(i, train.signoff.as_ref()?, problems),
        Kind::Validation => validation(i, train.push.as_ref()?, problems)?,
    };
    d.rows.retain(|r| !r.parts.is_empty());
    Some(d)
}

/// The sender, or `None` with the reason in `problems`.
fn sender(
    repo: &ReleaseRepository,
    file: &str,
    handle: &Spanned<String>,
    problems: &mut Vec<Diagnostic>,
) -> Option<Mailbox> {
    mailbox_of(repo, file, handle)
        .map_err(|d| problems.push(d))
        .ok()
}

/// `2026-11-25 15:20 PST by Tess Lindqvist`
fn when_by(repo: &ReleaseRepository, at: &RecordTime, by: &str) -> Part {
    text(format!("{} by {}", show_time(at), display_name(repo, by)))
}

/// Bugs as the records list them, each linked to the tracker when it can be.
fn bug_parts(repo: &ReleaseRepository, bugs: &[Spanned<Bug>]) -> Vec<Part> {
    let tracker = &repo.process.bugs;
    bugs.iter()
        .map(|b| {
            let label = b.value.to_string();
            match bug_number(&b.value, &tracker.pattern).and_then(|n| tracker.link(n)) {
                Some(url) => link(label, &url),
                None => text(label),
            }
        })
        .collect()
}

fn handoff<'a>(
    i: &Inputs<'a>,
    project: &str,
    h: &'a Record<Handoff>,
    problems: &mut Vec<Diagnostic>,
) -> Draft<'a> {
    let (repo, train) = (i.repo, i.train);
    let id = train.id();
    let d = &h.data;
    let features: Vec<_> = train
        .train
        .iter()
        .flat_map(|t| t.data.features.iter())
        .filter(|f| f.project.value == project)
        .collect();
    let listed: Vec<Spanned<Bug>> = features
        .iter()
        .flat_map(|f| f.bugs.iter().cloned())
        .collect();
    let tracker = &repo.process.bugs;
    let numbers: Vec<u64> = listed
        .iter()
        .filter_map(|b| bug_number(&b.value, &tracker.pattern))
        .collect();

    let security = &d.security.value;
    let mut security_parts = vec![text(if security.required.value {
        "required"
    } else {
        "not required"
    })];
    if let Some(doc) = &security.doc {
        security_parts.push(record_link("review", &doc.value));
    }
    if let Some(by) = &security.signed_off_by {
        security_parts.push(text(format!(
            "signed off by {}",
            display_name(repo, &by.value)
        )));
    }
    let ci = &d.ci.value;
    let status = match ci.status.value {
        CiStatus::Passing => "passing",
        CiStatus::Failing => "failing",
        CiStatus::Unknown => "unknown",
    };
    let staging = &d.staging.value;
    let mut rows = vec![
        row("Project", vec![text(project)]),
        row("Tag", vec![text(d.tag.value.as_str())]),
        row("CI", vec![record_link(status, &ci.url.value)]),
        row(
            "Test plan",
            vec![record_link(d.test_plan.value.text(), &d.test_plan.value)],
        ),
        row("Security", security_parts),
        row(
            "Deploy bugs",
            none_if_empty(bug_parts(repo, &d.deploy_bugs.value)),
        ),
        row("Bugs", none_if_empty(bug_parts(repo, &listed))),
    ];
    if let Some(url) = tracker.list_link(&numbers) {
        rows.push(row("Bug list", vec![link(url.as_str(), &url)]));
    }
    rows.push(row(
        "Staging",
        vec![record_link(staging.url.value.text(), &staging.url.value)],
    ));
    rows.push(row("Database", vec![text(staging.database.value.as_str())]));
    // The further items of the train's version of the process.
    for extra in &repo.process_for(i.train.date).checklist {
        let value = d.checklist.as_ref().and_then(|c| c.value.get(&extra.id));
        let part = match value {
            None => text("missing"),
            Some(v) if extra.kind == crate::model::process::ItemKind::Url => {
                link(v.value.text(), v.value.text().trim())
            }
            Some(v) => text(v.value.text()),
        };
        rows.push(row(one_line(&extra.title), vec![part]));
    }
    for f in &features {
        rows.push(row("Feature", vec![text(f.summary.value.as_str())]));
        if let Some(dep) = &f.client_dependency {
            rows.push(row("Client", vec![text(dep.value.as_str())]));
        }
    }
    // Without a `notification` (trainyard sends it, `notify.mail`): the
    // test list, cc the ops list.
    let (to, cc) = match &d.notification {
        Some(n) => (n.value.to.value.to_vec(), n.value.cc.value.to_vec()),
        None => {
            let list = |role: &str| -> Vec<Spanned<String>> {
                repo.process_for(i.train.date)
                    .role_list(role)
                    .map(str::to_string)
                    .map(|l| Spanned::new(l, crate::model::Pos::FILE))
                    .into_iter()
                    .collect()
            };
            (list("test"), list("ops"))
        }
    };
    Draft {
        from: sender(repo, &h.path, &d.by, problems),
        subject: format!("[release {id}] Hand-off: {project} {}", d.tag.value),
        intro: one_line(&format!(
            "{project} {} is handed to Test for the {id} train.",
            d.tag.value
        )),
        rows,
        sections: i.ships.map(shipped).into_iter().collect(),
        recipients: Recipients::Listed {
            file: &h.path,
            to,
            cc,
        },
    }
}

/// The commits a hand-off ships, as a section.
fn shipped(s: &Shipment) -> Section {
    let range = |from: &str| format!("{from}..{}", s.tag.value);
    let title = match (&s.from, &s.range_problem) {
        (Some(from), None) => format!("What ships: {} ({} commits)", range(from), s.commits.len()),
        (Some(from), Some(RangeProblem::NothingNew)) => {
            format!("What ships: nothing new in {}", range(from))
        }
        (Some(from), Some(RangeProblem::Backwards | RangeProblem::Unrelated)) => {
            format!(
                "What ships: {} goes backwards or shares no history",
                range(from)
            )
        }
        (_, Some(RangeProblem::Shallow)) => {
            "What ships: not listed (the clone's history is shallow)".to_string()
        }
        (_, Some(RangeProblem::BadTag)) => {
            format!(
                "What ships: not listed ({} is not a release tag of the branch)",
                s.tag.value
            )
        }
        (_, Some(RangeProblem::FromMissing(from))) => {
            format!("What ships: not listed ({from} is not in the clone)")
        }
        _ => format!(
            "What ships: unknown (no earlier successful train or baseline for {})",
            s.project
        ),
    };
    Section {
        title,
        items: s
            .commits
            .iter()
            .map(|c| {
                text(format!(
                    "{} {} ({})",
                    &c.id[..c.id.len().min(10)],
                    c.subject,
                    c.author
                ))
            })
            .collect(),
    }
}

fn staging_notice<'a>(
    i: &Inputs<'a>,
    s: &'a Record<Staging>,
    problems: &mut Vec<Diagnostic>,
) -> Option<Draft<'a>> {
    let repo = i.repo;
    let id = i.train.id();
    // The notice whose send time the source names.
    let n = s.data.notices.get(i.source.notice?)?;
    let rows = vec![
        row("Notice", vec![text(n.summary.value.as_str())]),
        row("When", vec![text(show_time(&n.at.value))]),
        row("Who", vec![text(display_name(repo, &n.by.value))]),
        row(
            "Staging push",
            vec![when_by(
                repo,
                &s.data.pushed_at.value,
                &s.data.pushed_by.value,
            )],
        ),
    ];
    Some(Draft {
        from: sender(repo, &s.path, &n.by, problems),
        subject: format!("[release {id}] Staging notice: {}", n.summary.value),
        intro: one_line(&format!("Staging for the {id} train: {}", n.summary.value)),
        rows,
        sections: Vec::new(),
        recipients: Recipients::Lists { cc_ops: false },
    })
}

fn signoff<'a>(
    i: &Inputs<'a>,
    s: &'a Record<Signoff>,
    problems: &mut Vec<Diagnostic>,
) -> Draft<'a> {
    let repo = i.repo;
    let id = i.train.id();
    let d = &s.data;
    let decision = match d.decision.value {
        Decision::Go => "go",
        Decision::NoGo => "no-go",
    };
    let pass_fail = |p: PassFail| match p {
        PassFail::Pass => "pass",
        PassFail::Fail => "fail",
    };
    let load = &d.load_test.value;
    let mut load_parts = vec![text(if load.required.value {
        "required"
    } else {
        "not required"
    })];
    if let Some(by) = &load.signed_off_by {
        load_parts.push(text(format!(
            "signed off by {}",
            display_name(repo, &by.value)
        )));
    }
    if let Some(env) = &load.environment {
        load_parts.push(text(match env.value {
            Environment::Stage => "on stage",
            Environment::Production => "in production",
        }));
    }
    let mut rows = vec![
        row("Decision", vec![text(decision)]),
        row("Regression", vec![text(pass_fail(d.regression.value))]),
        row(
            "Cross-environment",
            vec![text(pass_fail(d.cross_environment.value))],
        ),
        row("Test plan", vec![text(pass_fail(d.test_plan.value))]),
        row("Load test", load_parts),
    ];
    // The further criteria of the train's version of the process.
    for c in &repo.process_for(i.train.date).criteria {
        let result = d.criteria.as_ref().and_then(|m| m.value.get(&c.id));
        rows.push(row(
            one_line(&c.title),
            vec![text(result.map_or("not recorded", |r| pass_fail(r.value)))],
        ));
    }
    rows.push(row(
        "Signed off",
        vec![when_by(repo, &d.at.value, &d.by.value)],
    ));
    if let Some(r) = &d.results {
        rows.push(row("Results", vec![record_link(r.value.text(), &r.value)]));
    }
    Draft {
        from: sender(repo, &s.path, &d.by, problems),
        subject: format!("[release {id}] Test sign-off: {decision}"),
        intro: format!("Test's sign-off of the {id} train: {decision}."),
        rows,
        sections: Vec::new(),
        recipients: Recipients::Lists { cc_ops: false },
    }
}

fn validation<'a>(
    i: &Inputs<'a>,
    p: &'a Record<Push>,
    problems: &mut Vec<Diagnostic>,
) -> Option<Draft<'a>> {
    let repo = i.repo;
    let id = i.train.id();
    let v = p.data.validation.as_ref()?;
    let from = match &v.by {
        Some(by) => sender(repo, &p.path, by, problems),
        None => {
            problems.push(
                Diagnostic::new(
                    Rule::PushValidation,
                    &p.path,
                    v.pos,
                    "the validation names no `by`",
                )
                .help("add `by:` with the tester who validated the push"),
            );
            None
        }
    };
    let outcome = match v.outcome.as_ref().map(|o| o.value) {
        Some(Outcome::Success) => "success",
        Some(Outcome::RolledBack) => "rolled back",
        None => "unknown",
    };
    let present = &p.data.present.value;
    let names = |list: &[Spanned<String>]| {
        list.iter()
            .map(|h| display_name(repo, &h.value))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut rows = vec![row("Outcome", vec![text(outcome)])];
    if let Some(r) = &v.rollback_reason {
        rows.push(row("Rollback reason", vec![text(r.value.as_str())]));
    }
    rows.extend([
        row(
            "Push started",
            vec![text(show_time(&p.data.started_at.value))],
        ),
        row(
            "Push finished",
            vec![text(show_time(&p.data.finished_at.value))],
        ),
        row(
            "Pushed by",
            vec![text(display_name(repo, &p.data.pushed_by.value))],
        ),
        row("Dev present", vec![text(names(&present.dev))]),
        row("Test present", vec![text(names(&present.test))]),
        row("Ops present", vec![text(names(&present.ops))]),
    ]);
    if let (Some(by), Some(at)) = (&v.by, &v.at) {
        rows.push(row("Validated", vec![when_by(repo, &at.value, &by.value)]));
    }
    Some(Draft {
        from,
        subject: format!("[release {id}] Production push: {outcome}"),
        intro: format!("The {id} train's production push: {outcome}."),
        rows,
        sections: Vec::new(),
        recipients: Recipients::Lists { cc_ops: true },
    })
}
