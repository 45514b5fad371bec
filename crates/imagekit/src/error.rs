//! The one error type of the SDK, with reqwest-style predicates.

use std::fmt;
use std::time::Duration;

use http::{HeaderMap, StatusCode};
use imagekit_transport::TransportError;
use imagekit_types::ErrorBody;

/// A result with the SDK's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong with a call.
///
/// The status variants mirror the official SDKs' classes (`BadRequestError`,
/// `AuthenticationError`, ...). Use the predicates rather than matching when you
/// only need to decide what to do:
///
/// ```
/// # fn handle(err: imagekit::Error) {
/// if err.is_retryable() {
///     // back off and try again later
/// } else if err.status() == Some(http::StatusCode::NOT_FOUND) {
///     // gone
/// }
/// # }
/// ```
#[non_exhaustive]
#[derive(Debug)]
pub enum Error {
    /// 400: a bad or missing parameter.
    BadRequest(Box<ApiError>),
    /// 401: no or an invalid API key.
    Authentication(Box<ApiError>),
    /// 403: the key cannot act on the account, or a limit was exceeded.
    PermissionDenied(Box<ApiError>),
    /// 404: not found (bulk delete lists `missingFileIds`).
    NotFound(Box<ApiError>),
    /// 409: a conflict.
    Conflict(Box<ApiError>),
    /// 422: unprocessable.
    UnprocessableEntity(Box<ApiError>),
    /// 429: rate limited.
    RateLimit(Box<ApiError>),
    /// 5xx: a server error.
    InternalServer(Box<ApiError>),
    /// Any other non-2xx status.
    Status(Box<ApiError>),
    /// The request failed on the way: could not connect, the connection
    /// closed, TLS failed.
    Connection(TransportError),
    /// An attempt took longer than its timeout.
    Timeout {
        /// The timeout that expired.
        after: Duration,
    },
    /// A 2xx response whose body is not what the endpoint returns.
    Decode {
        /// The HTTP status.
        status: StatusCode,
        /// What the decoder said.
        message: String,
        /// The start of the body, for diagnosis (at most 512 bytes).
        excerpt: String,
        /// The decoder's error, also the [`source`](std::error::Error::source)
        /// (its line and column, its category).
        source: serde_json::Error,
    },
    /// Input rejected before anything was sent (an empty path segment, a
    /// malformed header, a file that is not a regular file).
    /// [`is_invalid_input`](Self::is_invalid_input) is true for it, for
    /// [`Error::Encode`] and for [`Error::File`].
    InvalidInput(String),
    /// A request body could not be serialised (a map with non-string keys, a
    /// `Serialize` impl that fails); nothing was sent. The serialiser's error
    /// is `source` and the [`source`](std::error::Error::source).
    /// [`is_invalid_input`](Self::is_invalid_input) is true for it.
    #[non_exhaustive]
    Encode {
        /// What was being serialised and what the serialiser said.
        message: String,
        /// The serialiser's error.
        source: serde_json::Error,
    },
    /// A local file to upload could not be read (missing, not allowed);
    /// nothing was sent. The I/O error is `source` and the
    /// [`source`](std::error::Error::source).
    /// [`is_invalid_input`](Self::is_invalid_input) is true for it.
    #[non_exhaustive]
    File {
        /// The file's path, as given.
        path: std::path::PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The URL and signing helpers refused a value (an empty token for
    /// [`Client::auth_params_with`](crate::Client::auth_params_with)); nothing
    /// was sent. Their error is `source` and the
    /// [`source`](std::error::Error::source).
    /// [`is_invalid_input`](Self::is_invalid_input) is true for it.
    #[non_exhaustive]
    Url {
        /// The helpers' error.
        source: imagekit_url::UrlError,
    },
    /// The client could not be built (no private key, a bad base URL, a bad
    /// default header). Only [`ClientBuilder::build`](crate::ClientBuilder::build)
    /// returns it.
    Config(String),
    /// The default HTTP client (hyper with rustls) could not be built (its TLS setup failed). Only
    /// [`ClientBuilder::build`](crate::ClientBuilder::build) returns it; the
    /// transport's error is `source` and the
    /// [`source`](std::error::Error::source).
    #[non_exhaustive]
    HttpClient {
        /// The transport's error.
        source: TransportError,
    },
    /// A call needs a client setting that is optional at build time and was
    /// not given (a client-side or V2 upload needs the public key). Nothing
    /// was sent.
    MissingSetting {
        /// The setting and the builder method that sets it.
        setting: &'static str,
        /// What needed it.
        needed_for: &'static str,
    },
    /// A job or purge wait ([`WaitOptions`](crate::resources::wait::WaitOptions))
    /// ran out before the job completed. Every poll was answered, so this is
    /// neither a connection problem nor retryable: the job is still running
    /// on the server, and waiting again may see it complete.
    WaitTimeout {
        /// How long the wait lasted (its `WaitOptions::timeout`).
        waited: Duration,
        /// The job id, or the purge request id.
        job: String,
    },
    /// A 2xx answer that the API contract rules out (a bulk delete that
    /// reports the same ids missing twice): a server anomaly, not bad input.
    UnexpectedResponse(String),
    /// A 2xx response body larger than the call's limit
    /// ([`ClientBuilder::max_response_size`](crate::ClientBuilder::max_response_size),
    /// [`Call::max_response_size`](crate::Call::max_response_size); default
    /// [`DEFAULT_MAX_RESPONSE_SIZE`](crate::DEFAULT_MAX_RESPONSE_SIZE)). At
    /// most the limit plus one chunk was read; when `Content-Length` announced
    /// more than the limit, nothing was. Not retried: the same request gets
    /// the same body.
    ResponseTooLarge {
        /// The HTTP status.
        status: StatusCode,
        /// The limit in bytes.
        limit: usize,
        /// The length the response announced, when `Content-Length` did.
        content_length: Option<u64>,
        /// The transport's `BodyTooLarge` error.
        source: TransportError,
    },
    /// The call's total timeout
    /// ([`ClientBuilder::total_timeout`](crate::ClientBuilder::total_timeout),
    /// [`Call::total_timeout`](crate::Call::total_timeout)) ran out during an
    /// attempt, or a retry wait (backoff or the server's `Retry-After`) would
    /// have ended past it, so the call gave up at once instead of waiting.
    ///
    /// Not [`is_retryable`](Self::is_retryable) and not
    /// [`is_timeout`](Self::is_timeout) (that is one attempt's timeout): the
    /// caller's time budget is spent. The last attempt's error, if any, is
    /// `last` and the [`source`](std::error::Error::source).
    DeadlineExceeded {
        /// The total timeout.
        total: Duration,
        /// The wait that was not taken because it would have ended past the
        /// deadline; `None` when the deadline passed during an attempt.
        retry_in: Option<Duration>,
        /// The error of the last attempt that finished; `None` when the first
        /// attempt was still running.
        last: Option<Box<Error>>,
    },
    /// An auto-pager ([`Assets::list_all`](crate::resources::assets::Assets::list_all))
    /// stopped a listing that does not end: the server sent a page it had
    /// already sent, or the page cap was reached.
    Paging {
        /// Why paging stopped.
        stop: PagingStop,
        /// Pages requested (a repeated page included).
        pages: u32,
    },
}

/// Why an auto-pager stopped before the listing ended; see [`Error::Paging`].
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PagingStop {
    /// The full page at `skip` held the same items, in the same order, as the
    /// page at `earlier_skip`: the server is not moving through the listing
    /// (it ignores `skip`, or cycles through the same pages).
    RepeatedPage {
        /// Where the repeat was asked for.
        skip: u64,
        /// Where the same page was first served.
        earlier_skip: u64,
    },
    /// `max_pages` full pages came back and the listing had not ended.
    PageCap {
        /// The cap ([`ListAll::max_pages`](crate::resources::assets::ListAll::max_pages)).
        max_pages: u32,
    },
}

impl fmt::Display for PagingStop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PagingStop::RepeatedPage { skip, earlier_skip } => {
                write!(f, "the page at skip={skip} repeats the page at skip={earlier_skip}")
            }
            PagingStop::PageCap { max_pages } => {
                write!(f, "{max_pages} full pages read and the listing has not ended (the page cap)")
            }
        }
    }
}

/// A non-2xx answer from the API.
#[derive(Debug)]
#[non_exhaustive]
pub struct ApiError {
    /// The status.
    pub status: StatusCode,
    /// The response headers (`x-ik-requestId`, rate-limit headers, ...).
    pub headers: HeaderMap,
    /// The parsed JSON error body, when the body is JSON.
    pub body: Option<ErrorBody>,
    /// The raw body when it is not JSON (an HTML 502 page, say), cut to 4 KiB.
    pub raw: Option<String>,
    message: String,
}

impl ApiError {
    /// How long the server asked the client to wait before trying again, read
    /// as the SDK's own retries read it: `retry-after-ms`, ImageKit's
    /// `X-RateLimit-Reset` (milliseconds), then `Retry-After` (seconds or an
    /// HTTP date), at most 60 s. `None` when the response names no wait.
    ///
    /// For callers that pace their own requests, e.g. after an
    /// [`Error::RateLimit`] from a call made with `max_retries(0)`.
    pub fn retry_after(&self) -> Option<Duration> {
        crate::retry::server_delay(&self.headers, std::time::SystemTime::now())
    }

    pub(crate) fn new(status: StatusCode, headers: HeaderMap, bytes: &[u8]) -> Self {
        let body: Option<ErrorBody> = serde_json::from_slice(bytes).ok();
        let raw = match &body {
            Some(_) => None,
            None if bytes.is_empty() => None,
            None => Some(excerpt(bytes, 4096)),
        };
        // The official SDK's message: "<status> <message>", the JSON itself when it
        // has no string message, the text, or "status code (no body)". Every form
        // is cut to 512 bytes so a huge message cannot flood logs; the full one
        // stays on `body`.
        let message = match (&body, &raw) {
            (Some(b), _) => match &b.message {
                Some(serde_json::Value::String(m)) => format!("{} {}", status.as_u16(), excerpt(m.as_bytes(), 512)),
                Some(other) => format!("{} {}", status.as_u16(), excerpt(other.to_string().as_bytes(), 512)),
                None => format!("{} {}", status.as_u16(), excerpt(bytes, 512)),
            },
            (None, Some(text)) => format!("{} {}", status.as_u16(), excerpt(text.as_bytes(), 512)),
            (None, None) => format!("{} status code (no body)", status.as_u16()),
        };
        ApiError { status, headers, body, raw, message }
    }

    /// The request id ImageKit support asks for (`x-ik-requestId`).
    pub fn request_id(&self) -> Option<&str> {
        self.headers.get("x-ik-requestid").and_then(|v| v.to_str().ok())
    }

    /// The error message from the body, if any.
    pub fn message(&self) -> Option<&str> {
        self.body.as_ref().and_then(ErrorBody::message_str)
    }

    /// Ids a bulk delete could not find (`missingFileIds` of a 404).
    pub fn missing_file_ids(&self) -> &[String] {
        self.body.as_ref().and_then(|b| b.missing_file_ids.as_deref()).unwrap_or(&[])
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(id) = self.request_id() {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl Error {
    pub(crate) fn from_status(api: ApiError) -> Self {
        let api = Box::new(api);
        match api.status.as_u16() {
            400 => Error::BadRequest(api),
            401 => Error::Authentication(api),
            403 => Error::PermissionDenied(api),
            404 => Error::NotFound(api),
            409 => Error::Conflict(api),
            422 => Error::UnprocessableEntity(api),
            429 => Error::RateLimit(api),
            500.. => Error::InternalServer(api),
            _ => Error::Status(api),
        }
    }

    pub(crate) fn encode(what: &str, err: serde_json::Error) -> Self {
        Error::Encode { message: format!("{what}: {err}"), source: err }
    }

    pub(crate) fn decode(status: StatusCode, err: serde_json::Error, bytes: &[u8]) -> Self {
        Error::Decode { status, message: err.to_string(), excerpt: excerpt(bytes, 512), source: err }
    }

    /// The API error, for status errors.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::BadRequest(e)
            | Error::Authentication(e)
            | Error::PermissionDenied(e)
            | Error::NotFound(e)
            | Error::Conflict(e)
            | Error::UnprocessableEntity(e)
            | Error::RateLimit(e)
            | Error::InternalServer(e)
            | Error::Status(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status, for status errors, decode errors and bodies over the
    /// size limit.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Decode { status, .. } | Error::ResponseTooLarge { status, .. } => Some(*status),
            other => other.api_error().map(|e| e.status),
        }
    }

    /// The `x-ik-requestId` of the failed response, if there was one.
    pub fn request_id(&self) -> Option<&str> {
        self.api_error().and_then(ApiError::request_id)
    }

    /// Whether an attempt timed out. A spent total timeout is
    /// [`is_deadline_exceeded`](Self::is_deadline_exceeded) instead.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout { .. } => true,
            Error::Connection(e) => e.is_timeout(),
            _ => false,
        }
    }

    /// Whether the request failed in transit (no response).
    pub fn is_connection(&self) -> bool {
        matches!(self, Error::Connection(_) | Error::Timeout { .. })
    }

    /// Whether a 2xx response body was over the size limit
    /// ([`Error::ResponseTooLarge`]).
    pub fn is_body_too_large(&self) -> bool {
        matches!(self, Error::ResponseTooLarge { .. })
    }

    /// Whether the input was refused before anything was sent
    /// ([`Error::InvalidInput`], [`Error::Encode`] for a body that could
    /// not be serialised, [`Error::File`] for a file that cannot be read, or
    /// [`Error::Url`] for a value the URL and signing helpers refuse).
    pub fn is_invalid_input(&self) -> bool {
        matches!(self, Error::InvalidInput(_) | Error::Encode { .. } | Error::File { .. } | Error::Url { .. })
    }

    /// Whether the call's total timeout was spent ([`Error::DeadlineExceeded`]).
    pub fn is_deadline_exceeded(&self) -> bool {
        matches!(self, Error::DeadlineExceeded { .. })
    }

    /// Whether a job or purge wait ran out before the job completed
    /// ([`Error::WaitTimeout`]).
    pub fn is_wait_timeout(&self) -> bool {
        matches!(self, Error::WaitTimeout { .. })
    }

    /// Whether an auto-pager stopped a listing that does not end
    /// ([`Error::Paging`]).
    pub fn is_paging(&self) -> bool {
        matches!(self, Error::Paging { .. })
    }

    /// Whether the same call may succeed if tried again later: connection
    /// errors, timeouts, 408, 409, 429 and 5xx (the official retry rule).
    /// Never a spent total timeout, a body over the limit, a stopped pager, a
    /// job wait that ran out, a missing setting or an unexpected response.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Connection(e) => crate::retry::transport_kind_is_retryable(e),
            Error::Timeout { .. } => true,
            Error::ResponseTooLarge { .. } | Error::DeadlineExceeded { .. } | Error::Paging { .. } => false,
            other => other.status().is_some_and(|s| crate::retry::status_is_retryable(s.as_u16())),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Connection(e) => write!(f, "connection error: {e}"),
            Error::Timeout { after } => write!(f, "request timed out after {after:?}"),
            Error::Decode { status, message, .. } => {
                write!(f, "could not decode the {} response: {message}", status.as_u16())
            }
            Error::InvalidInput(m) | Error::Encode { message: m, .. } => write!(f, "invalid input: {m}"),
            Error::File { path, source } => write!(f, "invalid input: cannot upload {}: {source}", path.display()),
            Error::Config(m) => write!(f, "invalid configuration: {m}"),
            Error::HttpClient { source } => write!(f, "could not build the default HTTP client: {source}"),
            Error::Url { source } => write!(f, "invalid input: {source}"),
            Error::MissingSetting { setting, needed_for } => write!(f, "{needed_for} needs {setting}"),
            Error::WaitTimeout { waited, job } => {
                write!(f, "job {job:?} had not completed after waiting {waited:?} (it may still complete)")
            }
            Error::UnexpectedResponse(m) => write!(f, "unexpected response from the API: {m}"),
            Error::ResponseTooLarge { status, limit, content_length, .. } => {
                let status = status.as_u16();
                match content_length {
                    Some(len) => write!(f, "the {status} response announces {len} bytes (Content-Length), more than")?,
                    None => write!(f, "the {status} response body exceeds")?,
                }
                write!(f, " the response size limit of {limit} bytes (max_response_size)")
            }
            Error::DeadlineExceeded { total, retry_in, last } => {
                match retry_in {
                    Some(wait) => write!(
                        f,
                        "the total timeout of {total:?} would be exceeded by waiting {wait:?} before retrying"
                    )?,
                    None => write!(f, "the total timeout of {total:?} was exceeded")?,
                }
                match last {
                    Some(last) => write!(f, "; last error: {last}"),
                    None => Ok(()),
                }
            }
            Error::Paging { stop, pages } => write!(f, "listing stopped after {pages} pages: {stop}"),
            other => match other.api_error() {
                Some(api) => fmt::Display::fmt(api, f),
                None => f.write_str("error"),
            },
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Connection(e) | Error::ResponseTooLarge { source: e, .. } => Some(e),
            Error::DeadlineExceeded { last: Some(last), .. } => Some(&**last),
            Error::Decode { source, .. } | Error::Encode { source, .. } => Some(source),
            Error::File { source, .. } => Some(source),
            Error::HttpClient { source } => Some(source),
            Error::Url { source } => Some(source),
            _ => None,
        }
    }
}

impl From<TransportError> for Error {
    fn from(e: TransportError) -> Self {
        Error::Connection(e)
    }
}

/// The first `max` bytes as (lossy) text, cut on a character boundary.
pub(crate) fn excerpt(bytes: &[u8], max: usize) -> String {
    let cut = &bytes[..bytes.len().min(max)];
    let mut text = String::from_utf8_lossy(cut).into_owned();
    if bytes.len() > max {
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    #[test]
    fn every_error_with_an_underlying_error_keeps_it_as_source() {
        let bytes = br#"{"fileId": 7"#;
        let serde_err = serde_json::from_slice::<serde_json::Value>(bytes).unwrap_err();
        let (line, column) = (serde_err.line(), serde_err.column());
        let decode = Error::decode(StatusCode::OK, serde_err, bytes);
        let source = decode.source().and_then(|s| s.downcast_ref::<serde_json::Error>()).expect("serde source");
        assert_eq!((source.line(), source.column()), (line, column));
        assert!(source.is_eof());

        let connection = Error::Connection(TransportError::connect("refused"));
        let source = connection.source().and_then(|s| s.downcast_ref::<TransportError>()).expect("transport source");
        assert!(source.is_connect());

        let too_large = Error::ResponseTooLarge {
            status: StatusCode::OK,
            limit: 1,
            content_length: None,
            source: TransportError::new(imagekit_transport::TransportErrorKind::BodyTooLarge),
        };
        assert!(too_large.source().and_then(|s| s.downcast_ref::<TransportError>()).is_some());

        let last = Error::Timeout { after: Duration::from_secs(1) };
        let deadline =
            Error::DeadlineExceeded { total: Duration::from_secs(2), retry_in: None, last: Some(Box::new(last)) };
        let source = deadline.source().and_then(|s| s.downcast_ref::<Error>()).expect("last error");
        assert!(matches!(source, Error::Timeout { .. }));

        // A body that cannot be serialised: JSON object keys must be strings.
        let body = std::collections::HashMap::from([((1, 2), "v")]);
        let serde_err = serde_json::to_vec(&body).unwrap_err();
        let expected = serde_err.to_string();
        let encode = Error::encode("the request body", serde_err);
        assert!(encode.is_invalid_input());
        assert_eq!(encode.to_string(), format!("invalid input: the request body: {expected}"));
        let source = encode.source().and_then(|s| s.downcast_ref::<serde_json::Error>()).expect("serde source");
        assert_eq!(source.to_string(), expected);

        let built = Error::HttpClient { source: TransportError::new(imagekit_transport::TransportErrorKind::Other) };
        assert!(built.source().and_then(|s| s.downcast_ref::<TransportError>()).is_some());
        assert!(built.to_string().starts_with("could not build the default HTTP client"), "{built}");

        let url = Error::Url { source: imagekit_url::UrlError::EmptyToken };
        assert!(url.is_invalid_input());
        assert!(matches!(
            url.source().and_then(|s| s.downcast_ref::<imagekit_url::UrlError>()),
            Some(imagekit_url::UrlError::EmptyToken)
        ));

        // A file to upload that is not there, through the upload path itself.
        let missing = std::env::temp_dir().join("imagekit-error-source-missing.png");
        let file = crate::UploadFile::path(&missing).into_part("a.png").err().expect("a missing file is refused");
        assert!(file.is_invalid_input(), "{file:?}");
        assert!(file.to_string().contains("imagekit-error-source-missing.png"), "{file}");
        let io = file.source().and_then(|s| s.downcast_ref::<std::io::Error>()).expect("io source");
        assert_eq!(io.kind(), std::io::ErrorKind::NotFound);

        // Nothing underneath: no source.
        let waited = Error::WaitTimeout { waited: Duration::from_secs(1), job: "j".into() };
        assert!(waited.source().is_none());
        assert!(
            Error::DeadlineExceeded { total: Duration::from_secs(2), retry_in: None, last: None }.source().is_none()
        );
    }

    #[test]
    fn a_huge_json_message_is_cut_in_the_display_but_kept_on_the_body() {
        let long = "y".repeat(60 * 1024);
        let body = serde_json::json!({ "message": long }).to_string();
        let api = ApiError::new(StatusCode::BAD_REQUEST, HeaderMap::new(), body.as_bytes());
        let shown = api.to_string();
        assert!(shown.starts_with("400 yyy") && shown.ends_with('…'), "{shown}");
        assert_eq!(shown.len(), "400 ".len() + 512 + '…'.len_utf8());
        assert_eq!(api.message(), Some(long.as_str()));

        let array = serde_json::json!({ "message": vec!["z"; 20_000] }).to_string();
        let api = ApiError::new(StatusCode::BAD_REQUEST, HeaderMap::new(), array.as_bytes());
        assert!(api.to_string().len() < 1024);

        let short = ApiError::new(StatusCode::NOT_FOUND, HeaderMap::new(), br#"{"message":"File not found"}"#);
        assert_eq!(short.to_string(), "404 File not found");
    }
}
