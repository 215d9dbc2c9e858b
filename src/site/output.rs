//! Writing the site: into a fresh folder beside the target, then swapped in, so
//! a failed build leaves the previous site untouched.

use rayon::prelude::*;
use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

/// A built site: relative path (with `/`) → contents.
#[derive(Debug, Default)]
pub struct Site {
    pub files: Vec<(String, Vec<u8>)>,
}

impl Site {
    pub fn add(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.push((path.into(), bytes.into()));
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, b)| b.as_slice())
    }
}

fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

/// Write `site` to `out`, replacing what was there only once everything is written.
pub fn write(site: &Site, out: &Path) -> io::Result<()> {
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let staging = sibling(out, "new");
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    std::fs::create_dir_all(&staging)?;
    let result = (|| {
        // Shared parents first (e.g. releases/), then each page's own folder in
        // parallel with its file: on a slow disk, folders are most of the cost.
        let shared: BTreeSet<PathBuf> = site
            .files
            .iter()
            .filter_map(|(p, _)| Path::new(p).parent()?.parent().map(Path::to_path_buf))
            .filter(|p| !p.as_os_str().is_empty())
            .collect();
        for d in &shared {
            std::fs::create_dir_all(staging.join(d))?;
        }
        site.files.par_iter().try_for_each(|(p, bytes)| {
            let path = staging.join(p);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(path, bytes)
        })
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    // Swap: the old site moves aside, the new one takes its name, the old one goes.
    let old = sibling(out, "old");
    if out.exists() {
        if old.exists() {
            std::fs::remove_dir_all(&old)?;
        }
        std::fs::rename(out, &old)?;
    }
    if let Err(e) = std::fs::rename(&staging, out) {
        // Put the previous site back.
        if old.exists() {
            let _ = std::fs::rename(&old, out);
        }
        return Err(e);
    }
    if old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    Ok(())
}
