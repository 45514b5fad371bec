//! `client.cache().invalidation()`: purge URLs from the CDN cache.

use std::future::IntoFuture;

use imagekit_types::{PurgeCreated, PurgeRequest, PurgeStatus};

use crate::operations::{CACHE_INVALIDATION_CREATE, CACHE_INVALIDATION_GET};
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
    /// Purge a full URL ([`CACHE_INVALIDATION_CREATE`]; asynchronous).
    ///
    /// ```no_run
    /// # async fn demo(client: imagekit::Client) -> imagekit::Result<()> {
    /// let purge = client.cache().invalidation().create("https://ik.imagekit.io/demo/a.jpg").await?;
    /// # let _ = purge; Ok(()) }
    /// ```
    pub fn create(&self, url: impl Into<String>) -> Call<PurgeCreated> {
        let body = PurgeRequest::new(url);
        Call::json(self.client, Endpoint::for_op(&CACHE_INVALIDATION_CREATE, &[]).and_then(|ep| ep.json(&body)))
    }

    /// The status of a purge ([`CACHE_INVALIDATION_GET`]).
    pub fn get(&self, request_id: &str) -> Call<PurgeStatus> {
        Call::json(self.client, Endpoint::for_op(&CACHE_INVALIDATION_GET, &[request_id]))
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
