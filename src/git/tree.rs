//! Differences between two trees, read straight from the object database.
//!
//! libgit2's tree objects parse every entry up front (an allocation per entry
//! and an octal mode parse each); a `releases/` folder of a few hundred trains
//! is read for every commit, so that dominated reading the history. Here a tree
//! is walked in its raw form, as `git log` does: entries are compared in place
//! and a subtree is opened only when its id differs between the two sides.

use git2::{Delta, Odb, OdbObject, Oid};

/// One changed file between two trees, relative to the trees' root.
pub struct Change {
    pub path: String,
    pub status: Delta,
    pub old_path: Option<String>,
}

/// One entry of a raw tree object: `<octal mode> <name>\0<binary id>`.
#[derive(Clone, Copy)]
struct Entry<'a> {
    name: &'a [u8],
    tree: bool,
    id: &'a [u8],
}

/// A position in a raw tree object.
struct Cursor<'a> {
    buf: &'a [u8],
    at: usize,
}

fn corrupt() -> git2::Error {
    git2::Error::from_str("corrupt tree object")
}

impl<'a> Cursor<'a> {
    /// Where the entry starting at `at` ends. A name cannot hold a NUL, so the
    /// first NUL after the mode ends the name and the id follows.
    fn end_of(buf: &[u8], at: usize) -> Result<usize, git2::Error> {
        let nul = memchr::memchr(0, &buf[at..]).ok_or_else(corrupt)?;
        let end = at + nul + 1 + ID_LEN;
        if end > buf.len() {
            return Err(corrupt());
        }
        Ok(end)
    }

    /// The entry under the cursor and where it ends, or None at the end.
    fn peek(&self) -> Result<Option<(Entry<'a>, usize)>, git2::Error> {
        if self.at >= self.buf.len() {
            return Ok(None);
        }
        let end = Self::end_of(self.buf, self.at)?;
        let raw = &self.buf[self.at..end];
        let space = memchr::memchr(b' ', raw).ok_or_else(corrupt)?;
        let nul = raw.len() - 1 - ID_LEN;
        if space >= nul {
            return Err(corrupt());
        }
        // Folders have mode 40000 (written without a leading zero).
        Ok(Some((
            Entry {
                tree: &raw[..space] == b"40000",
                name: &raw[space + 1..nul],
                id: &raw[nul + 1..],
            },
            end,
        )))
    }

    /// The rest of the tree from the cursor on.
    fn rest(&self) -> &'a [u8] {
        &self.buf[self.at.min(self.buf.len())..]
    }
}

/// The offset of the first entry that is not byte-for-byte the same, at the
/// same place, in both trees: every entry before it is unchanged.
fn unchanged_prefix(a: &[u8], b: &[u8]) -> Result<usize, git2::Error> {
    let n = a.len().min(b.len());
    let mut same = 0;
    // Whole blocks first (memcmp), then the block that differs byte by byte.
    while same + 64 <= n && a[same..same + 64] == b[same..same + 64] {
        same += 64;
    }
    while same < n && a[same] == b[same] {
        same += 1;
    }
    let mut at = 0;
    loop {
        if at >= same {
            return Ok(at);
        }
        let end = Cursor::end_of(a, at)?;
        if end > same {
            return Ok(at);
        }
        at = end;
    }
}

/// Git's tree order: names compared bytewise, a folder as if it ended in `/`.
fn tree_order(a: &Entry<'_>, b: &Entry<'_>) -> std::cmp::Ordering {
    let n = a.name.len().min(b.name.len());
    match a.name[..n].cmp(&b.name[..n]) {
        std::cmp::Ordering::Equal => {}
        o => return o,
    }
    let end = |e: &Entry<'_>| {
        e.name
            .get(n)
            .copied()
            .or(if e.tree { Some(b'/') } else { None })
    };
    end(a).cmp(&end(b))
}

/// Reads trees, keeping the ones read for the previous commit: walking the
/// history newest first, a commit's parent trees are the next commit's trees.
///
/// A commit reads a handful of trees (the root, `releases/`, a train folder,
/// its `handoffs/`), so the trees are kept in short lists searched in order:
/// cheaper than hashing object ids.
pub struct Trees<'o> {
    odb: &'o Odb<'o>,
    kept: Vec<(Oid, OdbObject<'o>)>,
    read: Vec<(Oid, OdbObject<'o>)>,
}

/// The length of an object id (SHA-1: libgit2 is built without SHA-256 support).
const ID_LEN: usize = 20;

impl<'o> Trees<'o> {
    pub fn new(odb: &'o Odb<'o>) -> Trees<'o> {
        Trees {
            odb,
            kept: Vec::new(),
            read: Vec::new(),
        }
    }

    /// Forget every tree not read since the last call.
    pub fn next_commit(&mut self) {
        self.kept = std::mem::take(&mut self.read);
    }

    fn load(&mut self, id: Oid) -> Result<(), git2::Error> {
        if self.read.iter().any(|(i, _)| *i == id) {
            return Ok(());
        }
        let object = match self.kept.iter().position(|(i, _)| *i == id) {
            Some(at) => self.kept.swap_remove(at).1,
            None => self.odb.read(id)?,
        };
        if object.kind() != git2::ObjectType::Tree {
            return Err(git2::Error::from_str("expected a tree object"));
        }
        self.read.push((id, object));
        Ok(())
    }

    /// The raw bytes of a loaded tree (empty for none).
    fn data(&self, id: Option<Oid>) -> &[u8] {
        id.and_then(|id| self.read.iter().find(|(i, _)| *i == id))
            .map_or(&[][..], |(_, o)| o.data())
    }

    /// The id of the folder at `path` (components separated by `/`) under
    /// `root`, if there is one.
    pub fn subtree(&mut self, root: Oid, path: &str) -> Result<Option<Oid>, git2::Error> {
        let mut at = root;
        for part in path.split('/').filter(|p| !p.is_empty()) {
            self.load(at)?;
            let mut cursor = Cursor {
                buf: self.data(Some(at)),
                at: 0,
            };
            let mut found = None;
            while let Some((e, end)) = cursor.peek()? {
                if e.name == part.as_bytes() {
                    found = e.tree.then(|| Oid::from_bytes(e.id)).transpose()?;
                    break;
                }
                cursor.at = end;
            }
            match found {
                Some(id) => at = id,
                None => return Ok(None),
            }
        }
        Ok(Some(at))
    }

    /// Every file added, deleted or modified between two trees (either may be
    /// missing), with paths under `base`.
    ///
    /// The two trees are walked in lockstep, as Git does, but the unchanged
    /// entries at the start are skipped with one comparison of the bytes, and
    /// the walk stops as soon as the rest of both trees is the same bytes: a
    /// commit that changes one train compares one entry of `releases/`.
    ///
    /// Folders are visited depth first, in tree order, from a stack of their
    /// own rather than by recursion: a stranger's history may hold a folder
    /// thousands of levels deep.
    pub fn changes(
        &mut self,
        old: Option<Oid>,
        new: Option<Oid>,
        base: &str,
        out: &mut Vec<Change>,
    ) -> Result<(), git2::Error> {
        let mut stack = vec![(old, new, base.to_string())];
        let mut descend = Vec::new();
        while let Some((old, new, base)) = stack.pop() {
            self.level(old, new, &base, out, &mut descend)?;
            // The first subtree of this level is visited next.
            stack.extend(descend.drain(..).rev());
        }
        Ok(())
    }

    /// One level of [`Trees::changes`]: the files that differ go to `out`,
    /// the folders that differ to `descend`, in tree order.
    fn level(
        &mut self,
        old: Option<Oid>,
        new: Option<Oid>,
        base: &str,
        out: &mut Vec<Change>,
        descend: &mut Vec<(Option<Oid>, Option<Oid>, String)>,
    ) -> Result<(), git2::Error> {
        if old == new {
            return Ok(());
        }
        for id in [old, new].into_iter().flatten() {
            self.load(id)?;
        }
        {
            let join = |name: &[u8]| {
                let name = String::from_utf8_lossy(name);
                if base.is_empty() {
                    name.into_owned()
                } else {
                    format!("{base}/{name}")
                }
            };
            // A whole entry added or deleted: a file, or a folder to list.
            let side =
                |e: &Entry<'_>,
                 status: Delta,
                 out: &mut Vec<Change>,
                 descend: &mut Vec<(Option<Oid>, Option<Oid>, String)>| {
                    let path = join(e.name);
                    if e.tree {
                        let id = Oid::from_bytes(e.id)?;
                        descend.push(match status {
                            Delta::Added => (None, Some(id), path),
                            _ => (Some(id), None, path),
                        });
                    } else {
                        out.push(Change {
                            path,
                            status,
                            old_path: None,
                        });
                    }
                    Ok::<(), git2::Error>(())
                };
            let (a_buf, b_buf) = (self.data(old), self.data(new));
            let start = unchanged_prefix(a_buf, b_buf)?;
            let mut a = Cursor {
                buf: a_buf,
                at: start,
            };
            let mut b = Cursor {
                buf: b_buf,
                at: start,
            };
            loop {
                let (x, y) = (a.peek()?, b.peek()?);
                let order = match (&x, &y) {
                    (Some((x, _)), Some((y, _))) => tree_order(x, y),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => break,
                };
                let differs = match (order, x, y) {
                    (std::cmp::Ordering::Less, Some((x, end)), _) => {
                        side(&x, Delta::Deleted, out, descend)?;
                        a.at = end;
                        true
                    }
                    (std::cmp::Ordering::Greater, _, Some((y, end))) => {
                        side(&y, Delta::Added, out, descend)?;
                        b.at = end;
                        true
                    }
                    (_, Some((x, x_end)), Some((y, y_end))) => {
                        a.at = x_end;
                        b.at = y_end;
                        if x.id == y.id {
                            false
                        } else {
                            match (x.tree, y.tree) {
                                (true, true) => descend.push((
                                    Some(Oid::from_bytes(x.id)?),
                                    Some(Oid::from_bytes(y.id)?),
                                    join(y.name),
                                )),
                                (false, false) => out.push(Change {
                                    path: join(y.name),
                                    status: Delta::Modified,
                                    old_path: None,
                                }),
                                _ => {
                                    side(&x, Delta::Deleted, out, descend)?;
                                    side(&y, Delta::Added, out, descend)?;
                                }
                            }
                            true
                        }
                    }
                    // Less and Greater come only with that side present.
                    _ => break,
                };
                // After a difference, the rest may be the same bytes: done.
                if differs && a.rest() == b.rest() {
                    break;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(mode: &str, name: &str, id: u8) -> Vec<u8> {
        let mut e = format!("{mode} {name}\0").into_bytes();
        e.extend([id; ID_LEN]);
        e
    }

    fn names(buf: &[u8], from: usize) -> Vec<String> {
        let mut c = Cursor { buf, at: from };
        let mut out = Vec::new();
        while let Some((e, end)) = c.peek().unwrap() {
            out.push(format!(
                "{}{}",
                String::from_utf8_lossy(e.name),
                if e.tree { "/" } else { "" }
            ));
            c.at = end;
        }
        out
    }

    #[test]
    fn entries_are_read_in_place() {
        let buf = [
            entry("100644", "a.yaml", 1),
            entry("40000", "handoffs", 2),
            entry("100755", "run", 3),
        ]
        .concat();
        assert_eq!(names(&buf, 0), ["a.yaml", "handoffs/", "run"]);
    }

    #[test]
    fn the_unchanged_prefix_ends_at_an_entry_boundary() {
        let same = entry("100644", "a", 1);
        let a = [same.clone(), entry("100644", "b", 2)].concat();
        // The ids differ in their last byte only: `b` is changed as a whole.
        let mut changed = entry("100644", "b", 2);
        *changed.last_mut().unwrap() = 9;
        let b = [same.clone(), changed].concat();
        assert_eq!(unchanged_prefix(&a, &b).unwrap(), same.len());
        assert_eq!(unchanged_prefix(&a, &a).unwrap(), a.len());
        assert_eq!(unchanged_prefix(&[], &a).unwrap(), 0);
    }

    #[test]
    fn a_truncated_tree_is_an_error_not_a_panic() {
        let mut buf = entry("100644", "a", 1);
        buf.truncate(buf.len() - 3);
        assert!(Cursor { buf: &buf, at: 0 }.peek().is_err());
        assert!(Cursor {
            buf: b"100644 no-nul",
            at: 0
        }
        .peek()
        .is_err());
        assert!(
            Cursor {
                buf: &[0u8; 21],
                at: 0
            }
            .peek()
            .is_err(),
            "no mode"
        );
    }

    #[test]
    fn folders_sort_as_if_they_ended_in_a_slash() {
        let file = Entry {
            name: b"a",
            tree: false,
            id: &[0; ID_LEN],
        };
        let folder = Entry {
            name: b"a",
            tree: true,
            id: &[0; ID_LEN],
        };
        let dashed = Entry {
            name: b"a-b",
            tree: false,
            id: &[0; ID_LEN],
        };
        // Git's order: "a" < "a-b" < "a/" ('-' is 0x2d, '/' is 0x2f).
        assert_eq!(tree_order(&file, &dashed), std::cmp::Ordering::Less);
        assert_eq!(tree_order(&dashed, &folder), std::cmp::Ordering::Less);
    }
}
