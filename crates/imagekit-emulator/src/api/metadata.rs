//! Technical metadata: `GET /v1/files/{fileId}/metadata` and
//! `GET /v1/metadata?url=` (for URLs of the emulator's own delivery endpoint).

use imagekit_types::{Exif, Metadata};

use crate::api::files::file_not_found;
use crate::imageinfo;
use crate::model::FileVersion;
use crate::state::State;
use crate::web::{ApiError, ApiResult, Req, Resp};

/// The metadata of one file version, read from its stored bytes: dimensions,
/// size, format, transparency, colour profile, a 64-bit perceptual hash, a
/// JPEG quality estimate, density 72 and an empty `exif`; for videos and audio,
/// the duration (whole seconds) and overall bit rate (kbps).
pub(crate) fn of_version(state: &State, v: &FileVersion) -> Metadata {
    let bytes = state.store.blob(&v.blob);
    let info = bytes.as_deref().and_then(imageinfo::probe);
    // The stored bytes' own length: a mix-up of blobs would show.
    let size = bytes.as_ref().map_or(v.size, |b| b.len() as u64);
    let mut m = Metadata::default();
    m.size = Some(size);
    m.format = v.format.clone();
    if let Some(info) = &info {
        let bytes = bytes.as_deref().unwrap_or_default();
        m.width = Some(u64::from(info.width));
        m.height = Some(u64::from(info.height));
        m.has_color_profile = Some(info.has_color_profile);
        m.has_transparency = Some(info.has_alpha);
        m.density = Some(72);
        m.quality = Some(imageinfo::jpeg_quality(bytes).unwrap_or(0));
        m.p_hash = imageinfo::phash(bytes);
        m.exif = Some(Exif::default());
    } else if v.file_type() == "image" {
        m.width = v.width.map(u64::from);
        m.height = v.height.map(u64::from);
        m.has_transparency = v.has_alpha;
        m.exif = Some(Exif::default());
    } else if v.is_audio_or_video() {
        m.duration = v.duration.map(|d| d.round() as u64);
        m.bit_rate = v.bit_rate_kbps();
    }
    m
}

/// `GET /v1/files/{fileId}/metadata`: the metadata of the current version.
pub fn get(state: &State, file_id: &str) -> ApiResult {
    let v = state.store.read(|db| db.files.get(file_id).map(|r| r.current.clone())).ok_or_else(file_not_found)?;
    Ok(Resp::ok(&of_version(state, &v)))
}

/// The media library path a delivery URL of this emulator names: the part
/// after the URL endpoint, without the query, fragment or a leading `tr:`
/// (path transformation) segment, percent-decoded. Besides the URL endpoint
/// itself, a loopback URL with the delivery path prefix is accepted (the same
/// server reached as `localhost` instead of `127.0.0.1`, say).
pub(crate) fn path_of_url(state: &State, url: &str) -> Option<String> {
    let rest = match url.strip_prefix(&state.url_endpoint) {
        Some(rest) => rest,
        None => {
            let uri: http::Uri = url.parse().ok()?;
            if !crate::remote::is_loopback(uri.host()?) {
                return None;
            }
            let after_scheme = url.split_once("://")?.1;
            let path = &after_scheme[after_scheme.find('/')?..];
            path.strip_prefix(&state.delivery_prefix)?
        }
    };
    if !rest.starts_with('/') {
        return None;
    }
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let mut segs: Vec<&str> = rest.split('/').skip(1).collect();
    if segs.first().is_some_and(|s| s.starts_with("tr:") || s.to_ascii_lowercase().starts_with("tr%3a")) {
        segs.remove(0);
    }
    if segs.is_empty() || segs.iter().all(|s| s.is_empty()) {
        return None;
    }
    let decoded: Vec<String> =
        segs.iter().map(|s| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()).collect();
    Some(format!("/{}", decoded.join("/")))
}

/// `GET /v1/metadata?url=`: the metadata of the file a delivery URL of this
/// emulator names. Other URLs are a 400; a URL naming no file is a 404.
pub fn from_url(state: &State, req: &Req) -> ApiResult {
    let url = req
        .query("url")
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .ok_or_else(|| ApiError::bad_request("Missing parameter url."))?;
    let path = path_of_url(state, url).ok_or_else(|| {
        ApiError::bad_request(format!(
            "The url must be a file URL of this account's URL endpoint {}.",
            state.url_endpoint
        ))
    })?;
    let v = state.store.read(|db| db.file_at(&path).map(|r| r.current.clone())).ok_or_else(file_not_found)?;
    Ok(Resp::ok(&of_version(state, &v)))
}
