//! Values that remember where they were written.

use serde::{Deserialize, Deserializer};
use std::ops::Deref;

pub use crate::diagnostics::Pos;

/// A value together with the position it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub pos: Pos,
}

impl<T> Spanned<T> {
    pub fn new(value: T, pos: Pos) -> Self {
        Spanned { value, pos }
    }

    /// A value that did not come from a file (a default).
    pub fn unplaced(value: T) -> Self {
        Spanned {
            value,
            pos: Pos::default(),
        }
    }
}

impl<T> Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

fn clamp(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A value and where it was written, from serde-saphyr's own record of
/// positions (`serde_saphyr::Spanned`).
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = serde_saphyr::Spanned::<T>::deserialize(d)?;
        let loc = s.referenced;
        Ok(Spanned {
            value: s.value,
            pos: Pos {
                line: clamp(loc.line()),
                col: clamp(loc.column()),
                len: clamp(loc.span().len()).max(1),
            },
        })
    }
}

/// In a schema a positioned value is just the value.
impl<T: schemars::JsonSchema> schemars::JsonSchema for Spanned<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}
