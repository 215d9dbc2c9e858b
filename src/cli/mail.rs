//! `trainyard mail`: write (and with --send, send) one of the process's
//! e-mails from the records.

use crate::diagnostics::{render_human, Diagnostic, Report, Severity, Style};
use crate::mail::record;
use crate::mail::smtp::{self, SendError, Server};
use crate::mail::{self, Inputs, Kind, NoSource};
use crate::model::ReleaseRepository;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Which {
    /// A project's hand-off to Test, cc Ops (give the PROJECT).
    Handoff,
    /// The newest notice in staging.yaml, to the test list.
    StagingNotice,
    /// Test's sign-off, to the test list.
    Signoff,
    /// The production push's outcome, to the test list cc the ops list.
    Validation,
}

#[derive(Debug, Args)]
pub struct MailArgs {
    /// Which message.
    #[arg(value_enum)]
    pub kind: Which,
    /// The project, for `handoff`.
    pub project: Option<String>,
    /// The release repository (default: the current directory).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// The train, by push date (default: the current train).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub train: Option<String>,
    /// Write the message to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Deliver it over SMTP (to every To and Cc address) and print its Message-ID.
    #[arg(long)]
    pub send: bool,
    /// The SMTP server: smtp://HOST:PORT (plain, a local relay),
    /// smtp://HOST:PORT?tls=required (STARTTLS) or smtps://HOST:PORT (TLS).
    /// User and password come only from TRAINYARD_SMTP_USER and
    /// TRAINYARD_SMTP_PASSWORD.
    #[arg(long, value_name = "URL", env = "TRAINYARD_SMTP_URL")]
    pub smtp: Option<String>,
    /// Also trust the CA certificates in this PEM file for the SMTP server's
    /// TLS (a company's private CA); Mozilla's roots are trusted either way.
    #[arg(long, value_name = "FILE", env = "TRAINYARD_SMTP_CA")]
    pub smtp_ca: Option<PathBuf>,
    /// After sending, write the send time into the record's field
    /// (notification.sent_at, test_notified_at, notified_at), changing
    /// nothing else in the file.
    #[arg(long, requires = "send")]
    pub record: bool,
    /// The send time when the record has none yet, instead of the clock:
    /// `YYYY-MM-DD HH:MM` in the process timezone, or RFC 3339.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// Give up on an SMTP server that does not answer within this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=300))]
    pub timeout: u64,
}

fn kind_of(args: &MailArgs) -> Result<Kind, String> {
    match (args.kind, &args.project) {
        (Which::Handoff, Some(p)) if crate::load::is_slug(p) => Ok(Kind::Handoff(p.clone())),
        (Which::Handoff, Some(p)) => Err(format!(
            "`{p}` is not a project slug (lowercase letters, digits, `-`, `_`, `.`)"
        )),
        (Which::Handoff, None) => {
            Err("`mail handoff` needs the project\n  help: trainyard mail handoff PROJECT".into())
        }
        (_, Some(p)) => Err(format!(
            "unexpected argument `{p}`: only `mail handoff` takes a project"
        )),
        (Which::StagingNotice, None) => Ok(Kind::StagingNotice),
        (Which::Signoff, None) => Ok(Kind::Signoff),
        (Which::Validation, None) => Ok(Kind::Validation),
    }
}

/// The record field the send time goes in (owned: the record is replaced
/// in memory once the send time is written in).
struct Field {
    file: String,
    name: &'static str,
}

pub fn run(args: MailArgs) -> ExitCode {
    match mail(&args) {
        Ok(code) | Err(code) => code,
    }
}

/// The records loaded and ready: the train, where the send time goes, and
/// (when none is recorded yet) the record as it will be once it is.
struct Prepared {
    repo: ReleaseRepository,
    index: usize,
    field: Field,
    /// The message's Date: the recorded send time, else now.
    date: DateTime<Tz>,
    /// The record's text before and after the send time is written in.
    rewritten: Option<(String, String)>,
    /// Whether the hand-off's project has a service repository (what ships).
    with_repository: bool,
    load_diags: Vec<Diagnostic>,
    now: DateTime<Utc>,
}

/// Every step; an early `Err` is the exit status of a step that stopped.
fn mail(args: &MailArgs) -> Result<ExitCode, ExitCode> {
    let kind = kind_of(args).map_err(super::fatal)?;
    // Everything about sending is checked before a record is read.
    let server = match (&args.smtp, args.send) {
        (Some(url), true) => {
            Some(Server::parse(url).map_err(|e| super::fatal(format!("--smtp: {e}")))?)
        }
        (None, true) => {
            return Err(super::fatal(
                "--send needs an SMTP server\n  help: pass --smtp smtp://HOST:PORT or set TRAINYARD_SMTP_URL",
            ))
        }
        (_, false) => None,
    };
    let ca = match (&args.smtp_ca, args.send) {
        (Some(path), true) => {
            Some(smtp::read_ca(path).map_err(|e| super::fatal(format!("--smtp-ca: {e}")))?)
        }
        _ => None,
    };
    let credentials = match smtp::credentials_from_env() {
        Ok(c) => c,
        Err(e) if args.send => return Err(super::fatal(e)),
        Err(_) => None,
    };
    if let (Some(server), Some(_)) = (&server, &credentials) {
        if server.security == smtp::Security::Plain {
            return Err(super::fatal(smtp::cleartext_refusal(server)));
        }
    }
    let Prepared {
        repo,
        index,
        field,
        date,
        rewritten,
        with_repository,
        load_diags,
        now,
    } = prepare(args, &kind)?;
    let (repo, train) = (&repo, &repo.trains[index]);

    // The records the message is written from must have no errors.
    let report = crate::rules::check(repo, load_diags, now);
    let reads = match &kind {
        Kind::Handoff(_) => vec![field.file.clone(), train.train_path()],
        _ => vec![field.file.clone()],
    };
    let errors: Vec<Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && reads.contains(&d.file))
        .cloned()
        .collect();
    if !errors.is_empty() {
        return Err(refuse(
            repo,
            errors,
            "the records have errors; nothing was sent",
        ));
    }

    let src = mail::source(train, &kind)
        .map_err(|_| super::fatal("the record changed while it was read"))?;
    let shipments =
        with_repository.then(|| crate::repositories::read(repo, args.project.as_deref()));
    let ships = shipments.as_ref().and_then(|s| {
        s.of(index)
            .iter()
            .find(|s| Some(s.project.as_str()) == args.project.as_deref())
    });
    let inputs = Inputs {
        repo,
        train,
        kind: &kind,
        source: &src,
        ships,
        date,
    };
    let letter = mail::compose(&inputs)
        .map_err(|problems| refuse(repo, problems, "the message cannot be written"))?;
    let message = letter.message().map_err(super::fatal)?;
    let bytes = message.formatted();

    if let Some(out) = &args.out {
        crate::write::replace(out, &bytes, true)
            .map_err(|e| super::fatal(format!("cannot write {}: {e}", out.display())))?;
    } else if !args.send {
        use std::io::Write as _;
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(&bytes);
        let _ = stdout.flush();
    }
    let Some(server) = server else {
        return Ok(ExitCode::SUCCESS);
    };
    match smtp::send(
        &server,
        credentials,
        ca,
        &message,
        Duration::from_secs(args.timeout),
    ) {
        Ok(()) => {
            // The Message-ID alone on stdout, for a pipeline to keep.
            outln!("{}", letter.message_id);
            eprintln!("sent to {server}");
        }
        Err(SendError::Refused(e)) => {
            eprintln!("trainyard: error: {e}");
            return Err(ExitCode::from(1));
        }
        Err(SendError::Unreachable(e)) => {
            return Err(super::fatal(format!(
                "could not deliver through {e}\n  help: check --smtp / TRAINYARD_SMTP_URL and that the server is up; nothing was recorded"
            )))
        }
        Err(SendError::Untrusted(e)) => {
            return Err(super::fatal(format!(
                "did not deliver through {e}\n  help: the server's certificate is not trusted; if your company's CA issued it, pass --smtp-ca FILE (or set TRAINYARD_SMTP_CA) with that CA's PEM certificate; nothing was sent or recorded"
            )))
        }
    }
    if let (true, Some((original, text))) = (args.record, &rewritten) {
        record_in_place(&repo.root, &field.file, original, text).map_err(|e| {
            super::fatal(format!(
                "the message was sent, but {} could not be updated: {e}\n  help: set `{}` by hand",
                field.file, field.name
            ))
        })?;
        eprintln!("recorded {} in {}", field.name, field.file);
    }
    Ok(ExitCode::SUCCESS)
}

/// Load what the message needs, find its record, and, when its send time is
/// not recorded yet, rewrite the record in memory as `--record` would, so
/// the rules check the record as it will be.
fn prepare(args: &MailArgs, kind: &Kind) -> Result<Prepared, ExitCode> {
    // What a hand-off ships needs every earlier train (FROM is the last
    // successful one): only then are all the trains read.
    let ships = |process: &crate::model::Process| match kind {
        Kind::Handoff(p) => process
            .projects
            .get(p)
            .is_some_and(|spec| spec.repository.is_some()),
        _ => false,
    };
    let pick = |dates: &[chrono::NaiveDate], now, process: &_| {
        if ships(process) {
            dates.to_vec()
        } else {
            super::current_or_named(dates, now, args.train.as_deref())
        }
    };
    let (loaded, now, dates) = crate::pipeline::load_trains(&args.root, args.now.as_deref(), pick)
        .map_err(super::fatal)?;
    let with_repository = ships(&loaded.repo.process);
    let (mut repo, mut load_diags) = (loaded.repo, loaded.diagnostics);
    let tz = repo.process.timezone;
    let index = match &args.train {
        Some(id) => {
            super::find_train(&repo, id).map_err(|_| super::fatal(super::no_train(id, &dates)))?
        }
        None => super::pick_train(&repo, None, now).map_err(super::fatal)?,
    };

    // Where the send time goes, and what it holds now.
    let src = match mail::source(&repo.trains[index], kind) {
        Ok(src) => src,
        Err(NoSource::Missing(why)) => return Err(super::fatal(why)),
        Err(NoSource::Unreadable(file)) => {
            let mine: Vec<_> = load_diags
                .iter()
                .filter(|d| d.file == file)
                .cloned()
                .collect();
            return Err(refuse(&repo, mine, &format!("{file} cannot be read")));
        }
    };
    let field = Field {
        file: src.field.file.to_string(),
        name: src.field.name,
    };
    let recorded = src.recorded();
    if let (true, Some(at)) = (args.record, recorded) {
        return Err(super::fatal(format!(
            "{} already records {} as `{at}`; --record never overwrites a send time\n  help: send again without --record, or clear the field first",
            field.file, field.name
        )));
    }
    let date = src.recorded_at().unwrap_or_else(|| now.with_timezone(&tz));
    // The record with the send time written in (when none is recorded yet).
    let rewrite = match (recorded, repo.sources.get(&field.file)) {
        (Some(_), _) => None,
        (None, None) => return Err(super::fatal(format!("{} was not read", field.file))),
        (None, Some(original)) => {
            let local = date.format("%Y-%m-%d %H:%M").to_string();
            Some((
                original.clone(),
                record::rewrite(original, &src.field, &local),
            ))
        }
    };

    let mut rewritten = None;
    if let Some((original, result)) = rewrite {
        let text = match result {
            Ok(t) => t,
            Err(e) if args.record => {
                return Err(super::fatal(format!(
                    "cannot record the send time in {}: {e}\n  help: add `{}:` to the record yourself (a line of its own), then run again",
                    field.file, field.name
                )))
            }
            // Without --record, the record is checked as it is.
            Err(_) => original.clone(),
        };
        if let Err(d) =
            crate::load::replace_record(&mut repo, &mut load_diags, &field.file, text.clone())
        {
            return Err(refuse(
                &repo,
                vec![d],
                "the record would not parse once the send time is written",
            ));
        }
        rewritten = Some((original, text));
    }
    Ok(Prepared {
        repo,
        index,
        field,
        date,
        rewritten,
        with_repository,
        load_diags,
        now,
    })
}

/// Print the diagnostics that stop a message and return exit status 1.
fn refuse(repo: &ReleaseRepository, diagnostics: Vec<Diagnostic>, why: &str) -> ExitCode {
    let report = Report::new(diagnostics);
    let shown = render_human(&report, &repo.sources, 0, Style { color: false });
    eprint!("{shown}");
    eprintln!("trainyard: error: {why}");
    ExitCode::from(1)
}

/// Replace the record at `rel` with `text`, only if it still holds exactly
/// `original` (with its byte-order mark, if any, kept) and is a regular file
/// reached without links.
fn record_in_place(root: &Path, rel: &str, original: &str, text: &str) -> Result<(), String> {
    let dir = crate::sandbox::RepoDir::new(root).map_err(|e| e.to_string())?;
    let bytes = dir
        .read(rel, crate::sandbox::MAX_FILE_BYTES)
        .map_err(|e| format!("{e:?}"))?;
    let on_disk = String::from_utf8(bytes).map_err(|_| "it is no longer UTF-8".to_string())?;
    let (bom, body) = match on_disk.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", on_disk.as_str()),
    };
    if body != original {
        return Err("it changed since it was read".into());
    }
    crate::write::replace(&root.join(rel), format!("{bom}{text}").as_bytes(), true)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    #[cfg(unix)]
    #[test]
    fn a_link_planted_beside_the_record_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("victim");
        std::fs::write(&target, "keep me").unwrap();
        let record = dir.path().join("signoff.yaml");
        std::fs::write(&record, "old").unwrap();
        // Where the temporary file used to be (its name is tempfile's now,
        // chosen when it is created new).
        let planted = dir
            .path()
            .join(format!(".signoff.yaml.trainyard-{}", std::process::id()));
        std::os::unix::fs::symlink(&target, &planted).unwrap();
        crate::write::replace(&record, b"new", true).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
        assert_eq!(std::fs::read_to_string(&record).unwrap(), "new");
        assert!(
            std::fs::symlink_metadata(&planted).is_ok(),
            "not ours to remove"
        );
    }
}
