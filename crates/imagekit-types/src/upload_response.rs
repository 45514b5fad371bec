//! The response of an upload.

use serde::{Deserialize, Serialize};

use crate::custom_metadata::SelectedFieldSchema;
use crate::extension::ExtensionStatus;
use crate::file::{AiTag, FileType, VersionInfo};
use crate::{Metadata, Object};

/// The response of an upload (V1 and V2 alike). Note `thumbnailUrl`, where file
/// details say `thumbnail`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FileUploadResponse {
    /// The file id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_id: Option<String>,
    /// The stored name (with a unique suffix unless disabled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Size in bytes. A fraction (which the API does not send) is rounded.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_u64")]
    pub size: Option<u64>,
    /// The version created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_info: Option<VersionInfo>,
    /// Path in the media library.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_path: Option<String>,
    /// Delivery URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Thumbnail URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail_url: Option<String>,
    /// `image` or `non-image`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_type: Option<FileType>,
    /// Height in pixels. A fraction (which the API does not send) is rounded.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_u64")]
    pub height: Option<u64>,
    /// Width in pixels. A fraction (which the API does not send) is rounded.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_u64")]
    pub width: Option<u64>,
    /// Video/audio bit rate.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_u64")]
    pub bit_rate: Option<u64>,
    /// Video/audio duration in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_u64")]
    pub duration: Option<u64>,
    /// Audio codec.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_codec: Option<String>,
    /// Video codec.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_codec: Option<String>,
    /// Tags (when requested); `Some(None)` when `null`.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::nullable::double_option")]
    pub tags: Option<Option<Vec<String>>>,
    /// AI tags (wire name `AITags`); `Some(None)` when `null`.
    #[serde(
        rename = "AITags",
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::nullable::double_option"
    )]
    pub ai_tags: Option<Option<Vec<AiTag>>>,
    /// Custom coordinates (when requested); `Some(None)` when `null`.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::nullable::double_option")]
    pub custom_coordinates: Option<Option<String>>,
    /// Whether the file is private (when requested).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_private_file: Option<bool>,
    /// Whether the file is published (when requested).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_published: Option<bool>,
    /// Embedded metadata (when requested); `Some(None)` when `null`.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::nullable::double_option")]
    pub embedded_metadata: Option<Option<Object>>,
    /// Custom metadata (when requested).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_metadata: Option<Object>,
    /// Technical metadata (when requested).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// Field schemas (when requested).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_fields_schema: Option<indexmap::IndexMap<String, SelectedFieldSchema>>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Status of each requested extension.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::extension::status_field")]
    pub extension_status: Option<ExtensionStatus>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}
