//! The action's download-and-verify script (`.github/action/install.sh`)
//! against a local HTTP server (Python's http.server on 127.0.0.1) serving a
//! fake release: a good checksum installs, a wrong one is refused, and an
//! unsupported runner gets a clear message.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/.github/action/install.sh");
const ARCHIVE: &str = "trainyard-v9.9.9-x86_64-unknown-linux-musl.tar.gz";

struct Server(Child, u16);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(dir: &Path) -> Server {
    let mut child = Command::new("python3")
        .args(["-u", "-c", "import http.server,socketserver,sys,os\nos.chdir(sys.argv[1])\nh=http.server.SimpleHTTPRequestHandler\ns=socketserver.TCPServer(('127.0.0.1',0),h)\nprint(s.server_address[1],flush=True)\ns.serve_forever()"])
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line.trim().parse().expect("a port");
    Server(child, port)
}

/// A release folder with a fake binary that prints "fake trainyard".
fn release(dir: &Path, good_sum: bool) {
    let stage = dir.join("stage");
    std::fs::create_dir_all(&stage).unwrap();
    std::fs::write(stage.join("trainyard"), "#!/bin/sh\necho fake trainyard\n").unwrap();
    let ok = Command::new("tar")
        .args(["-czf"])
        .arg(dir.join(ARCHIVE))
        .args(["-C"])
        .arg(&stage)
        .arg("trainyard")
        .status()
        .unwrap();
    assert!(ok.success());
    let bytes = std::fs::read(dir.join(ARCHIVE)).unwrap();
    let mut sum: String = ring::digest::digest(&ring::digest::SHA256, &bytes)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if !good_sum {
        sum = sum.replace(&sum[..4], "0000");
    }
    std::fs::write(
        dir.join("SHA256SUMS"),
        format!("{sum}  {ARCHIVE}\n0123  trainyard-v9.9.9-x86_64-apple-darwin.tar.gz\n"),
    )
    .unwrap();
}

fn install(base: &str, os: &str, arch: &str, tools: &Path) -> (bool, String, String) {
    install_version("v9.9.9", base, os, arch, tools)
}

fn install_version(
    version: &str,
    base: &str,
    os: &str,
    arch: &str,
    tools: &Path,
) -> (bool, String, String) {
    let path_file = tools.join("github_path");
    let out = Command::new("bash")
        .arg(SCRIPT)
        .env("TRAINYARD_VERSION", version)
        .env("TRAINYARD_DOWNLOAD_BASE", base)
        .env("RUNNER_OS", os)
        .env("RUNNER_ARCH", arch)
        .env("RUNNER_TOOL_CACHE", tools)
        .env("GITHUB_PATH", &path_file)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        std::fs::read_to_string(&path_file).unwrap_or_default(),
    )
}

#[test]
fn a_verified_binary_is_installed_and_a_wrong_one_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (good, bad, tools) = (
        dir.path().join("good"),
        dir.path().join("bad"),
        dir.path().join("tools"),
    );
    release(&good, true);
    release(&bad, false);
    let server = serve(dir.path());
    let base = |r: &str| format!("http://127.0.0.1:{}/{r}", server.1);

    // A wrong checksum: refused, nothing installed, the reason said.
    let (ok, err, path) = install(&base("bad"), "Linux", "X64", &tools);
    assert!(!ok, "installed despite a wrong checksum");
    assert!(err.contains("checksum mismatch"), "{err}");
    assert!(path.is_empty());
    let installed = tools.join("trainyard/9.9.9/x86_64-unknown-linux-musl/trainyard");
    assert!(!installed.exists());

    // The right one: installed, on the PATH, and it runs.
    let (ok, err, path) = install(&base("good"), "Linux", "X64", &tools);
    assert!(ok, "{err}");
    assert_eq!(path.trim(), installed.parent().unwrap().to_str().unwrap());
    let run = Command::new(&installed).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&run.stdout), "fake trainyard\n");

    // An archive SHA256SUMS does not list is refused too.
    let (ok, err, _) = install(&base("good"), "macOS", "ARM64", &dir.path().join("t2"));
    assert!(!ok);
    assert!(
        err.contains("cannot download") || err.contains("does not list"),
        "{err}"
    );
}

#[test]
fn an_unsupported_runner_is_told_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, err, _) = install("http://127.0.0.1:9", "FreeBSD", "X64", dir.path());
    assert!(!ok);
    assert!(
        err.contains("no trainyard binary for a FreeBSD X64 runner")
            && err.contains("cargo install --locked --git"),
        "{err}"
    );
}

#[test]
fn an_action_pinned_to_a_commit_or_branch_asks_for_the_release() {
    let dir = tempfile::tempdir().unwrap();
    for version in [
        "main",
        "0123456789abcdef0123456789abcdef01234567",
        "v1/../../etc",
        "v1 --x",
    ] {
        let (ok, err, path) =
            install_version(version, "http://127.0.0.1:9", "Linux", "X64", dir.path());
        assert!(!ok, "{version}");
        assert!(
            err.contains("is not a trainyard release") && err.contains("`version` input"),
            "{version}: {err}"
        );
        assert!(path.is_empty());
    }
}
