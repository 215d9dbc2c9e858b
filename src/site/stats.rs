//! Delivery statistics drawn as SVG: deployment frequency, on-time rate per
//! milestone, change-failure (rollback) rate, and lead time from hand-off to production.

use super::svg::{bar_chart, Bar};
use crate::model::Repository;
use crate::tracking::{State, Status, Step, Tracked};
use chrono::Datelike;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct Stat {
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatsView {
    pub headline: Vec<Stat>,
    pub deployments_svg: String,
    pub ontime_svg: String,
    pub rollback_svg: String,
    pub lead_time_svg: String,
    /// DORA lead time for changes (commit to production), when service
    /// repositories are configured and some train shipped listed commits.
    pub change_lead_time_svg: Option<String>,
}

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
    repo: &Repository,
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
    repo: &Repository,
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
    let months: Vec<_> = per_month.iter().rev().take(24).rev().collect();
    let max = months.iter().map(|(_, (n, _))| *n).max().unwrap_or(1) as f64;
    let deployments: Vec<Bar> = months
        .iter()
        .map(|((y, m), (n, rb))| Bar {
            label: format!("{y}-{m:02}"),
            value: f64::from(*n),
            text: if *rb > 0 {
                format!("{n} ({rb} rolled back)")
            } else {
                n.to_string()
            },
            alert: *rb > 0,
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
        let rate = if done.is_empty() {
            0.0
        } else {
            on_time as f64 * 100.0 / done.len() as f64
        };
        ontime.push(Bar {
            label: step.name().to_string(),
            value: rate,
            text: format!("{rate:.0}% of {}", done.len()),
            alert: rate < 90.0 && !done.is_empty(),
        });
    }

    // Change-failure rate per month.
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
    let rollbacks: Vec<Bar> = months
        .iter()
        .map(|((y, m), (n, rb))| {
            let r = if *n == 0 {
                0.0
            } else {
                f64::from(*rb) * 100.0 / f64::from(*n)
            };
            Bar {
                label: format!("{y}-{m:02}"),
                value: r,
                text: format!("{r:.0}%"),
                alert: *rb > 0,
            }
        })
        .collect();

    // Lead time of the last 26 trains that reached production.
    let leads: Vec<(String, f64)> = repo
        .trains
        .iter()
        .zip(tracked)
        .filter_map(|(train, t)| {
            t.lead_time()
                .map(|d| (train.id(), d.num_minutes() as f64 / 60.0))
        })
        .collect();
    let recent: Vec<_> = leads.iter().rev().take(26).rev().collect();
    let max_lead = recent.iter().map(|(_, h)| *h).fold(1.0, f64::max);
    let lead_bars: Vec<Bar> = recent
        .iter()
        .map(|(id, h)| Bar {
            label: id[5..].to_string(),
            value: *h,
            text: format!("{:.0} h", h),
            alert: false,
        })
        .collect();
    let median_lead = median(&mut leads.iter().map(|(_, h)| *h).collect::<Vec<_>>());
    let change_leads = change_lead_times(repo, tracked, ships);
    let median_change_lead = median(&mut change_leads.iter().map(|(_, h)| *h).collect::<Vec<_>>());
    let recent_changes: Vec<_> = change_leads.iter().rev().take(26).rev().collect();
    let max_change = recent_changes.iter().map(|(_, h)| *h).fold(1.0, f64::max);
    let change_bars: Vec<Bar> = recent_changes
        .iter()
        .map(|(id, h)| Bar {
            label: id[5..].to_string(),
            value: *h,
            text: format!("{:.0} h", h),
            alert: false,
        })
        .collect();
    let pushes: u32 = per_month.values().map(|(n, _)| *n).sum();
    StatsView {
        headline: vec![
            Stat {
                label: "Production pushes".into(),
                value: pushes.to_string(),
            },
            Stat {
                label: "Pushes per month".into(),
                value: if per_month.is_empty() {
                    "0".into()
                } else {
                    format!("{:.1}", f64::from(pushes) / per_month.len() as f64)
                },
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
        .collect(),
        deployments_svg: bar_chart(
            "deployments",
            "Production pushes per month",
            &deployments,
            max,
        ),
        ontime_svg: bar_chart("ontime", "On-time rate per milestone (%)", &ontime, 100.0),
        rollback_svg: bar_chart(
            "rollbacks",
            "Rollback rate per month (%)",
            &rollbacks,
            100.0,
        ),
        lead_time_svg: bar_chart(
            "leadtime",
            "Lead time from the last hand-off to production (hours)",
            &lead_bars,
            max_lead,
        ),
        change_lead_time_svg: (!change_bars.is_empty()).then(|| {
            bar_chart(
                "changelead",
                "Lead time for changes, median per train from commit to production (hours)",
                &change_bars,
                max_change,
            )
        }),
    }
}
