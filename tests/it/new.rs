//! `trainyard new`: scaffolds land in the right place, are reported by `check`
//! until filled, pass once filled, and never overwrite a record.

use crate::common::*;

fn new(f: &Fixture, args: &[&str]) -> std::process::Output {
    f.cmd()
        .arg("new")
        .args(args)
        .args(["--now", "2026-12-01 09:00"])
        .output()
        .unwrap()
}

/// Replace every placeholder in `rel` as a person would.
fn fill(f: &Fixture, rel: &str, values: &[(&str, &str)]) {
    let mut text = f.read(rel);
    for (what, value) in values {
        text = text.replace(&format!("\"<fill in: {what}>\""), value);
    }
    assert!(!text.contains("<fill in"), "unfilled: {text}");
    f.write(rel, &text);
}

#[test]
fn a_new_train_is_reported_until_filled_then_passes() {
    let f = Fixture::new();
    let o = new(&f, &["train"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rel = "releases/2026-12-07/train.yaml";
    assert!(
        f.read(rel).contains("planned_at: 2026-12-01"),
        "the planning day comes from the schedule"
    );
    let out = f.check_with(&["--now", "2026-12-01 09:00"]);
    let placeholders: Vec<u64> = out
        .of("schema")
        .iter()
        .filter(|d| d.file == rel)
        .map(|d| d.line)
        .collect();
    assert_eq!(placeholders, vec![5, 6], "{:#?}", out.diags);
    fill(
        &f,
        rel,
        &[
            ("project-slug", "sync-server"),
            ("what ships", "Faster uploads"),
        ],
    );
    f.check_with(&["--now", "2026-12-01 09:00"]).clean();
}

#[test]
fn new_never_overwrites() {
    let f = Fixture::new();
    assert!(new(&f, &["train", "2026-12-07"]).status.success());
    let before = f.read("releases/2026-12-07/train.yaml");
    let o = new(&f, &["train", "2026-12-07"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("already exists"));
    assert_eq!(f.read("releases/2026-12-07/train.yaml"), before);
    // An existing sign-off is not replaced either.
    let signoff = f.read(&t("signoff.yaml"));
    assert_eq!(
        new(&f, &["signoff", "--train", "2026-11-30"]).status.code(),
        Some(1)
    );
    assert_eq!(f.read(&t("signoff.yaml")), signoff);
}

#[test]
fn a_whole_train_from_scaffolds_passes_check_once_filled() {
    let f = Fixture::empty();
    let now = ["--now", "2026-11-24 16:00"];
    let run = |args: &[&str]| {
        let o = f.cmd().arg("new").args(args).args(now).output().unwrap();
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    run(&["train", "2026-11-30"]);
    fill(
        &f,
        &t("train.yaml"),
        &[("project-slug", "sync-server"), ("what ships", "Quotas")],
    );
    run(&["handoff", "sync-server"]);
    fill(
        &f,
        &t("handoffs/sync-server.yaml"),
        &[
            ("your handle", "alice"),
            ("the tag, e.g. v1.2.3", "v1.2.3"),
            ("CI run URL", "https://ci.example.com/1"),
            ("test plan URL", "https://wiki.example.com/plan"),
            ("staging URL", "https://stage.example.com"),
            ("staging database", "stage-db"),
            ("when the e-mail went out", "2026-11-24 16:05"),
        ],
    );
    let o = f
        .cmd()
        .args(["new", "signoff", "--now", "2026-11-27 15:00"])
        .output()
        .unwrap();
    assert!(o.status.success());
    // Nothing is decided for Test: the decision and every result are to fill.
    let signoff = f.read(&t("signoff.yaml"));
    assert!(
        !signoff.contains("decision: go") && !signoff.contains("regression: pass"),
        "{signoff}"
    );
    assert_eq!(
        signoff.matches("\"<fill in: pass or fail>\"").count(),
        3,
        "{signoff}"
    );
    fill(
        &f,
        &t("signoff.yaml"),
        &[
            ("your handle", "quinn"),
            ("go or no-go, as Test decided", "go"),
            ("pass or fail", "pass"),
            ("when the results e-mail went out", "2026-11-27 15:05"),
        ],
    );
    let o = f
        .cmd()
        .args(["new", "push", "--now", "2026-11-30 14:00"])
        .output()
        .unwrap();
    assert!(o.status.success());
    let push = f.read(&t("push.yaml"));
    assert!(
        push.contains("started_at: 2026-11-30 15:00") && push.contains("dev: [alice]"),
        "{push}"
    );
    fill(
        &f,
        &t("push.yaml"),
        &[
            ("your handle", "oscar"),
            ("tester present", "quinn"),
            ("ops present", "oscar"),
        ],
    );
    f.check_with(&["--now", "2026-11-30 18:00"]).clean();
}

#[test]
fn a_new_question_takes_the_next_number() {
    let f = Fixture::new();
    let o = new(&f, &["question", "Who", "approves", "emergency", "pushes?"]);
    assert!(o.status.success());
    let rel = "questions/0002-who-approves-emergency-pushes.md";
    let text = f.read(rel);
    assert!(
        text.contains("title: \"Who approves emergency pushes?\""),
        "{text}"
    );
    let out = f.check_with(&["--now", "2026-12-01 09:00"]);
    assert_eq!(
        out.of("schema").len(),
        2,
        "asked_by and the body are placeholders: {:#?}",
        out.diags
    );
}

#[test]
fn a_new_staging_record_passes_once_filled() {
    let f = Fixture::new();
    f.remove(&t("staging.yaml"));
    let o = f
        .cmd()
        .args([
            "new",
            "staging",
            "--train",
            "2026-11-30",
            "--now",
            "2026-11-24 18:05",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = f.read(&t("staging.yaml"));
    assert!(text.contains("pushed_at: 2026-11-24 18:05"), "{text}");
    assert_eq!(f.check().of("schema").len(), 1, "the handle placeholder");
    fill(&f, &t("staging.yaml"), &[("your handle", "oscar")]);
    f.check().clean();
}
