//! History pages: the commits that touched a release's folder
//! (`releases/ID/history/`), and those behind every other page
//! (`history/GROUP/`), from the Git history.

use super::{crumb, Page, PageData, Shared};
use crate::site::view::{self, CommitView};
use serde::Serialize;

#[derive(Serialize)]
pub struct HistoryPage<'a> {
    pub heading: String,
    /// What the commits touched, e.g. `releases/2026-11-30/`.
    pub scope: String,
    /// The page whose history this is, and its name.
    pub href: String,
    pub back: String,
    pub commits: Vec<&'a CommitView>,
}

/// History pages besides the releases': (folder, the page whose history it
/// is, its name, what its commits touched). Each page links to one of these
/// (see [`history_page`]); the groups follow [`page_sources`].
pub const GROUPS: &[(&str, &str, &str, &str)] = &[
    (
        "site",
        "index.html",
        "release records",
        "releases/, process.yaml and planning/",
    ),
    (
        "process",
        "process/index.html",
        "process",
        "process.yaml, people.yaml and questions/",
    ),
    ("people", "people/index.html", "roster", "people.yaml"),
    (
        "questions",
        "questions/index.html",
        "questions log",
        "questions/",
    ),
];

/// The history page a page links to (none for history pages themselves).
pub fn history_page(path: &str) -> Option<String> {
    if path.starts_with("history/") || path.contains("/history/") {
        return None;
    }
    let mut parts = path.split('/');
    Some(match (parts.next(), parts.next()) {
        (Some("releases"), Some(id)) if id != "index.html" => view::train_history_href(id),
        (Some(group @ ("people" | "questions" | "process")), _) => group_href(group),
        _ => group_href("site"),
    })
}

/// The history page of a group of [`GROUPS`], by its folder.
pub fn group_href(group: &str) -> String {
    format!("history/{group}/index.html")
}

/// The sources a page is generated from, as keys of `History::commits_by_source`.
pub fn page_sources(path: &str) -> Vec<String> {
    let mut parts = path.split('/');
    match (parts.next(), parts.next()) {
        (Some("releases"), Some(id)) if id != "index.html" => vec![format!("releases/{id}")],
        (Some("people"), _) => vec!["people.yaml".into()],
        (Some("questions"), _) => vec!["questions".into()],
        (Some("process"), _) => vec![
            "process.yaml".into(),
            "people.yaml".into(),
            "questions".into(),
        ],
        _ => vec!["releases".into(), "process.yaml".into(), "planning".into()],
    }
}

/// The history of train `i`, at `path`.
pub fn release_page<'a>(s: &'a Shared<'a>, i: usize, path: String) -> Page<'a> {
    let t = &s.repo.trains[i];
    let id = t.id();
    Page {
        crumbs: vec![
            crumb("Releases", "releases/index.html"),
            crumb(id.clone(), view::train_href(&id)),
            crumb("History", path.clone()),
        ],
        path,
        template: "history.html",
        title: format!("History of release {id}"),
        nav: "releases",
        source: None,
        data: PageData::History(HistoryPage {
            heading: format!("History of release {id}"),
            scope: format!("releases/{id}/"),
            href: view::train_href(&id),
            back: format!("release {id}"),
            commits: s
                .by_source
                .get(&t.dir)
                .into_iter()
                .flatten()
                .filter_map(|&i| s.viewer.commit(i))
                .collect(),
        }),
    }
}

/// The history of group `g` of [`GROUPS`], at `path`.
pub fn group_page<'a>(s: &'a Shared<'a>, g: usize, path: String) -> Page<'a> {
    let (_, page, name, scope) = GROUPS[g];
    let mut ids: Vec<usize> = page_sources(page)
        .iter()
        .filter_map(|k| s.by_source.get(k))
        .flatten()
        .copied()
        .collect();
    ids.sort_unstable();
    ids.dedup();
    Page {
        title: format!("History of the {name}"),
        // The navigation entry of the page whose history it is.
        nav: match GROUPS[g].0 {
            "process" => "process",
            "people" => "people",
            "questions" => "questions",
            _ => "dashboard",
        },
        crumbs: vec![crumb(format!("History of the {name}"), path.clone())],
        source: None,
        data: PageData::History(HistoryPage {
            heading: format!("History of the {name}"),
            scope: scope.to_string(),
            href: page.to_string(),
            back: format!("the {name}"),
            commits: ids.iter().filter_map(|&i| s.viewer.commit(i)).collect(),
        }),
        path,
        template: "history.html",
    }
}
