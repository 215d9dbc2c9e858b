//! The releases index (`releases/index.html`): every train, newest first.

use super::{crumb, Page, PageData, Shared};
use crate::site::view::TrainSummary;
use serde::Serialize;

#[derive(Serialize)]
pub struct ReleasesView<'a> {
    pub trains: Vec<&'a TrainSummary>,
}

pub fn page<'a>(s: &'a Shared<'a>) -> Page<'a> {
    Page {
        path: "releases/index.html".into(),
        template: "releases.html",
        title: "Releases".into(),
        nav: "releases",
        crumbs: vec![crumb("Releases", "releases/index.html")],
        data: PageData::Releases(ReleasesView {
            trains: s.summaries.iter().rev().collect(),
        }),
    }
}
