//! Git history rules on throw-away repositories committed as different people.

use crate::common::*;
use std::path::Path;
use std::process::Command;

/// Commit `paths` (relative) as `handle` from the fixture roster.
fn commit_as(f: &Fixture, handle: &str, paths: &[&str], message: &str) {
    for p in paths {
        git(f.root(), &["add", "-A", "--", p]);
    }
    let email = format!("{handle}@example.com");
    git(
        f.root(),
        &[
            "-c",
            &format!("user.name={handle}"),
            "-c",
            &format!("user.email={email}"),
            "commit",
            "-q",
            "-m",
            message,
        ],
    );
}

/// The fixture as a Git repository, each record committed by its proper author.
fn repo() -> Fixture {
    let f = Fixture::new();
    git(f.root(), &["init", "-q", "-b", "main"]);
    commit_as(
        &f,
        "oscar",
        &[
            "process.yaml",
            "people.yaml",
            "planning",
            "questions",
            &t("train.yaml"),
        ],
        "Plan",
    );
    commit_as(&f, "alice", &[&t("handoffs")], "Hand off");
    commit_as(&f, "oscar", &[&t("staging.yaml")], "Staging");
    commit_as(&f, "quinn", &[&t("signoff.yaml")], "Sign off");
    commit_as(&f, "oscar", &[&t("push.yaml")], "Push");
    f
}

#[test]
fn records_committed_by_their_roles_pass() {
    repo().check().clean();
}

#[test]
fn a_dev_adding_push_yaml_is_record_author() {
    let f = Fixture::new();
    git(f.root(), &["init", "-q", "-b", "main"]);
    commit_as(
        &f,
        "oscar",
        &[
            "process.yaml",
            "people.yaml",
            "planning",
            "questions",
            &t("train.yaml"),
            &t("staging.yaml"),
        ],
        "Plan",
    );
    commit_as(
        &f,
        "alice",
        &[&t("handoffs"), &t("push.yaml")],
        "Hand off, and the push too",
    );
    commit_as(&f, "quinn", &[&t("signoff.yaml")], "Sign off");
    let out = f.check();
    let d = out.one("record-author", &t("push.yaml"), 1);
    assert!(
        d.message.contains("alice <alice@example.com>") && d.message.contains("ops"),
        "{d:?}"
    );
    assert_eq!(out.code, 1);
}

#[test]
fn an_author_unknown_to_people_yaml_is_record_author() {
    let f = repo();
    git(f.root(), &["rm", "-q", &t("staging.yaml")]);
    git(
        f.root(),
        &[
            "-c",
            "user.name=x",
            "-c",
            "user.email=x@example.com",
            "commit",
            "-q",
            "-m",
            "rm",
        ],
    );
    f.write(&t("staging.yaml"), STAGING);
    git(f.root(), &["add", &t("staging.yaml")]);
    git(
        f.root(),
        &[
            "-c",
            "user.name=Mallory",
            "-c",
            "user.email=mallory@elsewhere.example",
            "commit",
            "-q",
            "-m",
            "re-add",
        ],
    );
    let d = f
        .check()
        .one("record-author", &t("staging.yaml"), 1)
        .clone();
    assert!(d.message.contains("not in people.yaml"), "{d:?}");
}

#[test]
fn renames_keep_the_original_author() {
    let f = repo();
    // Ops renames a hand-off file (a typo fix): the record's author stays alice.
    f.edit(
        &t("train.yaml"),
        "project: sync-server",
        "project: sync-srv",
    );
    f.write(
        &t("handoffs/sync-srv.yaml"),
        &HANDOFF.replace("project: sync-server", "project: sync-srv"),
    );
    f.remove(&t("handoffs/sync-server.yaml"));
    commit_as(
        &f,
        "oscar",
        &[&t("handoffs"), &t("train.yaml")],
        "Rename the project",
    );
    f.check().none("record-author");
}

#[test]
fn editing_a_merged_signoff_is_record_immutable() {
    let f = repo();
    f.edit(&t("signoff.yaml"), "regression: pass", "regression: pass\n");
    f.edit(
        &t("signoff.yaml"),
        "results: https://wiki.example.com/QA/results/2026-11-30",
        "results: https://wiki.example.com/QA/results/v2",
    );
    let out = f.check_with(&["--now", NOW, "--base", "main"]);
    out.one("record-immutable", &t("signoff.yaml"), 5);
    assert_eq!(out.code, 1);
    // Without --base the same edit is not judged.
    f.check().none("record-immutable");
}

#[test]
fn a_base_named_in_any_script_is_quoted_whole_characters() {
    let f = repo();
    // A branch name longer than 20 bytes with multi-byte characters at the cut.
    let branch = "übergabe-änderung-für-prüfung";
    git(f.root(), &["branch", branch]);
    f.remove(&t("push.yaml"));
    let out = f.check_with(&["--now", NOW, "--base", branch]);
    out.one("record-immutable", &t("push.yaml"), 1);
    let json = serde_json::to_string(&out.json).expect("json");
    assert!(json.contains("übergabe-änderung-fü"), "{json}");
}

#[test]
fn deleting_a_merged_push_is_record_immutable() {
    let f = repo();
    f.remove(&t("push.yaml"));
    f.check_with(&["--now", NOW, "--base", "main"])
        .one("record-immutable", &t("push.yaml"), 1);
}

#[test]
fn a_merged_push_may_gain_its_validation() {
    let f = Fixture::new();
    let text = f.read(&t("push.yaml"));
    let without = &text[..text.find("validation:").unwrap()];
    f.write(&t("push.yaml"), without);
    git(f.root(), &["init", "-q", "-b", "main"]);
    commit_as(
        &f,
        "oscar",
        &[
            "process.yaml",
            "people.yaml",
            "planning",
            "questions",
            &t("train.yaml"),
            &t("staging.yaml"),
            &t("push.yaml"),
        ],
        "Plan",
    );
    commit_as(&f, "alice", &[&t("handoffs")], "Hand off");
    commit_as(&f, "quinn", &[&t("signoff.yaml")], "Sign off");
    f.write(&t("push.yaml"), &text);
    f.check_with(&["--now", NOW, "--base", "main"]).clean();
    // But not change anything else at the same time.
    f.edit(
        &t("push.yaml"),
        "finished_at: 2026-11-30 16:10",
        "finished_at: 2026-11-30 16:11",
    );
    f.check_with(&["--now", NOW, "--base", "main"])
        .one("record-immutable", &t("push.yaml"), 3);
}

#[test]
fn editing_a_handoff_after_the_signoff_merged_is_record_frozen() {
    let f = repo();
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "tag: v1.14.2",
        "tag: v1.14.3",
    );
    let out = f.check_with(&["--now", NOW, "--base", "main"]);
    out.one("record-frozen", &t("handoffs/sync-server.yaml"), 4);
    // Before the sign-off is merged, hand-offs may change.
    let f = Fixture::new();
    git(f.root(), &["init", "-q", "-b", "main"]);
    commit_as(
        &f,
        "oscar",
        &[
            "process.yaml",
            "people.yaml",
            "planning",
            "questions",
            &t("train.yaml"),
        ],
        "Plan",
    );
    commit_as(&f, "alice", &[&t("handoffs")], "Hand off");
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "tag: v1.14.2",
        "tag: v1.14.3",
    );
    f.check_with(&["--now", NOW, "--base", "main"])
        .none("record-frozen");
}

#[test]
fn a_shallow_clone_warns_and_skips() {
    let f = repo();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", f.root().display());
    git(clone.path(), &["clone", "-q", "--depth", "1", &url, "c"]);
    let c = Fixture { dir: clone };
    let out = c.check_with(&["--now", NOW, "--root", "c"]);
    // Paths are relative to --root.
    let d = out.one("shallow-history", ".git/shallow", 1);
    assert_eq!(d.severity, "warning");
    assert_eq!(out.code, 0);
    out.none("record-author");
}

#[test]
fn an_unknown_base_exits_2() {
    let f = repo();
    f.cmd()
        .args(["check", "--base", "no-such-branch"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no-such-branch"));
}

#[test]
fn without_git_history_checks_are_off_with_one_note() {
    let f = Fixture::new();
    let out = f.cmd().args(["check", "--now", NOW]).output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("note:").count(), 1, "{err}");
    f.cmd().args(["check", "--base", "main"]).assert().code(2);
}

#[test]
fn codeowners_routes_records_to_their_roles_and_check_warns_when_stale() {
    let f = Fixture::new();
    f.write(
        "people.yaml",
        &PEOPLE
            .replace("roles: [ops] }", "roles: [ops], github: oscar-gh }")
            .replace("roles: [test] }", "roles: [test], github: quinn-gh }"),
    );
    let out = f.cmd().args(["codeowners"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("/releases/*/signoff.yaml @quinn-gh\n"),
        "{text}"
    );
    assert!(
        text.contains("/releases/*/push.yaml @oscar-gh @quinn-gh\n"),
        "{text}"
    );
    assert!(
        text.contains("# /releases/*/handoffs/")
            || text.contains("/releases/*/handoffs/ @quinn-gh"),
        "{text}"
    );
    f.cmd().args(["codeowners", "--write"]).assert().success();
    f.check().clean();
    // A roster change makes the committed file stale: a warning, not an error.
    f.edit("people.yaml", "github: quinn-gh", "github: quinn-okafor");
    let out = f.check();
    let committed = f.read(".github/CODEOWNERS");
    let first_stale = committed
        .lines()
        .position(|l| l.contains("@quinn-gh"))
        .unwrap() as u64
        + 1;
    let d = out.one("codeowners", ".github/CODEOWNERS", first_stale);
    assert_eq!(d.severity, "warning");
    assert_eq!(out.code, 0);
}

#[test]
fn the_site_shows_who_recorded_what_and_each_release_history() {
    let f = repo();
    let out = f.path("site");
    f.build_site(NOW, &out);
    let page = std::fs::read_to_string(out.join("releases/2026-11-30/index.html")).unwrap();
    assert!(page.contains("Who recorded what"));
    // The sign-off row names its author (from people.yaml, by e-mail) and the commit.
    let row = page
        .split("<tr>")
        .find(|r| r.contains("signoff.yaml"))
        .unwrap();
    assert!(
        row.contains("Quinn Example") && row.contains("Sign off"),
        "{row}"
    );
    assert!(
        page.contains("Last changed on") && page.contains("Oscar Example"),
        "the newest commit is the push"
    );
    assert!(page.contains("releases/2026-11-30/history/index.html"));
    let history =
        std::fs::read_to_string(out.join("releases/2026-11-30/history/index.html")).unwrap();
    let (push, handoff) = (
        history.find("Push").unwrap(),
        history.find("Hand off").unwrap(),
    );
    assert!(push < handoff, "newest first");
    // Without Git, no provenance and no history pages, and no error.
    let plain = Fixture::new();
    let out = plain.path("site");
    plain
        .cmd()
        .args(["build", "--now", NOW, "--out"])
        .arg(&out)
        .assert()
        .success();
    assert!(!out.join("releases/2026-11-30/history").exists());
    assert!(
        !std::fs::read_to_string(out.join("releases/2026-11-30/index.html"))
            .unwrap()
            .contains("Who recorded what")
    );
}

#[test]
fn merged_branches_credit_the_branch_commits_authors() {
    let f = Fixture::new();
    git(f.root(), &["init", "-q", "-b", "main"]);
    commit_as(
        &f,
        "oscar",
        &[
            "process.yaml",
            "people.yaml",
            "planning",
            "questions",
            &t("train.yaml"),
            &t("staging.yaml"),
        ],
        "Plan and staging",
    );
    commit_as(&f, "alice", &[&t("handoffs")], "Hand off");
    commit_as(&f, "quinn", &[&t("signoff.yaml")], "Sign off");
    // Ops records the push on a branch; the maintainer who merges is a developer.
    git(f.root(), &["checkout", "-q", "-b", "push"]);
    commit_as(&f, "oscar", &[&t("push.yaml")], "Push");
    git(f.root(), &["checkout", "-q", "main"]);
    f.write(
        "questions/0002-merge-note.md",
        "---\ntitle: t\nasked_by: x\nasked_at: 2026-11-20\nstatus: open\n---\n",
    );
    commit_as(&f, "alice", &["questions"], "A question meanwhile");
    git(
        f.root(),
        &[
            "-c",
            "user.name=alice",
            "-c",
            "user.email=alice@example.com",
            "merge",
            "-q",
            "--no-ff",
            "-m",
            "Merge push",
            "push",
        ],
    );
    // alice authored the merge commit, but oscar added push.yaml.
    f.check().clean();
}

#[test]
fn a_repository_with_no_commits_turns_history_off() {
    let f = Fixture::new();
    git(f.root(), &["init", "-q", "-b", "main"]);
    let out = f.cmd().args(["check", "--now", NOW]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no commits yet"));
}

/// A deterministic pseudo-random sequence (xorshift), so the history is the same
/// on every run and a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Write `commits` commits through `git fast-import`: files added, changed and
/// deleted in folders of every size (a `releases/` folder with hundreds of
/// entries, names sharing prefixes), with side branches merged back. Never an
/// add and a delete in one commit (that would bring in rename detection, tested
/// on its own above).
fn generated_history(dir: &Path, seed: u64, commits: usize) {
    git(dir, &["init", "-q", "-b", "main"]);
    let mut rng = Rng(seed);
    let mut live: Vec<String> = Vec::new();
    let mut next_name = 0;
    let mut stream = String::new();
    let mut t = 1_600_000_000u64;
    // The side branch's commit, the paths it touched and its changes, which
    // its merge brings into main (fast-import takes a merge's tree from main).
    let mut side: Option<(usize, Vec<String>, String)> = None;
    for mark in 1..=commits {
        t += 60;
        let on_side = mark > 10 && side.is_none() && rng.next(6) == 0;
        let avoid: Vec<String> = side.as_ref().map(|s| s.1.clone()).unwrap_or_default();
        let mut touched = Vec::new();
        let mut ops = String::new();
        let deleting = live.len() > 1 && rng.next(5) == 0;
        for _ in 0..1 + rng.next(3) {
            if deleting {
                let i = rng.next(live.len());
                if avoid.contains(&live[i]) || touched.contains(&live[i]) {
                    continue;
                }
                let p = live.swap_remove(i);
                ops.push_str(&format!("D {p}\n"));
                touched.push(p);
            } else if !live.is_empty() && rng.next(2) == 0 {
                let p = live[rng.next(live.len())].clone();
                if avoid.contains(&p) {
                    continue;
                }
                let body = format!("{p} changed in {mark} {}\n", rng.next(1 << 30));
                ops.push_str(&format!(
                    "M 100644 inline {p}\ndata {}\n{body}\n",
                    body.len()
                ));
                touched.push(p);
            } else {
                next_name += 1;
                let p = match rng.next(4) {
                    0 | 1 => format!("releases/2026-{:04}/f{}.yaml", next_name % 600, next_name),
                    2 => format!("a/b{}/c{}", next_name % 3, next_name),
                    _ => format!("top{next_name}"),
                };
                let body = format!("{p} added in {mark} {}\n", rng.next(1 << 30));
                ops.push_str(&format!(
                    "M 100644 inline {p}\ndata {}\n{body}\n",
                    body.len()
                ));
                live.push(p.clone());
                touched.push(p);
            }
        }
        let msg = format!("commit {mark}");
        // A side branch starts from the last commit made on main.
        let (refname, from) = if on_side {
            ("refs/heads/side", format!("from :{}\n", mark - 1))
        } else {
            ("refs/heads/main", String::new())
        };
        stream.push_str(&format!(
            "commit {refname}\nmark :{mark}\nauthor A <a@example.com> {t} +0000\ncommitter A <a@example.com> {t} +0000\ndata {}\n{msg}\n{from}{ops}\n",
            msg.len()
        ));
        if on_side {
            side = Some((mark, touched, ops));
        } else if let Some((tip, _, side_ops)) = side.take() {
            // Merge the side branch into main, bringing its changes.
            t += 60;
            stream.push_str(&format!(
                "commit refs/heads/main\nauthor A <a@example.com> {t} +0000\ncommitter A <a@example.com> {t} +0000\ndata 5\nmerge\nmerge :{tip}\n{side_ops}\n"
            ));
        }
    }
    let mut child = Command::new("git")
        .current_dir(dir)
        .args(["fast-import", "--quiet"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("git fast-import");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(stream.as_bytes())
        .expect("write the stream");
    assert!(child.wait().expect("fast-import").success());
    git(dir, &["checkout", "-q", "main"]);
}

#[test]
fn the_history_index_agrees_with_git_log_on_every_path() {
    for seed in [1u64, 7, 42] {
        let dir = tempfile::tempdir().expect("tempdir");
        generated_history(dir.path(), seed, 400);
        let history = trainyard::git::History::read(dir.path()).expect("history");
        if let Some(keep) = std::env::var_os("KEEP_HISTORY_REPO") {
            let _ = std::fs::remove_dir_all(&keep);
            let _ = Command::new("cp")
                .arg("-r")
                .arg(dir.path())
                .arg(&keep)
                .status();
        }
        let files = Command::new("git")
            .current_dir(dir.path())
            .args(["ls-files"])
            .output()
            .expect("git ls-files");
        let files = String::from_utf8_lossy(&files.stdout).to_string();
        assert!(files.lines().count() > 100, "a history worth comparing");
        for path in files.lines() {
            let log = Command::new("git")
                .current_dir(dir.path())
                .args([
                    "log",
                    "--full-history",
                    "--no-merges",
                    "--format=%H",
                    "--",
                    path,
                ])
                .output()
                .expect("git log");
            let want: Vec<String> = String::from_utf8_lossy(&log.stdout)
                .lines()
                .map(str::to_string)
                .collect();
            let entry = history
                .paths
                .get(path)
                .unwrap_or_else(|| panic!("{path} indexed"));
            let got: Vec<String> = entry
                .commits
                .iter()
                .map(|&i| history.commits[i].id.clone())
                .collect();
            assert_eq!(got, want, "seed {seed}: commits that touched {path}");
            assert_eq!(
                history.added(path).map(|c| c.id.clone()),
                want.last().cloned(),
                "seed {seed}: the commit that added {path}"
            );
        }
    }
}

#[test]
fn a_long_history_page_lists_every_commit() {
    let f = repo();
    // 300 more commits, each changing the train's notes.
    let mut stream = String::new();
    for n in 1..=300u32 {
        let body = format!("Note {n}\n");
        let time = 1_764_000_000 + u64::from(n) * 60;
        stream.push_str(&format!(
            "commit refs/heads/main\ncommitter Oscar <oscar@example.com> {time} +0000\ndata 9\nNote {n:03}\n{}M 100644 inline {}\ndata {}\n{body}\n",
            if n == 1 { "from refs/heads/main^0\n" } else { "" },
            t("notes.md"),
            body.len()
        ));
    }
    let mut child = Command::new("git")
        .current_dir(f.root())
        .args(["fast-import", "--quiet", "--force"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("git fast-import");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stream.as_bytes())
        .expect("stream");
    assert!(child.wait().expect("fast-import").success());
    git(f.root(), &["reset", "-q", "--hard", "main"]);
    let out = f.path("site");
    f.build_site(NOW, &out);
    let page = std::fs::read_to_string(out.join("releases/2026-11-30/history/index.html")).unwrap();
    // 300 notes commits plus the five that recorded the train, newest first.
    assert_eq!(page.matches("<li><code>").count(), 305, "every commit");
    assert!(page.contains("Every commit that touched"), "{page}");
    let (newest, oldest) = (
        page.find("Note 300").unwrap(),
        page.find("Note 001").unwrap(),
    );
    assert!(newest < oldest && oldest < page.find("Push").unwrap());
}

#[test]
fn history_pages_highlight_the_page_whose_history_they_are() {
    let f = repo();
    let out = f.path("site-out");
    f.build_site(NOW, &out);
    for (group, nav) in [
        ("people", "People"),
        ("process", "Process"),
        ("questions", "Questions"),
        ("site", "Dashboard"),
    ] {
        let html =
            std::fs::read_to_string(out.join(format!("history/{group}/index.html"))).unwrap();
        let current: Vec<&str> = html
            .split("<li><a ")
            .filter(|l| l.contains("aria-current=\"page\""))
            .collect();
        assert_eq!(current.len(), 1, "{group}");
        assert!(
            current[0].contains(&format!(">{nav}</a>")),
            "{group}: {}",
            current[0]
        );
    }
}
