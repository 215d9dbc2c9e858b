//! Writing a file whole or not at all: the new bytes go to a file created
//! new beside the path (a name of tempfile's choosing, opened with `O_EXCL`,
//! so nothing planted under it is followed), then are renamed over it. A
//! file already at the path is never opened for writing, so a hard link to
//! it (a snapshot made with `cp -al`) keeps what it held, and a reader never
//! sees half a file. Used for the site's files and for records rewritten by
//! `mail --record`.

use std::io::{self, Write};
use std::path::Path;

/// Put `bytes` at `path`, replacing whatever file is there; with `durable`,
/// the bytes reach the disk before the rename (a record, which a person
/// wrote; a page can be rebuilt).
pub fn replace(path: &Path, bytes: &[u8], durable: bool) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".trainyard-new-");
    // Readable as any file written with `fs::write` (tempfile's default is
    // the owner's alone); the umask applies.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut file = builder.tempfile_in(dir)?;
    file.write_all(bytes)?;
    if durable {
        file.as_file().sync_all()?;
    }
    // On failure the temporary file is removed when `file` is dropped.
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hard_link_keeps_what_it_held_and_nothing_is_left_beside() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("page.html");
        std::fs::write(&file, "old").unwrap();
        let snapshot = dir.path().join("snapshot.html");
        std::fs::hard_link(&file, &snapshot).unwrap();
        replace(&file, b"new", false).unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(&snapshot).unwrap(), "old");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }
}
