//! Loose objects of a service clone, checked before libgit2 reads any: a
//! truncated one makes libgit2 1.9's inflate loop forever (libgit2 issue
//! 7342, fixed after 1.9.7), where `git log` fails at once. Every commit,
//! tree and tag stored loose must inflate to its end with the length its
//! header gives; blobs, which trainyard never reads from a clone, are only
//! checked to start with a header.

use flate2::{Decompress, FlushDecompress, Status};
use std::io::Read;
use std::path::Path;

/// The largest loose commit, tree or tag checked, compressed: larger is
/// not something a clone of a service holds (and is reported as damage).
const MAX_OBJECT: u64 = 64 << 20;
/// What is read of every loose object to find its header (compressed, a
/// header takes a few dozen bytes).
const HEAD_BYTES: u64 = 4096;

/// Ok when every loose object under `objects` (a clone's `.git/objects`)
/// can be read whole; otherwise which one cannot, and why.
pub fn verify(objects: &Path) -> Result<(), String> {
    let Ok(dirs) = std::fs::read_dir(objects) else {
        return Ok(());
    };
    for dir in dirs.flatten() {
        let name = dir.file_name();
        let Some(prefix) = name.to_str().filter(|n| is_hex(n, 2)) else {
            continue;
        };
        if !dir.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let Ok(files) = std::fs::read_dir(dir.path()) else {
            continue;
        };
        for file in files.flatten() {
            let name = file.file_name();
            let Some(rest) = name.to_str().filter(|n| is_hex(n, 38)) else {
                continue;
            };
            if !file.file_type().is_ok_and(|t| t.is_file()) {
                return Err(format!("object {prefix}{rest} is not a file"));
            }
            check(&file.path()).map_err(|why| format!("object {prefix}{rest} {why}"))?;
        }
    }
    Ok(())
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// One loose object: its header, and for a commit, tree or tag, all of it.
fn check(path: &Path) -> Result<(), String> {
    let mut file = std::fs::File::open(path).map_err(|e| format!("cannot be opened ({e})"))?;
    let cannot_read = |e: std::io::Error| format!("cannot be read ({e})");
    // The header is in the first bytes: a blob (often the largest object) is
    // read no further.
    let mut data = Vec::new();
    (&mut file)
        .take(HEAD_BYTES)
        .read_to_end(&mut data)
        .map_err(cannot_read)?;
    // `TYPE SIZE\0`: at most 32 bytes.
    let (head, _) = inflate(&data, 32)?;
    let Some(nul) = head.iter().position(|b| *b == 0) else {
        return Err("has no header".into());
    };
    let header = std::str::from_utf8(&head[..nul]).map_err(|_| "has a garbled header")?;
    let (kind, size) = header.split_once(' ').ok_or("has a garbled header")?;
    let size: usize = size.parse().map_err(|_| "has a garbled header")?;
    match kind {
        "blob" => Ok(()),
        "commit" | "tree" | "tag" => {
            (&mut file)
                .take(MAX_OBJECT + 1 - HEAD_BYTES)
                .read_to_end(&mut data)
                .map_err(cannot_read)?;
            if data.len() as u64 > MAX_OBJECT {
                return Err("is too large".into());
            }
            let (all, ended) = inflate(&data, nul + 1 + size + 1)?;
            if !ended {
                return Err("is longer than its header says".into());
            }
            if all.len() != nul + 1 + size {
                return Err(format!(
                    "holds {} bytes where its header says {size}",
                    all.len().saturating_sub(nul + 1)
                ));
            }
            Ok(())
        }
        _ => Err(format!("has an unknown type `{kind}`")),
    }
}

/// Inflate `data` (a zlib stream) until `limit` bytes are out or the stream
/// ends: the bytes, and whether the stream ended. A stream cut short or
/// corrupt is an error.
fn inflate(data: &[u8], limit: usize) -> Result<(Vec<u8>, bool), String> {
    let mut d = Decompress::new(true);
    let mut out: Vec<u8> = Vec::with_capacity(limit.min(1 << 16));
    loop {
        let room = limit - out.len();
        if room == 0 {
            return Ok((out, false));
        }
        out.reserve(room.min(1 << 16));
        let (was_in, was_out) = (d.total_in(), d.total_out());
        let input = &data[(d.total_in() as usize).min(data.len())..];
        let status = d
            .decompress_vec(input, &mut out, FlushDecompress::None)
            .map_err(|_| "is corrupt (its compressed data is garbled)".to_string())?;
        out.truncate(limit.min(out.len()));
        match status {
            Status::StreamEnd => return Ok((out, true)),
            _ if d.total_in() == was_in && d.total_out() == was_out => {
                return Err("is truncated (its compressed data ends too soon)".into())
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::ZlibEncoder;
    use std::io::Write;

    fn object(kind: &str, body: &[u8]) -> Vec<u8> {
        let mut e = ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(format!("{kind} {}\0", body.len()).as_bytes())
            .unwrap();
        e.write_all(body).unwrap();
        e.finish().unwrap()
    }

    fn checked(bytes: &[u8]) -> Result<(), String> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("obj");
        std::fs::write(&p, bytes).unwrap();
        check(&p)
    }

    #[test]
    fn whole_objects_pass_and_cut_ones_do_not() {
        let commit = object("commit", b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\n\nSubject\n");
        assert_eq!(checked(&commit), Ok(()));
        for cut in [commit.len() - 1, commit.len() - 4, commit.len() / 2, 3] {
            let e = checked(&commit[..cut]).unwrap_err();
            assert!(
                e.contains("truncated") || e.contains("header"),
                "{cut}: {e}"
            );
        }
        let mut garbled = commit.clone();
        garbled[10] ^= 0xff;
        assert!(checked(&garbled).is_err());
        // A blob is read only to its header.
        let blob = object("blob", &[7u8; 100_000]);
        assert_eq!(checked(&blob[..blob.len() / 2]), Ok(()));
        let lying = object("tree", b"");
        assert_eq!(checked(&lying), Ok(()));
        assert!(checked(b"not zlib").is_err());
        // A large commit (a stranger's 30 MB subject) inflates in steps.
        let big = object("commit", &vec![b'q'; 3 << 20]);
        assert_eq!(checked(&big), Ok(()));
    }
}
