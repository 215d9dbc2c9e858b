//! `trainyard notify` and `trainyard remind` against real components: a
//! Synapse homeserver (matrix-synapse from PyPI, SQLite, on 127.0.0.1), a
//! local HTTP server standing in for Slack and a JSON endpoint, and aiosmtpd
//! for the process e-mails.

use crate::common::*;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};

const SUPPORT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support");
const H: &str = "releases/2026-11-30/handoffs/sync-server.yaml";

// ---------------------------------------------------------------- Synapse

/// A PYTHONPATH holding Synapse: none when Python has it (.ci/run installs
/// it), else a folder under the target directory pip installs it into once.
fn synapse_path() -> &'static Option<PathBuf> {
    static PATH: OnceLock<Option<PathBuf>> = OnceLock::new();
    PATH.get_or_init(|| python_path_for("synapse.app.homeserver", "matrix-synapse"))
}

/// The homeserver, its bot's token, another user's token and the room.
struct Synapse {
    url: String,
    token: String,
    other_token: String,
    room_id: String,
    alias: String,
}

/// One homeserver for the whole test binary, started on first use. It stops
/// when this process ends: its helper waits on our end of a pipe.
fn synapse() -> &'static Synapse {
    static SERVER: OnceLock<(Synapse, Mutex<Child>)> = OnceLock::new();
    &SERVER
        .get_or_init(|| {
            let work = tempfile::Builder::new()
                .prefix("synapse")
                .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
                .expect("temp dir")
                .keep();
            let mut c = Command::new("python3");
            if let Some(p) = synapse_path() {
                c.env("PYTHONPATH", p);
            }
            let mut child = c
                .arg(format!("{SUPPORT}/synapse.py"))
                .arg(&work)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .expect("python3");
            let mut line = String::new();
            BufReader::new(child.stdout.take().expect("stdout"))
                .read_line(&mut line)
                .expect("the homeserver's address");
            let v: Value = serde_json::from_str(&line).unwrap_or_else(|_| {
                panic!("Synapse did not start: {line:?} (see {})", work.display())
            });
            let s = |k: &str| v[k].as_str().expect(k).to_string();
            let server = Synapse {
                url: s("url"),
                token: s("token"),
                other_token: s("other_token"),
                room_id: s("room_id"),
                alias: s("alias"),
            };
            (server, Mutex::new(child))
        })
        .0
}

impl Synapse {
    /// The room's `m.room.message` events, oldest first: (txn-less content).
    fn messages(&self) -> Vec<Value> {
        let url = format!(
            "{}/_matrix/client/v3/rooms/{}/messages?dir=b&limit=100",
            self.url,
            self.room_id.replace('!', "%21").replace(':', "%3A")
        );
        let mut res = ureq::get(&url)
            .header("Authorization", format!("Bearer {}", self.token))
            .call()
            .expect("messages");
        let v: Value =
            serde_json::from_str(&res.body_mut().read_to_string().expect("body")).expect("json");
        let mut out: Vec<Value> = v["chunk"]
            .as_array()
            .expect("chunk")
            .iter()
            .filter(|e| e["type"] == "m.room.message")
            .map(|e| e["content"].clone())
            .collect();
        out.reverse();
        out
    }
}

// ---------------------------------------------------------- HTTP receiver

/// A request the receiver got.
#[derive(Debug, Clone)]
struct Request {
    method: String,
    path: String,
    content_type: String,
    body: Value,
}

/// A local HTTP server for the Slack and JSON webhooks: `/ok/…` answers 200
/// `ok`, `/refuse/…` 403 `invalid_token`, as Slack does.
struct Receiver {
    port: u16,
    got: Arc<Mutex<Vec<Request>>>,
}

impl Receiver {
    fn start() -> Receiver {
        let server = tiny_http::Server::http("127.0.0.1:0").expect("bind");
        let port = server.server_addr().to_ip().expect("ip").port();
        let got = Arc::new(Mutex::new(Vec::new()));
        let keep = Arc::clone(&got);
        std::thread::spawn(move || {
            for mut req in server.incoming_requests() {
                let mut body = String::new();
                let _ = std::io::Read::read_to_string(req.as_reader(), &mut body);
                let content_type = req
                    .headers()
                    .iter()
                    .find(|h| h.field.equiv("Content-Type"))
                    .map(|h| h.value.to_string())
                    .unwrap_or_default();
                let path = req.url().to_string();
                keep.lock().unwrap().push(Request {
                    method: req.method().to_string(),
                    path: path.clone(),
                    content_type,
                    body: serde_json::from_str(&body).unwrap_or(Value::String(body)),
                });
                let (code, text) = if path.starts_with("/refuse") {
                    (403, "invalid_token")
                } else {
                    (200, "ok")
                };
                let _ = req.respond(tiny_http::Response::from_string(text).with_status_code(code));
            }
        });
        Receiver { port, got }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn to(&self, prefix: &str) -> Vec<Request> {
        self.got
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.path.starts_with(prefix))
            .cloned()
            .collect()
    }
}

/// A server that accepts connections and never answers.
fn hanging_server() -> (std::net::TcpListener, u16) {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    (l, port)
}

// ---------------------------------------------------------------- fixture

/// The fixture with Git history: the base commit lacks the sync-server
/// hand-off (and the records after it); the working tree adds it.
fn merged_handoff(process: &str) -> Fixture {
    let f = Fixture::new();
    f.write("process.yaml", process);
    for rel in [H, &t("signoff.yaml"), &t("push.yaml"), &t("staging.yaml")] {
        f.remove(rel);
    }
    commit_base(&f);
    f.write(H, HANDOFF);
    f
}

/// `git init` and commit everything as the base of a change.
fn commit_base(f: &Fixture) {
    git(f.root(), &["init", "-q", "-b", "main"]);
    git(f.root(), &["add", "-A"]);
    let who = ["-c", "user.name=T", "-c", "user.email=t@example.com"];
    git(
        f.root(),
        &[&who[..], &["commit", "-q", "-m", "base"]].concat(),
    );
}

fn process(hooks: &str, extra: &str) -> String {
    format!(
        "name: Test process\nsite: {{ url: https://releases.example.com }}\nnotify:\n  webhooks:\n{hooks}{extra}"
    )
}

fn run(f: &Fixture, args: &[&str], env: &[(&str, String)]) -> (i32, String, String) {
    let mut c = f.cmd();
    c.args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The `run:` of the notify workflow `init --from-source` writes, run as
/// GitHub would: `${{ github.event.before }}` the base, secrets in `env:`.
fn run_workflow_step(f: &Fixture, base: &str, env: &[(&str, String)]) -> (i32, String, String) {
    let init = tempfile::tempdir().expect("temp dir");
    let target = init.path().join("r");
    let o = f
        .cmd()
        .args(["init", "--from-source"])
        .arg(&target)
        .output()
        .expect("init");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let yml =
        std::fs::read_to_string(target.join(".github/workflows/notify.yml")).expect("notify.yml");
    let args = yml
        .lines()
        .find_map(|l| l.trim().strip_prefix("ARGS: "))
        .expect("ARGS")
        .replace("${{ github.event.before }}", base);
    assert!(!args.contains("${{"), "{args}");
    let script: String = yml
        .split("run: |\n")
        .nth(1)
        .expect("the run script")
        .lines()
        .take_while(|l| l.starts_with("          "))
        .map(|l| format!("{}\n", l.trim_start()))
        .collect();
    // Every secret the step maps is one the test gives (or leaves empty, as
    // GitHub does for a secret that is not set).
    for key in [
        "TRAINYARD_SLACK_URL",
        "TRAINYARD_MATRIX_TOKEN",
        "TRAINYARD_HOOK_URL",
        "TRAINYARD_SMTP_URL",
    ] {
        assert!(
            yml.contains(&format!("{key}: ${{{{ secrets.{key} }}}}")),
            "{key}"
        );
    }
    let bin = assert_cmd::cargo::cargo_bin("trainyard");
    let path = format!(
        "{}:{}",
        bin.parent().expect("bin dir").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut c = Command::new("bash");
    c.arg("-euo").arg("pipefail").arg("-c").arg(&script);
    c.current_dir(f.root())
        .env("ARGS", args)
        .env("PATH", path)
        .env("NO_COLOR", "1");
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().expect("bash");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn head(f: &Fixture) -> String {
    let o = Command::new("git")
        .current_dir(f.root())
        .args(["rev-parse", "HEAD"])
        .output()
        .expect("git");
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

// ------------------------------------------------------------------ tests

#[test]
fn the_init_workflow_delivers_a_merged_hand_off_to_matrix_slack_json_and_mail_once() {
    let matrix = synapse();
    let hooks = Receiver::start();
    let smtp = crate::mail::Smtp::start("accept");
    let f = merged_handoff(&process(
        &format!(
            "    - {{ name: releases, format: slack, url_env: TRAINYARD_SLACK_URL }}\n\
             \x20   - {{ name: dashboard, format: json, url_env: TRAINYARD_HOOK_URL }}\n\
             \x20   - {{ name: qa-room, format: matrix, homeserver: {}, room: \"{}\", token_env: TRAINYARD_MATRIX_TOKEN }}\n",
            matrix.url, matrix.alias
        ),
        "  mail: true\n",
    ));
    let env = vec![
        (
            "TRAINYARD_SLACK_URL",
            hooks.url("/ok/slack/T000/B000/s3cret"),
        ),
        ("TRAINYARD_HOOK_URL", hooks.url("/ok/json")),
        ("TRAINYARD_MATRIX_TOKEN", matrix.token.clone()),
        ("TRAINYARD_SMTP_URL", smtp.url()),
    ];
    let before = matrix.messages().len();
    let base = head(&f);
    let (code, out, err) = run_workflow_step(&f, &base, &env);
    assert_eq!(code, 0, "{out}\n{err}");
    let id_line = out.lines().next().expect("a message");
    let id = id_line.split(' ').next().unwrap().to_string();
    assert!(id.starts_with("2026-11-30.handoff.sync-server."), "{out}");
    assert_eq!(
        id.len(),
        "2026-11-30.handoff.sync-server.".len() + 12,
        "{id}"
    );
    assert!(
        id_line.contains("sent to releases, dashboard, qa-room, mail"),
        "{out}"
    );
    assert!(
        !out.contains("s3cret") && !err.contains("s3cret"),
        "{out}{err}"
    );

    // Slack: an incoming webhook's JSON, text and a mrkdwn section.
    let slack = hooks.to("/ok/slack");
    assert_eq!(slack.len(), 1);
    assert_eq!(slack[0].method, "POST");
    assert_eq!(slack[0].content_type, "application/json");
    let b = &slack[0].body;
    assert!(
        b["text"]
            .as_str()
            .unwrap()
            .starts_with("Hand-off: sync-server v1.14.2 by Alice Example"),
        "{b}"
    );
    assert_eq!(b["blocks"][0]["type"], "section");
    assert_eq!(b["blocks"][0]["text"]["type"], "mrkdwn");
    assert!(
        b["blocks"][0]["text"]["text"]
            .as_str()
            .unwrap()
            .starts_with("*Hand-off*: sync-server v1.14.2"),
        "{b}"
    );
    assert_eq!(b["blocks"][1]["type"], "context");
    assert_eq!(
        b["blocks"][1]["elements"][0]["text"],
        "<https://releases.example.com/releases/2026-11-30/|Release page>"
    );

    // JSON: the event as `notify --format json` prints it.
    let json = hooks.to("/ok/json");
    assert_eq!(json.len(), 1);
    let e = &json[0].body;
    assert_eq!(e["event"], "handoff");
    assert_eq!(e["train"], "2026-11-30");
    assert_eq!(e["project"], "sync-server");
    assert_eq!(e["id"], id.as_str());
    assert_eq!(
        e["url"],
        "https://releases.example.com/releases/2026-11-30/"
    );
    assert_eq!(
        e["to"],
        serde_json::json!(["releases", "dashboard", "qa-room", "mail"])
    );

    // Matrix: one m.text with an HTML body, mentioning no one.
    let msgs = matrix.messages();
    assert_eq!(msgs.len(), before + 1, "{msgs:?}");
    let m = msgs.last().unwrap();
    assert_eq!(m["msgtype"], "m.text");
    assert!(
        m["body"]
            .as_str()
            .unwrap()
            .starts_with("Hand-off: sync-server v1.14.2 by Alice Example"),
        "{m}"
    );
    assert_eq!(m["format"], "org.matrix.custom.html");
    assert!(
        m["formatted_body"]
            .as_str()
            .unwrap()
            .starts_with("<strong>Hand-off</strong>: sync-server"),
        "{m}"
    );
    assert_eq!(m["m.mentions"], serde_json::json!({}));

    // Mail: the hand-off e-mail, with the message's id as its Message-ID.
    let mails = smtp.received();
    assert_eq!(mails.len(), 1);
    assert_eq!(
        mails[0].1,
        vec!["services-qa@example.com", "services-ops@example.com"]
    );
    let parsed = crate::mail::parse(&mails[0].2);
    assert_eq!(
        parsed["headers"]["message-id"],
        format!("<{id}@example.com>")
    );
    assert_eq!(
        parsed["headers"]["subject"],
        "[release 2026-11-30] Hand-off: sync-server v1.14.2"
    );

    // A re-run of the job is still one message in the room (the id is the
    // transaction id).
    let (code, out2, _) = run_workflow_step(&f, &base, &env);
    assert_eq!(code, 0);
    assert_eq!(out2.lines().next().unwrap().split(' ').next().unwrap(), id);
    assert_eq!(matrix.messages().len(), before + 1);

    // A room given by its id works the same.
    f.edit(
        "process.yaml",
        &format!("\"{}\"", matrix.alias),
        &format!("\"{}\"", matrix.room_id),
    );
    let (code, _, err) = run(&f, &["notify", "--base", &base, "--send"], &env);
    assert_eq!(code, 0, "{err}");
    assert_eq!(matrix.messages().len(), before + 1);
}

#[test]
fn a_channel_that_fails_is_exit_2_names_no_secret_and_stops_no_other() {
    let matrix = synapse();
    let hooks = Receiver::start();
    let (_hang, hang_port) = hanging_server();
    let f = merged_handoff(&process(
        &format!(
            "    - {{ name: good, format: json, url_env: TY_GOOD }}\n\
             \x20   - {{ name: refusing, format: slack, url_env: TY_REFUSING }}\n\
             \x20   - {{ name: unset, format: slack, url_env: TY_UNSET }}\n\
             \x20   - {{ name: not-a-url, format: json, url_env: TY_NOT_URL }}\n\
             \x20   - {{ name: hanging, format: json, url_env: TY_HANGING }}\n\
             \x20   - {{ name: bad-token, format: matrix, homeserver: {}, room: \"{}\", token_env: TY_BAD_TOKEN }}\n\
             \x20   - {{ name: not-in-room, format: matrix, homeserver: {}, room: \"{}\", token_env: TY_OUTSIDER }}\n",
            matrix.url, matrix.room_id, matrix.url, matrix.room_id
        ),
        "",
    ));
    let env = vec![
        ("TY_GOOD", hooks.url("/ok/good")),
        ("TY_REFUSING", hooks.url("/refuse/s3cret-slack")),
        ("TY_NOT_URL", "file:///etc/s3cret-passwd".to_string()),
        (
            "TY_HANGING",
            format!("http://127.0.0.1:{hang_port}/s3cret-hang"),
        ),
        ("TY_BAD_TOKEN", "syt_s3cret_not_a_token".to_string()),
        ("TY_OUTSIDER", matrix.other_token.clone()),
    ];
    let base = head(&f);
    let started = std::time::Instant::now();
    let (code, out, err) = run(
        &f,
        &["notify", "--base", &base, "--send", "--timeout", "2"],
        &env,
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "bounded: {:?}",
        started.elapsed()
    );
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(!format!("{out}{err}").contains("s3cret"), "{out}\n{err}");
    assert!(
        !format!("{out}{err}").contains(&matrix.other_token),
        "{out}\n{err}"
    );
    assert_eq!(
        hooks.to("/ok/good").len(),
        1,
        "the good webhook still got it"
    );
    assert!(out.contains("(sent to good)"), "{out}");
    for (name, why) in [
        ("refusing", "HTTP 403 (invalid_token)"),
        ("unset", "TY_UNSET (the webhook's URL) is not set"),
        ("not-a-url", "TY_NOT_URL does not hold an http or https URL"),
        ("hanging", "did not answer in time"),
        ("bad-token", "HTTP 401 (M_UNKNOWN_TOKEN)"),
        ("not-in-room", "HTTP 403 (M_FORBIDDEN)"),
    ] {
        assert!(
            err.lines()
                .any(|l| l.contains(&format!("did not reach {name}: ")) && l.contains(why)),
            "{name}: {why}\n{err}"
        );
    }
    // The same in JSON, with no secret either.
    let (code, out, err) = run(
        &f,
        &[
            "notify",
            "--base",
            &base,
            "--send",
            "--timeout",
            "2",
            "--format",
            "json",
        ],
        &env,
    );
    assert_eq!(code, 2);
    assert!(!format!("{out}{err}").contains("s3cret"));
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["dry_run"], false);
    assert_eq!(v["sent"][0]["to"], serde_json::json!(["good"]));
    assert_eq!(v["failed"].as_array().unwrap().len(), 6, "{v}");
}

#[test]
fn a_record_with_errors_sends_nothing_and_a_missing_base_is_exit_2() {
    let hooks = Receiver::start();
    let f = merged_handoff(&process(
        "    - { name: hook, format: json, url_env: TY_HOOK }\n",
        "",
    ));
    f.edit(H, "status: passing", "status: failing");
    let env = vec![("TY_HOOK", hooks.url("/ok/hook"))];
    let base = head(&f);
    let (code, out, err) = run(
        &f,
        &["notify", "--base", &base, "--send", "--format", "json"],
        &env,
    );
    assert_eq!(code, 1, "{out}\n{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["sent"], serde_json::json!([]));
    assert_eq!(v["refused"][0]["file"], H);
    assert_eq!(v["refused"][0]["problems"][0]["rule"], "handoff-checklist");
    assert!(hooks.to("/").is_empty());
    let (code, _, err) = run(&f, &["notify", "--base", &base, "--send"], &env);
    assert_eq!(code, 1);
    assert!(
        err.contains("nothing was sent for releases/2026-11-30/handoffs/sync-server.yaml"),
        "{err}"
    );

    let (code, _, err) = run(&f, &["notify", "--base", "no-such-commit"], &env);
    assert_eq!(code, 2);
    assert!(err.contains("`no-such-commit` is not a revision"), "{err}");
    // Without --send nothing is sent, and no secret is needed.
    f.write(H, HANDOFF);
    let (code, out, _) = run(&f, &["notify", "--base", &base], &[]);
    assert_eq!(code, 0);
    assert!(out.contains("would send to hook"), "{out}");
    assert!(hooks.to("/").is_empty());
}

#[test]
fn record_text_is_escaped_for_each_format_and_mentions_no_one() {
    let matrix = synapse();
    let hooks = Receiver::start();
    let f = Fixture::new();
    f.write(
        "process.yaml",
        &process(
            &format!(
                "    - {{ name: s, format: slack, url_env: TY_S }}\n\
                 \x20   - {{ name: j, format: json, url_env: TY_J }}\n\
                 \x20   - {{ name: m, format: matrix, homeserver: {}, room: \"{}\", token_env: TY_M }}\n",
                matrix.url, matrix.room_id
            ),
            "",
        ),
    );
    commit_base(&f);
    let hostile = r#"@channel <!here> @room <b>x</b> & *y* \u202Eevil\r\nSubject: z"#;
    let staging = f.read(&t("staging.yaml"));
    f.write(
        &t("staging.yaml"),
        &format!("{staging}  - {{ at: 2026-11-26 11:00, by: oscar, summary: \"{hostile}\", test_notified_at: 2026-11-26 11:05 }}\n"),
    );
    let env = vec![
        ("TY_S", hooks.url("/ok/s")),
        ("TY_J", hooks.url("/ok/j")),
        ("TY_M", matrix.token.clone()),
    ];
    let (code, out, err) = run(&f, &["notify", "--base", "HEAD", "--send"], &env);
    assert_eq!(code, 0, "{out}\n{err}");
    let slack = &hooks.to("/ok/s")[0].body;
    let section = slack["blocks"][0]["text"]["text"].as_str().unwrap();
    assert!(
        section.contains("＠channel &lt;!here&gt; ＠room &lt;b&gt;x&lt;/b&gt; &amp;"),
        "{section}"
    );
    assert!(
        !section.contains("<!") && !section.contains('\n') && !section.contains('\u{202E}'),
        "{section}"
    );
    assert!(section.contains("\\u{202e}evil Subject: z"), "{section}");
    let json = &hooks.to("/ok/j")[0].body;
    assert!(
        json["text"].as_str().unwrap().contains("＠channel <!here>"),
        "{json}"
    );
    let m = matrix.messages().into_iter().last().unwrap();
    let html = m["formatted_body"].as_str().unwrap();
    assert!(
        html.contains("＠channel &lt;!here&gt; ＠room &lt;b&gt;x&lt;/b&gt; &amp;"),
        "{html}"
    );
    assert!(!m["body"].as_str().unwrap().contains("@room"), "{m}");
    assert_eq!(m["m.mentions"], serde_json::json!({}));
}

#[test]
fn notify_settings_are_checked_with_their_lines() {
    let f = Fixture::new();
    f.write(
        "process.yaml",
        "name: Test process\n\
         notify:\n\
         \x20 webhooks:\n\
         \x20   - { name: a, format: teams, url_env: X }\n\
         \x20   - { name: b, format: slack, url_env: \"https://hooks.slack.com/services/T/B/x\" }\n\
         \x20   - { name: c, format: matrix, homeserver: matrix.example.com, room: \"#qa:example.com\", token_env: T }\n\
         \x20   - { name: d, format: matrix, homeserver: https://m.example.com, room: qa, token_env: T }\n\
         \x20 events: [handoff, hand-off]\n\
         \x20 reminders: [24h, 2 days]\n",
    );
    let out = f.check();
    let at = |rule: &str, line: u64| {
        let here: Vec<_> = out
            .of(rule)
            .into_iter()
            .filter(|d| d.line == line && d.file == "process.yaml")
            .collect();
        assert_eq!(here.len(), 1, "{rule} at {line}: {here:?}");
        here[0].message.clone()
    };
    assert!(at("schema", 4).contains("unknown webhook format `teams`"));
    assert!(at("schema", 5).contains("is not an environment variable's name"));
    assert!(at("bad-url", 6).contains("`matrix.example.com` is not an absolute http or https URL"));
    assert!(at("schema", 7).contains("`qa` is not a Matrix room"));
    assert!(at("schema", 8).contains("unknown event `hand-off`"));
    assert!(at("schema", 9).contains("`2 days` is not a lead time"));
}

/// The fixture's train before anything is recorded, with reminders and a
/// hand-off owner.
fn upcoming() -> Fixture {
    let f = Fixture::new();
    f.write(
        "process.yaml",
        "name: Test process\nrotation: { role: dev, order: [alice, bob], from: 2026-11-30 }\nnotify:\n  webhooks:\n    - { name: hook, format: json, url_env: TY_HOOK }\n  reminders: [24h, 2h]\n",
    );
    f.edit(
        &t("train.yaml"),
        "bugs: [1234567]",
        "bugs: [1234567]\n    owner: bob",
    );
    for rel in [H, &t("staging.yaml"), &t("signoff.yaml"), &t("push.yaml")] {
        f.remove(rel);
    }
    f
}

#[test]
fn each_reminder_falls_in_exactly_one_hourly_run_and_names_who_owes_it() {
    let f = upcoming();
    // Every hourly run from the planning meeting to the push, as the remind
    // workflow runs them (the top of each hour).
    let start = chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let mut ids: Vec<String> = Vec::new();
    let mut owners = std::collections::BTreeMap::new();
    for h in 0..(8 * 24) {
        let now = (start + chrono::Duration::hours(h))
            .format("%Y-%m-%d %H:%M")
            .to_string();
        let (code, out, err) = run(&f, &["remind", "--now", &now, "--format", "json"], &[]);
        assert_eq!(code, 0, "{err}");
        let v: Value = serde_json::from_str(&out).expect("json");
        for m in v["sent"].as_array().unwrap() {
            if m["train"] != "2026-11-30" {
                continue;
            }
            ids.push(m["id"].as_str().unwrap().to_string());
            owners.insert(m["step"].as_str().unwrap().to_string(), m["owners"].clone());
            assert_eq!(m["to"], serde_json::json!(["hook"]));
            // It is sent in the hour before the lead time reaches the deadline.
            let due = chrono::DateTime::parse_from_rfc3339(m["due"].as_str().unwrap()).unwrap();
            let lead = if m["lead"] == "24h" { 24 } else { 2 };
            let at = due - chrono::Duration::hours(lead);
            assert_eq!(at.format("%Y-%m-%d %H:%M").to_string(), now, "{m}");
        }
    }
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        sorted.len(),
        ids.len(),
        "a reminder was sent twice: {ids:?}"
    );
    assert_eq!(
        sorted,
        [
            "2026-11-30.reminder.handoff.sync-server.24h",
            "2026-11-30.reminder.handoff.sync-server.2h",
            "2026-11-30.reminder.signoff.24h",
            "2026-11-30.reminder.signoff.2h",
            "2026-11-30.reminder.staging.24h",
            "2026-11-30.reminder.staging.2h",
            "2026-11-30.reminder.window.24h",
            "2026-11-30.reminder.window.2h",
        ]
    );
    // The feature's owner, the roles' people, and the driver with Test and Ops.
    assert_eq!(owners["handoff"], serde_json::json!(["bob"]));
    assert_eq!(owners["signoff"], serde_json::json!(["quinn", "tara"]));
    assert_eq!(owners["staging"], serde_json::json!(["oscar", "olga"]));
    assert_eq!(
        owners["window"],
        serde_json::json!(["alice", "quinn", "tara", "oscar", "olga"])
    );

    // A recorded step is not reminded of.
    f.write(H, HANDOFF);
    let (_, out, _) = run(
        &f,
        &["remind", "--now", "2026-11-24 15:00", "--format", "json"],
        &[],
    );
    assert!(!out.contains("reminder.handoff"), "{out}");
    // Without an owner, the dev role owes the hand-off.
    f.remove(H);
    f.edit(&t("train.yaml"), "\n    owner: bob", "");
    let (_, out, _) = run(&f, &["remind", "--now", "2026-11-24 15:00"], &[]);
    assert!(out.contains("Reminder: the sync-server hand-off is due 2026-11-24 17:00 PST (in 2 h); owed by Alice Example, Bob Example"), "{out}");
}

#[test]
fn reminders_reach_the_webhook_and_each_owner_by_mail() {
    let hooks = Receiver::start();
    let smtp = crate::mail::Smtp::start("accept");
    let f = upcoming();
    f.edit(
        "process.yaml",
        "reminders: [24h, 2h]",
        "reminders: [24h, 2h]\n  mail: true",
    );
    let env = vec![
        ("TY_HOOK", hooks.url("/ok/hook")),
        ("TRAINYARD_SMTP_URL", smtp.url()),
    ];
    let (code, out, err) = run(&f, &["remind", "--now", "2026-11-24 15:00", "--send"], &env);
    assert_eq!(code, 0, "{out}\n{err}");
    let got = hooks.to("/ok/hook");
    assert_eq!(got.len(), 1, "{got:?}");
    let b = &got[0].body;
    assert_eq!(b["event"], "reminder");
    assert_eq!(b["step"], "handoff");
    assert_eq!(b["due"], "2026-11-24T17:00:00-08:00");
    assert_eq!(b["lead"], "2h");
    assert_eq!(b["owners"], serde_json::json!(["bob"]));
    let mails = smtp.received();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].1, vec!["bob@example.com"]);
    let parsed = crate::mail::parse(&mails[0].2);
    assert_eq!(
        parsed["headers"]["message-id"],
        "<2026-11-30.reminder.handoff.sync-server.2h@example.com>"
    );
    assert!(
        parsed["plain"]
            .as_str()
            .unwrap()
            .contains("the sync-server hand-off is due"),
        "{parsed}"
    );
    // An hour later nothing is due.
    let (code, out, _) = run(&f, &["remind", "--now", "2026-11-24 16:00", "--send"], &env);
    assert_eq!(code, 0);
    assert!(out.contains("no reminder is due"), "{out}");
    assert_eq!(hooks.to("/ok/hook").len(), 1);
    // A bad --since is exit 2.
    let (code, _, err) = run(&f, &["remind", "--since", "an hour"], &env);
    assert_eq!(code, 2);
    assert!(
        err.contains("--since: `an hour` is not a duration"),
        "{err}"
    );
}

/// The fixture's records without any send time (and the hand-off without
/// its `notification`).
fn without_send_times(f: &Fixture) {
    let handoff = HANDOFF.split("notification:").next().expect("the hand-off");
    f.write(H, handoff);
    f.write(
        &t("signoff.yaml"),
        &SIGNOFF.replace("notified_at: 2026-11-27 16:05\n", ""),
    );
    f.write(
        &t("staging.yaml"),
        &STAGING.replace(", test_notified_at: 2026-11-26 10:05 }", " }"),
    );
    f.write(
        &t("push.yaml"),
        &PUSH.replace("  notified_at: 2026-11-30 16:35\n", ""),
    );
}

#[test]
fn with_notify_mail_trainyard_sends_and_the_send_times_are_optional() {
    let f = Fixture::new();
    without_send_times(&f);
    // Without notify.mail, each missing send time is an error at its place.
    let out = f.check();
    let schema: Vec<_> = out
        .of("schema")
        .into_iter()
        .map(|d| (d.file.clone(), d.line, d.message.clone()))
        .collect();
    assert!(
        schema.contains(&(
            H.to_string(),
            1,
            "missing required field `notification`".to_string()
        )),
        "{schema:?}"
    );
    assert!(
        schema.contains(&(
            t("signoff.yaml"),
            1,
            "missing required field `notified_at`".to_string()
        )),
        "{schema:?}"
    );
    assert!(
        schema
            .iter()
            .any(|(f, _, m)| f == &t("staging.yaml") && m.contains("`test_notified_at`")),
        "{schema:?}"
    );
    assert_eq!(out.of("push-validation").len(), 1);

    // With it, the records are complete as they are.
    f.write(
        "process.yaml",
        "name: Test process\nnotify:\n  mail: true\n",
    );
    f.check().clean();
    let (_, status, _) = run(&f, &["status", "--train", "2026-11-30", "--now", NOW], &[]);
    assert!(
        status.contains("e-mail (sync-server): sent by trainyard when the record is merged"),
        "{status}"
    );

    // The hand-off merged: notify sends its e-mail to the role lists.
    let smtp = crate::mail::Smtp::start("accept");
    f.remove(H);
    commit_base(&f);
    without_send_times(&f);
    f.write(H, HANDOFF.split("notification:").next().unwrap());
    let env = vec![("TRAINYARD_SMTP_URL", smtp.url())];
    let (code, out, err) = run(
        &f,
        &["notify", "--base", "HEAD", "--send", "--now", NOW],
        &env,
    );
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("(sent to mail)"), "{out}");
    let mails = smtp.received();
    assert_eq!(mails.len(), 1);
    assert_eq!(
        mails[0].1,
        vec!["services-qa@example.com", "services-ops@example.com"]
    );

    // Once merged, the release page gives the commit's time as the send time.
    git(f.root(), &["add", "-A"]);
    git(
        f.root(),
        &[
            "-c",
            "user.name=Alice Example",
            "-c",
            "user.email=alice@example.com",
            "commit",
            "-q",
            "-m",
            "Hand off sync-server",
            "--date",
            "2026-11-24T16:20:00-08:00",
        ],
    );
    let site = f.path("site");
    f.build_site(NOW, &site);
    let page = std::fs::read_to_string(site.join(format!("{T}/index.html"))).unwrap();
    assert!(page.contains("sent by trainyard on merge, "), "{page}");
    assert!(
        page.contains("to services-qa@example.com cc services-ops@example.com"),
        "{page}"
    );

    // `new handoff` leaves the e-mail to trainyard.
    let (code, _, err) = run(
        &f,
        &[
            "new",
            "handoff",
            "token-server",
            "--train",
            "2026-11-30",
            "--now",
            "2026-11-24 10:00",
        ],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    let scaffold = f.read(&t("handoffs/token-server.yaml"));
    assert!(!scaffold.contains("notification:"), "{scaffold}");
    assert!(
        scaffold.contains("when this is merged (notify.mail)"),
        "{scaffold}"
    );
}

#[test]
fn the_monthly_meeting_is_reminded_to_its_required_roles() {
    let f = Fixture::new();
    f.write(
        "process.yaml",
        "name: Test process\nnotify:\n  reminders: [24h]\n",
    );
    // December's meeting is recorded; January's (the first Thursday, 10:00) is not.
    let (code, out, err) = run(
        &f,
        &["remind", "--now", "2027-01-06 10:00", "--format", "json"],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    let m = &v["sent"][0];
    assert_eq!(m["id"], "2027-01-07.reminder.planning.24h", "{v}");
    assert_eq!(m["due"], "2027-01-07T10:00:00-08:00");
    assert_eq!(m["owners"], serde_json::json!(["sam"]));
    // Recorded, it is not reminded of.
    f.write(
        "planning/2027-01.yaml",
        &PLANNING
            .replace("2026-12-03", "2027-01-07")
            .replace("[2026-12-07, 2026-12-14]", "[]"),
    );
    let (_, out, _) = run(&f, &["remind", "--now", "2027-01-06 10:00"], &[]);
    assert!(out.contains("no reminder is due"), "{out}");
}

#[test]
fn a_new_record_that_cannot_be_read_sends_nothing() {
    let hooks = Receiver::start();
    let f = merged_handoff(&process(
        "    - { name: hook, format: json, url_env: TY_HOOK }\n",
        "",
    ));
    f.write(
        "releases/2026-11-30/handoffs/token-server.yaml",
        "project: token-server\nby: [unclosed\n",
    );
    let env = vec![("TY_HOOK", hooks.url("/ok/hook"))];
    let (code, out, _) = run(
        &f,
        &["notify", "--base", "HEAD", "--send", "--format", "json"],
        &env,
    );
    assert_eq!(code, 1, "{out}");
    let v: Value = serde_json::from_str(&out).expect("json");
    // The readable hand-off is told; the broken one is refused with its problem.
    assert_eq!(v["sent"][0]["project"], "sync-server");
    assert_eq!(
        v["refused"][0]["file"],
        "releases/2026-11-30/handoffs/token-server.yaml"
    );
    assert_eq!(v["refused"][0]["problems"][0]["rule"], "yaml-syntax");
    assert_eq!(hooks.to("/ok/hook").len(), 1);
}

#[test]
fn a_hanging_webhook_costs_one_timeout_however_many_messages() {
    let hooks = Receiver::start();
    let (_hang, hang_port) = hanging_server();
    let f = merged_handoff(&process(
        "    - { name: good, format: json, url_env: TY_GOOD }\n    - { name: hanging, format: json, url_env: TY_HANGING }\n",
        "",
    ));
    // The change brings the whole train: six events.
    for (rel, text) in [
        (t("staging.yaml"), STAGING),
        (t("signoff.yaml"), SIGNOFF),
        (t("push.yaml"), PUSH),
    ] {
        f.write(&rel, text);
    }
    let env = vec![
        ("TY_GOOD", hooks.url("/ok/good")),
        ("TY_HANGING", format!("http://127.0.0.1:{hang_port}/")),
    ];
    let started = std::time::Instant::now();
    let (code, out, err) = run(
        &f,
        &["notify", "--base", "HEAD", "--send", "--timeout", "3"],
        &env,
    );
    let took = started.elapsed();
    assert_eq!(code, 2, "{out}\n{err}");
    assert_eq!(hooks.to("/ok/good").len(), 6, "{out}");
    assert_eq!(err.matches("did not reach hanging").count(), 6, "{err}");
    assert_eq!(err.matches("not tried again after").count(), 5, "{err}");
    // One timeout (3 s), not six.
    assert!(took < std::time::Duration::from_secs(9), "{took:?}");

    // A token is not sent in clear to another machine.
    f.write(
        "process.yaml",
        &process(
            "    - { name: room, format: matrix, homeserver: http://matrix.example.com, room: \"!r:example.com\", token_env: TY_TOKEN }\n",
            "",
        ),
    );
    let (code, _, err) = run(
        &f,
        &["notify", "--base", "HEAD", "--send"],
        &[("TY_TOKEN", "s3cret".into())],
    );
    assert_eq!(code, 2);
    assert!(err.contains("not sent over plain http"), "{err}");
    assert!(!err.contains("s3cret"));
}

#[test]
fn nothing_is_sent_while_the_roster_cannot_be_read() {
    let hooks = Receiver::start();
    let f = merged_handoff(&process(
        "    - { name: hook, format: json, url_env: TY_HOOK }\n",
        "",
    ));
    f.write(
        "people.yaml",
        "people:\n  - { handle: alice, name: [broken\n",
    );
    let env = vec![("TY_HOOK", hooks.url("/ok/hook"))];
    let (code, out, _) = run(
        &f,
        &["notify", "--base", "HEAD", "--send", "--format", "json"],
        &env,
    );
    assert_eq!(code, 1, "{out}");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["sent"], serde_json::json!([]));
    assert_eq!(v["refused"][0]["file"], H);
    assert_eq!(v["refused"][0]["problems"][0]["rule"], "yaml-syntax");
    assert!(hooks.to("/").is_empty());
}

#[test]
fn each_new_staging_notice_gets_its_own_e_mail() {
    let smtp = crate::mail::Smtp::start("accept");
    let f = Fixture::new();
    f.write(
        "process.yaml",
        "name: Test process\nnotify:\n  mail: true\n",
    );
    commit_base(&f);
    let staging = f.read(&t("staging.yaml"));
    f.write(
        &t("staging.yaml"),
        &format!(
            "{staging}  - {{ at: 2026-11-26 11:00, by: oscar, summary: Cache flushed }}\n  - {{ at: 2026-11-26 12:00, by: olga, summary: Disk replaced }}\n"
        ),
    );
    let env = vec![("TRAINYARD_SMTP_URL", smtp.url())];
    let (code, out, err) = run(
        &f,
        &["notify", "--base", "HEAD", "--send", "--now", NOW],
        &env,
    );
    assert_eq!(code, 0, "{out}\n{err}");
    let subjects: Vec<String> = smtp
        .received()
        .iter()
        .map(|(_, _, bytes)| {
            crate::mail::parse(bytes)["headers"]["subject"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        subjects,
        [
            "[release 2026-11-30] Staging notice: Cache flushed",
            "[release 2026-11-30] Staging notice: Disk replaced"
        ]
    );
}

#[test]
fn a_message_with_an_e_mail_has_that_e_mails_id() {
    let f = merged_handoff(&process(
        "    - { name: hook, format: json, url_env: TY_HOOK }\n",
        "",
    ));
    let (code, out, err) = run(
        &f,
        &["notify", "--base", "HEAD", "--format", "json", "--now", NOW],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    let id = v["sent"][0]["id"].as_str().unwrap().to_string();
    let (code, mail, err) = run(
        &f,
        &[
            "mail",
            "handoff",
            "sync-server",
            "--train",
            "2026-11-30",
            "--now",
            NOW,
        ],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        mail.contains(&format!("Message-ID: <{id}@example.com>")),
        "{id}\n{mail}"
    );
}
