//! The command line itself: formats, exit statuses, and repository discovery.

use crate::common::*;
use predicates::prelude::*;

#[test]
fn human_output_shows_the_line_and_a_caret() {
    let f = Fixture::new();
    f.edit(
        &t("push.yaml"),
        "started_at: 2026-11-30 15:05",
        "started_at: 2026-11-30 14:50",
    );
    let out = f.cmd().args(["check", "--now", NOW]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let expected_head = format!(
        "{}:2:13: error[push-window]: the push started at 2026-11-30 14:50 PST",
        t("push.yaml")
    );
    assert!(text.starts_with(&expected_head), "{text}");
    assert!(
        text.contains("2 | started_at: 2026-11-30 14:50\n"),
        "{text}"
    );
    assert!(
        text.contains("  |             ^^^^^^^^^^^^^^^^\n"),
        "{text}"
    );
    assert!(text.contains("= help:"), "{text}");
    assert!(
        text.trim_end()
            .ends_with("error: 1 error and 0 warnings in 9 files"),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "no colour when not on a terminal");
}

#[test]
fn a_clean_repository_says_so() {
    let f = Fixture::new();
    f.cmd()
        .args(["check", "--now", NOW])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "ok: 9 files checked, no problems found",
        ));
}

#[test]
fn github_format_escapes_and_is_automatic_under_actions() {
    let f = Fixture::new();
    f.edit(
        &t("push.yaml"),
        "started_at: 2026-11-30 15:05",
        "started_at: 2026-11-30 14:50",
    );
    let out = f
        .cmd()
        .env("GITHUB_ACTIONS", "true")
        .args(["check", "--now", NOW])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text.lines().next().unwrap();
    assert!(
        line.starts_with(&format!("::error file={},line=2,col=13,title=push-window::the push started at 2026-11-30 14:50 PST", t("push.yaml"))),
        "{line}"
    );
    assert!(line.contains("%0Ahelp: "), "{line}");
    assert_eq!(text.lines().count(), 1);
    // An explicit --format wins over the environment.
    let out = f
        .cmd()
        .env("GITHUB_ACTIONS", "true")
        .args(["check", "--now", NOW, "--format", "json"])
        .output()
        .unwrap();
    assert!(out.stdout.starts_with(b"{\"diagnostics\":"));
}

#[test]
fn github_warnings_use_the_warning_command() {
    let f = Fixture::new();
    f.write("process.yaml", "rules: { push-window: warning }\n");
    f.edit(
        &t("push.yaml"),
        "started_at: 2026-11-30 15:05",
        "started_at: 2026-11-30 14:50",
    );
    let out = f
        .cmd()
        .args(["check", "--now", NOW, "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .starts_with("::warning file="));
}

#[test]
fn json_is_one_object_sorted_by_file_line_column_rule() {
    let f = Fixture::new();
    f.edit(&t("push.yaml"), "ops: [oscar]", "ops: [oskar]");
    f.edit(&t("signoff.yaml"), "by: quinn", "by: nobody");
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "status: passing",
        "status: failing",
    );
    let out = f.check();
    let keys: Vec<(String, u64, u64, String)> = out
        .diags
        .iter()
        .map(|d| (d.file.clone(), d.line, d.column, d.rule.clone()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_eq!(out.json["errors"], 3);
    assert_eq!(out.json["warnings"], 0);
    let first = &out.json["diagnostics"][0];
    let fields: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for k in [
        "rule", "severity", "file", "line", "column", "message", "help",
    ] {
        assert!(fields.contains(&k), "{fields:?}");
    }
}

#[test]
fn exit_2_when_the_root_is_not_a_release_repository() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = assert_cmd::Command::cargo_bin("trainyard").unwrap();
    cmd.args(["check", "--root"]).arg(dir.path());
    cmd.assert()
        .code(2)
        .stderr(predicate::str::contains("not a release repository"));
}

#[test]
fn exit_2_for_bad_arguments() {
    let f = Fixture::new();
    f.cmd()
        .args(["check", "--now", "tomorrow"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--now"));
    f.cmd().args(["check", "--format", "xml"]).assert().code(2);
    f.cmd().args(["check", "--frobnicate"]).assert().code(2);
}

#[test]
fn root_option_and_current_directory_agree() {
    let f = Fixture::new();
    let mut cmd = assert_cmd::Command::cargo_bin("trainyard").unwrap();
    cmd.args(["check", "--format", "json", "--now", NOW, "--root"])
        .arg(f.root());
    cmd.assert()
        .success()
        .stdout("{\"diagnostics\":[],\"errors\":0,\"warnings\":0}\n");
}

#[test]
fn help_explains_the_command() {
    let mut cmd = assert_cmd::Command::cargo_bin("trainyard").unwrap();
    cmd.args(["check", "--help"]).assert().success().stdout(
        predicate::str::contains("Exit status").and(predicate::str::contains("--deny-warnings")),
    );
}

#[test]
fn this_projects_own_record_is_valid() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cmd = assert_cmd::Command::cargo_bin("trainyard").unwrap();
    cmd.args([
        "check",
        "--format",
        "json",
        "--now",
        "2026-11-26 12:00",
        "--root",
    ])
    .arg(root);
    let out = cmd.assert().success().get_output().stdout.clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["errors"], 0, "{v}");
    // The only warnings: the example's service repositories are absent
    // (before `cargo run --example service_repos`), or, once made, the
    // commits that name bugs their train does not list (the rolled-back
    // 2026-09-28 token-server work shipping again on 2026-10-12, and one
    // hotfix on 2026-11-30).
    let rules: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(
        rules == ["repository-missing"; 2] || rules == ["bug-mismatch"; 3],
        "{v}"
    );
}

#[test]
fn completions_and_the_man_page_cover_every_command() {
    let mut cmd = assert_cmd::Command::cargo_bin("trainyard").unwrap();
    let out = cmd.args(["completions", "bash"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for sub in ["check", "build", "status", "codeowners"] {
        assert!(text.contains(sub), "bash completion lacks {sub}");
    }
    let mut cmd = assert_cmd::Command::cargo_bin("trainyard").unwrap();
    let man = String::from_utf8(cmd.arg("man").output().unwrap().stdout).unwrap();
    assert!(
        man.starts_with(".ie") && man.contains(".TH trainyard 1"),
        "{man}"
    );
    let mut cmd = assert_cmd::Command::cargo_bin("trainyard").unwrap();
    cmd.args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn schema_writes_a_draft_2020_12_schema_per_record_kind() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = assert_cmd::Command::cargo_bin("trainyard").unwrap();
    cmd.args(["schema", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let names = [
        "process", "people", "train", "handoff", "staging", "signoff", "push", "planning",
        "question",
    ];
    for n in names {
        let text = std::fs::read_to_string(dir.path().join(format!("{n}.schema.json"))).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            v["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{n}"
        );
        assert_eq!(v["type"], "object", "{n}");
    }
    // Unknown fields are refused, as check refuses them.
    let push: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("push.schema.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(push["additionalProperties"], false);
    assert!(push["required"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r == "pushed_by"));
}

#[test]
fn the_committed_schemas_match_the_model() {
    // schemas/ in this repository is what editors use for the example records;
    // regenerate it with `cargo run -- schema` when the model changes.
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = assert_cmd::Command::cargo_bin("trainyard").unwrap();
    cmd.args(["schema", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let committed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let name = entry.unwrap().file_name();
        let fresh = std::fs::read_to_string(dir.path().join(&name)).unwrap();
        let old = std::fs::read_to_string(committed.join(&name)).unwrap_or_default();
        assert_eq!(
            fresh,
            old,
            "schemas/{} is stale: run `cargo run -- schema`",
            name.to_string_lossy()
        );
    }
}

#[test]
fn version_names_the_commit_it_was_built_from() {
    let out = assert_cmd::Command::cargo_bin("trainyard")
        .unwrap()
        .arg("--version")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(&format!("trainyard {} ", env!("CARGO_PKG_VERSION")))
            || text.trim() == format!("trainyard {}", env!("CARGO_PKG_VERSION")),
        "{text}"
    );
    // Built from this checkout: the commit is named.
    let root = env!("CARGO_MANIFEST_DIR");
    if std::path::Path::new(root).join(".git").exists() {
        let head = std::process::Command::new("git")
            .args(["rev-parse", "--short=12", "HEAD"])
            .current_dir(root)
            .output()
            .unwrap();
        let head = String::from_utf8(head.stdout).unwrap();
        assert!(
            text.contains(&format!("({}", head.trim())),
            "{text} lacks {head}"
        );
    }
}

#[test]
fn summary_appends_a_markdown_table_that_record_text_cannot_escape() {
    let f = Fixture::new();
    f.edit(
        &t("push.yaml"),
        "started_at: 2026-11-30 15:05",
        "started_at: 2026-11-30 14:50",
    );
    // A name chosen by a pull request's author, quoted in the message.
    f.edit(
        &t("push.yaml"),
        "ops: [oscar]",
        "ops: [\"![x](https://evil.example/t.png) <img src=x> | forged | cell\"]",
    );
    let summary = f.path("summary.md");
    std::fs::write(&summary, "## an earlier step\n\n").unwrap();
    let out = f
        .cmd()
        .args(["check", "--now", NOW, "--format", "github", "--summary"])
        .arg(&summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    // The annotations still go to stdout.
    assert!(out.stdout.starts_with(b"::error file="));
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(
        text.starts_with("## an earlier step\n\n## trainyard check\n"),
        "{text}"
    );
    assert!(
        text.contains("❌ 2 errors and 0 warnings in 9 files checked."),
        "{text}"
    );

    // As GitHub renders it: one table, a row per problem, the rule linked to
    // its documentation, and the hostile text shown, not acted on.
    let mut opts = pulldown_cmark::Options::empty();
    opts.insert(pulldown_cmark::Options::ENABLE_TABLES);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(&text, opts));
    assert_eq!(html.matches("<table>").count(), 1, "{html}");
    assert_eq!(
        html.matches("<tr>").count(),
        3,
        "header and two rows: {html}"
    );
    assert_eq!(html.matches("<td>").count(), 8, "four cells a row: {html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(!html.contains("evil.example/t.png\""), "{html}");
    assert!(
        html.contains("![x](https://evil.example/t.png) &lt;img src=x&gt; | forged | cell"),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "<a href=\"https://github.com/trainyard-rs/trainyard/blob/v{}/docs/rules.md#push-window\"><code>push-window</code></a>",
            env!("CARGO_PKG_VERSION")
        )),
        "{html}"
    );
    assert!(html.contains(&format!("{}:2:13", t("push.yaml"))), "{html}");

    // A clean run says so, appended after the first.
    let f = Fixture::new();
    let summary = f.path("clean.md");
    f.cmd()
        .args(["check", "--now", NOW, "--summary"])
        .arg(&summary)
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(&summary).unwrap(),
        "## trainyard check\n\n✅ 9 files checked: no problems.\n"
    );
}

#[test]
fn a_summary_that_cannot_be_written_is_an_error_not_a_silent_pass() {
    let f = Fixture::new();
    f.cmd()
        .args(["check", "--now", NOW, "--summary"])
        .arg(f.path("no/such/folder/summary.md"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot write the summary to"));
}
