//! `imagekit api <method> '<json>'`: every SDK method by its official dotted
//! name, as listed in `imagekit::operations::OPERATIONS` (`imagekit api --list`).
//!
//! The one JSON object holds the path parameters by their API names (`fileId`,
//! `versionId`, `id`, `jobId`, `requestId`) and the request fields as the API
//! names them: the body of a POST/PUT/PATCH, the query of a GET. Bodies are the
//! `imagekit-types` request types, so fields they do not know are sent as they
//! are (forward compatible: the operations whose row says `extra_fields`);
//! methods whose SDK call takes its fields one by one (the bulk calls, folder
//! create, the asset listing, ...) and methods without a body reject fields
//! their row does not list.
//!
//! Uploads (the V1 and V2 file uploads): `file` is `@<path>` for a local file
//! (then `fileName` defaults to the file's name), an `http(s)://` URL for
//! ImageKit to fetch, or base64 / a `data:` URI; every other field is an
//! `UploadParams` field, and `tags` / `responseFields` may be a list or a
//! comma-separated string.
//!
//! The answer is the response as JSON. Methods whose response has no body
//! (the row's response is `()`: a file delete and the deletes of saved
//! extensions, named transformations, origins, URL endpoints and account
//! webhooks) answer `null`; methods whose API answers an empty object (file
//! copy, folder create, ...) answer `{}`.

use std::fmt;
use std::fmt::Write as _;

use imagekit::operations::{self as ops, Host, Location, OPERATIONS, Operation};
use imagekit::types::{
    BulkDeleteRequest, BulkRemoveAiTagsRequest, BulkTagsRequest, CreateFolderRequest, DeleteFolderRequest,
    ListAssetsQuery, ListCustomMetadataFieldsQuery, MetadataFromUrlQuery, PurgeRequest, UpdateFileRequest,
    UploadParams, UsageQuery,
};
use imagekit::{Client, UploadFile};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

/// What went wrong: usage (unknown method, bad params) or the API call itself.
#[derive(Debug)]
pub enum ApiCmdError {
    /// The method or its parameters are wrong; nothing was sent.
    Usage(String),
    /// The SDK or the API refused the call.
    Api(imagekit::Error),
}

impl fmt::Display for ApiCmdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiCmdError::Usage(m) => f.write_str(m),
            ApiCmdError::Api(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl std::error::Error for ApiCmdError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ApiCmdError::Usage(_) => None,
            ApiCmdError::Api(e) => Some(e),
        }
    }
}

type Params = Map<String, Value>;
type Out = Result<Value, ApiCmdError>;

/// Every method with its HTTP method, path, summary and parameters: the text
/// of `imagekit api --list`.
pub fn list() -> String {
    let mut out = String::new();
    for op in OPERATIONS {
        let _ = writeln!(out, "{}  {} {}", op.name, op.method, op.path);
        let _ = writeln!(out, "    {}", op.summary);
        for p in op.params {
            let required = if p.required { ", required" } else { "" };
            let _ = writeln!(out, "    {:<20} ({}{required}) {}", p.name, p.location.as_str(), p.help);
        }
        if let (true, Some(request)) = (op.extra_fields, op.request) {
            let _ = writeln!(out, "    ...                  and any other field of {request}");
        }
    }
    out
}

/// Every method as a JSON object (`imagekit api --list --json`, one a line).
pub fn list_json() -> Vec<Value> {
    let row = |op: &Operation| {
        let params: Vec<Value> = op
            .params
            .iter()
            .map(|p| json!({"name": p.name, "in": p.location.as_str(), "required": p.required, "help": p.help}))
            .collect();
        json!({
            "name": op.name, "method": op.method.as_str(), "path": op.path,
            "host": if op.host == Host::Upload { "upload" } else { "api" },
            "summary": op.summary, "request": op.request, "response": op.response,
            "extraFields": op.extra_fields, "params": params,
        })
    };
    OPERATIONS.iter().map(row).collect()
}

/// The row named `method`, or a usage error with the closest names.
pub fn operation(method: &str) -> Result<&'static Operation, ApiCmdError> {
    Operation::find(method).ok_or_else(|| unknown_method(method))
}

/// Call `method` with `params` and return the response as JSON.
pub async fn run(client: &Client, method: &str, params: Value) -> Result<Value, ApiCmdError> {
    let op = operation(method)?;
    let mut p = match params {
        Value::Object(map) => map,
        Value::Null => Map::new(),
        other => return Err(usage(format!("{method}: the parameters must be a JSON object, not {other}"))),
    };
    let prepared = path_values(op, &mut p).and_then(|ids| check_fields(op, &p).map(|()| ids));
    let result = match prepared {
        Ok(ids) => dispatch(client, op, &ids, &mut p).await,
        Err(e) => Err(e),
    };
    result.map_err(|e| match e {
        ApiCmdError::Usage(m) => usage(format!("{method}: {m}")),
        api => api,
    })
}

/// The row's path parameters, taken out of `p` in template order (at most
/// two; an absent one is empty).
fn path_values(op: &Operation, p: &mut Params) -> Result<[String; 2], ApiCmdError> {
    let mut ids: [String; 2] = Default::default();
    for (i, param) in op.params_in(Location::Path).enumerate() {
        let value = path(p, param.name)?;
        match ids.get_mut(i) {
            Some(slot) => *slot = value,
            None => return Err(usage(format!("{} has more path parameters than this CLI takes", op.name))),
        }
    }
    Ok(ids)
}

/// Unless the row's request type takes any field, every field left must be
/// one of the row's.
fn check_fields(op: &Operation, p: &Params) -> Result<(), ApiCmdError> {
    if op.extra_fields {
        return Ok(());
    }
    let known: Vec<&str> = op.params.iter().filter(|k| k.location != Location::Path).map(|k| k.name).collect();
    match p.keys().find(|k| !known.contains(&k.as_str())) {
        None => Ok(()),
        Some(k) if known.is_empty() => {
            Err(usage(format!("unknown field `{k}`: this method takes no parameters besides its path parameters")))
        }
        Some(k) => Err(usage(format!("unknown field `{k}` (expected {})", known.join(", ")))),
    }
}

/// The SDK call of each row; `ids` are its path parameters, `p` the other
/// fields, already checked against the row.
async fn dispatch(c: &Client, op: &Operation, ids: &[String; 2], p: &mut Params) -> Out {
    let (files, accounts) = (c.files(), c.accounts());
    let [a, b] = ids;
    match *op {
        ops::FILES_UPLOAD => {
            let (file, params) = upload(p)?;
            json(files.upload(file, params).await)
        }
        ops::FILES_GET => json(files.get(a).await),
        ops::FILES_UPDATE => json(files.update(a, body::<UpdateFileRequest>(p)?).await),
        ops::FILES_DELETE => json(files.delete(a).await),
        ops::FILES_COPY => json(files.copy(body(p)?).await),
        ops::FILES_MOVE => json(files.r#move(body(p)?).await),
        ops::FILES_RENAME => json(files.rename(body(p)?).await),
        ops::FILES_BULK_DELETE => json(files.bulk().delete(body::<BulkDeleteRequest>(p)?.file_ids).await),
        ops::FILES_BULK_ADD_TAGS => {
            let b: BulkTagsRequest = body(p)?;
            json(files.bulk().add_tags(b.file_ids, b.tags).await)
        }
        ops::FILES_BULK_REMOVE_TAGS => {
            let b: BulkTagsRequest = body(p)?;
            json(files.bulk().remove_tags(b.file_ids, b.tags).await)
        }
        ops::FILES_BULK_REMOVE_AI_TAGS => {
            let b: BulkRemoveAiTagsRequest = body(p)?;
            json(files.bulk().remove_ai_tags(b.file_ids, b.ai_tags).await)
        }
        ops::FILES_VERSIONS_LIST => json(files.versions().list(a).await),
        ops::FILES_VERSIONS_GET => json(files.versions().get(a, b).await),
        ops::FILES_VERSIONS_DELETE => json(files.versions().delete(a, b).await),
        ops::FILES_VERSIONS_RESTORE => json(files.versions().restore(a, b).await),
        ops::FILES_METADATA_GET => json(files.metadata().get(a).await),
        ops::FILES_METADATA_GET_FROM_URL => {
            json(files.metadata().get_from_url(body::<MetadataFromUrlQuery>(p)?.url).await)
        }
        ops::ASSETS_LIST => json(c.assets().list(body::<ListAssetsQuery>(p)?).await),
        ops::FOLDERS_CREATE => {
            let b: CreateFolderRequest = body(p)?;
            json(c.folders().create(b.folder_name, b.parent_folder_path).await)
        }
        ops::FOLDERS_DELETE => json(c.folders().delete(body::<DeleteFolderRequest>(p)?.folder_path).await),
        ops::FOLDERS_COPY => json(c.folders().copy(body(p)?).await),
        ops::FOLDERS_MOVE => json(c.folders().r#move(body(p)?).await),
        ops::FOLDERS_RENAME => json(c.folders().rename(body(p)?).await),
        ops::FOLDERS_JOB_GET => json(c.folders().job().get(a).await),
        ops::CACHE_INVALIDATION_CREATE => json(c.cache().invalidation().create(body::<PurgeRequest>(p)?.url).await),
        ops::CACHE_INVALIDATION_GET => json(c.cache().invalidation().get(a).await),
        ops::CUSTOM_METADATA_FIELDS_LIST => {
            json(c.custom_metadata_fields().list(body::<ListCustomMetadataFieldsQuery>(p)?).await)
        }
        ops::CUSTOM_METADATA_FIELDS_CREATE => json(c.custom_metadata_fields().create(body(p)?).await),
        ops::CUSTOM_METADATA_FIELDS_UPDATE => json(c.custom_metadata_fields().update(a, body(p)?).await),
        ops::CUSTOM_METADATA_FIELDS_DELETE => json(c.custom_metadata_fields().delete(a).await),
        ops::SAVED_EXTENSIONS_LIST => json(c.saved_extensions().list().await),
        ops::SAVED_EXTENSIONS_CREATE => json(c.saved_extensions().create(body(p)?).await),
        ops::SAVED_EXTENSIONS_GET => json(c.saved_extensions().get(a).await),
        ops::SAVED_EXTENSIONS_UPDATE => json(c.saved_extensions().update(a, body(p)?).await),
        ops::SAVED_EXTENSIONS_DELETE => json(c.saved_extensions().delete(a).await),
        ops::NAMED_TRANSFORMATIONS_LIST => json(c.named_transformations().list().await),
        ops::NAMED_TRANSFORMATIONS_CREATE => json(c.named_transformations().create(body(p)?).await),
        ops::NAMED_TRANSFORMATIONS_GET => json(c.named_transformations().get(a).await),
        ops::NAMED_TRANSFORMATIONS_UPDATE => json(c.named_transformations().update(a, body(p)?).await),
        ops::NAMED_TRANSFORMATIONS_DELETE => json(c.named_transformations().delete(a).await),
        ops::ACCOUNTS_USAGE_GET => {
            let q: UsageQuery = body(p)?;
            json(accounts.usage().get(q.start_date, q.end_date).await)
        }
        ops::ACCOUNTS_USAGE_ANALYTICS_GET => {
            let q: UsageQuery = body(p)?;
            json(accounts.usage_analytics().get(q.start_date, q.end_date).await)
        }
        ops::ACCOUNTS_ORIGINS_LIST => json(accounts.origins().list().await),
        ops::ACCOUNTS_ORIGINS_CREATE => json(accounts.origins().create(body(p)?).await),
        ops::ACCOUNTS_ORIGINS_GET => json(accounts.origins().get(a).await),
        ops::ACCOUNTS_ORIGINS_UPDATE => json(accounts.origins().update(a, body(p)?).await),
        ops::ACCOUNTS_ORIGINS_DELETE => json(accounts.origins().delete(a).await),
        ops::ACCOUNTS_URL_ENDPOINTS_LIST => json(accounts.url_endpoints().list().await),
        ops::ACCOUNTS_URL_ENDPOINTS_CREATE => json(accounts.url_endpoints().create(body(p)?).await),
        ops::ACCOUNTS_URL_ENDPOINTS_GET => json(accounts.url_endpoints().get(a).await),
        ops::ACCOUNTS_URL_ENDPOINTS_UPDATE => json(accounts.url_endpoints().update(a, body(p)?).await),
        ops::ACCOUNTS_URL_ENDPOINTS_DELETE => json(accounts.url_endpoints().delete(a).await),
        ops::ACCOUNTS_WEBHOOKS_LIST => json(accounts.webhooks().list().await),
        ops::ACCOUNTS_WEBHOOKS_CREATE => json(accounts.webhooks().create(body(p)?).await),
        ops::ACCOUNTS_WEBHOOKS_GET => json(accounts.webhooks().get(a).await),
        ops::ACCOUNTS_WEBHOOKS_UPDATE => json(accounts.webhooks().update(a, body(p)?).await),
        ops::ACCOUNTS_WEBHOOKS_DELETE => json(accounts.webhooks().delete(a).await),
        ops::BETA_V2_FILES_UPLOAD => {
            let (file, params) = upload(p)?;
            json(c.beta().v2().files().upload(file, params).await)
        }
        // A row a newer SDK added and this CLI does not call yet.
        _ => Err(usage(format!("{op} is not supported by this version of the CLI"))),
    }
}

/// The response as JSON (`()` becomes `null`).
fn json<T: Serialize>(result: imagekit::Result<T>) -> Out {
    let value = result.map_err(ApiCmdError::Api)?;
    serde_json::to_value(value).map_err(|e| usage(format!("cannot print the response: {e}")))
}

fn usage(message: String) -> ApiCmdError {
    ApiCmdError::Usage(message)
}

/// Take the path parameter `name`: a non-empty string.
fn path(p: &mut Params, name: &str) -> Result<String, ApiCmdError> {
    match p.remove(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        Some(other) => Err(usage(format!("path parameter `{name}` must be a non-empty string, not {other}"))),
        None => Err(usage(format!("missing path parameter `{name}` (a string)"))),
    }
}

/// Every remaining field, as the request type `T`. A type error names its field.
fn body<T: DeserializeOwned>(p: &mut Params) -> Result<T, ApiCmdError> {
    let map = std::mem::take(p);
    serde_json::from_value(Value::Object(map.clone())).map_err(|e| {
        // serde_json names a missing field but not the field of a type error:
        // find the first field that fails on its own.
        let culprit = map.iter().find_map(|(k, v)| {
            let alone = Value::Object(Map::from_iter([(k.clone(), v.clone())]));
            let err = serde_json::from_value::<T>(alone).err()?;
            (!err.to_string().starts_with("missing field")).then(|| format!("field `{k}`: {err}"))
        });
        usage(culprit.unwrap_or_else(|| e.to_string()))
    })
}

/// The file and the other fields of an upload.
fn upload(p: &mut Params) -> Result<(UploadFile, UploadParams), ApiCmdError> {
    let file = match p.remove("file") {
        Some(Value::String(s)) if !s.is_empty() => s,
        Some(other) => {
            return Err(usage(format!("field `file` must be a string (@<path>, a URL or base64), not {other}")));
        }
        None => return Err(usage("missing field `file` (@<path>, a URL or base64)".into())),
    };
    for list in ["tags", "responseFields"] {
        if let Some(Value::String(s)) = p.get(list) {
            let items = s.split(',').map(str::trim).filter(|t| !t.is_empty()).map(|t| Value::from(t.to_owned()));
            p.insert(list.into(), Value::Array(items.collect()));
        }
    }
    let file = match file.strip_prefix('@') {
        Some(local) => {
            let local = std::path::Path::new(local);
            if !p.contains_key("fileName")
                && let Some(name) = local.file_name()
            {
                p.insert("fileName".into(), name.to_string_lossy().into_owned().into());
            }
            UploadFile::path(local)
        }
        None if file.starts_with("http://") || file.starts_with("https://") => UploadFile::url(file),
        None => UploadFile::base64(file),
    };
    Ok((file, body(p)?))
}

/// An unknown method, with the closest names.
fn unknown_method(method: &str) -> ApiCmdError {
    let wanted = method.to_ascii_lowercase();
    let mut close: Vec<(usize, &str)> = OPERATIONS
        .iter()
        .map(|op| (strsim::levenshtein(&wanted, &op.name.to_ascii_lowercase()), op.name))
        .filter(|(d, m)| *d <= 3.max(wanted.len() / 4) || m.to_ascii_lowercase().ends_with(&wanted))
        .collect();
    close.sort();
    let names: Vec<&str> = close.iter().take(6).map(|(_, m)| *m).collect();
    usage(match names.as_slice() {
        [] => format!(
            "unknown method `{method}`: methods are the official SDK's dotted names \
             ({} in all; `imagekit api --list` lists them)",
            OPERATIONS.len()
        ),
        _ => format!("unknown method `{method}`; did you mean {}?", names.join(", ")),
    })
}
