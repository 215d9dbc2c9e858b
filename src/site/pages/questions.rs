//! The questions log (`questions/index.html`): open questions with their
//! age, then answered, then incorporated into the process.

use super::{crumb, Page, PageData, Shared};
use crate::model::{QuestionRecord, QuestionStatus};
use crate::scaffold;
use crate::site::markdown;
use serde::Serialize;

#[derive(Serialize)]
pub struct QuestionsView<'a> {
    /// "Ask a question": the next question file, prefilled (with
    /// `site.repository`).
    pub ask: Option<String>,
    pub open: Vec<QuestionView<'a>>,
    pub answered: Vec<QuestionView<'a>>,
    pub incorporated: Vec<QuestionView<'a>>,
}

#[derive(Clone, Serialize)]
pub struct QuestionView<'a> {
    /// `0007`
    pub number: String,
    /// `q0007`, the question's anchor on the page.
    pub anchor: String,
    pub title: &'a str,
    pub asked_by: String,
    pub asked_at: &'a str,
    /// Days since it was asked, when `asked_at` is a date.
    pub age_days: Option<i64>,
    pub answer: Option<&'a str>,
    pub answered_by: Option<String>,
    pub answered_at: Option<&'a str>,
    /// The process section it was incorporated into.
    pub section: Option<&'a str>,
    pub body_html: String,
    /// The forge's editor for the question's file.
    pub edit_href: Option<String>,
}

fn question<'a>(s: &Shared<'a>, q: &'a QuestionRecord) -> QuestionView<'a> {
    let d = &q.doc.data;
    let asked = d.asked_at.value.get();
    QuestionView {
        number: format!("{:04}", q.number),
        anchor: format!("q{:04}", q.number),
        title: &d.title.value,
        asked_by: s.viewer.name(&d.asked_by.value),
        asked_at: d.asked_at.value.text(),
        age_days: asked.map(|a| (s.today - a).num_days()),
        answer: d.answer.as_ref().map(|a| a.value.as_str()),
        answered_by: d.answered_by.as_ref().map(|a| s.viewer.name(&a.value)),
        answered_at: d.answered_at.as_ref().map(|a| a.value.text()),
        section: d.incorporated_in.as_ref().map(|s| s.value.as_str()),
        body_html: markdown::render_with(
            &q.body,
            &format!("q{:04}-", q.number),
            Some(&s.repo.process.bugs),
        ),
        edit_href: s.edit_href(&q.doc.path),
    }
}

/// Every question, by status.
pub fn view<'a>(s: &Shared<'a>) -> QuestionsView<'a> {
    let by_status = |status: QuestionStatus| {
        s.repo
            .questions
            .iter()
            .filter(|q| q.doc.data.status.value == status)
            .map(|q| question(s, q))
            .collect::<Vec<_>>()
    };
    QuestionsView {
        ask: s
            .forge
            .as_ref()
            .map(|f| f.new_file(&scaffold::question(s.repo, None, s.opts.now))),
        open: by_status(QuestionStatus::Open),
        answered: by_status(QuestionStatus::Answered),
        incorporated: by_status(QuestionStatus::Incorporated),
    }
}

pub fn page(view: QuestionsView<'_>) -> Page<'_> {
    Page {
        path: "questions/index.html".into(),
        template: "questions.html",
        title: "Open questions".into(),
        nav: "questions",
        crumbs: vec![crumb("Questions", "questions/index.html")],
        source: None,
        data: PageData::Questions(view),
    }
}
