#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[macro_use]
mod macros;

mod account_webhooks;
mod asset;
mod custom_metadata;
mod error;
mod extension;
mod fast_de;
mod file;
mod files;
mod folders;
mod lazy;
mod metadata;
mod names;
mod nullable;
mod num;
mod origins;
mod saved;
mod scalar;
mod secret;
mod tagged;
mod upload;
mod upload_response;
mod usage;
mod video;
mod webhook;

pub use account_webhooks::{AccountWebhook, CreateAccountWebhookRequest, UpdateAccountWebhookRequest};
pub use asset::Asset;
pub use custom_metadata::{
    CreateCustomMetadataFieldRequest, CustomMetadataField, FieldSchema, FieldType, ListCustomMetadataFieldsQuery,
    ORIGINAL_CREATION_DATE_FIELD, SelectedFieldSchema, UpdateCustomMetadataFieldRequest,
};
pub use error::ErrorBody;
pub use extension::{
    AiAutoDescription, AiTask, AiTasks, AutoTagging, Extension, ExtensionConfig, ExtensionState, ExtensionStatus,
    RemoveBg, RemoveBgOptions, SavedExtensionRef, SelectMetadataTask, SelectTagsTask, SetMetadata, TaskActions,
    UnsetMetadata, YesNoTask,
};
pub use file::{AiTag, File, FileKind, FileType, FileUpdateResponse, Folder, VersionInfo};
pub use files::{
    AssetFileType, AssetSort, AssetType, BulkDeleteRequest, BulkDeleteResponse, BulkRemoveAiTagsRequest,
    BulkTagsRequest, BulkUpdateResponse, ChangePublication, CopyFileRequest, EmptyResponse, ListAssetsQuery,
    MetadataFromUrlQuery, MoveFileRequest, PublishStatus, RemoveAiTags, RenameFileRequest, RenameFileResponse,
    UpdateFileDetails, UpdateFileRequest,
};
pub use folders::{
    CopyFolderRequest, CreateFolderRequest, CreatedBy, DeleteFolderRequest, Job, JobCreated, JobStatus, JobType,
    MoveFolderRequest, PurgeCreated, PurgeRequest, PurgeStatus, RenameFolderRequest,
};
pub use lazy::LazyObject;
pub use metadata::{Exif, ExifDetails, ExifGps, ExifImage, ExifInteroperability, ExifThumbnail, Metadata};
pub use names::{stored_file_name, stored_file_path, stored_folder};
pub use origins::{
    AkeneoPimOrigin, AzureBlobOrigin, CloudinaryRewriter, GcsOrigin, NoOptions, OriginCommon, OriginRequest,
    OriginResponse, OriginType, S3CompatibleOrigin, S3Origin, UrlEndpointRequest, UrlEndpointResponse, UrlRewriter,
    WebFolderOrigin, WebProxyOrigin,
};
pub use saved::{
    CreateNamedTransformationRequest, CreateSavedExtensionRequest, NamedTransformation, SavedExtension,
    UpdateNamedTransformationRequest, UpdateSavedExtensionRequest,
};
pub use scalar::{Bound, Scalar, ScalarOrList};
pub use secret::Secret;
pub use upload::{
    FormFieldError, PostAbs, PostTransformation, PostValue, ResponseField, StreamProtocol, UploadParams,
    UploadTransformation,
};
pub use upload_response::FileUploadResponse;
pub use usage::{
    Breakdown, BreakdownEntry, CacheStats, ExtensionCount, NamedCount, Usage, UsageAnalytics, UsageQuery,
    VideoProcessing,
};
pub use video::{AudioCodec, StreamingProtocol, VideoCodec, VideoErrorReason, VideoFormat};
pub use webhook::{
    AssetRef, Envelope, ErrorReason, FileRef, FileVersionRef, FolderRef, PostTransformData, PostTransformRequest,
    PreTransformErrorData, PreTransformRequest, Timings, TransformationError, VideoError, VideoMetadata, VideoOutput,
    VideoRequest, VideoTransformation, VideoTransformationData, VideoTransformationOptions, VideoTransformationType,
    WebhookEvent, WebhookEventType,
};

/// A JSON object with keys in the order they were read: open maps such as
/// `customMetadata`, `embeddedMetadata`, and every model's unknown fields.
pub type Object = serde_json::Map<String, serde_json::Value>;

/// Re-exported so that users need not depend on `serde_json` to build values.
pub use serde_json::{Number, Value};
