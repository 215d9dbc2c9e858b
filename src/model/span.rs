//! Values that remember where they were written.

use serde::de::{SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::ops::Deref;

pub use crate::diagnostics::Pos;

/// A value together with the position it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sp<T> {
    pub value: T,
    pub pos: Pos,
}

impl<T> Sp<T> {
    pub fn new(value: T, pos: Pos) -> Self {
        Sp { value, pos }
    }

    /// A value that did not come from a file (a default).
    pub fn unplaced(value: T) -> Self {
        Sp {
            value,
            pos: Pos::default(),
        }
    }
}

impl<T> Deref for Sp<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

fn clamp(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The name under which [`Sp`] asks a deserializer for a value's position.
///
/// serde-saphyr does not know it and hands over its own deserializer, which
/// then gives the position through `serde_saphyr::Spanned`; trainyard's quick
/// record reader (`load::yaml`) answers with a sequence: line, column, length,
/// value.
pub(crate) const SPAN_MARKER: &str = "__trainyard_span";

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sp<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_newtype_struct(SPAN_MARKER, SpVisitor(std::marker::PhantomData))
    }
}

struct SpVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for SpVisitor<T> {
    type Value = Sp<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a value")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Sp<T>, D::Error> {
        let s = serde_saphyr::Spanned::<T>::deserialize(d)?;
        let loc = s.referenced;
        Ok(Sp {
            value: s.value,
            pos: Pos {
                line: clamp(loc.line()),
                col: clamp(loc.column()),
                len: clamp(loc.span().len()).max(1),
            },
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Sp<T>, A::Error> {
        let missing =
            || serde::de::Error::custom("a position needs line, column, length and value");
        let line: u32 = seq.next_element()?.ok_or_else(missing)?;
        let col: u32 = seq.next_element()?.ok_or_else(missing)?;
        let len: u32 = seq.next_element()?.ok_or_else(missing)?;
        let value: T = seq.next_element()?.ok_or_else(missing)?;
        Ok(Sp {
            value,
            pos: Pos {
                line,
                col,
                len: len.max(1),
            },
        })
    }
}

/// In a schema a positioned value is just the value.
impl<T: schemars::JsonSchema> schemars::JsonSchema for Sp<T> {
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
