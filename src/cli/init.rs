//! `trainyard init`: a new release repository that passes `check` as it is.

use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod workflows;
use workflows::Install;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to create the repository (default: the current directory).
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// Also in a folder that is not empty; existing files are kept, never overwritten.
    #[arg(long)]
    pub force: bool,
    /// The date the first train is planned from (default: today).
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// The GitHub Action the workflows run trainyard with: this release's by
    /// default; another for a fork, a mirror, or a commit SHA (then set the
    /// action's `version` input to the release).
    #[arg(
        long,
        value_name = "OWNER/NAME@REF",
        default_value_t = workflows::released_action(),
        value_parser = workflows::action_reference,
        conflicts_with = "from_source"
    )]
    pub action: String,
    /// Workflows that build trainyard from source (`cargo install --locked
    /// --git`, cached between runs) instead of using the action's release binary.
    #[arg(long)]
    pub from_source: bool,
}

/// The default process, commented (also what `init` writes).
pub const PROCESS: &str = include_str!("init/process.yaml");
const PEOPLE: &str = include_str!("init/people.yaml");
const README: &str = include_str!("init/README.md");
const PR_TEMPLATE: &str = include_str!("../../.github/pull_request_template.md");
const GITIGNORE: &str = "/public\n/.public.trainyard-*\n";

/// Whether `dir` holds nothing but, perhaps, a Git repository (`git init`
/// first, then `trainyard init`, is how many teams start).
fn is_empty(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|mut d| d.all(|e| e.is_ok_and(|e| e.file_name() == ".git")))
        .unwrap_or(true)
}

/// Where the team guide goes when a README is already there (kept).
const GUIDE_BESIDE: &str = "TRAINYARD.md";

pub fn run(args: InitArgs) -> ExitCode {
    let dir = &args.dir;
    let install = if args.from_source {
        Install::Source
    } else {
        Install::Action(args.action.clone())
    };
    if dir.exists() && !is_empty(dir) && !args.force {
        eprintln!("trainyard: error: {} is not empty", dir.display());
        eprintln!("  help: choose an empty folder (a fresh `git init` is fine), or pass --force to add the missing files (existing ones are kept)");
        return ExitCode::from(1);
    }
    let tz = chrono_tz::America::Los_Angeles;
    let now = match crate::pipeline::resolve_now(args.now.as_deref(), tz) {
        Ok(t) => t,
        Err(e) => return super::fatal(e),
    };
    let process = crate::model::process::Process::default();
    let today = now.with_timezone(&process.timezone).date_naive();
    let push = crate::schedule::milestone_date(
        today + chrono::Duration::days(7),
        process.production_push.weekday,
    );
    let planned = crate::schedule::train_schedule(&process, push)
        .map(|s| s.planning)
        .unwrap_or(today);
    let train = format!(
        "# yaml-language-server: $schema=../../schemas/train.schema.json\n# The first train: replace the example feature with this week's work.\nplanned_at: {planned}\nfeatures:\n  - project: first-project\n    summary: Replace with the first feature of this train\n    bugs: []\n"
    );
    let mut files: Vec<(String, String)> = vec![
        ("process.yaml".into(), PROCESS.into()),
        ("people.yaml".into(), PEOPLE.into()),
        if dir.join("README.md").exists() {
            // The folder's own README is kept; the guide goes beside it.
            (GUIDE_BESIDE.into(), README.into())
        } else {
            ("README.md".into(), README.into())
        },
        (".gitignore".into(), GITIGNORE.into()),
        (format!("releases/{push}/train.yaml"), train),
        (
            ".github/pull_request_template.md".into(),
            PR_TEMPLATE.into(),
        ),
        ("planning/.gitkeep".into(), String::new()),
        ("questions/.gitkeep".into(), String::new()),
    ];
    files.extend(
        workflows::workflows(&install)
            .into_iter()
            .map(|(path, text)| (path.to_owned(), text)),
    );
    for (name, _, schema) in crate::schema::schemas() {
        let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
        text.push('\n');
        files.push((format!("schemas/{name}"), text));
    }
    let mut written = 0;
    for (rel, text) in &files {
        let path = dir.join(rel);
        if path.exists() {
            outln!("kept {rel} (already there)");
            continue;
        }
        if rel == GUIDE_BESIDE {
            outln!("kept README.md (already there): the team guide is in {GUIDE_BESIDE}");
        }
        let result = path
            .parent()
            .map(std::fs::create_dir_all)
            .transpose()
            .and_then(|_| std::fs::write(&path, text));
        if let Err(e) = result {
            return super::fatal(format!("cannot write {}: {e}", path.display()));
        }
        written += 1;
    }
    // CODEOWNERS from the roster just written (or the one that was there).
    let codeowners = dir.join(crate::git::codeowners::PATH);
    if !codeowners.exists() {
        match crate::load::load(dir) {
            Ok(l) => {
                if let Err(e) = std::fs::write(
                    &codeowners,
                    crate::git::codeowners::generate(&l.repo, super::today(&l.repo)),
                ) {
                    return super::fatal(format!("cannot write {}: {e}", codeowners.display()));
                }
                written += 1;
            }
            Err(e) => return super::fatal(e),
        }
    }
    outln!(
        "created a release repository in {} ({written} files)",
        dir.display()
    );
    outln!("next: put your team in people.yaml, adjust process.yaml, then `trainyard codeowners --write` and `trainyard check`");
    ExitCode::SUCCESS
}
