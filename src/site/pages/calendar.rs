//! The calendar: a page per month with events (`calendar/YYYY-MM/`), and
//! `calendar/` showing this month (or the nearest month with events).

use super::{crumb, Page, PageData, Shared};
use crate::site::calendar::{self, MonthNav, MonthView};
use chrono::Datelike;
use serde::Serialize;

#[derive(Serialize)]
pub struct CalendarPage<'a> {
    pub month: Option<MonthView>,
    pub nav: MonthNav<'a>,
    /// Whether this is `calendar/index.html`.
    pub index: bool,
}

/// The path of month `i` of `s.months`.
pub fn month_path(s: &Shared<'_>, i: usize) -> String {
    let (y, m) = s.months[i];
    calendar::month_href(&calendar::month_id(y, m))
}

/// Month `i` of `s.months` as a grid, linked to the months before and after.
fn month_view(s: &Shared<'_>, i: usize) -> MonthView {
    let months = &s.months;
    let (y, m) = months[i];
    let prev = i
        .checked_sub(1)
        .map(|p| calendar::month_id(months[p].0, months[p].1));
    let next = months.get(i + 1).map(|(y, m)| calendar::month_id(*y, *m));
    calendar::month(
        y,
        m,
        &s.events,
        &s.repo.process.freezes,
        s.today,
        prev,
        next,
    )
}

/// The page of month `i`, at `path`.
pub fn month_page<'a>(s: &'a Shared<'a>, i: usize, path: String) -> Page<'a> {
    let mv = month_view(s, i);
    Page {
        crumbs: vec![
            crumb("Calendar", "calendar/index.html"),
            crumb(mv.title.clone(), path.clone()),
        ],
        path,
        template: "calendar.html",
        title: mv.title.clone(),
        nav: "calendar",
        source: Some("process.yaml".into()),
        data: PageData::Calendar(CalendarPage {
            nav: s.month_nav(s.months[i].0),
            month: Some(mv),
            index: false,
        }),
    }
}

/// `calendar/index.html`: this month, or the nearest month with events.
pub fn index_page<'a>(s: &'a Shared<'a>) -> Page<'a> {
    let months = &s.months;
    let this_month = (s.today.year(), s.today.month());
    let shown = months
        .iter()
        .position(|m| *m == this_month)
        .or_else(|| months.iter().position(|m| *m > this_month))
        .or_else(|| months.len().checked_sub(1));
    Page {
        path: "calendar/index.html".into(),
        template: "calendar.html",
        title: "Calendar".into(),
        nav: "calendar",
        crumbs: vec![crumb("Calendar", "calendar/index.html")],
        source: Some("process.yaml".into()),
        data: PageData::Calendar(CalendarPage {
            nav: s.month_nav(shown.map_or(s.today.year(), |i| months[i].0)),
            month: shown.map(|i| month_view(s, i)),
            index: true,
        }),
    }
}
