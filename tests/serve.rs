//! `trainyard serve` on loopback: pages are served, a change is picked up, a
//! broken record shows its diagnostics, and the server is stopped at the end.
//! Every loop is bounded; only 127.0.0.1 is contacted.

mod common;
use common::*;
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
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut text = String::new();
    let _ = s.read_to_string(&mut text);
    let code = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (code, text)
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
