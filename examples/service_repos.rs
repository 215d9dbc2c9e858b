//! Make the example record's service repositories: `services/sync-server` and
//! `services/token-server`, the clones process.yaml names, so the example
//! site shows what each train ships.
//!
//! ```sh
//! cargo run --example service_repos        # then: cargo run --release -- build
//! ```
//!
//! Each repository gets a first commit tagged with the project's `baseline`,
//! then, for every train with a hand-off of the project, one commit per bug
//! the train lists for it ("… (bug N)") and one without a bug, dated before
//! the hand-off, tagged with the hand-off's tag. One commit of sync-server
//! names a bug its train does not list, so `bug-mismatch` has something to
//! say. The same records always give the same commits (fixed dates and
//! authors). Existing folders are replaced.

use git2::{Oid, Repository as GitRepository, Signature, Time};
use std::path::Path;
use trainyard::model::Bug;

fn main() {
    let root = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let root = Path::new(&root);
    let loaded = trainyard::load::load(root).expect("a release repository");
    let repo = &loaded.repo;
    let tz = repo.process.timezone;
    for (name, spec) in &repo.process.projects {
        let Some(path) = &spec.repository else {
            continue;
        };
        let dir = root.join(&path.value);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).expect("remove the old clone");
        }
        let git = GitRepository::init_opts(
            &dir,
            git2::RepositoryInitOptions::new().initial_head("main"),
        )
        .expect("git init");
        let baseline = spec
            .baseline
            .as_ref()
            .map_or("v0.0.0", |b| b.value.as_str());
        let first = repo.trains.first().map(|t| t.date).expect("a train");
        let start = trainyard::schedule::time::at(
            tz,
            first - chrono::Duration::days(30),
            chrono::NaiveTime::MIN,
        )
        .expect("a real time")
        .timestamp();
        let mut parent = commit(&git, None, "Import the service", "Dana Whitfield", start);
        tag(&git, parent, baseline, start);
        for t in &repo.trains {
            let Some(h) = t.handoffs.iter().find(|h| h.data.project.value == *name) else {
                continue;
            };
            let at = h
                .data
                .at
                .value
                .get()
                .expect("a valid hand-off time")
                .timestamp();
            let bugs: Vec<u64> = t
                .train
                .iter()
                .flat_map(|d| d.data.features.iter())
                .filter(|f| f.project.value == *name)
                .flat_map(|f| f.bugs.iter())
                .filter_map(|b| match b.value {
                    Bug::Number(n) => Some(n),
                    Bug::Text(_) => None,
                })
                .collect();
            let mut when = at - 3 * 86_400;
            let summary = t
                .train
                .iter()
                .flat_map(|d| d.data.features.iter())
                .find(|f| f.project.value == *name)
                .map_or("Maintenance", |f| f.summary.value.as_str());
            for (i, b) in bugs.iter().enumerate() {
                let who = ["Dana Whitfield", "Ravi Menon", "Ines Duarte"][i % 3];
                parent = commit(
                    &git,
                    Some(parent),
                    &format!("{summary}, part {} (bug {b})", i + 1),
                    who,
                    when,
                );
                when += 3_600;
            }
            parent = commit(
                &git,
                Some(parent),
                "Tidy logging and tests",
                "Ravi Menon",
                when,
            );
            if name == "sync-server" && t.id() == "2026-11-30" {
                parent = commit(
                    &git,
                    Some(parent),
                    "Hotfix for quota rounding (bug 1235999)",
                    "Ines Duarte",
                    when + 600,
                );
            }
            tag(&git, parent, &h.data.tag.value, at - 600);
        }
        // A work tree that matches HEAD.
        git.checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
            .expect("check out");
        println!("made {} ({})", dir.display(), name);
    }
}

fn sig(name: &str, at: i64) -> Signature<'static> {
    let email = format!(
        "{}@example.com",
        name.split(' ').next().unwrap_or("dev").to_lowercase()
    );
    Signature::new(name, &email, &Time::new(at, -8 * 60)).expect("a signature")
}

fn commit(git: &GitRepository, parent: Option<Oid>, message: &str, who: &str, at: i64) -> Oid {
    let mut index = git.index().expect("index");
    let file = git.workdir().expect("a work tree").join("CHANGES.txt");
    let mut text = std::fs::read_to_string(&file).unwrap_or_default();
    text.push_str(message);
    text.push('\n');
    std::fs::write(&file, text).expect("write");
    index.add_path(Path::new("CHANGES.txt")).expect("add");
    index.write().expect("index");
    let tree = git
        .find_tree(index.write_tree().expect("tree"))
        .expect("tree");
    let parents: Vec<git2::Commit> = parent
        .map(|p| git.find_commit(p).expect("parent"))
        .into_iter()
        .collect();
    let refs: Vec<&git2::Commit> = parents.iter().collect();
    let s = sig(who, at);
    git.commit(Some("HEAD"), &s, &s, message, &tree, &refs)
        .expect("commit")
}

fn tag(git: &GitRepository, at: Oid, name: &str, when: i64) {
    let object = git.find_object(at, None).expect("commit");
    git.tag(
        name,
        &object,
        &sig("Dana Whitfield", when),
        &format!("Release {name}"),
        true,
    )
    .expect("tag");
}
