//! `trainyard new`: scaffold a record in the right place, prefilled from the
//! schedule and process.yaml, with `<fill in: …>` placeholders that `check`
//! reports until a person fills them in. Never overwrites a record.

use crate::model::values::PLACEHOLDER;
use crate::scaffold;
use crate::schedule::milestone_date;
use chrono::{Datelike, Duration};
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The release repository (default: the current directory).
    #[arg(long, value_name = "DIR", default_value = ".", global = true)]
    pub root: PathBuf,
    /// The train to add the record to, by push date (default: the current train).
    #[arg(long, value_name = "YYYY-MM-DD", global = true)]
    pub train: Option<String>,
    /// Prefill times as of this time instead of the clock.
    #[arg(long, value_name = "TIME", global = true)]
    pub now: Option<String>,
    #[command(subcommand)]
    pub what: What,
}

#[derive(Debug, Subcommand)]
pub enum What {
    /// A train folder with train.yaml (default: the push date after the last train).
    Train {
        /// The production push date, YYYY-MM-DD.
        date: Option<String>,
    },
    /// A hand-off from Engineering to Test for PROJECT.
    Handoff {
        /// The project slug, as listed in train.yaml's features.
        project: String,
    },
    /// The push to staging (staging.yaml, with room for notices).
    Staging,
    /// Test's sign-off of the train.
    Signoff,
    /// The production push (times prefilled with the maintenance window).
    Push,
    /// Start a change of the process from DATE on: the current version is
    /// kept in process/SINCE.yaml, and process.yaml gains `since: DATE` and a
    /// `change:`; then edit process.yaml in the same pull request.
    ProcessChange {
        /// The first push date the changed process applies to, YYYY-MM-DD.
        date: String,
        /// Why the process changes (the process page shows it).
        #[arg(long, value_name = "TEXT")]
        summary: Option<String>,
    },
    /// A question for the open-questions log.
    Question {
        /// The question, e.g. "Who approves emergency pushes?"
        #[arg(required = true, num_args = 1..)]
        title: Vec<String>,
    },
}

fn write_new(root: &Path, rel: &str, text: &str) -> ExitCode {
    let path = root.join(rel);
    if path.exists() {
        eprintln!(
            "trainyard: error: {rel} already exists; trainyard new never overwrites a record"
        );
        eprintln!("  help: edit the file, or delete it first if you really mean to start over");
        return ExitCode::from(1);
    }
    // Never write through a linked folder: the record would land outside the
    // repository (and the loader would refuse to read it anyway).
    let mut at = root.to_path_buf();
    for part in rel.split('/') {
        at.push(part);
        if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return super::fatal(format!(
                "{} is a symbolic link; trainyard writes records only into real folders of the repository\n  help: replace the link with a folder",
                at.strip_prefix(root).unwrap_or(&at).display()
            ));
        }
    }
    if let Some(parent) = path.parent() {
        if let Err(e) = std::fs::create_dir_all(parent) {
            return super::fatal(format!("cannot create {}: {e}", parent.display()));
        }
    }
    // create_new: never clobber a file that appeared meanwhile.
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
    match written {
        Ok(()) => {
            let todo = text.matches(PLACEHOLDER).count();
            outln!("wrote {rel}");
            if todo > 0 {
                outln!("fill in the {todo} field(s) marked `{PLACEHOLDER}: …>`, then run `trainyard check`");
            }
            ExitCode::SUCCESS
        }
        Err(e) => super::fatal(format!("cannot write {rel}: {e}")),
    }
}

pub fn run(args: NewArgs) -> ExitCode {
    let (loaded, now) = match crate::pipeline::load_at(&args.root, args.now.as_deref()) {
        Ok(l) => l,
        Err(e) => return super::fatal(e),
    };
    if let What::ProcessChange { date, summary } = &args.what {
        return process_change(&args.root, &loaded, date, summary.as_deref());
    }
    let repo = &loaded.repo;
    let process = &repo.process;
    let this_train =
        || super::pick_train(repo, args.train.as_deref(), now).map(|i| &repo.trains[i]);
    let made = match &args.what {
        What::Train { date } => {
            let push_day = process.production_push.weekday;
            let date = match date {
                Some(d) => match crate::schedule::time::parse_date(d) {
                    Ok(d) => d,
                    Err(e) => {
                        return super::fatal(format!("{}\n  help: {}", e.message(d), e.help()))
                    }
                },
                None => {
                    // The train after the last one, but never one whose push
                    // day has passed: a repository left alone for weeks
                    // plans the next push from today.
                    let today = now.with_timezone(&process.timezone).date_naive();
                    let after = repo.trains.last().map_or(today, |t| t.date.max(today));
                    milestone_date(after + Duration::days(7), push_day)
                }
            };
            if date.weekday() != push_day {
                let before = milestone_date(date, push_day);
                return super::fatal(format!(
                    "{date} is a {}, but trains are named by their push day\n  help: use {before} or {}",
                    date.format("%A"),
                    before + Duration::days(7)
                ));
            }
            Ok(scaffold::train(repo, date))
        }
        What::Handoff { project } => {
            if !crate::load::is_slug(project) {
                return super::fatal(format!(
                    "`{project}` is not a project slug (lowercase letters, digits, `-`, `_`, `.`)"
                ));
            }
            this_train().map(|t| scaffold::handoff(repo, t, project, now))
        }
        What::Staging => this_train().map(|t| scaffold::staging(repo, t, now)),
        What::Signoff => this_train().map(|t| scaffold::signoff(repo, t, now)),
        What::Push => this_train().map(|t| scaffold::push(repo, t, now)),
        What::Question { title } => Ok(scaffold::question(repo, Some(&title.join(" ")), now)),
        What::ProcessChange { .. } => unreachable!("handled above"),
    };
    match made {
        Ok(s) => write_new(&args.root, &s.path, &s.text),
        Err(e) => super::fatal(e),
    }
}

/// `new process-change DATE`: keep the current version, start the next.
/// Both files are checked before either is written; the version file is
/// created new, and process.yaml replaced whole.
fn process_change(
    root: &Path,
    loaded: &crate::load::Loaded,
    date: &str,
    summary: Option<&str>,
) -> ExitCode {
    let repo = &loaded.repo;
    let date = match crate::schedule::time::parse_date(date) {
        Ok(d) => d,
        Err(e) => return super::fatal(format!("{}\n  help: {}", e.message(date), e.help())),
    };
    let broken: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.file == "process.yaml" || d.file.starts_with("process/"))
        .map(|d| format!("  {}:{}: {}", d.file, d.pos.or_file().line, d.message))
        .collect();
    if !broken.is_empty() {
        return super::fatal(format!(
            "the process files have errors; fix them before starting a change:\n{}\n  help: run `trainyard check`",
            broken.join("\n")
        ));
    }
    let latest = repo
        .process
        .since
        .or_else(|| repo.earlier.last().and_then(|v| v.process.since));
    if let Some(since) = latest.filter(|s| date <= *s) {
        return super::fatal(format!(
            "{date} is not later than the current version's `since` ({since})\n  help: a change applies from a later push date; to fix the current version, edit process.yaml in place"
        ));
    }
    let since = repo
        .process
        .since
        .or_else(|| repo.trains.first().map(|t| t.date))
        .filter(|s| *s < date)
        .unwrap_or(date - Duration::days(7));
    let Some(text) = repo.sources.get("process.yaml") else {
        return super::fatal("process.yaml was not read\n  help: `trainyard init` writes one; a change needs a process to change");
    };
    let change = match scaffold::process_change(text, since, date, summary) {
        Ok(c) => c,
        Err(e) => return super::fatal(e),
    };
    // Both texts must read as what they are before anything is written.
    let version_ok = crate::load::yaml::parse::<crate::model::process::VersionFile>(
        &change.version.text,
        &change.version.path,
    );
    let process_ok = crate::load::yaml::parse::<crate::model::process::ProcessFile>(
        &change.process,
        "process.yaml",
    );
    if let Some(d) = version_ok.err().or(process_ok.err()) {
        return super::fatal(format!(
            "the change could not be written keeping process.yaml readable ({}: {})\n  help: add `since: {date}` and a `change:` to process.yaml by hand, and copy its process keys to {}",
            d.file, d.message, change.version.path
        ));
    }
    let code = write_new(root, &change.version.path, &change.version.text);
    if code != ExitCode::SUCCESS {
        return code;
    }
    if let Err(e) =
        crate::write::replace(&root.join("process.yaml"), change.process.as_bytes(), true)
    {
        // Nothing half-done: the version file goes again.
        let _ = std::fs::remove_file(root.join(&change.version.path));
        return super::fatal(format!("cannot write process.yaml: {e}"));
    }
    outln!("wrote process.yaml: the process changes from {date} on (`since`, `change`)");
    outln!("next: edit process.yaml's process keys for the new version, fill in the change's summary, and open a pull request");
    ExitCode::SUCCESS
}
