//! The releases index (`releases/index.html`): every train, newest first.

use super::{crumb, Page, PageData, Shared};
use crate::scaffold;
use crate::schedule::milestone_date;
use crate::site::view::TrainSummary;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Serialize)]
pub struct ReleasesView<'a> {
    pub trains: Vec<&'a TrainSummary>,
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
            trains: s.summaries.iter().rev().collect(),
            plan_next: s
                .forge
                .as_ref()
                .map(|f| f.new_file(&scaffold::train(s.repo, next_push_day(s)))),
        }),
    }
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
