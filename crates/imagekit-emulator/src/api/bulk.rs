//! Bulk operations on file ids: delete, add and remove tags, remove AI tags.
//! Every id must exist, or nothing changes (404 with `missingFileIds`).

use imagekit_types::{
    BulkDeleteRequest, BulkDeleteResponse, BulkRemoveAiTagsRequest, BulkTagsRequest, BulkUpdateResponse,
};
use serde_json::Value;

use crate::api::files::{blobs_of, check_tags, delete_blobs, stored_tags, unreferenced_blobs};
use crate::model::FileVersion;
use crate::state::State;
use crate::store::Db;
use crate::web::{ApiError, ApiResult, Req, Resp};

/// The most ids a bulk delete takes.
const MAX_DELETE: usize = 100;
/// The most ids a bulk tag operation takes.
const MAX_TAGS: usize = 50;

/// The ids, de-duplicated in order, checked for count.
fn ids(file_ids: &[String], max: usize) -> Result<Vec<String>, ApiError> {
    if file_ids.is_empty() {
        return Err(ApiError::bad_request("fileIds must contain at least one file id."));
    }
    if file_ids.len() > max {
        return Err(ApiError::bad_request(format!(
            "fileIds can contain at most {max} file ids; {} were sent.",
            file_ids.len()
        )));
    }
    let mut out: Vec<String> = Vec::with_capacity(file_ids.len());
    for id in file_ids {
        if !out.contains(id) {
            out.push(id.clone());
        }
    }
    Ok(out)
}

/// 404 naming every id that does not exist, if any.
fn check_exist(db: &Db, ids: &[String]) -> Result<(), ApiError> {
    let missing: Vec<Value> =
        ids.iter().filter(|id| !db.files.contains_key(id.as_str())).map(|id| Value::String(id.clone())).collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(ApiError::not_found("The requested file(s) does not exist.").with("missingFileIds", Value::Array(missing)))
    }
}

/// Change the current version of every file, all or nothing.
fn update_all(state: &State, ids: &[String], mut change: impl FnMut(&mut FileVersion)) -> ApiResult {
    state.store.write(|tx| {
        check_exist(tx.db(), ids)?;
        let now = crate::util::now_iso();
        for id in ids {
            if let Some(mut rec) = tx.db().files.get(id).cloned() {
                change(&mut rec.current);
                rec.current.updated_at = now.clone();
                tx.put_file(rec);
            }
        }
        Ok(())
    })?;
    Ok(Resp::ok(&BulkUpdateResponse::new(ids.iter().cloned())))
}

/// `POST /v1/files/batch/deleteByFileIds`: at most 100 ids.
pub fn delete(state: &State, req: &Req) -> ApiResult {
    let body: BulkDeleteRequest = req.json()?;
    let ids = ids(&body.file_ids, MAX_DELETE)?;
    let blobs = state.store.write(|tx| {
        check_exist(tx.db(), &ids)?;
        let mut candidates = Vec::new();
        for id in &ids {
            if let Some(rec) = tx.remove_file(id) {
                candidates.extend(blobs_of(&rec));
            }
        }
        Ok(unreferenced_blobs(tx.db(), candidates))
    })?;
    delete_blobs(state, &blobs);
    Ok(Resp::ok(&BulkDeleteResponse::new(ids)))
}

/// `POST /v1/files/addTags`: at most 50 ids.
pub fn add_tags(state: &State, req: &Req) -> ApiResult {
    let body: BulkTagsRequest = req.json()?;
    let ids = ids(&body.file_ids, MAX_TAGS)?;
    if body.tags.is_empty() {
        return Err(ApiError::bad_request("tags must contain at least one tag."));
    }
    check_tags(&body.tags)?;
    update_all(state, &ids, |v| {
        let mut tags = v.tags.take().unwrap_or_default();
        for t in &body.tags {
            if !tags.contains(t) {
                tags.push(t.clone());
            }
        }
        v.tags = stored_tags(tags);
    })
}

/// `POST /v1/files/removeTags`: at most 50 ids.
pub fn remove_tags(state: &State, req: &Req) -> ApiResult {
    let body: BulkTagsRequest = req.json()?;
    let ids = ids(&body.file_ids, MAX_TAGS)?;
    if body.tags.is_empty() {
        return Err(ApiError::bad_request("tags must contain at least one tag."));
    }
    update_all(state, &ids, |v| {
        if let Some(tags) = v.tags.take() {
            v.tags = stored_tags(tags.into_iter().filter(|t| !body.tags.contains(t)).collect());
        }
    })
}

/// `POST /v1/files/removeAITags`: at most 50 ids; body key `AITags`.
pub fn remove_ai_tags(state: &State, req: &Req) -> ApiResult {
    let body: BulkRemoveAiTagsRequest = req.json()?;
    let ids = ids(&body.file_ids, MAX_TAGS)?;
    if body.ai_tags.is_empty() {
        return Err(ApiError::bad_request("AITags must contain at least one tag."));
    }
    update_all(state, &ids, |v| {
        if let Some(ai) = v.ai_tags.take() {
            let kept: Vec<_> =
                ai.into_iter().filter(|t| !t.name.as_ref().is_some_and(|n| body.ai_tags.contains(n))).collect();
            v.ai_tags = (!kept.is_empty()).then_some(kept);
        }
    })
}
