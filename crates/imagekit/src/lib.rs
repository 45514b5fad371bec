#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod client;
mod encode;
mod error;
mod jwt;
mod multipart;
pub mod operations;
mod options;
mod progress;
mod request;
pub mod resources;
mod retry;
pub mod sleep;
mod upload;
pub mod webhooks;

pub use client::{
    Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT,
    DEFAULT_UPLOAD_BASE_URL,
};
pub use error::{ApiError, Error, PagingStop, Result};
pub use options::{RequestOptions, SDK_OWNED_HEADERS};
pub use progress::UploadProgress;
pub use request::Call;
pub use upload::UploadFile;
pub use webhooks::{LegacyWebhook, WebhookError, Webhooks};

pub use imagekit_transport as transport;
pub use imagekit_types as types;
pub use imagekit_url as url;

use resources::accounts::Accounts;
use resources::assets::Assets;
use resources::beta::Beta;
use resources::cache::Cache;
use resources::custom_metadata_fields::CustomMetadataFields;
use resources::files::Files;
use resources::folders::Folders;
use resources::named_transformations::NamedTransformations;
use resources::saved_extensions::SavedExtensions;

impl Client {
    /// Files: details, update, delete, copy, move, rename, upload.
    pub fn files(&self) -> Files<'_> {
        Files { client: self }
    }

    /// The media library listing.
    pub fn assets(&self) -> Assets<'_> {
        Assets { client: self }
    }

    /// Folders and folder jobs.
    pub fn folders(&self) -> Folders<'_> {
        Folders { client: self }
    }

    /// CDN cache invalidation.
    pub fn cache(&self) -> Cache<'_> {
        Cache { client: self }
    }

    /// Custom metadata fields.
    pub fn custom_metadata_fields(&self) -> CustomMetadataFields<'_> {
        CustomMetadataFields { client: self }
    }

    /// Saved extensions.
    pub fn saved_extensions(&self) -> SavedExtensions<'_> {
        SavedExtensions { client: self }
    }

    /// Named transformations.
    pub fn named_transformations(&self) -> NamedTransformations<'_> {
        NamedTransformations { client: self }
    }

    /// Usage, origins, URL endpoints and account webhooks.
    pub fn accounts(&self) -> Accounts<'_> {
        Accounts { client: self }
    }

    /// Webhook verification with the client's webhook secret
    /// (`ClientBuilder::webhook_secret` / `IMAGEKIT_WEBHOOK_SECRET`).
    ///
    /// ```
    /// let client = imagekit::Client::builder().private_key("k").webhook_secret("whsec_abc").build()?;
    /// let webhooks = client.webhooks();
    /// let headers = http::HeaderMap::new();
    /// assert!(webhooks.verify_and_parse(b"{}", &headers).is_err()); // no webhook-id header
    /// # Ok::<(), imagekit::Error>(())
    /// ```
    pub fn webhooks(&self) -> Webhooks {
        Webhooks::from_secret(self.inner.webhook_secret.clone())
    }

    /// Beta endpoints (the V2 upload).
    pub fn beta(&self) -> Beta<'_> {
        Beta { client: self }
    }

    /// URL options for `src`, with the client's URL endpoint and private key
    /// filled in (the key signs only if you ask for a signed URL).
    ///
    /// ```
    /// # fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// let client = imagekit::Client::builder()
    ///     .private_key("private_key")
    ///     .url_endpoint("https://ik.imagekit.io/demo")
    ///     .build()?;
    /// let url = client.url("/shoe.jpg").build()?;
    /// assert_eq!(url, "https://ik.imagekit.io/demo/shoe.jpg");
    /// # Ok(()) }
    /// ```
    pub fn url<'a>(&'a self, src: &'a str) -> imagekit_url::UrlOptions<'a> {
        let opts = imagekit_url::UrlOptions::new(src).private_key(&self.inner.signer);
        match &self.inner.url_endpoint {
            Some(endpoint) => opts.url_endpoint(endpoint.as_str()),
            None => opts,
        }
    }

    /// Client-side upload authentication parameters: a random token, expiring
    /// in 30 minutes, signed with the private key.
    pub fn auth_params(&self) -> imagekit_url::AuthParams {
        imagekit_url::get_authentication_parameters(&self.inner.signer, None, None)
    }

    /// Client-side upload authentication parameters for a given token and
    /// absolute expiry (Unix seconds).
    pub fn auth_params_with(&self, token: &str, expire: u64) -> Result<imagekit_url::AuthParams> {
        imagekit_url::authentication_parameters(&self.inner.signer, token, expire)
            .map_err(|source| Error::Url { source })
    }
}
