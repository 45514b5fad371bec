//! How recorded requests are rendered: which headers are redacted, the
//! multipart boundary placeholder, and the fingerprint of binary data.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

/// Headers redacted by default, lower-case: credentials (`authorization`,
/// `proxy-authorization`, `cookie`), the SDK's version (`user-agent`), and the
/// per-request ids some clients generate (`x-request-id`, `idempotency-key`).
pub const DEFAULT_REDACTED_HEADERS: &[&str] =
    &["authorization", "cookie", "idempotency-key", "proxy-authorization", "user-agent", "x-request-id"];

/// What a redacted header's value renders as.
pub const REDACTED: &str = "[redacted]";

/// What the `boundary` parameter of a `multipart/*` content type renders as.
pub const BOUNDARY_PLACEHOLDER: &str = "[boundary]";

/// How a [`RecordedRequest`](super::RecordedRequest) renders in its
/// [`Display`](std::fmt::Display) and JSON forms: which headers have their
/// value replaced by `[redacted]`.
///
/// The default redacts [`DEFAULT_REDACTED_HEADERS`]: secrets never reach a
/// snapshot, and neither does anything that changes with each release or run.
/// Header names are case-insensitive. Redaction applies to rendering only:
/// [`RecordedRequest::headers`](super::RecordedRequest::headers) keeps the
/// values as sent, for assertions.
///
/// ```
/// use imagekit_transport::test_util::RenderOptions;
///
/// let options = RenderOptions::new().redact_header("X-My-Trace").keep_header("user-agent");
/// assert!(options.is_redacted("x-my-trace"));
/// assert!(options.is_redacted("Authorization"));
/// assert!(!options.is_redacted("user-agent"));
/// assert!(!RenderOptions::redacting_nothing().is_redacted("authorization"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderOptions {
    redacted: BTreeSet<String>,
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self { redacted: DEFAULT_REDACTED_HEADERS.iter().map(|&name| name.to_owned()).collect() }
    }
}

impl RenderOptions {
    /// The default: [`DEFAULT_REDACTED_HEADERS`] are redacted.
    pub fn new() -> Self {
        Self::default()
    }

    /// Nothing redacted: every header renders as sent, credentials included.
    pub fn redacting_nothing() -> Self {
        Self { redacted: BTreeSet::new() }
    }

    /// Also redact header `name`.
    #[must_use]
    pub fn redact_header(mut self, name: &str) -> Self {
        self.redacted.insert(name.to_ascii_lowercase());
        self
    }

    /// Render header `name` as sent, even if it is redacted by default.
    #[must_use]
    pub fn keep_header(mut self, name: &str) -> Self {
        self.redacted.remove(&name.to_ascii_lowercase());
        self
    }

    /// Whether header `name` renders as `[redacted]`.
    pub fn is_redacted(&self, name: &str) -> bool {
        self.redacted.contains(&name.to_ascii_lowercase())
    }

    /// The redacted header names, lower-case and sorted.
    pub fn redacted_headers(&self) -> impl Iterator<Item = &str> {
        self.redacted.iter().map(String::as_str)
    }

    /// A header value as rendered: `[redacted]`, the content type with its
    /// boundary replaced, or the value (non-UTF-8 bytes shown lossily).
    pub(super) fn header_value(&self, name: &str, value: &[u8]) -> String {
        if self.is_redacted(name) {
            return REDACTED.to_owned();
        }
        let value = String::from_utf8_lossy(value);
        if name == "content-type" { without_boundary(&value) } else { value.into_owned() }
    }
}

/// The media type of a content type, lower-case, parameters dropped.
pub(super) fn media_type(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// `content_type` with the value of its `boundary` parameter replaced by
/// [`BOUNDARY_PLACEHOLDER`] when it is a `multipart/*` type; everything else,
/// spacing included, is kept as sent.
fn without_boundary(content_type: &str) -> String {
    if !media_type(content_type).starts_with("multipart/") {
        return content_type.to_owned();
    }
    // Boundary characters (RFC 2046) include neither `;` nor `"`, so the
    // parameters split on `;` and a quoted boundary is replaced whole.
    let mut out = String::with_capacity(content_type.len());
    for (i, segment) in content_type.split(';').enumerate() {
        if i > 0 {
            out.push(';');
        }
        match segment.split_once('=') {
            Some((key, _)) if i > 0 && key.trim().eq_ignore_ascii_case("boundary") => {
                out.push_str(key);
                out.push('=');
                out.push_str(BOUNDARY_PLACEHOLDER);
            }
            _ => out.push_str(segment),
        }
    }
    out
}

/// The first 16 hex digits (64 bits) of the SHA-256 of `data`: enough to tell
/// payloads apart in a snapshot, short enough to read. The same as the start of
/// `sha256sum`'s output.
pub(super) fn sha256_prefix(data: &[u8]) -> String {
    let digest = Sha256::digest(data);
    let mut hex = String::with_capacity(16);
    for byte in digest.iter().take(8) {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// `text` as it is printed in a text rendering: verbatim when that is
/// unambiguous on one line (non-empty, no control characters, no leading or
/// trailing whitespace), else as a JSON string literal, flagged by
/// `(escaped)`. CR LF inside a value stays visible, and survives tools that
/// normalize line endings.
pub(super) fn text_line(label: &str, text: &str) -> String {
    let verbatim = !text.is_empty()
        && !text.chars().any(char::is_control)
        && !text.starts_with(char::is_whitespace)
        && !text.ends_with(char::is_whitespace);
    if verbatim { format!("{label}: {text}") } else { format!("{label} (escaped): {}", quoted(text)) }
}

/// `text` as a JSON string literal (quotes, backslashes and control
/// characters escaped).
pub(super) fn quoted(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundary_is_replaced_in_multipart_types_only() {
        assert_eq!(
            without_boundary("multipart/form-data; boundary=----imagekit-rs-0123"),
            "multipart/form-data; boundary=[boundary]"
        );
        assert_eq!(
            without_boundary("Multipart/Form-Data;charset=utf-8;  Boundary=\"a b\""),
            "Multipart/Form-Data;charset=utf-8;  Boundary=[boundary]"
        );
        assert_eq!(without_boundary("multipart/mixed; boundary=x"), "multipart/mixed; boundary=[boundary]");
        assert_eq!(without_boundary("text/plain; boundary=x"), "text/plain; boundary=x");
        assert_eq!(without_boundary("multipart/form-data"), "multipart/form-data");
    }

    #[test]
    fn sha256_prefix_matches_the_known_digest() {
        // sha256("abc") = ba7816bf8f01cfea414140de5dae2223...
        assert_eq!(sha256_prefix(b"abc"), "ba7816bf8f01cfea");
        // sha256("") = e3b0c44298fc1c149afbf4c8996fb924...
        assert_eq!(sha256_prefix(b""), "e3b0c44298fc1c14");
    }

    #[test]
    fn text_is_verbatim_only_when_unambiguous() {
        assert_eq!(text_line("value", "a,b"), "value: a,b");
        assert_eq!(text_line("value", r#"{"k":"v"}"#), r#"value: {"k":"v"}"#);
        assert_eq!(text_line("value", "a\r\nb"), r#"value (escaped): "a\r\nb""#);
        assert_eq!(text_line("value", ""), r#"value (escaped): """#);
        assert_eq!(text_line("value", " a"), r#"value (escaped): " a""#);
        assert_eq!(text_line("value", "tab\there"), r#"value (escaped): "tab\there""#);
    }

    #[test]
    fn redaction_is_case_insensitive_and_adjustable() {
        let options = RenderOptions::new();
        for name in DEFAULT_REDACTED_HEADERS {
            assert!(options.is_redacted(&name.to_ascii_uppercase()), "{name}");
        }
        assert_eq!(options.header_value("authorization", b"Basic c2VjcmV0Og=="), REDACTED);
        assert_eq!(options.header_value("accept", b"application/json"), "application/json");
        let options = options.keep_header("User-Agent").redact_header("X-Trace");
        assert_eq!(options.header_value("user-agent", b"ImageKit/Rust 0.1.0"), "ImageKit/Rust 0.1.0");
        assert_eq!(options.header_value("x-trace", b"t-1"), REDACTED);
        assert_eq!(
            options.redacted_headers().collect::<Vec<_>>(),
            ["authorization", "cookie", "idempotency-key", "proxy-authorization", "x-request-id", "x-trace"]
        );
    }
}
