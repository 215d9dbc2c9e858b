//! `trainyard init`: a new repository that passes check as it is.

use assert_cmd::Command;
use trainyard::model::process::Process;

fn trainyard() -> Command {
    let mut c = Command::cargo_bin("trainyard").unwrap();
    c.env("NO_COLOR", "1");
    c
}

#[test]
fn a_new_repository_passes_check_out_of_the_box() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("releases-repo");
    trainyard()
        .arg("init")
        .arg(&root)
        .args(["--now", "2026-11-26 10:00"])
        .assert()
        .success();
    for f in [
        "process.yaml",
        "people.yaml",
        "README.md",
        ".github/workflows/check.yml",
        ".github/workflows/pages.yml",
        ".github/workflows/deploy.yml",
        ".github/pull_request_template.md",
        ".github/CODEOWNERS",
        "releases/2026-11-30/train.yaml",
        "schemas/push.schema.json",
    ] {
        assert!(root.join(f).is_file(), "missing {f}");
    }
    trainyard()
        .args([
            "check",
            "--format",
            "json",
            "--now",
            "2026-11-26 12:00",
            "--root",
        ])
        .arg(&root)
        .assert()
        .success()
        .stdout("{\"diagnostics\":[],\"errors\":0,\"warnings\":0}\n");
    // And the next steps work on it.
    trainyard()
        .args([
            "new",
            "handoff",
            "first-project",
            "--now",
            "2026-11-24 12:00",
            "--root",
        ])
        .arg(&root)
        .assert()
        .success();
    trainyard()
        .args(["build", "--now", "2026-11-26 12:00", "--root"])
        .arg(&root)
        .assert()
        .success();
}

#[test]
fn the_written_process_is_the_default_process() {
    let dir = tempfile::tempdir().unwrap();
    trainyard()
        .arg("init")
        .arg(dir.path())
        .args(["--now", "2026-11-26 10:00"])
        .assert()
        .success();
    let loaded = trainyard::load::load(dir.path()).unwrap();
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let (p, d) = (&loaded.repo.process, Process::default());
    assert_eq!(p.name, d.name);
    assert_eq!(p.timezone, d.timezone);
    assert_eq!(p.end_of_business, d.end_of_business);
    assert_eq!((p.planning, p.test_start), (d.planning, d.test_start));
    assert_eq!(
        (p.drop_to_test.weekday, p.drop_to_test.by.value),
        (d.drop_to_test.weekday, d.drop_to_test.by.value)
    );
    assert_eq!(
        (p.test_signoff.weekday, p.test_signoff.by.value),
        (d.test_signoff.weekday, d.test_signoff.by.value)
    );
    let (pw, dw) = (&p.production_push, &d.production_push);
    assert_eq!(
        (pw.weekday, pw.start.value, pw.end.value),
        (dw.weekday, dw.start.value, dw.end.value)
    );
    assert_eq!(
        (
            p.monthly.ordinal,
            p.monthly.weekday,
            p.monthly.time.value,
            p.monthly.minutes
        ),
        (
            d.monthly.ordinal,
            d.monthly.weekday,
            d.monthly.time.value,
            d.monthly.minutes
        )
    );
    assert_eq!(p.monthly.requires, d.monthly.requires);
    assert_eq!(p.roles, d.roles);
    assert_eq!(p.approvers, d.approvers);
    assert_eq!(
        (p.freezes.len(), p.holidays.len(), p.rules.len()),
        (0, 0, 0)
    );
}

#[test]
fn init_refuses_a_non_empty_folder_unless_forced_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("people.yaml"), "people: []\n").unwrap();
    trainyard()
        .arg("init")
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicates::str::contains("not empty"));
    assert!(!dir.path().join("process.yaml").exists());
    trainyard()
        .arg("init")
        .arg(dir.path())
        .arg("--force")
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("people.yaml")).unwrap(),
        "people: []\n"
    );
    assert!(dir.path().join("process.yaml").is_file());
}
