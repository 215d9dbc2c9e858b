//! The checking context: the repository, "now", the output, and helpers that
//! validate the common value kinds (people, URLs, dates and times) once each.

use crate::diagnostics::suggest::did_you_mean_or;
use crate::diagnostics::Diagnostic;
use crate::model::{Exception, Pos, RecordDate, RecordTime, ReleaseRepository, Spanned};
use crate::rules::Rule;
use crate::schedule::time;
use crate::schedule::{train_schedule, TrainSchedule};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use std::collections::HashSet;

/// A parsed time and where it was written.
pub type Time = Spanned<DateTime<Tz>>;

/// An exception as found in a record, with the people whose record it waives.
pub struct ExceptionUse<'a> {
    pub file: &'a str,
    pub exception: &'a Exception,
    pub owners: Vec<&'a str>,
}

pub struct Ctx<'a> {
    pub repo: &'a ReleaseRepository,
    pub now: DateTime<Utc>,
    pub out: Vec<Diagnostic>,
    pub exceptions: Vec<ExceptionUse<'a>>,
    schedule_errors: HashSet<&'static str>,
}

impl<'a> Ctx<'a> {
    pub fn new(repo: &'a ReleaseRepository, now: DateTime<Utc>) -> Self {
        Ctx {
            repo,
            now,
            out: Vec::new(),
            exceptions: Vec::new(),
            schedule_errors: HashSet::new(),
        }
    }

    pub fn tz(&self) -> Tz {
        self.repo.process.timezone
    }

    pub fn report(
        &mut self,
        rule: Rule,
        file: &str,
        pos: Pos,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.out
            .push(Diagnostic::new(rule, file, pos, message).help(help));
    }

    /// The schedule of a train; a configured time that does not exist on that
    /// date is reported once against process.yaml.
    pub fn schedule(&mut self, date: NaiveDate) -> Option<TrainSchedule> {
        match train_schedule(&self.repo.process, date) {
            Ok(s) => Some(s),
            Err(e) => {
                if self.schedule_errors.insert(e.setting) {
                    let d = Diagnostic::new(Rule::TimeFormat, "process.yaml", e.pos, e.message()).help(
                        "choose a wall time that exists on every day, away from the daylight saving changes (01:00–03:00)",
                    );
                    self.out.push(d);
                }
                None
            }
        }
    }

    /// A person handle; with a role, they must hold it.
    pub fn person(&mut self, file: &str, handle: &Spanned<String>, role: Option<&str>) -> bool {
        let people = &self.repo.people;
        let Some(person) = people.get(&handle.value) else {
            let help = if people.list.is_empty() {
                "people.yaml lists nobody; add this person there".to_string()
            } else {
                did_you_mean_or(&handle.value, people.handles(), "add them to people.yaml")
            };
            self.report(
                Rule::UnknownPerson,
                file,
                handle.pos,
                format!("`{}` is not listed in people.yaml", handle.value),
                help,
            );
            return false;
        };
        if let Some(role) = role {
            if !person.has_role(role) {
                let title = self.repo.process.role_title(role);
                let holders: Vec<&str> = people
                    .with_role(role)
                    .map(|p| p.handle.value.as_str())
                    .collect();
                let help = if holders.is_empty() {
                    format!("nobody in people.yaml holds the {role} role; add it to the right person's roles")
                } else {
                    format!(
                        "choose someone with the {role} role ({}), or add {role} to {}'s roles in people.yaml",
                        holders.join(", "),
                        handle.value
                    )
                };
                let held: Vec<&str> = person.roles.iter().map(|r| r.value.as_str()).collect();
                self.report(
                    Rule::WrongRole,
                    file,
                    handle.pos,
                    format!(
                        "`{}` must hold the {role} role ({title}) here, but holds {}",
                        handle.value,
                        if held.is_empty() {
                            "no role".to_string()
                        } else {
                            held.join(", ")
                        }
                    ),
                    help,
                );
                return false;
            }
        }
        true
    }

    /// A time as load read it (one it could not read was reported there and
    /// is `None`); a time after "now" is reported here.
    pub fn time(&mut self, file: &str, t: &Spanned<RecordTime>) -> Option<Time> {
        let at = t.value.get()?;
        if at.with_timezone(&Utc) > self.now {
            let now = self.now.with_timezone(&at.timezone());
            self.report(
                Rule::FutureEvent,
                file,
                t.pos,
                format!("{} is in the future (it is now {})", time::show(&at), time::show(&now)),
                "record an event after it happens; check the date, or pass --now to check as of another time",
            );
        }
        Some(Spanned::new(at, t.pos))
    }

    /// A date as load read it (dates may be in the future: trains are
    /// planned ahead).
    pub fn date(&self, d: &Spanned<RecordDate>) -> Option<Spanned<NaiveDate>> {
        d.value.get().map(|v| Spanned::new(v, d.pos))
    }

    pub fn exceptions(&mut self, file: &'a str, list: &'a [Exception], owners: Vec<&'a str>) {
        for exception in list {
            self.exceptions.push(ExceptionUse {
                file,
                exception,
                owners: owners.clone(),
            });
        }
    }
}
