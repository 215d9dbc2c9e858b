//! `trainyard gate`: whether a push may start now, for a deploy pipeline.

use crate::diagnostics::printable;
use crate::gate::{self, Push, Verdict};
use crate::schedule::time;
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Which {
    /// The push to production on the train's push date.
    Production,
    /// The push of the hand-offs to staging.
    Staging,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A sentence and the reasons, for a person reading the job log.
    Human,
    /// One JSON object (SITE.md), for the pipeline.
    Json,
}

#[derive(Debug, Args)]
pub struct GateArgs {
    /// Which push is about to start.
    #[arg(value_enum)]
    pub push: Which,
    /// The release repository (default: the current directory).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// The train, by push date (default: production's pushes on the day of
    /// --now; staging's is the first pushing on or after it).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub train: Option<String>,
    /// Ask about this moment instead of the clock: `YYYY-MM-DD HH:MM` in the
    /// process timezone, or RFC 3339 with an offset.
    /// (`--at` is the same option, its older name.)
    #[arg(long = "now", visible_alias = "at", value_name = "TIME")]
    pub at: Option<String>,
    /// How to print the answer.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// For staging: push only this project's hand-off (repeatable); the
    /// other planned projects need not be handed off yet.
    #[arg(long, value_name = "NAME")]
    pub project: Vec<String>,
}

pub fn run(args: GateArgs) -> ExitCode {
    let push = match args.push {
        Which::Production => Push::Production,
        Which::Staging => Push::Staging,
    };
    if push == Push::Production && !args.project.is_empty() {
        return super::fatal("--project is for `gate staging`: a production push takes the whole train\n  help: leave --project out");
    }
    let named = args.train.as_deref();
    if let Some(id) = named {
        if let Err(e) = time::parse_date(id) {
            return super::fatal(format!("--train: {}\n  help: {}", e.message(id), e.help()));
        }
    }
    let pick = |dates: &[chrono::NaiveDate], at: chrono::DateTime<chrono_tz::Tz>, _: &_| match named
    {
        Some(id) => super::named_train(dates, id),
        None => push.train_on(dates, at.date_naive()).into_iter().collect(),
    };
    let (loaded, at, dates) =
        match crate::pipeline::load_trains(&args.root, args.at.as_deref(), pick) {
            Ok(l) => l,
            Err(e) => return super::fatal(e),
        };
    let repo = &loaded.repo;
    let train = match named {
        Some(id) => match super::find_train(repo, id) {
            Ok(i) => Some(&repo.trains[i]),
            Err(_) => return super::fatal(super::no_train(id, &dates)),
        },
        None => repo.trains.first(),
    };
    let report = crate::rules::check(repo, loaded.diagnostics, at);
    let at = at.with_timezone(&repo.process.timezone);
    let verdict = gate::decide(repo, &report, push, train, at, &args.project);
    match args.format {
        Format::Json => match serde_json::to_string(&verdict) {
            Ok(json) => outln!("{json}"),
            Err(e) => return super::fatal(format!("cannot write JSON: {e}")),
        },
        Format::Human => out!("{}", human(&verdict)),
    }
    if verdict.allowed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn human(v: &Verdict) -> String {
    let what = match v.train {
        Some(d) => format!("the {} push of the {d} train", v.gate),
        None => format!("a {} push", v.gate),
    };
    let at = time::show(&v.at);
    let mut s = if v.allowed {
        format!("allowed: {what} may start ({at})\n")
    } else {
        format!("refused: {what} may not start ({at})\n")
    };
    if let Some(w) = &v.window {
        let left = if v.allowed && v.at < w.end {
            format!("; it closes in {}", time::show_duration(w.end - v.at))
        } else {
            String::new()
        };
        s.push_str(&format!(
            "  window: {} to {}{left}\n",
            time::show(&w.start),
            time::show_clock(&w.end)
        ));
    }
    for r in &v.reasons {
        s.push_str(&format!("  {}: {}\n", r.rule.id(), printable(&r.message)));
    }
    for w in &v.waived {
        s.push_str(&format!(
            "  {} waived: {}\n",
            w.rule.id(),
            printable(&w.message)
        ));
    }
    s
}
