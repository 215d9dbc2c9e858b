//! The messages `trainyard mail` writes, described for the process page.

use serde::Serialize;

/// One kind of message, as the process page lists them.
#[derive(Debug, Clone, Serialize)]
pub struct Described {
    pub name: &'static str,
    pub command: &'static str,
    /// When it is written and sent.
    pub when: &'static str,
    pub from: &'static str,
    pub to: String,
    pub subject: &'static str,
    /// The record field its send time is recorded in.
    pub recorded_in: &'static str,
}

/// Every message `trainyard mail` writes, with this process's lists.
pub fn catalogue(process: &crate::model::Process) -> Vec<Described> {
    let list = |role: &str| {
        process
            .role_list(role)
            .map(str::to_string)
            .unwrap_or_else(|| format!("the {role} list (not set)"))
    };
    let (test, ops) = (list("test"), list("ops"));
    vec![
        Described {
            name: "Hand-off",
            command: "trainyard mail handoff PROJECT",
            when: "when a deliverable is handed to Test, by the drop-to-test deadline",
            from: "the developer handing off",
            to: "the hand-off's notification to and cc (the test list, cc the ops list)".into(),
            subject: "[release DATE] Hand-off: PROJECT TAG",
            recorded_in: "handoffs/PROJECT.yaml notification.sent_at",
        },
        Described {
            name: "Staging notice",
            command: "trainyard mail staging-notice",
            when: "when staging is not stable during testing",
            from: "Service Ops, who wrote the notice",
            to: test.clone(),
            subject: "[release DATE] Staging notice: SUMMARY",
            recorded_in: "staging.yaml notices[].test_notified_at",
        },
        Described {
            name: "Test sign-off",
            command: "trainyard mail signoff",
            when: "when Test signs off, go or no-go, by the sign-off deadline",
            from: "the tester signing off",
            to: test.clone(),
            subject: "[release DATE] Test sign-off: go (or no-go)",
            recorded_in: "signoff.yaml notified_at",
        },
        Described {
            name: "Production push",
            command: "trainyard mail validation",
            when: "when Test has validated the push in production",
            from: "the tester validating",
            to: format!("{test}, cc {ops}"),
            subject: "[release DATE] Production push: success (or rolled back)",
            recorded_in: "push.yaml validation.notified_at",
        },
    ]
}
