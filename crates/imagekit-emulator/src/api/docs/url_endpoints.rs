//! URL endpoints (`/v1/accounts/url-endpoints`). The default endpoint (id
//! `default`, description `Default`, empty `urlPrefix`, no origins) is always
//! listed first, can be replaced with PUT (its prefix stays empty) and cannot be
//! deleted. Other endpoints need a unique `urlPrefix` of letters, digits and
//! hyphens; their origins must exist.

use imagekit_types::{CloudinaryRewriter, UrlEndpointRequest, UrlEndpointResponse, UrlRewriter};

use super::{find, from_doc, invalid, live, remove, to_value};
use crate::model::Doc;
use crate::state::State;
use crate::store::{Collection, Db};
use crate::web::{ApiError, ApiResult, Req, Resp};

const C: Collection = Collection::UrlEndpoints;

/// The id of the default endpoint.
pub const DEFAULT_ID: &str = "default";

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("No URL endpoint found with id {id}."))
}

fn default_endpoint() -> UrlEndpointResponse {
    let mut e = UrlEndpointResponse::default();
    e.id = DEFAULT_ID.into();
    e.description = Some("Default".into());
    e
}

/// The endpoint `id` (the default one even when never stored).
fn lookup(db: &Db, id: &str) -> Result<Option<UrlEndpointResponse>, ApiError> {
    match find(db, C, id) {
        Some(doc) => from_doc(doc).map(Some),
        None if id == DEFAULT_ID => Ok(Some(default_endpoint())),
        None => Ok(None),
    }
}

/// Every endpoint, the default one first.
fn all(db: &Db) -> Result<Vec<UrlEndpointResponse>, ApiError> {
    let mut out = vec![lookup(db, DEFAULT_ID)?.unwrap_or_else(default_endpoint)];
    for doc in live(db, C).filter(|d| d.id != DEFAULT_ID) {
        out.push(from_doc(doc)?);
    }
    Ok(out)
}

/// Validate a request for endpoint `id` (`None` when creating) against `db`.
fn build(db: &Db, body: &UrlEndpointRequest, id: Option<&str>) -> Result<UrlEndpointResponse, ApiError> {
    if body.description.trim().is_empty() {
        return Err(invalid("description", "is required"));
    }
    let prefix = body.url_prefix.clone().unwrap_or_default();
    let is_default = id == Some(DEFAULT_ID);
    if is_default {
        if !prefix.is_empty() {
            return Err(invalid("urlPrefix", "must be empty for the default URL endpoint"));
        }
    } else {
        if prefix.is_empty() {
            return Err(invalid("urlPrefix", "is required"));
        }
        if !prefix.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(invalid("urlPrefix", format!("`{prefix}` may contain only letters, digits and hyphens")));
        }
        let taken = all(db)?.iter().any(|e| e.url_prefix == prefix && Some(e.id.as_str()) != id);
        if taken {
            return Err(invalid("urlPrefix", format!("`{prefix}` is already used by another URL endpoint")));
        }
    }
    let origins = body.origins.clone().unwrap_or_default();
    for (i, o) in origins.iter().enumerate() {
        if find(db, Collection::Origins, o).is_none() {
            return Err(invalid("origins", format!("no origin with id `{o}`")));
        }
        if origins[..i].contains(o) {
            return Err(invalid("origins", format!("origin `{o}` is listed twice")));
        }
    }
    let url_rewriter = match &body.url_rewriter {
        None => None,
        Some(UrlRewriter::Cloudinary(c)) => Some(UrlRewriter::Cloudinary(
            CloudinaryRewriter::new().preserve_asset_delivery_types(c.preserve_asset_delivery_types.unwrap_or(false)),
        )),
        Some(r @ (UrlRewriter::Imgix(_) | UrlRewriter::Akamai(_))) => Some(r.clone()),
        // `Unknown`, and any rewriter a later imagekit-types names.
        Some(other) => {
            let t = other.tag();
            return Err(invalid("urlRewriter.type", format!("`{t}` is not one of CLOUDINARY, IMGIX, AKAMAI")));
        }
    };
    let mut e = UrlEndpointResponse::default();
    e.id = id.map_or_else(crate::util::new_id, str::to_owned);
    e.description = Some(body.description.clone());
    e.origins = origins;
    e.url_prefix = prefix;
    e.url_rewriter = url_rewriter;
    Ok(e)
}

/// `GET /v1/accounts/url-endpoints`: the default endpoint, then the others
/// oldest first.
pub fn list(state: &State) -> ApiResult {
    let all = state.store.read(all)?;
    Ok(Resp::ok(&all))
}

/// `POST /v1/accounts/url-endpoints` with `description`, `urlPrefix`,
/// `origins` (ids of existing origins) and `urlRewriter`.
pub fn create(state: &State, req: &Req) -> ApiResult {
    let body: UrlEndpointRequest = req.json()?;
    let ep = state.store.write(|tx| {
        let ep = build(tx.db(), &body, None)?;
        tx.put_doc(C, Doc { id: ep.id.clone(), value: to_value(&ep)?, deleted: false });
        Ok(ep)
    })?;
    Ok(Resp::ok(&ep))
}

/// `GET /v1/accounts/url-endpoints/{id}`; 404 when missing.
pub fn get(state: &State, id: &str) -> ApiResult {
    let ep = state.store.read(|db| lookup(db, id))?.ok_or_else(|| not_found(id))?;
    Ok(Resp::ok(&ep))
}

/// `PUT /v1/accounts/url-endpoints/{id}`: a full replace.
pub fn update(state: &State, req: &Req, id: &str) -> ApiResult {
    let body: UrlEndpointRequest = req.json()?;
    let ep = state.store.write(|tx| {
        lookup(tx.db(), id)?.ok_or_else(|| not_found(id))?;
        let ep = build(tx.db(), &body, Some(id))?;
        tx.put_doc(C, Doc { id: id.to_owned(), value: to_value(&ep)?, deleted: false });
        Ok(ep)
    })?;
    Ok(Resp::ok(&ep))
}

/// `DELETE /v1/accounts/url-endpoints/{id}`: 204; 404 when missing, 400 for
/// the default endpoint.
pub fn delete(state: &State, id: &str) -> ApiResult {
    if id == DEFAULT_ID {
        return Err(ApiError::bad_request("The default URL endpoint cannot be deleted."));
    }
    remove(state, C, id, not_found)
}
