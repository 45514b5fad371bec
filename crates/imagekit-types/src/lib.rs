//! Serde models of every request body and response of the ImageKit.io API, shared
//! by the `imagekit` SDK and the local emulator.
//!
//! Field names on the wire are exactly the API's (camelCase, `AITags`, `pHash`,
//! snake_case webhook envelopes); Rust names are snake_case.
//!
//! # Forward compatible
//!
//! A new field or enum value sent by the API never breaks parsing:
//! - every object keeps fields it does not know in `extra`, and writes them back;
//! - string enums keep unknown values in `Unknown(String)`;
//! - tagged unions (extensions, origins, webhook events, listing items) keep
//!   objects with an unknown tag in `Unknown(Object)`;
//! - numbers read from integers or floats alike, and integral values are written
//!   as `JSON.stringify` writes them.
//!
//! Where `null` and an absent key mean different things (`tags: null` clears all
//! tags on update), the field is `Option<Option<T>>`: `None` is absent,
//! `Some(None)` is `null`.
//!
//! ```
//! use imagekit_types::{Asset, FileKind};
//!
//! let page = r#"[
//!   {"type":"file","fileId":"f1","name":"a.jpg","AITags":null,"width":300,"brandNewField":1},
//!   {"type":"folder","folderId":"d1","name":"shoes","folderPath":"/shoes"}
//! ]"#;
//! let items: Vec<Asset> = serde_json::from_str(page)?;
//! let Asset::File(file) = &items[0] else { unreachable!() };
//! assert_eq!(file.kind, Some(FileKind::File));
//! assert_eq!(file.ai_tags, Some(None)); // `null`, not absent
//! assert_eq!(file.extra["brandNewField"], 1); // unknown fields are kept
//!
//! // ...and written back unchanged.
//! let again: serde_json::Value = serde_json::to_value(&items)?;
//! assert_eq!(again, serde_json::from_str::<serde_json::Value>(page)?);
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! # Listings decode fast
//!
//! A `GET /v1/files` page can hold thousands of files. Their `embeddedMetadata`
//! and `customMetadata` are kept as JSON text in a [`LazyObject`] and decoded the
//! first time they are read, so a program that lists files without reading those
//! maps never pays for them; one that does reads them like any [`Object`].
//!
//! ```
//! use imagekit_types::Asset;
//!
//! let page = r#"[{"type":"file","fileId":"f1","embeddedMetadata":{"Make":"Canon","ISO":200}}]"#;
//! let items: Vec<Asset> = serde_json::from_str(page)?;
//! let Asset::File(file) = &items[0] else { unreachable!() };
//! let exif = file.embedded_metadata.as_ref().and_then(Option::as_ref).unwrap();
//! assert_eq!(exif["ISO"], 200); // decoded here
//! # Ok::<(), serde_json::Error>(())
//! ```

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
mod nullable;
mod num;
mod origins;
mod saved;
mod scalar;
mod secret;
mod tagged;
mod upload;
mod usage;
mod webhook;

pub use account_webhooks::{AccountWebhook, AccountWebhookRequest};
pub use asset::Asset;
pub use custom_metadata::{
    CreateCustomMetadataFieldRequest, CustomMetadataField, FieldSchema, FieldType, ListCustomMetadataFieldsQuery,
    SelectedFieldSchema, UpdateCustomMetadataFieldRequest,
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
    CopyFolderRequest, CreateFolderRequest, DeleteFolderRequest, Job, JobCreated, JobStatus, JobType,
    MoveFolderRequest, PurgeCreated, PurgeRequest, PurgeStatus, RenameFolderRequest,
};
pub use lazy::LazyObject;
pub use metadata::{Exif, ExifDetails, ExifGps, ExifImage, ExifInteroperability, ExifThumbnail, Metadata};
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
    FileUploadResponse, FormFieldError, PostAbs, PostTransformation, PostValue, ResponseField, StreamProtocol,
    UploadParams, UploadTransformation,
};
pub use usage::{
    Breakdown, BreakdownEntry, CacheStats, ExtensionCount, NamedCount, Usage, UsageAnalytics, UsageQuery,
    VideoProcessing,
};
pub use webhook::{
    AssetRef, Envelope, ErrorReason, FileRef, FileVersionRef, PostTransformData, PostTransformRequest,
    PreTransformErrorData, PreTransformRequest, Timings, TransformationError, VideoMetadata, VideoOutput, VideoRequest,
    VideoTransformation, VideoTransformationData, VideoTransformationOptions, VideoTransformationType, WebhookEvent,
};

/// A JSON object with keys in the order they were read: open maps such as
/// `customMetadata`, `embeddedMetadata`, and every model's unknown fields.
pub type Object = serde_json::Map<String, serde_json::Value>;

/// Re-exported so that users need not depend on `serde_json` to build values.
pub use serde_json::{Number, Value};
