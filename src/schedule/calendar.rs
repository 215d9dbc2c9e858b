//! Milestones and deadlines of a train, and the monthly meeting.

use super::time::{self, TimeError};
use crate::model::process::Process;
use crate::model::Pos;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;

/// A deadline of one train. When the nominal day is a weekend or holiday the
/// deadline moves to the previous working day, and `moved_because` says why.
#[derive(Debug, Clone, PartialEq)]
pub struct Deadline {
    pub nominal: NaiveDate,
    pub date: NaiveDate,
    pub at: DateTime<Tz>,
    pub moved_because: Option<String>,
}

impl Deadline {
    /// How late something done at `at` is: the one definition of lateness
    /// for a deadline (strictly after it, by how much), which the rules,
    /// tracking and every page share.
    pub fn late_by(&self, at: DateTime<Tz>) -> Option<chrono::Duration> {
        late_by(at, self.at)
    }
}

/// How late `at` is for `due`: strictly after it, by how much. A deadline's
/// lateness, and the push window's end, are both judged here.
pub fn late_by(at: DateTime<Tz>, due: DateTime<Tz>) -> Option<chrono::Duration> {
    (at > due).then(|| at - due)
}

/// Every milestone of the train whose production push is on `push_date`.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainSchedule {
    pub push_date: NaiveDate,
    pub planning: NaiveDate,
    pub drop_to_test: Deadline,
    pub test_start: NaiveDate,
    pub test_signoff: Deadline,
    pub window_start: DateTime<Tz>,
    pub window_end: DateTime<Tz>,
}

/// A configured wall time that does not exist, or exists twice, on some date.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleError {
    /// The process.yaml setting, e.g. `schedule.production_push.window.start`.
    pub setting: &'static str,
    pub pos: Pos,
    pub date: NaiveDate,
    pub error: Box<TimeError>,
}

impl ScheduleError {
    pub fn message(&self) -> String {
        format!(
            "{} falls on {} at a local time that {}",
            self.setting,
            self.date,
            match *self.error {
                TimeError::Gap { .. } => "does not exist (daylight saving time starts)",
                TimeError::Fold { .. } => "happens twice (daylight saving time ends)",
                TimeError::Unparsable { .. } => "cannot be read",
                TimeError::OutOfRange => "is outside the dates trainyard accepts",
            }
        )
    }
}

/// The last `weekday` on or before `date` (`date` itself when it is that weekday).
pub fn milestone_date(date: NaiveDate, weekday: Weekday) -> NaiveDate {
    let back = (7 + date.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
    date - Duration::days(i64::from(back))
}

/// Neither a weekend nor a holiday.
pub fn is_working_day(process: &Process, date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && process.holiday(date).is_none()
}

fn deadline(
    process: &Process,
    nominal: NaiveDate,
    by: NaiveTime,
    setting: &'static str,
    pos: Pos,
) -> Result<Deadline, ScheduleError> {
    let mut date = nominal;
    let mut because = None;
    // At most a few weekend days and holidays in a row; bounded for safety.
    for _ in 0..366 {
        if is_working_day(process, date) {
            break;
        }
        if because.is_none() {
            because = Some(match process.holiday(date) {
                Some(h) => format!("{}: {}", date.format("%a %Y-%m-%d"), h.name),
                None => format!("{} is a weekend day", date.format("%a %Y-%m-%d")),
            });
        }
        date = date.pred_opt().unwrap_or(date);
    }
    let at = time::at(process.timezone, date, by).map_err(|error| ScheduleError {
        setting,
        pos,
        date,
        error: Box::new(error),
    })?;
    Ok(Deadline {
        nominal,
        date,
        at,
        moved_because: because,
    })
}

/// The schedule of the train whose production push is on `push_date`.
pub fn train_schedule(
    process: &Process,
    push_date: NaiveDate,
) -> Result<TrainSchedule, ScheduleError> {
    let tz = process.timezone;
    let drop_nominal = milestone_date(push_date, process.drop_to_test.weekday);
    let signoff_nominal = milestone_date(push_date, process.test_signoff.weekday);
    let w = &process.production_push;
    let window = |t: NaiveTime, setting, pos| {
        time::at(tz, push_date, t).map_err(|error| ScheduleError {
            setting,
            pos,
            date: push_date,
            error: Box::new(error),
        })
    };
    Ok(TrainSchedule {
        push_date,
        planning: milestone_date(push_date, process.planning),
        drop_to_test: deadline(
            process,
            drop_nominal,
            process.drop_to_test.by.value,
            "schedule.drop_to_test.by",
            process.drop_to_test.by.pos,
        )?,
        test_start: milestone_date(push_date, process.test_start),
        test_signoff: deadline(
            process,
            signoff_nominal,
            process.test_signoff.by.value,
            "schedule.test_signoff.by",
            process.test_signoff.by.pos,
        )?,
        window_start: window(
            w.start.value,
            "schedule.production_push.window.start",
            w.start.pos,
        )?,
        window_end: window(
            w.end.value,
            "schedule.production_push.window.end",
            w.end.pos,
        )?,
    })
}

/// The configured day of the monthly planning meeting in that month, if the
/// month has such a day (a fifth Thursday may not exist).
pub fn monthly_date(process: &Process, year: i32, month: u32) -> Option<NaiveDate> {
    let m = &process.monthly;
    if m.ordinal == -1 {
        let next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)?
        };
        return Some(milestone_date(next.pred_opt()?, m.weekday));
    }
    let n = u8::try_from(m.ordinal)
        .ok()
        .filter(|n| (1..=5).contains(n))?;
    NaiveDate::from_weekday_of_month_opt(year, month, m.weekday, n)
}

/// The monthly meeting: its start and end.
#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    pub start: DateTime<Tz>,
    pub end: DateTime<Tz>,
}

pub fn monthly_meeting(
    process: &Process,
    year: i32,
    month: u32,
) -> Option<Result<Meeting, ScheduleError>> {
    let date = monthly_date(process, year, month)?;
    let m = &process.monthly;
    Some(
        time::at(process.timezone, date, m.time.value)
            .map(|start| Meeting {
                start,
                end: start + Duration::minutes(i64::from(m.minutes)),
            })
            .map_err(|error| ScheduleError {
                setting: "monthly_planning.time",
                pos: m.time.pos,
                date,
                error: Box::new(error),
            }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::process::Holiday;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn default_week_for_a_monday_push() {
        let p = Process::default();
        let s = train_schedule(&p, d("2026-11-30")).unwrap();
        assert_eq!(s.planning, d("2026-11-24"));
        assert_eq!(s.drop_to_test.at.to_rfc3339(), "2026-11-24T17:00:00-08:00");
        assert_eq!(s.test_start, d("2026-11-25"));
        assert_eq!(s.test_signoff.at.to_rfc3339(), "2026-11-27T17:00:00-08:00");
        assert_eq!(s.window_start.to_rfc3339(), "2026-11-30T15:00:00-08:00");
        assert_eq!(s.window_end.to_rfc3339(), "2026-11-30T17:00:00-08:00");
    }

    #[test]
    fn holiday_moves_the_deadline_to_the_previous_working_day() {
        let mut p = Process::default();
        p.holidays.push(Holiday {
            date: d("2026-11-27"),
            name: "Day after Thanksgiving".into(),
        });
        p.holidays.push(Holiday {
            date: d("2026-11-26"),
            name: "Thanksgiving".into(),
        });
        let s = train_schedule(&p, d("2026-11-30")).unwrap();
        assert_eq!(s.test_signoff.nominal, d("2026-11-27"));
        assert_eq!(s.test_signoff.date, d("2026-11-25"));
        assert!(s
            .test_signoff
            .moved_because
            .unwrap()
            .contains("Day after Thanksgiving"));
        assert_eq!(s.drop_to_test.moved_because, None);
    }

    #[test]
    fn window_follows_daylight_saving_time() {
        let p = Process::default();
        // The Monday after DST starts (2026-03-08) is PDT, the one before is PST.
        let before = train_schedule(&p, d("2026-03-02")).unwrap();
        let after = train_schedule(&p, d("2026-03-09")).unwrap();
        assert_eq!(
            before.window_start.to_rfc3339(),
            "2026-03-02T15:00:00-08:00"
        );
        assert_eq!(after.window_start.to_rfc3339(), "2026-03-09T15:00:00-07:00");
        // The Monday after DST ends (2026-11-01) is PST again.
        let fall = train_schedule(&p, d("2026-11-02")).unwrap();
        assert_eq!(fall.window_start.to_rfc3339(), "2026-11-02T15:00:00-08:00");
        let late_oct = train_schedule(&p, d("2026-10-26")).unwrap();
        assert_eq!(
            late_oct.window_start.to_rfc3339(),
            "2026-10-26T15:00:00-07:00"
        );
    }

    #[test]
    fn a_window_inside_the_gap_is_an_error_not_a_shift() {
        let mut p = Process::default();
        p.production_push.weekday = Weekday::Sun;
        p.production_push.start =
            crate::model::Spanned::unplaced(NaiveTime::from_hms_opt(2, 30, 0).unwrap());
        let e = train_schedule(&p, d("2026-03-08")).unwrap_err();
        assert!(matches!(*e.error, TimeError::Gap { .. }));
        assert_eq!(e.setting, "schedule.production_push.window.start");
    }

    #[test]
    fn monthly_meeting_first_thursday() {
        let p = Process::default();
        assert_eq!(monthly_date(&p, 2026, 12), Some(d("2026-12-03")));
        assert_eq!(monthly_date(&p, 2026, 10), Some(d("2026-10-01")));
        let mut last = Process::default();
        last.monthly.ordinal = -1;
        assert_eq!(monthly_date(&last, 2026, 12), Some(d("2026-12-31")));
        let m = monthly_meeting(&p, 2026, 12).unwrap().unwrap();
        assert_eq!(m.start.to_rfc3339(), "2026-12-03T10:00:00-08:00");
        assert_eq!((m.end - m.start).num_minutes(), 60);
    }
}
