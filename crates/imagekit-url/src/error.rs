//! Typed errors: bad input never panics and never yields a silently wrong URL.

use alloc::string::String;
use core::fmt;

/// Why a URL, transformation string or upload signature could not be built.
///
/// Where the official helper answers bad input with an empty string (an empty `src`, an
/// unparsable endpoint), this crate returns one of these instead.
///
/// ```
/// use imagekit_url::{build_url, UrlError, UrlOptions};
///
/// let err = build_url(&UrlOptions::new("").url_endpoint("https://ik.imagekit.io/demo")).unwrap_err();
/// assert_eq!(err, UrlError::EmptySrc);
/// assert_eq!(err.to_string(), "src is empty");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UrlError {
    /// `src` is empty (the official helper returns `""`).
    EmptySrc,
    /// `src` is relative and `url_endpoint` does not parse as an absolute http(s) URL
    /// (the official helper returns `""`).
    InvalidEndpoint,
    /// `src` starts with `http://` or `https://` but does not parse as a URL, e.g. `https://`
    /// (the official helper returns `""`).
    InvalidSrc,
    /// The URL has a host this crate cannot normalize without IDNA tables (non-ASCII host).
    UnsupportedHost,
    /// An overlay has an empty text, input path or color (the official helper silently drops it).
    EmptyOverlayInput,
    /// The URL must be signed (`signed` or `expires_in > 0`) but no private key was given.
    MissingPrivateKey,
    /// A private key must not be empty.
    EmptyPrivateKey,
    /// Signing needs the URL endpoint, even for an absolute `src` (the official helper
    /// would emit an empty `ik-s=`).
    MissingEndpoint,
    /// `expires_in` was set without a clock reading and the `std` feature is off.
    MissingNow,
    /// Upload authentication needs a non-empty token when no random one can be drawn.
    EmptyToken,
    /// Upload authentication needs a non-zero expiry when no clock is available.
    MissingExpire,
    /// A value the official helper cannot stringify for this key (it throws), e.g. a
    /// number for `defaultImage`.
    InvalidValue {
        /// The option key.
        key: String,
    },
    /// Strict mode ([`UrlOptions::strict`](crate::UrlOptions::strict)) refused the options:
    /// the official helper would silently drop or mangle something in them. Boxed, so that
    /// `UrlError` (and every `Result` on the building path) stays as small as a `String`.
    Strict(alloc::boxed::Box<StrictError>),
}

impl From<StrictError> for UrlError {
    fn from(e: StrictError) -> Self {
        Self::Strict(alloc::boxed::Box::new(e))
    }
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptySrc => f.write_str("src is empty"),
            Self::InvalidEndpoint => f.write_str("url endpoint is not a valid absolute http(s) URL"),
            Self::InvalidSrc => f.write_str("src is not a valid absolute URL"),
            Self::UnsupportedHost => f.write_str("non-ASCII hosts are not supported"),
            Self::EmptyOverlayInput => f.write_str("overlay has no text, input or color"),
            Self::MissingPrivateKey => f.write_str("a private key is required to sign the URL"),
            Self::EmptyPrivateKey => {
                f.write_str("Private API key is required for authentication parameters generation")
            }
            Self::MissingEndpoint => f.write_str("signing requires the URL endpoint"),
            Self::MissingNow => f.write_str("expires_in needs the current time (no std clock)"),
            Self::EmptyToken => f.write_str("upload token is empty"),
            Self::MissingExpire => f.write_str("upload expiry is zero"),
            Self::InvalidValue { key } => write!(f, "value of `{key}` must be a string"),
            // Transparent: the strict error's own message names where, what and why.
            Self::Strict(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl core::error::Error for UrlError {}

/// Why two pHashes could not be compared. The messages are the official SDK's, typo included.
///
/// ```
/// use imagekit_url::{phash_distance, PHashError};
///
/// assert_eq!(phash_distance("f06830ca9f1e3e90", "0xzz"), Err(PHashError::InvalidHex));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PHashError {
    /// One of the values is empty.
    Missing,
    /// One of the values is not made of hexadecimal digits only (`0x` counts as invalid).
    InvalidHex,
    /// The two values differ in length.
    UnequalLength,
}

impl fmt::Display for PHashError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Missing => "Missing pHash value: Please pass two pHash values",
            Self::InvalidHex => "Invalid pHash value: Both pHash strings must be valid hexadecimal numbers",
            Self::UnequalLength => {
                "Unequal pHash string length: For distance calucation, the two pHash strings must have equal length"
            }
        })
    }
}

impl core::error::Error for PHashError {}

/// What strict mode refused, where, and the offending field and value.
///
/// Made by [`UrlOptions::validate`](crate::UrlOptions::validate),
/// [`validate_transformations`](crate::validate_transformations) and, wrapped in
/// [`UrlError::Strict`], by building strict options. The message reads
/// `<where>: <field>: <value> <why>`:
///
/// ```
/// use imagekit_url::{StrictErrorKind, Transformation, UrlError, UrlOptions};
///
/// let opts = UrlOptions::new("/a.jpg")
///     .url_endpoint("https://ik.imagekit.io/demo")
///     .transformation(Transformation::new().width(f64::NAN))
///     .strict();
/// let Err(UrlError::Strict(err)) = opts.build() else { panic!("strict mode let NaN through") };
/// assert_eq!(err.to_string(), "transformation 0: width: NaN is not a finite number");
/// assert_eq!((err.at(), err.field(), err.value()), ("transformation 0", "width", "NaN"));
/// assert_eq!(err.kind(), &StrictErrorKind::NotFinite);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrictError {
    pub(crate) at: String,
    pub(crate) field: String,
    pub(crate) value: String,
    pub(crate) shown: Shown,
    pub(crate) kind: StrictErrorKind,
}

/// How [`StrictError`]'s `Display` shows the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shown {
    /// In double quotes (a string).
    Quoted,
    /// As is (a number, boolean or `null`).
    Bare,
    /// In brackets (a list, whose text is the JavaScript `join(",")`).
    List,
}

impl StrictError {
    pub(crate) fn new(at: String, field: &str, value: String, shown: Shown, kind: StrictErrorKind) -> Self {
        Self { at, field: String::from(field), value, shown, kind }
    }

    /// Where the value sits: `transformation 1`, `transformation 0: overlay 0`,
    /// `transformation 0: overlay 0: transformation 2`, or `""` for the URL options themselves.
    pub fn at(&self) -> &str {
        &self.at
    }

    /// The option's name: an official option key (`width`, `defaultImage`), a layer field
    /// (`x`, `input`, `layerMode`), `raw`, the unknown key as given, or `src`,
    /// `urlEndpoint`, `queryParameters`. Empty for an empty step.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The offending value as the official helper would stringify it (`String(value)`;
    /// a list is joined with `,`). Empty for an empty step.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// What is wrong with it.
    pub fn kind(&self) -> &StrictErrorKind {
        &self.kind
    }
}

/// Why strict mode refused a value. Each kind is something the official helper would
/// silently drop or turn into a URL that asks ImageKit for something else.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StrictErrorKind {
    /// `NaN` or an infinity: written as `w-NaN`, `w-Infinity`.
    NotFinite,
    /// A negative number, or a string starting with `-`: written as `w--5`. ImageKit writes
    /// negative values with an `N` prefix (`lx-N10`).
    Negative,
    /// A layer position, timing or mode that is falsy (`0`, `""`, `false`): the official
    /// helper writes these only when truthy, so `x(0)` silently loses its position. A zero
    /// position is written with the string `"0"`.
    Falsy,
    /// The value holds a character that breaks the transformation syntax or the URL around
    /// it (see [`UrlOptions::strict`](crate::UrlOptions::strict) for the list).
    ReservedChar(char),
    /// An empty or blank value: written as a bare `h-`, `di-`, an empty `raw` component or a
    /// layer with no input.
    Blank,
    /// A value of a kind this option does not take, e.g. `true` for `width` (`w-true`), a list
    /// outside `streamingResolutions` (joined with `,`), or a flag value that the helper
    /// drops.
    WrongType {
        /// What the option takes.
        expected: &'static str,
    },
    /// A parameter name the official key table does not know; the helper writes it as is
    /// (`widht-100`).
    UnknownParameter {
        /// The closest known option key, if one is close enough (similarity ranking needs
        /// the `std` feature; the official helper's legacy aliases are always recognised).
        suggestion: Option<&'static str>,
    },
    /// `raw` set through [`Transformation::param`](crate::Transformation::param): written as
    /// `raw-…` rather than inserted verbatim.
    RawAsParameter,
    /// A transformation step that writes nothing, so the helper drops it.
    EmptyStep,
    /// A layer type the helper does not know: only `l-end` would be written.
    UnknownOverlayType,
    /// A path with an empty segment (`a//b`), written as `a@@@@b`.
    EmptyPathSegment,
    /// A `raw` value with an empty component (`w-1,,h-2`, a leading or trailing `,` or `:`).
    EmptyComponent,
    /// A relative `src` holding `?` or `#`: the helper percent-encodes it into the path.
    EncodedIntoPath(char),
    /// `src` or the URL endpoint has a `#fragment`, and the helper would append `tr`,
    /// `ik-t` or `ik-s` after it, where they never reach the server.
    AfterFragment,
    /// A query parameter named `tr` next to a transformation, or `ik-t` / `ik-s` on a
    /// signed URL: the URL would carry it twice.
    DuplicateQueryParameter,
    /// The endpoint, `src` or a query parameter holds `PLEASEREPLACEJUSTBEFORESIGN`, the
    /// text the helper writes where the transformation goes and then replaces: its first
    /// occurrence, which would be this one.
    PlaceholderText,
    /// A relative `src` with more `..` segments than segments before them, next to a
    /// transformation in the path: the URL parser removes the `tr:` segment with it.
    DotSegment,
    /// `src` or the endpoint ends in a query with no parameter (`a.jpg?`): the helper adds
    /// another `?` before `tr` or `ik-s` (`a.jpg??tr=…`).
    EmptyQuery,
}

impl fmt::Display for StrictError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let StrictErrorKind::EmptyStep = self.kind {
            return write!(f, "{} is empty, so the official helper drops it", self.at);
        }
        if !self.at.is_empty() {
            write!(f, "{}: ", self.at)?;
        }
        write!(f, "{}: ", self.field)?;
        if let StrictErrorKind::UnknownParameter { suggestion } = self.kind {
            write!(f, "not a known transformation parameter (value {})", ShowValue(self))?;
            if let Some(s) = suggestion {
                write!(f, "; did you mean \"{s}\"?")?;
            }
            return Ok(());
        }
        write!(f, "{} ", ShowValue(self))?;
        match &self.kind {
            StrictErrorKind::NotFinite => f.write_str("is not a finite number"),
            StrictErrorKind::Negative => {
                f.write_str("is negative; ImageKit writes negative values with an N prefix (\"N10\" for -10)")
            }
            StrictErrorKind::Falsy => f.write_str(
                "is dropped by the official helper, which writes this field only when truthy (write 0 as \"0\")",
            ),
            StrictErrorKind::ReservedChar(c) => {
                write!(f, "contains '{}', {}", c.escape_debug(), reserved_reason(*c))
            }
            StrictErrorKind::Blank => f.write_str(if self.value.is_empty() { "is empty" } else { "is blank" }),
            StrictErrorKind::WrongType { expected } => write!(f, "is not {expected}"),
            StrictErrorKind::RawAsParameter => {
                f.write_str("would be written as a `raw-…` parameter; use Transformation::raw to insert it verbatim")
            }
            StrictErrorKind::UnknownOverlayType => f.write_str("is not a layer type (only `l-end` would be written)"),
            StrictErrorKind::EmptyPathSegment => f.write_str("has an empty path segment"),
            StrictErrorKind::EmptyComponent => f.write_str("has an empty component"),
            StrictErrorKind::EncodedIntoPath(c) => {
                write!(f, "contains '{c}', which a relative src percent-encodes into the path; use query parameters")
            }
            StrictErrorKind::AfterFragment => f.write_str(
                "has a #fragment, and the transformation or signature appended after it never reaches the server",
            ),
            StrictErrorKind::DuplicateQueryParameter => f.write_str(
                "is a parameter the URL already carries (the transformation's tr, or ik-t/ik-s of the signature)",
            ),
            StrictErrorKind::PlaceholderText => f.write_str(
                "holds PLEASEREPLACEJUSTBEFORESIGN, the official helper's placeholder, which the transformation would replace",
            ),
            StrictErrorKind::DotSegment => {
                f.write_str("has a `..` segment that would remove the `tr:` path segment before it")
            }
            StrictErrorKind::EmptyQuery => {
                f.write_str("has an empty query, after which the official helper writes a second `?`")
            }
            StrictErrorKind::EmptyStep | StrictErrorKind::UnknownParameter { .. } => Ok(()),
        }
    }
}

impl core::error::Error for StrictError {}

/// Why a reserved character breaks the URL.
fn reserved_reason(c: char) -> &'static str {
    match c {
        ',' => "which separates transformation parameters",
        ':' => "which separates transformation steps",
        '/' => "which ends the `tr:` path segment",
        '?' => "which starts the query string",
        '#' => "which starts the fragment, never sent to the server",
        '&' => "which ends the `tr` query parameter",
        '%' => "which the server decodes as a percent-escape",
        '+' => "which a query string reads as a space",
        '\\' => "which URL parsers turn into `/`",
        '$' => "followed by $, &, ` or ', a pattern the official helper's String.prototype.replace expands",
        _ => "a control character, which URL parsers strip",
    }
}

/// The value as `Display` shows it.
struct ShowValue<'e>(&'e StrictError);

impl fmt::Display for ShowValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = &self.0.value;
        match self.0.shown {
            Shown::Quoted => write!(f, "\"{}\"", v.escape_debug()),
            Shown::Bare => f.write_str(v),
            Shown::List => write!(f, "[{}]", v.escape_debug()),
        }
    }
}
