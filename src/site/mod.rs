//! The wiki-style static site (`trainyard build`): one library function renders
//! every page from the loaded model, the rules' diagnostics and the schedule.
//!
//! Layout follows SITE.md: each page is `index.html` in its own folder, links are
//! relative (so the site works from a sub-path and from `file://`), and the same
//! inputs give the same bytes.

mod calendar;
pub mod claim;
mod feed;
mod ics;
pub mod markdown;
mod output;
pub mod safe_url;
mod stats;
mod svg;
mod templates;
mod view;

pub use claim::{claim, Claim, Refusal};
pub use output::{previous_generation, write, Listing, Site, MARKER};
pub use templates::TemplateError;

use crate::diagnostics::Report;
use crate::model::{QuestionStatus, Repository};
use crate::rules::Rule;
use crate::schedule::time::{show, show_date};
use crate::tracking::{self, Planned, Step, Tracked};
use chrono::{DateTime, Datelike, Utc};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;
use view::{train_href, Link, Viewer};

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
}

#[derive(Serialize)]
struct SiteInfo<'a> {
    name: &'a str,
    timezone: &'a str,
    generated: String,
}

/// The data of one page. The many-page kinds are typed and borrow their parts,
/// so rendering converts them once, straight into the template context.
#[derive(Serialize)]
#[serde(untagged)]
enum PageData<'a> {
    Release {
        release: Box<view::ReleaseView<'a>>,
        prev: Option<&'a view::TrainSummary>,
        next: Option<&'a view::TrainSummary>,
    },
    Calendar {
        month: Option<calendar::MonthView>,
        nav: calendar::MonthNav<'a>,
        index: bool,
    },
    History {
        heading: String,
        /// What the commits touched, e.g. `releases/2026-11-30/`.
        scope: String,
        /// The page whose history this is, and its name.
        href: String,
        back: String,
        commits: Vec<&'a view::CommitView>,
    },
    Json(serde_json::Value),
}

/// One page to render.
struct Page<'a> {
    path: String,
    template: &'static str,
    title: String,
    nav: &'static str,
    crumbs: Vec<Link>,
    data: PageData<'a>,
}

/// A page to render: ready, or made when its turn comes (the kinds with a page
/// per train or per month, by index).
enum Job<'a> {
    Ready(Box<Page<'a>>),
    Release(usize),
    ReleaseHistory(usize),
    /// A history page of [`HISTORY_GROUPS`], by index.
    GroupHistory(usize),
    Month(usize),
}

/// History pages besides the releases': (folder, the page whose history it is,
/// its name, what its commits touched). Each page links to one of these (see
/// [`history_page`]); the groups follow [`page_sources`].
const HISTORY_GROUPS: &[(&str, &str, &str, &str)] = &[
    (
        "site",
        "index.html",
        "release records",
        "releases/, process.yaml and planning/",
    ),
    (
        "process",
        "process/index.html",
        "process",
        "process.yaml, people.yaml and questions/",
    ),
    ("people", "people/index.html", "roster", "people.yaml"),
    (
        "questions",
        "questions/index.html",
        "questions log",
        "questions/",
    ),
];

/// The history page a page links to (none for history pages themselves).
fn history_page(path: &str) -> Option<String> {
    if path.starts_with("history/") || path.contains("/history/") {
        return None;
    }
    let mut parts = path.split('/');
    Some(match (parts.next(), parts.next()) {
        (Some("releases"), Some(id)) if id != "index.html" => view::train_history_href(id),
        (Some(group @ ("people" | "questions" | "process")), _) => group_history_href(group),
        _ => group_history_href("site"),
    })
}

/// The history page of a group of [`HISTORY_GROUPS`], by its folder.
fn group_history_href(group: &str) -> String {
    format!("history/{group}/index.html")
}

/// The sources a page is generated from, as keys of `History::commits_by_source`.
fn page_sources(path: &str) -> Vec<String> {
    let mut parts = path.split('/');
    match (parts.next(), parts.next()) {
        (Some("releases"), Some(id)) if id != "index.html" => vec![format!("releases/{id}")],
        (Some("people"), _) => vec!["people.yaml".into()],
        (Some("questions"), _) => vec!["questions".into()],
        (Some("process"), _) => vec![
            "process.yaml".into(),
            "people.yaml".into(),
            "questions".into(),
        ],
        _ => vec!["releases".into(), "process.yaml".into(), "planning".into()],
    }
}

fn root_prefix(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

fn crumb(label: impl Into<String>, href: impl Into<String>) -> Link {
    Link {
        label: label.into(),
        href: href.into(),
    }
}

fn absolute(base: &Option<String>, rel: &str) -> String {
    match base {
        Some(b) => format!("{}/{rel}", b.trim_end_matches('/')),
        None => rel.to_string(),
    }
}

/// Build the whole site in memory.
pub fn build(
    repo: &Repository,
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

/// Render every file of the site, handing each to `emit` as soon as it is
/// rendered (from any thread), after `plan` has been told every path the site
/// will have. Returns what `emit` returned, in a fixed order.
/// `E` is what `plan` and `emit` may fail with, and holds template errors too.
fn render_site<T: Send, E: From<TemplateError> + Send>(
    repo: &Repository,
    report: &Report,
    opts: &BuildOptions,
    plan: impl FnOnce(&[String]) -> Result<(), E>,
    emit: impl Fn(String, Vec<u8>) -> Result<T, E> + Sync,
) -> Result<Vec<T>, E> {
    let history = opts.history.as_ref();
    // Everything before the first page is made on both threads: what does not
    // depend on each other, side by side.
    let (templates, (viewer, tracked)) = rayon::join(
        || templates::load(&repo.root),
        || {
            rayon::join(
                || Viewer::new(repo, report, opts.now, history, &opts.ships),
                || {
                    repo.trains
                        .par_iter()
                        .map(|t| tracking::track(repo, t, opts.now))
                        .collect::<Vec<Tracked>>()
                },
            )
        },
    );
    let templates = templates?;
    let tz = repo.process.timezone;
    let now_local = opts.now.with_timezone(&tz);
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
    let site_info = SiteInfo {
        name: &repo.process.name,
        timezone: tz.name(),
        generated: show(&now_local),
    };
    let mut pages: Vec<Job> = Vec::new();

    // Dashboard.
    let current = tracking::current_train(repo, opts.now);
    let dashboard = current.map(|i| {
        let t = &repo.trains[i];
        let rv = viewer.release(t, &tracked[i]);
        json!({
            "train": rv,
            "prev": i.checked_sub(1).map(|p| &summaries[p]),
            "next": summaries.get(i + 1),
        })
    });
    let open_questions = repo
        .questions
        .iter()
        .filter(|q| q.doc.data.status.value == QuestionStatus::Open)
        .count();
    // Trains whose push day has come, newest first.
    let today = now_local.date_naive();
    let recent: Vec<_> = repo
        .trains
        .iter()
        .zip(&summaries)
        .rev()
        .filter(|(t, _)| t.date <= today)
        .map(|(_, s)| s)
        .take(8)
        .collect();
    pages.push(Job::Ready(Box::new(Page {
        path: "index.html".into(),
        template: "index.html",
        title: "Dashboard".into(),
        nav: "dashboard",
        crumbs: vec![],
        data: PageData::Json(json!({ "current": dashboard, "open_questions": open_questions, "recent": recent, "errors": report.errors(), "warnings": report.warnings() })),
    })));

    // Release index and pages.
    let newest_first: Vec<_> = summaries.iter().rev().collect();
    pages.push(Job::Ready(Box::new(Page {
        path: "releases/index.html".into(),
        template: "releases.html",
        title: "Releases".into(),
        nav: "releases",
        crumbs: vec![crumb("Releases", "releases/index.html")],
        data: PageData::Json(json!({ "trains": newest_first })),
    })));
    pages.extend((0..repo.trains.len()).map(Job::Release));
    if history.is_some() {
        pages.extend((0..repo.trains.len()).map(Job::ReleaseHistory));
        // The other pages' histories, one per group of sources.
        pages.extend((0..HISTORY_GROUPS.len()).map(Job::GroupHistory));
    }

    // Calendar.
    let months = calendar::months(&events);
    // Each month page links to the months of its year and to the other years
    // (their first month), so years of history do not put a hundred links on
    // every page.
    let mut year_months: BTreeMap<i32, Vec<Link>> = BTreeMap::new();
    for (y, m) in &months {
        year_months.entry(*y).or_default().push(crumb(
            calendar::month_name(*m),
            calendar::month_href(&calendar::month_id(*y, *m)),
        ));
    }
    let years: Vec<Link> = year_months
        .iter()
        .map(|(y, links)| crumb(y.to_string(), links[0].href.clone()))
        .collect();
    let month_nav = |year: i32| calendar::MonthNav {
        year,
        months: year_months.get(&year).map_or(&[][..], Vec::as_slice),
        years: &years,
    };
    pages.extend((0..months.len()).map(Job::Month));
    // calendar/ shows this month (or the nearest month with events).
    let this_month = (today.year(), today.month());
    let shown = months
        .iter()
        .position(|m| *m == this_month)
        .or_else(|| months.iter().position(|m| *m > this_month))
        .or_else(|| months.len().checked_sub(1));
    let calendar_index = shown.map(|i| {
        let (y, m) = months[i];
        let prev = i
            .checked_sub(1)
            .map(|p| calendar::month_id(months[p].0, months[p].1));
        let next = months.get(i + 1).map(|(y, m)| calendar::month_id(*y, *m));
        calendar::month(y, m, &events, &repo.process.freezes, today, prev, next)
    });
    pages.push(Job::Ready(Box::new(Page {
        path: "calendar/index.html".into(),
        template: "calendar.html",
        title: "Calendar".into(),
        nav: "calendar",
        crumbs: vec![crumb("Calendar", "calendar/index.html")],
        data: PageData::Calendar {
            nav: month_nav(shown.map_or(today.year(), |i| months[i].0)),
            month: calendar_index,
            index: true,
        },
    })));

    // Questions.
    let question = |q: &crate::model::QuestionDoc| {
        let d = &q.doc.data;
        let asked = crate::schedule::time::parse_date(&d.asked_at.value).ok();
        json!({
            "number": format!("{:04}", q.number),
            "anchor": format!("q{:04}", q.number),
            "title": d.title.value,
            "asked_by": viewer.name(&d.asked_by.value),
            "asked_at": d.asked_at.value,
            "age_days": asked.map(|a| (today - a).num_days()),
            "answer": d.answer.as_ref().map(|a| a.value.clone()),
            "answered_by": d.answered_by.as_ref().map(|a| viewer.name(&a.value)),
            "answered_at": d.answered_at.as_ref().map(|a| a.value.clone()),
            "section": d.incorporated_in.as_ref().map(|s| s.value.clone()),
            "body_html": markdown::render(&q.body, &format!("q{:04}-", q.number)),
        })
    };
    let by_status = |s: QuestionStatus| {
        repo.questions
            .iter()
            .filter(|q| q.doc.data.status.value == s)
            .map(question)
            .collect::<Vec<_>>()
    };
    let (open, answered, incorporated) = (
        by_status(QuestionStatus::Open),
        by_status(QuestionStatus::Answered),
        by_status(QuestionStatus::Incorporated),
    );
    pages.push(Job::Ready(Box::new(Page {
        path: "questions/index.html".into(),
        template: "questions.html",
        title: "Open questions".into(),
        nav: "questions",
        crumbs: vec![crumb("Questions", "questions/index.html")],
        data: PageData::Json(
            json!({ "open": open, "answered": answered, "incorporated": incorporated }),
        ),
    })));

    // Process, people, stats.
    pages.push(Job::Ready(Box::new(Page {
        path: "process/index.html".into(),
        template: "process.html",
        title: "The release process".into(),
        nav: "process",
        crumbs: vec![crumb("Process", "process/index.html")],
        data: PageData::Json(process_view(repo, &open)),
    })));
    let roles: Vec<_> = repo
        .process
        .roles
        .iter()
        .map(|(id, r)| {
            let people: Vec<_> = repo
                .people
                .with_role(id)
                .map(|p| json!({ "handle": p.handle.value, "name": p.name.value, "email": p.email.value, "github": p.github.as_ref().map(|g| g.value.clone()) }))
                .collect();
            json!({ "id": id, "title": r.title, "list": r.list, "people": people })
        })
        .collect();
    pages.push(Job::Ready(Box::new(Page {
        path: "people/index.html".into(),
        template: "people.html",
        title: "People".into(),
        nav: "people",
        crumbs: vec![crumb("People", "people/index.html")],
        data: PageData::Json(json!({ "roles": roles })),
    })));
    pages.push(Job::Ready(Box::new(Page {
        path: "stats/index.html".into(),
        template: "stats.html",
        title: "Delivery statistics".into(),
        nav: "stats",
        crumbs: vec![crumb("Stats", "stats/index.html")],
        data: PageData::Json(
            serde_json::to_value(stats::stats(repo, &tracked, &opts.ships)).unwrap_or_default(),
        ),
    })));

    let last_changed = |path: &str| -> Option<&view::CommitView> {
        let i = page_sources(path)
            .iter()
            .filter_map(|k| by_source.get(k)?.first())
            .min()
            .copied()?;
        viewer.commit(i)
    };
    // The many-page kinds are made when their turn comes, in parallel with the
    // rendering, and dropped as soon as they are rendered.
    // Each maker gets its page's path from the list below.
    let release_page = |i: usize, path: String| {
        let t = &repo.trains[i];
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
            data: PageData::Release {
                release: Box::new(viewer.release(t, &tracked[i])),
                prev: i.checked_sub(1).map(|p| &summaries[p]),
                next: summaries.get(i + 1),
            },
        }
    };
    let release_history_page = |i: usize, path: String| {
        let t = &repo.trains[i];
        let id = t.id();
        Page {
            crumbs: vec![
                crumb("Releases", "releases/index.html"),
                crumb(id.clone(), train_href(&id)),
                crumb("History", path.clone()),
            ],
            path,
            template: "history.html",
            title: format!("History of release {id}"),
            nav: "releases",
            data: PageData::History {
                heading: format!("History of release {id}"),
                scope: format!("releases/{id}/"),
                href: train_href(&id),
                back: format!("release {id}"),
                commits: by_source
                    .get(&t.dir)
                    .into_iter()
                    .flatten()
                    .filter_map(|&i| viewer.commit(i))
                    .collect(),
            },
        }
    };
    let group_history_page = |g: usize, path: String| {
        let (_, page, name, scope) = HISTORY_GROUPS[g];
        let mut ids: Vec<usize> = page_sources(page)
            .iter()
            .filter_map(|k| by_source.get(k))
            .flatten()
            .copied()
            .collect();
        ids.sort_unstable();
        ids.dedup();
        Page {
            title: format!("History of the {name}"),
            nav: "dashboard",
            crumbs: vec![crumb(format!("History of the {name}"), path.clone())],
            data: PageData::History {
                heading: format!("History of the {name}"),
                scope: scope.to_string(),
                href: page.to_string(),
                back: format!("the {name}"),
                commits: ids.iter().filter_map(|&i| viewer.commit(i)).collect(),
            },
            path,
            template: "history.html",
        }
    };
    let month_page = |i: usize, path: String| {
        let (y, m) = months[i];
        let prev = i
            .checked_sub(1)
            .map(|p| calendar::month_id(months[p].0, months[p].1));
        let next = months.get(i + 1).map(|(y, m)| calendar::month_id(*y, *m));
        let mv = calendar::month(y, m, &events, &repo.process.freezes, today, prev, next);
        Page {
            crumbs: vec![
                crumb("Calendar", "calendar/index.html"),
                crumb(mv.title.clone(), path.clone()),
            ],
            path,
            template: "calendar.html",
            title: mv.title.clone(),
            nav: "calendar",
            data: PageData::Calendar {
                month: Some(mv),
                nav: month_nav(y),
                index: false,
            },
        }
    };
    // Render every page in parallel; the order of `files` stays deterministic.
    // The feeds are written meanwhile, by whichever thread is free.
    let guard_pages = templates.overridden.iter().any(|t| t.ends_with(".html"));
    let render = |p: &Page| {
        let mut ctx = tera::Context::new();
        ctx.insert("site", &site_info);
        ctx.insert("root", &root_prefix(&p.path));
        ctx.insert("title", &p.title);
        ctx.insert("nav", p.nav);
        ctx.insert("crumbs", &p.crumbs);
        ctx.insert("page", &p.data);
        ctx.insert("last_changed", &last_changed(&p.path));
        let history_href = history.and_then(|_| history_page(&p.path));
        ctx.insert("history_href", &history_href);
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
    let mut paths: Vec<String> = pages
        .iter()
        .map(|job| match job {
            Job::Ready(p) => p.path.clone(),
            Job::Release(i) => train_href(&repo.trains[*i].id()),
            Job::ReleaseHistory(i) => view::train_history_href(&repo.trains[*i].id()),
            Job::GroupHistory(g) => group_history_href(HISTORY_GROUPS[*g].0),
            Job::Month(i) => calendar::month_href(&calendar::month_id(months[*i].0, months[*i].1)),
        })
        .collect();
    let feeds = ["style.css", "calendar.ics", "feed.xml", "api/releases.json"];
    paths.extend(feeds.iter().map(|f| f.to_string()));
    plan(&paths)?;
    let (rendered, (ics, (atom, api))) = rayon::join(
        || {
            pages
                .par_iter()
                .zip(&paths)
                .map(|(job, path)| {
                    let path = path.clone();
                    let (path, bytes) = match job {
                        Job::Ready(p) => render(p),
                        Job::Release(i) => render(&release_page(*i, path)),
                        Job::ReleaseHistory(i) => render(&release_history_page(*i, path)),
                        Job::GroupHistory(g) => render(&group_history_page(*g, path)),
                        Job::Month(i) => render(&month_page(*i, path)),
                    }?;
                    emit(path, bytes)
                })
                .collect::<Vec<Result<T, E>>>()
        },
        || {
            rayon::join(
                || ics_feed(repo, &tracked, opts),
                || {
                    rayon::join(
                        || atom_feed(repo, &tracked, &summaries, opts),
                        || api_json(repo, &tracked, &summaries, opts),
                    )
                },
            )
        },
    );
    let mut files = rendered.into_iter().collect::<Result<Vec<T>, _>>()?;
    for (path, text) in feeds
        .into_iter()
        .zip([templates.stylesheet.clone(), ics, atom, api])
    {
        files.push(emit(path.to_string(), text.into_bytes())?);
    }
    Ok(files)
}

fn process_view(repo: &Repository, open_questions: &[serde_json::Value]) -> serde_json::Value {
    let p = &repo.process;
    let hm = |t: &chrono::NaiveTime| t.format("%H:%M").to_string();
    let day = |w: chrono::Weekday| crate::rules::weekday_name(w);
    let weekly = vec![
        json!({ "step": "Planning meeting: the week's features are chosen; Ops calls out public announcements", "when": day(p.planning), "owner": p.role_title("dev") }),
        json!({ "step": "Drop to Test: each deliverable handed off with its checklist", "when": format!("{} by {}", day(p.drop_to_test.weekday), hm(&p.drop_to_test.by.value)), "owner": p.role_title("dev") }),
        json!({ "step": "Push to staging", "when": format!("before {}", day(p.test_start)), "owner": p.role_title("ops") }),
        json!({ "step": "Test starts", "when": day(p.test_start), "owner": p.role_title("test") }),
        json!({ "step": "Test sign-off", "when": format!("{} by {}", day(p.test_signoff.weekday), hm(&p.test_signoff.by.value)), "owner": p.role_title("test") }),
        json!({ "step": "Production push in the maintenance window", "when": format!("{} {}–{}", day(p.production_push.weekday), hm(&p.production_push.start.value), hm(&p.production_push.end.value)), "owner": p.role_title("ops") }),
        json!({ "step": "Validation in production: success or rollback, e-mailed to the test list", "when": "right after the push", "owner": p.role_title("test") }),
    ];
    let ordinal = match p.monthly.ordinal {
        -1 => "last".to_string(),
        1 => "first".into(),
        2 => "second".into(),
        3 => "third".into(),
        4 => "fourth".into(),
        n => format!("{n}th"),
    };
    let rules: Vec<_> = Rule::ALL
        .iter()
        .map(|r| {
            let level = match p.level(*r) {
                crate::rules::Level::Error => "error",
                crate::rules::Level::Warning => "warning",
                crate::rules::Level::Off => "off",
            };
            json!({ "id": r.id(), "summary": r.summary(), "level": level })
        })
        .collect();
    let test_list = p
        .roles
        .get("test")
        .and_then(|r| r.list.clone())
        .unwrap_or_default();
    let ops_list = p
        .roles
        .get("ops")
        .and_then(|r| r.list.clone())
        .unwrap_or_default();
    json!({
        "timezone": p.timezone.name(),
        "eob": hm(&p.end_of_business),
        "weekly": weekly,
        "monthly": {
            "when": format!("the {ordinal} {} of each month at {} for {} minutes", day(p.monthly.weekday), hm(&p.monthly.time.value), p.monthly.minutes),
            "requires": p.monthly.requires.iter().map(|r| p.role_title(r).to_string()).collect::<Vec<_>>(),
        },
        "handoff": [
            { "item": "A tag with the changes", "rule": "handoff-checklist" },
            { "item": "Green CI for the project", "rule": "handoff-checklist" },
            { "item": "A test plan for the changes", "rule": "bad-url" },
            { "item": "Security documentation and Security sign-off, when the change needs them", "rule": "handoff-checklist" },
            { "item": "Deploy bugs for Ops, with any special instructions", "rule": "schema" },
            { "item": format!("An e-mail to {test_list}, cc {ops_list}, with the bug list, test plan, staging environment and database"), "rule": "handoff-checklist" },
            { "item": format!("Handed off by {} {} (end of business) in {}", day(p.drop_to_test.weekday), hm(&p.drop_to_test.by.value), p.timezone.name()), "rule": "handoff-deadline" },
            { "item": "Staging stays stable during testing; otherwise Test is notified (a staging notice)", "rule": "event-order" },
        ],
        "signoff": [
            { "item": "QA regression tests pass", "rule": "signoff-criteria" },
            { "item": "Cross-environment tests pass", "rule": "signoff-criteria" },
            { "item": "The test plan passes", "rule": "signoff-criteria" },
            { "item": "Service Ops signs off any load test that is needed", "rule": "signoff-criteria" },
            { "item": format!("Results e-mailed to {test_list}"), "rule": "event-order" },
            { "item": format!("Signed off by {} {}", day(p.test_signoff.weekday), hm(&p.test_signoff.by.value)), "rule": "signoff-deadline" },
        ],
        "push": [
            { "item": format!("Only after a go sign-off"), "rule": "push-without-go" },
            { "item": format!("Inside the maintenance window, {} {}–{} {} time (PST or PDT)", day(p.production_push.weekday), hm(&p.production_push.start.value), hm(&p.production_push.end.value), p.timezone.name()), "rule": "push-window" },
            { "item": "The pertinent dev, test and ops people are present", "rule": "push-attendance" },
            { "item": format!("Test validates in production and e-mails {test_list}: success or rollback, with the reason", ), "rule": "push-validation" },
        ],
        "roles": p.roles.iter().map(|(id, r)| json!({ "id": id, "title": r.title, "list": r.list, "people": repo.people.with_role(id).map(|x| x.name.value.clone()).collect::<Vec<_>>() })).collect::<Vec<_>>(),
        "approvers": p.approvers.iter().map(|r| p.role_title(r).to_string()).collect::<Vec<_>>(),
        "freezes": p.freezes.iter().map(|f| json!({ "from": f.from.to_string(), "to": f.to.to_string(), "reason": f.reason })).collect::<Vec<_>>(),
        "holidays": p.holidays.iter().map(|h| json!({ "date": show_date(h.date), "name": h.name })).collect::<Vec<_>>(),
        "rules": rules,
        "messages": crate::mail::catalogue(p),
        "open_questions": open_questions,
    })
}

fn ics_feed(repo: &Repository, tracked: &[Tracked], opts: &BuildOptions) -> String {
    let mut events = Vec::new();
    for (train, t) in repo.trains.iter().zip(tracked) {
        let id = train.id();
        let url = opts
            .base_url
            .as_ref()
            .map(|_| absolute(&opts.base_url, &train_href(&id)));
        if let Some(s) = train.train.as_ref().and_then(|d| d.data.skipped.as_ref()) {
            events.push(ics::Event {
                uid: format!("{id}-skipped@trainyard"),
                when: ics::When::Day(train.date),
                summary: format!("No push this week ({id})"),
                description: s.reason.value.clone(),
                url,
                categories: vec!["skipped".into()],
            });
            continue;
        }
        for m in &t.milestones {
            let status = format!("Status: {}", m.status.label());
            let (when, summary) = match (&m.planned, m.step) {
                (Planned::Day(d), Step::Planning) => {
                    (ics::When::Day(*d), format!("Planning: {id} train"))
                }
                (Planned::Deadline { at, moved_because }, _) => (
                    ics::When::At(*at),
                    format!(
                        "{} due: {id} train{}",
                        m.step.name(),
                        if moved_because.is_some() {
                            " (moved for a holiday)"
                        } else {
                            ""
                        }
                    ),
                ),
                (Planned::Window { start, end }, _) => (
                    ics::When::Span(*start, *end),
                    format!("Production push: {id} train"),
                ),
                _ => continue,
            };
            let mut description = format!(
                "{status}. Owner: {}.",
                repo.process.role_title(m.step.owner())
            );
            if let Planned::Deadline {
                moved_because: Some(why),
                ..
            } = &m.planned
            {
                description.push_str(&format!(" Moved earlier for {why}."));
            }
            events.push(ics::Event {
                uid: format!("{id}-{}@trainyard", m.step.key()),
                when,
                summary,
                description,
                url: url.clone(),
                categories: vec![m.step.key().to_string()],
            });
        }
    }
    for (y, mo) in calendar::meeting_months(repo) {
        if let Some(Ok(meeting)) = crate::schedule::monthly_meeting(&repo.process, y, mo) {
            events.push(ics::Event {
                uid: format!("monthly-{}@trainyard", calendar::month_id(y, mo)),
                when: ics::When::Span(meeting.start, meeting.end),
                summary: "Monthly release planning".into(),
                description: format!(
                    "Resource planning for the coming month. Required: {}.",
                    repo.process
                        .monthly
                        .requires
                        .iter()
                        .map(|r| repo.process.role_title(r))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                url: None,
                categories: vec!["monthly".into()],
            });
        }
    }
    ics::calendar(&repo.process.name, repo.process.timezone, opts.now, &events)
}

fn atom_feed(
    repo: &Repository,
    tracked: &[Tracked],
    summaries: &[view::TrainSummary],
    opts: &BuildOptions,
) -> String {
    let today = opts.now.with_timezone(&repo.process.timezone).date_naive();
    let mut entries = Vec::new();
    for ((train, t), s) in repo.trains.iter().zip(tracked).zip(summaries).rev() {
        if train.date > today + chrono::Duration::days(7) {
            continue;
        }
        // The entry changes when the train's last recorded event does.
        let updated = t
            .milestones
            .iter()
            .filter_map(|m| m.done_at)
            .max()
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_else(|| {
                crate::schedule::time::at(repo.process.timezone, train.date, chrono::NaiveTime::MIN)
                    .map(|d| d.with_timezone(&Utc))
                    .unwrap_or(opts.now)
            });
        let mut summary = format!(
            "{} — {}",
            s.state_label,
            if s.features.is_empty() {
                "no features".into()
            } else {
                s.features.join(", ")
            }
        );
        if let Some(r) = &s.skipped {
            summary = format!("skipped: {r}");
        }
        if !s.late.is_empty() {
            summary.push_str(&format!(". Late: {}", s.late.join(", ")));
        }
        if let Some(reason) = train
            .push
            .as_ref()
            .and_then(|p| p.data.validation.as_ref())
            .and_then(|v| v.rollback_reason.as_ref())
        {
            summary.push_str(&format!(". Rolled back: {}", reason.value));
        }
        entries.push(feed::Entry {
            id: match &opts.base_url {
                Some(_) => absolute(&opts.base_url, &s.href),
                None => format!("urn:trainyard:release:{}", s.id),
            },
            title: format!("Release {}: {}", s.id, s.state_label),
            link: absolute(&opts.base_url, &s.href),
            updated,
            summary,
        });
        if entries.len() >= 100 {
            break;
        }
    }
    let updated = entries.iter().map(|e| e.updated).max().unwrap_or(opts.now);
    feed::atom(
        &format!("{}: releases", repo.process.name),
        &match &opts.base_url {
            Some(_) => absolute(&opts.base_url, "feed.xml"),
            None => "urn:trainyard:releases".to_string(),
        },
        &absolute(&opts.base_url, "index.html"),
        &absolute(&opts.base_url, "feed.xml"),
        updated,
        &entries,
    )
}

/// `api/releases.json`, written from typed rows (fields in alphabetical
/// order, as the document has always had them).
#[derive(Serialize)]
struct ApiDoc<'a> {
    generated_at: String,
    process: &'a str,
    timezone: &'a str,
    trains: Vec<ApiTrain<'a>>,
}

#[derive(Serialize)]
struct ApiTrain<'a> {
    /// What each project with a configured repository ships.
    changes: Vec<ApiChange<'a>>,
    errors: usize,
    features: &'a [String],
    id: &'a str,
    late: &'a [String],
    milestones: Vec<ApiMilestone<'a>>,
    push_date: String,
    skipped: &'a Option<String>,
    state: &'a str,
    url: String,
}

#[derive(Serialize)]
struct ApiMilestone<'a> {
    deadline: Option<String>,
    done_at: Option<String>,
    done_by: &'a [String],
    late_by_seconds: Option<i64>,
    moved_because: Option<&'a str>,
    owner: &'static str,
    planned_date: Option<String>,
    status: &'static str,
    step: &'static str,
    window: Option<ApiWindow>,
}

#[derive(Serialize)]
struct ApiChange<'a> {
    /// The bugs the commits name.
    bugs: &'a [u64],
    /// How many commits ship (merges left out).
    commits: usize,
    /// Null when the range is unknown.
    from: Option<&'a str>,
    project: &'a str,
    to: &'a str,
}

#[derive(Serialize)]
struct ApiWindow {
    end: String,
    start: String,
}

fn api_json(
    repo: &Repository,
    tracked: &[Tracked],
    summaries: &[view::TrainSummary],
    opts: &BuildOptions,
) -> String {
    let trains = repo
        .trains
        .iter()
        .zip(tracked)
        .zip(summaries)
        .enumerate()
        .map(|(index, ((train, t), s))| {
            let milestones = t
                .milestones
                .iter()
                .map(|m| {
                    let (planned_date, deadline, window) = match &m.planned {
                        Planned::Day(d) => (Some(d.to_string()), None, None),
                        Planned::Deadline { at, .. } => (None, Some(at.to_rfc3339()), None),
                        Planned::Window { start, end } => (
                            None,
                            None,
                            Some(ApiWindow {
                                start: start.to_rfc3339(),
                                end: end.to_rfc3339(),
                            }),
                        ),
                        Planned::After => (None, None, None),
                    };
                    let moved_because = match &m.planned {
                        Planned::Deadline { moved_because, .. } => moved_because.as_deref(),
                        _ => None,
                    };
                    ApiMilestone {
                        step: m.step.key(),
                        owner: m.step.owner(),
                        status: m.status.key(),
                        planned_date,
                        deadline,
                        window,
                        moved_because,
                        done_at: m.done_at.map(|d| d.to_rfc3339()),
                        done_by: &m.done_by,
                        late_by_seconds: m.late_by.map(|d| d.num_seconds()),
                    }
                })
                .collect();
            ApiTrain {
                changes: crate::repositories::changes(repo, &opts.ships, index)
                    .into_iter()
                    .map(|c| ApiChange {
                        project: c.project,
                        from: c.from,
                        to: c.to,
                        commits: c.commits.len(),
                        bugs: c.bugs_named,
                    })
                    .collect(),
                id: &s.id,
                push_date: train.date.to_string(),
                url: absolute(&opts.base_url, &s.href),
                state: s.state,
                skipped: &s.skipped,
                features: &s.features,
                late: &s.late,
                errors: s.errors,
                milestones,
            }
        })
        .collect();
    let doc = ApiDoc {
        generated_at: opts.now.to_rfc3339(),
        process: &repo.process.name,
        timezone: repo.process.timezone.name(),
        trains,
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// Build the site into `out` atomically: each file is compared with the
/// previous generation (`previous`, from [`Listing::start`] on the same
/// `out`) and written as soon as it is rendered (see [`output`]).
/// Returns how many files the site has.
pub fn build_into(
    repo: &Repository,
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
