//! Daylight saving time, through the binary: deadlines and windows in PST and
//! PDT, and local times in the gap or the fold.

use crate::common::*;

/// A complete train pushed on `push` (a Monday), planned the Tuesday before.
fn train(f: &Fixture, push: &str, tue: &str, fri: &str) {
    let dir = format!("releases/{push}");
    f.write(
        &format!("{dir}/train.yaml"),
        &TRAIN.replace("2026-11-24", tue),
    );
    f.write(
        &format!("{dir}/handoffs/sync-server.yaml"),
        &HANDOFF.replace("2026-11-24", tue),
    );
    f.write(
        &format!("{dir}/staging.yaml"),
        &format!("pushed_by: oscar\npushed_at: {tue} 18:05\n"),
    );
    f.write(
        &format!("{dir}/signoff.yaml"),
        &SIGNOFF
            .replace("2026-11-27", fri)
            .replace("2026-11-30", push),
    );
    f.write(
        &format!("{dir}/push.yaml"),
        &PUSH.replace("2026-11-30", push),
    );
}

#[test]
fn the_window_is_pacific_local_time_in_summer_and_winter() {
    let f = Fixture::empty();
    train(&f, "2026-03-02", "2026-02-24", "2026-02-27"); // PST
    train(&f, "2026-03-09", "2026-03-03", "2026-03-06"); // first PDT Monday
    train(&f, "2026-11-02", "2026-10-27", "2026-10-30"); // first PST Monday
    f.check().clean();
    // 15:05 written with the summer offset is 14:05 PST in winter: outside.
    f.edit(
        "releases/2026-03-02/push.yaml",
        "started_at: 2026-03-02 15:05",
        "started_at: 2026-03-02T15:05:00-07:00",
    );
    let out = f.check();
    let d = out.one("push-window", "releases/2026-03-02/push.yaml", 2);
    assert!(d.message.contains("14:05 PST"), "{d:?}");
    // 15:05 PDT on the first summer Monday is inside.
    f.edit(
        "releases/2026-03-02/push.yaml",
        "started_at: 2026-03-02T15:05:00-07:00",
        "started_at: 2026-03-02 15:05",
    );
    f.edit(
        "releases/2026-03-09/push.yaml",
        "started_at: 2026-03-09 15:05",
        "started_at: 2026-03-09T15:05:00-07:00",
    );
    f.check().clean();
}

#[test]
fn deadlines_in_the_week_daylight_saving_time_ends() {
    let f = Fixture::empty();
    train(&f, "2026-11-02", "2026-10-27", "2026-10-30");
    // Tuesday 2026-10-27 is still PDT: 17:00 PDT is 00:00 UTC.
    f.edit(
        "releases/2026-11-02/handoffs/sync-server.yaml",
        "at: 2026-10-27 16:20",
        "at: 2026-10-28T00:00:00Z",
    );
    f.edit(
        "releases/2026-11-02/handoffs/sync-server.yaml",
        "sent_at: 2026-10-27 16:25",
        "sent_at: 2026-10-27 17:05",
    );
    f.check().clean();
    f.edit(
        "releases/2026-11-02/handoffs/sync-server.yaml",
        "at: 2026-10-28T00:00:00Z",
        "at: 2026-10-28T00:00:01Z",
    );
    let out = f.check();
    let d = out.one(
        "handoff-deadline",
        "releases/2026-11-02/handoffs/sync-server.yaml",
        3,
    );
    assert!(d.message.contains("2026-10-27 17:00 PDT"), "{d:?}");
}

#[test]
fn a_local_time_in_the_spring_forward_gap_is_an_error() {
    let f = Fixture::new();
    f.edit(&t("staging.yaml"), "notices:\n", "notices:\n  - { at: 2026-03-08 02:30, by: oscar, summary: x, test_notified_at: 2026-03-08T04:00:00-07:00 }\n");
    let out = f.check();
    let d = out.one("time-format", &t("staging.yaml"), 4);
    assert!(d.message.contains("does not exist"), "{d:?}");
    assert!(d.help.as_deref().unwrap().contains("offset"), "{d:?}");
}

#[test]
fn a_local_time_in_the_fall_back_fold_is_an_error_until_an_offset_picks_one() {
    let f = Fixture::new();
    f.edit(&t("staging.yaml"), "notices:\n", "notices:\n  - { at: 2026-11-01 01:30, by: oscar, summary: x, test_notified_at: 2026-11-01 03:00 }\n");
    let out = f.check();
    let d = out.one("time-format", &t("staging.yaml"), 4);
    assert!(d.message.contains("ambiguous"), "{d:?}");
    let help = d.help.as_deref().unwrap();
    assert!(
        help.contains("2026-11-01T01:30:00-07:00") && help.contains("2026-11-01T01:30:00-08:00"),
        "{help}"
    );
    f.edit(
        &t("staging.yaml"),
        "at: 2026-11-01 01:30",
        "at: \"2026-11-01T01:30:00-08:00\"",
    );
    f.check().none("time-format");
}
