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
    let mut f = File::default();
    f.kind = Some(if current { FileKind::File } else { FileKind::FileVersion });
    f.name = Some(v.name.clone());
    f.created_at = Some(v.created_at.clone());
    f.updated_at = Some(v.updated_at.clone());
    f.file_id = Some(rec.file_id.clone());
    f.tags = Some(v.tags.clone());
    f.ai_tags = Some(v.ai_tags.clone());
    f.version_info = Some(version_info(v));
    f.embedded_metadata = Some(Some(v.embedded_metadata.clone().into()));
    f.custom_coordinates = Some(v.custom_coordinates.clone());
    f.custom_metadata = Some(v.custom_metadata.clone().into());
    f.is_private_file = Some(v.is_private);
    f.is_published = Some(v.is_published);
    f.url = Some(url(state, &v.file_path));
    f.thumbnail = image.then(|| thumbnail(state, &v.file_path));
    f.file_type = Some(FileType::from(v.file_type()));
    f.file_path = Some(v.file_path.clone());
    f.height = v.height.map(u64::from);
    f.width = v.width.map(u64::from);
    f.size = Some(v.size);
    f.has_alpha = v.has_alpha;
    f.mime = Some(v.mime.clone());
    // Whole seconds, as the API's integer `duration`; the sorts use the exact value.
    f.duration = v.duration.map(|d| d.round() as u64);
    f.bit_rate = v.bit_rate_kbps();
    f.description = v.description.clone();
    f
}

fn version_info(v: &FileVersion) -> VersionInfo {
    let mut info = VersionInfo::default();
    info.id = Some(v.version_id.clone());
    info.name = Some(v.version_name.clone());
    info
}

/// The current version of a file as `File`.
pub fn current(state: &State, rec: &FileRecord) -> File {
    file(state, rec, &rec.current, true)
}

/// A folder as the API's `Folder` object.
pub fn folder(rec: &FolderRecord) -> Folder {
    let mut f = Folder::default();
    f.kind = Some("folder".into());
    f.folder_id = Some(rec.folder_id.clone());
    f.name = Some(rec.name().to_owned());
    f.folder_path = Some(rec.path.clone());
    f.created_at = Some(rec.created_at.clone());
    f.updated_at = Some(rec.updated_at.clone());
    f.created_by = rec.created_by.clone();
    f.custom_metadata = Some(rec.custom_metadata.clone());
    f
}

/// The always-present fields of an upload response; `responseFields` adds the
/// rest (the upload handler fills those in).
pub fn upload_response(state: &State, rec: &FileRecord) -> FileUploadResponse {
    let v = &rec.current;
    let image = v.file_type() == "image";
    let mut r = FileUploadResponse::default();
    r.file_id = Some(rec.file_id.clone());
    r.name = Some(v.name.clone());
    r.size = Some(v.size);
    r.version_info = Some(version_info(v));
    r.file_path = Some(v.file_path.clone());
    r.url = Some(url(state, &v.file_path));
    r.thumbnail_url = image.then(|| thumbnail(state, &v.file_path));
    r.file_type = Some(FileType::from(v.file_type()));
    r.height = v.height.map(u64::from);
    r.width = v.width.map(u64::from);
    r.ai_tags = Some(v.ai_tags.clone());
    r
}
