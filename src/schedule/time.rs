//! Reading and showing dates and times in the process timezone.
//!
//! A time is either RFC 3339 with an offset, or a local wall time read in the
//! process timezone. Local times that do not exist (the spring-forward gap) or
//! happen twice (the fall-back hour) are errors, never silently shifted.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;

/// Why a date or time could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeError {
    /// Not in any accepted form.
    Unparsable { expected: &'static str },
    /// A real date, but outside [`FIRST_DATE`]..=[`LAST_DATE`].
    OutOfRange,
    /// A local time inside the spring-forward gap.
    Gap { local: NaiveDateTime, tz: Tz },
    /// A local time inside the fall-back hour.
    Fold {
        local: NaiveDateTime,
        tz: Tz,
        earlier: DateTime<Tz>,
        later: DateTime<Tz>,
    },
}

impl TimeError {
    /// `time-format`: the value `raw`, written at `pos` in `file`, could not
    /// be read as a date or time.
    pub fn diagnostic(
        &self,
        file: &str,
        pos: crate::diagnostics::Pos,
        raw: &str,
    ) -> crate::diagnostics::Diagnostic {
        crate::diagnostics::Diagnostic::new(
            crate::diagnostics::Rule::TimeFormat,
            file,
            pos,
            self.message(raw),
        )
        .help(self.help())
    }

    /// A one-line description, given the text that was written.
    pub fn message(&self, raw: &str) -> String {
        match self {
            TimeError::Unparsable { expected } => format!("`{raw}` is not a valid {expected}"),
            TimeError::OutOfRange => format!(
                "`{raw}` is outside the dates trainyard accepts ({FIRST_DATE} to {LAST_DATE})"
            ),
            TimeError::Gap { tz, .. } => format!(
                "`{raw}` does not exist in {tz}: the clocks skip that hour when daylight saving time starts"
            ),
            TimeError::Fold { tz, .. } => format!(
                "`{raw}` is ambiguous in {tz}: that hour happens twice when daylight saving time ends"
            ),
        }
    }

    /// How to fix it.
    pub fn help(&self) -> String {
        match self {
            TimeError::Unparsable { expected } if *expected == "date" => {
                "write a date as YYYY-MM-DD, e.g. 2026-11-24".into()
            }
            TimeError::Unparsable { expected } if *expected == "wall time" => {
                "write a wall time as HH:MM, e.g. \"17:00\"".into()
            }
            TimeError::OutOfRange => {
                "check the year: records, holidays and freezes are dated between 1970 and 2199".into()
            }
            TimeError::Unparsable { .. } => {
                "write a local time as `YYYY-MM-DD HH:MM` (process timezone) or RFC 3339 with an offset, e.g. 2026-11-24T16:20:00-08:00".into()
            }
            TimeError::Gap { local, tz } => {
                let after = *local + chrono::Duration::hours(1);
                let example = tz
                    .from_local_datetime(&after)
                    .earliest()
                    .map(|t| t.to_rfc3339())
                    .unwrap_or_default();
                format!("write the time with an explicit offset; one hour later is {example}")
            }
            TimeError::Fold { earlier, later, .. } => format!(
                "write the time with an explicit offset: {} ({}) or {} ({})",
                earlier.to_rfc3339(),
                earlier.format("%Z"),
                later.to_rfc3339(),
                later.format("%Z")
            ),
        }
    }
}

/// The number written in ASCII digits at `range` of `b`, if all are digits.
fn digits(b: &[u8], range: std::ops::Range<usize>) -> Option<u32> {
    let part = b.get(range)?;
    part.iter()
        .all(u8::is_ascii_digit)
        .then(|| part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
}

/// A calendar date, strictly `YYYY-MM-DD` (read by hand: train folders, record
/// names and every time in the records go through here, and chrono would parse
/// a format string on each call).
pub fn parse_date(raw: &str) -> Result<NaiveDate, TimeError> {
    let date = any_date(raw)?;
    in_range(date).then_some(date).ok_or(TimeError::OutOfRange)
}

/// The first date trainyard accepts anywhere (records, process.yaml, `--now`).
/// A far-off date is almost always a typo, and the site draws the calendar
/// around the dates it is given: bounded dates keep a build's output bounded.
pub const FIRST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1970, 1, 1) {
    Some(d) => d,
    None => panic!("a real date"),
};

/// The last date trainyard accepts (see [`FIRST_DATE`]).
pub const LAST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(2199, 12, 31) {
    Some(d) => d,
    None => panic!("a real date"),
};

/// Whether `date` is within [`FIRST_DATE`]..=[`LAST_DATE`].
pub fn in_range(date: NaiveDate) -> bool {
    (FIRST_DATE..=LAST_DATE).contains(&date)
}

/// A `YYYY-MM-DD` date, whatever its year.
fn any_date(raw: &str) -> Result<NaiveDate, TimeError> {
    let b = raw.trim().as_bytes();
    let date = || {
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year = i32::try_from(digits(b, 0..4)?).ok()?;
        NaiveDate::from_ymd_opt(year, digits(b, 5..7)?, digits(b, 8..10)?)
    };
    date().ok_or(TimeError::Unparsable { expected: "date" })
}

/// A wall-clock time of day, `HH:MM`.
pub fn parse_wall_time(raw: &str) -> Result<NaiveTime, TimeError> {
    let b = raw.trim().as_bytes();
    let time = || {
        if b.len() != 5 || b[2] != b':' {
            return None;
        }
        NaiveTime::from_hms_opt(digits(b, 0..2)?, digits(b, 3..5)?, 0)
    };
    time().ok_or(TimeError::Unparsable {
        expected: "wall time",
    })
}

/// The instant a local wall time names in `tz`; gaps and folds are errors.
pub fn local(tz: Tz, local: NaiveDateTime) -> Result<DateTime<Tz>, TimeError> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t),
        LocalResult::None => Err(TimeError::Gap { local, tz }),
        LocalResult::Ambiguous(earlier, later) => Err(TimeError::Fold {
            local,
            tz,
            earlier,
            later,
        }),
    }
}

/// The instant of `time` on `date` in `tz`.
pub fn at(tz: Tz, date: NaiveDate, time: NaiveTime) -> Result<DateTime<Tz>, TimeError> {
    local(tz, date.and_time(time))
}

/// The first instant of `date` in `tz`: local midnight, its first occurrence
/// when the clocks repeat it, or the end of the gap when they skip it (the
/// one way trainyard turns a day into an instant: a planning meeting's day,
/// `--now DATE`).
pub fn start_of_day(tz: Tz, date: NaiveDate) -> DateTime<Tz> {
    let midnight = date.and_time(NaiveTime::MIN);
    match tz.from_local_datetime(&midnight) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t,
        // Gaps are at most a few hours long, and never span a whole day;
        // the UTC reading of midnight is a last resort no zone needs.
        LocalResult::None => (1..=24 * 4)
            .map(|q| midnight + chrono::Duration::minutes(15 * q))
            .find_map(|l| tz.from_local_datetime(&l).earliest())
            .unwrap_or_else(|| tz.from_utc_datetime(&midnight)),
    }
}

/// `YYYY-MM-DD HH:MM[:SS]` (or with `T`), read directly: this is the form
/// people write, so it is the fast path.
fn parse_local(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes();
    if !(b.len() == 16 || b.len() == 19) || !(b[10] == b' ' || b[10] == b'T') || b[13] != b':' {
        return None;
    }
    let seconds = if b.len() == 19 {
        if b[16] != b':' {
            return None;
        }
        digits(b, 17..19)?
    } else {
        0
    };
    let date = any_date(&s[..10]).ok()?;
    let time = NaiveTime::from_hms_opt(digits(b, 11..13)?, digits(b, 14..16)?, seconds)?;
    Some(date.and_time(time))
}

/// A time value from a record: RFC 3339 with an offset, or local wall time
/// (`YYYY-MM-DD HH:MM[:SS]`) in the process timezone.
pub fn parse_time(raw: &str, tz: Tz) -> Result<DateTime<Tz>, TimeError> {
    let s = raw.trim();
    let t = match parse_local(s) {
        Some(naive) if !in_range(naive.date()) => return Err(TimeError::OutOfRange),
        Some(naive) => local(tz, naive)?,
        None => match DateTime::parse_from_rfc3339(s) {
            Ok(t) => t.with_timezone(&tz),
            Err(_) => return Err(TimeError::Unparsable { expected: "time" }),
        },
    };
    if in_range(t.date_naive()) {
        Ok(t)
    } else {
        Err(TimeError::OutOfRange)
    }
}

/// `2026-11-24 16:20 PST`: how every time is shown to people (with seconds
/// only when there are some). The zone is its abbreviation at that instant,
/// or its offset for a zone without one.
pub fn show(t: &DateTime<Tz>) -> String {
    use chrono::Timelike;
    let format = if t.second() == 0 {
        "%Y-%m-%d %H:%M %Z"
    } else {
        "%Y-%m-%d %H:%M:%S %Z"
    };
    t.format(format).to_string()
}

/// An ISO 8601 date-time without zone: `2026-11-24T16:20:00` (extended, as in
/// Atom) or `20261124T162000` (basic, as in iCalendar).
pub fn iso_stamp(t: &NaiveDateTime, basic: bool) -> String {
    let format = if basic {
        "%Y%m%dT%H%M%S"
    } else {
        "%Y-%m-%dT%H:%M:%S"
    };
    t.format(format).to_string()
}

/// `16:20 PST`: a time of day with its zone, as in a push window.
pub fn show_clock(t: &DateTime<Tz>) -> String {
    t.format("%H:%M %Z").to_string()
}

/// `Tue 2026-11-24`
pub fn show_date(d: NaiveDate) -> String {
    d.format("%a %Y-%m-%d").to_string()
}

/// "3 h", "1 d 2 h", "15 min": a human duration for lateness.
pub fn show_duration(d: chrono::Duration) -> String {
    let mins = d.num_minutes().abs();
    let secs = d.num_seconds().abs();
    if mins == 0 {
        return format!("{secs} s");
    }
    let (days, hours, m) = (mins / 1440, (mins % 1440) / 60, mins % 60);
    match (days, hours, m) {
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;
    use chrono_tz::America::Los_Angeles as LA;

    #[test]
    fn local_and_offset_forms_name_the_same_instant() {
        let a = parse_time("2026-11-24 16:20", LA).unwrap();
        let b = parse_time("2026-11-24T16:20:00-08:00", LA).unwrap();
        let c = parse_time("2026-11-25T00:20:00Z", LA).unwrap();
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_eq!(show(&a), "2026-11-24 16:20 PST");
    }

    #[test]
    fn every_real_date_parses_and_nothing_else() {
        let mut d = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
        while d.year() <= 2300 {
            let parsed = parse_date(&d.to_string());
            if in_range(d) {
                assert_eq!(parsed.ok(), Some(d), "{d}");
            } else {
                assert!(matches!(parsed, Err(TimeError::OutOfRange)), "{d}");
            }
            d = d.succ_opt().unwrap();
        }
        assert!(parse_date("1970-01-01").is_ok() && parse_date("2199-12-31").is_ok());
        for far in ["1969-12-31", "2200-01-01", "9999-12-27", "0001-01-01"] {
            assert!(
                matches!(parse_date(far), Err(TimeError::OutOfRange)),
                "{far}"
            );
        }
        for far in [
            "9999-12-27 10:00",
            "0001-01-01T00:00:00Z",
            "2200-01-02T00:00:00+14:00",
            "1969-12-31T00:00:00Z",
        ] {
            assert!(
                matches!(parse_time(far, LA), Err(TimeError::OutOfRange)),
                "{far}"
            );
        }
        assert!(parse_date(" 2028-02-29 ").is_ok());
        for bad in [
            "2026-02-29",
            "2026-02-30",
            "2026-13-01",
            "2026-00-10",
            "2026-11-00",
            "2026-11-3",
            "2026-1-010",
            "+026-11-30",
            "2026/11/30",
            "2026-11-3a",
            "20261130",
            "",
            "2026-11-30T",
            "２０２６-11-30",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_wall_time_parses_and_nothing_else() {
        for h in 0..24 {
            for m in 0..60 {
                let raw = format!("{h:02}:{m:02}");
                assert_eq!(parse_wall_time(&raw).ok(), NaiveTime::from_hms_opt(h, m, 0));
            }
        }
        for bad in [
            "24:00", "23:60", "9:305", "9:05", "0905", "ab:cd", "12:3x", "", "12:30:00",
        ] {
            assert!(parse_wall_time(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn summer_times_are_pdt() {
        let t = parse_time("2026-06-01 15:00", LA).unwrap();
        assert_eq!(show(&t), "2026-06-01 15:00 PDT");
    }

    #[test]
    fn shown_times_and_dates_read_as_chrono_formats_them() {
        for raw in [
            "2026-11-01 01:30:15-08:00",
            "2026-03-08T03:00:00-07:00",
            "1999-12-31 23:59",
        ] {
            let t = parse_time(raw, LA).unwrap();
            let want = if raw.ends_with(":15-08:00") {
                t.format("%Y-%m-%d %H:%M:%S %Z").to_string()
            } else {
                t.format("%Y-%m-%d %H:%M %Z").to_string()
            };
            assert_eq!(show(&t), want, "{raw}");
            assert_eq!(
                show_date(t.date_naive()),
                t.format("%a %Y-%m-%d").to_string()
            );
            assert_eq!(show_clock(&t), t.format("%H:%M %Z").to_string());
        }
        assert_eq!(
            show(&parse_time("2026-11-01 01:30:15-08:00", LA).unwrap()),
            "2026-11-01 01:30:15 PST"
        );
    }

    #[test]
    fn times_are_shown_with_the_zone_in_force() {
        let at = |tz: Tz, raw: &str| show(&parse_time(raw, tz).unwrap());
        assert_eq!(at(LA, "2026-07-01 15:00"), "2026-07-01 15:00 PDT");
        assert_eq!(
            at(chrono_tz::Asia::Kolkata, "2026-07-01 15:00"),
            "2026-07-01 15:00 IST"
        );
        // A zone without an abbreviation shows its offset.
        assert_eq!(
            at(chrono_tz::Asia::Dubai, "2026-07-01 15:00"),
            "2026-07-01 15:00 +04"
        );
        let t = parse_time("2026-11-24 16:20:05", LA).unwrap();
        assert_eq!(iso_stamp(&t.naive_local(), false), "2026-11-24T16:20:05");
        assert_eq!(iso_stamp(&t.naive_local(), true), "20261124T162005");
        assert_eq!(show_date(t.date_naive()), "Tue 2026-11-24");
        assert_eq!(show_clock(&t), "16:20 PST");
    }

    #[test]
    fn gap_and_fold_are_errors() {
        assert!(matches!(
            parse_time("2026-03-08 02:30", LA),
            Err(TimeError::Gap { .. })
        ));
        let fold = parse_time("2026-11-01 01:30", LA).unwrap_err();
        assert!(matches!(fold, TimeError::Fold { .. }));
        assert!(fold.help().contains("-07:00") && fold.help().contains("-08:00"));
        // With an explicit offset the same wall times are fine.
        assert!(parse_time("2026-11-01T01:30:00-08:00", LA).is_ok());
    }

    #[test]
    fn local_forms() {
        let want = parse_time("2026-11-24T16:20:00-08:00", LA).unwrap();
        for s in [
            "2026-11-24 16:20",
            "2026-11-24T16:20",
            "2026-11-24 16:20:00",
            " 2026-11-24T16:20:00 ",
        ] {
            assert_eq!(parse_time(s, LA).unwrap(), want, "{s}");
        }
        assert_eq!(
            parse_time("2026-11-24 16:20:30", LA)
                .unwrap()
                .format("%S")
                .to_string(),
            "30"
        );
        for bad in [
            "2026-11-24 16:2",
            "2026-11-24 1620",
            "2026-11-24 16:20:3",
            "2026-11-24x16:20",
            "2026-11-24 16:60",
        ] {
            assert!(parse_time(bad, LA).is_err(), "{bad}");
        }
    }

    #[test]
    fn garbage_is_unparsable() {
        for s in [
            "",
            "yesterday",
            "2026-13-01 10:00",
            "2026-11-24 25:00",
            "2026-02-30",
        ] {
            assert!(parse_time(s, LA).is_err(), "{s}");
        }
        assert!(parse_date("2026-2-3").is_err());
        assert!(parse_date("2026-02-29").is_err());
        assert!(parse_date("2028-02-29").is_ok());
        assert!(parse_wall_time("7:00").is_err());
        assert!(parse_wall_time("07:00").is_ok());
    }

    #[test]
    fn durations_read_like_people_talk() {
        assert_eq!(show_duration(chrono::Duration::minutes(3 * 60)), "3 h");
        assert_eq!(show_duration(chrono::Duration::minutes(26 * 60)), "1 d 2 h");
        assert_eq!(show_duration(chrono::Duration::seconds(1)), "1 s");
        assert_eq!(show_duration(chrono::Duration::minutes(75)), "1 h 15 min");
    }

    #[test]
    fn a_day_starts_at_its_first_midnight_or_after_the_gap() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // An ordinary day, and the Los Angeles change days (at 02:00).
        for day in ["2026-06-01", "2026-03-08", "2026-11-01"] {
            let t = start_of_day(LA, d(day));
            assert_eq!(t.naive_local(), d(day).and_time(NaiveTime::MIN), "{day}");
        }
        // Havana repeats its midnight hour on 2026-11-01: the first one (CDT).
        let havana = chrono_tz::America::Havana;
        let t = start_of_day(havana, d("2026-11-01"));
        assert_eq!(t.to_rfc3339(), "2026-11-01T00:00:00-04:00");
        // Havana skips midnight on 2026-03-08: the day starts at 01:00 CDT.
        let t = start_of_day(havana, d("2026-03-08"));
        assert_eq!(t.to_rfc3339(), "2026-03-08T01:00:00-04:00");
    }
}
