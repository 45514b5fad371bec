//! A recorded request and its deterministic renderings.

use std::collections::BTreeMap;
use std::fmt;

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use http::{HeaderMap, Method, Uri, Version};
use serde_json::{Map, Value, json};

use super::multipart::{self, Form, fingerprint, fingerprint_json};
use super::render::{RenderOptions, media_type};

/// One request as a [`RecordingTransport`](super::RecordingTransport) saw it,
/// body fully read.
///
/// The fields hold the request exactly as sent. The renderings —
/// [`Display`](fmt::Display), [`to_json`](Self::to_json) and
/// [`Serialize`](serde::Serialize) — are deterministic and follow its
/// [`RenderOptions`] (by default credentials, `user-agent` and per-request ids
/// are redacted; see the [module docs](super) for the whole format).
///
/// Equality compares the request, not the render options.
#[derive(Clone)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The request method.
    pub method: Method,
    /// The request URI, as given.
    pub uri: Uri,
    /// The HTTP version the request asked for.
    pub version: Version,
    /// The request headers, as sent (nothing redacted).
    pub headers: HeaderMap,
    /// The complete request body.
    pub body: Bytes,
    /// The length the body announced before it was read
    /// ([`Body::content_length`](crate::Body::content_length)), which a
    /// transport sends as `Content-Length`; `None` for a stream of unknown
    /// length, which goes out chunked. (A stream that announced a length and
    /// then sent another is an error, so it is never recorded.)
    pub declared_length: Option<u64>,
    options: RenderOptions,
}

/// The note on a body that was streamed without a declared length.
const NOT_DECLARED: &str = "<no length declared: sent chunked>";

/// What the body is, for rendering.
enum BodyView<'a> {
    Empty,
    Multipart(Form),
    /// Announced as multipart but does not parse: the parser's message.
    BadMultipart(String),
    Text(&'a str),
    Binary,
}

impl RecordedRequest {
    /// A recorded request from the parts and the read body of an
    /// [`http::Request`], with the default [`RenderOptions`] — to render
    /// requests captured some other way. The body's length counts as
    /// declared; set [`declared_length`](Self::declared_length) to `None` for
    /// a body that was streamed without one.
    pub fn from_parts(parts: http::request::Parts, body: Bytes) -> Self {
        Self {
            method: parts.method,
            uri: parts.uri,
            version: parts.version,
            headers: parts.headers,
            declared_length: Some(body.len() as u64),
            body,
            options: RenderOptions::default(),
        }
    }

    /// The options this request renders with.
    pub fn render_options(&self) -> &RenderOptions {
        &self.options
    }

    /// A copy that renders with `options`, e.g.
    /// `RenderOptions::new().keep_header("user-agent")`.
    #[must_use]
    pub fn with_render_options(&self, options: RenderOptions) -> Self {
        Self { options, ..self.clone() }
    }

    pub(super) fn set_render_options(&mut self, options: &RenderOptions) {
        self.options.clone_from(options);
    }

    /// The first value of header `name`, if present and valid UTF-8.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as UTF-8 text, if it is.
    pub fn body_text(&self) -> Option<&str> {
        std::str::from_utf8(&self.body).ok()
    }

    /// The body parsed as JSON, if it is.
    pub fn body_json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// A copy with the values of the named headers replaced by
    /// `[redacted]` in [`headers`](Self::headers) itself. Rendering already
    /// redacts what the [`RenderOptions`] say; this is for headers a test
    /// compares or prints by other means.
    #[must_use]
    pub fn redact_headers(&self, names: &[&str]) -> Self {
        let mut copy = self.clone();
        for name in names {
            if let Ok(name) = HeaderName::from_bytes(name.as_bytes()) {
                if copy.headers.contains_key(&name) {
                    copy.headers.insert(name, HeaderValue::from_static(super::render::REDACTED));
                }
            }
        }
        copy
    }

    /// Headers sorted by name (values of one name keep their order), as
    /// rendered: redacted, boundary replaced, non-UTF-8 shown lossily.
    fn sorted_headers(&self) -> BTreeMap<&str, Vec<String>> {
        let mut sorted: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (name, value) in &self.headers {
            sorted.entry(name.as_str()).or_default().push(self.options.header_value(name.as_str(), value.as_bytes()));
        }
        sorted
    }

    fn content_type(&self) -> Option<String> {
        self.headers.get(CONTENT_TYPE).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    }

    fn is_json(&self) -> bool {
        self.content_type().is_some_and(|ct| ct.to_ascii_lowercase().contains("json"))
    }

    fn body_view(&self) -> BodyView<'_> {
        if self.body.is_empty() {
            return BodyView::Empty;
        }
        if let Some(content_type) = self.content_type().filter(|ct| media_type(ct) == "multipart/form-data") {
            return match multipart::parse(&content_type, &self.body) {
                Ok(form) => BodyView::Multipart(form),
                Err(message) => BodyView::BadMultipart(message),
            };
        }
        match self.body_text() {
            Some(text) => BodyView::Text(text),
            None => BodyView::Binary,
        }
    }

    /// A deterministic JSON view: `method`, `uri`, `headers` (an object
    /// sorted by name; a string, or an array for repeated headers; redacted
    /// as the [`RenderOptions`] say, multipart boundary as `[boundary]`) and
    /// `body`:
    ///
    /// - `null` when empty;
    /// - the parsed JSON when the content type says JSON and it parses;
    /// - `multipart/form-data`: `{"multipart/form-data": [part, ...]}`, each
    ///   part `{"name", "filename"?, "content_type"?, "headers"?}` and either
    ///   `"value": text`, or `"file"` (parts with a file name) / `"binary"`
    ///   (non-UTF-8) `{"len": n, "sha256": "<16 hex>"}`; `preamble` /
    ///   `epilogue` fingerprints if anything surrounds the delimiters;
    /// - a multipart body that does not parse:
    ///   `{"unparsed_multipart": {"error", "len", "sha256", "text"?}}`;
    /// - else the text, or for non-UTF-8 bytes
    ///   `{"binary": {"len": n, "sha256": "<16 hex>"}}`.
    ///
    /// A body sent without a declared length adds `"length_declared": false`.
    pub fn to_json(&self) -> serde_json::Value {
        let mut headers = Map::new();
        for (name, mut values) in self.sorted_headers() {
            let value = if values.len() == 1 {
                Value::String(values.remove(0))
            } else {
                Value::Array(values.into_iter().map(Value::String).collect())
            };
            headers.insert(name.to_owned(), value);
        }
        let body = match self.body_view() {
            BodyView::Empty => Value::Null,
            BodyView::Multipart(form) => form.to_json(),
            BodyView::BadMultipart(error) => {
                let mut unparsed = fingerprint_json(&self.body);
                unparsed["error"] = Value::String(error);
                if let Some(text) = self.body_text() {
                    unparsed["text"] = Value::String(text.to_owned());
                }
                json!({ "unparsed_multipart": unparsed })
            }
            BodyView::Text(text) => match self.is_json().then(|| self.body_json()).flatten() {
                Some(json) => json,
                None => Value::String(text.to_owned()),
            },
            BodyView::Binary => json!({ "binary": fingerprint_json(&self.body) }),
        };
        let mut out = Map::new();
        out.insert("method".into(), Value::String(self.method.to_string()));
        out.insert("uri".into(), Value::String(self.uri.to_string()));
        out.insert("headers".into(), Value::Object(headers));
        out.insert("body".into(), body);
        if self.declared_length.is_none() {
            out.insert("length_declared".into(), Value::Bool(false));
        }
        Value::Object(out)
    }
}

/// The request line, the headers sorted by name (redacted as the
/// [`RenderOptions`] say, multipart boundary as `[boundary]`), then a blank
/// line and the body if there is one: a `multipart/form-data` body as its
/// parts, other text as it is, other bytes as
/// `<binary body: N bytes, sha256 …>`. A body sent without a declared length
/// starts with the line `<no length declared: sent chunked>`.
impl fmt::Display for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} {}", self.method, self.uri)?;
        for (name, values) in self.sorted_headers() {
            for value in values {
                writeln!(f, "{name}: {value}")?;
            }
        }
        let view = self.body_view();
        if matches!(view, BodyView::Empty) && self.declared_length.is_some() {
            return Ok(());
        }
        writeln!(f)?;
        if self.declared_length.is_none() {
            writeln!(f, "{NOT_DECLARED}")?;
        }
        match view {
            BodyView::Empty => Ok(()),
            BodyView::Multipart(form) => write!(f, "{form}"),
            BodyView::BadMultipart(error) => {
                writeln!(f, "<multipart body that does not parse ({error}): {}>", fingerprint(&self.body))?;
                match self.body_text() {
                    Some(text) => writeln!(f, "{text}"),
                    None => Ok(()),
                }
            }
            BodyView::Text(text) => writeln!(f, "{text}"),
            BodyView::Binary => writeln!(f, "<binary body: {}>", fingerprint(&self.body)),
        }
    }
}

impl fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl PartialEq for RecordedRequest {
    fn eq(&self, other: &Self) -> bool {
        self.method == other.method
            && self.uri == other.uri
            && self.version == other.version
            && self.headers == other.headers
            && self.body == other.body
            && self.declared_length == other.declared_length
    }
}

impl Eq for RecordedRequest {}

/// The [`to_json`](RecordedRequest::to_json) view.
impl serde::Serialize for RecordedRequest {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(&self.to_json(), serializer)
    }
}
