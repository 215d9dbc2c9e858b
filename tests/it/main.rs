//! trainyard's integration tests, in one binary: each module drives the real
//! `trainyard` on repositories it builds (fixtures, Git repositories, service
//! clones) and talks to real components (aiosmtpd for mail, a local HTTP
//! server for the action's downloads). One binary links libgit2, tera and
//! lettre once instead of once per file.
//!
//! Run one area with a filter: `cargo test --test it fuzz::`.

mod common;

mod action;
mod architecture;
mod checklist;
mod cli;
mod docs;
mod dst;
mod fixture_is_valid;
mod fuzz;
mod gate;
mod history;
mod init;
mod irregular;
mod mail;
mod malformed;
mod model;
mod new;
mod notify;
mod owners;
mod repositories;
mod rules;
mod schedule_props;
mod serve;
mod site;
mod snapshots;
mod status;
mod strangers;
mod team;
mod untrusted;
mod versions;
