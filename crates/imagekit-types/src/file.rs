//! Files, folders and the items of a media library listing.

use serde::{Deserialize, Serialize};

use crate::Object;
use crate::custom_metadata::SelectedFieldSchema;
use crate::extension::ExtensionStatus;
use crate::lazy::LazyObject;

open_enum! {
    /// What a [`File`] object describes: the current file or one of its versions.
    pub enum FileKind {
        /// The current version of a file.
        File = "file",
        /// An earlier version of a file.
        FileVersion = "file-version",
    }
}

open_enum! {
    /// Whether a file is an image, as ImageKit classifies it.
    pub enum FileType {
        /// An image file.
        Image = "image",
        /// Anything that is not an image (video, PDF, ...).
        NonImage = "non-image",
    }
}

/// A tag that an AI tagging extension put on a file (wire name `AITags`).
///
/// ```
/// let tag: imagekit_types::AiTag =
///     serde_json::from_str(r#"{"name":"Car","confidence":99.87,"source":"aws-auto-tagging"}"#)?;
/// assert_eq!(tag.confidence, Some(99.87));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AiTag {
    /// The tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Confidence in percent.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_f64")]
    pub confidence: Option<f64>,
    /// The extension that produced the tag (`google-auto-tagging`, `aws-auto-tagging`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// The version a file object describes.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct VersionInfo {
    /// The version id (`versionId` in the versions endpoints).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// A display name such as `Version 1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// A file or file version: file details, version details, listing items of type
/// `file`/`file-version`, and the `data` of `file.*` webhook events.
///
/// `tags`, `AITags`, `customCoordinates` and `embeddedMetadata` may be `null` on the
/// wire; they are `Option<Option<_>>` so that `null` and an absent key stay apart.
///
/// ```
/// let json = r#"{"type":"file","name":"a.jpg","fileId":"f1","tags":null,"width":1342}"#;
/// let file: imagekit_types::File = serde_json::from_str(json)?;
/// assert_eq!(file.kind, Some(imagekit_types::FileKind::File));
/// assert_eq!(file.width, Some(1342));
/// assert_eq!(file.tags, Some(None)); // present, and null
/// assert_eq!(serde_json::to_string(&file)?, json); // written back byte for byte
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct File {
    /// `file` or `file-version`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<FileKind>,
    /// The file's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// When the file was created (ISO-8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// When the file was last updated (ISO-8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// The file id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_id: Option<String>,
    /// Tags; `Some(None)` when the API sent `null`.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::nullable::double_option")]
    pub tags: Option<Option<Vec<String>>>,
    /// AI tags (wire name `AITags`); `Some(None)` when the API sent `null`.
    #[serde(
        rename = "AITags",
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::nullable::double_option"
    )]
    pub ai_tags: Option<Option<Vec<AiTag>>>,
    /// The version this object describes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_info: Option<VersionInfo>,
    /// Merged EXIF / IPTC / XMP metadata; `Some(None)` when the API sent `null`.
    /// Decoded on first read (see [`LazyObject`]).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::nullable::double_option")]
    pub embedded_metadata: Option<Option<LazyObject>>,
    /// `x,y,width,height`; `Some(None)` when the API sent `null`.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::nullable::double_option")]
    pub custom_coordinates: Option<Option<String>>,
    /// Values of custom metadata fields. Decoded on first read (see [`LazyObject`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_metadata: Option<LazyObject>,
    /// Whether the file is private.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_private_file: Option<bool>,
    /// Whether the file is published (false: draft).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_published: Option<bool>,
    /// The delivery URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// A thumbnail URL (the upload response calls this `thumbnailUrl`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<String>,
    /// `image` or `non-image`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_type: Option<FileType>,
    /// The path of the file in the media library.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_path: Option<String>,
    /// Height in pixels. A fraction (which the API does not send) is rounded.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_u64")]
    pub height: Option<u64>,
    /// Width in pixels. A fraction (which the API does not send) is rounded.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_u64")]
    pub width: Option<u64>,
    /// Size in bytes. A fraction (which the API does not send) is rounded.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_u64")]
    pub size: Option<u64>,
    /// Whether the image has an alpha channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_alpha: Option<bool>,
    /// The MIME type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime: Option<String>,
    /// Video/audio bit rate in kbps.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_u64")]
    pub bit_rate: Option<u64>,
    /// Video/audio duration in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_u64")]
    pub duration: Option<u64>,
    /// Audio codec of a video or audio file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_codec: Option<String>,
    /// Video codec of a video file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_codec: Option<String>,
    /// The file's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Schemas of the custom metadata fields this file can carry (path policy plans).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_fields_schema: Option<indexmap::IndexMap<String, SelectedFieldSchema>>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

impl File {
    /// The tags, empty when absent or `null`.
    pub fn tag_list(&self) -> &[String] {
        self.tags.as_ref().and_then(Option::as_deref).unwrap_or(&[])
    }

    /// The AI tags, empty when absent or `null`.
    pub fn ai_tag_list(&self) -> &[AiTag] {
        self.ai_tags.as_ref().and_then(Option::as_deref).unwrap_or(&[])
    }
}

/// The response of `PATCH /v1/files/{fileId}/details`: a [`File`] plus the status
/// of the extensions the update asked for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FileUpdateResponse {
    /// The updated file.
    #[serde(flatten)]
    pub file: File,
    /// Status of each requested extension.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::extension::status_field")]
    pub extension_status: Option<ExtensionStatus>,
}

impl FileUpdateResponse {
    /// The updated `file`, without extension status (for servers and tests).
    pub fn new(file: File) -> Self {
        FileUpdateResponse { file, extension_status: None }
    }
}

/// A folder, as listed by `GET /v1/files` with `type: "folder"`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Folder {
    /// Always `folder`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The folder id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<String>,
    /// The folder's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The folder's full path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_path: Option<String>,
    /// When the folder was created (ISO-8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// When the folder was last updated (ISO-8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Who created the folder, when ImageKit knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<crate::folders::CreatedBy>,
    /// Custom metadata (`{}` when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_metadata: Option<Object>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

// Read by hand: these are decoded thousands of times per listing (see `fast_de`).
open_struct_deserialize!(AiTag, "an AI tag object" {
    "name" => name: plain,
    "confidence" => confidence: plain,
    "source" => source: plain,
});

open_struct_deserialize!(VersionInfo, "a version info object" {
    "id" => id: plain,
    "name" => name: plain,
});

open_struct_deserialize!(File, "a file object" {
    "type" => kind: plain,
    "name" => name: plain,
    "createdAt" => created_at: plain,
    "updatedAt" => updated_at: plain,
    "fileId" => file_id: plain,
    "tags" => tags: double,
    "AITags" => ai_tags: double,
    "versionInfo" => version_info: plain,
    "embeddedMetadata" => embedded_metadata: double,
    "customCoordinates" => custom_coordinates: double,
    "customMetadata" => custom_metadata: plain,
    "isPrivateFile" => is_private_file: plain,
    "isPublished" => is_published: plain,
    "url" => url: plain,
    "thumbnail" => thumbnail: plain,
    "fileType" => file_type: plain,
    "filePath" => file_path: plain,
    "height" => height: u64,
    "width" => width: u64,
    "size" => size: u64,
    "hasAlpha" => has_alpha: plain,
    "mime" => mime: plain,
    "bitRate" => bit_rate: u64,
    "duration" => duration: u64,
    "audioCodec" => audio_codec: plain,
    "videoCodec" => video_codec: plain,
    "description" => description: plain,
    "selectedFieldsSchema" => selected_fields_schema: plain,
});

open_struct_deserialize!(Folder, "a folder object" {
    "type" => kind: plain,
    "folderId" => folder_id: plain,
    "name" => name: plain,
    "folderPath" => folder_path: plain,
    "createdAt" => created_at: plain,
    "updatedAt" => updated_at: plain,
    "createdBy" => created_by: plain,
    "customMetadata" => custom_metadata: plain,
});
