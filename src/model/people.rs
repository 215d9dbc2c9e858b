//! people.yaml: the roster, and how it changed over time.
//!
//! A person holds roles for periods (`{ role, from?, until? }`, dates
//! inclusive) inside the time they were on the team (`joined`, `left`); a
//! record is judged by the roles held on its own date, and everything that
//! acts now by today's.

use super::{RecordDate, Spanned};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer};

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
    /// Other addresses this person's commits use.
    #[serde(default)]
    pub emails: Vec<Spanned<String>>,
    /// Role ids held all along, or periods `{ role, from?, until? }`.
    pub roles: Spanned<Vec<Spanned<RoleHeld>>>,
    /// GitHub user name: routes reviews, and matches GitHub's no-reply
    /// commit addresses (optional).
    #[serde(default)]
    pub github: Option<Spanned<String>>,
    /// The first day on the team (optional).
    #[serde(default)]
    pub joined: Option<Spanned<RecordDate>>,
    /// The last day on the team (optional): no role is held after it.
    #[serde(default)]
    pub left: Option<Spanned<RecordDate>>,
}

/// One entry of `roles`: a role id held all along, or held for a period.
#[derive(Debug, Clone, JsonSchema)]
#[serde(untagged)]
pub enum RoleHeld {
    Always(String),
    Period(RolePeriod),
}

/// A role held from one day to another, both inclusive (either open).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RolePeriod {
    pub role: Spanned<String>,
    #[serde(default)]
    pub from: Option<Spanned<RecordDate>>,
    #[serde(default)]
    pub until: Option<Spanned<RecordDate>>,
}

/// Read from the node itself: a scalar is a role id, a mapping a period
/// (an untagged enum would buffer the node and lose the positions inside).
impl<'de> Deserialize<'de> for RoleHeld {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RoleHeld;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a role id, or { role, from, until }")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<RoleHeld, E> {
                Ok(RoleHeld::Always(s.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<RoleHeld, A::Error> {
                RolePeriod::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(RoleHeld::Period)
            }
        }
        d.deserialize_any(V)
    }
}

impl RoleHeld {
    /// The role id.
    pub fn role(&self) -> &str {
        match self {
            RoleHeld::Always(r) => r,
            RoleHeld::Period(p) => &p.role.value,
        }
    }

    /// The first and last day it is held (`None`: open on that side, or a
    /// date load could not read).
    pub fn bounds(&self) -> (Option<NaiveDate>, Option<NaiveDate>) {
        match self {
            RoleHeld::Always(_) => (None, None),
            RoleHeld::Period(p) => (
                p.from.as_ref().and_then(|d| d.value.get()),
                p.until.as_ref().and_then(|d| d.value.get()),
            ),
        }
    }
}

/// When a role is asked about: on one day, or at any time at all (a record
/// whose own time could not be read is not judged twice).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum On {
    Day(NaiveDate),
    AnyDay,
}

impl On {
    /// The day of a record's time (its local date, in the timezone load read
    /// it in); any day when it could not be read.
    pub fn time(t: Option<chrono::DateTime<chrono_tz::Tz>>) -> On {
        t.map_or(On::AnyDay, |t| On::Day(t.date_naive()))
    }

    /// A record's date; any day when it could not be read.
    pub fn date(d: Option<NaiveDate>) -> On {
        d.map_or(On::AnyDay, On::Day)
    }

    /// The time a written time names.
    pub fn written(t: &Spanned<super::RecordTime>) -> On {
        On::time(t.value.get())
    }
}

impl Person {
    /// The first and last day on the team.
    pub fn tenure(&self) -> (Option<NaiveDate>, Option<NaiveDate>) {
        (
            self.joined.as_ref().and_then(|d| d.value.get()),
            self.left.as_ref().and_then(|d| d.value.get()),
        )
    }

    /// Whether their roles changed over time (a role period, `joined` or
    /// `left`): what they held is then worth saying with its day.
    pub fn has_periods(&self) -> bool {
        self.joined.is_some()
            || self.left.is_some()
            || self
                .roles
                .iter()
                .any(|r| matches!(r.value, RoleHeld::Period(_)))
    }

    /// Whether they were on the team on `day`.
    pub fn on_team(&self, day: NaiveDate) -> bool {
        let (joined, left) = self.tenure();
        joined.is_none_or(|j| day >= j) && left.is_none_or(|l| day <= l)
    }

    /// Whether they hold `role` on `on`.
    pub fn holds(&self, role: &str, on: On) -> bool {
        self.roles.iter().any(|r| {
            r.value.role() == role
                && match on {
                    On::AnyDay => true,
                    On::Day(day) => {
                        let (from, until) = r.value.bounds();
                        self.on_team(day)
                            && from.is_none_or(|f| day >= f)
                            && until.is_none_or(|u| day <= u)
                    }
                }
        })
    }

    /// The roles they hold on `on`, in the order written.
    pub fn roles_on(&self, on: On) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for r in self.roles.iter() {
            let id = r.value.role();
            if !out.contains(&id) && self.holds(id, on) {
                out.push(id);
            }
        }
        out
    }

    /// Whether they have left the team by `today`.
    pub fn has_left(&self, today: NaiveDate) -> bool {
        self.tenure().1.is_some_and(|l| today > l)
    }

    /// Whether `email` is one of theirs: `email`, `emails`, or with `github`
    /// set, GitHub's no-reply forms (`LOGIN@` and `ID+LOGIN@users.noreply.github.com`).
    pub fn commits_as(&self, email: &str) -> bool {
        let email = email.trim();
        let same = |e: &Spanned<String>| e.value.trim().eq_ignore_ascii_case(email);
        if same(&self.email) || self.emails.iter().any(same) {
            return true;
        }
        let Some(login) = self.github.as_ref().map(|g| g.value.trim()) else {
            return false;
        };
        let Some(local) = email
            .rsplit_once('@')
            .filter(|(_, domain)| domain.eq_ignore_ascii_case("users.noreply.github.com"))
            .map(|(local, _)| local)
        else {
            return false;
        };
        let named = match local.split_once('+') {
            Some((id, name)) if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) => name,
            Some(_) => return false,
            None => local,
        };
        !login.starts_with('@') && named.eq_ignore_ascii_case(login)
    }
}

/// The roster with look-ups by handle.
#[derive(Debug, Clone, Default)]
pub struct People {
    pub list: Vec<Person>,
    /// Whether people.yaml could not be read: the records are then not
    /// judged against an empty roster (one mistake, one diagnostic).
    pub unreadable: bool,
}

impl People {
    pub fn get(&self, handle: &str) -> Option<&Person> {
        self.list.iter().find(|p| p.handle.value == handle)
    }

    /// The person who commits with `email` (case-insensitive), as git history
    /// names them (see [`Person::commits_as`]).
    pub fn by_email(&self, email: &str) -> Option<&Person> {
        self.list.iter().find(|p| p.commits_as(email))
    }

    pub fn handles(&self) -> impl Iterator<Item = &str> + Clone {
        self.list.iter().map(|p| p.handle.value.as_str())
    }

    /// Everyone holding `role` on `on`.
    pub fn with_role<'a>(&'a self, role: &'a str, on: On) -> impl Iterator<Item = &'a Person> + 'a {
        self.list.iter().filter(move |p| p.holds(role, on))
    }
}
