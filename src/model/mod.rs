//! The typed model of a release repository.
//!
//! Records keep the position of every value they were read from ([`Spanned`]) so
//! that rules can point at the exact line and column of a problem.

pub mod notify;
pub mod people;
pub mod planning;
pub mod process;
pub mod records;
pub mod repo;
mod span;
pub mod values;
mod written;

pub use people::{On, People, Person};
pub use planning::{Planning, Question, QuestionStatus, PROCESS_SECTIONS};
pub use process::Process;
pub use records::*;
pub use repo::{
    train_dir_of, PlanningRecord, ProcessVersion, QuestionRecord, Record, ReleaseRepository, Train,
};
pub use span::{Pos, Spanned};
pub use written::{RecordDate, RecordTime, RecordUrl, Written};
