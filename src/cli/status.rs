//! `trainyard status`: the current train in the terminal.

use crate::diagnostics::printable;
use crate::model::QuestionStatus;
use crate::schedule::time::{show, show_date, show_duration};
use crate::tracking::{self, Planned, Status};
use clap::Args;
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The release repository (default: the current directory).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// The train to show, by push date (default: the current train).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub train: Option<String>,
    /// Show the train as of this time instead of the clock.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
}

fn paint(color: bool, code: &str, text: &str) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

pub fn run(args: StatusArgs) -> ExitCode {
    let (loaded, now) = match crate::pipeline::load_at(&args.root, args.now.as_deref()) {
        Ok(l) => l,
        Err(e) => return super::fatal(e),
    };
    let repo = &loaded.repo;
    let index = match &args.train {
        Some(id) => match super::find_train(repo, id) {
            Ok(i) => i,
            Err(e) => return super::fatal(e),
        },
        None => match tracking::current_train(repo, now) {
            Some(i) => i,
            None => {
                outln!("No trains yet. Create one with `trainyard new train`.");
                return ExitCode::SUCCESS;
            }
        },
    };
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    out!("{}", render(repo, index, now, color));
    ExitCode::SUCCESS
}

/// The status text of train `index` as of `now`: each milestone, and under
/// it whether its e-mail is recorded as sent.
pub fn render(
    repo: &crate::model::ReleaseRepository,
    index: usize,
    now: chrono::DateTime<chrono::Utc>,
    color: bool,
) -> String {
    let train = &repo.trains[index];
    let t = tracking::track(repo, train, now);
    let mails = crate::mail::sent(train);
    // Who owes a step: the people holding its role today.
    let today = now.with_timezone(&repo.process.timezone).date_naive();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {} (production push {})",
        paint(color, "1", &format!("Release {}", train.id())),
        t.state.label(),
        show_date(train.date)
    );
    if let Some(reason) = train.train.as_ref().and_then(|d| d.data.skipped.as_ref()) {
        let _ = writeln!(out, "  skipped: {}", printable(&reason.reason.value));
    }
    for m in &t.milestones {
        let (mark, code) = match m.status {
            Status::Done => ("✓", "32"),
            Status::DoneLate => ("!", "33"),
            Status::Overdue => ("✗", "31"),
            Status::Due => ("·", "0"),
            Status::NotNeeded => ("–", "2"),
        };
        let planned = m.planned.describe();
        // Who owes it: the role, and for missing hand-offs each project
        // with its owner (tracking decides which are missing).
        let owed = tracking::owed_by(repo, train, m.step, today);
        let owner = printable(&owed);
        let state = match m.status {
            Status::Done | Status::DoneLate => {
                let when = match (m.step, m.done_at) {
                    (tracking::Step::Planning, Some(d)) => show_date(d.date_naive()),
                    (_, Some(d)) => show(&d),
                    (_, None) => String::new(),
                };
                let late = m
                    .late_by
                    .map(|l| format!(", late by {}", show_duration(l)))
                    .unwrap_or_default();
                format!("done {when}{late}")
            }
            Status::Overdue => format!(
                "late by {} — {owner} owes it",
                m.late_by.map(show_duration).unwrap_or_default()
            ),
            Status::Due => match &m.planned {
                Planned::Deadline { at, .. } | Planned::Window { start: at, .. } => {
                    format!(
                        "due in {} — {owner} owes it",
                        show_duration(at.with_timezone(&chrono::Utc) - now)
                    )
                }
                _ => format!("due — {owner} owes it"),
            },
            Status::NotNeeded => "not needed".to_string(),
        };
        let _ = writeln!(
            out,
            "  {} {:<17} {:<36} {}",
            paint(color, code, mark),
            m.step.name(),
            planned,
            state
        );
        if let Planned::Deadline {
            moved_because: Some(why),
            ..
        } = &m.planned
        {
            let _ = writeln!(out, "    {:<17} moved earlier for {why}", "");
        }
        for e in mails.iter().filter(|e| e.step == m.step) {
            let what = match &e.kind {
                crate::mail::Kind::Handoff(p) => format!("e-mail ({p})"),
                crate::mail::Kind::StagingNotice => "notice e-mail".to_string(),
                _ => "e-mail".to_string(),
            };
            let line = match &e.at {
                Some(at) => format!("{what}: sent {}", show(at)),
                // `notify.mail`: the notify workflow sends it when the record is merged.
                None if repo.process_for(train.date).notify.mail => {
                    format!("{what}: sent by trainyard when the record is merged")
                }
                None => format!("{what}: not recorded as sent — {}", e.command()),
            };
            // A project name comes from a record: shown, never acted on by the terminal.
            let _ = writeln!(out, "    {:<17} {}", "", printable(&line));
        }
    }
    if let Some(driver) = repo.driver_for(train.date) {
        let _ = writeln!(out, "Release driver: {}", printable(&driver.name.value));
    }
    if let Some(next) = t.next_due() {
        let _ = writeln!(
            out,
            "Next: {} — {} owes it",
            next.step.name(),
            printable(&tracking::owed_by(repo, train, next.step, today))
        );
    }
    let open = repo
        .questions
        .iter()
        .filter(|q| q.doc.data.status.value == QuestionStatus::Open)
        .count();
    let _ = writeln!(
        out,
        "{open} open question{} about the process.",
        if open == 1 { "" } else { "s" }
    );
    out
}
