//! Reminders: for each lead time of `notify.reminders`, before each step of
//! the current and next trains that is still missing, and before the
//! monthly planning meeting (SITE.md `remind`). A reminder is due at the
//! step's deadline minus the lead; a run covering (now − since, now] sends
//! the ones due in it, so hourly runs send each reminder exactly once.

use super::{page_url, Message, Reminder};
use crate::model::notify::{Event, Lead};
use crate::model::{ReleaseRepository, Train};
use crate::schedule::time::{show, show_duration, start_of_day};
use crate::tracking::{self, Planned, Status, Step};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

/// A step still owed, when it is due and who owes it.
#[derive(Debug, Clone)]
struct Owed {
    train: NaiveDate,
    /// `handoff`, `staging`, `signoff`, `window`, `validation`, `planning`.
    step: &'static str,
    project: Option<String>,
    due: DateTime<Tz>,
    /// What is due, as people read it: "the sync-server hand-off".
    what: String,
    owners: Vec<String>,
}

/// The reminders due in (now − since, now].
pub fn due(repo: &ReleaseRepository, now: DateTime<Utc>, since: Duration) -> Vec<Message> {
    let leads = &repo.process.notify.reminders;
    if leads.is_empty() {
        return Vec::new();
    }
    let from = now - since;
    let mut out = Vec::new();
    for owed in owed(repo, now) {
        for lead in leads {
            let at = owed.due.with_timezone(&Utc) - lead.before;
            if from < at && at <= now {
                out.push(message(repo, &owed, lead));
            }
        }
    }
    out
}

fn message(repo: &ReleaseRepository, o: &Owed, lead: &Lead) -> Message {
    let names: Vec<String> = o
        .owners
        .iter()
        .map(|h| {
            super::text::field(
                repo.people
                    .get(h)
                    .map_or(h.as_str(), |p| p.name.value.as_str()),
            )
        })
        .collect();
    let who = if names.is_empty() {
        "no one holds the role".to_string()
    } else {
        names.join(", ")
    };
    let url = page_url(repo, o.train);
    let mut m = Message::new(
        Event::Reminder,
        o.train,
        o.project.as_deref(),
        "Reminder".into(),
        format!(
            "{} {} {} (in {}); owed by {who}",
            o.what,
            if o.step == "window" {
                "opens"
            } else {
                "is due"
            },
            show(&o.due),
            show_duration(lead.before)
        ),
        url,
    );
    let project = o
        .project
        .as_ref()
        .map(|p| format!(".{}", super::id_part(p)))
        .unwrap_or_default();
    m.id = format!("{}.reminder.{}{project}.{}", o.train, o.step, lead.text);
    m.reminder = Some(Reminder {
        step: o.step,
        due: o.due.to_rfc3339(),
        lead: lead.text.clone(),
        owners: o.owners.clone(),
    });
    m
}

/// The current and next trains' missing steps, and the monthly meeting.
fn owed(repo: &ReleaseRepository, now: DateTime<Utc>) -> Vec<Owed> {
    let tz = repo.process.timezone;
    let today = now.with_timezone(&tz).date_naive();
    let mut out = Vec::new();
    if let Some(current) = tracking::current_train(repo, now) {
        for train in repo.trains[current..].iter().take(2) {
            out.extend(train_steps(repo, train, now, today));
        }
    }
    out.extend(monthly(repo, now, today));
    out
}

/// `owners`, else the driver ("the reminders no one else owes").
fn or_driver(repo: &ReleaseRepository, train: &Train, owners: Vec<String>) -> Vec<String> {
    if !owners.is_empty() {
        return owners;
    }
    repo.driver_for(train.date)
        .map(|p| vec![p.handle.value.clone()])
        .unwrap_or_default()
}

fn train_steps(
    repo: &ReleaseRepository,
    train: &Train,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Vec<Owed> {
    if train.is_skipped() {
        return Vec::new();
    }
    let tz = repo.process_for(train.date).timezone;
    let tracked = tracking::track(repo, train, now);
    let missing = |step: Step| {
        tracked
            .milestone(step)
            .filter(|m| matches!(m.status, Status::Due | Status::Overdue))
    };
    let owed = |step: &'static str, project: Option<String>, due, what: String, owners| Owed {
        train: train.date,
        step,
        project,
        due,
        what,
        owners,
    };
    let mut out = Vec::new();
    if let Some(Planned::Deadline { at, .. }) = missing(Step::Handoff).map(|m| &m.planned) {
        for (project, owner) in tracking::missing_handoffs(train) {
            let owners = match owner {
                Some(o) => vec![o.to_string()],
                None => tracking::on_duty(repo, "dev", today),
            };
            out.push(owed(
                "handoff",
                Some(project.to_string()),
                *at,
                format!("the {} hand-off", super::text::field(project)),
                or_driver(repo, train, owners),
            ));
        }
    }
    if let Some(Planned::Day(d)) = missing(Step::Staging).map(|m| &m.planned) {
        out.push(owed(
            "staging",
            None,
            start_of_day(tz, *d),
            format!("the {} train's push to staging", train.date),
            or_driver(repo, train, tracking::on_duty(repo, "ops", today)),
        ));
    }
    if let Some(Planned::Deadline { at, .. }) = missing(Step::Signoff).map(|m| &m.planned) {
        out.push(owed(
            "signoff",
            None,
            *at,
            format!("Test's sign-off of the {} train", train.date),
            or_driver(repo, train, tracking::on_duty(repo, "test", today)),
        ));
    }
    if let Some(Planned::Window { start, end }) = tracked.milestone(Step::Push).map(|m| &m.planned)
    {
        if missing(Step::Push).is_some() {
            let mut owners: Vec<String> = repo
                .driver_for(train.date)
                .map(|p| p.handle.value.clone())
                .into_iter()
                .collect();
            for role in ["test", "ops"] {
                for h in tracking::on_duty(repo, role, today) {
                    if !owners.contains(&h) {
                        owners.push(h);
                    }
                }
            }
            out.push(owed(
                "window",
                None,
                *start,
                format!("the {} train's production window", train.date),
                owners,
            ));
        }
        let finished = train
            .push
            .as_ref()
            .is_some_and(|p| p.data.finished_at.value.get().is_some());
        if finished && missing(Step::Validation).is_some() {
            out.push(owed(
                "validation",
                None,
                *end,
                format!("the validation of the {} train's push", train.date),
                or_driver(repo, train, tracking::on_duty(repo, "test", today)),
            ));
        }
    }
    out
}

/// This month's and next month's planning meetings, while not recorded.
fn monthly(repo: &ReleaseRepository, now: DateTime<Utc>, today: NaiveDate) -> Vec<Owed> {
    let mut out = Vec::new();
    let (y, m) = (today.year(), today.month());
    let next = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    for (y, m) in [(y, m), next] {
        let recorded = repo.planning.iter().any(|p| p.month == Some((y, m)));
        let Some(Ok(meeting)) = crate::schedule::monthly_meeting(&repo.process, y, m) else {
            continue;
        };
        if recorded || meeting.start.with_timezone(&Utc) < now - Duration::days(1) {
            continue;
        }
        let mut owners = Vec::new();
        for role in &repo.process.monthly.requires {
            for h in tracking::on_duty(repo, role, today) {
                if !owners.contains(&h) {
                    owners.push(h);
                }
            }
        }
        out.push(Owed {
            train: meeting.start.date_naive(),
            step: "planning",
            project: None,
            due: meeting.start,
            what: format!("the monthly planning meeting for {y}-{m:02}"),
            owners,
        });
    }
    out
}
