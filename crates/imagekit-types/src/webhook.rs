//! Webhook event payloads (snake_case envelope, as ImageKit posts them).

use serde::{Deserialize, Serialize};

use crate::{
    AudioCodec, File, FileUploadResponse, Folder, Object, StreamingProtocol, VideoCodec, VideoErrorReason, VideoFormat,
};

/// The envelope every webhook event shares, around its typed `data` and
/// `request`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "D: Deserialize<'de>, R: Deserialize<'de>"))]
#[non_exhaustive]
pub struct Envelope<D, R = Object> {
    /// The event id (also the `webhook-id` header).
    pub id: String,
    /// When the event happened (ISO-8601).
    pub created_at: String,
    /// The event's subject.
    pub data: D,
    /// The request that caused the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<R>,
    /// Processing times (video events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timings: Option<Timings>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

tagged_enum! {
    /// A webhook event, told apart by `type`. Events of a type this version does
    /// not know are kept whole in `Unknown`.
    ///
    /// ```
    /// use imagekit_types::WebhookEvent;
    /// let body = r#"{"type":"file.deleted","id":"evt_1","created_at":"2025-01-01T00:00:00.000Z","data":{"fileId":"f1"}}"#;
    /// let event: WebhookEvent = serde_json::from_str(body)?;
    /// match &event {
    ///     WebhookEvent::FileDeleted(e) => assert_eq!(e.data.file_id, "f1"),
    ///     other => panic!("unexpected {}", other.tag()),
    /// }
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub enum WebhookEvent (tag = "type") {
        /// A video transformation was accepted.
        VideoTransformationAccepted(Envelope<VideoTransformationData, VideoRequest>) = "video.transformation.accepted",
        /// A video transformation is ready.
        VideoTransformationReady(Envelope<VideoTransformationData, VideoRequest>) = "video.transformation.ready",
        /// A video transformation failed.
        VideoTransformationError(Envelope<VideoTransformationData, VideoRequest>) = "video.transformation.error",
        /// An upload pre-transformation succeeded; `data` is the upload response.
        UploadPreTransformSuccess(Envelope<Box<FileUploadResponse>, PreTransformRequest>) = "upload.pre-transform.success",
        /// An upload pre-transformation failed.
        UploadPreTransformError(Envelope<PreTransformErrorData, PreTransformRequest>) = "upload.pre-transform.error",
        /// An upload post-transformation succeeded.
        UploadPostTransformSuccess(Envelope<PostTransformData, PostTransformRequest>) = "upload.post-transform.success",
        /// An upload post-transformation failed.
        UploadPostTransformError(Envelope<PostTransformData, PostTransformRequest>) = "upload.post-transform.error",
        /// A file was created.
        FileCreated(Envelope<Box<File>>) = "file.created",
        /// A file was updated.
        FileUpdated(Envelope<Box<File>>) = "file.updated",
        /// A file was deleted.
        FileDeleted(Envelope<FileRef>) = "file.deleted",
        /// A file version was created.
        FileVersionCreated(Envelope<Box<File>>) = "file-version.created",
        /// A file version was deleted.
        FileVersionDeleted(Envelope<FileVersionRef>) = "file-version.deleted",
        /// A folder was created: explicitly, by a copy or move (one event per
        /// folder of the tree), or as a missing parent of an upload.
        FolderCreated(Envelope<Folder>) = "folder.created",
        /// A folder was updated (custom metadata, rename: one event per folder
        /// of the tree, each with its new `folderPath`).
        FolderUpdated(Envelope<Folder>) = "folder.updated",
        /// A folder was deleted (one event per folder of the tree; a move sends
        /// this for the old `folderId`).
        FolderDeleted(Envelope<FolderRef>) = "folder.deleted",
    }
}

impl WebhookEvent {
    /// The event's `type` as a [`WebhookEventType`] (`Unknown` for an event
    /// this version does not know, or one without a string `type`).
    pub fn event_type(&self) -> WebhookEventType {
        WebhookEventType::from(self.tag())
    }
}

open_enum! {
    /// A webhook event type: what an account webhook subscribes to
    /// (`events`), and the `type` of each [`WebhookEvent`].
    ///
    /// ```
    /// use imagekit_types::WebhookEventType;
    /// assert_eq!(WebhookEventType::FolderDeleted.as_str(), "folder.deleted");
    /// assert_eq!(WebhookEventType::from("file.created"), WebhookEventType::FileCreated);
    /// // A type added to the API later is kept as it was sent.
    /// assert_eq!(WebhookEventType::from("asset.moved"), WebhookEventType::Unknown("asset.moved".into()));
    /// ```
    pub enum WebhookEventType {
        /// `video.transformation.accepted`.
        VideoTransformationAccepted = "video.transformation.accepted",
        /// `video.transformation.ready`.
        VideoTransformationReady = "video.transformation.ready",
        /// `video.transformation.error`.
        VideoTransformationError = "video.transformation.error",
        /// `upload.pre-transform.success`.
        UploadPreTransformSuccess = "upload.pre-transform.success",
        /// `upload.pre-transform.error`.
        UploadPreTransformError = "upload.pre-transform.error",
        /// `upload.post-transform.success`.
        UploadPostTransformSuccess = "upload.post-transform.success",
        /// `upload.post-transform.error`.
        UploadPostTransformError = "upload.post-transform.error",
        /// `file.created`.
        FileCreated = "file.created",
        /// `file.updated`.
        FileUpdated = "file.updated",
        /// `file.deleted`.
        FileDeleted = "file.deleted",
        /// `file-version.created`.
        FileVersionCreated = "file-version.created",
        /// `file-version.deleted`.
        FileVersionDeleted = "file-version.deleted",
        /// `folder.created`.
        FolderCreated = "folder.created",
        /// `folder.updated`.
        FolderUpdated = "folder.updated",
        /// `folder.deleted`.
        FolderDeleted = "folder.deleted",
    }
}

impl WebhookEventType {
    /// Every event type this version knows, in the official SDK's order.
    pub const ALL: [WebhookEventType; 15] = [
        WebhookEventType::VideoTransformationAccepted,
        WebhookEventType::VideoTransformationReady,
        WebhookEventType::VideoTransformationError,
        WebhookEventType::UploadPreTransformSuccess,
        WebhookEventType::UploadPreTransformError,
        WebhookEventType::UploadPostTransformSuccess,
        WebhookEventType::UploadPostTransformError,
        WebhookEventType::FileCreated,
        WebhookEventType::FileUpdated,
        WebhookEventType::FileDeleted,
        WebhookEventType::FileVersionCreated,
        WebhookEventType::FileVersionDeleted,
        WebhookEventType::FolderCreated,
        WebhookEventType::FolderUpdated,
        WebhookEventType::FolderDeleted,
    ];
}

/// Processing times in milliseconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Timings {
    /// Time spent downloading the source.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_f64")]
    pub download_duration: Option<f64>,
    /// Time spent encoding.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_f64")]
    pub encoding_duration: Option<f64>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// The request behind a video event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VideoRequest {
    /// The URL requested.
    pub url: String,
    /// The request id.
    pub x_request_id: String,
    /// The client's user agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// `data` of the video transformation events.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VideoTransformationData {
    /// The source asset.
    pub asset: AssetRef,
    /// The transformation.
    pub transformation: VideoTransformation,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// A source asset by URL.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AssetRef {
    /// The asset URL.
    pub url: String,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

open_enum! {
    /// The kind of video transformation.
    pub enum VideoTransformationType {
        /// A video transformation.
        VideoTransformation = "video-transformation",
        /// A GIF converted to video.
        GifToVideo = "gif-to-video",
        /// A video thumbnail.
        VideoThumbnail = "video-thumbnail",
    }
}

/// A video transformation in an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VideoTransformation {
    /// The kind.
    #[serde(rename = "type")]
    pub kind: VideoTransformationType,
    /// Options (snake_case keys such as `audio_codec`, `video_codec`, `format`,
    /// `stream_protocol`, `variants`, `quality`, `auto_rotate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<VideoTransformationOptions>,
    /// The output (ready events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<VideoOutput>,
    /// The error (error events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<VideoError>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

impl Default for VideoTransformation {
    fn default() -> Self {
        VideoTransformation {
            kind: VideoTransformationType::VideoTransformation,
            options: None,
            output: None,
            error: None,
            extra: Object::new(),
        }
    }
}

/// Options of a video transformation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VideoTransformationOptions {
    /// `aac` or `opus`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_codec: Option<AudioCodec>,
    /// `h264`, `vp9` or `av1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_codec: Option<VideoCodec>,
    /// `mp4`, `webm`, `jpg`, `png` or `webp`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<VideoFormat>,
    /// `HLS` or `DASH`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_protocol: Option<StreamingProtocol>,
    /// Streaming variants.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variants: Option<Vec<String>>,
    /// Quality.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_f64")]
    pub quality: Option<f64>,
    /// Rotate by the source's orientation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_rotate: Option<bool>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// The output of a ready video transformation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VideoOutput {
    /// The output URL.
    pub url: String,
    /// The output's metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_metadata: Option<VideoMetadata>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Metadata of a video output.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VideoMetadata {
    /// Bit rate.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_f64")]
    pub bitrate: Option<f64>,
    /// Duration in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_f64")]
    pub duration: Option<f64>,
    /// Height in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_f64")]
    pub height: Option<f64>,
    /// Width in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_f64")]
    pub width: Option<f64>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// `error` of a failed video transformation: `{"reason": ...}`, one of the
/// reasons the official models list (others are kept in `Unknown`).
///
/// ```
/// use imagekit_types::{VideoError, VideoErrorReason};
/// let e: VideoError = serde_json::from_str(r#"{"reason":"download_failed"}"#)?;
/// assert_eq!(e.reason, VideoErrorReason::DownloadFailed);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VideoError {
    /// Why it failed.
    pub reason: VideoErrorReason,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// `error` of a failed upload pre- or post-transformation: `{"reason": ...}`,
/// free text (the official models do not list the values).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorReason {
    /// Why it failed.
    pub reason: String,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// `{"error": {"reason": ...}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TransformationError {
    /// The error.
    pub error: ErrorReason,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// The request behind a pre-transform event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PreTransformRequest {
    /// The transformation string.
    pub transformation: String,
    /// The request id.
    pub x_request_id: String,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// `data` of `upload.pre-transform.error`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PreTransformErrorData {
    /// The file name.
    pub name: String,
    /// The file path.
    pub path: String,
    /// What failed.
    pub transformation: TransformationError,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// The request behind a post-transform event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PostTransformRequest {
    /// The post-transformation requested.
    pub transformation: crate::PostTransformation,
    /// The request id.
    pub x_request_id: String,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// `data` of the post-transform events (`path` and `transformation` on errors).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PostTransformData {
    /// The file id.
    pub file_id: String,
    /// The file name.
    pub name: String,
    /// The file URL.
    pub url: String,
    /// The file path (errors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// What failed (errors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transformation: Option<TransformationError>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// `data` of `file.deleted`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FileRef {
    /// The file id.
    pub file_id: String,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// `data` of `file-version.deleted`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FileVersionRef {
    /// The file id.
    pub file_id: String,
    /// The version id.
    pub version_id: String,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// `data` of `folder.deleted`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FolderRef {
    /// The deleted folder's id.
    pub folder_id: String,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}
