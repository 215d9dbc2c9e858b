//! The team changes and history stays valid (people.yaml over time): a
//! person who leaves, a person who changes roles, the addresses their commits
//! use, and one mistake in the roster giving one diagnostic.

use crate::common::*;

/// The fixture's roster with `alice` written as `entry`.
fn with_alice(entry: &str) -> String {
    PEOPLE.replace(
        "  - { handle: alice, name: Alice Example, email: alice@example.com, roles: [dev] }\n",
        &format!("  - {entry}\n"),
    )
}

#[test]
fn a_developer_who_left_keeps_her_records_valid_and_cannot_make_new_ones() {
    let f = Fixture::new();
    // Alice handed off on 2026-11-24 and left on the 25th: kept with `left`,
    // not deleted, her records stay as they were judged.
    f.write(
        "people.yaml",
        &with_alice("{ handle: alice, name: Alice Example, email: alice@example.com, roles: [dev], left: 2026-11-25 }"),
    );
    // She is listed as present at the push on the 30th, after she left.
    let o = f.check();
    let d = o.one("wrong-role", &t("push.yaml"), 4);
    assert!(
        d.message
            .contains("`alice` must hold the dev role (Engineering) here, but alice left the team on 2026-11-25"),
        "{d:?}"
    );
    assert!(d.help.as_deref().unwrap_or("").contains("bob"), "{d:?}");
    // Bob attends instead: everything is clean, her hand-off included.
    f.edit(&t("push.yaml"), "dev: [alice]", "dev: [bob]");
    f.check().clean();

    // The people page lists her apart, as a former member.
    let out = f.path("site");
    f.build_site(NOW, &out);
    let page = std::fs::read_to_string(out.join("people/index.html")).unwrap();
    let former = page
        .find("Former members")
        .expect("a former-members section");
    assert!(page[former..].contains("Alice Example"), "{page}");
    let engineering = page.find("id=\"role-dev\"").unwrap();
    assert!(!page[engineering..former].contains("Alice Example"));
}

#[test]
fn a_developer_who_moved_to_ops_is_judged_by_the_role_she_held_then() {
    let f = Fixture::new();
    f.write(
        "people.yaml",
        &with_alice("{ handle: alice, name: Alice Example, email: alice@example.com, roles: [{ role: dev, until: 2026-11-27 }, { role: ops, from: 2026-11-28 }] }"),
    );
    // Her hand-off (24th) was as a developer: fine. At the push (30th) she
    // was in Ops, so she cannot be the developer present.
    let o = f.check();
    let d = o.one("wrong-role", &t("push.yaml"), 4);
    assert!(d.message.contains("but held ops on 2026-11-30"), "{d:?}");
    o.none("record-author");
    // As Ops she may push.
    f.edit(&t("push.yaml"), "dev: [alice]", "dev: [bob]");
    f.edit(&t("push.yaml"), "ops: [oscar]", "ops: [alice]");
    f.edit(&t("push.yaml"), "pushed_by: oscar", "pushed_by: alice");
    f.check().clean();
}

#[test]
fn roster_dates_that_cannot_be_are_schema_at_their_value() {
    let f = Fixture::new();
    f.write(
        "people.yaml",
        &with_alice("{ handle: alice, name: Alice Example, email: alice@example.com, emails: [alice-at-old], joined: 2026-10-01, left: 2026-09-30, roles: [{ role: dev, until: 2026-11-27 }, { role: dev, from: 2026-11-01 }, { role: ops, from: 2026-12-01, until: 2026-11-01 }] }"),
    );
    let o = f.check();
    let messages: Vec<&str> = o
        .of("schema")
        .iter()
        .filter(|d| d.file == "people.yaml")
        .map(|d| d.message.as_str())
        .collect();
    for want in [
        "`alice-at-old` is not an e-mail address",
        "alice left on 2026-09-30, before joining on 2026-10-01",
        "alice's dev periods overlap",
        "the ops period ends on 2026-11-01, before it starts on 2026-12-01",
    ] {
        assert!(
            messages.iter().any(|m| m.contains(want)),
            "{want}: {messages:#?}"
        );
    }
}

#[test]
fn one_typo_in_people_yaml_is_one_diagnostic() {
    let f = Fixture::new();
    f.write(
        "people.yaml",
        &PEOPLE.replacen("roles: [dev]", "role: [dev]", 1),
    );
    let o = f.check();
    assert_eq!(o.diags.len(), 1, "{:#?}", o.diags);
    let d = &o.diags[0];
    assert_eq!(
        (d.rule.as_str(), d.file.as_str()),
        ("schema", "people.yaml")
    );
}

#[test]
fn commits_from_other_addresses_and_githubs_web_editor_are_the_persons() {
    let f = Fixture::new();
    f.write(
        "people.yaml",
        &with_alice("{ handle: alice, name: Alice Example, email: alice@example.com, emails: [alice@old.example.com], github: alice-ex, roles: [dev] }")
            .replace(
                "{ handle: quinn, name: Quinn Example, email: quinn@example.com, roles: [test] }",
                "{ handle: quinn, name: Quinn Example, email: quinn@example.com, github: quinnq, roles: [test] }",
            ),
    );
    git(f.root(), &["init", "-q", "-b", "main"]);
    let commit = |email: &str, paths: &[&str]| {
        for p in paths {
            git(f.root(), &["add", "-A", "--", p]);
        }
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
                "Record",
            ],
        );
    };
    commit(
        "oscar@example.com",
        &[
            "process.yaml",
            "people.yaml",
            "planning",
            "questions",
            &t("train.yaml"),
            &t("staging.yaml"),
            &t("push.yaml"),
        ],
    );
    commit("alice@old.example.com", &[&t("handoffs")]);
    commit(
        "12345+quinnq@users.noreply.github.com",
        &[&t("signoff.yaml")],
    );
    f.check().clean();

    // A no-reply address of someone else's login is nobody's.
    let g = Fixture::new();
    g.write("people.yaml", &with_alice("{ handle: alice, name: Alice Example, email: alice@example.com, github: alice-ex, roles: [dev] }"));
    git(g.root(), &["init", "-q", "-b", "main"]);
    for p in [
        "process.yaml",
        "people.yaml",
        "planning",
        "questions",
        &t("train.yaml"),
        &t("staging.yaml"),
        &t("push.yaml"),
    ] {
        git(g.root(), &["add", "-A", "--", p]);
    }
    git(
        g.root(),
        &[
            "-c",
            "user.name=O",
            "-c",
            "user.email=oscar@example.com",
            "commit",
            "-q",
            "-m",
            "Plan",
        ],
    );
    git(g.root(), &["add", "-A", "--", &t("signoff.yaml")]);
    git(
        g.root(),
        &[
            "-c",
            "user.name=Q",
            "-c",
            "user.email=quinn@example.com",
            "commit",
            "-q",
            "-m",
            "Sign off",
        ],
    );
    commit_all_as(
        g.root(),
        "M",
        "99+mallory@users.noreply.github.com",
        "Hand off",
    );
    let o = g.check();
    let d = o.one("record-author", &t("handoffs/sync-server.yaml"), 1);
    assert!(d.message.contains("who is not in people.yaml"), "{d:?}");
}

#[test]
fn record_author_uses_the_roles_held_on_the_commits_date() {
    let f = Fixture::new();
    // Oscar was a developer until 2026-01-31, in Ops after.
    f.write(
        "people.yaml",
        &PEOPLE.replace(
            "{ handle: oscar, name: Oscar Example, email: oscar@example.com, roles: [ops] }",
            "{ handle: oscar, name: Oscar Example, email: oscar@example.com, roles: [{ role: dev, until: 2026-01-31 }, { role: ops, from: 2026-02-01 }] }",
        ),
    );
    git(f.root(), &["init", "-q", "-b", "main"]);
    git(
        f.root(),
        &[
            "add",
            "-A",
            "--",
            "process.yaml",
            "people.yaml",
            "planning",
            "questions",
            &t("train.yaml"),
            &t("handoffs"),
        ],
    );
    git(
        f.root(),
        &[
            "-c",
            "user.name=A",
            "-c",
            "user.email=alice@example.com",
            "commit",
            "-q",
            "-m",
            "Plan",
        ],
    );
    git(f.root(), &["add", "-A", "--", &t("signoff.yaml")]);
    git(
        f.root(),
        &[
            "-c",
            "user.name=Q",
            "-c",
            "user.email=quinn@example.com",
            "commit",
            "-q",
            "-m",
            "Sign off",
        ],
    );
    // staging.yaml committed by Oscar on a January date, while he was a developer.
    git(f.root(), &["add", "-A", "--", &t("staging.yaml")]);
    let out = std::process::Command::new("git")
        .current_dir(f.root())
        .env("GIT_AUTHOR_DATE", "2026-01-15T12:00:00-08:00")
        .args([
            "-c",
            "user.name=O",
            "-c",
            "user.email=oscar@example.com",
            "commit",
            "-q",
            "-m",
            "Staging",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    commit_all_as(f.root(), "O", "oscar@example.com", "Push");
    let o = f.check();
    let d = o.one("record-author", &t("staging.yaml"), 1);
    assert!(
        d.message
            .contains("who did not hold the ops role (Service Ops) on 2026-01-15"),
        "{d:?}"
    );
    o.none("wrong-role");
}

#[test]
fn check_from_a_subfolder_finds_the_repository_above() {
    let f = Fixture::new();
    let sub = f.path(&t("handoffs"));
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("trainyard"))
        .current_dir(&sub)
        .args(["check", "--now", NOW])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Outside any repository it still says so, without looking past a Git
    // work tree's top.
    let g = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(g.path().join("work/inner")).unwrap();
    std::fs::write(g.path().join("process.yaml"), "name: Outside\n").unwrap();
    git(&g.path().join("work"), &["init", "-q"]);
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("trainyard"))
        .current_dir(g.path().join("work/inner"))
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a release repository"));
}

/// The fixture committed on `main` as one commit by Oscar (history rules
/// are not what these tests are about: every record's author is an approver
/// of nothing, so record-author is switched off).
fn merged(f: &Fixture) {
    let process = f.read("process.yaml");
    f.write(
        "process.yaml",
        &format!("{process}rules: {{ record-author: off }}\n"),
    );
    git(f.root(), &["init", "-q", "-b", "main"]);
    commit_all_as(f.root(), "O", "oscar@example.com", "Merged");
}

fn check_base(f: &Fixture) -> (Outcome, String) {
    let o = f.check_with(&["--base", "main"]);
    let human = f
        .cmd()
        .args(["check", "--now", NOW, "--base", "main", "--format", "human"])
        .output()
        .unwrap();
    (o, String::from_utf8_lossy(&human.stdout).into_owned())
}

#[test]
fn a_pull_request_that_adds_a_record_is_told_only_about_it() {
    let f = Fixture::new();
    // An older problem on main: the planning meeting's notes name nobody
    // from Security, so `monthly-planning` fires there.
    f.edit(
        "planning/2026-12.yaml",
        "attendees: [sam, oscar, alice]",
        "attendees: [oscar, alice]",
    );
    merged(&f);
    // The pull request adds next week's train, with a mistake of its own.
    f.write(
        "releases/2026-12-07/train.yaml",
        "planned_at: 2026-12-01\nfeatures:\n  - { project: sync-server, summary: Quotas, bugs: [1], owner_typo: x }\n",
    );
    let (o, human) = check_base(&f);
    o.none("monthly-planning");
    assert!(
        o.diags
            .iter()
            .all(|d| d.file == "releases/2026-12-07/train.yaml"),
        "{:#?}",
        o.diags
    );
    assert!(!o.diags.is_empty());
    assert!(
        human.contains("; 1 older problem in a file this change does not touch"),
        "{human}"
    );
    // Without the mistake, the pull request passes, older problem and all.
    f.write(
        "releases/2026-12-07/train.yaml",
        "planned_at: 2026-12-01\nfeatures:\n  - { project: sync-server, summary: Quotas, bugs: [1] }\n",
    );
    let (o, _) = check_base(&f);
    assert_eq!(o.code, 0, "{:#?}", o.diags);
}

#[test]
fn removing_a_person_who_made_records_is_one_retroactive_diagnostic() {
    let f = Fixture::new();
    merged(&f);
    // Alice is deleted from the roster instead of given `left:`.
    f.write(
        "people.yaml",
        &PEOPLE.replace(
            "  - { handle: alice, name: Alice Example, email: alice@example.com, roles: [dev] }\n",
            "",
        ),
    );
    let (o, _) = check_base(&f);
    let d = o.one("retroactive", "people.yaml", 2);
    assert!(
        d.message
            .contains("gives 3 records of earlier trains errors"),
        "{d:?}"
    );
    assert!(
        d.message
            .contains("releases/2026-11-30/handoffs/sync-server.yaml (unknown-person)"),
        "{d:?}"
    );
    assert!(d.help.as_deref().unwrap_or("").contains("left:"), "{d:?}");
    o.none("unknown-person");
    assert_eq!(o.diags.len(), 1, "{:#?}", o.diags);
    // Kept with `left:`, nothing breaks.
    f.write(
        "people.yaml",
        &PEOPLE.replace(
            "roles: [dev] }\n  - { handle: bob",
            "roles: [dev], left: 2026-12-01 }\n  - { handle: bob",
        ),
    );
    let (o, _) = check_base(&f);
    assert_eq!(o.code, 0, "{:#?}", o.diags);
}

#[test]
fn moving_the_push_window_in_place_is_retroactive() {
    let f = Fixture::new();
    merged(&f);
    let process = f.read("process.yaml");
    f.write(
        "process.yaml",
        &process.replace(
            "name: Test process\n",
            "name: Test process\nschedule:\n  production_push: { weekday: monday, window: { start: \"16:00\", end: \"18:00\" } }\n",
        ),
    );
    let (o, _) = check_base(&f);
    let d = o.one("retroactive", "process.yaml", 2);
    assert!(
        d.message
            .contains("releases/2026-11-30/push.yaml (push-window)"),
        "{d:?}"
    );
    assert!(
        d.help
            .as_deref()
            .unwrap_or("")
            .contains("new process-change"),
        "{d:?}"
    );
    o.none("push-window");
}

/// The base is read from the commit, not the disk: with nothing changed,
/// every problem is an older one, however it was found (file names, YAML,
/// times, people, the process).
#[test]
fn with_nothing_changed_every_problem_is_older() {
    let f = Fixture::new();
    f.edit(
        &t("push.yaml"),
        "started_at: 2026-11-30 15:05",
        "started_at: 2026-11-30 14:30",
    );
    f.edit(&t("signoff.yaml"), "at: 2026-11-27 16:00", "at: Friday");
    f.write(&t("handoffs/Bad Name.yaml"), "project: x\n");
    f.write("releases/notes.txt", "stray\n");
    f.write("planning/2026-13.yaml", "date: 2026-12-03\n");
    f.write("questions/0002-q.md", "---\ntitle: [unclosed\n---\n");
    f.write("process/2026-01-05.yaml", "timezone: America/Los_Angeles\n");
    f.write("process.yaml", "name: Test process\nsince: 2026-06-01\n");
    merged(&f);
    let all = f.check();
    assert!(all.diags.len() >= 6, "{:#?}", all.diags);
    let (o, human) = check_base(&f);
    assert!(o.diags.is_empty(), "{:#?}", o.diags);
    assert_eq!(o.code, 0);
    assert!(
        human.contains(&format!(
            "; {} older problems in files this change does not touch",
            all.diags.len()
        )),
        "{human}"
    );
}
