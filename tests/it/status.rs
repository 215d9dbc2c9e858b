//! `trainyard status` for a fixed --now: reviewed snapshots of what a person sees.

use crate::common::*;

fn status(f: &Fixture, now: &str) -> String {
    let out = f.cmd().args(["status", "--now", now]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn mid_week_the_signoff_is_due_and_test_owes_it() {
    let f = Fixture::new();
    f.remove(&t("push.yaml"));
    f.remove(&t("signoff.yaml"));
    assert_eq!(
        status(&f, "2026-11-26 09:00"),
        "\
Release 2026-11-30 — in test (production push Mon 2026-11-30)
  ✓ Planning meeting  Tue 2026-11-24                       done Tue 2026-11-24
  ✓ Drop to Test      by 2026-11-24 17:00 PST              done 2026-11-24 16:20 PST
                      e-mail (sync-server): sent 2026-11-24 16:25 PST
  ✓ Push to staging   Wed 2026-11-25                       done 2026-11-24 18:05 PST
                      notice e-mail: sent 2026-11-26 10:05 PST
  · Test sign-off     by 2026-11-27 17:00 PST              due in 1 d 8 h — Test (Quinn Example, Tara Example) owes it
  · Production push   2026-11-30 15:00 PST–17:00 PST       due in 4 d 6 h — Service Ops (Oscar Example, Olga Example) owes it
  · Validation        after the previous step              due — Test (Quinn Example, Tara Example) owes it
Next: Test sign-off — Test (Quinn Example, Tara Example) owes it
0 open questions about the process.
"
    );
}

#[test]
fn a_missed_deadline_is_late_by() {
    let f = Fixture::new();
    f.remove(&t("push.yaml"));
    f.remove(&t("signoff.yaml"));
    let text = status(&f, "2026-11-28 17:00");
    assert!(
        text.contains(
            "✗ Test sign-off     by 2026-11-27 17:00 PST              late by 1 d — Test (Quinn Example, Tara Example) owes it"
        ),
        "{text}"
    );
}

#[test]
fn an_unknown_train_exits_2_with_the_recent_ones() {
    let f = Fixture::new();
    f.cmd()
        .args(["status", "--train", "2026-12-01"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("2026-11-30"));
}

#[test]
fn an_unsent_e_mail_is_shown_with_the_command_that_sends_it() {
    let f = Fixture::new();
    f.edit(
        &t("signoff.yaml"),
        "notified_at: 2026-11-27 16:05",
        "notified_at: \"<fill in: when the results e-mail went out>\"",
    );
    f.edit(&t("push.yaml"), "  notified_at: 2026-11-30 16:35\n", "");
    let text = status(&f, "2026-12-01 09:00");
    assert!(
        text.contains(
            "  ✓ Test sign-off     by 2026-11-27 17:00 PST              done 2026-11-27 16:00 PST\n                      e-mail: not recorded as sent — trainyard mail signoff --send --record\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("e-mail: not recorded as sent — trainyard mail validation --send --record"),
        "{text}"
    );
    assert!(
        text.contains("e-mail (sync-server): sent 2026-11-24 16:25 PST"),
        "{text}"
    );
}

#[test]
fn record_text_cannot_drive_the_terminal() {
    let f = Fixture::new();
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "project: sync-server",
        "project: \"sync-server\\e[2J\"",
    );
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "  sent_at: 2026-11-24 16:25",
        "  sent_at: \"<fill in: when>\"",
    );
    let text = status(&f, "2026-11-26 09:00");
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(
        text.contains("e-mail (sync-server\\u{1b}[2J): not recorded as sent"),
        "{text}"
    );
}
