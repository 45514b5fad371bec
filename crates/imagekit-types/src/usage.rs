//! Account usage and usage analytics.

use serde::{Deserialize, Serialize};

use crate::Object;

/// Query of `GET /v1/accounts/usage` and `GET /v1/accounts/usage-analytics`
/// (`YYYY-MM-DD` dates).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UsageQuery {
    /// First day (inclusive).
    pub start_date: String,
    /// Last day: exclusive for usage, inclusive for usage analytics.
    pub end_date: String,
}

impl UsageQuery {
    /// The days from `start_date` to `end_date` (`YYYY-MM-DD`).
    pub fn new(start_date: impl Into<String>, end_date: impl Into<String>) -> Self {
        UsageQuery { start_date: start_date.into(), end_date: end_date.into() }
    }
}

/// Response of `GET /v1/accounts/usage`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Usage {
    /// Bandwidth used, in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_u64")]
    pub bandwidth_bytes: Option<u64>,
    /// Media library storage, in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_u64")]
    pub media_library_storage_bytes: Option<u64>,
    /// Original cache storage, in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_u64")]
    pub original_cache_storage_bytes: Option<u64>,
    /// Video processing units.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_u64")]
    pub video_processing_units_count: Option<u64>,
    /// Extension units.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_u64")]
    pub extension_units_count: Option<u64>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Response of `GET /v1/accounts/usage-analytics`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UsageAnalytics {
    /// First day.
    pub start_date: String,
    /// Last day.
    pub end_date: String,
    /// When the figures were computed.
    pub generated_at: String,
    /// Bandwidth, in bytes.
    #[serde(with = "crate::num::f64_js")]
    pub bandwidth_bytes: f64,
    /// Requests.
    #[serde(with = "crate::num::f64_js")]
    pub request_count: f64,
    /// Cache hits, misses and errors.
    pub cache: CacheStats,
    /// By browser.
    pub browser: Breakdown,
    /// By country (entries carry `code`).
    pub country: Breakdown,
    /// By device.
    pub device: Breakdown,
    /// By format.
    pub format: Breakdown,
    /// Top images.
    pub top_images: Breakdown,
    /// Top image transformations.
    pub top_image_transforms: Breakdown,
    /// Top other assets.
    pub top_other_assets: Breakdown,
    /// Top referrers.
    pub top_referrers: Breakdown,
    /// Top user agents.
    pub top_user_agents: Breakdown,
    /// Top videos.
    pub top_videos: Breakdown,
    /// Top video transformations.
    pub top_video_transforms: Breakdown,
    /// By URL endpoint.
    pub url_endpoints: Breakdown,
    /// Error reasons.
    pub error_reasons: Vec<NamedCount>,
    /// Status codes.
    pub status_codes: Vec<NamedCount>,
    /// Top assets answered with 404.
    pub top404_assets: Vec<NamedCount>,
    /// Extension operations.
    pub extensions: Vec<ExtensionCount>,
    /// Video processing.
    pub video_processing: Vec<VideoProcessing>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Cache statistics.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CacheStats {
    /// Hits.
    #[serde(with = "crate::num::f64_js")]
    pub hit_count: f64,
    /// Misses.
    #[serde(with = "crate::num::f64_js")]
    pub miss_count: f64,
    /// Errors.
    #[serde(with = "crate::num::f64_js")]
    pub error_count: f64,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// A breakdown ranked by bandwidth and by requests.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Breakdown {
    /// Ranked by bandwidth.
    pub by_bandwidth: Vec<BreakdownEntry>,
    /// Ranked by requests.
    pub by_requests: Vec<BreakdownEntry>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// One entry of a [`Breakdown`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BreakdownEntry {
    /// What is counted.
    pub name: String,
    /// Requests.
    #[serde(with = "crate::num::f64_js")]
    pub request_count: f64,
    /// Bandwidth, in bytes.
    #[serde(with = "crate::num::f64_js")]
    pub bandwidth_bytes: f64,
    /// ISO country code (country breakdown only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// A name with a request count.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct NamedCount {
    /// What is counted.
    pub name: String,
    /// Requests.
    #[serde(with = "crate::num::f64_js")]
    pub request_count: f64,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// An extension with its operation count.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ExtensionCount {
    /// The extension.
    pub name: String,
    /// Operations.
    #[serde(with = "crate::num::f64_js")]
    pub operation_count: f64,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Video processing by resolution and codec.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct VideoProcessing {
    /// Output resolution.
    pub resolution: String,
    /// Output codec.
    pub codec: String,
    /// Seconds processed.
    #[serde(with = "crate::num::f64_js")]
    pub duration_seconds: f64,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}
