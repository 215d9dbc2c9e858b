//! A clone's commits, read once into memory: every commit reachable from the
//! release branch and from the tags, with its parents and generation number
//! (1 + the highest of its parents'). Reachability and ranges are then walks
//! over memory, exact whatever the commit dates say, and each commit is read
//! from the object database and parsed exactly once however many ranges and
//! checks ask about it.

use super::clone::Commit;
use crate::model::process::BugPattern;
use chrono::{DateTime, FixedOffset};
use git2::{Oid, Repository as GitRepository};
use std::collections::{BinaryHeap, HashMap};

struct Node {
    parents: Vec<u32>,
    /// Committer time: `git log`'s order.
    committed: i64,
    generation: u32,
    commit: Commit,
}

pub struct Graph {
    index: HashMap<Oid, u32>,
    nodes: Vec<Node>,
}

/// What a range walk found.
pub struct Range {
    /// `git log --no-merges FROM..TO`, newest first.
    pub commits: Vec<Commit>,
    /// Every commit of the range, merges included.
    pub all: usize,
    /// The range reaches a root commit (a history FROM does not share).
    pub met_root: bool,
}

const IN: u8 = 1;
const OUT: u8 = 2;
const TAKEN: u8 = 4;

/// A range walk's state: each commit's marks (reachable from TO, from FROM,
/// taken), the commits to take, newest generation first, and how many of
/// those are reachable from TO only.
struct Walk<'g> {
    nodes: &'g [Node],
    marks: HashMap<u32, u8>,
    heap: BinaryHeap<(u32, u32)>,
    pending_in: usize,
}

impl Walk<'_> {
    fn mark(&mut self, n: u32, m: u8) {
        let old = self.marks.get(&n).copied().unwrap_or(0);
        let new = old | (m & (IN | OUT));
        if old & TAKEN != 0 || new == old {
            return;
        }
        if new == IN {
            self.pending_in += 1;
        } else if old == IN {
            self.pending_in -= 1;
        }
        self.marks.insert(n, new);
        self.heap.push((self.nodes[n as usize].generation, n));
    }
}

impl Graph {
    /// Read every commit reachable from `tips` (parents missing from a
    /// shallow clone are left out).
    pub fn read(
        git: &GitRepository,
        tips: &[Oid],
        bugs: &BugPattern,
    ) -> Result<Graph, git2::Error> {
        let mut g = Graph {
            index: HashMap::new(),
            nodes: Vec::new(),
        };
        let mut parents_of: Vec<Vec<Oid>> = Vec::new();
        let mut stack: Vec<Oid> = tips.to_vec();
        while let Some(oid) = stack.pop() {
            if g.index.contains_key(&oid) {
                continue;
            }
            let c = match git.find_commit(oid) {
                Ok(c) => c,
                // Cut off by a shallow clone.
                Err(e) if e.code() == git2::ErrorCode::NotFound && git.is_shallow() => continue,
                // Missing from a full clone, or unreadable: the clone is
                // damaged, and a history cut short here would be wrong.
                Err(e) => {
                    return Err(git2::Error::from_str(&format!(
                        "commit {oid} cannot be read ({})",
                        e.message()
                    )))
                }
            };
            let parents: Vec<Oid> = c.parent_ids().collect();
            stack.extend(parents.iter().copied());
            g.index.insert(oid, g.nodes.len() as u32);
            g.nodes.push(Node {
                parents: Vec::new(),
                committed: c.committer().when().seconds(),
                generation: 0,
                commit: describe(&c, bugs),
            });
            parents_of.push(parents);
        }
        for (node, parents) in g.nodes.iter_mut().zip(parents_of) {
            node.parents = parents
                .iter()
                .filter_map(|p| g.index.get(p).copied())
                .collect();
        }
        g.number();
        Ok(g)
    }

    /// Generation numbers, parents before children (an explicit stack: a
    /// history is far deeper than the call stack).
    fn number(&mut self) {
        let mut stack: Vec<(u32, bool)> =
            (0..self.nodes.len() as u32).map(|i| (i, false)).collect();
        while let Some((i, parents_done)) = stack.pop() {
            if self.nodes[i as usize].generation != 0 {
                continue;
            }
            if parents_done {
                let g = self.nodes[i as usize]
                    .parents
                    .iter()
                    .map(|p| self.nodes[*p as usize].generation)
                    .max()
                    .unwrap_or(0);
                self.nodes[i as usize].generation = g + 1;
            } else {
                stack.push((i, true));
                for p in &self.nodes[i as usize].parents {
                    if self.nodes[*p as usize].generation == 0 {
                        stack.push((*p, false));
                    }
                }
            }
        }
    }

    /// Every commit reachable from `tip`, as a membership table by node.
    pub fn reachable(&self, tip: Oid) -> Vec<bool> {
        let mut seen = vec![false; self.nodes.len()];
        let mut stack: Vec<u32> = self.index.get(&tip).copied().into_iter().collect();
        while let Some(i) = stack.pop() {
            if !std::mem::replace(&mut seen[i as usize], true) {
                stack.extend(self.nodes[i as usize].parents.iter().copied());
            }
        }
        seen
    }

    pub fn node_of(&self, oid: Oid) -> Option<u32> {
        self.index.get(&oid).copied()
    }

    /// The commits reachable from `to` and not from `from`. Walked newest
    /// generation first, so a commit's marks are final when it is taken (all
    /// its descendants in the walk come before it), and the walk stops as
    /// soon as nothing left can be in the range.
    pub fn range(&self, from: Oid, to: Oid) -> Range {
        let (Some(to), Some(from)) = (self.node_of(to), self.node_of(from)) else {
            return Range {
                commits: Vec::new(),
                all: 0,
                met_root: false,
            };
        };
        let mut walk = Walk {
            nodes: &self.nodes,
            marks: HashMap::new(),
            heap: BinaryHeap::new(),
            pending_in: 0,
        };
        walk.mark(to, IN);
        walk.mark(from, OUT);
        let mut found: Vec<u32> = Vec::new();
        let mut met_root = false;
        while walk.pending_in > 0 {
            let Some((_, n)) = walk.heap.pop() else { break };
            let m = walk.marks.get(&n).copied().unwrap_or(0);
            if m & TAKEN != 0 {
                continue; // a second entry of a commit already taken
            }
            walk.marks.insert(n, m | TAKEN);
            if m == IN {
                walk.pending_in -= 1;
                found.push(n);
                met_root |= self.nodes[n as usize].parents.is_empty();
            }
            for &p in &self.nodes[n as usize].parents {
                walk.mark(p, m);
            }
        }
        // `git log`'s order: newest committer time first (children before
        // parents on a tie).
        found.sort_by(|a, b| {
            let (x, y) = (&self.nodes[*a as usize], &self.nodes[*b as usize]);
            y.committed
                .cmp(&x.committed)
                .then(y.generation.cmp(&x.generation))
        });
        let all = found.len();
        let commits = found
            .into_iter()
            .filter(|n| self.nodes[*n as usize].parents.len() <= 1)
            .map(|n| self.nodes[n as usize].commit.clone())
            .collect();
        Range {
            commits,
            all,
            met_root,
        }
    }

    /// Whether `a` is a proper ancestor of `b`.
    pub fn is_ancestor(&self, a: Oid, b: Oid) -> bool {
        let (Some(a), Some(b)) = (self.node_of(a), self.node_of(b)) else {
            return false;
        };
        if a == b {
            return false;
        }
        let floor = self.nodes[a as usize].generation;
        let mut seen = vec![false; self.nodes.len()];
        let mut stack = vec![b];
        while let Some(i) = stack.pop() {
            if i == a {
                return true;
            }
            if self.nodes[i as usize].generation <= floor
                || std::mem::replace(&mut seen[i as usize], true)
            {
                continue;
            }
            stack.extend(self.nodes[i as usize].parents.iter().copied());
        }
        false
    }

    /// Whether `a` and `b` share any commit.
    pub fn related(&self, a: Oid, b: Oid) -> bool {
        let ra = self.reachable(a);
        self.reachable(b).iter().zip(&ra).any(|(x, y)| *x && *y)
    }
}

fn describe(c: &git2::Commit<'_>, bugs: &BugPattern) -> Commit {
    let author = c.author();
    let when = author.when();
    let offset = FixedOffset::east_opt(when.offset_minutes() * 60)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero is a valid offset"));
    let time = DateTime::from_timestamp(when.seconds(), 0)
        .unwrap_or_default()
        .with_timezone(&offset);
    let message = String::from_utf8_lossy(c.message_bytes());
    Commit {
        id: c.id().to_string(),
        author: shortened(
            &String::from_utf8_lossy(author.name_bytes()),
            MAX_AUTHOR_CHARS,
        ),
        email: shortened(
            &String::from_utf8_lossy(author.email_bytes()),
            MAX_AUTHOR_CHARS,
        ),
        time,
        subject: shortened(message.lines().next().unwrap_or(""), MAX_SUBJECT_CHARS),
        bugs: bugs.numbers(&message),
    }
}

/// The most characters of a commit's subject that pages, release notes and
/// e-mails show: a stranger's 30 MB subject is cut, with `…`.
pub const MAX_SUBJECT_CHARS: usize = 200;
/// The most characters of an author's name or e-mail address shown.
pub const MAX_AUTHOR_CHARS: usize = 100;

/// `s` cut to at most `max` characters, with `…` where it was cut.
fn shortened(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((at, _)) => {
            let mut cut = s[..at].trim_end().to_string();
            cut.push('…');
            cut
        }
    }
}
