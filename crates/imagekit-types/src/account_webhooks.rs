//! Account webhook endpoints (`/v1/accounts/webhooks`, present in the Python SDK
//! 5.11). The official material records the paths but not the fields, so only
//! `url`, `events`, `description` and `enabled` are typed; everything else the API
//! sends is kept in `extra`.

use serde::{Deserialize, Serialize};

use crate::Object;

/// Body of `POST /v1/accounts/webhooks` and `PATCH /v1/accounts/webhooks/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountWebhookRequest {
    /// Where events are posted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Event types to send (e.g. `file.created`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<String>>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether the endpoint receives events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// An account webhook endpoint as the API returns it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountWebhook {
    /// The id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Where events are posted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Event types sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<String>>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether the endpoint receives events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}
