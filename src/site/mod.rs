//! The wiki-style static site (`trainyard build`): one library function renders
//! every page from the loaded model, the rules' diagnostics and the schedule.
//!
//! Layout follows SITE.md: each page is `index.html` in its own folder, links are
//! relative (so the site works from a sub-path and from `file://`), and the same
//! inputs give the same bytes.

mod api;
mod calendar;
mod chars;
pub mod claim;
mod feed;
mod forge;
mod ics;
pub mod markdown;
mod output;
mod pages;
pub mod safe_url;
mod search;
mod stats;
mod svg;
mod templates;
mod view;

pub use claim::{claim, Claim, Refusal};
pub use output::{previous_generation, write, Listing, Site, MARKER};
pub use search::previous_index;
pub use templates::TemplateError;

use crate::diagnostics::Report;
use crate::model::ReleaseRepository;
use crate::schedule::time::show;
use crate::tracking::{self, Tracked};
use chrono::{DateTime, Utc};
use pages::{Page, Shared};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use view::{Link, Viewer};

/// What `build` needs besides the repository.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Absolute URL the site is published at (for the feeds); optional.
    pub base_url: Option<String>,
    /// The time the site is built "as of": decides what is due or late.
    pub now: DateTime<Utc>,
    /// Git history, for provenance, "last changed" and history pages (optional).
    pub history: Option<crate::git::History>,
    /// What each hand-off ships (empty without configured repositories).
    pub ships: crate::repositories::Shipments,
    /// What the history proves of each approval (none without history).
    pub approvals: Option<crate::git::approvals::Approvals>,
    /// The previous generation's `search/index.js`, reused when it indexed
    /// the same documents (see [`search`]).
    pub previous_index: Option<Vec<u8>>,
}

#[derive(Serialize)]
struct SiteInfo<'a> {
    name: &'a str,
    timezone: &'a str,
    generated: String,
}

/// Everything a page's template sees, typed: `site`, `root`, `title`, `nav`,
/// `crumbs`, `page` (the page's own view model), `last_changed`,
/// `history_href` and `edit_href`. `build --context PATH` prints it.
#[derive(Serialize)]
struct PageContext<'a> {
    site: &'a SiteInfo<'a>,
    root: String,
    title: &'a str,
    nav: &'a str,
    crumbs: &'a [Link],
    page: &'a pages::PageData<'a>,
    last_changed: Option<&'a view::CommitView>,
    history_href: Option<String>,
    edit_href: Option<String>,
}

impl<'a> PageContext<'a> {
    fn of(p: &'a Page<'a>, s: &'a Shared<'a>, site: &'a SiteInfo<'a>, opts: &BuildOptions) -> Self {
        PageContext {
            site,
            root: root_prefix(&p.path),
            title: &p.title,
            nav: p.nav,
            crumbs: &p.crumbs,
            page: &p.data,
            last_changed: s.last_changed(&p.path),
            history_href: opts
                .history
                .as_ref()
                .and_then(|_| pages::history::history_page(&p.path)),
            edit_href: p.source.as_deref().and_then(|f| s.edit_href(f)),
        }
    }
}

fn site_info<'a>(repo: &'a ReleaseRepository, opts: &BuildOptions) -> SiteInfo<'a> {
    let tz = repo.process.timezone;
    SiteInfo {
        name: &repo.process.name,
        timezone: tz.name(),
        generated: show(&opts.now.with_timezone(&tz)),
    }
}

/// The context the template of the page at `path` (e.g.
/// `releases/2026-11-30/index.html`) would be rendered with, as JSON; `None`
/// when the site has no such page. For template authors, and the tests.
pub fn page_context(
    repo: &ReleaseRepository,
    report: &Report,
    opts: &BuildOptions,
    path: &str,
) -> Option<String> {
    let s = shared(repo, report, opts);
    let site = site_info(repo, opts);
    let job = pages::jobs(&s).into_iter().find(|j| j.path(&s) == path)?;
    job.with_page(&s, path.to_string(), |p| {
        // A typed context of strings, numbers and lists always serialises.
        serde_json::to_string_pretty(&PageContext::of(p, &s, &site, opts)).ok()
    })
}

fn root_prefix(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// `rel` under the site's base URL, when there is one.
fn absolute(base: &Option<String>, rel: &str) -> String {
    match base {
        Some(b) => format!("{}/{rel}", b.trim_end_matches('/')),
        None => rel.to_string(),
    }
}

/// Build the whole site in memory.
pub fn build(
    repo: &ReleaseRepository,
    report: &Report,
    opts: &BuildOptions,
) -> Result<Site, TemplateError> {
    let files = render_site(
        repo,
        report,
        opts,
        |_| Ok(()),
        |path, bytes| Ok::<_, TemplateError>((path, bytes)),
    )?;
    Ok(Site { files })
}

/// What every page shares, made on both threads side by side: the view
/// models of each train, where each stands, the calendar's events and
/// months, and the Git history by source.
fn shared<'a>(
    repo: &'a ReleaseRepository,
    report: &'a Report,
    opts: &'a BuildOptions,
) -> Shared<'a> {
    let history = opts.history.as_ref();
    let (viewer, tracked) = rayon::join(
        || {
            Viewer::new(
                repo,
                report,
                opts.now,
                history,
                &opts.ships,
                opts.approvals.as_ref(),
            )
        },
        || {
            repo.trains
                .par_iter()
                .map(|t| tracking::track(repo, t, opts.now))
                .collect::<Vec<Tracked>>()
        },
    );
    let ((summaries, events), by_source) = rayon::join(
        || {
            rayon::join(
                || {
                    repo.trains
                        .par_iter()
                        .zip(&tracked)
                        .map(|(t, tr)| viewer.summary(t, tr))
                        .collect::<Vec<_>>()
                },
                || calendar::events(repo, &tracked),
            )
        },
        || history.map(|h| h.commits_by_source()).unwrap_or_default(),
    );
    let months = calendar::months(&events);
    // Each month page links to the months of its year and to the other years
    // (their first month), so years of history do not put a hundred links on
    // every page.
    let mut year_months: BTreeMap<i32, Vec<Link>> = BTreeMap::new();
    for (y, m) in &months {
        year_months.entry(*y).or_default().push(pages::crumb(
            calendar::month_name(*m),
            calendar::month_href(&calendar::month_id(*y, *m)),
        ));
    }
    let years = year_months
        .iter()
        .map(|(y, links)| pages::crumb(y.to_string(), links[0].href.clone()))
        .collect();
    Shared {
        repo,
        report,
        opts,
        viewer,
        tracked,
        summaries,
        events,
        months,
        year_months,
        years,
        by_source,
        today: opts.now.with_timezone(&repo.process.timezone).date_naive(),
        forge: forge::Forge::of(&repo.process),
    }
}

/// Render every file of the site, handing each to `emit` as soon as it is
/// rendered (from any thread), after `plan` has been told every path the site
/// will have. Returns what `emit` returned, in a fixed order.
/// `E` is what `plan` and `emit` may fail with, and holds template errors too.
fn render_site<T: Send, E: From<TemplateError> + Send>(
    repo: &ReleaseRepository,
    report: &Report,
    opts: &BuildOptions,
    plan: impl FnOnce(&[String]) -> Result<(), E>,
    emit: impl Fn(String, Vec<u8>) -> Result<T, E> + Sync,
) -> Result<Vec<T>, E> {
    let (templates, s) = rayon::join(
        || templates::load(&repo.root),
        || shared(repo, report, opts),
    );
    let templates = templates?;
    let site_info = site_info(repo, opts);
    let jobs = pages::jobs(&s);

    // Render every page in parallel; the order of `files` stays deterministic.
    // The feeds are written meanwhile, by whichever thread is free.
    let guard_pages = templates.overridden.iter().any(|t| t.ends_with(".html"));
    let render = |p: &Page| {
        let ctx = tera::Context::from_serialize(&PageContext::of(p, &s, &site_info, opts))
            .map_err(|e| TemplateError {
                template: templates::template_label(p.template, &templates.overridden),
                message: format!("while preparing {}: {}", p.path, templates::describe(&e)),
            })?;
        // Straight into bytes, with room for a typical page (tera's `render`
        // would grow a buffer from the template's size, then check it is UTF-8).
        let mut html = Vec::with_capacity(32 * 1024);
        templates
            .tera
            .render_to(p.template, &ctx, &mut html)
            .map(|()| {
                // Whatever an override template did, no script or data URL
                // is linked. The built-in theme links only checked URLs
                // (`WebUrl`, and hrefs the site makes itself): debug builds,
                // so every test, hold it to that; release builds skip the
                // scan (a tenth of `build`'s instructions on a long history).
                chars::replace_forbidden(&mut html);
                if guard_pages {
                    safe_url::guard(&mut html);
                } else if cfg!(debug_assertions) {
                    let removed = safe_url::guard(&mut html);
                    assert_eq!(
                        removed, 0,
                        "the built-in theme linked an unsafe URL on {}",
                        p.path
                    );
                }
                (p.path.clone(), html)
            })
            .map_err(|e| TemplateError {
                template: templates::template_label(p.template, &templates.overridden),
                message: format!("while rendering {}: {}", p.path, templates::describe(&e)),
            })
    };
    // Every file's path, known before any page is made: the writer prepares
    // the output from it, and each page maker takes its path from here.
    let mut paths: Vec<String> = jobs.iter().map(|job| job.path(&s)).collect();
    let feeds = [
        "style.css",
        "calendar.ics",
        "feed.xml",
        "api/releases.json",
        "search/index.js",
        "search/elasticlunr.min.js",
        "search/search.js",
    ];
    paths.extend(feeds.iter().map(|f| f.to_string()));
    plan(&paths)?;
    let (rendered, ((ics, index), (atom, api))) = rayon::join(
        || {
            jobs.par_iter()
                .zip(&paths)
                .map(|(job, path)| {
                    let (path, bytes) = job.with_page(&s, path.clone(), |p| render(p))?;
                    emit(path, bytes)
                })
                .collect::<Vec<Result<T, E>>>()
        },
        || {
            rayon::join(
                || {
                    rayon::join(
                        || ics::feed(repo, &s.tracked, opts),
                        || search::script(&search::documents(&s), opts.previous_index.as_deref()),
                    )
                },
                || {
                    rayon::join(
                        || feed::feed(repo, &s.tracked, &s.summaries, opts),
                        || api::json(repo, &s.tracked, &s.summaries, opts),
                    )
                },
            )
        },
    );
    let mut files = rendered.into_iter().collect::<Result<Vec<T>, _>>()?;
    let texts = [
        templates.stylesheet.clone().into_bytes(),
        ics.into_bytes(),
        atom.into_bytes(),
        api.into_bytes(),
        index,
        search::ELASTICLUNR_JS.as_bytes().to_vec(),
        search::SEARCH_JS.as_bytes().to_vec(),
    ];
    for (path, bytes) in feeds.into_iter().zip(texts) {
        files.push(emit(path.to_string(), bytes)?);
    }
    Ok(files)
}

/// Build the site into `out` atomically: each file is compared with the
/// previous generation (`previous`, from [`Listing::start`] on the same
/// `out`) and written as soon as it is rendered (see [`output`]).
/// Returns how many files the site has.
pub fn build_into(
    repo: &ReleaseRepository,
    report: &Report,
    opts: &BuildOptions,
    out: &Claim,
    previous: Listing,
) -> Result<usize, BuildError> {
    let io = |e| BuildError::Io(out.out.clone(), e);
    let writer = std::sync::OnceLock::new();
    let files = render_site(
        repo,
        report,
        opts,
        |paths| {
            let before = previous.finish().map_err(io)?;
            let w = output::Writer::begin(out, before, paths).map_err(io)?;
            // The writer is set once, here, before any file is emitted.
            let _ = writer.set(w);
            Ok(())
        },
        |path, bytes| match writer.get() {
            Some(w) => w.put(&path, &bytes).map_err(io),
            None => Err(io(std::io::Error::other("the output was not prepared"))),
        },
    );
    let files = match files {
        Ok(files) => files,
        Err(e) => {
            // What this build wrote goes; the output stays as it was.
            if let Some(w) = writer.into_inner() {
                w.abandon();
            }
            return Err(e);
        }
    };
    let n = files.len();
    if let Some(w) = writer.into_inner() {
        w.finish().map_err(io)?;
    }
    Ok(n)
}

#[derive(Debug)]
pub enum BuildError {
    Template(TemplateError),
    Io(std::path::PathBuf, std::io::Error),
}

impl From<TemplateError> for BuildError {
    fn from(e: TemplateError) -> Self {
        BuildError::Template(e)
    }
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Template(e) => write!(f, "{e}"),
            BuildError::Io(p, e) => write!(f, "cannot write the site to {}: {e}", p.display()),
        }
    }
}

impl std::error::Error for BuildError {}
