//! File versions: list, get, delete (non-current only) and restore.

use imagekit_types::File;

use crate::api::files::{delete_blobs, file_not_found, unreferenced_blobs};
use crate::model::FileRecord;
use crate::render;
use crate::state::State;
use crate::web::{ApiError, ApiResult, Resp};

fn version_not_found() -> ApiError {
    ApiError::not_found("The requested file version does not exist.")
}

fn record(state: &State, file_id: &str) -> Result<FileRecord, ApiError> {
    state.store.read(|db| db.files.get(file_id).cloned()).ok_or_else(file_not_found)
}

/// `GET /v1/files/{fileId}/versions`: every version, oldest first, the current
/// one last (`type: file`; the others `type: file-version`).
pub fn list(state: &State, file_id: &str) -> ApiResult {
    let rec = record(state, file_id)?;
    let mut out: Vec<File> = rec.versions.iter().map(|v| render::file(state, &rec, v, false)).collect();
    out.push(render::current(state, &rec));
    Ok(Resp::ok(&out))
}

/// `GET /v1/files/{fileId}/versions/{versionId}`.
pub fn get(state: &State, file_id: &str, version_id: &str) -> ApiResult {
    let rec = record(state, file_id)?;
    if rec.current.version_id == version_id {
        return Ok(Resp::ok(&render::current(state, &rec)));
    }
    let v = rec.versions.iter().find(|v| v.version_id == version_id).ok_or_else(version_not_found)?;
    Ok(Resp::ok(&render::file(state, &rec, v, false)))
}

/// `DELETE /v1/files/{fileId}/versions/{versionId}`: an older version; the
/// current one cannot be deleted this way (400). Answers 204, no body.
pub fn delete(state: &State, file_id: &str, version_id: &str) -> ApiResult {
    let blobs = state.store.write(|tx| {
        let mut rec = tx.db().files.get(file_id).cloned().ok_or_else(file_not_found)?;
        if rec.current.version_id == version_id {
            return Err(ApiError::bad_request(
                "The current version of a file cannot be deleted; delete the file, or restore another version first.",
            ));
        }
        let i = rec.versions.iter().position(|v| v.version_id == version_id).ok_or_else(version_not_found)?;
        let removed = rec.versions.remove(i);
        tx.put_file(rec);
        Ok(unreferenced_blobs(tx.db(), [removed.blob]))
    })?;
    delete_blobs(state, &blobs);
    Ok(Resp::no_content())
}

/// `PUT /v1/files/{fileId}/versions/{versionId}/restore`: the version becomes
/// the current one again (keeping its id and name); the version that was
/// current joins the older versions. Answers the file.
pub fn restore(state: &State, file_id: &str, version_id: &str) -> ApiResult {
    let rec = state.store.write(|tx| {
        let mut rec = tx.db().files.get(file_id).cloned().ok_or_else(file_not_found)?;
        if rec.current.version_id == version_id {
            return Ok(rec);
        }
        let i = rec.versions.iter().position(|v| v.version_id == version_id).ok_or_else(version_not_found)?;
        let mut restored = rec.versions.remove(i);
        restored.name = rec.current.name.clone();
        restored.file_path = rec.current.file_path.clone();
        restored.updated_at = crate::util::now_iso();
        let previous = std::mem::replace(&mut rec.current, restored);
        rec.versions.push(previous);
        tx.put_file(rec.clone());
        Ok(rec)
    })?;
    Ok(Resp::ok(&render::current(state, &rec)))
}
