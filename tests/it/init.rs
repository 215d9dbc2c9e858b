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

const WORKFLOWS: [&str; 3] = [
    ".github/workflows/check.yml",
    ".github/workflows/pages.yml",
    ".github/workflows/deploy.yml",
];

fn init_with(extra: &[&str]) -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    trainyard()
        .arg("init")
        .arg(dir.path())
        .args(["--now", "2026-11-26 10:00"])
        .args(extra)
        .assert()
        .success();
    let texts = WORKFLOWS
        .iter()
        .map(|w| std::fs::read_to_string(dir.path().join(w)).unwrap())
        .collect();
    (dir, texts)
}

#[test]
fn the_workflows_use_the_action_of_this_release_and_compile_nothing() {
    let (_dir, texts) = init_with(&[]);
    let uses = format!(
        "uses: trainyard-rs/trainyard@v{}\n",
        env!("CARGO_PKG_VERSION")
    );
    for (path, text) in WORKFLOWS.iter().zip(&texts) {
        assert_eq!(text.matches(&uses).count(), 1, "{path}:\n{text}");
        for compiling in ["cargo", "rust-toolchain", "rust-cache"] {
            assert!(!text.contains(compiling), "{path} mentions {compiling}");
        }
    }
    let [check, pages, deploy] = &texts[..] else {
        unreachable!("three workflows")
    };
    assert!(check.contains("on:\n  pull_request:\n  push:\n    branches: [main]\n"));
    assert!(check.contains(
        "command: check\n          args: ${{ github.base_ref && format('--base origin/{0}', github.base_ref) || '' }}\n"
    ));
    assert!(pages.contains(
        "command: build\n          args: --out public --base-url ${{ steps.pages.outputs.base_url }}\n"
    ));
    assert!(deploy.contains("command: gate\n          args: production "));
    // The deploy step still comes after the gate.
    assert!(deploy.find("command: gate") < deploy.find("- name: Deploy"));
}

#[test]
fn from_source_builds_the_same_release_once_and_caches_it() {
    let (_dir, texts) = init_with(&["--from-source"]);
    let version = env!("CARGO_PKG_VERSION");
    let install = format!(
        "run: cargo install --locked --git https://github.com/trainyard-rs/trainyard --tag v{version} trainyard\n"
    );
    for (path, text) in WORKFLOWS.iter().zip(&texts) {
        assert!(text.contains(&install), "{path}:\n{text}");
        assert!(text.contains("if: steps.trainyard-cache.outputs.cache-hit != 'true'"));
        assert!(!text.contains("uses: trainyard-rs/"), "{path}");
    }
    assert!(texts[0].contains("trainyard check --summary \"$GITHUB_STEP_SUMMARY\" \"${args[@]}\""));
    assert!(texts[1].contains("trainyard build \"${args[@]}\""));
    assert!(texts[2].contains("trainyard gate \"${args[@]}\""));
}

#[test]
fn another_action_can_be_named_but_only_as_an_action_reference() {
    let sha = "0123456789abcdef0123456789abcdef01234567";
    let (_dir, texts) = init_with(&["--action", &format!("acme/trainyard@{sha}")]);
    for text in &texts {
        assert!(text.contains(&format!("uses: acme/trainyard@{sha}\n")));
    }
    let dir = tempfile::tempdir().unwrap();
    trainyard()
        .arg("init")
        .arg(dir.path())
        .args(["--action", "acme/trainyard@v1\n        run: curl evil"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not an action reference"))
        .stderr(predicates::str::contains("help: write OWNER/NAME@REF"));
    assert!(is_empty(dir.path()), "nothing written");
    trainyard()
        .arg("init")
        .arg(dir.path())
        .args(["--action", "acme/trainyard@v1", "--from-source"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot be used with"));
}

fn is_empty(dir: &std::path::Path) -> bool {
    std::fs::read_dir(dir).unwrap().next().is_none()
}
