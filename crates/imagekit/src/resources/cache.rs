//! `client.cache().invalidation()`: purge URLs from the CDN cache.

use std::future::IntoFuture;

use imagekit_types::{PurgeCreated, PurgeRequest, PurgeStatus};

use crate::encode::path_param;
use crate::request::{Call, Endpoint};
use crate::resources::wait::{WaitOptions, until_completed};
use crate::{Client, Result};

/// The cache; see [`Client::cache`].
#[derive(Debug, Clone, Copy)]
pub struct Cache<'a> {
    pub(crate) client: &'a Client,
}

impl<'a> Cache<'a> {
    /// Cache invalidation (purge).
    pub fn invalidation(&self) -> Invalidation<'a> {
        Invalidation { client: self.client }
    }
}

/// `client.cache().invalidation()`.
#[derive(Debug, Clone, Copy)]
pub struct Invalidation<'a> {
    client: &'a Client,
}

impl<'a> Invalidation<'a> {
    /// `POST /v1/files/purge`: purge a full URL (asynchronous).
    ///
    /// ```no_run
    /// # async fn demo(client: imagekit::Client) -> imagekit::Result<()> {
    /// let purge = client.cache().invalidation().create("https://ik.imagekit.io/demo/a.jpg").await?;
    /// # let _ = purge; Ok(()) }
    /// ```
    pub fn create(&self, url: impl Into<String>) -> Call<PurgeCreated> {
        let body = PurgeRequest::new(url);
        Call::json(self.client, Endpoint::post("/v1/files/purge").json(&body))
    }

    /// `GET /v1/files/purge/{requestId}`.
    pub fn get(&self, request_id: &str) -> Call<PurgeStatus> {
        let ep = path_param("requestId", request_id).map(|id| Endpoint::get(format!("/v1/files/purge/{id}")));
        Call::json(self.client, ep)
    }

    /// Poll the purge until it is `Completed`, or fail with
    /// [`Error::WaitTimeout`](crate::Error::WaitTimeout) after `options.timeout`.
    pub async fn wait(&self, request_id: &str, options: WaitOptions) -> Result<PurgeStatus> {
        until_completed(
            &*self.client.inner.sleep,
            request_id,
            options,
            || self.get(request_id).into_future(),
            |p: &PurgeStatus| p.status.as_ref(),
        )
        .await
    }
}
