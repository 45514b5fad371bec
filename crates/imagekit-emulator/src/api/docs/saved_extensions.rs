//! Saved extensions (`/v1/saved-extensions`): at most 100 per account.

use imagekit_types::{
    CreateSavedExtensionRequest, Extension, ExtensionConfig, SavedExtension, UpdateSavedExtensionRequest,
};

use super::{find, from_doc, get_as, invalid, list_all, live, remove, to_value};
use crate::model::Doc;
use crate::state::State;
use crate::store::Collection;
use crate::web::{ApiError, ApiResult, Req, Resp};

const C: Collection = Collection::SavedExtensions;

/// Most saved extensions an account may have.
pub const MAX: usize = 100;

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("No saved extension found with id {id}."))
}

fn check_name(name: &str) -> Result<(), ApiError> {
    if name.trim().is_empty() {
        return Err(invalid("name", "is required"));
    }
    Ok(())
}

/// A configuration must be a known extension, not a saved-extension reference.
fn check_config(config: &ExtensionConfig) -> Result<(), ApiError> {
    match config {
        Extension::SavedExtension(_) => Err(invalid("config", "cannot reference another saved extension")),
        Extension::Unknown(m) => {
            let name = m.get("name").and_then(|v| v.as_str()).unwrap_or("");
            Err(invalid(
                "config",
                format!(
                    "unsupported extension `{name}`; use remove-bg, google-auto-tagging, aws-auto-tagging, \
                     ai-auto-description or ai-tasks"
                ),
            ))
        }
        _ => Ok(()),
    }
}

/// `GET /v1/saved-extensions`: every saved extension, oldest first.
pub fn list(state: &State) -> ApiResult {
    let all: Vec<SavedExtension> = state.store.read(|db| list_all(db, C))?;
    Ok(Resp::ok(&all))
}

/// `POST /v1/saved-extensions` with `name`, `description` and `config`; 400
/// past [`MAX`].
pub fn create(state: &State, req: &Req) -> ApiResult {
    let body: CreateSavedExtensionRequest = req.json()?;
    check_name(&body.name)?;
    check_config(&body.config)?;
    let ext = state.store.write(|tx| {
        if live(tx.db(), C).count() >= MAX {
            return Err(ApiError::bad_request(format!("An account can have at most {MAX} saved extensions.")));
        }
        let now = crate::util::now_iso();
        let id = crate::util::new_id();
        let mut ext = SavedExtension::default();
        ext.id = Some(id.clone());
        ext.name = Some(body.name.trim().to_owned());
        ext.description = Some(body.description.clone());
        ext.config = Some(body.config.clone());
        ext.created_at = Some(now.clone());
        ext.updated_at = Some(now);
        tx.put_doc(C, Doc { id, value: to_value(&ext)?, deleted: false });
        Ok(ext)
    })?;
    Ok(Resp::ok(&ext))
}

/// `GET /v1/saved-extensions/{id}`; 404 when missing.
pub fn get(state: &State, id: &str) -> ApiResult {
    get_as::<SavedExtension>(state, C, id, not_found)
}

/// `PATCH /v1/saved-extensions/{id}`: any of `name`, `description`, `config`.
pub fn update(state: &State, req: &Req, id: &str) -> ApiResult {
    let body: UpdateSavedExtensionRequest = req.json()?;
    if let Some(name) = &body.name {
        check_name(name)?;
    }
    if let Some(config) = &body.config {
        check_config(config)?;
    }
    let ext = state.store.write(|tx| {
        let mut ext: SavedExtension = from_doc(find(tx.db(), C, id).ok_or_else(|| not_found(id))?)?;
        if let Some(name) = &body.name {
            ext.name = Some(name.trim().to_owned());
        }
        if let Some(d) = &body.description {
            ext.description = Some(d.clone());
        }
        if let Some(config) = &body.config {
            ext.config = Some(config.clone());
        }
        ext.updated_at = Some(crate::util::now_iso());
        tx.put_doc(C, Doc { id: id.to_owned(), value: to_value(&ext)?, deleted: false });
        Ok(ext)
    })?;
    Ok(Resp::ok(&ext))
}

/// `DELETE /v1/saved-extensions/{id}`: 204; 404 when missing.
pub fn delete(state: &State, id: &str) -> ApiResult {
    remove(state, C, id, not_found)
}
