//! New records, prefilled from the schedule and process.yaml, with
//! `<fill in: …>` placeholders that `check` reports until a person fills them
//! in. `trainyard new` writes them; the site's "Record …" links open the
//! forge's editor with exactly the same text.

use crate::model::values::PLACEHOLDER;
use crate::model::{ReleaseRepository, Train};
use crate::schedule::train_schedule;
use chrono::{DateTime, NaiveDate, Utc};

/// A record to create: where it goes (relative to the root) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scaffold {
    pub path: String,
    pub text: String,
}

/// A placeholder: quoted, so the YAML stays valid.
fn fill(what: &str) -> String {
    format!("\"{PLACEHOLDER}: {what}>\"")
}

/// `../../schemas/NAME` from a file at `rel` (relative to the root).
fn schema_hint(rel: &str, name: &str) -> String {
    let up = "../".repeat(rel.matches('/').count());
    format!("# yaml-language-server: $schema={up}schemas/{name}\n")
}

/// `now` as a local time in the timezone of the version of the process that
/// judges `train` (the current one without a train), `YYYY-MM-DD HH:MM`.
fn local(now: DateTime<Utc>, repo: &ReleaseRepository, train: Option<&Train>) -> String {
    let process = train.map_or(&repo.process, |t| repo.process_for(t.date));
    now.with_timezone(&process.timezone)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The further checklist items of `train`'s version, to fill in.
fn extra_items(repo: &ReleaseRepository, train: &Train) -> String {
    let items = &repo.process_for(train.date).checklist;
    if items.is_empty() {
        return String::new();
    }
    let mut out =
        String::from("checklist:                   # this process version's further items\n");
    for i in items {
        let what = match i.kind {
            crate::model::process::ItemKind::Url => format!("{} URL", i.title),
            crate::model::process::ItemKind::Text => i.title.clone(),
            crate::model::process::ItemKind::Yes => format!("{}: yes once done", i.title),
        };
        out.push_str(&format!("  {}: {}\n", i.id, fill(&what)));
    }
    out
}

/// The further criteria of `train`'s version, to decide.
fn extra_criteria(repo: &ReleaseRepository, train: &Train) -> String {
    let criteria = &repo.process_for(train.date).criteria;
    if criteria.is_empty() {
        return String::new();
    }
    let mut out =
        String::from("criteria:                    # this process version's further criteria\n");
    for c in criteria {
        out.push_str(&format!(
            "  {}: {}\n",
            c.id,
            fill(&format!("{}: pass or fail", c.title))
        ));
    }
    out
}

/// A role's mailing list, or a placeholder for it. Only an address (which
/// holds nothing YAML reads as syntax) is written into the record.
fn list(repo: &ReleaseRepository, role: &str) -> String {
    repo.process
        .role_list(role)
        .map(str::to_string)
        .filter(|l| crate::model::values::is_email_address(l))
        .unwrap_or_else(|| fill(&format!("{role} list")))
}

/// train.yaml of the train pushing on `date` (a push day).
pub fn train(repo: &ReleaseRepository, date: NaiveDate) -> Scaffold {
    let planned: NaiveDate = train_schedule(repo.process_for(date), date)
        .map(|s| s.planning)
        .unwrap_or(date);
    let path = format!("releases/{date}/train.yaml");
    let text = format!(
        "{}# The {date} train: features chosen at the planning meeting.\nplanned_at: {planned}\nfeatures:\n  - project: {}   # a slug; its hand-off goes in handoffs/PROJECT.yaml\n    summary: {}\n    bugs: []\n",
        schema_hint(&path, "train.schema.json"),
        fill("project-slug"),
        fill("what ships")
    );
    Scaffold { path, text }
}

/// A hand-off of `project` (a slug) in `train`, handed off `now`.
pub fn handoff(
    repo: &ReleaseRepository,
    train: &Train,
    project: &str,
    now: DateTime<Utc>,
) -> Scaffold {
    let path = format!("{}/handoffs/{project}.yaml", train.dir);
    // With `notify.mail`, trainyard sends the e-mail on merge: nothing to record.
    let notification = if repo.process_for(train.date).notify.mail {
        "# The hand-off e-mail goes to the test list, cc the ops list, when this is merged (notify.mail).\n".to_string()
    } else {
        format!(
            "notification:\n  sent_at: {}   # `trainyard mail handoff {project} --send --record` fills it\n  to: [{}]\n  cc: [{}]\n",
            fill("when the e-mail went out"),
            list(repo, "test"),
            list(repo, "ops"),
        )
    };
    let text = format!(
        "{}project: {project}\nby: {}\nat: {}\ntag: {}\nci: {{ url: {}, status: passing }}\ntest_plan: {}\nsecurity: {{ required: false }}   # true needs doc: URL and signed_off_by: HANDLE\ndeploy_bugs: []\nstaging: {{ url: {}, database: {} }}\n{notification}",
        schema_hint(&path, "handoff.schema.json"),
        fill("your handle"),
        local(now, repo, Some(train)),
        fill("the tag, e.g. v1.2.3"),
        fill("CI run URL"),
        fill("test plan URL"),
        fill("staging URL"),
        fill("staging database"),
    ) + &extra_items(repo, train);
    Scaffold { path, text }
}

/// staging.yaml of `train`, pushed to staging `now`.
pub fn staging(repo: &ReleaseRepository, train: &Train, now: DateTime<Utc>) -> Scaffold {
    let path = format!("{}/staging.yaml", train.dir);
    let text = format!(
        "{}pushed_by: {}\npushed_at: {}\nnotices: []   # when staging is not stable: - {{ at: …, by: …, summary: …, test_notified_at: … }}\n",
        schema_hint(&path, "staging.schema.json"),
        fill("your handle"),
        local(now, repo, Some(train)),
    );
    Scaffold { path, text }
}

/// Test's sign-off of `train`, signed off `now`.
pub fn signoff(repo: &ReleaseRepository, train: &Train, now: DateTime<Utc>) -> Scaffold {
    // After a no-go, the next round; otherwise signoff.yaml.
    let no_go = train
        .signoff
        .as_ref()
        .is_some_and(|s| s.data.decision.value == crate::model::Decision::NoGo);
    let path = match train.signoff_rounds.last() {
        Some(n) if no_go => format!("{}/signoff-{}.yaml", train.dir, n + 1),
        _ => format!("{}/signoff.yaml", train.dir),
    };
    let notified = if repo.process_for(train.date).notify.mail {
        "# The results e-mail goes to the test list when this is merged (notify.mail).\n"
            .to_string()
    } else {
        format!(
            "notified_at: {}   # `trainyard mail signoff --send --record` fills it\n",
            fill("when the results e-mail went out")
        )
    };
    let text = format!(
        "{}by: {}\nat: {}\ndecision: {}   # go | no-go\nregression: {}   # pass | fail\ncross_environment: {}\ntest_plan: {}\nload_test: {{ required: false }}   # true needs signed_off_by: (ops) and environment: stage | production\n{notified}",
        schema_hint(&path, "signoff.schema.json"),
        fill("your handle"),
        local(now, repo, Some(train)),
        fill("go or no-go, as Test decided"),
        fill("pass or fail"),
        fill("pass or fail"),
        fill("pass or fail"),
    ) + &extra_criteria(repo, train);
    Scaffold { path, text }
}

/// push.yaml of `train`, its times prefilled with the maintenance window.
pub fn push(repo: &ReleaseRepository, train: &Train, now: DateTime<Utc>) -> Scaffold {
    let path = format!("{}/push.yaml", train.dir);
    let (start, end) = match train_schedule(repo.process_for(train.date), train.date) {
        Ok(s) => (
            s.window_start.format("%Y-%m-%d %H:%M").to_string(),
            s.window_end.format("%Y-%m-%d %H:%M").to_string(),
        ),
        Err(_) => (local(now, repo, Some(train)), local(now, repo, Some(train))),
    };
    let mut devs: Vec<&str> = train
        .handoffs
        .iter()
        .map(|h| h.data.by.value.as_str())
        // Only handles (slugs) are written into the YAML: anything else in a
        // hand-off's `by` could close the list and fill in other fields.
        .filter(|h| crate::model::values::is_handle(h))
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
        schema_hint(&path, "push.schema.json"),
        fill("your handle"),
        fill("tester present"),
        fill("ops present"),
    );
    Scaffold { path, text }
}

/// The next question of the log, asked `now`. With no title, the title is a
/// placeholder (the site's "Ask a question" link).
pub fn question(repo: &ReleaseRepository, title: Option<&str>, now: DateTime<Utc>) -> Scaffold {
    let number = repo.questions.iter().map(|q| q.number).max().unwrap_or(0) + 1;
    let (slug, title_yaml) = match title {
        Some(title) => {
            let slug = crate::model::values::slug_of(title, 48);
            let yaml = serde_json::to_string(title).unwrap_or_else(|_| format!("{title:?}"));
            (slug, yaml)
        }
        None => ("new-question".to_string(), fill("the question")),
    };
    let path = format!("questions/{number:04}-{slug}.md");
    let today = now.with_timezone(&repo.process.timezone).date_naive();
    let text = format!(
        "---\ntitle: {title_yaml}\nasked_by: {}\nasked_at: {today}\nstatus: open\n---\n{PLACEHOLDER}: the background of the question>\n",
        fill("your name or handle"),
    );
    Scaffold { path, text }
}

/// The process keys of process.yaml (FORMAT.md): what an earlier version holds.
pub const PROCESS_KEYS: &[&str] = &[
    "timezone",
    "end_of_business",
    "schedule",
    "monthly_planning",
    "exceptions",
    "freezes",
    "holidays",
    "rules",
    "handoff",
    "signoff",
    "change",
];

/// The top-level entries of a YAML mapping written in block style, in
/// order: each with its key (`None` for comments after the last key) and its
/// text, the comments above it included. `None` when the text is not a
/// block mapping (a flow mapping, a document marker, a sequence).
fn top_level(text: &str) -> Option<Vec<(Option<&str>, String)>> {
    let mut out: Vec<(Option<&str>, String)> = Vec::new();
    let mut pending = String::new();
    for line in text.split_inclusive('\n') {
        let first = line.chars().next().unwrap_or('\n');
        if first.is_ascii_alphabetic() || first == '_' {
            let key = line.split(':').next().filter(|k| {
                line.len() > k.len() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            })?;
            out.push((Some(key), std::mem::take(&mut pending) + line));
        } else if first == '#' || line.trim().is_empty() {
            pending.push_str(line);
        } else if first == ' ' && !out.is_empty() {
            // Indented: part of the entry above (with any comments between).
            let last = out.last_mut()?;
            last.1.push_str(&std::mem::take(&mut pending));
            last.1.push_str(line);
        } else {
            return None;
        }
    }
    if !pending.is_empty() {
        out.push((None, pending));
    }
    Some(out)
}

/// What `trainyard new process-change` writes: the current version kept as
/// `process/SINCE.yaml`, and process.yaml starting a new version on `date`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessChange {
    pub version: Scaffold,
    pub process: String,
}

/// Start a change of the process on `date`: `text` is process.yaml as
/// written, `since` the first push date of the current version. The version
/// file holds process.yaml's process keys as written, comments included;
/// process.yaml keeps everything else and gains `since` and `change`.
pub fn process_change(
    text: &str,
    since: NaiveDate,
    date: NaiveDate,
    summary: Option<&str>,
) -> Result<ProcessChange, String> {
    let entries = top_level(text).ok_or_else(|| {
        "process.yaml is not written as one `key: value` per line at the left margin (a flow mapping or a document marker), so it cannot be changed keeping its comments\n  help: rewrite it in block style, as `trainyard init` writes it".to_string()
    })?;
    let until = date.pred_opt().unwrap_or(date);
    let mut version = format!(
        "# The process for push dates {since} to {until}, kept when the change of {date}\n\
         # began (`trainyard new process-change {date}`). It holds the process keys only;\n\
         # the tool keys (name, roles, projects, bugs, site, mail) are process.yaml's.\n"
    );
    let mut kept = String::new();
    let mut placed = false;
    let summary = match summary.map(str::trim).filter(|s| !s.is_empty()) {
        // JSON's quoting is YAML's double-quoted style: any text stays one value.
        Some(s) => serde_json::to_string(s).unwrap_or_else(|_| fill("what changes and why")),
        None => fill("what changes and why"),
    };
    let header = format!(
        "since: {date}                     # the first push date this version applies to\nchange:\n  summary: {summary}\n  questions: []                     # numbers of the questions this change incorporates\n\n"
    );
    for (key, entry) in &entries {
        match key {
            Some("since") | Some("change") => {
                if *key == Some("change") {
                    version.push_str(entry);
                }
            }
            Some(k) if PROCESS_KEYS.contains(k) => {
                version.push_str(entry);
                kept.push_str(entry);
            }
            Some(_) | None => kept.push_str(entry),
        }
        if !placed && *key == Some("name") {
            kept.push_str(&header);
            placed = true;
        }
    }
    if !placed {
        // After the comments that open the file, before its first key.
        let lead: usize = kept
            .split_inclusive('\n')
            .take_while(|l| l.starts_with('#') || l.trim().is_empty())
            .map(str::len)
            .sum();
        kept.insert_str(lead, &header);
    }
    Ok(ProcessChange {
        version: Scaffold {
            path: format!("process/{since}.yaml"),
            text: version,
        },
        process: kept,
    })
}
