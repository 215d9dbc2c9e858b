//! Where files belong: the names FORMAT.md allows, and what each one is.

use crate::schedule::time::parse_date;
use chrono::{Datelike, NaiveDate};

/// A file trainyard knows how to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Process,
    /// `process/YYYY-MM-DD.yaml`: an earlier version of the process.
    ProcessVersion(NaiveDate),
    People,
    Train(NaiveDate),
    Handoff(NaiveDate, String),
    Staging(NaiveDate),
    /// A sign-off round: 1 for signoff.yaml, N for signoff-N.yaml.
    Signoff(NaiveDate, u32),
    Push(NaiveDate),
    Notes(NaiveDate),
    Planning(i32, u32),
    Question(u32, String),
}

/// Files allowed directly inside a train folder.
pub const TRAIN_FILES: &[&str] = &[
    "train.yaml",
    "notes.md",
    "staging.yaml",
    "signoff.yaml",
    "push.yaml",
    "handoffs",
];

/// `releases/YYYY-MM-DD` folder name → its push date.
pub fn train_date(name: &str) -> Option<NaiveDate> {
    parse_date(name).ok()
}

/// `signoff.yaml` → round 1, `signoff-N.yaml` → round N (2 to 99).
pub fn signoff_round(name: &str) -> Option<u32> {
    if name == "signoff.yaml" {
        return Some(1);
    }
    let n = name.strip_prefix("signoff-")?.strip_suffix(".yaml")?;
    if n.is_empty() || n.len() > 2 || !n.bytes().all(|b| b.is_ascii_digit()) || n.starts_with('0') {
        return None;
    }
    n.parse().ok().filter(|n| *n >= 2)
}

/// `YYYY-MM-DD.yaml` → the date an earlier version of the process starts.
pub fn version_date(name: &str) -> Option<NaiveDate> {
    train_date(name.strip_suffix(".yaml")?)
}

/// `YYYY-MM.yaml` → (year, month).
pub fn planning_month(name: &str) -> Option<(i32, u32)> {
    let stem = name.strip_suffix(".yaml")?;
    let (y, m) = stem.split_once('-')?;
    if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (year, month) = (y.parse().ok()?, m.parse().ok()?);
    let first = crate::schedule::time::FIRST_DATE.year();
    let last = crate::schedule::time::LAST_DATE.year();
    ((1..=12).contains(&month) && (first..=last).contains(&year)).then_some((year, month))
}

/// `NNNN-slug.md` → (number, slug). The slug is lowercase letters, digits and dashes.
pub fn question_name(name: &str) -> Option<(u32, String)> {
    let stem = name.strip_suffix(".md")?;
    let (n, slug) = stem.split_once('-')?;
    let valid_slug = !slug.is_empty()
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if n.len() != 4 || !n.bytes().all(|b| b.is_ascii_digit()) || !valid_slug {
        return None;
    }
    Some((n.parse().ok()?, slug.to_string()))
}

/// A project slug as FORMAT.md uses it for hand-off file names.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_' || b == b'.'
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(train_date("2026-11-30").is_some());
        assert!(train_date("2026-02-30").is_none());
        assert!(train_date("next-week").is_none());
        assert_eq!(planning_month("2026-12.yaml"), Some((2026, 12)));
        assert_eq!(planning_month("2026-13.yaml"), None);
        assert_eq!(planning_month("december.yaml"), None);
        assert_eq!(
            question_name("0001-handoff-record.md"),
            Some((1, "handoff-record".into()))
        );
        assert_eq!(question_name("1-x.md"), None);
        assert_eq!(question_name("0001-Bad Name.md"), None);
        assert_eq!(question_name("0001-x.txt"), None);
    }
}
