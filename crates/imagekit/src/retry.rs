//! The retry policy: which outcomes are retried and how long to wait.
//!
//! The official SDKs' rule, plus two guards they lack: a body that cannot be
//! replayed is not sent twice, and an upload that would get a unique file name
//! is retried only when the server cannot have stored it.

use std::time::{Duration, SystemTime};

use http::HeaderMap;
use imagekit_transport::TransportError;

/// Longest delay taken from a server's `Retry-After` (seconds or date).
const MAX_SERVER_DELAY: Duration = Duration::from_secs(60);
const INITIAL_DELAY: f64 = 0.5;
const MAX_BACKOFF: f64 = 8.0;

/// How cautious to be about sending a request again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryClass {
    /// The official rule.
    Normal,
    /// An upload with `useUniqueFileName` true: a repeat that reaches the server
    /// would store a second copy, so retry only when it cannot have been stored.
    UniqueUpload,
}

/// 408, 409, 429 and 5xx.
pub(crate) fn status_is_retryable(status: u16) -> bool {
    matches!(status, 408 | 409 | 429) || status >= 500
}

/// `x-should-retry: true|false`, which overrides the status rule.
fn should_retry_header(headers: &HeaderMap) -> Option<bool> {
    match headers.get("x-should-retry")?.to_str().ok()? {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// Whether a response with this status and these headers is retried.
pub(crate) fn retry_response(class: RetryClass, status: u16, headers: &HeaderMap) -> bool {
    if let Some(forced) = should_retry_header(headers) {
        return forced;
    }
    match class {
        RetryClass::Normal => status_is_retryable(status),
        // A 429 is refused before any processing; anything else may have stored the file.
        RetryClass::UniqueUpload => status == 429,
    }
}

/// Whether a transport error is of a kind the official rule retries: a
/// failed connect, a timeout, or a closed connection.
pub(crate) fn transport_kind_is_retryable(e: &TransportError) -> bool {
    e.is_connect() || e.is_timeout() || e.is_closed()
}

/// What an attempt that got no response leaves to decide a retry on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NoResponse {
    /// The failure is of a kind the official rule retries.
    pub(crate) retryable_kind: bool,
    /// The request may have reached the server.
    pub(crate) may_have_arrived: bool,
    /// The body can be sent again.
    pub(crate) replayable: bool,
}

impl NoResponse {
    /// An attempt cut by its timeout: retryable, and it may have arrived.
    pub(crate) fn timed_out(replayable: bool) -> Self {
        NoResponse { retryable_kind: true, may_have_arrived: true, replayable }
    }

    /// An attempt the transport failed.
    pub(crate) fn transport(e: &TransportError, replayable: bool) -> Self {
        NoResponse { retryable_kind: transport_kind_is_retryable(e), may_have_arrived: e.request_sent(), replayable }
    }
}

/// Whether an attempt that got no response is retried.
pub(crate) fn retry_transport(class: RetryClass, failure: NoResponse) -> bool {
    if !failure.retryable_kind || !failure.replayable {
        return false;
    }
    match class {
        RetryClass::Normal => true,
        RetryClass::UniqueUpload => !failure.may_have_arrived,
    }
}

/// The delay the server asked for: `retry-after-ms` (float milliseconds), then
/// ImageKit's `X-RateLimit-Reset` (milliseconds), then `Retry-After` (float
/// seconds or an HTTP date), each capped at 60 s. The millisecond headers come
/// first because they say the same instant more precisely than whole seconds.
/// Unparsable or negative values are skipped.
pub(crate) fn server_delay(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    let millis = |s: &str| s.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0);
    if let Some(ms) = text("retry-after-ms").and_then(millis) {
        return Some(Duration::from_secs_f64(ms / 1000.0).min(MAX_SERVER_DELAY));
    }
    if let Some(ms) = text("x-ratelimit-reset").and_then(millis) {
        return Some(Duration::from_secs_f64(ms / 1000.0).min(MAX_SERVER_DELAY));
    }
    if let Some(value) = text("retry-after") {
        if let Some(secs) = value.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0) {
            return Some(Duration::from_secs_f64(secs.min(MAX_SERVER_DELAY.as_secs_f64())));
        }
        if let Ok(at) = httpdate::parse_http_date(value) {
            return Some(at.duration_since(now).unwrap_or(Duration::ZERO).min(MAX_SERVER_DELAY));
        }
    }
    None
}

/// `min(0.5 s * 2^n, 8 s)` less up to 25 % jitter; `jitter` is in [0, 1).
pub(crate) fn backoff(retries_done: u32, jitter: f64) -> Duration {
    let base = (INITIAL_DELAY * 2f64.powi(retries_done.min(16) as i32)).min(MAX_BACKOFF);
    Duration::from_secs_f64(base * (1.0 - 0.25 * jitter.clamp(0.0, 1.0)))
}

/// The delay before the next attempt.
pub(crate) fn delay(headers: Option<&HeaderMap>, retries_done: u32) -> Duration {
    headers.and_then(|h| server_delay(h, SystemTime::now())).unwrap_or_else(|| backoff(retries_done, fastrand::f64()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn statuses_follow_the_official_rule() {
        for s in [408, 409, 429, 500, 502, 503, 504, 599] {
            assert!(retry_response(RetryClass::Normal, s, &HeaderMap::new()), "{s}");
        }
        for s in [200, 400, 401, 403, 404, 418, 422] {
            assert!(!retry_response(RetryClass::Normal, s, &HeaderMap::new()), "{s}");
        }
        assert!(retry_response(RetryClass::Normal, 400, &headers(&[("x-should-retry", "true")])));
        assert!(!retry_response(RetryClass::Normal, 503, &headers(&[("x-should-retry", "false")])));
    }

    #[test]
    fn unique_uploads_retry_only_when_nothing_was_stored() {
        assert!(retry_response(RetryClass::UniqueUpload, 429, &HeaderMap::new()));
        assert!(!retry_response(RetryClass::UniqueUpload, 503, &HeaderMap::new()));
        assert!(retry_response(RetryClass::UniqueUpload, 503, &headers(&[("x-should-retry", "true")])));
        let failure =
            |retryable_kind, may_have_arrived, replayable| NoResponse { retryable_kind, may_have_arrived, replayable };
        assert!(retry_transport(RetryClass::UniqueUpload, failure(true, false, true)));
        assert!(!retry_transport(RetryClass::UniqueUpload, failure(true, true, true)));
        assert!(!retry_transport(RetryClass::UniqueUpload, NoResponse::timed_out(true)));
        assert!(retry_transport(RetryClass::Normal, NoResponse::timed_out(true)));
        assert!(!retry_transport(RetryClass::Normal, failure(false, false, true)), "not a retryable kind");
        assert!(!retry_transport(RetryClass::Normal, failure(true, true, false)), "a one-shot body is never resent");
    }

    #[test]
    fn server_delays_in_order_of_precedence() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let d = |pairs: &[(&'static str, &str)]| server_delay(&headers(pairs), now);
        assert_eq!(d(&[("retry-after-ms", "200"), ("retry-after", "3")]), Some(Duration::from_millis(200)));
        assert_eq!(d(&[("retry-after", "2.5")]), Some(Duration::from_millis(2500)));
        assert_eq!(d(&[("retry-after", "0")]), Some(Duration::ZERO));
        assert_eq!(d(&[("retry-after", "3600")]), Some(Duration::from_secs(60)), "capped");
        let date = httpdate::fmt_http_date(now + Duration::from_secs(2));
        let with_date = [("retry-after", date.as_str())];
        assert_eq!(d(&with_date), Some(Duration::from_secs(2)));
        assert_eq!(d(&[("retry-after", "soon")]), None, "garbage falls back to backoff");
        assert_eq!(d(&[("x-ratelimit-reset", "1500")]), Some(Duration::from_millis(1500)));
        // What a rate-limited ImageKit (and the emulator) sends: the millisecond reset wins
        // over the whole seconds of Retry-After; a bad one is skipped; both are capped.
        assert_eq!(d(&[("retry-after", "2"), ("x-ratelimit-reset", "250")]), Some(Duration::from_millis(250)));
        assert_eq!(d(&[("retry-after", "2"), ("x-ratelimit-reset", "-5")]), Some(Duration::from_secs(2)));
        assert_eq!(d(&[("x-ratelimit-reset", "9999999")]), Some(Duration::from_secs(60)), "capped");
        assert_eq!(d(&[]), None);
    }

    #[test]
    fn backoff_doubles_to_eight_seconds_with_jitter_below() {
        assert_eq!(backoff(0, 0.0), Duration::from_millis(500));
        assert_eq!(backoff(0, 0.999_999).as_millis(), 375);
        assert_eq!(backoff(1, 0.0), Duration::from_secs(1));
        assert_eq!(backoff(4, 0.0), Duration::from_secs(8));
        assert_eq!(backoff(30, 0.0), Duration::from_secs(8));
    }
}
