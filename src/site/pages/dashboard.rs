//! The dashboard (`index.html`): the current train, the latest ones, and the
//! repository's open questions and problems.

use super::{Page, PageData, Shared};
use crate::model::QuestionStatus;
use crate::schedule::time::show_date;
use crate::site::view::{ReleaseView, TrainSummary};
use crate::tracking;
use serde::Serialize;

#[derive(Serialize)]
pub struct DashboardView<'a> {
    /// The page's heading: this week's train, the next one, or the last one
    /// when none is planned after it (an old history).
    pub heading: String,
    /// The current train (the first not skipped whose push day has not
    /// passed; else the last), with its neighbours.
    pub current: Option<Current<'a>>,
    pub open_questions: usize,
    /// Trains whose push day has come, newest first (at most 8).
    pub recent: Vec<&'a TrainSummary>,
    pub errors: usize,
    pub warnings: usize,
}

#[derive(Serialize)]
pub struct Current<'a> {
    pub train: ReleaseView<'a>,
    pub prev: Option<&'a TrainSummary>,
    pub next: Option<&'a TrainSummary>,
}

pub fn page<'a>(s: &'a Shared<'a>) -> Page<'a> {
    let repo = s.repo;
    let index = tracking::current_train(repo, s.opts.now);
    let source = index
        .map(|i| &repo.trains[i])
        .filter(|t| t.has_train_file)
        .map(|t| t.train_path());
    let current = index.map(|i| Current {
        train: s.viewer.release(&repo.trains[i], &s.tracked[i]),
        prev: i.checked_sub(1).map(|p| &s.summaries[p]),
        next: s.summaries.get(i + 1),
    });
    let heading = match index.map(|i| repo.trains[i].date) {
        Some(d) if d < s.today => format!(
            "The last train, pushed on {}: no train is planned after it",
            show_date(d)
        ),
        Some(d) if d >= s.today + chrono::Duration::days(7) => {
            format!("The next train, pushing on {}", show_date(d))
        }
        Some(_) => "Where this week's train stands".to_string(),
        None => "No trains yet".to_string(),
    };
    let open_questions = repo
        .questions
        .iter()
        .filter(|q| q.doc.data.status.value == QuestionStatus::Open)
        .count();
    let recent = repo
        .trains
        .iter()
        .zip(&s.summaries)
        .rev()
        .filter(|(t, _)| t.date <= s.today)
        .map(|(_, summary)| summary)
        .take(8)
        .collect();
    Page {
        path: "index.html".into(),
        template: "index.html",
        title: "Dashboard".into(),
        nav: "dashboard",
        crumbs: vec![],
        source,
        data: PageData::Dashboard(Box::new(DashboardView {
            heading,
            current,
            open_questions,
            recent,
            errors: s.report.errors(),
            warnings: s.report.warnings(),
        })),
    }
}
