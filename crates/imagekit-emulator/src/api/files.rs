//! Single-file operations: details, update, delete, copy, move and rename; and
//! the helpers the upload, version and bulk handlers share (name and folder
//! sanitising, version numbering, blob clean-up).

use std::collections::BTreeSet;

use http::StatusCode;
use imagekit_types::{
    CopyFileRequest, Extension, ExtensionState, ExtensionStatus, FileUpdateResponse, MoveFileRequest, Object,
    RemoveAiTags, RenameFileRequest, RenameFileResponse, UpdateFileDetails, UpdateFileRequest,
};
use serde_json::Value;

use crate::model::{FileRecord, FileVersion, JobRecord};
use crate::render;
use crate::state::State;
use crate::store::{Collection, Db};
use crate::web::{ApiError, ApiResult, Req, Resp};

/// A file id or path that names nothing.
pub(crate) fn file_not_found() -> ApiError {
    ApiError::not_found("The requested file does not exist.")
}

/// `fileName` / `newFileName` as ImageKit stores it (shared with the SDK's sync).
pub(crate) fn sanitize_file_name(name: &str) -> String {
    imagekit_types::stored_file_name(name)
}

/// A folder as given by a client (`a/b`, `/a/b/`, `/`) to its canonical form
/// `/a/b/` (shared with the SDK's sync).
pub(crate) fn normalize_folder(folder: &str) -> String {
    imagekit_types::stored_folder(folder)
}

/// The folder record key of a canonical folder (`/a/b/` → `/a/b`, `/` → ``).
pub(crate) fn folder_key(folder: &str) -> &str {
    folder.trim_end_matches('/')
}

/// A file path as given by a client, with a leading slash.
pub(crate) fn file_path_arg(path: &str) -> String {
    let p = path.trim();
    if p.starts_with('/') { p.to_owned() } else { format!("/{p}") }
}

/// `Version N+1`, where N is the highest version number the file has had.
pub(crate) fn next_version_name(rec: &FileRecord) -> String {
    let highest = std::iter::once(&rec.current)
        .chain(&rec.versions)
        .filter_map(|v| v.version_name.strip_prefix("Version ")?.parse::<u64>().ok())
        .max()
        .unwrap_or(0)
        .max(rec.versions.len() as u64 + 1);
    format!("Version {}", highest + 1)
}

/// At most this many versions per file, as ImageKit.
pub(crate) const MAX_VERSIONS: usize = 100;

/// Make each of `incoming` (oldest first) the current version of `dest` in turn,
/// each with a new version id and the next version name; the current version
/// before each one moves into `versions`.
pub(crate) fn append_versions(dest: &mut FileRecord, incoming: Vec<FileVersion>) -> Result<(), ApiError> {
    if dest.versions.len() + 1 + incoming.len() > MAX_VERSIONS {
        return Err(ApiError::bad_request(format!("A file can have at most {MAX_VERSIONS} versions.")));
    }
    for mut v in incoming {
        v.version_id = crate::util::new_id();
        v.version_name = next_version_name(dest);
        v.name = dest.current.name.clone();
        v.file_path = dest.current.file_path.clone();
        let old = std::mem::replace(&mut dest.current, v);
        dest.versions.push(old);
    }
    Ok(())
}

/// Of `candidates`, the blobs no file version in `db` refers to any more.
pub(crate) fn unreferenced_blobs(db: &Db, candidates: impl IntoIterator<Item = String>) -> Vec<String> {
    let candidates: BTreeSet<String> = candidates.into_iter().collect();
    if candidates.is_empty() {
        return Vec::new();
    }
    let mut left = candidates.clone();
    for f in db.files.values() {
        for v in std::iter::once(&f.current).chain(&f.versions) {
            left.remove(&v.blob);
        }
        if left.is_empty() {
            break;
        }
    }
    left.into_iter().collect()
}

/// The blobs of every version of a file.
pub(crate) fn blobs_of(rec: &FileRecord) -> impl Iterator<Item = String> + '_ {
    std::iter::once(&rec.current).chain(&rec.versions).map(|v| v.blob.clone())
}

/// Forget blobs (after the write that stopped using them).
pub(crate) fn delete_blobs(state: &State, blobs: &[String]) {
    for b in blobs {
        state.store.delete_blob(b);
    }
}

/// `x,y,width,height`: four non-negative integers.
pub(crate) fn check_coordinates(coords: &str) -> Result<(), ApiError> {
    let parts: Vec<&str> = coords.split(',').map(str::trim).collect();
    if parts.len() == 4 && parts.iter().all(|p| !p.is_empty() && p.parse::<u64>().is_ok()) {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "Invalid customCoordinates {coords:?}: expected four non-negative integers x,y,width,height."
        )))
    }
}

/// Tags: no `%`, no empty tag, at most 500 characters in all.
pub(crate) fn check_tags(tags: &[String]) -> Result<(), ApiError> {
    if tags.iter().any(|t| t.contains('%')) {
        return Err(ApiError::bad_request("Tags must not contain the % character."));
    }
    if tags.iter().any(|t| t.trim().is_empty()) {
        return Err(ApiError::bad_request("Tags must not be empty."));
    }
    if tags.iter().map(|t| t.chars().count()).sum::<usize>() > 500 {
        return Err(ApiError::bad_request("The tags together must not exceed 500 characters."));
    }
    Ok(())
}

/// `tags` as stored: an empty list is `null`, as ImageKit shows it.
pub(crate) fn stored_tags(tags: Vec<String>) -> Option<Vec<String>> {
    (!tags.is_empty()).then_some(tags)
}

/// `extensionStatus` for the requested extensions: each one `pending` (the
/// emulator runs no AI). A saved-extension reference reports under the name of
/// the extension it stores; an unknown saved extension is a 400.
pub(crate) fn extension_status(db: &Db, extensions: &[Extension]) -> Result<Option<ExtensionStatus>, ApiError> {
    if extensions.is_empty() {
        return Ok(None);
    }
    let mut status = ExtensionStatus::default();
    for ext in extensions {
        let name = match ext {
            Extension::SavedExtension(r) => {
                let doc = db
                    .doc(Collection::SavedExtensions, &r.id)
                    .filter(|d| !d.deleted)
                    .ok_or_else(|| ApiError::bad_request(format!("Saved extension {:?} does not exist.", r.id)))?;
                doc.value
                    .get("config")
                    .and_then(|c| c.get("name"))
                    .and_then(Value::as_str)
                    .unwrap_or("saved-extension")
                    .to_owned()
            }
            other => other.tag().to_owned(),
        };
        if name.is_empty() {
            return Err(ApiError::bad_request("Every extension needs a name."));
        }
        status.insert(name, ExtensionState::Pending);
    }
    Ok(Some(status))
}

/// Check custom metadata values (a request's, `null` meaning unset) against
/// the custom metadata fields, then that `stored` (the values the file will
/// have) sets every required field.
pub(crate) fn validate_custom_metadata(db: &Db, values: &Object, stored: &Object) -> Result<(), ApiError> {
    crate::api::cmf::validate_custom_metadata(db, values)?;
    crate::api::cmf::check_required(db, stored)
}

/// `GET /v1/files/{fileId}/details`: the current version as `File`.
pub fn get(state: &State, file_id: &str) -> ApiResult {
    state.store.read(|db| {
        let rec = db.files.get(file_id).ok_or_else(file_not_found)?;
        Ok(Resp::ok(&render::current(state, rec)))
    })
}

/// Keys of the details shape of an update; with `publish` they are refused.
const DETAIL_KEYS: [&str; 7] =
    ["tags", "customCoordinates", "customMetadata", "description", "extensions", "removeAITags", "webhookUrl"];

/// `PATCH /v1/files/{fileId}/details`: change details or the publication
/// status; answers the file plus `extensionStatus`.
pub fn update(state: &State, req: &Req, file_id: &str) -> ApiResult {
    let body: UpdateFileRequest = req.json()?;
    let (rec, extension_status) = match body {
        UpdateFileRequest::Publication(p) => {
            if let Some(k) = DETAIL_KEYS.iter().find(|k| p.extra.contains_key(**k)) {
                return Err(ApiError::bad_request(format!("`publish` cannot be combined with `{k}` in one update.")));
            }
            let publish = p.publish;
            let rec = state.store.write(|tx| {
                let mut rec = tx.db().files.get(file_id).cloned().ok_or_else(file_not_found)?;
                let now = crate::util::now_iso();
                rec.current.is_published = publish.is_published;
                rec.current.updated_at = now.clone();
                if publish.include_file_versions == Some(true) {
                    for v in &mut rec.versions {
                        v.is_published = publish.is_published;
                        v.updated_at = now.clone();
                    }
                }
                tx.put_file(rec.clone());
                Ok(rec)
            })?;
            (rec, None)
        }
        UpdateFileRequest::Details(d) => {
            if d.extra.contains_key("publish") {
                return Err(ApiError::bad_request("Invalid `publish`: expected {\"isPublished\": true|false}."));
            }
            update_details(state, file_id, d)?
        }
        // A shape a later imagekit-types reads.
        other => {
            let json = serde_json::to_string(&other).unwrap_or_default();
            return Err(ApiError::bad_request(format!("Invalid update: {json}.")));
        }
    };
    let mut resp = FileUpdateResponse::new(render::current(state, &rec));
    resp.extension_status = extension_status;
    Ok(Resp::ok(&resp))
}

fn update_details(
    state: &State,
    file_id: &str,
    d: UpdateFileDetails,
) -> Result<(FileRecord, Option<ExtensionStatus>), ApiError> {
    if let Some(Some(tags)) = &d.tags {
        check_tags(tags)?;
    }
    if let Some(Some(c)) = &d.custom_coordinates {
        check_coordinates(c)?;
    }
    // `None`: keep the AI tags; `Some(None)`: remove all; `Some(Some(names))`: these.
    let remove_ai_tags: Option<Option<&[String]>> = match &d.remove_ai_tags {
        None => None,
        Some(RemoveAiTags::All) => Some(None),
        Some(RemoveAiTags::Tags(names)) => Some(Some(names)),
        // A shape a later imagekit-types reads: refused before anything changes.
        Some(other) => {
            let json = serde_json::to_string(other).unwrap_or_default();
            return Err(ApiError::bad_request(format!("Invalid `removeAITags`: {json}.")));
        }
    };
    state.store.write(|tx| {
        let mut rec = tx.db().files.get(file_id).cloned().ok_or_else(file_not_found)?;
        let status = extension_status(tx.db(), d.extensions.as_deref().unwrap_or_default())?;
        let v = &mut rec.current;
        if let Some(values) = &d.custom_metadata {
            let mut merged = v.custom_metadata.clone();
            for (k, val) in values {
                if val.is_null() {
                    merged.shift_remove(k);
                } else {
                    merged.insert(k.clone(), val.clone());
                }
            }
            validate_custom_metadata(tx.db(), values, &merged)?;
            v.custom_metadata = merged;
        }
        if let Some(tags) = &d.tags {
            v.tags = tags.clone().and_then(stored_tags);
        }
        if let Some(c) = &d.custom_coordinates {
            v.custom_coordinates = c.clone();
        }
        if let Some(desc) = &d.description {
            v.description = Some(desc.clone());
        }
        match remove_ai_tags {
            Some(None) => v.ai_tags = None,
            Some(Some(names)) => {
                if let Some(ai) = v.ai_tags.take() {
                    let kept: Vec<_> =
                        ai.into_iter().filter(|t| !t.name.as_ref().is_some_and(|n| names.contains(n))).collect();
                    v.ai_tags = (!kept.is_empty()).then_some(kept);
                }
            }
            None => {}
        }
        v.updated_at = crate::util::now_iso();
        tx.put_file(rec.clone());
        Ok((rec, status))
    })
}

/// `DELETE /v1/files/{fileId}`: the file and every version; 204.
pub fn delete(state: &State, file_id: &str) -> ApiResult {
    let blobs = state.store.write(|tx| {
        if !tx.db().files.contains_key(file_id) {
            return Err(file_not_found());
        }
        let rec = tx.remove_file(file_id).ok_or_else(file_not_found)?;
        Ok(unreferenced_blobs(tx.db(), blobs_of(&rec)))
    })?;
    delete_blobs(state, &blobs);
    Ok(Resp::no_content())
}

fn required(value: &str, name: &str) -> Result<(), ApiError> {
    if value.trim().is_empty() {
        return Err(ApiError::bad_request(format!("Missing parameter {name}.")));
    }
    Ok(())
}

/// `POST /v1/files/copy`: copy a file into a folder (created when missing). A
/// file already at the destination path gets the copy as new versions.
/// Answers 204 without a body, as the service does.
pub fn copy(state: &State, req: &Req) -> ApiResult {
    let body: CopyFileRequest = req.json()?;
    required(&body.source_file_path, "sourceFilePath")?;
    required(&body.destination_path, "destinationPath")?;
    let source_path = file_path_arg(&body.source_file_path);
    let folder = normalize_folder(&body.destination_path);
    let include_versions = body.include_file_versions == Some(true);
    // Copies get blobs of their own, so deleting either file never takes the
    // other's bytes. The bytes are copied outside the lock; the write checks
    // that the source did not change meanwhile.
    for _ in 0..5 {
        let source = state
            .store
            .read(|db| db.file_at(&source_path).cloned())
            .ok_or_else(|| ApiError::not_found(format!("No file found with filePath {source_path}.")))?;
        let mut picked: Vec<FileVersion> = if include_versions { source.versions.clone() } else { Vec::new() };
        picked.push(source.current.clone());
        let mut new_blobs = Vec::with_capacity(picked.len());
        for v in &mut picked {
            let Some(bytes) = state.store.blob(&v.blob) else {
                delete_blobs(state, &new_blobs);
                return Err(ApiError::internal(format!("The bytes of {source_path} are missing.")));
            };
            match state.store.put_blob(bytes) {
                Ok(id) => {
                    v.blob = id.clone();
                    new_blobs.push(id);
                }
                Err(e) => {
                    delete_blobs(state, &new_blobs);
                    return Err(e);
                }
            }
        }
        let outcome = state.store.write(|tx| {
            if tx.db().file_at(&source_path) != Some(&source) {
                return Ok(false);
            }
            let dest_path = format!("{folder}{}", source.current.name);
            let now = crate::util::now_iso();
            for v in &mut picked {
                v.created_at = now.clone();
                v.updated_at = now.clone();
            }
            let rec = match tx.db().file_at(&dest_path).cloned() {
                Some(mut dest) => {
                    append_versions(&mut dest, picked)?;
                    dest
                }
                None => FileRecord::from_versions(picked, &dest_path)
                    .ok_or_else(|| ApiError::internal("nothing to copy"))?,
            };
            tx.ensure_folder(folder_key(&folder));
            tx.put_file(rec);
            Ok(true)
        });
        match outcome {
            Ok(true) => return Ok(Resp::no_content()),
            Ok(false) => delete_blobs(state, &new_blobs),
            Err(e) => {
                delete_blobs(state, &new_blobs);
                return Err(e);
            }
        }
    }
    Err(ApiError::new(StatusCode::CONFLICT, "The source file kept changing during the copy; try again."))
}

/// `POST /v1/files/move`: move a file (and its versions) into a folder. A file
/// already at the destination path gets the moved file's versions appended.
/// Answers 204 without a body, as the service does.
pub fn move_file(state: &State, req: &Req) -> ApiResult {
    let body: MoveFileRequest = req.json()?;
    required(&body.source_file_path, "sourceFilePath")?;
    required(&body.destination_path, "destinationPath")?;
    let source_path = file_path_arg(&body.source_file_path);
    let folder = normalize_folder(&body.destination_path);
    state.store.write(|tx| {
        let source = tx
            .db()
            .file_at(&source_path)
            .cloned()
            .ok_or_else(|| ApiError::not_found(format!("No file found with filePath {source_path}.")))?;
        let dest_path = format!("{folder}{}", source.current.name);
        if dest_path == source_path {
            return Ok(());
        }
        let now = crate::util::now_iso();
        match tx.db().file_at(&dest_path).cloned() {
            Some(mut dest) => {
                let mut moved = source.versions.clone();
                moved.push(source.current.clone());
                append_versions(&mut dest, moved)?;
                dest.current.updated_at = now;
                tx.remove_file(&source.file_id);
                tx.put_file(dest);
            }
            None => {
                let mut rec = source;
                for v in std::iter::once(&mut rec.current).chain(&mut rec.versions) {
                    v.file_path = dest_path.clone();
                }
                rec.current.updated_at = now;
                tx.put_file(rec);
            }
        }
        tx.ensure_folder(folder_key(&folder));
        Ok(())
    })?;
    Ok(Resp::no_content())
}

/// `PUT /v1/files/rename`: rename a file in place; 409 when the new name is
/// taken. With `purgeCache`, a purge request is recorded and its id returned.
pub fn rename(state: &State, req: &Req) -> ApiResult {
    let body: RenameFileRequest = req.json()?;
    required(&body.file_path, "filePath")?;
    required(&body.new_file_name, "newFileName")?;
    let path = file_path_arg(&body.file_path);
    let new_name = sanitize_file_name(body.new_file_name.trim());
    if new_name.contains('/') || new_name.chars().all(|c| c == '.') {
        return Err(ApiError::bad_request("Invalid newFileName."));
    }
    let purge = body.purge_cache == Some(true);
    let purge_id = state.store.write(|tx| {
        let mut rec = tx.db().file_at(&path).cloned().ok_or_else(file_not_found)?;
        let new_path = format!("{}{new_name}", rec.current.folder());
        if new_path != path && tx.db().paths.contains_key(&new_path) {
            return Err(ApiError::conflict(format!("A file named {new_name} already exists in this folder.")));
        }
        if new_path != path {
            for v in std::iter::once(&mut rec.current).chain(&mut rec.versions) {
                v.name = new_name.clone();
                v.file_path = new_path.clone();
            }
            rec.current.updated_at = crate::util::now_iso();
            tx.put_file(rec);
        }
        let purge_id = purge.then(crate::util::new_id);
        if let Some(id) = &purge_id {
            tx.put_job(JobRecord { id: id.clone(), kind: "PURGE".into(), pending_polls: 1, purge_request_id: None });
        }
        Ok(purge_id)
    })?;
    let mut resp = RenameFileResponse::default();
    resp.purge_request_id = purge_id;
    Ok(Resp::ok(&resp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_folders() {
        assert_eq!(sanitize_file_name("my shoe (1).jpg"), "my_shoe__1_.jpg");
        assert_eq!(sanitize_file_name("été-ü_ß.png"), "été-ü_ß.png");
        assert_eq!(normalize_folder(""), "/");
        assert_eq!(normalize_folder("/"), "/");
        assert_eq!(normalize_folder("a/b"), "/a/b/");
        assert_eq!(normalize_folder("//a//b c/"), "/a/b_c/");
        assert_eq!(normalize_folder("x.y"), "/x_y/");
        assert_eq!(folder_key("/a/b/"), "/a/b");
        assert_eq!(folder_key("/"), "");
        assert_eq!(file_path_arg("a.jpg"), "/a.jpg");
    }

    #[test]
    fn coordinates() {
        assert!(check_coordinates("10,10,100,100").is_ok());
        assert!(check_coordinates("10,10,100").is_err());
        assert!(check_coordinates("a,b,c,d").is_err());
    }
}
