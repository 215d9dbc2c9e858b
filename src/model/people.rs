//! people.yaml: the roster.

use super::Spanned;
use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PeopleFile {
    pub people: Vec<Person>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub handle: Spanned<String>,
    pub name: Spanned<String>,
    pub email: Spanned<String>,
    pub roles: Spanned<Vec<Spanned<String>>>,
    /// GitHub user name, used to route reviews (optional).
    #[serde(default)]
    pub github: Option<Spanned<String>>,
}

impl Person {
    pub fn has_role(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r.value == role)
    }
}

/// The roster with look-ups by handle.
#[derive(Debug, Clone, Default)]
pub struct People {
    pub list: Vec<Person>,
}

impl People {
    pub fn get(&self, handle: &str) -> Option<&Person> {
        self.list.iter().find(|p| p.handle.value == handle)
    }

    /// The person who commits with `email` (case-insensitive), as git history names them.
    pub fn by_email(&self, email: &str) -> Option<&Person> {
        let email = email.trim();
        self.list
            .iter()
            .find(|p| p.email.value.trim().eq_ignore_ascii_case(email))
    }

    pub fn handles(&self) -> impl Iterator<Item = &str> + Clone {
        self.list.iter().map(|p| p.handle.value.as_str())
    }

    pub fn with_role<'a>(&'a self, role: &'a str) -> impl Iterator<Item = &'a Person> + 'a {
        self.list.iter().filter(move |p| p.has_role(role))
    }
}
