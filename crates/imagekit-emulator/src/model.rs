//! What the emulator stores. Records serialize to JSON for the embedded
//! database; responses are built from them with `imagekit-types` models.

use imagekit_types::{AiTag, CreatedBy, Object};
use serde::{Deserialize, Serialize};

/// One version of a file: everything a `File` response says about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileVersion {
    /// The version id (the file id for the first version, as ImageKit does).
    pub version_id: String,
    /// `Version N`.
    pub version_name: String,
    /// The file name.
    pub name: String,
    /// The full path, e.g. `/products/shoe.jpg`.
    pub file_path: String,
    /// The stored bytes' blob id.
    pub blob: String,
    /// Size in bytes.
    pub size: u64,
    /// The MIME type.
    pub mime: String,
    /// The format (`jpg`, `png`, ...), when known.
    pub format: Option<String>,
    /// Pixel width, for images.
    pub width: Option<u32>,
    /// Pixel height, for images.
    pub height: Option<u32>,
    /// Whether the image has an alpha channel.
    pub has_alpha: Option<bool>,
    /// Duration in seconds of a video or audio file, from its container's
    /// header (see `media`); `None` for anything else. Absent in stores
    /// written before it existed.
    #[serde(default)]
    pub duration: Option<f64>,
    /// Tags; `None` is ImageKit's `null`.
    pub tags: Option<Vec<String>>,
    /// AI tags; `None` is `null`.
    pub ai_tags: Option<Vec<AiTag>>,
    /// `x,y,w,h`; `None` is `null`.
    pub custom_coordinates: Option<String>,
    /// Custom metadata values.
    pub custom_metadata: Object,
    /// Embedded metadata.
    pub embedded_metadata: Object,
    /// Description.
    pub description: Option<String>,
    /// Private file.
    pub is_private: bool,
    /// Published (false: draft).
    pub is_published: bool,
    /// ISO-8601 creation time.
    pub created_at: String,
    /// ISO-8601 update time.
    pub updated_at: String,
}

impl FileVersion {
    /// `image` or `non-image`.
    pub fn file_type(&self) -> &'static str {
        if self.mime.starts_with("image/") { "image" } else { "non-image" }
    }

    /// Whether the file is a video or audio file (by its MIME type).
    pub fn is_audio_or_video(&self) -> bool {
        is_audio_or_video(&self.mime)
    }

    /// The overall bit rate in kbps (size over duration), for videos and audio.
    pub fn bit_rate_kbps(&self) -> Option<u64> {
        let secs = self.duration.filter(|d| *d > 0.0)?;
        Some((self.size as f64 * 8.0 / secs / 1000.0).round() as u64)
    }

    /// The folder the file is in, with a trailing slash (`/` for the root).
    pub fn folder(&self) -> &str {
        match self.file_path.rfind('/') {
            Some(i) => &self.file_path[..=i],
            None => "/",
        }
    }
}

/// A file: its id, current version and older versions (oldest first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileRecord {
    /// The file id.
    pub file_id: String,
    /// The current version.
    pub current: FileVersion,
    /// Earlier versions, oldest first.
    pub versions: Vec<FileVersion>,
}

impl FileRecord {
    /// A new file at `path` from `versions` (oldest first; the last becomes
    /// current): a new file id, versions renumbered from `Version 1`, the first
    /// version's id being the file id, as ImageKit numbers them. `None` when
    /// `versions` is empty.
    pub fn from_versions(mut versions: Vec<FileVersion>, path: &str) -> Option<FileRecord> {
        let file_id = crate::util::new_id();
        let name = path.rsplit('/').next().unwrap_or_default().to_owned();
        for (i, v) in versions.iter_mut().enumerate() {
            v.version_id = if i == 0 { file_id.clone() } else { crate::util::new_id() };
            v.version_name = format!("Version {}", i + 1);
            v.file_path = path.to_owned();
            v.name = name.clone();
        }
        let current = versions.pop()?;
        Some(FileRecord { file_id, current, versions })
    }
}

/// Whether a MIME type is a video or audio type.
pub fn is_audio_or_video(mime: &str) -> bool {
    mime.starts_with("video/") || mime.starts_with("audio/")
}

/// A folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FolderRecord {
    /// The folder id.
    pub folder_id: String,
    /// The full path without a trailing slash, e.g. `/products/summer`.
    pub path: String,
    /// Custom metadata.
    pub custom_metadata: Object,
    /// ISO-8601 creation time.
    pub created_at: String,
    /// ISO-8601 update time.
    pub updated_at: String,
    /// Who created it (`createdBy`): the emulator's configured user
    /// ([`EmulatorBuilder::folder_creator`](crate::EmulatorBuilder::folder_creator))
    /// when it was created, else unknown. Absent in stores written before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<CreatedBy>,
}

impl FolderRecord {
    /// The folder's own name (the last path segment).
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or("")
    }
}

/// A bulk job or a purge request, which complete on a later poll.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobRecord {
    /// The id.
    pub id: String,
    /// `COPY_FOLDER`, `MOVE_FOLDER`, `RENAME_FOLDER` or `PURGE`.
    pub kind: String,
    /// Polls answered `Pending` before `Completed`.
    pub pending_polls: u32,
    /// A purge started by the job (rename with purgeCache).
    pub purge_request_id: Option<String>,
}

/// Any other stored object (custom metadata fields, saved extensions, named
/// transformations, origins, URL endpoints, account webhooks): its id and its
/// JSON as the API returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Doc {
    /// The id.
    pub id: String,
    /// The object as returned by the API.
    pub value: serde_json::Value,
    /// Soft-deleted (custom metadata fields keep their name forever).
    pub deleted: bool,
}
