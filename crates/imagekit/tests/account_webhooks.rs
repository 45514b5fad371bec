//! `client.accounts().webhooks()` (the Python SDK 5.11's `accounts.webhooks`):
//! what goes on the wire, and the whole life of a webhook against the emulator
//! over a real socket, down to verifying an event with the webhook's secret.

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::recording_client;
use hmac::{Hmac, KeyInit, Mac};
use http::{HeaderMap, StatusCode};
use imagekit::types::{CreateAccountWebhookRequest, UpdateAccountWebhookRequest, WebhookEvent, WebhookEventType};
use imagekit::{Client, Webhooks};
use imagekit_emulator::Emulator;
use imagekit_transport::test_util::{MockResponse, RecordingTransport};
use serde_json::json;
use sha2::Sha256;

/// A webhook as the Python model has it.
fn python_webhook(id: &str, enabled: bool) -> serde_json::Value {
    json!({"id": id, "endpoint": "https://hooks.example.com/ik", "events": ["file.created", "folder.deleted"],
           "enabled": enabled, "secret": "whsec_c2VjcmV0LWtleQ", "createdAt": "2026-01-01T00:00:00.000Z",
           "updatedAt": "2026-01-02T00:00:00.000Z"})
}

#[tokio::test]
async fn requests_follow_the_python_sdk() {
    let t = RecordingTransport::new();
    t.respond(MockResponse::new(200).json(&python_webhook("wh1", true)))
        .respond(MockResponse::new(200).json(&json!([python_webhook("wh1", true)])))
        .respond(MockResponse::new(200).json(&python_webhook("wh1", true)))
        .respond(MockResponse::new(200).json(&python_webhook("wh1", false)))
        .respond(MockResponse::new(204));
    let client = recording_client(&t);
    let hooks = client.accounts().webhooks();
    let created = hooks
        .create(CreateAccountWebhookRequest::new(
            "https://hooks.example.com/ik",
            [WebhookEventType::FileCreated, WebhookEventType::FolderDeleted],
        ))
        .await
        .unwrap();
    assert_eq!(created.id, "wh1");
    assert_eq!(created.secret.expose(), "whsec_c2VjcmV0LWtleQ");
    assert_eq!(hooks.list().await.unwrap()[0].events, [WebhookEventType::FileCreated, WebhookEventType::FolderDeleted]);
    hooks.get("wh1").await.unwrap();
    let updated = hooks.update("wh1", UpdateAccountWebhookRequest::new().enabled(false)).await.unwrap();
    assert!(!updated.enabled);
    hooks.delete("wh1").await.unwrap();

    let reqs = t.requests();
    let seen: Vec<String> = reqs.iter().map(|r| format!("{} {}", r.method, r.uri.path())).collect();
    assert_eq!(
        seen,
        [
            "POST /v1/accounts/webhooks",
            "GET /v1/accounts/webhooks",
            "GET /v1/accounts/webhooks/wh1",
            "PATCH /v1/accounts/webhooks/wh1",
            "DELETE /v1/accounts/webhooks/wh1",
        ]
    );
    // `WebhookCreateParams` and `WebhookUpdateParams`: only what was set.
    assert_eq!(
        reqs[0].body_json().unwrap(),
        json!({"endpoint": "https://hooks.example.com/ik", "events": ["file.created", "folder.deleted"]})
    );
    assert_eq!(reqs[3].body_json().unwrap(), json!({"enabled": false}));
    // A bad id never leaves the machine.
    assert!(hooks.get("").await.is_err());
    assert!(hooks.update("..", UpdateAccountWebhookRequest::new()).await.is_err());
    assert_eq!(t.request_count(), 5);
}

#[tokio::test]
async fn a_webhook_through_the_emulator() {
    let emu = Emulator::builder().start().await.unwrap();
    let client = Client::builder()
        .private_key(emu.private_key())
        .public_key(emu.public_key())
        .base_url(emu.base_url())
        .url_endpoint(emu.url_endpoint())
        .max_retries(0)
        .build()
        .unwrap();
    let hooks = client.accounts().webhooks();
    assert!(hooks.list().await.unwrap().is_empty());

    // Create: the emulator generates the signing secret.
    let hook = hooks
        .create(CreateAccountWebhookRequest::new(
            "https://hooks.example.com/imagekit",
            [WebhookEventType::FileCreated, WebhookEventType::FolderCreated],
        ))
        .await
        .unwrap();
    assert_eq!(hook.endpoint, "https://hooks.example.com/imagekit");
    assert_eq!(hook.events, [WebhookEventType::FileCreated, WebhookEventType::FolderCreated]);
    assert!(hook.enabled);
    assert!(hook.secret.expose().starts_with("whsec_"), "a whsec_ secret");
    assert!(hook.extra.is_empty(), "every field is modelled: {:?}", hook.extra);
    let secret = hook.secret.expose().to_owned();
    assert!(!format!("{hook:?}").contains(&secret), "the secret stays out of Debug");

    // Without an endpoint, or a second one for the same URL: typed errors.
    let err = hooks.create(CreateAccountWebhookRequest::new("", [WebhookEventType::FileCreated])).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::BAD_REQUEST), "{err}");
    assert!(err.to_string().contains("endpoint"), "{err}");
    let dup = CreateAccountWebhookRequest::new("https://HOOKS.example.com/imagekit", [WebhookEventType::FileDeleted]);
    let err = hooks.create(dup).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::CONFLICT), "{err}");
    let err =
        hooks.create(CreateAccountWebhookRequest::new("https://x.example.com", ["file.exploded"])).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::BAD_REQUEST), "{err}");
    assert!(!err.to_string().contains(&secret));

    // Update: only what is set changes; the secret never does.
    let update = UpdateAccountWebhookRequest::new().enabled(false).events([WebhookEventType::FolderDeleted]);
    let updated = hooks.update(&hook.id, update).await.unwrap();
    assert!(!updated.enabled);
    assert_eq!(updated.events, [WebhookEventType::FolderDeleted]);
    assert_eq!(
        (updated.endpoint.as_str(), updated.created_at.as_str()),
        (hook.endpoint.as_str(), hook.created_at.as_str())
    );
    assert_eq!(updated.secret, hook.secret);
    assert_eq!(hooks.get(&hook.id).await.unwrap(), updated);
    let list = hooks.list().await.unwrap();
    assert_eq!(list, std::slice::from_ref(&updated));
    assert!(!format!("{list:?}").contains(&secret));

    // The secret verifies what ImageKit would post to the endpoint. The
    // signature is computed here by hand: HMAC-SHA256 keyed with the whole
    // secret string, over "{id}.{timestamp}.{body}".
    let body =
        br#"{"type":"folder.deleted","id":"evt_1","created_at":"2026-01-01T00:00:00.000Z","data":{"folderId":"d1"}}"#;
    let now = 1_767_225_600;
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("evt_1.{now}.").as_bytes());
    mac.update(body);
    let mut headers = HeaderMap::new();
    headers.insert("webhook-id", "evt_1".parse().unwrap());
    headers.insert("webhook-timestamp", now.to_string().parse().unwrap());
    headers
        .insert("webhook-signature", format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes())).parse().unwrap());
    let event = Webhooks::from_account_webhook(&updated).verify_and_parse_at(body, &headers, now).unwrap();
    let WebhookEvent::FolderDeleted(e) = &event else { panic!("{event:?}") };
    assert_eq!(e.data.folder_id, "d1");
    assert_eq!(event.event_type(), WebhookEventType::FolderDeleted);
    // Another webhook's secret does not.
    assert!(Webhooks::new("whsec_other").verify_and_parse_at(body, &headers, now).is_err());

    // Delete: gone afterwards.
    hooks.delete(&hook.id).await.unwrap();
    let err = hooks.get(&hook.id).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND), "{err}");
    assert!(hooks.list().await.unwrap().is_empty());
    emu.shutdown().await;
}
