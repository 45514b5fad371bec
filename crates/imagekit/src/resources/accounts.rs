//! `client.accounts()`: usage, usage analytics, origins, URL endpoints and
//! account webhooks.

use imagekit_types::{
    AccountWebhook, CreateAccountWebhookRequest, OriginRequest, OriginResponse, UpdateAccountWebhookRequest,
    UrlEndpointRequest, UrlEndpointResponse, Usage, UsageAnalytics, UsageQuery,
};

use crate::Client;
use crate::operations::{ACCOUNTS_USAGE_ANALYTICS_GET, ACCOUNTS_USAGE_GET};
use crate::request::{Call, Endpoint};
use crate::resources::crud::crud;

/// The account; see [`Client::accounts`].
#[derive(Debug, Clone, Copy)]
pub struct Accounts<'a> {
    pub(crate) client: &'a Client,
}

impl<'a> Accounts<'a> {
    /// Usage: `accounts().usage().get(start, end)`.
    pub fn usage(&self) -> AccountUsage<'a> {
        AccountUsage { client: self.client }
    }

    /// Usage analytics (beta): `accounts().usage_analytics().get(start, end)`.
    pub fn usage_analytics(&self) -> AccountUsageAnalytics<'a> {
        AccountUsageAnalytics { client: self.client }
    }

    /// Origins (beta).
    pub fn origins(&self) -> Origins<'a> {
        Origins { client: self.client }
    }

    /// URL endpoints (beta).
    pub fn url_endpoints(&self) -> UrlEndpoints<'a> {
        UrlEndpoints { client: self.client }
    }

    /// Account webhooks: the endpoints ImageKit posts events to (the Python
    /// SDK 5.11's `accounts.webhooks`).
    pub fn webhooks(&self) -> AccountWebhooks<'a> {
        AccountWebhooks { client: self.client }
    }
}

fn dates(start_date: impl Into<String>, end_date: impl Into<String>) -> UsageQuery {
    UsageQuery::new(start_date, end_date)
}

/// `client.accounts().usage()`.
#[derive(Debug, Clone, Copy)]
pub struct AccountUsage<'a> {
    client: &'a Client,
}

impl<'a> AccountUsage<'a> {
    /// Usage between two days ([`ACCOUNTS_USAGE_GET`]; `YYYY-MM-DD`, start
    /// inclusive, end exclusive, under 90 days).
    ///
    /// ```no_run
    /// # async fn demo(client: imagekit::Client) -> imagekit::Result<()> {
    /// let usage = client.accounts().usage().get("2025-01-01", "2025-01-31").await?;
    /// println!("{:?} bytes of bandwidth", usage.bandwidth_bytes);
    /// # Ok(()) }
    /// ```
    pub fn get(&self, start_date: impl Into<String>, end_date: impl Into<String>) -> Call<Usage> {
        let ep = Endpoint::for_op(&ACCOUNTS_USAGE_GET, &[]);
        Call::json(self.client, ep.and_then(|ep| ep.query(&dates(start_date, end_date))))
    }
}

/// `client.accounts().usage_analytics()`.
#[derive(Debug, Clone, Copy)]
pub struct AccountUsageAnalytics<'a> {
    client: &'a Client,
}

impl<'a> AccountUsageAnalytics<'a> {
    /// Usage analytics between two days ([`ACCOUNTS_USAGE_ANALYTICS_GET`];
    /// `YYYY-MM-DD`, both inclusive, UTC days).
    pub fn get(&self, start_date: impl Into<String>, end_date: impl Into<String>) -> Call<UsageAnalytics> {
        let ep = Endpoint::for_op(&ACCOUNTS_USAGE_ANALYTICS_GET, &[]);
        Call::json(self.client, ep.and_then(|ep| ep.query(&dates(start_date, end_date))))
    }
}

crud!(
    /// `client.accounts().origins()`: the storage behind URL endpoints, all 8
    /// types. `update` is a full replace (PUT).
    ///
    /// ```no_run
    /// # async fn demo(client: imagekit::Client) -> imagekit::Result<()> {
    /// use imagekit::types::{OriginRequest, WebFolderOrigin};
    /// let origin = client
    ///     .accounts()
    ///     .origins()
    ///     .create(OriginRequest::WebFolder(WebFolderOrigin::new("site", "https://images.example.com")))
    ///     .await?;
    /// # let _ = origin; Ok(()) }
    /// ```
    Origins,
    [
        ACCOUNTS_ORIGINS_LIST,
        ACCOUNTS_ORIGINS_CREATE,
        ACCOUNTS_ORIGINS_GET,
        ACCOUNTS_ORIGINS_UPDATE,
        ACCOUNTS_ORIGINS_DELETE
    ],
    OriginRequest,
    OriginRequest,
    OriginResponse
);

crud!(
    /// `client.accounts().url_endpoints()`: URL endpoints with their origins and
    /// URL rewriters. `update` is a full replace (PUT).
    UrlEndpoints,
    [
        ACCOUNTS_URL_ENDPOINTS_LIST,
        ACCOUNTS_URL_ENDPOINTS_CREATE,
        ACCOUNTS_URL_ENDPOINTS_GET,
        ACCOUNTS_URL_ENDPOINTS_UPDATE,
        ACCOUNTS_URL_ENDPOINTS_DELETE
    ],
    UrlEndpointRequest,
    UrlEndpointRequest,
    UrlEndpointResponse
);

crud!(
    /// `client.accounts().webhooks()`: account webhooks (the Python SDK 5.11's
    /// `accounts.webhooks`). `create` answers the new webhook with its
    /// generated signing `secret`; `update` is a PATCH that changes only the
    /// fields set (`events` replaces the list). Verify the events a webhook
    /// receives with [`Webhooks::from_account_webhook`](crate::Webhooks::from_account_webhook).
    ///
    /// ```no_run
    /// # async fn demo(client: imagekit::Client) -> imagekit::Result<()> {
    /// use imagekit::types::{CreateAccountWebhookRequest, UpdateAccountWebhookRequest, WebhookEventType};
    /// let hooks = client.accounts().webhooks();
    /// let hook = hooks
    ///     .create(CreateAccountWebhookRequest::new(
    ///         "https://example.com/imagekit",
    ///         [WebhookEventType::FileCreated, WebhookEventType::FolderCreated],
    ///     ))
    ///     .await?;
    /// // Keep `hook.secret` (a `whsec_...` key) to verify what arrives at the endpoint.
    /// let verifier = imagekit::Webhooks::from_account_webhook(&hook);
    /// hooks.update(&hook.id, UpdateAccountWebhookRequest::new().enabled(false)).await?;
    /// # let _ = verifier; Ok(()) }
    /// ```
    AccountWebhooks,
    [
        ACCOUNTS_WEBHOOKS_LIST,
        ACCOUNTS_WEBHOOKS_CREATE,
        ACCOUNTS_WEBHOOKS_GET,
        ACCOUNTS_WEBHOOKS_UPDATE,
        ACCOUNTS_WEBHOOKS_DELETE
    ],
    CreateAccountWebhookRequest,
    UpdateAccountWebhookRequest,
    AccountWebhook
);
