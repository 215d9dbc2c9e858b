//! What ships: the service repositories behind the hand-offs, as real Git
//! repositories made here with the git command line, checked through the
//! real binary (RULES.md: repository-missing, handoff-tag, handoff-changes,
//! bug-mismatch, shallow-history; SITE.md: `trainyard changes`).

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Run git in `dir` with a fixed identity and clock; panics on failure.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=Dana Whitfield",
            "-c",
            "user.email=dana@example.com",
        ])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "tag.gpgSign=false",
            "-c",
            "commit.gpgSign=false",
        ])
        .args(args)
        .env("GIT_AUTHOR_DATE", "2026-11-20T10:02:00-08:00")
        .env("GIT_COMMITTER_DATE", "2026-11-20T10:02:00-08:00")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A commit with its own time (so `git log` order is the commit order).
fn commit(dir: &Path, n: u32, subject: &str) {
    let file = format!("work{n}.txt");
    std::fs::write(dir.join(&file), format!("{subject}\n")).unwrap();
    git(dir, &["add", &file]);
    let date = format!("2026-11-{:02}T{:02}:00:00-08:00", 10 + n / 10, 8 + n % 10);
    let out = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=Dana Whitfield",
            "-c",
            "user.email=dana@example.com",
            "-c",
            "commit.gpgSign=false",
        ])
        .args(["commit", "-q", "-m", subject])
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The service repository of sync-server at `dir`:
///
/// v1.14.0 — import; v1.14.1 — one fix; then a side branch merged with a
/// merge commit, a commit naming bug 1234567, one naming bug 1234599 (which
/// the train does not list): v1.14.2 (annotated). Also a tag off the branch,
/// a tag on a tree, and `other` with an unrelated history.
fn service_repo(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    git(dir, &["init", "-q"]);
    commit(dir, 1, "Import the sync server");
    git(dir, &["tag", "v1.14.0"]);
    commit(dir, 2, "Fix a typo in the log line");
    git(dir, &["tag", "v1.14.1"]);
    git(dir, &["checkout", "-q", "-b", "side"]);
    commit(dir, 3, "Side work on quotas");
    git(dir, &["checkout", "-q", "main"]);
    commit(dir, 4, "Per-user storage quotas (bug 1234567)");
    git(
        dir,
        &["merge", "-q", "--no-ff", "-m", "Merge branch side", "side"],
    );
    commit(dir, 5, "Count quota in bytes, bug #1234599");
    git(dir, &["tag", "-a", "-m", "release 1.14.2", "v1.14.2"]);
    git(dir, &["checkout", "-q", "-b", "experiment", "v1.14.0"]);
    commit(dir, 6, "An experiment nobody merged");
    git(dir, &["tag", "v9.9.9-off"]);
    git(dir, &["checkout", "-q", "main"]);
    let tree = git(dir, &["rev-parse", "HEAD^{tree}"]);
    git(dir, &["tag", "treetag", tree.trim()]);
    git(dir, &["checkout", "-q", "--orphan", "other"]);
    commit(dir, 7, "A history of its own");
    git(dir, &["tag", "v0-unrelated"]);
    git(dir, &["checkout", "-q", "main"]);
}

/// The fixture with sync-server's repository at `svc/sync-server` (a clone
/// inside the release repository's folder, which the loader never walks).
pub(crate) fn with_service(project_yaml: &str) -> Fixture {
    let f = Fixture::new();
    service_repo(&f.path("svc/sync-server"));
    f.write(
        "process.yaml",
        &format!("name: Test process\nprojects:\n  sync-server:\n{project_yaml}"),
    );
    f
}

pub(crate) const CONFIGURED: &str = "    repository: svc/sync-server\n    branch: main\n    tag_pattern: \"v*\"\n    baseline: v1.14.1\n";

/// `trainyard changes --train 2026-11-30 --format json`, which must succeed.
#[track_caller]
fn changes_json(f: &Fixture) -> serde_json::Value {
    let out = f
        .cmd()
        .args(["changes", "--train", "2026-11-30", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The one `rule` finding of `check` at the hand-off's `tag` (line 4).
#[track_caller]
fn tag_finding(f: &Fixture, rule: &str) -> Diag {
    f.check()
        .one(rule, &t("handoffs/sync-server.yaml"), 4)
        .clone()
}

fn repository_rules(o: &Outcome) -> Vec<&Diag> {
    o.diags
        .iter()
        .filter(|d| {
            matches!(
                d.rule.as_str(),
                "repository-missing"
                    | "handoff-tag"
                    | "handoff-changes"
                    | "bug-mismatch"
                    | "shallow-history"
            )
        })
        .collect()
}

#[test]
fn a_tag_on_the_branch_with_new_commits_passes_and_an_unlisted_bug_is_named() {
    let f = with_service(CONFIGURED);
    let o = f.check();
    // 1234567 is listed and named; 1234599 is named but not listed.
    let found = repository_rules(&o);
    assert_eq!(found.len(), 1, "{found:#?}");
    let d = o.one("bug-mismatch", &t("train.yaml"), 3);
    assert_eq!(d.severity, "warning");
    assert!(d.message.contains("1234599"), "{d:?}");
    assert_eq!(d.column, 14, "at the feature's project value");
    assert_eq!(o.code, 0, "warnings only");
}

#[test]
fn changes_lists_what_git_log_lists() {
    let f = with_service(CONFIGURED);
    let v = changes_json(&f);
    assert_eq!(v["train"], "2026-11-30");
    let p = &v["projects"][0];
    assert_eq!(
        (p["project"].as_str(), p["from"].as_str(), p["to"].as_str()),
        (Some("sync-server"), Some("v1.14.1"), Some("v1.14.2"))
    );
    let ours: Vec<&str> = p["commits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    let theirs = git(
        &f.path("svc/sync-server"),
        &["log", "--no-merges", "--format=%H", "v1.14.1..v1.14.2"],
    );
    assert_eq!(ours, theirs.lines().collect::<Vec<_>>());
    assert_eq!(ours.len(), 3, "the merge commit is left out");
    let first = &p["commits"][0];
    assert_eq!(first["subject"], "Count quota in bytes, bug #1234599");
    assert_eq!(first["author"], "Dana Whitfield");
    assert_eq!(first["email"], "dana@example.com");
    assert_eq!(first["bugs"], serde_json::json!([1234599]));
    assert!(first["time"].as_str().unwrap().ends_with("-08:00"));
    assert_eq!(p["bugs_listed"], serde_json::json!([1234567]));
    assert_eq!(p["bugs_not_named"], serde_json::json!([]));
    assert_eq!(p["bugs_not_listed"], serde_json::json!([1234599]));

    for format in ["human", "markdown"] {
        let out = f
            .cmd()
            .args(["changes", "--train", "2026-11-30", "--format", format])
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Per-user storage quotas"), "{format}: {text}");
        assert!(!text.contains("Merge branch side"), "{format}: {text}");
    }
    let out = f
        .cmd()
        .args(["changes", "--train", "2026-11-30", "--project", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = f
        .cmd()
        .args(["changes", "--train", "2031-01-06"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn tags_that_cannot_ship() {
    for (tag, why) in [
        ("v1.99.0", "does not exist"),
        ("v9.9.9-off", "is not on branch `main`"),
        ("treetag", "names a tree"),
        ("v0-unrelated", "is not on branch"),
    ] {
        let f = with_service(CONFIGURED);
        f.edit(
            &t("handoffs/sync-server.yaml"),
            "tag: v1.14.2",
            &format!("tag: {tag}"),
        );
        let o = f.check();
        let d = o.one("handoff-tag", &t("handoffs/sync-server.yaml"), 4);
        assert_eq!(d.column, 6);
        assert!(d.message.contains(why), "{tag}: {d:?}");
        assert_eq!(o.code, 1);
    }
    // A tag outside the pattern.
    let f = with_service(&CONFIGURED.replace("\"v*\"", "\"release-*\""));
    let d = tag_finding(&f, "handoff-tag");
    assert!(
        d.message
            .contains("tag_pattern `release-*` (no tag in the repository does)"),
        "{d:?}"
    );
}

#[test]
fn nothing_new_and_going_backwards() {
    let f = with_service(CONFIGURED);
    for (from, to, says) in [
        ("v1.14.2", "v1.14.1", "nothing new"),
        ("v1.14.1", "v1.14.0", "goes backwards"),
    ] {
        f.edit(
            &t("handoffs/sync-server.yaml"),
            &format!("tag: {from}"),
            &format!("tag: {to}"),
        );
        let d = tag_finding(&f, "handoff-changes");
        assert!(d.message.contains(says), "{d:?}");
    }
}

#[test]
fn a_listed_bug_no_commit_names() {
    let f = with_service(CONFIGURED);
    f.edit(
        &t("train.yaml"),
        "bugs: [1234567]",
        "bugs: [1234567, 7654321]",
    );
    let o = f.check();
    let mismatches = o.of("bug-mismatch");
    assert_eq!(mismatches.len(), 2, "{mismatches:#?}");
    let listed = mismatches
        .iter()
        .find(|d| d.message.contains("7654321"))
        .unwrap();
    assert_eq!((listed.line, listed.column), (5, 21), "at the listed bug");
}

#[test]
fn without_baseline_the_first_train_has_no_range() {
    let f = with_service("    repository: svc/sync-server\n");
    let o = f.check();
    assert!(repository_rules(&o).is_empty(), "{:#?}", o.diags);
    let v = changes_json(&f);
    assert!(v["projects"][0]["from"].is_null());
    assert_eq!(v["projects"][0]["commits"], serde_json::json!([]));
}

#[test]
fn a_rolled_back_train_shipped_nothing() {
    // 2026-11-23 handed off v1.14.1 and rolled back; 2026-11-16 shipped
    // v1.14.0. So 2026-11-30's range starts at v1.14.0, not v1.14.1.
    let f = with_service("    repository: svc/sync-server\n");
    for (date, tag, outcome) in [
        ("2026-11-16", "v1.14.0", "success"),
        (
            "2026-11-23",
            "v1.14.1",
            "rolled-back\n  rollback_reason: errors",
        ),
    ] {
        let dir = format!("releases/{date}");
        let monday = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
        let shift = |d: &str| {
            let day = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
            let moved = day - (chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap() - monday);
            moved.to_string()
        };
        let dates = |text: &str| {
            let mut s = text.to_string();
            for d in ["2026-11-24", "2026-11-26", "2026-11-27", "2026-11-30"] {
                s = s.replace(d, &shift(d));
            }
            s
        };
        f.write(&format!("{dir}/train.yaml"), &dates(TRAIN));
        f.write(
            &format!("{dir}/handoffs/sync-server.yaml"),
            &dates(HANDOFF).replace("v1.14.2", tag),
        );
        f.write(&format!("{dir}/staging.yaml"), &dates(STAGING));
        f.write(&format!("{dir}/signoff.yaml"), &dates(SIGNOFF));
        f.write(
            &format!("{dir}/push.yaml"),
            &dates(PUSH).replace("outcome: success", &format!("outcome: {outcome}")),
        );
    }
    let v = changes_json(&f);
    assert_eq!(v["projects"][0]["from"], "v1.14.0", "{v}");
    assert_eq!(v["projects"][0]["commits"].as_array().unwrap().len(), 4);
}

#[test]
fn clones_that_cannot_be_read() {
    type Make = Box<dyn Fn(&Fixture)>;
    let cases: Vec<(&str, Make, &str)> = vec![
        ("svc/missing", Box::new(|_| {}), "there is no folder"),
        (
            "svc/plain",
            Box::new(|f| std::fs::create_dir_all(f.path("svc/plain")).unwrap()),
            "not a Git repository",
        ),
        (
            "svc/bare.git",
            Box::new(|f| {
                git(
                    &f.path("svc"),
                    &["clone", "-q", "--bare", "sync-server", "bare.git"],
                );
            }),
            "bare repository",
        ),
        ("/etc", Box::new(|_| {}), "not a path relative"),
        #[cfg(unix)]
        (
            "svc/link",
            Box::new(|f| {
                std::os::unix::fs::symlink(f.path("svc/sync-server"), f.path("svc/link")).unwrap()
            }),
            "symbolic link",
        ),
    ];
    for (path, make, why) in cases {
        let f = with_service(&CONFIGURED.replace("svc/sync-server", path));
        make(&f);
        let o = f.check();
        let d = o.one("repository-missing", "process.yaml", 4);
        assert_eq!(d.severity, "warning");
        assert!(
            d.message.contains("sync-server") && d.message.contains(why),
            "{path}: {d:?}"
        );
        assert!(o.of("handoff-tag").is_empty() && o.of("bug-mismatch").is_empty());
        assert_eq!(o.code, 0, "a warning: CI without the clone still passes");
    }
    // A branch that does not exist.
    let f = with_service(&CONFIGURED.replace("branch: main", "branch: release"));
    let d = f
        .check()
        .one("repository-missing", "process.yaml", 4)
        .clone();
    assert!(
        d.message.contains("branch `release` does not exist"),
        "{d:?}"
    );
}

#[test]
fn a_clone_beside_the_release_repository_is_allowed() {
    let outer = tempfile::tempdir().unwrap();
    let f = Fixture::new();
    service_repo(&outer.path().join("sync-server"));
    let repo: PathBuf = outer.path().join("releases-repo");
    // Both are in the temporary folder's file system.
    std::fs::rename(f.root(), &repo).expect("move the fixture beside the clone");
    std::fs::write(
        repo.join("process.yaml"),
        format!(
            "name: x\nprojects:\n  sync-server:\n{}",
            CONFIGURED.replace("svc/sync-server", "../sync-server")
        ),
    )
    .unwrap();
    let out = assert_cmd::Command::cargo_bin("trainyard")
        .unwrap()
        .current_dir(&repo)
        .args(["check", "--format", "json", "--now", NOW])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["bug-mismatch"], "{v}");
    // The fixture's own folder is gone; let its clean-up find one.
    std::fs::create_dir_all(f.root()).ok();
}

#[test]
fn a_shallow_clone_is_not_trusted() {
    let f = with_service(CONFIGURED);
    let src = format!("file://{}", f.path("svc/sync-server").display());
    git(
        &f.path("svc"),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            "--no-single-branch",
            &src,
            "shallow",
        ],
    );
    git(
        &f.path("svc/shallow"),
        &[
            "fetch",
            "-q",
            "--depth",
            "1",
            "origin",
            "refs/tags/*:refs/tags/*",
        ],
    );
    f.write(
        "process.yaml",
        &format!(
            "name: x\nprojects:\n  sync-server:\n{}",
            CONFIGURED.replace("svc/sync-server", "svc/shallow")
        ),
    );
    let o = f.check();
    let d = o.one("shallow-history", "process.yaml", 4);
    assert!(
        d.message.contains("sync-server") && d.message.contains("shallow"),
        "{d:?}"
    );
    assert!(
        o.of("handoff-changes").is_empty() && o.of("bug-mismatch").is_empty(),
        "{:#?}",
        o.diags
    );
}

#[test]
fn an_invalid_bug_pattern_is_a_schema_error_at_its_line() {
    let f = with_service(&format!("{CONFIGURED}bugs:\n  pattern: 'bug (\\d+'\n"));
    let d = f.check().one("schema", "process.yaml", 9).clone();
    assert!(d.message.contains("bugs.pattern"), "{d:?}");
    let f = with_service(&format!("{CONFIGURED}bugs:\n  pattern: 'bug \\d+'\n"));
    let d = f.check().one("schema", "process.yaml", 9).clone();
    assert!(d.message.contains("capture group"), "{d:?}");
}

#[test]
fn the_site_shows_what_ships_with_bug_links_and_lead_time_for_changes() {
    let f = with_service(&format!(
        "{CONFIGURED}bugs:\n  url: https://bugs.example.com/show?id={{id}}\n  list_url: https://bugs.example.com/list?ids={{ids}}\n"
    ));
    let out = f
        .cmd()
        .args(["build", "--now", NOW, "--out", "site"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(f.path("site/releases/2026-11-30/index.html")).unwrap();
    assert!(page.contains("What ships"), "{page}");
    assert!(page.contains("<code>v1.14.1..v1.14.2</code>"));
    assert!(page.contains("Per-user storage quotas (bug 1234567)"));
    assert!(!page.contains("Merge branch side"));
    // Every bug links to the tracker: features, deploy bugs, commits.
    for bug in ["1234567", "1234590", "1234599"] {
        assert!(
            page.contains(&format!("href=\"https://bugs.example.com/show?id={bug}\"")),
            "{bug}"
        );
    }
    assert!(page.contains("href=\"https://bugs.example.com/list?ids=1234567\""));
    assert!(page.contains("Named by commits, but not listed"));

    let api: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(f.path("site/api/releases.json")).unwrap())
            .unwrap();
    let train = api["trains"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "2026-11-30")
        .unwrap();
    assert_eq!(
        train["changes"],
        serde_json::json!([{"bugs": [1234599, 1234567], "commits": 3, "from": "v1.14.1", "project": "sync-server", "to": "v1.14.2"}])
    );

    // The range's commits are dated 2026-11-10 11:00, 12:00 and 13:00 -08:00
    // (see `commit`); the push finished 2026-11-30 16:10 PST. The median
    // commit, 12:00, is 20 days 4 h 10 min (484 h) before it.
    let stats = std::fs::read_to_string(f.path("site/stats/index.html")).unwrap();
    assert!(
        stats.contains("Median lead time for changes, commit to production</dt><dd>484 h"),
        "{stats}"
    );
}

#[test]
fn every_range_is_what_git_log_lists() {
    // From each tag of the clone (on the branch, off it, the side branch's
    // own history) to the hand-off's v1.14.2.
    for from in ["v1.14.0", "v1.14.1", "v9.9.9-off"] {
        let f =
            with_service(&CONFIGURED.replace("baseline: v1.14.1", &format!("baseline: {from}")));
        let v = changes_json(&f);
        let ours: Vec<&str> = v["projects"][0]["commits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap())
            .collect();
        let theirs = git(
            &f.path("svc/sync-server"),
            &[
                "log",
                "--no-merges",
                "--format=%H",
                &format!("{from}..v1.14.2"),
            ],
        );
        assert_eq!(ours, theirs.lines().collect::<Vec<_>>(), "{from}..v1.14.2");
    }
}

#[test]
fn the_handoff_mail_lists_what_ships() {
    let f = with_service(CONFIGURED);
    let out = f
        .cmd()
        .args(["mail", "handoff", "sync-server", "--train", "2026-11-30"])
        .assert()
        .success();
    let message = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    // v1.14.1..v1.14.2 without the merge, as git log --no-merges lists it.
    let log = git(
        &f.path("svc/sync-server"),
        &["log", "--no-merges", "--format=%h", "v1.14.1..v1.14.2"],
    );
    assert!(
        message.contains("What ships: v1.14.1..v1.14.2 (3 commits)"),
        "{message}"
    );
    for subject in [
        "Count quota in bytes",
        "Per-user storage quotas (bug 1234567)",
        "Side work on quotas",
    ] {
        assert!(message.contains(subject), "{subject}: {message}");
    }
    assert!(!message.contains("Merge branch side"), "{message}");
    assert_eq!(log.lines().count(), 3);
}
