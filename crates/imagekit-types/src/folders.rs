//! Folder requests, the bulk jobs that copy, move and rename folders, and who
//! created a folder.

use serde::{Deserialize, Serialize};

use crate::Object;

/// Body of `POST /v1/folder`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreateFolderRequest {
    /// The new folder's name.
    pub folder_name: String,
    /// Where to create it (`/` for the root); missing parents are created.
    pub parent_folder_path: String,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Body of `DELETE /v1/folder` (a DELETE with a JSON body).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DeleteFolderRequest {
    /// The folder to delete, with everything in it.
    pub folder_path: String,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Body of `POST /v1/bulkJobs/copyFolder`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CopyFolderRequest {
    /// The folder to copy.
    pub source_folder_path: String,
    /// Where to copy it.
    pub destination_path: String,
    /// Copy file versions too (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_versions: Option<bool>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Body of `POST /v1/bulkJobs/moveFolder`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MoveFolderRequest {
    /// The folder to move.
    pub source_folder_path: String,
    /// Where to move it.
    pub destination_path: String,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Body of `POST /v1/bulkJobs/renameFolder`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RenameFolderRequest {
    /// The folder to rename.
    pub folder_path: String,
    /// The new name (characters other than letters, digits and `-` become `_`).
    pub new_folder_name: String,
    /// Purge the CDN cache of the old path (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purge_cache: Option<bool>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Response of the folder copy, move and rename endpoints.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct JobCreated {
    /// The job to poll with `GET /v1/bulkJobs/{jobId}`.
    pub job_id: String,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

open_enum! {
    /// What a bulk job does.
    pub enum JobType {
        /// A folder copy.
        CopyFolder = "COPY_FOLDER",
        /// A folder move.
        MoveFolder = "MOVE_FOLDER",
        /// A folder rename.
        RenameFolder = "RENAME_FOLDER",
    }
}

open_enum! {
    /// The state of an asynchronous job or purge.
    pub enum JobStatus {
        /// Still running.
        Pending = "Pending",
        /// Done.
        Completed = "Completed",
    }
}

/// Response of `GET /v1/bulkJobs/{jobId}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Job {
    /// The job id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_id: Option<String>,
    /// What the job does.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<JobType>,
    /// Pending or completed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<JobStatus>,
    /// The purge request, for a rename with `purgeCache`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purge_request_id: Option<String>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Body of `POST /v1/files/purge`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PurgeRequest {
    /// The full URL to purge.
    pub url: String,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Response of `POST /v1/files/purge`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PurgeCreated {
    /// The request to poll with `GET /v1/files/purge/{requestId}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Response of `GET /v1/files/purge/{requestId}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PurgeStatus {
    /// Pending or completed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<JobStatus>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Who created a folder (`Folder.createdBy`): present only when ImageKit knows
/// it, for example for folders made in the dashboard. `name` is the user's name
/// when the folder was created.
///
/// ```
/// let folder: imagekit_types::Folder = serde_json::from_str(
///     r#"{"type":"folder","folderId":"d1","createdBy":{"email":"ana@example.com","name":"Ana"}}"#,
/// )?;
/// let by = folder.created_by.unwrap();
/// assert_eq!(by.email.as_deref(), Some("ana@example.com"));
/// assert_eq!(by.name.as_deref(), Some("Ana"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CreatedBy {
    /// The user's email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The user's name at the time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

// Read by hand like the `Folder` that holds it (see `fast_de`).
open_struct_deserialize!(CreatedBy, "a createdBy object" {
    "email" => email: plain,
    "name" => name: plain,
});

impl JobCreated {
    /// A job created as `job_id` (for servers and tests; clients read it).
    pub fn new(job_id: impl Into<String>) -> Self {
        JobCreated { job_id: job_id.into(), extra: Object::new() }
    }
}

impl PurgeCreated {
    /// A purge request created as `request_id` (for servers and tests).
    pub fn new(request_id: impl Into<String>) -> Self {
        PurgeCreated { request_id: Some(request_id.into()), extra: Object::new() }
    }
}

impl PurgeStatus {
    /// A purge in `status` (for servers and tests).
    pub fn new(status: JobStatus) -> Self {
        PurgeStatus { status: Some(status), extra: Object::new() }
    }
}

impl CreateFolderRequest {
    /// Create `folder_name` inside `parent_folder_path` (`/` for the root).
    pub fn new(folder_name: impl Into<String>, parent_folder_path: impl Into<String>) -> Self {
        CreateFolderRequest {
            folder_name: folder_name.into(),
            parent_folder_path: parent_folder_path.into(),
            extra: Object::new(),
        }
    }
}

impl DeleteFolderRequest {
    /// Delete the folder at `folder_path`, with everything in it.
    pub fn new(folder_path: impl Into<String>) -> Self {
        DeleteFolderRequest { folder_path: folder_path.into(), extra: Object::new() }
    }
}

impl CopyFolderRequest {
    /// Copy `source_folder_path` into `destination_path`.
    pub fn new(source_folder_path: impl Into<String>, destination_path: impl Into<String>) -> Self {
        CopyFolderRequest {
            source_folder_path: source_folder_path.into(),
            destination_path: destination_path.into(),
            ..Default::default()
        }
    }
}
setters!(CopyFolderRequest { include_versions: bool });

impl MoveFolderRequest {
    /// Move `source_folder_path` into `destination_path`.
    pub fn new(source_folder_path: impl Into<String>, destination_path: impl Into<String>) -> Self {
        MoveFolderRequest {
            source_folder_path: source_folder_path.into(),
            destination_path: destination_path.into(),
            extra: Object::new(),
        }
    }
}

impl RenameFolderRequest {
    /// Rename the folder at `folder_path` to `new_folder_name`.
    pub fn new(folder_path: impl Into<String>, new_folder_name: impl Into<String>) -> Self {
        RenameFolderRequest {
            folder_path: folder_path.into(),
            new_folder_name: new_folder_name.into(),
            ..Default::default()
        }
    }
}
setters!(RenameFolderRequest { purge_cache: bool });

impl PurgeRequest {
    /// Purge the CDN cache of `url`.
    pub fn new(url: impl Into<String>) -> Self {
        PurgeRequest { url: url.into(), extra: Object::new() }
    }
}
