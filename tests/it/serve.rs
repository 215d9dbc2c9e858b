//! `trainyard serve` on loopback: pages are served, a change is picked up, a
//! broken record shows its diagnostics, and the server is stopped at the end.
//! Every loop is bounded; only 127.0.0.1 is contacted.

use crate::common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills the server when the test ends, however it ends.
struct Server(Child, u16);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(f: &Fixture) -> Server {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("trainyard"))
        .args(["serve", "--port", "0", "--now", NOW, "--root"])
        .arg(f.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start trainyard serve");
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("serve printed its address");
    let port = line
        .rsplit(':')
        .next()
        .and_then(|p| p.split('/').next())
        .and_then(|p| p.parse().ok())
        .expect(&line);
    Server(child, port)
}

/// A plain HTTP/1.0 GET on loopback: (status code, body).
fn get(port: u16, path: &str) -> (u16, String) {
    get_as(port, path, "127.0.0.1")
}

/// Poll `path` until `want` appears, for at most `limit`.
fn wait_for(port: u16, path: &str, want: &str, limit: Duration) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if get(port, path).1.contains(want) {
            return Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

#[test]
fn serves_rebuilds_on_change_and_shows_broken_records() {
    let f = Fixture::new();
    let server = start(&f);
    let port = server.1;
    let (code, home) = get(port, "/");
    assert_eq!(code, 200);
    assert!(
        home.contains("Release 2026-11-30") && home.contains("EventSource"),
        "{home}"
    );
    assert_eq!(get(port, "/releases/2026-11-30/index.html").0, 200);
    assert_eq!(get(port, "/no/such/page.html").0, 404);

    f.edit(
        &t("train.yaml"),
        "summary: Per-user storage quotas",
        "summary: Quotas, second edition",
    );
    // Bounded at 10 s for a loaded CI machine; locally it takes about 100-200 ms.
    let took = wait_for(
        port,
        "/releases/2026-11-30/index.html",
        "Quotas, second edition",
        Duration::from_secs(10),
    );
    assert!(took.is_some(), "the change was not picked up");

    f.write(&t("staging.yaml"), "pushed_by: [unclosed\n");
    assert!(wait_for(
        port,
        "/releases/2026-11-30/index.html",
        "yaml-syntax",
        Duration::from_secs(10)
    )
    .is_some());
    // The server is still up after a broken file.
    assert_eq!(get(port, "/").0, 200);
}

/// A raw request with its own Host header: (status code, whole response).
fn get_as(port: u16, path: &str, host: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").unwrap();
    let mut text = String::new();
    let _ = s.read_to_string(&mut text);
    let code = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (code, text)
}

#[test]
fn only_this_machine_by_its_own_names_is_answered() {
    let f = Fixture::new();
    let server = start(&f);
    let port = server.1;
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "localhost".into(),
    ] {
        let (code, body) = get_as(port, "/", &host);
        assert_eq!(code, 200, "{host}: {body}");
    }
    // A page elsewhere whose name was made to resolve to 127.0.0.1.
    for host in [
        "evil.example",
        &format!("evil.example:{port}"),
        "127.0.0.1:1",
    ] {
        let (code, body) = get_as(port, "/", host);
        assert_eq!(code, 421, "{host}: {body}");
        assert!(!body.contains("sync-server"), "{host}: the site was served");
        let (code, _) = get_as(port, "/__trainyard/events", host);
        assert_eq!(code, 421, "{host}");
    }
}

#[test]
fn held_live_reload_streams_neither_stop_the_server_nor_block_pages() {
    let f = Fixture::new();
    let server = start(&f);
    let port = server.1;
    // 55 pages left open, each holding its event stream.
    let mut held = Vec::new();
    let mut refused = 0;
    for _ in 0..55 {
        let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(
            s,
            "GET /__trainyard/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
        )
        .unwrap();
        let mut first = [0u8; 12];
        s.read_exact(&mut first).expect("a status line");
        if first.starts_with(b"HTTP/1.1 503") {
            refused += 1;
        }
        held.push(s);
    }
    assert_eq!(refused, 55 - 16, "streams past the bound are refused");
    let (code, body) = get(port, "/");
    assert_eq!(code, 200, "{body}");
    drop(held);
    let mut child = server;
    assert!(
        child.0.try_wait().unwrap().is_none(),
        "serve is still running"
    );
}
