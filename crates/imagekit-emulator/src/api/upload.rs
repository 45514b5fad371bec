//! Uploads: `POST /api/v1/files/upload` and `POST /api/v2/files/upload`.
//!
//! The body is `multipart/form-data`. The file is a binary part, or a text
//! field holding base64, a `data:` URI or an http(s) URL (fetched only from a
//! loopback host). Authentication is HTTP Basic with the private key, or
//! client-side: V1 `publicKey` + `signature` + `expire` + `token`, V2 an HS256
//! JWT in `token` whose claims are the other form fields. A token works once.
//!
//! The bytes are stored first, then the record in one write; if that write
//! fails the bytes are deleted again, so a failed upload leaves nothing.

use base64::Engine as _;
use bytes::Bytes;
use hmac::{Hmac, KeyInit, Mac};
use http::StatusCode;
use imagekit_types::{FileUploadResponse, Object, ResponseField, UploadParams};
use serde_json::Value;
use sha2::Sha256;
use subtle::ConstantTimeEq as _;

use crate::api::files::{
    MAX_VERSIONS, check_coordinates, check_tags, extension_status, folder_key, next_version_name, normalize_folder,
    sanitize_file_name, stored_tags, validate_custom_metadata,
};
use crate::imageinfo::{self, ImageInfo};
use crate::media;
use crate::model::{FileRecord, FileVersion, is_audio_or_video};
use crate::render;
use crate::state::State;
use crate::web::{ApiError, ApiResult, Req, Resp};

/// `POST /api/v1/files/upload`.
pub async fn v1(state: &State, req: &Req) -> ApiResult {
    upload(state, req, Api::V1).await
}

/// `POST /api/v2/files/upload`: as V1, but client-side uploads authenticate
/// with a JWT in `token`.
pub async fn v2(state: &State, req: &Req) -> ApiResult {
    upload(state, req, Api::V2).await
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Api {
    V1,
    V2,
}

/// The `file` part.
enum FilePart {
    /// A part without a file name that is not text: the bytes themselves.
    Binary(Bytes),
    /// A part with a file name: its bytes, streamed to a temporary file in
    /// the store's spool directory, and their length.
    Spooled(crate::spool::TempFile, u64),
    /// A text field: base64, a data URI or a URL.
    Text(String),
}

/// The parsed form: text fields in order, and the file.
struct Form {
    fields: Vec<(String, String)>,
    file: Option<FilePart>,
}

impl Form {
    /// The last value of a field.
    fn get(&self, name: &str) -> Option<&str> {
        self.fields.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::bad_request(message)
}

async fn parse_form(state: &State, req: &Req) -> Result<Form, ApiError> {
    let content_type = req.header("content-type").unwrap_or_default();
    if !content_type.trim_start().to_ascii_lowercase().starts_with("multipart/form-data") {
        return Err(bad("Uploads must be sent as multipart/form-data."));
    }
    let boundary = multer::parse_boundary(content_type)
        .map_err(|e| bad(format!("Invalid multipart/form-data content type: {e}")))?;
    let stream: futures::stream::BoxStream<'static, std::io::Result<Bytes>> = match &req.spooled {
        Some(file) => Box::pin(crate::spool::read_chunks(file.path())),
        None => {
            let body = req.body.clone();
            Box::pin(futures::stream::once(async move { Ok(body) }))
        }
    };
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut form = Form { fields: Vec::new(), file: None };
    let malformed = |e: multer::Error| bad(format!("Invalid multipart/form-data body: {e}"));
    while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
        let Some(name) = field.name().map(str::to_owned) else {
            return Err(bad("Invalid multipart/form-data body: a part has no name."));
        };
        let has_file_name = field.file_name().is_some();
        if name == "file" && form.file.is_some() {
            return Err(bad("Only one file can be uploaded per request."));
        }
        if name == "file" && has_file_name {
            // Chunk by chunk to disk: the file's size never becomes memory.
            use tokio::io::AsyncWriteExt as _;
            let (tmp, mut out) =
                crate::spool::TempFile::create(&state.store.spool_dir()).await.map_err(crate::store::blob_error)?;
            let mut len = 0u64;
            while let Some(chunk) = field.chunk().await.map_err(malformed)? {
                len += chunk.len() as u64;
                out.write_all(&chunk).await.map_err(crate::store::blob_error)?;
            }
            out.flush().await.map_err(crate::store::blob_error)?;
            form.file = Some(FilePart::Spooled(tmp, len));
            continue;
        }
        let data = field.bytes().await.map_err(malformed)?;
        if name == "file" {
            form.file = Some(match String::from_utf8(data.to_vec()) {
                Ok(text) => FilePart::Text(text),
                Err(_) => FilePart::Binary(data),
            });
        } else {
            let value = String::from_utf8(data.to_vec())
                .map_err(|_| bad(format!("The value of field {name} is not valid UTF-8.")))?;
            form.fields.push((name, value));
        }
    }
    Ok(form)
}

/// How the request authenticated; a client-side token is burnt when used.
fn authenticate(state: &State, req: &Req, form: &Form, api: Api) -> Result<Option<String>, ApiError> {
    if req.header("authorization").is_some() {
        crate::auth::check_basic(state, req)?;
        return Ok(None);
    }
    let token = form.get("token");
    match api {
        Api::V1 => {
            let any = ["publicKey", "signature", "expire", "token"].iter().any(|k| form.get(k).is_some());
            if !any {
                return Err(ApiError::new(StatusCode::UNAUTHORIZED, crate::auth::NO_KEY));
            }
            check_v1_signature(state, form)?;
        }
        Api::V2 => {
            let Some(jwt) = token else {
                return Err(ApiError::new(StatusCode::UNAUTHORIZED, crate::auth::NO_KEY));
            };
            check_v2_jwt(state, form, jwt)?;
        }
    }
    let token = token.unwrap_or_default().to_owned();
    if state.store.read(|db| db.used_tokens.contains(&token)) {
        return Err(token_reused());
    }
    Ok(Some(token))
}

fn token_reused() -> ApiError {
    bad("The token has already been used. Generate a new token for every upload.")
}

/// The largest `expire - now` (and JWT lifetime) accepted.
const MAX_LIFETIME_SECS: i64 = 3600;

fn check_v1_signature(state: &State, form: &Form) -> Result<(), ApiError> {
    let missing = |f: &str| bad(format!("Missing {f} for a client-side upload (publicKey, signature, expire, token)."));
    let public_key = form.get("publicKey").ok_or_else(|| missing("publicKey"))?;
    let signature = form.get("signature").ok_or_else(|| missing("signature"))?;
    let expire = form.get("expire").ok_or_else(|| missing("expire"))?;
    let token = form.get("token").ok_or_else(|| missing("token"))?;
    if !bool::from(public_key.as_bytes().ct_eq(state.public_key.as_bytes())) {
        return Err(bad("Your request contains an invalid publicKey."));
    }
    let expire: u64 = expire.trim().parse().map_err(|_| bad("The expire parameter must be a Unix time in seconds."))?;
    let now = crate::util::now_secs();
    let expire_secs = i64::try_from(expire).unwrap_or(i64::MAX);
    if expire_secs <= now {
        return Err(bad("The signature has expired: expire must be a Unix time (seconds) in the future."));
    }
    if expire_secs - now > MAX_LIFETIME_SECS {
        return Err(bad("The expire parameter must be less than 1 hour in the future."));
    }
    if token.is_empty() {
        return Err(missing("token"));
    }
    let expected = imagekit_url::authentication_parameters(&state.signer, token, expire)
        .map_err(|e| bad(format!("Invalid client-side upload parameters: {e}")))?;
    if !bool::from(signature.trim().as_bytes().ct_eq(expected.signature.as_bytes())) {
        return Err(bad("Invalid signature: it must be HMAC-SHA1(private key, token + expire) in lower-case hex."));
    }
    Ok(())
}

fn check_v2_jwt(state: &State, form: &Form, jwt: &str) -> Result<(), ApiError> {
    let invalid = |why: &str| bad(format!("Invalid token: {why}"));
    // Strict: no trimming, no `=` padding, no whitespace, canonical trailing
    // bits. Each token then has exactly one accepted spelling, so burning its
    // exact text makes it single-use (see `crate::auth::strict_base64url`).
    let mut parts = jwt.split('.');
    let (Some(h), Some(p), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(invalid("not a JWT (header.payload.signature)."));
    };
    let decode = |part: &str| crate::auth::strict_base64url(part);
    let header: Object = decode(h)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| invalid("the header is not base64url JSON."))?;
    if header.get("alg").and_then(Value::as_str) != Some("HS256") {
        return Err(invalid("alg must be HS256."));
    }
    if header.get("kid").and_then(Value::as_str) != Some(state.public_key.as_str()) {
        return Err(invalid("kid must be your public key."));
    }
    let signature = decode(s).map_err(|_| invalid("the signature is not base64url."))?;
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(state.private_key.as_bytes())
        .map_err(|_| ApiError::internal("the private key cannot key HMAC-SHA256"))?;
    mac.update(h.as_bytes());
    mac.update(b".");
    mac.update(p.as_bytes());
    mac.verify_slice(&signature).map_err(|_| invalid("the signature does not match (HS256 with the private key)."))?;
    let claims: Object = decode(p)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| invalid("the payload is not base64url JSON."))?;
    let now = crate::util::now_secs();
    let exp = claims.get("exp").and_then(Value::as_i64).ok_or_else(|| invalid("exp (Unix seconds) is required."))?;
    if exp <= now {
        return Err(invalid("it has expired."));
    }
    crate::auth::check_nbf(claims.get("nbf"), now).map_err(|why| invalid(&why))?;
    let iat = claims.get("iat").and_then(Value::as_i64).unwrap_or(now);
    if exp.saturating_sub(iat) > MAX_LIFETIME_SECS || exp - now > MAX_LIFETIME_SECS {
        return Err(invalid("its lifetime must be at most 1 hour."));
    }
    // Every field sent, except `file` and `token`, must be a claim with the
    // same value, and every claim but iat/exp/nbf must be a field sent.
    let as_text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(_) | Value::Number(_) => Some(v.to_string()),
        _ => None,
    };
    for (name, value) in form.fields.iter().filter(|(k, _)| k != "token" && k != "file") {
        match claims.get(name).and_then(as_text) {
            Some(claimed) if claimed == *value => {}
            Some(_) => return Err(invalid(&format!("the field {name} does not match the token's claim."))),
            None => return Err(invalid(&format!("the field {name} is not in the token's claims."))),
        }
    }
    for name in claims.keys().filter(|k| !matches!(k.as_str(), "iat" | "exp" | "nbf")) {
        if form.get(name).is_none() {
            return Err(invalid(&format!("the claim {name} was not sent as a field.")));
        }
    }
    Ok(())
}

async fn upload(state: &State, req: &Req, api: Api) -> ApiResult {
    let form = parse_form(state, req).await?;
    let token = authenticate(state, req, &form, api)?;
    let result = store_upload(state, form, token.as_deref()).await;
    if result.is_err()
        && let Some(t) = &token
    {
        // A token is spent even when the upload it authorised fails.
        let _ = state.store.write(|tx| {
            tx.use_token(t);
            Ok(())
        });
    }
    result
}

/// Upload parameters after validation.
struct Plan {
    params: UploadParams,
    file_name: String,
    folder: String,
    tags: Option<Vec<String>>,
}

fn plan(form: &Form) -> Result<Plan, ApiError> {
    let params =
        UploadParams::from_form_fields(form.fields.iter().map(|(k, v)| (k.as_str(), v.as_str()))).map_err(|e| {
            if e.field == "fileName" && e.reason == "missing" {
                bad("Missing fileName parameter for upload.")
            } else {
                bad(e.to_string())
            }
        })?;
    let file_name = sanitize_file_name(params.file_name.trim());
    if file_name.is_empty() {
        return Err(bad("Missing fileName parameter for upload."));
    }
    if file_name.chars().all(|c| c == '.') {
        return Err(bad("Invalid fileName."));
    }
    let tags: Option<Vec<String>> =
        params.tags.as_ref().map(|t| t.iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect());
    if let Some(t) = &tags {
        check_tags(t)?;
    }
    if let Some(c) = &params.custom_coordinates
        && !c.trim().is_empty()
    {
        check_coordinates(c)?;
    }
    for f in params.response_fields.iter().flatten() {
        if let ResponseField::Unknown(other) = f {
            return Err(bad(format!(
                "Invalid responseFields value {other:?}: allowed are tags, customCoordinates, isPrivateFile, \
                 embeddedMetadata, isPublished, customMetadata, metadata, selectedFieldsSchema."
            )));
        }
    }
    let folder = normalize_folder(params.folder.as_deref().unwrap_or("/"));
    Ok(Plan { tags, file_name, folder, params })
}

/// The file's bytes from the `file` part.
async fn file_bytes(part: FilePart, private_key: bool) -> Result<Bytes, ApiError> {
    let text = match part {
        FilePart::Binary(b) => return Ok(b),
        FilePart::Text(t) => t,
        FilePart::Spooled(tmp, _) => {
            return std::fs::read(tmp.path()).map(Bytes::from).map_err(crate::store::blob_error);
        }
    };
    let text = text.trim();
    if text.starts_with("http://") || text.starts_with("https://") {
        // A public key is in every browser: it must not make the emulator
        // fetch loopback URLs for whoever holds it.
        if !private_key {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "The emulator fetches file URLs only for uploads authenticated with the private key \
                 (HTTP Basic); send the bytes in a client-side upload.",
            ));
        }
        return crate::remote::fetch(text).await;
    }
    if let Some(rest) = text.strip_prefix("data:") {
        let (meta, data) = rest.split_once(',').ok_or_else(|| bad("Invalid data URI in the file parameter."))?;
        return if meta.split(';').any(|p| p.eq_ignore_ascii_case("base64")) {
            decode_base64(data).ok_or_else(|| bad("Invalid base64 in the data URI of the file parameter."))
        } else {
            Ok(Bytes::from(percent_encoding::percent_decode_str(data).collect::<Vec<u8>>()))
        };
    }
    decode_base64(text)
        .ok_or_else(|| bad("Invalid file parameter: send the file as a binary part, base64, a data URI or a URL."))
}

fn decode_base64(text: &str) -> Option<Bytes> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if compact.is_empty() {
        return None;
    }
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD].iter().find_map(|e| e.decode(&compact).ok()).map(Bytes::from)
}

/// `_` plus 9 random letters and digits, before the extension.
fn unique_name(name: &str) -> String {
    let suffix: String = std::iter::repeat_with(fastrand::alphanumeric).take(9).collect();
    match name.rfind('.') {
        Some(i) if i > 0 => format!("{}_{suffix}{}", &name[..i], &name[i..]),
        _ => format!("{name}_{suffix}"),
    }
}

async fn store_upload(state: &State, mut form: Form, token: Option<&str>) -> ApiResult {
    let plan = plan(&form)?;
    let part = form.file.take().ok_or_else(|| bad("Missing file parameter for upload."))?;
    let (info, duration, blob, size) = match part {
        FilePart::Spooled(tmp, size) => crate::util::blocking(|| {
            let (info, duration) = probe_file(tmp.path(), size, &plan.file_name).map_err(crate::store::blob_error)?;
            state.store.put_blob_file(tmp).map(|blob| (info, duration, blob, size))
        })?,
        part => {
            let bytes = file_bytes(part, token.is_none()).await?;
            let size = bytes.len() as u64;
            crate::util::blocking(|| {
                let (info, duration) = probe_bytes(&bytes, &plan.file_name);
                state.store.put_blob(bytes).map(|blob| (info, duration, blob, size))
            })?
        }
    };
    let probed = Probed { info: info.as_ref(), duration };
    match write_record(state, &plan, token, probed, &blob, size) {
        Ok((rec, status)) => Ok(Resp::ok(&response(state, &plan.params, &rec, status))),
        Err(e) => {
            state.store.delete_blob(&blob);
            Err(e)
        }
    }
}

/// An image's header and a media file's duration, from its bytes.
fn probe_bytes(bytes: &[u8], file_name: &str) -> (Option<ImageInfo>, Option<f64>) {
    let info = imageinfo::probe(bytes);
    let av = is_audio_or_video(&imageinfo::mime(info.as_ref(), file_name));
    let duration = if av { media::duration_secs(bytes) } else { None };
    (info, duration)
}

/// Files up to this size are probed whole, as in memory.
const PROBE_WHOLE: u64 = 16 * 1024 * 1024;
/// Of a larger file, an image's header is read from this much of its head.
const PROBE_HEAD: u64 = 1024 * 1024;

/// [`probe_bytes`] of a spooled file, reading only a bounded part of it when it
/// is large: an image's head, and a video's or audio file's duration from
/// [`media::duration_of_file`] (at most [`PROBE_WHOLE`] bytes in memory).
fn probe_file(path: &std::path::Path, size: u64, file_name: &str) -> std::io::Result<(Option<ImageInfo>, Option<f64>)> {
    if size <= PROBE_WHOLE {
        return Ok(probe_bytes(&std::fs::read(path)?, file_name));
    }
    let info = imageinfo::probe(&crate::spool::read_head(path, PROBE_HEAD)?);
    let av = is_audio_or_video(&imageinfo::mime(info.as_ref(), file_name));
    let duration = if av { media::duration_of_file(path, PROBE_WHOLE)? } else { None };
    Ok((info, duration))
}

/// What the upload's bytes said about themselves.
#[derive(Clone, Copy)]
struct Probed<'a> {
    /// An image's header.
    info: Option<&'a ImageInfo>,
    /// A video's or audio file's duration in seconds.
    duration: Option<f64>,
}

fn write_record(
    state: &State,
    plan: &Plan,
    token: Option<&str>,
    probed: Probed<'_>,
    blob: &str,
    size: u64,
) -> Result<(FileRecord, Option<imagekit_types::ExtensionStatus>), ApiError> {
    let p = &plan.params;
    let info = probed.info;
    let unique = p.use_unique_file_name.unwrap_or(true);
    state.store.write(|tx| {
        if let Some(t) = token
            && tx.db().used_tokens.contains(t)
        {
            return Err(token_reused());
        }
        let db = tx.db();
        let status = extension_status(db, p.extensions.as_deref().unwrap_or_default())?;
        let (name, path) = if unique {
            loop {
                let name = unique_name(&plan.file_name);
                let path = format!("{}{name}", plan.folder);
                if !db.paths.contains_key(&path) {
                    break (name, path);
                }
            }
        } else {
            (plan.file_name.clone(), format!("{}{}", plan.folder, plan.file_name))
        };
        let existing = if unique { None } else { db.file_at(&path).cloned() };
        if existing.is_some() && p.overwrite_file == Some(false) {
            return Err(bad("A file with this name already exists. Set overwriteFile to true to replace it."));
        }
        if let Some(old) = &existing
            && old.versions.len() + 2 > MAX_VERSIONS
        {
            return Err(bad(format!("A file can have at most {MAX_VERSIONS} versions.")));
        }
        let old = existing.as_ref().map(|r| &r.current);
        let mut custom_metadata = match (&p.custom_metadata, old) {
            (Some(values), _) => {
                values.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), v.clone())).collect()
            }
            (None, Some(old)) if p.overwrite_custom_metadata == Some(false) => old.custom_metadata.clone(),
            _ => Object::new(),
        };
        // service-facts §5: a plain upload gets the required fields' defaults.
        if p.custom_metadata.is_none() {
            crate::api::cmf::fill_required_defaults(db, &mut custom_metadata);
        }
        // Only the values sent are checked against the fields; kept values are
        // only checked for required fields.
        let sent = p.custom_metadata.clone().unwrap_or_default();
        validate_custom_metadata(db, &sent, &custom_metadata)?;
        let tags = match (&plan.tags, old) {
            (Some(t), _) => stored_tags(t.clone()),
            (None, Some(old)) if p.overwrite_tags == Some(false) => old.tags.clone(),
            _ => None,
        };
        let ai_tags = match old {
            Some(old) if p.overwrite_ai_tags == Some(false) => old.ai_tags.clone(),
            _ => None,
        };
        let now = crate::util::now_iso();
        let mut version = FileVersion {
            version_id: String::new(),
            version_name: String::new(),
            name,
            file_path: path,
            blob: blob.to_owned(),
            size,
            mime: imageinfo::mime(info, &plan.file_name),
            format: imageinfo::format(info, &plan.file_name),
            width: info.map(|i| i.width),
            height: info.map(|i| i.height),
            has_alpha: info.map(|i| i.has_alpha),
            duration: probed.duration,
            tags,
            ai_tags,
            custom_coordinates: p.custom_coordinates.clone().filter(|c| !c.trim().is_empty()),
            custom_metadata,
            embedded_metadata: Object::new(),
            description: p.description.clone(),
            is_private: p.is_private_file.unwrap_or(false),
            is_published: p.is_published.unwrap_or(true),
            created_at: now.clone(),
            updated_at: now,
        };
        let rec = match existing {
            Some(mut rec) => {
                version.version_id = crate::util::new_id();
                version.version_name = next_version_name(&rec);
                let previous = std::mem::replace(&mut rec.current, version);
                rec.versions.push(previous);
                rec
            }
            None => {
                let file_id = crate::util::new_id();
                version.version_id = file_id.clone();
                version.version_name = "Version 1".into();
                FileRecord { file_id, current: version, versions: Vec::new() }
            }
        };
        if let Some(t) = token {
            tx.use_token(t);
        }
        tx.ensure_folder(folder_key(&plan.folder));
        tx.put_file(rec.clone());
        Ok((rec, status))
    })
}

fn response(
    state: &State,
    params: &UploadParams,
    rec: &FileRecord,
    extension_status: Option<imagekit_types::ExtensionStatus>,
) -> FileUploadResponse {
    let v = &rec.current;
    let mut out = render::upload_response(state, rec);
    out.description = v.description.clone();
    out.extension_status = extension_status;
    for field in params.response_fields.iter().flatten() {
        match field {
            ResponseField::Tags => out.tags = Some(v.tags.clone()),
            ResponseField::CustomCoordinates => out.custom_coordinates = Some(v.custom_coordinates.clone()),
            ResponseField::IsPrivateFile => out.is_private_file = Some(v.is_private),
            ResponseField::IsPublished => out.is_published = Some(v.is_published),
            ResponseField::EmbeddedMetadata => out.embedded_metadata = Some(Some(v.embedded_metadata.clone())),
            ResponseField::CustomMetadata => out.custom_metadata = Some(v.custom_metadata.clone()),
            ResponseField::Metadata => out.metadata = Some(crate::api::metadata::of_version(state, v)),
            ResponseField::SelectedFieldsSchema => out.selected_fields_schema = Some(Default::default()),
            // `Unknown`, and fields a later imagekit-types names: not written.
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests;
