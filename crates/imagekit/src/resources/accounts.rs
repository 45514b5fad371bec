//! `client.accounts()`: usage, usage analytics, origins, URL endpoints and
//! account webhooks.

use imagekit_types::{
    AccountWebhook, CreateAccountWebhookRequest, OriginRequest, OriginResponse, UpdateAccountWebhookRequest,
    UrlEndpointRequest, UrlEndpointResponse, Usage, UsageAnalytics, UsageQuery,
};

use crate::Client;
use crate::encode::path_param;
use crate::request::{Call, Endpoint};

/// The account; see [`Client::accounts`].
#[derive(Debug, Clone, Copy)]
pub struct Accounts<'a> {
    pub(crate) client: &'a Client,
}

impl<'a> Accounts<'a> {
    /// Usage: `accounts().usage().get(start, end)`.
    pub fn usage(&self) -> AccountUsage<'a> {
        AccountUsage { client: self.client, path: "/v1/accounts/usage" }
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
    path: &'static str,
}

impl<'a> AccountUsage<'a> {
    /// `GET /v1/accounts/usage?startDate&endDate` (`YYYY-MM-DD`; start
    /// inclusive, end exclusive, under 90 days).
    ///
    /// ```no_run
    /// # async fn demo(client: imagekit::Client) -> imagekit::Result<()> {
    /// let usage = client.accounts().usage().get("2025-01-01", "2025-01-31").await?;
    /// println!("{:?} bytes of bandwidth", usage.bandwidth_bytes);
    /// # Ok(()) }
    /// ```
    pub fn get(&self, start_date: impl Into<String>, end_date: impl Into<String>) -> Call<Usage> {
        Call::json(self.client, Endpoint::get(self.path).query(&dates(start_date, end_date)))
    }
}

/// `client.accounts().usage_analytics()`.
#[derive(Debug, Clone, Copy)]
pub struct AccountUsageAnalytics<'a> {
    client: &'a Client,
}

impl<'a> AccountUsageAnalytics<'a> {
    /// `GET /v1/accounts/usage-analytics?startDate&endDate` (both inclusive, UTC days).
    pub fn get(&self, start_date: impl Into<String>, end_date: impl Into<String>) -> Call<UsageAnalytics> {
        Call::json(self.client, Endpoint::get("/v1/accounts/usage-analytics").query(&dates(start_date, end_date)))
    }
}

/// Declares a list/create/get/update/delete resource under `base`; `create`
/// takes `$req` and `update` takes `$update_req` (by default `$req` too).
macro_rules! crud {
    ($(#[$m:meta])* $name:ident, $base:literal, $req:ty, $resp:ty, $update:ident, $id:literal) => {
        crud!($(#[$m])* $name, $base, $req, $req, $resp, $update, $id);
    };
    ($(#[$m:meta])* $name:ident, $base:literal, $req:ty, $update_req:ty, $resp:ty, $update:ident, $id:literal) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name<'a> {
            client: &'a Client,
        }

        impl<'a> $name<'a> {
            fn item(id: &str) -> crate::Result<String> {
                Ok(format!(concat!($base, "/{}"), path_param($id, id)?))
            }

            #[doc = concat!("`GET ", $base, "`.")]
            pub fn list(&self) -> Call<Vec<$resp>> {
                Call::json(self.client, Ok(Endpoint::get($base)))
            }

            #[doc = concat!("`POST ", $base, "`.")]
            pub fn create(&self, body: $req) -> Call<$resp> {
                Call::json(self.client, Endpoint::post($base).json(&body))
            }

            #[doc = concat!("`GET ", $base, "/{id}`.")]
            pub fn get(&self, id: &str) -> Call<$resp> {
                Call::json(self.client, Self::item(id).map(Endpoint::get))
            }

            #[doc = concat!("`", stringify!($update), " ", $base, "/{id}`.")]
            pub fn update(&self, id: &str, body: $update_req) -> Call<$resp> {
                Call::json(self.client, Self::item(id).and_then(|p| Endpoint::$update(p).json(&body)))
            }

            #[doc = concat!("`DELETE ", $base, "/{id}`.")]
            pub fn delete(&self, id: &str) -> Call<()> {
                Call::void(self.client, Self::item(id).map(Endpoint::delete))
            }
        }
    };
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
    Origins, "/v1/accounts/origins", OriginRequest, OriginResponse, put, "id"
);

crud!(
    /// `client.accounts().url_endpoints()`: URL endpoints with their origins and
    /// URL rewriters. `update` is a full replace (PUT).
    UrlEndpoints, "/v1/accounts/url-endpoints", UrlEndpointRequest, UrlEndpointResponse, put, "id"
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
    "/v1/accounts/webhooks",
    CreateAccountWebhookRequest,
    UpdateAccountWebhookRequest,
    AccountWebhook,
    patch,
    "id"
);
