//! Every route of the API, as a table from (method, path pattern) to handler.

use http::Method;

use crate::api;
use crate::state::State;
use crate::web::{ApiError, ApiResult, Req, Resp};

/// What a route needs before its handler runs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Auth {
    /// HTTP Basic with the private key.
    Basic,
    /// The handler authenticates (uploads: Basic, or a client-side signature / JWT).
    Handler,
}

/// Answer an API request (paths under `/v1` or `/api`).
///
/// The upload endpoints answer CORS (service-facts §3): browsers upload from
/// pages on other origins, so the preflight succeeds and every answer, errors
/// included, lets the page read it. The private-key REST API gets no CORS.
pub async fn api(state: &State, req: Req) -> Resp {
    let upload = is_upload_path(&req.path);
    if upload && req.method == Method::OPTIONS {
        return preflight(&req);
    }
    let resp = match route(state, req).await {
        Ok(resp) => resp,
        Err(e) => e.into_resp(),
    };
    if upload { allow_any_origin(resp) } else { resp }
}

/// `resp` with the upload endpoints' CORS header when `path` is an upload
/// path; for answers made before routing (body too large or stalled, injected
/// faults), which must let a browser read them too (service-facts §3).
pub(crate) fn with_upload_cors(path: &str, resp: Resp) -> Resp {
    if is_upload_path(path) { allow_any_origin(resp) } else { resp }
}

/// Let a page on any origin read `resp`.
fn allow_any_origin(resp: Resp) -> Resp {
    resp.with_header("access-control-allow-origin", "*")
}

/// The upload endpoints, with or without one trailing slash.
pub(crate) fn is_upload_path(path: &str) -> bool {
    matches!(without_trailing_slash(path), "/api/v1/files/upload" | "/api/v2/files/upload")
}

/// The answer to a CORS preflight of an upload: any origin, `POST`, and
/// whatever request headers the page asks for.
fn preflight(req: &Req) -> Resp {
    let mut resp = allow_any_origin(Resp::no_content())
        .with_header("access-control-allow-methods", "POST, OPTIONS")
        .with_header("access-control-max-age", "86400");
    if let Some(asked) = req.header("access-control-request-headers") {
        resp = resp.with_header("access-control-allow-headers", asked);
    }
    resp.with_header("vary", "Access-Control-Request-Headers")
}

/// The service routes a path with one trailing slash like the path without it
/// (service-facts §2: the legacy SDKs send `/v1/files/` and `.../details/`).
fn without_trailing_slash(path: &str) -> &str {
    match path.strip_suffix('/') {
        Some(rest) if !rest.is_empty() => rest,
        _ => path,
    }
}

/// Whether `path` belongs to the API rather than to delivery.
pub fn is_api_path(path: &str) -> bool {
    path == "/v1" || path.starts_with("/v1/") || path == "/api" || path.starts_with("/api/")
}

async fn route(state: &State, req: Req) -> ApiResult {
    let segs: Vec<String> = without_trailing_slash(&req.path).split('/').skip(1).map(decode).collect();
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    let m = &req.method;
    // Uploads authenticate in their handler; everything else needs Basic auth first.
    let auth =
        if matches!(s.as_slice(), ["api", "v1" | "v2", "files", "upload"]) { Auth::Handler } else { Auth::Basic };
    if auth == Auth::Basic {
        crate::auth::check_basic(state, &req)?;
    }
    use Method as M;
    match (m, s.as_slice()) {
        (&M::POST, ["api", "v1", "files", "upload"]) => api::upload::v1(state, &req).await,
        (&M::POST, ["api", "v2", "files", "upload"]) => api::upload::v2(state, &req).await,

        (&M::POST, ["v1", "files", "batch", "deleteByFileIds"]) => api::bulk::delete(state, &req),
        (&M::POST, ["v1", "files", "addTags"]) => api::bulk::add_tags(state, &req),
        (&M::POST, ["v1", "files", "removeTags"]) => api::bulk::remove_tags(state, &req),
        (&M::POST, ["v1", "files", "removeAITags"]) => api::bulk::remove_ai_tags(state, &req),
        (&M::POST, ["v1", "files", "copy"]) => api::files::copy(state, &req),
        (&M::POST, ["v1", "files", "move"]) => api::files::move_file(state, &req),
        (&M::PUT, ["v1", "files", "rename"]) => api::files::rename(state, &req),
        (&M::POST, ["v1", "files", "purge"]) => api::cache::create(state, &req),
        (&M::GET, ["v1", "files", "purge", id]) => api::cache::get(state, id),
        (&M::GET, ["v1", "files"]) => api::assets::list(state, &req),
        (&M::GET, ["v1", "files", id, "details"]) => api::files::get(state, id),
        (&M::PATCH, ["v1", "files", id, "details"]) => api::files::update(state, &req, id),
        (&M::DELETE, ["v1", "files", id]) => api::files::delete(state, id),
        (&M::GET, ["v1", "files", id, "versions"]) => api::versions::list(state, id),
        (&M::GET, ["v1", "files", id, "versions", v]) => api::versions::get(state, id, v),
        (&M::DELETE, ["v1", "files", id, "versions", v]) => api::versions::delete(state, id, v),
        (&M::PUT, ["v1", "files", id, "versions", v, "restore"]) => api::versions::restore(state, id, v),
        (&M::GET, ["v1", "files", id, "metadata"]) => api::metadata::get(state, id),
        (&M::GET, ["v1", "metadata"]) => api::metadata::from_url(state, &req),

        (&M::POST, ["v1", "folder"]) => api::folders::create(state, &req),
        (&M::DELETE, ["v1", "folder"]) => api::folders::delete(state, &req),
        (&M::POST, ["v1", "bulkJobs", "copyFolder"]) => api::folders::copy(state, &req),
        (&M::POST, ["v1", "bulkJobs", "moveFolder"]) => api::folders::move_folder(state, &req),
        (&M::POST, ["v1", "bulkJobs", "renameFolder"]) => api::folders::rename(state, &req),
        (&M::GET, ["v1", "bulkJobs", id]) => api::folders::job(state, id),

        (&M::GET, ["v1", "customMetadataFields"]) => api::cmf::list(state, &req),
        (&M::POST, ["v1", "customMetadataFields"]) => api::cmf::create(state, &req),
        (&M::PATCH, ["v1", "customMetadataFields", id]) => api::cmf::update(state, &req, id),
        (&M::DELETE, ["v1", "customMetadataFields", id]) => api::cmf::delete(state, id),

        (&M::GET, ["v1", "saved-extensions"]) => api::docs::saved_extensions::list(state),
        (&M::POST, ["v1", "saved-extensions"]) => api::docs::saved_extensions::create(state, &req),
        (&M::GET, ["v1", "saved-extensions", id]) => api::docs::saved_extensions::get(state, id),
        (&M::PATCH, ["v1", "saved-extensions", id]) => api::docs::saved_extensions::update(state, &req, id),
        (&M::DELETE, ["v1", "saved-extensions", id]) => api::docs::saved_extensions::delete(state, id),

        (&M::GET, ["v1", "named-transformations"]) => api::docs::named_transformations::list(state),
        (&M::POST, ["v1", "named-transformations"]) => api::docs::named_transformations::create(state, &req),
        (&M::GET, ["v1", "named-transformations", id]) => api::docs::named_transformations::get(state, id),
        (&M::PATCH, ["v1", "named-transformations", id]) => api::docs::named_transformations::update(state, &req, id),
        (&M::DELETE, ["v1", "named-transformations", id]) => api::docs::named_transformations::delete(state, id),

        (&M::GET, ["v1", "accounts", "usage"]) => api::docs::usage(state, &req),
        (&M::GET, ["v1", "accounts", "usage-analytics"]) => api::docs::usage_analytics(state, &req),

        (&M::GET, ["v1", "accounts", "origins"]) => api::docs::origins::list(state),
        (&M::POST, ["v1", "accounts", "origins"]) => api::docs::origins::create(state, &req),
        (&M::GET, ["v1", "accounts", "origins", id]) => api::docs::origins::get(state, id),
        (&M::PUT, ["v1", "accounts", "origins", id]) => api::docs::origins::update(state, &req, id),
        (&M::DELETE, ["v1", "accounts", "origins", id]) => api::docs::origins::delete(state, id),

        (&M::GET, ["v1", "accounts", "url-endpoints"]) => api::docs::url_endpoints::list(state),
        (&M::POST, ["v1", "accounts", "url-endpoints"]) => api::docs::url_endpoints::create(state, &req),
        (&M::GET, ["v1", "accounts", "url-endpoints", id]) => api::docs::url_endpoints::get(state, id),
        (&M::PUT, ["v1", "accounts", "url-endpoints", id]) => api::docs::url_endpoints::update(state, &req, id),
        (&M::DELETE, ["v1", "accounts", "url-endpoints", id]) => api::docs::url_endpoints::delete(state, id),

        (&M::GET, ["v1", "accounts", "webhooks"]) => api::docs::webhooks::list(state),
        (&M::POST, ["v1", "accounts", "webhooks"]) => api::docs::webhooks::create(state, &req),
        (&M::GET, ["v1", "accounts", "webhooks", id]) => api::docs::webhooks::get(state, id),
        (&M::PATCH, ["v1", "accounts", "webhooks", id]) => api::docs::webhooks::update(state, &req, id),
        (&M::DELETE, ["v1", "accounts", "webhooks", id]) => api::docs::webhooks::delete(state, id),

        _ => Err(ApiError::not_found(format!("No route for {} {}", req.method, req.path))),
    }
}

fn decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment).decode_utf8_lossy().into_owned()
}
