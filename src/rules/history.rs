//! Rules that read Git history: who added each record.

use crate::diagnostics::Diagnostic;
use crate::git::History;
use crate::model::{On, Pos, ReleaseRepository};
use crate::rules::Rule;

/// `record-author`: the commit that added a hand-off, staging, sign-off or push
/// record was authored by someone holding that record's role (matched by e-mail).
pub fn record_author(repo: &ReleaseRepository, history: &History) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if repo.people.unreadable {
        // people.yaml's own diagnostic says what is wrong.
        return out;
    }
    for t in &repo.trains {
        let mut records: Vec<(&str, &str)> = t
            .handoffs
            .iter()
            .map(|h| (h.path.as_str(), "dev"))
            .collect();
        records.extend(t.staging.iter().map(|s| (s.path.as_str(), "ops")));
        records.extend(t.signoff.iter().map(|s| (s.path.as_str(), "test")));
        records.extend(t.push.iter().map(|p| (p.path.as_str(), "ops")));
        for (path, role) in records {
            // Not committed yet: nothing to attribute.
            let Some(commit) = history.added(path) else {
                continue;
            };
            let person = repo.people.by_email(&commit.author_email);
            let title = repo.process.role_title(role);
            // Roles as held on the commit's author date, in the process timezone.
            let day = commit
                .time
                .with_timezone(&repo.process.timezone)
                .date_naive();
            let on = On::Day(day);
            let problem = match person {
                None => "who is not in people.yaml".to_string(),
                Some(p) if !p.holds(role, on) => {
                    if p.has_periods() {
                        format!("who did not hold the {role} role ({title}) on {day}")
                    } else {
                        format!("who does not hold the {role} role ({title})")
                    }
                }
                Some(_) => continue,
            };
            let who = format!("{} <{}>", commit.author_name, commit.author_email);
            let holders: Vec<&str> = repo
                .people
                .with_role(role, on)
                .map(|p| p.handle.value.as_str())
                .collect();
            out.push(
                Diagnostic::new(
                    Rule::RecordAuthor,
                    path,
                    Pos::FILE,
                    format!("this record was added in commit {} by {who}, {problem}", commit.short),
                )
                .help(format!(
                    "the {title} record must be committed by someone with the {role} role ({}); match their git e-mail in people.yaml, or have them commit it",
                    if holders.is_empty() { "nobody holds it".to_string() } else { holders.join(", ") }
                )),
            );
        }
    }
    out
}

/// `shallow-history`: the clone lacks older commits, so history checks skip.
pub fn shallow(marker: &str) -> Diagnostic {
    Diagnostic::new(
        Rule::ShallowHistory,
        marker,
        Pos::FILE,
        "the clone is shallow: history checks (record-author) and provenance were skipped rather than guessed",
    )
    .help("fetch the full history: git fetch --unshallow, or actions/checkout with fetch-depth: 0")
}

/// `codeowners`: a committed .github/CODEOWNERS that no longer matches people.yaml.
pub fn stale_codeowners(
    repo: &ReleaseRepository,
    committed: Option<&str>,
    today: chrono::NaiveDate,
) -> Option<Diagnostic> {
    let committed = committed?;
    let wanted = crate::git::codeowners::generate(repo, today);
    if committed == wanted {
        return None;
    }
    let line = committed
        .lines()
        .zip(wanted.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(committed.lines().count().min(wanted.lines().count()))
        + 1;
    Some(
        Diagnostic::new(
            Rule::Codeowners,
            crate::git::codeowners::PATH,
            Pos { line: line as u32, col: 1, len: 0 },
            "CODEOWNERS is out of date with people.yaml and process.yaml",
        )
        .help("run `trainyard codeowners --write` and commit the result, so reviews go to the right people"),
    )
}
