//! Property tests of the schedule over a century of push dates, DST included.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Weekday};
use proptest::prelude::*;
use trainyard::model::process::{Holiday, Process};
use trainyard::model::Spanned;
use trainyard::schedule::{milestone_date, train_schedule};

fn monday_from(days: i64) -> NaiveDate {
    let d = NaiveDate::from_ymd_opt(2000, 1, 3).unwrap() + Duration::days(days);
    milestone_date(d, Weekday::Mon)
}

const CENTURY: i64 = 365 * 100 + 24;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn milestones_are_ordered_and_the_window_is_two_real_hours(days in 0..CENTURY) {
        let p = Process::default();
        let push = monday_from(days);
        let s = train_schedule(&p, push).unwrap();
        let planning = p.timezone.from_local_datetime(&s.planning.and_time(NaiveTime::MIN)).earliest().unwrap();
        prop_assert!(planning < s.drop_to_test.at);
        prop_assert!(s.drop_to_test.at < s.test_signoff.at);
        prop_assert!(s.test_signoff.at < s.window_start);
        prop_assert!(s.window_start < s.window_end);
        prop_assert_eq!(s.window_end - s.window_start, Duration::hours(2));
        prop_assert_eq!(s.window_start.date_naive(), push);
        prop_assert_eq!(s.planning.weekday(), Weekday::Tue);
    }

    #[test]
    fn a_holiday_moves_a_deadline_to_an_earlier_working_day(days in 0..CENTURY, back in 0i64..5) {
        let push = monday_from(days);
        let mut p = Process::default();
        let holiday = push - Duration::days(3 + back); // Fri, Thu, Wed, Tue or Mon before
        p.holidays.push(Holiday { date: holiday, name: "Holiday".into() });
        let s = train_schedule(&p, push).unwrap();
        for d in [&s.drop_to_test, &s.test_signoff] {
            prop_assert!(d.date <= d.nominal);
            prop_assert!(d.date != holiday);
            prop_assert!(!matches!(d.date.weekday(), Weekday::Sat | Weekday::Sun));
            prop_assert_eq!(d.moved_because.is_some(), d.date != d.nominal);
        }
    }

    #[test]
    fn any_daytime_window_keeps_its_length(days in 0..CENTURY, start in 6u32..20, len in 1u32..4) {
        let mut p = Process::default();
        p.production_push.start = Spanned::unplaced(NaiveTime::from_hms_opt(start, 0, 0).unwrap());
        p.production_push.end = Spanned::unplaced(NaiveTime::from_hms_opt((start + len).min(23), 0, 0).unwrap());
        let s = train_schedule(&p, monday_from(days)).unwrap();
        prop_assert_eq!(s.window_end - s.window_start, Duration::hours(i64::from((start + len).min(23) - start)));
    }
}
