//! Reading files of the release repository, and nothing else.
//!
//! Records come from strangers' pull requests, so a path inside the repository
//! may be a symbolic link to `/etc/passwd`, a folder linked to somewhere else,
//! or a named pipe. [`RepoDir::open`] opens a file only when every component
//! of its path is a real folder or file below the root and the file itself is
//! a regular file, and it decides that on what it opened, never on an earlier
//! look at the path (no check-then-open gap):
//!
//! - Linux: one `openat2` relative to the root's handle with
//!   `RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS` (the kernel refuses `..` out of
//!   the root and every symbolic link on the way), then `fstat` of the handle.
//! - Other Unix systems, and Linux kernels without `openat2` (before 5.6, or
//!   behind a seccomp filter): the path is opened one component at a time with
//!   `O_NOFOLLOW`, each folder relative to the handle of the one before.
//! - Elsewhere: the path's real location is compared with the root after
//!   opening (a best effort; see docs/security.md).
//!
//! Symbolic links are never followed, even to files inside the repository:
//! Git on Windows does not make them, and one rule is easier to trust.

/// The largest file trainyard reads from a repository.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// The repository's root, opened once.
#[derive(Debug)]
pub struct RepoDir {
    root: PathBuf,
    #[cfg(unix)]
    fd: std::os::fd::OwnedFd,
}

/// Why a file of the repository was not opened.
#[derive(Debug)]
pub enum Refused {
    /// Nothing at that path.
    Missing,
    /// The path, or a folder on the way to it, is a symbolic link, or it
    /// leads out of the repository.
    Link,
    /// A folder, named pipe, socket or device: not a regular file.
    NotAFile,
    /// The file exists but could not be opened or read.
    Io(io::Error),
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refused::Missing => f.write_str("no such file"),
            Refused::Link => f.write_str(
                "a symbolic link (or a path through one); trainyard reads only real files inside the repository",
            ),
            Refused::NotAFile => {
                f.write_str("not a regular file (a folder, named pipe, socket or device)")
            }
            Refused::Io(e) => write!(f, "{e}"),
        }
    }
}

impl Refused {
    /// The help line for a diagnostic about this refusal.
    pub fn help(&self) -> &'static str {
        match self {
            Refused::Link => "replace the link with the file itself; links are never followed",
            Refused::NotAFile => "records are regular files; remove this one",
            Refused::Missing | Refused::Io(_) => "check the file's permissions",
        }
    }

    fn from_io(e: io::Error) -> Refused {
        match e.kind() {
            io::ErrorKind::NotFound => Refused::Missing,
            _ => match e.raw_os_error() {
                // ELOOP: a link where none may be; EXDEV: `..` out of the
                // root (openat2 RESOLVE_BENEATH); EMLINK: FreeBSD's O_NOFOLLOW.
                #[cfg(unix)]
                Some(code) if is_link_errno(code) => Refused::Link,
                // ENXIO: opening a socket.
                #[cfg(unix)]
                Some(code) if code == rustix::io::Errno::NXIO.raw_os_error() => Refused::NotAFile,
                _ => Refused::Io(e),
            },
        }
    }
}

#[cfg(unix)]
fn is_link_errno(code: i32) -> bool {
    use rustix::io::Errno;
    [Errno::LOOP, Errno::XDEV, Errno::MLINK]
        .iter()
        .any(|e| e.raw_os_error() == code)
}

impl RepoDir {
    /// Open the repository at `root` (itself may be reached through a link:
    /// it is the user's choice).
    pub fn new(root: &Path) -> io::Result<RepoDir> {
        #[cfg(unix)]
        {
            use rustix::fs::{open, Mode, OFlags};
            let fd = open(
                root,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
                Mode::empty(),
            )?;
            Ok(RepoDir {
                root: root.to_path_buf(),
                fd,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(RepoDir {
                root: std::fs::canonicalize(root)?,
            })
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Open `rel` (relative to the root, `/`-separated, no `.` or `..`) for
    /// reading, if it is a regular file reached without any symbolic link.
    pub fn open(&self, rel: &str) -> Result<File, Refused> {
        if rel.is_empty()
            || rel.starts_with('/')
            || rel
                .split('/')
                .any(|c| c.is_empty() || c == "." || c == "..")
        {
            return Err(Refused::Link);
        }
        let file = self.open_beneath(rel)?;
        let meta = file.metadata().map_err(Refused::Io)?;
        if !meta.is_file() {
            return Err(Refused::NotAFile);
        }
        Ok(file)
    }

    /// Read `rel` whole, refusing more than `limit` bytes (`Err(TooBig(n))`
    /// with the size the file has).
    pub fn read(&self, rel: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
        let file = self.open(rel).map_err(ReadError::Refused)?;
        read_capped(file, limit)
    }

    /// `rel` as UTF-8 text of at most 1 MiB, or nothing if it is not that
    /// (for files that are compared, not reported on).
    pub fn read_text(&self, rel: &str) -> Option<String> {
        let bytes = self.read(rel, MAX_FILE_BYTES).ok()?;
        String::from_utf8(bytes).ok()
    }

    #[cfg(target_os = "linux")]
    fn open_beneath(&self, rel: &str) -> Result<File, Refused> {
        use rustix::fs::{openat2, Mode, ResolveFlags};
        use rustix::io::Errno;
        match openat2(
            &self.fd,
            rel,
            read_flags(),
            Mode::empty(),
            ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS,
        ) {
            Ok(fd) => Ok(File::from(fd)),
            // No openat2 here (an old kernel, or a seccomp filter that does
            // not know it): the portable way.
            Err(Errno::NOSYS | Errno::PERM) => self.open_by_components(rel),
            Err(e) => Err(Refused::from_io(e.into())),
        }
    }

    #[cfg(all(unix, not(target_os = "linux")))]
    fn open_beneath(&self, rel: &str) -> Result<File, Refused> {
        self.open_by_components(rel)
    }

    /// Each folder of `rel` opened with `O_NOFOLLOW` relative to the one
    /// before it, then the file the same way.
    #[cfg(unix)]
    fn open_by_components(&self, rel: &str) -> Result<File, Refused> {
        use rustix::fs::{openat, Mode, OFlags};
        use std::os::fd::AsFd;
        let (folders, name) = match rel.rsplit_once('/') {
            Some((folders, name)) => (Some(folders), name),
            None => (None, rel),
        };
        let mut dir: Option<std::os::fd::OwnedFd> = None;
        for part in folders.into_iter().flat_map(|f| f.split('/')) {
            let at = dir.as_ref().map_or(self.fd.as_fd(), |d| d.as_fd());
            let next = openat(
                at,
                part,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::empty(),
            )
            .map_err(|e| match e {
                // O_DIRECTORY | O_NOFOLLOW on a link says "not a folder" on
                // some systems: look at what is there.
                rustix::io::Errno::NOTDIR => {
                    match rustix::fs::statat(at, part, rustix::fs::AtFlags::SYMLINK_NOFOLLOW) {
                        Ok(st) if rustix::fs::FileType::from_raw_mode(st.st_mode).is_symlink() => {
                            Refused::Link
                        }
                        _ => Refused::Missing,
                    }
                }
                e => Refused::from_io(e.into()),
            })?;
            dir = Some(next);
        }
        let at = dir.as_ref().map_or(self.fd.as_fd(), |d| d.as_fd());
        openat(at, name, read_flags(), Mode::empty())
            .map(File::from)
            .map_err(|e| Refused::from_io(e.into()))
    }

    #[cfg(not(unix))]
    fn open_beneath(&self, rel: &str) -> Result<File, Refused> {
        let path = self.root.join(rel);
        let mut at = self.root.clone();
        for part in rel.split('/') {
            at.push(part);
            let meta = std::fs::symlink_metadata(&at).map_err(Refused::from_io)?;
            if meta.file_type().is_symlink() {
                return Err(Refused::Link);
            }
        }
        let file = File::open(&path).map_err(Refused::from_io)?;
        match std::fs::canonicalize(&path) {
            Ok(real) if real.starts_with(&self.root) => Ok(file),
            Ok(_) => Err(Refused::Link),
            Err(e) => Err(Refused::from_io(e)),
        }
    }
}

/// Read-only, no controlling terminal, and non-blocking so that opening a
/// named pipe returns at once instead of waiting for a writer (the handle is
/// then refused as not a regular file; regular files ignore the flag).
#[cfg(unix)]
fn read_flags() -> rustix::fs::OFlags {
    use rustix::fs::OFlags;
    OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC
}

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    Refused(Refused),
    /// Larger than the limit: the size it has.
    TooBig(u64),
}

/// Read `file` to its end, up to `limit` bytes. Records are small: read into a
/// block on the stack until the end, then copy out exactly that much (open,
/// read, read, close; no size query).
pub fn read_capped(mut file: File, limit: u64) -> Result<Vec<u8>, ReadError> {
    let cannot = |e| ReadError::Refused(Refused::Io(e));
    let mut block = [0u8; 4 * 1024];
    let mut filled = 0;
    while filled < block.len() {
        match file.read(&mut block[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(cannot(e)),
        }
    }
    let mut bytes = block[..filled].to_vec();
    if filled == block.len() {
        // A larger file: the rest through a capped handle, so a huge file
        // costs at most `limit` + 1 bytes of reading before it is rejected.
        (&mut file)
            .take((limit + 1).saturating_sub(filled as u64))
            .read_to_end(&mut bytes)
            .map_err(cannot)?;
    }
    if bytes.len() as u64 > limit {
        let size = file
            .metadata()
            .map(|m| m.len())
            .unwrap_or(bytes.len() as u64);
        return Err(ReadError::TooBig(size));
    }
    Ok(bytes)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn tree() -> (tempfile::TempDir, tempfile::TempDir) {
        let repo = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let r = repo.path();
        std::fs::create_dir_all(r.join("releases/2026-11-30")).unwrap();
        std::fs::write(r.join("releases/2026-11-30/train.yaml"), "x: 1\n").unwrap();
        std::fs::write(outside.path().join("secret"), "canary\n").unwrap();
        symlink(outside.path().join("secret"), r.join("process.yaml")).unwrap();
        symlink(outside.path(), r.join("planning")).unwrap();
        symlink("train.yaml", r.join("releases/2026-11-30/push.yaml")).unwrap();
        std::fs::write(r.join("real.yaml"), "ok\n").unwrap();
        (repo, outside)
    }

    /// Both ways of opening agree: the kernel's and the component walk.
    fn each_way(dir: &RepoDir, rel: &str) -> Vec<Result<Vec<u8>, String>> {
        let read = |f: Result<File, Refused>| {
            f.and_then(|mut f| {
                let mut v = Vec::new();
                f.read_to_end(&mut v).map_err(Refused::Io)?;
                Ok(v)
            })
            .map_err(|e| format!("{e:?}"))
        };
        vec![
            read(dir.open(rel)),
            read(dir.open_by_components(rel).and_then(|f| {
                if f.metadata().map_err(Refused::Io)?.is_file() {
                    Ok(f)
                } else {
                    Err(Refused::NotAFile)
                }
            })),
        ]
    }

    #[test]
    fn only_real_files_beneath_the_root() {
        let (repo, _outside) = tree();
        let dir = RepoDir::new(repo.path()).unwrap();
        for way in each_way(&dir, "releases/2026-11-30/train.yaml") {
            assert_eq!(way.unwrap(), b"x: 1\n");
        }
        for way in each_way(&dir, "real.yaml") {
            assert_eq!(way.unwrap(), b"ok\n");
        }
        for rel in [
            "process.yaml",
            "planning/secret",
            "releases/2026-11-30/push.yaml",
        ] {
            for way in each_way(&dir, rel) {
                assert!(way.as_ref().unwrap_err().contains("Link"), "{rel}: {way:?}");
            }
        }
        for way in each_way(&dir, "releases/2026-11-30") {
            assert!(way.unwrap_err().contains("NotAFile"));
        }
        for way in each_way(&dir, "missing.yaml") {
            assert!(way.unwrap_err().contains("Missing"));
        }
        for rel in ["../x", "releases/../real.yaml", "/etc/passwd", "", "a//b"] {
            assert!(matches!(dir.open(rel), Err(Refused::Link)), "{rel}");
        }
    }

    #[test]
    fn a_named_pipe_is_refused_without_waiting() {
        let repo = tempfile::tempdir().unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(repo.path().join("pipe.yaml"))
            .status()
            .unwrap();
        assert!(made.success());
        let dir = RepoDir::new(repo.path()).unwrap();
        for way in each_way(&dir, "pipe.yaml") {
            assert!(way.unwrap_err().contains("NotAFile"));
        }
    }

    #[test]
    fn reads_are_capped() {
        let repo = tempfile::tempdir().unwrap();
        std::fs::write(repo.path().join("big"), vec![b'a'; 10_000]).unwrap();
        let dir = RepoDir::new(repo.path()).unwrap();
        assert_eq!(dir.read("big", 10_000).unwrap().len(), 10_000);
        assert!(matches!(
            dir.read("big", 9_999),
            Err(ReadError::TooBig(10_000))
        ));
    }
}
