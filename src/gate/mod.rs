//! `trainyard gate`: may a push start now? A deploy pipeline asks before it
//! acts. The answer comes from the same schedule, exceptions and rule report
//! as `check`, so the two can never disagree about a train.

use crate::diagnostics::Rule;
use crate::diagnostics::{Report, Severity};
use crate::model::{train_dir_of, Decision, ReleaseRepository, Train};
use crate::schedule::{time, train_schedule};
use chrono::{DateTime, NaiveDate, SecondsFormat};
use chrono_tz::Tz;
use serde::{Serialize, Serializer};

/// Which push is about to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Push {
    /// The Monday push to production, inside the maintenance window, after a go.
    Production,
    /// The push of the train's hand-offs to staging, before Test signs off.
    Staging,
}

impl Push {
    pub fn name(self) -> &'static str {
        match self {
            Push::Production => "production",
            Push::Staging => "staging",
        }
    }

    /// The train a gate is about when none is named, from the sorted train
    /// dates alone (so a command loads that one train): production's pushes
    /// on `day`; staging's is the first pushing on or after it.
    pub fn train_on(self, dates: &[NaiveDate], day: NaiveDate) -> Option<NaiveDate> {
        match self {
            Push::Production => dates.binary_search(&day).ok().map(|_| day),
            Push::Staging => dates.iter().copied().find(|d| *d >= day),
        }
    }
}

/// The answer, as `--format json` prints it (SITE.md).
#[derive(Debug, Serialize)]
pub struct Verdict {
    pub gate: &'static str,
    pub allowed: bool,
    /// The train asked about (null when no train matches).
    #[serde(serialize_with = "date")]
    pub train: Option<NaiveDate>,
    #[serde(serialize_with = "rfc3339")]
    pub at: DateTime<Tz>,
    /// Production's maintenance window on the train's push date.
    pub window: Option<Window>,
    pub reasons: Vec<Reason>,
    /// Rules that would have refused this push but for an approved exception.
    pub waived: Vec<Waived>,
}

/// A rule an approved exception waived for this push.
#[derive(Debug, Serialize)]
pub struct Waived {
    #[serde(serialize_with = "rule_id")]
    pub rule: Rule,
    /// The approver's handle.
    pub approved_by: String,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct Window {
    #[serde(serialize_with = "rfc3339")]
    pub start: DateTime<Tz>,
    #[serde(serialize_with = "rfc3339")]
    pub end: DateTime<Tz>,
}

/// Why the push may not start: a rule of RULES.md and what to do.
#[derive(Debug, Serialize)]
pub struct Reason {
    #[serde(serialize_with = "rule_id")]
    pub rule: Rule,
    pub message: String,
}

fn rfc3339<S: Serializer>(t: &DateTime<Tz>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339_opts(SecondsFormat::Secs, false))
}

fn date<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&d.to_string()),
        None => s.serialize_none(),
    }
}

fn rule_id<S: Serializer>(rule: &Rule, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(rule.id())
}

/// Decide whether `push` of `train` may start at `at`. `report` is the rule
/// report of the loaded records (with `now` = `at`).
pub fn decide(
    repo: &ReleaseRepository,
    report: &Report,
    push: Push,
    train: Option<&Train>,
    at: DateTime<Tz>,
    projects: &[String],
) -> Verdict {
    let mut verdict = Verdict {
        gate: push.name(),
        allowed: false,
        train: train.map(|t| t.date),
        at,
        window: None,
        reasons: Vec::new(),
        waived: Vec::new(),
    };
    let day = at.date_naive();
    let Some(train) = train else {
        let (rule, message) = match push {
            Push::Production => (
                Rule::PushWindow,
                format!(
                    "no train pushes on {}: production pushes happen on a train's push date",
                    time::show_date(day)
                ),
            ),
            Push::Staging => (
                Rule::HandoffMissing,
                format!(
                    "no train pushes on or after {}: there is nothing to push to staging",
                    time::show_date(day)
                ),
            ),
        };
        verdict.reasons.push(Reason { rule, message });
        return verdict;
    };
    let mut own = Vec::new();
    if let Some(t) = train.train.as_ref().filter(|_| train.is_skipped()) {
        let why = t
            .data
            .skipped
            .as_ref()
            .map(|s| s.reason.value.as_str())
            .unwrap_or_default();
        own.push(Reason {
            rule: Rule::SkippedTrain,
            message: format!(
                "the {} train is skipped ({why}): nothing is pushed",
                train.id()
            ),
        });
    }
    // A skipped train pushes nothing: that is the one reason.
    match push {
        _ if train.is_skipped() => {}
        Push::Production => production(repo, report, train, at, &mut verdict, &mut own),
        Push::Staging => staging(train, projects, &mut own),
    }
    // Every error in the train's records (and in the process definition the
    // answer rests on), except those the gate has just decided itself. A
    // freeze or holiday is one of them: `check` reports it on train.yaml,
    // waived by an exception approved there, at the severity process.yaml
    // gives it, so the gate cannot disagree.
    let decided: Vec<Rule> = own.iter().map(|r| r.rule).collect();
    let relevant = |file: &str| match push {
        Push::Production => train_dir_of(file) == Some(train.dir.as_str()),
        Push::Staging => {
            file == train.train_path()
                || file
                    .strip_prefix(&format!("{}/handoffs/", train.dir))
                    .and_then(|f| f.strip_suffix(".yaml"))
                    .is_some_and(|p| projects.is_empty() || projects.iter().any(|q| q == p))
        }
    } || file == "process.yaml"
        || file.starts_with("process/")
        || file == "people.yaml";
    let from_records = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && relevant(&d.file))
        .filter(|d| !decided.contains(&d.rule))
        // push.yaml's push-without-go is about a push already made; the
        // gate has just said whether this one has a go.
        .filter(|d| !(push == Push::Production && d.rule == Rule::PushWithoutGo))
        .map(|d| Reason {
            rule: d.rule,
            message: format!("{}:{}: {}", d.file, d.pos.or_file().line, d.message),
        });
    verdict.reasons.extend(own);
    verdict.reasons.extend(from_records);
    verdict.allowed = verdict.reasons.is_empty();
    verdict
}

fn production(
    repo: &ReleaseRepository,
    report: &Report,
    train: &Train,
    at: DateTime<Tz>,
    verdict: &mut Verdict,
    own: &mut Vec<Reason>,
) {
    // The version of the process in force on the train's push date.
    let process = repo.process_for(train.date);
    let ahead = |rule: Rule| {
        report
            .approved_ahead
            .contains_key(&(train.dir.clone(), rule))
    };
    let approver = |rule: Rule| {
        report
            .approved_ahead
            .get(&(train.dir.clone(), rule))
            .cloned()
    };
    let day = at.date_naive();
    // A freeze or holiday on the push date, waived for this train.
    if let Some(by) = approver(Rule::Freeze) {
        let why = process
            .freeze(train.date)
            .map(|f| format!("the change freeze ({})", f.reason))
            .or_else(|| {
                process
                    .holiday(train.date)
                    .map(|h| format!("the holiday ({})", h.name))
            });
        if let Some(why) = why {
            verdict.waived.push(Waived {
                rule: Rule::Freeze,
                message: format!(
                    "exception approved by {by} ({why}, for the {} train)",
                    train.id()
                ),
                approved_by: by,
            });
        }
    }
    if train.date != day {
        own.push(Reason {
            rule: Rule::PushWindow,
            message: format!(
                "the {} train pushes on {}, not on {}",
                train.id(),
                time::show_date(train.date),
                time::show_date(day)
            ),
        });
    }
    match train_schedule(process, train.date) {
        Ok(s) => {
            let (start, end) = (s.window_start, s.window_end);
            verdict.window = Some(Window { start, end });
            if train.date == day && !ahead(Rule::PushWindow) {
                let message = if at < start {
                    Some(format!(
                        "{} is before the maintenance window opens ({}, in {})",
                        time::show_clock(&at),
                        time::show_clock(&start),
                        time::show_duration(start - at)
                    ))
                } else if at >= end {
                    Some(format!(
                        "{} is after the maintenance window closed ({}–{})",
                        time::show_clock(&at),
                        time::show_clock(&start),
                        time::show_clock(&end)
                    ))
                } else {
                    None
                };
                own.extend(message.map(|message| Reason {
                    rule: Rule::PushWindow,
                    message,
                }));
            } else if train.date == day && (at < start || at >= end) {
                if let Some(by) = approver(Rule::PushWindow) {
                    verdict.waived.push(Waived {
                        rule: Rule::PushWindow,
                        message: format!(
                            "exception approved by {by} ({} is outside the maintenance window {}–{}, for the {} train)",
                            time::show_clock(&at),
                            time::show_clock(&start),
                            time::show_clock(&end),
                            train.id()
                        ),
                        approved_by: by,
                    });
                }
            }
        }
        Err(e) => own.push(Reason {
            rule: Rule::TimeFormat,
            message: format!("process.yaml: {}", e.message()),
        }),
    }
    let go = match (&train.signoff, train.has_signoff_file) {
        (Some(s), _) if s.data.decision.value == Decision::Go => None,
        (Some(s), _) => Some(format!("Test's sign-off ({}) says no-go", s.path)),
        (None, true) => Some(format!(
            "{}/signoff.yaml cannot be read, so there is no go",
            train.dir
        )),
        (None, false) => Some(format!(
            "Test has not signed off yet: a push needs {}/signoff.yaml with `decision: go`",
            train.dir
        )),
    };
    own.extend(go.map(|message| Reason {
        rule: Rule::PushWithoutGo,
        message,
    }));
}

/// The push to staging: of every planned feature, or of `projects` alone
/// (partial staging).
fn staging(train: &Train, projects: &[String], own: &mut Vec<Reason>) {
    if train.has_signoff_file {
        own.push(Reason {
            rule: Rule::RecordFrozen,
            message: format!(
                "Test has signed off ({}/signoff.yaml): the hand-offs are frozen, so nothing new goes to staging",
                train.dir
            ),
        });
    }
    if let Some(t) = &train.train {
        for p in projects {
            if !t.data.features.iter().any(|f| &f.project.value == p) {
                own.push(Reason {
                    rule: Rule::UnknownProject,
                    message: format!("`{p}` is not a project the {} train planned", train.id()),
                });
            }
        }
        let wanted = |p: &String| projects.is_empty() || projects.contains(p);
        for f in t.data.features.iter().filter(|f| wanted(&f.project.value)) {
            let project = &f.project.value;
            let file = format!("{}/handoffs/{project}.yaml", train.dir);
            // A hand-off that exists but does not parse is reported with its own error.
            let exists = train.record_files.contains(&file);
            if !exists
                && !train
                    .handoffs
                    .iter()
                    .any(|h| &h.data.project.value == project)
            {
                own.push(Reason {
                    rule: Rule::HandoffMissing,
                    message: format!("`{project}` has no hand-off yet ({file})"),
                });
            }
        }
    }
}
