//! Irregular weeks and approvals that can be checked (issue 23): what a
//! merged record protects cannot be waived by the change that breaks it.

use crate::common::*;

/// The fixture committed on `main`, with its sign-off a `no-go`, each
/// record by its proper author.
fn merged_no_go() -> Fixture {
    let f = Fixture::new();
    f.edit(&t("signoff.yaml"), "decision: go", "decision: no-go");
    f.remove(&t("push.yaml"));
    git(f.root(), &["init", "-q", "-b", "main"]);
    let commit = |who: &str, paths: &[&str]| {
        for p in paths {
            git(f.root(), &["add", "-A", "--", p]);
        }
        git(
            f.root(),
            &[
                "-c",
                &format!("user.name={who}"),
                "-c",
                &format!("user.email={who}@example.com"),
                "commit",
                "-q",
                "-m",
                "Record",
            ],
        );
    };
    commit(
        "oscar",
        &[
            "process.yaml",
            "people.yaml",
            "planning",
            "questions",
            &t("train.yaml"),
        ],
    );
    commit("alice", &[&t("handoffs")]);
    commit("oscar", &[&t("staging.yaml")]);
    commit("quinn", &[&t("signoff.yaml")]);
    f
}

#[test]
fn a_merged_no_go_turned_go_cannot_be_waived() {
    let f = merged_no_go();
    // The forgery: the decision flipped, with an exception for the rule
    // that protects merged sign-offs.
    let signoff = f.read(&t("signoff.yaml"));
    f.write(
        &t("signoff.yaml"),
        &format!(
            "{}exceptions:\n  - {{ rule: record-immutable, reason: typo, approved_by: oscar }}\n",
            signoff.replace("decision: no-go", "decision: go")
        ),
    );
    let o = f.check_with(&["--base", "main"]);
    assert_eq!(o.code, 1, "{:#?}", o.diags);
    o.one("record-immutable", &t("signoff.yaml"), 3);
    let d = o.one("exception", &t("signoff.yaml"), 11);
    assert!(
        d.message.contains("`record-immutable` can never be waived"),
        "{d:?}"
    );

    // The same for a hand-off changed after a merged go.
    let f = Fixture::new();
    f.remove(&t("push.yaml"));
    git(f.root(), &["init", "-q", "-b", "main"]);
    commit_all_as(f.root(), "O", "oscar@example.com", "All");
    let handoff = f.read(&t("handoffs/sync-server.yaml"));
    f.write(
        &t("handoffs/sync-server.yaml"),
        &format!(
            "{}exceptions:\n  - {{ rule: record-frozen, reason: late fix, approved_by: oscar }}\n",
            handoff.replace("tag: v1.14.2", "tag: v1.14.3")
        ),
    );
    let o = f.check_with(&["--base", "main"]);
    o.one("record-frozen", &t("handoffs/sync-server.yaml"), 4);
    let d = o.one("exception", &t("handoffs/sync-server.yaml"), 15);
    assert!(
        d.message.contains("`record-frozen` can never be waived"),
        "{d:?}"
    );
}

#[test]
fn a_rollback_with_its_time_gives_the_time_to_restore() {
    let f = Fixture::new();
    f.edit(
        &t("push.yaml"),
        "outcome: success",
        "outcome: rolled-back\n  rollback_reason: Quota errors\n  rolled_back_at: 2026-11-30 16:50",
    );
    f.check().clean();
    let site = f.path("site");
    f.build_site(NOW, &site);
    let stats = std::fs::read_to_string(site.join("stats/index.html")).unwrap();
    // Push started 15:05, rolled back by 16:50.
    assert!(
        stats.contains("Median time to restore, push to rollback"),
        "{stats}"
    );
    assert!(
        stats.contains("1 h 45 min (1 of 1 rollbacks timed)"),
        "{stats}"
    );

    // Optional, so older records stay valid; but never before the validation.
    f.edit(
        &t("push.yaml"),
        "rolled_back_at: 2026-11-30 16:50",
        "rolled_back_at: 2026-11-30 16:00",
    );
    let o = f.check();
    o.one("event-order", &t("push.yaml"), 10);
}

#[test]
fn steps_that_never_happened_are_reported() {
    // A train a week and more past its push date, neither pushed nor skipped.
    let f = Fixture::new();
    f.remove(&t("push.yaml"));
    f.check().none("train-unfinished");
    let o = f.check_with(&["--now", "2026-12-08 09:00"]);
    let d = o.one("train-unfinished", &t("train.yaml"), 1);
    assert!(d.message.contains("passed 8 days ago"), "{d:?}");
    // Skipped (after a no-go, say), it is finished.
    let train = f.read(&t("train.yaml"));
    f.write(
        &t("train.yaml"),
        &format!("{train}skipped: {{ reason: No-go; the fix rides the next train }}\n"),
    );
    f.check_with(&["--now", "2026-12-08 09:00"])
        .none("train-unfinished");

    // A month whose meeting day passed with no planning file, from the
    // first recorded month on.
    let f = Fixture::new();
    let o = f.check_with(&["--now", "2027-01-08 09:00"]);
    let d = o.one("monthly-planning", "process.yaml", 1);
    assert!(
        d.message.contains(
            "no monthly planning meeting is recorded for 2027-01 (it was due Thu 2027-01-07)"
        ),
        "{d:?}"
    );
    f.check_with(&["--now", "2027-01-07 09:00"])
        .none("monthly-planning");
    // A repository that records no meetings is not asked for them.
    f.remove("planning/2026-12.yaml");
    f.check_with(&["--now", "2027-01-08 09:00"])
        .none("monthly-planning");
}

/// The fixture committed by its proper authors, with a late hand-off whose
/// exception is then added by `commit_as` (email, message).
fn late_handoff(commit_as: Option<(&str, &str)>) -> Fixture {
    let f = merged_no_go();
    f.edit(&t("signoff.yaml"), "decision: no-go", "decision: go");
    commit_all_as(f.root(), "Q", "quinn@example.com", "Go");
    let handoff = f.read(&t("handoffs/sync-server.yaml"));
    f.write(
        &t("handoffs/sync-server.yaml"),
        &format!(
            "{}exceptions:\n  - {{ rule: handoff-deadline, reason: CI outage, approved_by: oscar }}\n",
            handoff.replace("at: 2026-11-24 16:20", "at: 2026-11-24 17:20")
        ),
    );
    if let Some((email, message)) = commit_as {
        git(f.root(), &["add", "-A"]);
        git(
            f.root(),
            &[
                "-c",
                "user.name=Someone",
                "-c",
                &format!("user.email={email}"),
                "commit",
                "-q",
                "-m",
                message,
            ],
        );
    }
    f
}

#[test]
fn an_approval_counts_only_when_its_approver_made_or_co_authored_the_commit() {
    // Why the approval does not count; when it counts, the late hand-off
    // is waived.
    let approval_problem = |f: &Fixture| -> Option<String> {
        let o = f.check();
        let problem = o.of("exception").first().map(|d| d.message.clone());
        if problem.is_none() {
            o.none("handoff-deadline");
        }
        problem
    };
    // Typed by the developer: not an approval.
    let f = late_handoff(Some(("alice@example.com", "Late drop")));
    let o = f.check();
    o.one("handoff-deadline", &t("handoffs/sync-server.yaml"), 3);
    let d = o.one("exception", &t("handoffs/sync-server.yaml"), 15);
    assert!(
        d.message
            .starts_with("oscar did not approve this in the repository's history"),
        "{d:?}"
    );
    assert!(
        d.message.contains("by Someone <alice@example.com>"),
        "{d:?}"
    );

    // Committed by Oscar, or with him as a co-author: approved, and the
    // release page names the commit that proves it.
    let f = late_handoff(Some(("oscar@example.com", "Approve")));
    assert_eq!(approval_problem(&f), None);
    let site = f.path("site");
    f.build_site(NOW, &site);
    let page = std::fs::read_to_string(site.join(format!("{T}/index.html"))).unwrap();
    assert!(
        page.contains("Oscar Example <small>(in commit <code>"),
        "{page}"
    );
    assert_eq!(
        approval_problem(&late_handoff(Some((
            "alice@example.com",
            "Late drop\n\nCo-authored-by: Oscar Ramirez <oscar@example.com>"
        )))),
        None
    );
    // A trailer that names no address, or an address of nobody, proves nothing.
    let f = late_handoff(Some((
        "alice@example.com",
        "Late drop\n\nCo-authored-by: oscar",
    )));
    let msg = approval_problem(&f).expect("not proven");
    assert!(
        msg.contains("its trailer `Co-authored-by: oscar` is not `Co-authored-by: Name <address>`"),
        "{msg}"
    );
    let f = late_handoff(Some((
        "alice@example.com",
        "Late drop\n\nCo-authored-by: O <o@elsewhere.example>",
    )));
    assert!(approval_problem(&f)
        .expect("not proven")
        .contains("no Co-authored-by trailer names oscar"));
    // Not committed yet: nothing proves it.
    let f = late_handoff(None);
    assert!(approval_problem(&f)
        .expect("not proven")
        .contains("not committed yet"));
}

#[test]
fn an_approval_added_in_a_merge_or_read_from_a_shallow_clone_does_not_count() {
    // Added on a branch by Alice and merged by Oscar: merging is not
    // approving; the line was added in Alice's commit.
    let f = late_handoff(None);
    git(f.root(), &["stash", "-q"]);
    git(f.root(), &["checkout", "-q", "-b", "late"]);
    git(f.root(), &["stash", "pop", "-q"]);
    commit_all_as(f.root(), "A", "alice@example.com", "Late drop");
    git(f.root(), &["checkout", "-q", "main"]);
    git(
        f.root(),
        &[
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "Meanwhile",
            "--author",
            "Q <quinn@example.com>",
        ],
    );
    git(
        f.root(),
        &[
            "-c",
            "user.name=O",
            "-c",
            "user.email=oscar@example.com",
            "merge",
            "-q",
            "--no-ff",
            "-m",
            "Merge late",
            "late",
        ],
    );
    let o = f.check();
    let d = o.one("exception", &t("handoffs/sync-server.yaml"), 15);
    assert!(d.message.contains("oscar did not approve this"), "{d:?}");

    // A shallow clone cannot prove it: the approval is not counted.
    let f = late_handoff(Some(("oscar@example.com", "Approve")));
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", f.root().display());
    git(clone.path(), &["clone", "-q", "--depth", "1", &url, "c"]);
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("trainyard"))
        .current_dir(clone.path().join("c"))
        .args(["check", "--now", NOW, "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(
        rules.contains(&"shallow-history") && rules.contains(&"exception"),
        "{json}"
    );
}

/// An emergency push on Wednesday 2026-12-02, out of cycle, every step
/// recorded the day before and on the day.
fn hotfix(f: &Fixture, approved_by: &str) {
    let d = "releases/2026-12-02";
    f.write(
        &format!("{d}/train.yaml"),
        &format!("planned_at: 2026-12-01\nout_of_cycle: {{ reason: Security fix for bug 1240001, approved_by: {approved_by} }}\nfeatures:\n  - project: sync-server\n    summary: Token check fix\n    bugs: [1240001]\n"),
    );
    f.write(
        &format!("{d}/handoffs/sync-server.yaml"),
        &HANDOFF
            .replace("at: 2026-11-24 16:20", "at: 2026-12-01 19:20")
            .replace("sent_at: 2026-11-24 16:25", "sent_at: 2026-12-01 19:25")
            .replace("v1.14.2", "v1.14.3"),
    );
    f.write(
        &format!("{d}/staging.yaml"),
        "pushed_by: oscar\npushed_at: 2026-12-01 20:05\n",
    );
    f.write(
        &format!("{d}/signoff.yaml"),
        &SIGNOFF
            .replace("at: 2026-11-27 16:00", "at: 2026-12-02 10:00")
            .replace(
                "notified_at: 2026-11-27 16:05",
                "notified_at: 2026-12-02 10:05",
            ),
    );
}

#[test]
fn an_emergency_push_on_a_wednesday_is_a_normal_step() {
    let f = Fixture::new();
    hotfix(&f, "oscar");
    // Before the push: nothing is late, and the gate opens in the window.
    let o = f.check_with(&["--now", "2026-12-02 11:00"]);
    assert_eq!(o.code, 0, "{:#?}", o.diags);
    let status = f
        .cmd()
        .args([
            "status",
            "--now",
            "2026-12-02 11:00",
            "--train",
            "2026-12-02",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(
        !text.contains("late") && !text.contains("overdue"),
        "{text}"
    );
    let gate = |at: &str| {
        f.cmd()
            .args(["gate", "production", "--train", "2026-12-02", "--now", at])
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(gate("2026-12-02 15:30"), Some(0));
    assert_eq!(
        gate("2026-12-02 14:30"),
        Some(1),
        "the window still applies"
    );
    // Pushed inside the window: clean, and the release page says why.
    f.write(
        "releases/2026-12-02/push.yaml",
        &PUSH
            .replace("2026-11-30 15:05", "2026-12-02 15:05")
            .replace("2026-11-30 16:10", "2026-12-02 15:40")
            .replace("2026-11-30 16:30", "2026-12-02 16:00")
            .replace("2026-11-30 16:35", "2026-12-02 16:05"),
    );
    f.check_with(&["--now", "2026-12-03 09:00"]).clean();
    let site = f.path("site");
    f.build_site("2026-12-03 09:00", &site);
    let page = std::fs::read_to_string(site.join("releases/2026-12-02/index.html")).unwrap();
    assert!(
        page.contains(
            "Out of cycle:</strong> Security fix for bug 1240001 (approved by Oscar Example)"
        ),
        "{page}"
    );
    let stats = std::fs::read_to_string(site.join("stats/index.html")).unwrap();
    assert!(stats.contains("2 (1 weekly, 1 out of cycle)"), "{stats}");
}

#[test]
fn an_out_of_cycle_push_needs_a_reason_and_an_approver() {
    let f = Fixture::new();
    hotfix(&f, "alice");
    let o = f.check_with(&["--now", "2026-12-02 11:00"]);
    let d = o.one("exception", "releases/2026-12-02/train.yaml", 2);
    assert!(
        d.message
            .contains("`alice` cannot approve an out-of-cycle push"),
        "{d:?}"
    );
    let train = f.read("releases/2026-12-02/train.yaml");
    f.write(
        "releases/2026-12-02/train.yaml",
        &train.replace(
            "{ reason: Security fix for bug 1240001, approved_by: alice }",
            "{ approved_by: oscar }",
        ),
    );
    let o = f.check_with(&["--now", "2026-12-02 11:00"]);
    let d = o.one("exception", "releases/2026-12-02/train.yaml", 2);
    assert!(d.message.contains("gives no reason"), "{d:?}");
    // Without out_of_cycle, a Wednesday is no push day.
    f.write(
        "releases/2026-12-02/train.yaml",
        &train.replace(
            "out_of_cycle: { reason: Security fix for bug 1240001, approved_by: alice }\n",
            "",
        ),
    );
    f.check_with(&["--now", "2026-12-02 11:00"]).one(
        "push-day",
        "releases/2026-12-02/train.yaml",
        1,
    );
}

#[test]
fn one_ready_project_goes_to_staging_alone() {
    let f = Fixture::new();
    // A second feature, not handed off yet; the sign-off and push not yet made.
    let train = f.read(&t("train.yaml"));
    f.write(
        &t("train.yaml"),
        &format!("{train}  - project: token-server\n    summary: Key rotation\n    bugs: []\n"),
    );
    f.remove(&t("signoff.yaml"));
    f.remove(&t("push.yaml"));
    f.remove(&t("staging.yaml"));
    let gate = |extra: &[&str]| {
        let out = f
            .cmd()
            .args([
                "gate",
                "staging",
                "--train",
                "2026-11-30",
                "--now",
                "2026-11-24 18:00",
            ])
            .args(extra)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, text) = gate(&[]);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("`token-server` has no hand-off yet"),
        "{text}"
    );
    // The project that is ready goes alone.
    let (code, text) = gate(&["--project", "sync-server"]);
    assert_eq!(code, Some(0), "{text}");
    let (code, text) = gate(&["--project", "sync-servr"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("`sync-servr` is not a project the 2026-11-30 train planned"),
        "{text}"
    );
    let out = f
        .cmd()
        .args(["gate", "production", "--project", "sync-server"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));

    // staging.yaml says what went: planned projects only.
    f.write(
        &t("staging.yaml"),
        "pushed_by: oscar\npushed_at: 2026-11-24 18:05\nprojects: [sync-server, token-servr]\n",
    );
    let o = f.check_with(&["--now", "2026-11-24 18:10"]);
    let d = o.one("unknown-project", &t("staging.yaml"), 3);
    assert!(d.message.contains("`token-servr`"), "{d:?}");
    assert!(
        d.help.as_deref().unwrap_or("").contains("token-server"),
        "{d:?}"
    );
}

#[test]
fn after_a_no_go_the_fix_is_handed_off_again_and_signed_off_in_a_new_round() {
    let f = merged_no_go();
    // `new signoff` writes the next round.
    let out = f
        .cmd()
        .args([
            "new",
            "signoff",
            "--train",
            "2026-11-30",
            "--now",
            "2026-11-28 10:00",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(f.path(&t("signoff-2.yaml")).exists());
    // The fix: the hand-off changes after the no-go (a re-hand-off, past the
    // drop-to-test deadline), and round 2 says go.
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "at: 2026-11-24 16:20",
        "at: 2026-11-27 16:10",
    );
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "tag: v1.14.2",
        "tag: v1.14.3",
    );
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "sent_at: 2026-11-24 16:25",
        "sent_at: 2026-11-27 16:12",
    );
    f.write(
        &t("signoff-2.yaml"),
        &SIGNOFF
            .replace("at: 2026-11-27 16:00", "at: 2026-11-27 16:40")
            .replace(
                "notified_at: 2026-11-27 16:05",
                "notified_at: 2026-11-27 16:45",
            ),
    );
    let o = f.check_with(&["--base", "main"]);
    assert_eq!(o.code, 0, "{:#?}", o.diags);
    o.none("record-frozen");
    o.none("handoff-deadline");
    // `notify` tells of the new round by its number (the changed hand-off is
    // no new record).
    let told = f
        .cmd()
        .args(["notify", "--base", "main", "--now", "2026-11-28 10:00"])
        .output()
        .unwrap();
    let told = String::from_utf8_lossy(&told.stdout);
    assert!(
        told.contains("Test sign-off: go for the 2026-11-30 train, by Quinn Example, round 2"),
        "{told}"
    );
    assert!(!told.contains("Hand-off:"), "{told}");
    // The deciding round is the highest: the gate lets the push through.
    let gate = f
        .cmd()
        .args(["gate", "production", "--now", "2026-11-30 15:10"])
        .output()
        .unwrap();
    assert_eq!(
        gate.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&gate.stdout)
    );

    // A round whose time is before the one it follows, and a round with a gap.
    f.edit(
        &t("signoff-2.yaml"),
        "at: 2026-11-27 16:40",
        "at: 2026-11-27 15:00",
    );
    f.check().one("event-order", &t("signoff-2.yaml"), 2);
    f.edit(
        &t("signoff-2.yaml"),
        "at: 2026-11-27 15:00",
        "at: 2026-11-27 16:40",
    );
    let round2 = f.read(&t("signoff-2.yaml"));
    f.remove(&t("signoff-2.yaml"));
    f.write(&t("signoff-3.yaml"), &round2);
    let o = f.check();
    let d = o.one("file-name", &t("signoff-3.yaml"), 1);
    assert!(d.message.contains("no round 2"), "{d:?}");
}

#[test]
fn after_a_merged_go_the_hand_offs_stay_frozen() {
    // The fixture's go merged: changing a hand-off is record-frozen, and a
    // merged round is immutable.
    let f = merged_no_go();
    f.edit(&t("signoff.yaml"), "decision: no-go", "decision: go");
    commit_all_as(f.root(), "Q", "quinn@example.com", "Go");
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "tag: v1.14.2",
        "tag: v1.14.3",
    );
    let o = f.check_with(&["--base", "main"]);
    let d = o.one("record-frozen", &t("handoffs/sync-server.yaml"), 4);
    assert!(
        d.message
            .contains("after the train's go was merged (releases/2026-11-30/signoff.yaml at main)"),
        "{d:?}"
    );
}

#[test]
fn codeowners_routes_a_record_that_waives_a_rule_to_an_approver() {
    let f = Fixture::new();
    f.write(
        "people.yaml",
        &PEOPLE
            .replace("roles: [dev] }", "roles: [dev], github: alice-gh }")
            .replace(
                "email: oscar@example.com,",
                "email: oscar@example.com, github: oscar-gh,",
            )
            .replace(
                "email: quinn@example.com,",
                "email: quinn@example.com, github: quinn-gh,",
            ),
    );
    let handoff = f.read(&t("handoffs/sync-server.yaml"));
    f.write(
        &t("handoffs/sync-server.yaml"),
        &format!("{handoff}exceptions:\n  - {{ rule: \"handoff-deadline\\n/releases/ @mallory\", reason: x, approved_by: oscar }}\n  - {{ rule: handoff-deadline, reason: CI outage, approved_by: oscar }}\n"),
    );
    let out = f.cmd().args(["codeowners"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("/releases/*/signoff-*.yaml @quinn-gh"),
        "{text}"
    );
    let line = text
        .lines()
        .find(|l| l.starts_with("/releases/2026-11-30/handoffs/sync-server.yaml "))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.contains("@alice-gh") && line.contains("@quinn-gh") && line.contains("@oscar-gh"),
        "{line}"
    );
    assert!(
        text.contains(
            "# /releases/2026-11-30/handoffs/sync-server.yaml: an unknown rule, handoff-deadline"
        ),
        "{text}"
    );
    assert!(
        !text.contains("@mallory"),
        "record text never becomes a rule: {text}"
    );
}

#[test]
fn a_merged_round_is_immutable_and_a_holiday_points_to_an_out_of_cycle_push() {
    let f = merged_no_go();
    f.write(
        &t("signoff-2.yaml"),
        &SIGNOFF
            .replace("at: 2026-11-27 16:00", "at: 2026-11-27 16:40")
            .replace(
                "notified_at: 2026-11-27 16:05",
                "notified_at: 2026-11-27 16:45",
            ),
    );
    commit_all_as(f.root(), "Q", "quinn@example.com", "Round 2");
    f.edit(&t("signoff-2.yaml"), "regression: pass", "regression: fail");
    let o = f.check_with(&["--base", "main"]);
    o.one("record-immutable", &t("signoff-2.yaml"), 4);

    // A push date on a holiday: the help offers an out-of-cycle push.
    let g = Fixture::new();
    g.write(
        "process.yaml",
        "name: Test process\nholidays:\n  - { date: 2026-11-30, name: Company day }\n",
    );
    let o = g.check();
    let d = o.one("freeze", &t("train.yaml"), 1);
    assert!(
        d.help.as_deref().unwrap_or("").contains("out_of_cycle"),
        "{d:?}"
    );
}
