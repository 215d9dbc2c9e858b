//! `trainyard changes`: what ships in a train, per project, from the service
//! repositories.

use crate::diagnostics::markdown::{code, In};
use crate::diagnostics::printable;
use crate::repositories::{self, ProjectChanges};
use clap::{Args, ValueEnum};
use serde::Serialize;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For a terminal: each project's range, its commits and the bug findings.
    Human,
    /// One JSON object, for other tools (SITE.md).
    Json,
    /// Release notes to paste into an announcement.
    Markdown,
}

#[derive(Debug, Args)]
pub struct ChangesArgs {
    /// The release repository (default: the current directory).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// The train, by push date (default: the current train).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub train: Option<String>,
    /// Only this project.
    #[arg(long, value_name = "NAME")]
    pub project: Option<String>,
    /// How to print it.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Which train is current, as of this time instead of the clock.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
}

/// `--format json`, as SITE.md gives it.
#[derive(Serialize)]
struct Json<'a> {
    train: String,
    projects: Vec<JsonProject<'a>>,
}

#[derive(Serialize)]
struct JsonProject<'a> {
    project: &'a str,
    from: Option<&'a str>,
    to: &'a str,
    commits: Vec<JsonCommit<'a>>,
    bugs_listed: &'a [u64],
    bugs_not_named: &'a [u64],
    bugs_not_listed: &'a [u64],
    /// Why `commits` is empty when the range is not listed; null otherwise.
    problem: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonCommit<'a> {
    id: &'a str,
    author: &'a str,
    email: &'a str,
    time: String,
    subject: &'a str,
    bugs: &'a [u64],
}

pub fn run(args: ChangesArgs) -> ExitCode {
    let (loaded, now) = match crate::pipeline::load_at(&args.root, args.now.as_deref()) {
        Ok(l) => l,
        Err(e) => return super::fatal(e),
    };
    let repo = &loaded.repo;
    let index = match super::pick_train(repo, args.train.as_deref(), now) {
        Ok(i) => i,
        Err(e) => return super::fatal(e),
    };
    let train = &repo.trains[index];
    if let Some(p) = &args.project {
        let planned = train
            .train
            .iter()
            .flat_map(|t| t.data.features.iter())
            .any(|f| f.project.value == *p);
        if !planned && !repo.process.projects.contains_key(p) {
            return super::fatal(format!(
                "--project: `{p}` is neither planned in train {} nor configured in process.yaml `projects`",
                train.id()
            ));
        }
    }
    let ships = repositories::read(repo, args.project.as_deref());
    for (name, state) in &ships.clones {
        if let repositories::CloneState::Unreadable(u) = state {
            eprintln!(
                "warning: project `{name}`: {} ({})",
                printable(&u.why),
                u.help
            );
        }
    }
    let mut projects = repositories::changes(repo, &ships, index);
    if let Some(p) = &args.project {
        projects.retain(|c| c.project == p);
    }
    let tz = repo.process.timezone;
    let text = match args.format {
        Format::Json => json(&train.id(), &projects),
        Format::Human => human(&train.id(), &projects, tz, repo.process.projects.is_empty()),
        Format::Markdown => markdown(&train.id(), &projects, &repo.process.bugs),
    };
    out!("{text}");
    ExitCode::SUCCESS
}

fn json(train: &str, projects: &[ProjectChanges<'_>]) -> String {
    let doc = Json {
        train: train.to_string(),
        projects: projects
            .iter()
            .map(|p| JsonProject {
                project: p.project,
                from: p.from,
                to: p.to,
                commits: p
                    .commits
                    .iter()
                    .map(|c| JsonCommit {
                        id: &c.id,
                        author: &c.author,
                        email: &c.email,
                        time: c.time.to_rfc3339(),
                        subject: &c.subject,
                        bugs: &c.bugs,
                    })
                    .collect(),
                bugs_listed: &p.bugs_listed,
                bugs_not_named: &p.bugs_not_named,
                bugs_not_listed: &p.bugs_not_listed,
                problem: p.problem.as_deref(),
            })
            .collect(),
    };
    // Serializing plain strings and numbers cannot fail.
    serde_json::to_string(&doc).unwrap_or_default() + "\n"
}

fn human(
    train: &str,
    projects: &[ProjectChanges<'_>],
    tz: chrono_tz::Tz,
    none_configured: bool,
) -> String {
    let mut out = format!("What ships in release {train}\n");
    if projects.is_empty() {
        out.push_str(if none_configured {
            "  no project has a `repository` in process.yaml, so nothing is looked up\n"
        } else {
            "  no hand-off of a project with a configured repository\n"
        });
        return out;
    }
    for p in projects {
        let range = match p.from {
            Some(from) => format!("{from}..{}", p.to),
            None => format!("?..{}", p.to),
        };
        let _ = writeln!(
            out,
            "\n{}  {}  ({} commit{})",
            printable(p.project),
            printable(&range),
            p.commits.len(),
            if p.commits.len() == 1 { "" } else { "s" }
        );
        if let Some(problem) = &p.problem {
            let _ = writeln!(out, "  {}", printable(problem));
        }
        for c in p.commits {
            let _ = writeln!(
                out,
                "  {}  {}  {}  {}",
                &c.id[..c.id.len().min(10)],
                c.time.with_timezone(&tz).format("%Y-%m-%d"),
                printable(&c.author),
                printable(&c.subject)
            );
        }
        let list = |v: &[u64]| v.iter().map(u64::to_string).collect::<Vec<_>>().join(", ");
        if !p.bugs_not_named.is_empty() {
            let _ = writeln!(
                out,
                "  listed, but no commit names them: {}",
                list(&p.bugs_not_named)
            );
        }
        if !p.bugs_not_listed.is_empty() {
            let _ = writeln!(
                out,
                "  named by commits, but not listed: {}",
                list(&p.bugs_not_listed)
            );
        }
    }
    out
}

fn markdown(
    train: &str,
    projects: &[ProjectChanges<'_>],
    bugs: &crate::model::process::BugTracker,
) -> String {
    let bug = |n: u64| match bugs.link(n) {
        Some(url) => format!("[bug {n}]({url})"),
        None => format!("bug {n}"),
    };
    // Record text and commit messages are code spans: nothing in them is
    // markup, a link or a mention.
    let md = |s: &str| code(s, In::Text);
    let mut out = format!("## Release {train}\n");
    for p in projects {
        let _ = write!(out, "\n### {} {}\n\n", md(p.project), md(p.to));
        match (p.from, &p.problem) {
            (Some(from), _) if !p.commits.is_empty() => {
                let _ = writeln!(out, "Changes since {}:\n", md(from));
                for c in p.commits {
                    let bugs: Vec<String> = c.bugs.iter().map(|n| bug(*n)).collect();
                    let _ = writeln!(
                        out,
                        "- {}{} ({})",
                        md(&c.subject),
                        if bugs.is_empty() {
                            String::new()
                        } else {
                            format!(" — {}", bugs.join(", "))
                        },
                        md(&c.author)
                    );
                }
            }
            (_, Some(problem)) => {
                let _ = writeln!(out, "_{}_", md(problem));
            }
            _ => out.push_str("_No changes._\n"),
        }
        if !p.bugs_listed.is_empty() {
            let list: Vec<String> = p.bugs_listed.iter().map(|n| bug(*n)).collect();
            let _ = writeln!(out, "\nBugs: {}", list.join(", "));
        }
    }
    out
}
