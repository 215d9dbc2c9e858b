//! Where in a file a diagnostic points.

/// A 1-based line and column (in characters) inside a source file, plus the
/// length of the value in characters so renderers can underline all of it.
///
/// `line == 0` means "not written in the file" (a default value); renderers and
/// diagnostics then point at the whole file (1:1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
    pub len: u32,
}

impl Pos {
    /// The whole-file position (1:1), used for problems that belong to no value.
    pub const FILE: Pos = Pos {
        line: 1,
        col: 1,
        len: 0,
    };

    pub fn new(line: u32, col: u32) -> Self {
        Pos { line, col, len: 1 }
    }

    /// This position, or 1:1 when the value was not written in the file.
    pub fn or_file(self) -> Pos {
        if self.line == 0 {
            Pos::FILE
        } else {
            self
        }
    }
}
