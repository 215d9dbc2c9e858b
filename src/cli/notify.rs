//! `trainyard notify` and `trainyard remind`: tell the team's chat (and,
//! with `notify.mail`, their inboxes) what a merge recorded and what is due
//! soon. Deciding the messages is `crate::notify`'s; this maps the outcome to
//! output and exit statuses.

use crate::diagnostics::{render_human, Report, Style};
use crate::notify::deliver::Failure;
use crate::notify::outbox::{self, Delivered};
use crate::notify::run::{self, Refused};
use crate::notify::Message;
use clap::{Args, ValueEnum};
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Each message's id, channels and text; failures on standard error.
    Human,
    /// One object: `dry_run`, `sent` (each message as the json webhook gets
    /// it), `failed` and `refused`.
    Json,
}

#[derive(Debug, Args)]
pub struct NotifyArgs {
    /// The commit before the change (on a push to main: the push's `before`).
    #[arg(long, value_name = "REV")]
    pub base: String,
    /// The release repository (default: the current directory).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// The time to judge records at and to date e-mails without a recorded
    /// send time: `YYYY-MM-DD HH:MM` in the process timezone, or RFC 3339.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    #[command(flatten)]
    pub out: Delivery,
}

#[derive(Debug, Args)]
pub struct RemindArgs {
    /// The release repository (default: the current directory).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// The end of the period to send reminders for: `YYYY-MM-DD HH:MM` in
    /// the process timezone, or RFC 3339 (default: the clock).
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// How far back the period reaches: the schedule's interval (`1h` for an
    /// hourly run), so each reminder falls in exactly one run.
    #[arg(long, value_name = "DURATION", default_value = "1h")]
    pub since: String,
    #[command(flatten)]
    pub out: Delivery,
}

/// What `notify` and `remind` share: whether to send, how to print, how
/// long to wait for a server.
#[derive(Debug, Args)]
pub struct Delivery {
    /// Deliver them; without it they are only printed.
    #[arg(long)]
    pub send: bool,
    /// How to print what was (or would be) sent.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Give up on a server that does not answer within this many seconds
    /// (each channel is waited for once a run).
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=120))]
    pub timeout: u64,
}

/// `--format json`.
#[derive(Serialize)]
struct Output<'a> {
    /// True without `--send`: `sent` is what would be sent.
    dry_run: bool,
    sent: &'a [Message],
    failed: &'a [outbox::Failed],
    refused: &'a [Refused],
}

pub fn run_notify(args: NotifyArgs) -> ExitCode {
    let merged = match run::merged(&args.root, &args.base, args.now.as_deref()) {
        Ok(m) => m,
        Err(e) => return super::fatal(e),
    };
    let delivered = if args.out.send {
        merged.send(Duration::from_secs(args.out.timeout))
    } else {
        merged.unsent()
    };
    if args.out.format == Format::Human && !merged.diagnostics.is_empty() {
        let report = Report::new(merged.diagnostics.clone());
        let shown = render_human(&report, &merged.repo.sources, 0, Style { color: false });
        eprint!("{shown}");
    }
    finish(
        &delivered,
        &merged.refused,
        args.out.send,
        args.out.format,
        "nothing new to tell: the change records no hand-off, staging push, notice, sign-off, push or validation",
    )
}

pub fn run_remind(args: RemindArgs) -> ExitCode {
    let Some(since) = crate::model::notify::Lead::parse(&args.since) else {
        return super::fatal(format!(
            "--since: `{}` is not a duration\n  help: write a whole number and a unit, e.g. `1h` for an hourly run, `30m`, `1d`",
            args.since
        ));
    };
    let due = match run::reminders(&args.root, args.now.as_deref(), since.before) {
        Ok(d) => d,
        Err(e) => return super::fatal(e),
    };
    let none = if due.repo.process.notify.reminders.is_empty() {
        "no reminders: process.yaml sets no `notify.reminders` lead times"
    } else {
        "no reminder is due in this period"
    };
    let delivered = if args.out.send {
        due.send(Duration::from_secs(args.out.timeout))
    } else {
        Delivered {
            sent: due.messages,
            failed: Vec::new(),
        }
    };
    finish(&delivered, &[], args.out.send, args.out.format, none)
}

/// Print the outcome and map it to the exit status: 2 when a channel
/// failed, 1 when a record with errors sent nothing, else 0.
fn finish(d: &Delivered, refused: &[Refused], sent: bool, format: Format, none: &str) -> ExitCode {
    match format {
        Format::Json => {
            let out = Output {
                dry_run: !sent,
                sent: &d.sent,
                failed: &d.failed,
                refused,
            };
            match serde_json::to_string(&out) {
                Ok(s) => outln!("{s}"),
                Err(e) => return super::fatal(format!("cannot write the output: {e}")),
            }
        }
        Format::Human => {
            if d.sent.is_empty() && refused.is_empty() {
                outln!("{none}");
            }
            for m in &d.sent {
                let to = if m.to.is_empty() {
                    "no channel".to_string()
                } else {
                    m.to.join(", ")
                };
                let verb = if sent { "sent to" } else { "would send to" };
                outln!("{} ({verb} {to})", m.id);
                outln!("  {}", m.text);
                if let Some(url) = &m.url {
                    outln!("  {url}");
                }
            }
            for f in &d.failed {
                eprintln!(
                    "trainyard: error: {} did not reach {}: {}",
                    f.id, f.to, f.reason
                );
            }
            for r in refused {
                eprintln!(
                    "trainyard: error: nothing was sent for {} ({}): it has errors; fix them and push again",
                    r.file, r.event
                );
            }
        }
    }
    if !d.failed.is_empty() {
        if format == Format::Human
            && d.failed
                .iter()
                .any(|f| matches!(f.failure, Failure::Secret(_)))
        {
            eprintln!("  help: each webhook's secret is read from the environment variable process.yaml names (url_env, token_env); in GitHub Actions, map it from a repository secret in the workflow's `env:`");
        }
        ExitCode::from(super::EXIT_USAGE)
    } else if !refused.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
