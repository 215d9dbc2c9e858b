//! Delivering messages to the webhooks of `notify` over HTTP(S): Slack's
//! incoming webhooks, Matrix's client-server API and plain JSON endpoints.
//!
//! Secrets come from the environment once per run and never appear in
//! output: a failure names the webhook and the environment variable, never
//! the URL or the token. Every request has a bounded time, redirects are not
//! followed (a secret URL is not sent on to another host), and at most 64
//! KiB of any answer is read. A webhook that fails does not stop the others.

use super::text;
use super::Message;
use crate::model::notify::{Target, Webhook};
use std::collections::HashMap;
use std::time::Duration;

/// The most of an answer read (a Matrix room id, an error's code).
const MAX_ANSWER: u64 = 64 * 1024;

/// Why a message did not reach a webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The environment variable holding the secret is not set (or not usable).
    Secret(String),
    /// The server could not be reached, or did not answer in time.
    Unreachable(String),
    /// The server answered with an error.
    Refused(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Secret(s) | Failure::Unreachable(s) | Failure::Refused(s) => f.write_str(s),
        }
    }
}

/// A webhook's secrets, read once.
enum Ready {
    Post {
        url: String,
    },
    Matrix {
        homeserver: String,
        room: String,
        token: String,
    },
    Broken(Failure),
}

/// Sends to the webhooks of one run.
pub struct Sender {
    agent: ureq::Agent,
    ready: HashMap<String, Ready>,
}

fn env_secret(var: &str, what: &str) -> Result<String, Failure> {
    match std::env::var(var) {
        Ok(v) if !v.trim().is_empty() => Ok(v.trim().to_string()),
        _ => Err(Failure::Secret(format!(
            "the environment variable {var} (the {what}) is not set; set it from a repository secret"
        ))),
    }
}

impl Sender {
    /// Read every webhook's secrets from the environment; each request may
    /// take at most `timeout`.
    pub fn new(webhooks: &[Webhook], timeout: Duration) -> Sender {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .max_redirects(0)
            .http_status_as_error(false)
            .user_agent(concat!("trainyard/", env!("CARGO_PKG_VERSION")))
            .build();
        let mut ready = HashMap::new();
        for w in webhooks {
            let r = match &w.target {
                Target::Slack { url_env } | Target::Json { url_env } => {
                    match env_secret(url_env, "webhook's URL") {
                        Ok(url) if crate::model::values::is_http_url(&url) => Ready::Post { url },
                        Ok(_) => Ready::Broken(Failure::Secret(format!(
                            "the environment variable {url_env} does not hold an http or https URL"
                        ))),
                        Err(e) => Ready::Broken(e),
                    }
                }
                Target::Matrix { .. } if !secure(w) => Ready::Broken(Failure::Secret(format!(
                    "the access token is not sent over plain http to a homeserver that is not on this machine: write the homeserver of `{}` as https://",
                    w.name
                ))),
                Target::Matrix {
                    homeserver,
                    room,
                    token_env,
                } => match env_secret(token_env, "Matrix access token") {
                    Ok(token) if token.bytes().all(|b| b.is_ascii_graphic()) => Ready::Matrix {
                        homeserver: homeserver.clone(),
                        room: room.clone(),
                        token,
                    },
                    Ok(_) => Ready::Broken(Failure::Secret(format!(
                        "the environment variable {token_env} does not hold an access token"
                    ))),
                    Err(e) => Ready::Broken(e),
                },
            };
            ready.insert(w.name.clone(), r);
        }
        Sender {
            agent: config.into(),
            ready,
        }
    }

    /// Deliver `m` to the webhook named `name`. A webhook that could not be
    /// reached is not tried again in this run: each waits at most one
    /// timeout, however many messages there are.
    pub fn send(&mut self, name: &str, format_json: bool, m: &Message) -> Result<(), Failure> {
        let tried = !matches!(self.ready.get(name), Some(Ready::Broken(_)));
        let result = self.try_send(name, format_json, m);
        if let (true, Err(Failure::Unreachable(why))) = (tried, &result) {
            self.ready.insert(
                name.to_string(),
                Ready::Broken(Failure::Unreachable(format!(
                    "not tried again after: {why}"
                ))),
            );
        }
        result
    }

    fn try_send(&mut self, name: &str, format_json: bool, m: &Message) -> Result<(), Failure> {
        let Some(r) = self.ready.get(name) else {
            return Err(Failure::Secret(format!("no webhook is named {name}")));
        };
        match r {
            Ready::Broken(f) => Err(f.clone()),
            Ready::Post { url } => {
                let body = if format_json {
                    serde_json::to_vec(m)
                } else {
                    serde_json::to_vec(&text::slack(m))
                }
                .map_err(|e| Failure::Refused(format!("cannot write the message: {e}")))?;
                let res = self
                    .agent
                    .post(url.as_str())
                    .header("Content-Type", "application/json")
                    .send(&body[..]);
                answer(res).map(drop)
            }
            Ready::Matrix {
                homeserver,
                room,
                token,
            } => {
                let (homeserver, token) = (homeserver.clone(), token.clone());
                let room_id = if room.starts_with('#') {
                    let id = self.resolve_alias(&homeserver, room, &token)?;
                    self.ready.insert(
                        name.to_string(),
                        Ready::Matrix {
                            homeserver: homeserver.clone(),
                            room: id.clone(),
                            token: token.clone(),
                        },
                    );
                    id
                } else {
                    room.clone()
                };
                let url = format!(
                    "{homeserver}/_matrix/client/v3/rooms/{}/send/m.room.message/{}",
                    path_part(&room_id),
                    path_part(&m.id)
                );
                let body = serde_json::to_vec(&text::matrix(m))
                    .map_err(|e| Failure::Refused(format!("cannot write the message: {e}")))?;
                let res = self
                    .agent
                    .put(url.as_str())
                    .header("Authorization", format!("Bearer {token}"))
                    .header("Content-Type", "application/json")
                    .send(&body[..]);
                answer(res).map(drop)
            }
        }
    }

    /// `#alias:server` → `!id:server` (GET /directory/room/ALIAS).
    fn resolve_alias(&self, homeserver: &str, alias: &str, token: &str) -> Result<String, Failure> {
        let url = format!(
            "{homeserver}/_matrix/client/v3/directory/room/{}",
            path_part(alias)
        );
        let res = self
            .agent
            .get(url.as_str())
            .header("Authorization", format!("Bearer {token}"))
            .call();
        let body = answer(res).map_err(|f| match f {
            Failure::Refused(why) => Failure::Refused(format!(
                "the room alias {alias} could not be resolved: {why}"
            )),
            other => other,
        })?;
        #[derive(serde::Deserialize)]
        struct Directory {
            room_id: String,
        }
        serde_json::from_str::<Directory>(&body)
            .ok()
            .map(|d| d.room_id)
            .filter(|id| id.starts_with('!') && id.len() <= 255)
            .ok_or_else(|| Failure::Refused(format!("the homeserver gave no room for {alias}")))
    }
}

/// Whether a Matrix webhook's token travels encrypted, or stays on this
/// machine (a homeserver on the loopback interface, as in tests).
fn secure(w: &Webhook) -> bool {
    let Target::Matrix { homeserver, .. } = &w.target else {
        return true;
    };
    if homeserver.starts_with("https://") {
        return true;
    }
    let host = homeserver
        .trim_start_matches("http://")
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let name = if host.starts_with('[') {
        host.split(']')
            .next()
            .map(|h| format!("{h}]"))
            .unwrap_or_default()
    } else {
        host.split(':').next().unwrap_or("").to_string()
    };
    matches!(
        name.to_ascii_lowercase().as_str(),
        "localhost" | "127.0.0.1" | "[::1]"
    )
}

/// A URL path segment: everything but unreserved characters percent-encoded.
fn path_part(s: &str) -> String {
    use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
    const KEEP: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    utf8_percent_encode(s, KEEP).to_string()
}

/// The answer's body on a 2xx, else why not, in words that name no secret.
fn answer(res: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Result<String, Failure> {
    let mut res = match res {
        Ok(r) => r,
        Err(e) => return Err(unreachable(&e)),
    };
    let status = res.status().as_u16();
    let body = res
        .body_mut()
        .with_config()
        .limit(MAX_ANSWER)
        .read_to_string()
        .unwrap_or_default();
    if (200..300).contains(&status) {
        return Ok(body);
    }
    // Matrix and Slack say why in a short code (`M_FORBIDDEN`, `invalid_token`).
    #[derive(serde::Deserialize)]
    struct MatrixError {
        errcode: String,
    }
    let code = serde_json::from_str::<MatrixError>(&body)
        .map(|e| e.errcode)
        .ok()
        .or_else(|| {
            let t = body.trim();
            (t.len() <= 40 && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
                .then(|| t.to_string())
        })
        .filter(|c| !c.is_empty() && c.len() <= 40 && c.bytes().all(|b| b.is_ascii_graphic()));
    Err(Failure::Refused(match code {
        Some(code) => format!("the server refused it: HTTP {status} ({code})"),
        None => format!("the server refused it: HTTP {status}"),
    }))
}

fn unreachable(e: &ureq::Error) -> Failure {
    let why = match e {
        ureq::Error::Timeout(_) => "it did not answer in time".to_string(),
        ureq::Error::HostNotFound => "its host name is not known".to_string(),
        ureq::Error::ConnectionFailed => "the connection failed".to_string(),
        ureq::Error::Io(io) => format!("the connection failed ({})", io.kind()),
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) => {
            "its TLS certificate is not trusted or the TLS handshake failed".to_string()
        }
        _ => "the request failed".to_string(),
    };
    Failure::Unreachable(format!("the server could not be reached: {why}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::notify::Event;

    fn matrix(homeserver: &str) -> Webhook {
        Webhook {
            name: "room".into(),
            target: Target::Matrix {
                homeserver: homeserver.into(),
                room: "!r:example.com".into(),
                token_env: "T".into(),
            },
            events: vec![Event::Handoff],
        }
    }

    #[test]
    fn a_token_goes_in_clear_only_to_this_machine() {
        assert!(secure(&matrix("https://matrix.example.com")));
        assert!(secure(&matrix("http://127.0.0.1:8008")));
        assert!(secure(&matrix("http://localhost:8008/")));
        assert!(secure(&matrix("http://[::1]:8008")));
        assert!(!secure(&matrix("http://matrix.example.com")));
        assert!(!secure(&matrix("http://127.0.0.1.evil.example:80")));
        assert!(!secure(&matrix("http://localhost@evil.example")));
    }
}
