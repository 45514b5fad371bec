//! The request and response types every handler works with, and ImageKit's
//! error shape.

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use serde::Serialize;
use serde_json::{Value, json};

/// A request with its body fully read (bounded by the server).
#[derive(Debug, Clone)]
pub struct Req {
    /// The method.
    pub method: Method,
    /// The path, percent-decoded segment by segment by the router.
    pub path: String,
    /// Decoded query pairs, in order.
    pub query: Vec<(String, String)>,
    /// The headers.
    pub headers: HeaderMap,
    /// The body (empty when it was spooled to a file).
    pub body: Bytes,
    /// An upload's body, spooled to a temporary file by the socket server.
    pub(crate) spooled: Option<std::sync::Arc<crate::spool::TempFile>>,
}

impl Req {
    /// The first value of a query parameter.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as JSON of type `T`, or ImageKit's 400.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, ApiError> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return serde_json::from_slice(b"{}")
                .map_err(|e| ApiError::bad_request(format!("Invalid request body: {e}")));
        }
        serde_json::from_slice(&self.body).map_err(|e| ApiError::bad_request(format!("Invalid request body: {e}")))
    }
}

/// A response about to be written.
#[derive(Debug)]
pub struct Resp {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

impl Resp {
    /// A JSON response.
    pub fn json<T: Serialize>(status: StatusCode, value: &T) -> Resp {
        let body = serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec());
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
        Resp { status, headers, body: body.into() }
    }

    /// 200 with a JSON body.
    pub fn ok<T: Serialize>(value: &T) -> Resp {
        Resp::json(StatusCode::OK, value)
    }

    /// 204 without a body.
    pub fn no_content() -> Resp {
        Resp { status: StatusCode::NO_CONTENT, headers: HeaderMap::new(), body: Bytes::new() }
    }

    /// Raw bytes with a content type.
    pub fn bytes(status: StatusCode, content_type: &str, body: Bytes) -> Resp {
        let mut headers = HeaderMap::new();
        if let Ok(v) = HeaderValue::from_str(content_type) {
            headers.insert(header::CONTENT_TYPE, v);
        }
        Resp { status, headers, body }
    }

    /// Add a header (ignored if malformed).
    pub fn with_header(mut self, name: &'static str, value: &str) -> Resp {
        if let Ok(v) = HeaderValue::from_str(value) {
            self.headers.insert(name, v);
        }
        self
    }
}

/// The help text ImageKit puts in every error body.
pub const HELP: &str = "For support kindly contact us at support@imagekit.io .";

/// An error answered in ImageKit's shape: `{"message", "help", ...extra}`.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The status.
    pub status: StatusCode,
    /// The message.
    pub message: String,
    /// Extra fields (`missingFileIds`, `errors`, `reason`).
    pub extra: serde_json::Map<String, Value>,
}

impl ApiError {
    /// An error with `status` and `message`.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError { status, message: message.into(), extra: serde_json::Map::new() }
    }

    /// 400.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 404.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    /// 409.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, message)
    }

    /// 500, for storage failures.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    /// Add an extra field to the body.
    pub fn with(mut self, key: &str, value: Value) -> Self {
        self.extra.insert(key.to_owned(), value);
        self
    }

    /// The response.
    pub fn into_resp(self) -> Resp {
        let mut body = json!({"message": self.message, "help": HELP});
        if let Value::Object(map) = &mut body {
            map.extend(self.extra);
        }
        Resp::json(self.status, &body)
    }
}

impl From<ApiError> for Resp {
    fn from(e: ApiError) -> Resp {
        e.into_resp()
    }
}

/// What a handler returns.
pub type ApiResult = Result<Resp, ApiError>;
