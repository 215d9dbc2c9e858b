//! The search page (`search/index.html`); the index is [`crate::site::search`].

use super::{crumb, Page, PageData};
use serde::Serialize;

/// The page itself holds nothing: its script reads the index beside it.
#[derive(Serialize)]
pub struct SearchView {}

pub fn page<'a>() -> Page<'a> {
    Page {
        path: "search/index.html".into(),
        template: "search.html",
        title: "Search".into(),
        nav: "search",
        crumbs: vec![crumb("Search", "search/index.html")],
        source: None,
        data: PageData::Search(SearchView {}),
    }
}
