//! The process page (`process/index.html`), generated from process.yaml and
//! people.yaml: the weekly sequence, the monthly meeting, each checklist with
//! the rule that enforces it, the e-mails, roles and every rule's severity.

use super::questions::QuestionView;
use super::{crumb, Page, PageData, Shared};
use crate::diagnostics::{Level, Rule};
use crate::mail::Described;
use crate::schedule::time::show_date;
use serde::Serialize;

#[derive(Serialize)]
pub struct ProcessView<'a> {
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

fn item(item: impl Into<String>, rule: &'static str) -> Item {
    Item {
        item: item.into(),
        rule,
    }
}

pub fn view<'a>(s: &Shared<'a>, open_questions: Vec<QuestionView<'a>>) -> ProcessView<'a> {
    let repo = s.repo;
    let p = &repo.process;
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
    let list = |role: &str| {
        p.roles
            .get(role)
            .and_then(|r| r.list.clone())
            .unwrap_or_default()
    };
    let (test_list, ops_list) = (list("test"), list("ops"));
    ProcessView {
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
        handoff: vec![
            item("A tag with the changes", "handoff-checklist"),
            item("Green CI for the project", "handoff-checklist"),
            item("A test plan for the changes", "bad-url"),
            item("Security documentation and Security sign-off, when the change needs them", "handoff-checklist"),
            item("Deploy bugs for Ops, with any special instructions", "schema"),
            item(format!("An e-mail to {test_list}, cc {ops_list}, with the bug list, test plan, staging environment and database"), "handoff-checklist"),
            item(format!("Handed off by {} {} (end of business) in {}", day(p.drop_to_test.weekday), hm(&p.drop_to_test.by.value), p.timezone.name()), "handoff-deadline"),
            item("Staging stays stable during testing; otherwise Test is notified (a staging notice)", "event-order"),
        ],
        signoff: vec![
            item("QA regression tests pass", "signoff-criteria"),
            item("Cross-environment tests pass", "signoff-criteria"),
            item("The test plan passes", "signoff-criteria"),
            item("Service Ops signs off any load test that is needed", "signoff-criteria"),
            item(format!("Results e-mailed to {test_list}"), "event-order"),
            item(format!("Signed off by {} {}", day(p.test_signoff.weekday), hm(&p.test_signoff.by.value)), "signoff-deadline"),
        ],
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
    Page {
        path: "process/index.html".into(),
        template: "process.html",
        title: "The release process".into(),
        nav: "process",
        crumbs: vec![crumb("Process", "process/index.html")],
        source: Some("process.yaml".into()),
        data: PageData::Process(Box::new(view(s, open_questions))),
    }
}
