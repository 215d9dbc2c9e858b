use crate::common::*;

#[test]
fn the_fixture_repository_is_valid() {
    Fixture::new().check().clean();
}
