//! The whole repository, as loaded.

use super::{Handoff, Push, Signoff, Staging, TrainFile};
use super::{People, Planning, Process, Question};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A parsed record and the repository-relative path (with `/`) it came from.
#[derive(Debug, Clone)]
pub struct Record<T> {
    pub path: String,
    pub data: T,
}

/// The train folder (`releases/DATE`) a path relative to the repository root
/// is in, or names, if any.
pub fn train_dir_of(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("releases/")?;
    let name = rest.split('/').next().filter(|n| !n.is_empty())?;
    Some(&path[.."releases/".len() + name.len()])
}

/// One release train folder, `releases/YYYY-MM-DD/`. Records that failed to parse
/// are absent here; their diagnostics were reported while loading.
#[derive(Debug, Clone)]
pub struct Train {
    /// The production push date (the folder name).
    pub date: NaiveDate,
    /// `releases/YYYY-MM-DD`
    pub dir: String,
    /// Whether train.yaml exists at all (it may exist and fail to parse).
    pub has_train_file: bool,
    pub train: Option<Record<TrainFile>>,
    pub handoffs: Vec<Record<Handoff>>,
    /// Paths of every record file in the folder, parsed or not, by kind.
    pub record_files: Vec<String>,
    pub staging: Option<Record<Staging>>,
    /// The deciding sign-off: the highest round (signoff.yaml, or
    /// signoff-N.yaml after a no-go).
    pub signoff: Option<Record<Signoff>>,
    /// The rounds before it, in order, each with its number.
    pub earlier_rounds: Vec<(u32, Record<Signoff>)>,
    /// The round numbers of every sign-off file, parsed or not, in order.
    pub signoff_rounds: Vec<u32>,
    /// Whether a sign-off file exists (it may exist and fail to parse).
    pub has_signoff_file: bool,
    pub push: Option<Record<Push>>,
    pub notes: Option<String>,
}

impl Train {
    pub fn new(date: NaiveDate, dir: String) -> Self {
        Train {
            date,
            dir,
            has_train_file: false,
            train: None,
            handoffs: Vec::new(),
            record_files: Vec::new(),
            staging: None,
            signoff: None,
            earlier_rounds: Vec::new(),
            signoff_rounds: Vec::new(),
            has_signoff_file: false,
            push: None,
            notes: None,
        }
    }

    pub fn id(&self) -> String {
        // NaiveDate's Display is YYYY-MM-DD, written without a format string.
        self.date.to_string()
    }

    /// The path of train.yaml (whether or not it exists).
    pub fn train_path(&self) -> String {
        format!("{}/train.yaml", self.dir)
    }

    /// Every sign-off round, in order, the deciding one last.
    pub fn rounds(&self) -> impl Iterator<Item = &Record<Signoff>> {
        self.earlier_rounds
            .iter()
            .map(|(_, r)| r)
            .chain(self.signoff.iter())
    }

    /// How many `no-go` rounds were signed before `at`: 0 for a hand-off
    /// of the first round, k for a re-hand-off after the k-th no-go (which
    /// the drop-to-test deadline does not judge).
    pub fn round_of(&self, at: chrono::DateTime<chrono_tz::Tz>) -> usize {
        self.rounds()
            .filter(|r| {
                r.data.decision.value == super::Decision::NoGo
                    && r.data.at.value.get().is_some_and(|s| s < at)
            })
            .count()
    }

    /// Whether the train pushes off the regular day (`out_of_cycle`): it
    /// may have any date, and its deadlines are only its own order.
    pub fn is_out_of_cycle(&self) -> bool {
        self.train
            .as_ref()
            .is_some_and(|t| t.data.out_of_cycle.is_some())
    }

    pub fn is_skipped(&self) -> bool {
        self.train
            .as_ref()
            .is_some_and(|t| t.data.skipped.is_some())
    }
}

#[derive(Debug, Clone)]
pub struct PlanningRecord {
    /// The month named by the file, when the name is valid.
    pub month: Option<(i32, u32)>,
    pub doc: Record<Planning>,
}

#[derive(Debug, Clone)]
pub struct QuestionRecord {
    pub number: u32,
    pub slug: String,
    pub doc: Record<Question>,
    /// The Markdown body after the front matter.
    pub body: String,
}

/// Everything trainyard knows about a release repository.
#[derive(Debug, Clone, Default)]
pub struct ReleaseRepository {
    pub root: PathBuf,
    /// The process now (process.yaml): its tool keys serve every command, its
    /// process keys judge the trains from its `since` on.
    pub process: Process,
    /// Earlier versions of the process (`process/YYYY-MM-DD.yaml`), oldest
    /// first; each judges the trains from its date to the next version's.
    pub earlier: Vec<ProcessVersion>,
    pub people: People,
    /// Whether process.yaml exists but could not be read: the records are
    /// then not judged by a default process (one mistake, one diagnostic).
    pub process_unreadable: bool,
    /// Sorted by push date.
    pub trains: Vec<Train>,
    pub planning: Vec<PlanningRecord>,
    /// Sorted by number.
    pub questions: Vec<QuestionRecord>,
    /// The text of every file that was read, by relative path, so diagnostics
    /// can show the offending line.
    pub sources: BTreeMap<String, String>,
    /// How many files were read.
    pub files_read: usize,
}

/// An earlier version of the process and the file it was read from.
#[derive(Debug, Clone)]
pub struct ProcessVersion {
    /// `process/YYYY-MM-DD.yaml`
    pub path: String,
    /// Resolved: its process keys over process.yaml's tool keys; `since` is
    /// the file's date.
    pub process: Process,
}

impl ReleaseRepository {
    /// The version of the process that judges what happens on `date` (a
    /// train by its push date, a planning meeting by its day): the one with
    /// the latest `since` on or before it, or the oldest for a date before
    /// every version.
    pub fn process_for(&self, date: NaiveDate) -> &Process {
        self.version_for(date).1
    }

    /// The file of the version that judges `date`, and the version.
    pub fn version_for(&self, date: NaiveDate) -> (&str, &Process) {
        let Some(oldest) = self.earlier.first() else {
            return ("process.yaml", &self.process);
        };
        self.versions()
            .rev()
            .find(|(_, p)| p.since.is_some_and(|s| s <= date))
            .unwrap_or((oldest.path.as_str(), &oldest.process))
    }

    /// The release driver of the train pushed on `date` (`rotation`): turns
    /// go one a week from the first push date on or after `from`; someone
    /// who does not hold the role that day (or has left) is passed over.
    pub fn driver_for(&self, date: NaiveDate) -> Option<&super::Person> {
        let rot = self.process.rotation.as_ref()?;
        if rot.order.is_empty() {
            return None;
        }
        let weekday = self.process_for(date).production_push.weekday;
        let mut first = rot.from;
        while chrono::Datelike::weekday(&first) != weekday {
            first = first.succ_opt()?;
        }
        let weeks = (date - first).num_days().div_euclid(7);
        if weeks < 0 {
            return None;
        }
        let n = rot.order.len() as i64;
        (0..n)
            .map(|k| &rot.order[((weeks + k) % n) as usize])
            .filter_map(|h| self.people.get(h))
            .find(|p| p.holds(&rot.role, super::On::Day(date)))
    }

    /// Every version, oldest first, with its file: the earlier ones, then
    /// process.yaml.
    pub fn versions(&self) -> impl DoubleEndedIterator<Item = (&str, &Process)> {
        self.earlier
            .iter()
            .map(|v| (v.path.as_str(), &v.process))
            .chain(std::iter::once(("process.yaml", &self.process)))
    }
}

#[cfg(test)]
mod tests {
    use super::train_dir_of;

    #[test]
    fn a_file_belongs_to_the_train_folder_it_is_in() {
        let dir = Some("releases/2026-11-30");
        assert_eq!(train_dir_of("releases/2026-11-30/handoffs/api.yaml"), dir);
        assert_eq!(train_dir_of("releases/2026-11-30/signoff.yaml"), dir);
        assert_eq!(train_dir_of("releases/2026-11-30"), dir);
        assert_eq!(
            train_dir_of("releases/2026-11-3"),
            Some("releases/2026-11-3")
        );
        assert_eq!(train_dir_of("releases/"), None);
        assert_eq!(train_dir_of("process.yaml"), None);
        assert_eq!(train_dir_of("planning/2026-12.yaml"), None);
    }
}
