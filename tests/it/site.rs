//! `trainyard build`, driven through the binary: what a reader of the site would check.

use crate::common::*;
use std::path::Path;

fn build(f: &Fixture, out: &Path, extra: &[&str]) -> std::process::Output {
    f.cmd()
        .args(["build", "--now", NOW, "--out"])
        .arg(out)
        .args(extra)
        .output()
        .expect("run trainyard build")
}

fn page(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every path SITE.md lists, for a repository whose trains span `months`.
fn assert_site_paths(out: &Path, trains: &[&str], months: &[&str]) {
    let mut paths = vec![
        "index.html".to_string(),
        "releases/index.html".into(),
        "calendar/index.html".into(),
        "calendar.ics".into(),
        "questions/index.html".into(),
        "process/index.html".into(),
        "people/index.html".into(),
        "stats/index.html".into(),
        "feed.xml".into(),
        "api/releases.json".into(),
        "style.css".into(),
    ];
    paths.extend(trains.iter().map(|t| format!("releases/{t}/index.html")));
    paths.extend(months.iter().map(|m| format!("calendar/{m}/index.html")));
    for p in paths {
        assert!(out.join(&p).is_file(), "missing {p}");
    }
}

#[test]
fn the_example_repository_builds_every_page() {
    let out = tempfile::tempdir().unwrap();
    let mut cmd = assert_cmd::Command::cargo_bin("trainyard").unwrap();
    cmd.args([
        "build",
        "--now",
        "2026-11-26 14:00",
        "--root",
        env!("CARGO_MANIFEST_DIR"),
        "--out",
    ])
    .arg(out.path());
    cmd.assert().success();
    let trains: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("releases"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
    let trains: Vec<&str> = trains.iter().map(String::as_str).collect();
    assert_site_paths(
        out.path(),
        &trains,
        &["2026-08", "2026-09", "2026-10", "2026-11", "2026-12"],
    );
    let dash = page(out.path(), "index.html");
    assert!(
        dash.contains("Release 2026-11-30"),
        "the current train is the dashboard's subject"
    );
    assert!(
        dash.contains("moved earlier for"),
        "the Thanksgiving move is shown"
    );
    let json: serde_json::Value =
        serde_json::from_str(&page(out.path(), "api/releases.json")).unwrap();
    assert_eq!(json["trains"].as_array().unwrap().len(), trains.len());
    assert_eq!(json["timezone"], "America/Los_Angeles");
}

#[test]
fn the_fixture_builds_all_pages() {
    let f = Fixture::new();
    let out = f.path("site");
    assert!(build(&f, &out, &[]).status.success());
    assert_site_paths(&out, &["2026-11-30"], &["2026-11", "2026-12"]);
    let release = page(&out, "releases/2026-11-30/index.html");
    assert!(release.contains("Alice Example"), "names, not handles");
    assert!(release.contains("success"));
    assert!(
        release.contains("2026-11-24 16:20 PST"),
        "times carry their zone abbreviation"
    );
}

#[test]
fn a_late_handoff_shows_as_late_on_its_page_and_in_the_calendar() {
    let f = Fixture::new();
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "at: 2026-11-24 16:20",
        "at: 2026-11-24 18:20",
    );
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "sent_at: 2026-11-24 16:25",
        "sent_at: 2026-11-24 18:25",
    );
    f.edit(
        &t("staging.yaml"),
        "pushed_at: 2026-11-24 18:05",
        "pushed_at: 2026-11-24 19:05",
    );
    let out = f.path("site");
    assert!(build(&f, &out, &[]).status.success());
    let release = page(&out, "releases/2026-11-30/index.html");
    assert!(release.contains("late by 1 h 20 min"), "release page");
    assert!(
        release.contains("handoff-deadline"),
        "the diagnostic is on the page"
    );
    let month = page(&out, "calendar/2026-11/index.html");
    assert!(month.contains("Handed off (late)"), "calendar");
    assert!(month.contains("ev-late"));
    // And on time it is not called late.
    let f = Fixture::new();
    let out = f.path("site");
    build(&f, &out, &[]);
    assert!(!page(&out, "calendar/2026-11/index.html").contains("Handed off (late)"));
}

#[test]
fn a_rolled_back_train_shows_its_reason() {
    let f = Fixture::new();
    f.edit(
        &t("push.yaml"),
        "outcome: success",
        "outcome: rolled-back\n  rollback_reason: Latency tripled under production load",
    );
    let out = f.path("site");
    assert!(build(&f, &out, &[]).status.success());
    let release = page(&out, "releases/2026-11-30/index.html");
    assert!(release.contains("rolled back"));
    assert!(release.contains("Latency tripled under production load"));
    assert!(page(&out, "releases/index.html").contains("rolled back"));
    assert!(page(&out, "feed.xml").contains("Rolled back: Latency tripled"));
}

#[test]
fn changing_the_window_in_process_yaml_changes_the_process_page() {
    let f = Fixture::new();
    let out = f.path("site");
    build(&f, &out, &[]);
    assert!(page(&out, "process/index.html").contains("Monday 15:00–17:00"));
    f.write(
        "process.yaml",
        "schedule: { production_push: { window: { start: \"14:00\", end: \"16:30\" } } }\n",
    );
    build(&f, &out, &[]);
    let process = page(&out, "process/index.html");
    assert!(process.contains("Monday 14:00–16:30"), "{process}");
    assert!(!process.contains("15:00–17:00"));
}

#[test]
fn the_process_page_lists_the_messages_trainyard_writes() {
    let f = Fixture::new();
    f.write(
        "process.yaml",
        "roles: { test: { list: qa@corp.example }, ops: { list: ops@corp.example } }\n",
    );
    let out = f.path("site");
    build(&f, &out, &[]);
    let process = page(&out, "process/index.html");
    for command in [
        "trainyard mail handoff PROJECT",
        "trainyard mail staging-notice",
        "trainyard mail signoff",
        "trainyard mail validation",
        "trainyard gate production",
    ] {
        assert!(process.contains(command), "{command}");
    }
    assert!(
        process.contains("<td>qa@corp.example, cc ops@corp.example</td>"),
        "{process}"
    );
    assert!(process.contains("push.yaml validation.notified_at"));
}

#[test]
fn script_in_notes_does_not_survive() {
    let f = Fixture::new();
    f.write(
        &t("notes.md"),
        "# Notes\n\n<script>alert('x')</script>\n\n[click](javascript:alert(1))\n\n<img src=x onerror=alert(1)>\n",
    );
    f.edit(
        &t("train.yaml"),
        "summary: Per-user storage quotas",
        "summary: \"<script>alert('yaml')</script>\"",
    );
    let out = f.path("site");
    assert!(build(&f, &out, &[]).status.success());
    for p in [
        "releases/2026-11-30/index.html",
        "index.html",
        "api/releases.json",
        "feed.xml",
    ] {
        let text = page(&out, p).to_lowercase();
        assert!(!text.contains("<script"), "{p}");
        assert!(!text.contains("javascript:"), "{p}");
        assert!(!text.contains("<img"), "{p}");
    }
    assert!(page(&out, "releases/2026-11-30/index.html").contains("&lt;script&gt;"));
}

#[test]
fn an_override_template_is_used() {
    let f = Fixture::new();
    f.write(
        "site-templates/people.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Our crew</h1>{% endblock content %}",
    );
    f.write(
        "site-templates/style.css",
        "body { color: rebeccapurple; }\n",
    );
    let out = f.path("site");
    assert!(build(&f, &out, &[]).status.success());
    assert!(page(&out, "people/index.html").contains("<h1>Our crew</h1>"));
    assert_eq!(page(&out, "style.css"), "body { color: rebeccapurple; }\n");
    // Other pages keep the built-in templates.
    assert!(page(&out, "process/index.html").contains("The weekly sequence"));
}

#[test]
fn a_broken_template_names_itself_and_keeps_the_old_site() {
    let f = Fixture::new();
    let out = f.path("site");
    assert!(build(&f, &out, &[]).status.success());
    let before = page(&out, "index.html");
    f.write("site-templates/people.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ page.roles | nosuchfilter }}\n{% endblock content %}");
    let o = build(&f, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("site-templates/people.html"), "{err}");
    assert!(err.contains("nosuchfilter"), "{err}");
    assert_eq!(
        page(&out, "index.html"),
        before,
        "the previous site is untouched"
    );
    // No half-written folders are left beside it (only the lock file).
    let leftovers: Vec<_> = std::fs::read_dir(f.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(".site"))
        .collect();
    assert_eq!(leftovers, [".site.trainyard-lock"]);
}

#[test]
fn a_template_syntax_error_gives_the_line() {
    let f = Fixture::new();
    f.write(
        "site-templates/people.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{% if %}\n{% endblock content %}",
    );
    let o = build(&f, &f.path("site"), &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("site-templates/people.html") && err.contains(":3:"),
        "{err}"
    );
}

#[test]
fn repeated_builds_are_byte_identical() {
    let f = Fixture::new();
    f.write(
        &t("notes.md"),
        "## Plan\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    );
    let (a, b) = (f.path("a"), f.path("b"));
    build(&f, &a, &[]);
    build(&f, &b, &[]);
    let files: Vec<_> = walk(&a);
    assert!(files.len() > 10);
    assert_eq!(files, walk(&b));
    for rel in files {
        assert_eq!(
            std::fs::read(a.join(&rel)).unwrap(),
            std::fs::read(b.join(&rel)).unwrap(),
            "{rel}"
        );
    }
}

fn walk(root: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .to_string()
        })
        .collect();
    out.sort();
    out
}

#[test]
fn source_date_epoch_sets_the_build_time() {
    let f = Fixture::new();
    let out = f.path("site");
    // 2026-12-05T20:00:00Z
    let o = f
        .cmd()
        .env("SOURCE_DATE_EPOCH", "1796500800")
        .args(["build", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(page(&out, "calendar.ics").contains("DTSTAMP:20261205T200000Z"));
    let o = f
        .cmd()
        .env("SOURCE_DATE_EPOCH", "soon")
        .args(["build", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn links_are_relative_and_nothing_is_loaded_from_elsewhere() {
    let f = Fixture::new();
    let out = f.path("site");
    build(
        &f,
        &out,
        &["--base-url", "https://example.github.io/releases/"],
    );
    for rel in walk(&out).iter().filter(|p| p.ends_with(".html")) {
        let html = page(&out, rel);
        for attr in ["href=\"", "src=\""] {
            for part in html.split(attr).skip(1) {
                let target = part.split('"').next().unwrap();
                let external = target.starts_with("http") || target.starts_with("mailto:");
                assert!(!target.starts_with('/'), "{rel}: absolute path {target}");
                if external {
                    assert!(attr == "href=\"", "{rel}: loads {target}");
                }
            }
        }
    }
    // The feeds use the base URL.
    assert!(page(&out, "feed.xml")
        .contains("https://example.github.io/releases/releases/2026-11-30/index.html"));
}

#[test]
fn the_calendar_feed_follows_rfc_5545() {
    let f = Fixture::new();
    let out = f.path("site");
    build(&f, &out, &[]);
    let ics = page(&out, "calendar.ics");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert!(
        !ics.replace("\r\n", "").contains('\n'),
        "every line ends with CRLF"
    );
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "{line}");
    }
    assert!(ics.contains("BEGIN:VTIMEZONE\r\nTZID:America/Los_Angeles"));
    assert!(ics.contains("UID:2026-11-30-push@trainyard"));
    assert!(ics.contains("DTSTART;TZID=America/Los_Angeles:20261130T150000"));
    assert!(ics.contains("DTEND;TZID=America/Los_Angeles:20261130T170000"));
}

#[test]
fn records_with_errors_still_build_and_show_them() {
    let f = Fixture::new();
    f.write(&t("staging.yaml"), "pushed_by: [unclosed\n");
    let out = f.path("site");
    let o = build(&f, &out, &[]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("1 error(s)"));
    assert!(page(&out, "releases/2026-11-30/index.html").contains("yaml-syntax"));
}

#[test]
fn rebuilding_replaces_the_site_and_drops_removed_pages() {
    let f = Fixture::new();
    f.write(
        "releases/2026-12-07/train.yaml",
        "planned_at: 2026-12-01\nfeatures: [{ project: a, summary: b }]\n",
    );
    let out = f.path("site");
    for _ in 0..3 {
        assert!(build(&f, &out, &[]).status.success());
    }
    assert!(out.join("releases/2026-12-07/index.html").is_file());
    f.remove("releases/2026-12-07");
    for round in 0..2 {
        assert!(build(&f, &out, &[]).status.success());
        assert!(!out.join("releases/2026-12-07").exists(), "round {round}");
        assert!(out.join("releases/2026-11-30/index.html").is_file());
    }
}

#[test]
fn month_pages_link_to_their_year_and_to_the_other_years() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("repo");
    trainyard::synth::write_repository(&root, 2).expect("synthetic repository");
    let out = dir.path().join("public");
    let status = assert_cmd::Command::cargo_bin("trainyard")
        .expect("binary")
        .args(["build", "--now", "2100-01-01", "--root"])
        .arg(&root)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run");
    assert!(status.status.success(), "{status:?}");
    let first = trainyard::synth::first_push();
    let (y, next_y) = (
        chrono::Datelike::year(&first),
        chrono::Datelike::year(&first) + 1,
    );
    let html = page(&out, &format!("calendar/{y}-03/index.html"));
    let nav = &html[html.find("id=\"months-h\"").expect("the months section")..];
    assert!(nav.contains(&format!("Months of {y}")), "{nav}");
    assert!(
        nav.contains("<strong>March</strong>"),
        "the shown month is marked: {nav}"
    );
    assert!(nav.contains(&format!("href=\"../../calendar/{y}-04/index.html\">April<")));
    assert!(
        !nav.contains(&format!("calendar/{next_y}-04/")),
        "another year's months are not listed: {nav}"
    );
    assert!(nav.contains(&format!(
        "href=\"../../calendar/{next_y}-01/index.html\">{next_y}<"
    )));
    assert!(nav.contains(&format!("<strong>{y}</strong>")));
}

/// The hrefs of links whose text is `label`, entities decoded.
fn hrefs_of(html: &str, label: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in html.match_indices(&format!("\">{label}</a>")) {
        let start = html[..at].rfind("href=\"").expect("an href") + 6;
        out.push(html[start..at].replace("&amp;", "&"));
    }
    out
}

/// The decoded value of query parameter `name` in `url`.
fn query(url: &str, name: &str) -> String {
    let q = url.split_once('?').expect("a query").1;
    let raw = q
        .split('&')
        .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("{name} in {url}"));
    percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .expect("UTF-8")
        .into_owned()
}

#[test]
fn record_links_open_the_forge_prefilled_with_what_new_writes() {
    let f = Fixture::new();
    for rec in ["push.yaml", "signoff.yaml"] {
        f.remove(&t(rec));
    }
    f.write(
        "process.yaml",
        "name: Test process\nsite: { repository: https://github.com/example/releases }\n",
    );
    let out = f.path("site");
    build(&f, &out, &[]);
    let release = page(&out, "releases/2026-11-30/index.html");
    let links = hrefs_of(&release, "Record Test&#39;s sign-off");
    assert_eq!(links.len(), 1, "{release}");
    let href = &links[0];
    assert!(
        href.starts_with("https://github.com/example/releases/new/main?filename=releases%2F2026-11-30%2Fsignoff.yaml&value="),
        "{href}"
    );
    // Exactly the text `trainyard new signoff` writes at the same time.
    let o = f
        .cmd()
        .args(["new", "signoff", "--train", "2026-11-30", "--now", NOW])
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(query(href, "value"), f.read(&t("signoff.yaml")));
    // Nothing else is due: the hand-off and staging exist, no go yet.
    assert!(!release.contains("Record the hand-off"), "{release}");
    assert!(!release.contains("Record the production push"));
    // Every page with a source has an Edit link to it; the questions page asks.
    let edit = |rel: &str| hrefs_of(&page(&out, rel), "Edit this page's source");
    assert_eq!(
        edit("releases/2026-11-30/index.html"),
        ["https://github.com/example/releases/edit/main/releases/2026-11-30/train.yaml"]
    );
    assert_eq!(
        edit("process/index.html"),
        ["https://github.com/example/releases/edit/main/process.yaml"]
    );
    assert_eq!(
        edit("people/index.html"),
        ["https://github.com/example/releases/edit/main/people.yaml"]
    );
    let questions = page(&out, "questions/index.html");
    let ask = hrefs_of(&questions, "Ask a question");
    assert_eq!(query(&ask[0], "filename"), "questions/0002-new-question.md");
    assert!(query(&ask[0], "value").starts_with("---\ntitle: \"<fill in: the question>\""));
    assert_eq!(
        hrefs_of(&questions, "Edit question 0001"),
        ["https://github.com/example/releases/edit/main/questions/0001-handoff-record.md"]
    );
    let releases = page(&out, "releases/index.html");
    let plan = hrefs_of(&releases, "Plan the next train");
    assert_eq!(
        query(&plan[0], "filename"),
        "releases/2026-12-07/train.yaml"
    );
}

#[test]
fn gitlab_forms_and_no_links_without_a_repository() {
    let f = Fixture::new();
    f.remove(&t("push.yaml"));
    f.write(
        "process.yaml",
        "name: Test process\nsite: { repository: https://gitlab.com/example/releases, branch: records }\n",
    );
    let out = f.path("site");
    build(&f, &out, &[]);
    let release = page(&out, "releases/2026-11-30/index.html");
    let push = hrefs_of(&release, "Record the production push");
    assert!(
        push[0].starts_with("https://gitlab.com/example/releases/-/new/records?file_name=releases%2F2026-11-30%2Fpush.yaml&content="),
        "{}",
        push[0]
    );
    let o = f
        .cmd()
        .args(["new", "push", "--train", "2026-11-30", "--now", NOW])
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(query(&push[0], "content"), f.read(&t("push.yaml")));

    // Pushed without a validation: the link edits push.yaml.
    f.write(&t("push.yaml"), &PUSH[..PUSH.find("validation:").unwrap()]);
    build(&f, &out, &[]);
    let release = page(&out, "releases/2026-11-30/index.html");
    assert_eq!(
        hrefs_of(&release, "Record the validation (add it to push.yaml)"),
        ["https://gitlab.com/example/releases/-/edit/records/releases/2026-11-30/push.yaml"]
    );

    f.write("process.yaml", "name: Test process\n");
    build(&f, &out, &[]);
    for rel in [
        "releases/2026-11-30/index.html",
        "process/index.html",
        "questions/index.html",
        "releases/index.html",
    ] {
        let html = page(&out, rel);
        assert!(
            !html.contains("gitlab.com") && !html.contains("Record the"),
            "{rel}"
        );
        assert!(
            !html.contains("Edit this page") && !html.contains("Ask a question"),
            "{rel}"
        );
    }
}

#[test]
fn small_screens_dark_mode_and_the_calendar_today_marker() {
    let f = Fixture::new();
    let out = f.path("site");
    f.build_site("2026-11-26 12:00", &out);
    // Today's cell says so to a screen reader, and is not styled as focus.
    let month = page(&out, "calendar/2026-11/index.html");
    assert_eq!(month.matches("aria-current=\"date\"").count(), 1, "{month}");
    assert!(
        month.contains("<span class=\"day-name\">Thu </span>26"),
        "{month}"
    );
    let css = page(&out, "style.css");
    assert!(css.contains("@media (prefers-color-scheme: dark)"));
    assert!(
        !css.contains("td.today { outline"),
        "today looks like the focus ring"
    );
    // The calendar index is not a second copy of a month page's heading.
    let index = page(&out, "calendar/index.html");
    assert!(index.contains("<h1>Calendar</h1>"), "{index}");
    assert!(month.contains("<h1>November 2026</h1>"));
    // The process page is titled as the process, not the site.
    assert!(page(&out, "process/index.html").contains("<h1>The release process</h1>"));
    // On a phone, milestone cells keep their column's name.
    let release = page(&out, "releases/2026-11-30/index.html");
    for label in ["Owner", "Planned", "Status", "Recorded"] {
        assert!(
            release.contains(&format!("data-label=\"{label}\"")),
            "{label}"
        );
    }
    // Wide tables scroll inside their box, not the page.
    for rel in [
        "releases/index.html",
        "process/index.html",
        "releases/2026-11-30/index.html",
    ] {
        let html = page(&out, rel);
        assert_eq!(
            html.matches("<table").count(),
            html.matches("<div class=\"table-scroll\" tabindex=\"0\"><table")
                .count(),
            "{rel}"
        );
    }
}

#[test]
fn the_releases_index_has_a_table_per_year_with_anchors() {
    let f = Fixture::new();
    f.write(
        "releases/2027-01-04/train.yaml",
        "planned_at: 2026-12-29\nfeatures: []\nskipped: { reason: New year }\n",
    );
    let out = f.path("site");
    build(&f, &out, &[]);
    let html = page(&out, "releases/index.html");
    assert!(
        html.contains("<a href=\"#y2027\">2027</a>")
            && html.contains("<a href=\"#y2026\">2026</a>"),
        "{html}"
    );
    let (y2027, y2026) = (
        html.find("id=\"y2027\"").unwrap(),
        html.find("id=\"y2026\"").unwrap(),
    );
    assert!(y2027 < y2026, "newest year first");
    assert!(html[y2027..y2026].contains("2027-01-04") && html[y2026..].contains("2026-11-30"));
    // The skipped train has no lead time: a dash, not an empty cell.
    assert!(!html.contains("<td></td>"), "{html}");
    // State is the badge's job; rows are not tinted.
    assert!(!html.contains("<tr class=\"state-"), "{html}");
}

#[test]
fn an_overdue_push_reads_the_same_in_the_next_box_and_the_table() {
    let f = Fixture::new();
    f.remove(&t("push.yaml"));
    let out = f.path("site");
    f.build_site("2026-12-01 10:00", &out);
    let release = page(&out, "releases/2026-11-30/index.html");
    // The window closed at 17:00 the day before: 17 h overdue, in both places.
    assert!(
        release
            .contains("<p class=\"next-due overdue\"><strong>Next:</strong> Production push — due"),
        "{release}"
    );
    assert!(release.contains("(overdue by 17 h)"), "{release}");
    assert!(release.contains("<small>by 17 h</small>"), "{release}");
    assert!(!release.contains("late by 19 h"), "{release}");
}

#[test]
fn an_old_history_is_not_shown_as_this_weeks_train() {
    let f = Fixture::new();
    let out = f.path("site");
    let heading = |now: &str| {
        let o = f
            .cmd()
            .args(["build", "--now", now, "--out"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success());
        let html = page(&out, "index.html");
        let start = html.find("<h1>").unwrap() + 4;
        html[start..html[start..].find("</h1>").unwrap() + start].to_string()
    };
    assert_eq!(
        heading("2026-11-26 12:00"),
        "Where this week&#39;s train stands"
    );
    assert_eq!(
        heading("2027-11-26 12:00"),
        "The last train, pushed on Mon 2026-11-30: no train is planned after it"
    );
    assert_eq!(
        heading("2026-11-10 12:00"),
        "The next train, pushing on Mon 2026-11-30"
    );
}

#[test]
fn checklist_urls_are_links_and_unsafe_ones_are_not() {
    let f = Fixture::new();
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "test_plan: https://wiki.example.com/QA/sync-1.14.2",
        "test_plan: javascript:alert(1)",
    );
    let out = f.path("site");
    build(&f, &out, &[]);
    let release = page(&out, "releases/2026-11-30/index.html");
    for url in [
        "https://ci.example.com/job/sync/812/",
        "https://wiki.example.com/Security/sync",
        "https://sync.stage.example.com",
    ] {
        assert!(
            release.contains(&format!("<a href=\"{url}\">{url}</a>")),
            "{url}: {release}"
        );
    }
    // Not a web address: shown, never linked.
    assert!(
        release.contains("<code>javascript:alert(1)</code>"),
        "{release}"
    );
    assert!(release
        .contains("<code class=\"path\">releases/2026-11-30/handoffs/sync-server.yaml</code>"));
}

#[test]
fn stats_say_na_stack_rollbacks_and_carry_their_numbers() {
    let f = Fixture::new();
    // A month with no push (a skipped train), and 25 more months before it.
    let mut day = chrono::NaiveDate::from_ymd_opt(2024, 6, 3).unwrap();
    while day < chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap() {
        f.write(
            &format!("releases/{day}/train.yaml"),
            &format!(
                "planned_at: {}\nfeatures: []\nskipped: {{ reason: quiet }}\n",
                day - chrono::Duration::days(6)
            ),
        );
        day += chrono::Duration::weeks(4);
    }
    f.edit(
        &t("push.yaml"),
        "outcome: success",
        "outcome: rolled-back\n  rollback_reason: Latency",
    );
    let out = f.path("site");
    build(&f, &out, &[]);
    let stats = page(&out, "stats/index.html");
    // The rolled-back push is the highlighted part of its month's bar.
    assert!(stats.contains("<rect class=\"bar alert\""), "{stats}");
    assert!(stats.contains("<td>1 (1 rolled back)</td>"), "{stats}");
    // A month without a push has no rollback rate, not 0%.
    assert!(stats.contains("<td>n/a (no push)</td>"), "{stats}");
    assert!(!stats.contains("<td>0% (0 of 0)</td>"));
    // More months than drawn: the heading and a note say so.
    assert!(
        stats.contains("Deployment frequency, the last 24 months"),
        "{stats}"
    );
    assert!(
        stats.contains("earlier months are in the table of every release"),
        "{stats}"
    );
    // Every chart has its numbers as a table.
    assert_eq!(
        stats.matches("<svg class=\"chart\"").count(),
        stats.matches("<summary>The numbers</summary>").count()
    );
}

#[test]
fn the_search_index_is_made_once_and_reused_while_nothing_changes() {
    let f = Fixture::new();
    let out = f.path("site");
    assert!(build(&f, &out, &[]).status.success());
    let index = out.join("search/index.js");
    let first = std::fs::read_to_string(&index).unwrap();
    assert!(first.starts_with("// trainyard search index "));
    assert!(
        first.contains("\"title\":\"Release 2026-11-30 (success)\""),
        "{first}"
    );
    // A result says what it is, and names people as people.yaml writes them.
    assert!(
        first.contains("\"summary\":\"answered question, asked by Services Ops\""),
        "{first}"
    );
    // Mark the index (inside its JSON): a build of the same records keeps it
    // as it is.
    let marked = first.replacen("{\"index\":{", "{\"index\":{\"kept\":1,", 1);
    std::fs::write(&index, &marked).unwrap();
    assert!(build(&f, &out, &[]).status.success());
    assert_eq!(std::fs::read_to_string(&index).unwrap(), marked);
    // Script planted after it is never kept: the index is made again.
    std::fs::write(&index, format!("{marked}alert(document.domain);\n")).unwrap();
    assert!(build(&f, &out, &[]).status.success());
    assert_eq!(std::fs::read_to_string(&index).unwrap(), first);
    std::fs::write(&index, &marked).unwrap();
    // A changed record makes a new one.
    f.edit(
        &t("train.yaml"),
        "Per-user storage quotas",
        "Per-user storage limits",
    );
    assert!(build(&f, &out, &[]).status.success());
    let again = std::fs::read_to_string(&index).unwrap();
    assert!(!again.contains("\"kept\""));
    assert_ne!(again.lines().next(), first.lines().next(), "a new hash");
    // The new word is indexed: the body's trie of terms leads to documents
    // under "limit" (stemmed).
    let json = again
        .split_once(" = ")
        .unwrap()
        .1
        .trim_end()
        .trim_end_matches(';');
    let data: serde_json::Value = serde_json::from_str(json).unwrap();
    let mut node = &data["index"]["index"]["body"]["root"];
    for c in "limit".chars() {
        node = &node[c.to_string()];
    }
    assert!(
        node["docs"].as_object().is_some_and(|d| !d.is_empty()),
        "{node}"
    );
    // Every page has the search box, except the search page, which is the box.
    assert!(page(&out, "index.html").contains("action=\"search/index.html\""));
    assert!(
        page(&out, "releases/2026-11-30/index.html").contains("action=\"../../search/index.html\"")
    );
    assert!(!page(&out, "search/index.html").contains("id=\"site-q\""));
}
