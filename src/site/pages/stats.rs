//! Delivery statistics (`stats/index.html`): see [`crate::site::stats`].

use super::{crumb, Page, PageData, Shared};

pub fn page<'a>(s: &Shared<'a>) -> Page<'a> {
    Page {
        path: "stats/index.html".into(),
        template: "stats.html",
        title: "Delivery statistics".into(),
        nav: "stats",
        crumbs: vec![crumb("Stats", "stats/index.html")],
        source: Some("process.yaml".into()),
        data: PageData::Stats(crate::site::stats::stats(s.repo, &s.tracked, &s.opts.ships)),
    }
}
