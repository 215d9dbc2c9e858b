//! Values whose meaning is read from their text: times, dates and web
//! addresses, as records write them, and what they name once loading has
//! read them.
//!
//! A record's file shape (serde) keeps the text; `load` resolves every time,
//! date and URL once, after the process is known, times in the timezone that
//! judges the record. Every later stage reads the typed value: a value that
//! could not be read was reported once at load (`time-format`, `bad-url`)
//! and is absent here.

use super::values::HttpUrl;
use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer};

/// Text written in a record and, after loading, the value it names (`None`
/// when it cannot be read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written<T> {
    text: String,
    value: Option<T>,
}

/// A time in a record: `YYYY-MM-DD HH:MM` in the process timezone, or RFC
/// 3339 with an offset.
pub type RecordTime = Written<DateTime<Tz>>;

/// A calendar date in a record: `YYYY-MM-DD`.
pub type RecordDate = Written<NaiveDate>;

/// A web address in a record: an absolute http or https URL.
pub type RecordUrl = Written<HttpUrl>;

impl<T: Copy> Written<T> {
    /// The value, when the text could be read.
    pub fn get(&self) -> Option<T> {
        self.value
    }
}

impl<T> Written<T> {
    /// The value, when the text could be read.
    pub fn value(&self) -> Option<&T> {
        self.value.as_ref()
    }

    /// The text as written (for messages that quote it).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Record what the text names; only `load` reads the text.
    pub(crate) fn resolve(&mut self, value: Option<T>) {
        self.value = value;
    }

    /// Text as a file holds it, before load has read it.
    pub fn unread(text: impl Into<String>) -> Self {
        Written {
            text: text.into(),
            value: None,
        }
    }
}

impl<'de, T> Deserialize<'de> for Written<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Written {
            text: String::deserialize(d)?,
            value: None,
        })
    }
}

/// In a schema, a time or date is the string it is written as.
impl<T> schemars::JsonSchema for Written<T> {
    fn inline_schema() -> bool {
        String::inline_schema()
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        String::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        String::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }
}
