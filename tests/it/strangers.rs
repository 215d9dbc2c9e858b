//! A stranger's pull request, round two (issue 20): records, process files,
//! histories and service clones that `check` used to pass while `build`,
//! `check` itself or another command crashed, hung, flooded its output or
//! wrote what the stranger chose. Each test drives the real binary and fails
//! on the code before the fix.

use crate::common::*;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Run trainyard bounded (2 GiB, a minute), as the fuzz test does.
fn run(f: &Fixture, args: &[&str]) -> (Option<i32>, String, String) {
    run_bounded(f, args, Duration::from_secs(60))
}

/// `build` into `site/` must succeed.
#[track_caller]
fn builds(f: &Fixture) {
    let (code, _, err) = run(f, &["build", "--now", NOW, "--out", "site"]);
    assert_eq!(code, Some(0), "build: {err}");
}

fn commit_all(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(
        dir,
        &[
            "-c",
            "user.name=oscar",
            "-c",
            "user.email=oscar@example.com",
            "commit",
            "-q",
            "-m",
            message,
        ],
    );
}

#[test]
fn a_forty_thousand_character_word_is_searchable_text_not_a_crash() {
    let f = Fixture::new();
    let word = "w".repeat(40_000);
    f.write(&t("notes.md"), &format!("Quota rollout. {word} done.\n"));
    f.write(
        "questions/0002-long.md",
        &format!("---\ntitle: Long {word}\nasked_by: oscar\nasked_at: 2026-11-20\nstatus: open\n---\n{word}\n"),
    );
    builds(&f);
    // The index keeps words in a tree of one level per character: a word of
    // 40,000 characters nested 40,000 objects deep.
    let index = f.read("site/search/index.js");
    let mut depth = 0i64;
    let mut deepest = 0;
    for b in index.bytes() {
        match b {
            b'{' => depth += 1,
            b'}' => depth -= 1,
            _ => {}
        }
        deepest = deepest.max(depth);
    }
    assert!(deepest < 60, "the index nests {deepest} deep");
    assert!(deepest > 8, "words are still indexed");
}

#[test]
fn sixteen_megabytes_of_distinct_words_index_in_bounded_memory() {
    let f = Fixture::new();
    // 16 questions of nearly 1 MiB, each word distinct: the index is bounded
    // by bytes of text, not by what the files hold.
    let mut n = 0u64;
    for q in 0..16 {
        let mut body = String::with_capacity(1 << 20);
        while body.len() < (1 << 20) - 200 {
            body.push_str(&format!("z{n:x} "));
            n += 1;
        }
        f.write(
            &format!("questions/{:04}-big.md", q + 2),
            &format!("---\ntitle: Big {q}\nasked_by: oscar\nasked_at: 2026-11-20\nstatus: open\n---\n{body}\n"),
        );
    }
    builds(&f);
    let index = std::fs::metadata(f.path("site/search/index.js"))
        .unwrap()
        .len();
    assert!(index < 64 << 20, "index of {index} bytes");
}

#[test]
fn a_line_of_five_thousand_unknown_handles_prints_a_bounded_report() {
    let f = Fixture::new();
    let handles: Vec<String> = (0..5000).map(|i| format!("nobody{i:04}")).collect();
    f.edit(
        &t("push.yaml"),
        "present: { dev: [alice],",
        &format!("present: {{ dev: [alice, {}],", handles.join(", ")),
    );
    let (code, out, _) = run(&f, &["check", "--now", NOW]);
    assert_eq!(code, Some(1));
    assert!(out.contains("nobody4999"), "every handle is still reported");
    assert!(
        out.len() < 8 << 20,
        "{} bytes for 5,000 diagnostics",
        out.len()
    );
    // The quoted line is a window around the value, marked where it is cut.
    let lines: Vec<&str> = out.lines().collect();
    let head = lines
        .iter()
        .position(|l| l.contains("unknown-person") && l.contains("`nobody2500`"))
        .expect("the diagnostic of nobody2500");
    let (quoted, caret) = (lines[head + 2], lines[head + 3]);
    assert!(quoted.contains("| …") && quoted.ends_with('…'), "{quoted}");
    assert!(quoted.chars().count() < 140, "{quoted}");
    // Columns in characters: the cut is marked with `…`.
    let column = |line: &str, at: usize| line[..at].chars().count();
    let at = column(quoted, quoted.find("nobody2500").unwrap());
    let caret_at = column(caret, caret.find('^').unwrap());
    assert_eq!(caret_at, at, "{quoted}\n{caret}");
}

#[test]
fn invisible_and_bidirectional_characters_are_shown_escaped() {
    let f = Fixture::new();
    f.edit(
        &t("push.yaml"),
        "present: { dev: [alice],",
        "present: { dev: [alice, \"ev\u{200F}e\u{2028}x\u{FEFF}\u{061C}\"],",
    );
    for format in ["human", "github"] {
        let (code, out, _) = run(&f, &["check", "--now", NOW, "--format", format]);
        assert_eq!(code, Some(1), "{format}");
        for c in ['\u{200F}', '\u{2028}', '\u{FEFF}', '\u{061C}'] {
            assert!(!out.contains(c), "{format}: {c:?} reached the output");
        }
        assert!(out.contains("\\u{200f}"), "{format}: {out}");
    }
}

/// A tree `depth` folders deep holding one file, written straight into the
/// object database: no file system holds a path that long.
fn deep_tree(repo: &Path, depth: usize) -> String {
    let odb = git2::Repository::open(repo).unwrap();
    let blob = odb.blob(b"x: 1\n").unwrap();
    let mut b = odb.treebuilder(None).unwrap();
    b.insert("f.yaml", blob, 0o100644).unwrap();
    let mut id = b.write().unwrap();
    for _ in 0..depth {
        let mut b = odb.treebuilder(None).unwrap();
        b.insert("d", id, 0o040000).unwrap();
        id = b.write().unwrap();
    }
    id.to_string()
}

#[test]
fn a_folder_thousands_of_levels_deep_in_the_history_is_walked_without_recursion() {
    let f = Fixture::new();
    let root = f.root();
    git(root, &["init", "-q", "-b", "main"]);
    commit_all(root, "The records");
    // A commit that adds releases/deep/d/d/…/f.yaml, 3,300 levels, and one
    // that takes it away again.
    let deep = deep_tree(root, 3300);
    let repo = git2::Repository::open(root).unwrap();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    let base = head.tree().unwrap();
    let releases = base.get_path(Path::new("releases")).unwrap().id();
    let mut r = repo
        .treebuilder(Some(&repo.find_tree(releases).unwrap()))
        .unwrap();
    r.insert("deep", git2::Oid::from_str(&deep).unwrap(), 0o040000)
        .unwrap();
    let releases = r.write().unwrap();
    let mut top = repo.treebuilder(Some(&base)).unwrap();
    top.insert("releases", releases, 0o040000).unwrap();
    let tree = repo.find_tree(top.write().unwrap()).unwrap();
    let who = git2::Signature::now("oscar", "oscar@example.com").unwrap();
    let added = repo
        .commit(None, &who, &who, "Deep", &tree, &[&head])
        .unwrap();
    let added = repo.find_commit(added).unwrap();
    let removed = repo
        .commit(None, &who, &who, "Gone", &base, &[&added])
        .unwrap();
    repo.reference("refs/heads/main", removed, true, "Gone")
        .unwrap();
    for args in [
        vec!["check", "--now", NOW],
        vec!["check", "--now", NOW, "--base", "HEAD~2"],
    ] {
        let (code, _, err) = run(&f, &args);
        assert!(matches!(code, Some(0 | 1)), "{args:?}: {code:?} {err}");
    }
    builds(&f);
}

#[test]
fn a_bug_link_holds_its_number_once() {
    let f = Fixture::new();
    let url = format!(
        "https://bugs.example.com/?{}",
        (0..1000)
            .map(|i| format!("a{i}={{id}}"))
            .collect::<Vec<_>>()
            .join("&")
    );
    f.write(
        "process.yaml",
        &format!("name: Test process\nbugs:\n  url: \"{url}\"\n"),
    );
    let o = f.check();
    let d = o.one("schema", "process.yaml", 3);
    assert!(d.message.contains("1000 times"), "{d:?}");
    // The site still builds, with bugs unlinked, and stays small.
    builds(&f);
    let page = std::fs::metadata(f.path(&format!("site/{T}/index.html"))).unwrap();
    assert!(
        page.len() < 1 << 20,
        "a release page of {} bytes",
        page.len()
    );
}

#[test]
fn a_bug_pattern_that_would_run_for_minutes_is_refused() {
    let f = Fixture::new();
    f.write(
        "process.yaml",
        "name: Test process\nbugs:\n  pattern: '(?-u:[\\w\\s]{0,3000})(\\d)'\n",
    );
    f.write(&t("notes.md"), &"notes and more notes ".repeat(50_000));
    let started = std::time::Instant::now();
    let o = f.check();
    let d = o.one("schema", "process.yaml", 3);
    assert!(d.message.contains("repeats a part 3000 times"), "{d:?}");
    assert!(d.help.as_deref().unwrap_or("").contains("first group"));
    builds(&f);
    // Not a timed test: a generous bound that only the old behaviour (54 s)
    // would break.
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn a_github_name_with_a_line_break_writes_no_rule_of_its_own() {
    let f = Fixture::new();
    f.write(
        "people.yaml",
        &PEOPLE.replace(
            "roles: [ops] }\n  - { handle: olga",
            "roles: [ops], github: \"oscar\\n/releases/ @eve\" }\n  - { handle: olga",
        ),
    );
    f.write(
        "process.yaml",
        "name: Test process\nroles:\n  test:\n    title: \"Test\\n/process.yaml @eve\"\n",
    );
    let o = f.check();
    assert!(
        o.of("schema")
            .iter()
            .any(|d| d.file == "people.yaml" && d.message.contains("GitHub user name")),
        "{:#?}",
        o.diags
    );
    assert!(
        o.of("schema")
            .iter()
            .any(|d| d.file == "process.yaml" && d.message.contains("title")),
        "{:#?}",
        o.diags
    );
    let (code, _, err) = run(&f, &["codeowners", "--write"]);
    assert!(matches!(code, Some(0 | 1)), "{err}");
    let written = f.read(".github/CODEOWNERS");
    assert!(!written.contains("@eve"), "{written}");
    for line in written.lines() {
        assert!(
            line.starts_with('#') || line.starts_with('/') || line.is_empty(),
            "{line}"
        );
    }
}

#[test]
fn handles_are_slugs_and_new_never_writes_another_field() {
    let f = Fixture::new();
    let hostile = "dana], test: [tess] } #";
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "by: alice",
        &format!("by: \"{hostile}\""),
    );
    f.write(
        "people.yaml",
        &format!("{PEOPLE}  - {{ handle: \"{hostile}\", name: Dana, email: dana@example.com, roles: [dev] }}\n"),
    );
    let o = f.check();
    assert!(
        o.of("schema")
            .iter()
            .any(|d| d.file == "people.yaml" && d.message.contains("not a slug")),
        "{:#?}",
        o.diags
    );
    f.remove(&t("push.yaml"));
    let (code, _, err) = run(&f, &["new", "push", "--now", "2026-11-30 14:00"]);
    assert_eq!(code, Some(0), "{err}");
    let push = f.read(&t("push.yaml"));
    assert!(!push.contains("tess"), "{push}");
    let present = push.lines().find(|l| l.starts_with("present:")).unwrap();
    assert!(present.contains("test: [\"<fill in"), "{present}");
}

#[test]
fn recipients_must_be_addresses() {
    let f = Fixture::new();
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "to: [services-qa@example.com]",
        "to: [services-qa@example.com, \"QA team\"]",
    );
    f.write(
        "process.yaml",
        "name: Test process\nroles:\n  ops:\n    list: \"ops@example.com], cc: [eve@evil.example\"\n",
    );
    let o = f.check();
    let bad: Vec<_> = o
        .of("schema")
        .into_iter()
        .filter(|d| d.message.contains("not an e-mail address"))
        .map(|d| d.file.as_str())
        .collect();
    assert!(bad.contains(&"process.yaml"), "{:#?}", o.diags);
    assert!(
        bad.contains(&t("handoffs/sync-server.yaml").as_str()),
        "{:#?}",
        o.diags
    );
}

#[test]
fn control_characters_and_noncharacters_never_reach_the_feed_calendar_or_pages() {
    let f = Fixture::new();
    f.edit(
        &t("push.yaml"),
        "  outcome: success",
        "  outcome: rolled-back\n  rollback_reason: \"quota \\uFFFE bad \\x01 \\x1B[31m \\u0085 end\"",
    );
    // The process's name names the calendar.
    f.write("process.yaml", "name: \"Services \\uFFFE\\x01 process\"\n");
    builds(&f);
    let feed = f.read("site/feed.xml");
    for c in ['\u{FFFE}', '\u{1}', '\u{1b}', '\u{85}'] {
        assert!(!feed.contains(c), "feed.xml holds {c:?}");
    }
    // Well-formed XML, as a feed reader parses it.
    let out = Command::new("python3")
        .args([
            "-c",
            "import sys, xml.dom.minidom as m; m.parse(sys.argv[1])",
        ])
        .arg(f.path("site/feed.xml"))
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ics = f.read("site/calendar.ics");
    assert!(!ics.contains(['\u{1}', '\u{1b}', '\u{85}', '\u{FFFE}']));
    for entry in walkdir::WalkDir::new(f.path("site")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            let page = std::fs::read_to_string(entry.path()).unwrap();
            assert!(
                !page.contains(['\u{1}', '\u{1b}', '\u{85}', '\u{FFFE}']),
                "{}",
                entry.path().display()
            );
        }
    }
    let release = f.read(&format!("site/{T}/index.html"));
    assert!(release.contains("quota \u{FFFD} bad"), "shown, replaced");
}

/// The job summary as GitHub renders it (comrak with GitHub's extensions).
fn gfm(markdown: &str) -> String {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.autolink = true;
    options.extension.strikethrough = true;
    comrak::markdown_to_html(markdown, &options)
}

#[test]
fn record_text_in_the_job_summary_links_and_mentions_nobody() {
    let f = Fixture::new();
    f.edit(
        &t("push.yaml"),
        "ops: [oscar]",
        "ops: [\"`` https://evil.example/x www.evil.example @org/team @channel\"]",
    );
    let summary = f.path("summary.md");
    let (code, _, err) = run(
        &f,
        &[
            "check",
            "--now",
            NOW,
            "--summary",
            summary.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(1), "{err}");
    let html = gfm(&std::fs::read_to_string(&summary).unwrap());
    // The only links are the rules' documentation.
    for link in html.match_indices("<a href=\"").map(|(i, _)| &html[i..]) {
        assert!(
            link.starts_with("<a href=\"https://github.com/trainyard-rs/"),
            "{link}"
        );
    }
    // The text, mentions included, sits in code spans, and nowhere else.
    let mut outside = String::new();
    let mut inside = String::new();
    for (i, part) in html.split("<code>").enumerate() {
        match part.split_once("</code>") {
            Some((code, rest)) if i > 0 => {
                inside.push_str(code);
                outside.push_str(rest);
            }
            _ => outside.push_str(part),
        }
    }
    for shown in [
        "https://evil.example/x",
        "www.evil.example",
        "@org/team",
        "@channel",
    ] {
        assert!(inside.contains(shown), "{shown}: {html}");
        assert!(
            !outside.contains(shown),
            "{shown} outside a code span: {html}"
        );
    }
}

#[test]
fn a_password_is_never_sent_in_clear() {
    let f = Fixture::new();
    let out = f
        .cmd()
        .args([
            "mail",
            "handoff",
            "sync-server",
            "--now",
            NOW,
            "--send",
            "--smtp",
            "smtp://127.0.0.1:9",
        ])
        .env("TRAINYARD_SMTP_USER", "alice")
        .env("TRAINYARD_SMTP_PASSWORD", "hunter2")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("in clear") && err.contains("?tls=required") && err.contains("smtps://"),
        "{err}"
    );
    assert!(!err.contains("hunter2"), "{err}");
}

/// `git` in a service clone, with a fixed identity and no user config.
fn service_git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=Dana", "-c", "user.email=dana@example.com"])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgSign=false",
            "-c",
            "tag.gpgSign=false",
        ])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The fixture with a service clone at `svc/sync-server`: v1.14.1, then one
/// commit whose message is `message`, tagged v1.14.2.
fn with_clone(message: &str) -> Fixture {
    let f = Fixture::new();
    let dir = f.path("svc/sync-server");
    std::fs::create_dir_all(&dir).unwrap();
    service_git(&dir, &["init", "-q"]);
    std::fs::write(dir.join("a.txt"), "a\n").unwrap();
    service_git(&dir, &["add", "a.txt"]);
    service_git(&dir, &["commit", "-q", "-m", "Import"]);
    service_git(&dir, &["tag", "v1.14.1"]);
    std::fs::write(dir.join("a.txt"), "b\n").unwrap();
    std::fs::write(f.path("svc/message.txt"), message).unwrap();
    service_git(&dir, &["commit", "-q", "-a", "-F", "../message.txt"]);
    service_git(&dir, &["tag", "v1.14.2"]);
    f.write(
        "process.yaml",
        "name: Test process\nprojects:\n  sync-server:\n    repository: svc/sync-server\n    branch: main\n    baseline: v1.14.1\n",
    );
    f
}

#[test]
fn a_thirty_megabyte_commit_subject_is_shown_cut() {
    let subject = format!("Quota {}", "q".repeat(30 << 20));
    let f = with_clone(&format!("{subject}\n\nbug 1234567\n"));
    let (code, out, err) = run(
        &f,
        &["changes", "--train", "2026-11-30", "--format", "markdown"],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("Quota qqq"), "{out}");
    assert!(out.len() < 4096, "{} bytes of release notes", out.len());
    builds(&f);
    let page = std::fs::metadata(f.path(&format!("site/{T}/index.html")))
        .unwrap()
        .len();
    assert!(page < 256 << 10, "a release page of {page} bytes");
    let (code, out, err) = run(&f, &["mail", "handoff", "sync-server", "--now", NOW]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.len() < 256 << 10, "an e-mail of {} bytes", out.len());
}

#[test]
fn a_hard_linked_snapshot_of_the_site_keeps_what_it_held() {
    let f = Fixture::new();
    builds(&f);
    // A snapshot sharing every file with the site, as `cp -al` or
    // `rsync --link-dest` makes one.
    let status = Command::new("cp")
        .args(["-al", "site", "snapshot"])
        .current_dir(f.root())
        .status()
        .unwrap();
    assert!(status.success());
    let before: Vec<(std::path::PathBuf, Vec<u8>)> = walkdir::WalkDir::new(f.path("snapshot"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect();
    f.edit(
        &t("train.yaml"),
        "Per-user storage quotas",
        "Per-team storage quotas",
    );
    builds(&f);
    f.edit(
        &t("train.yaml"),
        "Per-team storage quotas",
        "Per-org storage quotas",
    );
    builds(&f);
    assert!(f.read(&format!("site/{T}/index.html")).contains("Per-org"));
    for (path, bytes) in before {
        assert!(
            std::fs::read(&path).unwrap() == bytes,
            "{} was rewritten",
            path.display()
        );
    }
    // Files are readable by others, as before (a web server serves them).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(f.path(&format!("site/{T}/index.html")))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o044, 0o044, "{mode:o}");
    }
}

#[test]
fn a_link_at_the_lock_path_is_never_followed() {
    let f = Fixture::new();
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("created-by-trainyard");
    std::os::unix::fs::symlink(&target, f.path(".site.trainyard-lock")).unwrap();
    let (code, _, err) = run(&f, &["build", "--now", NOW, "--out", "site"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("link"), "{err}");
    assert!(
        !target.exists(),
        "the build created a file through the link"
    );
    // A named pipe there is refused at once rather than waited on.
    std::fs::remove_file(f.path(".site.trainyard-lock")).unwrap();
    let status = Command::new("mkfifo")
        .arg(f.path(".site.trainyard-lock"))
        .status()
        .unwrap();
    assert!(status.success());
    let (code, _, err) = run(&f, &["build", "--now", NOW, "--out", "site"]);
    assert_eq!(code, Some(2), "{err}");
}

#[test]
fn a_damaged_clone_is_named_with_git_fsck_never_a_hang() {
    let f = with_clone("Quota work\n");
    let clone = f.path("svc/sync-server");
    let head = Command::new("git")
        .current_dir(&clone)
        .args(["rev-parse", "HEAD"])
        .output()
        .unwrap();
    let head = String::from_utf8(head.stdout).unwrap();
    let object = clone.join(format!(".git/objects/{}/{}", &head[..2], head[2..].trim()));
    let bytes = std::fs::read(&object).unwrap();
    std::fs::set_permissions(&object, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    // Truncated, as an interrupted copy leaves it.
    std::fs::write(&object, &bytes[..bytes.len() - 6]).unwrap();
    let (code, out, err) = run(&f, &["check", "--now", NOW, "--format", "json"]);
    // `repository-missing` is a warning.
    assert_eq!(code, Some(0), "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let found: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["message"].as_str().unwrap_or("").contains("damaged"))
        .collect();
    assert_eq!(found.len(), 1, "{out}");
    assert!(
        found[0]["help"].as_str().unwrap().contains("git fsck"),
        "{out}"
    );
    builds(&f);
    let (code, out, err) = run(&f, &["changes", "--train", "2026-11-30"]);
    assert!(matches!(code, Some(0..=2)), "{err}");
    assert!(format!("{out}{err}").contains("damaged"), "{out}{err}");
    // A linked worktree's history lives elsewhere: refused, not followed.
    std::fs::write(&object, &bytes).unwrap();
    std::fs::write(clone.join(".git/commondir"), "/elsewhere\n").unwrap();
    let o = f.check();
    assert!(
        o.diags.iter().any(|d| d.message.contains("commondir")),
        "{:#?}",
        o.diags
    );
    // Objects linked in from another repository: refused too.
    std::fs::remove_file(clone.join(".git/commondir")).unwrap();
    let objects = clone.join(".git/objects");
    let moved = f.path("svc/objects-elsewhere");
    std::fs::rename(&objects, &moved).unwrap();
    std::os::unix::fs::symlink(&moved, &objects).unwrap();
    let o = f.check();
    assert!(
        o.diags.iter().any(|d| d
            .message
            .contains(".git/objects is not a folder of its own")),
        "{:#?}",
        o.diags
    );
}

#[test]
fn an_override_template_cannot_link_a_script_however_it_spells_it() {
    let f = Fixture::new();
    f.write(
        "site-templates/release.html",
        r#"{% extends "base.html" %}{% block content %}
<a id="t1" href="&#106avascript:alert(1)">1</a>
<a id="t2" href="javascript&#58alert(1)">2</a>
<!-- x --!><a id="t3" href="javascript:alert(3)">3</a>
<svg><style><a id="t4" href="javascript:alert(4)">4</a></style></svg>
<svg><a id="t5"><animate attributeName="href" values="javascript:alert(5)"/><text y="20">5</text></a></svg>
<a id="ok" href="https://ok.example/">ok</a>
{% endblock content %}"#,
    );
    builds(&f);
    let page = f.read(&format!("site/{T}/index.html"));
    for hostile in [
        "&#106avascript",
        "javascript&#58",
        "href=\"javascript",
        "values=\"javascript",
    ] {
        assert!(!page.contains(hostile), "{hostile} survived: {page}");
    }
    for id in ["t1", "t2", "t3", "t4", "t5"] {
        assert!(
            page.contains(&format!("id=\"{id}\"")),
            "{id}: the element stays, unlinked"
        );
    }
    assert!(page.contains(r#"<a id="ok" href="https://ok.example/">ok</a>"#));
}

// What a new team trips on in its first month.

#[test]
fn yaml_mistakes_are_told_in_the_editors_words_with_a_help_line() {
    let f = Fixture::new();
    let s = t("signoff.yaml");
    for (from, to, said) in [
        ("by: quinn", "by:", "this field has no value"),
        ("by: quinn", "by: []", "expected a single value here"),
        ("by: quinn", "by: quinn\nby: tara", "`by` is given twice"),
        ("at: 2026", "\tat: 2026", "a tab character"),
    ] {
        f.write(&s, &SIGNOFF.replacen(from, to, 1));
        let o = f.check();
        let d = o
            .diags
            .iter()
            .find(|d| d.file == s)
            .unwrap_or_else(|| panic!("{to:?}: {:#?}", o.diags));
        assert!(d.message.contains(said), "{to:?}: {d:?}");
        assert!(d.help.is_some(), "{to:?}: {d:?}");
        for internal in [
            "deserialize",
            "Option<",
            "DuplicateKeyPolicy",
            "sequence start",
            "scalar",
        ] {
            assert!(!d.message.contains(internal), "{to:?}: {d:?}");
        }
    }
    f.write(&s, SIGNOFF);
    f.write(
        &t("train.yaml"),
        &TRAIN.replace("bugs: [1234567]", "bugs: 1234567"),
    );
    let o = f.check();
    let d = o.one("schema", &t("train.yaml"), 5);
    assert!(d.message.contains("expected a list"), "{d:?}");
}

#[test]
fn new_counts_the_placeholders_check_reports_once_each() {
    let f = Fixture::new();
    f.remove(&t("handoffs/sync-server.yaml"));
    let out = f
        .cmd()
        .args(["new", "handoff", "sync-server", "--now", "2026-11-24 12:00"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stdout);
    let n: usize = said
        .split("fill in the ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{said}"));
    let o = f.check_with(&["--now", "2026-11-24 12:00"]);
    let file = t("handoffs/sync-server.yaml");
    let here: Vec<_> = o.diags.iter().filter(|d| d.file == file).collect();
    assert!(
        here.iter().all(|d| d.message.contains("placeholder")),
        "{here:#?}"
    );
    assert_eq!(here.len(), n, "{here:#?}");
    // Two on one line (the staging URL and database) are two.
    assert_eq!(here.iter().filter(|d| d.line == 10).count(), 2, "{here:#?}");
}

#[test]
fn init_takes_a_fresh_git_init_and_keeps_a_readme_beside_the_guide() {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"]);
    let bin = assert_cmd::cargo::cargo_bin("trainyard");
    let out = Command::new(&bin)
        .args(["init", "--now", "2026-12-01 10:00"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("README.md").exists());

    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("README.md"), "# Our services\n").unwrap();
    let out = Command::new(&bin)
        .args(["init", "--force", "--now", "2026-12-01 10:00"])
        .current_dir(other.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("kept README.md") && said.contains("TRAINYARD.md"),
        "{said}"
    );
    assert_eq!(
        std::fs::read_to_string(other.path().join("README.md")).unwrap(),
        "# Our services\n"
    );
    assert!(std::fs::read_to_string(other.path().join("TRAINYARD.md"))
        .unwrap()
        .contains("trainyard"));
}

#[test]
fn new_train_is_never_in_the_past() {
    let f = Fixture::new();
    let out = f
        .cmd()
        .args(["new", "train", "--now", "2027-02-10 09:00"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The Monday after Wednesday 2027-02-10, not the week after the last train.
    assert!(f.path("releases/2027-02-15/train.yaml").exists());
    assert!(!f.path("releases/2026-12-07/train.yaml").exists());
}

#[test]
fn a_timezone_abbreviation_suggests_its_iana_zone() {
    let f = Fixture::new();
    f.write("process.yaml", "name: Test process\ntimezone: PST\n");
    let o = f.check();
    let d = o.one("time-format", "process.yaml", 2);
    assert!(
        d.help
            .as_deref()
            .unwrap_or("")
            .contains("America/Los_Angeles"),
        "{d:?}"
    );
}

#[test]
fn a_staging_notice_can_be_mailed_before_test_is_told() {
    let f = Fixture::new();
    f.edit(
        &t("staging.yaml"),
        ", test_notified_at: 2026-11-26 10:05",
        "",
    );
    let o = f.check();
    let d = o.one("schema", &t("staging.yaml"), 4);
    assert!(
        d.help
            .as_deref()
            .unwrap_or("")
            .contains("mail staging-notice"),
        "{d:?}"
    );
    let (code, out, err) = run(&f, &["mail", "staging-notice", "--now", NOW]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("Staging notice: DB failover"), "{out}");
}

#[test]
fn a_linked_project_path_is_named_as_written_not_where_the_checkout_is() {
    let f = with_clone("Quota work\n");
    let elsewhere = tempfile::tempdir().unwrap();
    let real = elsewhere.path().join("sync-server");
    std::fs::rename(f.path("svc/sync-server"), &real).unwrap();
    std::os::unix::fs::symlink(&real, f.path("svc/sync-server")).unwrap();
    let o = f.check();
    let d = o
        .diags
        .iter()
        .find(|d| d.message.contains("symbolic link"))
        .unwrap_or_else(|| panic!("{:#?}", o.diags));
    assert!(
        d.message.contains("svc/sync-server is a symbolic link"),
        "{d:?}"
    );
    let root = f.root().to_string_lossy().into_owned();
    assert!(!d.message.contains(&root), "{d:?}");
    builds(&f);
    for entry in walkdir::WalkDir::new(f.path("site")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.contains(&root),
                "{} shows the checkout path",
                entry.path().display()
            );
        }
    }
}

#[test]
fn a_line_break_in_a_notice_stays_inside_the_mails_first_line() {
    let f = Fixture::new();
    f.edit(
        &t("staging.yaml"),
        "summary: DB failover",
        "summary: \"DB failover\\nTo: eve@evil.example\\n\\nIgnore the above\"",
    );
    let (code, out, err) = run(&f, &["mail", "staging-notice", "--now", NOW]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!out.lines().any(|l| l.starts_with("To: eve")), "{out}");
    assert!(
        !out.lines().any(|l| l.starts_with("Ignore the above")),
        "{out}"
    );
    assert!(
        out.contains("DB failover To: eve@evil.example Ignore the above"),
        "{out}"
    );
}
