//! Named transformations (`/v1/named-transformations`): names of
//! `[A-Za-z0-9_]`, unique (409 on a duplicate), at most 250 per account.

use imagekit_types::{CreateNamedTransformationRequest, NamedTransformation, UpdateNamedTransformationRequest};

use super::{find, from_doc, get_as, invalid, list_all, live, remove, to_value};
use crate::model::Doc;
use crate::state::State;
use crate::store::{Collection, Db};
use crate::web::{ApiError, ApiResult, Req, Resp};

const C: Collection = Collection::NamedTransformations;

/// Most named transformations an account may have.
pub const MAX: usize = 250;

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("No named transformation found with id {id}."))
}

fn check_name(name: &str) -> Result<(), ApiError> {
    if name.is_empty() {
        return Err(invalid("name", "is required"));
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(invalid("name", format!("`{name}` may contain only letters, digits and `_`")));
    }
    Ok(())
}

fn check_transformation(t: &str) -> Result<(), ApiError> {
    if t.trim().is_empty() {
        return Err(invalid("transformation", "is required"));
    }
    if t.chars().any(char::is_whitespace) {
        return Err(invalid("transformation", "must not contain spaces"));
    }
    Ok(())
}

fn check_unique(db: &Db, name: &str, except: Option<&str>) -> Result<(), ApiError> {
    let taken = live(db, C)
        .filter(|d| Some(d.id.as_str()) != except)
        .any(|d| d.value.get("name").and_then(|v| v.as_str()) == Some(name));
    if taken {
        return Err(ApiError::conflict(format!("A named transformation called {name} already exists.")));
    }
    Ok(())
}

/// `GET /v1/named-transformations`: all of them, oldest first.
pub fn list(state: &State) -> ApiResult {
    let all: Vec<NamedTransformation> = state.store.read(|db| list_all(db, C))?;
    Ok(Resp::ok(&all))
}

/// `POST /v1/named-transformations` with `name`, `transformation`, `enabled`
/// (default true); 409 when the name is taken, 400 past [`MAX`].
pub fn create(state: &State, req: &Req) -> ApiResult {
    let body: CreateNamedTransformationRequest = req.json()?;
    check_name(&body.name)?;
    check_transformation(&body.transformation)?;
    let nt = state.store.write(|tx| {
        check_unique(tx.db(), &body.name, None)?;
        if live(tx.db(), C).count() >= MAX {
            return Err(ApiError::bad_request(format!("An account can have at most {MAX} named transformations.")));
        }
        let mut nt = NamedTransformation::default();
        nt.id = Some(crate::util::new_id());
        nt.name = body.name.clone();
        nt.transformation = body.transformation.trim().to_owned();
        nt.enabled = Some(body.enabled.unwrap_or(true));
        nt.created_at = Some(crate::util::now_iso());
        let id = nt.id.clone().unwrap_or_default();
        tx.put_doc(C, Doc { id, value: to_value(&nt)?, deleted: false });
        Ok(nt)
    })?;
    Ok(Resp::ok(&nt))
}

/// `GET /v1/named-transformations/{id}`; 404 when missing.
pub fn get(state: &State, id: &str) -> ApiResult {
    get_as::<NamedTransformation>(state, C, id, not_found)
}

/// `PATCH /v1/named-transformations/{id}`: any of `name` (409 when taken),
/// `transformation`, `enabled`.
pub fn update(state: &State, req: &Req, id: &str) -> ApiResult {
    let body: UpdateNamedTransformationRequest = req.json()?;
    if let Some(name) = &body.name {
        check_name(name)?;
    }
    if let Some(t) = &body.transformation {
        check_transformation(t)?;
    }
    let nt = state.store.write(|tx| {
        let mut nt: NamedTransformation = from_doc(find(tx.db(), C, id).ok_or_else(|| not_found(id))?)?;
        if let Some(name) = &body.name {
            check_unique(tx.db(), name, Some(id))?;
            nt.name = name.clone();
        }
        if let Some(t) = &body.transformation {
            nt.transformation = t.trim().to_owned();
        }
        if let Some(enabled) = body.enabled {
            nt.enabled = Some(enabled);
        }
        tx.put_doc(C, Doc { id: id.to_owned(), value: to_value(&nt)?, deleted: false });
        Ok(nt)
    })?;
    Ok(Resp::ok(&nt))
}

/// `DELETE /v1/named-transformations/{id}`: 204; 404 when missing.
pub fn delete(state: &State, id: &str) -> ApiResult {
    remove(state, C, id, not_found)
}
