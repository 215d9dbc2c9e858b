//! `trainyard gate`: the answer a deploy pipeline gets, at the edges of the
//! window, across daylight saving time, in freezes and on holidays, with and
//! without approved exceptions, after a no-go and with errors in the train.

use crate::common::*;
use serde_json::Value;

/// The fixture's records moved to the train pushing on `date` (a Monday):
/// planning the Tuesday before, staging Thursday, sign-off Friday.
fn train_on(f: &Fixture, date: &str, with_push: bool) {
    let p = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
    let day = |back: i64| (p - chrono::Duration::days(back)).to_string();
    let shift = |text: &str| {
        text.replace("2026-11-24", &day(6))
            .replace("2026-11-26", &day(4))
            .replace("2026-11-27", &day(3))
            .replace("2026-11-30", date)
    };
    let dir = format!("releases/{date}");
    f.write(&format!("{dir}/train.yaml"), &shift(TRAIN));
    f.write(&format!("{dir}/handoffs/sync-server.yaml"), &shift(HANDOFF));
    f.write(&format!("{dir}/staging.yaml"), &shift(STAGING));
    f.write(&format!("{dir}/signoff.yaml"), &shift(SIGNOFF));
    if with_push {
        f.write(&format!("{dir}/push.yaml"), &shift(PUSH));
    }
}

/// A repository whose 2026-11-30 train is signed off with a go, not pushed yet.
fn ready() -> Fixture {
    let f = Fixture::new();
    f.remove(&format!("{T}/push.yaml"));
    f
}

struct Answer {
    code: i32,
    json: Value,
}

impl Answer {
    fn rules(&self) -> Vec<String> {
        self.json["reasons"]
            .as_array()
            .expect("reasons")
            .iter()
            .map(|r| r["rule"].as_str().expect("rule").to_string())
            .collect()
    }

    #[track_caller]
    fn allowed(&self) {
        assert_eq!(
            (self.code, self.json["allowed"].as_bool()),
            (0, Some(true)),
            "{}",
            self.json
        );
        assert!(self.rules().is_empty());
    }

    #[track_caller]
    fn refused(&self, rules: &[&str]) {
        assert_eq!(
            (self.code, self.json["allowed"].as_bool()),
            (1, Some(false)),
            "{}",
            self.json
        );
        assert_eq!(self.rules(), rules, "{}", self.json);
    }
}

fn gate(f: &Fixture, push: &str, at: &str, extra: &[&str]) -> Answer {
    let out = f
        .cmd()
        .args(["gate", push, "--format", "json", "--at", at])
        .args(extra)
        .output()
        .expect("run");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    Answer {
        code: out.status.code().expect("exit code"),
        json,
    }
}

#[test]
fn the_window_edges_in_pst_and_pdt_weeks_and_across_the_changes() {
    let f = Fixture::new();
    // PST; PDT; the Mondays right after DST starts (Mar 8) and ends (Nov 1).
    for (date, offset) in [
        ("2026-11-30", "-08:00"),
        ("2026-06-01", "-07:00"),
        ("2026-03-09", "-07:00"),
        ("2026-11-02", "-08:00"),
    ] {
        if date != "2026-11-30" {
            train_on(&f, date, false);
        } else {
            f.remove(&format!("{T}/push.yaml"));
        }
        let before = gate(&f, "production", &format!("{date} 14:59"), &[]);
        before.refused(&["push-window"]);
        assert_eq!(before.json["train"], date);
        assert_eq!(before.json["at"], format!("{date}T14:59:00{offset}"));
        assert_eq!(
            before.json["window"]["start"],
            format!("{date}T15:00:00{offset}")
        );
        assert_eq!(
            before.json["window"]["end"],
            format!("{date}T17:00:00{offset}")
        );
        gate(&f, "production", &format!("{date} 15:00"), &[]).allowed();
        gate(&f, "production", &format!("{date} 16:59"), &[]).allowed();
        gate(&f, "production", &format!("{date} 17:00"), &[]).refused(&["push-window"]);
    }
    // An instant with an offset is read as that instant: 23:30 UTC is 15:30 PST.
    gate(&f, "production", "2026-11-30T23:30:00Z", &[]).allowed();
    gate(&f, "production", "2026-11-30T22:30:00Z", &[]).refused(&["push-window"]);
}

#[test]
fn human_output_says_why_and_when() {
    let f = ready();
    let out = f
        .cmd()
        .args(["gate", "production", "--at", "2026-11-30 14:40"])
        .assert()
        .code(1);
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        text.starts_with("refused: the production push of the 2026-11-30 train may not start"),
        "{text}"
    );
    assert!(
        text.contains(
            "push-window: 14:40 PST is before the maintenance window opens (15:00 PST, in 20 min)"
        ),
        "{text}"
    );
    let out = f
        .cmd()
        .args(["gate", "production", "--at", "2026-11-30 16:30"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        text.contains("allowed") && text.contains("closes in 30 min"),
        "{text}"
    );
}

const FREEZE_EXCEPTION: &str =
    "exceptions:\n  - { rule: freeze, reason: Security fix that cannot wait, approved_by: oscar }\n";

#[test]
fn holidays_and_freezes_need_an_exception_approved_ahead() {
    let f = ready();
    let train = format!("{T}/train.yaml");
    f.write(
        "process.yaml",
        "name: Test process\nholidays:\n  - { date: 2026-11-30, name: Company day }\n",
    );
    gate(&f, "production", "2026-11-30 15:30", &[]).refused(&["freeze"]);
    f.write(&train, &format!("{TRAIN}{FREEZE_EXCEPTION}"));
    gate(&f, "production", "2026-11-30 15:30", &[]).allowed();
    f.check().none("freeze");

    f.write(
        "process.yaml",
        "name: Test process\nfreezes:\n  - { from: 2026-11-28, to: 2026-12-02, reason: Holiday traffic }\n",
    );
    f.write(&train, TRAIN);
    gate(&f, "production", "2026-11-30 15:30", &[]).refused(&["freeze"]);
    f.write(&train, &format!("{TRAIN}{FREEZE_EXCEPTION}"));
    gate(&f, "production", "2026-11-30 15:30", &[]).allowed();
    // Approved by someone who may not approve: both the freeze and the exception.
    f.write(
        &train,
        &format!("{TRAIN}{}", FREEZE_EXCEPTION.replace("oscar", "alice")),
    );
    let a = gate(&f, "production", "2026-11-30 15:30", &[]);
    a.refused(&["freeze", "exception"]);
    // The window still applies inside an approved freeze.
    f.write(&train, &format!("{TRAIN}{FREEZE_EXCEPTION}"));
    gate(&f, "production", "2026-11-30 18:00", &[]).refused(&["push-window"]);
}

#[test]
fn a_push_window_exception_in_train_yaml_covers_the_whole_train() {
    let f = ready();
    let train = format!("{T}/train.yaml");
    gate(&f, "production", "2026-11-30 18:00", &[]).refused(&["push-window"]);
    f.write(
        &train,
        &format!("{TRAIN}exceptions:\n  - {{ rule: push-window, reason: Emergency security fix, approved_by: oscar }}\n"),
    );
    gate(&f, "production", "2026-11-30 18:00", &[]).allowed();
    // …and `check` agrees: the late push.yaml is not a push-window error.
    f.write(
        &format!("{T}/push.yaml"),
        &PUSH
            .replace(
                "started_at: 2026-11-30 15:05",
                "started_at: 2026-11-30 18:00",
            )
            .replace(
                "finished_at: 2026-11-30 16:10",
                "finished_at: 2026-11-30 18:20",
            )
            .replace("at: 2026-11-30 16:30", "at: 2026-11-30 18:30")
            .replace(
                "notified_at: 2026-11-30 16:35",
                "notified_at: 2026-11-30 18:35",
            ),
    );
    f.check().clean();
    // Without the exception, check reports the push.
    f.write(&train, TRAIN);
    assert_eq!(f.check().of("push-window").len(), 2);
}

#[test]
fn no_push_without_a_go() {
    let f = ready();
    let signoff = format!("{T}/signoff.yaml");
    f.edit(&signoff, "decision: go", "decision: no-go");
    let a = gate(&f, "production", "2026-11-30 15:30", &[]);
    a.refused(&["push-without-go"]);
    assert!(a.json["reasons"][0]["message"]
        .as_str()
        .unwrap()
        .contains("no-go"));
    f.remove(&signoff);
    gate(&f, "production", "2026-11-30 15:30", &[]).refused(&["push-without-go"]);
}

#[test]
fn errors_in_the_train_refuse_the_push_with_their_rules() {
    let f = ready();
    f.edit(
        &format!("{T}/handoffs/sync-server.yaml"),
        "status: passing",
        "status: failing",
    );
    let a = gate(&f, "production", "2026-11-30 15:30", &[]);
    a.refused(&["handoff-checklist"]);
    let message = a.json["reasons"][0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("releases/2026-11-30/handoffs/sync-server.yaml:5:"),
        "{message}"
    );
    // A record of another train does not stop this one.
    let f = ready();
    train_on(&f, "2026-12-07", false);
    f.edit(
        "releases/2026-12-07/handoffs/sync-server.yaml",
        "status: passing",
        "status: failing",
    );
    gate(&f, "production", "2026-11-30 15:30", &[]).allowed();
}

#[test]
fn a_skipped_train_or_a_day_without_a_train_is_refused() {
    let f = Fixture::empty();
    f.write(
        "releases/2026-11-30/train.yaml",
        "planned_at: 2026-11-24\nfeatures: []\nskipped: { reason: Thanksgiving week }\n",
    );
    gate(&f, "production", "2026-11-30 15:30", &[]).refused(&["skipped-train"]);
    let a = gate(&f, "production", "2026-12-01 15:30", &[]);
    a.refused(&["push-window"]);
    assert_eq!(a.json["train"], Value::Null);
    // --train naming a train of another day: refused, the reason says which day.
    let f = ready();
    let a = gate(
        &f,
        "production",
        "2026-12-01 15:30",
        &["--train", "2026-11-30"],
    );
    a.refused(&["push-window"]);
    let message = a.json["reasons"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("pushes on Mon 2026-11-30, not on Tue 2026-12-01"),
        "{message}"
    );
}

#[test]
fn what_cannot_run_is_exit_2() {
    let f = ready();
    for args in [
        vec!["gate", "production", "--train", "2026-12-07"],
        vec!["gate", "production", "--train", "2026-13-01"],
        vec!["gate", "production", "--at", "2026-03-08 02:30"],
        vec!["gate", "production", "--at", "next monday"],
        vec!["gate", "sideways"],
    ] {
        let out = f.cmd().args(&args).assert().code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(!err.is_empty(), "{args:?}");
        if args.contains(&"2026-03-08 02:30") {
            assert!(err.contains("daylight saving"), "{err}");
        }
    }
}

#[test]
fn staging_is_allowed_until_test_signs_off() {
    let f = Fixture::new();
    for rec in ["push.yaml", "signoff.yaml", "staging.yaml"] {
        f.remove(&format!("{T}/{rec}"));
    }
    let a = gate(&f, "staging", "2026-11-24 18:00", &[]);
    a.allowed();
    assert_eq!(a.json["train"], "2026-11-30");
    assert_eq!(a.json["window"], Value::Null);
    // A feature without its hand-off.
    f.write(
        &format!("{T}/train.yaml"),
        &format!("{TRAIN}  - project: token-server\n    summary: Shorter tokens\n"),
    );
    gate(&f, "staging", "2026-11-24 18:00", &[]).refused(&["handoff-missing"]);
    f.write(&format!("{T}/train.yaml"), TRAIN);
    // A hand-off with an error.
    f.edit(
        &format!("{T}/handoffs/sync-server.yaml"),
        "status: passing",
        "status: failing",
    );
    gate(&f, "staging", "2026-11-24 18:00", &[]).refused(&["handoff-checklist"]);
    f.edit(
        &format!("{T}/handoffs/sync-server.yaml"),
        "status: failing",
        "status: passing",
    );
    // Signed off: the records are frozen.
    f.write(&format!("{T}/signoff.yaml"), SIGNOFF);
    gate(&f, "staging", "2026-11-28 10:00", &[]).refused(&["record-frozen"]);
}

#[test]
fn the_gate_follows_the_severity_check_gives_a_freeze() {
    // A team that made `freeze` a warning: check passes, and so does the gate.
    let f = ready();
    f.write(
        "process.yaml",
        "name: Test process\nholidays:\n  - { date: 2026-11-30, name: Company day }\nrules: { freeze: warning }\n",
    );
    assert_eq!(f.check().code, 0);
    gate(&f, "production", "2026-11-30 15:30", &[]).allowed();
    // As an error (the default) both refuse, with check's own message.
    f.write(
        "process.yaml",
        "name: Test process\nholidays:\n  - { date: 2026-11-30, name: Company day }\n",
    );
    assert_eq!(f.check().code, 1);
    let a = gate(&f, "production", "2026-11-30 15:30", &[]);
    a.refused(&["freeze"]);
    let message = a.json["reasons"][0]["message"].as_str().unwrap();
    assert!(
        message
            .starts_with("releases/2026-11-30/train.yaml:1: 2026-11-30 is a holiday (Company day)"),
        "{message}"
    );
}

#[test]
fn the_gate_takes_now_like_every_command_and_names_the_exception_that_let_a_push_through() {
    let f = ready();
    let train = format!("{T}/train.yaml");
    f.write(
        "process.yaml",
        "name: Test process\nfreezes:\n  - { from: 2026-11-28, to: 2026-12-02, reason: Holiday traffic }\n",
    );
    f.write(&train, &format!("{TRAIN}{FREEZE_EXCEPTION}"));
    let out = f
        .cmd()
        .args(["gate", "production", "--now", "2026-11-30 15:30"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(text.starts_with("allowed:"), "{text}");
    assert!(
        text.contains("freeze waived: exception approved by oscar (the change freeze (Holiday traffic), for the 2026-11-30 train)"),
        "{text}"
    );
    let a = gate(&f, "production", "2026-11-30 15:30", &[]);
    a.allowed();
    assert_eq!(a.json["waived"][0]["rule"], "freeze");
    assert_eq!(a.json["waived"][0]["approved_by"], "oscar");
    // Without a freeze there is nothing to name.
    f.write("process.yaml", "name: Test process\n");
    let a = gate(&f, "production", "2026-11-30 15:30", &[]);
    assert_eq!(a.json["waived"], serde_json::json!([]));
}
