//! The checking context: the repository, "now", the output, and helpers that
//! validate the common value kinds (people, URLs, dates and times) once each.

use crate::diagnostics::suggest::did_you_mean_or;
use crate::diagnostics::Diagnostic;
use crate::model::{
    Exception, On, Person, Pos, Process, RecordDate, RecordTime, ReleaseRepository, Spanned,
};
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
    /// The day of the record it sits in: the approver's roles are that day's.
    pub on: On,
    /// The version of the process that judges that record (its approvers).
    pub process: &'a Process,
}

pub struct Ctx<'a> {
    pub repo: &'a ReleaseRepository,
    /// The version of the process that judges what is being checked (a
    /// train's, by its push date; process.yaml's otherwise).
    pub process: &'a Process,
    pub now: DateTime<Utc>,
    pub out: Vec<Diagnostic>,
    pub exceptions: Vec<ExceptionUse<'a>>,
    /// What the history proves of each approval, when there is history.
    pub approvals: Option<&'a crate::git::approvals::Approvals>,
    schedule_errors: HashSet<(&'a str, &'static str)>,
}

impl<'a> Ctx<'a> {
    pub fn new(repo: &'a ReleaseRepository, now: DateTime<Utc>) -> Self {
        Ctx {
            repo,
            process: &repo.process,
            now,
            out: Vec::new(),
            exceptions: Vec::new(),
            approvals: None,
            schedule_errors: HashSet::new(),
        }
    }

    pub fn tz(&self) -> Tz {
        self.process.timezone
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
        let (file, process) = self.repo.version_for(date);
        match train_schedule(process, date) {
            Ok(s) => Some(s),
            Err(e) => {
                if self.schedule_errors.insert((file, e.setting)) {
                    let d = Diagnostic::new(Rule::TimeFormat, file, e.pos, e.message()).help(
                        "choose a wall time that exists on every day, away from the daylight saving changes (01:00–03:00)",
                    );
                    self.out.push(d);
                }
                None
            }
        }
    }

    /// A person handle; with a role, they must hold it `on` the record's day.
    pub fn person(
        &mut self,
        file: &str,
        handle: &Spanned<String>,
        role: Option<&str>,
        on: On,
    ) -> bool {
        let people = &self.repo.people;
        if people.unreadable {
            // people.yaml's own diagnostic says what is wrong; the records
            // are not judged against an empty roster.
            return true;
        }
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
            if !person.holds(role, on) {
                let report = wrong_role(self.repo, person, handle, role, on);
                self.out.push(report.into_diagnostic(file, handle.pos));
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

    pub fn exceptions(
        &mut self,
        file: &'a str,
        list: &'a [Exception],
        owners: Vec<&'a str>,
        on: On,
    ) {
        for exception in list {
            self.exceptions.push(ExceptionUse {
                file,
                exception,
                owners: owners.clone(),
                on,
                process: self.process,
            });
        }
    }
}

/// A `wrong-role` finding, worded by what the person held on the record's day.
struct WrongRole {
    message: String,
    help: String,
}

impl WrongRole {
    fn into_diagnostic(self, file: &str, pos: Pos) -> Diagnostic {
        Diagnostic::new(Rule::WrongRole, file, pos, self.message).help(self.help)
    }
}

fn wrong_role(
    repo: &ReleaseRepository,
    person: &Person,
    handle: &Spanned<String>,
    role: &str,
    on: On,
) -> WrongRole {
    let title = repo.process.role_title(role);
    let who = &handle.value;
    let holders: Vec<&str> = repo
        .people
        .with_role(role, on)
        .map(|p| p.handle.value.as_str())
        .collect();
    let choose = if holders.is_empty() {
        format!("nobody in people.yaml holds the {role} role")
    } else {
        format!(
            "choose someone with the {role} role ({})",
            holders.join(", ")
        )
    };
    let (joined, left) = person.tenure();
    let dated = person.has_periods();
    let held = |on| {
        let roles = person.roles_on(on);
        if roles.is_empty() {
            "no role".to_string()
        } else {
            roles.join(", ")
        }
    };
    let day = match on {
        On::Day(day) if dated => day,
        // A roster that never changed, or a record whose day is unknown:
        // the roles as listed.
        _ => {
            return WrongRole {
                message: format!(
                    "`{who}` must hold the {role} role ({title}) here, but holds {}",
                    held(On::AnyDay)
                ),
                help: if holders.is_empty() {
                    format!("{choose}; add it to the right person's roles")
                } else {
                    format!("{choose}, or add {role} to {who}'s roles in people.yaml")
                },
            };
        }
    };
    let (then, fix) = match (joined, left) {
        (_, Some(l)) if day > l => (
            format!("{who} left the team on {l}"),
            format!("if {who} was still on the team on {day}, correct `left:` in people.yaml"),
        ),
        (Some(j), _) if day < j => (
            format!("{who} joined the team on {j}"),
            format!("if {who} was already on the team on {day}, correct `joined:` in people.yaml"),
        ),
        _ => (
            format!("held {} on {day}", held(On::Day(day))),
            format!("if {who} did hold it then, give people.yaml a role period covering that day, e.g. {{ role: {role}, from: {day} }}"),
        ),
    };
    WrongRole {
        message: format!("`{who}` must hold the {role} role ({title}) here, but {then}"),
        help: format!("{choose} on {day}; {fix}"),
    }
}
