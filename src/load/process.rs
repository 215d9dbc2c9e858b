//! Resolve process.yaml (what the file says) into a [`Process`] (defaults applied),
//! reporting every value that cannot be used.

use crate::diagnostics::suggest::did_you_mean;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::Rule;
use crate::model::process::*;
use crate::model::{Pos, Spanned};
use crate::schedule::time::{parse_date, parse_wall_time};
use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;

struct Resolver<'a> {
    file: &'a str,
    diags: Vec<Diagnostic>,
}

impl Resolver<'_> {
    fn wall(
        &mut self,
        v: &Option<Spanned<String>>,
        default: &Spanned<NaiveTime>,
    ) -> Spanned<NaiveTime> {
        match v {
            None => default.clone(),
            Some(s) => match parse_wall_time(&s.value) {
                Ok(t) => Spanned::new(t, s.pos),
                Err(e) => {
                    self.diags.push(e.diagnostic(self.file, s.pos, &s.value));
                    default.clone()
                }
            },
        }
    }

    /// `by:` is `eob` (end of business) or a wall time.
    fn by(&mut self, v: &Option<Spanned<String>>, eob: NaiveTime) -> Spanned<NaiveTime> {
        match v {
            Some(s) if s.value.trim().eq_ignore_ascii_case("eob") => Spanned::new(eob, s.pos),
            other => self.wall(other, &Spanned::unplaced(eob)),
        }
    }

    fn role_list(
        &mut self,
        v: &[Spanned<String>],
        roles: &std::collections::BTreeMap<String, Role>,
    ) -> Vec<String> {
        let mut out = Vec::new();
        for r in v {
            if roles.contains_key(&r.value) {
                out.push(r.value.clone());
            } else {
                self.diags.push(
                    Diagnostic::new(
                        Rule::Schema,
                        self.file,
                        r.pos,
                        format!("unknown role `{}`", r.value),
                    )
                    .help(did_you_mean(&r.value, roles.keys().map(String::as_str))),
                );
            }
        }
        out
    }

    fn date(&mut self, s: &Spanned<String>) -> Option<chrono::NaiveDate> {
        match parse_date(&s.value) {
            Ok(d) => Some(d),
            Err(e) => {
                self.diags.push(e.diagnostic(self.file, s.pos, &s.value));
                None
            }
        }
    }
}

/// Apply process.yaml on top of the default process.
pub fn resolve(file: &ProcessFile, path: &str) -> (Process, Vec<Diagnostic>) {
    let mut p = Process::default();
    let mut r = Resolver {
        file: path,
        diags: Vec::new(),
    };

    if let Some(name) = &file.name {
        p.name = name.value.clone();
    }
    if let Some(since) = &file.since {
        p.since = r.date(since);
    }
    if let Some(c) = &file.change {
        p.change = Some(Change {
            summary: c.summary.value.trim().to_string(),
            questions: c.questions.iter().map(|q| q.value).collect(),
        });
    }
    if let Some(tz) = &file.timezone {
        match tz.value.trim().parse::<Tz>() {
            Ok(t) => p.timezone = t,
            Err(_) => r.diags.push(
                Diagnostic::new(
                    Rule::TimeFormat,
                    path,
                    tz.pos,
                    format!("`{}` is not an IANA timezone name", tz.value),
                )
                .help(match timezone_suggestion(&tz.value) {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => "use a name like America/Los_Angeles or Europe/Berlin".into(),
                }),
            ),
        }
    }
    let eob_default = Spanned::unplaced(p.end_of_business);
    let eob = r.wall(&file.end_of_business, &eob_default).value;
    p.end_of_business = eob;

    let s = &file.schedule;
    let day = |m: &MilestoneFile, d: chrono::Weekday| {
        m.weekday.as_ref().map(|w| w.value.into()).unwrap_or(d)
    };
    p.planning = day(&s.planning, p.planning);
    p.drop_to_test.weekday = day(&s.drop_to_test, p.drop_to_test.weekday);
    p.drop_to_test.by = r.by(&s.drop_to_test.by, eob);
    p.test_start = day(&s.test_start, p.test_start);
    p.test_signoff.weekday = day(&s.test_signoff, p.test_signoff.weekday);
    p.test_signoff.by = r.by(&s.test_signoff.by, eob);
    p.production_push.weekday = day(&s.production_push, p.production_push.weekday);
    if let Some(w) = &s.production_push.window {
        let (start_default, end_default) = (
            p.production_push.start.clone(),
            p.production_push.end.clone(),
        );
        p.production_push.start = r.wall(&w.start, &start_default);
        p.production_push.end = r.wall(&w.end, &end_default);
        if p.production_push.end.value <= p.production_push.start.value {
            let at = w
                .end
                .as_ref()
                .or(w.start.as_ref())
                .map(|s| s.pos)
                .unwrap_or(Pos::FILE);
            r.diags.push(
                Diagnostic::new(Rule::TimeFormat, path, at, "the push window ends before it starts")
                    .help("give an `end` later than `start` on the same day, e.g. start \"15:00\", end \"17:00\""),
            );
            p.production_push.start = start_default;
            p.production_push.end = end_default;
        }
    }

    // Roles merge: a listed role overrides or adds; the core roles always exist.
    for (id, role) in &file.roles {
        let entry = p.roles.entry(id.clone()).or_insert_with(|| Role {
            title: id.clone(),
            list: None,
        });
        if let Some(t) = &role.title {
            entry.title = t.value.clone();
        }
        if let Some(l) = &role.list {
            if crate::model::values::is_email_address(l.value.trim()) {
                entry.list = Some(l.value.trim().to_string());
            } else {
                r.diags.push(
                    Diagnostic::new(
                        Rule::Schema,
                        path,
                        l.pos,
                        format!("the {id} list `{}` is not an e-mail address", l.value),
                    )
                    .help("write the list's address, e.g. services-qa@example.com"),
                );
            }
        }
        if let Some(t) = &role.title {
            if t.value.chars().any(char::is_control) {
                r.diags.push(
                    Diagnostic::new(
                        Rule::Schema,
                        path,
                        t.pos,
                        format!("the {id} role's title holds a line break or a control character"),
                    )
                    .help("write the title on one line, e.g. `title: Operations`"),
                );
                entry.title = id.clone();
            }
        }
    }

    let m = &file.monthly_planning;
    if let Some(o) = &m.ordinal {
        if (1..=5).contains(&o.value) || o.value == -1 {
            p.monthly.ordinal = o.value;
        } else {
            r.diags.push(
                Diagnostic::new(
                    Rule::Schema,
                    path,
                    o.pos,
                    format!("ordinal {} is not 1 to 5 or -1", o.value),
                )
                .help("1 means the first such weekday of the month, -1 the last"),
            );
        }
    }
    if let Some(w) = &m.weekday {
        p.monthly.weekday = w.value.into();
    }
    let time_default = p.monthly.time.clone();
    p.monthly.time = r.wall(&m.time, &time_default);
    if let Some(min) = &m.minutes {
        p.monthly.minutes = min.value;
    }
    if let Some(req) = &m.requires {
        let roles = p.roles.clone();
        p.monthly.requires = r.role_list(req, &roles);
    }
    if let Some(a) = &file.exceptions.approvers {
        let roles = p.roles.clone();
        p.approvers = r.role_list(a, &roles);
    }

    if let Some(freezes) = &file.freezes {
        for f in freezes {
            if let (Some(from), Some(to)) = (r.date(&f.from), r.date(&f.to)) {
                if to < from {
                    r.diags.push(
                        Diagnostic::new(
                            Rule::TimeFormat,
                            path,
                            f.to.pos,
                            "the freeze ends before it starts",
                        )
                        .help("`to` is the last day of the freeze and must not be before `from`"),
                    );
                } else {
                    p.freezes.push(Freeze {
                        from,
                        to,
                        reason: f.reason.value.clone(),
                    });
                }
            }
        }
    }
    if let Some(holidays) = &file.holidays {
        for h in holidays {
            if let Some(date) = r.date(&h.date) {
                p.holidays.push(Holiday {
                    date,
                    name: h.name.value.clone(),
                });
            }
        }
    }
    resolve_items(file, path, &mut p, &mut r.diags);
    if let Some(rot) = &file.rotation {
        if !p.roles.contains_key(rot.role.value.trim()) {
            r.diags.push(
                Diagnostic::new(
                    Rule::Schema,
                    path,
                    rot.role.pos,
                    format!("unknown role `{}`", rot.role.value),
                )
                .help(did_you_mean(
                    &rot.role.value,
                    p.roles.keys().map(String::as_str),
                )),
            );
        } else if let Some(from) = r.date(&rot.from) {
            p.rotation = Some(Rotation {
                role: rot.role.value.trim().to_string(),
                order: rot.order.iter().map(|h| h.value.clone()).collect(),
                from,
            });
        }
    }
    if let Some(n) = &file.notify {
        p.notify = super::notify::resolve(n, path, &mut r.diags);
    }
    resolve_projects(file, path, &mut p, &mut r.diags);
    resolve_bugs(file, path, &mut p, &mut r.diags);
    resolve_site(file, path, &mut p, &mut r.diags);
    p.mail_domain = mail_domain(&file.mail.domain, path, &mut r.diags);
    for (id, level) in &file.rules {
        match Rule::from_id(id) {
            Some(rule) => {
                p.rules.insert(rule, level.value);
            }
            None => r.diags.push(
                Diagnostic::new(
                    Rule::Schema,
                    path,
                    level.pos,
                    format!("unknown rule `{id}`"),
                )
                .help(did_you_mean(id, Rule::ALL.iter().map(|r| r.id()))),
            ),
        }
    }
    (p, r.diags)
}

fn resolve_projects(file: &ProcessFile, path: &str, p: &mut Process, diags: &mut Vec<Diagnostic>) {
    for (name, proj) in &file.projects {
        if !crate::load::is_slug(name) {
            diags.push(
                Diagnostic::new(
                    Rule::Schema,
                    path,
                    proj.repository.as_ref().map_or(Pos::FILE, |r| r.pos),
                    format!("project `{name}` is not a slug"),
                )
                .help("project names are lowercase letters, digits, `-`, `_` and `.`, as in hand-off file names"),
            );
        }
        let tag_pattern = match &proj.tag_pattern {
            None => TagPattern::any(),
            Some(src) => match TagPattern::new(src.clone()) {
                Ok(t) => t,
                Err(e) => {
                    diags.push(
                        Diagnostic::new(
                            Rule::Schema,
                            path,
                            src.pos,
                            format!("`{}` is not a glob: {}", src.value, e.kind()),
                        )
                        .help("write a glob such as \"v*\" or \"release-[0-9]*\""),
                    );
                    TagPattern::any()
                }
            },
        };
        p.projects.insert(
            name.clone(),
            ProjectSpec {
                repository: proj.repository.clone(),
                branch: proj.branch.clone(),
                tag_pattern,
                baseline: proj.baseline.clone(),
            },
        );
    }
}

/// `v` when it is an absolute http(s) URL; otherwise a `bad-url` diagnostic.
fn http_url<'a>(
    v: &'a Option<Spanned<String>>,
    path: &str,
    diags: &mut Vec<Diagnostic>,
    example: &str,
) -> Option<&'a Spanned<String>> {
    let v = v.as_ref()?;
    if crate::model::values::is_http_url(&v.value) {
        return Some(v);
    }
    diags.push(
        Diagnostic::new(
            Rule::BadUrl,
            path,
            v.pos,
            format!("`{}` is not an absolute http or https URL", v.value),
        )
        .help(format!("write it as {example}")),
    );
    None
}

/// An http(s) URL with a placeholder, or a diagnostic.
fn url_template(
    v: &Option<Spanned<String>>,
    placeholder: &str,
    path: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let example = format!("https://bugzilla.example.com/show_bug.cgi?id={placeholder}");
    let v = http_url(v, path, diags, &example)?;
    if !v.value.contains(placeholder) {
        diags.push(
            Diagnostic::new(
                Rule::Schema,
                path,
                v.pos,
                format!("`{}` has no `{placeholder}` for the bug number", v.value),
            )
            .help(format!("put `{placeholder}` where the number goes")),
        );
        return None;
    }
    let times = v.value.matches(placeholder).count();
    if times > 1 || v.value.len() > MAX_URL_TEMPLATE {
        let what = if times > 1 {
            format!("holds `{placeholder}` {times} times")
        } else {
            format!(
                "is {} characters long, more than {MAX_URL_TEMPLATE}",
                v.value.chars().count()
            )
        };
        diags.push(
            Diagnostic::new(Rule::Schema, path, v.pos, format!("the bug link {what}"))
                .help(format!(
                    "a link is made for every bug on every page: write one `{placeholder}` in a URL of at most {MAX_URL_TEMPLATE} characters, e.g. {example}"
                )),
        );
        return None;
    }
    Some(v.value.clone())
}

/// The longest `bugs.url` or `bugs.list_url`, in bytes.
pub const MAX_URL_TEMPLATE: usize = 2048;

fn resolve_bugs(file: &ProcessFile, path: &str, p: &mut Process, diags: &mut Vec<Diagnostic>) {
    let b = &file.bugs;
    p.bugs.url = url_template(&b.url, "{id}", path, diags);
    p.bugs.list_url = url_template(&b.list_url, "{ids}", path, diags);
    if let Some(src) = &b.pattern {
        match BugPattern::new(&src.value) {
            Ok(pattern) => p.bugs.pattern = pattern,
            Err(e) => diags.push(
                Diagnostic::new(
                    Rule::Schema,
                    path,
                    src.pos,
                    format!("`bugs.pattern` is not a usable regular expression: {}", e.lines().last().unwrap_or(&e)),
                )
                .help(format!("write a pattern whose first group captures the number, e.g. '{DEFAULT_BUG_PATTERN}'")),
            ),
        }
    }
}

/// `mail.domain`: it goes into every Message-ID header, so it must be a
/// host name (letters, digits, `-` and `.`), never text that could end the
/// header or start another.
fn mail_domain(
    v: &Option<Spanned<String>>,
    path: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let v = v.as_ref()?;
    let d = v.value.trim();
    let ok = crate::model::values::is_host_name(d);
    if ok {
        return Some(d.to_ascii_lowercase());
    }
    diags.push(
        Diagnostic::new(
            Rule::Schema,
            path,
            v.pos,
            format!("mail.domain `{}` is not a host name", v.value),
        )
        .help("write the domain the Message-IDs are made under, e.g. `domain: example.com`"),
    );
    None
}

fn resolve_site(file: &ProcessFile, path: &str, p: &mut Process, diags: &mut Vec<Diagnostic>) {
    let s = &file.site;
    let mut http = |v: &Option<Spanned<String>>, example: &str| {
        http_url(v, path, diags, example).map(|v| v.value.trim_end_matches('/').to_string())
    };
    let url = http(&s.url, "the site's address, https://releases.example.com/");
    let repository = http(
        &s.repository,
        "the forge page, https://github.com/example/releases",
    );
    p.site.url = url;
    if let Some(b) = &s.branch {
        p.site.branch = b.value.clone();
    }
    let inferred = repository.as_deref().and_then(|r| {
        let host = r
            .split("://")
            .nth(1)?
            .split('/')
            .next()?
            .to_ascii_lowercase();
        match host.as_str() {
            "github.com" | "www.github.com" => Some(Forge::Github),
            "gitlab.com" | "www.gitlab.com" => Some(Forge::Gitlab),
            _ => None,
        }
    });
    p.site.forge = s.forge.as_ref().map(|f| f.value).or(inferred);
    if let (Some(r), None) = (&s.repository, p.site.forge) {
        if repository.is_some() {
            diags.push(
                Diagnostic::new(
                    Rule::Schema,
                    path,
                    r.pos,
                    "the forge of this repository cannot be told from its host",
                )
                .help("add `forge: github` or `forge: gitlab` under `site`"),
            );
        }
    }
    p.site.repository = repository;
}

/// The IANA name someone who wrote `written` most likely means: the zone an
/// abbreviation stands for (`PST` is America/Los_Angeles, not the legacy
/// `PST8PDT`), else the nearest Area/Location name.
fn timezone_suggestion(written: &str) -> Option<&'static str> {
    let abbreviations: &[(&[&str], &str)] = &[
        (&["PST", "PDT", "PT", "PACIFIC"], "America/Los_Angeles"),
        (&["MST", "MDT", "MT", "MOUNTAIN"], "America/Denver"),
        (&["CST", "CDT", "CT", "CENTRAL"], "America/Chicago"),
        (&["EST", "EDT", "ET", "EASTERN"], "America/New_York"),
        (&["AKST", "AKDT"], "America/Anchorage"),
        (&["HST"], "Pacific/Honolulu"),
        (&["GMT", "BST"], "Europe/London"),
        (&["CET", "CEST"], "Europe/Berlin"),
        (&["EET", "EEST"], "Europe/Helsinki"),
        (&["IST"], "Asia/Kolkata"),
        (&["JST"], "Asia/Tokyo"),
        (&["AEST", "AEDT"], "Australia/Sydney"),
    ];
    let upper = written.trim().to_ascii_uppercase();
    if let Some((_, zone)) = abbreviations
        .iter()
        .find(|(a, _)| a.contains(&upper.as_str()))
    {
        return Some(zone);
    }
    crate::diagnostics::suggest::nearest(
        written,
        chrono_tz::TZ_VARIANTS
            .iter()
            .map(|t| t.name())
            .filter(|n| n.contains('/') && !n.starts_with("Etc/")),
    )
}

/// The earlier versions of the process (`process/YYYY-MM-DD.yaml`), each
/// resolved as process.yaml with its process keys, oldest first; and the
/// order of the versions checked: each version's `since` is its file's date,
/// and process.yaml's `since` is required and later than every version's.
pub fn versions(
    tools: &ProcessFile,
    mut files: Vec<(NaiveDate, VersionFile, String)>,
    current: &mut Process,
    diags: &mut Vec<Diagnostic>,
) -> Vec<crate::model::ProcessVersion> {
    if files.is_empty() {
        return Vec::new();
    }
    files.sort_by_key(|(d, _, _)| *d);
    // What process.yaml's own keys give: a version shares its tool keys, so
    // their problems are process.yaml's, reported once.
    let (_, of_tools) = resolve(tools, "process.yaml");
    let mut out = Vec::new();
    for (date, file, path) in files {
        if let Some(since) = &file.since {
            if parse_date(&since.value).ok() != Some(date) {
                diags.push(
                    Diagnostic::new(
                        Rule::Schema,
                        path.as_str(),
                        since.pos,
                        format!("`since: {}` differs from the file's date, {date}", since.value.trim()),
                    )
                    .help(format!("a version is named by the first push date it applies to: write `since: {date}`, or leave it out")),
                );
            }
        }
        let (mut process, found) = resolve(&file.over(tools), &path);
        diags.extend(found.into_iter().filter(|d| {
            !of_tools
                .iter()
                .any(|t| t.rule == d.rule && t.pos == d.pos && t.message == d.message)
        }));
        process.since = Some(date);
        out.push(crate::model::ProcessVersion { path, process });
    }
    let latest = out.last().and_then(|v| v.process.since);
    match (&tools.since, current.since, latest) {
        (None, _, Some(latest)) => diags.push(
            Diagnostic::new(
                Rule::Schema,
                "process.yaml",
                Pos::FILE,
                "process.yaml has no `since`, but process/ holds earlier versions",
            )
            .help(format!("add `since:` with the first push date this version applies to, later than {latest}")),
        ),
        (Some(s), Some(since), Some(latest)) if since <= latest => diags.push(
            Diagnostic::new(
                Rule::Schema,
                "process.yaml",
                s.pos,
                format!("`since: {since}` is not later than the latest earlier version ({latest})"),
            )
            .help("each version applies from its date to the next one's: give process.yaml a later `since`, or rename the version file"),
        ),
        _ => {}
    }
    if current.since.is_none() {
        // Without a usable `since`, process.yaml judges what comes after the
        // latest version.
        current.since = latest.and_then(|d| d.succ_opt());
    }
    out
}

/// The further checklist items and criteria: ids are unique slugs, titles
/// one line.
fn resolve_items(file: &ProcessFile, path: &str, p: &mut Process, diags: &mut Vec<Diagnostic>) {
    let check = |id: &Spanned<String>,
                 title: &Spanned<String>,
                 what: &str,
                 seen: &mut Vec<(String, u32)>,
                 diags: &mut Vec<Diagnostic>| {
        let mut ok = true;
        if !crate::load::is_slug(&id.value) {
            diags.push(
                Diagnostic::new(
                    Rule::Schema,
                    path,
                    id.pos,
                    format!("{what} id `{}` is not a slug", id.value),
                )
                .help("ids are lowercase letters, digits, `-`, `_` and `.`, e.g. `perf_results`"),
            );
            ok = false;
        } else if let Some((_, line)) = seen.iter().find(|(s, _)| *s == id.value) {
            diags.push(
                Diagnostic::new(
                    Rule::Schema,
                    path,
                    id.pos,
                    format!(
                        "{what} id `{}` is listed twice (first on line {line})",
                        id.value
                    ),
                )
                .help("give each item its own id"),
            );
            ok = false;
        }
        if title.value.chars().any(char::is_control) || title.value.trim().is_empty() {
            diags.push(
                Diagnostic::new(
                    Rule::Schema,
                    path,
                    title.pos,
                    format!("the title of `{}` is empty or holds a line break", id.value),
                )
                .help("write the title on one line, e.g. `title: Performance test results`"),
            );
            ok = false;
        }
        seen.push((id.value.clone(), id.pos.line));
        ok
    };
    let mut seen = Vec::new();
    for item in &file.handoff.checklist {
        if check(&item.id, &item.title, "checklist item", &mut seen, diags) {
            p.checklist.push(ExtraItem {
                id: item.id.value.clone(),
                title: item.title.value.trim().to_string(),
                kind: item.kind.value,
            });
        }
    }
    seen.clear();
    for c in &file.signoff.criteria {
        if check(&c.id, &c.title, "criterion", &mut seen, diags) {
            p.criteria.push(ExtraCriterion {
                id: c.id.value.clone(),
                title: c.title.value.trim().to_string(),
            });
        }
    }
}
