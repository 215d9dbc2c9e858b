//! process.yaml: the process itself. Every key is optional; a key left out keeps
//! the default described in FORMAT.md (the weekly Services process).
//!
//! [`ProcessFile`] is what the file says; [`Process`] is the resolved process
//! with every default filled in, which the rest of the program uses.

use super::{Pos, Sp};
use crate::rules::{Level, Rule};
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
    pub name: Option<Sp<String>>,
    pub timezone: Option<Sp<String>>,
    pub end_of_business: Option<Sp<String>>,
    pub schedule: ScheduleFile,
    pub monthly_planning: MonthlyFile,
    pub roles: BTreeMap<String, RoleFile>,
    pub exceptions: ExceptionPolicyFile,
    pub freezes: Option<Vec<FreezeFile>>,
    pub holidays: Option<Vec<HolidayFile>>,
    pub rules: BTreeMap<String, Sp<Level>>,
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
    pub weekday: Option<Sp<Day>>,
    /// `eob` or a wall time `HH:MM`.
    pub by: Option<Sp<String>>,
    pub window: Option<WindowFile>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct WindowFile {
    pub start: Option<Sp<String>>,
    pub end: Option<Sp<String>>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct MonthlyFile {
    pub ordinal: Option<Sp<i8>>,
    pub weekday: Option<Sp<Day>>,
    pub time: Option<Sp<String>>,
    pub minutes: Option<Sp<u32>>,
    pub requires: Option<Vec<Sp<String>>>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RoleFile {
    pub title: Option<Sp<String>>,
    pub list: Option<Sp<String>>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ExceptionPolicyFile {
    pub approvers: Option<Vec<Sp<String>>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FreezeFile {
    pub from: Sp<String>,
    pub to: Sp<String>,
    pub reason: Sp<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HolidayFile {
    pub date: Sp<String>,
    pub name: Sp<String>,
}

// ---------------------------------------------------------------------------
// The resolved process.

/// A weekly deadline: the last `weekday` on or before the push date, at `by`.
#[derive(Debug, Clone, PartialEq)]
pub struct DeadlineSpec {
    pub weekday: Weekday,
    pub by: Sp<NaiveTime>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WindowSpec {
    pub weekday: Weekday,
    pub start: Sp<NaiveTime>,
    pub end: Sp<NaiveTime>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MonthlySpec {
    /// 1..=5 for the first … fifth such weekday, -1 for the last.
    pub ordinal: i8,
    pub weekday: Weekday,
    pub time: Sp<NaiveTime>,
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

#[derive(Debug, Clone, PartialEq)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: String,
}

/// The process with every default applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Process {
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
            name: "Services Server Release Process".into(),
            timezone: chrono_tz::America::Los_Angeles,
            end_of_business: eob,
            planning: Weekday::Tue,
            drop_to_test: DeadlineSpec {
                weekday: Weekday::Tue,
                by: Sp::unplaced(eob),
            },
            test_start: Weekday::Wed,
            test_signoff: DeadlineSpec {
                weekday: Weekday::Fri,
                by: Sp::unplaced(eob),
            },
            production_push: WindowSpec {
                weekday: Weekday::Mon,
                start: Sp::unplaced(hm(15, 0)),
                end: Sp::unplaced(hm(17, 0)),
            },
            monthly: MonthlySpec {
                ordinal: 1,
                weekday: Weekday::Thu,
                time: Sp::unplaced(hm(10, 0)),
                minutes: 60,
                requires: vec!["security".into()],
            },
            roles,
            approvers: vec!["ops".into()],
            freezes: Vec::new(),
            holidays: Vec::new(),
            rules: BTreeMap::new(),
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
