//! process.yaml `notify`, resolved: each webhook's target checked for what
//! can be checked without its secret (the homeserver's URL, the room's form,
//! the names of the environment variables), events and lead times read once.

use crate::diagnostics::suggest::did_you_mean;
use crate::diagnostics::{Diagnostic, Rule};
use crate::model::notify::{Event, Lead, Notify, NotifyFile, Target, Webhook, WebhookFile};
use crate::model::{Pos, Spanned};

pub fn resolve(file: &NotifyFile, path: &str, diags: &mut Vec<Diagnostic>) -> Notify {
    let events = match &file.events {
        Some(list) => read_events(list, path, diags),
        None => Event::ALL.to_vec(),
    };
    let mut reminders = Vec::new();
    for lead in file.reminders.iter().flat_map(|l| l.value.iter()) {
        match Lead::parse(&lead.value) {
            Some(l) if reminders.iter().any(|r: &Lead| r.before == l.before) => diags.push(
                Diagnostic::new(
                    Rule::Schema,
                    path,
                    lead.pos,
                    format!("the lead time `{}` is listed twice", lead.value),
                )
                .help("list each lead time once"),
            ),
            Some(l) => reminders.push(l),
            None => diags.push(
                Diagnostic::new(
                    Rule::Schema,
                    path,
                    lead.pos,
                    format!("`{}` is not a lead time", lead.value),
                )
                .help("write a whole number and a unit, from 1m to 5w: `30m`, `2h`, `24h`, `2d`"),
            ),
        }
    }
    reminders.sort_by_key(|l| std::cmp::Reverse(l.before));
    let mut webhooks: Vec<Webhook> = Vec::new();
    for w in &file.webhooks {
        let name = w.name.value.trim();
        if !crate::load::is_slug(name) {
            diags.push(
                Diagnostic::new(
                    Rule::Schema,
                    path,
                    w.name.pos,
                    format!("`{}` is not a webhook name", w.name.value),
                )
                .help("name it with lowercase letters, digits, `-` and `_`, e.g. `releases`"),
            );
            continue;
        }
        if webhooks.iter().any(|o| o.name == name) {
            diags.push(
                Diagnostic::new(
                    Rule::Schema,
                    path,
                    w.name.pos,
                    format!("two webhooks are named `{name}`"),
                )
                .help("give each webhook its own name"),
            );
            continue;
        }
        let Some(target) = target(w, path, diags) else {
            continue;
        };
        let own = w.events.as_ref().map(|l| read_events(l, path, diags));
        webhooks.push(Webhook {
            name: name.to_string(),
            target,
            events: own.unwrap_or_else(|| events.clone()),
        });
    }
    Notify {
        webhooks,
        reminders,
        mail: file.mail.as_ref().is_some_and(|m| m.value),
        events,
    }
}

fn read_events(
    list: &Spanned<Vec<Spanned<String>>>,
    path: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Event> {
    let mut out = Vec::new();
    for e in &list.value {
        match Event::from_key(e.value.trim()) {
            Some(ev) if !out.contains(&ev) => out.push(ev),
            Some(_) => {}
            None => diags.push(
                Diagnostic::new(
                    Rule::Schema,
                    path,
                    e.pos,
                    format!("unknown event `{}`", e.value),
                )
                .help(did_you_mean(&e.value, Event::ALL.iter().map(|e| e.key()))),
            ),
        }
    }
    out
}

/// The target, when everything it needs is written and well-formed.
fn target(w: &WebhookFile, path: &str, diags: &mut Vec<Diagnostic>) -> Option<Target> {
    let at = w.format.pos;
    let mut problem = |pos: Pos, msg: String, help: &str| {
        diags.push(Diagnostic::new(Rule::Schema, path, pos, msg).help(help));
    };
    let env = |v: &Option<Spanned<String>>,
               key: &str,
               problem: &mut dyn FnMut(Pos, String, &str)|
     -> Option<String> {
        match v {
            None => {
                problem(at, format!("this webhook needs `{key}`"), "name the environment variable that holds the secret, e.g. `TRAINYARD_SLACK_URL`; the secret itself never goes in the file");
                None
            }
            Some(v) if is_env_name(v.value.trim()) => Some(v.value.trim().to_string()),
            Some(v) => {
                problem(v.pos, format!("`{}` is not an environment variable's name", v.value), "write the variable's name (letters, digits and `_`), not its value: secrets never go in the file");
                None
            }
        }
    };
    let not_for = |v: &Option<Spanned<String>>,
                   key: &str,
                   format: &str,
                   problem: &mut dyn FnMut(Pos, String, &str)| {
        if let Some(v) = v {
            problem(
                v.pos,
                format!("a `{format}` webhook takes no `{key}`"),
                "remove it, or set `format` to the kind of webhook it is for",
            );
        }
    };
    match w.format.value.trim() {
        f @ ("slack" | "json") => {
            not_for(&w.homeserver, "homeserver", f, &mut problem);
            not_for(&w.room, "room", f, &mut problem);
            not_for(&w.token_env, "token_env", f, &mut problem);
            let url_env = env(&w.url_env, "url_env", &mut problem)?;
            Some(if f == "slack" {
                Target::Slack { url_env }
            } else {
                Target::Json { url_env }
            })
        }
        "matrix" => {
            not_for(&w.url_env, "url_env", "matrix", &mut problem);
            let token_env = env(&w.token_env, "token_env", &mut problem);
            let homeserver = match &w.homeserver {
                Some(h) if crate::model::values::is_http_url(h.value.trim()) => {
                    Some(h.value.trim().trim_end_matches('/').to_string())
                }
                Some(h) => {
                    diags.push(
                        Diagnostic::new(
                            Rule::BadUrl,
                            path,
                            h.pos,
                            format!("`{}` is not an absolute http or https URL", h.value),
                        )
                        .help("write the homeserver's address, e.g. https://matrix.example.com"),
                    );
                    None
                }
                None => {
                    diags.push(Diagnostic::new(Rule::Schema, path, at, "this webhook needs `homeserver`").help("write the homeserver's address, e.g. `homeserver: https://matrix.example.com`"));
                    None
                }
            };
            let room = match &w.room {
                Some(r) if is_room(r.value.trim()) => Some(r.value.trim().to_string()),
                Some(r) => {
                    diags.push(Diagnostic::new(Rule::Schema, path, r.pos, format!("`{}` is not a Matrix room", r.value)).help("write a room id, `!abc123:example.com`, or an alias, `#releases:example.com` (quoted: `#` starts a YAML comment)"));
                    None
                }
                None => {
                    diags.push(Diagnostic::new(Rule::Schema, path, at, "this webhook needs `room`").help("write a room id, `!abc123:example.com`, or an alias, `#releases:example.com` (quoted: `#` starts a YAML comment)"));
                    None
                }
            };
            Some(Target::Matrix {
                homeserver: homeserver?,
                room: room?,
                token_env: token_env?,
            })
        }
        other => {
            diags.push(
                Diagnostic::new(
                    Rule::Schema,
                    path,
                    w.format.pos,
                    format!("unknown webhook format `{other}`"),
                )
                .help(did_you_mean(other, ["slack", "matrix", "json"])),
            );
            None
        }
    }
}

/// `TRAINYARD_SLACK_URL`: what a shell and GitHub's `env:` accept.
fn is_env_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && !s.starts_with(|c: char| c.is_ascii_digit())
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// A room id (`!opaque`, with `:server` before room version 12) or an alias
/// (`#alias:server`): printable ASCII without `/`, `?`, `#`, `%` or `\\`
/// after the sigil (it goes into a URL path, percent-encoded).
fn is_room(s: &str) -> bool {
    let fine = |rest: &str| {
        !rest.is_empty()
            && rest
                .bytes()
                .all(|b| b.is_ascii_graphic() && !matches!(b, b'/' | b'?' | b'#' | b'%' | b'\\'))
    };
    if s.len() > 255 {
        return false;
    }
    if let Some(rest) = s.strip_prefix('!') {
        return fine(rest) && !rest.starts_with(':') && !rest.ends_with(':');
    }
    let Some((local, server)) = s.strip_prefix('#').and_then(|r| r.split_once(':')) else {
        return false;
    };
    fine(local) && fine(server)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rooms_and_env_names() {
        assert!(is_room("!qa:example.com"));
        assert!(is_room("#releases:matrix.example.com:8448"));
        assert!(!is_room("#releases"));
        assert!(is_room("!dU9gvJ40nGk6jG2CY-L4vMuidrhrKulerPlftkUN3V4"));
        assert!(!is_room("!a/b:example.com"));
        assert!(is_env_name("TRAINYARD_SLACK_URL"));
        assert!(!is_env_name("https://hooks.slack.com/x"));
        assert!(!is_env_name("1X"));
    }

    #[test]
    fn lead_times() {
        assert_eq!(
            Lead::parse("24h").unwrap().before,
            chrono::Duration::hours(24)
        );
        assert_eq!(
            Lead::parse("30m").unwrap().before,
            chrono::Duration::minutes(30)
        );
        assert_eq!(Lead::parse("2d").unwrap().before, chrono::Duration::days(2));
        assert!(Lead::parse("0h").is_none());
        assert!(Lead::parse("6w").is_none());
        assert!(Lead::parse("h").is_none());
        assert!(Lead::parse("99999999999999999999h").is_none());
        assert!(Lead::parse("2 h").is_none());
    }
}
