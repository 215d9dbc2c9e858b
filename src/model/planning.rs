//! planning/YYYY-MM.yaml and questions/NNNN-slug.md.

use super::{RecordDate, Spanned};
use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Planning {
    pub date: Spanned<RecordDate>,
    pub attendees: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    pub trains: Vec<Spanned<RecordDate>>,
    #[serde(default)]
    pub notes: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum QuestionStatus {
    Open,
    Answered,
    Incorporated,
}

impl QuestionStatus {
    /// As written in the front matter: `open`, `answered`, `incorporated`.
    pub fn key(self) -> &'static str {
        match self {
            QuestionStatus::Open => "open",
            QuestionStatus::Answered => "answered",
            QuestionStatus::Incorporated => "incorporated",
        }
    }
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub title: Spanned<String>,
    pub asked_by: Spanned<String>,
    pub asked_at: Spanned<RecordDate>,
    pub status: Spanned<QuestionStatus>,
    #[serde(default)]
    pub answer: Option<Spanned<String>>,
    #[serde(default)]
    pub answered_by: Option<Spanned<String>>,
    #[serde(default)]
    pub answered_at: Option<Spanned<RecordDate>>,
    #[serde(default)]
    pub incorporated_in: Option<Spanned<String>>,
}

/// The sections of the process page a question can be incorporated into.
pub const PROCESS_SECTIONS: &[&str] = &[
    "schedule",
    "monthly",
    "handoff",
    "signoff",
    "push",
    "questions",
];
