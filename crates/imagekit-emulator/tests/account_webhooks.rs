//! Account webhooks (`/v1/accounts/webhooks`) as the Python SDK 5.11 models
//! them: create, get, list, update and delete over raw HTTP, in-process, with
//! the validation the official docs describe (http/https `endpoint` unique in
//! the account, known `events`, a generated `whsec_` secret, at most 3).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::{Method, StatusCode};
use imagekit_emulator::{DEFAULT_PRIVATE_KEY, Emulator, InProcess};
use imagekit_transport::{Body, HttpClient};
use imagekit_types::{AccountWebhook, WebhookEventType};
use serde_json::{Value, json};

const ORIGIN: &str = "http://emu.local";
const HOOKS: &str = "/v1/accounts/webhooks";

fn emulator() -> InProcess {
    Emulator::builder().in_process(ORIGIN).unwrap()
}

async fn api(client: &InProcess, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let auth = format!("Basic {}", STANDARD.encode(format!("{DEFAULT_PRIVATE_KEY}:")));
    let mut req = http::Request::builder().method(method).uri(format!("{ORIGIN}{path}")).header("authorization", auth);
    let bytes = match body {
        Some(b) => {
            req = req.header("content-type", "application/json");
            serde_json::to_vec(&b).unwrap()
        }
        None => Vec::new(),
    };
    let resp = client.send(req.body(Body::from(bytes)).unwrap()).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap();
    let value = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap() };
    (status, value)
}

async fn create(client: &InProcess, body: Value) -> (StatusCode, Value) {
    api(client, Method::POST, HOOKS, Some(body)).await
}

/// Create a webhook that must succeed; its JSON.
async fn created(client: &InProcess, body: Value) -> Value {
    let (status, hook) = create(client, body).await;
    assert_eq!(status, StatusCode::OK, "{hook}");
    hook
}

/// An ImageKit error with `status` whose `errors` names `field` (when given).
#[track_caller]
fn assert_error(status: StatusCode, body: &Value, expected: u16, field: Option<&str>) {
    assert_eq!(status.as_u16(), expected, "{body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    assert_eq!(body["help"], "For support kindly contact us at support@imagekit.io .", "{body}");
    if let Some(field) = field {
        assert!(body["errors"][field].is_string(), "errors does not name {field}: {body}");
    }
}

#[tokio::test]
async fn create_answers_the_python_webhook_with_a_new_secret() {
    let client = emulator();
    let hook = created(
        &client,
        json!({"endpoint": "https://hooks.example.com/ik", "events": ["file.created", "folder.deleted"]}),
    )
    .await;
    // Exactly the fields of the Python `Webhook` model.
    let mut keys: Vec<&str> = hook.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["createdAt", "enabled", "endpoint", "events", "id", "secret", "updatedAt"]);
    assert_eq!(hook["endpoint"], "https://hooks.example.com/ik");
    assert_eq!(hook["events"], json!(["file.created", "folder.deleted"]));
    assert_eq!(hook["enabled"], true, "enabled by default");
    assert_eq!(hook["createdAt"], hook["updatedAt"]);
    let created_at = hook["createdAt"].as_str().unwrap();
    assert_eq!(created_at.len(), "2026-01-01T00:00:00.000Z".len(), "{created_at}");
    assert!(created_at.ends_with('Z') && created_at.as_bytes()[10] == b'T', "{created_at}");

    // `whsec_` and 32 random bytes in base64, different for every webhook.
    let secret = hook["secret"].as_str().unwrap();
    let raw = STANDARD.decode(secret.strip_prefix("whsec_").expect(secret)).unwrap();
    assert_eq!(raw.len(), 32);
    let other = created(
        &client,
        json!({"endpoint": "https://hooks.example.com/other", "events": ["file.deleted"], "enabled": false}),
    )
    .await;
    assert_eq!(other["enabled"], false);
    assert_ne!(other["secret"], hook["secret"]);
    assert_ne!(other["id"], hook["id"]);

    // The shared model reads it, and keeps the secret out of Debug.
    let typed: AccountWebhook = serde_json::from_value(hook.clone()).unwrap();
    assert_eq!(typed.events, [WebhookEventType::FileCreated, WebhookEventType::FolderDeleted]);
    assert_eq!(typed.secret.expose(), secret);
    assert!(!format!("{typed:?}").contains(secret));
    assert!(typed.extra.is_empty(), "{:?}", typed.extra);

    // Repeated events are kept once; every known type is accepted.
    let all: Vec<&str> = WebhookEventType::ALL.iter().map(WebhookEventType::as_str).collect();
    let mut doubled = all.clone();
    doubled.extend(&all);
    let (status, body) = create(&client, json!({"endpoint": "http://localhost:9000/all", "events": doubled})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["events"], json!(all));
}

#[tokio::test]
async fn create_without_or_with_a_bad_endpoint_or_events() {
    let client = emulator();
    let events = json!(["file.created"]);
    for (body, field) in [
        (json!({"events": events}), "endpoint"),
        (json!({"endpoint": null, "events": events}), "endpoint"),
        (json!({"endpoint": "", "events": events}), "endpoint"),
        (json!({"endpoint": "   ", "events": events}), "endpoint"),
        (json!({"endpoint": "hooks.example.com/ik", "events": events}), "endpoint"),
        (json!({"endpoint": "ftp://hooks.example.com/ik", "events": events}), "endpoint"),
        (json!({"endpoint": "https://", "events": events}), "endpoint"),
        (json!({"endpoint": "https://exa mple.com/", "events": events}), "endpoint"),
        (json!({"endpoint": "https://hooks.example.com/ik"}), "events"),
        (json!({"endpoint": "https://hooks.example.com/ik", "events": []}), "events"),
        (json!({"endpoint": "https://hooks.example.com/ik", "events": ["file.created", "file.exploded"]}), "events"),
    ] {
        let (status, resp) = create(&client, body.clone()).await;
        assert_error(status, &resp, 400, Some(field));
        if body["events"].as_array().is_some_and(|e| e.len() == 2) {
            assert!(resp["message"].as_str().unwrap().contains("`file.exploded`"), "{resp}");
        }
    }
    // Wrong JSON types are 400s too.
    for body in
        [json!({"endpoint": 1, "events": events}), json!({"endpoint": "https://x.com", "events": "file.created"})]
    {
        let (status, resp) = create(&client, body).await;
        assert_error(status, &resp, 400, None);
    }
    // Nothing was stored.
    let (_, list) = api(&client, Method::GET, HOOKS, None).await;
    assert_eq!(list, json!([]));
}

#[tokio::test]
async fn endpoints_are_unique_in_the_account() {
    let client = emulator();
    let first = created(&client, json!({"endpoint": "https://hooks.example.com", "events": ["file.created"]})).await;
    // The same URL, however written: 409 naming the endpoint.
    for same in [
        "https://hooks.example.com",
        "HTTPS://Hooks.Example.COM",
        "https://hooks.example.com/",
        " https://hooks.example.com ",
    ] {
        let (status, body) = create(&client, json!({"endpoint": same, "events": ["file.deleted"]})).await;
        assert_error(status, &body, 409, Some("endpoint"));
    }
    // Other paths, schemes and ports are other endpoints.
    for other in ["https://hooks.example.com/b", "http://hooks.example.com"] {
        created(&client, json!({"endpoint": other, "events": ["file.deleted"]})).await;
    }
    // Once deleted, the URL is free again.
    let path = format!("{HOOKS}/{}", first["id"].as_str().unwrap());
    let (status, _) = api(&client, Method::DELETE, &path, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    created(&client, json!({"endpoint": "https://hooks.example.com/", "events": ["file.created"]})).await;
}

#[tokio::test]
async fn at_most_three_webhooks() {
    let client = emulator();
    for i in 0..3 {
        created(&client, json!({"endpoint": format!("https://h{i}.example.com"), "events": ["file.created"]})).await;
    }
    let (status, body) =
        create(&client, json!({"endpoint": "https://h3.example.com", "events": ["file.created"]})).await;
    assert_error(status, &body, 400, None);
    assert!(body["message"].as_str().unwrap().contains("up to 3"), "{body}");
    let (_, list) = api(&client, Method::GET, HOOKS, None).await;
    assert_eq!(list.as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn update_changes_only_what_is_sent() {
    let client = emulator();
    let hook =
        created(&client, json!({"endpoint": "https://a.example.com/ik", "events": ["file.created", "file.updated"]}))
            .await;
    let other = created(&client, json!({"endpoint": "https://b.example.com/ik", "events": ["file.created"]})).await;
    let path = format!("{HOOKS}/{}", hook["id"].as_str().unwrap());
    // ImageKit's timestamps have millisecond resolution: let the clock move on.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;

    let (status, patched) = api(&client, Method::PATCH, &path, Some(json!({"enabled": false}))).await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    let mut expected = hook.clone();
    expected["enabled"] = json!(false);
    expected["updatedAt"] = patched["updatedAt"].clone();
    assert_eq!(patched, expected, "only enabled and updatedAt change");
    assert!(patched["updatedAt"].as_str() > hook["updatedAt"].as_str(), "{patched}");

    // `events` replaces the list; `endpoint` changes; a `secret` is ignored.
    let (status, patched) = api(
        &client,
        Method::PATCH,
        &path,
        Some(json!({"events": ["folder.created", "folder.updated"], "endpoint": "http://localhost:8080/hook", "secret": "whsec_mine"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["events"], json!(["folder.created", "folder.updated"]));
    assert_eq!(patched["endpoint"], "http://localhost:8080/hook");
    assert_eq!(patched["enabled"], false);
    assert_eq!(patched["secret"], hook["secret"], "the secret cannot change");
    assert_eq!(patched["createdAt"], hook["createdAt"]);
    let (_, got) = api(&client, Method::GET, &path, None).await;
    assert_eq!(got, patched);

    // An empty body changes nothing but updatedAt.
    let (status, same) = api(&client, Method::PATCH, &path, Some(json!({}))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (&same["endpoint"], &same["events"], &same["enabled"]),
        (&patched["endpoint"], &patched["events"], &patched["enabled"])
    );
    // Its own endpoint again is fine; another webhook's is a 409.
    let (status, _) = api(&client, Method::PATCH, &path, Some(json!({"endpoint": "http://LOCALHOST:8080/hook"}))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = api(&client, Method::PATCH, &path, Some(json!({"endpoint": other["endpoint"]}))).await;
    assert_error(status, &body, 409, Some("endpoint"));
    // Bad values are 400s and change nothing.
    for (bad, field) in [
        (json!({"endpoint": "mailto:a@example.com"}), "endpoint"),
        (json!({"endpoint": ""}), "endpoint"),
        (json!({"events": []}), "events"),
        (json!({"events": ["video.exploded"]}), "events"),
    ] {
        let (status, body) = api(&client, Method::PATCH, &path, Some(bad)).await;
        assert_error(status, &body, 400, Some(field));
    }
    let (_, after) = api(&client, Method::GET, &path, None).await;
    assert_eq!(after["events"], json!(["folder.created", "folder.updated"]));
    assert_eq!(after["endpoint"], "http://LOCALHOST:8080/hook");
    // An unknown id is a 404.
    let (status, body) = api(&client, Method::PATCH, &format!("{HOOKS}/nope"), Some(json!({"enabled": true}))).await;
    assert_error(status, &body, 404, None);
}

#[tokio::test]
async fn list_get_and_delete() {
    let client = emulator();
    let (status, empty) = api(&client, Method::GET, HOOKS, None).await;
    assert_eq!((status, empty), (StatusCode::OK, json!([])));
    let a = created(&client, json!({"endpoint": "https://a.example.com", "events": ["file.created"]})).await;
    let b = created(&client, json!({"endpoint": "https://b.example.com", "events": ["folder.deleted"]})).await;
    let (_, list) = api(&client, Method::GET, HOOKS, None).await;
    assert_eq!(list, json!([a, b]), "oldest first, as created");
    let typed: Vec<AccountWebhook> = serde_json::from_value(list).unwrap();
    assert_eq!(typed[1].events, [WebhookEventType::FolderDeleted]);

    let path_a = format!("{HOOKS}/{}", a["id"].as_str().unwrap());
    let (status, got) = api(&client, Method::GET, &path_a, None).await;
    assert_eq!((status, got), (StatusCode::OK, a.clone()));

    let (status, body) = api(&client, Method::DELETE, &path_a, None).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    for method in [Method::GET, Method::DELETE, Method::PATCH] {
        let body = (method == Method::PATCH).then(|| json!({"enabled": false}));
        let (status, resp) = api(&client, method, &path_a, body).await;
        assert_error(status, &resp, 404, None);
    }
    let (_, list) = api(&client, Method::GET, HOOKS, None).await;
    assert_eq!(list, json!([b]));
}

#[tokio::test]
async fn webhooks_survive_a_restart() {
    let dir = std::env::temp_dir().join(format!("ik-emu-webhooks-{}-{}", std::process::id(), fastrand::u64(..)));
    let hook = {
        let client = Emulator::builder().data_dir(&dir).in_process(ORIGIN).unwrap();
        created(&client, json!({"endpoint": "https://a.example.com", "events": ["folder.created"]})).await
    };
    let client = Emulator::builder().data_dir(&dir).in_process(ORIGIN).unwrap();
    let (_, list) = api(&client, Method::GET, HOOKS, None).await;
    assert_eq!(list, json!([hook]), "secret and all");
    let _ = std::fs::remove_dir_all(&dir);
}
