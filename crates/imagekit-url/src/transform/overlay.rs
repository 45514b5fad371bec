//! Layers (`l-text`, `l-image`, `l-video`, `l-subtitles`, solid color) and their encoding (spec §2.3).

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use base64::Engine as _;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

use super::{StepList, Transformation, write_steps};
use crate::error::UrlError;
use crate::value::{Lookup, Val, Value, is_js_blank};

/// `encodeURIComponent` keeps `A-Z a-z 0-9 - _ . ! ~ * ' ( )`.
pub(crate) const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// How a layer's text or input path is written into the URL.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum OverlayEncoding {
    /// Plain when the value only holds `[a-zA-Z0-9-._ ]` (plus `/` for paths), else base64.
    #[default]
    Auto,
    /// `i-<value>` (text is URI-component encoded; paths are not encoded).
    Plain,
    /// `ie-<base64, URI-component encoded>`.
    Base64,
}

/// What a layer shows.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum OverlayKind<'a> {
    /// `l-text` with this text.
    Text(Cow<'a, str>),
    /// `l-image` with this input path.
    Image(Cow<'a, str>),
    /// `l-video` with this input path.
    Video(Cow<'a, str>),
    /// `l-subtitles` with this input path.
    Subtitle(Cow<'a, str>),
    /// `l-image,i-ik_canvas,bg-<color>`.
    SolidColor(Cow<'a, str>),
    /// A `type` the official helper does not know: only the trailer (`…,l-end`) is written.
    Other(Cow<'a, str>),
}

/// A layer placed in a transformation step.
///
/// ```
/// use imagekit_url::{build_transformation_string, Overlay, Transformation};
///
/// let logo = Overlay::image("/logos/brand.png")
///     .x(10)
///     .y("bh_mul_0.1")
///     .transformation(Transformation::new().width(100));
/// let t = Transformation::new().overlay(logo);
/// assert_eq!(
///     build_transformation_string(&[t]).unwrap(),
///     "l-image,i-logos@@brand.png,lx-10,ly-bh_mul_0.1,w-100,l-end"
/// );
/// ```
#[derive(Clone)]
pub struct Overlay<'a> {
    /// Boxed: a layer is a few hundred bytes, and the by-value builder methods would
    /// otherwise copy all of it on every call.
    pub(crate) layer: Box<Layer<'a>>,
}

/// The data of an [`Overlay`].
#[derive(Clone)]
pub(crate) struct Layer<'a> {
    pub(crate) kind: OverlayKind<'a>,
    pub(crate) encoding: OverlayEncoding,
    /// layerMode, then position x, y, xCenter, yCenter, focus, anchorPoint, then timing
    /// start, end, duration (the fixed output order, see [`SLOT_KEYS`]).
    pub(crate) slots: [Option<Val<'a>>; 10],
    /// Owned slot values (`Val::Stored` indexes); unallocated for borrowed strings and numbers.
    pub(crate) values: Vec<Value<'a>>,
    pub(crate) transformation: StepList<'a>,
}

/// The slots' URL keys, in output order.
const SLOT_KEYS: [&str; 10] = ["lm-", "lx-", "ly-", "lxc-", "lyc-", "lfo-", "lap-", "lso-", "leo-", "ldu-"];
/// Slot index of `layer_mode`, the first position slot and the first timing slot.
pub(crate) const LAYER_MODE_SLOT: usize = 0;
pub(crate) const POSITION_SLOTS: usize = 1;
pub(crate) const TIMING_SLOTS: usize = 7;

impl<'a> Lookup<'a> for Layer<'a> {
    #[inline]
    fn stored(&self, i: u32) -> &Value<'a> {
        self.values.stored(i)
    }
}

impl Layer<'_> {
    fn slot_values(&self) -> [Option<Value<'_>>; 10] {
        self.slots.map(|v| v.map(|v| v.to_value(self)))
    }
}

impl PartialEq for Overlay<'_> {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (&*self.layer, &*other.layer);
        a.kind == b.kind
            && a.encoding == b.encoding
            && a.slot_values() == b.slot_values()
            && a.transformation == b.transformation
    }
}

impl fmt::Debug for Overlay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let l = &*self.layer;
        let v = l.slot_values();
        f.debug_struct("Overlay")
            .field("kind", &l.kind)
            .field("encoding", &l.encoding)
            .field("layer_mode", &v[LAYER_MODE_SLOT])
            .field("position", &&v[POSITION_SLOTS..TIMING_SLOTS])
            .field("timing", &&v[TIMING_SLOTS..])
            .field("transformation", &l.transformation)
            .finish()
    }
}

macro_rules! slot_setters {
    ($base:ident: $($(#[$doc:meta])* $name:ident => $idx:literal;)*) => {$(
        $(#[$doc])*
        #[inline]
        pub fn $name(self, value: impl Into<Value<'a>>) -> Self {
            self.with_slot($base + $idx, value.into())
        }
    )*};
}

impl<'a> Overlay<'a> {
    /// A layer of the given kind.
    #[inline]
    pub fn new(kind: OverlayKind<'a>) -> Self {
        Self {
            layer: Box::new(Layer {
                kind,
                encoding: OverlayEncoding::Auto,
                slots: [None; 10],
                values: Vec::new(),
                transformation: StepList::Empty,
            }),
        }
    }

    /// Sets slot `i` (see [`SLOT_KEYS`]).
    #[inline(always)]
    pub(crate) fn with_slot(mut self, i: usize, value: Value<'a>) -> Self {
        self.set_slot(i, value);
        self
    }

    /// Sets slot `i` (see [`SLOT_KEYS`]).
    #[inline(always)]
    pub(crate) fn set_slot(&mut self, i: usize, value: Value<'a>) {
        let layer = &mut *self.layer;
        let val = Val::intern(value, |v| {
            layer.values.push(v);
            (layer.values.len() - 1) as u32
        });
        layer.slots[i] = Some(val);
    }

    /// A text layer. Empty text is an error when building.
    ///
    /// ```
    /// use imagekit_url::{build_transformation_string, Overlay, Transformation};
    /// let t = Transformation::new().overlay(Overlay::text("Hi, there!"));
    /// assert_eq!(build_transformation_string(&[t]).unwrap(), "l-text,ie-SGksIHRoZXJlIQ%3D%3D,l-end");
    /// ```
    #[inline]
    pub fn text(text: impl Into<Cow<'a, str>>) -> Self {
        Self::new(OverlayKind::Text(text.into()))
    }

    /// An image layer from a file path in your media library.
    #[inline]
    pub fn image(input: impl Into<Cow<'a, str>>) -> Self {
        Self::new(OverlayKind::Image(input.into()))
    }

    /// A video layer.
    #[inline]
    pub fn video(input: impl Into<Cow<'a, str>>) -> Self {
        Self::new(OverlayKind::Video(input.into()))
    }

    /// A subtitle layer (`l-subtitles`).
    #[inline]
    pub fn subtitle(input: impl Into<Cow<'a, str>>) -> Self {
        Self::new(OverlayKind::Subtitle(input.into()))
    }

    /// A solid color block, e.g. `"FF0000"`.
    ///
    /// ```
    /// use imagekit_url::{build_transformation_string, Overlay, Transformation};
    /// let t = Transformation::new().overlay(Overlay::solid_color("FF0000").x(10));
    /// assert_eq!(build_transformation_string(&[t]).unwrap(), "l-image,i-ik_canvas,bg-FF0000,lx-10,l-end");
    /// ```
    #[inline]
    pub fn solid_color(color: impl Into<Cow<'a, str>>) -> Self {
        Self::new(OverlayKind::SolidColor(color.into()))
    }

    /// Text or path encoding (default [`OverlayEncoding::Auto`]).
    #[inline]
    pub fn encoding(mut self, encoding: OverlayEncoding) -> Self {
        self.layer.encoding = encoding;
        self
    }

    /// `lm-…`: layer mode (`multiply`, `cutter`, `cutout`, `displace`), written when truthy.
    #[inline]
    pub fn layer_mode(self, mode: impl Into<Value<'a>>) -> Self {
        self.with_slot(LAYER_MODE_SLOT, mode.into())
    }

    slot_setters! { POSITION_SLOTS:
        /// `lx-…`, written only when truthy (so `0` is dropped, `"0"` is kept).
        x => 0;
        /// `ly-…`, written only when truthy.
        y => 1;
        /// `lxc-…`, written only when truthy.
        x_center => 2;
        /// `lyc-…`, written only when truthy.
        y_center => 3;
        /// `lfo-…`, written only when truthy.
        focus => 4;
        /// `lap-…`, written only when truthy.
        anchor_point => 5;
    }

    slot_setters! { TIMING_SLOTS:
        /// `lso-…`: start time of the layer in a video, written only when truthy.
        start => 0;
        /// `leo-…`: end time, written only when truthy.
        end => 1;
        /// `ldu-…`: duration, written only when truthy.
        duration => 2;
    }

    /// Appends a nested transformation step applied to the layer (steps are chained with `:`).
    #[inline]
    pub fn transformation(mut self, step: Transformation<'a>) -> Self {
        self.layer.transformation.push(step);
        self
    }

    /// Copies borrowed data so the overlay no longer borrows.
    pub fn into_owned(self) -> Overlay<'static> {
        let own = |c: Cow<'a, str>| Cow::Owned(c.into_owned());
        let layer = *self.layer;
        let mut values: Vec<Value<'static>> = layer.values.into_iter().map(Value::into_owned).collect();
        let slots = layer.slots.map(|v| {
            v.map(|v| match v {
                Val::Str(s) => {
                    values.push(Value::Str(Cow::Owned(String::from(s))));
                    Val::Stored((values.len() - 1) as u32)
                }
                Val::Int(i) => Val::Int(i),
                Val::Float(f) => Val::Float(f),
                Val::Bool(b) => Val::Bool(b),
                Val::Null => Val::Null,
                Val::Stored(i) => Val::Stored(i),
            })
        });
        Overlay {
            layer: Box::new(Layer {
                kind: match layer.kind {
                    OverlayKind::Text(c) => OverlayKind::Text(own(c)),
                    OverlayKind::Image(c) => OverlayKind::Image(own(c)),
                    OverlayKind::Video(c) => OverlayKind::Video(own(c)),
                    OverlayKind::Subtitle(c) => OverlayKind::Subtitle(own(c)),
                    OverlayKind::SolidColor(c) => OverlayKind::SolidColor(own(c)),
                    OverlayKind::Other(c) => OverlayKind::Other(own(c)),
                },
                encoding: layer.encoding,
                slots,
                values,
                transformation: layer.transformation.into_owned(),
            }),
        }
    }
}

fn push_uri_component(out: &mut String, s: &str) {
    for part in percent_encoding::utf8_percent_encode(s, URI_COMPONENT) {
        out.push_str(part);
    }
}

/// `ie-` + encodeURIComponent(base64(utf8(s))).
fn push_base64(out: &mut String, s: &str) {
    out.push_str("ie-");
    let mut b64 = String::new();
    base64::engine::general_purpose::STANDARD.encode_string(s.as_bytes(), &mut b64);
    for c in b64.chars() {
        match c {
            '+' => out.push_str("%2B"),
            '/' => out.push_str("%2F"),
            '=' => out.push_str("%3D"),
            c => out.push(c),
        }
    }
}

fn is_simple_text(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b' '))
}

pub(crate) fn is_simple_path(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'/' | b' '))
}

fn push_text(out: &mut String, text: &str, enc: OverlayEncoding) {
    let simple = enc != OverlayEncoding::Base64 && is_simple_text(text);
    let plain = match enc {
        OverlayEncoding::Plain => true,
        OverlayEncoding::Base64 => false,
        OverlayEncoding::Auto => simple,
    };
    if plain {
        out.push_str("i-");
        if simple {
            // Only the space needs escaping among the simple characters.
            let mut start = 0;
            for (i, &b) in text.as_bytes().iter().enumerate() {
                if b == b' ' {
                    out.push_str(&text[start..i]);
                    out.push_str("%20");
                    start = i + 1;
                }
            }
            out.push_str(&text[start..]);
        } else {
            push_uri_component(out, text);
        }
    } else {
        push_base64(out, text);
    }
}

fn push_input_path(out: &mut String, path: &str, enc: OverlayEncoding) {
    let path = path.strip_prefix('/').unwrap_or(path);
    let path = path.strip_suffix('/').unwrap_or(path);
    let plain = match enc {
        OverlayEncoding::Plain => true,
        OverlayEncoding::Base64 => false,
        OverlayEncoding::Auto => is_simple_path(path),
    };
    if plain {
        out.push_str("i-");
        for (i, part) in path.split('/').enumerate() {
            if i > 0 {
                out.push_str("@@");
            }
            out.push_str(part);
        }
    } else {
        push_base64(out, path);
    }
}

/// Writes the layer's components joined by `,`, ending in `l-end`.
pub(crate) fn write_overlay(out: &mut String, o: &Overlay<'_>) -> Result<bool, UrlError> {
    let o = &*o.layer;
    let start = out.len();
    let require = |s: &str| if s.is_empty() { Err(UrlError::EmptyOverlayInput) } else { Ok(()) };
    match &o.kind {
        OverlayKind::Text(t) => {
            require(t)?;
            out.push_str("l-text,");
            push_text(out, t, o.encoding);
        }
        OverlayKind::Image(p) | OverlayKind::Video(p) | OverlayKind::Subtitle(p) => {
            require(p)?;
            out.push_str(match o.kind {
                OverlayKind::Image(_) => "l-image,",
                OverlayKind::Video(_) => "l-video,",
                _ => "l-subtitles,",
            });
            push_input_path(out, p, o.encoding);
        }
        OverlayKind::SolidColor(c) => {
            require(c)?;
            out.push_str("l-image,i-ik_canvas,bg-");
            out.push_str(c);
        }
        OverlayKind::Other(_) => {}
    }
    let sep = |out: &mut String| {
        if out.len() > start {
            out.push(',');
        }
    };
    for (key, value) in SLOT_KEYS.iter().zip(o.slots.iter()) {
        if let Some(v) = *value {
            if v.is_truthy(o) {
                sep(out);
                out.push_str(key);
                v.write_js(out, o);
            }
        }
    }
    if !o.transformation.as_slice().is_empty() {
        let before = out.len();
        sep(out);
        let nested = out.len();
        write_steps(out, o.transformation.as_slice().iter())?;
        if is_js_blank(&out[nested..]) {
            out.truncate(before);
        }
    }
    sep(out);
    out.push_str("l-end");
    Ok(true)
}
