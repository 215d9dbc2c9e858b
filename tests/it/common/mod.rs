//! A fixture release repository for integration tests: a complete, valid train
//! that each test breaks in exactly one place, then checks with the real binary.

#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

pub const PEOPLE: &str = "\
people:
  - { handle: alice, name: Alice Example, email: alice@example.com, roles: [dev] }
  - { handle: bob,   name: Bob Example,   email: bob@example.com,   roles: [dev] }
  - { handle: quinn, name: Quinn Example, email: quinn@example.com, roles: [test] }
  - { handle: tara,  name: Tara Example,  email: tara@example.com,  roles: [test] }
  - { handle: oscar, name: Oscar Example, email: oscar@example.com, roles: [ops] }
  - { handle: olga,  name: Olga Example,  email: olga@example.com,  roles: [ops] }
  - { handle: sam,   name: Sam Example,   email: sam@example.com,   roles: [security] }
";

pub const TRAIN: &str = "\
planned_at: 2026-11-24
features:
  - project: sync-server
    summary: Per-user storage quotas
    bugs: [1234567]
";

pub const HANDOFF: &str = "\
project: sync-server
by: alice
at: 2026-11-24 16:20
tag: v1.14.2
ci: { url: https://ci.example.com/job/sync/812/, status: passing }
test_plan: https://wiki.example.com/QA/sync-1.14.2
security: { required: true, doc: https://wiki.example.com/Security/sync, signed_off_by: sam }
deploy_bugs: [1234590]
staging: { url: https://sync.stage.example.com, database: sync-stage-db }
notification:
  sent_at: 2026-11-24 16:25
  to: [services-qa@example.com]
  cc: [services-ops@example.com]
";

pub const STAGING: &str = "\
pushed_by: oscar
pushed_at: 2026-11-24 18:05
notices:
  - { at: 2026-11-26 10:00, by: oscar, summary: DB failover, test_notified_at: 2026-11-26 10:05 }
";

pub const SIGNOFF: &str = "\
by: quinn
at: 2026-11-27 16:00
decision: go
regression: pass
cross_environment: pass
test_plan: pass
load_test: { required: true, signed_off_by: oscar, environment: stage }
notified_at: 2026-11-27 16:05
results: https://wiki.example.com/QA/results/2026-11-30
";

pub const PUSH: &str = "\
pushed_by: oscar
started_at: 2026-11-30 15:05
finished_at: 2026-11-30 16:10
present: { dev: [alice], test: [quinn], ops: [oscar] }
validation:
  by: quinn
  at: 2026-11-30 16:30
  outcome: success
  notified_at: 2026-11-30 16:35
";

pub const PLANNING: &str = "\
date: 2026-12-03
attendees: [sam, oscar, alice]
trains: [2026-12-07, 2026-12-14]
notes: Capacity is short in the last week.
";

pub const QUESTION: &str = "\
---
title: Will hand-offs be recorded in e-mail or in the bugs?
asked_by: Services Ops
asked_at: 2026-11-20
status: answered
answer: In this repository, by pull request.
answered_by: oscar
answered_at: 2026-11-21
---
Discussion in Markdown.
";

/// The time tests check "as of", after every event of the fixture.
pub const NOW: &str = "2026-12-05 12:00";

pub const T: &str = "releases/2026-11-30";

pub struct Fixture {
    pub dir: TempDir,
}

/// One diagnostic of `check --format json`.
#[derive(Debug, Clone)]
pub struct Diag {
    pub rule: String,
    pub severity: String,
    pub file: String,
    pub line: u64,
    pub column: u64,
    pub message: String,
    pub help: Option<String>,
}

pub struct Outcome {
    pub code: i32,
    pub diags: Vec<Diag>,
    pub json: Value,
}

impl Outcome {
    /// The diagnostics of one rule.
    pub fn of(&self, rule: &str) -> Vec<&Diag> {
        self.diags.iter().filter(|d| d.rule == rule).collect()
    }

    /// Assert exactly one diagnostic of `rule`, at `file:line`, and return it.
    #[track_caller]
    pub fn one(&self, rule: &str, file: &str, line: u64) -> &Diag {
        let found = self.of(rule);
        assert_eq!(
            found.len(),
            1,
            "expected one `{rule}`, got {:#?}",
            self.diags
        );
        let d = found[0];
        assert_eq!((d.file.as_str(), d.line), (file, line), "{d:#?}");
        d
    }

    #[track_caller]
    pub fn none(&self, rule: &str) {
        assert!(
            self.of(rule).is_empty(),
            "expected no `{rule}`, got {:#?}",
            self.of(rule)
        );
    }

    #[track_caller]
    pub fn clean(&self) {
        assert!(
            self.diags.is_empty(),
            "expected no diagnostics, got {:#?}",
            self.diags
        );
        assert_eq!(self.code, 0);
    }
}

impl Fixture {
    /// A valid repository: default process, a roster, one complete train,
    /// a planning record and a question.
    pub fn new() -> Self {
        let f = Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        f.write("process.yaml", "name: Test process\n");
        f.write("people.yaml", PEOPLE);
        f.write(&format!("{T}/train.yaml"), TRAIN);
        f.write(&format!("{T}/handoffs/sync-server.yaml"), HANDOFF);
        f.write(&format!("{T}/staging.yaml"), STAGING);
        f.write(&format!("{T}/signoff.yaml"), SIGNOFF);
        f.write(&format!("{T}/push.yaml"), PUSH);
        f.write("planning/2026-12.yaml", PLANNING);
        f.write("questions/0001-handoff-record.md", QUESTION);
        f
    }

    /// Only process.yaml and people.yaml.
    pub fn empty() -> Self {
        let f = Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        f.write("process.yaml", "name: Test process\n");
        f.write("people.yaml", PEOPLE);
        f
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().expect("has parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
        self
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().expect("has parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write");
        self
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).expect("read")
    }

    /// Replace `from` (which must occur) with `to` in a file.
    #[track_caller]
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &Self {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, &text.replacen(from, to, 1))
    }

    pub fn remove(&self, rel: &str) -> &Self {
        let p = self.path(rel);
        if p.is_dir() {
            std::fs::remove_dir_all(p).expect("rm -r");
        } else {
            std::fs::remove_file(p).expect("rm");
        }
        self
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("trainyard").expect("binary");
        c.current_dir(self.root())
            .env_remove("GITHUB_ACTIONS")
            .env("NO_COLOR", "1");
        c
    }

    /// `trainyard build --now NOW --out OUT`, which must succeed.
    #[track_caller]
    pub fn build_site(&self, now: &str, out: &Path) {
        let o = self
            .cmd()
            .args(["build", "--now", now, "--out"])
            .arg(out)
            .output()
            .expect("run trainyard build");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }

    /// `trainyard check --format json --now NOW` and its parsed output.
    pub fn check(&self) -> Outcome {
        self.check_with(&["--now", NOW])
    }

    pub fn check_with(&self, extra: &[&str]) -> Outcome {
        let out = self
            .cmd()
            .arg("check")
            .arg("--format")
            .arg("json")
            .args(extra)
            .output()
            .expect("run trainyard");
        let code = out.status.code().unwrap_or(-1);
        let text = String::from_utf8(out.stdout).expect("utf-8 output");
        let json: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {text}\nstderr: {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let diags = json["diagnostics"]
            .as_array()
            .expect("diagnostics array")
            .iter()
            .map(|d| Diag {
                rule: d["rule"].as_str().unwrap_or_default().to_string(),
                severity: d["severity"].as_str().unwrap_or_default().to_string(),
                file: d["file"].as_str().unwrap_or_default().to_string(),
                line: d["line"].as_u64().unwrap_or_default(),
                column: d["column"].as_u64().unwrap_or_default(),
                message: d["message"].as_str().unwrap_or_default().to_string(),
                help: d["help"].as_str().map(str::to_string),
            })
            .collect();
        Outcome { code, diags, json }
    }
}

pub fn t(rel: &str) -> String {
    format!("{T}/{rel}")
}

/// Run trainyard in `f` under 2 GiB of address space and a time limit, as a
/// stranger's repository is run: a crash is a signal (no exit code), a hang
/// a time-out. Returns the exit code, stdout and stderr.
pub fn run_bounded(
    f: &Fixture,
    args: &[&str],
    limit: std::time::Duration,
) -> (Option<i32>, String, String) {
    let bin = assert_cmd::cargo::cargo_bin("trainyard");
    let mut cmd = std::process::Command::new("bash");
    cmd.current_dir(f.root())
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .arg("-c")
        .arg("ulimit -v 2097152; exec \"$0\" \"$@\"")
        .arg(&bin)
        .args(args);
    let out = Command::from_std(cmd)
        .timeout(limit)
        .output()
        .expect("run trainyard");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Run git in `dir`; panics when it fails.
pub fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A PYTHONPATH under which `import` works: none when Python already has
/// it (.ci/run installs it), else a folder under the target directory that
/// pip installs `package` into once. Callers keep the answer in a OnceLock.
pub fn python_path_for(import: &str, package: &str) -> Option<PathBuf> {
    use std::process::{Command, Stdio};
    let has = |path: Option<&Path>| {
        let mut c = Command::new("python3");
        c.args(["-c", &format!("import {import}")]);
        if let Some(p) = path {
            c.env("PYTHONPATH", p);
        }
        c.stderr(Stdio::null()).status().is_ok_and(|s| s.success())
    };
    if has(None) {
        return None;
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("python-{package}"));
    if !has(Some(&dir)) {
        let ok = Command::new("python3")
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--target",
            ])
            .arg(&dir)
            .arg(package)
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            ok,
            "these tests need {package}: `python3 -m pip install {package}`"
        );
    }
    Some(dir)
}

/// `git add -A` and a commit of everything by NAME <EMAIL>.
pub fn commit_all_as(dir: &Path, name: &str, email: &str, message: &str) {
    git(dir, &["add", "-A"]);
    git(
        dir,
        &[
            "-c",
            &format!("user.name={name}"),
            "-c",
            &format!("user.email={email}"),
            "commit",
            "-q",
            "-m",
            message,
        ],
    );
}
