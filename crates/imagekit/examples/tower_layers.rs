//! The SDK on a tower stack: every ImageKit request goes through layers you
//! choose around the default `HyperClient`: a header layer, a logging and
//! metrics layer (written here, a dozen lines of `Layer`/`Service`), a
//! concurrency limit and a timeout.
//!
//! Without `IMAGEKIT_PRIVATE_KEY` it starts the local emulator, so it runs with
//! no account and no network:
//!
//! ```sh
//! cargo run -p imagekit --example tower_layers
//! ```

use std::collections::BTreeMap;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use http::HeaderValue;
use imagekit::transport::{HyperClient, Request, Response, TowerClient, TransportError, TransportErrorKind};
use imagekit::types::{ListAssetsQuery, UploadParams};
use imagekit::{Client, ClientBuilder, UploadFile};
use tower::{Layer, Service, ServiceBuilder};

/// Counts and times the requests that pass through it, and logs each one.
#[derive(Clone, Default)]
struct Metrics(Arc<MetricsInner>);

#[derive(Default)]
struct MetricsInner {
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    tagged: AtomicUsize,
    /// Per "METHOD /path" (query left out): count and total time.
    by_route: Mutex<BTreeMap<String, (usize, Duration)>>,
    /// Per status code, or the transport error kind.
    outcomes: Mutex<BTreeMap<String, usize>>,
}

impl<S> Layer<S> for Metrics {
    type Service = Measured<S>;

    fn layer(&self, inner: S) -> Measured<S> {
        Measured { inner, metrics: self.clone() }
    }
}

#[derive(Clone)]
struct Measured<S> {
    inner: S,
    metrics: Metrics,
}

impl<S> Service<Request> for Measured<S>
where
    S: Service<Request, Response = Response, Error = TransportError>,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = TransportError;
    type Future = Pin<Box<dyn Future<Output = Result<Response, TransportError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), TransportError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let m = Arc::clone(&self.metrics.0);
        let route = format!("{} {}", request.method(), request.uri().path());
        if request.headers().contains_key("x-app") {
            m.tagged.fetch_add(1, Ordering::Relaxed);
        }
        let now = m.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        m.max_in_flight.fetch_max(now, Ordering::SeqCst);
        let started = Instant::now();
        let pending = self.inner.call(request);
        Box::pin(async move {
            let result = pending.await;
            let elapsed = started.elapsed();
            m.in_flight.fetch_sub(1, Ordering::SeqCst);
            let outcome = match &result {
                Ok(response) => response.status().as_u16().to_string(),
                Err(err) => format!("{:?}", err.kind()),
            };
            println!("   [metrics] {route} -> {outcome} in {elapsed:.1?}");
            let mut routes = m.by_route.lock().unwrap_or_else(|e| e.into_inner());
            let entry = routes.entry(route).or_default();
            entry.0 += 1;
            entry.1 += elapsed;
            *m.outcomes.lock().unwrap_or_else(|e| e.into_inner()).entry(outcome).or_default() += 1;
            result
        })
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. The tower stack, outermost first, ending in the default transport.
    let metrics = Metrics::default();
    let service = ServiceBuilder::new()
        .map_request(|mut request: Request| {
            request.headers_mut().insert("x-app", HeaderValue::from_static("tower-layers-example"));
            request
        })
        // Waits for the head of each response; the SDK's own per-attempt
        // timeout also covers reading the body.
        .timeout(Duration::from_secs(30))
        .concurrency_limit(2)
        .layer(metrics.clone())
        .service(HyperClient::builder().connect_timeout(Duration::from_secs(5)).build()?);
    // tower's timeout error is its own type: tell the adapter it is a timeout,
    // so the SDK's retry policy treats it as one.
    let transport = TowerClient::new(service).classify_errors(|err| {
        err.is::<tower::timeout::error::Elapsed>().then(|| TransportError::new(TransportErrorKind::Timeout))
    });

    // 2. The SDK client on it: the real service when configured, else a local emulator.
    let mut emulator = None;
    let builder = if std::env::var_os("IMAGEKIT_PRIVATE_KEY").is_some() {
        println!("1. using ImageKit from the environment");
        ClientBuilder::from_env()
    } else {
        let running = imagekit_emulator::Emulator::builder().start().await?;
        println!("1. no IMAGEKIT_PRIVATE_KEY: started the local emulator on {}", running.base_url());
        let builder = Client::builder()
            .private_key(running.private_key())
            .public_key(running.public_key())
            .base_url(running.base_url())
            .url_endpoint(running.url_endpoint());
        emulator = Some(running);
        builder
    };
    let client = builder.http_client(transport).build()?;

    // 3. Six uploads at once; the concurrency limit lets two through at a time.
    println!("2. uploading 6 files at once through a concurrency limit of 2:");
    let started = Instant::now();
    let uploads = (0..6).map(|i| {
        let client = client.clone();
        async move {
            let data = format!("note {i}\n").repeat(20_000); // ~160 KB each
            let params = UploadParams::new(format!("note-{i}.txt")).folder("/tower-example");
            client.files().upload(UploadFile::bytes(data), params).await
        }
    });
    let results = futures::future::join_all(uploads).await;
    let stored = results.iter().filter(|r| r.is_ok()).count();
    println!("   {stored} of 6 stored in {:?}", started.elapsed());
    for err in results.iter().filter_map(|r| r.as_ref().err()) {
        println!("   failed: {err}");
    }

    // 4. List them.
    let listing = client.assets().list(ListAssetsQuery::default().path("/tower-example")).await?;
    println!("3. /tower-example holds {} item(s)", listing.len());

    // 5. What the layers saw.
    let m = &metrics.0;
    let routes = m.by_route.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let outcomes = m.outcomes.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let requests: usize = routes.values().map(|(n, _)| n).sum();
    println!("4. metrics: {requests} requests, at most {} in flight", m.max_in_flight.load(Ordering::SeqCst));
    println!("   with the x-app header: {}", m.tagged.load(Ordering::Relaxed));
    for (route, (count, total)) in &routes {
        println!("   {route}: {count} request(s), mean {:.1?}", *total / (*count as u32).max(1));
    }
    println!("   outcomes: {outcomes:?}");

    if let Some(running) = emulator {
        running.shutdown().await;
    }
    Ok(())
}
