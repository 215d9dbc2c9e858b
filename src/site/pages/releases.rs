//! The releases index (`releases/index.html`): every train, newest first.

use super::{crumb, Page, PageData, Shared};
use crate::scaffold;
use crate::schedule::milestone_date;
use crate::site::view::TrainSummary;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

#[derive(Serialize)]
pub struct ReleasesView<'a> {
    /// Newest year first, each with its trains newest first.
    pub years: Vec<Year<'a>>,
    /// "Plan the next train": a new train.yaml for the push day after the
    /// last train (with `site.repository`).
    pub plan_next: Option<String>,
}

pub fn page<'a>(s: &'a Shared<'a>) -> Page<'a> {
    Page {
        path: "releases/index.html".into(),
        template: "releases.html",
        title: "Releases".into(),
        nav: "releases",
        crumbs: vec![crumb("Releases", "releases/index.html")],
        source: None,
        data: PageData::Releases(ReleasesView {
            years: by_year(s),
            plan_next: s
                .forge
                .as_ref()
                .map(|f| f.new_file(&scaffold::train(s.repo, next_push_day(s)))),
        }),
    }
}

/// One year of trains, a table of its own with an anchor (`#y2026`).
#[derive(Serialize)]
pub struct Year<'a> {
    pub year: i32,
    pub trains: Vec<&'a TrainSummary>,
}

fn by_year<'a>(s: &'a Shared<'a>) -> Vec<Year<'a>> {
    let mut years: Vec<Year<'a>> = Vec::new();
    for (t, summary) in s.repo.trains.iter().zip(&s.summaries).rev() {
        let year = t.date.year();
        match years.last_mut() {
            Some(y) if y.year == year => y.trains.push(summary),
            _ => years.push(Year {
                year,
                trains: vec![summary],
            }),
        }
    }
    years
}

/// The push day a week after the last train (or after today), as `trainyard
/// new train` picks it.
fn next_push_day(s: &Shared<'_>) -> NaiveDate {
    let after = s.repo.trains.last().map_or(s.today, |t| t.date);
    milestone_date(
        after + chrono::Duration::days(7),
        s.repo.process.production_push.weekday,
    )
}
