//! Transformation steps: a typed, ordered builder and the `tr` string writer (spec §2.2).

use alloc::vec::Vec;

mod keys;
mod overlay;
mod setters;
mod write;

pub use keys::url_key;
pub(crate) use keys::{CUSTOM_KEY, Rule, TABLE, rule_for};
use keys::{key_id, url_key_id};
#[cfg(feature = "serde")]
pub(crate) use overlay::{LAYER_MODE_SLOT, POSITION_SLOTS, TIMING_SLOTS};
pub(crate) use overlay::{Layer, is_simple_path, write_overlay};
pub use overlay::{Overlay, OverlayEncoding, OverlayKind};
pub use write::build_transformation_string;
pub(crate) use write::write_steps;

use crate::value::{Lookup, Val, Value};

/// What an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `key-value` after the value rules.
    Param,
    /// A `raw` value, pushed verbatim.
    Raw,
    /// A layer; the value is its index in the step's layers.
    Overlay,
}

/// One component of a step, in insertion order.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry<'a> {
    pub val: Val<'a>,
    /// Table index, or [`CUSTOM_KEY`] | store index.
    pub key: u32,
    pub rule: Rule,
    pub kind: Kind,
}

/// A step's layers: usually none or one, which needs no list.
///
/// Hand-rolled rather than `smallvec::SmallVec<[Overlay; 1]>`: `SmallVec<A>` is invariant
/// over `A`, which would make `Transformation<'a>`, `Overlay<'a>` and `UrlOptions<'a>`
/// invariant in `'a` (a `Transformation<'static>` could no longer be used as a
/// `Transformation<'a>`, and the crate's own serde impls stop compiling).
#[derive(Clone, Default)]
pub(crate) enum Layers<'a> {
    #[default]
    None,
    One(Overlay<'a>),
    Many(Vec<Overlay<'a>>),
}

impl<'a> Layers<'a> {
    /// Adds a layer and returns its index.
    fn push(&mut self, o: Overlay<'a>) -> u32 {
        match self {
            Layers::None => {
                *self = Layers::One(o);
                0
            }
            Layers::One(_) => {
                if let Layers::One(first) = core::mem::take(self) {
                    *self = Layers::Many(alloc::vec![first, o]);
                }
                1
            }
            Layers::Many(v) => {
                v.push(o);
                (v.len() - 1) as u32
            }
        }
    }

    fn get(&self, i: u32) -> Option<&Overlay<'a>> {
        match self {
            Layers::None => None,
            Layers::One(o) => (i == 0).then_some(o),
            Layers::Many(v) => v.get(i as usize),
        }
    }
}

/// One transformation step: an ordered list of parameters, written as `k-v,k-v`.
///
/// Parameters come out in the order they were added (the official helper keeps object
/// insertion order, and signatures depend on it). Steps are chained with `:`.
///
/// ```
/// use imagekit_url::{build_transformation_string, Transformation};
///
/// let steps = [
///     Transformation::new().height(300).width(400),
///     Transformation::new().rotation(90).grayscale(),
/// ];
/// assert_eq!(build_transformation_string(&steps).unwrap(), "h-300,w-400:rt-90,e-grayscale");
/// ```
#[derive(Clone, Default)]
pub struct Transformation<'a> {
    pub(crate) entries: Vec<Entry<'a>>,
    /// Owned values and lists (`Val::Stored`) and unknown keys; stays unallocated for the
    /// usual borrowed strings and numbers.
    pub(crate) store: Vec<Value<'a>>,
    /// Layers (`Kind::Overlay` entries index it).
    pub(crate) overlays: Layers<'a>,
}

/// An entry with its key and value looked up (for `Debug` and `PartialEq`).
#[derive(Debug, PartialEq)]
enum Resolved<'s, 'a> {
    Param { key: &'s str, rule: Rule, value: Value<'s> },
    Raw(Value<'s>),
    Overlay(&'s Overlay<'a>),
}

impl<'a> Transformation<'a> {
    fn resolved(&self) -> impl Iterator<Item = Resolved<'_, 'a>> + '_ {
        self.entries.iter().map(move |e| match e.kind {
            Kind::Param => Resolved::Param { key: self.key_str(e.key), rule: e.rule, value: e.val.to_value(self) },
            Kind::Raw => Resolved::Raw(e.val.to_value(self)),
            Kind::Overlay => match self.overlay_at(e.val) {
                Some(o) => Resolved::Overlay(o),
                None => Resolved::Raw(Value::Null),
            },
        })
    }

    /// The URL key of an entry.
    #[inline]
    pub(crate) fn key_str(&self, key: u32) -> &str {
        if key & CUSTOM_KEY == 0 {
            TABLE[key as usize].1
        } else {
            match self.store.get((key & !CUSTOM_KEY) as usize) {
                Some(Value::Str(k)) => k,
                _ => "",
            }
        }
    }

    pub(crate) fn overlay_at(&self, v: Val<'a>) -> Option<&Overlay<'a>> {
        match v {
            Val::Stored(i) => self.overlays.get(i),
            _ => None,
        }
    }

    #[inline(always)]
    fn intern(&mut self, value: Value<'a>) -> Val<'a> {
        Val::intern(value, |v| self.stash(v))
    }

    #[inline(never)]
    fn stash(&mut self, item: Value<'a>) -> u32 {
        self.store.push(item);
        (self.store.len() - 1) as u32
    }

    #[inline(always)]
    fn push_entry(&mut self, entry: Entry<'a>) {
        if self.entries.capacity() == 0 {
            // One right-sized allocation for typical steps.
            self.entries = Vec::with_capacity(6);
        }
        self.entries.push(entry);
    }
}

impl<'a> Lookup<'a> for Transformation<'a> {
    #[inline]
    fn stored(&self, i: u32) -> &Value<'a> {
        self.store.stored(i)
    }
}

impl PartialEq for Transformation<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.entries.len() == other.entries.len() && self.resolved().eq(other.resolved())
    }
}

impl core::fmt::Debug for Transformation<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        struct Entries<'s, 'a>(&'s Transformation<'a>);
        impl core::fmt::Debug for Entries<'_, '_> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_list().entries(self.0.resolved()).finish()
            }
        }
        f.debug_struct("Transformation").field("entries", &Entries(self)).finish()
    }
}

/// An ordered list of steps that stores a single step inline: most URLs have one step, and
/// this saves an allocation per build.
/// Not `smallvec::SmallVec` for the variance reason given at [`Layers`].
#[derive(Debug, Clone, Default)]
pub(crate) enum StepList<'a> {
    #[default]
    Empty,
    One(Transformation<'a>),
    Many(Vec<Transformation<'a>>),
}

impl<'a> StepList<'a> {
    #[inline(always)]
    pub fn push(&mut self, step: Transformation<'a>) {
        match self {
            // Nothing to drop in `Empty`; skipping the drop glue keeps this inlinable.
            StepList::Empty => core::mem::forget(core::mem::replace(self, StepList::One(step))),
            StepList::Many(v) => v.push(step),
            StepList::One(_) => self.spill(step),
        }
    }

    #[inline(never)]
    fn spill(&mut self, step: Transformation<'a>) {
        if let StepList::One(first) = core::mem::replace(self, StepList::Many(Vec::with_capacity(4))) {
            if let StepList::Many(v) = self {
                v.push(first);
                v.push(step);
            }
        }
    }

    #[inline]
    pub fn as_slice(&self) -> &[Transformation<'a>] {
        match self {
            StepList::Empty => &[],
            StepList::One(t) => core::slice::from_ref(t),
            StepList::Many(v) => v,
        }
    }

    pub fn into_owned(self) -> StepList<'static> {
        match self {
            StepList::Empty => StepList::Empty,
            StepList::One(t) => StepList::One(t.into_owned()),
            StepList::Many(v) => StepList::Many(v.into_iter().map(Transformation::into_owned).collect()),
        }
    }
}

/// Equal when the steps are: `Empty`, `One(t)` and `Many(vec![t])` hold the same list.
impl PartialEq for StepList<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<'a> From<Vec<Transformation<'a>>> for StepList<'a> {
    fn from(v: Vec<Transformation<'a>>) -> Self {
        StepList::Many(v)
    }
}
