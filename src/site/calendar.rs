//! The month grid: every planned milestone, meeting, freeze and holiday, beside
//! what actually happened, by day.

use super::view::{train_href, Link};
use crate::model::ReleaseRepository;
use crate::schedule::monthly_meeting;
use crate::schedule::time::show_clock;
use crate::tracking::{Planned, Status, Step, Tracked};
use chrono::{DateTime, Datelike, Duration, NaiveDate};
use chrono_tz::Tz;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct CalEvent {
    /// Sort key within the day (minutes since midnight; all-day first).
    #[serde(skip)]
    pub minute: u32,
    pub time: String,
    pub label: String,
    /// planned | done | late | overdue | meeting | holiday | freeze | skipped
    pub class: &'static str,
    pub href: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DayCell {
    pub day: u32,
    /// `Tue`, shown beside the day on a phone, where the grid's header row is not.
    pub weekday: &'static str,
    pub date: String,
    pub in_month: bool,
    pub today: bool,
    pub events: Vec<CalEvent>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MonthView {
    pub id: String,
    pub title: String,
    pub weeks: Vec<Vec<DayCell>>,
    pub prev: Option<String>,
    pub next: Option<String>,
}

fn at(minute_of: &DateTime<Tz>) -> (u32, String) {
    let t = minute_of.time();
    (
        chrono::Timelike::hour(&t) * 60 + chrono::Timelike::minute(&t),
        show_clock(minute_of),
    )
}

/// All calendar events, by local date.
pub fn events(repo: &ReleaseRepository, tracked: &[Tracked]) -> BTreeMap<NaiveDate, Vec<CalEvent>> {
    let mut by_day: BTreeMap<NaiveDate, Vec<CalEvent>> = BTreeMap::new();
    let mut add = |date: NaiveDate, e: CalEvent| by_day.entry(date).or_default().push(e);
    let tz = repo.process.timezone;
    for (train, t) in repo.trains.iter().zip(tracked) {
        let id = train.id();
        let href = Some(train_href(&id));
        if let Some(reason) = train.train.as_ref().and_then(|d| d.data.skipped.as_ref()) {
            add(
                train.date,
                CalEvent {
                    minute: 0,
                    time: String::new(),
                    label: format!("No push: {}", reason.reason.value),
                    class: "skipped",
                    href,
                },
            );
            continue;
        }
        for m in &t.milestones {
            let planned_class = if m.status == Status::Overdue {
                "overdue"
            } else {
                "planned"
            };
            let overdue = if m.status == Status::Overdue {
                " (overdue)"
            } else {
                ""
            };
            match &m.planned {
                Planned::Day(d) if m.step == Step::Planning => add(
                    *d,
                    CalEvent {
                        minute: 0,
                        time: String::new(),
                        label: format!("Planning for the {id} train"),
                        class: "planned",
                        href: href.clone(),
                    },
                ),
                Planned::Deadline {
                    at: dl,
                    moved_because,
                } => {
                    let (minute, time) = at(dl);
                    let moved = if moved_because.is_some() {
                        " (moved for a holiday)"
                    } else {
                        ""
                    };
                    add(
                        dl.date_naive(),
                        CalEvent {
                            minute,
                            time,
                            label: format!("{} due{moved}{overdue}", m.step.name()),
                            class: planned_class,
                            href: href.clone(),
                        },
                    );
                }
                Planned::Window { start, end } => {
                    let (minute, time) = at(start);
                    add(
                        start.date_naive(),
                        CalEvent {
                            minute,
                            time: format!(
                                "{:02}:{:02}–{}",
                                chrono::Timelike::hour(start),
                                chrono::Timelike::minute(start),
                                show_clock(end)
                            ),
                            label: format!("Production push window{overdue}"),
                            class: planned_class,
                            href: href.clone(),
                        },
                    );
                    let _ = time;
                }
                _ => {}
            }
            if let (
                Some(done),
                Step::Handoff | Step::Staging | Step::Signoff | Step::Push | Step::Validation,
            ) = (m.done_at, m.step)
            {
                let (minute, time) = at(&done);
                let late = m.status == Status::DoneLate;
                let what = match m.step {
                    Step::Handoff => "Handed off".to_string(),
                    Step::Staging => "Pushed to staging".to_string(),
                    Step::Signoff => format!(
                        "Signed off{}",
                        m.progress
                            .as_ref()
                            .map(|p| format!(" ({p})"))
                            .unwrap_or_default()
                    ),
                    Step::Push => "Pushed to production".to_string(),
                    _ => format!("Validated: {}", m.progress.clone().unwrap_or_default()),
                };
                let rolled_back =
                    m.step == Step::Validation && m.progress.as_deref() == Some("rolled back");
                add(
                    done.date_naive(),
                    CalEvent {
                        minute,
                        time,
                        label: if late { format!("{what} (late)") } else { what },
                        class: if late || rolled_back { "late" } else { "done" },
                        href: href.clone(),
                    },
                );
            }
        }
    }
    // The monthly meeting of every month that has a train.
    for (y, mo) in meeting_months(repo) {
        if let Some(Ok(meeting)) = monthly_meeting(&repo.process, y, mo) {
            let (minute, time) = at(&meeting.start);
            let href = repo
                .planning
                .iter()
                .any(|p| p.month == Some((y, mo)))
                .then(|| "process/index.html#monthly".to_string());
            add(
                meeting.start.date_naive(),
                CalEvent {
                    minute,
                    time,
                    label: "Monthly planning (with Security)".into(),
                    class: "meeting",
                    href,
                },
            );
        }
    }
    // Planning meetings that were held, as recorded.
    for p in &repo.planning {
        if let Some(d) = p.doc.data.date.value.get() {
            add(
                d,
                CalEvent {
                    minute: 1,
                    time: String::new(),
                    label: format!(
                        "Monthly planning held ({} attending)",
                        p.doc.data.attendees.len()
                    ),
                    class: "done",
                    href: Some("process/index.html#monthly".into()),
                },
            );
        }
    }
    for h in &repo.process.holidays {
        add(
            h.date,
            CalEvent {
                minute: 0,
                time: String::new(),
                label: format!("Holiday: {}", h.name),
                class: "holiday",
                href: None,
            },
        );
    }
    // Freezes are ranges, drawn on the days of the months shown (see [`month`]).
    let _ = tz;
    for list in by_day.values_mut() {
        list.sort_by(|a, b| a.minute.cmp(&b.minute).then_with(|| a.label.cmp(&b.label)));
    }
    by_day
}

/// The months to draw: from the first to the last event.
pub fn months(events: &BTreeMap<NaiveDate, Vec<CalEvent>>) -> Vec<(i32, u32)> {
    let mut out: Vec<(i32, u32)> = events.keys().map(|d| (d.year(), d.month())).collect();
    out.dedup();
    out
}

/// The months whose monthly meeting the calendar shows: those with a train's
/// push date, in order. Weekly trains give every month of their span; a train
/// dated far from the others adds one month, not every month in between.
pub fn meeting_months(repo: &ReleaseRepository) -> Vec<(i32, u32)> {
    let mut out: Vec<(i32, u32)> = repo
        .trains
        .iter()
        .map(|t| (t.date.year(), t.date.month()))
        .collect();
    out.dedup();
    out
}

/// A day's events, with a freeze event for each freeze that covers it,
/// sorted as [`events`] sorts them.
fn day_events(
    events: &BTreeMap<NaiveDate, Vec<CalEvent>>,
    freezes: &[crate::model::process::Freeze],
    d: NaiveDate,
) -> Vec<CalEvent> {
    let mut list = events.get(&d).cloned().unwrap_or_default();
    let before = list.len();
    list.extend(
        freezes
            .iter()
            .filter(|f| f.from <= d && d <= f.to)
            .map(|f| CalEvent {
                minute: 0,
                time: String::new(),
                label: format!("Freeze: {}", f.reason),
                class: "freeze",
                href: None,
            }),
    );
    if list.len() > before {
        list.sort_by(|a, b| a.minute.cmp(&b.minute).then_with(|| a.label.cmp(&b.label)));
    }
    list
}

/// Links from a month page to the other months of its year and to the other years.
#[derive(Debug, Serialize)]
pub struct MonthNav<'a> {
    pub year: i32,
    /// The months of `year` that have a page, labelled by name.
    pub months: &'a [Link],
    /// Every year with a page, each to its first month.
    pub years: &'a [Link],
}

/// The English name of month `m` (1–12), as chrono's `%B` writes it.
pub fn month_name(m: u32) -> &'static str {
    u8::try_from(m)
        .ok()
        .and_then(|m| chrono::Month::try_from(m).ok())
        .map_or("", |m| m.name())
}

pub fn month_id(y: i32, m: u32) -> String {
    format!("{y:04}-{m:02}")
}

/// The page of a month, by its id (`YYYY-MM`).
pub fn month_href(id: &str) -> String {
    format!("calendar/{id}/index.html")
}

/// The grid of one month, Monday first, with the freezes that cover its days.
pub fn month(
    y: i32,
    m: u32,
    events: &BTreeMap<NaiveDate, Vec<CalEvent>>,
    freezes: &[crate::model::process::Freeze],
    today: NaiveDate,
    prev: Option<String>,
    next: Option<String>,
) -> MonthView {
    let first = NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(today);
    let start = first - Duration::days(i64::from(first.weekday().num_days_from_monday()));
    let mut weeks = Vec::new();
    let mut d = start;
    loop {
        let mut week = Vec::new();
        for _ in 0..7 {
            week.push(DayCell {
                day: d.day(),
                weekday: &crate::rules::weekday_name(d.weekday())[..3],
                date: d.to_string(),
                in_month: d.month() == m,
                today: d == today,
                events: if d.month() == m {
                    day_events(events, freezes, d)
                } else {
                    Vec::new()
                },
            });
            d += Duration::days(1);
        }
        weeks.push(week);
        if d.month() != m || d.year() != y {
            break;
        }
    }
    MonthView {
        id: month_id(y, m),
        title: format!("{} {:04}", month_name(first.month()), first.year()),
        weeks,
        prev,
        next,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_names_are_chronos() {
        for m in 1..=12 {
            let first = NaiveDate::from_ymd_opt(2026, m, 1).unwrap();
            assert_eq!(month_name(m), first.format("%B").to_string());
        }
        assert_eq!(month_name(0), "");
        assert_eq!(month_name(13), "");
    }
}
