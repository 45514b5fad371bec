//! Fetching a file from a URL (an upload whose `file` is a URL). Only loopback
//! hosts are fetched: the emulator must not become a proxy onto the network.

use std::time::Duration;

use bytes::Bytes;
use imagekit_transport::{HttpClient as _, HyperClient};

use crate::body::MAX_BODY;
use crate::web::ApiError;

/// Whether a URL host is loopback: `localhost`, 127.0.0.0/8 or `[::1]`.
pub(crate) fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") || host.to_ascii_lowercase().ends_with(".localhost") {
        return true;
    }
    host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// How long a URL may take to answer (ImageKit allows 8 s for the headers).
const FETCH_TIMEOUT: Duration = Duration::from_secs(8);

/// The body of `url` (a loopback URL), within the request body limit.
pub(crate) async fn fetch(url: &str) -> Result<Bytes, ApiError> {
    let uri: http::Uri = url.parse().map_err(|_| ApiError::bad_request("Invalid URL in the file parameter."))?;
    let host = uri.host().unwrap_or_default();
    if !is_loopback(host) {
        return Err(ApiError::bad_request(format!(
            "The emulator fetches file URLs only from loopback hosts (localhost, 127.0.0.1, [::1]), not {host}."
        )));
    }
    let failed = |e: &dyn std::fmt::Display| ApiError::bad_request(format!("Could not fetch the file from {url}: {e}"));
    let client = HyperClient::builder()
        .connect_timeout(Duration::from_secs(2))
        .timeout(FETCH_TIMEOUT)
        .build()
        .map_err(|e| failed(&e))?;
    let request = http::Request::get(uri).body(imagekit_transport::Body::empty()).map_err(|e| failed(&e))?;
    let response = client.send(request).await.map_err(|e| failed(&e))?;
    if !response.status().is_success() {
        return Err(failed(&format!("status {}", response.status())));
    }
    response.into_body().collect_limited(MAX_BODY).await.map_err(|e| failed(&e))
}

#[cfg(test)]
mod tests;
