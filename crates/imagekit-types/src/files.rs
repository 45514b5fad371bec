//! Request and response bodies of the file endpoints: update, copy, move,
//! rename, bulk operations and the media library listing.

use serde::{Deserialize, Serialize};

use crate::{Extension, Object};

/// Body of `PATCH /v1/files/{fileId}/details`: either details to change or a
/// publication status change.
///
/// ```
/// use imagekit_types::{UpdateFileDetails, UpdateFileRequest};
/// // `Some(None)` sends an explicit null, which clears all tags.
/// let clear = UpdateFileRequest::Details(UpdateFileDetails::new().clear_tags());
/// assert_eq!(serde_json::to_string(&clear)?, r#"{"tags":null}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum UpdateFileRequest {
    /// `{"publish": {...}}`: publish or unpublish the file.
    Publication(ChangePublication),
    /// Tags, coordinates, metadata, description, extensions, AI tag removal.
    Details(UpdateFileDetails),
}

/// The details shape of a file update; every field optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UpdateFileDetails {
    /// New tags; `Some(None)` sends `null`, which clears all tags.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::nullable::double_option")]
    pub tags: Option<Option<Vec<String>>>,
    /// New `x,y,w,h`; `Some(None)` sends `null`, which unsets them.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::nullable::double_option")]
    pub custom_coordinates: Option<Option<String>>,
    /// Custom metadata to set; a key set to `null` unsets that key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_metadata: Option<Object>,
    /// A new description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Extensions to run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Vec<Extension>>,
    /// AI tags to remove (before any extension runs).
    #[serde(rename = "removeAITags", default, skip_serializing_if = "Option::is_none")]
    pub remove_ai_tags: Option<RemoveAiTags>,
    /// Where to post the final extension status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// `removeAITags`: a list of tags, or the string `"all"`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RemoveAiTags {
    /// Remove every AI tag (`"all"` on the wire).
    All,
    /// Remove these AI tags.
    Tags(Vec<String>),
}

impl Serialize for RemoveAiTags {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            RemoveAiTags::All => s.serialize_str("all"),
            RemoveAiTags::Tags(t) => t.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for RemoveAiTags {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Wire {
            Str(String),
            List(Vec<String>),
        }
        match Wire::deserialize(d)? {
            Wire::Str(s) if s == "all" => Ok(RemoveAiTags::All),
            Wire::Str(s) => Err(serde::de::Error::custom(format_args!(
                "removeAITags must be \"all\" or a list of tags, found {s:?}"
            ))),
            Wire::List(t) => Ok(RemoveAiTags::Tags(t)),
        }
    }
}

/// The publication shape of a file update: `{"publish": {...}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ChangePublication {
    /// The new status.
    pub publish: PublishStatus,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// The publication status to set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PublishStatus {
    /// Published (true) or draft (false).
    pub is_published: bool,
    /// Apply to every version of the file too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_file_versions: Option<bool>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Body of `POST /v1/files/copy`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CopyFileRequest {
    /// The file to copy.
    pub source_file_path: String,
    /// The destination folder.
    pub destination_path: String,
    /// Copy every version too (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_file_versions: Option<bool>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Body of `POST /v1/files/move`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MoveFileRequest {
    /// The file to move.
    pub source_file_path: String,
    /// The destination folder.
    pub destination_path: String,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Body of `PUT /v1/files/rename`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RenameFileRequest {
    /// The file to rename.
    pub file_path: String,
    /// The new name (characters other than letters, digits, `.`, `_`, `-` become `_`).
    pub new_file_name: String,
    /// Purge the CDN cache of the old URL (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purge_cache: Option<bool>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Response of `PUT /v1/files/rename`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RenameFileResponse {
    /// The purge request id, when `purgeCache` was true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purge_request_id: Option<String>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Body of `POST /v1/files/batch/deleteByFileIds` (at most 100 ids a call).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BulkDeleteRequest {
    /// The files to delete.
    pub file_ids: Vec<String>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Response of a bulk delete.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BulkDeleteResponse {
    /// The ids deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub successfully_deleted_file_ids: Option<Vec<String>>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Body of `POST /v1/files/addTags` and `/v1/files/removeTags` (at most 50 ids).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BulkTagsRequest {
    /// The files to change.
    pub file_ids: Vec<String>,
    /// The tags to add or remove.
    pub tags: Vec<String>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Body of `POST /v1/files/removeAITags` (at most 50 ids).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BulkRemoveAiTagsRequest {
    /// The files to change.
    pub file_ids: Vec<String>,
    /// The AI tags to remove (wire name `AITags`).
    #[serde(rename = "AITags")]
    pub ai_tags: Vec<String>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Response of the bulk tag endpoints.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BulkUpdateResponse {
    /// The ids changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub successfully_updated_file_ids: Option<Vec<String>>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

open_enum! {
    /// `type` filter of the media library listing.
    pub enum AssetType {
        /// Current files only.
        File = "file",
        /// File versions only.
        FileVersion = "file-version",
        /// Folders only.
        Folder = "folder",
        /// Files and folders (not file versions).
        All = "all",
    }
}

open_enum! {
    /// Sort order of the media library listing.
    pub enum AssetSort {
        /// Name, ascending.
        AscName = "ASC_NAME",
        /// Name, descending.
        DescName = "DESC_NAME",
        /// Creation time, ascending.
        AscCreated = "ASC_CREATED",
        /// Creation time, descending.
        DescCreated = "DESC_CREATED",
        /// Update time, ascending.
        AscUpdated = "ASC_UPDATED",
        /// Update time, descending.
        DescUpdated = "DESC_UPDATED",
        /// Height, ascending.
        AscHeight = "ASC_HEIGHT",
        /// Height, descending.
        DescHeight = "DESC_HEIGHT",
        /// Width, ascending.
        AscWidth = "ASC_WIDTH",
        /// Width, descending.
        DescWidth = "DESC_WIDTH",
        /// Size, ascending.
        AscSize = "ASC_SIZE",
        /// Size, descending.
        DescSize = "DESC_SIZE",
        /// Search relevance, ascending.
        AscRelevance = "ASC_RELEVANCE",
        /// Search relevance, descending.
        DescRelevance = "DESC_RELEVANCE",
        /// Duration of videos and audio, ascending.
        AscDuration = "ASC_DURATION",
        /// Duration of videos and audio, descending.
        DescDuration = "DESC_DURATION",
        /// Original creation date, ascending: the reserved
        /// `_internal_original_created_datetime` custom metadata field, or the
        /// upload time of files without a value.
        AscOriginalCreationDate = "ASC_ORIGINAL_CREATION_DATE",
        /// Original creation date, descending (see `AscOriginalCreationDate`).
        DescOriginalCreationDate = "DESC_ORIGINAL_CREATION_DATE",
    }
}

open_enum! {
    /// `fileType` filter of the media library listing.
    pub enum AssetFileType {
        /// Everything.
        All = "all",
        /// Images only.
        Image = "image",
        /// Everything but images.
        NonImage = "non-image",
    }
}

/// Query of `GET /v1/files`, in the order the official SDK sends it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ListAssetsQuery {
    /// What to list.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<AssetType>,
    /// Sort order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<AssetSort>,
    /// Only this folder (not its sub-folders).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// A Lucene-like search query; when present, `type` is ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search_query: Option<String>,
    /// Images, non-images or all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_type: Option<AssetFileType>,
    /// Page size, 1 to 1000 (default 1000).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_u64")]
    pub limit: Option<u64>,
    /// Offset (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_u64")]
    pub skip: Option<u64>,
}

/// Query of `GET /v1/metadata`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MetadataFromUrlQuery {
    /// An ImageKit URL of the account.
    pub url: String,
}

/// An empty JSON object: the success body of copy, move, folder create and delete,
/// version delete and custom metadata field delete. Any fields the API adds are
/// kept in `extra`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmptyResponse {
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

impl UpdateFileDetails {
    /// Replace the tags (`Some(None)`, via [`UpdateFileDetails::clear_tags`], clears them).
    #[must_use]
    pub fn tags<I: IntoIterator<Item = S>, S: Into<String>>(mut self, tags: I) -> Self {
        self.tags = Some(Some(tags.into_iter().map(Into::into).collect()));
        self
    }

    /// Send `tags: null`, which removes every tag.
    #[must_use]
    pub fn clear_tags(mut self) -> Self {
        self.tags = Some(None);
        self
    }

    /// Set `x,y,width,height`.
    #[must_use]
    pub fn custom_coordinates(mut self, coords: impl Into<String>) -> Self {
        self.custom_coordinates = Some(Some(coords.into()));
        self
    }

    /// Send `customCoordinates: null`, which unsets them.
    #[must_use]
    pub fn clear_custom_coordinates(mut self) -> Self {
        self.custom_coordinates = Some(None);
        self
    }

    /// Set one custom metadata value (`Value::Null` unsets it).
    #[must_use]
    pub fn custom_metadata_value(mut self, key: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
        self.custom_metadata.get_or_insert_with(Object::new).insert(key.into(), value.into());
        self
    }

    /// Add an extension to run.
    #[must_use]
    pub fn extension(mut self, ext: impl Into<Extension>) -> Self {
        self.extensions.get_or_insert_with(Vec::new).push(ext.into());
        self
    }
}

impl UpdateFileDetails {
    /// An update that changes nothing yet; add fields with the setters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Replace the custom metadata to set (a key set to `null` unsets that key).
    #[must_use]
    pub fn custom_metadata(mut self, values: Object) -> Self {
        self.custom_metadata = Some(values);
        self
    }

    /// Replace the extensions to run.
    #[must_use]
    pub fn extensions<I: IntoIterator<Item = E>, E: Into<Extension>>(mut self, extensions: I) -> Self {
        self.extensions = Some(extensions.into_iter().map(Into::into).collect());
        self
    }
}

setters!(UpdateFileDetails { description: String, remove_ai_tags: RemoveAiTags, webhook_url: String });

impl BulkDeleteResponse {
    /// These files were deleted (for servers and tests; clients read it).
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(file_ids: I) -> Self {
        BulkDeleteResponse { successfully_deleted_file_ids: Some(strings(file_ids)), extra: Object::new() }
    }
}

impl BulkUpdateResponse {
    /// These files were changed (for servers and tests; clients read it).
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(file_ids: I) -> Self {
        BulkUpdateResponse { successfully_updated_file_ids: Some(strings(file_ids)), extra: Object::new() }
    }
}

impl ChangePublication {
    /// `{"publish": status}`.
    pub fn new(publish: PublishStatus) -> Self {
        ChangePublication { publish, extra: Object::new() }
    }
}

impl PublishStatus {
    /// Publish (`true`) or unpublish the file.
    pub fn new(is_published: bool) -> Self {
        PublishStatus { is_published, ..Default::default() }
    }
}
setters!(PublishStatus { include_file_versions: bool });

impl BulkDeleteRequest {
    /// Delete these files.
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(file_ids: I) -> Self {
        BulkDeleteRequest { file_ids: strings(file_ids), extra: Object::new() }
    }
}

impl BulkTagsRequest {
    /// Add `tags` to (or remove them from) these files.
    pub fn new<I, S, T, U>(file_ids: I, tags: T) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
        T: IntoIterator<Item = U>,
        U: Into<String>,
    {
        BulkTagsRequest { file_ids: strings(file_ids), tags: strings(tags), extra: Object::new() }
    }
}

impl BulkRemoveAiTagsRequest {
    /// Remove `ai_tags` from these files.
    pub fn new<I, S, T, U>(file_ids: I, ai_tags: T) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
        T: IntoIterator<Item = U>,
        U: Into<String>,
    {
        BulkRemoveAiTagsRequest { file_ids: strings(file_ids), ai_tags: strings(ai_tags), extra: Object::new() }
    }
}

fn strings<I: IntoIterator<Item = S>, S: Into<String>>(items: I) -> Vec<String> {
    items.into_iter().map(Into::into).collect()
}

impl ListAssetsQuery {
    /// A query with no filter (the API's defaults); add some with the setters.
    pub fn new() -> Self {
        Self::default()
    }
}

impl MetadataFromUrlQuery {
    /// The metadata of the file at `url`.
    pub fn new(url: impl Into<String>) -> Self {
        MetadataFromUrlQuery { url: url.into() }
    }
}

impl CopyFileRequest {
    /// Copy `source_file_path` into the folder `destination_path`.
    pub fn new(source_file_path: impl Into<String>, destination_path: impl Into<String>) -> Self {
        CopyFileRequest {
            source_file_path: source_file_path.into(),
            destination_path: destination_path.into(),
            ..Default::default()
        }
    }
}
setters!(CopyFileRequest { include_file_versions: bool });

impl MoveFileRequest {
    /// Move `source_file_path` into the folder `destination_path`.
    pub fn new(source_file_path: impl Into<String>, destination_path: impl Into<String>) -> Self {
        MoveFileRequest {
            source_file_path: source_file_path.into(),
            destination_path: destination_path.into(),
            ..Default::default()
        }
    }
}

impl RenameFileRequest {
    /// Rename the file at `file_path` to `new_file_name`.
    pub fn new(file_path: impl Into<String>, new_file_name: impl Into<String>) -> Self {
        RenameFileRequest { file_path: file_path.into(), new_file_name: new_file_name.into(), ..Default::default() }
    }
}
setters!(RenameFileRequest { purge_cache: bool });

impl From<UpdateFileDetails> for UpdateFileRequest {
    fn from(d: UpdateFileDetails) -> Self {
        UpdateFileRequest::Details(d)
    }
}

impl UpdateFileRequest {
    /// The publication shape: publish (`true`) or unpublish a file.
    pub fn publish(is_published: bool) -> Self {
        UpdateFileRequest::Publication(ChangePublication::new(PublishStatus::new(is_published)))
    }

    /// With the publication shape, apply to every version too.
    #[must_use]
    pub fn include_file_versions(mut self, include: bool) -> Self {
        if let UpdateFileRequest::Publication(p) = &mut self {
            p.publish.include_file_versions = Some(include);
        }
        self
    }
}

setters!(ListAssetsQuery {
    kind: AssetType,
    sort: AssetSort,
    path: String,
    search_query: String,
    file_type: AssetFileType,
    limit: u64,
    skip: u64,
});
