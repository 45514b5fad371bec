//! Custom metadata fields: every type, schema validation, updates, and value checks.

use super::*;
use crate::api::cmf::{check_required, validate_custom_metadata};

#[tokio::test]
async fn custom_metadata_fields_of_every_type() {
    let client = emulator();
    let schemas = [
        ("brand", json!({"type": "Text", "minLength": 2, "maxLength": 10, "defaultValue": "acme"})),
        ("notes", json!({"type": "Textarea", "maxLength": 500})),
        (
            "price",
            json!({"type": "Number", "minValue": 0, "maxValue": 1000, "defaultValue": 10, "isValueRequired": true}),
        ),
        (
            "launch",
            json!({"type": "Date", "minValue": "2020-01-01", "maxValue": "2030-12-31T00:00:00.000Z", "defaultValue": "2025-06-01"}),
        ),
        ("featured", json!({"type": "Boolean", "defaultValue": false})),
        ("size", json!({"type": "SingleSelect", "selectOptions": ["S", "M", "L", 42, true], "defaultValue": 42})),
        (
            "colors",
            json!({"type": "MultiSelect", "selectOptions": ["red", "blue", "green"], "defaultValue": ["red", "blue"]}),
        ),
    ];
    let mut ids = Vec::new();
    for (name, schema) in &schemas {
        let (status, body) = post(
            &client,
            "/v1/customMetadataFields",
            json!({"name": name, "label": format!("The {name}"), "schema": schema, "description": "d"}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{name}: {body}");
        assert_eq!(body["name"], *name);
        assert_eq!(body["label"], format!("The {name}"));
        assert_eq!(body["schema"], *schema);
        assert_eq!(body["description"], "d");
        assert_eq!(body["id"].as_str().unwrap().len(), 24);
        ids.push(body["id"].as_str().unwrap().to_owned());
    }
    let (_, all) = get(&client, "/v1/customMetadataFields").await;
    let listed: Vec<&str> = all.as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(listed, ["brand", "notes", "price", "launch", "featured", "size", "colors"]);

    // Delete: {} then gone from the list unless includeDeleted; a second delete is 404.
    let (status, body) = api(&client, Method::DELETE, &format!("/v1/customMetadataFields/{}", ids[1]), None).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (status, body) = api(&client, Method::DELETE, &format!("/v1/customMetadataFields/{}", ids[1]), None).await;
    assert_error(status, &body, 404);
    let (_, live) = get(&client, "/v1/customMetadataFields?folderPath=/any").await;
    assert_eq!(live.as_array().unwrap().len(), 6);
    let (_, with_deleted) = get(&client, "/v1/customMetadataFields?includeDeleted=true").await;
    assert_eq!(with_deleted.as_array().unwrap().len(), 7);
    let (status, body) = get(&client, "/v1/customMetadataFields?includeDeleted=maybe").await;
    assert_error(status, &body, 400);

    // The deleted name can never be reused; its label can.
    let (status, body) = cmf(&client, "notes", "Other label", json!({"type": "Text"})).await;
    assert_error(status, &body, 400);
    assert!(body["errors"]["name"].is_string(), "{body}");
    let (status, body) = cmf(&client, "notes2", "The notes", json!({"type": "Text"})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // A live label cannot be reused.
    let (status, body) = cmf(&client, "brand2", "The brand", json!({"type": "Text"})).await;
    assert_error(status, &body, 400);
    assert!(body["errors"]["label"].is_string(), "{body}");
}

#[tokio::test]
async fn custom_metadata_field_validation_errors() {
    let client = emulator();
    let cases: Vec<(Value, &str)> = vec![
        (json!({}), "schema.type"),
        (json!({"type": "Color"}), "schema.type"),
        (json!({"type": "SingleSelect"}), "schema.selectOptions"),
        (json!({"type": "MultiSelect", "selectOptions": []}), "schema.selectOptions"),
        (json!({"type": "Text", "selectOptions": ["a"]}), "schema.selectOptions"),
        (json!({"type": "Text", "minValue": 1}), "schema.minValue"),
        (json!({"type": "Boolean", "maxValue": 1}), "schema.maxValue"),
        (json!({"type": "Number", "minLength": 1}), "schema.minLength"),
        (json!({"type": "Date", "maxLength": 1}), "schema.maxLength"),
        (json!({"type": "Number", "minValue": "a"}), "schema.minValue"),
        (json!({"type": "Number", "minValue": 5, "maxValue": 1}), "schema.minValue"),
        (json!({"type": "Date", "minValue": "yesterday"}), "schema.minValue"),
        (json!({"type": "Date", "minValue": "2025-01-02", "maxValue": "2025-01-01"}), "schema.minValue"),
        (json!({"type": "Text", "minLength": 5, "maxLength": 1}), "schema.minLength"),
        (json!({"type": "Text", "isValueRequired": true}), "schema.defaultValue"),
        (json!({"type": "Text", "defaultValue": 5}), "schema.defaultValue"),
        (json!({"type": "Text", "maxLength": 3, "defaultValue": "long"}), "schema.defaultValue"),
        (json!({"type": "Textarea", "minLength": 3, "defaultValue": "ab"}), "schema.defaultValue"),
        (json!({"type": "Number", "defaultValue": "5"}), "schema.defaultValue"),
        (json!({"type": "Number", "maxValue": 10, "defaultValue": 11}), "schema.defaultValue"),
        (json!({"type": "Number", "minValue": 10, "defaultValue": 9.5}), "schema.defaultValue"),
        (json!({"type": "Date", "defaultValue": "not a date"}), "schema.defaultValue"),
        (json!({"type": "Date", "maxValue": "2020-01-01", "defaultValue": "2021-01-01"}), "schema.defaultValue"),
        (json!({"type": "Boolean", "defaultValue": "true"}), "schema.defaultValue"),
        (json!({"type": "SingleSelect", "selectOptions": ["a"], "defaultValue": "b"}), "schema.defaultValue"),
        (json!({"type": "SingleSelect", "selectOptions": ["a"], "defaultValue": ["a"]}), "schema.defaultValue"),
        (json!({"type": "MultiSelect", "selectOptions": ["a"], "defaultValue": "a"}), "schema.defaultValue"),
        (json!({"type": "MultiSelect", "selectOptions": ["a"], "defaultValue": ["a", "z"]}), "schema.defaultValue"),
        (
            json!({"type": "MultiSelect", "selectOptions": ["a"], "defaultValue": [], "isValueRequired": true}),
            "schema.defaultValue",
        ),
    ];
    for (i, (schema, field)) in cases.into_iter().enumerate() {
        let (status, body) = cmf(&client, &format!("f{i}"), &format!("F{i}"), schema.clone()).await;
        assert_error(status, &body, 400);
        assert!(body["errors"][field].is_string(), "{schema}: expected errors.{field} in {body}");
    }
    let (status, body) = cmf(&client, "", "Empty", json!({"type": "Text"})).await;
    assert_error(status, &body, 400);
    assert!(body["errors"]["name"].is_string());
    let (status, body) = cmf(&client, "x", "", json!({"type": "Text"})).await;
    assert_error(status, &body, 400);
    assert!(body["errors"]["label"].is_string());
    let (status, body) = post(
        &client,
        "/v1/customMetadataFields",
        json!({"name": "d", "label": "D", "schema": {"type": "Text"}, "description": "x".repeat(501)}),
    )
    .await;
    assert_error(status, &body, 400);
    let (status, body) = post(&client, "/v1/customMetadataFields", json!({"name": "d", "label": "D"})).await;
    assert_error(status, &body, 400);
    let (_, all) = get(&client, "/v1/customMetadataFields?includeDeleted=true").await;
    assert_eq!(all, json!([]), "nothing was created");
}

#[tokio::test]
async fn update_custom_metadata_fields() {
    let client = emulator();
    let (_, field) = post(
        &client,
        "/v1/customMetadataFields",
        json!({"name": "size", "label": "Size", "description": "shirt size",
               "schema": {"type": "SingleSelect", "selectOptions": ["S", "M"], "defaultValue": "S"}}),
    )
    .await;
    let id = field["id"].as_str().unwrap().to_owned();
    cmf(&client, "other", "Other", json!({"type": "Text"})).await;
    let path = format!("/v1/customMetadataFields/{id}");
    let patch = |body: Value| api(&client, Method::PATCH, &path, Some(body));

    let (status, body) = patch(json!({"label": "Shirt size"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["label"], "Shirt size");
    assert_eq!(body["description"], "shirt size");
    // Schema keys merge; type is ignored; null removes a key.
    let (status, body) = patch(
        json!({"schema": {"type": "Text", "selectOptions": ["S", "M", "L"], "defaultValue": null}, "description": ""}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["schema"], json!({"type": "SingleSelect", "selectOptions": ["S", "M", "L"]}));
    assert!(body.get("description").is_none(), "an empty description clears it: {body}");
    assert_eq!(body["name"], "size");

    for (bad, field) in [
        (json!({"schema": {"defaultValue": "XL"}}), "schema.defaultValue"),
        (json!({"schema": {"selectOptions": null}}), "schema.selectOptions"),
        (json!({"label": "Other"}), "label"),
        (json!({"description": "only"}), "label"),
        (json!({}), "label"),
        (json!({"label": 5}), "label"),
    ] {
        let (status, body) = patch(bad.clone()).await;
        assert_error(status, &body, 400);
        assert!(body["errors"][field].is_string(), "{bad}: {body}");
    }
    let (_, now) = get(&client, "/v1/customMetadataFields").await;
    assert_eq!(now[0]["schema"], json!({"type": "SingleSelect", "selectOptions": ["S", "M", "L"]}), "unchanged");

    let (status, body) =
        api(&client, Method::PATCH, "/v1/customMetadataFields/000000000000000000000000", Some(json!({"label": "x"})))
            .await;
    assert_error(status, &body, 404);
    api(&client, Method::DELETE, &path, None).await;
    let (status, body) = patch(json!({"label": "again"})).await;
    assert_error(status, &body, 404);
}

#[tokio::test]
async fn custom_metadata_values_are_validated() {
    let client = emulator();
    for (name, schema) in [
        ("brand", json!({"type": "Text", "maxLength": 5})),
        ("notes", json!({"type": "Textarea", "minLength": 2})),
        ("price", json!({"type": "Number", "minValue": 0, "maxValue": 100})),
        ("launch", json!({"type": "Date", "minValue": "2020-01-01"})),
        ("featured", json!({"type": "Boolean"})),
        ("size", json!({"type": "SingleSelect", "selectOptions": ["S", "M", 3]})),
        ("colors", json!({"type": "MultiSelect", "selectOptions": ["red", "blue"]})),
        ("sku", json!({"type": "Text", "isValueRequired": true, "defaultValue": "none"})),
        ("gone", json!({"type": "Text"})),
    ] {
        let (status, body) = cmf(&client, name, name, schema).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (_, all) = get(&client, "/v1/customMetadataFields").await;
    let gone = all.as_array().unwrap().iter().find(|f| f["name"] == "gone").unwrap()["id"].as_str().unwrap().to_owned();
    api(&client, Method::DELETE, &format!("/v1/customMetadataFields/{gone}"), None).await;

    let check = |values: Value| {
        let values = values.as_object().cloned().unwrap();
        client
            .seed(|tx| validate_custom_metadata(tx.db(), &values).map_err(|e| (e.status.as_u16(), e.message, e.extra)))
    };
    let required = |values: Value| {
        let values = values.as_object().cloned().unwrap();
        client.seed(|tx| check_required(tx.db(), &values).map_err(|e| (e.status.as_u16(), e.message, e.extra)))
    };

    let good = json!({
        "brand": "Nike", "notes": "long enough", "price": 99.5, "launch": "2024-02-03T10:00:00Z",
        "featured": true, "size": 3, "colors": ["red", "blue"], "sku": "A1"
    });
    assert!(check(good.clone()).is_ok());
    assert!(required(good).is_ok());
    assert!(check(json!({})).is_ok());
    assert!(check(json!({"brand": null, "colors": null, "size": "M"})).is_ok(), "null unsets");

    for (values, key) in [
        (json!({"unknown": 1}), "unknown"),
        (json!({"gone": "x"}), "gone"),
        (json!({"brand": "too long"}), "brand"),
        (json!({"brand": 5}), "brand"),
        (json!({"notes": "x"}), "notes"),
        (json!({"price": 101}), "price"),
        (json!({"price": -1}), "price"),
        (json!({"price": "5"}), "price"),
        (json!({"launch": "2019-12-31"}), "launch"),
        (json!({"launch": "someday"}), "launch"),
        (json!({"featured": "yes"}), "featured"),
        (json!({"size": "XL"}), "size"),
        (json!({"size": "3"}), "size"),
        (json!({"colors": "red"}), "colors"),
        (json!({"colors": ["red", "pink"]}), "colors"),
        (json!({"sku": null}), "sku"),
    ] {
        let (status, message, extra) = check(values.clone()).expect_err(&values.to_string());
        assert_eq!(status, 400);
        assert!(message.contains(key), "{message} should name {key}");
        assert!(extra["errors"][key].is_string(), "{values}: {extra:?}");
    }
    let (status, message, extra) = required(json!({"brand": "x"})).unwrap_err();
    assert_eq!(status, 400);
    assert!(message.contains("sku"));
    assert!(extra["errors"]["sku"].is_string());
    assert!(required(json!({"sku": null})).is_err());
}
