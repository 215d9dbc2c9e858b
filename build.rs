//! Build script: the version `trainyard --version` prints names the commit it
//! was built from, when built from a Git checkout (a published crate has none,
//! and says only its version).
//!
//! It reruns only when HEAD moves (a commit, a checkout), so staging files
//! does not recompile trainyard. It does not mark uncommitted changes: a mark
//! taken when the script last ran would be stale after the next edit.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

fn main() {
    let version = env!("CARGO_PKG_VERSION");
    // Only this package's own checkout counts, not a repository it sits in.
    let own = std::path::Path::new(".git").exists();
    let commit = own
        .then(|| git(&["log", "-1", "--format=%h %cs", "--abbrev=12", "HEAD"]))
        .flatten();
    let long = match commit {
        Some(c) => format!("{version} ({c})"),
        None => version.to_string(),
    };
    println!("cargo:rustc-env=TRAINYARD_VERSION={long}");
    println!("cargo:rerun-if-changed=.git/HEAD");
    if let Some(head) = std::fs::read_to_string(".git/HEAD")
        .ok()
        .and_then(|h| h.strip_prefix("ref: ").map(|r| r.trim().to_string()))
    {
        println!("cargo:rerun-if-changed=.git/{head}");
    }
}
