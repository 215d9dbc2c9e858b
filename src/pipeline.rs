//! The pipeline every command runs, in one place: load the repository (and
//! its Git history beside it), resolve "now" in the process timezone, read
//! the service repositories, and run every rule. The commands choose how
//! much of it they need (a whole repository for `check`, `build` and
//! `serve`; the settings and one train for `gate` and `mail`) and what to do
//! with the outcome; nothing here prints.

/// `--now`: a time as in the records, or a plain date meaning the start of that
/// day, in the process timezone.
pub fn parse_now(raw: &str, tz: chrono_tz::Tz) -> Result<chrono::DateTime<chrono::Utc>, String> {
    use crate::schedule::time::{parse_date, parse_time, start_of_day};
    let t = match parse_date(raw) {
        Ok(d) => Ok(start_of_day(tz, d)),
        Err(_) => parse_time(raw, tz),
    };
    t.map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| format!("--now: {}\n  help: {}", e.message(raw), e.help()))
}

/// The build time: `--now`, else SOURCE_DATE_EPOCH (seconds since 1970), else the clock.
pub fn resolve_now(
    now: Option<&str>,
    tz: chrono_tz::Tz,
) -> Result<chrono::DateTime<chrono::Utc>, String> {
    if let Some(raw) = now {
        return parse_now(raw, tz);
    }
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
            .ok_or_else(|| {
                format!("SOURCE_DATE_EPOCH: `{v}` is not a number of seconds since 1970")
            }),
        _ => Ok(chrono::Utc::now()),
    }
}

/// The diagnostics that need Git history: record-author (when history is
/// available), shallow-history, and with `--base`, record-immutable and
/// record-frozen. No Git at all is not an error: history checks are off, with one note.
fn history_diagnostics(
    root: &std::path::Path,
    repo: &crate::model::ReleaseRepository,
    history: &Result<crate::git::History, crate::git::NoHistory>,
    base: Option<&str>,
) -> Result<(Vec<crate::diagnostics::Diagnostic>, Vec<String>), String> {
    use crate::git::{compare_with_base, shallow_marker};
    let mut out = Vec::new();
    let mut notes = Vec::new();
    match history {
        Ok(h) if h.shallow => out.push(crate::rules::history::shallow(&shallow_marker(root))),
        Ok(h) => out.extend(crate::rules::history::record_author(repo, h)),
        Err(none) => {
            if base.is_some() {
                return Err(format!("--base needs Git history: {none}"));
            }
            notes.push(none.to_string());
        }
    }
    if let Some(rev) = base {
        out.extend(compare_with_base(root, rev, repo).map_err(|e| e.to_string())?);
    }
    Ok((out, notes))
}

/// What was not checked because process.yaml or people.yaml could not be
/// read (one mistake, one diagnostic: the records are not judged against a
/// default process or an empty roster).
pub fn skipped(repo: &crate::model::ReleaseRepository) -> Vec<String> {
    let mut out = Vec::new();
    if repo.process_unreadable {
        out.push("process.yaml could not be read, so the records were not checked against the process; fix it and run again".to_string());
    } else if repo.people.unreadable {
        out.push("people.yaml could not be read, so the people in the records were not checked (unknown-person, wrong-role, record-author); fix it and run again".to_string());
    }
    out
}

/// A loaded and checked repository: what `check`, `build` and `serve` share.
pub struct Checked {
    pub repo: crate::model::ReleaseRepository,
    pub report: crate::diagnostics::Report,
    pub now: chrono::DateTime<chrono::Utc>,
    /// The full Git history, for provenance (none without Git or in a shallow clone).
    pub history: Option<crate::git::History>,
    /// What each hand-off ships, from the service repositories.
    pub ships: crate::repositories::Shipments,
    /// What the user should know that is no diagnostic (no Git history, so
    /// the history rules are off); the commands print each as a `note:`.
    pub notes: Vec<String>,
    /// What the history proves of each approval (none without history).
    pub approvals: Option<crate::git::approvals::Approvals>,
}

/// Load the repository (and read its Git history at the same time: they are
/// independent, and each is about half of the work), resolve "now", and run
/// every rule, including the history rules and, with `base`, the `--base` ones.
pub fn checked(
    root: &std::path::Path,
    now: Option<&str>,
    base: Option<&str>,
) -> Result<Checked, String> {
    let (loaded, history) = rayon::join(
        || crate::load::load(root),
        || crate::git::History::read(root),
    );
    let loaded = loaded.map_err(|e| e.to_string())?;
    let repo = loaded.repo;
    let now = resolve_now(now, repo.process.timezone)?;
    let mut diagnostics = loaded.diagnostics;
    // The service repositories while the release history is compared.
    let (ships, from_history) = rayon::join(
        || crate::repositories::read(&repo, None),
        || history_diagnostics(root, &repo, &history, base),
    );
    let (from_history, mut notes) = from_history?;
    notes.extend(skipped(&repo));
    diagnostics.extend(from_history);
    diagnostics.extend(crate::rules::repositories::check(&repo, &ships));
    let committed = crate::sandbox::RepoDir::new(&repo.root)
        .ok()
        .and_then(|dir| dir.read_text(crate::git::codeowners::PATH));
    diagnostics.extend(crate::rules::history::stale_codeowners(
        &repo,
        committed.as_deref(),
        now.with_timezone(&repo.process.timezone).date_naive(),
    ));
    // What the history proves of each approval (nothing to prove without it).
    let approvals = history
        .as_ref()
        .ok()
        .map(|h| crate::git::approvals::approvals(root, &repo, h));
    // With --base, the base is loaded and checked while the working tree is.
    let (mut report, at_base) = rayon::join(
        || crate::rules::check_with(&repo, diagnostics, now, approvals.as_ref()),
        || base.map(|rev| base_report(root, rev, &repo, &history, now)),
    );
    if let (Some(rev), Some(at_base)) = (base, at_base) {
        let today = now.with_timezone(&repo.process.timezone).date_naive();
        report = since_base(&repo, report, at_base?.as_ref(), rev, today);
    }
    let history = history.ok().filter(|h| !h.shallow);
    Ok(Checked {
        repo,
        report,
        now,
        history,
        ships,
        notes,
        approvals,
    })
}

/// Load the repository at `root` and resolve `--now` in its timezone: what
/// the commands that show or scaffold one train start with.
pub fn load_at(
    root: &std::path::Path,
    now: Option<&str>,
) -> Result<(crate::load::Loaded, chrono::DateTime<chrono::Utc>), String> {
    let loaded = crate::load::load(root).map_err(|e| e.to_string())?;
    let now = resolve_now(now, loaded.repo.process.timezone)?;
    Ok((loaded, now))
}

/// Load process.yaml, people.yaml and only the train folders `pick` chooses
/// (from the sorted train dates, the resolved `now` in the process timezone
/// and the process): what a command about one train reads (`gate`, `mail`).
/// The process is read first because `now` may be a local time in its
/// timezone. Also returns the dates of all train folders.
pub fn load_trains(
    root: &std::path::Path,
    now: Option<&str>,
    pick: impl Pick,
) -> Result<Picked, String> {
    load_picked(root, now, pick, false)
}

/// [`load_trains`], and the planning meetings (what `remind` reads).
pub fn load_trains_and_planning(
    root: &std::path::Path,
    now: Option<&str>,
    pick: impl Pick,
) -> Result<Picked, String> {
    load_picked(root, now, pick, true)
}

/// How a command picks the train folders it reads: from the sorted dates of
/// all of them, `now` in the process timezone, and the process.
pub trait Pick:
    Fn(
        &[chrono::NaiveDate],
        chrono::DateTime<chrono_tz::Tz>,
        &crate::model::Process,
    ) -> Vec<chrono::NaiveDate>
    + Sync
{
}

impl<F> Pick for F where
    F: Fn(
            &[chrono::NaiveDate],
            chrono::DateTime<chrono_tz::Tz>,
            &crate::model::Process,
        ) -> Vec<chrono::NaiveDate>
        + Sync
{
}

/// What [`load_trains`] returns: the loaded repository, `now`, and the
/// dates of all train folders.
pub type Picked = (
    crate::load::Loaded,
    chrono::DateTime<chrono::Utc>,
    Vec<chrono::NaiveDate>,
);

fn load_picked(
    root: &std::path::Path,
    now: Option<&str>,
    pick: impl Pick,
    with_planning: bool,
) -> Result<Picked, String> {
    use crate::load::{load_scoped, Scope};
    let settings = load_scoped(root, &Scope::Settings).map_err(|e| e.to_string())?;
    let process = &settings.repo.process;
    let tz = process.timezone;
    let now = resolve_now(now, tz)?;
    let local = now.with_timezone(&tz);
    let all = std::sync::Mutex::new(Vec::new());
    let picker = |dates: &[chrono::NaiveDate]| {
        if let Ok(mut all) = all.lock() {
            all.extend_from_slice(dates);
        }
        pick(dates, local, process)
    };
    let scope = if with_planning {
        Scope::TrainsAndPlanning(&picker)
    } else {
        Scope::Trains(&picker)
    };
    let loaded = load_scoped(root, &scope).map_err(|e| e.to_string())?;
    let all = all.into_inner().unwrap_or_default();
    Ok((loaded, now, all))
}

/// The repository as it was at `rev`, checked the way it is checked now
/// (history and service clones included), to tell a pull request's problems
/// from older ones; `None` when there was no release repository at `rev`.
fn base_report(
    root: &std::path::Path,
    rev: &str,
    repo: &crate::model::ReleaseRepository,
    history: &Result<crate::git::History, crate::git::NoHistory>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<(crate::model::ReleaseRepository, crate::diagnostics::Report)>, String> {
    let files = crate::git::release_files_at(root, rev).map_err(|e| e.to_string())?;
    if !files.contains_key("process.yaml") && !files.keys().any(|f| f.starts_with("releases/")) {
        return Ok(None);
    }
    // Read from the base commit itself; the service clones are where they
    // are now, and so are the commits.
    let loaded = crate::load::load_files(&repo.root, &files);
    let base = loaded.repo;
    let mut diagnostics = loaded.diagnostics;
    match history {
        Ok(h) if h.shallow => diagnostics.push(crate::rules::history::shallow(
            &crate::git::shallow_marker(root),
        )),
        Ok(h) => diagnostics.extend(crate::rules::history::record_author(&base, h)),
        Err(_) => {}
    }
    let ships = crate::repositories::read(&base, None);
    diagnostics.extend(crate::rules::repositories::check(&base, &ships));
    let committed = files
        .get(crate::git::codeowners::PATH)
        .and_then(|b| std::str::from_utf8(b).ok());
    diagnostics.extend(crate::rules::history::stale_codeowners(
        &base,
        committed,
        now.with_timezone(&base.process.timezone).date_naive(),
    ));
    let approvals = history
        .as_ref()
        .ok()
        .map(|h| crate::git::approvals::approvals(root, &base, h));
    let report = crate::rules::check_with(&base, diagnostics, now, approvals.as_ref());
    Ok(Some((base, report)))
}

/// What a pull request is told (RULES.md, `check --base`): the diagnostics
/// of the files it adds or changes, and new ones elsewhere; the new ones in
/// earlier trains that its change to process.yaml, `process/` or people.yaml
/// causes are folded into one `retroactive` per changed file; problems that
/// already existed at the base in untouched files are only counted.
fn since_base(
    repo: &crate::model::ReleaseRepository,
    report: crate::diagnostics::Report,
    base: Option<&(crate::model::ReleaseRepository, crate::diagnostics::Report)>,
    rev: &str,
    today: chrono::NaiveDate,
) -> crate::diagnostics::Report {
    use crate::diagnostics::{Diagnostic, Level, Report, Rule, Severity};
    use std::collections::{BTreeMap, HashSet};
    let Some((base_repo, base_report)) = base else {
        return report;
    };
    let changed = |path: &str| repo.sources.get(path) != base_repo.sources.get(path);
    let is_config = |path: &str| {
        path == "process.yaml" || path == "people.yaml" || path.starts_with("process/")
    };
    let mut config: Vec<&str> = repo
        .sources
        .keys()
        .chain(base_repo.sources.keys())
        .map(String::as_str)
        .filter(|p| is_config(p) && changed(p))
        .collect();
    config.sort_unstable();
    config.dedup();
    let key = |d: &Diagnostic| {
        (
            d.rule,
            d.file.clone(),
            d.pos.line,
            d.pos.col,
            d.message.clone(),
        )
    };
    let before: HashSet<_> = base_report.diagnostics.iter().map(key).collect();
    // A record of a train pushed before today, or a planning meeting held before it.
    let in_the_past = |file: &str| {
        if let Some(dir) = crate::model::train_dir_of(file) {
            return repo.trains.iter().any(|t| t.dir == dir && t.date < today);
        }
        repo.planning
            .iter()
            .any(|p| p.doc.path == file && p.doc.data.date.value.get().is_some_and(|d| d < today))
    };
    let people_rule = |r: Rule| {
        matches!(
            r,
            Rule::WrongRole | Rule::UnknownPerson | Rule::RecordAuthor
        )
    };
    // Which changed file a broken record is blamed on.
    let cause = |r: Rule| -> &str {
        let prefer = if people_rule(r) {
            "people.yaml"
        } else {
            "process.yaml"
        };
        config
            .iter()
            .copied()
            .find(|c| *c == prefer)
            .or_else(|| config.iter().copied().find(|c| *c != "people.yaml"))
            .unwrap_or(config[0])
    };

    let mut kept = Vec::new();
    let mut older = 0;
    let mut broken: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for d in &report.diagnostics {
        if changed(&d.file) {
            kept.push(d.clone());
        } else if before.contains(&key(d)) {
            older += 1;
        } else if !config.is_empty() && d.severity == Severity::Error && in_the_past(&d.file) {
            broken.entry(cause(d.rule)).or_default().push(d);
        } else {
            kept.push(d.clone());
        }
    }
    let level = repo.process.level(Rule::Retroactive);
    for (file, list) in broken {
        if level == Level::Off {
            break;
        }
        let now_text = repo.sources.get(file).map_or("", String::as_str);
        let then_text = base_repo.sources.get(file).map_or("", String::as_str);
        let line = crate::git::first_difference(then_text, now_text);
        let mut records: Vec<String> = list
            .iter()
            .map(|d| format!("{} ({})", d.file, d.rule.id()))
            .collect();
        records.dedup();
        let files: std::collections::BTreeSet<&str> =
            list.iter().map(|d| d.file.as_str()).collect();
        let shown = records
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        let more = match records.len() {
            n if n > 3 => format!(", and {} more", n - 3),
            _ => String::new(),
        };
        let short: String = rev.chars().take(20).collect();
        let help = if file == "people.yaml" {
            "records are judged by the roles held on their own day: keep what held then with a role period ({ role, from, until }) or `left:`, rather than editing or removing the person"
        } else {
            "earlier trains are judged by the process they ran under: make this a new version from a date on with `trainyard new process-change DATE`, and keep the old settings in process/"
        };
        let mut d = Diagnostic::new(
            Rule::Retroactive,
            file,
            crate::diagnostics::Pos::new(line, 1),
            format!(
                "this change gives {} of earlier trains errors they did not have at {short}: {shown}{more}",
                match files.len() {
                    1 => "1 record".to_string(),
                    n => format!("{n} records"),
                }
            ),
        )
        .help(help);
        if level == Level::Warning {
            d.severity = Severity::Warning;
        }
        kept.push(d);
    }
    let mut out = Report::new(kept);
    out.approved_ahead = report.approved_ahead;
    out.older = older;
    out
}
