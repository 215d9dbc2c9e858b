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
use std::collections::{BTreeSet, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

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

/// What a previous generation holds, relative to its folder: listed while the
/// new site renders, so that bringing it up to date needs no second look.
#[derive(Debug, Default)]
pub struct Survey {
    files: HashSet<PathBuf>,
    dirs: HashSet<PathBuf>,
    /// Symbolic links are never part of a site: always removed.
    links: Vec<PathBuf>,
    /// The generation's path is taken by something that is not a folder.
    not_a_folder: bool,
}

/// List the previous generation of `out` (nothing if there is none yet).
pub fn survey(out: &Path) -> io::Result<Survey> {
    let dir = previous_generation(out);
    let mut survey = Survey::default();
    match std::fs::symlink_metadata(&dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(survey),
        Err(e) => return Err(e),
        Ok(m) if !m.is_dir() => {
            survey.not_a_folder = true;
            return Ok(survey);
        }
        Ok(_) => {}
    }
    for entry in walkdir::WalkDir::new(&dir).min_depth(1).follow_links(false) {
        let entry = entry.map_err(io::Error::other)?;
        let rel = entry
            .path()
            .strip_prefix(&dir)
            .unwrap_or(entry.path())
            .to_path_buf();
        let kind = entry.file_type();
        if kind.is_symlink() {
            survey.links.push(rel);
        } else if kind.is_dir() {
            survey.dirs.insert(rel);
        } else {
            survey.files.insert(rel);
        }
    }
    Ok(survey)
}

/// Brings the previous generation up to date, file by file, then swaps it in.
///
/// [`Writer::begin`] removes what the new site will not have and creates the
/// folders it lacks; [`Writer::put`] (from any thread) writes one file unless
/// it already holds those bytes; [`Writer::finish`] swaps the generations.
pub struct Writer {
    out: PathBuf,
    dir: PathBuf,
    /// Files the previous generation already has (worth comparing).
    existing: HashSet<PathBuf>,
    written: AtomicUsize,
}

impl Writer {
    /// Prepare the previous generation of `out` (listed as `before`) to hold
    /// exactly `paths`.
    pub fn begin(out: &Path, before: Survey, paths: &[String]) -> io::Result<Writer> {
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        let dir = previous_generation(out);
        if before.not_a_folder {
            std::fs::remove_file(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
        let wanted: HashSet<PathBuf> = paths.iter().map(PathBuf::from).collect();
        // Parents sort before their children.
        let folders: BTreeSet<PathBuf> = wanted
            .iter()
            .flat_map(|p| p.ancestors().skip(1).map(Path::to_path_buf))
            .filter(|p| !p.as_os_str().is_empty())
            .collect();

        // Remove what the new site does not have: links, files, then folders
        // (a folder's whole tree at once, so no stale folder is entered twice).
        for rel in &before.links {
            std::fs::remove_file(dir.join(rel))?;
        }
        for rel in before.files.iter().filter(|f| !wanted.contains(*f)) {
            std::fs::remove_file(dir.join(rel))?;
        }
        let mut stale: Vec<&PathBuf> = before
            .dirs
            .iter()
            .filter(|d| !folders.contains(*d))
            .collect();
        stale.sort_by_key(|d| d.components().count());
        let mut removed: Vec<&PathBuf> = Vec::new();
        for d in stale {
            if removed.iter().any(|r| d.starts_with(r)) {
                continue;
            }
            std::fs::remove_dir_all(dir.join(d))?;
            removed.push(d);
        }
        // Missing folders, parents first.
        for f in folders.iter().filter(|f| !before.dirs.contains(*f)) {
            std::fs::create_dir(dir.join(f))?;
        }
        let mut existing = before.files;
        existing.retain(|f| wanted.contains(f));
        Ok(Writer {
            out: out.to_path_buf(),
            dir,
            existing,
            written: AtomicUsize::new(0),
        })
    }

    /// Write one file of the new site (a path given to [`Writer::begin`]),
    /// unless the previous generation already holds exactly these bytes.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.dir.join(rel);
        if self.existing.contains(Path::new(rel)) {
            if let Ok(old) = std::fs::read(&path) {
                if old == bytes {
                    return Ok(());
                }
            }
        }
        std::fs::write(&path, bytes)?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Swap the brought-up-to-date generation in as the output. Returns how
    /// many files had to be written.
    pub fn finish(self) -> io::Result<usize> {
        let written = self.written.load(Ordering::Relaxed);
        swap(&self.dir, &self.out)?;
        Ok(written)
    }
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
    let paths: Vec<String> = site.files.iter().map(|(p, _)| p.clone()).collect();
    let writer = Writer::begin(out, survey(out)?, &paths)?;
    site.files
        .par_iter()
        .try_for_each(|(rel, bytes)| writer.put(rel, bytes))?;
    writer.finish()
}

/// Make the up-to-date generation `prev` the output `out`, and the output the
/// previous generation, in one atomic step where the system allows it.
fn swap(prev: &Path, out: &Path) -> io::Result<()> {
    if !out.exists() {
        return std::fs::rename(prev, out);
    }
    if exchange(prev, out).is_err() {
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
        if let Err(e) = std::fs::rename(prev, out) {
            let _ = std::fs::rename(&aside, out);
            return Err(e);
        }
        std::fs::rename(&aside, prev)?;
    }
    Ok(())
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

    #[test]
    fn files_and_folders_trade_places_and_links_go() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = site(&[("a", "file"), ("b/index.html", "in a folder")]);
        write(&first, &out).unwrap();
        write(&first, &out).unwrap();
        // Both generations now hold `a` as a file and `b` as a folder.
        #[cfg(unix)]
        std::os::unix::fs::symlink("/", previous_generation(&out).join("link")).unwrap();
        let second = site(&[("a/index.html", "now a folder"), ("b", "now a file")]);
        write(&second, &out).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "now a folder"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("b")).unwrap(),
            "now a file"
        );
        assert!(!out.join("link").exists(), "links are never part of a site");
        let mut names: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["a", "b"]);
    }

    #[test]
    fn a_file_in_the_way_of_the_previous_generation_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::write(previous_generation(&out), "not a folder").unwrap();
        write(&site(&[("index.html", "1")]), &out).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "1"
        );
    }
}
