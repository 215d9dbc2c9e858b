//! The command line: argument parsing and dispatch. Each command is a thin layer
//! over the library.

mod check;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// trainyard keeps a team's weekly server release process as code: release
/// records in YAML and Markdown, validated against the process rules.
#[derive(Debug, Parser)]
#[command(name = "trainyard", version, about, long_about = None, propagate_version = true)]
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
        Command::Check(args) => check::run(args),
    }
}

/// Print a fatal error the way every command does, and return exit status 2.
pub fn fatal(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("trainyard: error: {msg}");
    ExitCode::from(EXIT_USAGE)
}

/// `--now`: a time as in the records, or a plain date meaning the start of that
/// day, in the process timezone.
pub fn parse_now(raw: &str, tz: chrono_tz::Tz) -> Result<chrono::DateTime<chrono::Utc>, String> {
    use crate::schedule::time::{parse_date, parse_time};
    let t = match parse_date(raw) {
        Ok(d) => crate::schedule::time::at(tz, d, chrono::NaiveTime::MIN)
            .or_else(|_| parse_time(&format!("{raw} 01:00"), tz)),
        Err(_) => parse_time(raw, tz),
    };
    t.map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| format!("--now: {}\n  help: {}", e.message(raw), e.help()))
}
