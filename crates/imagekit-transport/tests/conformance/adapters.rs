//! What only the adapters do: tower layers really run around the request,
//! readiness is awaited, unknown layer errors are classified by the hook, and
//! `ReqwestClient` uses the `reqwest::Client` it was given.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use http::HeaderValue;
use hyper::body::Incoming;
use imagekit_transport::{Body, HttpClient, Request, ReqwestClient, Response, TowerClient, TransportErrorKind};
use tokio::io::AsyncWriteExt;
use tower::ServiceBuilder;

use crate::servers::{self, full};
use crate::transports;

fn get(url: &str) -> http::Request<Body> {
    http::Request::get(url).body(Body::empty()).expect("valid request")
}

/// A server that holds each request 100 ms, echoes the `x-layer` header and
/// records the most requests it ever had in flight at once.
async fn counting_server() -> (servers::Server, Arc<AtomicUsize>) {
    let in_flight = Arc::new(AtomicUsize::new(0));
    let max = Arc::new(AtomicUsize::new(0));
    let (now, peak) = (Arc::clone(&in_flight), Arc::clone(&max));
    let server = servers::serve(move |req: http::Request<Incoming>| {
        let (now, peak) = (Arc::clone(&now), Arc::clone(&peak));
        async move {
            let current = now.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(current, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(100)).await;
            now.fetch_sub(1, Ordering::SeqCst);
            let layer = req.headers().get("x-layer").map(|v| v.to_str().unwrap_or("?").to_owned());
            http::Response::new(full(layer.unwrap_or_else(|| "<none>".into())))
        }
    })
    .await;
    (server, max)
}

async fn four_at_once(client: &dyn HttpClient, url: &str) -> Vec<String> {
    let sends = (0..4).map(|_| async move {
        let response = client.send(get(url)).await.expect("response");
        String::from_utf8(response.into_body().collect().await.expect("body").to_vec()).expect("utf-8")
    });
    futures_util::future::join_all(sends).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tower_layers_run_and_a_concurrency_limit_holds_requests_back() {
    let (server, max) = counting_server().await;
    let url = server.url("/");

    // Control: the bare transport sends all four at once, so the server
    // would notice if the limit below did nothing.
    let bare = transports::hyper_client(None);
    assert_eq!(four_at_once(&bare, &url).await, vec!["<none>"; 4]);
    assert!(max.swap(0, Ordering::SeqCst) > 1, "the bare client runs requests concurrently");

    let service = ServiceBuilder::new()
        .map_request(|mut request: Request| {
            request.headers_mut().insert("x-layer", HeaderValue::from_static("limited"));
            request
        })
        .concurrency_limit(1)
        .service(transports::hyper_client(None));
    let client = TowerClient::new(service);
    let started = Instant::now();
    assert_eq!(four_at_once(&client, &url).await, vec!["limited"; 4]);
    assert_eq!(max.load(Ordering::SeqCst), 1, "one request at a time");
    assert!(started.elapsed() >= Duration::from_millis(400), "four 100 ms requests in series");
}

async fn stalled_server() -> String {
    let addr = servers::raw_server(|mut stream| async move {
        servers::read_head(&mut stream).await;
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(stream);
    })
    .await;
    format!("http://{addr}/")
}

#[tokio::test]
async fn tower_timeout_is_other_unless_classified() {
    let url = stalled_server().await;
    let layered = || {
        ServiceBuilder::new()
            .timeout(Duration::from_millis(200))
            .service(ReqwestClient::from(transports::reqwest_client(None)))
    };

    let err = TowerClient::new(layered()).send(get(&url)).await.expect_err("stall");
    assert_eq!(err.kind(), TransportErrorKind::Other, "{err:?}");
    assert!(err.request_sent(), "unknown errors may have left");
    assert!(std::error::Error::source(&err).is_some_and(|e| e.is::<tower::timeout::error::Elapsed>()));

    let client = TowerClient::new(layered()).classify_errors(transports::elapsed_is_timeout);
    let err = client.send(get(&url)).await.expect_err("stall");
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err:?}");
    assert!(err.request_sent());
    assert!(std::error::Error::source(&err).is_some_and(|e| e.is::<tower::timeout::error::Elapsed>()), "source kept");
}

/// A service that is never ready, but fails when polled: counts calls.
#[derive(Clone)]
struct Broken {
    calls: Arc<AtomicUsize>,
}

impl tower::Service<Request> for Broken {
    type Response = Response;
    type Error = io::Error;
    type Future = Pin<Box<dyn std::future::Future<Output = Result<Response, io::Error>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), io::Error>> {
        Poll::Ready(Err(io::Error::other("worker gone")))
    }

    fn call(&mut self, _request: Request) -> Self::Future {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(Response::new(Body::empty())) })
    }
}

#[tokio::test]
async fn readiness_is_awaited_and_its_failure_means_not_sent() {
    let calls = Arc::new(AtomicUsize::new(0));
    let client = TowerClient::new(Broken { calls: Arc::clone(&calls) });
    let err = client.send(get("http://127.0.0.1:9/")).await.expect_err("never ready");
    assert!(!err.request_sent(), "{err:?}");
    assert!(err.is_retry_safe());
    assert_eq!(calls.load(Ordering::SeqCst), 0, "call only after poll_ready succeeded");
}

#[tokio::test]
async fn reqwest_client_uses_the_given_clients_settings() {
    let server = servers::serve(|req: http::Request<Incoming>| async move {
        let agent = req.headers().get("user-agent").map(|v| v.to_str().unwrap_or("?").to_owned());
        let team = req.headers().get("x-team").map(|v| v.to_str().unwrap_or("?").to_owned());
        http::Response::new(full(format!("{agent:?} {team:?}")))
    })
    .await;
    let mut defaults = http::HeaderMap::new();
    defaults.insert("x-team", HeaderValue::from_static("media"));
    let reqwest = reqwest::Client::builder()
        .user_agent("gallery/1.0")
        .default_headers(defaults)
        .no_proxy()
        .build()
        .expect("client");
    let client = ReqwestClient::from(reqwest);
    let response = client.send(get(&server.url("/"))).await.expect("response");
    assert_eq!(response.into_body().collect().await.expect("body"), r#"Some("gallery/1.0") Some("media")"#);
}

#[tokio::test]
async fn reqwest_errors_keep_the_reqwest_source_without_its_url() {
    let addr = servers::closed_port().await;
    let client = ReqwestClient::from(transports::reqwest_client(None));
    let err = client.send(get(&format!("http://{addr}/secret-path"))).await.expect_err("refused");
    let source = std::error::Error::source(&err).and_then(|e| e.downcast_ref::<reqwest::Error>()).expect("reqwest");
    assert!(source.is_connect());
    assert!(source.url().is_none(), "URL stripped");
    assert!(!format!("{err:?}").contains("secret-path"), "{err:?}");
}

#[tokio::test]
async fn reqwest_timeout_also_covers_reading_the_body() {
    let addr = servers::raw_server(|mut stream| async move {
        servers::read_head(&mut stream).await;
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n0123456789").await;
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(stream);
    })
    .await;
    let client = ReqwestClient::from(transports::reqwest_client(Some(Duration::from_millis(1000))));
    let response = client.send(get(&format!("http://{addr}/"))).await.expect("headers arrive");
    let err = response.into_body().collect().await.expect_err("body stalls");
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err:?}");
    assert!(err.request_sent());
}
