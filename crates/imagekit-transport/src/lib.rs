#![doc = include_str!("../README.md")]
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
