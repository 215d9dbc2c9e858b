//! JSON Schemas (draft 2020-12) for every file kind, derived from the Rust types
//! the loader deserializes into, so the schemas cannot drift from what `check`
//! accepts. Editors use them through yaml-language-server.

use crate::model::people::PeopleFile;
use crate::model::process::ProcessFile;
use crate::model::{Handoff, Planning, Push, Question, Signoff, Staging, TrainFile};
use schemars::{schema_for, Schema};

/// (file name, what it describes, schema)
pub fn schemas() -> Vec<(&'static str, &'static str, Schema)> {
    let mut all = vec![
        (
            "process.schema.json",
            "process.yaml",
            schema_for!(ProcessFile),
        ),
        ("people.schema.json", "people.yaml", schema_for!(PeopleFile)),
        (
            "train.schema.json",
            "releases/YYYY-MM-DD/train.yaml",
            schema_for!(TrainFile),
        ),
        (
            "handoff.schema.json",
            "releases/YYYY-MM-DD/handoffs/PROJECT.yaml",
            schema_for!(Handoff),
        ),
        (
            "staging.schema.json",
            "releases/YYYY-MM-DD/staging.yaml",
            schema_for!(Staging),
        ),
        (
            "signoff.schema.json",
            "releases/YYYY-MM-DD/signoff.yaml",
            schema_for!(Signoff),
        ),
        (
            "push.schema.json",
            "releases/YYYY-MM-DD/push.yaml",
            schema_for!(Push),
        ),
        (
            "planning.schema.json",
            "planning/YYYY-MM.yaml",
            schema_for!(Planning),
        ),
        (
            "question.schema.json",
            "the front matter of questions/NNNN-slug.md",
            schema_for!(Question),
        ),
    ];
    for (name, what, schema) in &mut all {
        schema.insert(
            "$id".into(),
            format!("https://trainyard.invalid/schemas/{name}").into(),
        );
        schema.insert("title".into(), format!("trainyard: {what}").into());
    }
    all
}
