//! Layers (`l-text`, `l-image`, `l-video`, `l-subtitles`, solid color) and their encoding (spec §2.3).

use alloc::borrow::Cow;
use alloc::string::String;

use base64::Engine as _;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

use crate::error::UrlError;
use crate::transform::{StepList, Transformation, write_steps};
use crate::value::{Value, is_js_blank};

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
#[derive(Debug, Clone, PartialEq)]
pub struct Overlay<'a> {
    pub(crate) kind: OverlayKind<'a>,
    pub(crate) encoding: OverlayEncoding,
    pub(crate) layer_mode: Option<Value<'a>>,
    /// x, y, xCenter, yCenter, focus, anchorPoint (fixed output order).
    pub(crate) position: [Option<Value<'a>>; 6],
    /// start, end, duration.
    pub(crate) timing: [Option<Value<'a>>; 3],
    pub(crate) transformation: StepList<'a>,
}

const POSITION_KEYS: [&str; 6] = ["lx-", "ly-", "lxc-", "lyc-", "lfo-", "lap-"];
const TIMING_KEYS: [&str; 3] = ["lso-", "leo-", "ldu-"];

macro_rules! slot_setters {
    ($field:ident: $($(#[$doc:meta])* $name:ident => $idx:literal;)*) => {$(
        $(#[$doc])*
        #[inline]
        pub fn $name(mut self, value: impl Into<Value<'a>>) -> Self {
            self.$field[$idx] = Some(value.into());
            self
        }
    )*};
}

impl<'a> Overlay<'a> {
    /// A layer of the given kind.
    pub fn new(kind: OverlayKind<'a>) -> Self {
        Self {
            kind,
            encoding: OverlayEncoding::Auto,
            layer_mode: None,
            position: Default::default(),
            timing: Default::default(),
            transformation: StepList::Empty,
        }
    }

    /// A text layer. Empty text is an error when building.
    ///
    /// ```
    /// use imagekit_url::{build_transformation_string, Overlay, Transformation};
    /// let t = Transformation::new().overlay(Overlay::text("Hi, there!"));
    /// assert_eq!(build_transformation_string(&[t]).unwrap(), "l-text,ie-SGksIHRoZXJlIQ%3D%3D,l-end");
    /// ```
    pub fn text(text: impl Into<Cow<'a, str>>) -> Self {
        Self::new(OverlayKind::Text(text.into()))
    }

    /// An image layer from a file path in your media library.
    pub fn image(input: impl Into<Cow<'a, str>>) -> Self {
        Self::new(OverlayKind::Image(input.into()))
    }

    /// A video layer.
    pub fn video(input: impl Into<Cow<'a, str>>) -> Self {
        Self::new(OverlayKind::Video(input.into()))
    }

    /// A subtitle layer (`l-subtitles`).
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
    pub fn solid_color(color: impl Into<Cow<'a, str>>) -> Self {
        Self::new(OverlayKind::SolidColor(color.into()))
    }

    /// Text or path encoding (default [`OverlayEncoding::Auto`]).
    #[inline]
    pub fn encoding(mut self, encoding: OverlayEncoding) -> Self {
        self.encoding = encoding;
        self
    }

    /// `lm-…`: layer mode (`multiply`, `cutter`, `cutout`, `displace`), written when truthy.
    #[inline]
    pub fn layer_mode(mut self, mode: impl Into<Value<'a>>) -> Self {
        self.layer_mode = Some(mode.into());
        self
    }

    slot_setters! { position:
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

    slot_setters! { timing:
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
        self.transformation.push(step);
        self
    }

    /// Copies borrowed data so the overlay no longer borrows.
    pub fn into_owned(self) -> Overlay<'static> {
        let own = |c: Cow<'a, str>| Cow::Owned(c.into_owned());
        let opt = |v: Option<Value<'a>>| v.map(Value::into_owned);
        Overlay {
            kind: match self.kind {
                OverlayKind::Text(c) => OverlayKind::Text(own(c)),
                OverlayKind::Image(c) => OverlayKind::Image(own(c)),
                OverlayKind::Video(c) => OverlayKind::Video(own(c)),
                OverlayKind::Subtitle(c) => OverlayKind::Subtitle(own(c)),
                OverlayKind::SolidColor(c) => OverlayKind::SolidColor(own(c)),
                OverlayKind::Other(c) => OverlayKind::Other(own(c)),
            },
            encoding: self.encoding,
            layer_mode: opt(self.layer_mode),
            position: self.position.map(opt),
            timing: self.timing.map(opt),
            transformation: self.transformation.into_owned(),
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

fn is_simple_path(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'/' | b' '))
}

fn push_text(out: &mut String, text: &str, enc: OverlayEncoding) {
    let plain = match enc {
        OverlayEncoding::Plain => true,
        OverlayEncoding::Base64 => false,
        OverlayEncoding::Auto => is_simple_text(text),
    };
    if plain {
        out.push_str("i-");
        push_uri_component(out, text);
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
    let slots = core::iter::once(("lm-", &o.layer_mode))
        .chain(POSITION_KEYS.iter().copied().zip(o.position.iter()))
        .chain(TIMING_KEYS.iter().copied().zip(o.timing.iter()));
    for (key, value) in slots {
        if let Some(v) = value {
            if v.is_truthy() {
                sep(out);
                out.push_str(key);
                v.write_js(out);
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
