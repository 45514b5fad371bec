//! The transport conformance suite: the same cases (`conformance/cases.rs`)
//! run against every `HttpClient` this crate ships, with real servers on
//! 127.0.0.1: `HyperClient`, `ReqwestClient`, and `TowerClient` stacks
//! (a header layer, a concurrency limit and a timeout layer) around each of
//! them and around hyper-util's raw client service.
//!
//! Adapter-specific behaviour (layers really run, readiness, error
//! classification hooks, reqwest settings) is in `conformance/adapters.rs`.

use std::error::Error as StdError;
use std::sync::Arc;
use std::time::Duration;

use bytes::Buf;
use http::HeaderValue;
use imagekit_transport::{
    BoxError, HttpClient, HyperClient, Request, ReqwestClient, TowerClient, TransportError, TransportErrorKind,
};
use tower::ServiceBuilder;
use tower_service::Service;

#[path = "conformance/adapters.rs"]
mod adapters;
#[path = "conformance/cases.rs"]
mod cases;
#[path = "conformance/servers.rs"]
mod servers;

use cases::Setup;

/// The transports under test, built as the cases ask.
mod transports {
    use super::*;

    pub fn hyper(setup: Setup) -> Arc<dyn HttpClient> {
        Arc::new(hyper_client(setup.timeout))
    }

    pub fn reqwest(setup: Setup) -> Arc<dyn HttpClient> {
        Arc::new(ReqwestClient::from(reqwest_client(setup.timeout)))
    }

    pub fn tower_over_hyper(setup: Setup) -> Arc<dyn HttpClient> {
        layered(hyper_client(None), setup)
    }

    pub fn tower_over_reqwest(setup: Setup) -> Arc<dyn HttpClient> {
        layered(ReqwestClient::from(reqwest_client(None)), setup)
    }

    /// hyper-util's pooled client as a plain tower service: its response
    /// body is hyper's `Incoming`, not our `Body`, and its errors are
    /// hyper-util's, so this exercises `TowerClient`'s generic paths.
    pub fn tower_over_hyper_util(setup: Setup) -> Arc<dyn HttpClient> {
        let raw = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .build_http::<imagekit_transport::Body>();
        layered(raw, setup)
    }

    pub fn hyper_client(timeout: Option<Duration>) -> HyperClient {
        HyperClient::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(timeout.unwrap_or(Duration::from_secs(30)))
            .build()
            .expect("client")
    }

    pub fn reqwest_client(timeout: Option<Duration>) -> reqwest::Client {
        reqwest::Client::builder()
            // An `HttpClient` follows no redirects.
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .connect_timeout(Duration::from_secs(5))
            .timeout(timeout.unwrap_or(Duration::from_secs(30)))
            .build()
            .expect("client")
    }

    /// The header layer, a concurrency limit and (when the case asks for a
    /// timeout) tower's timeout layer around `inner`.
    pub fn layered<S, B>(inner: S, setup: Setup) -> Arc<dyn HttpClient>
    where
        S: Service<Request, Response = http::Response<B>> + Clone + Send + 'static,
        S::Error: Into<BoxError>,
        S::Future: Send,
        B: http_body::Body + Send + 'static,
        B::Data: Buf,
        B::Error: Into<BoxError>,
    {
        let service = ServiceBuilder::new()
            .map_request(|mut request: Request| {
                request.headers_mut().insert("x-layer", HeaderValue::from_static("tower"));
                request
            })
            .concurrency_limit(4)
            .option_layer(setup.timeout.map(tower::timeout::TimeoutLayer::new))
            // Both arms of the optional layer must fail with the same type.
            .map_err(|err: S::Error| -> BoxError { err.into() })
            .service(inner);
        Arc::new(TowerClient::new(service).classify_errors(elapsed_is_timeout))
    }

    /// tower's timeout error is a `Timeout` (the classifier the docs show).
    pub fn elapsed_is_timeout(err: &(dyn StdError + 'static)) -> Option<TransportError> {
        err.is::<tower::timeout::error::Elapsed>().then(|| TransportError::new(TransportErrorKind::Timeout))
    }
}

/// One `#[tokio::test]` per named case, calling it with `$factory`.
macro_rules! conformance_cases {
    ($factory:path; $($case:ident),* $(,)?) => {$(
        #[tokio::test]
        async fn $case() {
            crate::cases::$case($factory).await
        }
    )*};
}

/// Every case, for a transport that owns the whole request path.
macro_rules! conformance_suite {
    ($factory:path) => {
        conformance_cases!($factory;
            upload_with_known_length_streams_with_content_length,
            upload_with_unknown_length_streams_chunked,
            in_memory_body_has_content_length_and_get_has_no_body,
            failing_request_body_is_a_body_error,
            response_streams_before_it_is_complete,
            status_headers_and_redirects_pass_through,
            refused_connection_is_connect_never_sent_and_hides_userinfo,
            stalled_server_hits_the_transport_timeout,
            dropped_send_closes_the_connection,
            reset_mid_body_is_closed_after_sending,
            hangup_before_response_is_closed_after_sending,
            relative_uri_is_refused_without_sending,
        );
    };
}

mod hyper {
    conformance_suite!(crate::transports::hyper);
}

mod reqwest_client {
    conformance_suite!(crate::transports::reqwest);
}

mod tower_over_hyper {
    conformance_suite!(crate::transports::tower_over_hyper);
}

mod tower_over_reqwest {
    conformance_suite!(crate::transports::tower_over_reqwest);
}

/// All but the relative URI: hyper-util refuses it with an error that does
/// not say nothing was sent, and `TowerClient` cannot know better for a
/// service it does not own (it assumes the request may have left).
mod tower_over_hyper_util {
    conformance_cases!(crate::transports::tower_over_hyper_util;
        upload_with_known_length_streams_with_content_length,
        upload_with_unknown_length_streams_chunked,
        in_memory_body_has_content_length_and_get_has_no_body,
        failing_request_body_is_a_body_error,
        response_streams_before_it_is_complete,
        status_headers_and_redirects_pass_through,
        refused_connection_is_connect_never_sent_and_hides_userinfo,
        stalled_server_hits_the_transport_timeout,
        dropped_send_closes_the_connection,
        reset_mid_body_is_closed_after_sending,
        hangup_before_response_is_closed_after_sending,
    );
}
