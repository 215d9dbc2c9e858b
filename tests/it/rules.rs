//! One test per rule: break the valid fixture in one place, assert the rule id,
//! file and line; and show the rule stays quiet on the valid neighbour.

use crate::common::*;

#[test]
fn yaml_syntax() {
    let f = Fixture::new();
    f.write(
        &t("staging.yaml"),
        "pushed_by: oscar\npushed_at: [2026-11-24\n",
    );
    let out = f.check();
    let d = out.one("yaml-syntax", &t("staging.yaml"), 2);
    assert_eq!(out.code, 1);
    assert!(d.help.is_some());
    // One broken file does not hide the others' problems.
    f.edit(&t("signoff.yaml"), "by: quinn", "by: nobody");
    let out = f.check();
    out.one("yaml-syntax", &t("staging.yaml"), 2);
    out.one("unknown-person", &t("signoff.yaml"), 1);
}

#[test]
fn yaml_syntax_in_question_front_matter() {
    let f = Fixture::new();
    f.write(
        "questions/0002-broken.md",
        "---\ntitle: [unclosed\nasked_by: x\n---\nbody\n",
    );
    // The parser notices the unclosed `[` where the next key starts: file line 3.
    f.check().one("yaml-syntax", "questions/0002-broken.md", 3);
    f.write("questions/0002-broken.md", "no front matter at all\n");
    f.check().one("yaml-syntax", "questions/0002-broken.md", 1);
}

#[test]
fn schema_unknown_field_suggests_the_nearest_name() {
    let f = Fixture::new();
    f.edit(&t("signoff.yaml"), "regression: pass", "regresion: pass");
    let out = f.check();
    let d = out.one("schema", &t("signoff.yaml"), 4);
    assert_eq!(d.column, 1);
    assert!(d.message.contains("regresion"), "{d:?}");
    assert_eq!(d.help.as_deref(), Some("did you mean `regression`?"));
}

#[test]
fn schema_wrong_enum_value_and_wrong_type() {
    let f = Fixture::new();
    f.edit(&t("signoff.yaml"), "decision: go", "decision: maybe");
    let out = f.check();
    let d = out.one("schema", &t("signoff.yaml"), 3);
    assert_eq!(d.column, 11);
    f.edit(&t("signoff.yaml"), "decision: maybe", "decision: go");
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "required: true",
        "required: [yes]",
    );
    f.check().one("schema", &t("handoffs/sync-server.yaml"), 7);
}

#[test]
fn schema_missing_required_field() {
    let f = Fixture::new();
    f.edit(&t("handoffs/sync-server.yaml"), "tag: v1.14.2\n", "");
    let out = f.check();
    let d = out.one("schema", &t("handoffs/sync-server.yaml"), 1);
    assert!(d.message.contains("`tag`"), "{d:?}");
    // A nested mapping's missing field points inside that mapping.
    let f = Fixture::new();
    f.edit(&t("handoffs/sync-server.yaml"), ", status: passing", "");
    let d = f
        .check()
        .one("schema", &t("handoffs/sync-server.yaml"), 5)
        .clone();
    assert!(d.message.contains("`status`") && d.column > 1, "{d:?}");
    // An empty record is reported, not silently accepted.
    let f = Fixture::new();
    f.write(&t("staging.yaml"), "# nothing yet\n");
    f.check().one("schema", &t("staging.yaml"), 1);
}

#[test]
fn schema_in_process_yaml_rules_and_people_roles() {
    let f = Fixture::new();
    f.write("process.yaml", "rules:\n  push-windw: warning\n");
    let d = f.check().one("schema", "process.yaml", 2).clone();
    assert_eq!(d.help.as_deref(), Some("did you mean `push-window`?"));
    let f = Fixture::new();
    f.edit("people.yaml", "roles: [security]", "roles: [securty]");
    f.check().one("schema", "people.yaml", 8);
}

#[test]
fn file_name() {
    let f = Fixture::new();
    f.write(&t("signof.yaml"), "by: quinn\n");
    let out = f.check();
    let d = out.one("file-name", &t("signof.yaml"), 1);
    assert_eq!(d.help.as_deref(), Some("did you mean `signoff.yaml`?"));

    let f = Fixture::new();
    f.write("releases/2026-02-30/train.yaml", TRAIN);
    f.check().one("file-name", "releases/2026-02-30", 1);

    let f = Fixture::new();
    f.write(
        &t("handoffs/sync.yaml"),
        &f.read(&t("handoffs/sync-server.yaml")),
    );
    f.remove(&t("handoffs/sync-server.yaml"));
    f.check().one("file-name", &t("handoffs/sync.yaml"), 1);

    let f = Fixture::new();
    f.write("planning/december.yaml", PLANNING);
    f.check().one("file-name", "planning/december.yaml", 1);

    let f = Fixture::new();
    f.write("questions/README.md", "hello\n");
    f.check().one("file-name", "questions/README.md", 1);

    // Dotfiles are ignored, and the valid neighbour is quiet.
    let f = Fixture::new();
    f.write(&t(".gitkeep"), "");
    f.write("releases/.DS_Store", "x");
    f.check().clean();
}

#[test]
fn file_name_for_a_train_without_train_yaml() {
    let f = Fixture::new();
    std::fs::create_dir_all(f.path("releases/2026-12-07")).unwrap();
    f.check().one("file-name", "releases/2026-12-07", 1);
}

#[test]
fn time_format() {
    let f = Fixture::new();
    f.edit(
        &t("staging.yaml"),
        "pushed_at: 2026-11-24 18:05",
        "pushed_at: Tuesday evening",
    );
    let out = f.check();
    let d = out.one("time-format", &t("staging.yaml"), 2);
    assert_eq!(d.column, 12);
    f.edit(
        &t("staging.yaml"),
        "pushed_at: Tuesday evening",
        "pushed_at: 2026-11-24T18:05:00-08:00",
    );
    f.check().clean();
}

#[test]
fn time_format_for_dates() {
    let f = Fixture::new();
    f.edit(
        &t("train.yaml"),
        "planned_at: 2026-11-24",
        "planned_at: 2026-11-31",
    );
    f.check().one("time-format", &t("train.yaml"), 1);
    let f = Fixture::new();
    f.write("process.yaml", "timezone: America/Los_Angles\n");
    let d = f.check().one("time-format", "process.yaml", 1).clone();
    assert_eq!(
        d.help.as_deref(),
        Some("did you mean `America/Los_Angeles`?")
    );
}

#[test]
fn unknown_person() {
    let f = Fixture::new();
    f.edit(&t("push.yaml"), "ops: [oscar]", "ops: [oskar]");
    let out = f.check();
    let d = out.one("unknown-person", &t("push.yaml"), 4);
    assert_eq!(
        d.help.as_deref(),
        Some("did you mean `oscar`? Or add them to people.yaml")
    );
}

#[test]
fn wrong_role() {
    let f = Fixture::new();
    f.edit(&t("handoffs/sync-server.yaml"), "by: alice", "by: quinn");
    let out = f.check();
    out.one("wrong-role", &t("handoffs/sync-server.yaml"), 2);
    // Ops signs off load tests; Security signs off security reviews.
    let f = Fixture::new();
    f.edit(
        &t("signoff.yaml"),
        "signed_off_by: oscar",
        "signed_off_by: sam",
    );
    f.check().one("wrong-role", &t("signoff.yaml"), 7);
    let f = Fixture::new();
    f.edit(&t("push.yaml"), "dev: [alice]", "dev: [oscar]");
    f.check().one("wrong-role", &t("push.yaml"), 4);
}

#[test]
fn bad_url() {
    let f = Fixture::new();
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "test_plan: https://wiki.example.com/QA/sync-1.14.2",
        "test_plan: \"javascript:alert(1)\"",
    );
    f.check().one("bad-url", &t("handoffs/sync-server.yaml"), 6);
    let f = Fixture::new();
    f.edit(
        &t("signoff.yaml"),
        "results: https://",
        "results: wiki.example.com/",
    );
    f.check().one("bad-url", &t("signoff.yaml"), 9);
}

#[test]
fn push_day() {
    let f = Fixture::empty();
    f.write(
        "releases/2026-12-01/train.yaml",
        "planned_at: 2026-11-24\nfeatures: [{ project: a, summary: b }]\n",
    );
    let out = f.check();
    let d = out.one("push-day", "releases/2026-12-01/train.yaml", 1);
    assert!(
        d.help.as_deref().unwrap().contains("releases/2026-11-30"),
        "{d:?}"
    );
    // A Monday is fine.
    let f = Fixture::empty();
    f.write(
        "releases/2026-12-07/train.yaml",
        "planned_at: 2026-12-01\nfeatures: [{ project: a, summary: b }]\n",
    );
    f.check().clean();
}

#[test]
fn planning_day() {
    let f = Fixture::new();
    f.edit(
        &t("train.yaml"),
        "planned_at: 2026-11-24",
        "planned_at: 2026-11-23",
    );
    let d = f.check().one("planning-day", &t("train.yaml"), 1).clone();
    assert_eq!(d.column, 13);
    assert_eq!(d.help.as_deref(), Some("set `planned_at: 2026-11-24`"));
}

#[test]
fn freeze_and_holiday() {
    let f = Fixture::empty();
    f.write("process.yaml", "freezes:\n  - { from: 2026-12-21, to: 2027-01-03, reason: End-of-year freeze }\nholidays:\n  - { date: 2026-09-07, name: Labor Day }\n");
    f.write(
        "releases/2026-12-28/train.yaml",
        "planned_at: 2026-12-22\nfeatures: [{ project: a, summary: b }]\n",
    );
    f.write(
        "releases/2026-09-07/train.yaml",
        "planned_at: 2026-09-01\nfeatures: [{ project: a, summary: b }]\n",
    );
    let out = f.check();
    assert_eq!(out.of("freeze").len(), 2, "{:#?}", out.diags);
    out.of("freeze").iter().for_each(|d| assert_eq!(d.line, 1));
    // Skipped trains are fine in a freeze or on a holiday.
    f.write(
        "releases/2026-12-28/train.yaml",
        "planned_at: 2026-12-22\nfeatures: []\nskipped: { reason: freeze }\n",
    );
    f.write(
        "releases/2026-09-07/train.yaml",
        "planned_at: 2026-09-01\nfeatures: []\nskipped: { reason: Labor Day }\n",
    );
    f.check().clean();
}

#[test]
fn skipped_train() {
    let f = Fixture::new();
    f.edit(
        &t("train.yaml"),
        "features:",
        "skipped: { reason: Thanksgiving week }\nfeatures:",
    );
    let out = f.check();
    assert_eq!(out.of("skipped-train").len(), 4, "{:#?}", out.diags);
    for d in out.of("skipped-train") {
        assert_eq!(d.line, 1);
    }
    let f = Fixture::empty();
    f.write(
        "releases/2026-12-07/train.yaml",
        "planned_at: 2026-12-01\nfeatures: []\n",
    );
    f.check()
        .one("skipped-train", "releases/2026-12-07/train.yaml", 2);
}

#[test]
fn unknown_project() {
    let f = Fixture::new();
    f.write(
        &t("handoffs/token-server.yaml"),
        &HANDOFF.replace("sync-server", "token-server"),
    );
    let out = f.check();
    out.one("unknown-project", &t("handoffs/token-server.yaml"), 1);
}

#[test]
fn handoff_deadline_boundary_is_inclusive() {
    let f = Fixture::new();
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "at: 2026-11-24 16:20",
        "at: 2026-11-24T17:00:00-08:00",
    );
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "sent_at: 2026-11-24 16:25",
        "sent_at: 2026-11-24 17:05",
    );
    f.check().clean();
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "at: 2026-11-24T17:00:00-08:00",
        "at: 2026-11-24T17:00:01-08:00",
    );
    let out = f.check();
    let d = out.one("handoff-deadline", &t("handoffs/sync-server.yaml"), 3);
    assert!(d.message.contains("1 s after"), "{d:?}");
}

#[test]
fn handoff_deadline_with_an_offset_from_another_zone() {
    let f = Fixture::new();
    // 01:30 UTC on Wednesday is 17:30 PST on Tuesday: late.
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "at: 2026-11-24 16:20",
        "at: 2026-11-25T01:30:00Z",
    );
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "sent_at: 2026-11-24 16:25",
        "sent_at: 2026-11-24 17:35",
    );
    f.check()
        .one("handoff-deadline", &t("handoffs/sync-server.yaml"), 3);
    // 00:59 UTC is 16:59 PST: on time.
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "at: 2026-11-25T01:30:00Z",
        "at: 2026-11-25T00:59:00Z",
    );
    f.check().clean();
}

#[test]
fn an_approved_exception_waives_the_rule_for_that_file() {
    let f = Fixture::new();
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "at: 2026-11-24 16:20",
        "at: 2026-11-25 10:00",
    );
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "sent_at: 2026-11-24 16:25",
        "sent_at: 2026-11-25 10:05",
    );
    f.edit(
        &t("staging.yaml"),
        "pushed_at: 2026-11-24 18:05",
        "pushed_at: 2026-11-25 12:00",
    );
    let late = f.check();
    late.one("handoff-deadline", &t("handoffs/sync-server.yaml"), 3);
    let text = f.read(&t("handoffs/sync-server.yaml"))
        + "exceptions:\n  - { rule: handoff-deadline, reason: CI outage, approved_by: oscar }\n";
    f.write(&t("handoffs/sync-server.yaml"), &text);
    f.check().clean();
}

#[test]
fn exception_rule() {
    let f = Fixture::new();
    let base = f.read(&t("staging.yaml"));
    f.write(
        &t("staging.yaml"),
        &(base.clone() + "exceptions:\n  - { rule: push-windw, reason: x, approved_by: olga }\n"),
    );
    let d = f.check().one("exception", &t("staging.yaml"), 6).clone();
    assert_eq!(d.help.as_deref(), Some("did you mean `push-window`?"));
    f.write(
        &t("staging.yaml"),
        &(base.clone()
            + "exceptions:\n  - { rule: push-window, reason: \"\", approved_by: olga }\n"),
    );
    f.check().one("exception", &t("staging.yaml"), 6);
    f.write(
        &t("staging.yaml"),
        &(base.clone() + "exceptions:\n  - { rule: push-window, reason: x, approved_by: alice }\n"),
    );
    f.check().one("exception", &t("staging.yaml"), 6);
    f.write(
        &t("staging.yaml"),
        &(base + "exceptions:\n  - { rule: push-window, reason: x, approved_by: olga }\n"),
    );
    f.check().clean();
}

#[test]
fn handoff_checklist() {
    let f = Fixture::new();
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "status: passing",
        "status: failing",
    );
    f.check()
        .one("handoff-checklist", &t("handoffs/sync-server.yaml"), 5);

    let f = Fixture::new();
    f.edit(&t("handoffs/sync-server.yaml"), ", signed_off_by: sam", "");
    f.check()
        .one("handoff-checklist", &t("handoffs/sync-server.yaml"), 7);

    let f = Fixture::new();
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "to: [services-qa@example.com]",
        "to: [qa@example.com]",
    );
    f.check()
        .one("handoff-checklist", &t("handoffs/sync-server.yaml"), 12);

    let f = Fixture::new();
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "cc: [services-ops@example.com]",
        "cc: []",
    );
    f.check()
        .one("handoff-checklist", &t("handoffs/sync-server.yaml"), 13);

    // Security not required: no doc or sign-off needed.
    let f = Fixture::new();
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "security: { required: true, doc: https://wiki.example.com/Security/sync, signed_off_by: sam }",
        "security: { required: false }",
    );
    f.check().clean();
}

#[test]
fn handoff_missing() {
    let f = Fixture::new();
    f.edit(
        &t("train.yaml"),
        "features:\n",
        "features:\n  - { project: token-server, summary: Key rotation }\n",
    );
    let out = f.check();
    out.one("handoff-missing", &t("train.yaml"), 3);
    // Before the sign-off, a missing hand-off is just work in progress.
    f.remove(&t("push.yaml"));
    f.remove(&t("signoff.yaml"));
    f.check().clean();
}

#[test]
fn signoff_deadline() {
    let f = Fixture::new();
    f.edit(
        &t("signoff.yaml"),
        "at: 2026-11-27 16:00",
        "at: 2026-11-27T17:00:01-08:00",
    );
    f.edit(
        &t("signoff.yaml"),
        "notified_at: 2026-11-27 16:05",
        "notified_at: 2026-11-27 17:05",
    );
    f.check().one("signoff-deadline", &t("signoff.yaml"), 2);
    f.edit(
        &t("signoff.yaml"),
        "at: 2026-11-27T17:00:01-08:00",
        "at: 2026-11-27 17:00",
    );
    f.check().clean();
}

#[test]
fn signoff_deadline_moves_for_a_holiday() {
    let f = Fixture::new();
    f.write(
        "process.yaml",
        "holidays:\n  - { date: 2026-11-27, name: Day after Thanksgiving }\n",
    );
    let out = f.check();
    let d = out.one("signoff-deadline", &t("signoff.yaml"), 2);
    assert!(d.message.contains("2026-11-26 17:00 PST"), "{d:?}");
    assert!(d.message.contains("Day after Thanksgiving"), "{d:?}");
}

#[test]
fn signoff_criteria() {
    let f = Fixture::new();
    f.edit(
        &t("signoff.yaml"),
        "cross_environment: pass",
        "cross_environment: fail",
    );
    f.check().one("signoff-criteria", &t("signoff.yaml"), 3);
    f.edit(&t("signoff.yaml"), "decision: go", "decision: no-go");
    let out = f.check();
    out.none("signoff-criteria");
    out.one("push-without-go", &t("push.yaml"), 1);

    let f = Fixture::new();
    f.edit(
        &t("signoff.yaml"),
        "load_test: { required: true, signed_off_by: oscar, environment: stage }",
        "load_test: { required: true }",
    );
    f.check().one("signoff-criteria", &t("signoff.yaml"), 7);
}

#[test]
fn push_without_go() {
    let f = Fixture::new();
    f.remove(&t("signoff.yaml"));
    f.check().one("push-without-go", &t("push.yaml"), 1);
}

#[test]
fn push_window() {
    let f = Fixture::new();
    f.edit(
        &t("push.yaml"),
        "started_at: 2026-11-30 15:05",
        "started_at: 2026-11-30 14:59",
    );
    f.check().one("push-window", &t("push.yaml"), 2);
    let f = Fixture::new();
    f.edit(
        &t("push.yaml"),
        "finished_at: 2026-11-30 16:10",
        "finished_at: 2026-11-30T17:00:01-08:00",
    );
    f.edit(
        &t("push.yaml"),
        "at: 2026-11-30 16:30",
        "at: 2026-11-30 17:30",
    );
    f.edit(
        &t("push.yaml"),
        "notified_at: 2026-11-30 16:35",
        "notified_at: 2026-11-30 17:35",
    );
    f.check().one("push-window", &t("push.yaml"), 3);
    // Exactly 15:00 and 17:00 are inside.
    let f = Fixture::new();
    f.edit(
        &t("push.yaml"),
        "started_at: 2026-11-30 15:05",
        "started_at: 2026-11-30 15:00",
    );
    f.edit(
        &t("push.yaml"),
        "finished_at: 2026-11-30 16:10",
        "finished_at: 2026-11-30 17:00",
    );
    f.edit(
        &t("push.yaml"),
        "at: 2026-11-30 16:30",
        "at: 2026-11-30 17:30",
    );
    f.edit(
        &t("push.yaml"),
        "notified_at: 2026-11-30 16:35",
        "notified_at: 2026-11-30 17:35",
    );
    f.check().clean();
}

#[test]
fn changing_the_window_in_process_yaml_changes_the_rule() {
    let f = Fixture::new();
    f.write(
        "process.yaml",
        "schedule: { production_push: { window: { start: \"16:00\", end: \"18:00\" } } }\n",
    );
    f.check().one("push-window", &t("push.yaml"), 2);
}

#[test]
fn push_attendance() {
    let f = Fixture::new();
    f.edit(
        &t("push.yaml"),
        "present: { dev: [alice], test: [quinn], ops: [oscar] }",
        "present: { dev: [alice], ops: [oscar] }",
    );
    let out = f.check();
    let d = out.one("push-attendance", &t("push.yaml"), 4);
    assert!(d.message.contains("Test"), "{d:?}");
}

#[test]
fn push_validation() {
    let f = Fixture::new();
    f.edit(&t("push.yaml"), "  notified_at: 2026-11-30 16:35\n", "");
    f.check().one("push-validation", &t("push.yaml"), 6);
    let f = Fixture::new();
    f.edit(&t("push.yaml"), "outcome: success", "outcome: rolled-back");
    f.check().one("push-validation", &t("push.yaml"), 8);
    f.write(
        &t("push.yaml"),
        &(f.read(&t("push.yaml")) + "  rollback_reason: Latency tripled\n"),
    );
    f.check().clean();
    // A push without a validation yet is fine.
    let f = Fixture::new();
    let text = f.read(&t("push.yaml"));
    f.write(&t("push.yaml"), &text[..text.find("validation:").unwrap()]);
    f.check().clean();
}

#[test]
fn event_order() {
    let f = Fixture::new();
    f.edit(
        &t("staging.yaml"),
        "pushed_at: 2026-11-24 18:05",
        "pushed_at: 2026-11-24 16:00",
    );
    let out = f.check();
    let d = out.one("event-order", &t("staging.yaml"), 2);
    assert!(d.message.contains("hand-off of sync-server"), "{d:?}");
    let f = Fixture::new();
    f.edit(
        &t("signoff.yaml"),
        "notified_at: 2026-11-27 16:05",
        "notified_at: 2026-11-27 15:00",
    );
    f.check().one("event-order", &t("signoff.yaml"), 8);
}

#[test]
fn future_event() {
    let f = Fixture::new();
    let out = f.check_with(&["--now", "2026-11-30 16:20"]);
    // The validation (16:30) and its e-mail (16:35) have not happened yet.
    assert_eq!(out.of("future-event").len(), 2, "{:#?}", out.diags);
    out.of("future-event")
        .iter()
        .for_each(|d| assert_eq!(d.file, t("push.yaml")));
    // Dates may be in the future: a train is planned ahead.
    let f = Fixture::empty();
    f.write(
        "releases/2027-03-01/train.yaml",
        "planned_at: 2027-02-23\nfeatures: [{ project: a, summary: b }]\n",
    );
    f.check().clean();
}

#[test]
fn separation_of_duties() {
    let f = Fixture::new();
    f.edit(
        "people.yaml",
        "roles: [test] }\n  - { handle: tara",
        "roles: [test, dev] }\n  - { handle: tara",
    );
    f.edit(&t("handoffs/sync-server.yaml"), "by: alice", "by: quinn");
    let out = f.check();
    let found: Vec<(&str, u64)> = out
        .of("separation-of-duties")
        .iter()
        .map(|d| (d.file.as_str(), d.line))
        .collect();
    let (signoff, push) = (t("signoff.yaml"), t("push.yaml"));
    assert_eq!(
        found,
        vec![(push.as_str(), 6), (signoff.as_str(), 1)],
        "{:#?}",
        out.diags
    );
    // An exception approved by its own record's author.
    let f = Fixture::new();
    let text = f.read(&t("push.yaml"))
        + "exceptions:\n  - { rule: push-window, reason: x, approved_by: oscar }\n";
    f.write(&t("push.yaml"), &text);
    f.check().one("separation-of-duties", &t("push.yaml"), 11);
}

#[test]
fn monthly_planning() {
    let f = Fixture::new();
    f.edit(
        "planning/2026-12.yaml",
        "date: 2026-12-03",
        "date: 2026-12-04",
    );
    f.check()
        .one("monthly-planning", "planning/2026-12.yaml", 1);
    let f = Fixture::new();
    f.edit(
        "planning/2026-12.yaml",
        "[sam, oscar, alice]",
        "[oscar, alice]",
    );
    let d = f
        .check()
        .one("monthly-planning", "planning/2026-12.yaml", 2)
        .clone();
    assert!(d.message.contains("Security"), "{d:?}");
    let f = Fixture::new();
    f.edit("planning/2026-12.yaml", "2026-12-14]", "2026-12-15]");
    f.check()
        .one("monthly-planning", "planning/2026-12.yaml", 3);
}

#[test]
fn question() {
    let f = Fixture::new();
    f.edit(
        "questions/0001-handoff-record.md",
        "answered_by: oscar\n",
        "",
    );
    f.check()
        .one("question", "questions/0001-handoff-record.md", 5);
    let f = Fixture::new();
    f.edit(
        "questions/0001-handoff-record.md",
        "status: answered",
        "status: incorporated\nincorporated_in: handof",
    );
    let d = f
        .check()
        .one("question", "questions/0001-handoff-record.md", 6)
        .clone();
    assert_eq!(d.help.as_deref(), Some("did you mean `handoff`?"));
    let f = Fixture::new();
    f.edit(
        "questions/0001-handoff-record.md",
        "status: answered",
        "status: incorporated\nincorporated_in: handoff",
    );
    f.check().clean();
}

#[test]
fn severities_can_be_lowered_and_turned_off() {
    let f = Fixture::new();
    f.edit(
        &t("push.yaml"),
        "started_at: 2026-11-30 15:05",
        "started_at: 2026-11-30 14:50",
    );
    f.write("process.yaml", "rules: { push-window: warning }\n");
    let out = f.check();
    assert_eq!(out.of("push-window")[0].severity, "warning");
    assert_eq!(out.code, 0);
    assert_eq!(out.json["warnings"], 1);
    let denied = f.check_with(&["--now", NOW, "--deny-warnings"]);
    assert_eq!(denied.code, 1);
    f.write("process.yaml", "rules: { push-window: off }\n");
    f.check().clean();
}
