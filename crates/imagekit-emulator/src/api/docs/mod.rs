//! Account-level documents: saved extensions, named transformations, origins,
//! URL endpoints and account webhooks (CRUD over [`Collection`] documents), and
//! usage reports.
//!
//! Each document's JSON is stored as the API returns it. Deletes are hard
//! deletes answering 204.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::model::Doc;
use crate::state::State;
use crate::store::{Collection, Db};
use crate::web::{ApiError, ApiResult, Resp};

pub mod named_transformations;
pub mod origins;
pub mod saved_extensions;
pub mod url_endpoints;
mod usage;
pub mod webhooks;

pub use usage::{usage, usage_analytics};

/// A model as stored JSON.
fn to_value<T: Serialize>(v: &T) -> Result<Value, ApiError> {
    serde_json::to_value(v).map_err(|e| ApiError::internal(format!("cannot store the document: {e}")))
}

/// A stored document as its model.
fn from_doc<T: DeserializeOwned>(doc: &Doc) -> Result<T, ApiError> {
    serde_json::from_value(doc.value.clone())
        .map_err(|e| ApiError::internal(format!("stored document is corrupt: {e}")))
}

/// The documents of a collection that are not deleted, in creation order.
fn live(db: &Db, c: Collection) -> impl Iterator<Item = &Doc> {
    db.docs(c).filter(|d| !d.deleted)
}

/// One document that is not deleted.
fn find<'a>(db: &'a Db, c: Collection, id: &str) -> Option<&'a Doc> {
    db.doc(c, id).filter(|d| !d.deleted)
}

/// Every live document of `c` as `T`.
fn list_all<T: DeserializeOwned>(db: &Db, c: Collection) -> Result<Vec<T>, ApiError> {
    live(db, c).map(from_doc).collect()
}

/// `GET .../{id}`: the live document `id` of `c` as `T`, or `missing(id)`.
fn get_as<T: DeserializeOwned + Serialize>(
    state: &State,
    c: Collection,
    id: &str,
    missing: fn(&str) -> ApiError,
) -> ApiResult {
    let value: T = state.store.read(|db| find(db, c, id).map(from_doc).ok_or_else(|| missing(id)))??;
    Ok(Resp::ok(&value))
}

/// `DELETE .../{id}`: remove the live document `id` of `c` (204), or `missing(id)`.
fn remove(state: &State, c: Collection, id: &str, missing: fn(&str) -> ApiError) -> ApiResult {
    state.store.write(|tx| {
        find(tx.db(), c, id).ok_or_else(|| missing(id))?;
        tx.remove_doc(c, id);
        Ok(())
    })?;
    Ok(Resp::no_content())
}

/// Whether `s` is an `http(s)://` URL with something after the scheme and no spaces.
fn is_http_url(s: &str) -> bool {
    ["http://", "https://"]
        .iter()
        .any(|scheme| s.get(..scheme.len()).is_some_and(|p| p.eq_ignore_ascii_case(scheme)) && s.len() > scheme.len())
        && !s.chars().any(char::is_whitespace)
}

/// A 400 naming the offending field in `errors`.
fn invalid(field: &str, reason: impl Into<String>) -> ApiError {
    let reason = reason.into();
    ApiError::bad_request(format!("Invalid value for {field}: {reason}."))
        .with("errors", serde_json::json!({ field: reason }))
}
