//! The site's search (`search/`): a document for every train, question and
//! person, indexed at build time with elasticlunr-rs into `search/index.js`,
//! which elasticlunr.js (shipped beside it) loads. A script file rather than
//! JSON fetched at run time, so search works from `file://` as well as served.
//!
//! The index file starts with a hash of its documents: when the previous
//! generation of the site holds an index of the same documents, it is reused
//! as it is instead of being indexed again.

use super::pages::Shared;
use super::view::TrainSummary;
use crate::model::{Bug, ReleaseRepository, Train};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::BTreeMap;

/// What a search result shows and links to.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Relative to the site's root.
    pub href: String,
    pub title: String,
    pub summary: String,
    /// What the search matches, besides the title.
    #[serde(skip)]
    pub body: String,
}

/// elasticlunr.js, as published (MIT; `assets/elasticlunr.LICENSE`).
pub const ELASTICLUNR_JS: &str = include_str!("assets/elasticlunr.min.js");
/// The search page's own script: reads `?q=` and shows the results.
pub const SEARCH_JS: &str = include_str!("assets/search.js");

/// The first line of `search/index.js`, naming the documents' hash.
const HEADER: &str = "// trainyard search index ";

/// Every searchable thing of the repository.
pub fn documents(s: &Shared<'_>) -> Vec<Entry> {
    let repo = s.repo;
    let mut docs: Vec<Entry> = repo
        .trains
        .iter()
        .zip(&s.summaries)
        .map(|(t, summary)| train(s, t, summary))
        .collect();
    docs.extend(repo.questions.iter().map(|q| {
        let d = &q.doc.data;
        let mut body = vec![
            d.asked_by.value.clone(),
            s.viewer.name(&d.asked_by.value),
            q.body.clone(),
        ];
        body.extend(d.answer.as_ref().map(|a| a.value.clone()));
        body.extend(d.answered_by.as_ref().map(|a| s.viewer.name(&a.value)));
        Entry {
            href: format!("questions/index.html#q{:04}", q.number),
            title: format!("Question {:04}: {}", q.number, d.title.value),
            summary: format!(
                "{} question, asked by {}",
                d.status.value.key(),
                s.viewer.name(&d.asked_by.value)
            ),
            body: body.join("\n"),
        }
    }));
    docs.extend(repo.people.list.iter().map(|p| {
        let roles: Vec<&str> = p
            .roles
            .iter()
            .map(|r| repo.process.role_title(r.value.role()))
            .collect();
        Entry {
            href: "people/index.html".into(),
            title: p.name.value.clone(),
            summary: roles.join(", "),
            body: [
                p.handle.value.as_str(),
                p.email.value.as_str(),
                p.github.as_ref().map_or("", |g| g.value.as_str()),
                &roles.join(" "),
            ]
            .join(" "),
        }
    }));
    docs
}

fn bug_text(bugs: &[crate::model::Spanned<Bug>]) -> impl Iterator<Item = String> + '_ {
    bugs.iter().map(|b| b.value.to_string())
}

/// A train: its date, features, projects, tags, bugs, the people of its
/// records, why it was skipped or rolled back, and its notes.
fn train(s: &Shared<'_>, t: &Train, summary: &TrainSummary) -> Entry {
    let repo: &ReleaseRepository = s.repo;
    let name = |h: &str| format!("{h} {}", s.viewer.name(h));
    let mut body = vec![t.id(), summary.date.clone()];
    if let Some(d) = &t.train {
        for f in d.data.features.iter() {
            body.push(format!("{} {}", f.project.value, f.summary.value));
            body.extend(bug_text(&f.bugs));
        }
        if let Some(sk) = &d.data.skipped {
            body.push(sk.reason.value.clone());
        }
    }
    for h in &t.handoffs {
        let d = &h.data;
        body.push(format!("{} {}", d.project.value, d.tag.value));
        body.push(name(&d.by.value));
        body.extend(bug_text(&d.deploy_bugs.value));
    }
    if let Some(st) = &t.staging {
        body.push(name(&st.data.pushed_by.value));
        body.extend(st.data.notices.iter().map(|n| n.summary.value.clone()));
    }
    if let Some(so) = &t.signoff {
        body.push(name(&so.data.by.value));
    }
    if let Some(p) = &t.push {
        body.push(name(&p.data.pushed_by.value));
        if let Some(v) = &p.data.validation {
            body.extend(v.by.as_ref().map(|b| name(&b.value)));
            body.extend(v.rollback_reason.as_ref().map(|r| r.value.clone()));
        }
    }
    if let Some(notes) = t.notes.as_ref().and_then(|n| repo.sources.get(n)) {
        body.push(notes.clone());
    }
    Entry {
        href: summary.href.clone(),
        title: format!("Release {} ({})", t.id(), summary.state_label),
        summary: match &summary.skipped {
            Some(why) => format!("skipped: {why}"),
            None => summary.features.join(", "),
        },
        body: body.join("\n"),
    }
}

/// The index of the site now in `claim`'s output folder (a trainyard site,
/// or nothing: the claim proved it), when there is one.
pub fn previous_index(claim: &super::Claim) -> Option<Vec<u8>> {
    use std::io::Read;
    let path = claim.out.join("search").join("index.js");
    let meta = std::fs::symlink_metadata(&path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let mut bytes = Vec::new();
    std::fs::File::open(&path)
        .ok()?
        .take(256 << 20)
        .read_to_end(&mut bytes)
        .ok()?;
    Some(bytes)
}

/// A SHA-256 of everything indexed, as hex.
fn hash(docs: &[Entry]) -> String {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    for d in docs {
        for part in [&d.href, &d.title, &d.summary, &d.body] {
            ctx.update(part.as_bytes());
            ctx.update(&[0]);
        }
    }
    ctx.finish()
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The longest word indexed, in characters. The index keeps words in a tree
/// with one level per character (and elasticlunr.js walks it recursively), so
/// a stranger's 40,000-character word would nest 40,000 objects deep and
/// overflow the stack, in `build` and in the browser. No word a reader
/// searches for is longer.
pub const MAX_WORD_CHARS: usize = 40;
/// The most text indexed from one document's title or body, in bytes: a
/// question of a megabyte is found by its first 64 KiB.
pub const MAX_DOC_CHARS: usize = 64 << 10;
/// The most text indexed from the whole repository, in bytes: past it, the
/// rest of the documents are still results, found by nothing more.
pub const MAX_TOTAL_CHARS: usize = 16 << 20;

/// What is left of [`MAX_TOTAL_CHARS`].
struct Budget {
    left: usize,
}

impl Budget {
    fn new() -> Budget {
        Budget {
            left: MAX_TOTAL_CHARS,
        }
    }

    /// The words of `text` that are indexed: those of at most
    /// [`MAX_WORD_CHARS`] characters (split where elasticlunr splits words,
    /// at white space and hyphens), up to `max` bytes and what is left of the
    /// budget.
    fn take(&mut self, text: &str, max: usize) -> String {
        let limit = max.min(self.left);
        let mut out = String::new();
        for word in text.split(|c: char| c.is_whitespace() || c == '-') {
            if word.is_empty() || word.chars().nth(MAX_WORD_CHARS).is_some() {
                continue;
            }
            if out.len() + word.len() + 1 > limit {
                break;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
        self.left -= out.len().min(self.left);
        out
    }
}

/// What `search/index.js` assigns its data to.
const ASSIGN: &str = "window.TRAINYARD_SEARCH = ";

/// The elasticlunr index in a previous `search/index.js` that indexed the
/// documents `header` names, as its JSON text. The file sits in an output
/// folder that a pull request could have filled, so none of its bytes are
/// copied as script: it must be exactly the header and one assignment of a
/// JSON value, and only that value's `index` is taken.
fn previous_index_json<'p>(previous: &'p [u8], header: &str) -> Option<&'p RawValue> {
    #[derive(Deserialize)]
    struct Data<'a> {
        #[serde(borrow)]
        index: &'a RawValue,
    }
    let text = std::str::from_utf8(previous).ok()?;
    let value = text
        .strip_prefix(header)?
        .strip_prefix(ASSIGN)?
        .strip_suffix(";\n")?;
    serde_json::from_str::<Data<'_>>(value)
        .ok()
        .map(|d| d.index)
}

/// `search/index.js` for `docs`: the index made again only when the previous
/// one indexed other documents (or is not one trainyard wrote).
pub fn script(docs: &[Entry], previous: Option<&[u8]>) -> Vec<u8> {
    let header = format!("{HEADER}{}\n", hash(docs));
    let index = match previous.and_then(|p| previous_index_json(p, &header)) {
        Some(json) => json.get().to_string(),
        None => {
            // Results show `docs`; the index keeps no second copy of them.
            let mut index = elasticlunr::IndexBuilder::new()
                .save_docs(false)
                .add_fields(&["title", "body"])
                .build();
            let mut budget = Budget::new();
            for (i, d) in docs.iter().enumerate() {
                let title = budget.take(&d.title, MAX_DOC_CHARS);
                let body = budget.take(&d.body, MAX_DOC_CHARS);
                index.add_doc(&i.to_string(), [title.as_str(), body.as_str()]);
            }
            index.to_json()
        }
    };
    // `{"index": the elasticlunr index (fields `title` and `body`; refs are
    // positions in `docs`), "docs": what each result shows}`, with the
    // index's JSON written in as elasticlunr-rs made it.
    let shown: BTreeMap<String, &Entry> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (i.to_string(), d))
        .collect();
    let shown = serde_json::to_string(&shown).unwrap_or_else(|_| "{}".into());
    format!("{header}{ASSIGN}{{\"index\":{index},\"docs\":{shown}}};\n").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(title: &str) -> Entry {
        Entry {
            href: "x.html".into(),
            title: title.into(),
            summary: String::new(),
            body: "v1.15.5 1235559".into(),
        }
    }

    #[test]
    fn an_unchanged_site_is_not_indexed_again() {
        let docs = vec![doc("Release 2026-11-30")];
        let first = script(&docs, None);
        let text = String::from_utf8(first.clone()).unwrap();
        assert!(text.starts_with(HEADER) && text.contains("window.TRAINYARD_SEARCH = {"));
        assert!(
            text.contains("\"title\":\"Release 2026-11-30\""),
            "results show their title"
        );
        // The previous index is kept as it is (even its bytes) when the
        // documents are the same…
        let marked = String::from_utf8(first.clone())
            .unwrap()
            .replacen("{\"index\":{", "{\"index\":{\"kept\":1,", 1)
            .into_bytes();
        assert_eq!(script(&docs, Some(&marked)), marked);
        // …and made again when they are not.
        let other = script(&[doc("Release 2026-12-07")], Some(&marked));
        assert_ne!(other, marked);
        assert!(!String::from_utf8(other).unwrap().contains("\"kept\""));
    }

    #[test]
    fn long_words_and_large_documents_are_bounded() {
        let mut budget = Budget::new();
        let long = "x".repeat(40_000);
        let text = format!("quota {long} v1.15-rc2");
        assert_eq!(budget.take(&text, MAX_DOC_CHARS), "quota v1.15 rc2");
        let big = "word ".repeat(100_000);
        assert!(budget.take(&big, MAX_DOC_CHARS).len() <= MAX_DOC_CHARS);
        let mut budget = Budget { left: 10 };
        assert_eq!(budget.take("alpha beta gamma", MAX_DOC_CHARS), "alpha beta");
        assert_eq!(budget.take("alpha", MAX_DOC_CHARS), "");
    }

    #[test]
    fn a_previous_index_is_reused_only_as_data() {
        // The output folder may hold what a pull request put there, under the
        // right header: anything but one JSON value is indexed again, and
        // what each result shows is always written anew.
        let docs = vec![doc("Release 2026-11-30")];
        let fresh = script(&docs, None);
        let text = String::from_utf8(fresh.clone()).unwrap();
        let planted = [
            format!("{text}alert(document.cookie);\n"),
            text.replacen("{\"index\":{", "{\"index\":alert(1)||{", 1),
            text.replacen(";\n", ";alert(1);\n", 1),
            text.replacen(
                "window.TRAINYARD_SEARCH = ",
                "fetch('//evil');window.TRAINYARD_SEARCH = ",
                1,
            ),
        ];
        for bad in &planted {
            assert_eq!(script(&docs, Some(bad.as_bytes())), fresh, "{bad}");
        }
        let (index_part, docs_part) = text.split_at(text.rfind(",\"docs\":").unwrap());
        let forged_docs = format!(
            "{index_part}{}",
            docs_part.replacen("Release 2026-11-30", "Click here", 1)
        );
        let reused = String::from_utf8(script(&docs, Some(forged_docs.as_bytes()))).unwrap();
        assert!(!reused.contains("Click here") && reused.contains("Release 2026-11-30"));
    }
}
