//! The records of one release train: train.yaml, hand-offs, staging, sign-off, push.

use super::{RecordDate, RecordTime, RecordUrl, Spanned};
use schemars::JsonSchema;
use serde::Deserialize;

/// A bug reference: a number or free text ("bug 1234", a tracker URL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bug {
    Number(u64),
    Text(String),
}

impl JsonSchema for Bug {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Bug".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A bug: its number, or text such as \"bug 1234\" or a tracker URL",
            "oneOf": [{ "type": "integer", "minimum": 1 }, { "type": "string" }]
        })
    }
}

/// Read directly from the scalar (an untagged enum would buffer every value).
impl<'de> Deserialize<'de> for Bug {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Bug;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a bug number or text")
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Bug, E> {
                Ok(Bug::Number(n))
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Bug, E> {
                u64::try_from(n)
                    .map(Bug::Number)
                    .map_err(|_| E::custom("a bug number must be positive"))
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Bug, E> {
                Ok(Bug::Text(s.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl std::fmt::Display for Bug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Bug::Number(n) => write!(f, "{n}"),
            Bug::Text(t) => f.write_str(t),
        }
    }
}

/// A mapping whose keys are ids the process defines (`checklist:`,
/// `criteria:`), each key and value with its position, in the order written.
#[derive(Debug, Clone)]
pub struct Entries<V>(pub Vec<(Spanned<String>, Spanned<V>)>);

impl<V> Entries<V> {
    pub fn get(&self, id: &str) -> Option<&Spanned<V>> {
        self.0.iter().find(|(k, _)| k.value == id).map(|(_, v)| v)
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Entries<V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Visit<V> {
            type Value = Entries<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a mapping of ids to values")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Entries<V>, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<Spanned<String>>()? {
                    out.push((k, map.next_value::<Spanned<V>>()?));
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(Visit(std::marker::PhantomData))
    }
}

impl<V: JsonSchema> JsonSchema for Entries<V> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Entries_{}", V::schema_name()).into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let value = generator.subschema_for::<V>();
        schemars::json_schema!({ "type": "object", "additionalProperties": value })
    }
}

/// What a hand-off writes for a further checklist item: text (a URL or
/// words) or `yes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChecklistValue {
    Text(String),
    Flag(bool),
}

impl ChecklistValue {
    /// Whether it says the item is done: a `yes`/`true`, or any text.
    pub fn is_given(&self) -> bool {
        match self {
            ChecklistValue::Flag(b) => *b,
            ChecklistValue::Text(t) => !t.trim().is_empty(),
        }
    }

    pub fn text(&self) -> &str {
        match self {
            ChecklistValue::Flag(true) => "yes",
            ChecklistValue::Flag(false) => "no",
            ChecklistValue::Text(t) => t,
        }
    }
}

impl<'de> Deserialize<'de> for ChecklistValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = ChecklistValue;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a URL, some text, or yes")
            }
            fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<ChecklistValue, E> {
                Ok(ChecklistValue::Flag(b))
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<ChecklistValue, E> {
                Ok(match s.trim() {
                    "yes" | "Yes" | "YES" => ChecklistValue::Flag(true),
                    "no" | "No" | "NO" => ChecklistValue::Flag(false),
                    _ => ChecklistValue::Text(s.to_string()),
                })
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<ChecklistValue, E> {
                Ok(ChecklistValue::Text(n.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<ChecklistValue, E> {
                Ok(ChecklistValue::Text(n.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<ChecklistValue, E> {
                Ok(ChecklistValue::Text(n.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for ChecklistValue {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ChecklistValue".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A URL, some text, or yes",
            "type": ["string", "boolean"]
        })
    }
}

/// A waiver of one rule for one file, approved by someone with an approver role.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    pub rule: Spanned<String>,
    #[serde(default)]
    pub reason: Option<Spanned<String>>,
    #[serde(default)]
    pub approved_by: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainFile {
    pub planned_at: Spanned<RecordDate>,
    #[serde(default)]
    pub announcement: Option<Spanned<Announcement>>,
    pub features: Spanned<Vec<Feature>>,
    #[serde(default)]
    pub skipped: Option<Spanned<Skipped>>,
    /// A push off the regular day (a hotfix, or a push moved off a holiday),
    /// with why and who approved it.
    #[serde(default)]
    pub out_of_cycle: Option<Spanned<OutOfCycle>>,
    #[serde(default)]
    pub exceptions: Vec<Exception>,
}

/// `out_of_cycle`: why a train pushes off the regular day, approved by
/// someone with an approver role.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutOfCycle {
    #[serde(default)]
    pub reason: Option<Spanned<String>>,
    #[serde(default)]
    pub approved_by: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Announcement {
    pub summary: Spanned<String>,
    pub called_out_by: Spanned<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Feature {
    pub project: Spanned<String>,
    pub summary: Spanned<String>,
    #[serde(default)]
    pub bugs: Vec<Spanned<Bug>>,
    #[serde(default)]
    pub client_dependency: Option<Spanned<String>>,
    /// Who owes the feature's hand-off (a handle holding dev).
    #[serde(default)]
    pub owner: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Skipped {
    pub reason: Spanned<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CiStatus {
    Passing,
    Failing,
    Unknown,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Handoff {
    pub project: Spanned<String>,
    pub by: Spanned<String>,
    pub at: Spanned<RecordTime>,
    pub tag: Spanned<String>,
    pub ci: Spanned<Ci>,
    pub test_plan: Spanned<RecordUrl>,
    pub security: Spanned<Security>,
    pub deploy_bugs: Spanned<Vec<Spanned<Bug>>>,
    pub staging: Spanned<StagingLocation>,
    /// The hand-off e-mail; optional with `notify.mail: true`, when
    /// trainyard sends it to the role lists on merge.
    #[serde(default)]
    pub notification: Option<Spanned<Notification>>,
    /// The further items the process version asks for (`handoff.checklist`).
    #[serde(default)]
    pub checklist: Option<Spanned<Entries<ChecklistValue>>>,
    #[serde(default)]
    pub exceptions: Vec<Exception>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ci {
    pub url: Spanned<RecordUrl>,
    pub status: Spanned<CiStatus>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Security {
    pub required: Spanned<bool>,
    #[serde(default)]
    pub doc: Option<Spanned<RecordUrl>>,
    #[serde(default)]
    pub signed_off_by: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StagingLocation {
    pub url: Spanned<RecordUrl>,
    pub database: Spanned<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Notification {
    /// When it was sent; optional with `notify.mail: true`.
    #[serde(default)]
    pub sent_at: Option<Spanned<RecordTime>>,
    pub to: Spanned<Vec<Spanned<String>>>,
    pub cc: Spanned<Vec<Spanned<String>>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Staging {
    pub pushed_by: Spanned<String>,
    pub pushed_at: Spanned<RecordTime>,
    /// The projects pushed to staging (default: every planned feature).
    #[serde(default)]
    pub projects: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    pub notices: Vec<Notice>,
    #[serde(default)]
    pub exceptions: Vec<Exception>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    pub at: Spanned<RecordTime>,
    pub by: Spanned<String>,
    pub summary: Spanned<String>,
    /// When Test was told; written by `trainyard mail staging-notice --send
    /// --record`, so a notice may be committed before it.
    #[serde(default)]
    pub test_notified_at: Option<Spanned<RecordTime>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    Go,
    NoGo,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PassFail {
    Pass,
    Fail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Stage,
    Production,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signoff {
    pub by: Spanned<String>,
    pub at: Spanned<RecordTime>,
    pub decision: Spanned<Decision>,
    pub regression: Spanned<PassFail>,
    pub cross_environment: Spanned<PassFail>,
    pub test_plan: Spanned<PassFail>,
    pub load_test: Spanned<LoadTest>,
    /// When the results were e-mailed; optional with `notify.mail: true`.
    #[serde(default)]
    pub notified_at: Option<Spanned<RecordTime>>,
    #[serde(default)]
    pub results: Option<Spanned<RecordUrl>>,
    /// The further criteria the process version asks for (`signoff.criteria`).
    #[serde(default)]
    pub criteria: Option<Spanned<Entries<PassFail>>>,
    #[serde(default)]
    pub exceptions: Vec<Exception>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LoadTest {
    pub required: Spanned<bool>,
    #[serde(default)]
    pub signed_off_by: Option<Spanned<String>>,
    #[serde(default)]
    pub environment: Option<Spanned<Environment>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Success,
    RolledBack,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Push {
    pub pushed_by: Spanned<String>,
    pub started_at: Spanned<RecordTime>,
    pub finished_at: Spanned<RecordTime>,
    pub present: Spanned<Present>,
    #[serde(default)]
    pub validation: Option<Spanned<Validation>>,
    #[serde(default)]
    pub exceptions: Vec<Exception>,
}

/// Who attended the push, by role. Missing roles are a `push-attendance` problem,
/// not a schema one, so every list defaults to empty.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Present {
    #[serde(default)]
    pub dev: Vec<Spanned<String>>,
    #[serde(default)]
    pub test: Vec<Spanned<String>>,
    #[serde(default)]
    pub ops: Vec<Spanned<String>>,
    #[serde(default)]
    pub security: Vec<Spanned<String>>,
}

/// Test's validation of the push. Every field is optional in the file so that a
/// partial record is reported by `push-validation`, not `schema`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Validation {
    #[serde(default)]
    pub by: Option<Spanned<String>>,
    #[serde(default)]
    pub at: Option<Spanned<RecordTime>>,
    #[serde(default)]
    pub outcome: Option<Spanned<Outcome>>,
    #[serde(default)]
    pub notified_at: Option<Spanned<RecordTime>>,
    #[serde(default)]
    pub rollback_reason: Option<Spanned<String>>,
    /// When the rollback was complete (optional; at or after `at`): stats
    /// show the time to restore from it.
    #[serde(default)]
    pub rolled_back_at: Option<Spanned<RecordTime>>,
}
