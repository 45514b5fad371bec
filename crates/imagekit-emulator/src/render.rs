//! Records to API responses: `File`, `Folder`, upload responses. URLs point
//! at the emulator's own delivery endpoint.

use imagekit_types::{File, FileKind, FileType, FileUploadResponse, Folder, VersionInfo};

use crate::model::{FileRecord, FileVersion, FolderRecord};
use crate::state::State;

/// The delivery URL of a path.
pub fn url(state: &State, file_path: &str) -> String {
    format!("{}{file_path}", state.url_endpoint)
}

/// The thumbnail URL of a path (a named transformation, as ImageKit's).
pub fn thumbnail(state: &State, file_path: &str) -> String {
    format!("{}/tr:n-ik_ml_thumbnail{file_path}", state.url_endpoint)
}

/// A file version as the API's `File` object; `current` says whether it is the
/// file's current version (`type: file`) or an older one (`file-version`).
pub fn file(state: &State, rec: &FileRecord, v: &FileVersion, current: bool) -> File {
    let image = v.file_type() == "image";
    File {
        kind: Some(if current { FileKind::File } else { FileKind::FileVersion }),
        name: Some(v.name.clone()),
        created_at: Some(v.created_at.clone()),
        updated_at: Some(v.updated_at.clone()),
        file_id: Some(rec.file_id.clone()),
        tags: Some(v.tags.clone()),
        ai_tags: Some(v.ai_tags.clone()),
        version_info: Some(VersionInfo {
            id: Some(v.version_id.clone()),
            name: Some(v.version_name.clone()),
            ..Default::default()
        }),
        embedded_metadata: Some(Some(v.embedded_metadata.clone().into())),
        custom_coordinates: Some(v.custom_coordinates.clone()),
        custom_metadata: Some(v.custom_metadata.clone().into()),
        is_private_file: Some(v.is_private),
        is_published: Some(v.is_published),
        url: Some(url(state, &v.file_path)),
        thumbnail: image.then(|| thumbnail(state, &v.file_path)),
        file_type: Some(FileType::from(v.file_type())),
        file_path: Some(v.file_path.clone()),
        height: v.height.map(u64::from),
        width: v.width.map(u64::from),
        size: Some(v.size),
        has_alpha: v.has_alpha,
        mime: Some(v.mime.clone()),
        // Whole seconds, as the API's integer `duration`; the sorts use the exact value.
        duration: v.duration.map(|d| d.round() as u64),
        bit_rate: v.bit_rate_kbps(),
        description: v.description.clone(),
        ..Default::default()
    }
}

/// The current version of a file as `File`.
pub fn current(state: &State, rec: &FileRecord) -> File {
    file(state, rec, &rec.current, true)
}

/// A folder as the API's `Folder` object.
pub fn folder(rec: &FolderRecord) -> Folder {
    Folder {
        kind: Some("folder".into()),
        folder_id: Some(rec.folder_id.clone()),
        name: Some(rec.name().to_owned()),
        folder_path: Some(rec.path.clone()),
        created_at: Some(rec.created_at.clone()),
        updated_at: Some(rec.updated_at.clone()),
        created_by: rec.created_by.clone(),
        custom_metadata: Some(rec.custom_metadata.clone()),
        ..Default::default()
    }
}

/// The always-present fields of an upload response; `responseFields` adds the
/// rest (the upload handler fills those in).
pub fn upload_response(state: &State, rec: &FileRecord) -> FileUploadResponse {
    let v = &rec.current;
    let image = v.file_type() == "image";
    FileUploadResponse {
        file_id: Some(rec.file_id.clone()),
        name: Some(v.name.clone()),
        size: Some(v.size),
        version_info: Some(VersionInfo {
            id: Some(v.version_id.clone()),
            name: Some(v.version_name.clone()),
            ..Default::default()
        }),
        file_path: Some(v.file_path.clone()),
        url: Some(url(state, &v.file_path)),
        thumbnail_url: image.then(|| thumbnail(state, &v.file_path)),
        file_type: Some(FileType::from(v.file_type())),
        height: v.height.map(u64::from),
        width: v.width.map(u64::from),
        ai_tags: Some(v.ai_tags.clone()),
        ..Default::default()
    }
}
