//! `api/releases.json`: every train, its milestones and what it ships, for
//! other tools (SITE.md).

use super::view::TrainSummary;
use super::{absolute, BuildOptions};
use crate::model::ReleaseRepository;
use crate::tracking::{Planned, Tracked};
use serde::Serialize;

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

/// The document, pretty-printed with a final newline.
pub fn json(
    repo: &ReleaseRepository,
    tracked: &[Tracked],
    summaries: &[TrainSummary],
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
