//! The emulator as an in-process [`HttpClient`]: no socket at all.

use std::sync::Arc;

use imagekit_transport::{Body, HttpClient, Request, Response, TransportError, async_trait};

use crate::state::State;

/// An [`HttpClient`] that answers every request from an in-process emulator,
/// whatever the host in the URL. Cheap to clone.
#[derive(Clone)]
pub struct InProcess {
    pub(crate) state: Arc<State>,
}

impl std::fmt::Debug for InProcess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InProcess").field("url_endpoint", &self.state.url_endpoint).finish()
    }
}

impl InProcess {
    /// Change the store directly, bypassing the API (test fixtures).
    #[cfg(test)]
    pub(crate) fn seed<R>(&self, f: impl FnOnce(&mut crate::store::Tx<'_>) -> R) -> R {
        match self.state.store.write(|tx| Ok(f(tx))) {
            Ok(r) => r,
            Err(e) => panic!("seed: {}", e.message),
        }
    }

    /// Make the next database commit fail, as a full disk would (tests of
    /// failure handling; only with a data directory).
    #[doc(hidden)]
    pub fn fail_next_commit(&self) {
        self.state.store.fail_next_commit();
    }

    /// Store bytes directly, bypassing the API; returns the blob id for a
    /// [`FileVersion`](crate::model::FileVersion) (test fixtures).
    #[cfg(test)]
    pub(crate) fn seed_blob(&self, data: impl Into<bytes::Bytes>) -> String {
        match self.state.store.put_blob(data.into()) {
            Ok(id) => id,
            Err(e) => panic!("seed_blob: {}", e.message),
        }
    }
}

#[async_trait]
impl HttpClient for InProcess {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let (parts, body) = request.into_parts();
        let body = body.collect_limited(crate::body::MAX_BODY).await?;
        let resp = crate::server::dispatch(&self.state, parts.method, &parts.uri, parts.headers, body).await;
        let mut out = http::Response::new(Body::from(resp.body));
        *out.status_mut() = resp.status;
        *out.headers_mut() = resp.headers;
        Ok(out)
    }
}
