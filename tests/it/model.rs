//! Times and dates are read once, when the repository is loaded: a value
//! that cannot be read is one diagnostic, and every output then agrees that
//! the value is absent (none of them reads the text again).

use crate::common::*;

#[test]
fn an_unreadable_time_is_one_diagnostic_and_absent_everywhere() {
    let f = Fixture::new();
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "at: 2026-11-24 16:20",
        "at: Tuesday afternoon",
    );
    let o = f.check();
    let d = o.one("time-format", &t("handoffs/sync-server.yaml"), 3);
    assert!(d.message.contains("`Tuesday afternoon`"), "{d:?}");
    assert_eq!(o.of("time-format").len(), 1, "{:#?}", o.diags);
    // The order rules had nothing to compare: no second report of the value.
    o.none("event-order");

    // The release page shows the text as written and calls nothing late.
    let out = f.path("site");
    f.build_site(NOW, &out);
    let page = std::fs::read_to_string(out.join(format!("{T}/index.html"))).unwrap();
    assert!(page.contains("Tuesday afternoon"));
    assert!(
        !page.contains("late by"),
        "nothing is late by an unread time"
    );

    // `status` does not count the hand-off as done at some time.
    let status = f.cmd().args(["status", "--now", NOW]).output().unwrap();
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(!text.contains("Tuesday afternoon"), "{text}");
}

#[test]
fn an_unreadable_date_in_planning_and_questions_is_reported_once_each() {
    let f = Fixture::new();
    f.edit(
        "planning/2026-12.yaml",
        "date: 2026-12-03",
        "date: 2026-12-3",
    );
    f.edit(
        "questions/0001-handoff-record.md",
        "answered_at: 2026-11-21",
        "answered_at: soon",
    );
    let o = f.check();
    let found: Vec<(&str, u64)> = o
        .of("time-format")
        .iter()
        .map(|d| (d.file.as_str(), d.line))
        .collect();
    assert_eq!(
        found,
        [
            ("planning/2026-12.yaml", 1),
            ("questions/0001-handoff-record.md", 8)
        ]
    );
}

/// A time written in a day whose midnight the clocks repeat: Havana falls
/// back from 01:00 to 00:00, so 00:00–01:00 happens twice. The planning
/// meeting's day starts at the first midnight for the order rules and for
/// the tracking alike (they used to disagree: one took the first, the other
/// found no instant at all).
#[test]
fn a_planning_day_whose_midnight_repeats_is_one_instant() {
    let f = Fixture::new();
    f.write("process.yaml", "name: Havana\ntimezone: America/Havana\n");
    // 2026-11-01 is the fall-back day in Havana; the train plans on it.
    f.edit(
        &t("train.yaml"),
        "planned_at: 2026-11-24",
        "planned_at: 2026-11-01",
    );
    let o = f.check();
    o.none("time-format");
    let status = f
        .cmd()
        .args(["status", "--now", NOW, "--train", "2026-11-30"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&status.stdout);
    let planning = text
        .lines()
        .find(|l| l.contains("Planning meeting"))
        .unwrap_or_else(|| panic!("no planning line: {text}"));
    assert!(planning.contains("done Sun 2026-11-01"), "{planning}");
}

#[test]
fn a_web_address_that_is_not_one_is_one_diagnostic_and_never_linked() {
    let f = Fixture::new();
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "test_plan: https://wiki.example.com/QA/sync-1.14.2",
        "test_plan: javascript:alert(1)",
    );
    let o = f.check();
    let d = o.one("bad-url", &t("handoffs/sync-server.yaml"), 6);
    assert!(d.message.contains("`javascript:alert(1)`"), "{d:?}");

    let out = f.path("site");
    f.build_site(NOW, &out);
    let page = std::fs::read_to_string(out.join(format!("{T}/index.html"))).unwrap();
    assert!(page.contains("javascript:alert(1)"), "shown as text");
    assert!(!page.contains("href=\"javascript:"), "never linked");

    let mail = f
        .cmd()
        .args([
            "mail",
            "handoff",
            "sync-server",
            "--train",
            "2026-11-30",
            "--now",
            NOW,
        ])
        .output()
        .unwrap();
    assert_eq!(mail.status.code(), Some(1), "the record has an error");
}
