//! trainyard: a weekly server release process kept as code.
//!
//! Data flows one way: [`load`] reads a release repository into the typed
//! [`model`]; [`repositories`] looks each hand-off's tag up in its service
//! repository; [`rules`] check it all against the [`schedule`] and produce
//! [`diagnostics`]; the command line ([`cli`]) renders them, builds the
//! [`site`], or acts on them: [`mail`] writes and sends the process's
//! e-mails, [`gate`] tells a deploy pipeline whether a push may start.

pub mod checklist;
pub mod cli;
pub mod diagnostics;
pub mod gate;
pub mod git;
pub mod load;
pub mod mail;
pub mod model;
pub mod notify;
pub mod pipeline;
pub mod repositories;
pub mod rules;
pub mod sandbox;
pub mod scaffold;
pub mod schedule;
pub mod schema;
pub mod site;
pub mod synth;
pub mod tracking;
pub mod write;
