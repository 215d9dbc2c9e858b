//! A release page (`releases/ID/index.html`): one train, every record, what
//! ships and where it stands.

use super::{crumb, Page, PageData, Shared};
use crate::model::{Decision, Train};
use crate::scaffold::{self, Scaffold};
use crate::site::view::{ReleaseView, TrainSummary};
use serde::Serialize;

#[derive(Serialize)]
pub struct ReleasePage<'a> {
    pub release: Box<ReleaseView<'a>>,
    pub prev: Option<&'a TrainSummary>,
    pub next: Option<&'a TrainSummary>,
    /// "Record …" links for the records that are due and missing (with
    /// `site.repository`).
    pub record: Vec<RecordLink>,
}

/// A link that opens the forge's editor on a new record, prefilled as
/// `trainyard new` would write it (or on push.yaml, for the validation).
#[derive(Serialize)]
pub struct RecordLink {
    pub label: String,
    pub href: String,
}

/// The records of `train` that are due and missing, in the order of the
/// process: a hand-off per planned project without one; staging once a
/// hand-off is in; the sign-off once staging is; the push after a go; the
/// validation once pushed.
fn record_links(s: &Shared<'_>, train: &Train) -> Vec<RecordLink> {
    let Some(forge) = &s.forge else {
        return Vec::new();
    };
    if train.is_skipped() || !train.has_train_file {
        return Vec::new();
    }
    let (repo, now) = (s.repo, s.opts.now);
    let has = |file: &str| train.record_files.iter().any(|f| f == file);
    let mut links = Vec::new();
    let mut new = |label: String, record: Scaffold| {
        links.push(RecordLink {
            label,
            href: forge.new_file(&record),
        })
    };
    for f in train.train.iter().flat_map(|t| t.data.features.iter()) {
        let project = &f.project.value;
        let file = format!("{}/handoffs/{project}.yaml", train.dir);
        if crate::load::is_slug(project) && !has(&file) {
            new(
                format!("Record the hand-off of {project}"),
                scaffold::handoff(repo, train, project, now),
            );
        }
    }
    let staging = format!("{}/staging.yaml", train.dir);
    let signoff = format!("{}/signoff.yaml", train.dir);
    let push = format!("{}/push.yaml", train.dir);
    if !train.handoffs.is_empty() && !has(&staging) {
        new(
            "Record the push to staging".into(),
            scaffold::staging(repo, train, now),
        );
    }
    if has(&staging) && !has(&signoff) {
        new(
            "Record Test's sign-off".into(),
            scaffold::signoff(repo, train, now),
        );
    }
    let go = train
        .signoff
        .as_ref()
        .is_some_and(|d| d.data.decision.value == Decision::Go);
    if go && !has(&push) {
        new(
            "Record the production push".into(),
            scaffold::push(repo, train, now),
        );
    }
    if train
        .push
        .as_ref()
        .is_some_and(|p| p.data.validation.is_none())
    {
        links.push(RecordLink {
            label: "Record the validation (add it to push.yaml)".into(),
            href: forge.edit(&push),
        });
    }
    links
}

/// The page of train `i`, at `path`.
pub fn page<'a>(s: &'a Shared<'a>, i: usize, path: String) -> Page<'a> {
    let t = &s.repo.trains[i];
    let id = t.id();
    Page {
        crumbs: vec![
            crumb("Releases", "releases/index.html"),
            crumb(id.clone(), path.clone()),
        ],
        path,
        template: "release.html",
        title: format!("Release {id}"),
        nav: "releases",
        source: t.has_train_file.then(|| t.train_path()),
        data: PageData::Release(ReleasePage {
            release: Box::new(s.viewer.release(t, &s.tracked[i])),
            prev: i.checked_sub(1).map(|p| &s.summaries[p]),
            next: s.summaries.get(i + 1),
            record: record_links(s, t),
        }),
    }
}
