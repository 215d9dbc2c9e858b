//! The shape release records are written in, read quickly.
//!
//! Hand-offs, staging, sign-off and push records are small block mappings of
//! plain or quoted one-line scalars, with the odd one-line flow list or mapping.
//! Reading them through serde-saphyr's full YAML machinery was the largest
//! part of `build`'s CPU time on a long history (docs/performance.md). This
//! module reads that shape, and only that shape: a file that uses anything
//! else (anchors, tags, block scalars, multi-line values, escapes, tabs,
//! non-ASCII text, duplicate keys, deep nesting) gets `None`, and serde-saphyr
//! reads it as before. It never reports an error itself: every diagnostic still
//! comes from serde-saphyr, and a differential test holds both to the same
//! values and positions.

use std::borrow::Cow;

/// Where a node was written, as serde-saphyr reports it: 1-based line and
/// column, and the length of its source text (a block collection has none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct At {
    pub line: u32,
    pub col: u32,
    pub len: u32,
}

#[derive(Debug)]
pub(super) enum Node<'a> {
    /// An unquoted scalar; its type is decided by what the record expects.
    Plain(&'a str, At),
    /// A quoted scalar: always text.
    Quoted(Cow<'a, str>, At),
    /// A key with nothing after it.
    Empty,
    Map(Vec<(&'a str, Node<'a>)>, At),
    Seq(Vec<Node<'a>>, At),
}

/// Collections nested deeper than this go to serde-saphyr (its budget allows 32).
const MAX_DEPTH: usize = 16;
/// Documents with more nodes than this go to serde-saphyr, whose budget then
/// decides (it allows 100,000); records have a few dozen.
const MAX_NODES: usize = 10_000;

/// One line with content: its number, its indentation and the rest.
struct Line<'a> {
    no: u32,
    indent: usize,
    text: &'a str,
}

/// The document in `text`, if it is written in the shape this module reads.
pub(super) fn parse(text: &str) -> Option<Node<'_>> {
    // Tabs, carriage returns, control characters and non-ASCII text (whose
    // columns count characters, not bytes) all go to serde-saphyr.
    if !text
        .bytes()
        .all(|b| b == b'\n' || (0x20..0x7f).contains(&b))
    {
        return None;
    }
    let mut lines = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let body = raw.trim_start_matches(' ');
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        if raw.starts_with("---") || raw.starts_with("...") || raw.starts_with('%') {
            return None;
        }
        lines.push(Line {
            no: u32::try_from(i + 1).ok()?,
            indent: raw.len() - body.len(),
            text: body,
        });
    }
    if lines.first()?.indent != 0 {
        return None;
    }
    let mut p = Parser {
        lines,
        next: 0,
        nodes: 0,
    };
    let root = p.block_map(0, 0)?;
    (p.next == p.lines.len()).then_some(root)
}

struct Parser<'a> {
    lines: Vec<Line<'a>>,
    next: usize,
    nodes: usize,
}

impl<'a> Parser<'a> {
    fn count(&mut self) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= MAX_NODES).then_some(())
    }

    /// A block mapping whose keys start at column `indent` (0-based).
    fn block_map(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.count()?;
        let at = block_at(self.lines.get(self.next)?.no, indent);
        let mut entries: Vec<(&'a str, Node<'a>)> = Vec::new();
        while let Some(line) = self.lines.get(self.next) {
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let (no, text) = (line.no, line.text);
            let (key, rest) = split_key(text)?;
            if entries.iter().any(|(k, _)| *k == key) {
                return None;
            }
            self.next += 1;
            let value = self.value(rest, no, indent + key.len() + 1, indent, depth)?;
            entries.push((key, value));
        }
        Some(Node::Map(entries, at))
    }

    /// A block sequence whose dashes are at column `indent`.
    fn block_seq(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.count()?;
        let at = block_at(self.lines.get(self.next)?.no, indent);
        let mut items = Vec::new();
        while let Some(line) = self.lines.get(self.next) {
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return None;
            }
            if !line.text.starts_with("- ") {
                // A key at the sequence's own column: the sequence was the
                // value of the key above it, and the mapping goes on.
                break;
            }
            let (no, text) = (line.no, line.text);
            let content = text[1..].trim_start_matches(' ');
            let col = indent + (text.len() - content.len());
            if content.starts_with('#') {
                return None;
            }
            if split_key(content).is_some() {
                // A mapping that starts on the item's line: read it as if
                // the line began at the mapping's first key.
                self.lines[self.next] = Line {
                    no,
                    indent: col,
                    text: content,
                };
                items.push(self.block_map(col, depth + 1)?);
            } else {
                self.next += 1;
                let (node, used) = self.inline(content, no, col, depth + 1, false)?;
                if !line_ends(&content[used..]) {
                    return None;
                }
                items.push(node);
            }
        }
        Some(Node::Seq(items, at))
    }

    /// The value of a key whose line goes on with `rest` at column `col`.
    fn value(
        &mut self,
        rest: &'a str,
        no: u32,
        col: usize,
        indent: usize,
        depth: usize,
    ) -> Option<Node<'a>> {
        let inline = rest.trim_start_matches(' ');
        if inline.is_empty() || inline.starts_with('#') {
            return Some(match self.lines.get(self.next) {
                Some(next) if next.indent > indent && next.text.starts_with("- ") => {
                    self.block_seq(next.indent, depth + 1)?
                }
                Some(next) if next.indent > indent => self.block_map(next.indent, depth + 1)?,
                Some(next) if next.indent == indent && next.text.starts_with("- ") => {
                    self.block_seq(indent, depth + 1)?
                }
                _ => Node::Empty,
            });
        }
        let col = col + (rest.len() - inline.len());
        let (node, used) = self.inline(inline, no, col, depth, false)?;
        line_ends(&inline[used..]).then_some(node)
    }

    /// A value written on one line, starting at column `col` of `s`; with the
    /// number of bytes it took. In a block, a plain scalar takes the rest of
    /// the line; inside `[...]` or `{...}` (`in_flow`), it ends at `,`, `]` or `}`.
    fn inline(
        &mut self,
        s: &'a str,
        no: u32,
        col: usize,
        depth: usize,
        in_flow: bool,
    ) -> Option<(Node<'a>, usize)> {
        self.count()?;
        match s.as_bytes().first()? {
            b'[' | b'{' => self.flow(s, no, col, depth + 1),
            b'\'' | b'"' => quoted(s, no, col),
            _ => plain(s, no, col, in_flow),
        }
    }

    /// A flow list `[...]` or mapping `{...}` written on one line, with the
    /// bytes it took.
    fn flow(&mut self, s: &'a str, no: u32, col: usize, depth: usize) -> Option<(Node<'a>, usize)> {
        if depth > MAX_DEPTH {
            return None;
        }
        let keyed = s.starts_with('{');
        let close = if keyed { b'}' } else { b']' };
        let at = at(no, col, 1)?;
        let mut keys: Vec<&'a str> = Vec::new();
        let mut values = Vec::new();
        let mut i = skip_spaces(s, 1);
        if s.as_bytes().get(i) != Some(&close) {
            loop {
                if keyed {
                    let (key, rest) = split_key(&s[i..])?;
                    if rest.is_empty() || keys.contains(&key) {
                        return None;
                    }
                    keys.push(key);
                    i = skip_spaces(s, i + key.len() + 1);
                }
                let (node, used) = self.inline(&s[i..], no, col + i, depth, true)?;
                values.push(node);
                i = skip_spaces(s, i + used);
                match *s.as_bytes().get(i)? {
                    b',' => i = skip_spaces(s, i + 1),
                    c if c == close => break,
                    _ => return None,
                }
            }
        }
        let node = if keyed {
            Node::Map(keys.into_iter().zip(values).collect(), at)
        } else {
            Node::Seq(values, at)
        };
        Some((node, i + 1))
    }
}

/// A block collection's position: where its first key or dash is, no length.
fn block_at(no: u32, indent: usize) -> At {
    At {
        line: no,
        col: u32::try_from(indent + 1).unwrap_or(u32::MAX),
        len: 0,
    }
}

fn at(no: u32, col: usize, len: usize) -> Option<At> {
    Some(At {
        line: no,
        col: u32::try_from(col + 1).ok()?,
        len: u32::try_from(len).ok()?,
    })
}

/// `key: rest` or `key:` with a simple key (a letter or `_`, then letters,
/// digits, `_` and `-`): the key and what follows the colon.
fn split_key(text: &str) -> Option<(&str, &str)> {
    let b = text.as_bytes();
    if !b.first()?.is_ascii_alphabetic() && b[0] != b'_' {
        return None;
    }
    let end = b
        .iter()
        .position(|&c| !(c.is_ascii_alphanumeric() || c == b'_' || c == b'-'))?;
    if b[end] != b':' {
        return None;
    }
    let rest = &text[end + 1..];
    (rest.is_empty() || rest.starts_with(' ')).then_some((&text[..end], rest))
}

/// A plain (unquoted) scalar at the start of `s`, with the bytes it took.
fn plain(s: &str, no: u32, col: usize, in_flow: bool) -> Option<(Node<'_>, usize)> {
    let end = if in_flow {
        s.find([',', ']', '}'])
    } else {
        s.find(" #")
    };
    let value = s[..end.unwrap_or(s.len())].trim_end_matches(' ');
    // `:` belongs to the text only when something other than a space follows
    // it (`https://...`). Inside brackets, comments and brackets go to
    // serde-saphyr.
    let unusual = value.contains(": ")
        || value.ends_with(':')
        || (in_flow && value.contains(['#', '[', '{']));
    if !plain_start(value) || unusual {
        return None;
    }
    Some((Node::Plain(value, at(no, col, value.len())?), value.len()))
}

/// Whether a plain scalar may start this way: not empty, and not with a
/// character that means something else in YAML.
fn plain_start(value: &str) -> bool {
    value
        .bytes()
        .next()
        .is_some_and(|c| !b"-?:,[]{}#&*!|>'\"%@`".contains(&c))
}

/// A one-line quoted scalar at the start of `s`, with the bytes it took.
/// Double-quoted text with escapes goes to serde-saphyr.
fn quoted(s: &str, no: u32, col: usize) -> Option<(Node<'_>, usize)> {
    let body = &s[1..];
    let (value, end): (Cow<'_, str>, usize) = if s.starts_with('"') {
        let end = body.find(['"', '\\'])?;
        if body.as_bytes()[end] == b'\\' {
            return None;
        }
        (Cow::Borrowed(&body[..end]), end)
    } else {
        // `''` is a quote inside the text.
        let mut text = String::new();
        let mut rest = body;
        loop {
            let close = rest.find('\'')?;
            if rest[close + 1..].starts_with('\'') {
                text.push_str(&rest[..=close]);
                rest = &rest[close + 2..];
            } else {
                let end = body.len() - rest.len() + close;
                if text.is_empty() {
                    break (Cow::Borrowed(&body[..end]), end);
                }
                text.push_str(&rest[..close]);
                break (Cow::Owned(text), end);
            }
        }
    };
    let used = end + 2;
    Some((Node::Quoted(value, at(no, col, used)?), used))
}

fn skip_spaces(s: &str, from: usize) -> usize {
    from + s[from..].len() - s[from..].trim_start_matches(' ').len()
}

/// Whether what is left of a line after a value is nothing but spaces and
/// perhaps a comment (which needs a space before it).
fn line_ends(rest: &str) -> bool {
    let trimmed = rest.trim_start_matches(' ');
    trimmed.is_empty() || (trimmed.starts_with('#') && trimmed.len() < rest.len())
}
