//! Build script: the version `trainyard --version` prints names the commit it
//! was built from, when built from a Git checkout (a published crate has none,
//! and says only its version).

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
        .then(|| git(&["rev-parse", "--short=12", "HEAD"]))
        .flatten();
    let date = own
        .then(|| git(&["log", "-1", "--format=%cs", "HEAD"]))
        .flatten();
    let dirty = own && git(&["status", "--porcelain", "--untracked-files=no"]).is_some();
    let long = match (commit, date) {
        (Some(c), Some(d)) => format!(
            "{version} ({c}{} {d})",
            if dirty { "-modified" } else { "" }
        ),
        _ => version.to_string(),
    };
    println!("cargo:rustc-env=TRAINYARD_VERSION={long}");
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/index");
    if let Some(head) = std::fs::read_to_string(".git/HEAD")
        .ok()
        .and_then(|h| h.strip_prefix("ref: ").map(|r| r.trim().to_string()))
    {
        println!("cargo:rerun-if-changed=.git/{head}");
    }
}
