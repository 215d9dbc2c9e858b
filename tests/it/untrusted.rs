//! Untrusted input, through the real binary: a careless `--out`, records that
//! link out of the repository, script URLs, far-off dates, half-written
//! records, two builds at once, a disk that fills up, and file names that try
//! to write into a CI log. Every dangerous case runs inside a throwaway tree.

use crate::common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Every file under `dir` with its bytes (links as their target), so a test
/// can tell that nothing in it changed.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let bytes = if e.path_is_symlink() {
                std::fs::read_link(e.path())
                    .unwrap()
                    .into_os_string()
                    .into_encoded_bytes()
            } else {
                std::fs::read(e.path()).unwrap()
            };
            (e.path().strip_prefix(dir).unwrap().to_path_buf(), bytes)
        })
        .collect()
}

fn run(f: &Fixture, args: &[&str]) -> std::process::Output {
    let out = f
        .cmd()
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .expect("run trainyard");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    out
}

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A fixture repository at `outer/repo`, with a file beside it.
fn nested() -> (tempfile::TempDir, Fixture) {
    let outer = tempfile::tempdir().unwrap();
    let f = Fixture::new();
    let repo = outer.path().join("repo");
    for (rel, bytes) in snapshot(f.root()) {
        let to = repo.join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, bytes).unwrap();
    }
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::write(repo.join(".git/HEAD"), "not really a repository\n").unwrap();
    std::fs::write(outer.path().join("sibling.txt"), "a neighbour's file\n").unwrap();
    // The fixture's own folder is left alone; the test works in `outer`.
    (outer, f)
}

#[test]
fn build_never_writes_over_the_repository_or_a_folder_it_did_not_write() {
    let (outer, f) = nested();
    let repo = outer.path().join("repo");
    std::fs::create_dir_all(repo.join("docs")).unwrap();
    std::fs::write(repo.join("docs/guide.md"), "ours\n").unwrap();
    let before = snapshot(outer.path());
    let outs: Vec<PathBuf> = vec![
        repo.clone(),
        repo.join("."),
        repo.join("releases"),
        repo.join("releases/2026-11-30"),
        repo.join("releases/2026-11-30/site"),
        repo.join("planning"),
        repo.join("questions"),
        repo.join(".git"),
        repo.join("process.yaml"),
        repo.join("docs"),
        outer.path().to_path_buf(),
        repo.join(".."),
        PathBuf::from("/"),
    ];
    for out in &outs {
        // Twice: the second build is where a swapped-away folder was emptied.
        for _ in 0..2 {
            let o = f
                .cmd()
                .args(["build", "--now", NOW, "--root"])
                .arg(&repo)
                .arg("--out")
                .arg(out)
                .timeout(Duration::from_secs(60))
                .output()
                .unwrap();
            assert_eq!(
                o.status.code(),
                Some(2),
                "--out {}: {}",
                out.display(),
                text(&o)
            );
            assert!(text(&o).contains("will not write the site"), "{}", text(&o));
        }
    }
    // Nothing changed but the lock files beside the refused folders.
    let after: BTreeMap<_, _> = snapshot(outer.path())
        .into_iter()
        .filter(|(p, _)| !p.to_string_lossy().ends_with(".trainyard-lock"))
        .collect();
    assert_eq!(after, before);
    // The default, and a new folder outside the repository, are fine.
    for out in [repo.join("public"), outer.path().join("site")] {
        let o = f
            .cmd()
            .args(["build", "--now", NOW, "--root"])
            .arg(&repo)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        assert!(out.join("index.html").is_file());
        assert!(out.join(".trainyard-site").is_file());
    }
}

#[test]
fn a_folder_of_someone_elses_is_never_replaced_nor_one_linked_in() {
    let f = Fixture::new();
    let theirs = f.path("theirs");
    std::fs::create_dir_all(&theirs).unwrap();
    std::fs::write(theirs.join("keep.txt"), "keep\n").unwrap();
    let o = run(&f, &["build", "--now", NOW, "--out", "theirs"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).contains("not written by trainyard"),
        "{}",
        text(&o)
    );
    assert_eq!(
        std::fs::read_to_string(theirs.join("keep.txt")).unwrap(),
        "keep\n"
    );
    // A previous generation that is not ours is kept too.
    let o = run(&f, &["build", "--now", NOW, "--out", "site"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    std::fs::remove_dir_all(f.path(".site.trainyard-prev")).ok();
    std::fs::create_dir_all(f.path(".site.trainyard-prev")).unwrap();
    std::fs::write(f.path(".site.trainyard-prev/keep.txt"), "keep\n").unwrap();
    let o = run(&f, &["build", "--now", NOW, "--out", "site"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(f.path(".site.trainyard-prev/keep.txt").is_file());
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&theirs, f.path("linked")).unwrap();
        let o = run(&f, &["build", "--now", NOW, "--out", "linked"]);
        assert_eq!(o.status.code(), Some(2));
        assert!(text(&o).contains("symbolic link"), "{}", text(&o));
    }
}

const CANARY: &str = "CANARY-7f3e-outside-the-repository";

/// Every byte `check` (three formats) and `build` print, and every file of the
/// built site.
fn everything_shown(f: &Fixture) -> String {
    let mut all = String::new();
    for format in ["human", "json", "github"] {
        all += &text(&run(f, &["check", "--now", NOW, "--format", format]));
    }
    let o = run(f, &["build", "--now", NOW, "--out", "site"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    all += &text(&o);
    for (_, bytes) in snapshot(&f.path("site")) {
        all += &String::from_utf8_lossy(&bytes);
    }
    all
}

#[cfg(unix)]
#[test]
fn nothing_outside_the_repository_is_read_or_published() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.yaml");
    std::fs::write(
        &secret,
        format!("name: {CANARY}\npeople: []\n{CANARY}: x\n"),
    )
    .unwrap();
    let far = outside.path().join("far");
    for sub in ["releases/2026-12-07", "planning", "questions", "templates"] {
        std::fs::create_dir_all(far.join(sub)).unwrap();
    }
    std::fs::write(
        far.join("releases/2026-12-07/train.yaml"),
        format!("planned_at: 2026-12-01\nfeatures: [{{ project: {CANARY}, summary: x }}]\n"),
    )
    .unwrap();
    std::fs::write(
        far.join("planning/2026-11.yaml"),
        format!("date: 2026-11-05\nattendees: [sam]\nnotes: {CANARY}\n"),
    )
    .unwrap();
    std::fs::write(far.join("questions/0009-x.md"), format!("---\ntitle: {CANARY}\nasked_by: x\nasked_at: 2026-11-01\nstatus: open\n---\n{CANARY}\n")).unwrap();
    std::fs::write(far.join("templates/people.html"), CANARY).unwrap();

    // Each way in, alone, then all at once.
    type Plant = fn(&Fixture, &Path, &Path);
    let plants: Vec<(&str, Plant)> = vec![
        ("process.yaml", |f, secret, _| {
            f.remove("process.yaml");
            symlink(secret, f.path("process.yaml")).unwrap();
        }),
        ("people.yaml", |f, secret, _| {
            f.remove("people.yaml");
            symlink(secret, f.path("people.yaml")).unwrap();
        }),
        ("a record", |f, secret, _| {
            f.remove(&t("staging.yaml"));
            symlink(secret, f.path(&t("staging.yaml"))).unwrap();
        }),
        ("releases/", |f, _, far| {
            f.remove("releases");
            symlink(far.join("releases"), f.path("releases")).unwrap();
        }),
        ("a train folder", |f, _, far| {
            symlink(
                far.join("releases/2026-12-07"),
                f.path("releases/2026-12-07"),
            )
            .unwrap();
        }),
        ("planning/", |f, _, far| {
            f.remove("planning");
            symlink(far.join("planning"), f.path("planning")).unwrap();
        }),
        ("questions/", |f, _, far| {
            f.remove("questions");
            symlink(far.join("questions"), f.path("questions")).unwrap();
        }),
        ("site-templates/style.css", |f, secret, _| {
            std::fs::create_dir_all(f.path("site-templates")).unwrap();
            symlink(secret, f.path("site-templates/style.css")).unwrap();
        }),
        ("site-templates/", |f, _, far| {
            symlink(far.join("templates"), f.path("site-templates")).unwrap();
        }),
        ("CODEOWNERS", |f, secret, _| {
            std::fs::create_dir_all(f.path(".github")).unwrap();
            symlink(secret, f.path(".github/CODEOWNERS")).unwrap();
        }),
    ];
    let all = Fixture::new();
    for (what, plant) in &plants {
        let f = Fixture::new();
        plant(&f, &secret, &far);
        let shown = everything_shown(&f);
        assert!(!shown.contains(CANARY), "{what}: the outside file was read");
        if *what != "CODEOWNERS" {
            let diags = f.check();
            assert!(
                diags
                    .of("file-name")
                    .iter()
                    .any(|d| d.message.contains("link")),
                "{what}: {:#?}",
                diags.diags
            );
        }
        // Each way in that does not stand in another's way.
        if !matches!(*what, "releases/" | "a train folder" | "site-templates/") {
            plant(&all, &secret, &far);
        }
    }
    assert!(!everything_shown(&all).contains(CANARY));
}

#[test]
fn script_and_data_urls_never_become_links() {
    let f = Fixture::new();
    let site = f.path("site");
    for bad in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(document.cookie)",
        "data:text/html;base64,PHNjcmlwdD4=",
        " javascript:alert(1)",
    ] {
        f.write(
            &t("signoff.yaml"),
            &SIGNOFF.replace(
                "https://wiki.example.com/QA/results/2026-11-30",
                &format!("\"{bad}\""),
            ),
        );
        f.write(
            "releases/2026-11-30/notes.md",
            &format!("[click]({bad}) and ![img]({bad})\n"),
        );
        let diags = f.check();
        diags.one("bad-url", &t("signoff.yaml"), 9);
        let o = run(&f, &["build", "--now", NOW, "--out", "site"]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        let page = std::fs::read_to_string(site.join("releases/2026-11-30/index.html")).unwrap();
        let lower = page.to_ascii_lowercase();
        for scheme in ["javascript:", "data:"] {
            assert!(!lower.contains(&format!("href=\"{scheme}")), "{bad}");
            assert!(!lower.contains(&format!("href=\" {scheme}")), "{bad}");
            assert!(!lower.contains(&format!("src=\"{scheme}")), "{bad}");
        }
        assert!(page.contains("not a web address"), "shown as text: {bad}");
        assert!(!page.contains("unsafe-link-removed"));
        assert!(page.contains("click"), "the link's text stays");
    }
    // An override template that puts any field into an href or src.
    f.write(
        "site-templates/release.html",
        r#"{% extends "base.html" %}{% block content %}<a href="{{ page.release.signoff.results.text }}">r</a><img alt="" src="{{ page.release.signoff.results.text }}"><a href="https://ok.example/">ok</a>{% endblock content %}"#,
    );
    let o = run(&f, &["build", "--now", NOW, "--out", "site"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let page = std::fs::read_to_string(site.join("releases/2026-11-30/index.html")).unwrap();
    assert!(!page.contains("javascript:"), "{page}");
    assert!(
        page.contains(r#"<a>r</a><img alt=""><a href="https://ok.example/">ok</a>"#),
        "{page}"
    );
}

/// The total size of a built site.
fn site_bytes(dir: &Path) -> usize {
    snapshot(dir).values().map(Vec::len).sum()
}

#[test]
fn far_off_dates_are_refused_and_the_output_stays_small() {
    let f = Fixture::new();
    let o = run(&f, &["build", "--now", NOW, "--out", "site"]);
    assert_eq!(o.status.code(), Some(0));
    let normal = site_bytes(&f.path("site"));

    // A skipped train in 9999: outside the accepted dates, never built.
    f.write(
        "releases/9999-12-27/train.yaml",
        "planned_at: 9999-12-21\nfeatures: []\nskipped: { reason: far }\n",
    );
    let d = f.check();
    let far = d.of("file-name");
    assert!(
        far.iter()
            .any(|d| d.file == "releases/9999-12-27"
                && d.message.contains("1970-01-01 to 2199-12-31")),
        "{:#?}",
        d.diags
    );
    // A freeze over all of time.
    f.write(
        "process.yaml",
        "name: Test process\nfreezes:\n  - { from: 0001-01-01, to: 9999-12-31, reason: forever }\n",
    );
    let d = f.check();
    assert_eq!(d.of("time-format").len(), 2, "{:#?}", d.diags);
    let o = run(&f, &["build", "--now", NOW, "--out", "site"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        site_bytes(&f.path("site")) < normal * 2,
        "{} vs {normal}",
        site_bytes(&f.path("site"))
    );

    // The widest range accepted: a freeze over all of it, and a lone train at
    // its far end. The calendar shows months that have events, not every
    // month in between; the freeze is drawn on those.
    f.remove("releases/9999-12-27");
    f.write("process.yaml", "name: Test process\nfreezes:\n  - { from: 1970-01-01, to: 2199-12-31, reason: all of it }\n");
    f.write(
        "releases/2199-12-30/train.yaml",
        "planned_at: 2199-12-24\nfeatures: []\nskipped: { reason: far }\n",
    );
    let o = run(&f, &["build", "--now", NOW, "--out", "site"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let months = std::fs::read_dir(f.path("site/calendar")).unwrap().count();
    assert!(months < 10, "{months} calendar entries");
    assert!(site_bytes(&f.path("site")) < normal * 2);
    let page = std::fs::read_to_string(f.path("site/calendar/2199-12/index.html")).unwrap();
    assert!(page.contains("Freeze: all of it"));
}

#[test]
fn a_half_written_record_still_builds() {
    let f = Fixture::new();
    f.write(
        &t("push.yaml"),
        &PUSH.replace(
            "  at: 2026-11-30 16:30\n  outcome: success\n  notified_at: 2026-11-30 16:35\n",
            "",
        ),
    );
    assert!(f
        .read(&t("push.yaml"))
        .ends_with("validation:\n  by: quinn\n"));
    f.check().one("push-validation", &t("push.yaml"), 6);
    let o = run(&f, &["build", "--now", NOW, "--out", "site"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let page = std::fs::read_to_string(f.path("site/releases/2026-11-30/index.html")).unwrap();
    assert!(page.contains("not recorded"));
}

#[test]
fn a_second_build_into_a_busy_folder_stops_at_once() {
    let f = Fixture::new();
    let o = run(&f, &["build", "--now", NOW, "--out", "site"]);
    assert_eq!(o.status.code(), Some(0));
    let before = snapshot(&f.path("site"));
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(f.path(".site.trainyard-lock"))
        .unwrap();
    lock.lock().unwrap();
    f.edit(&t("signoff.yaml"), "decision: go", "decision: no-go");
    let o = run(&f, &["build", "--now", NOW, "--out", "site"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).contains("another `trainyard build`"),
        "{}",
        text(&o)
    );
    assert_eq!(snapshot(&f.path("site")), before);
    drop(lock);
    let o = run(&f, &["build", "--now", NOW, "--out", "site"]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn builds_at_the_same_time_never_mix() {
    let f = Fixture::new();
    let expected = {
        let o = run(&f, &["build", "--now", NOW, "--out", "one"]);
        assert_eq!(o.status.code(), Some(0));
        snapshot(&f.path("one"))
    };
    let mut built = 0;
    for round in 0..6 {
        let children: Vec<_> = (0..3)
            .map(|_| {
                std::process::Command::new(assert_cmd::cargo::cargo_bin("trainyard"))
                    .current_dir(f.root())
                    .args(["build", "--now", NOW, "--out", "site"])
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for mut c in children {
            let code = c.wait().unwrap().code();
            assert!(matches!(code, Some(0 | 2)), "round {round}: {code:?}");
            built += usize::from(code == Some(0));
        }
        // The first build of each round finds the folder free.
        assert!(
            f.path("site").exists(),
            "round {round}: no build wrote the site"
        );
        assert_eq!(snapshot(&f.path("site")), expected, "round {round}");
    }
    // Every round built at least once (the others may have found it busy):
    // the test compared real sites, not only refusals.
    assert!(built >= 6, "only {built} of 18 builds ran");
}

#[cfg(target_os = "linux")]
#[test]
fn a_build_that_runs_out_of_space_leaves_the_old_site_and_nothing_else() {
    let f = Fixture::new();
    let o = run(&f, &["build", "--now", NOW, "--out", "site"]);
    assert_eq!(o.status.code(), Some(0));
    std::fs::remove_dir_all(f.path(".site.trainyard-prev")).ok();
    let before = snapshot(&f.path("site"));
    f.edit(&t("signoff.yaml"), "decision: go", "decision: no-go");
    // Files may grow to 8 KiB only: pages fail to write as on a full disk
    // (SIGXFSZ ignored, so the write fails with EFBIG instead).
    let bin = assert_cmd::cargo::cargo_bin("trainyard");
    let o = std::process::Command::new("bash")
        .current_dir(f.root())
        .env("NO_COLOR", "1")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f 8; exec '{}' build --now '{NOW}' --out site",
            bin.display()
        ))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("left as it was"), "{}", text(&o));
    assert_eq!(
        snapshot(&f.path("site")),
        before,
        "the old site is untouched"
    );
    assert!(
        !f.path(".site.trainyard-prev").exists(),
        "what the failed build wrote is removed"
    );
}

#[test]
fn file_names_cannot_write_into_a_ci_log() {
    let f = Fixture::new();
    let name = "a\n::error file=x.yaml,line=1::injected\u{1b}[31m";
    if std::fs::write(f.path(&format!("releases/{name}")), "x").is_err() {
        return; // a file system that refuses such names is safe too
    }
    for format in ["human", "github"] {
        let o = run(&f, &["check", "--now", NOW, "--format", format]);
        assert_eq!(o.status.code(), Some(1));
        let out = text(&o);
        assert!(
            !out.lines().any(|l| l.starts_with("::error file=x.yaml")),
            "{format}: {out}"
        );
        assert!(!out.contains('\u{1b}'), "{format}: {out}");
    }
}

#[cfg(unix)]
#[test]
fn new_never_writes_through_a_linked_folder() {
    let f = Fixture::new();
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), f.path("releases/2026-12-07")).unwrap();
    let o = run(&f, &["new", "train", "2026-12-07"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("symbolic link"), "{}", text(&o));
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
}
