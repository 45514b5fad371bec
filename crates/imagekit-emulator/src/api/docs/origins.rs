//! Origins (`/v1/accounts/origins`): storage behind URL endpoints. Responses
//! drop every secret (they are not even stored) and add `id`;
//! `includeCanonicalHeader` is always present. An origin that a URL endpoint
//! uses cannot be deleted.

use imagekit_types::{OriginCommon, OriginRequest, OriginResponse, OriginType, Secret};

use super::{find, get_as, invalid, is_http_url, list_all, live, to_value};
use crate::model::Doc;
use crate::state::State;
use crate::store::Collection;
use crate::web::{ApiError, ApiResult, Req, Resp};

const C: Collection = Collection::Origins;

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("No origin found with id {id}."))
}

fn required(field: &str, value: &str) -> Result<(), ApiError> {
    if value.trim().is_empty() { Err(invalid(field, "is required")) } else { Ok(()) }
}

fn secret(field: &str, value: &Secret, iam: Option<bool>) -> Result<(), ApiError> {
    if iam == Some(true) { Ok(()) } else { required(field, value.expose()) }
}

fn url(field: &str, value: &str) -> Result<(), ApiError> {
    required(field, value)?;
    if is_http_url(value.trim()) { Ok(()) } else { Err(invalid(field, "must be an http(s) URL")) }
}

/// Validate a request and turn it into the response (without `id`).
fn response_of(req: &OriginRequest) -> Result<OriginResponse, ApiError> {
    fn base(kind: OriginType, common: &OriginCommon) -> Result<OriginResponse, ApiError> {
        required("name", &common.name)?;
        if let Some(u) = &common.base_url_for_canonical_header {
            url("baseUrlForCanonicalHeader", u)?;
        }
        let mut r = OriginResponse::default();
        r.kind = Some(kind);
        r.name = Some(common.name.trim().to_owned());
        r.include_canonical_header = Some(common.include_canonical_header.unwrap_or(false));
        r.base_url_for_canonical_header = common.base_url_for_canonical_header.clone();
        Ok(r)
    }
    let prefix = |p: &Option<String>| Some(p.clone().unwrap_or_default());
    Ok(match req {
        OriginRequest::S3(o) | OriginRequest::CloudinaryBackup(o) => {
            let kind = if matches!(req, OriginRequest::S3(_)) { OriginType::S3 } else { OriginType::CloudinaryBackup };
            required("bucket", &o.bucket)?;
            if o.use_iam_role != Some(true) {
                required("accessKey", &o.access_key)?;
            }
            secret("secretKey", &o.secret_key, o.use_iam_role)?;
            let mut r = base(kind, &o.common)?;
            r.bucket = Some(o.bucket.clone());
            r.prefix = prefix(&o.prefix);
            r.use_iam_role = Some(o.use_iam_role.unwrap_or(false));
            r
        }
        OriginRequest::S3Compatible(o) => {
            required("bucket", &o.bucket)?;
            url("endpoint", &o.endpoint)?;
            required("accessKey", &o.access_key)?;
            secret("secretKey", &o.secret_key, None)?;
            let mut r = base(OriginType::S3Compatible, &o.common)?;
            r.bucket = Some(o.bucket.clone());
            r.prefix = prefix(&o.prefix);
            r.endpoint = Some(o.endpoint.trim().to_owned());
            r.s3_force_path_style = Some(o.s3_force_path_style.unwrap_or(false));
            r
        }
        OriginRequest::WebFolder(o) => {
            url("baseUrl", &o.base_url)?;
            let mut r = base(OriginType::WebFolder, &o.common)?;
            r.base_url = Some(o.base_url.trim().to_owned());
            r.forward_host_header_to_origin = Some(o.forward_host_header_to_origin.unwrap_or(false));
            r
        }
        OriginRequest::WebProxy(o) => base(OriginType::WebProxy, &o.common)?,
        OriginRequest::Gcs(o) => {
            required("bucket", &o.bucket)?;
            required("clientEmail", &o.client_email)?;
            secret("privateKey", &o.private_key, None)?;
            let mut r = base(OriginType::Gcs, &o.common)?;
            r.bucket = Some(o.bucket.clone());
            r.prefix = prefix(&o.prefix);
            r.client_email = Some(o.client_email.clone());
            r
        }
        OriginRequest::AzureBlob(o) => {
            required("accountName", &o.account_name)?;
            required("container", &o.container)?;
            secret("sasToken", &o.sas_token, None)?;
            let mut r = base(OriginType::AzureBlob, &o.common)?;
            r.account_name = Some(o.account_name.clone());
            r.container = Some(o.container.clone());
            r.prefix = prefix(&o.prefix);
            r
        }
        OriginRequest::AkeneoPim(o) => {
            url("baseUrl", &o.base_url)?;
            required("clientId", &o.client_id)?;
            secret("clientSecret", &o.client_secret, None)?;
            required("username", &o.username)?;
            secret("password", &o.password, None)?;
            let mut r = base(OriginType::AkeneoPim, &o.common)?;
            r.base_url = Some(o.base_url.trim().to_owned());
            r
        }
        // `Unknown` (its `type` string, or "" without one), and any type a
        // later imagekit-types names.
        other => {
            let t = other.tag();
            return Err(invalid(
                "type",
                if t.is_empty() {
                    "is required".to_owned()
                } else {
                    format!(
                        "`{t}` is not one of S3, S3_COMPATIBLE, CLOUDINARY_BACKUP, WEB_FOLDER, WEB_PROXY, GCS, \
                         AZURE_BLOB, AKENEO_PIM"
                    )
                },
            ));
        }
    })
}

fn parse(req: &Req) -> Result<OriginResponse, ApiError> {
    let body: OriginRequest = req.json()?;
    response_of(&body)
}

/// `GET /v1/accounts/origins`: all origins, oldest first.
pub fn list(state: &State) -> ApiResult {
    let all: Vec<OriginResponse> = state.store.read(|db| list_all(db, C))?;
    Ok(Resp::ok(&all))
}

/// `POST /v1/accounts/origins` with an `OriginRequest` (one of 8 types).
pub fn create(state: &State, req: &Req) -> ApiResult {
    let mut origin = parse(req)?;
    origin.id = crate::util::new_id();
    state.store.write(|tx| {
        tx.put_doc(C, Doc { id: origin.id.clone(), value: to_value(&origin)?, deleted: false });
        Ok(())
    })?;
    Ok(Resp::ok(&origin))
}

/// `GET /v1/accounts/origins/{id}`; 404 when missing.
pub fn get(state: &State, id: &str) -> ApiResult {
    get_as::<OriginResponse>(state, C, id, not_found)
}

/// `PUT /v1/accounts/origins/{id}`: a full replace (the type may change).
pub fn update(state: &State, req: &Req, id: &str) -> ApiResult {
    let mut origin = parse(req)?;
    origin.id = id.to_owned();
    state.store.write(|tx| {
        find(tx.db(), C, id).ok_or_else(|| not_found(id))?;
        tx.put_doc(C, Doc { id: id.to_owned(), value: to_value(&origin)?, deleted: false });
        Ok(())
    })?;
    Ok(Resp::ok(&origin))
}

/// `DELETE /v1/accounts/origins/{id}`: 204; 404 when missing, 400 while a URL
/// endpoint uses it.
pub fn delete(state: &State, id: &str) -> ApiResult {
    state.store.write(|tx| {
        find(tx.db(), C, id).ok_or_else(|| not_found(id))?;
        let used_by = live(tx.db(), Collection::UrlEndpoints)
            .find(|d| {
                d.value
                    .get("origins")
                    .and_then(|o| o.as_array())
                    .is_some_and(|o| o.iter().any(|x| x.as_str() == Some(id)))
            })
            .map(|d| d.id.clone());
        if let Some(ep) = used_by {
            return Err(ApiError::bad_request(format!(
                "The origin {id} is used by URL endpoint {ep}; remove it from the endpoint first."
            )));
        }
        tx.remove_doc(C, id);
        Ok(())
    })?;
    Ok(Resp::no_content())
}
