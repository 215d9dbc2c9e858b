//! Hostile and broken input: every case is a diagnostic and exit 1, never a
//! hang or a panic. The timeout is a hang guard, not a performance measurement
//! (see benches/ for that).

use crate::common::*;
use std::time::Duration;

fn check_bounded(f: &Fixture) -> Outcome {
    let out = f
        .cmd()
        .args(["check", "--format", "json", "--now", NOW])
        .timeout(Duration::from_secs(10))
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("JSON even for hostile input");
    let diags = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| Diag {
            rule: d["rule"].as_str().unwrap().into(),
            severity: d["severity"].as_str().unwrap().into(),
            file: d["file"].as_str().unwrap().into(),
            line: d["line"].as_u64().unwrap(),
            column: d["column"].as_u64().unwrap(),
            message: d["message"].as_str().unwrap().into(),
            help: d["help"].as_str().map(Into::into),
        })
        .collect();
    Outcome {
        code: out.status.code().unwrap_or(-1),
        diags,
        json,
    }
}

fn assert_rejected(f: &Fixture, rule: &str, file: &str) -> Outcome {
    let out = check_bounded(f);
    assert_eq!(out.code, 1, "{:#?}", out.diags);
    assert!(
        out.diags.iter().any(|d| d.rule == rule && d.file == file),
        "expected {rule} on {file}: {:#?}",
        out.diags
    );
    out
}

#[test]
fn truncated_yaml() {
    let f = Fixture::new();
    let text = f.read(&t("signoff.yaml"));
    f.write(
        &t("signoff.yaml"),
        &text[..text.find("load_test").unwrap() + 20],
    );
    assert_rejected(&f, "yaml-syntax", &t("signoff.yaml"));
}

#[test]
fn wrong_types() {
    let f = Fixture::new();
    f.write(&t("push.yaml"), "- just\n- a list\n");
    assert_rejected(&f, "schema", &t("push.yaml"));
    f.write(&t("push.yaml"), "plain text, not a mapping\n");
    assert_rejected(&f, "schema", &t("push.yaml"));
    f.write("people.yaml", "people: 12\n");
    assert_rejected(&f, "schema", "people.yaml");
}

#[test]
fn binary_garbage() {
    let f = Fixture::new();
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    f.write_bytes(&t("staging.yaml"), &garbage);
    let out = assert_rejected(&f, "yaml-syntax", &t("staging.yaml"));
    // The rest of the repository is still checked.
    assert!(
        out.diags.iter().all(|d| d.file == t("staging.yaml")),
        "{:#?}",
        out.diags
    );
}

#[test]
fn two_mebibyte_file() {
    let f = Fixture::new();
    let mut big = String::from("pushed_by: oscar\npushed_at: 2026-11-24 18:05\n");
    while big.len() < 2 * 1024 * 1024 {
        big.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    f.write(&t("staging.yaml"), &big);
    let out = assert_rejected(&f, "yaml-syntax", &t("staging.yaml"));
    assert!(out.diags[0].message.contains("1 MiB"), "{:#?}", out.diags);
}

#[test]
fn alias_bomb() {
    let f = Fixture::new();
    let mut y = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..=12 {
        let p = i - 1;
        y.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    f.write(&t("staging.yaml"), &y);
    assert_rejected(&f, "yaml-syntax", &t("staging.yaml"));
}

#[test]
fn ten_thousand_deep_nesting() {
    let f = Fixture::new();
    let deep = format!("pushed_by: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    f.write(&t("staging.yaml"), &deep);
    assert_rejected(&f, "yaml-syntax", &t("staging.yaml"));
    let mut block = String::new();
    for i in 0..10_000 {
        block.push_str(&" ".repeat(i));
        block.push_str("- \n");
    }
    f.write(&t("staging.yaml"), &block);
    assert_rejected(&f, "yaml-syntax", &t("staging.yaml"));
}

#[test]
fn duplicate_keys_are_not_silently_merged() {
    let f = Fixture::new();
    f.edit(
        &t("signoff.yaml"),
        "decision: go\n",
        "decision: go\ndecision: no-go\n",
    );
    let out = check_bounded(&f);
    assert_eq!(out.code, 1);
    assert!(
        out.diags
            .iter()
            .any(|d| d.file == t("signoff.yaml") && d.line == 4),
        "{:#?}",
        out.diags
    );
}

#[test]
fn not_utf8() {
    let f = Fixture::new();
    f.write_bytes(&t("staging.yaml"), b"pushed_by: \xff\xfeoscar\n");
    let out = assert_rejected(&f, "yaml-syntax", &t("staging.yaml"));
    assert!(out.diags[0].message.contains("UTF-8"));
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_repository_are_not_followed() {
    let f = Fixture::new();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.yaml"), "x: 1\n").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.yaml"),
        f.path(&t("staging2.yaml")),
    )
    .unwrap();
    assert_rejected(&f, "file-name", &t("staging2.yaml"));
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_reported_not_read() {
    let f = Fixture::new();
    std::fs::remove_file(f.path(&t("staging.yaml"))).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(f.path(&t("staging.yaml")))
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let out = assert_rejected(&f, "file-name", &t("staging.yaml"));
    assert!(out.diags.iter().any(|d| d.message.contains("named pipe")));
}
