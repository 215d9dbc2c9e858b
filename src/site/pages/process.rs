//! The process page (`process/index.html`), generated from process.yaml and
//! people.yaml: the weekly sequence, the monthly meeting, each checklist with
//! the rule that enforces it, the e-mails, roles and every rule's severity.

use super::questions::QuestionView;
use super::{crumb, Page, PageData, Shared};
use crate::diagnostics::{Level, Rule};
use crate::mail::Described;
use crate::model::Process;
use crate::schedule::time::show_date;
use serde::Serialize;

#[derive(Serialize)]
pub struct ProcessView<'a> {
    /// Which version this page shows, when the process has changed.
    pub version: Option<VersionView>,
    /// How the process changed, newest first (the current page only).
    pub history: Vec<VersionView>,
    pub timezone: &'a str,
    /// End of business, `17:00`.
    pub eob: String,
    pub weekly: Vec<WeeklyStep>,
    pub monthly: Monthly,
    pub handoff: Vec<Item>,
    pub signoff: Vec<Item>,
    pub push: Vec<Item>,
    pub roles: Vec<RoleSummary<'a>>,
    pub approvers: Vec<&'a str>,
    pub freezes: Vec<FreezeView<'a>>,
    pub holidays: Vec<HolidayView<'a>>,
    pub rules: Vec<RuleView>,
    pub messages: Vec<Described>,
    pub open_questions: Vec<QuestionView<'a>>,
}

#[derive(Serialize)]
pub struct WeeklyStep {
    pub step: &'static str,
    pub when: String,
    pub owner: String,
}

#[derive(Serialize)]
pub struct Monthly {
    pub when: String,
    pub requires: Vec<String>,
}

/// A checklist item and the rule that checks it.
#[derive(Serialize)]
pub struct Item {
    pub item: String,
    pub rule: &'static str,
}

#[derive(Serialize)]
pub struct RoleSummary<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub list: Option<&'a str>,
    pub people: Vec<&'a str>,
}

#[derive(Serialize)]
pub struct FreezeView<'a> {
    pub from: String,
    pub to: String,
    pub reason: &'a str,
}

#[derive(Serialize)]
pub struct HolidayView<'a> {
    pub date: String,
    pub name: &'a str,
}

#[derive(Serialize)]
pub struct RuleView {
    pub id: &'static str,
    pub summary: &'static str,
    pub level: &'static str,
}

/// One version of the process: when it applied, why it changed, and what
/// changed from the version before, as readable lines.
#[derive(Serialize, Clone)]
pub struct VersionView {
    /// `2026-08-31 – 2026-10-04`, or `from 2026-10-05`.
    pub dates: String,
    pub current: bool,
    /// Its page.
    pub href: String,
    /// The file it is kept in.
    pub file: String,
    pub summary: Option<String>,
    pub questions: Vec<QuestionLink>,
    /// `Production push: Monday 15:00–17:00 → Tuesday 15:00–17:00`.
    pub changes: Vec<String>,
}

#[derive(Serialize, Clone)]
pub struct QuestionLink {
    pub label: String,
    pub href: String,
}

/// The page of the version kept in `file` (`process/index.html` for
/// process.yaml's).
pub fn version_href(file: &str) -> String {
    match file
        .strip_prefix("process/")
        .and_then(|f| f.strip_suffix(".yaml"))
    {
        Some(date) => format!("process/{date}/index.html"),
        None => "process/index.html".to_string(),
    }
}

/// What a version sets, as (setting, value) lines people compare.
fn settings(p: &Process) -> Vec<(&'static str, String)> {
    let hm = |t: &chrono::NaiveTime| t.format("%H:%M").to_string();
    let day = crate::rules::weekday_name;
    let mut rules: Vec<String> = p
        .rules
        .iter()
        .map(|(r, l)| {
            format!(
                "{} {}",
                r.id(),
                match l {
                    Level::Error => "error",
                    Level::Warning => "warning",
                    Level::Off => "off",
                }
            )
        })
        .collect();
    rules.sort();
    let or_none = |v: Vec<String>| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    vec![
        ("Timezone", p.timezone.name().to_string()),
        ("End of business", hm(&p.end_of_business)),
        ("Planning meeting", day(p.planning).to_string()),
        (
            "Drop to Test",
            format!(
                "{} by {}",
                day(p.drop_to_test.weekday),
                hm(&p.drop_to_test.by.value)
            ),
        ),
        ("Test starts", day(p.test_start).to_string()),
        (
            "Test sign-off",
            format!(
                "{} by {}",
                day(p.test_signoff.weekday),
                hm(&p.test_signoff.by.value)
            ),
        ),
        (
            "Production push",
            format!(
                "{} {}–{}",
                day(p.production_push.weekday),
                hm(&p.production_push.start.value),
                hm(&p.production_push.end.value)
            ),
        ),
        (
            "Monthly planning",
            format!(
                "ordinal {} {} {} for {} min, requires {}",
                p.monthly.ordinal,
                day(p.monthly.weekday),
                hm(&p.monthly.time.value),
                p.monthly.minutes,
                or_none(p.monthly.requires.clone())
            ),
        ),
        ("Exception approvers", or_none(p.approvers.clone())),
        (
            "Freezes",
            or_none(
                p.freezes
                    .iter()
                    .map(|f| format!("{} to {}", f.from, f.to))
                    .collect(),
            ),
        ),
        (
            "Holidays",
            or_none(p.holidays.iter().map(|h| h.date.to_string()).collect()),
        ),
        ("Rule severities", or_none(rules)),
        (
            "Further hand-off items",
            or_none(p.checklist.iter().map(|i| i.title.clone()).collect()),
        ),
        (
            "Further sign-off criteria",
            or_none(p.criteria.iter().map(|c| c.title.clone()).collect()),
        ),
    ]
}

/// Every version, newest first, each with what changed from the one before.
pub fn history(s: &Shared<'_>) -> Vec<VersionView> {
    let repo = s.repo;
    if repo.earlier.is_empty() {
        return Vec::new();
    }
    let versions: Vec<(&str, &Process)> = repo.versions().collect();
    let mut out = Vec::new();
    for (i, (file, p)) in versions.iter().enumerate() {
        let next = versions.get(i + 1).and_then(|(_, n)| n.since);
        let since = p.since.map(|d| d.to_string()).unwrap_or_default();
        let dates = match next.and_then(|n| n.pred_opt()) {
            Some(until) => format!("{since} – {until}"),
            None => format!("from {since}"),
        };
        let changes = match i.checked_sub(1).map(|j| versions[j].1) {
            None => Vec::new(),
            Some(before) => settings(before)
                .into_iter()
                .zip(settings(p))
                .filter(|((_, a), (_, b))| a != b)
                .map(|((label, a), (_, b))| format!("{label}: {a} → {b}"))
                .collect(),
        };
        let change = p.change.as_ref();
        out.push(VersionView {
            dates,
            current: i + 1 == versions.len(),
            href: version_href(file),
            file: file.to_string(),
            summary: change.map(|c| c.summary.clone()).filter(|s| !s.is_empty()),
            questions: change
                .map(|c| {
                    c.questions
                        .iter()
                        .map(|n| QuestionLink {
                            label: match repo.questions.iter().find(|q| q.number == *n) {
                                Some(q) => format!("{n:04}. {}", q.doc.data.title.value),
                                None => format!("{n:04}"),
                            },
                            href: format!("questions/index.html#q{n:04}"),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            changes,
        });
    }
    out.reverse();
    out
}

fn item(item: impl Into<String>, rule: &'static str) -> Item {
    Item {
        item: item.into(),
        rule,
    }
}

pub fn view<'a>(
    s: &Shared<'a>,
    p: &'a Process,
    open_questions: Vec<QuestionView<'a>>,
) -> ProcessView<'a> {
    let repo = s.repo;
    let hm = |t: &chrono::NaiveTime| t.format("%H:%M").to_string();
    let day = crate::rules::weekday_name;
    let step = |step, when: String, role| WeeklyStep {
        step,
        when,
        owner: p.role_title(role).to_string(),
    };
    let window = format!(
        "{} {}–{}",
        day(p.production_push.weekday),
        hm(&p.production_push.start.value),
        hm(&p.production_push.end.value)
    );
    let drop_by = format!(
        "{} by {}",
        day(p.drop_to_test.weekday),
        hm(&p.drop_to_test.by.value)
    );
    let signoff_by = format!(
        "{} by {}",
        day(p.test_signoff.weekday),
        hm(&p.test_signoff.by.value)
    );
    let weekly = vec![
        step(
            "Planning meeting: the week's features are chosen; Ops calls out public announcements",
            day(p.planning).to_string(),
            "dev",
        ),
        step(
            "Drop to Test: each deliverable handed off with its checklist",
            drop_by,
            "dev",
        ),
        step(
            "Push to staging",
            format!("before {}", day(p.test_start)),
            "ops",
        ),
        step("Test starts", day(p.test_start).to_string(), "test"),
        step("Test sign-off", signoff_by, "test"),
        step("Production push in the maintenance window", window, "ops"),
        step(
            "Validation in production: success or rollback, e-mailed to the test list",
            "right after the push".to_string(),
            "test",
        ),
    ];
    let ordinal = match p.monthly.ordinal {
        -1 => "last".to_string(),
        1 => "first".into(),
        2 => "second".into(),
        3 => "third".into(),
        4 => "fourth".into(),
        n => format!("{n}th"),
    };
    let list = |role: &str| p.role_list(role).map(str::to_string).unwrap_or_default();
    let (test_list, ops_list) = (list("test"), list("ops"));
    ProcessView {
        version: None,
        history: Vec::new(),
        timezone: p.timezone.name(),
        eob: hm(&p.end_of_business),
        weekly,
        monthly: Monthly {
            when: format!(
                "the {ordinal} {} of each month at {} for {} minutes",
                day(p.monthly.weekday),
                hm(&p.monthly.time.value),
                p.monthly.minutes
            ),
            requires: p
                .monthly
                .requires
                .iter()
                .map(|r| p.role_title(r).to_string())
                .collect(),
        },
        handoff: {
            let mut list = vec![
            item("A tag with the changes", "handoff-checklist"),
            item("Green CI for the project", "handoff-checklist"),
            item("A test plan for the changes", "bad-url"),
            item("Security documentation and Security sign-off, when the change needs them", "handoff-checklist"),
            item("Deploy bugs for Ops, with any special instructions", "schema"),
            item(format!("An e-mail to {test_list}, cc {ops_list}, with the bug list, test plan, staging environment and database"), "handoff-checklist"),
            item(format!("Handed off by {} {} (end of business) in {}", day(p.drop_to_test.weekday), hm(&p.drop_to_test.by.value), p.timezone.name()), "handoff-deadline"),
            item("Staging stays stable during testing; otherwise Test is notified (a staging notice)", "event-order"),
            ];
            list.extend(p.checklist.iter().map(|x| {
                let kind = match x.kind {
                    crate::model::process::ItemKind::Url => "a web address",
                    crate::model::process::ItemKind::Text => "text",
                    crate::model::process::ItemKind::Yes => "yes",
                };
                item(format!("{} (checklist: {}, {kind})", x.title, x.id), "handoff-checklist")
            }));
            list
        },
        signoff: {
            let mut list = vec![
            item("QA regression tests pass", "signoff-criteria"),
            item("Cross-environment tests pass", "signoff-criteria"),
            item("The test plan passes", "signoff-criteria"),
            item("Service Ops signs off any load test that is needed", "signoff-criteria"),
            item(format!("Results e-mailed to {test_list}"), "event-order"),
            item(format!("Signed off by {} {}", day(p.test_signoff.weekday), hm(&p.test_signoff.by.value)), "signoff-deadline"),
            ];
            list.extend(p.criteria.iter().map(|c| {
                item(format!("{} passes (criteria: {})", c.title, c.id), "signoff-criteria")
            }));
            list
        },
        push: vec![
            item("Only after a go sign-off", "push-without-go"),
            item(format!("Inside the maintenance window, {} {}–{} {} time (PST or PDT)", day(p.production_push.weekday), hm(&p.production_push.start.value), hm(&p.production_push.end.value), p.timezone.name()), "push-window"),
            item("The pertinent dev, test and ops people are present", "push-attendance"),
            item(format!("Test validates in production and e-mails {test_list}: success or rollback, with the reason"), "push-validation"),
        ],
        roles: p
            .roles
            .iter()
            .map(|(id, r)| RoleSummary {
                id,
                title: &r.title,
                list: r.list.as_deref(),
                people: repo.people.with_role(id, crate::model::On::Day(s.today)).map(|x| x.name.value.as_str()).collect(),
            })
            .collect(),
        approvers: p.approvers.iter().map(|r| p.role_title(r)).collect(),
        freezes: p
            .freezes
            .iter()
            .map(|f| FreezeView {
                from: f.from.to_string(),
                to: f.to.to_string(),
                reason: &f.reason,
            })
            .collect(),
        holidays: p
            .holidays
            .iter()
            .map(|h| HolidayView {
                date: show_date(h.date),
                name: &h.name,
            })
            .collect(),
        rules: Rule::ALL
            .iter()
            .map(|r| RuleView {
                id: r.id(),
                summary: r.summary(),
                level: match p.level(*r) {
                    Level::Error => "error",
                    Level::Warning => "warning",
                    Level::Off => "off",
                },
            })
            .collect(),
        messages: crate::mail::catalogue(p),
        open_questions,
    }
}

pub fn page<'a>(s: &Shared<'a>, open_questions: Vec<QuestionView<'a>>) -> Page<'a> {
    let mut v = view(s, &s.repo.process, open_questions);
    v.history = history(s);
    v.version = v.history.first().cloned();
    Page {
        path: "process/index.html".into(),
        template: "process.html",
        title: "The release process".into(),
        nav: "process",
        crumbs: vec![crumb("Process", "process/index.html")],
        source: Some("process.yaml".into()),
        data: PageData::Process(Box::new(v)),
    }
}

/// The page of each earlier version, `process/YYYY-MM-DD/index.html`.
pub fn version_pages<'a>(s: &'a Shared<'a>) -> Vec<Page<'a>> {
    let history = history(s);
    s.repo
        .earlier
        .iter()
        .map(|v| {
            let path = version_href(&v.path);
            let mut view = view(s, &v.process, Vec::new());
            view.version = history.iter().find(|h| h.file == v.path).cloned();
            let date = v.process.since.map(|d| d.to_string()).unwrap_or_default();
            Page {
                crumbs: vec![
                    crumb("Process", "process/index.html"),
                    crumb(format!("Version of {date}"), path.clone()),
                ],
                path,
                template: "process.html",
                title: format!("The release process from {date}"),
                nav: "process",
                source: Some(v.path.clone()),
                data: PageData::Process(Box::new(view)),
            }
        })
        .collect()
}
