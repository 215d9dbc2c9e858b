//! Owners and who is on duty (issue 24, first part): a feature's owner owes
//! its hand-off, and the rotation names each train's release driver.

use crate::common::*;

#[test]
fn status_names_the_missing_hand_offs_owners_and_the_driver() {
    let f = Fixture::new();
    f.write(
        "process.yaml",
        "name: Test process\nrotation: { role: dev, order: [bob, alice], from: 2026-11-23 }\n",
    );
    let train = f.read(&t("train.yaml"));
    f.write(
        &t("train.yaml"),
        &format!("{train}  - {{ project: token-server, summary: Key rotation, owner: bob }}\n"),
    );
    f.remove(&t("signoff.yaml"));
    f.remove(&t("push.yaml"));
    f.check_with(&["--now", "2026-11-27 09:00"]).clean();
    let out = f
        .cmd()
        .args(["status", "--now", "2026-11-27 09:00"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Engineering (token-server: Bob Example) owes it"),
        "{text}"
    );
    // 2026-11-30 is the second push on or after 2026-11-23: alice drives.
    assert!(text.contains("Release driver: Alice Example"), "{text}");
    let site = f.path("site");
    f.build_site("2026-11-27 09:00", &site);
    let page = std::fs::read_to_string(site.join(format!("{T}/index.html"))).unwrap();
    assert!(page.contains("Release driver: Alice Example."), "{page}");
    // The people page shows the rotation and the next drivers.
    let people = std::fs::read_to_string(site.join("people/index.html")).unwrap();
    assert!(
        people.contains("a week each from 2026-11-23: Bob Example, Alice Example."),
        "{people}"
    );
    assert!(
        people
            .contains("<li>Mon 2026-11-30: Alice Example</li><li>Mon 2026-12-07: Bob Example</li>"),
        "{people}"
    );
    // The dashboard names the current train's driver too.
    let dashboard = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(
        dashboard.contains("Release driver: Alice Example."),
        "{dashboard}"
    );
    assert!(page.contains("(owner: Bob Example)"), "{page}");
    // The page's next step names the same owner `status` does.
    assert!(
        page.contains("Engineering (token-server: Bob Example) owes it"),
        "{page}"
    );

    // Someone who no longer holds the role is passed over.
    f.write(
        "people.yaml",
        &PEOPLE.replace(
            "email: alice@example.com, roles: [dev] }",
            "email: alice@example.com, roles: [dev], left: 2026-11-29 }",
        ),
    );
    let out = f
        .cmd()
        .args(["status", "--now", "2026-11-27 09:00"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Release driver: Bob Example"));
}

#[test]
fn an_owner_must_be_a_developer_and_the_rotation_people_of_the_roster() {
    let f = Fixture::new();
    f.write(
        "process.yaml",
        "name: Test process\nrotation: { role: dev, order: [bob, zed], from: 2026-11-23 }\n",
    );
    f.edit(
        &t("train.yaml"),
        "bugs: [1234567]",
        "bugs: [1234567]\n    owner: quinn",
    );
    let o = f.check();
    o.one("wrong-role", &t("train.yaml"), 6);
    let d = o.one("unknown-person", "process.yaml", 1);
    assert!(d.message.contains("`zed`"), "{d:?}");
}

#[test]
fn without_an_owner_the_roles_people_on_duty_owe_the_step() {
    let f = Fixture::new();
    f.remove(&t("handoffs/sync-server.yaml"));
    f.remove(&t("signoff.yaml"));
    f.remove(&t("push.yaml"));
    let status = |f: &Fixture| {
        let out = f
            .cmd()
            .args(["status", "--now", "2026-11-24 18:00"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let text = status(&f);
    assert!(
        text.contains("Engineering (sync-server: Alice Example, Bob Example) owes it"),
        "{text}"
    );
    // Who has left is no longer on duty.
    f.write(
        "people.yaml",
        &PEOPLE.replace(
            "email: bob@example.com,   roles: [dev] }",
            "email: bob@example.com,   roles: [dev], left: 2026-11-20 }",
        ),
    );
    let text = status(&f);
    assert!(
        text.contains("Engineering (sync-server: Alice Example) owes it"),
        "{text}"
    );
}
