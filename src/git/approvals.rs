//! Approvals proven by the history: an exception's `approved_by` counts only
//! when the commit that added it was authored by the approver, or names them
//! in a `Co-authored-by:` trailer (how a squash merge keeps every author of
//! a pull request). A name anyone can type is not an approval.

use super::{open, History};
use crate::model::{ReleaseRepository, Train};
use git2::{Oid, Repository as GitRepository};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;

/// The key an out-of-cycle train's approval goes by among the approvals
/// (beside the exceptions' rule ids).
pub const OUT_OF_CYCLE: &str = "out_of_cycle";

/// What the history says of one approval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Approval {
    /// Added in this commit (its short id), by or with the approver.
    Proven { commit: String },
    /// Not shown by the history, and why, in a sentence.
    Unproven(String),
}

/// Every approval of the repository's records, by (file, rule as written,
/// approver's handle).
#[derive(Debug, Clone, Default)]
pub struct Approvals {
    verdicts: HashMap<(String, String, String), Approval>,
}

impl Approvals {
    pub fn get(&self, file: &str, rule: &str, by: &str) -> Option<&Approval> {
        self.verdicts
            .get(&(file.to_string(), rule.trim().to_string(), by.to_string()))
    }
}

/// An exception as any version of a record holds it (the rest of the record
/// is not read).
#[derive(Deserialize)]
struct Lite {
    #[serde(default)]
    exceptions: Vec<LiteException>,
    #[serde(default)]
    out_of_cycle: Option<LiteException>,
}

#[derive(Deserialize)]
struct LiteException {
    #[serde(default)]
    rule: String,
    #[serde(default)]
    approved_by: Option<String>,
}

/// The records of `train` that may hold exceptions, with their exceptions'
/// (rule, approver) pairs.
fn pairs(list: &[crate::model::Exception]) -> Vec<(&str, &str)> {
    list.iter()
        .filter_map(|e| Some((e.rule.value.trim(), e.approved_by.as_ref()?.value.as_str())))
        .collect()
}

fn claims(train: &Train) -> Vec<(&str, Vec<(&str, &str)>)> {
    let mut out = Vec::new();
    if let Some(t) = &train.train {
        let mut list = pairs(&t.data.exceptions);
        if let Some(by) = t
            .data
            .out_of_cycle
            .as_ref()
            .and_then(|o| o.approved_by.as_ref())
        {
            list.push((OUT_OF_CYCLE, by.value.as_str()));
        }
        out.push((t.path.as_str(), list));
    }
    for h in &train.handoffs {
        out.push((h.path.as_str(), pairs(&h.data.exceptions)));
    }
    if let Some(s) = &train.staging {
        out.push((s.path.as_str(), pairs(&s.data.exceptions)));
    }
    if let Some(s) = &train.signoff {
        out.push((s.path.as_str(), pairs(&s.data.exceptions)));
    }
    if let Some(p) = &train.push {
        out.push((p.path.as_str(), pairs(&p.data.exceptions)));
    }
    out.retain(|(_, p)| !p.is_empty());
    out
}

/// Whether the text of a record holds the exception (rule, approver).
fn holds(text: &str, rule: &str, by: &str) -> bool {
    serde_saphyr::from_str::<Lite>(text).is_ok_and(|l| {
        if rule == OUT_OF_CYCLE {
            return l
                .out_of_cycle
                .is_some_and(|o| o.approved_by.as_deref() == Some(by));
        }
        l.exceptions
            .iter()
            .any(|e| e.rule.trim() == rule && e.approved_by.as_deref() == Some(by))
    })
}

/// The text of `path` at commit `id`, if it is there.
fn text_at(git: &GitRepository, prefix: &str, id: &str, path: &str) -> Option<String> {
    let commit = git.find_commit(Oid::from_str(id).ok()?).ok()?;
    let full = if prefix.is_empty() {
        path.to_string()
    } else {
        format!("{prefix}/{path}")
    };
    let entry = commit.tree().ok()?.get_path(Path::new(&full)).ok()?;
    let blob = git.find_blob(entry.id()).ok()?;
    if blob.size() as u64 > crate::sandbox::MAX_FILE_BYTES {
        return None;
    }
    String::from_utf8(blob.content().to_vec()).ok()
}

/// The `Co-authored-by:` trailers of a message: each an address, or the
/// line as written when it does not hold one.
fn co_authors(message: &str) -> Vec<Result<String, String>> {
    message
        .lines()
        .filter_map(|l| {
            let (key, value) = l.split_once(':')?;
            if !key.trim().eq_ignore_ascii_case("co-authored-by") {
                return None;
            }
            let value = value.trim();
            let address = value
                .rsplit_once('<')
                .and_then(|(_, rest)| rest.strip_suffix('>'))
                .map(str::trim)
                .filter(|a| crate::model::values::is_email_address(a));
            Some(
                address
                    .map(str::to_string)
                    .ok_or_else(|| l.trim().chars().take(200).collect()),
            )
        })
        .collect()
}

/// Judge every approval in `repo`'s records against `history`.
pub fn approvals(root: &Path, repo: &ReleaseRepository, history: &History) -> Approvals {
    let mut out = Approvals::default();
    let all: Vec<(&str, Vec<(&str, &str)>)> = repo.trains.iter().flat_map(claims).collect();
    if all.is_empty() {
        return out;
    }
    let git = open(root).ok();
    for (file, pairs) in all {
        for (rule, by) in pairs {
            let verdict = match &git {
                _ if history.shallow => Approval::Unproven(
                    "the clone is shallow, so the history cannot show who approved it (see shallow-history)".into(),
                ),
                None => continue,
                Some((git, prefix)) => judge(repo, history, git, prefix, file, rule, by),
            };
            out.verdicts.insert(
                (file.to_string(), rule.to_string(), by.to_string()),
                verdict,
            );
        }
    }
    out
}

fn judge(
    repo: &ReleaseRepository,
    history: &History,
    git: &GitRepository,
    prefix: &str,
    file: &str,
    rule: &str,
    by: &str,
) -> Approval {
    let Some(path) = history.paths.get(file) else {
        return Approval::Unproven(format!(
            "it is not committed yet; it counts once committed by {by} or with them as a co-author"
        ));
    };
    // The commit that added the approval as it stands: walking oldest first,
    // the last one in which it appears after being absent.
    let mut added = None;
    let mut present = false;
    for &i in path.commits.iter().rev() {
        let now =
            text_at(git, prefix, &history.commits[i].id, file).is_some_and(|t| holds(&t, rule, by));
        if now && !present {
            added = Some(i);
        }
        present = now;
    }
    let Some(i) = added.filter(|_| present) else {
        return Approval::Unproven(format!(
            "it is not committed yet; it counts once committed by {by} or with them as a co-author"
        ));
    };
    let c = &history.commits[i];
    let Some(commit) = Oid::from_str(&c.id)
        .ok()
        .and_then(|o| git.find_commit(o).ok())
    else {
        return Approval::Unproven(format!("commit {} cannot be read", c.short));
    };
    if commit.parent_count() > 1 {
        return Approval::Unproven(format!(
            "it was added in merge commit {}; an approval counts only in a commit its approver made or co-authored",
            c.short
        ));
    }
    let is_them = |email: &str| {
        repo.people
            .by_email(email)
            .is_some_and(|p| p.handle.value == by)
    };
    if is_them(&c.author_email) {
        return Approval::Proven {
            commit: c.short.clone(),
        };
    }
    let mut malformed = None;
    for trailer in co_authors(commit.message().unwrap_or("")) {
        match trailer {
            Ok(email) if is_them(&email) => {
                return Approval::Proven {
                    commit: c.short.clone(),
                }
            }
            Ok(_) => {}
            Err(line) => malformed = Some(line),
        }
    }
    let author = format!("{} <{}>", c.author_name, c.author_email);
    Approval::Unproven(match malformed {
        Some(line) => format!(
            "{by} did not approve this in the repository's history: commit {} by {author} added it, and its trailer `{line}` is not `Co-authored-by: Name <address>`",
            c.short
        ),
        None => format!(
            "{by} did not approve this in the repository's history: commit {} by {author} added it, and no Co-authored-by trailer names {by}",
            c.short
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::co_authors;

    #[test]
    fn trailers_are_read_and_malformed_ones_kept_as_written() {
        let got = co_authors(
            "Fix\n\nCo-authored-by: Oscar R <oscar@example.com>\nco-authored-by: nobody\nCo-Authored-By: Q <q@example.com>",
        );
        assert_eq!(
            got,
            [
                Ok("oscar@example.com".to_string()),
                Err("co-authored-by: nobody".to_string()),
                Ok("q@example.com".to_string())
            ]
        );
    }
}
