//! Strict checks of transformation steps, layers and their values.

use alloc::format;
use alloc::string::{String, ToString};
use core::fmt;

use crate::error::{Shown, StrictError, StrictErrorKind as K};
use crate::transform::{
    CUSTOM_KEY, Entry, Kind, Layer, OverlayEncoding, OverlayKind, Rule, TABLE, Transformation, is_simple_path,
};
use crate::value::{Lookup, Val, Value, is_js_blank, write_f64, write_i64};

/// A borrowed view of a value, inline or stored.
#[derive(Clone, Copy)]
enum V<'s> {
    Str(&'s str),
    Int(i64),
    Float(f64),
    Bool(bool),
    List(&'s [Value<'s>]),
    Null,
}

impl<'s> V<'s> {
    fn of<'a: 's>(v: Val<'a>, l: &'s (impl Lookup<'a> + ?Sized)) -> Self {
        match v {
            Val::Str(s) => V::Str(s),
            Val::Int(i) => V::Int(i),
            Val::Float(f) => V::Float(f),
            Val::Bool(b) => V::Bool(b),
            Val::Null => V::Null,
            Val::Stored(i) => V::from_value(l.stored(i)),
        }
    }

    fn from_value<'a: 's>(v: &'s Value<'a>) -> Self {
        match v {
            Value::Str(s) => V::Str(s),
            Value::Int(i) => V::Int(*i),
            Value::Float(f) => V::Float(*f),
            Value::Bool(b) => V::Bool(*b),
            Value::List(items) => V::List(items),
            Value::Null => V::Null,
        }
    }

    /// `String(value)` and how to show it in a message.
    fn text(self) -> (String, Shown) {
        let mut s = String::new();
        let shown = match self {
            V::Str(v) => {
                s.push_str(v);
                Shown::Quoted
            }
            V::Int(i) => {
                write_i64(&mut s, i);
                Shown::Bare
            }
            V::Float(f) => {
                write_f64(&mut s, f);
                Shown::Bare
            }
            V::Bool(b) => {
                s.push_str(if b { "true" } else { "false" });
                Shown::Bare
            }
            V::List(items) => {
                // Array.prototype.join(","): null items print as nothing.
                for (n, item) in items.iter().enumerate() {
                    if n > 0 {
                        s.push(',');
                    }
                    if !matches!(item, Value::Null) {
                        item.write_js(&mut s);
                    }
                }
                Shown::List
            }
            V::Null => {
                s.push_str("null");
                Shown::Bare
            }
        };
        (s, shown)
    }
}

/// Where a value sits; written out only when there is an error to report.
#[derive(Clone, Copy)]
pub(crate) enum Loc<'p> {
    /// Above the top-level steps.
    Root,
    /// Step `.1` of the steps under `.0` (the root or a layer).
    Step(&'p Loc<'p>, usize),
    /// Layer `.1` of the step `.0`.
    Overlay(&'p Loc<'p>, u32),
}

impl fmt::Display for Loc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Loc::Root => Ok(()),
            Loc::Step(Loc::Root, i) => write!(f, "transformation {i}"),
            Loc::Step(parent, i) => write!(f, "{parent}: transformation {i}"),
            Loc::Overlay(parent, i) => write!(f, "{parent}: overlay {i}"),
        }
    }
}

fn err(at: &Loc<'_>, field: &str, v: V<'_>, kind: K) -> StrictError {
    let (value, shown) = v.text();
    StrictError::new(at.to_string(), field, value, shown, kind)
}

/// What an option takes, by its URL key (the table's special rules plus the boolean options).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Sizes, expressions, colors, names: a number or a string.
    Value,
    /// `orig`, `pr`, `lo`, `cp`, `md`: a boolean (or a string).
    Bool,
    /// Flag effects: written only for `true`, `"true"`, `"-"`.
    Flag,
    /// Optional-value effects: `true` for the bare key, else `key-value`.
    Optional,
    /// `di`, `ff`: a path.
    Path,
    /// `sr`: a list.
    List,
    /// `t`: `true` or a threshold.
    Trim,
}

fn class_of(url_key: &str, rule: Rule) -> Class {
    match rule {
        Rule::Flag => Class::Flag,
        Rule::Optional => Class::Optional,
        Rule::PathLike => Class::Path,
        Rule::Sr => Class::List,
        Rule::Trim => Class::Trim,
        Rule::Plain => match url_key {
            "orig" | "pr" | "lo" | "cp" | "md" => Class::Bool,
            _ => Class::Value,
        },
    }
}

const NUM_OR_STR: &str = "a number or a string";
const BOOL: &str = "true, false or a string";
const FLAG: &str = "true, false, \"true\" or \"-\" (the official helper drops any other value)";
const OPTIONAL: &str = "true, a number or a string (false is written as `-false`)";
const TRIM: &str = "true, a number or a string";
const PATH: &str = "a path string";
const RAW: &str = "a string";

/// Characters that end a parameter, a step, the `tr` segment or query value, or that URL
/// parsers and servers rewrite. `,` and `:` are allowed in `raw`, `/` in paths.
fn is_reserved(c: char, allow: &[char]) -> bool {
    (matches!(c, ',' | ':' | '/' | '?' | '#' | '&' | '%' | '+' | '\\') && !allow.contains(&c)) || c.is_control()
}

fn reserved(s: &str, allow: &[char]) -> Result<(), K> {
    if let Some(c) = s.chars().find(|&c| is_reserved(c, allow)) {
        return Err(K::ReservedChar(c));
    }
    // The helper puts the transformation in with `String.prototype.replace`, which expands
    // these patterns (`a$$b` comes out as `a$b`).
    // A plain pairwise scan, not `memchr_iter`: this runs for every value of a strict build,
    // and on such short values `memchr`'s setup made `build/chained_strict` cost 10,407
    // instead of 10,130 instructions per URL (cachegrind).
    if s.as_bytes().windows(2).any(|w| w[0] == b'$' && matches!(w[1], b'$' | b'&' | b'`' | b'\'')) {
        return Err(K::ReservedChar('$'));
    }
    Ok(())
}

fn number(v: V<'_>) -> Result<(), K> {
    match v {
        V::Int(i) if i < 0 => Err(K::Negative),
        V::Float(f) if !f.is_finite() => Err(K::NotFinite),
        V::Float(f) if f < 0.0 => Err(K::Negative),
        _ => Ok(()),
    }
}

/// A string written after `key-`.
fn text(s: &str) -> Result<(), K> {
    if is_js_blank(s) {
        return Err(K::Blank);
    }
    if s.starts_with('-') {
        return Err(K::Negative);
    }
    reserved(s, &[])
}

/// Strips one leading and one trailing `/`, as the helper does for paths.
fn strip_slashes(s: &str) -> &str {
    let s = s.strip_prefix('/').unwrap_or(s);
    s.strip_suffix('/').unwrap_or(s)
}

fn segments(inner: &str) -> Result<(), K> {
    if inner.starts_with('/') || inner.ends_with('/') || inner.contains("//") {
        return Err(K::EmptyPathSegment);
    }
    Ok(())
}

/// `di` / `ff`: `/` becomes `@@`, so it is allowed; an empty segment is not.
fn path(s: &str) -> Result<(), K> {
    let inner = strip_slashes(s);
    if is_js_blank(inner) {
        return Err(K::Blank);
    }
    segments(inner)?;
    reserved(inner, &['/'])
}

fn check_value(class: Class, v: V<'_>) -> Result<(), K> {
    match (class, v) {
        (_, V::Null) => Ok(()),
        (Class::Flag, V::Bool(_) | V::Str("true" | "-")) => Ok(()),
        (Class::Flag, _) => Err(K::WrongType { expected: FLAG }),
        (Class::Optional | Class::Trim, V::Bool(true) | V::Str("true")) => Ok(()),
        (Class::Optional, V::Bool(false)) => Err(K::WrongType { expected: OPTIONAL }),
        (Class::Trim, V::Bool(false)) => Err(K::WrongType { expected: TRIM }),
        (Class::Bool, V::Bool(_)) => Ok(()),
        (Class::Bool, V::Int(_) | V::Float(_) | V::List(_)) => Err(K::WrongType { expected: BOOL }),
        (Class::Path, V::Str(s)) => path(s),
        (Class::Path, _) => Err(K::WrongType { expected: PATH }),
        (_, V::Str(s)) => text(s),
        (_, V::Int(_) | V::Float(_)) => number(v),
        (Class::Optional, V::List(_)) => Err(K::WrongType { expected: OPTIONAL }),
        (Class::Trim, V::List(_)) => Err(K::WrongType { expected: TRIM }),
        (_, V::Bool(_) | V::List(_)) => Err(K::WrongType { expected: NUM_OR_STR }),
    }
}

/// A `raw` component: `,` and `:` are its own syntax, so only empty components and
/// characters that break the URL are refused.
fn raw(v: V<'_>) -> Result<(), K> {
    match v {
        V::Null => Ok(()),
        V::Str(s) => {
            if is_js_blank(s) {
                return Err(K::Blank);
            }
            reserved(s, &[',', ':'])?;
            if s.split([',', ':']).any(str::is_empty) {
                return Err(K::EmptyComponent);
            }
            Ok(())
        }
        _ => Err(K::WrongType { expected: RAW }),
    }
}

/// Legacy option names (spec §3) that v7 passes through verbatim, and their v7 keys.
const LEGACY: [(&str, &str); 7] = [
    ("effectSharpen", "sharpen"),
    ("effectUSM", "unsharpMask"),
    ("effectContrast", "contrastStretch"),
    ("effectGray", "grayscale"),
    ("effectShadow", "shadow"),
    ("effectGradient", "gradient"),
    ("rotate", "rotation"),
];

/// The known key an unknown one was probably meant to be.
fn suggest(key: &str) -> Option<&'static str> {
    if let Some((_, v7)) = LEGACY.iter().find(|(old, _)| old.eq_ignore_ascii_case(key)) {
        return Some(v7);
    }
    // The helper's lower-case fallback misses camelCase keys written in another case.
    if let Some((option, _)) = TABLE.iter().find(|(option, _)| option.eq_ignore_ascii_case(key)) {
        return Some(option);
    }
    similar(key)
}

/// The most similar option or URL key, if similar enough (`widht` → `width`).
#[cfg(feature = "std")]
fn similar(key: &str) -> Option<&'static str> {
    let key = key.to_lowercase();
    TABLE
        .iter()
        .flat_map(|(option, url)| [*option, *url])
        .filter(|k| *k != "raw")
        .map(|k| (strsim::normalized_damerau_levenshtein(&key, &k.to_lowercase()), k))
        .filter(|(score, _)| *score >= 0.6)
        .fold(None, |best: Option<(f64, &'static str)>, (score, k)| match best {
            Some((b, _)) if b >= score => best,
            _ => Some((score, k)),
        })
        .map(|(_, k)| k)
}

#[cfg(not(feature = "std"))]
fn similar(_: &str) -> Option<&'static str> {
    None
}

/// Checks one parameter; returns whether the helper writes it.
fn check_param(step: &Transformation<'_>, e: &Entry<'_>, at: &Loc<'_>) -> Result<bool, StrictError> {
    let v = V::of(e.val, step);
    let (field, url_key) = if e.key & CUSTOM_KEY == 0 {
        TABLE[e.key as usize]
    } else {
        let key = step.key_str(e.key);
        // A URL key used as a name (`w`, `e-sharpen`) writes exactly that parameter.
        match TABLE.iter().find(|(_, url)| *url == key) {
            Some((_, url)) => (key, *url),
            None => return Err(err(at, key, v, K::UnknownParameter { suggestion: suggest(key) })),
        }
    };
    if url_key == "raw" {
        return Err(err(at, field, v, K::RawAsParameter));
    }
    let class = class_of(url_key, e.rule);
    match (class, v) {
        (Class::List, V::List(items)) => {
            if items.is_empty() {
                return Err(err(at, field, v, K::Blank));
            }
            for (j, item) in items.iter().enumerate() {
                let iv = V::from_value(item);
                let kind = match iv {
                    V::Null => Err(K::Blank),
                    V::Bool(_) | V::List(_) => Err(K::WrongType { expected: NUM_OR_STR }),
                    _ => check_value(Class::Value, iv),
                };
                kind.map_err(|k| err(at, &format!("{field}[{j}]"), iv, k))?;
            }
        }
        _ => check_value(class, v).map_err(|k| err(at, field, v, k))?,
    }
    Ok(!matches!((class, v), (_, V::Null) | (Class::Flag, V::Bool(false))))
}

/// A layer's input path: written raw (with `/` → `@@`) unless base64-encoded.
fn input(p: &str, enc: OverlayEncoding) -> Result<(), K> {
    let inner = strip_slashes(p);
    if is_js_blank(inner) {
        return Err(K::Blank);
    }
    let plain = match enc {
        OverlayEncoding::Plain => true,
        OverlayEncoding::Base64 => false,
        OverlayEncoding::Auto => is_simple_path(inner),
    };
    if plain {
        segments(inner)?;
        reserved(inner, &['/'])?;
    }
    Ok(())
}

/// Layer mode, position and timing: written only when truthy.
fn slot(v: V<'_>) -> Result<(), K> {
    match v {
        V::Null => Ok(()),
        V::Float(f) if !f.is_finite() => Err(K::NotFinite),
        V::Int(0) | V::Bool(false) | V::Str("") => Err(K::Falsy),
        V::Float(0.0) => Err(K::Falsy), // matches -0.0 too
        V::Str(s) => text(s),
        V::Int(_) | V::Float(_) => number(v),
        V::Bool(true) | V::List(_) => Err(K::WrongType { expected: NUM_OR_STR }),
    }
}

/// The layer fields in slot order (see `overlay::SLOT_KEYS`).
const SLOT_FIELDS: [&str; 10] =
    ["layerMode", "x", "y", "xCenter", "yCenter", "focus", "anchorPoint", "start", "end", "duration"];

fn check_overlay(o: &Layer<'_>, at: &Loc<'_>) -> Result<(), StrictError> {
    match &o.kind {
        OverlayKind::Text(t) if t.is_empty() => return Err(err(at, "text", V::Str(t), K::Blank)),
        OverlayKind::Text(_) => {}
        OverlayKind::Image(p) | OverlayKind::Video(p) | OverlayKind::Subtitle(p) => {
            input(p, o.encoding).map_err(|k| err(at, "input", V::Str(p), k))?;
        }
        OverlayKind::SolidColor(c) => text(c).map_err(|k| err(at, "color", V::Str(c), k))?,
        OverlayKind::Other(t) => return Err(err(at, "type", V::Str(t), K::UnknownOverlayType)),
    }
    for (field, value) in SLOT_FIELDS.iter().zip(o.slots.iter()) {
        if let Some(val) = *value {
            let v = V::of(val, o);
            slot(v).map_err(|k| err(at, field, v, k))?;
        }
    }
    check_steps(o.transformation.as_slice(), at)
}

fn check_step(step: &Transformation<'_>, at: &Loc<'_>) -> Result<(), StrictError> {
    let mut writes = false;
    for e in &step.entries {
        match e.kind {
            Kind::Param => writes |= check_param(step, e, at)?,
            Kind::Raw => {
                let v = V::of(e.val, step);
                raw(v).map_err(|k| err(at, "raw", v, k))?;
                writes |= !matches!(v, V::Null);
            }
            Kind::Overlay => {
                if let (Val::Stored(n), Some(o)) = (e.val, step.overlay_at(e.val)) {
                    check_overlay(&o.layer, &Loc::Overlay(at, n))?;
                    writes = true;
                }
            }
        }
    }
    if writes { Ok(()) } else { Err(StrictError::new(at.to_string(), "", String::new(), Shown::Bare, K::EmptyStep)) }
}

/// Checks transformation steps under `parent` ([`Loc::Root`] at the top).
pub(crate) fn check_steps(steps: &[Transformation<'_>], parent: &Loc<'_>) -> Result<(), StrictError> {
    for (i, step) in steps.iter().enumerate() {
        check_step(step, &Loc::Step(parent, i))?;
    }
    Ok(())
}
