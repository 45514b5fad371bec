//! Account webhook endpoints (`/v1/accounts/webhooks`): `url`, `events`,
//! `description`, `enabled` and `id`. The emulator records them; it does not
//! call them.

use imagekit_types::{AccountWebhook, AccountWebhookRequest, Object};

use super::{find, from_doc, get_as, invalid, is_http_url, list_all, remove, to_value};
use crate::model::Doc;
use crate::state::State;
use crate::store::Collection;
use crate::web::{ApiError, ApiResult, Req, Resp};

const C: Collection = Collection::Webhooks;

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("No webhook found with id {id}."))
}

fn check(body: &AccountWebhookRequest) -> Result<(), ApiError> {
    if let Some(url) = &body.url
        && !is_http_url(url.trim())
    {
        return Err(invalid("url", "must be an http(s) URL"));
    }
    if let Some(events) = &body.events
        && events.iter().any(|e| e.trim().is_empty())
    {
        return Err(invalid("events", "must not contain empty event names"));
    }
    Ok(())
}

/// `GET /v1/accounts/webhooks`: all of them, oldest first.
pub fn list(state: &State) -> ApiResult {
    let all: Vec<AccountWebhook> = state.store.read(|db| list_all(db, C))?;
    Ok(Resp::ok(&all))
}

/// `POST /v1/accounts/webhooks` with `url` (required), `events` (default
/// none), `description`, `enabled` (default true).
pub fn create(state: &State, req: &Req) -> ApiResult {
    let body: AccountWebhookRequest = req.json()?;
    if body.url.as_deref().is_none_or(|u| u.trim().is_empty()) {
        return Err(invalid("url", "is required"));
    }
    check(&body)?;
    let hook = AccountWebhook {
        id: Some(crate::util::new_id()),
        url: body.url.as_ref().map(|u| u.trim().to_owned()),
        events: Some(body.events.clone().unwrap_or_default()),
        description: body.description.clone(),
        enabled: Some(body.enabled.unwrap_or(true)),
        extra: Object::new(),
    };
    state.store.write(|tx| {
        tx.put_doc(C, Doc { id: hook.id.clone().unwrap_or_default(), value: to_value(&hook)?, deleted: false });
        Ok(())
    })?;
    Ok(Resp::ok(&hook))
}

/// `GET /v1/accounts/webhooks/{id}`; 404 when missing.
pub fn get(state: &State, id: &str) -> ApiResult {
    get_as::<AccountWebhook>(state, C, id, not_found)
}

/// `PATCH /v1/accounts/webhooks/{id}`: any of `url`, `events`, `description`,
/// `enabled`.
pub fn update(state: &State, req: &Req, id: &str) -> ApiResult {
    let body: AccountWebhookRequest = req.json()?;
    check(&body)?;
    let hook = state.store.write(|tx| {
        let mut hook: AccountWebhook = from_doc(find(tx.db(), C, id).ok_or_else(|| not_found(id))?)?;
        if let Some(url) = &body.url {
            hook.url = Some(url.trim().to_owned());
        }
        if let Some(events) = &body.events {
            hook.events = Some(events.clone());
        }
        if let Some(d) = &body.description {
            hook.description = Some(d.clone());
        }
        if let Some(enabled) = body.enabled {
            hook.enabled = Some(enabled);
        }
        tx.put_doc(C, Doc { id: id.to_owned(), value: to_value(&hook)?, deleted: false });
        Ok(hook)
    })?;
    Ok(Resp::ok(&hook))
}

/// `DELETE /v1/accounts/webhooks/{id}`: 204; 404 when missing.
pub fn delete(state: &State, id: &str) -> ApiResult {
    remove(state, C, id, not_found)
}
