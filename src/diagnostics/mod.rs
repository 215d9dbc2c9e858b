//! Diagnostics: what is wrong, where, and how to fix it; and their renderings.
//!
//! The bottom of the crate: the rule catalogue, positions and diagnostics
//! depend on nothing else in it, so every stage (load, model, rules, the
//! commands) can say what is wrong in the same terms.

mod github;
mod human;
pub use human::printable;
mod json;
pub mod markdown;
mod pos;
mod rule;
pub mod suggest;

pub use pos::Pos;
pub use rule::{Level, Rule};

pub use github::render_github;
pub use human::{render_human, Style};
pub use json::render_json;
pub use markdown::render_markdown;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One finding about one place in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: Rule,
    pub severity: Severity,
    /// Relative to the repository root, with `/` separators.
    pub file: String,
    pub pos: Pos,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    /// A new error-level diagnostic; severities are applied later from process.yaml.
    pub fn new(rule: Rule, file: impl Into<String>, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity: Severity::Error,
            file: file.into(),
            pos: pos.or_file(),
            message: message.into(),
            help: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    fn sort_key(&self) -> (&str, u32, u32, &'static str, &str) {
        (
            &self.file,
            self.pos.line,
            self.pos.col,
            self.rule.id(),
            &self.message,
        )
    }
}

/// The outcome of checking a repository: sorted diagnostics and their counts.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    /// Rules waived for a whole train ahead of time: (train folder, rule) for
    /// each approved `push-window` or `freeze` exception in a train.yaml,
    /// with the handle of who approved it.
    pub approved_ahead: std::collections::BTreeMap<(String, Rule), String>,
    /// With `check --base`: problems that already existed at the base in
    /// files the change does not touch (counted, not reported).
    pub older: usize,
}

impl Report {
    pub fn new(mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        diagnostics.dedup();
        Report {
            diagnostics,
            approved_ahead: Default::default(),
            older: 0,
        }
    }

    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, s: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == s).count()
    }

    /// The diagnostics of one file.
    pub fn for_file<'a>(&'a self, file: &'a str) -> impl Iterator<Item = &'a Diagnostic> + 'a {
        self.diagnostics.iter().filter(move |d| d.file == file)
    }
}
