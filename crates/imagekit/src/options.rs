//! Per-call options and the rule for caller-supplied headers: the SDK owns
//! the headers that frame and authenticate a request, so no option replaces them.

use std::time::Duration;

use http::header::{HeaderMap, HeaderName, HeaderValue};

use crate::{Error, Result};

/// Options for one call, as the official SDKs' request options allow, plus
/// the SDK's own bounds.
///
/// Built with [`RequestOptions::new`] and its setters (the fields are public to
/// read; new ones may be added, so it cannot be built with a struct literal):
///
/// ```no_run
/// # async fn demo(client: imagekit::Client) -> imagekit::Result<()> {
/// use std::time::Duration;
/// use imagekit::RequestOptions;
///
/// let options = RequestOptions::new()
///     .timeout(Duration::from_secs(5))
///     .max_retries(0)
///     .query("version", "2");
/// let file = client.files().get("file_id").options(options).await?;
/// # let _ = file; Ok(()) }
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Default)]
pub struct RequestOptions {
    /// Timeout of each attempt (default: the client's).
    pub timeout: Option<Duration>,
    /// Bound on all attempts and waits of the call (default: the client's).
    pub total_timeout: Option<Duration>,
    /// Retries after the first attempt (default: the client's).
    pub max_retries: Option<u32>,
    /// The most bytes of a 2xx body read into memory (default: the client's).
    pub max_response_size: Option<usize>,
    /// Extra headers, added after the client's.
    pub headers: HeaderMap,
    /// Extra query parameters, appended after the endpoint's.
    pub query: Vec<(String, String)>,
}

impl RequestOptions {
    /// No options: every bound and header is the client's.
    pub fn new() -> Self {
        Self::default()
    }

    /// Timeout of each attempt.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Bound on all attempts and waits of the call.
    #[must_use]
    pub fn total_timeout(mut self, total: Duration) -> Self {
        self.total_timeout = Some(total);
        self
    }

    /// Retries after the first attempt.
    #[must_use]
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// The most bytes of a 2xx body read into memory.
    #[must_use]
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.max_response_size = Some(bytes);
        self
    }

    /// Adds an extra header (typed, so it cannot be malformed; see
    /// [`Call::header`](crate::Call::header) for the string form). A header the SDK owns
    /// ([`SDK_OWNED_HEADERS`]) fails the call with [`Error::InvalidInput`].
    #[must_use]
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.append(name, value);
        self
    }

    /// Replaces the extra headers. A header the SDK owns
    /// ([`SDK_OWNED_HEADERS`]) fails the call with [`Error::InvalidInput`].
    #[must_use]
    pub fn headers(mut self, headers: HeaderMap) -> Self {
        self.headers = headers;
        self
    }

    /// Adds an extra query parameter.
    #[must_use]
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }
}

/// Headers the SDK sets itself, which per-call and client default headers
/// cannot replace: the credentials, the body's framing and type (a multipart
/// boundary lives in `Content-Type`), and the target host. `User-Agent` is not
/// among them: callers legitimately name their application there.
pub const SDK_OWNED_HEADERS: &[&str] =
    &["authorization", "content-length", "content-type", "host", "transfer-encoding"];

/// Refuse a header the SDK owns, naming it.
pub(crate) fn check_not_sdk_owned(name: &HeaderName) -> std::result::Result<(), String> {
    if SDK_OWNED_HEADERS.contains(&name.as_str()) {
        return Err(format!(
            "header {:?} is set by the SDK and cannot be replaced per call or by default headers",
            name.as_str()
        ));
    }
    Ok(())
}

/// Parse a caller's header; the error names the header and says why, and
/// never contains the value (it may be a credential).
pub(crate) fn parse_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue)> {
    let n = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::InvalidInput(format!("{name:?} is not a valid header name")))?;
    check_not_sdk_owned(&n).map_err(Error::InvalidInput)?;
    let v = HeaderValue::from_str(value).map_err(|_| {
        Error::InvalidInput(format!(
            "the value of header {:?} is not a valid header value (it contains CR, LF or another control character)",
            n.as_str()
        ))
    })?;
    Ok((n, v))
}
