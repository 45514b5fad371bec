//! Macros that generate the forward-compatible enums used throughout the crate.

/// A string enum that keeps values it does not know in `Unknown(String)`, so a
/// new value sent by the API never fails parsing and survives a round trip.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        // The API adds values: a new variant must not break a downstream match.
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the crate does not know, kept verbatim.
            ///
            /// A later version may name it as a variant of its own: match it
            /// in one `_` arm with the variants added later, not on its own.
            Unknown(String),
        }

        impl $name {
            /// Every value this version of the crate names, as on the wire, in
            /// declaration order (for completions, `--help` texts and checks).
            pub const KNOWN: &'static [&'static str] = &[$( $wire ),+];

            /// The value exactly as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Unknown(s) => s.as_str(),
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $( $wire => Self::$variant, )+
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                match Self::from(s.as_str()) {
                    Self::Unknown(_) => Self::Unknown(s),
                    known => known,
                }
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                // A visitor rather than `String`: known values then cost no allocation.
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                        f.write_str("a string")
                    }
                    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<$name, E> {
                        Ok($name::from(s))
                    }
                    fn visit_string<E: serde::de::Error>(self, s: String) -> Result<$name, E> {
                        Ok($name::from(s))
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}

/// An enum of JSON objects told apart by a tag field (`type`, `name`), that keeps
/// objects with an unknown tag in `Unknown(Map)` instead of failing.
///
/// Each variant holds a struct without the tag field; serialization writes the
/// tag first, as the official SDKs' callers do.
macro_rules! tagged_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident (tag = $tag:literal) {
            $( $(#[$vmeta:meta])* $variant:ident($inner:ty) = $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        // Decoded once per message; boxing every variant would cost more than it saves.
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug, Clone, PartialEq)]
        // The API adds kinds: a new variant must not break a downstream match.
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant($inner), )+
            /// An object whose tag this version of the crate does not know, kept
            /// whole (tag included).
            ///
            /// A later version may name the tag as a variant of its own: match
            /// it in one `_` arm with the variants added later, not on its own.
            Unknown($crate::Object),
        }

        impl $name {
            /// The tag value as it appears on the wire.
            pub fn tag(&self) -> &str {
                match self {
                    $( Self::$variant(_) => $wire, )+
                    Self::Unknown(m) => m.get($tag).and_then(|v| v.as_str()).unwrap_or(""),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self {
                    $( Self::$variant(inner) => $crate::tagged::serialize_tagged(s, $tag, $wire, inner), )+
                    Self::Unknown(m) => serde::Serialize::serialize(m, s),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let mut map = <$crate::Object as serde::Deserialize>::deserialize(d)?;
                let tag = map.get($tag).and_then(|v| v.as_str()).map(str::to_owned);
                match tag.as_deref() {
                    $(
                        Some($wire) => {
                            map.shift_remove($tag);
                            $crate::tagged::from_object(map).map(Self::$variant)
                        }
                    )+
                    _ => Ok(Self::Unknown(map)),
                }
            }
        }
    };
}

/// Builder-style setters for optional fields: `fn name(self, v) -> Self`.
macro_rules! setters {
    ($ty:ty { $($field:ident : $t:ty),* $(,)? }) => {
        impl $ty {
            $(
                #[doc = concat!("Set `", stringify!($field), "`.")]
                #[must_use]
                pub fn $field(mut self, value: impl Into<$t>) -> Self {
                    self.$field = Some(value.into());
                    self
                }
            )*
        }
    };
}

/// `Deserialize` for a struct whose unknown fields go to `extra: Object`, written
/// out instead of derived (see `fast_de`). Each entry names the wire key, the field
/// and how its value is read: `plain` (the field's own type), `double` (an
/// `Option<Option<T>>` where `null` is `Some(None)`) or `u64` (`num::opt_u64`).
/// Absent keys leave the field at its default, as `#[serde(default)]` does.
macro_rules! open_struct_deserialize {
    ($ty:ident, $expecting:literal { $( $wire:literal => $field:ident : $how:ident ),+ $(,)? }) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                #[allow(non_camel_case_types, clippy::enum_variant_names)]
                enum Bit { $( $field, )+ }
                // Fields seen are bits of a `u64`.
                const _: () = assert!([$( stringify!($field) ),+].len() <= 64);

                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = $ty;

                    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                        f.write_str($expecting)
                    }

                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$ty, A::Error> {
                        let mut out = $ty::default();
                        let mut seen = 0u64;
                        while let Some(key) = map.next_key::<$crate::fast_de::Key<'de>>()? {
                            match key.0.as_ref() {
                                $(
                                    $wire => {
                                        $crate::fast_de::first_time(&mut seen, Bit::$field as u32, $wire)?;
                                        out.$field = open_struct_deserialize!(@read $how, map);
                                    }
                                )+
                                _ => {
                                    let value = map.next_value()?;
                                    out.extra.insert(key.0.into_owned(), value);
                                }
                            }
                        }
                        Ok(out)
                    }
                }

                d.deserialize_map(V)
            }
        }
    };
    (@read plain, $map:ident) => { $map.next_value()? };
    (@read double, $map:ident) => { Some($map.next_value()?) };
    (@read u64, $map:ident) => { $map.next_value::<$crate::fast_de::OptU64>()?.0 };
}
