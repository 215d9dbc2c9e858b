//! `trainyard serve`: build in memory, serve on 127.0.0.1, rebuild when a file
//! changes and reload open pages (server-sent events; the few lines of script
//! are injected only here, never into `build` output). Nothing is written to
//! disk, so stopping it (Ctrl-C) leaves nothing behind.

use crate::site::{build, BuildOptions, Site};
use clap::Args;
use notify::{EventKind, RecursiveMode, Watcher};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::time::Duration;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The release repository (default: the current directory).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// The port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 4000)]
    pub port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Build as of this time instead of the clock.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
}

const RELOAD: &str = "<script>new EventSource(\"/__trainyard/events\").onmessage=function(){location.reload()};</script>";

/// The current site and a generation counter that wakes the event streams.
struct State {
    files: Mutex<(u64, HashMap<String, Vec<u8>>)>,
    changed: Condvar,
}

/// The site, in memory. `previous_index` is the search index of the site
/// being replaced: kept when the documents it indexed did not change.
fn render(
    root: &Path,
    now: Option<&str>,
    previous_index: Option<Vec<u8>>,
) -> HashMap<String, Vec<u8>> {
    let page = |title: &str, body: String| {
        let escaped = body
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        let html = format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body><h1>{title}</h1><pre>{escaped}</pre></body></html>"
        );
        HashMap::from([("index.html".to_string(), html.into_bytes())])
    };
    let crate::pipeline::Checked {
        repo,
        report,
        now,
        history,
        ships,
        notes,
        approvals,
    } = match crate::pipeline::checked(root, now, None) {
        Ok(c) => c,
        Err(e) => return page("trainyard: the repository cannot be checked", e),
    };
    super::print_notes(&notes);
    let opts = BuildOptions {
        base_url: None,
        now,
        history,
        ships,
        approvals,
        previous_index,
    };
    match build(&repo, &report, &opts) {
        Ok(Site { files }) => files.into_iter().collect(),
        Err(e) => page("trainyard: the site could not be built", e.to_string()),
    }
}

/// An event stream: one `data:` line each time the site is rebuilt.
struct Events {
    state: Arc<State>,
    seen: u64,
    pending: Vec<u8>,
}

impl Read for Events {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.pending.is_empty() {
            let guard = self
                .state
                .files
                .lock()
                .map_err(|_| std::io::Error::other("poisoned"))?;
            let (guard, _) = self
                .state
                .changed
                .wait_timeout_while(guard, Duration::from_secs(15), |s| s.0 == self.seen)
                .map_err(|_| std::io::Error::other("poisoned"))?;
            let message: &[u8] = if guard.0 != self.seen {
                self.seen = guard.0;
                b"data: reload\n\n"
            } else {
                b": keep-alive\n\n"
            };
            self.pending = padded(message);
        }
        let n = buf.len().min(self.pending.len());
        buf[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        Ok(n)
    }
}

/// An event-stream message padded with an SSE comment: tiny_http sends a
/// chunk once 8 KiB are buffered, so the message leaves at once.
fn padded(message: &[u8]) -> Vec<u8> {
    let mut out = message.to_vec();
    out.extend_from_slice(b":");
    out.extend(std::iter::repeat_n(b' ', 8192));
    out.extend_from_slice(b"\n\n");
    out
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/atom+xml",
        Some("ics") => "text/calendar; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Threads answering page requests: pages are in memory, so a few keep up
/// with any browser.
const WORKERS: usize = 4;
/// The most live-reload streams held open at once (each holds a thread until
/// its page is closed); past it a stream is refused and the browser retries
/// later, so held connections cannot exhaust the process.
pub const MAX_EVENT_STREAMS: usize = 16;

/// Whether the request's `Host` names this server as a browser on this
/// machine reaches it: 127.0.0.1 or localhost, on `port` or none. Any other
/// name is a page elsewhere that had its own name resolve to 127.0.0.1 (DNS
/// rebinding) and is answered with nothing of the site.
fn local_host(request: &tiny_http::Request, port: u16) -> bool {
    let Some(host) = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_ascii_lowercase())
    else {
        return false;
    };
    let name = match host.rsplit_once(':') {
        Some((name, p)) if p.parse::<u16>().ok() == Some(port) => name,
        Some(_) => return false,
        None => host.as_str(),
    };
    matches!(name, "127.0.0.1" | "localhost")
}

/// Counts an open event stream until dropped.
struct Stream(Arc<AtomicUsize>);

impl Drop for Stream {
    fn drop(&mut self) {
        self.0.fetch_sub(1, AtomicOrdering::SeqCst);
    }
}

fn respond(state: &Arc<State>, streams: &Arc<AtomicUsize>, port: u16, request: tiny_http::Request) {
    if !local_host(&request, port) {
        let _ = request.respond(
            tiny_http::Response::from_string(format!(
                "trainyard serve answers only http://127.0.0.1:{port}/ and http://localhost:{port}/"
            ))
            .with_status_code(421),
        );
        return;
    }
    let url = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    if url == "/__trainyard/events" {
        if streams.fetch_add(1, AtomicOrdering::SeqCst) >= MAX_EVENT_STREAMS {
            streams.fetch_sub(1, AtomicOrdering::SeqCst);
            let _ = request.respond(
                tiny_http::Response::from_string("retry: 10000\n\n").with_status_code(503),
            );
            return;
        }
        let guard = Stream(streams.clone());
        let seen = state.files.lock().map(|s| s.0).unwrap_or(0);
        let state = state.clone();
        // A stream is held open for as long as its page: its own thread, so
        // the workers go on answering pages.
        std::thread::spawn(move || {
            let _guard = guard;
            // A constant, valid header.
            let header = tiny_http::Header::from_bytes("Content-Type", "text/event-stream")
                .expect("valid header");
            let response = tiny_http::Response::new(
                200.into(),
                vec![header],
                Events {
                    state,
                    seen,
                    // The stream opens at once: the browser (and anyone
                    // counting streams) knows it is held.
                    pending: padded(b": open\n\n"),
                },
                None,
                None,
            );
            let _ = request.respond(response);
        });
        return;
    }
    let mut path = url.trim_start_matches('/').to_string();
    if path.is_empty() || path.ends_with('/') {
        path.push_str("index.html");
    }
    let body = state
        .files
        .lock()
        .ok()
        .and_then(|s| s.1.get(&path).cloned());
    let response = match body {
        Some(mut bytes) => {
            if path.ends_with(".html") {
                let html = String::from_utf8_lossy(&bytes).replacen(
                    "</body>",
                    &format!("{RELOAD}</body>"),
                    1,
                );
                bytes = html.into_bytes();
            }
            let header = tiny_http::Header::from_bytes("Content-Type", content_type(&path))
                .expect("valid header");
            tiny_http::Response::from_data(bytes).with_header(header)
        }
        None => {
            tiny_http::Response::from_string(format!("{path}: no such page")).with_status_code(404)
        }
    };
    let _ = request.respond(response);
}

/// Changes that should not trigger a rebuild: output folders, Git internals, editors' temp files.
fn ignored(root: &Path, p: &Path) -> bool {
    let rel = p.strip_prefix(root).unwrap_or(p);
    rel.components().any(|c| {
        let s = c.as_os_str().to_string_lossy();
        s == "public" || s == "target" || s.starts_with('.') || s.ends_with('~')
    })
}

pub fn run(args: ServeArgs) -> ExitCode {
    if !crate::load::is_repository(&args.root) {
        return super::fatal(crate::load::LoadError::NotARepository(args.root.clone()));
    }
    let root = std::fs::canonicalize(&args.root).unwrap_or(args.root.clone());
    let state = Arc::new(State {
        files: Mutex::new((0, render(&root, args.now.as_deref(), None))),
        changed: Condvar::new(),
    });
    let server = match tiny_http::Server::http(("127.0.0.1", args.port)) {
        Ok(s) => s,
        Err(e) => {
            return super::fatal(format!(
                "cannot listen on 127.0.0.1:{}: {e}\n  help: pick another --port",
                args.port
            ))
        }
    };
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .unwrap_or(args.port);
    let url = format!("http://127.0.0.1:{port}/");
    outln!("serving {} on {url} (Ctrl-C to stop)", root.display());

    // Watch the repository; rebuild at most once per burst of changes.
    let (tx, rx) = mpsc::channel::<()>();
    let watch_root = root.clone();
    let mut watcher =
        match notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            if let Ok(e) = event {
                // Only real changes: reading the files to rebuild raises access events.
                let change = matches!(
                    e.kind,
                    EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
                );
                if change && e.paths.iter().any(|p| !ignored(&watch_root, p)) {
                    let _ = tx.send(());
                }
            }
        }) {
            Ok(w) => w,
            Err(e) => return super::fatal(format!("cannot watch {}: {e}", root.display())),
        };
    if let Err(e) = watcher.watch(&root, RecursiveMode::Recursive) {
        return super::fatal(format!("cannot watch {}: {e}", root.display()));
    }
    let rebuild_state = state.clone();
    let now = args.now.clone();
    let rebuild_root = root.clone();
    std::thread::spawn(move || {
        while rx.recv().is_ok() {
            // Debounce: let a burst of saves settle.
            while rx.recv_timeout(Duration::from_millis(80)).is_ok() {}
            let previous = rebuild_state
                .files
                .lock()
                .ok()
                .and_then(|s| s.1.get("search/index.js").cloned());
            let files = render(&rebuild_root, now.as_deref(), previous);
            if let Ok(mut s) = rebuild_state.files.lock() {
                s.0 += 1;
                s.1 = files;
            }
            rebuild_state.changed.notify_all();
            outln!("rebuilt");
        }
    });
    if args.open {
        let opener = if cfg!(target_os = "macos") {
            "open"
        } else {
            "xdg-open"
        };
        let _ = std::process::Command::new(opener).arg(&url).spawn();
    }
    let server = Arc::new(server);
    let streams = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (server, state, streams) = (server.clone(), state.clone(), streams.clone());
            std::thread::spawn(move || {
                while let Ok(request) = server.recv() {
                    respond(&state, &streams, port, request);
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
    ExitCode::SUCCESS
}
