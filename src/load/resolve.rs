//! The resolve step: once the process is known, every time, date and web
//! address written in a record is read, once, times in the timezone that
//! judges their train. A value that cannot be read is one diagnostic here
//! (`time-format`, `bad-url`), and absent in the model; no later stage reads
//! the text again.

use crate::diagnostics::{Diagnostic, Rule};
use crate::model::values::HttpUrl;
use crate::model::{
    people::RoleHeld, Handoff, Person, Planning, Push, Question, RecordDate, RecordTime, RecordUrl,
    ReleaseRepository, Signoff, Spanned, Staging, Train, TrainFile,
};
use crate::schedule::time::{parse_date, parse_time};
use chrono_tz::Tz;

/// Reads the times, dates and web addresses of one file.
pub struct Resolver<'a> {
    tz: Tz,
    file: &'a str,
    out: &'a mut Vec<Diagnostic>,
}

impl Resolver<'_> {
    fn time(&mut self, t: &mut Spanned<RecordTime>) {
        let read = parse_time(t.value.text(), self.tz);
        if let Err(e) = &read {
            self.out
                .push(e.diagnostic(self.file, t.pos, t.value.text()));
        }
        t.value.resolve(read.ok());
    }

    fn date(&mut self, d: &mut Spanned<RecordDate>) {
        let read = parse_date(d.value.text());
        if let Err(e) = &read {
            self.out
                .push(e.diagnostic(self.file, d.pos, d.value.text()));
        }
        d.value.resolve(read.ok());
    }

    fn url(&mut self, u: &mut Spanned<RecordUrl>) {
        let read = HttpUrl::parse(u.value.text());
        if read.is_none() {
            self.out.push(
                Diagnostic::new(
                    Rule::BadUrl,
                    self.file,
                    u.pos,
                    format!("`{}` is not an absolute http or https URL", u.value.text()),
                )
                .help("write the full address, e.g. https://wiki.example.com/QA/plan"),
            );
        }
        u.value.resolve(read);
    }

    fn maybe_time(&mut self, t: &mut Option<Spanned<RecordTime>>) {
        if let Some(t) = t {
            self.time(t);
        }
    }
}

/// A record whose times and dates the resolve step reads.
pub trait Resolve {
    fn resolve(&mut self, r: &mut Resolver<'_>);
}

impl Resolve for TrainFile {
    fn resolve(&mut self, r: &mut Resolver<'_>) {
        r.date(&mut self.planned_at);
    }
}

impl Resolve for Handoff {
    fn resolve(&mut self, r: &mut Resolver<'_>) {
        r.time(&mut self.at);
        r.url(&mut self.ci.value.url);
        r.url(&mut self.test_plan);
        if let Some(doc) = &mut self.security.value.doc {
            r.url(doc);
        }
        r.url(&mut self.staging.value.url);
        if let Some(n) = &mut self.notification {
            r.maybe_time(&mut n.value.sent_at);
        }
    }
}

impl Resolve for Staging {
    fn resolve(&mut self, r: &mut Resolver<'_>) {
        r.time(&mut self.pushed_at);
        for n in &mut self.notices {
            r.time(&mut n.at);
            r.maybe_time(&mut n.test_notified_at);
        }
    }
}

impl Resolve for Signoff {
    fn resolve(&mut self, r: &mut Resolver<'_>) {
        r.time(&mut self.at);
        r.maybe_time(&mut self.notified_at);
        if let Some(results) = &mut self.results {
            r.url(results);
        }
    }
}

impl Resolve for Push {
    fn resolve(&mut self, r: &mut Resolver<'_>) {
        r.time(&mut self.started_at);
        r.time(&mut self.finished_at);
        if let Some(v) = &mut self.validation {
            r.maybe_time(&mut v.value.at);
            r.maybe_time(&mut v.value.notified_at);
            r.maybe_time(&mut v.value.rolled_back_at);
        }
    }
}

impl Resolve for Planning {
    fn resolve(&mut self, r: &mut Resolver<'_>) {
        r.date(&mut self.date);
        for t in &mut self.trains {
            r.date(t);
        }
    }
}

impl Resolve for Person {
    fn resolve(&mut self, r: &mut Resolver<'_>) {
        for d in [&mut self.joined, &mut self.left].into_iter().flatten() {
            r.date(d);
        }
        for held in self.roles.value.iter_mut() {
            if let RoleHeld::Period(p) = &mut held.value {
                for d in [&mut p.from, &mut p.until].into_iter().flatten() {
                    r.date(d);
                }
            }
        }
    }
}

impl Resolve for Question {
    fn resolve(&mut self, r: &mut Resolver<'_>) {
        r.date(&mut self.asked_at);
        if let Some(a) = &mut self.answered_at {
            r.date(a);
        }
    }
}

/// Read one record's times in `tz`, reporting what cannot be read to `out`.
pub fn record<T: Resolve>(data: &mut T, file: &str, tz: Tz, out: &mut Vec<Diagnostic>) {
    data.resolve(&mut Resolver { tz, file, out });
}

/// Read every record of one train, in the timezone that judges it.
pub fn train(t: &mut Train, tz: Tz, out: &mut Vec<Diagnostic>) {
    if let Some(d) = &mut t.train {
        record(&mut d.data, &d.path, tz, out);
    }
    for d in &mut t.handoffs {
        record(&mut d.data, &d.path, tz, out);
    }
    if let Some(d) = &mut t.staging {
        record(&mut d.data, &d.path, tz, out);
    }
    if let Some(d) = &mut t.signoff {
        record(&mut d.data, &d.path, tz, out);
    }
    for (_, d) in &mut t.earlier_rounds {
        record(&mut d.data, &d.path, tz, out);
    }
    if let Some(d) = &mut t.push {
        record(&mut d.data, &d.path, tz, out);
    }
}

/// Read every time and date of the repository's records.
pub fn repository(repo: &mut ReleaseRepository, out: &mut Vec<Diagnostic>) {
    let zones: Vec<Tz> = repo
        .trains
        .iter()
        .map(|t| repo.process_for(t.date).timezone)
        .collect();
    for (t, tz) in repo.trains.iter_mut().zip(zones) {
        train(t, tz, out);
    }
    let tz = repo.process.timezone;
    for p in &mut repo.people.list {
        record(p, "people.yaml", tz, out);
    }
    for p in &mut repo.planning {
        record(&mut p.doc.data, &p.doc.path, tz, out);
    }
    for q in &mut repo.questions {
        record(&mut q.doc.data, &q.doc.path, tz, out);
    }
}
