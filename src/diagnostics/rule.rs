//! Rule identifiers and severity levels, exactly as RULES.md names them.

use serde::Deserialize;

macro_rules! rules {
    ($($variant:ident => $id:literal, $summary:literal;)*) => {
        /// A rule of the release process. Every diagnostic carries one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule { $($variant),* }

        impl Rule {
            /// Every rule, in the order of the rule reference.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The public id, e.g. `push-window`.
            pub fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id),* }
            }

            /// One line saying when the rule fires.
            pub fn summary(self) -> &'static str {
                match self { $(Rule::$variant => $summary),* }
            }

            pub fn from_id(id: &str) -> Option<Rule> {
                match id { $($id => Some(Rule::$variant),)* _ => None }
            }
        }
    };
}

rules! {
    YamlSyntax => "yaml-syntax", "a YAML file or a question's front matter does not parse";
    Schema => "schema", "unknown field, missing required field, wrong type or enum value";
    FileName => "file-name", "unexpected file or folder, or a file name that does not follow the layout";
    TimeFormat => "time-format", "an unparsable date or time, or a local time that does not exist or is ambiguous";
    UnknownPerson => "unknown-person", "a handle that people.yaml does not list";
    WrongRole => "wrong-role", "a person in a field that needs a role they do not hold";
    BadUrl => "bad-url", "a URL that is not absolute http(s)";
    PushDay => "push-day", "a train folder date that is not the production push weekday";
    PlanningDay => "planning-day", "planned_at is not the planning date of that train";
    Freeze => "freeze", "a train's push date falls in a freeze or on a holiday";
    SkippedTrain => "skipped-train", "a skipped train holds records, or a train has no features";
    UnknownProject => "unknown-project", "a hand-off for a project that is not among the train's features";
    HandoffDeadline => "handoff-deadline", "a hand-off later than the drop-to-test deadline";
    HandoffChecklist => "handoff-checklist", "a hand-off checklist item is not met";
    HandoffMissing => "handoff-missing", "signed off while a planned feature has no hand-off";
    SignoffDeadline => "signoff-deadline", "a sign-off later than the test sign-off deadline";
    SignoffCriteria => "signoff-criteria", "a go decision while a criterion failed, or an unsigned required load test";
    PushWithoutGo => "push-without-go", "a production push without a go sign-off";
    PushWindow => "push-window", "a push outside the maintenance window";
    PushAttendance => "push-attendance", "nobody from dev, test or ops was present at the push";
    PushValidation => "push-validation", "an incomplete validation, or a rollback without a reason";
    EventOrder => "event-order", "events recorded out of order";
    FutureEvent => "future-event", "a time later than now";
    SeparationOfDuties => "separation-of-duties", "someone signs off or validates their own work, or approves their own exception";
    Exception => "exception", "an exception naming an unknown rule, with no reason, or approved by a non-approver";
    MonthlyPlanning => "monthly-planning", "a planning meeting on the wrong day or without a required role";
    Question => "question", "an answered question without its answer, or incorporated into an unknown section";
    RecordImmutable => "record-immutable", "a merged sign-off or push record was changed";
    RecordFrozen => "record-frozen", "a hand-off or staging record changed after the sign-off was merged";
    ShallowHistory => "shallow-history", "history checks were asked for but the clone is shallow";
    RecordAuthor => "record-author", "a record was added by someone who does not hold its role";
    RepositoryMissing => "repository-missing", "(warning) a project's configured repository is not a readable Git clone at that path";
    HandoffTag => "handoff-tag", "a hand-off's tag is missing from its repository, does not match tag_pattern, or is not on the branch";
    HandoffChanges => "handoff-changes", "a hand-off's tag ships nothing new, or goes backwards from what is in production";
    BugMismatch => "bug-mismatch", "(warning) a listed bug no commit names, or a commit names a bug the train does not list";
    Codeowners => "codeowners", "(warning) .github/CODEOWNERS differs from what people.yaml and process.yaml generate";
    TrainUnfinished => "train-unfinished", "a train whose push date passed more than 7 days ago has no push.yaml and is not skipped";
    Retroactive => "retroactive", "with --base: a change to process.yaml or people.yaml gives earlier trains errors they did not have";
}

impl Rule {
    /// The severity a rule has unless process.yaml says otherwise.
    pub fn default_level(self) -> Level {
        match self {
            Rule::ShallowHistory
            | Rule::Codeowners
            | Rule::RepositoryMissing
            | Rule::BugMismatch => Level::Warning,
            _ => Level::Error,
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// How a rule's diagnostics are treated (process.yaml `rules:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Off,
}
