//! URL delivery: `GET` and `HEAD` `/<imagekit_id>/<filePath>`, with ImageKit
//! transformations in the path (`/<imagekit_id>/tr:w-300,h-200/<filePath>`) or
//! in the query (`?tr=w-300,h-200`), signed URLs (`ik-s`, `ik-t`) checked
//! exactly as ImageKit signs them, and private files. `?ik-obj-version=<versionId>`
//! serves an older version of a file; unpublished (draft) files are 404.
//!
//! A subset of transformations is applied for real with the `image` crate:
//! `w`, `h` (pixels, or a ratio below 1), `ar`, `dpr`, `c` (`maintain_ratio`,
//! the default, `force`, `at_max`, `at_least`), `cm` (`pad_resize` with `bg`,
//! `extract`), `f` (`jpg`, `png`, `webp`, `gif`; `auto` and `orig` keep the
//! original format), `q` (JPEG), `rt` (multiples of 90), `fl`, `bl`,
//! `e-grayscale`, `orig-true` and named transformations (stored ones, and the
//! built-in `ik_ml_thumbnail`). Every other key is left out and named in the
//! `x-ik-emulator-ignored` response header, so a test can see what the real
//! service would have done differently.

mod plan;
mod render;
mod signature;
#[cfg(test)]
mod tests;

use bytes::Bytes;
use hex::ToHex as _;
use http::{HeaderValue, Method, StatusCode, header};
use percent_encoding::percent_decode_str;
use sha1::{Digest, Sha1};

use crate::model::FileVersion;
use crate::state::State;
use crate::web::{ApiError, Req, Resp};
use plan::{Plan, named_transformation, split_path_transformation};
use render::{Output, transform};
use signature::verify_signature;

/// The response header naming the transformation keys that were not applied.
const IGNORED_HEADER: &str = "x-ik-emulator-ignored";

/// The response header explaining why an image was served untransformed.
const WARNING_HEADER: &str = "x-ik-emulator-warning";

/// Serve a delivery URL. `raw_query` is the query string exactly as received
/// (still percent-encoded): signatures are checked against it, because that is
/// the text the client signed.
pub(crate) async fn serve(state: &State, req: &Req, raw_query: Option<&str>) -> Resp {
    let resp = match handle(state, req, raw_query).await {
        Ok(resp) => resp,
        Err(e) => e.into_resp(),
    };
    // Delivery URLs are plain cross-origin GETs (service-facts §3): a page on
    // any origin may read them (canvas, fetch), as from ImageKit's CDN.
    resp.with_header("access-control-allow-origin", "*")
}

async fn handle(state: &State, req: &Req, raw_query: Option<&str>) -> Result<Resp, ApiError> {
    let head = req.method == Method::HEAD;
    if !head && req.method != Method::GET {
        let mut resp =
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "Delivery URLs answer GET and HEAD only.").into_resp();
        resp.headers.insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return Ok(resp);
    }
    let rest = strip_prefix(&req.path, &state.delivery_prefix).ok_or_else(|| {
        ApiError::not_found(format!(
            "No such resource. Files are delivered under {}/<filePath>; the API is under /v1 and /api.",
            state.delivery_prefix
        ))
    })?;
    let (path_tr, file_part) = split_path_transformation(rest);
    let file_path = percent_decode_str(file_part).decode_utf8_lossy().into_owned();
    if file_path.trim_matches('/').is_empty() {
        return Err(not_found());
    }

    let signed = verify_signature(state, rest, raw_query, crate::util::now_secs())?;

    let version = req.query("ik-obj-version");
    let file = state
        .store
        .read(|db| {
            let rec = db.file_at(&file_path)?;
            match version {
                None => Some(rec.current.clone()),
                Some(id) => std::iter::once(&rec.current).chain(&rec.versions).find(|v| v.version_id == id).cloned(),
            }
        })
        .ok_or_else(not_found)?;
    if !file.is_published {
        return Err(not_found());
    }
    if file.is_private && !signed {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "This file is private: it is only delivered through a signed URL.",
        ));
    }
    let data = state.store.blob(&file.blob).ok_or_else(not_found)?;

    let mut tr = String::new();
    if let Some(p) = path_tr {
        tr.push_str(&percent_decode_str(p).decode_utf8_lossy());
    }
    for (_, v) in req.query.iter().filter(|(k, _)| k == "tr") {
        if !tr.is_empty() && !v.is_empty() {
            tr.push(':');
        }
        tr.push_str(v);
    }

    let out = if tr.is_empty() {
        Output::original(data, &file)
    } else {
        let plan = Plan::parse(&tr, &|name| named_transformation(state, name))?;
        let mime = file.mime.clone();
        let job = move || transform(data, &mime, &plan);
        let result = match tokio::runtime::Handle::try_current() {
            Ok(rt) => rt.spawn_blocking(job).await.map_err(|e| ApiError::internal(format!("transform: {e}")))?,
            Err(_) => job(),
        };
        result?
    };
    Ok(respond(req, out, &file, head))
}

fn not_found() -> ApiError {
    ApiError::not_found("The requested resource does not exist.")
}

/// The part of `path` after `prefix` (`""` or starting with `/`), if `path` is under it.
fn strip_prefix<'a>(path: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = path.strip_prefix(prefix)?;
    (rest.is_empty() || rest.starts_with('/')).then_some(rest)
}

fn respond(req: &Req, out: Output, file: &FileVersion, head: bool) -> Resp {
    let digest = Sha1::digest(&out.body);
    let etag = format!("\"{}\"", digest.encode_hex::<String>());
    let cache = if file.is_private { "private, max-age=3600" } else { "public, max-age=31536000" };
    let not_modified = req.header("if-none-match").is_some_and(|v| {
        v.split(',').map(str::trim).any(|t| t == "*" || t == etag || t.strip_prefix("W/") == Some(etag.as_str()))
    });
    let len = out.body.len();
    let (status, body) = if not_modified {
        (StatusCode::NOT_MODIFIED, Bytes::new())
    } else if head {
        (StatusCode::OK, Bytes::new())
    } else {
        (StatusCode::OK, out.body)
    };
    let mut resp = Resp::bytes(status, &out.mime, body)
        .with_header("etag", &etag)
        .with_header("cache-control", cache)
        .with_header("accept-ranges", "none");
    if not_modified {
        resp.headers.remove(header::CONTENT_TYPE);
    } else {
        resp = resp.with_header("content-length", &len.to_string());
    }
    if !out.ignored.is_empty() {
        resp = resp.with_header(IGNORED_HEADER, &out.ignored.join(","));
    }
    if let Some(w) = out.warning {
        resp = resp.with_header(WARNING_HEADER, &w);
    }
    resp
}
