//! Typed errors: bad input never panics and never yields a silently wrong URL.

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
        key: alloc::string::String,
    },
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
