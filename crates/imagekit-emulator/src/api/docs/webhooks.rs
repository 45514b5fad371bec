//! Account webhooks (`/v1/accounts/webhooks`), as the Python SDK 5.11 models
//! them: an `endpoint`, the `events` it subscribes to, `enabled`, and a signing
//! `secret` that ImageKit generates.
//!
//! - `endpoint` must be an `http` or `https` URL with a host, unique within the
//!   account: a second webhook for the same URL (scheme and host compared
//!   without case, an empty path taken as `/`) is a 409;
//! - `events` must name at least one known event type (the 15 of
//!   [`WebhookEventType::ALL`]); repeats are dropped;
//! - `enabled` defaults to true;
//! - `secret` is `whsec_` and 32 random bytes in base64, made on create and
//!   never changed (a `secret` in a request is ignored, as any unknown field);
//! - at most [`MAX_WEBHOOKS`] per account, as the official SDK documents (400).
//!
//! Errors are 400s naming the field in `errors`, 404 for an unknown id. The
//! emulator records webhooks; it does not call them.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use imagekit_types::{AccountWebhook, Secret, UpdateAccountWebhookRequest, WebhookEventType};

use super::{find, from_doc, get_as, invalid, list_all, live, remove, to_value};
use crate::model::Doc;
use crate::state::State;
use crate::store::{Collection, Db};
use crate::web::{ApiError, ApiResult, Req, Resp};

const C: Collection = Collection::Webhooks;

/// Webhooks an account can have ("You can create up to 3 webhooks per account").
pub const MAX_WEBHOOKS: usize = 3;

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("No webhook found with id {id}."))
}

/// `endpoint` trimmed, if it is an `http(s)` URL with a host; else a 400 naming it.
fn check_endpoint(raw: &str) -> Result<String, ApiError> {
    let endpoint = raw.trim();
    if endpoint.is_empty() {
        return Err(invalid("endpoint", "is required"));
    }
    let bad = || invalid("endpoint", format!("`{endpoint}` is not an http or https URL"));
    let uri: http::Uri = endpoint.parse().map_err(|_| bad())?;
    let http = uri.scheme_str().is_some_and(|s| s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https"));
    if !http || uri.host().is_none_or(str::is_empty) {
        return Err(bad());
    }
    Ok(endpoint.to_owned())
}

/// What makes two endpoints the same: scheme and authority without case, the
/// path and query as written (`/` when empty).
fn endpoint_key(endpoint: &str) -> String {
    match endpoint.parse::<http::Uri>() {
        Ok(uri) => format!(
            "{}://{}{}",
            uri.scheme_str().unwrap_or_default().to_ascii_lowercase(),
            uri.authority().map(|a| a.as_str().to_ascii_lowercase()).unwrap_or_default(),
            uri.path_and_query().map_or("/", |p| p.as_str()),
        ),
        Err(_) => endpoint.to_owned(),
    }
}

/// A 409 when another live webhook (not `except_id`) posts to `endpoint`.
fn check_unique(db: &Db, endpoint: &str, except_id: Option<&str>) -> Result<(), ApiError> {
    let key = endpoint_key(endpoint);
    let taken = live(db, C)
        .filter(|d| Some(d.id.as_str()) != except_id)
        .filter_map(|d| d.value.get("endpoint").and_then(|e| e.as_str()))
        .any(|e| endpoint_key(e) == key);
    if taken {
        return Err(ApiError::conflict(format!("A webhook with the endpoint {endpoint} already exists."))
            .with("errors", serde_json::json!({"endpoint": "must be unique across the account's webhooks"})));
    }
    Ok(())
}

/// `events` without repeats, if there is at least one and all are known.
fn check_events(events: &[WebhookEventType]) -> Result<Vec<WebhookEventType>, ApiError> {
    if let Some(WebhookEventType::Unknown(name)) = events.iter().find(|e| matches!(e, WebhookEventType::Unknown(_))) {
        let known: Vec<&str> = WebhookEventType::ALL.iter().map(WebhookEventType::as_str).collect();
        return Err(invalid(
            "events",
            format!("`{name}` is not a webhook event type; use one of {}", known.join(", ")),
        ));
    }
    if events.is_empty() {
        return Err(invalid("events", "must name at least one event type"));
    }
    let mut out: Vec<WebhookEventType> = Vec::with_capacity(events.len());
    for e in events {
        if !out.contains(e) {
            out.push(e.clone());
        }
    }
    Ok(out)
}

/// A new signing secret: `whsec_` and 32 random bytes in base64.
fn new_secret() -> Secret {
    let bytes: Vec<u8> = std::iter::repeat_with(|| fastrand::u8(..)).take(32).collect();
    Secret::new(format!("whsec_{}", STANDARD.encode(bytes)))
}

fn store(tx: &mut crate::store::Tx<'_>, hook: &AccountWebhook) -> Result<(), ApiError> {
    tx.put_doc(C, Doc { id: hook.id.clone(), value: to_value(hook)?, deleted: false });
    Ok(())
}

/// `GET /v1/accounts/webhooks`: all of them, oldest first.
pub fn list(state: &State) -> ApiResult {
    let all: Vec<AccountWebhook> = state.store.read(|db| list_all(db, C))?;
    Ok(Resp::ok(&all))
}

/// `POST /v1/accounts/webhooks` with `endpoint` and `events` (required) and
/// `enabled` (default true): the new webhook, with its `secret`.
pub fn create(state: &State, req: &Req) -> ApiResult {
    // Every field optional here, so that a missing one gets its own message.
    let body: UpdateAccountWebhookRequest = req.json()?;
    let endpoint = check_endpoint(body.endpoint.as_deref().unwrap_or_default())?;
    let events = check_events(body.events.as_deref().ok_or_else(|| invalid("events", "is required"))?)?;
    let hook = state.store.write(|tx| {
        check_unique(tx.db(), &endpoint, None)?;
        if live(tx.db(), C).count() >= MAX_WEBHOOKS {
            return Err(ApiError::bad_request(format!(
                "You can create up to {MAX_WEBHOOKS} webhooks per account; delete one first."
            )));
        }
        let now = crate::util::now_iso();
        let mut hook = AccountWebhook::default();
        hook.id = crate::util::new_id();
        hook.endpoint = endpoint.clone();
        hook.events = events.clone();
        hook.enabled = body.enabled.unwrap_or(true);
        hook.secret = new_secret();
        hook.created_at = now.clone();
        hook.updated_at = now;
        store(tx, &hook)?;
        Ok(hook)
    })?;
    Ok(Resp::ok(&hook))
}

/// `GET /v1/accounts/webhooks/{id}`; 404 when missing.
pub fn get(state: &State, id: &str) -> ApiResult {
    get_as::<AccountWebhook>(state, C, id, not_found)
}

/// `PATCH /v1/accounts/webhooks/{id}`: any of `endpoint`, `events` (replaces
/// the list) and `enabled`; the rest stays. `updatedAt` moves on.
pub fn update(state: &State, req: &Req, id: &str) -> ApiResult {
    let body: UpdateAccountWebhookRequest = req.json()?;
    let endpoint = body.endpoint.as_deref().map(check_endpoint).transpose()?;
    let events = body.events.as_deref().map(check_events).transpose()?;
    let hook = state.store.write(|tx| {
        let mut hook: AccountWebhook = from_doc(find(tx.db(), C, id).ok_or_else(|| not_found(id))?)?;
        if let Some(endpoint) = endpoint {
            check_unique(tx.db(), &endpoint, Some(id))?;
            hook.endpoint = endpoint;
        }
        if let Some(events) = events {
            hook.events = events;
        }
        if let Some(enabled) = body.enabled {
            hook.enabled = enabled;
        }
        hook.updated_at = crate::util::now_iso();
        store(tx, &hook)?;
        Ok(hook)
    })?;
    Ok(Resp::ok(&hook))
}

/// `DELETE /v1/accounts/webhooks/{id}`: 204; 404 when missing.
pub fn delete(state: &State, id: &str) -> ApiResult {
    remove(state, C, id, not_found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints() {
        for ok in ["https://example.com", "http://127.0.0.1:8080/hook?x=1", " HTTPS://Example.com/a ", "http://[::1]/h"]
        {
            assert_eq!(check_endpoint(ok).unwrap(), ok.trim());
        }
        for bad in
            ["", "  ", "example.com/hook", "ftp://example.com", "https://", "https:///path", "https://a b.com", "//x"]
        {
            assert!(check_endpoint(bad).is_err(), "{bad:?}");
        }
        assert_eq!(endpoint_key("HTTPS://Example.COM"), endpoint_key("https://example.com/"));
        assert_ne!(endpoint_key("https://example.com/A"), endpoint_key("https://example.com/a"));
        assert_ne!(endpoint_key("http://example.com/"), endpoint_key("https://example.com/"));
    }

    #[test]
    fn secrets_are_whsec_and_random() {
        let (a, b) = (new_secret(), new_secret());
        assert!(a.expose().starts_with("whsec_"), "{}", a.expose());
        assert_eq!(STANDARD.decode(&a.expose()[6..]).unwrap().len(), 32);
        assert_ne!(a, b);
    }

    #[test]
    fn events() {
        let e = check_events(&["file.created".into(), "folder.deleted".into(), "file.created".into()]).unwrap();
        assert_eq!(e, [WebhookEventType::FileCreated, WebhookEventType::FolderDeleted]);
        assert!(check_events(&[]).is_err());
        let err = check_events(&["file.created".into(), "file.exploded".into()]).unwrap_err();
        assert!(err.message.contains("`file.exploded`"), "{}", err.message);
    }
}
