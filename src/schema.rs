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

/// The schemas for a repository whose current process is `process`: the
/// hand-off's `checklist` and the sign-off's `criteria` list that version's
/// ids (an editor then completes and checks them), and an earlier version
/// of the process has a schema of its own.
pub fn for_process(process: &crate::model::Process) -> Vec<(&'static str, &'static str, Schema)> {
    use crate::model::process::ItemKind;
    let mut all = schemas();
    all.push((
        "process-version.schema.json",
        "process/YYYY-MM-DD.yaml",
        schema_for!(crate::model::process::VersionFile),
    ));
    for (name, _, schema) in &mut all {
        let (key, props): (&str, serde_json::Map<String, serde_json::Value>) = match *name {
            "handoff.schema.json" if !process.checklist.is_empty() => (
                "checklist",
                process
                    .checklist
                    .iter()
                    .map(|i| {
                        let kind = match i.kind {
                            ItemKind::Url => {
                                serde_json::json!({ "type": "string", "format": "uri" })
                            }
                            ItemKind::Text => serde_json::json!({ "type": "string" }),
                            ItemKind::Yes => serde_json::json!({ "enum": [true, "yes"] }),
                        };
                        let mut v = kind;
                        v["description"] = i.title.clone().into();
                        (i.id.clone(), v)
                    })
                    .collect(),
            ),
            "signoff.schema.json" if !process.criteria.is_empty() => (
                "criteria",
                process
                    .criteria
                    .iter()
                    .map(|c| {
                        (
                            c.id.clone(),
                            serde_json::json!({ "enum": ["pass", "fail"], "description": c.title }),
                        )
                    })
                    .collect(),
            ),
            _ => continue,
        };
        let required: Vec<&String> = props.keys().collect();
        let value = serde_json::json!({
            "description": "The further items this version of the process asks for",
            "type": "object",
            "properties": props,
            "required": required,
            "additionalProperties": false,
        });
        if let Some(p) = schema.get_mut("properties").and_then(|p| p.as_object_mut()) {
            p.insert(key.to_string(), value);
        }
        if let Some(r) = schema.get_mut("required").and_then(|r| r.as_array_mut()) {
            r.push(key.into());
        }
    }
    all
}
