//! Delivery statistics drawn as SVG: deployment frequency, on-time rate per
//! milestone, change-failure (rollback) rate, and lead time from hand-off to production.

use super::svg::{bar_chart, Bar};
use crate::model::ReleaseRepository;
use crate::tracking::{State, Status, Step, Tracked};
use chrono::Datelike;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct Stat {
    pub label: String,
    pub value: String,
}

/// One chart: its drawing and, for screen readers and small screens, the
/// same numbers as a table.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    /// The anchor of its section.
    pub id: &'static str,
    pub heading: String,
    pub svg: String,
    /// The data table's column headings.
    pub columns: [&'static str; 2],
    pub rows: Vec<Stat>,
    /// A sentence under the chart (what is counted, what is left out).
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatsView {
    pub headline: Vec<Stat>,
    pub charts: Vec<Chart>,
}

fn chart(
    id: &'static str,
    heading: impl Into<String>,
    title: &str,
    columns: [&'static str; 2],
    bars: &[Bar],
    max: f64,
    note: Option<String>,
) -> Chart {
    Chart {
        id,
        heading: heading.into(),
        svg: bar_chart(id, title, bars, max),
        columns,
        rows: bars
            .iter()
            .map(|b| Stat {
                label: b.label.clone(),
                value: b.text.clone(),
            })
            .collect(),
        note,
    }
}

/// Months in the histories drawn; older ones are left out, and the chart says so.
const MONTHS_DRAWN: usize = 24;
/// Trains in the lead-time charts.
const TRAINS_DRAWN: usize = 26;

/// The median of `v` (the upper one of an even count), sorting it.
fn median(v: &mut [f64]) -> Option<f64> {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied()
}

/// Lead time for changes, per train that shipped successfully: the median,
/// in hours, of the time from each commit that shipped (its author time) to
/// the production push (its end, when the change was in production). Trains
/// whose range is unknown are left out.
fn change_lead_times(
    repo: &ReleaseRepository,
    tracked: &[Tracked],
    ships: &crate::repositories::Shipments,
) -> Vec<(String, f64)> {
    repo.trains
        .iter()
        .zip(tracked)
        .enumerate()
        .filter(|(_, (_, t))| t.state == State::Success)
        .filter_map(|(i, (train, t))| {
            let push = t.milestone(Step::Push)?.done_at?;
            let mut hours: Vec<f64> = ships
                .of(i)
                .iter()
                .filter(|s| s.range_problem.is_none())
                .flat_map(|s| &s.commits)
                .map(|c| (push.timestamp() - c.time.timestamp()) as f64 / 3600.0)
                .collect();
            Some((train.id(), median(&mut hours)?))
        })
        .collect()
}

pub fn stats(
    repo: &ReleaseRepository,
    tracked: &[Tracked],
    ships: &crate::repositories::Shipments,
) -> StatsView {
    // Deployments per month (pushes that happened), rollbacks highlighted.
    let mut per_month: BTreeMap<(i32, u32), (u32, u32)> = BTreeMap::new();
    for (train, t) in repo.trains.iter().zip(tracked) {
        let key = (train.date.year(), train.date.month());
        let entry = per_month.entry(key).or_default();
        if train.push.is_some() {
            entry.0 += 1;
        }
        if t.state == State::RolledBack {
            entry.1 += 1;
        }
    }
    let drawn: Vec<_> = per_month.iter().rev().take(MONTHS_DRAWN).rev().collect();
    let cut = per_month.len() > drawn.len();
    let months_note = cut.then(|| {
        format!(
            "The last {MONTHS_DRAWN} months with trains; {} earlier month{} {} in the table of every release.",
            per_month.len() - drawn.len(),
            if per_month.len() - drawn.len() == 1 { "" } else { "s" },
            if per_month.len() - drawn.len() == 1 { "is" } else { "are" },
        )
    });
    let months_heading = |what: &str| {
        if cut {
            format!("{what}, the last {MONTHS_DRAWN} months")
        } else {
            what.to_string()
        }
    };
    let max = drawn.iter().map(|(_, (n, _))| *n).max().unwrap_or(1) as f64;
    let deployments: Vec<Bar> = drawn
        .iter()
        .map(|((y, m), (n, rb))| Bar {
            label: format!("{y}-{m:02}"),
            value: Some(f64::from(*n)),
            alert: f64::from(*rb),
            text: if *rb > 0 {
                format!("{n} ({rb} rolled back)")
            } else {
                n.to_string()
            },
        })
        .collect();

    // On-time rate per milestone, among trains where that milestone was recorded.
    let mut ontime = Vec::new();
    for step in [Step::Handoff, Step::Signoff, Step::Push] {
        let done: Vec<_> = tracked
            .iter()
            .filter_map(|t| t.milestone(step))
            .filter(|m| matches!(m.status, Status::Done | Status::DoneLate))
            .collect();
        let on_time = done.iter().filter(|m| m.status == Status::Done).count();
        let rate = (!done.is_empty()).then(|| on_time as f64 * 100.0 / done.len() as f64);
        ontime.push(Bar {
            label: step.name().to_string(),
            value: rate,
            alert: rate.filter(|r| *r < 90.0).unwrap_or(0.0),
            text: match rate {
                Some(r) => format!("{r:.0}% of {}", done.len()),
                None => "n/a (none recorded)".into(),
            },
        });
    }

    // Change-failure rate per month: n/a for a month without a push.
    let validated = tracked
        .iter()
        .filter(|t| matches!(t.state, State::Success | State::RolledBack))
        .count();
    let rolled_back = tracked
        .iter()
        .filter(|t| t.state == State::RolledBack)
        .count();
    let rate = if validated == 0 {
        0.0
    } else {
        rolled_back as f64 * 100.0 / validated as f64
    };
    let rollbacks: Vec<Bar> = drawn
        .iter()
        .map(|((y, m), (n, rb))| {
            let r = (*n > 0).then(|| f64::from(*rb) * 100.0 / f64::from(*n));
            Bar {
                label: format!("{y}-{m:02}"),
                value: r,
                alert: r.unwrap_or(0.0),
                text: match r {
                    Some(r) => format!("{r:.0}% ({rb} of {n})"),
                    None => "n/a (no push)".into(),
                },
            }
        })
        .collect();

    // Lead time of the last trains that reached production.
    let leads: Vec<(String, f64)> = repo
        .trains
        .iter()
        .zip(tracked)
        .filter_map(|(train, t)| {
            t.lead_time()
                .map(|d| (train.id(), d.num_minutes() as f64 / 60.0))
        })
        .collect();
    let hour_bars = |list: &[&(String, f64)]| -> Vec<Bar> {
        list.iter()
            .map(|(id, h)| Bar {
                label: id.clone(),
                value: Some(*h),
                alert: 0.0,
                text: format!("{h:.0} h"),
            })
            .collect()
    };
    let recent: Vec<_> = leads.iter().rev().take(TRAINS_DRAWN).rev().collect();
    let max_lead = recent.iter().map(|(_, h)| *h).fold(1.0, f64::max);
    let lead_bars = hour_bars(&recent);
    let median_lead = median(&mut leads.iter().map(|(_, h)| *h).collect::<Vec<_>>());
    let change_leads = change_lead_times(repo, tracked, ships);
    let median_change_lead = median(&mut change_leads.iter().map(|(_, h)| *h).collect::<Vec<_>>());
    let recent_changes: Vec<_> = change_leads.iter().rev().take(TRAINS_DRAWN).rev().collect();
    let max_change = recent_changes.iter().map(|(_, h)| *h).fold(1.0, f64::max);
    let change_bars = hour_bars(&recent_changes);
    let pushes: u32 = per_month.values().map(|(n, _)| *n).sum();
    // Time to restore: from the push's start to the end of its rollback,
    // where the validation records when that was.
    let mut restores: Vec<f64> = repo
        .trains
        .iter()
        .filter_map(|t| {
            let p = &t.push.as_ref()?.data;
            let back = p
                .validation
                .as_ref()?
                .rolled_back_at
                .as_ref()?
                .value
                .get()?;
            let start = p.started_at.value.get()?;
            (back >= start).then(|| (back - start).num_minutes() as f64)
        })
        .collect();
    let median_restore = median(&mut restores);
    let out_of_cycle = repo
        .trains
        .iter()
        .filter(|t| t.push.is_some() && t.is_out_of_cycle())
        .count();
    let mut charts = vec![
        chart(
            "deploy",
            months_heading("Deployment frequency"),
            "Production pushes per month, the rolled-back part on top",
            ["Month", "Production pushes"],
            &deployments,
            max,
            months_note.clone(),
        ),
        chart(
            "ontime",
            "On-time rate per milestone",
            "On-time rate per milestone (%)",
            ["Milestone", "On time"],
            &ontime,
            100.0,
            None,
        ),
        chart(
            "rollback",
            months_heading("Change-failure (rollback) rate"),
            "Rollback rate per month (%)",
            ["Month", "Rolled back"],
            &rollbacks,
            100.0,
            months_note,
        ),
        chart(
            "lead",
            format!(
                "Lead time, hand-off to production, the last {} trains",
                recent.len()
            ),
            "Lead time from the last hand-off to production (hours)",
            ["Train", "Lead time"],
            &lead_bars,
            max_lead,
            None,
        ),
    ];
    if !change_bars.is_empty() {
        charts.push(chart(
            "change-lead",
            format!("Lead time for changes, commit to production, the last {} trains", recent_changes.len()),
            "Lead time for changes, median per train from commit to production (hours)",
            ["Train", "Median lead time"],
            &change_bars,
            max_change,
            Some("Each train's median time from a commit's author time to the end of the production push, over the commits its hand-offs shipped (FROM..TAG). Trains whose range is unknown, and rolled-back trains, are left out.".into()),
        ));
    }
    StatsView {
        headline: vec![
            Stat {
                label: "Production pushes".into(),
                value: if out_of_cycle > 0 {
                    format!(
                        "{pushes} ({} weekly, {out_of_cycle} out of cycle)",
                        (pushes as usize).saturating_sub(out_of_cycle)
                    )
                } else {
                    pushes.to_string()
                },
            },
            Stat {
                label: "Pushes per month".into(),
                value: per_month_rate(repo, pushes),
            },
            Stat {
                label: "Change-failure rate".into(),
                value: format!("{rate:.0}% ({rolled_back} of {validated})"),
            },
            Stat {
                label: "Median lead time, hand-off to production".into(),
                value: median_lead
                    .map(|h| format!("{h:.0} h"))
                    .unwrap_or_else(|| "–".into()),
            },
        ]
        .into_iter()
        .chain(median_change_lead.map(|h| Stat {
            label: "Median lead time for changes, commit to production".into(),
            value: format!("{h:.0} h"),
        }))
        .chain(median_restore.map(|m| Stat {
            label: "Median time to restore, push to rollback".into(),
            value: format!(
                "{} ({} of {rolled_back} rollbacks timed)",
                crate::schedule::time::show_duration(chrono::Duration::minutes(m as i64)),
                restores.len()
            ),
        }))
        .collect(),
        charts,
    }
}

/// Pushes per month over the weeks the trains span (first push date to
/// last, a week each), not per calendar month touched: a history that
/// starts or ends mid-month is not diluted by its partial months.
fn per_month_rate(repo: &ReleaseRepository, pushes: u32) -> String {
    let (Some(first), Some(last)) = (repo.trains.first(), repo.trains.last()) else {
        return "–".into();
    };
    let days = (last.date - first.date).num_days() + 7;
    let months = days as f64 / (365.25 / 12.0);
    format!("{:.1}", f64::from(pushes) / months)
}
