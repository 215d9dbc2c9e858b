//! Where a train stands: each milestone planned, done, due or late, as of a
//! given time. The site's dashboard, release pages, calendar and feed all read
//! the same answer.

use crate::model::{Decision, Outcome, ReleaseRepository, Train};
use crate::schedule::{train_schedule, TrainSchedule};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

/// The steps of every weekly train, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Planning,
    Handoff,
    Staging,
    Signoff,
    Push,
    Validation,
}

impl Step {
    pub const ALL: [Step; 6] = [
        Step::Planning,
        Step::Handoff,
        Step::Staging,
        Step::Signoff,
        Step::Push,
        Step::Validation,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Step::Planning => "planning",
            Step::Handoff => "handoff",
            Step::Staging => "staging",
            Step::Signoff => "signoff",
            Step::Push => "push",
            Step::Validation => "validation",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Step::Planning => "Planning meeting",
            Step::Handoff => "Drop to Test",
            Step::Staging => "Push to staging",
            Step::Signoff => "Test sign-off",
            Step::Push => "Production push",
            Step::Validation => "Validation",
        }
    }

    /// The role that owes this step.
    pub fn owner(self) -> &'static str {
        match self {
            Step::Planning | Step::Handoff => "dev",
            Step::Staging | Step::Push => "ops",
            Step::Signoff | Step::Validation => "test",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Recorded, on time.
    Done,
    /// Recorded after its deadline.
    DoneLate,
    /// Not recorded; its deadline (if any) has not passed.
    Due,
    /// Not recorded, and its deadline has passed.
    Overdue,
    /// The train is skipped, or an earlier step ended it (no-go).
    NotNeeded,
}

impl Status {
    pub fn key(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::DoneLate => "late",
            Status::Due => "due",
            Status::Overdue => "overdue",
            Status::NotNeeded => "not-needed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::DoneLate => "done late",
            Status::Due => "due",
            Status::Overdue => "overdue",
            Status::NotNeeded => "not needed",
        }
    }

    pub fn is_late(self) -> bool {
        matches!(self, Status::DoneLate | Status::Overdue)
    }
}

/// When a step is planned.
#[derive(Debug, Clone, PartialEq)]
pub enum Planned {
    /// On a day (the planning meeting; staging by the day Test starts).
    Day(NaiveDate),
    /// By a deadline, possibly moved for a holiday.
    Deadline {
        at: DateTime<Tz>,
        moved_because: Option<String>,
    },
    /// Inside a window.
    Window {
        start: DateTime<Tz>,
        end: DateTime<Tz>,
    },
    /// After the previous step, with no deadline of its own.
    After,
}

impl Planned {
    /// How people read it: `Tue 2026-11-24`, `by 2026-11-24 17:00 PST`,
    /// `2026-11-30 15:00 PST–17:00 PST`.
    pub fn describe(&self) -> String {
        match self {
            Planned::Day(d) => crate::schedule::time::show_date(*d),
            Planned::Deadline { at, .. } => format!("by {}", crate::schedule::time::show(at)),
            Planned::Window { start, end } => {
                format!(
                    "{}–{}",
                    crate::schedule::time::show(start),
                    crate::schedule::time::show_clock(end)
                )
            }
            Planned::After => "after the previous step".to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Milestone {
    pub step: Step,
    pub planned: Planned,
    pub status: Status,
    /// When it was recorded as done (the latest record for multi-record steps).
    pub done_at: Option<DateTime<Tz>>,
    /// Who did it.
    pub done_by: Vec<String>,
    /// How late it was (done late) or is (overdue).
    pub late_by: Option<Duration>,
    /// e.g. "1 of 2 hand-offs".
    pub progress: Option<String>,
}

/// The state of a whole train.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Skipped,
    Planned,
    HandingOff,
    Testing,
    SignedOff,
    NoGo,
    Pushed,
    Success,
    RolledBack,
}

impl State {
    pub fn key(self) -> &'static str {
        match self {
            State::Skipped => "skipped",
            State::Planned => "planned",
            State::HandingOff => "handing-off",
            State::Testing => "testing",
            State::SignedOff => "signed-off",
            State::NoGo => "no-go",
            State::Pushed => "pushed",
            State::Success => "success",
            State::RolledBack => "rolled-back",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            State::Skipped => "skipped",
            State::Planned => "planned",
            State::HandingOff => "handing off",
            State::Testing => "in test",
            State::SignedOff => "signed off",
            State::NoGo => "no-go",
            State::Pushed => "pushed, awaiting validation",
            State::Success => "success",
            State::RolledBack => "rolled back",
        }
    }

    /// Whether the train is over (nothing more will be recorded).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            State::Skipped | State::NoGo | State::Success | State::RolledBack
        )
    }
}

#[derive(Debug, Clone)]
pub struct Tracked {
    pub schedule: Option<TrainSchedule>,
    pub state: State,
    pub milestones: Vec<Milestone>,
}

impl Tracked {
    pub fn milestone(&self, step: Step) -> Option<&Milestone> {
        self.milestones.iter().find(|m| m.step == step)
    }

    /// The first step not yet done, if the train is still running.
    pub fn next_due(&self) -> Option<&Milestone> {
        if self.state.is_final() {
            return None;
        }
        self.milestones
            .iter()
            .find(|m| matches!(m.status, Status::Due | Status::Overdue))
    }

    /// How late a record of `step` made at `at` is for that step's
    /// deadline (a hand-off or a sign-off; steps without a deadline are never
    /// late this way).
    pub fn late_for(&self, step: Step, at: Option<DateTime<Tz>>) -> Option<Duration> {
        let schedule = self.schedule.as_ref()?;
        let deadline = match step {
            Step::Handoff => &schedule.drop_to_test,
            Step::Signoff => &schedule.test_signoff,
            _ => return None,
        };
        deadline.late_by(at?)
    }

    /// Hours from the last hand-off to the end of the production push.
    pub fn lead_time(&self) -> Option<Duration> {
        let handoff = self.milestone(Step::Handoff)?.done_at?;
        let push = self.milestone(Step::Push)?.done_at?;
        Some(push - handoff)
    }
}

fn status_for(
    done_at: Option<DateTime<Tz>>,
    deadline: Option<DateTime<Tz>>,
    now: DateTime<Utc>,
) -> (Status, Option<Duration>) {
    match (done_at, deadline) {
        (Some(d), Some(dl)) => match crate::schedule::late_by(d, dl) {
            Some(late) => (Status::DoneLate, Some(late)),
            None => (Status::Done, None),
        },
        (Some(_), None) => (Status::Done, None),
        (None, Some(dl)) if now > dl.with_timezone(&Utc) => {
            (Status::Overdue, Some(now - dl.with_timezone(&Utc)))
        }
        (None, _) => (Status::Due, None),
    }
}

/// Where `train` stands at `now`.
pub fn track(repo: &ReleaseRepository, train: &Train, now: DateTime<Utc>) -> Tracked {
    let tz = repo.process_for(train.date).timezone;
    let schedule = train_schedule(repo.process_for(train.date), train.date).ok();
    let time = |t: &crate::model::RecordTime| t.get();
    let mut ms = Vec::new();

    // Planning.
    let planned_on = train
        .train
        .as_ref()
        .and_then(|t| t.data.planned_at.value.get());
    let planning_day = match (&schedule, train.is_out_of_cycle()) {
        (Some(s), false) => s.planning,
        // Out of cycle: the day it was planned, as recorded.
        _ => planned_on.unwrap_or(train.date),
    };
    ms.push(Milestone {
        step: Step::Planning,
        planned: Planned::Day(planning_day),
        status: if train.train.is_some() {
            Status::Done
        } else {
            Status::Due
        },
        done_at: planned_on.map(|d| crate::schedule::time::start_of_day(tz, d)),
        done_by: Vec::new(),
        late_by: None,
        progress: None,
    });

    // Hand-offs: done when every planned feature has one.
    let features: Vec<&str> = train
        .train
        .as_ref()
        .map(|t| {
            t.data
                .features
                .iter()
                .map(|f| f.project.value.as_str())
                .collect()
        })
        .unwrap_or_default();
    let handed: Vec<_> = train
        .handoffs
        .iter()
        .filter(|h| features.contains(&h.data.project.value.as_str()))
        .collect();
    let all_handed = !features.is_empty()
        && features
            .iter()
            .all(|f| handed.iter().any(|h| h.data.project.value == *f));
    let last_handoff = handed.iter().filter_map(|h| time(&h.data.at.value)).max();
    // An out-of-cycle train has no deadlines of its own, only an order.
    let regular = !train.is_out_of_cycle();
    let drop = schedule
        .as_ref()
        .filter(|_| regular)
        .map(|s| s.drop_to_test.clone());
    let (status, late_by) = status_for(
        all_handed.then_some(last_handoff).flatten(),
        drop.as_ref().map(|d| d.at),
        now,
    );
    ms.push(Milestone {
        step: Step::Handoff,
        planned: match &drop {
            Some(d) => Planned::Deadline {
                at: d.at,
                moved_because: d.moved_because.clone(),
            },
            None => Planned::After,
        },
        status,
        done_at: all_handed.then_some(last_handoff).flatten(),
        done_by: handed.iter().map(|h| h.data.by.value.clone()).collect(),
        late_by,
        progress: (features.len() > 1 || !all_handed)
            .then(|| format!("{} of {} hand-offs", handed.len(), features.len())),
    });

    // Staging.
    let staged = train
        .staging
        .as_ref()
        .and_then(|s| time(&s.data.pushed_at.value));
    ms.push(Milestone {
        step: Step::Staging,
        planned: schedule
            .as_ref()
            .filter(|_| regular)
            .map(|s| Planned::Day(s.test_start))
            .unwrap_or(Planned::After),
        status: if staged.is_some() {
            Status::Done
        } else {
            Status::Due
        },
        done_at: staged,
        done_by: train
            .staging
            .iter()
            .map(|s| s.data.pushed_by.value.clone())
            .collect(),
        late_by: None,
        progress: None,
    });

    // Sign-off.
    let signed = train.signoff.as_ref().and_then(|s| time(&s.data.at.value));
    let sdl = schedule
        .as_ref()
        .filter(|_| regular)
        .map(|s| s.test_signoff.clone());
    let (status, late_by) = status_for(signed, sdl.as_ref().map(|d| d.at), now);
    ms.push(Milestone {
        step: Step::Signoff,
        planned: match &sdl {
            Some(d) => Planned::Deadline {
                at: d.at,
                moved_because: d.moved_because.clone(),
            },
            None => Planned::After,
        },
        status,
        done_at: signed,
        done_by: train
            .signoff
            .iter()
            .map(|s| s.data.by.value.clone())
            .collect(),
        late_by,
        progress: train.signoff.as_ref().map(|s| match s.data.decision.value {
            Decision::Go => "go".to_string(),
            Decision::NoGo => "no-go".to_string(),
        }),
    });

    // Push: late when it started after the window closed, overdue once the window has passed.
    let push = train.push.as_ref();
    let pushed_at = push.and_then(|p| time(&p.data.started_at.value));
    let (status, late_by) = status_for(pushed_at, schedule.as_ref().map(|s| s.window_end), now);
    ms.push(Milestone {
        step: Step::Push,
        planned: match &schedule {
            Some(s) => Planned::Window {
                start: s.window_start,
                end: s.window_end,
            },
            None => Planned::After,
        },
        status,
        done_at: push
            .and_then(|p| time(&p.data.finished_at.value))
            .or(pushed_at),
        done_by: push
            .iter()
            .map(|p| p.data.pushed_by.value.clone())
            .collect(),
        late_by,
        progress: None,
    });

    // Validation.
    let validation = push.and_then(|p| p.data.validation.as_ref());
    let validated = validation
        .and_then(|v| v.at.as_ref())
        .and_then(|a| time(&a.value));
    let outcome = validation.and_then(|v| v.outcome.as_ref()).map(|o| o.value);
    ms.push(Milestone {
        step: Step::Validation,
        planned: Planned::After,
        status: if validated.is_some() && outcome.is_some() {
            Status::Done
        } else {
            Status::Due
        },
        done_at: validated,
        done_by: validation
            .and_then(|v| v.by.as_ref())
            .map(|b| vec![b.value.clone()])
            .unwrap_or_default(),
        late_by: None,
        progress: outcome.map(|o| match o {
            Outcome::Success => "success".to_string(),
            Outcome::RolledBack => "rolled back".to_string(),
        }),
    });

    let no_go = train
        .signoff
        .as_ref()
        .is_some_and(|s| s.data.decision.value == Decision::NoGo);
    let state = if train.is_skipped() {
        State::Skipped
    } else if let Some(o) = outcome {
        match o {
            Outcome::Success => State::Success,
            Outcome::RolledBack => State::RolledBack,
        }
    } else if push.is_some() {
        State::Pushed
    } else if no_go {
        State::NoGo
    } else if train.signoff.is_some() {
        State::SignedOff
    } else if train.staging.is_some() || all_handed {
        State::Testing
    } else if !train.handoffs.is_empty() {
        State::HandingOff
    } else {
        State::Planned
    };
    if state == State::Skipped {
        for m in &mut ms {
            m.status = Status::NotNeeded;
            m.late_by = None;
        }
    } else if state == State::NoGo {
        for m in ms
            .iter_mut()
            .filter(|m| matches!(m.step, Step::Push | Step::Validation))
        {
            m.status = Status::NotNeeded;
            m.late_by = None;
        }
    }
    Tracked {
        schedule,
        state,
        milestones: ms,
    }
}

/// The train the team is working on at `now`: the first one whose push day has
/// not passed and that is not skipped; else the last train.
pub fn current_train(repo: &ReleaseRepository, now: DateTime<Utc>) -> Option<usize> {
    let today = now.with_timezone(&repo.process.timezone).date_naive();
    repo.trains
        .iter()
        .position(|t| t.date >= today && !t.is_skipped())
        .or_else(|| repo.trains.len().checked_sub(1))
}

/// Who owes `step` of `train`, as people read it: the role's title and the
/// people holding it `today` ("Test (Quinn Example, Tara Example)"), and for
/// the hand-offs each project still missing with its owner when train.yaml
/// names one, else the dev role's people ("Engineering (token-server: Bob
/// Example; sync-server: Alice Example, Bob Example)"). The one answer
/// `status` and the pages give.
pub fn owed_by(repo: &ReleaseRepository, train: &Train, step: Step, today: NaiveDate) -> String {
    let process = repo.process_for(train.date);
    let role = process.role_title(step.owner()).to_string();
    let name = |handle: &str| {
        repo.people
            .get(handle)
            .map_or(handle, |person| person.name.value.as_str())
            .to_string()
    };
    let on_duty = on_duty(repo, step.owner(), today)
        .iter()
        .map(|h| name(h))
        .collect::<Vec<_>>()
        .join(", ");
    if step != Step::Handoff {
        return if on_duty.is_empty() {
            role
        } else {
            format!("{role} ({on_duty})")
        };
    }
    let missing: Vec<String> = missing_handoffs(train)
        .into_iter()
        .map(|(p, o)| match o {
            Some(o) => format!("{p}: {}", name(o)),
            None if on_duty.is_empty() => p.to_string(),
            None => format!("{p}: {on_duty}"),
        })
        .collect();
    if missing.is_empty() {
        role
    } else {
        format!("{role} ({})", missing.join("; "))
    }
}

/// Handles of the people holding `role` on `today`, who have not left: who
/// is on duty for a step now (what acts now uses today's roles).
pub fn on_duty(repo: &ReleaseRepository, role: &str, today: NaiveDate) -> Vec<String> {
    repo.people
        .with_role(role, crate::model::On::Day(today))
        .filter(|p| !p.has_left(today))
        .map(|p| p.handle.value.clone())
        .collect()
}

/// Who owes the hand-offs still missing in `train`: each planned feature
/// without one, with its owner's handle when train.yaml names one.
pub fn missing_handoffs(train: &Train) -> Vec<(&str, Option<&str>)> {
    let Some(t) = &train.train else {
        return Vec::new();
    };
    t.data
        .features
        .iter()
        .filter(|f| {
            !train
                .handoffs
                .iter()
                .any(|h| h.data.project.value == f.project.value)
        })
        .map(|f| {
            (
                f.project.value.as_str(),
                f.owner.as_ref().map(|o| o.value.as_str()),
            )
        })
        .collect()
}
