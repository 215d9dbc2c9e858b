//! Writing the site so that readers only ever see a whole site, old or new.
//!
//! The previous generation is kept beside the output (`.NAME.trainyard-prev`).
//! A build brings that folder up to date in place, writing only the files that
//! changed and removing the ones that went away, then swaps it with the output
//! in one atomic step (Linux `renameat2(RENAME_EXCHANGE)`; elsewhere two renames).
//! A build that fails leaves the output untouched. Reusing folders matters: on a
//! slow disk, creating and deleting hundreds of page folders costs more than
//! rendering them.

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

/// The folder that holds the previous generation of `out`.
pub fn previous_generation(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.trainyard-prev"))
}

/// Make `dir` hold exactly the files of `site`, touching only what differs.
/// Returns how many files were written.
fn sync(site: &Site, dir: &Path) -> io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let wanted: BTreeSet<PathBuf> = site.files.iter().map(|(p, _)| PathBuf::from(p)).collect();
    let folders: BTreeSet<PathBuf> = wanted
        .iter()
        .flat_map(|p| {
            p.ancestors()
                .skip(1)
                .map(Path::to_path_buf)
                .collect::<Vec<_>>()
        })
        .filter(|p| !p.as_os_str().is_empty())
        .collect();

    // Remove what the new site does not have (files, then emptied folders).
    let mut stale_dirs = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).follow_links(false) {
        let entry = entry.map_err(io::Error::other)?;
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .to_path_buf();
        if entry.file_type().is_dir() {
            if !folders.contains(&rel) {
                stale_dirs.push(entry.into_path());
            }
        } else if !wanted.contains(&rel) || entry.path_is_symlink() {
            std::fs::remove_file(entry.path())?;
        }
    }
    stale_dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for d in stale_dirs {
        std::fs::remove_dir_all(&d)?;
    }

    // Folders in order (parents first), then the files that changed, in parallel.
    for f in &folders {
        let p = dir.join(f);
        if !p.is_dir() {
            if p.exists() {
                std::fs::remove_file(&p)?;
            }
            std::fs::create_dir(&p)?;
        }
    }
    let written = site
        .files
        .par_iter()
        .map(|(rel, bytes)| {
            let path = dir.join(rel);
            match std::fs::read(&path) {
                Ok(old) if old == *bytes => Ok(0),
                _ => std::fs::write(&path, bytes).map(|_| 1),
            }
        })
        .try_reduce(|| 0, |a, b| Ok(a + b))?;
    Ok(written)
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "no atomic exchange",
    ))
}

/// Write `site` to `out`; readers see the old site until the new one is complete.
/// Returns how many files had to be written.
pub fn write(site: &Site, out: &Path) -> io::Result<usize> {
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let prev = previous_generation(out);
    if prev.exists() && !prev.is_dir() {
        std::fs::remove_file(&prev)?;
    }
    let written = sync(site, &prev)?;
    if !out.exists() {
        std::fs::rename(&prev, out)?;
        return Ok(written);
    }
    if exchange(&prev, out).is_err() {
        // Two renames: the output is missing only between them.
        let aside = out.with_file_name(format!(
            ".{}.trainyard-swap",
            out.file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default()
        ));
        if aside.exists() {
            std::fs::remove_dir_all(&aside)?;
        }
        std::fs::rename(out, &aside)?;
        if let Err(e) = std::fs::rename(&prev, out) {
            let _ = std::fs::rename(&aside, out);
            return Err(e);
        }
        std::fs::rename(&aside, &prev)?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> Site {
        let mut s = Site::default();
        for (p, c) in files {
            s.add(*p, c.as_bytes().to_vec());
        }
        s
    }

    #[test]
    fn generations_swap_and_stale_files_go() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(
            &site(&[
                ("index.html", "1"),
                ("a/index.html", "a1"),
                ("old/index.html", "x"),
            ]),
            &out,
        )
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "a1"
        );
        write(&site(&[("index.html", "2"), ("a/index.html", "a1")]), &out).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "2"
        );
        assert!(!out.join("old").exists(), "stale pages are removed");
        // The third build reuses the first generation: only what differs is written.
        let n = write(&site(&[("index.html", "3"), ("a/index.html", "a1")]), &out).unwrap();
        assert_eq!(n, 1);
        assert!(!out.join("old").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "3"
        );
        assert!(previous_generation(&out).join("index.html").exists());
    }
}
