//! The newer models of the official Python SDK `imagekitio` 5.11
//! (`imagekitio/types/**`): account webhooks, folder webhook events,
//! `Folder.createdBy`, `CustomMetadataField.reserved`, numeric length bounds and
//! the duration / original creation date sorts.
//!
//! The JSON samples are shaped like the Python models (field names, which fields
//! are required, value types); they are written out here so that the tests do not
//! depend on the SDK being installed.

mod common;

use common::round_trip;
use imagekit_types::*;
use serde_json::{Value, json};

/// `WebhookEventType` of `imagekitio/types/accounts/webhook_event_type.py`, in its order.
const PYTHON_EVENT_TYPES: [&str; 15] = [
    "video.transformation.accepted",
    "video.transformation.ready",
    "video.transformation.error",
    "upload.pre-transform.success",
    "upload.pre-transform.error",
    "upload.post-transform.success",
    "upload.post-transform.error",
    "file.created",
    "file.updated",
    "file.deleted",
    "file-version.created",
    "file-version.deleted",
    "folder.created",
    "folder.updated",
    "folder.deleted",
];

/// The `sort` literal of `imagekitio/types/asset_list_params.py`, in its order.
const PYTHON_SORTS: [&str; 18] = [
    "ASC_NAME",
    "DESC_NAME",
    "ASC_CREATED",
    "DESC_CREATED",
    "ASC_UPDATED",
    "DESC_UPDATED",
    "ASC_HEIGHT",
    "DESC_HEIGHT",
    "ASC_WIDTH",
    "DESC_WIDTH",
    "ASC_SIZE",
    "DESC_SIZE",
    "ASC_RELEVANCE",
    "DESC_RELEVANCE",
    "ASC_DURATION",
    "DESC_DURATION",
    "ASC_ORIGINAL_CREATION_DATE",
    "DESC_ORIGINAL_CREATION_DATE",
];

/// A `Webhook` (`accounts/webhook.py`): every field is required there.
fn python_webhook() -> Value {
    json!({
        "id": "6673e1f5d2c1f2a3b4c5d6e7",
        "createdAt": "2026-03-01T10:00:00.000Z",
        "enabled": true,
        "endpoint": "https://hooks.example.com/imagekit",
        "events": ["file.created", "file.deleted", "folder.created", "folder.updated", "folder.deleted"],
        "secret": "whsec_dGhpcy1pcy1hLXNpZ25pbmcta2V5",
        "updatedAt": "2026-03-02T11:30:00.000Z"
    })
}

#[test]
fn every_python_event_type_is_known_and_unknown_ones_are_kept() {
    let ours: Vec<&str> = WebhookEventType::ALL.iter().map(WebhookEventType::as_str).collect();
    assert_eq!(ours, PYTHON_EVENT_TYPES);
    for wire in PYTHON_EVENT_TYPES {
        let t: WebhookEventType = serde_json::from_value(json!(wire)).unwrap();
        assert!(!matches!(t, WebhookEventType::Unknown(_)), "{wire}");
        assert_eq!(serde_json::to_value(&t).unwrap(), json!(wire));
    }
    let future: WebhookEventType = serde_json::from_value(json!("asset.archived")).unwrap();
    assert_eq!(future, WebhookEventType::Unknown("asset.archived".into()));
    assert_eq!(serde_json::to_value(&future).unwrap(), json!("asset.archived"));
}

#[test]
fn account_webhook_decodes_like_the_python_model() {
    let json = python_webhook();
    let hook: AccountWebhook = round_trip("Webhook", &json, true);
    assert_eq!(hook.id, "6673e1f5d2c1f2a3b4c5d6e7");
    assert_eq!(hook.endpoint, "https://hooks.example.com/imagekit");
    assert_eq!(
        hook.events,
        [
            WebhookEventType::FileCreated,
            WebhookEventType::FileDeleted,
            WebhookEventType::FolderCreated,
            WebhookEventType::FolderUpdated,
            WebhookEventType::FolderDeleted,
        ]
    );
    assert!(hook.enabled);
    assert_eq!(hook.secret.expose(), "whsec_dGhpcy1pcy1hLXNpZ25pbmcta2V5");
    assert_eq!(hook.created_at, "2026-03-01T10:00:00.000Z");
    assert_eq!(hook.updated_at, "2026-03-02T11:30:00.000Z");

    // The signing secret never shows in Debug, alone or in a list.
    let dbg = format!("{hook:?} {:?}", vec![hook.clone()]);
    assert!(!dbg.contains("whsec_"), "{dbg}");
    assert!(!dbg.contains("dGhpcy1pcy1hLXNpZ25pbmcta2V5"), "{dbg}");
    assert!(dbg.contains("secret: Secret(***)"), "{dbg}");

    // The fields of the old guess do not exist: they are just unknown fields now.
    let mut old = json.clone();
    old["url"] = json!("https://old.example.com");
    old["description"] = json!("d");
    let parsed: AccountWebhook = serde_json::from_value(old).unwrap();
    assert_eq!(parsed.extra.keys().collect::<Vec<_>>(), ["url", "description"]);

    // A list (`WebhookListResponse`), with an event type added later.
    let mut newer = json.clone();
    newer["events"] = json!(["file.created", "asset.archived"]);
    let list: Vec<AccountWebhook> = serde_json::from_value(json!([json, newer])).unwrap();
    assert_eq!(list[1].events[1], WebhookEventType::Unknown("asset.archived".into()));
    assert_eq!(serde_json::to_value(&list[1]).unwrap()["events"], json!(["file.created", "asset.archived"]));

    // Required in the Python model: a body without the secret is not a webhook.
    let mut no_secret = python_webhook();
    no_secret.as_object_mut().unwrap().remove("secret");
    let err = serde_json::from_value::<AccountWebhook>(no_secret).unwrap_err();
    assert!(err.to_string().contains("missing field `secret`"), "{err}");
}

#[test]
fn account_webhook_requests_are_the_python_params() {
    // `WebhookCreateParams`: endpoint and events required, enabled optional.
    let create = CreateAccountWebhookRequest::new("https://hooks.example.com/ik", ["file.created", "folder.deleted"]);
    assert_eq!(
        serde_json::to_value(&create).unwrap(),
        json!({"endpoint": "https://hooks.example.com/ik", "events": ["file.created", "folder.deleted"]})
    );
    let create = create.enabled(false);
    let json = json!({"endpoint": "https://hooks.example.com/ik", "events": ["file.created", "folder.deleted"], "enabled": false});
    assert_eq!(serde_json::to_value(&create).unwrap(), json);
    let back: CreateAccountWebhookRequest = round_trip("WebhookCreateParams", &json, true);
    assert_eq!(back, create);
    let err = serde_json::from_value::<CreateAccountWebhookRequest>(json!({"events": []})).unwrap_err();
    assert!(err.to_string().contains("missing field `endpoint`"), "{err}");

    // `WebhookUpdateParams`: the same fields, all optional; nothing set sends `{}`.
    assert_eq!(serde_json::to_value(UpdateAccountWebhookRequest::new()).unwrap(), json!({}));
    let update = UpdateAccountWebhookRequest::new()
        .endpoint("http://localhost:9000/hook")
        .events([WebhookEventType::FolderCreated])
        .enabled(true);
    let json = json!({"endpoint": "http://localhost:9000/hook", "events": ["folder.created"], "enabled": true});
    assert_eq!(serde_json::to_value(&update).unwrap(), json);
    let back: UpdateAccountWebhookRequest = round_trip("WebhookUpdateParams", &json, true);
    assert_eq!(back, update);
}

/// `FolderCreateEvent` / `FolderUpdateEvent` / `FolderDeleteEvent` (`folder_*_event.py`).
#[test]
fn folder_events_decode() {
    let folder = json!({
        "createdAt": "2026-03-01T10:00:00.000Z",
        "createdBy": {"email": "ana@example.com", "name": "Ana Silva"},
        "customMetadata": {},
        "folderId": "6673e1f5d2c1f2a3b4c5d6e8",
        "folderPath": "/products/winter",
        "name": "winter",
        "type": "folder",
        "updatedAt": "2026-03-01T10:00:00.000Z"
    });
    let created =
        json!({"id": "evt_1", "type": "folder.created", "created_at": "2026-03-01T10:00:01.000Z", "data": folder});
    let event: WebhookEvent = round_trip("FolderCreateEvent", &created, true);
    assert_eq!(event.event_type(), WebhookEventType::FolderCreated);
    let WebhookEvent::FolderCreated(e) = &event else { panic!("{event:?}") };
    assert_eq!(e.id, "evt_1");
    assert_eq!(e.created_at, "2026-03-01T10:00:01.000Z");
    assert_eq!(e.data.folder_id.as_deref(), Some("6673e1f5d2c1f2a3b4c5d6e8"));
    assert_eq!(e.data.folder_path.as_deref(), Some("/products/winter"));
    let by = e.data.created_by.as_ref().unwrap();
    assert_eq!((by.email.as_deref(), by.name.as_deref()), (Some("ana@example.com"), Some("Ana Silva")));

    // `createdBy` is optional; every Folder field is.
    let updated = json!({"id": "evt_2", "type": "folder.updated", "created_at": "2026-03-02T00:00:00.000Z",
        "data": {"folderId": "6673e1f5d2c1f2a3b4c5d6e8", "folderPath": "/products/cold", "name": "cold", "type": "folder"}});
    let event: WebhookEvent = round_trip("FolderUpdateEvent", &updated, true);
    let WebhookEvent::FolderUpdated(e) = &event else { panic!("{event:?}") };
    assert_eq!(e.data.name.as_deref(), Some("cold"));
    assert_eq!(e.data.created_by, None);

    let deleted = json!({"id": "evt_3", "type": "folder.deleted", "created_at": "2026-03-03T00:00:00.000Z",
        "data": {"folderId": "6673e1f5d2c1f2a3b4c5d6e8"}});
    let event: WebhookEvent = round_trip("FolderDeleteEvent", &deleted, true);
    let WebhookEvent::FolderDeleted(e) = &event else { panic!("{event:?}") };
    assert_eq!(e.data.folder_id, "6673e1f5d2c1f2a3b4c5d6e8");
    assert_eq!(event.tag(), "folder.deleted");
    // `folderId` is required in `FolderDeleteEventData`.
    let mut bad = deleted.clone();
    bad["data"] = json!({});
    assert!(serde_json::from_value::<WebhookEvent>(bad).is_err());

    // A type this version does not know is kept whole.
    let future = json!({"id": "evt_4", "type": "folder.archived", "created_at": "2026-03-04T00:00:00.000Z",
        "data": {"folderId": "x"}});
    let event: WebhookEvent = serde_json::from_value(future.clone()).unwrap();
    assert!(matches!(&event, WebhookEvent::Unknown(m) if Value::Object(m.clone()) == future));
    assert_eq!(event.event_type(), WebhookEventType::Unknown("folder.archived".into()));
    assert_eq!(serde_json::to_value(&event).unwrap(), future);
}

#[test]
fn folder_created_by_in_listings() {
    let page = json!([
        {"type": "folder", "folderId": "d1", "name": "winter", "folderPath": "/winter",
         "createdAt": "2026-03-01T10:00:00.000Z", "updatedAt": "2026-03-01T10:00:00.000Z", "customMetadata": {},
         "createdBy": {"email": "ana@example.com", "name": "Ana", "team": "ops"}},
        {"type": "folder", "folderId": "d2", "name": "summer", "folderPath": "/summer", "createdBy": {}},
        {"createdBy": {"name": "Bo"}, "type": "folder", "folderId": "d3"}
    ]);
    let items: Vec<Asset> = round_trip("assets.list", &page, false);
    let folders: Vec<&Folder> = items
        .iter()
        .map(|a| match a {
            Asset::Folder(f) => f,
            other => panic!("{other:?}"),
        })
        .collect();
    let by = folders[0].created_by.as_ref().unwrap();
    assert_eq!(by.email.as_deref(), Some("ana@example.com"));
    assert_eq!(by.extra["team"], "ops", "unknown fields of createdBy are kept");
    assert_eq!(folders[1].created_by, Some(CreatedBy::default()));
    // `type` after `createdBy`: the slower path reads it too.
    assert_eq!(folders[2].created_by.as_ref().and_then(|b| b.name.as_deref()), Some("Bo"));
    // Read by hand: a repeated key is refused as the derive would.
    let err = serde_json::from_str::<Folder>(r#"{"createdBy":{},"createdBy":{}}"#).unwrap_err();
    assert!(err.to_string().contains("duplicate field `createdBy`"), "{err}");
    let err = serde_json::from_str::<CreatedBy>(r#"{"name":"a","name":"b"}"#).unwrap_err();
    assert!(err.to_string().contains("duplicate field `name`"), "{err}");
    assert!(serde_json::from_str::<Folder>(r#"{"createdBy":"Ana"}"#).is_err());
}

/// `CustomMetadataField` (`custom_metadata_field.py`): `reserved` and numeric bounds.
#[test]
fn custom_metadata_fields_reserved_and_numeric_bounds() {
    let reserved = json!({
        "id": "6673e1f5d2c1f2a3b4c5d6e9",
        "label": "Original creation date",
        "name": "_internal_original_created_datetime",
        "schema": {"type": "Date"},
        "reserved": true
    });
    let field: CustomMetadataField = round_trip("CustomMetadataField", &reserved, true);
    assert!(field.is_reserved());
    assert_eq!(field.name, ORIGINAL_CREATION_DATE_FIELD);
    assert_eq!(field.schema.kind, Some(FieldType::Date));

    // A regular field omits `reserved`.
    let regular = json!({"id": "f2", "label": "Code", "name": "code",
        "schema": {"type": "Text", "minLength": 2.5, "maxLength": 10, "isValueRequired": false}});
    let field: CustomMetadataField = round_trip("CustomMetadataField", &regular, true);
    assert!(!field.is_reserved());
    assert_eq!(field.reserved, None);
    assert_eq!((field.schema.min_length, field.schema.max_length), (Some(2.5), Some(10.0)));
    // Integral lengths are written back without a fraction, as the API writes them.
    assert_eq!(serde_json::to_value(&field.schema).unwrap()["maxLength"], json!(10));

    // `max_value` / `min_value`: `Union[str, float]`.
    let numbers = json!({"id": "f3", "label": "Ratio", "name": "ratio",
        "schema": {"type": "Number", "minValue": -0.25, "maxValue": 99.5, "defaultValue": 1.75, "selectOptions": [0.5, "x", true]}});
    let field: CustomMetadataField = round_trip("CustomMetadataField", &numbers, true);
    assert_eq!(field.schema.min_value.as_ref().and_then(Scalar::as_f64), Some(-0.25));
    assert_eq!(field.schema.max_value.as_ref().and_then(Scalar::as_f64), Some(99.5));
    let dates = json!({"id": "f4", "label": "Launch", "name": "launch",
        "schema": {"type": "Date", "minValue": "2026-01-01T00:00:00.000Z", "maxValue": "2026-12-31T00:00:00.000Z"}});
    let field: CustomMetadataField = round_trip("CustomMetadataField", &dates, true);
    assert_eq!(field.schema.max_value.as_ref().and_then(Scalar::as_str), Some("2026-12-31T00:00:00.000Z"));

    // Negative and very large numbers are numbers too.
    let odd: FieldSchema =
        serde_json::from_value(json!({"type": "Text", "minLength": -1, "maxLength": 1e300})).unwrap();
    assert_eq!((odd.min_length, odd.max_length), (Some(-1.0), Some(1e300)));
}

/// The failure this fixes: one fractional `minLength` in a file's
/// `selectedFieldsSchema` used to fail the whole `GET /v1/files` page.
#[test]
fn a_fractional_length_does_not_fail_a_listing_page() {
    let page = json!([
        {"type": "file", "fileId": "f1", "name": "a.jpg", "filePath": "/a.jpg",
         "selectedFieldsSchema": {
            "code": {"type": "Text", "minLength": 1.5, "maxLength": 20.25, "readOnly": false},
            "_internal_original_created_datetime": {"type": "Date", "readOnly": true}
         }},
        {"type": "folder", "folderId": "d1", "name": "x", "folderPath": "/x"}
    ]);
    let text = serde_json::to_vec(&page).unwrap();
    let items: Vec<Asset> = serde_json::from_slice(&text).unwrap();
    let Asset::File(file) = &items[0] else { panic!("{items:?}") };
    let schema = &file.selected_fields_schema.as_ref().unwrap()["code"];
    assert_eq!((schema.schema.min_length, schema.schema.max_length), (Some(1.5), Some(20.25)));
    assert_eq!(serde_json::to_value(&items).unwrap(), page);
}

#[test]
fn every_python_sort_is_known() {
    for wire in PYTHON_SORTS {
        let sort = AssetSort::from(wire);
        assert!(!matches!(sort, AssetSort::Unknown(_)), "{wire}");
        assert_eq!(sort.as_str(), wire);
    }
    let new = [
        (AssetSort::AscDuration, "ASC_DURATION"),
        (AssetSort::DescDuration, "DESC_DURATION"),
        (AssetSort::AscOriginalCreationDate, "ASC_ORIGINAL_CREATION_DATE"),
        (AssetSort::DescOriginalCreationDate, "DESC_ORIGINAL_CREATION_DATE"),
    ];
    for (sort, wire) in new {
        assert_eq!(AssetSort::from(wire), sort);
        let query = ListAssetsQuery::default().sort(sort);
        assert_eq!(serde_json::to_value(&query).unwrap(), json!({"sort": wire}));
    }
}
