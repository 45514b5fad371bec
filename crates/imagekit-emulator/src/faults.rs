//! Fault injection for users' own resilience tests: added latency, a
//! fixed-window rate limit answered with ImageKit's 429 and rate-limit headers,
//! and a fraction of requests failing with a 500. Applies to API requests
//! (paths under `/v1` and `/api`), not to delivery.

use http::StatusCode;

use crate::state::State;
use crate::web::{ApiError, Req, Resp};

/// The rate-limit window, in milliseconds (`X-RateLimit-Interval`).
pub const RATE_WINDOW_MS: i64 = 1000;

/// The message of an injected 500.
pub const INJECTED_FAILURE: &str = "Injected failure";

/// A fault to answer `req` with instead of handling it, if any. Sleeps for the
/// configured latency first.
pub async fn before(state: &State, _req: &Req) -> Option<Resp> {
    let faults = &state.faults;
    if !faults.latency.is_zero() {
        tokio::time::sleep(faults.latency).await;
    }
    if let Some(limit) = faults.rate_limit
        && let Some(resp) = rate_limit(state, limit, crate::util::now_millis())
    {
        return Some(resp);
    }
    if faults.fail_rate > 0.0 && fastrand::f64() < faults.fail_rate {
        return Some(ApiError::internal(INJECTED_FAILURE).into_resp());
    }
    None
}

/// Count a request at `now_ms` against a fixed window of [`RATE_WINDOW_MS`]
/// allowing `limit` requests; the 429 to answer when it is over.
fn rate_limit(state: &State, limit: u32, now_ms: i64) -> Option<Resp> {
    let reset_ms = {
        let mut window = state.rate_window.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (start, count) = &mut *window;
        if now_ms < *start || now_ms - *start >= RATE_WINDOW_MS {
            *start = now_ms;
            *count = 0;
        }
        if *count < limit {
            *count += 1;
            return None;
        }
        (*start + RATE_WINDOW_MS - now_ms).max(1)
    };
    let retry_after_secs = (reset_ms + 999) / 1000;
    let message = format!(
        "Too many requests: the emulator allows {limit} API request{} per second.",
        if limit == 1 { "" } else { "s" }
    );
    Some(
        ApiError::new(StatusCode::TOO_MANY_REQUESTS, message)
            .into_resp()
            .with_header("retry-after", &retry_after_secs.to_string())
            .with_header("x-ratelimit-limit", &limit.to_string())
            .with_header("x-ratelimit-reset", &reset_ms.to_string())
            .with_header("x-ratelimit-interval", &RATE_WINDOW_MS.to_string()),
    )
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::state::Faults;

    fn state(faults: Faults) -> State {
        State {
            private_key: "private_test".into(),
            signer: imagekit_url::PrivateKey::new("private_test").unwrap(),
            public_key: "public_test".into(),
            url_endpoint: "http://emu.local/emulator".into(),
            delivery_prefix: "/emulator".into(),
            store: crate::store::Store::in_memory(),
            faults,
            rate_window: Default::default(),
        }
    }

    fn req() -> Req {
        Req {
            method: http::Method::GET,
            path: "/v1/files".into(),
            query: Vec::new(),
            headers: http::HeaderMap::new(),
            body: bytes::Bytes::new(),
            spooled: None,
        }
    }

    fn body(resp: &Resp) -> serde_json::Value {
        serde_json::from_slice(&resp.body).unwrap()
    }

    #[tokio::test]
    async fn no_faults_by_default() {
        let s = state(Faults::default());
        for _ in 0..100 {
            assert!(before(&s, &req()).await.is_none());
        }
    }

    #[tokio::test]
    async fn fail_rate_one_always_fails_and_zero_never() {
        let s = state(Faults { fail_rate: 1.0, ..Faults::default() });
        let resp = before(&s, &req()).await.unwrap();
        assert_eq!(resp.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body(&resp)["message"], INJECTED_FAILURE);
        assert_eq!(body(&resp)["help"], crate::web::HELP);
        let s = state(Faults { fail_rate: 0.0, ..Faults::default() });
        assert!(before(&s, &req()).await.is_none());
    }

    #[tokio::test]
    async fn fail_rate_is_roughly_the_fraction() {
        fastrand::seed(7);
        let s = state(Faults { fail_rate: 0.3, ..Faults::default() });
        let mut failed = 0;
        for _ in 0..2000 {
            if before(&s, &req()).await.is_some() {
                failed += 1;
            }
        }
        assert!((450..750).contains(&failed), "{failed} of 2000");
    }

    #[tokio::test(start_paused = true)]
    async fn latency_delays_each_request() {
        let s = state(Faults { latency: Duration::from_millis(250), ..Faults::default() });
        let started = tokio::time::Instant::now();
        assert!(before(&s, &req()).await.is_none());
        assert_eq!(started.elapsed(), Duration::from_millis(250));
    }

    #[test]
    fn rate_limit_fixed_window() {
        let s = state(Faults::default());
        let t0 = 1_700_000_000_000;
        assert!(rate_limit(&s, 2, t0).is_none());
        assert!(rate_limit(&s, 2, t0 + 10).is_none());
        let resp = rate_limit(&s, 2, t0 + 400).unwrap();
        assert_eq!(resp.status, StatusCode::TOO_MANY_REQUESTS);
        let h = |n: &str| resp.headers.get(n).unwrap().to_str().unwrap().to_owned();
        assert_eq!(h("x-ratelimit-limit"), "2");
        assert_eq!(h("x-ratelimit-reset"), "600");
        assert_eq!(h("x-ratelimit-interval"), "1000");
        assert_eq!(h("retry-after"), "1");
        assert!(body(&resp)["message"].as_str().unwrap().contains("2 API requests per second"));
        assert_eq!(body(&resp)["help"], crate::web::HELP);
        // Rejected requests do not count; the window resets after a second.
        assert!(rate_limit(&s, 2, t0 + 999).is_some());
        assert!(rate_limit(&s, 2, t0 + 1000).is_none());
        assert!(rate_limit(&s, 2, t0 + 1001).is_none());
        assert!(rate_limit(&s, 2, t0 + 1002).is_some());
        // A clock going backwards starts a new window rather than locking out.
        assert!(rate_limit(&s, 2, t0).is_none());
    }

    #[tokio::test]
    async fn rate_limit_through_before() {
        let s = state(Faults { rate_limit: Some(3), ..Faults::default() });
        let mut statuses = Vec::new();
        for _ in 0..5 {
            statuses.push(before(&s, &req()).await.map(|r| r.status.as_u16()));
        }
        // Usually [None, None, None, 429, 429]; a window boundary may fall in between.
        assert!(statuses.iter().filter(|s| s.is_none()).count() >= 3);
        assert!(statuses.iter().filter(|s| s.is_none()).count() <= 5);
        let s = state(Faults { rate_limit: Some(0), ..Faults::default() });
        assert_eq!(before(&s, &req()).await.unwrap().status, StatusCode::TOO_MANY_REQUESTS);
    }
}
