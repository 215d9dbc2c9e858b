//! Loading: find the repository's files, read and parse them (in parallel), and
//! assemble the [`ReleaseRepository`] model. Loading never stops at a bad file: each
//! problem becomes a diagnostic and the rest of the repository still loads.

mod layout;
mod notify;
mod process;
pub mod resolve;
pub mod yaml;

use crate::sandbox::{ReadError, Refused, RepoDir};
pub use layout::{
    is_slug, planning_month, question_name, signoff_round, train_date, version_date, TRAIN_FILES,
};

use crate::diagnostics::suggest::did_you_mean;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::Rule;
use crate::model::people::PeopleFile;
use crate::model::process::ProcessFile;
use crate::model::*;
use layout::Kind;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Why a repository could not be loaded at all (exit status 2).
#[derive(Debug)]
pub enum LoadError {
    NotARepository(PathBuf),
    /// The root folder itself could not be opened.
    Unreadable(PathBuf, std::io::Error),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::NotARepository(p) => write!(
                f,
                "{} is not a release repository: it has neither process.yaml nor a releases/ folder\n  help: run trainyard inside a release repository (the folders above are searched for process.yaml), or pass --root DIR",
                p.display()
            ),
            LoadError::Unreadable(p, e) => write!(f, "cannot open {}: {e}", p.display()),
        }
    }
}

impl std::error::Error for LoadError {}

/// The loaded repository and the problems found while loading it.
#[derive(Debug)]
pub struct Loaded {
    pub repo: ReleaseRepository,
    pub diagnostics: Vec<Diagnostic>,
}

/// A parsed file. Boxed: records differ a lot in size.
enum Parsed {
    Process(Box<ProcessFile>),
    ProcessVersion(Box<crate::model::process::VersionFile>),
    People(Box<PeopleFile>),
    Train(Box<TrainFile>),
    Handoff(Box<Handoff>),
    Staging(Box<Staging>),
    Signoff(Box<Signoff>),
    Push(Box<Push>),
    Notes,
    Planning(Box<Planning>),
    Question(Box<Question>, String),
}

struct FileResult {
    rel: String,
    kind: Kind,
    text: Option<String>,
    parsed: Result<Parsed, Diagnostic>,
}

/// `/`-separated path relative to the root.
fn rel_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn is_hidden(name: &str) -> bool {
    name.starts_with('.')
}

fn unexpected(rel: &str, what: &str, help: impl Into<String>) -> Diagnostic {
    Diagnostic::new(Rule::FileName, rel, Pos::FILE, what.to_string()).help(help)
}

/// What walking part of the repository found, in walk order.
#[derive(Default)]
struct Found {
    files: Vec<(String, Kind)>,
    train_dirs: Vec<chrono::NaiveDate>,
    diags: Vec<Diagnostic>,
}

impl Found {
    fn append(&mut self, mut other: Found) {
        self.files.append(&mut other.files);
        self.train_dirs.append(&mut other.train_dirs);
        self.diags.append(&mut other.diags);
    }
}

/// How much of the repository to load.
pub enum Scope<'a> {
    /// Everything: what `check`, `build` and `serve` read.
    All,
    /// process.yaml, people.yaml and the train folders the function picks
    /// from the dates of all train folders (sorted): what a command about
    /// one train needs (`gate`, `mail`). Planning, questions, templates and
    /// the other trains are not read, and their problems are not reported.
    Trains(&'a (dyn Fn(&[chrono::NaiveDate]) -> Vec<chrono::NaiveDate> + Sync)),
    /// As `Trains`, and the planning meetings (`remind`: a meeting not
    /// recorded yet is owed).
    TrainsAndPlanning(&'a (dyn Fn(&[chrono::NaiveDate]) -> Vec<chrono::NaiveDate> + Sync)),
    /// process.yaml and people.yaml only.
    Settings,
}

/// Walk the parts of the repository trainyard reads and classify every file.
/// The train folders are walked in parallel (hundreds of small folders); the
/// result is in the same order as one walk sorted by name.
fn discover(
    root: &Path,
    diags: &mut Vec<Diagnostic>,
    scope: &Scope<'_>,
) -> (Vec<(String, Kind)>, Vec<chrono::NaiveDate>) {
    let mut found = Found::default();
    // What is at each top-level name, without following a link: a linked
    // process.yaml or releases/ is reported, never read or walked.
    let kind_of = |name: &str| {
        std::fs::symlink_metadata(root.join(name))
            .ok()
            .map(|m| m.file_type())
    };
    for (name, kind) in [
        ("process.yaml", Kind::Process),
        ("people.yaml", Kind::People),
    ] {
        // Anything at that name is read through the sandbox, which refuses
        // (with a diagnostic) what is not a regular file.
        if kind_of(name).is_some() {
            found.files.push((name.to_string(), kind));
        }
    }
    for top in ["releases", "planning", "questions", "process"] {
        let dir = root.join(top);
        match kind_of(top) {
            Some(t) if t.is_dir() => {}
            Some(_) => {
                found.diags.push(unexpected(
                    top,
                    &format!("`{top}` is not a folder of this repository (a symbolic link or a file)"),
                    format!("{top}/ must be a real folder inside the repository; links are never followed"),
                ));
                continue;
            }
            None => continue,
        }
        let wanted = match scope {
            // Every command needs the version that judges its train.
            _ if top == "process" => true,
            Scope::All => true,
            Scope::Trains(_) => top == "releases",
            Scope::TrainsAndPlanning(_) => top == "releases" || top == "planning",
            Scope::Settings => false,
        };
        if !wanted {
            continue;
        }
        if top != "releases" {
            walk(
                root,
                WalkDir::new(&dir).min_depth(1).follow_root_links(false),
                top,
                0,
                &mut found,
            );
            continue;
        }
        // Each entry of releases/ with everything under it, walked on its own.
        let entries: Vec<_> = WalkDir::new(&dir)
            .min_depth(1)
            .max_depth(1)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !is_hidden(&e.file_name().to_string_lossy()))
            .collect();
        let entries = match scope {
            Scope::All | Scope::Settings => entries,
            Scope::Trains(pick) | Scope::TrainsAndPlanning(pick) => {
                let dated = |e: &walkdir::Result<walkdir::DirEntry>| {
                    let e = e.as_ref().ok()?;
                    e.file_type().is_dir().then_some(())?;
                    train_date(&e.file_name().to_string_lossy())
                };
                let dates: Vec<_> = entries.iter().filter_map(dated).collect();
                let picked = pick(&dates);
                entries
                    .into_iter()
                    .filter(|e| dated(e).is_some_and(|d| picked.contains(&d)))
                    .collect()
            }
        };
        let parts: Vec<Found> = entries
            .into_par_iter()
            .map(|entry| {
                let mut part = Found::default();
                match entry {
                    Ok(e) => walk(
                        root,
                        WalkDir::new(e.path()).follow_root_links(false),
                        top,
                        1,
                        &mut part,
                    ),
                    Err(err) => part.diags.push(cannot_read(root, top, &err)),
                }
                part
            })
            .collect();
        for part in parts {
            found.append(part);
        }
    }
    if matches!(scope, Scope::All) {
        found.diags.extend(template_problems(root));
    }
    diags.append(&mut found.diags);
    (found.files, found.train_dirs)
}

/// `site-templates/` is read by `build`, not by `check`; what `build` would
/// refuse to read there (a link, or anything but a regular file) is reported
/// here so that `check` fails on it.
fn template_problems(root: &Path) -> Vec<Diagnostic> {
    const DIR: &str = "site-templates";
    let dir = root.join(DIR);
    match std::fs::symlink_metadata(&dir) {
        Err(_) => return Vec::new(),
        Ok(m) if !m.is_dir() => {
            return vec![unexpected(
                DIR,
                "`site-templates` is not a folder of this repository (a symbolic link or a file)",
                "site-templates/ must be a real folder; links are never followed",
            )]
        }
        Ok(_) => {}
    }
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<Diagnostic> = entries
        .filter_map(Result::ok)
        .filter(|e| !is_hidden(&e.file_name().to_string_lossy()))
        .filter_map(|e| {
            let kind = e.file_type().ok()?;
            let rel = rel_path(root, &e.path());
            if kind.is_symlink() {
                Some(unexpected(
                    &rel,
                    &Refused::Link.to_string(),
                    Refused::Link.help(),
                ))
            } else if !kind.is_file() {
                Some(unexpected(
                    &rel,
                    &Refused::NotAFile.to_string(),
                    "site-templates/ holds template files only",
                ))
            } else {
                None
            }
        })
        .collect();
    out.sort_by(|a, b| a.file.cmp(&b.file));
    out
}

fn cannot_read(root: &Path, top: &str, err: &walkdir::Error) -> Diagnostic {
    let rel = err
        .path()
        .map(|p| rel_path(root, p))
        .unwrap_or_else(|| top.to_string());
    Diagnostic::new(
        Rule::FileName,
        rel,
        Pos::FILE,
        format!("cannot read: {err}"),
    )
}

/// Walk `walker` (in `top`, its entries `offset` levels below `top`),
/// classifying every entry into `found`.
fn walk(root: &Path, walker: WalkDir, top: &str, offset: usize, found: &mut Found) {
    let walker = walker
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !is_hidden(&e.file_name().to_string_lossy()));
    let diags = &mut found.diags;
    let mut skip_under: Option<PathBuf> = None;
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                diags.push(cannot_read(root, top, &err));
                continue;
            }
        };
        let path = entry.path();
        if skip_under.as_ref().is_some_and(|s| path.starts_with(s)) {
            continue;
        }
        let rel = rel_path(root, path);
        let name = entry.file_name().to_string_lossy().to_string();
        let depth = entry.depth() + offset;
        let is_dir = entry.file_type().is_dir();
        if entry.path_is_symlink() {
            diags.push(unexpected(
                &rel,
                "a symbolic link; trainyard reads only real files inside the repository",
                Refused::Link.help(),
            ));
            continue;
        } else if !is_dir && !entry.file_type().is_file() {
            // Opening a named pipe to read it would wait for a writer forever.
            diags.push(unexpected(
                &rel,
                "a named pipe, socket or device, not a file",
                Refused::NotAFile.help(),
            ));
            continue;
        }
        let kind = classify(top, &rel, &name, depth, is_dir, path, diags);
        match kind {
            Classified::File(k) => found.files.push((rel, k)),
            Classified::Descend if depth == 1 && top == "releases" => {
                found.train_dirs.extend(train_date(&name));
            }
            Classified::Descend => {}
            Classified::Skip => {
                if is_dir {
                    skip_under = Some(path.to_path_buf());
                }
            }
        }
    }
}

/// What an entry `depth` levels below the top folder `top` is.
fn classify(
    top: &str,
    rel: &str,
    name: &str,
    depth: usize,
    is_dir: bool,
    path: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Classified {
    match top {
        "releases" => classify_release(rel, name, depth, is_dir, path, diags),
        "planning" => classify_simple(rel, name, is_dir, diags, planning_month(name).map(|(y, m)| Kind::Planning(y, m)),
            "planning files are named YYYY-MM.yaml, e.g. planning/2026-12.yaml"),
        "process" => classify_simple(rel, name, is_dir, diags, version_date(name).map(Kind::ProcessVersion),
            "an earlier version of the process is named by the first push date it applied to, e.g. process/2026-01-05.yaml (`trainyard new process-change DATE` writes it)"),
        _ => classify_simple(rel, name, is_dir, diags, question_name(name).map(|(n, s)| Kind::Question(n, s)),
            "question files are named NNNN-slug.md, e.g. questions/0007-load-test-environment.md"),
    }
}

enum Classified {
    File(Kind),
    Descend,
    Skip,
}

fn classify_simple(
    rel: &str,
    name: &str,
    is_dir: bool,
    diags: &mut Vec<Diagnostic>,
    kind: Option<Kind>,
    help: &str,
) -> Classified {
    match kind {
        Some(k) if !is_dir => Classified::File(k),
        _ => {
            let what = if is_dir {
                format!("unexpected folder `{name}`")
            } else {
                format!("`{name}` is not a valid file name here")
            };
            diags.push(unexpected(rel, &what, help));
            Classified::Skip
        }
    }
}

fn classify_release(
    rel: &str,
    name: &str,
    depth: usize,
    is_dir: bool,
    path: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Classified {
    // Depth 1: releases/YYYY-MM-DD; 2: its files; 3: handoffs/NAME.yaml.
    let parent_date = || {
        let mut p = path.parent();
        if depth == 3 {
            p = p.and_then(Path::parent);
        }
        p.and_then(|p| p.file_name())
            .and_then(|n| train_date(&n.to_string_lossy()))
    };
    match depth {
        1 => {
            if is_dir && train_date(name).is_some() {
                return Classified::Descend;
            }
            let out_of_range = matches!(
                crate::schedule::time::parse_date(name),
                Err(crate::schedule::time::TimeError::OutOfRange)
            );
            let (what, help) = if is_dir && out_of_range {
                (
                    crate::schedule::time::TimeError::OutOfRange.message(name),
                    "name each train folder by its production push date, YYYY-MM-DD; check the year",
                )
            } else if is_dir {
                (
                    format!("train folder `{name}` is not a real date"),
                    "name each train folder by its production push date, YYYY-MM-DD",
                )
            } else {
                (
                    format!("unexpected file `{name}` in releases/"),
                    "releases/ holds only train folders named YYYY-MM-DD",
                )
            };
            diags.push(unexpected(rel, &what, help));
            Classified::Skip
        }
        2 => {
            let Some(date) = parent_date() else {
                return Classified::Skip;
            };
            let kind = match (name, is_dir) {
                ("handoffs", true) => return Classified::Descend,
                ("train.yaml", false) => Kind::Train(date),
                ("notes.md", false) => Kind::Notes(date),
                ("staging.yaml", false) => Kind::Staging(date),
                ("push.yaml", false) => Kind::Push(date),
                (n, false) if layout::signoff_round(n).is_some() => {
                    Kind::Signoff(date, layout::signoff_round(n).unwrap_or(1))
                }
                _ => {
                    diags.push(unexpected(
                        rel,
                        &format!(
                            "unexpected {} `{name}` in a train folder",
                            if is_dir { "folder" } else { "file" }
                        ),
                        did_you_mean(name, TRAIN_FILES.iter().copied()),
                    ));
                    return Classified::Skip;
                }
            };
            Classified::File(kind)
        }
        3 => {
            let Some(date) = parent_date() else {
                return Classified::Skip;
            };
            match name.strip_suffix(".yaml") {
                Some(stem) if !is_dir && !stem.is_empty() => {
                    Classified::File(Kind::Handoff(date, stem.to_string()))
                }
                _ => {
                    diags.push(unexpected(
                        rel,
                        &format!(
                            "unexpected {} `{name}` in handoffs/",
                            if is_dir { "folder" } else { "file" }
                        ),
                        "each hand-off is handoffs/PROJECT.yaml, named after its `project`",
                    ));
                    Classified::Skip
                }
            }
        }
        _ => {
            diags.push(unexpected(
                rel,
                "unexpected nesting under releases/",
                "see docs/format.md for the layout",
            ));
            Classified::Skip
        }
    }
}

fn read_text(dir: &RepoDir, rel: &str) -> Result<String, Diagnostic> {
    match dir.read(rel, yaml::MAX_FILE_BYTES) {
        Ok(bytes) => text_of(rel, bytes),
        Err(e) => Err(read_error(rel, e)),
    }
}

/// Why a file could not be read, as a diagnostic.
fn read_error(rel: &str, e: ReadError) -> Diagnostic {
    match e {
        ReadError::TooBig(size) => too_big(rel, size),
        ReadError::Refused(why @ (Refused::Link | Refused::NotAFile)) => {
            unexpected(rel, &why.to_string(), why.help())
        }
        ReadError::Refused(why) => Diagnostic::new(
            Rule::YamlSyntax,
            rel,
            Pos::FILE,
            format!("cannot read: {why}"),
        ),
    }
}

fn too_big(rel: &str, size: u64) -> Diagnostic {
    Diagnostic::new(
        Rule::YamlSyntax,
        rel,
        Pos::FILE,
        format!(
            "the file is {:.1} MiB; trainyard reads files up to 1 MiB",
            size as f64 / 1048576.0
        ),
    )
    .help("release records are small; split or trim this file")
}

/// A file's bytes as the text of a record: UTF-8, without a byte-order
/// mark, and no NUL.
fn text_of(rel: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let mut text = String::from_utf8(bytes).map_err(|e| {
        Diagnostic::new(
            Rule::YamlSyntax,
            rel,
            Pos::FILE,
            format!(
                "the file is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
        .help("save the file as UTF-8")
    })?;
    if text.starts_with('\u{feff}') {
        text.remove(0);
    }
    if text.contains('\0') {
        return Err(Diagnostic::new(
            Rule::YamlSyntax,
            rel,
            Pos::FILE,
            "the file contains NUL bytes: it is binary, not text",
        ));
    }
    Ok(text)
}

fn parse_file(text: &str, rel: &str, kind: &Kind) -> Result<Parsed, Diagnostic> {
    Ok(match kind {
        Kind::Process => {
            if yaml::is_blank(text) {
                Parsed::Process(Box::default())
            } else {
                Parsed::Process(Box::new(yaml::parse(text, rel)?))
            }
        }
        Kind::ProcessVersion(_) => {
            if yaml::is_blank(text) {
                Parsed::ProcessVersion(Box::default())
            } else {
                Parsed::ProcessVersion(Box::new(
                    yaml::parse(text, rel).map_err(tool_key_in_a_version)?,
                ))
            }
        }
        Kind::People => Parsed::People(Box::new(yaml::parse(text, rel)?)),
        Kind::Train(_) => Parsed::Train(Box::new(yaml::parse(text, rel)?)),
        Kind::Handoff(..) => Parsed::Handoff(Box::new(yaml::parse(text, rel)?)),
        Kind::Staging(_) => Parsed::Staging(Box::new(yaml::parse(text, rel)?)),
        Kind::Signoff(..) => Parsed::Signoff(Box::new(yaml::parse(text, rel)?)),
        Kind::Push(_) => Parsed::Push(Box::new(yaml::parse(text, rel)?)),
        Kind::Notes(_) => Parsed::Notes,
        Kind::Planning(..) => Parsed::Planning(Box::new(yaml::parse(text, rel)?)),
        Kind::Question(..) => {
            let Some((front, body)) = yaml::split_front_matter(text) else {
                return Err(Diagnostic::new(Rule::YamlSyntax, rel, Pos::FILE, "the question has no front matter")
                    .help("start the file with a `---` line, the YAML fields, and another `---` line before the text"));
            };
            Parsed::Question(Box::new(yaml::parse(front, rel)?), body.to_string())
        }
    })
}

fn train_for(
    trains: &mut BTreeMap<chrono::NaiveDate, Train>,
    date: chrono::NaiveDate,
) -> &mut Train {
    trains
        .entry(date)
        .or_insert_with(|| Train::new(date, format!("releases/{date}")))
}

/// Whether `root` looks like a release repository.
pub fn is_repository(root: &Path) -> bool {
    root.join("process.yaml").is_file() || root.join("releases").is_dir()
}

/// Load the whole repository at `root`.
pub fn load(root: &Path) -> Result<Loaded, LoadError> {
    load_scoped(root, &Scope::All)
}

/// Load what `scope` names of the repository at `root`.
pub fn load_scoped(root: &Path, scope: &Scope<'_>) -> Result<Loaded, LoadError> {
    if !is_repository(root) {
        return Err(LoadError::NotARepository(root.to_path_buf()));
    }
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let dir = RepoDir::new(&root).map_err(|e| LoadError::Unreadable(root.clone(), e))?;
    let mut diagnostics = Vec::new();
    let (files, train_dirs) = discover(&root, &mut diagnostics, scope);

    let results: Vec<FileResult> = files
        .into_par_iter()
        .map(|(rel, kind)| match read_text(&dir, &rel) {
            Ok(text) => FileResult {
                parsed: parse_file(&text, &rel, &kind),
                rel,
                kind,
                text: Some(text),
            },
            Err(d) => FileResult {
                rel,
                kind,
                text: None,
                parsed: Err(d),
            },
        })
        .collect();
    Ok(assemble(root, results, train_dirs, diagnostics))
}

/// Load a repository from its files' bytes, by path relative to the root
/// (`/`-separated): what `check --base` reads from the base commit, without
/// writing it out. The files are classified, read and parsed exactly as on
/// disk; `root` is where the service clones are.
pub fn load_files(root: &Path, files: &BTreeMap<String, Vec<u8>>) -> Loaded {
    let mut diagnostics = Vec::new();
    let mut found = Found::default();
    for (name, kind) in [
        ("process.yaml", Kind::Process),
        ("people.yaml", Kind::People),
    ] {
        if files.contains_key(name) {
            found.files.push((name.to_string(), kind));
        }
    }
    for top in ["releases", "planning", "questions", "process"] {
        // Every folder and file below `top`, in the order a walk sorted by
        // name visits them (a folder before what is in it).
        let mut entries: std::collections::BTreeSet<(Vec<&str>, bool)> = Default::default();
        for rel in files.keys() {
            let Some(rest) = rel.strip_prefix(top).and_then(|r| r.strip_prefix('/')) else {
                continue;
            };
            let parts: Vec<&str> = rest.split('/').collect();
            if parts.iter().any(|p| is_hidden(p) || p.is_empty()) {
                continue;
            }
            for n in 1..parts.len() {
                entries.insert((parts[..n].to_vec(), true));
            }
            entries.insert((parts, false));
        }
        let mut skip_under: Option<Vec<&str>> = None;
        for (parts, is_dir) in entries {
            if skip_under.as_ref().is_some_and(|s| parts.starts_with(s)) {
                continue;
            }
            let rel = format!("{top}/{}", parts.join("/"));
            let name = parts[parts.len() - 1];
            let path = root.join(&rel);
            match classify(
                top,
                &rel,
                name,
                parts.len(),
                is_dir,
                &path,
                &mut found.diags,
            ) {
                Classified::File(k) => found.files.push((rel, k)),
                Classified::Descend if parts.len() == 1 && top == "releases" => {
                    found.train_dirs.extend(train_date(name));
                }
                Classified::Descend => {}
                Classified::Skip => {
                    if is_dir {
                        skip_under = Some(parts);
                    }
                }
            }
        }
    }
    diagnostics.append(&mut found.diags);
    let results: Vec<FileResult> = found
        .files
        .into_par_iter()
        .map(|(rel, kind)| {
            let text = match files.get(&rel) {
                Some(b) if b.len() as u64 > yaml::MAX_FILE_BYTES => {
                    Err(too_big(&rel, b.len() as u64))
                }
                Some(b) => text_of(&rel, b.clone()),
                None => Err(unexpected(&rel, "not a file", "")),
            };
            match text {
                Ok(text) => FileResult {
                    parsed: parse_file(&text, &rel, &kind),
                    rel,
                    kind,
                    text: Some(text),
                },
                Err(d) => FileResult {
                    rel,
                    kind,
                    text: None,
                    parsed: Err(d),
                },
            }
        })
        .collect();
    assemble(root.to_path_buf(), results, found.train_dirs, diagnostics)
}

/// The repository from its files, read and parsed: the records in their
/// trains, the process and its versions, the roster, every time resolved.
fn assemble(
    root: PathBuf,
    results: Vec<FileResult>,
    train_dirs: Vec<chrono::NaiveDate>,
    mut diagnostics: Vec<Diagnostic>,
) -> Loaded {
    let mut repo = ReleaseRepository {
        root,
        files_read: results.len(),
        ..ReleaseRepository::default()
    };
    let mut trains: BTreeMap<chrono::NaiveDate, Train> = BTreeMap::new();
    let mut process_file = None;
    let mut version_files = Vec::new();
    for date in train_dirs {
        train_for(&mut trains, date);
    }

    for r in results {
        if let Some(text) = r.text {
            repo.sources.insert(r.rel.clone(), text);
        }
        match &r.kind {
            Kind::Train(d) => train_for(&mut trains, *d).has_train_file = true,
            Kind::Signoff(d, n) => {
                let t = train_for(&mut trains, *d);
                t.has_signoff_file = true;
                t.signoff_rounds.push(*n);
            }
            Kind::Handoff(d, _) | Kind::Staging(d) | Kind::Push(d) => {
                train_for(&mut trains, *d).record_files.push(r.rel.clone())
            }
            Kind::Notes(d) => train_for(&mut trains, *d).notes = Some(r.rel.clone()),
            _ => {}
        }
        if let Kind::Signoff(d, _) = &r.kind {
            train_for(&mut trains, *d).record_files.push(r.rel.clone());
        }
        let parsed = match r.parsed {
            Ok(p) => p,
            Err(d) => {
                match r.kind {
                    Kind::People => repo.people.unreadable = true,
                    Kind::Process => repo.process_unreadable = true,
                    _ => {}
                }
                diagnostics.push(d);
                continue;
            }
        };
        let rel = r.rel;
        match (parsed, r.kind) {
            (Parsed::Process(p), _) => process_file = Some((*p, rel)),
            (Parsed::ProcessVersion(v), Kind::ProcessVersion(d)) => {
                version_files.push((d, *v, rel))
            }
            (Parsed::People(p), _) => {
                repo.people = People {
                    list: p.people,
                    unreadable: false,
                }
            }
            (Parsed::Train(t), Kind::Train(d)) => {
                train_for(&mut trains, d).train = Some(Record {
                    path: rel,
                    data: *t,
                })
            }
            (Parsed::Handoff(h), Kind::Handoff(d, _)) => {
                train_for(&mut trains, d).handoffs.push(Record {
                    path: rel,
                    data: *h,
                })
            }
            (Parsed::Staging(s), Kind::Staging(d)) => {
                train_for(&mut trains, d).staging = Some(Record {
                    path: rel,
                    data: *s,
                })
            }
            (Parsed::Signoff(s), Kind::Signoff(d, n)) => {
                train_for(&mut trains, d).earlier_rounds.push((
                    n,
                    Record {
                        path: rel,
                        data: *s,
                    },
                ))
            }
            (Parsed::Push(p), Kind::Push(d)) => {
                train_for(&mut trains, d).push = Some(Record {
                    path: rel,
                    data: *p,
                })
            }
            (Parsed::Planning(p), Kind::Planning(y, m)) => repo.planning.push(PlanningRecord {
                month: Some((y, m)),
                doc: Record {
                    path: rel,
                    data: *p,
                },
            }),
            (Parsed::Question(q, body), Kind::Question(n, slug)) => {
                repo.questions.push(QuestionRecord {
                    number: n,
                    slug,
                    doc: Record {
                        path: rel,
                        data: *q,
                    },
                    body,
                })
            }
            _ => {}
        }
    }
    let file = match process_file {
        Some((file, path)) => {
            let (process, diags) = process::resolve(&file, &path);
            repo.process = process;
            diagnostics.extend(diags);
            file
        }
        None => Default::default(),
    };
    repo.earlier = process::versions(&file, version_files, &mut repo.process, &mut diagnostics);
    repo.trains = trains.into_values().collect();
    for t in &mut repo.trains {
        // The highest round decides; the earlier ones are kept in order.
        t.earlier_rounds.sort_by_key(|(n, _)| *n);
        t.signoff_rounds.sort_unstable();
        t.signoff = t.earlier_rounds.pop().map(|(_, r)| r);
        t.handoffs.sort_by(|a, b| a.path.cmp(&b.path));
        t.record_files.sort();
    }
    repo.planning.sort_by(|a, b| a.doc.path.cmp(&b.doc.path));
    repo.questions.sort_by_key(|q| q.number);
    resolve::repository(&mut repo, &mut diagnostics);
    Loaded { repo, diagnostics }
}

/// Replace one train record (a hand-off, staging, sign-off or push file) of
/// a loaded repository with `text`, as if the file held it: what a command
/// that is about to change a record checks (`mail --record`). The times the
/// old text could not read are forgotten and the new text's are reported in
/// `diagnostics`; text that does not parse at all is the error.
pub fn replace_record(
    repo: &mut ReleaseRepository,
    diagnostics: &mut Vec<Diagnostic>,
    rel: &str,
    text: String,
) -> Result<(), Diagnostic> {
    let unknown = || {
        Diagnostic::new(
            Rule::FileName,
            rel,
            Pos::FILE,
            "not a train record trainyard can change",
        )
    };
    let dir = crate::model::train_dir_of(rel).ok_or_else(unknown)?;
    let date = repo
        .trains
        .iter()
        .find(|t| t.dir == dir)
        .map(|t| t.date)
        .ok_or_else(unknown)?;
    let tz = repo.process_for(date).timezone;
    let t = repo
        .trains
        .iter_mut()
        .find(|t| t.dir == dir)
        .ok_or_else(unknown)?;
    let name = &rel[dir.len()..];
    let kind = match name {
        "/staging.yaml" => Kind::Staging(t.date),
        n if n
            .strip_prefix('/')
            .and_then(layout::signoff_round)
            .is_some() =>
        {
            Kind::Signoff(
                t.date,
                n.strip_prefix('/')
                    .and_then(layout::signoff_round)
                    .unwrap_or(1),
            )
        }
        "/push.yaml" => Kind::Push(t.date),
        _ => match name
            .strip_prefix("/handoffs/")
            .and_then(|n| n.strip_suffix(".yaml"))
        {
            Some(stem) => Kind::Handoff(t.date, stem.to_string()),
            None => return Err(unknown()),
        },
    };
    let mut parsed = parse_file(&text, rel, &kind)?;
    let mut unread = Vec::new();
    match &mut parsed {
        Parsed::Handoff(h) => resolve::record(&mut **h, rel, tz, &mut unread),
        Parsed::Staging(s) => resolve::record(&mut **s, rel, tz, &mut unread),
        Parsed::Signoff(s) => resolve::record(&mut **s, rel, tz, &mut unread),
        Parsed::Push(p) => resolve::record(&mut **p, rel, tz, &mut unread),
        _ => {}
    }
    diagnostics.retain(|d| !(d.file == rel && d.rule == Rule::TimeFormat));
    diagnostics.extend(unread);
    let doc = |data| Record {
        path: rel.to_string(),
        data,
    };
    match parsed {
        Parsed::Handoff(h) => {
            t.handoffs.retain(|d| d.path != rel);
            t.handoffs.push(doc(*h));
            t.handoffs.sort_by(|a, b| a.path.cmp(&b.path));
        }
        Parsed::Staging(s) => {
            t.staging = Some(Record {
                path: rel.to_string(),
                data: *s,
            })
        }
        Parsed::Signoff(s) => {
            t.signoff = Some(Record {
                path: rel.to_string(),
                data: *s,
            })
        }
        Parsed::Push(p) => {
            t.push = Some(Record {
                path: rel.to_string(),
                data: *p,
            })
        }
        _ => return Err(unknown()),
    }
    repo.sources.insert(rel.to_string(), text);
    Ok(())
}

/// A tool key in an earlier version of the process is `schema`, with the
/// reason in the help (serde-saphyr only knows the field is unknown there).
fn tool_key_in_a_version(d: Diagnostic) -> Diagnostic {
    let key = crate::model::process::TOOL_KEYS
        .iter()
        .find(|k| d.message.contains(&format!("`{k}`")));
    match key {
        Some(k) if d.rule == Rule::Schema => {
            let message = format!("`{k}` cannot be in an earlier version of the process");
            Diagnostic::new(Rule::Schema, d.file.clone(), d.pos, message).help(format!(
                "`{k}` configures trainyard, not the process: it lives in process.yaml alone, for every version"
            ))
        }
        _ => d,
    }
}
