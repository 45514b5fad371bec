//! The remote side of `sync`: the custom metadata field that holds each
//! file's SHA-256, a compact index of the files under the target folder
//! (listed page by page), and bulk deletes.

use std::collections::HashMap;

use imagekit::Client;
use imagekit::types::{
    Asset, AssetSort, CreateCustomMetadataFieldRequest, FieldSchema, FieldType, ListAssetsQuery,
    ListCustomMetadataFieldsQuery,
};

use crate::error::{CliError, CliResult};

/// The custom metadata field (Text) where `sync` records the SHA-256 (hex)
/// of each file it uploads. It lives with the file, so any machine sees it.
pub const HASH_FIELD: &str = "ikSyncSha256";

/// The largest page the API serves.
const PAGE: u64 = 1000;

/// What the index keeps of one remote file: about 150 bytes, not an `Asset`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteFile {
    /// Its size in bytes.
    pub size: u64,
    /// The SHA-256 recorded by `sync`, if any.
    pub hash: Option<Box<str>>,
    /// Its id, for deletes.
    pub file_id: Box<str>,
}

/// The remote files under the target folder, by stored file path.
pub type RemoteIndex = HashMap<Box<str>, RemoteFile>;

/// Make sure the hash field exists; `Ok(false)` when it does not and
/// `create` is false (a dry run changes nothing).
pub async fn ensure_hash_field(client: &Client, create: bool, retries: u32) -> CliResult<bool> {
    let fields =
        client.custom_metadata_fields().list(ListCustomMetadataFieldsQuery::new()).max_retries(retries).await?;
    if fields.iter().any(|f| f.name == HASH_FIELD) {
        return Ok(true);
    }
    if !create {
        return Ok(false);
    }
    let request =
        CreateCustomMetadataFieldRequest::new(HASH_FIELD, "imagekit sync SHA-256", FieldSchema::new(FieldType::Text));
    match client.custom_metadata_fields().create(request).max_retries(retries).await {
        Ok(_) => Ok(true),
        Err(e) => Err(CliError::usage(format!(
            "cannot create the custom metadata field {HASH_FIELD} that sync records file hashes in: {}",
            crate::error::sdk_message(&e)
        ))),
    }
}

/// The search query that lists every file under `folder` (a stored folder,
/// `/a/b/`), sub-folders included.
pub fn search_under(folder: &str) -> String {
    let trimmed = folder.trim_end_matches('/');
    // A stored folder holds only letters, digits, `_`, `-` and `/`: nothing to escape.
    format!("path : \"{}\"", if trimmed.is_empty() { "/" } else { trimmed })
}

/// Every file under the stored folder `folder`, a page of 1000 at a time;
/// only the compact [`RemoteFile`] of each is kept. `on_page` hears the count
/// so far after each page.
pub async fn index(
    client: &Client,
    folder: &str,
    retries: u32,
    mut on_page: impl FnMut(usize),
) -> CliResult<RemoteIndex> {
    let mut index = RemoteIndex::new();
    let mut skip = 0u64;
    loop {
        let mut query = ListAssetsQuery::default().search_query(search_under(folder)).sort(AssetSort::AscCreated);
        query.limit = Some(PAGE);
        query.skip = Some(skip);
        let page = match client.assets().list(query).max_retries(retries).await {
            Ok(page) => page,
            Err(e) if e.status() == Some(http::StatusCode::NOT_FOUND) => Vec::new(),
            Err(e) => return Err(e.into()),
        };
        let full = page.len() as u64 >= PAGE;
        for asset in page {
            let Asset::File(file) = asset else { continue };
            let Some(path) = file.file_path.filter(|p| p.starts_with(folder)) else { continue };
            let hash =
                file.custom_metadata.as_ref().and_then(|m| m.get(HASH_FIELD)).and_then(|v| v.as_str()).map(Box::from);
            let entry =
                RemoteFile { size: file.size.unwrap_or(0), hash, file_id: file.file_id.unwrap_or_default().into() };
            index.insert(path.into(), entry);
        }
        on_page(index.len());
        if !full {
            return Ok(index);
        }
        skip += PAGE;
    }
}

/// Delete `files` (stored path, file id) in bulk, 100 ids a call; each with
/// `Ok` or the reason it was not deleted.
pub async fn delete(client: &Client, files: Vec<(Box<str>, Box<str>)>) -> Vec<(Box<str>, Result<(), String>)> {
    let ids: Vec<String> = files.iter().map(|(_, id)| id.to_string()).collect();
    let mut paths: HashMap<Box<str>, Box<str>> = files.into_iter().map(|(path, id)| (id, path)).collect();
    let outcome = client.files().bulk().delete_all(ids, 2).await;
    let mut results = Vec::with_capacity(paths.len());
    for id in outcome.succeeded {
        if let Some(path) = paths.remove(id.as_str()) {
            results.push((path, Ok(())));
        }
    }
    for failure in outcome.failed {
        if let Some(path) = paths.remove(failure.file_id.as_str()) {
            results.push((path, Err(failure.reason.to_string())));
        }
    }
    results.extend(paths.into_values().map(|path| (path, Err("the API did not report it".to_owned()))));
    results.sort_by(|a, b| a.0.cmp(&b.0));
    results
}

#[cfg(test)]
mod tests {
    use super::search_under;

    #[test]
    fn search_queries() {
        assert_eq!(search_under("/"), "path : \"/\"");
        assert_eq!(search_under("/a/b_c/"), "path : \"/a/b_c\"");
    }
}
