//! Records from the nodes of [`super::subset`], through serde.
//!
//! The derived `Deserialize` impls of the model drive this deserializer as they
//! drive serde-saphyr's. It accepts a value only where serde-saphyr would read
//! the same value: text from plain or quoted scalars (not from the null
//! spellings), `true`/`false`, plain decimal numbers, enum variants by name.
//! Anything else is a [`Reject`], and the file goes to serde-saphyr, which
//! reads it or explains what is wrong.

use super::subset::{At, Node};
use crate::model::SPAN_MARKER;
use serde::de::value::{StrDeserializer, U32Deserializer};
use serde::de::{self, DeserializeSeed, Visitor};

/// This shape is not for the fast path; serde-saphyr decides.
#[derive(Debug)]
pub(super) struct Reject;

impl std::fmt::Display for Reject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not in the subset this reader handles")
    }
}

impl std::error::Error for Reject {}

impl de::Error for Reject {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Reject
    }
}

pub(super) struct De<'n, 'a>(pub &'n Node<'a>);

/// `Deserializer` methods that always give up.
macro_rules! reject {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Reject> {
                Err(Reject)
            }
        )*
    };
}

/// The spellings of null that serde-saphyr will not read as text.
fn is_null(s: &str) -> bool {
    matches!(s, "~" | "null" | "Null" | "NULL")
}

/// A plain decimal number without sign, leading zero or separators.
fn decimal(s: &str) -> Option<u64> {
    let digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits || (s.len() > 1 && s.starts_with('0')) {
        return None;
    }
    s.parse().ok()
}

/// Whether YAML could read this plain scalar as something other than text
/// (a boolean, null, or any kind of number).
fn maybe_typed(s: &str) -> bool {
    const WORDS: [&str; 10] = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    ];
    WORDS.iter().any(|w| w.eq_ignore_ascii_case(s))
        || s.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.'))
}

fn at_of(node: &Node<'_>) -> Option<At> {
    match node {
        Node::Plain(_, at) | Node::Quoted(_, at) | Node::Map(_, at) | Node::Seq(_, at) => Some(*at),
        Node::Empty => None,
    }
}

impl<'de> de::Deserializer<'de> for De<'_, '_> {
    type Error = Reject;

    /// Only bug references (a number or text) ask for "any".
    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Reject> {
        match self.0 {
            Node::Plain(s, _) => match decimal(s) {
                Some(n) => v.visit_u64(n),
                None if maybe_typed(s) => Err(Reject),
                None => v.visit_str(s),
            },
            Node::Quoted(s, _) => v.visit_str(s),
            _ => Err(Reject),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Reject> {
        match self.0 {
            Node::Plain("true", _) => v.visit_bool(true),
            Node::Plain("false", _) => v.visit_bool(false),
            _ => Err(Reject),
        }
    }

    fn deserialize_u64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Reject> {
        match self.0 {
            Node::Plain(s, _) => v.visit_u64(decimal(s).ok_or(Reject)?),
            _ => Err(Reject),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Reject> {
        match self.0 {
            Node::Plain(s, _) if !is_null(s) => v.visit_str(s),
            Node::Quoted(s, _) => v.visit_str(s),
            _ => Err(Reject),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Reject> {
        self.deserialize_str(v)
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Reject> {
        match self.0 {
            Node::Empty => v.visit_none(),
            Node::Plain(s, _) if is_null(s) => v.visit_none(),
            _ => v.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        v: V,
    ) -> Result<V::Value, Reject> {
        if name != SPAN_MARKER {
            return Err(Reject);
        }
        let at = at_of(self.0).ok_or(Reject)?;
        v.visit_seq(Spanned {
            at,
            node: self.0,
            field: 0,
        })
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Reject> {
        match self.0 {
            Node::Seq(items, _) => v.visit_seq(Items(items.iter())),
            _ => Err(Reject),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Reject> {
        match self.0 {
            Node::Map(entries, _) => v.visit_map(Entries {
                entries: entries.iter(),
                value: None,
            }),
            _ => Err(Reject),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Reject> {
        match self.0 {
            Node::Plain(s, _) if !is_null(s) => v.visit_enum(StrDeserializer::new(s)),
            Node::Quoted(s, _) => v.visit_enum(StrDeserializer::new(s)),
            _ => Err(Reject),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Reject> {
        v.visit_unit()
    }

    // Records have no other kinds of values; a model that grows one falls
    // back to serde-saphyr until this reader learns it.
    reject! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_f32 deserialize_f64
        deserialize_char deserialize_bytes deserialize_byte_buf deserialize_unit
        deserialize_map deserialize_identifier
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: V,
    ) -> Result<V::Value, Reject> {
        Err(Reject)
    }
    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, Reject> {
        Err(Reject)
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        _: V,
    ) -> Result<V::Value, Reject> {
        Err(Reject)
    }
}

/// The items of a sequence.
struct Items<'n, 'a>(std::slice::Iter<'n, Node<'a>>);

impl<'de> de::SeqAccess<'de> for Items<'_, '_> {
    type Error = Reject;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Reject> {
        self.0.next().map(|n| seed.deserialize(De(n))).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// The entries of a mapping.
struct Entries<'n, 'a> {
    entries: std::slice::Iter<'n, (&'a str, Node<'a>)>,
    value: Option<&'n Node<'a>>,
}

impl<'de> de::MapAccess<'de> for Entries<'_, '_> {
    type Error = Reject;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Reject> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        seed.deserialize(StrDeserializer::new(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Reject> {
        seed.deserialize(De(self.value.take().ok_or(Reject)?))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// A positioned value as [`crate::model::Sp`] reads it from this reader:
/// line, column, length, then the value.
struct Spanned<'n, 'a> {
    at: At,
    node: &'n Node<'a>,
    field: u8,
}

impl<'de> de::SeqAccess<'de> for Spanned<'_, '_> {
    type Error = Reject;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Reject> {
        self.field += 1;
        let number = match self.field {
            1 => self.at.line,
            2 => self.at.col,
            3 => self.at.len,
            4 => return seed.deserialize(De(self.node)).map(Some),
            _ => return Ok(None),
        };
        seed.deserialize(U32Deserializer::new(number)).map(Some)
    }
}
