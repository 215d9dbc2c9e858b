//! process.yaml: the process itself. Every key is optional; a key left out keeps
//! the default described in FORMAT.md (the weekly Services process).
//!
//! [`ProcessFile`] is what the file says; [`Process`] is the resolved process
//! with every default filled in, which the rest of the program uses.

use super::{Pos, Spanned};
use crate::diagnostics::{Level, Rule};
use chrono::{NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A weekday as written in process.yaml (`monday` … `sunday`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Day {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl From<Day> for Weekday {
    fn from(d: Day) -> Weekday {
        match d {
            Day::Monday => Weekday::Mon,
            Day::Tuesday => Weekday::Tue,
            Day::Wednesday => Weekday::Wed,
            Day::Thursday => Weekday::Thu,
            Day::Friday => Weekday::Fri,
            Day::Saturday => Weekday::Sat,
            Day::Sunday => Weekday::Sun,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ProcessFile {
    /// The first push date this version of the process applies to (required
    /// once `process/` holds an earlier version).
    pub since: Option<Spanned<String>>,
    /// Why this version differs from the one before (the process page).
    pub change: Option<ChangeFile>,
    pub name: Option<Spanned<String>>,
    pub timezone: Option<Spanned<String>>,
    pub end_of_business: Option<Spanned<String>>,
    pub schedule: ScheduleFile,
    pub monthly_planning: MonthlyFile,
    pub roles: BTreeMap<String, RoleFile>,
    pub exceptions: ExceptionPolicyFile,
    pub freezes: Option<Vec<FreezeFile>>,
    pub holidays: Option<Vec<HolidayFile>>,
    pub rules: BTreeMap<String, Spanned<Level>>,
    /// Items every hand-off carries beyond the built-in checklist.
    pub handoff: HandoffPolicyFile,
    /// Criteria every sign-off judges beyond the built-in ones.
    pub signoff: SignoffPolicyFile,
    /// The service repositories behind the hand-offs, by project.
    pub projects: BTreeMap<String, ProjectFile>,
    pub bugs: BugsFile,
    pub site: SiteFile,
    pub mail: MailFile,
    /// Who drives each train, in turn.
    pub rotation: Option<RotationFile>,
    /// The chat rooms, webhooks and e-mails the process's events and reminders go to.
    pub notify: Option<super::notify::NotifyFile>,
}

/// `rotation`: the release drivers, in turn, one train a week.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RotationFile {
    /// The role a driver holds.
    pub role: Spanned<String>,
    /// Handles, in turn.
    pub order: Spanned<Vec<Spanned<String>>>,
    /// The first push date on or after it is the first of `order`'s turns.
    pub from: Spanned<String>,
}

/// The rotation, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Rotation {
    pub role: String,
    pub order: Vec<String>,
    pub from: NaiveDate,
}

/// `change`: why a version of the process differs from the one before.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeFile {
    pub summary: Spanned<String>,
    /// The questions (by number) this change incorporates.
    #[serde(default)]
    pub questions: Vec<Spanned<u32>>,
}

/// An earlier version of the process, `process/YYYY-MM-DD.yaml`: the
/// process keys only (the tool keys live in process.yaml alone).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct VersionFile {
    /// If present, the file's own date.
    pub since: Option<Spanned<String>>,
    pub change: Option<ChangeFile>,
    pub timezone: Option<Spanned<String>>,
    pub end_of_business: Option<Spanned<String>>,
    pub schedule: ScheduleFile,
    pub monthly_planning: MonthlyFile,
    pub exceptions: ExceptionPolicyFile,
    pub freezes: Option<Vec<FreezeFile>>,
    pub holidays: Option<Vec<HolidayFile>>,
    pub rules: BTreeMap<String, Spanned<Level>>,
    pub handoff: HandoffPolicyFile,
    pub signoff: SignoffPolicyFile,
}

/// `handoff`: the hand-off checklist's further items.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct HandoffPolicyFile {
    pub checklist: Vec<ChecklistItemFile>,
}

/// One further item of the hand-off checklist.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItemFile {
    /// How hand-offs name it under `checklist:` (a slug).
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    /// What a hand-off writes for it: a `url`, some `text`, or `yes`.
    pub kind: Spanned<ItemKind>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    Url,
    Text,
    Yes,
}

/// `signoff`: the sign-off's further criteria.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SignoffPolicyFile {
    pub criteria: Vec<CriterionFile>,
}

/// One further criterion, `pass` or `fail` in each sign-off.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CriterionFile {
    pub id: Spanned<String>,
    pub title: Spanned<String>,
}

/// A further hand-off checklist item, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtraItem {
    pub id: String,
    pub title: String,
    pub kind: ItemKind,
}

/// A further sign-off criterion, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtraCriterion {
    pub id: String,
    pub title: String,
}

/// The keys of process.yaml that configure trainyard rather than the
/// process; an earlier version does not hold them.
pub const TOOL_KEYS: &[&str] = &[
    "name", "roles", "projects", "bugs", "site", "mail", "notify", "rotation",
];

impl VersionFile {
    /// The whole process file this version stands for: its process keys over
    /// the tool keys of process.yaml (`tools`).
    pub fn over(&self, tools: &ProcessFile) -> ProcessFile {
        ProcessFile {
            since: self.since.clone(),
            change: self.change.clone(),
            name: tools.name.clone(),
            timezone: self.timezone.clone(),
            end_of_business: self.end_of_business.clone(),
            schedule: self.schedule.clone(),
            monthly_planning: self.monthly_planning.clone(),
            roles: tools.roles.clone(),
            exceptions: self.exceptions.clone(),
            freezes: self.freezes.clone(),
            holidays: self.holidays.clone(),
            rules: self.rules.clone(),
            handoff: self.handoff.clone(),
            signoff: self.signoff.clone(),
            projects: tools.projects.clone(),
            bugs: tools.bugs.clone(),
            site: tools.site.clone(),
            mail: tools.mail.clone(),
            rotation: tools.rotation.clone(),
            notify: tools.notify.clone(),
        }
    }
}

/// Why a version differs from the one before, resolved.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Change {
    pub summary: String,
    pub questions: Vec<u32>,
}

/// One project's service repository (`projects.NAME`).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ProjectFile {
    /// A local Git clone, relative to the release repository's root.
    pub repository: Option<Spanned<String>>,
    /// Release tags must be on it; default: the clone's HEAD branch.
    pub branch: Option<Spanned<String>>,
    /// A glob release tags match; default `*`.
    pub tag_pattern: Option<Spanned<String>>,
    /// The tag in production before the first recorded train.
    pub baseline: Option<Spanned<String>>,
}

/// The bug tracker (`bugs`).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct BugsFile {
    /// A bug's page, with `{id}` for its number.
    pub url: Option<Spanned<String>>,
    /// A list of bugs, with `{ids}` for their numbers joined by commas.
    pub list_url: Option<Spanned<String>>,
    /// How commit messages name a bug: a regular expression whose first
    /// capture group is the number.
    pub pattern: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Forge {
    Github,
    Gitlab,
}

/// Where the site and the repository live (`site`).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SiteFile {
    pub url: Option<Spanned<String>>,
    pub repository: Option<Spanned<String>>,
    pub branch: Option<Spanned<String>>,
    pub forge: Option<Spanned<Forge>>,
}

/// `trainyard mail` settings (`mail`).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct MailFile {
    pub domain: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ScheduleFile {
    pub planning: MilestoneFile,
    pub drop_to_test: MilestoneFile,
    pub test_start: MilestoneFile,
    pub test_signoff: MilestoneFile,
    pub production_push: MilestoneFile,
}

/// One weekly milestone. `by` applies to deadlines, `window` to the push.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct MilestoneFile {
    pub weekday: Option<Spanned<Day>>,
    /// `eob` or a wall time `HH:MM`.
    pub by: Option<Spanned<String>>,
    pub window: Option<WindowFile>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct WindowFile {
    pub start: Option<Spanned<String>>,
    pub end: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct MonthlyFile {
    pub ordinal: Option<Spanned<i8>>,
    pub weekday: Option<Spanned<Day>>,
    pub time: Option<Spanned<String>>,
    pub minutes: Option<Spanned<u32>>,
    pub requires: Option<Vec<Spanned<String>>>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RoleFile {
    pub title: Option<Spanned<String>>,
    pub list: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ExceptionPolicyFile {
    pub approvers: Option<Vec<Spanned<String>>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FreezeFile {
    pub from: Spanned<String>,
    pub to: Spanned<String>,
    pub reason: Spanned<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HolidayFile {
    pub date: Spanned<String>,
    pub name: Spanned<String>,
}

// ---------------------------------------------------------------------------
// The resolved process.

/// A weekly deadline: the last `weekday` on or before the push date, at `by`.
#[derive(Debug, Clone, PartialEq)]
pub struct DeadlineSpec {
    pub weekday: Weekday,
    pub by: Spanned<NaiveTime>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WindowSpec {
    pub weekday: Weekday,
    pub start: Spanned<NaiveTime>,
    pub end: Spanned<NaiveTime>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MonthlySpec {
    /// 1..=5 for the first … fifth such weekday, -1 for the last.
    pub ordinal: i8,
    pub weekday: Weekday,
    pub time: Spanned<NaiveTime>,
    pub minutes: u32,
    pub requires: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Role {
    pub title: String,
    pub list: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Freeze {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub reason: String,
}

/// A project's service repository, as configured.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectSpec {
    /// The clone's path as written, relative to the root (its position is
    /// where `repository-missing` points).
    pub repository: Option<Spanned<String>>,
    pub branch: Option<Spanned<String>>,
    pub tag_pattern: TagPattern,
    pub baseline: Option<Spanned<String>>,
}

/// A `tag_pattern` glob, compiled once.
#[derive(Debug, Clone)]
pub struct TagPattern {
    pub source: Spanned<String>,
    matcher: globset::GlobMatcher,
}

impl TagPattern {
    pub fn new(source: Spanned<String>) -> Result<TagPattern, globset::Error> {
        let matcher = globset::GlobBuilder::new(&source.value)
            .literal_separator(false)
            .build()?
            .compile_matcher();
        Ok(TagPattern { source, matcher })
    }

    pub fn any() -> TagPattern {
        // Invariant: `*` is a valid glob.
        TagPattern::new(Spanned::unplaced("*".to_string())).expect("`*` is a glob")
    }

    pub fn matches(&self, tag: &str) -> bool {
        self.matcher.is_match(tag)
    }
}

impl PartialEq for TagPattern {
    fn eq(&self, other: &Self) -> bool {
        self.source.value == other.source.value
    }
}

/// The default `bugs.pattern`.
pub const DEFAULT_BUG_PATTERN: &str = r"(?i)\bbug\s*#?(\d+)";

/// How commit messages name bugs, compiled once.
#[derive(Debug, Clone)]
pub struct BugPattern {
    pub source: String,
    pub regex: regex::Regex,
}

impl BugPattern {
    pub fn new(source: &str) -> Result<BugPattern, String> {
        bounded_pattern(source)?;
        let regex = regex::RegexBuilder::new(source)
            // An untrusted pattern: bounded compilation (the matching is
            // linear in the text whatever the pattern, and its constant is
            // bounded by `bounded_pattern`).
            .size_limit(1 << 18)
            .dfa_size_limit(1 << 20)
            .build()
            .map_err(|e| e.to_string())?;
        if regex.captures_len() < 2 {
            return Err(
                "it has no capture group; the first group must capture the bug number".into(),
            );
        }
        Ok(BugPattern {
            source: source.to_string(),
            regex,
        })
    }

    /// The bug numbers `text` names, in order, each once; at most
    /// [`MAX_BUGS_NAMED`] of them.
    pub fn numbers(&self, text: &str) -> Vec<u64> {
        let mut out: Vec<u64> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for c in self.regex.captures_iter(text) {
            if let Some(n) = c.get(1).and_then(|m| m.as_str().parse().ok()) {
                if seen.insert(n) {
                    out.push(n);
                    if out.len() == MAX_BUGS_NAMED {
                        break;
                    }
                }
            }
        }
        out
    }
}

/// The most bugs one text (a commit message, a note) is read to name: a
/// stranger's message naming millions stops here.
pub const MAX_BUGS_NAMED: usize = 1000;

/// The longest `bugs.pattern`, in bytes.
pub const MAX_PATTERN_LEN: usize = 256;
/// The most times a counted repetition (`{n}`, `{n,m}`), or counted
/// repetitions nested in one another, may repeat: a bug number needs a few
/// digits, and each repetition is another copy of the automaton that every
/// note and commit message runs through.
pub const MAX_PATTERN_REPEAT: u32 = 32;

/// `source` is short and repeats nothing more than [`MAX_PATTERN_REPEAT`]
/// times: `(?-u:[\w\s]{0,3000})(\d)` compiles, but runs a thousand times
/// slower than the default over every note and commit message.
fn bounded_pattern(source: &str) -> Result<(), String> {
    use regex_syntax::ast::{Ast, RepetitionKind, RepetitionRange};
    if source.len() > MAX_PATTERN_LEN {
        return Err(format!(
            "it is {} characters long, more than {MAX_PATTERN_LEN}",
            source.chars().count()
        ));
    }
    let ast = regex_syntax::ast::parse::ParserBuilder::new()
        .nest_limit(32)
        .build()
        .parse(source)
        .map_err(|e| e.kind().to_string())?;
    // The largest product of nested counts below `ast`. The pattern is at most
    // MAX_PATTERN_LEN bytes and nested at most 32 deep, so recursion is bounded.
    fn weight(ast: &Ast) -> u64 {
        match ast {
            Ast::Repetition(r) => {
                let times = match &r.op.kind {
                    RepetitionKind::Range(RepetitionRange::Exactly(n))
                    | RepetitionKind::Range(RepetitionRange::AtLeast(n))
                    | RepetitionKind::Range(RepetitionRange::Bounded(_, n)) => u64::from(*n),
                    _ => 1,
                };
                times.max(1).saturating_mul(weight(&r.ast))
            }
            Ast::Group(g) => weight(&g.ast),
            Ast::Alternation(a) => a.asts.iter().map(weight).max().unwrap_or(1),
            Ast::Concat(c) => c.asts.iter().map(weight).max().unwrap_or(1),
            _ => 1,
        }
    }
    let w = weight(&ast);
    if w > u64::from(MAX_PATTERN_REPEAT) {
        return Err(format!(
            "it repeats a part {w} times, more than {MAX_PATTERN_REPEAT}; write `+` or `*`, or a smaller count"
        ));
    }
    Ok(())
}

impl Default for BugPattern {
    fn default() -> Self {
        // Invariant: the default pattern is a valid regex with a group.
        BugPattern::new(DEFAULT_BUG_PATTERN).expect("the default bug pattern compiles")
    }
}

impl PartialEq for BugPattern {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

/// The bug tracker, resolved.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BugTracker {
    /// With `{id}`.
    pub url: Option<String>,
    /// With `{ids}`.
    pub list_url: Option<String>,
    pub pattern: BugPattern,
}

impl BugTracker {
    /// A bug's page, when the tracker is configured.
    pub fn link(&self, id: u64) -> Option<String> {
        self.url
            .as_ref()
            .map(|u| u.replace("{id}", &id.to_string()))
    }

    /// A page listing `ids`, when configured and there are any.
    pub fn list_link(&self, ids: &[u64]) -> Option<String> {
        if ids.is_empty() {
            return None;
        }
        let joined = ids.iter().map(u64::to_string).collect::<Vec<_>>().join(",");
        self.list_url.as_ref().map(|u| u.replace("{ids}", &joined))
    }
}

/// Where the site and the repository live, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteSpec {
    pub url: Option<String>,
    pub repository: Option<String>,
    pub branch: String,
    pub forge: Option<Forge>,
}

impl Default for SiteSpec {
    fn default() -> Self {
        SiteSpec {
            url: None,
            repository: None,
            branch: "main".into(),
            forge: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: String,
}

/// The process with every default applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Process {
    /// The first push date this version applies to (`since`); `None` for a
    /// process that never changed.
    pub since: Option<NaiveDate>,
    /// Why it differs from the version before.
    pub change: Option<Change>,
    /// The hand-off checklist's further items (`handoff.checklist`).
    pub checklist: Vec<ExtraItem>,
    /// The sign-off's further criteria (`signoff.criteria`).
    pub criteria: Vec<ExtraCriterion>,
    /// Who drives each train (`rotation`).
    pub rotation: Option<Rotation>,
    /// Where the process's events and reminders go (`notify`).
    pub notify: super::notify::Notify,
    pub name: String,
    pub timezone: Tz,
    pub end_of_business: NaiveTime,
    pub planning: Weekday,
    pub drop_to_test: DeadlineSpec,
    pub test_start: Weekday,
    pub test_signoff: DeadlineSpec,
    pub production_push: WindowSpec,
    pub monthly: MonthlySpec,
    pub roles: BTreeMap<String, Role>,
    pub approvers: Vec<String>,
    pub freezes: Vec<Freeze>,
    pub holidays: Vec<Holiday>,
    pub rules: BTreeMap<Rule, Level>,
    pub projects: BTreeMap<String, ProjectSpec>,
    pub bugs: BugTracker,
    pub site: SiteSpec,
    /// `mail.domain`: the right-hand side of generated Message-IDs.
    pub mail_domain: Option<String>,
}

/// Role ids the rules refer to; they always exist.
pub const CORE_ROLES: &[(&str, &str)] = &[
    ("dev", "Engineering"),
    ("test", "Test"),
    ("ops", "Service Ops"),
    ("security", "Security"),
];

pub(crate) fn hm(h: u32, m: u32) -> NaiveTime {
    // Invariant: callers pass constant, valid wall times.
    NaiveTime::from_hms_opt(h, m, 0).expect("valid constant time")
}

impl Default for Process {
    fn default() -> Self {
        let eob = hm(17, 0);
        let mut roles = BTreeMap::new();
        for (id, title) in CORE_ROLES {
            roles.insert(
                id.to_string(),
                Role {
                    title: title.to_string(),
                    list: None,
                },
            );
        }
        if let Some(r) = roles.get_mut("test") {
            r.list = Some("services-qa@example.com".into());
        }
        if let Some(r) = roles.get_mut("ops") {
            r.list = Some("services-ops@example.com".into());
        }
        Process {
            since: None,
            change: None,
            checklist: Vec::new(),
            criteria: Vec::new(),
            rotation: None,
            notify: Default::default(),
            name: "Services Server Release Process".into(),
            timezone: chrono_tz::America::Los_Angeles,
            end_of_business: eob,
            planning: Weekday::Tue,
            drop_to_test: DeadlineSpec {
                weekday: Weekday::Tue,
                by: Spanned::unplaced(eob),
            },
            test_start: Weekday::Wed,
            test_signoff: DeadlineSpec {
                weekday: Weekday::Fri,
                by: Spanned::unplaced(eob),
            },
            production_push: WindowSpec {
                weekday: Weekday::Mon,
                start: Spanned::unplaced(hm(15, 0)),
                end: Spanned::unplaced(hm(17, 0)),
            },
            monthly: MonthlySpec {
                ordinal: 1,
                weekday: Weekday::Thu,
                time: Spanned::unplaced(hm(10, 0)),
                minutes: 60,
                requires: vec!["security".into()],
            },
            roles,
            approvers: vec!["ops".into()],
            freezes: Vec::new(),
            holidays: Vec::new(),
            rules: BTreeMap::new(),
            projects: BTreeMap::new(),
            bugs: BugTracker::default(),
            site: SiteSpec::default(),
            mail_domain: None,
        }
    }
}

impl Process {
    /// The severity configured for a rule (errors unless process.yaml says otherwise).
    pub fn level(&self, rule: Rule) -> Level {
        self.rules
            .get(&rule)
            .copied()
            .unwrap_or(rule.default_level())
    }

    /// The mailing list of `role` (`roles.ROLE.list`), when it has one.
    pub fn role_list(&self, role: &str) -> Option<&str> {
        self.roles.get(role).and_then(|r| r.list.as_deref())
    }

    pub fn role_title<'a>(&'a self, role: &'a str) -> &'a str {
        self.roles
            .get(role)
            .map(|r| r.title.as_str())
            .unwrap_or(role)
    }

    pub fn holiday(&self, date: NaiveDate) -> Option<&Holiday> {
        self.holidays.iter().find(|h| h.date == date)
    }

    pub fn freeze(&self, date: NaiveDate) -> Option<&Freeze> {
        self.freezes.iter().find(|f| f.from <= date && date <= f.to)
    }
}

/// Where the resolved values came from, for diagnostics that point back at process.yaml.
#[derive(Debug, Clone, Default)]
pub struct ProcessSource {
    pub path: String,
    pub timezone: Pos,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bug_patterns_that_cost_too_much_are_refused() {
        assert!(BugPattern::new(DEFAULT_BUG_PATTERN).is_ok());
        assert!(BugPattern::new(r"(?i)\bbug\s*#?(\d{1,9})").is_ok());
        for slow in [
            r"(?-u:[\w\s]{0,3000})(\d)",
            r"((a{8}){8})(\d)",
            r"(\d{40,})",
        ] {
            let e = BugPattern::new(slow).unwrap_err();
            assert!(e.contains("repeats a part"), "{slow}: {e}");
        }
        let long = format!("({})", "a".repeat(300));
        assert!(BugPattern::new(&long)
            .unwrap_err()
            .contains("more than 256"));
    }
}
