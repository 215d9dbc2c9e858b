//! The rule reference documents every rule the program knows.

use trainyard::diagnostics::Rule;

#[test]
fn every_rule_has_a_section_in_the_rule_reference() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md")).unwrap();
    for rule in Rule::ALL {
        assert!(
            doc.contains(&format!("`{}`", rule.id())),
            "docs/rules.md lacks {rule}"
        );
    }
}

#[test]
fn the_readme_shows_the_two_commands() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let first_screen: String = readme.lines().take(25).collect::<Vec<_>>().join("\n");
    assert!(
        first_screen.contains("cargo run --release --"),
        "{first_screen}"
    );
    assert!(first_screen.contains("cargo test"), "{first_screen}");
}
