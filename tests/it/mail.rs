//! `trainyard mail` against a real SMTP server (aiosmtpd from PyPI, on
//! 127.0.0.1 with a free port), each received message read back with
//! Python's standard `email` parser.

use crate::common::*;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const SUPPORT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support");
const H: &str = "releases/2026-11-30/handoffs/sync-server.yaml";

/// A PYTHONPATH holding aiosmtpd: none needed when Python already has it,
/// else a folder under the target directory that pip installs it into once.
fn python_path() -> &'static Option<PathBuf> {
    static PATH: OnceLock<Option<PathBuf>> = OnceLock::new();
    PATH.get_or_init(|| python_path_for("aiosmtpd", "aiosmtpd"))
}

fn python() -> Command {
    let mut c = Command::new("python3");
    if let Some(p) = python_path() {
        c.env("PYTHONPATH", p);
    }
    c
}

/// One SMTP server process, stopped when dropped.
pub(crate) struct Smtp {
    child: Child,
    port: u16,
    out: tempfile::TempDir,
}

impl Smtp {
    pub(crate) fn start(mode: &str) -> Smtp {
        Smtp::start_with(mode, &[])
    }

    /// `mode` with extra arguments (the certificate and key of a TLS mode).
    fn start_with(mode: &str, extra: &[&Path]) -> Smtp {
        let out = tempfile::tempdir().expect("temp dir");
        let mut child = python()
            .arg(format!("{SUPPORT}/smtp_server.py"))
            .arg(mode)
            .arg(out.path())
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the server's port");
        let port = line
            .trim()
            .strip_prefix("PORT ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("the SMTP server did not start: {line:?}"));
        Smtp { child, port, out }
    }

    pub(crate) fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message accepted so far: (envelope sender, recipients, bytes).
    pub(crate) fn received(&self) -> Vec<(String, Vec<String>, Vec<u8>)> {
        let mut names: Vec<_> = std::fs::read_dir(self.out.path())
            .expect("out dir")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| {
                let v: Value =
                    serde_json::from_slice(&std::fs::read(p).expect("read")).expect("json");
                use base64::Engine as _;
                let data = base64::engine::general_purpose::STANDARD
                    .decode(v["data"].as_str().expect("data"))
                    .expect("base64");
                let rcpt = v["rcpt_tos"]
                    .as_array()
                    .expect("rcpt")
                    .iter()
                    .map(|r| r.as_str().expect("str").to_string())
                    .collect();
                (
                    v["mail_from"].as_str().expect("from").to_string(),
                    rcpt,
                    data,
                )
            })
            .collect()
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What Python's `email` package reads in a message.
pub(crate) fn parse(bytes: &[u8]) -> Value {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("m.eml");
    std::fs::write(&file, bytes).expect("write");
    let out = python()
        .arg(format!("{SUPPORT}/parse_mail.py"))
        .arg(&file)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

fn sha256_hex(s: &str) -> String {
    ring::digest::digest(&ring::digest::SHA256, s.as_bytes())
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The fixture with a bug tracker, a non-ASCII sender and an unsent hand-off.
fn fixture() -> Fixture {
    let f = Fixture::new();
    f.write(
        "process.yaml",
        "name: Test process\nbugs:\n  url: https://bugs.example.com/{id}\n  list_url: https://bugs.example.com/list?ids={ids}\n",
    );
    f.edit("people.yaml", "name: Alice Example", "name: Alice Ëxample");
    f.edit(
        H,
        "  sent_at: 2026-11-24 16:25",
        "  sent_at: \"<fill in: when the e-mail went out>\"   # trainyard mail --record",
    );
    f
}

fn mail(f: &Fixture, args: &[&str]) -> assert_cmd::assert::Assert {
    f.cmd()
        .arg("mail")
        .args(args)
        .args(["--train", "2026-11-30"])
        .env_remove("TRAINYARD_SMTP_URL")
        .env_remove("TRAINYARD_SMTP_USER")
        .env_remove("TRAINYARD_SMTP_PASSWORD")
        .timeout(Duration::from_secs(60))
        .assert()
}

/// `mail handoff sync-server --send --smtp URL` and `extra`.
fn send_handoff(f: &Fixture, url: &str, extra: &[&str]) -> assert_cmd::assert::Assert {
    let args = [
        &["handoff", "sync-server", "--send", "--smtp", url][..],
        extra,
    ]
    .concat();
    mail(f, &args)
}

fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

#[test]
fn a_handoff_is_sent_to_every_recipient_and_recorded() {
    let f = fixture();
    let before = f.read(H);
    let smtp = Smtp::start("accept");
    let a = send_handoff(&f, &smtp.url(), &["--record", "--now", "2026-11-24 16:25"]).success();
    let got = smtp.received();
    assert_eq!(got.len(), 1, "one message");
    let (from, rcpt, data) = &got[0];
    assert_eq!(from, "alice@example.com");
    assert_eq!(
        rcpt,
        &["services-qa@example.com", "services-ops@example.com"]
    );

    let m = parse(data);
    assert_eq!(m["crlf"], true, "CRLF line ends only");
    assert_eq!(m["ascii_headers"], true);
    assert_eq!(m["content_type"], "multipart/alternative");
    let h = &m["headers"];
    assert_eq!(
        h["subject"],
        "[release 2026-11-30] Hand-off: sync-server v1.14.2"
    );
    assert_eq!(m["from_name"], "Alice Ëxample");
    let raw = m["raw_headers"].as_str().unwrap();
    assert!(
        raw.contains("From: =?utf-8?"),
        "the name is RFC 2047 encoded:\n{raw}"
    );
    assert_eq!(m["to"], serde_json::json!(["services-qa@example.com"]));
    assert_eq!(m["cc"], serde_json::json!(["services-ops@example.com"]));
    // The recorded send time (16:25 PST) is the Date.
    assert!(
        h["date"].as_str().unwrap().contains("25 Nov 2026 00:25:00"),
        "{}",
        h["date"]
    );
    assert_eq!(h["in-reply-to"], "<2026-11-30.train@example.com>");
    assert_eq!(h["references"], "<2026-11-30.train@example.com>");

    let plain = m["plain"].as_str().unwrap();
    let html = m["html"].as_str().unwrap();
    assert_eq!(m["plain_charset"], "utf-8");
    assert_eq!(m["html_charset"], "utf-8");
    for want in [
        "v1.14.2",
        "https://ci.example.com/job/sync/812/",
        "https://wiki.example.com/QA/sync-1.14.2",
        "sync-stage-db",
        "Per-user storage quotas",
    ] {
        assert!(plain.contains(want), "plain part lacks {want}:\n{plain}");
    }
    assert!(
        plain.contains("1234567 <https://bugs.example.com/1234567>"),
        "{plain}"
    );
    assert!(
        plain.contains("https://bugs.example.com/list?ids=1234567"),
        "{plain}"
    );
    assert!(
        html.contains(r#"<a href="https://bugs.example.com/1234590">1234590</a>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<a href="https://sync.stage.example.com">"#),
        "{html}"
    );

    // Message-ID: DATE.KIND.PROJECT.HASH@DOMAIN, HASH from the text part
    // as sent (CRLF line ends, as `email.message_from_bytes` reads it).
    assert!(plain.ends_with(".yaml\r\n"), "{plain:?}");
    let id = format!(
        "<2026-11-30.handoff.sync-server.{}@example.com>",
        &sha256_hex(plain)[..12]
    );
    assert_eq!(h["message-id"], id.as_str());
    assert_eq!(
        stdout(&a),
        format!("{id}\n"),
        "the Message-ID alone on stdout"
    );

    // Exactly one value of the record changed, comment and all else kept.
    let after = f.read(H);
    assert_eq!(
        after,
        before.replace(
            "\"<fill in: when the e-mail went out>\"",
            "2026-11-24 16:25"
        )
    );
    f.check().clean();
}

#[test]
fn every_kind_of_message_threads_with_the_train() {
    let f = Fixture::new();
    let smtp = Smtp::start("accept");
    for kind in ["handoff", "staging-notice", "signoff", "validation"] {
        let mut args = vec![kind];
        if kind == "handoff" {
            args.push("sync-server");
        }
        let url = smtp.url();
        args.extend(["--send", "--smtp", &url]);
        mail(&f, &args).success();
    }
    let got = smtp.received();
    assert_eq!(got.len(), 4);
    let parsed: Vec<Value> = got.iter().map(|(_, _, d)| parse(d)).collect();
    let subjects: Vec<&str> = parsed
        .iter()
        .map(|m| m["headers"]["subject"].as_str().unwrap())
        .collect();
    assert_eq!(
        subjects,
        [
            "[release 2026-11-30] Hand-off: sync-server v1.14.2",
            "[release 2026-11-30] Staging notice: DB failover",
            "[release 2026-11-30] Test sign-off: go",
            "[release 2026-11-30] Production push: success",
        ]
    );
    let senders: Vec<&str> = got.iter().map(|(f, _, _)| f.as_str()).collect();
    assert_eq!(
        senders,
        [
            "alice@example.com",
            "oscar@example.com",
            "quinn@example.com",
            "quinn@example.com"
        ]
    );
    // The staging notice and the sign-off go to the test list; the
    // validation also to the ops list.
    assert_eq!(got[1].1, ["services-qa@example.com"]);
    assert_eq!(got[2].1, ["services-qa@example.com"]);
    assert_eq!(
        got[3].1,
        ["services-qa@example.com", "services-ops@example.com"]
    );
    for (m, kind) in parsed.iter().zip([
        "handoff.sync-server",
        "staging-notice",
        "signoff",
        "validation",
    ]) {
        let id = m["headers"]["message-id"].as_str().unwrap();
        assert!(id.starts_with(&format!("<2026-11-30.{kind}.")), "{id}");
        assert_eq!(
            m["headers"]["in-reply-to"],
            "<2026-11-30.train@example.com>"
        );
        assert_eq!(m["crlf"], true);
    }
    // Each Date is the send time the record holds.
    let dates: Vec<&str> = parsed
        .iter()
        .map(|m| m["headers"]["date"].as_str().unwrap())
        .collect();
    assert!(dates[1].contains("26 Nov 2026 18:05:00"), "{}", dates[1]);
    assert!(dates[2].contains("28 Nov 2026 00:05:00"), "{}", dates[2]);
    assert!(dates[3].contains("1 Dec 2026 00:35:00"), "{}", dates[3]);
    let notice = parsed[1]["plain"].as_str().unwrap();
    assert!(
        notice.contains("DB failover") && notice.contains("Oscar Example"),
        "{notice}"
    );
    let signoff = parsed[2]["plain"].as_str().unwrap();
    assert!(
        signoff.contains("Regression: pass")
            && signoff.contains("https://wiki.example.com/QA/results/2026-11-30"),
        "{signoff}"
    );
    let validation = parsed[3]["plain"].as_str().unwrap();
    assert!(
        validation.contains("Outcome: success") && validation.contains("2026-11-30 15:05 PST"),
        "{validation}"
    );
}

#[test]
fn the_same_records_give_the_same_message_id() {
    let f = Fixture::new();
    let one = stdout(&mail(&f, &["signoff"]).success());
    let two = stdout(&mail(&f, &["signoff"]).success());
    let id = |s: &str| {
        s.lines()
            .find(|l| l.starts_with("Message-ID:"))
            .map(str::to_string)
    };
    assert!(id(&one).is_some());
    assert_eq!(id(&one), id(&two));
    f.edit(
        &format!("{T}/signoff.yaml"),
        "cross_environment: pass",
        "cross_environment: fail",
    );
    f.edit(
        &format!("{T}/signoff.yaml"),
        "decision: go",
        "decision: no-go",
    );
    let three = stdout(&mail(&f, &["signoff"]).success());
    assert!(
        three.contains("Subject: [release 2026-11-30] Test sign-off: no-go"),
        "{three}"
    );
    assert_ne!(id(&one), id(&three));
}

#[test]
fn a_refused_recipient_is_exit_1_and_nothing_is_recorded() {
    let f = fixture();
    let before = f.read(H);
    let smtp = Smtp::start("refuse-ops");
    let a = send_handoff(&f, &smtp.url(), &["--record"]).code(1);
    assert!(stderr(&a).contains("refused"), "{}", stderr(&a));
    assert!(smtp.received().is_empty());
    assert_eq!(f.read(H), before);
}

#[test]
fn a_server_that_hangs_up_or_is_not_there_is_exit_2() {
    let f = fixture();
    let before = f.read(H);
    let closing = Smtp::start("close");
    let a = send_handoff(&f, &closing.url(), &["--record"]).code(2);
    assert!(
        stderr(&a).contains(&format!("127.0.0.1:{}", closing.port)),
        "{}",
        stderr(&a)
    );

    // A port where nothing listens.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("smtp://127.0.0.1:{port}");
    let a = mail(&f, &["handoff", "sync-server", "--send", "--smtp", &url]).code(2);
    assert!(
        stderr(&a).contains(&format!("127.0.0.1:{port}")),
        "{}",
        stderr(&a)
    );

    // A server that never answers: given up after the timeout.
    let silent = Smtp::start("silent");
    let started = Instant::now();
    let a = send_handoff(&f, &silent.url(), &["--timeout", "2"]).code(2);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert!(
        stderr(&a).contains(&format!("127.0.0.1:{}", silent.port)),
        "{}",
        stderr(&a)
    );

    // STARTTLS required from a server that does not offer it: nothing sent in clear.
    let plain = Smtp::start("accept");
    let url = format!("{}?tls=required", plain.url());
    mail(&f, &["handoff", "sync-server", "--send", "--smtp", &url]).code(2);
    assert!(plain.received().is_empty());
    assert_eq!(f.read(H), before);
}

#[test]
fn header_injection_from_a_record_is_impossible() {
    let f = Fixture::new();
    f.edit(
        &format!("{T}/staging.yaml"),
        "summary: DB failover",
        "summary: \"DB failover\\r\\nBcc: evil@example.com\\r\\n\\r\\nforged body\"",
    );
    let smtp = Smtp::start("accept");
    mail(&f, &["staging-notice", "--send", "--smtp", &smtp.url()]).success();
    let got = smtp.received();
    assert_eq!(got[0].1, ["services-qa@example.com"], "no extra recipient");
    let m = parse(&got[0].2);
    assert_eq!(
        m["headers"]["subject"],
        "[release 2026-11-30] Staging notice: DB failover Bcc: evil@example.com forged body"
    );
    assert!(m["headers"].get("bcc").is_none());
}

#[test]
fn bad_input_sends_nothing() {
    let f = fixture();
    let smtp = Smtp::start("accept");
    let url = smtp.url();
    let send = ["--send", "--smtp", url.as_str()];

    // A sender without an e-mail address.
    f.edit("people.yaml", "email: alice@example.com", "email: \"\"");
    let a = mail(&f, &[&["handoff", "sync-server"][..], &send].concat()).code(1);
    assert!(stderr(&a).contains("people.yaml"), "{}", stderr(&a));
    assert!(stderr(&a).contains("no e-mail address"), "{}", stderr(&a));
    f.edit("people.yaml", "email: \"\"", "email: alice@example.com");

    // A placeholder left unfilled (other than the send time itself).
    f.edit(H, "tag: v1.14.2", "tag: \"<fill in: the tag>\"");
    let a = mail(&f, &[&["handoff", "sync-server"][..], &send].concat()).code(1);
    assert!(stderr(&a).contains("placeholder"), "{}", stderr(&a));
    f.edit(H, "tag: \"<fill in: the tag>\"", "tag: v1.14.2");

    // A record with an error.
    f.edit(H, "status: passing", "status: failing");
    let a = mail(&f, &[&["handoff", "sync-server"][..], &send].concat()).code(1);
    assert!(stderr(&a).contains("handoff-checklist"), "{}", stderr(&a));
    f.edit(H, "status: failing", "status: passing");

    // A train, project or record that does not exist.
    let a = f
        .cmd()
        .args(["mail", "signoff", "--train", "2026-12-07"])
        .assert()
        .code(2);
    assert!(stderr(&a).contains("no train 2026-12-07"), "{}", stderr(&a));
    let a = mail(&f, &["handoff", "api-server"]).code(2);
    assert!(stderr(&a).contains("api-server"), "{}", stderr(&a));
    f.remove(&format!("{T}/signoff.yaml"));
    mail(&f, &["signoff"]).code(2);
    mail(&f, &["handoff"]).code(2);

    // SMTP URLs: malformed, or with credentials (never echoed).
    let a = send_handoff(&f, "smtp://me:hunter2@127.0.0.1:25", &[]).code(2);
    assert!(
        stderr(&a).contains("TRAINYARD_SMTP_USER") && !stderr(&a).contains("hunter2"),
        "{}",
        stderr(&a)
    );
    send_handoff(&f, "smtp//127.0.0.1", &[]).code(2);
    mail(&f, &["handoff", "sync-server", "--send"]).code(2);
    // --at / --now in the spring-forward gap.
    let a = mail(
        &f,
        &[
            &["handoff", "sync-server", "--now", "2026-03-08 02:30"][..],
            &send,
        ]
        .concat(),
    )
    .code(2);
    assert!(stderr(&a).contains("daylight saving"), "{}", stderr(&a));

    assert!(smtp.received().is_empty(), "nothing was sent");
}

#[test]
fn record_never_overwrites_and_keeps_every_other_byte() {
    let f = Fixture::new();
    let smtp = Smtp::start("accept");
    let url = smtp.url();
    // Already recorded: --record refuses before sending.
    let a = mail(&f, &["signoff", "--send", "--smtp", &url, "--record"]).code(2);
    assert!(stderr(&a).contains("already records"), "{}", stderr(&a));
    assert!(smtp.received().is_empty());

    // CRLF line ends, a byte-order mark and comments survive.
    let signoff = format!("{T}/signoff.yaml");
    let text = SIGNOFF
        .replace(
            "notified_at: 2026-11-27 16:05",
            "notified_at: '<fill in: when>' # the results mail",
        )
        .replace('\n', "\r\n");
    f.write_bytes(&signoff, format!("\u{feff}# sign-off\r\n{text}").as_bytes());
    mail(
        &f,
        &[
            "signoff",
            "--send",
            "--smtp",
            &url,
            "--record",
            "--now",
            "2026-11-27 16:05",
        ],
    )
    .success();
    let want = format!(
        "\u{feff}# sign-off\r\n{}",
        SIGNOFF
            .replace(
                "notified_at: 2026-11-27 16:05",
                "notified_at: 2026-11-27 16:05 # the results mail"
            )
            .replace('\n', "\r\n")
    );
    assert_eq!(f.read(&signoff), want);

    // A validation without notified_at gains the line, in its block.
    let push = format!("{T}/push.yaml");
    f.edit(&push, "  notified_at: 2026-11-30 16:35\n", "");
    mail(
        &f,
        &[
            "validation",
            "--send",
            "--smtp",
            &url,
            "--record",
            "--now",
            "2026-11-30 16:40",
        ],
    )
    .success();
    assert_eq!(f.read(&push), PUSH.replace("16:35", "16:40"));
    assert_eq!(smtp.received().len(), 2);
    f.check().clean();
}

#[test]
fn a_scaffolded_handoff_is_sent_then_recorded_and_passes_check() {
    let f = Fixture::new();
    f.remove(H);
    let o = f
        .cmd()
        .args([
            "new",
            "handoff",
            "sync-server",
            "--train",
            "2026-11-30",
            "--now",
            "2026-11-24 16:20",
        ])
        .output()
        .unwrap();
    assert!(o.status.success());
    let mut text = f.read(H);
    for (what, value) in [
        ("your handle", "alice"),
        ("the tag, e.g. v1.2.3", "v1.14.2"),
        ("CI run URL", "https://ci.example.com/1"),
        ("test plan URL", "https://wiki.example.com/plan"),
        ("staging URL", "https://stage.example.com"),
        ("staging database", "stage-db"),
    ] {
        text = text.replace(&format!("\"<fill in: {what}>\""), value);
    }
    f.write(H, &text);
    // Until the e-mail is sent, check says so.
    let unsent = f.check();
    assert_eq!(unsent.of("schema").len(), 1, "{:#?}", unsent.diags);
    let smtp = Smtp::start("accept");
    send_handoff(&f, &smtp.url(), &["--record", "--now", "2026-11-24 16:25"]).success();
    assert_eq!(smtp.received().len(), 1);
    assert_eq!(
        f.read(H),
        text.replace(
            "\"<fill in: when the e-mail went out>\"",
            "2026-11-24 16:25"
        )
    );
    f.check().clean();
}

#[test]
fn mail_domain_must_be_a_host_name() {
    let f = Fixture::new();
    f.write(
        "process.yaml",
        "name: Test process\nmail:\n  domain: \"example.org>\\r\\nBcc: evil@example.com\"\n",
    );
    let o = f.check();
    let d = o.one("schema", "process.yaml", 3);
    assert!(d.message.contains("not a host name"), "{d:?}");
    // The message falls back to the sender's domain; nothing is injected.
    let a = mail(&f, &["signoff"]).success();
    let text = stdout(&a);
    let head = text.split("\r\n\r\n").next().unwrap();
    assert!(head.contains("Message-ID: <2026-11-30.signoff."), "{head}");
    assert!(
        head.contains("@example.com>") && !head.contains("Bcc") && !head.contains("example.org"),
        "{head}"
    );

    f.write(
        "process.yaml",
        "name: Test process\nmail: { domain: Releases.Example.net }\n",
    );
    f.check().clean();
    let text = stdout(&mail(&f, &["signoff"]).success());
    assert!(
        text.contains(
            "@releases.example.net>\r\nIn-Reply-To: <2026-11-30.train@releases.example.net>"
        ),
        "{text}"
    );
}

/// A private CA and a certificate it signed for 127.0.0.1, made with the
/// openssl command: (folder, CA certificate, server certificate, server key).
fn private_ca() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("the openssl command");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
    ];
    openssl(
        &[
            &["req", "-x509"][..],
            &ec,
            &[
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "2",
                "-subj",
                "/CN=trainyard test CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign",
            ],
        ]
        .concat(),
    );
    openssl(
        &[
            &["req"][..],
            &ec,
            &[
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
                "-subj",
                "/CN=127.0.0.1",
            ],
        ]
        .concat(),
    );
    std::fs::write(
        p("server.ext"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "server.ext",
        "-out",
        "server.pem",
    ]);
    let (ca, cert, key) = (p("ca.pem"), p("server.pem"), p("server.key"));
    (dir, ca, cert, key)
}

#[test]
fn tls_to_a_relay_with_a_private_ca() {
    let f = fixture();
    let before = f.read(H);
    let (dir, ca, cert, key) = private_ca();
    let ca_arg = ca.to_str().unwrap();

    // STARTTLS, and TLS from the first byte: each delivered, over TLS only
    // (the STARTTLS server refuses mail before the handshake).
    for (mode, url) in [
        ("starttls", "smtp://127.0.0.1:{port}?tls=required"),
        ("tls", "smtps://127.0.0.1:{port}"),
    ] {
        let smtp = Smtp::start_with(mode, &[&cert, &key]);
        let url = url.replace("{port}", &smtp.port.to_string());
        let a = send_handoff(&f, &url, &["--smtp-ca", ca_arg]).success();
        assert!(stdout(&a).starts_with('<'), "{mode}: {}", stderr(&a));
        let got = smtp.received();
        assert_eq!(got.len(), 1, "{mode}");
        assert_eq!(
            parse(&got[0].2)["headers"]["subject"],
            "[release 2026-11-30] Hand-off: sync-server v1.14.2"
        );
    }

    // Without the CA, the certificate is not trusted: nothing is sent, and
    // nothing is recorded.
    let smtp = Smtp::start_with("starttls", &[&cert, &key]);
    let url = format!("smtp://127.0.0.1:{}?tls=required", smtp.port);
    let a = send_handoff(&f, &url, &["--record", "--now", "2026-11-24 16:25"]).code(2);
    let said = stderr(&a);
    assert!(said.contains("invalid peer certificate"), "{said}");
    assert!(
        said.contains("help: the server's certificate is not trusted"),
        "{said}"
    );
    assert!(said.contains("--smtp-ca FILE"), "{said}");
    assert!(smtp.received().is_empty());
    assert_eq!(f.read(H), before);

    // A file that is not a CA bundle is named, before anything is sent.
    std::fs::write(dir.path().join("not.pem"), "hello\n").unwrap();
    let not = dir.path().join("not.pem");
    let a = send_handoff(&f, &url, &["--smtp-ca", not.to_str().unwrap()]).code(2);
    assert!(stderr(&a).contains("--smtp-ca: "), "{}", stderr(&a));
    assert!(
        stderr(&a).contains("not.pem holds no certificate"),
        "{}",
        stderr(&a)
    );
    assert!(smtp.received().is_empty());
}
