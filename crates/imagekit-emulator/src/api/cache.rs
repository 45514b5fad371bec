//! CDN cache purges: `POST /v1/files/purge` and `GET /v1/files/purge/{requestId}`.
//!
//! There is no CDN here: a purge is recorded as a [`JobRecord`] of kind `PURGE`
//! that answers `Pending` on the first poll and `Completed` afterwards.

use imagekit_types::{JobStatus, PurgeCreated, PurgeRequest, PurgeStatus};

use crate::model::JobRecord;
use crate::state::State;
use crate::web::{ApiError, ApiResult, Req, Resp};

/// `POST /v1/files/purge` with `{url}` (a full `http(s)` URL, a trailing `*`
/// allowed): answers 201 `{requestId}`; 400 without a URL.
pub fn create(state: &State, req: &Req) -> ApiResult {
    let body: PurgeRequest = req.json()?;
    let url = body.url.trim();
    if url.is_empty() {
        return Err(ApiError::bad_request("Missing parameter url."));
    }
    let valid = ["http://", "https://"].iter().any(|scheme| {
        url.get(..scheme.len()).is_some_and(|s| s.eq_ignore_ascii_case(scheme)) && url.len() > scheme.len()
    });
    if !valid || url.chars().any(char::is_whitespace) {
        return Err(ApiError::bad_request(format!("Invalid url {url}: a full http(s) URL is required.")));
    }
    let id = crate::util::new_id();
    state.store.write(|tx| {
        tx.put_job(JobRecord { id: id.clone(), kind: "PURGE".into(), pending_polls: 1, purge_request_id: None });
        Ok(())
    })?;
    Ok(Resp::json(http::StatusCode::CREATED, &PurgeCreated::new(id)))
}

/// `GET /v1/files/purge/{requestId}`: `{"status":"Pending"}` on the first
/// poll, `Completed` afterwards; 404 for an unknown id.
pub fn get(state: &State, request_id: &str) -> ApiResult {
    let status =
        state.store.write(|tx| {
            let mut rec =
                tx.db().jobs.get(request_id).filter(|j| j.kind == "PURGE").cloned().ok_or_else(|| {
                    ApiError::not_found(format!("No purge request found with requestId {request_id}."))
                })?;
            if rec.pending_polls > 0 {
                rec.pending_polls -= 1;
                tx.put_job(rec);
                Ok(JobStatus::Pending)
            } else {
                Ok(JobStatus::Completed)
            }
        })?;
    Ok(Resp::ok(&PurgeStatus::new(status)))
}
