//! The process changes over time: each train is judged by the version of the
//! process in force on its push date (process/YYYY-MM-DD.yaml, and
//! process.yaml from its `since`).

use crate::common::*;

/// The fixture, whose process pushed on Mondays 15:00–17:00 until now, with
/// process.yaml changed from 2026-12-07 on to `now` (process keys).
fn changed(now: &str) -> Fixture {
    let f = Fixture::new();
    f.write(
        "process/2026-01-05.yaml",
        "# The process from 2026-01-05: the defaults (Monday 15:00-17:00).\n",
    );
    f.write(
        "process.yaml",
        &format!(
            "name: Test process\nsince: 2026-12-07\nchange:\n  summary: Push on Tuesdays\n  questions: [1]\n{now}"
        ),
    );
    f
}

const TUESDAY: &str = "schedule:\n  planning: { weekday: wednesday }\n  drop_to_test: { weekday: wednesday, by: eob }\n  test_start: { weekday: thursday }\n  test_signoff: { weekday: monday, by: eob }\n  production_push: { weekday: tuesday }\n";

#[test]
fn moving_the_push_day_keeps_earlier_trains_valid() {
    let f = changed(TUESDAY);
    // The Monday train of 2026-11-30 ran under the old version.
    f.check().clean();
    // A new train is judged by the new one: Monday is no longer a push day.
    f.write(
        "releases/2026-12-07/train.yaml",
        "planned_at: 2026-12-01\nfeatures: []\nskipped: { reason: Moving to Tuesdays }\n",
    );
    let o = f.check();
    let d = o.one("push-day", "releases/2026-12-07/train.yaml", 1);
    assert!(
        d.message.contains("Tuesday") || d.help.as_deref().unwrap_or("").contains("Tuesday"),
        "{d:?}"
    );
    f.remove("releases/2026-12-07");
    f.write(
        "releases/2026-12-15/train.yaml",
        "planned_at: 2026-12-09\nfeatures: []\nskipped: { reason: Quiet week }\n",
    );
    f.check().clean();
}

#[test]
fn moving_the_window_keeps_earlier_pushes_inside_theirs() {
    let f = changed(
        "schedule:\n  production_push: { weekday: monday, window: { start: \"16:00\", end: \"18:00\" } }\n",
    );
    // The push of 2026-11-30 started at 15:05: inside the window of its time.
    f.check().clean();
    // The gate answers for a new train by the new window.
    f.write(
        "releases/2026-12-07/train.yaml",
        "planned_at: 2026-12-01\nfeatures: []\nskipped: { reason: Quiet week }\n",
    );
    let out = f
        .cmd()
        .args([
            "status",
            "--now",
            "2026-12-06 10:00",
            "--train",
            "2026-12-07",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("skipped"), "{text}");
    let out = f
        .cmd()
        .args(["status", "--now", NOW, "--train", "2026-11-30"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("2026-11-30 15:00 PST–17:00 PST"), "{text}");
}

#[test]
fn each_train_reads_its_times_in_its_versions_timezone() {
    let f = changed("timezone: America/Los_Angeles\n");
    f.write("process/2026-01-05.yaml", "timezone: America/New_York\n");
    f.check().clean();
    let out = f
        .cmd()
        .args(["status", "--now", NOW, "--train", "2026-11-30"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    // The hand-off's 16:20 is New York time, before that day's 17:00 EST.
    assert!(text.contains("by 2026-11-24 17:00 EST"), "{text}");
    assert!(text.contains("done 2026-11-24 16:20 EST"), "{text}");
}

#[test]
fn versions_that_cannot_be_are_diagnostics_at_their_place() {
    let f = changed(TUESDAY);
    f.write("process/first.yaml", "timezone: UTC\n");
    f.write(
        "process/2026-02-02.yaml",
        "since: 2026-02-03\nroles: { dba: { title: DBA } }\n",
    );
    let o = f.check();
    let d = o.one("file-name", "process/first.yaml", 1);
    assert!(
        d.help
            .as_deref()
            .unwrap_or("")
            .contains("process/2026-01-05.yaml"),
        "{d:?}"
    );
    let d = o.one("schema", "process/2026-02-02.yaml", 2);
    assert!(
        d.message
            .contains("`roles` cannot be in an earlier version"),
        "{d:?}"
    );
    assert!(
        d.help
            .as_deref()
            .unwrap_or("")
            .contains("process.yaml alone"),
        "{d:?}"
    );

    // `since` must match the file, and process.yaml's must come last.
    f.write("process/2026-02-02.yaml", "since: 2026-02-03\n");
    let o = f.check();
    let d = o.one("schema", "process/2026-02-02.yaml", 1);
    assert!(
        d.message
            .contains("differs from the file's date, 2026-02-02"),
        "{d:?}"
    );
    f.remove("process/2026-02-02.yaml");
    f.remove("process/first.yaml");
    f.write(
        "process.yaml",
        &format!("name: Test process\nsince: 2026-01-05\n{TUESDAY}"),
    );
    let o = f.check();
    let d = o.one("schema", "process.yaml", 2);
    assert!(
        d.message
            .contains("is not later than the latest earlier version (2026-01-05)"),
        "{d:?}"
    );
    f.write("process.yaml", &format!("name: Test process\n{TUESDAY}"));
    let o = f.check();
    let d = o.one("schema", "process.yaml", 1);
    assert!(d.message.contains("has no `since`"), "{d:?}");
}

#[test]
fn new_process_change_keeps_the_current_version_and_its_comments() {
    let f = Fixture::new();
    f.write(
        "process.yaml",
        "# Our process.\nname: Test process   # shown on the site\ntimezone: America/Los_Angeles\nschedule:\n  # Mondays, for now\n  production_push: { weekday: monday }\nroles:\n  test: { list: services-qa@example.com }\n",
    );
    let out = f
        .cmd()
        .args([
            "new",
            "process-change",
            "2026-12-08",
            "--summary",
            "Push on Tuesdays",
            "--now",
            NOW,
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The version before is kept from the oldest train on, process keys only,
    // comments and all.
    let kept = f.read("process/2026-11-30.yaml");
    assert!(
        kept.contains("  # Mondays, for now\n  production_push: { weekday: monday }\n"),
        "{kept}"
    );
    assert!(kept.contains("timezone: America/Los_Angeles"), "{kept}");
    assert!(
        !kept.contains("roles:") && !kept.contains("name:"),
        "{kept}"
    );
    // process.yaml keeps everything and starts the new version.
    let now = f.read("process.yaml");
    assert!(
        now.starts_with(
            "# Our process.\nname: Test process   # shown on the site\nsince: 2026-12-08"
        ),
        "{now}"
    );
    assert!(now.contains("summary: \"Push on Tuesdays\""), "{now}");
    assert!(
        now.contains("roles:\n  test: { list: services-qa@example.com }\n"),
        "{now}"
    );
    f.check().clean();

    // The team edits the new version; the site tells what changed.
    f.write(
        "process.yaml",
        &now.replace("{ weekday: monday }", "{ weekday: tuesday }"),
    );
    f.check().clean();
    let site = f.path("site");
    f.build_site(NOW, &site);
    let page = std::fs::read_to_string(site.join("process/index.html")).unwrap();
    assert!(page.contains("How the process changed"), "{page}");
    assert!(
        page.contains("Production push: Monday 15:00–17:00 → Tuesday 15:00–17:00"),
        "{page}"
    );
    assert!(page.contains("Push on Tuesdays"), "{page}");
    let old = std::fs::read_to_string(site.join("process/2026-11-30/index.html")).unwrap();
    assert!(
        old.contains("An earlier version, for push dates 2026-11-30 – 2026-12-07"),
        "{old}"
    );
    let release = std::fs::read_to_string(site.join(format!("{T}/index.html"))).unwrap();
    assert!(
        release.contains("process/2026-11-30/index.html\">the process of 2026-11-30</a>"),
        "{release}"
    );
}

#[test]
fn new_process_change_refuses_what_cannot_be_and_writes_nothing() {
    let f = changed(TUESDAY);
    let before = f.read("process.yaml");
    let run = |args: &[&str]| {
        let out = f.cmd().args(args).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, err) = run(&["new", "process-change", "2026-12-07"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("not later than the current version's `since` (2026-12-07)"),
        "{err}"
    );
    let (code, err) = run(&["new", "process-change", "2026-13-01"]);
    assert_eq!(code, Some(2), "{err}");
    f.write(
        "process.yaml",
        &before.replace("since: 2026-12-07", "since: 2026-12-07\nschedul: {}"),
    );
    let (code, err) = run(&["new", "process-change", "2027-01-05"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("the process files have errors"), "{err}");
    assert!(!f.path("process/2026-12-07.yaml").exists());
    f.write("process.yaml", "{ name: Flow, since: 2026-12-07 }\n");
    let (code, err) = run(&["new", "process-change", "2027-01-05"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("block style"), "{err}");
    assert!(!f.path("process/2026-12-07.yaml").exists());
    assert_eq!(
        f.read("process.yaml"),
        "{ name: Flow, since: 2026-12-07 }\n"
    );
}

const ITEMS: &str = "handoff:\n  checklist:\n    - { id: perf_results, title: Performance test results, kind: url }\n    - { id: runbook, title: Runbook updated, kind: yes }\nsignoff:\n  criteria:\n    - { id: accessibility, title: Accessibility checks }\n";

#[test]
fn a_checklist_that_grows_applies_to_its_versions_trains_only() {
    // Added from 2026-12-07 on: the train of 2026-11-30 is judged without them.
    let f = changed(ITEMS);
    f.check().clean();

    // The same items in force for that train.
    let f = Fixture::new();
    f.write("process.yaml", &format!("name: Test process\n{ITEMS}"));
    let o = f.check();
    let missing: Vec<(&str, u64)> = o
        .of("handoff-checklist")
        .iter()
        .map(|d| (d.message.as_str(), d.line))
        .collect();
    assert_eq!(
        missing,
        [
            (
                "the checklist item perf_results (Performance test results) is missing",
                1
            ),
            ("the checklist item runbook (Runbook updated) is missing", 1)
        ]
    );
    let d = o.one("signoff-criteria", &t("signoff.yaml"), 1);
    assert!(
        d.message
            .contains("accessibility (Accessibility checks) is not recorded"),
        "{d:?}"
    );

    // Written wrong: a URL that is not one, an id the version does not
    // define, a failed criterion under a go.
    let handoff = f.read(&t("handoffs/sync-server.yaml"));
    f.write(
        &t("handoffs/sync-server.yaml"),
        &format!("{handoff}checklist: {{ perf_results: perf-812, runbook: yes, runbok: yes }}\n"),
    );
    let signoff = f.read(&t("signoff.yaml"));
    f.write(
        &t("signoff.yaml"),
        &format!("{signoff}criteria: {{ accessibility: fail }}\n"),
    );
    let o = f.check();
    let d = o.one("bad-url", &t("handoffs/sync-server.yaml"), 14);
    assert!(d.message.contains("`perf-812`"), "{d:?}");
    let d = o.one("schema", &t("handoffs/sync-server.yaml"), 14);
    assert!(
        d.message.contains("`runbok` is not a checklist item"),
        "{d:?}"
    );
    assert!(d.help.as_deref().unwrap_or("").contains("runbook"), "{d:?}");
    let d = o.one("signoff-criteria", &t("signoff.yaml"), 10);
    assert!(
        d.message
            .contains("the decision is go, but accessibility (Accessibility checks) failed"),
        "{d:?}"
    );

    // Right: clean, and the release page ticks them.
    f.write(
        &t("handoffs/sync-server.yaml"),
        &format!(
            "{handoff}checklist: {{ perf_results: https://perf.example.com/812, runbook: yes }}\n"
        ),
    );
    f.write(
        &t("signoff.yaml"),
        &format!("{signoff}criteria: {{ accessibility: pass }}\n"),
    );
    f.check().clean();
    let site = f.path("site");
    f.build_site(NOW, &site);
    let page = std::fs::read_to_string(site.join(format!("{T}/index.html"))).unwrap();
    assert!(
        page.contains("https://perf.example.com/812"),
        "the item links its URL"
    );
    assert!(page.contains("Runbook updated") && page.contains("Accessibility checks"));
    let process = std::fs::read_to_string(site.join("process/index.html")).unwrap();
    assert!(process.contains("Performance test results (checklist: perf_results, a web address)"));

    // `new` writes the items to fill.
    f.remove(&t("handoffs/sync-server.yaml"));
    let out = f
        .cmd()
        .args([
            "new",
            "handoff",
            "sync-server",
            "--train",
            "2026-11-30",
            "--now",
            NOW,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = f.read(&t("handoffs/sync-server.yaml"));
    assert!(
        text.contains("checklist:") && text.contains("  runbook: \"<fill in:"),
        "{text}"
    );
}

#[test]
fn checklist_ids_that_cannot_be_are_schema() {
    let f = Fixture::new();
    f.write(
        "process.yaml",
        "name: Test process\nhandoff:\n  checklist:\n    - { id: Perf Results, title: Perf, kind: url }\n    - { id: runbook, title: Runbook, kind: yes }\n    - { id: runbook, title: Again, kind: text }\n",
    );
    let o = f.check();
    let found: Vec<(u64, &str)> = o
        .of("schema")
        .iter()
        .map(|d| (d.line, d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (4, "checklist item id `Perf Results` is not a slug"),
            (
                6,
                "checklist item id `runbook` is listed twice (first on line 5)"
            )
        ]
    );
}

#[test]
fn schema_with_a_root_lists_the_current_versions_items() {
    let f = Fixture::new();
    f.write("process.yaml", &format!("name: Test process\n{ITEMS}"));
    let out = f.path("schemas");
    let run = f
        .cmd()
        .args(["schema", "--root", ".", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let handoff: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("handoff.schema.json")).unwrap())
            .unwrap();
    let checklist = &handoff["properties"]["checklist"];
    assert_eq!(
        checklist["properties"]["perf_results"]["format"], "uri",
        "{checklist}"
    );
    assert_eq!(checklist["additionalProperties"], false);
    let signoff: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("signoff.schema.json")).unwrap())
            .unwrap();
    assert_eq!(
        signoff["properties"]["criteria"]["properties"]["accessibility"]["enum"],
        serde_json::json!(["pass", "fail"])
    );
    assert!(out.join("process-version.schema.json").exists());
}
