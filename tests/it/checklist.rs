//! The hand-off checklist is decided once: `check` and the release page
//! agree on every item, however the record is written.

use crate::common::*;

/// The `check-…` state the release page gives the item labelled `label`.
fn page_state(f: &Fixture, label: &str) -> String {
    let out = f.path("site");
    f.build_site(NOW, &out);
    let page = std::fs::read_to_string(out.join(format!("{T}/index.html"))).unwrap();
    let at = page
        .find(&format!("</span>{label} "))
        .unwrap_or_else(|| panic!("no item `{label}`"));
    let li = page[..at].rfind("<li class=\"check-").unwrap();
    page[li + 17..].split('"').next().unwrap().to_string()
}

#[test]
fn a_blank_security_document_is_missing_for_check_and_on_the_page() {
    let f = Fixture::new();
    assert_eq!(page_state(&f, "Security documentation"), "done");
    f.edit(
        &t("handoffs/sync-server.yaml"),
        "doc: https://wiki.example.com/Security/sync",
        "doc: \"  \"",
    );
    let o = f.check();
    let d = o.one("handoff-checklist", &t("handoffs/sync-server.yaml"), 7);
    assert!(d.message.contains("`doc` is missing"), "{d:?}");
    assert_eq!(page_state(&f, "Security documentation"), "missing");
}

#[test]
fn every_item_check_reports_is_unticked_on_the_page() {
    let cases = [
        ("tag: v1.14.2", "tag: \"\"", "Tag with the changes"),
        ("status: passing", "status: failing", "Green CI"),
        (
            "signed_off_by: sam",
            "signed_off_by: \"\"",
            "Security sign-off",
        ),
        (
            "to: [services-qa@example.com]",
            "to: [someone@example.com]",
            "E-mail to Test, cc Ops",
        ),
    ];
    for (from, to, label) in cases {
        let f = Fixture::new();
        f.write("process.yaml", "name: Test process\nroles:\n  test: { list: services-qa@example.com }\n  ops: { list: services-ops@example.com }\n");
        f.edit(&t("handoffs/sync-server.yaml"), from, to);
        let o = f.check();
        assert!(
            !o.of("handoff-checklist").is_empty(),
            "{to}: {:#?}",
            o.diags
        );
        assert_eq!(page_state(&f, label), "missing", "{to}");
    }
}

#[test]
fn the_sign_off_criteria_are_one_list_too() {
    let f = Fixture::new();
    assert_eq!(page_state(&f, "Load test signed off by Ops"), "done");
    f.edit(
        &t("signoff.yaml"),
        "signed_off_by: oscar",
        "signed_off_by: \"\"",
    );
    let o = f.check();
    assert!(
        o.of("signoff-criteria")
            .iter()
            .any(|d| d.message.contains("load test")),
        "{:#?}",
        o.diags
    );
    assert_eq!(page_state(&f, "Load test signed off by Ops"), "missing");
    let f = Fixture::new();
    f.edit(&t("signoff.yaml"), "regression: pass", "regression: fail");
    assert!(!f.check().of("signoff-criteria").is_empty());
    assert_eq!(page_state(&f, "QA regression tests pass"), "missing");
}
