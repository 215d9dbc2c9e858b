//! Synthetic release repositories of any length, for benchmarks and tests.
//!
//! `write_repository(dir, years)` writes a valid repository of `years × 52`
//! weekly trains (about six files each, sized like real records), a planning
//! record per month and a question log. The content is deterministic.

use chrono::{Datelike, Duration, NaiveDate};
use std::fmt::Write as _;
use std::io;
use std::path::Path;

const PROJECTS: &[&str] = &[
    "sync-server",
    "token-server",
    "notify-push",
    "account-api",
    "profile-store",
];
const DEVS: &[&str] = &["dana", "raj", "mei"];
const TESTERS: &[&str] = &["quinn", "tess"];
const OPS: &[&str] = &["oscar", "priya"];

/// A small deterministic pseudo-random sequence (no dependency needed).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

fn write(root: &Path, rel: &str, text: &str) -> io::Result<()> {
    let p = root.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(p, text)
}

/// The first push date of a synthetic repository.
pub fn first_push() -> NaiveDate {
    // Invariant: a constant, valid date (a Monday).
    NaiveDate::from_ymd_opt(2000, 1, 3).expect("valid date")
}

/// Write a repository of `years` years of weekly trains under `root`.
pub fn write_repository(root: &Path, years: u32) -> io::Result<()> {
    write(
        root,
        "process.yaml",
        "name: Synthetic process\ntimezone: America/Los_Angeles\n",
    )?;
    let mut people = String::from("people:\n");
    for (roles, list) in [
        ("dev", DEVS),
        ("test", TESTERS),
        ("ops", OPS),
        ("security", &["sam"][..]),
    ] {
        for h in list {
            let _ = writeln!(people, "  - {{ handle: {h}, name: {h} Example, email: {h}@example.com, roles: [{roles}] }}");
        }
    }
    write(root, "people.yaml", &people)?;

    let mut rng = Lcg(42);
    let weeks = years * 52;
    let mut tags = [1u32; 5];
    for w in 0..weeks {
        let push = first_push() + Duration::weeks(i64::from(w));
        let tue = push - Duration::days(6);
        let fri = push - Duration::days(3);
        let dir = format!("releases/{push}");
        let n = 1 + rng.next(2) as usize;
        let start = rng.next(PROJECTS.len() as u64) as usize;
        let feats: Vec<&str> = (0..n)
            .map(|i| PROJECTS[(start + i) % PROJECTS.len()])
            .collect();

        let mut train = format!("planned_at: {tue}\nfeatures:\n");
        for f in &feats {
            let _ = write!(
                train,
                "  - project: {f}\n    summary: Improve {f} throughput and error reporting for week {w}\n    bugs: [{}, {}]\n",
                1_000_000 + rng.next(900_000),
                1_000_000 + rng.next(900_000)
            );
        }
        write(root, &format!("{dir}/train.yaml"), &train)?;

        for (i, f) in feats.iter().enumerate() {
            let idx = PROJECTS.iter().position(|p| p == f).unwrap_or(0);
            tags[idx] += 1;
            let dev = DEVS[(w as usize + i) % DEVS.len()];
            let security = if rng.next(3) == 0 {
                format!("{{ required: true, doc: https://wiki.example.com/Security/{f}/{w}, signed_off_by: sam }}")
            } else {
                "{ required: false }".to_string()
            };
            let minute = 10 + 10 * i;
            let text = format!(
                "project: {f}\nby: {dev}\nat: {tue} 15:{minute:02}\ntag: v1.{}.0\n\
                 ci: {{ url: https://ci.example.com/job/{f}/{w}/, status: passing }}\n\
                 test_plan: https://wiki.example.com/QA/{f}-{w}\nsecurity: {security}\n\
                 deploy_bugs: [{}]\nstaging: {{ url: https://{f}.stage.example.com, database: {f}-stage-db }}\n\
                 notification:\n  sent_at: {tue} 15:{:02}\n  to: [services-qa@example.com]\n  cc: [services-ops@example.com]\n",
                tags[idx],
                2_000_000 + rng.next(900_000),
                minute + 5
            );
            write(root, &format!("{dir}/handoffs/{f}.yaml"), &text)?;
        }
        let ops = OPS[w as usize % 2];
        let other_ops = OPS[(w as usize + 1) % 2];
        let tester = TESTERS[w as usize % 2];
        let validator = TESTERS[(w as usize + 1) % 2];
        write(
            root,
            &format!("{dir}/staging.yaml"),
            &format!("pushed_by: {ops}\npushed_at: {tue} 18:05\n"),
        )?;
        write(
            root,
            &format!("{dir}/signoff.yaml"),
            &format!(
                "by: {tester}\nat: {fri} 15:30\ndecision: go\nregression: pass\ncross_environment: pass\ntest_plan: pass\n\
                 load_test: {{ required: true, signed_off_by: {other_ops}, environment: stage }}\n\
                 notified_at: {fri} 15:40\nresults: https://wiki.example.com/QA/results/{push}\n"
            ),
        )?;
        let devs: Vec<&str> = (0..feats.len())
            .map(|i| DEVS[(w as usize + i) % DEVS.len()])
            .collect();
        write(
            root,
            &format!("{dir}/push.yaml"),
            &format!(
                "pushed_by: {ops}\nstarted_at: {push} 15:05\nfinished_at: {push} 16:10\n\
                 present: {{ dev: [{}], test: [{validator}], ops: [{ops}] }}\n\
                 validation:\n  by: {validator}\n  at: {push} 16:30\n  outcome: success\n  notified_at: {push} 16:35\n",
                devs.join(", ")
            ),
        )?;
    }

    // One planning record per month, on its first Thursday.
    let last = first_push() + Duration::weeks(i64::from(weeks));
    let mut month = NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid date");
    while month <= last {
        if let Some(day) = NaiveDate::from_weekday_of_month_opt(
            month.year(),
            month.month(),
            chrono::Weekday::Thu,
            1,
        ) {
            write(
                root,
                &format!("planning/{}.yaml", month.format("%Y-%m")),
                &format!("date: {day}\nattendees: [sam, oscar, dana]\nnotes: Capacity review for the month.\n"),
            )?;
        }
        month = month
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(last + Duration::days(1));
    }
    for q in 1..=20 {
        write(
            root,
            &format!("questions/{q:04}-question-{q}.md"),
            &format!("---\ntitle: Question {q}\nasked_by: oscar\nasked_at: 2000-01-{:02}\nstatus: open\n---\nWhat about case {q}?\n", q % 28 + 1),
        )?;
    }
    Ok(())
}

/// Give a repository written by [`write_repository`] a history of change:
/// `versions` versions of the process (`versions - 1` kept in `process/`,
/// evenly spread over the `years`, each with the same settings so every
/// record stays valid), and a roster of `people` people whose roles are held
/// in periods (the record makers' roles split at each version's date).
pub fn write_changes(root: &Path, years: u32, versions: u32, people: u32) -> io::Result<()> {
    let weeks = i64::from(years * 52);
    let step = weeks / i64::from(versions.max(1));
    let since = |v: i64| first_push() + Duration::weeks(v * step);
    for v in 0..i64::from(versions.saturating_sub(1)) {
        write(
            root,
            &format!("process/{}.yaml", since(v)),
            &format!(
                "change:\n  summary: Version {v}\ntimezone: America/Los_Angeles\nend_of_business: \"17:00\"\nrules:\n  future-event: error\n"
            ),
        )?;
    }
    let last = since(i64::from(versions.saturating_sub(1)));
    let mut process = String::from("name: Synthetic process\n");
    if versions > 1 {
        let _ = writeln!(
            process,
            "since: {last}\nchange:\n  summary: The current version"
        );
    }
    process.push_str("timezone: America/Los_Angeles\n");
    write(root, "process.yaml", &process)?;

    let mut out = String::from("people:\n");
    let mut written = 0;
    for (role, list) in [
        ("dev", DEVS),
        ("test", TESTERS),
        ("ops", OPS),
        ("security", &["sam"][..]),
    ] {
        for h in list {
            // The same role in one period per version, back to back.
            let periods: Vec<String> = (0..i64::from(versions.max(1)))
                .map(|v| {
                    // The first period starts with the team, before the first train's planning.
                    let from = if v == 0 {
                        first_push() - Duration::days(30)
                    } else {
                        since(v) - Duration::days(7)
                    };
                    if v + 1 == i64::from(versions.max(1)) {
                        format!("{{ role: {role}, from: {from} }}")
                    } else {
                        let until = since(v + 1) - Duration::days(8);
                        format!("{{ role: {role}, from: {from}, until: {until} }}")
                    }
                })
                .collect();
            let _ = writeln!(
                out,
                "  - {{ handle: {h}, name: {h} Example, email: {h}@example.com, emails: [{h}@old.example.com], joined: {}, roles: [{}] }}",
                first_push() - Duration::days(30),
                periods.join(", ")
            );
            written += 1;
        }
    }
    // Others who came and went.
    for i in written..people {
        let joined = since(i64::from(i) % i64::from(versions.max(1)));
        let left = joined + Duration::days(180);
        let _ = writeln!(
            out,
            "  - {{ handle: p{i}, name: Person {i}, email: p{i}@example.com, joined: {joined}, left: {left}, roles: [{{ role: dev, from: {joined}, until: {left} }}] }}"
        );
    }
    write(root, "people.yaml", &out)
}
