//! A release page (`releases/ID/index.html`): one train, every record, what
//! ships and where it stands.

use super::{crumb, Page, PageData, Shared};
use crate::site::view::{ReleaseView, TrainSummary};
use serde::Serialize;

#[derive(Serialize)]
pub struct ReleasePage<'a> {
    pub release: Box<ReleaseView<'a>>,
    pub prev: Option<&'a TrainSummary>,
    pub next: Option<&'a TrainSummary>,
}

/// The page of train `i`, at `path`.
pub fn page<'a>(s: &'a Shared<'a>, i: usize, path: String) -> Page<'a> {
    let t = &s.repo.trains[i];
    let id = t.id();
    Page {
        crumbs: vec![
            crumb("Releases", "releases/index.html"),
            crumb(id.clone(), path.clone()),
        ],
        path,
        template: "release.html",
        title: format!("Release {id}"),
        nav: "releases",
        data: PageData::Release(ReleasePage {
            release: Box::new(s.viewer.release(t, &s.tracked[i])),
            prev: i.checked_sub(1).map(|p| &s.summaries[p]),
            next: s.summaries.get(i + 1),
        }),
    }
}
