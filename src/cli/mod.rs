//! The command line: argument parsing and dispatch. Each command is a thin layer
//! over the library.

/// `print!` that stops quietly when stdout is closed (e.g. piped into `head`)
/// instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// `println!` that stops quietly when stdout is closed.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

mod build;
mod changes;
mod check;
mod codeowners;
mod gate;
mod init;
mod mail;
mod new;
mod notify;
mod schema;
mod serve;
mod status;

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// trainyard keeps a team's weekly server release process as code: release
/// records in YAML and Markdown, validated against the process rules.
#[derive(Debug, Parser)]
#[command(name = "trainyard", version = env!("TRAINYARD_VERSION"), about, long_about = None, propagate_version = true)]
#[command(
    after_help = "Run `trainyard check` in a release repository to validate it. See README.md and docs/ for the format and rules."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate every record against the process rules (what CI runs).
    ///
    /// Exit status: 0 when there are no errors, 1 when there are errors (or
    /// warnings with --deny-warnings), 2 when the check could not run.
    Check(check::CheckArgs),
    /// Render the repository as a static, wiki-style website (default: public/).
    ///
    /// The dashboard of the current train, every release, the calendar (HTML and
    /// calendar.ics), the open questions, the process, people and statistics.
    /// Records with errors still build; `check` is what fails CI. Exit status: 0
    /// built, 1 the site could not be built (the previous one is kept), 2 bad
    /// arguments or not a release repository.
    Build(build::BuildArgs),
    /// What ships in a train: each hand-off's tag looked up in its service
    /// repository, the commits since the tag in production, and the bugs.
    ///
    /// Needs `projects.NAME.repository` in process.yaml (a local clone). Formats:
    /// human, json (for other tools), markdown (release notes to paste). Exit
    /// status: 0, or 2 when the train or project does not exist.
    Changes(changes::ChangesArgs),
    /// Write one of the process's e-mails from the records, and --send it.
    ///
    /// `mail handoff PROJECT` (to the hand-off's notification list),
    /// `staging-notice`, `signoff`, `validation` (to the test list; the
    /// validation cc the ops list). Without --send the RFC 5322 message goes
    /// to standard output (or --out) and nothing is sent. Exit status: 0
    /// written or accepted by the server, 1 records with errors or a refused
    /// message, 2 could not run (no such train or record, bad URL, server
    /// unreachable).
    Mail(mail::MailArgs),
    /// May a push start now? For a deploy pipeline to ask before it acts.
    ///
    /// `gate production` allows the push only on the train's push date, inside
    /// the maintenance window, outside freezes and holidays (unless train.yaml
    /// approves an exception ahead), after Test's go, and with no errors in the
    /// train's records, process.yaml or people.yaml (the same rules and
    /// severities as `check`). `gate staging` allows it while every planned feature
    /// has a hand-off without errors and Test has not signed off. Exit status:
    /// 0 allowed, 1 refused (every reason listed with its rule), 2 could not run.
    Gate(gate::GateArgs),
    /// Tell the team's chat (and inboxes) what a change recorded: one message
    /// per hand-off, staging push, notice, sign-off, push or validation it adds.
    ///
    /// Run on every push to the main branch with --base the commit before it.
    /// Messages go to the webhooks of process.yaml `notify` (Slack, Matrix,
    /// JSON), and with `notify.mail` as the process e-mails too. Without
    /// --send they are only printed. Each message has a stable id, so a resend
    /// is one message. Exit status: 0, 1 a new record has errors (nothing is
    /// sent for it), 2 a channel failed (unset secret, unreachable or refusing
    /// server; the others are still sent) or bad arguments.
    Notify(notify::NotifyArgs),
    /// Send the reminders due in the last hour (--since): before each
    /// deadline of the current and next trains, the window's opening and the
    /// monthly meeting, to whoever still owes the step.
    ///
    /// Lead times come from process.yaml `notify.reminders` (e.g. [24h, 2h]).
    /// Run it hourly: each reminder falls in exactly one run. Without --send
    /// they are only printed. Exit status as `notify`.
    Remind(notify::RemindArgs),
    /// Print (or --write) .github/CODEOWNERS from people.yaml and process.yaml.
    ///
    /// Routes each kind of record to the GitHub handles of the people holding its
    /// role, so required code-owner reviews bring in the right reviewers.
    Codeowners(codeowners::CodeownersArgs),
    /// Show where the current (or --train) train stands: each milestone with its
    /// deadline in the process timezone, what is done, what is due next and who owes it.
    Status(status::StatusArgs),
    /// Scaffold a record: `new train [DATE]`, `new handoff PROJECT`, `new staging`, `new signoff`,
    /// `new push`, `new question TITLE`.
    ///
    /// Writes the file in the right place of the current (or --train) train,
    /// prefilled from the schedule and process.yaml. Fields only a person can fill
    /// are marked `<fill in: …>`, and `check` reports them until they are filled.
    /// Never overwrites an existing record.
    New(new::NewArgs),
    /// Create a new release repository that passes `check` out of the box.
    ///
    /// process.yaml (the default process, commented), people.yaml, a first train,
    /// the GitHub workflows (check, pages, and a deploy job behind `trainyard
    /// gate production`), a pull request template, CODEOWNERS, JSON Schemas and
    /// a README for the team. Refuses a non-empty folder unless --force.
    ///
    /// The workflows run trainyard through its GitHub Action, a verified
    /// release binary of this version, so the team's CI compiles nothing;
    /// --from-source writes ones that build it instead.
    Init(init::InitArgs),
    /// Build the site in memory, serve it on 127.0.0.1, rebuild on every change and
    /// reload open pages. A broken record shows its diagnostics in the page; a
    /// broken template shows the error instead of stopping the server.
    Serve(serve::ServeArgs),
    /// Write JSON Schemas (draft 2020-12) for every record kind, for editors.
    ///
    /// Derived from the same types `check` reads, so they never drift. Point an
    /// editor at them with a `# yaml-language-server: $schema=...` first line.
    Schema(schema::SchemaArgs),
    /// Print a shell completion script: `trainyard completions bash > /etc/bash_completion.d/trainyard`.
    Completions {
        /// bash, zsh, fish, powershell or elvish.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `trainyard man > trainyard.1 && man ./trainyard.1`.
    Man,
}

/// The repository a command works on: `--root` as given, or, when it is left
/// at the current directory and that is not a release repository, the nearest
/// folder above holding one (as git finds its repository). The walk stops at
/// the top of a Git work tree, so it never leaves the project it started in.
fn found_root(root: PathBuf) -> PathBuf {
    if root != Path::new(".") || crate::load::is_repository(&root) {
        return root;
    }
    let Ok(start) = std::env::current_dir() else {
        return root;
    };
    for dir in start.ancestors() {
        if dir != start && dir.join("process.yaml").is_file() {
            return dir.to_path_buf();
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    root
}

/// Exit status for "the command could not run".
pub const EXIT_USAGE: u8 = 2;

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(EXIT_USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Check(mut args) => {
            args.root = found_root(args.root);
            check::run(args)
        }
        Command::Build(mut args) => {
            args.root = found_root(args.root);
            build::run(args)
        }
        Command::Changes(mut args) => {
            args.root = found_root(args.root);
            changes::run(args)
        }
        Command::Gate(mut args) => {
            args.root = found_root(args.root);
            gate::run(args)
        }
        Command::Mail(mut args) => {
            args.root = found_root(args.root);
            mail::run(args)
        }
        Command::Notify(mut args) => {
            args.root = found_root(args.root);
            notify::run_notify(args)
        }
        Command::Remind(mut args) => {
            args.root = found_root(args.root);
            notify::run_remind(args)
        }
        Command::Codeowners(mut args) => {
            args.root = found_root(args.root);
            codeowners::run(args)
        }
        Command::Status(mut args) => {
            args.root = found_root(args.root);
            status::run(args)
        }
        Command::Schema(args) => schema::run(args),
        Command::New(mut args) => {
            args.root = found_root(args.root);
            new::run(args)
        }
        Command::Init(args) => init::run(args),
        Command::Serve(mut args) => {
            args.root = found_root(args.root);
            serve::run(args)
        }
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "trainyard", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            match clap_mangen::Man::new(cmd).render(&mut std::io::stdout()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fatal(format!("cannot write the manual page: {e}")),
            }
        }
    }
}

/// Print a fatal error the way every command does, and return exit status 2.
/// Print the pipeline's notes (not diagnostics) on standard error.
pub fn print_notes(notes: &[String]) {
    for note in notes {
        eprintln!("note: {note}");
    }
}

pub fn fatal(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("trainyard: error: {msg}");
    ExitCode::from(EXIT_USAGE)
}

/// The error for `--train ID` naming no train, with the most recent ones.
pub fn no_train(id: &str, dates: &[chrono::NaiveDate]) -> String {
    let recent: Vec<String> = dates.iter().rev().take(5).map(|d| d.to_string()).collect();
    format!(
        "--train: there is no train {id}\n  help: recent trains: {}; create it with `trainyard new train {id}`",
        if recent.is_empty() { "none".to_string() } else { recent.join(", ") }
    )
}

/// The train folder `--train ID` names (none when there is no such train).
pub fn named_train(dates: &[chrono::NaiveDate], id: &str) -> Vec<chrono::NaiveDate> {
    dates
        .iter()
        .copied()
        .filter(|d| d.to_string() == id)
        .collect()
}

/// The trains [`pick_train`] may choose among: `--train` when given, else
/// those on or after today and the last one ([`crate::tracking::current_train`]
/// looks no further).
pub fn current_or_named(
    dates: &[chrono::NaiveDate],
    now: chrono::DateTime<chrono_tz::Tz>,
    id: Option<&str>,
) -> Vec<chrono::NaiveDate> {
    match id {
        Some(id) => named_train(dates, id),
        None => {
            let today = now.date_naive();
            let mut picked: Vec<_> = dates.iter().copied().filter(|d| *d >= today).collect();
            picked.extend(dates.last().copied());
            picked
        }
    }
}

/// `--train ID` when given, else the current train as of `now`.
pub fn pick_train(
    repo: &crate::model::ReleaseRepository,
    id: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<usize, String> {
    match id {
        Some(id) => find_train(repo, id),
        None => crate::tracking::current_train(repo, now).ok_or_else(|| {
            "there is no train yet\n  help: create one with `trainyard new train`".to_string()
        }),
    }
}

/// `--train ID`: the index of that train, or an error naming the recent ones.
pub fn find_train(repo: &crate::model::ReleaseRepository, id: &str) -> Result<usize, String> {
    repo.trains
        .iter()
        .position(|t| t.id() == id)
        .ok_or_else(|| {
            let dates: Vec<_> = repo.trains.iter().map(|t| t.date).collect();
            no_train(id, &dates)
        })
}

/// Today in the process timezone, by the clock (or SOURCE_DATE_EPOCH): the
/// day whose roles what acts now uses.
fn today(repo: &crate::model::ReleaseRepository) -> chrono::NaiveDate {
    let tz = repo.process.timezone;
    crate::pipeline::resolve_now(None, tz)
        .unwrap_or_else(|_| chrono::Utc::now())
        .with_timezone(&tz)
        .date_naive()
}
