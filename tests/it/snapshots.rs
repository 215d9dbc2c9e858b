//! Whole outputs that are the contract, as snapshots (insta): what `check`
//! prints in each format, the release API, a hand-off e-mail, release notes,
//! `status` and the release page's template context. A change to any of them
//! shows up as a diff to review; accept it with `INSTA_UPDATE=always cargo test --test it snapshots::` (or
//! `cargo insta review`) and commit the `.snap` file.

use crate::common::*;

/// The fixture with a few mistakes a team makes in its first week.
fn with_mistakes() -> Fixture {
    let f = Fixture::new();
    f.edit(
        &t("push.yaml"),
        "started_at: 2026-11-30 15:05",
        "started_at: 2026-11-30 14:30",
    );
    f.edit(&t("push.yaml"), "ops: [oscar]", "ops: [oscra]");
    f.edit(&t("signoff.yaml"), "by: quinn", "by:");
    f
}

fn stdout(f: &Fixture, args: &[&str]) -> String {
    let out = f.cmd().args(args).output().expect("run trainyard");
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn check_human() {
    let f = with_mistakes();
    insta::assert_snapshot!(stdout(&f, &["check", "--now", NOW, "--format", "human"]));
}

#[test]
fn check_json() {
    let f = with_mistakes();
    insta::assert_snapshot!(stdout(&f, &["check", "--now", NOW, "--format", "json"]));
}

#[test]
fn check_github() {
    let f = with_mistakes();
    insta::assert_snapshot!(stdout(&f, &["check", "--now", NOW, "--format", "github"]));
}

#[test]
fn api_releases_json() {
    let f = Fixture::new();
    let out = f.path("site");
    f.build_site(NOW, &out);
    let json = std::fs::read_to_string(out.join("api/releases.json")).unwrap();
    insta::assert_snapshot!(json);
}

#[test]
fn status() {
    let f = Fixture::new();
    insta::assert_snapshot!(stdout(&f, &["status", "--now", "2026-11-26 09:00"]));
}

#[test]
fn handoff_mail() {
    let f = Fixture::new();
    let message = stdout(&f, &["mail", "handoff", "sync-server", "--now", NOW]);
    // The version names the build (`trainyard X.Y.Z (commit)`).
    // The MIME boundary is random; the version names the build.
    insta::with_settings!({filters => vec![
        (r"[A-Za-z0-9]{40}", "[boundary]"),
        (r"trainyard \d+\.\d+\.\d+[^\r\n]*", "trainyard [version]"),
    ]}, {
        insta::assert_snapshot!(message);
    });
}

#[test]
fn release_notes_markdown() {
    let f = crate::repositories::with_service(crate::repositories::CONFIGURED);
    insta::assert_snapshot!(stdout(
        &f,
        &["changes", "--train", "2026-11-30", "--format", "markdown"]
    ));
}

/// The release page's view model: everything its template sees.
#[test]
fn release_page_context() {
    let f = with_mistakes();
    insta::assert_snapshot!(stdout(
        &f,
        &[
            "build",
            "--now",
            NOW,
            "--context",
            &format!("{T}/index.html")
        ]
    ));
}
