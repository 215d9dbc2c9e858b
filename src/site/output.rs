//! Writing the site so that readers only ever see a whole site, old or new.
//!
//! The previous generation is kept beside the output (`.NAME.trainyard-prev`).
//! A build brings that folder up to date in place, writing only the files that
//! changed and removing the ones that went away, then swaps it with the output
//! in one atomic step (Linux `renameat2(RENAME_EXCHANGE)`; elsewhere two renames).
//! A build that fails leaves the output untouched, and removes the previous
//! generation it had begun to bring up to date (so a full disk is not left
//! full). Reusing folders matters: on a slow disk, creating and deleting
//! hundreds of page folders costs more than rendering them.
//!
//! Every generation holds [`MARKER`]; [`super::claim`] has proven, before any
//! of this runs, that both folders are trainyard's own (or new, or empty).

use super::claim::MARKER_TEXT;
pub use super::claim::{previous_generation, Claim, MARKER};
use ahash::AHashSet;
use rayon::prelude::*;
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

/// What a previous generation holds, relative to its folder, as `/`-separated
/// paths like the site's own: listed while the new site is prepared, so that
/// bringing it up to date needs no second look.
#[derive(Debug, Default)]
pub struct Survey {
    files: AHashSet<String>,
    dirs: AHashSet<String>,
    /// Never part of a site, always removed: symbolic links, named pipes,
    /// sockets and devices, and names that are not UTF-8 (the site's are).
    strays: Vec<PathBuf>,
}

/// `rel` with `/` between its components, if every component is UTF-8.
fn slashed(rel: &Path) -> Option<String> {
    let mut out = String::new();
    for c in rel.components() {
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(c.as_os_str().to_str()?);
    }
    Some(out)
}

/// List the previous generation of `out` (nothing if there is none yet).
pub fn survey(out: &Path) -> io::Result<Survey> {
    let dir = previous_generation(out);
    let mut survey = Survey::default();
    match std::fs::symlink_metadata(&dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(survey),
        Err(e) => return Err(e),
        // The claim refuses a previous generation that is not a folder.
        Ok(m) if !m.is_dir() => {
            return Err(io::Error::other(format!(
                "{} is not a folder",
                dir.display()
            )))
        }
        Ok(_) => {}
    }
    let mut walk = walkdir::WalkDir::new(&dir)
        .min_depth(1)
        .follow_links(false)
        .into_iter();
    while let Some(entry) = walk.next() {
        let entry = entry.map_err(io::Error::other)?;
        let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
        let kind = entry.file_type();
        match slashed(rel) {
            // The marker stays; it is written again with every generation.
            Some(rel) if rel == MARKER && kind.is_file() => {}
            Some(rel) if kind.is_dir() && !kind.is_symlink() => {
                survey.dirs.insert(rel);
            }
            // Only regular files are compared: opening a named pipe to read it
            // would wait for a writer.
            Some(rel) if kind.is_file() => {
                survey.files.insert(rel);
            }
            _ => {
                survey.strays.push(rel.to_path_buf());
                if kind.is_dir() {
                    // Removed as a whole: nothing under it to list.
                    walk.skip_current_dir();
                }
            }
        }
    }
    Ok(survey)
}

/// The previous generation of an output folder, listed on a thread of its own
/// (it depends only on the folder, so `build` starts it before loading the
/// records, and it is ready by the time the first page is).
pub struct Listing(std::thread::JoinHandle<io::Result<Survey>>);

impl Listing {
    /// Start listing the previous generation of the claimed output.
    pub fn start(claim: &Claim) -> Listing {
        let out = claim.out.clone();
        Listing(std::thread::spawn(move || survey(&out)))
    }

    /// Wait for the listing.
    pub fn finish(self) -> io::Result<Survey> {
        self.0
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("listing the output failed")))
    }
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
    existing: AHashSet<String>,
    written: AtomicUsize,
}

/// The folders `path` (relative, `/`-separated) lies in, innermost first.
fn folders_of(path: &str) -> impl Iterator<Item = &str> {
    let mut rest = path;
    std::iter::from_fn(move || {
        let cut = rest.rfind('/')?;
        rest = &rest[..cut];
        Some(rest)
    })
}

impl Writer {
    /// Prepare the previous generation of the claimed output (listed as
    /// `before`) to hold exactly `paths`.
    pub fn begin(claim: &Claim, before: Survey, paths: &[String]) -> io::Result<Writer> {
        let out = claim.out.as_path();
        let dir = previous_generation(out);
        std::fs::create_dir_all(&dir)?;
        // Marked first, so that whatever happens next, a later build knows
        // the folder is trainyard's.
        let marker = dir.join(MARKER);
        if !holds(&marker, MARKER_TEXT.as_bytes()) {
            crate::write::replace(&marker, MARKER_TEXT.as_bytes(), false)?;
        }
        let wanted: AHashSet<&str> = paths.iter().map(String::as_str).collect();
        let folders: AHashSet<&str> = paths.iter().flat_map(|p| folders_of(p)).collect();

        // Remove what the new site does not have: strays, files, then folders
        // (a folder's whole tree at once, so no stale folder is entered twice).
        for rel in &before.strays {
            let path = dir.join(rel);
            match std::fs::symlink_metadata(&path) {
                Ok(m) if m.is_dir() => std::fs::remove_dir_all(&path)?,
                Ok(_) => std::fs::remove_file(&path)?,
                // Inside a stray folder removed just before.
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        for rel in before.files.iter().filter(|f| !wanted.contains(f.as_str())) {
            std::fs::remove_file(dir.join(rel))?;
        }
        let mut stale: Vec<&String> = before
            .dirs
            .iter()
            .filter(|d| !folders.contains(d.as_str()))
            .collect();
        stale.sort_by_key(|d| d.matches('/').count());
        let mut removed: Vec<&str> = Vec::new();
        for d in stale {
            let inside = |r: &&str| d.strip_prefix(*r).is_some_and(|rest| rest.starts_with('/'));
            if removed.iter().any(inside) {
                continue;
            }
            std::fs::remove_dir_all(dir.join(d))?;
            removed.push(d);
        }
        // Missing folders, parents first.
        let mut missing: Vec<&str> = folders
            .iter()
            .copied()
            .filter(|f| !before.dirs.contains(*f))
            .collect();
        missing.sort_by_key(|f| (f.matches('/').count(), *f));
        for f in missing {
            std::fs::create_dir(dir.join(f))?;
        }
        let mut existing = before.files;
        existing.retain(|f| wanted.contains(f.as_str()));
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
        if self.existing.contains(rel) && holds(&path, bytes) {
            return Ok(());
        }
        if self.existing.contains(rel) {
            crate::write::replace(&path, bytes, false)?;
        } else {
            create_file(&path, bytes)?;
        }
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Swap the brought-up-to-date generation in as the output. Returns how
    /// many files had to be written.
    pub fn finish(self) -> io::Result<usize> {
        let written = self.written.load(Ordering::Relaxed);
        if let Err(e) = swap(&self.dir, &self.out) {
            self.abandon();
            return Err(e);
        }
        Ok(written)
    }

    /// The build failed: remove the half-updated previous generation (it is
    /// trainyard's, proven by the claim), so that what the failed build wrote
    /// does not stay behind, on a full disk least of all. The output itself
    /// is untouched; the next build writes its previous generation afresh.
    pub fn abandon(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A file the previous generation does not hold: created new (never
/// through a link or over a file that appeared meanwhile, which is then
/// replaced as any other).
fn create_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(mut file) => file.write_all(bytes),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            crate::write::replace(path, bytes, false)
        }
        Err(e) => Err(e),
    }
}

/// Whether the file at `path` holds exactly `bytes`, read into a buffer on
/// the stack, so a build that changes nothing allocates nothing to find that
/// out. Any error reading means "no": the file is then written.
fn holds(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    // A read of a regular file that returns fewer bytes than asked for has
    // reached its end, so asking for one byte more than expected tells,
    // without a size query: a page that fits the block takes one read
    // (open, read, close).
    let mut block = [0u8; 16 * 1024];
    let mut rest = bytes;
    loop {
        let asked = block.len().min(rest.len() + 1);
        let n = match file.read(&mut block[..asked]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return false,
        };
        if n == 0 {
            return rest.is_empty();
        }
        if n > rest.len() || block[..n] != rest[..n] {
            // Longer than expected, or different.
            return false;
        }
        rest = &rest[n..];
        if n < asked {
            // The end of the file: the same bytes only if all were seen.
            return rest.is_empty();
        }
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

/// Write `site` to the claimed output; readers see the old site until the new
/// one is complete. Returns how many files had to be written.
pub fn write(site: &Site, claim: &Claim) -> io::Result<usize> {
    let paths: Vec<String> = site.files.iter().map(|(p, _)| p.clone()).collect();
    let writer = Writer::begin(claim, survey(&claim.out)?, &paths)?;
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
        // Left by a build that stopped between the two renames: a
        // generation of ours, or it is not touched.
        if aside.exists() {
            if !aside.join(MARKER).is_file() {
                return Err(io::Error::other(format!(
                    "{} is in the way and was not written by trainyard",
                    aside.display()
                )));
            }
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

    /// A claim on `public/` in a fresh folder (the repository beside it).
    fn public(dir: &tempfile::TempDir) -> (Claim, PathBuf) {
        let root = dir.path().join("repo");
        std::fs::create_dir_all(&root).unwrap();
        let c = super::super::claim::claim(&root, &dir.path().join("public")).unwrap();
        let out = c.out.clone();
        (c, out)
    }

    fn site(files: &[(&str, &str)]) -> Site {
        let mut s = Site::default();
        for (p, c) in files {
            s.add(*p, c.as_bytes().to_vec());
        }
        s
    }

    #[test]
    fn holds_is_true_only_for_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.html");
        // A page that fits one read, and one larger than the block (the
        // comparison then crosses block boundaries).
        for size in [9_000u32, 40_000] {
            let page: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
            std::fs::write(&path, &page).unwrap();
            assert!(holds(&path, &page), "{size}");
            let mut last_differs = page.clone();
            *last_differs.last_mut().unwrap() ^= 1;
            assert!(!holds(&path, &last_differs), "{size}: last byte differs");
            assert!(
                !holds(&path, &page[..page.len() - 1]),
                "{size}: file longer"
            );
            let mut longer = page.clone();
            longer.push(0);
            assert!(!holds(&path, &longer), "{size}: file shorter");
        }
        std::fs::write(&path, b"").unwrap();
        assert!(holds(&path, b""));
        assert!(!holds(&path, b"x"));
        assert!(!holds(&dir.path().join("missing.html"), b""));
        assert!(!holds(dir.path(), b""), "a folder holds no bytes");
    }

    #[test]
    fn generations_swap_and_stale_files_go() {
        let dir = tempfile::tempdir().unwrap();
        let (c, out) = public(&dir);
        write(
            &site(&[
                ("index.html", "1"),
                ("a/index.html", "a1"),
                ("old/index.html", "x"),
            ]),
            &c,
        )
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "a1"
        );
        write(&site(&[("index.html", "2"), ("a/index.html", "a1")]), &c).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "2"
        );
        assert!(!out.join("old").exists(), "stale pages are removed");
        // The third build reuses the first generation: only what differs is written.
        let n = write(&site(&[("index.html", "3"), ("a/index.html", "a1")]), &c).unwrap();
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
        let (c, out) = public(&dir);
        let first = site(&[("a", "file"), ("b/index.html", "in a folder")]);
        write(&first, &c).unwrap();
        write(&first, &c).unwrap();
        // Both generations now hold `a` as a file and `b` as a folder.
        #[cfg(unix)]
        std::os::unix::fs::symlink("/", previous_generation(&out).join("link")).unwrap();
        let second = site(&[("a/index.html", "now a folder"), ("b", "now a file")]);
        write(&second, &c).unwrap();
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
        assert_eq!(names, [MARKER, "a", "b"]);
    }

    #[cfg(unix)]
    #[test]
    fn named_pipes_are_replaced_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let (c, out) = public(&dir);
        let s = site(&[("index.html", "1")]);
        write(&s, &c).unwrap();
        write(&s, &c).unwrap();
        let prev = previous_generation(&out);
        std::fs::remove_file(prev.join("index.html")).unwrap();
        for pipe in ["index.html", "stray"] {
            let made = std::process::Command::new("mkfifo")
                .arg(prev.join(pipe))
                .status()
                .unwrap();
            assert!(made.success());
        }
        // Reading either pipe would wait for a writer forever.
        write(&s, &c).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "1"
        );
        assert!(!out.join("stray").exists());
    }

    #[test]
    fn a_file_in_the_way_of_the_previous_generation_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        std::fs::create_dir_all(&root).unwrap();
        let out = dir.path().join("public");
        std::fs::write(previous_generation(&out), "not a folder").unwrap();
        assert!(super::super::claim::claim(&root, &out).is_err());
        assert_eq!(
            std::fs::read_to_string(previous_generation(&out)).unwrap(),
            "not a folder"
        );
    }

    #[test]
    fn every_generation_is_marked_and_a_failed_one_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let (c, out) = public(&dir);
        let s = site(&[("index.html", "1")]);
        write(&s, &c).unwrap();
        write(&s, &c).unwrap();
        assert!(out.join(MARKER).is_file());
        assert!(previous_generation(&out).join(MARKER).is_file());
        let paths = vec!["index.html".to_string(), "a/index.html".to_string()];
        let w = Writer::begin(&c, survey(&out).unwrap(), &paths).unwrap();
        w.put("a/index.html", b"half").unwrap();
        w.abandon();
        assert!(!previous_generation(&out).exists());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "1"
        );
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_are_removed() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let (c, out) = public(&dir);
        let s = site(&[("a/index.html", "1")]);
        write(&s, &c).unwrap();
        write(&s, &c).unwrap();
        let prev = previous_generation(&out);
        let odd = std::ffi::OsStr::from_bytes(b"caf\xe9");
        std::fs::write(prev.join(odd), "x").unwrap();
        std::fs::create_dir(prev.join("a").join(odd)).unwrap();
        std::fs::write(prev.join("a").join(odd).join("f"), "y").unwrap();
        write(&s, &c).unwrap();
        let mut left: Vec<_> = walkdir::WalkDir::new(&out)
            .min_depth(1)
            .into_iter()
            .map(|e| e.unwrap().path().strip_prefix(&out).unwrap().to_path_buf())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                PathBuf::from(MARKER),
                PathBuf::from("a"),
                PathBuf::from("a/index.html")
            ]
        );
    }

    #[test]
    fn folders_of_a_path_innermost_first() {
        assert_eq!(
            folders_of("releases/2026-11-30/history/index.html").collect::<Vec<_>>(),
            [
                "releases/2026-11-30/history",
                "releases/2026-11-30",
                "releases"
            ]
        );
        assert_eq!(folders_of("index.html").count(), 0);
    }
}
