//! Every documented fixture, every JSON body the official Node SDK sends, and a
//! hand-written sample of every response model parse into the right type and
//! serialize back to equal JSON.

mod common;

use std::collections::BTreeSet;

use common::*;
use imagekit_types::{File, FileUploadResponse, Object, UploadParams};
use serde_json::Value;

#[test]
fn documentation_fixtures_round_trip() {
    let file: File = round_trip("file-details", &read_json(workspace_fixture("docs/file-details.json")), true);
    assert_eq!(file.file_id.as_deref(), Some("61b3f7bf75889b0b19970117"));
    assert_eq!(file.ai_tag_list().len(), 10);
    assert_eq!(file.embedded_metadata, Some(None), "embeddedMetadata is null in the fixture");
    assert_eq!(file.custom_coordinates, Some(None));
    insta::assert_json_snapshot!("file-details", file);

    for name in ["upload-response-1", "upload-response-2"] {
        let json = read_json(workspace_fixture(&format!("docs/{name}.json")));
        let up: FileUploadResponse = round_trip(name, &json, true);
        assert_eq!(up.ai_tags, Some(None), "{name}: AITags is null");
        insta::assert_json_snapshot!(name, up);
    }

    let meta: Object =
        round_trip("embedded-metadata", &read_json(workspace_fixture("docs/embedded-metadata.json")), true);
    assert_eq!(meta["ExifVersion"], "0232");
    // The same object inside a file keeps every key and value.
    let mut with_meta = read_json(workspace_fixture("docs/file-details.json"));
    with_meta["embeddedMetadata"] = Value::Object(meta.clone());
    let file: File = round_trip("file-details+embedded", &with_meta, true);
    assert_eq!(file.embedded_metadata, Some(Some(meta.into())));
}

#[test]
fn every_json_body_the_node_sdk_sends_round_trips() {
    let mut seen = BTreeSet::new();
    let mut snapshot = String::new();
    let mut methods = BTreeSet::new();
    for rec in wire_records() {
        let req = &rec["request"];
        if req["body_kind"] != "json" {
            continue;
        }
        let raw = req["raw_body"].as_str().unwrap();
        if !seen.insert(raw.to_owned()) {
            continue;
        }
        let method = rec["sdk_method"].as_str().unwrap();
        let case = rec["case"].as_str().unwrap();
        let body: Value = serde_json::from_str(raw).unwrap();
        let ours = round_trip_named(request_model(method), case, &body, true);
        methods.insert(method.to_owned());
        snapshot.push_str(&format!("{case}\n{ours}\n\n"));
    }
    // All 22 methods that send JSON bodies.
    assert_eq!(methods.len(), 22, "{methods:?}");
    assert!(seen.len() >= 40, "only {} distinct bodies", seen.len());
    insta::assert_snapshot!("wire-json-bodies", snapshot);
}

#[test]
fn every_upload_the_node_sdk_sends_round_trips() {
    let mut count = 0;
    let mut snapshot = String::new();
    for rec in wire_records() {
        let req = &rec["request"];
        if req["body_kind"] != "multipart" {
            continue;
        }
        let case = rec["case"].as_str().unwrap();
        // The form fields as they arrived, except the file part itself.
        let parts: Vec<(String, String)> = req["body"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["name"] != "file")
            .map(|p| (p["name"].as_str().unwrap().to_owned(), p["value"].as_str().unwrap().to_owned()))
            .collect();
        let params = UploadParams::from_form_fields(parts.iter().map(|(n, v)| (n.as_str(), v.as_str())))
            .unwrap_or_else(|e| panic!("{case}: {e}"));
        let ours: Vec<(String, String)> =
            params.form_fields().unwrap().into_iter().map(|(n, v)| (n.into_owned(), v)).collect();
        let (mut want, mut got) = (parts.clone(), ours.clone());
        want.sort();
        got.sort();
        assert_eq!(got, want, "{case}: form fields differ from the Node SDK's, byte for byte");

        // The SDK call's parameters (as JSON, minus the file) are the same model.
        let mut json = rec["params"]["body"].clone();
        json.as_object_mut().unwrap().shift_remove("file");
        // One variant passes `tags` pre-joined, which JavaScript lets through; the
        // typed model holds the list it stands for.
        if let Some(joined) = json["tags"].as_str() {
            json["tags"] = joined.split(',').map(|t| Value::String(t.to_owned())).collect();
        }
        let undocumented = json.as_object().unwrap().keys().any(|k| k.starts_with("someExtra"));
        let from_json: UploadParams = round_trip(case, &json, !undocumented);
        assert_eq!(
            from_json.form_fields().unwrap(),
            params.form_fields().unwrap(),
            "{case}: the JSON parameters and the multipart form encode differently"
        );
        if !undocumented {
            assert_eq!(from_json, params, "{case}: JSON and multipart forms disagree");
        }

        snapshot.push_str(&format!("{case}\n"));
        for (n, v) in &ours {
            snapshot.push_str(&format!("  {n} = {v}\n"));
        }
        count += 1;
    }
    assert_eq!(count, 12, "multipart records");
    insta::assert_snapshot!("wire-upload-form-fields", snapshot);
}

#[test]
fn every_response_model_round_trips() {
    let all = read_json(crate_fixture("responses.json"));
    let mut snapshot = String::new();
    let mut models = 0;
    for (model, samples) in all.as_object().unwrap() {
        if model.starts_with('_') {
            continue;
        }
        models += 1;
        for (i, sample) in samples.as_array().unwrap().iter().enumerate() {
            let label = format!("{model}[{i}]");
            let ours = round_trip_named(model, &label, sample, true);
            snapshot.push_str(&format!("{label}\n{ours}\n\n"));
        }
    }
    assert_eq!(models, 23);
    insta::assert_snapshot!("responses", snapshot);
}
