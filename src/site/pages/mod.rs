//! Every page of the site, one module per kind: each turns the model into a
//! typed context (`#[derive(Serialize)]`) for its template.
//!
//! | page | path | template | module |
//! | --- | --- | --- | --- |
//! | dashboard | `index.html` | `index.html` | [`dashboard`] |
//! | releases | `releases/index.html` | `releases.html` | [`releases`] |
//! | a release | `releases/ID/index.html` | `release.html` | [`release`] |
//! | a release's history | `releases/ID/history/index.html` | `history.html` | [`history`] |
//! | the other pages' history | `history/GROUP/index.html` | `history.html` | [`history`] |
//! | calendar | `calendar/index.html`, `calendar/YYYY-MM/index.html` | `calendar.html` | [`calendar`] |
//! | questions | `questions/index.html` | `questions.html` | [`questions`] |
//! | process | `process/index.html` | `process.html` | [`process`] |
//! | people | `people/index.html` | `people.html` | [`people`] |
//! | stats | `stats/index.html` | `stats.html` | [`stats`] |
//! | search | `search/index.html` | `search.html` | [`search`] |
//! | search index and scripts | `search/index.js`, `search/elasticlunr.min.js`, `search/search.js` | – | [`super::search`] |
//! | stylesheet | `style.css` | `style.css` | (the template itself) |
//! | calendar feed | `calendar.ics` | – | [`super::ics`] |
//! | Atom feed | `feed.xml` | – | [`super::feed`] |
//! | API | `api/releases.json` | – | [`super::api`] |
//!
//! Pages that exist once are made before rendering ([`Job::Ready`]); the
//! kinds with a page per train or per month are made when their turn comes
//! and dropped once rendered.

pub mod calendar;
pub mod dashboard;
pub mod history;
pub mod people;
pub mod process;
pub mod questions;
pub mod release;
pub mod releases;
pub mod search;
pub mod stats;

use super::calendar::{CalEvent, MonthNav};
use super::forge::Forge;
use super::view::{self, Link, Viewer};
use super::BuildOptions;
use crate::diagnostics::Report;
use crate::model::ReleaseRepository;
use crate::tracking::Tracked;
use ahash::AHashMap;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// The data of one page. Untagged: the template sees the context itself as
/// `page`.
#[derive(Serialize)]
#[serde(untagged)]
pub enum PageData<'a> {
    Dashboard(Box<dashboard::DashboardView<'a>>),
    Releases(releases::ReleasesView<'a>),
    Release(release::ReleasePage<'a>),
    Calendar(calendar::CalendarPage<'a>),
    History(history::HistoryPage<'a>),
    Questions(questions::QuestionsView<'a>),
    Process(Box<process::ProcessView<'a>>),
    People(people::PeopleView<'a>),
    Stats(super::stats::StatsView),
    Search(search::SearchView),
}

/// One page to render.
pub struct Page<'a> {
    pub path: String,
    pub template: &'static str,
    pub title: String,
    /// The navigation entry it highlights.
    pub nav: &'static str,
    pub crumbs: Vec<Link>,
    /// The file its "Edit" link opens in the forge (with `site.repository`).
    pub source: Option<String>,
    pub data: PageData<'a>,
}

/// A page to render: ready, or made when its turn comes (the kinds with a
/// page per train or per month, by index).
pub enum Job<'a> {
    Ready(Box<Page<'a>>),
    Release(usize),
    ReleaseHistory(usize),
    /// A history page of [`history::GROUPS`], by index.
    GroupHistory(usize),
    Month(usize),
}

impl Job<'_> {
    /// The path of the page the job makes.
    pub fn path(&self, s: &Shared<'_>) -> String {
        match self {
            Job::Ready(p) => p.path.clone(),
            Job::Release(i) => view::train_href(&s.repo.trains[*i].id()),
            Job::ReleaseHistory(i) => view::train_history_href(&s.repo.trains[*i].id()),
            Job::GroupHistory(g) => history::group_href(history::GROUPS[*g].0),
            Job::Month(i) => calendar::month_path(s, *i),
        }
    }

    /// Make the page (at `path`, from [`Job::path`]) and hand it to `f`.
    pub fn with_page<R>(&self, s: &Shared<'_>, path: String, f: impl FnOnce(&Page<'_>) -> R) -> R {
        match self {
            Job::Ready(p) => f(p),
            Job::Release(i) => f(&release::page(s, *i, path)),
            Job::ReleaseHistory(i) => f(&history::release_page(s, *i, path)),
            Job::GroupHistory(g) => f(&history::group_page(s, *g, path)),
            Job::Month(i) => f(&calendar::month_page(s, *i, path)),
        }
    }
}

/// What the pages share, made once per build.
pub struct Shared<'a> {
    pub repo: &'a ReleaseRepository,
    pub report: &'a Report,
    pub opts: &'a BuildOptions,
    pub viewer: Viewer<'a>,
    /// Where each train stands, as `repo.trains`.
    pub tracked: Vec<Tracked>,
    /// Each train's one-line summary, as `repo.trains`.
    pub summaries: Vec<view::TrainSummary>,
    pub events: BTreeMap<NaiveDate, Vec<CalEvent>>,
    /// The months with events, in order.
    pub months: Vec<(i32, u32)>,
    /// The months of each year, as links to their pages.
    pub year_months: BTreeMap<i32, Vec<Link>>,
    /// Every year, linked to its first month.
    pub years: Vec<Link>,
    /// Commits (indexes into the history) by the source they touched.
    pub by_source: AHashMap<String, Vec<usize>>,
    /// The build's "today" in the process timezone.
    pub today: NaiveDate,
    /// The release repository's forge, for edit and record links.
    pub forge: Option<Forge<'a>>,
}

impl Shared<'_> {
    /// The calendar navigation for a month page of `year`.
    pub fn month_nav(&self, year: i32) -> MonthNav<'_> {
        MonthNav {
            year,
            months: self.year_months.get(&year).map_or(&[][..], Vec::as_slice),
            years: &self.years,
        }
    }

    /// The forge's editor for `path`, with `site.repository` set.
    pub fn edit_href(&self, path: &str) -> Option<String> {
        self.forge.as_ref().map(|f| f.edit(path))
    }

    /// The newest commit among a page's sources, for its footer.
    pub fn last_changed(&self, path: &str) -> Option<&view::CommitView> {
        let i = history::page_sources(path)
            .iter()
            .filter_map(|k| self.by_source.get(k)?.first())
            .min()
            .copied()?;
        self.viewer.commit(i)
    }
}

pub fn crumb(label: impl Into<String>, href: impl Into<String>) -> Link {
    Link {
        label: label.into(),
        href: href.into(),
    }
}

/// Every page of the site, in the order they are listed for the writer.
pub fn jobs<'a>(s: &'a Shared<'a>) -> Vec<Job<'a>> {
    let trains = s.repo.trains.len();
    let mut jobs = vec![
        Job::Ready(Box::new(dashboard::page(s))),
        Job::Ready(Box::new(releases::page(s))),
    ];
    jobs.extend((0..trains).map(Job::Release));
    if s.opts.history.is_some() {
        jobs.extend((0..trains).map(Job::ReleaseHistory));
        // The other pages' histories, one per group of sources.
        jobs.extend((0..history::GROUPS.len()).map(Job::GroupHistory));
    }
    jobs.extend((0..s.months.len()).map(Job::Month));
    jobs.push(Job::Ready(Box::new(calendar::index_page(s))));
    let questions = questions::view(s);
    let open = questions.open.clone();
    jobs.push(Job::Ready(Box::new(questions::page(questions))));
    jobs.push(Job::Ready(Box::new(process::page(s, open))));
    jobs.extend(
        process::version_pages(s)
            .into_iter()
            .map(|p| Job::Ready(Box::new(p))),
    );
    jobs.push(Job::Ready(Box::new(people::page(s))));
    jobs.push(Job::Ready(Box::new(stats::page(s))));
    jobs.push(Job::Ready(Box::new(search::page())));
    jobs
}
