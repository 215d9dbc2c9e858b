//! The action's download-and-verify script (`.github/action/install.sh`)
//! against a local HTTP server (Python's http.server on 127.0.0.1) serving a
//! fake release: a good checksum installs, a wrong one is refused, and an
//! unsupported runner gets a clear message. And the whole path a team takes:
//! `trainyard init`, then its check workflow's step through the action, with
//! this build packaged by release.yml's own Package step and served as the
//! release the workflow names.

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

/// A step of action.yml or of a workflow, as far as these tests read it.
#[derive(serde::Deserialize)]
struct Step {
    name: Option<String>,
    uses: Option<String>,
    run: Option<String>,
    #[serde(default)]
    with: std::collections::BTreeMap<String, serde_json::Value>,
}

/// The `run` script of the step called `name`.
fn named_step(yaml: &str, pointer: &str, name: &str) -> String {
    steps(yaml, pointer)
        .into_iter()
        .find(|s| s.name.as_deref() == Some(name))
        .and_then(|s| s.run)
        .unwrap_or_else(|| panic!("no step {name} with a run script"))
}

fn steps(yaml: &str, pointer: &str) -> Vec<Step> {
    let doc: serde_json::Value = serde_saphyr::from_str(yaml).expect("YAML");
    serde_json::from_value(doc.pointer(pointer).expect("steps").clone()).expect("steps")
}

/// From nothing to a checked repository as GitHub would run it: `trainyard
/// init`, then the check workflow's trainyard step through the action's own
/// steps (install.sh, then its run step), with this build of trainyard
/// packaged by release.yml's Package step and served as the release the
/// workflow names.
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
#[test]
fn the_check_workflow_init_writes_runs_through_the_action() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("releases");
    let ok = Command::new(env!("CARGO_BIN_EXE_trainyard"))
        .arg("init")
        .arg(&repo)
        .args(["--now", "2026-11-26 10:00"])
        .output()
        .unwrap();
    assert!(ok.status.success());

    // The workflow's trainyard step: the action, at this release.
    let workflow = std::fs::read_to_string(repo.join(".github/workflows/check.yml")).unwrap();
    let step = steps(&workflow, "/jobs/check/steps")
        .into_iter()
        .find(|s| s.uses.as_deref().is_some_and(|u| u.contains("/trainyard@")))
        .expect("a step using the trainyard action");
    let version = step
        .uses
        .as_deref()
        .unwrap()
        .rsplit_once('@')
        .unwrap()
        .1
        .to_owned();
    assert_eq!(version, concat!("v", env!("CARGO_PKG_VERSION")));
    let command = step.with["command"].as_str().expect("a command").to_owned();
    assert_eq!(command, "check");

    // That release, packaged by release.yml's own Package step from this
    // build's binary, and served from 127.0.0.1.
    let target = "x86_64-unknown-linux-musl";
    let checkout = dir.path().join("checkout");
    std::fs::create_dir_all(checkout.join(format!("target/{target}/dist"))).unwrap();
    std::fs::copy(
        env!("CARGO_BIN_EXE_trainyard"),
        checkout.join(format!("target/{target}/dist/trainyard")),
    )
    .unwrap();
    for file in ["LICENSE-APACHE", "LICENSE-MIT", "README.md", "CHANGELOG.md"] {
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join(file),
            checkout.join(file),
        )
        .unwrap();
    }
    let release_yml = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/.github/workflows/release.yml"
    ))
    .unwrap();
    let package = named_step(&release_yml, "/jobs/build/steps", "Package");
    let packaged = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", &package])
        .current_dir(&checkout)
        .env("TARGET", target)
        .env("TAG", &version)
        .output()
        .unwrap();
    assert!(
        packaged.status.success(),
        "{}",
        String::from_utf8_lossy(&packaged.stderr)
    );
    let archive = format!("trainyard-{version}-{target}.tar.gz");
    let listing = Command::new("tar")
        .arg("-tzf")
        .arg(checkout.join("dist").join(&archive))
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&listing.stdout);
    for file in [
        "./trainyard",
        "./trainyard.1",
        "./LICENSE-MIT",
        "./complete/trainyard.bash",
    ] {
        assert!(
            listing.lines().any(|l| l == file),
            "{file} not in\n{listing}"
        );
    }
    let release = checkout.join("dist");
    let sums = Command::new("sha256sum")
        .arg(&archive)
        .current_dir(&release)
        .output()
        .unwrap();
    std::fs::write(release.join("SHA256SUMS"), sums.stdout).unwrap();
    let server = serve(&release);
    let tools = dir.path().join("tools");
    let (installed, err, path) = install_version(
        &version,
        &format!("http://127.0.0.1:{}", server.1),
        "Linux",
        "X64",
        &tools,
    );
    assert!(installed, "{err}");

    // The action's run step, as the runner runs it: the installed binary on
    // the PATH, the inputs in the environment, a summary file.
    let action =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/action.yml")).unwrap();
    let run = steps(&action, "/runs/steps")
        .into_iter()
        .filter_map(|s| s.run)
        .find(|r| r.contains("COMMAND"))
        .expect("the action's run step");
    let summary = dir.path().join("summary.md");
    let act = |args: &str| {
        Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", &run])
            .current_dir(&repo)
            .env("PATH", format!("{}:/usr/bin:/bin", path.trim()))
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("COMMAND", &command)
            .env("ARGS", args)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    // On a push to main, the args expression is empty; --now pins the clock.
    let clean = act("--now 2026-11-26T12:00:00-08:00");
    assert!(
        clean.status.success(),
        "{}",
        String::from_utf8_lossy(&clean.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&summary).unwrap(),
        "## trainyard check\n\n✅ 3 files checked: no problems.\n"
    );

    // A record that breaks the process fails the job, with an annotation.
    let train = repo.join("releases/2026-11-30/train.yaml");
    let text = std::fs::read_to_string(&train).unwrap();
    std::fs::write(
        &train,
        text.replace("planned_at: ", "planned_at: not-a-date # "),
    )
    .unwrap();
    let broken = act("--now 2026-11-26T12:00:00-08:00");
    assert_eq!(broken.status.code(), Some(1));
    let annotations = String::from_utf8_lossy(&broken.stdout);
    assert!(
        annotations.starts_with("::error file=releases/2026-11-30/train.yaml,line="),
        "{annotations}"
    );
    assert!(std::fs::read_to_string(&summary)
        .unwrap()
        .contains("❌ 1 error"));
}
