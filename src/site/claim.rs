//! Which folder `build` may write the site to, proven before anything is
//! touched, and held for the whole build.
//!
//! `build` replaces its output folder as a whole and removes from the previous
//! generation whatever the new site lacks, so a wrong `--out` would delete
//! whatever it names. trainyard therefore never replaces or empties a folder it
//! did not write:
//!
//! - the output may not be a file or a link, the repository itself or a folder
//!   that holds it, or lie inside its records, templates or `.git`;
//! - an existing output folder, and an existing previous generation beside it,
//!   must be empty or hold [`MARKER`], the file every generation is written with;
//! - a lock file beside the output is held until the build is done, so two
//!   builds into one folder never mix (the second stops at once, exit 2).

use std::fmt;
use std::fs::File;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The file each generation of the site holds: proof that trainyard wrote the
/// folder, so that a later build may replace it.
pub const MARKER: &str = ".trainyard-site";

/// What [`MARKER`] says, for a person who finds it.
pub const MARKER_TEXT: &str =
    "This folder is a site written by `trainyard build`, which replaces it as a whole on the next build.\n";

/// The parts of a release repository an output folder may not be or lie in.
const PROTECTED: &[&str] = &[
    ".git",
    "releases",
    "planning",
    "questions",
    "site-templates",
    "process.yaml",
    "people.yaml",
];

/// Why `build` refuses an output folder (exit status 2: nothing was touched).
#[derive(Debug)]
pub struct Refusal {
    pub out: PathBuf,
    pub why: String,
    pub help: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "will not write the site to {}: {}\n  help: {}",
            self.out.display(),
            self.why,
            self.help
        )
    }
}

impl std::error::Error for Refusal {}

/// An output folder proven safe to replace, locked until this is dropped.
#[derive(Debug)]
pub struct Claim {
    /// The output folder, as given.
    pub out: PathBuf,
    _lock: File,
}

/// The previous generation of `out`: `.NAME.trainyard-prev` beside it.
pub fn previous_generation(out: &Path) -> PathBuf {
    beside(out, "trainyard-prev")
}

/// The lock file of `out`: `.NAME.trainyard-lock` beside it.
fn lock_file(out: &Path) -> PathBuf {
    beside(out, "trainyard-lock")
}

fn beside(out: &Path, what: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.{what}"))
}

/// Prove that `out` may receive the site of the repository at `root`, and
/// lock it.
pub fn claim(root: &Path, out: &Path) -> Result<Claim, Refusal> {
    let refuse = |why: String, help: &str| Refusal {
        out: out.to_path_buf(),
        why,
        help: help.to_string(),
    };
    let choose =
        "choose another --out, e.g. `public` (the default) or a folder outside the repository";
    // Named by its last component: `..`, `.` or `/` name a folder by where
    // it is, not what it is called, and `build` puts a sibling beside it.
    if !matches!(out.components().next_back(), Some(Component::Normal(_))) {
        return Err(refuse(
            "the output must be named by a folder name (not `.`, `..` or `/`)".into(),
            choose,
        ));
    }
    let root = std::fs::canonicalize(root)
        .map_err(|e| refuse(format!("cannot resolve the repository's root: {e}"), choose))?;
    match std::fs::symlink_metadata(out) {
        Ok(m) if m.file_type().is_symlink() => {
            return Err(refuse(
                "it is a symbolic link; the site replaces the folder itself, not what it points to"
                    .into(),
                "give the real folder as --out",
            ))
        }
        Ok(m) if !m.is_dir() => return Err(refuse("it is a file, not a folder".into(), choose)),
        _ => {}
    }
    let real = resolve(out).map_err(|e| refuse(format!("cannot resolve the path: {e}"), choose))?;
    if root.starts_with(&real) {
        let what = if real == root {
            "is the repository itself"
        } else {
            "holds the repository"
        };
        return Err(refuse(
            format!("it {what}, and a build replaces its output folder as a whole"),
            choose,
        ));
    }
    if let Ok(inside) = real.strip_prefix(&root) {
        if let Some(Component::Normal(first)) = inside.components().next() {
            if let Some(part) = PROTECTED.iter().find(|p| first == **p) {
                return Err(refuse(
                    format!("it is or lies inside the repository's `{part}`"),
                    choose,
                ));
            }
        }
    }
    let prev = previous_generation(out);
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| refuse(format!("cannot create the folder it goes in: {e}"), choose))?;
    }
    let lock = lock(out).map_err(|e| match e {
        LockError::Busy(path) => refuse(
            format!(
                "another `trainyard build` is writing there (it holds {})",
                path.display()
            ),
            "wait for that build to finish, then build again",
        ),
        LockError::Io(path, e) => refuse(format!("cannot lock {}: {e}", path.display()), choose),
    })?;
    for (folder, what) in [
        (out, "the output folder"),
        (prev.as_path(), "the previous generation beside it"),
    ] {
        match written_by_us(folder) {
            Ok(true) => {}
            Ok(false) => {
                return Err(refuse(
                    format!(
                        "{what}, {}, is not empty and was not written by trainyard (it has no {MARKER})",
                        folder.display()
                    ),
                    "build into an empty or new folder; if an older trainyard wrote it, delete it first",
                ))
            }
            Err(e) => return Err(refuse(format!("cannot look into {}: {e}", folder.display()), choose)),
        }
    }
    Ok(Claim {
        out: out.to_path_buf(),
        _lock: lock,
    })
}

/// Whether `folder` may be replaced: it does not exist, is an empty folder, or
/// holds the marker as a regular file.
fn written_by_us(folder: &Path) -> io::Result<bool> {
    match std::fs::symlink_metadata(folder) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(true),
        Err(e) => return Err(e),
        Ok(m) if !m.is_dir() => return Ok(false),
        Ok(_) => {}
    }
    if std::fs::symlink_metadata(folder.join(MARKER)).is_ok_and(|m| m.is_file()) {
        return Ok(true);
    }
    Ok(std::fs::read_dir(folder)?.next().is_none())
}

/// The real path `out` has or will have: its nearest existing ancestor
/// resolved (links and `..` included), the rest appended.
fn resolve(out: &Path) -> io::Result<PathBuf> {
    let absolute = std::path::absolute(out)?;
    let mut rest = Vec::new();
    let mut at = absolute.as_path();
    loop {
        match std::fs::canonicalize(at) {
            Ok(real) => return Ok(rest.iter().rev().fold(real, |p, c| p.join(c))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let (Some(name), Some(parent)) = (at.file_name(), at.parent()) else {
                    return Err(e);
                };
                rest.push(name.to_os_string());
                at = parent;
            }
            Err(e) => return Err(e),
        }
    }
}

enum LockError {
    Busy(PathBuf),
    Io(PathBuf, io::Error),
}

fn lock(out: &Path) -> Result<File, LockError> {
    let path = lock_file(out);
    let mut options = std::fs::OpenOptions::new();
    options.create(true).truncate(false).write(true);
    // Never through a link planted at the lock's path (which would create a
    // file wherever it points), and never blocking on a named pipe there.
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let flags = rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK;
        options.custom_flags(flags.bits() as i32);
    }
    #[cfg(not(unix))]
    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(LockError::Io(path, io::Error::other("it is a link")));
    }
    let file = options.open(&path).map_err(|e| {
        let shown = if e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error())
            || e.raw_os_error() == Some(rustix::io::Errno::NXIO.raw_os_error())
        {
            io::Error::other(
                "it is a link or a named pipe, not a lock file trainyard made; remove it",
            )
        } else {
            e
        };
        LockError::Io(path.clone(), shown)
    })?;
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err(LockError::Io(
            path,
            io::Error::other("it is not a plain file; remove it"),
        ));
    }
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(LockError::Busy(path)),
        Err(std::fs::TryLockError::Error(e)) => Err(LockError::Io(path, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for d in ["releases/2026-11-30", ".git", "docs"] {
            std::fs::create_dir_all(dir.path().join(d)).unwrap();
        }
        std::fs::write(dir.path().join("process.yaml"), "name: x\n").unwrap();
        std::fs::write(dir.path().join("docs/readme.md"), "x\n").unwrap();
        dir
    }

    #[test]
    fn the_repository_and_its_records_are_refused() {
        let dir = repo();
        let r = dir.path();
        for out in [
            r.to_path_buf(),
            r.join("releases"),
            r.join("releases/2026-11-30/site"),
            r.join(".git"),
            r.join(".git/x"),
            r.join("process.yaml"),
            r.join("docs"),
            r.parent().unwrap().to_path_buf(),
            r.join("."),
            r.join("releases/.."),
            r.join("public/../releases/new"),
        ] {
            let e = claim(r, &out).expect_err(&out.display().to_string());
            assert!(!e.why.is_empty());
        }
        // Nothing was written beside the refused folders but lock files.
        assert!(!r.join(".releases.trainyard-prev").exists());
    }

    #[test]
    fn new_empty_and_own_folders_are_accepted() {
        let dir = repo();
        let r = dir.path();
        claim(r, &r.join("public")).unwrap();
        std::fs::create_dir(r.join("empty")).unwrap();
        claim(r, &r.join("empty")).unwrap();
        std::fs::create_dir(r.join("site")).unwrap();
        std::fs::write(r.join("site/index.html"), "x").unwrap();
        std::fs::write(r.join("site").join(MARKER), MARKER_TEXT).unwrap();
        claim(r, &r.join("site")).unwrap();
        // A previous generation that is not ours stops it.
        std::fs::create_dir(r.join(".site.trainyard-prev")).unwrap();
        std::fs::write(r.join(".site.trainyard-prev/keep"), "x").unwrap();
        assert!(claim(r, &r.join("site")).is_err());
    }

    #[test]
    fn a_second_build_into_the_same_folder_is_refused_while_the_first_holds_it() {
        let dir = repo();
        let first = claim(dir.path(), &dir.path().join("public")).unwrap();
        let second = claim(dir.path(), &dir.path().join("public")).unwrap_err();
        assert!(second.why.contains("another"), "{second}");
        drop(first);
        claim(dir.path(), &dir.path().join("public")).unwrap();
    }
}
