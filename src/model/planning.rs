//! planning/YYYY-MM.yaml and questions/NNNN-slug.md.

use super::Sp;
use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Planning {
    pub date: Sp<String>,
    pub attendees: Sp<Vec<Sp<String>>>,
    #[serde(default)]
    pub trains: Vec<Sp<String>>,
    #[serde(default)]
    pub notes: Option<Sp<String>>,
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
    pub title: Sp<String>,
    pub asked_by: Sp<String>,
    pub asked_at: Sp<String>,
    pub status: Sp<QuestionStatus>,
    #[serde(default)]
    pub answer: Option<Sp<String>>,
    #[serde(default)]
    pub answered_by: Option<Sp<String>>,
    #[serde(default)]
    pub answered_at: Option<Sp<String>>,
    #[serde(default)]
    pub incorporated_in: Option<Sp<String>>,
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
