//! `imagekit api <method> '<json>'`: every SDK method by its official dotted name.
//!
//! The one JSON object holds the path parameters by their API names (`fileId`,
//! `versionId`, `id`, `jobId`, `requestId`) and the request fields as the API
//! names them: the body of a POST/PUT/PATCH, the query of a GET. Bodies are the
//! `imagekit-types` request types, so fields they do not know are sent as they
//! are (forward compatible); methods whose SDK call takes its fields one by one
//! (`files.bulk.*`, `folders.create`, `assets.list`, ...) and methods without a
//! body reject fields they do not take.
//!
//! Uploads (`files.upload`, `beta.v2.files.upload`): `file` is `@<path>` for a
//! local file (then `fileName` defaults to the file's name), an `http(s)://` URL
//! for ImageKit to fetch, or base64 / a `data:` URI; every other field is an
//! `UploadParams` field, and `tags` / `responseFields` may be a list or a
//! comma-separated string.
//!
//! The answer is the response as JSON. Methods whose response has no body
//! (`files.delete` and the `delete` of saved extensions, named transformations,
//! origins, URL endpoints and account webhooks) answer `null`; methods whose
//! API answers an empty object (`files.copy`, `folders.create`, ...) answer `{}`.

use std::fmt;

use imagekit::types::{
    BulkDeleteRequest, BulkRemoveAiTagsRequest, BulkTagsRequest, CreateFolderRequest, DeleteFolderRequest,
    ListAssetsQuery, ListCustomMetadataFieldsQuery, MetadataFromUrlQuery, PurgeRequest, UpdateFileRequest,
    UploadParams, UsageQuery,
};
use imagekit::{Client, UploadFile};
use serde::Serialize;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::{Map, Value};

/// Every method name `run` accepts, in the README's order.
pub const METHODS: &[&str] = &[
    "files.upload",
    "files.get",
    "files.update",
    "files.delete",
    "files.copy",
    "files.move",
    "files.rename",
    "files.bulk.delete",
    "files.bulk.addTags",
    "files.bulk.removeTags",
    "files.bulk.removeAITags",
    "files.versions.list",
    "files.versions.get",
    "files.versions.delete",
    "files.versions.restore",
    "files.metadata.get",
    "files.metadata.getFromURL",
    "assets.list",
    "folders.create",
    "folders.delete",
    "folders.copy",
    "folders.move",
    "folders.rename",
    "folders.job.get",
    "cache.invalidation.create",
    "cache.invalidation.get",
    "customMetadataFields.list",
    "customMetadataFields.create",
    "customMetadataFields.update",
    "customMetadataFields.delete",
    "savedExtensions.list",
    "savedExtensions.create",
    "savedExtensions.get",
    "savedExtensions.update",
    "savedExtensions.delete",
    "namedTransformations.list",
    "namedTransformations.create",
    "namedTransformations.get",
    "namedTransformations.update",
    "namedTransformations.delete",
    "accounts.usage.get",
    "accounts.usageAnalytics.get",
    "accounts.origins.list",
    "accounts.origins.create",
    "accounts.origins.get",
    "accounts.origins.update",
    "accounts.origins.delete",
    "accounts.urlEndpoints.list",
    "accounts.urlEndpoints.create",
    "accounts.urlEndpoints.get",
    "accounts.urlEndpoints.update",
    "accounts.urlEndpoints.delete",
    "accounts.webhooks.list",
    "accounts.webhooks.create",
    "accounts.webhooks.get",
    "accounts.webhooks.update",
    "accounts.webhooks.delete",
    "beta.v2.files.upload",
];

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

/// Call `method` with `params` and return the response as JSON.
pub async fn run(client: &Client, method: &str, params: Value) -> Result<Value, ApiCmdError> {
    if !METHODS.contains(&method) {
        return Err(unknown_method(method));
    }
    let mut p = match params {
        Value::Object(map) => map,
        Value::Null => Map::new(),
        other => return Err(usage(format!("{method}: the parameters must be a JSON object, not {other}"))),
    };
    dispatch(client, method, &mut p).await.map_err(|e| match e {
        ApiCmdError::Usage(m) => usage(format!("{method}: {m}")),
        api => api,
    })
}

async fn dispatch(c: &Client, method: &str, p: &mut Params) -> Out {
    let (files, accounts) = (c.files(), c.accounts());
    match method {
        "files.upload" => {
            let (file, params) = upload(p)?;
            json(files.upload(file, params).await)
        }
        "files.get" => json(files.get(&only(p, "fileId")?).await),
        "files.update" => json(files.update(&path(p, "fileId")?, body::<UpdateFileRequest>(p)?).await),
        "files.delete" => json(files.delete(&only(p, "fileId")?).await),
        "files.copy" => json(files.copy(body(p)?).await),
        "files.move" => json(files.r#move(body(p)?).await),
        "files.rename" => json(files.rename(body(p)?).await),
        "files.bulk.delete" => {
            let b: BulkDeleteRequest = args(p, &["fileIds"])?;
            json(files.bulk().delete(b.file_ids).await)
        }
        "files.bulk.addTags" => {
            let b: BulkTagsRequest = args(p, &["fileIds", "tags"])?;
            json(files.bulk().add_tags(b.file_ids, b.tags).await)
        }
        "files.bulk.removeTags" => {
            let b: BulkTagsRequest = args(p, &["fileIds", "tags"])?;
            json(files.bulk().remove_tags(b.file_ids, b.tags).await)
        }
        "files.bulk.removeAITags" => {
            let b: BulkRemoveAiTagsRequest = args(p, &["fileIds", "AITags"])?;
            json(files.bulk().remove_ai_tags(b.file_ids, b.ai_tags).await)
        }
        "files.versions.list" => json(files.versions().list(&only(p, "fileId")?).await),
        "files.versions.get" => json(files.versions().get(&path(p, "fileId")?, &only(p, "versionId")?).await),
        "files.versions.delete" => json(files.versions().delete(&path(p, "fileId")?, &only(p, "versionId")?).await),
        "files.versions.restore" => json(files.versions().restore(&path(p, "fileId")?, &only(p, "versionId")?).await),
        "files.metadata.get" => json(files.metadata().get(&only(p, "fileId")?).await),
        "files.metadata.getFromURL" => {
            json(files.metadata().get_from_url(args::<MetadataFromUrlQuery>(p, &["url"])?.url).await)
        }
        "assets.list" => {
            let fields = ["type", "sort", "path", "searchQuery", "fileType", "limit", "skip"];
            json(c.assets().list(args::<ListAssetsQuery>(p, &fields)?).await)
        }
        "folders.create" => {
            let b: CreateFolderRequest = args(p, &["folderName", "parentFolderPath"])?;
            json(c.folders().create(b.folder_name, b.parent_folder_path).await)
        }
        "folders.delete" => {
            json(c.folders().delete(args::<DeleteFolderRequest>(p, &["folderPath"])?.folder_path).await)
        }
        "folders.copy" => json(c.folders().copy(body(p)?).await),
        "folders.move" => json(c.folders().r#move(body(p)?).await),
        "folders.rename" => json(c.folders().rename(body(p)?).await),
        "folders.job.get" => json(c.folders().job().get(&only(p, "jobId")?).await),
        "cache.invalidation.create" => {
            json(c.cache().invalidation().create(args::<PurgeRequest>(p, &["url"])?.url).await)
        }
        "cache.invalidation.get" => json(c.cache().invalidation().get(&only(p, "requestId")?).await),
        "customMetadataFields.list" => {
            let q: ListCustomMetadataFieldsQuery = args(p, &["folderPath", "includeDeleted"])?;
            json(c.custom_metadata_fields().list(q).await)
        }
        "customMetadataFields.create" => json(c.custom_metadata_fields().create(body(p)?).await),
        "customMetadataFields.update" => json(c.custom_metadata_fields().update(&path(p, "id")?, body(p)?).await),
        "customMetadataFields.delete" => json(c.custom_metadata_fields().delete(&only(p, "id")?).await),
        "savedExtensions.list" => {
            none(p)?;
            json(c.saved_extensions().list().await)
        }
        "savedExtensions.create" => json(c.saved_extensions().create(body(p)?).await),
        "savedExtensions.get" => json(c.saved_extensions().get(&only(p, "id")?).await),
        "savedExtensions.update" => json(c.saved_extensions().update(&path(p, "id")?, body(p)?).await),
        "savedExtensions.delete" => json(c.saved_extensions().delete(&only(p, "id")?).await),
        "namedTransformations.list" => {
            none(p)?;
            json(c.named_transformations().list().await)
        }
        "namedTransformations.create" => json(c.named_transformations().create(body(p)?).await),
        "namedTransformations.get" => json(c.named_transformations().get(&only(p, "id")?).await),
        "namedTransformations.update" => json(c.named_transformations().update(&path(p, "id")?, body(p)?).await),
        "namedTransformations.delete" => json(c.named_transformations().delete(&only(p, "id")?).await),
        "accounts.usage.get" => {
            let q: UsageQuery = args(p, &["startDate", "endDate"])?;
            json(accounts.usage().get(q.start_date, q.end_date).await)
        }
        "accounts.usageAnalytics.get" => {
            let q: UsageQuery = args(p, &["startDate", "endDate"])?;
            json(accounts.usage_analytics().get(q.start_date, q.end_date).await)
        }
        "accounts.origins.list" => {
            none(p)?;
            json(accounts.origins().list().await)
        }
        "accounts.origins.create" => json(accounts.origins().create(body(p)?).await),
        "accounts.origins.get" => json(accounts.origins().get(&only(p, "id")?).await),
        "accounts.origins.update" => json(accounts.origins().update(&path(p, "id")?, body(p)?).await),
        "accounts.origins.delete" => json(accounts.origins().delete(&only(p, "id")?).await),
        "accounts.urlEndpoints.list" => {
            none(p)?;
            json(accounts.url_endpoints().list().await)
        }
        "accounts.urlEndpoints.create" => json(accounts.url_endpoints().create(body(p)?).await),
        "accounts.urlEndpoints.get" => json(accounts.url_endpoints().get(&only(p, "id")?).await),
        "accounts.urlEndpoints.update" => json(accounts.url_endpoints().update(&path(p, "id")?, body(p)?).await),
        "accounts.urlEndpoints.delete" => json(accounts.url_endpoints().delete(&only(p, "id")?).await),
        "accounts.webhooks.list" => {
            none(p)?;
            json(accounts.webhooks().list().await)
        }
        "accounts.webhooks.create" => json(accounts.webhooks().create(body(p)?).await),
        "accounts.webhooks.get" => json(accounts.webhooks().get(&only(p, "id")?).await),
        "accounts.webhooks.update" => json(accounts.webhooks().update(&path(p, "id")?, body(p)?).await),
        "accounts.webhooks.delete" => json(accounts.webhooks().delete(&only(p, "id")?).await),
        "beta.v2.files.upload" => {
            let (file, params) = upload(p)?;
            json(c.beta().v2().files().upload(file, params).await)
        }
        _ => Err(unknown_method(method)),
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

/// Take the last path parameter `name` of a call without a body: no other
/// field may remain.
fn only(p: &mut Params, name: &str) -> Result<String, ApiCmdError> {
    let value = path(p, name)?;
    none(p)?;
    Ok(value)
}

/// No (more) fields: the call takes none.
fn none(p: &mut Params) -> Result<(), ApiCmdError> {
    args::<IgnoredAny>(p, &[]).map(drop)
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

/// Like [`body`], for a call that takes only the fields `known`: any other
/// field is an error rather than silently dropped.
fn args<T: DeserializeOwned>(p: &mut Params, known: &[&str]) -> Result<T, ApiCmdError> {
    if let Some(k) = p.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(usage(match known {
            [] => format!("unknown field `{k}`: this method takes no parameters besides its path parameters"),
            _ => format!("unknown field `{k}` (expected {})", known.join(", ")),
        }));
    }
    body(p)
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
    let mut close: Vec<(usize, &str)> = METHODS
        .iter()
        .map(|m| (edit_distance(&wanted, &m.to_ascii_lowercase()), *m))
        .filter(|(d, m)| *d <= 3.max(wanted.len() / 4) || m.to_ascii_lowercase().ends_with(&wanted))
        .collect();
    close.sort();
    let names: Vec<&str> = close.iter().take(6).map(|(_, m)| *m).collect();
    usage(match names.as_slice() {
        [] => format!(
            "unknown method `{method}`: methods are the official SDK's dotted names, \
             e.g. files.get, files.upload, assets.list ({} in all)",
            METHODS.len()
        ),
        _ => format!("unknown method `{method}`; did you mean {}?", names.join(", ")),
    })
}

/// Levenshtein distance.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (row[j + 1] + 1).min(row[j] + 1).min(diag + usize::from(ca != *cb));
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}
