//! `trainyard check`

use crate::diagnostics::{render_github, render_human, render_json, render_markdown, Style};
use clap::{Args, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable blocks with the source line and a caret.
    Human,
    /// One JSON object on stdout.
    Json,
    /// GitHub Actions annotations (the default when GITHUB_ACTIONS=true).
    Github,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The release repository (default: the current directory).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Check as of this time instead of the clock: `YYYY-MM-DD HH:MM` in the
    /// process timezone, or RFC 3339 with an offset.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// Compare with this git revision (record-immutable, record-frozen).
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    /// Output format [default: human, or github under GitHub Actions].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Also append a Markdown summary (the counts and a table of the
    /// problems, each rule linked to its documentation) to FILE: in GitHub
    /// Actions, `--summary "$GITHUB_STEP_SUMMARY"`.
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,
}

pub fn run(args: CheckArgs) -> ExitCode {
    let checked =
        match crate::pipeline::checked(&args.root, args.now.as_deref(), args.base.as_deref()) {
            Ok(c) => c,
            Err(e) => return super::fatal(e),
        };
    super::print_notes(&checked.notes);
    let (repo, report) = (&checked.repo, &checked.report);
    let github_env = std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
    let format = args.format.unwrap_or(if github_env {
        Format::Github
    } else {
        Format::Human
    });
    let out = match format {
        Format::Json => render_json(report),
        Format::Github => render_github(report),
        Format::Human => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            render_human(report, &repo.sources, repo.files_read, Style { color })
        }
    };
    if let Some(path) = &args.summary {
        if let Err(e) = append(path, &render_markdown(report, repo.files_read)) {
            return super::fatal(format!(
                "cannot write the summary to {}: {e}",
                path.display()
            ));
        }
    }
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (e.g. `| head`) is not an error worth reporting.
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();

    let failed = report.errors() > 0 || (args.deny_warnings && report.warnings() > 0);
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Appends `text` to `path`, creating it if needed: GitHub gives every step one
/// summary file and shows what each writer appended.
fn append(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)?;
    file.write_all(text.as_bytes())
}
