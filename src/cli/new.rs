//! `trainyard new`: scaffold a record in the right place, prefilled from the
//! schedule and process.yaml, with `<fill in: …>` placeholders that `check`
//! reports until a person fills them in. Never overwrites a record.

use crate::model::Repository;
use crate::rules::PLACEHOLDER;
use crate::schedule::{milestone_date, train_schedule};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
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
    /// Test's sign-off of the train.
    Signoff,
    /// The production push (times prefilled with the maintenance window).
    Push,
    /// A question for the open-questions log.
    Question {
        /// The question, e.g. "Who approves emergency pushes?"
        #[arg(required = true, num_args = 1..)]
        title: Vec<String>,
    },
}

fn fill(what: &str) -> String {
    format!("\"{PLACEHOLDER}: {what}>\"")
}

/// `../../schemas/NAME` from a file at `rel` (relative to the root).
fn schema_hint(rel: &str, name: &str) -> String {
    let up = "../".repeat(rel.matches('/').count());
    format!("# yaml-language-server: $schema={up}schemas/{name}\n")
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

fn local(now: DateTime<Utc>, repo: &Repository) -> String {
    now.with_timezone(&repo.process.timezone)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

pub fn run(args: NewArgs) -> ExitCode {
    let (loaded, now) = match super::load_at(&args.root, args.now.as_deref()) {
        Ok(l) => l,
        Err(e) => return super::fatal(e),
    };
    let repo = &loaded.repo;
    let process = &repo.process;
    let list = |role: &str| process.roles.get(role).and_then(|r| r.list.clone());
    match &args.what {
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
                    let after = repo
                        .trains
                        .last()
                        .map(|t| t.date)
                        .unwrap_or_else(|| now.with_timezone(&process.timezone).date_naive());
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
            let planned: NaiveDate = train_schedule(process, date)
                .map(|s| s.planning)
                .unwrap_or(date);
            let rel = format!("releases/{date}/train.yaml");
            let text = format!(
                "{}# The {date} train: features chosen at the planning meeting.\nplanned_at: {planned}\nfeatures:\n  - project: {}   # a slug; its hand-off goes in handoffs/PROJECT.yaml\n    summary: {}\n    bugs: []\n",
                schema_hint(&rel, "train.schema.json"),
                fill("project-slug"),
                fill("what ships")
            );
            write_new(&args.root, &rel, &text)
        }
        What::Handoff { project } => {
            let i = match super::pick_train(repo, args.train.as_deref(), now) {
                Ok(i) => i,
                Err(e) => return super::fatal(e),
            };
            let t = &repo.trains[i];
            if !crate::load::is_slug(project) {
                return super::fatal(format!(
                    "`{project}` is not a project slug (lowercase letters, digits, `-`, `_`, `.`)"
                ));
            }
            let rel = format!("{}/handoffs/{project}.yaml", t.dir);
            let at = local(now, repo);
            let text = format!(
                "{}project: {project}\nby: {}\nat: {at}\ntag: {}\nci: {{ url: {}, status: passing }}\ntest_plan: {}\nsecurity: {{ required: false }}   # true needs doc: URL and signed_off_by: HANDLE\ndeploy_bugs: []\nstaging: {{ url: {}, database: {} }}\nnotification:\n  sent_at: {}   # `trainyard mail handoff {project} --send --record` fills it\n  to: [{}]\n  cc: [{}]\n",
                schema_hint(&rel, "handoff.schema.json"),
                fill("your handle"),
                fill("the tag, e.g. v1.2.3"),
                fill("CI run URL"),
                fill("test plan URL"),
                fill("staging URL"),
                fill("staging database"),
                fill("when the e-mail went out"),
                list("test").unwrap_or_else(|| fill("test list")),
                list("ops").unwrap_or_else(|| fill("ops list")),
            );
            write_new(&args.root, &rel, &text)
        }
        What::Signoff => {
            let i = match super::pick_train(repo, args.train.as_deref(), now) {
                Ok(i) => i,
                Err(e) => return super::fatal(e),
            };
            let t = &repo.trains[i];
            let rel = format!("{}/signoff.yaml", t.dir);
            let at = local(now, repo);
            let text = format!(
                "{}by: {}\nat: {at}\ndecision: go                 # go | no-go\nregression: pass             # pass | fail\ncross_environment: pass\ntest_plan: pass\nload_test: {{ required: false }}   # true needs signed_off_by: (ops) and environment: stage | production\nnotified_at: {}   # `trainyard mail signoff --send --record` fills it\n",
                schema_hint(&rel, "signoff.schema.json"),
                fill("your handle"),
                fill("when the results e-mail went out"),
            );
            write_new(&args.root, &rel, &text)
        }
        What::Push => {
            let i = match super::pick_train(repo, args.train.as_deref(), now) {
                Ok(i) => i,
                Err(e) => return super::fatal(e),
            };
            let t = &repo.trains[i];
            let rel = format!("{}/push.yaml", t.dir);
            let (start, end) = match train_schedule(process, t.date) {
                Ok(s) => (
                    s.window_start.format("%Y-%m-%d %H:%M").to_string(),
                    s.window_end.format("%Y-%m-%d %H:%M").to_string(),
                ),
                Err(_) => (local(now, repo), local(now, repo)),
            };
            let mut devs: Vec<&str> = t
                .handoffs
                .iter()
                .map(|h| h.data.by.value.as_str())
                .collect();
            devs.sort_unstable();
            devs.dedup();
            let devs = if devs.is_empty() {
                fill("developers present")
            } else {
                devs.join(", ")
            };
            let text = format!(
                "{}pushed_by: {}\nstarted_at: {start}   # the window opens; record the real times\nfinished_at: {end}\npresent: {{ dev: [{devs}], test: [{}], ops: [{}] }}\n# Test adds `validation:` after checking production (see docs/format.md).\n",
                schema_hint(&rel, "push.schema.json"),
                fill("your handle"),
                fill("tester present"),
                fill("ops present"),
            );
            write_new(&args.root, &rel, &text)
        }
        What::Question { title } => {
            let title = title.join(" ");
            let number = repo.questions.iter().map(|q| q.number).max().unwrap_or(0) + 1;
            let mut slug = crate::site::markdown::slug(&title);
            slug.truncate(48);
            let slug = slug.trim_end_matches('-').to_string();
            let rel = format!("questions/{number:04}-{slug}.md");
            let today = now.with_timezone(&process.timezone).date_naive();
            let title_yaml = serde_json::to_string(&title).unwrap_or_else(|_| format!("{title:?}"));
            let text = format!(
                "---\ntitle: {title_yaml}\nasked_by: {}\nasked_at: {today}\nstatus: open\n---\n{PLACEHOLDER}: the background of the question>\n",
                fill("your name or handle"),
            );
            write_new(&args.root, &rel, &text)
        }
    }
}
