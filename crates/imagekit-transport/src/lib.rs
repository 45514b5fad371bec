//! The HTTP seam of the ImageKit.io SDK: a small object-safe async
//! [`HttpClient`] trait that the SDK calls for every request, a streaming
//! [`Body`], a [`TransportError`] shaped for retry policies, a production
//! hyper + rustls client ([`HyperClient`], feature `hyper-rustls`) and test
//! transports (module `test_util`, feature `test-util`).
//!
//! Users who already own an HTTP stack implement [`HttpClient`] (or wrap a
//! closure with [`http_client_fn`]) and hand an `Arc<dyn HttpClient>` to the
//! SDK; with `default-features = false` this crate builds with the trait and
//! body type only, without hyper or rustls.
//!
//! # Features
//!
//! - `hyper-rustls` (default): [`HyperClient`] with rustls (`ring` provider)
//!   trusting the Mozilla root bundle (`webpki-roots`).
//! - `hyper-client`: [`HyperClient`] without a built-in root store (pick
//!   `webpki-roots` / `native-roots`, or pass a `rustls::ClientConfig`).
//! - `webpki-roots`, `native-roots`: which roots `HyperClient` trusts.
//! - `reqwest`: `ReqwestClient`, the SDK on your own `reqwest::Client`
//!   (streaming both ways; enable a TLS feature on reqwest for `https`).
//! - `tower`: `TowerClient`, the SDK on any tower `Service` over
//!   `http::Request<Body>`, e.g. `HyperClient` or `ReqwestClient` wrapped in
//!   your layers (both are tower services themselves).
//! - `test-util`: `test_util::RecordingTransport`, a scripted transport that
//!   records every request for assertions and snapshots.
//!
//! ```
//! use imagekit_transport::{http_client_fn, Body, HttpClient, Request, Response};
//! use std::sync::Arc;
//!
//! let client: Arc<dyn HttpClient> = Arc::new(http_client_fn(|_req: Request| async {
//!     Ok(Response::new(Body::from(r#"{"ok":true}"#)))
//! }));
//! # futures_util::FutureExt::now_or_never(async {
//! let response = client.send(Request::new(Body::empty())).await.unwrap();
//! assert_eq!(response.into_body().collect().await.unwrap(), r#"{"ok":true}"#);
//! # }).unwrap();
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

mod body;
mod client;
mod error;
#[cfg(feature = "hyper-client")]
mod hyper_client;
#[cfg(feature = "reqwest")]
mod reqwest_client;
#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod test_util;
#[cfg(feature = "tower")]
mod tower_client;

pub use async_trait::async_trait;
pub use body::{Body, DataStream};
pub use client::{HttpClient, HttpClientFn, Request, Response, http_client_fn};
pub use error::{BoxError, TransportError, TransportErrorKind};
#[cfg(feature = "hyper-client")]
#[cfg_attr(docsrs, doc(cfg(feature = "hyper-client")))]
pub use hyper_client::{HyperClient, HyperClientBuilder};
#[cfg(feature = "reqwest")]
#[cfg_attr(docsrs, doc(cfg(feature = "reqwest")))]
pub use reqwest_client::ReqwestClient;
#[cfg(feature = "tower")]
#[cfg_attr(docsrs, doc(cfg(feature = "tower")))]
pub use tower_client::TowerClient;
