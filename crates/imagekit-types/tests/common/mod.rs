//! Shared test support: fixture paths and the round-trip check.

#![allow(dead_code)]

use std::fmt::Debug;
use std::path::PathBuf;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The workspace's `tests/fixtures` folder (copied from `shared/`).
pub fn workspace_fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(rel)
}

/// This crate's own `tests/fixtures` folder.
pub fn crate_fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

pub fn read_json(path: PathBuf) -> Value {
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Parse `json` as `T`, write it back and require the same JSON value. With
/// `strict`, also require that nothing landed in an `Unknown` variant or an
/// `extra` map, i.e. that the model covers every field of the sample.
pub fn round_trip<T: DeserializeOwned + Serialize + Debug>(label: &str, json: &Value, strict: bool) -> T {
    let parsed: T = serde_json::from_value(json.clone()).unwrap_or_else(|e| panic!("{label}: does not parse: {e}"));
    let back = serde_json::to_value(&parsed).unwrap_or_else(|e| panic!("{label}: does not serialize: {e}"));
    assert_eq!(&back, json, "{label}: the round trip changed the JSON");
    // From text too: that is how the SDK reads responses, and where decoding is lazy.
    let text = serde_json::to_vec(json).unwrap();
    let from_text: T = serde_json::from_slice(&text).unwrap_or_else(|e| panic!("{label}: text does not parse: {e}"));
    let back = serde_json::to_value(&from_text).unwrap_or_else(|e| panic!("{label}: does not serialize: {e}"));
    assert_eq!(&back, json, "{label}: the round trip from text changed the JSON");
    if strict {
        let dbg = format!("{parsed:?}");
        assert!(!dbg.contains("Unknown("), "{label}: a value fell into an Unknown variant: {dbg}");
        assert!(!dbg.contains("extra: {\""), "{label}: a field is not modelled: {dbg}");
    }
    parsed
}

/// Round-trip `json` as the model named `name` (the names used in the fixtures).
pub fn round_trip_named(name: &str, label: &str, json: &Value, strict: bool) -> String {
    use imagekit_types::*;
    macro_rules! dispatch {
        ($($n:ident),* $(,)?) => {
            match name {
                $(stringify!($n) => serde_json::to_string(&round_trip::<$n>(label, json, strict)).unwrap(),)*
                other => panic!("{label}: no model named {other}"),
            }
        };
    }
    dispatch!(
        File,
        FileUpdateResponse,
        FileUploadResponse,
        Asset,
        Metadata,
        CustomMetadataField,
        SavedExtension,
        NamedTransformation,
        JobCreated,
        Job,
        PurgeCreated,
        PurgeStatus,
        RenameFileResponse,
        BulkDeleteResponse,
        BulkUpdateResponse,
        EmptyResponse,
        OriginResponse,
        UrlEndpointResponse,
        Usage,
        UsageAnalytics,
        ErrorBody,
        AccountWebhook,
        WebhookEvent,
        Object,
        // request bodies
        CreateCustomMetadataFieldRequest,
        UpdateCustomMetadataFieldRequest,
        UpdateFileRequest,
        CopyFileRequest,
        MoveFileRequest,
        RenameFileRequest,
        BulkDeleteRequest,
        BulkTagsRequest,
        BulkRemoveAiTagsRequest,
        CreateFolderRequest,
        DeleteFolderRequest,
        CopyFolderRequest,
        MoveFolderRequest,
        RenameFolderRequest,
        PurgeRequest,
        CreateSavedExtensionRequest,
        UpdateSavedExtensionRequest,
        CreateNamedTransformationRequest,
        UpdateNamedTransformationRequest,
        OriginRequest,
        UrlEndpointRequest,
        UploadParams,
        CreateAccountWebhookRequest,
        UpdateAccountWebhookRequest,
    )
}

/// The request model of each Node SDK method that sends a JSON body.
pub fn request_model(sdk_method: &str) -> &'static str {
    match sdk_method {
        "customMetadataFields.create" => "CreateCustomMetadataFieldRequest",
        "customMetadataFields.update" => "UpdateCustomMetadataFieldRequest",
        "files.update" => "UpdateFileRequest",
        "files.copy" => "CopyFileRequest",
        "files.move" => "MoveFileRequest",
        "files.rename" => "RenameFileRequest",
        "files.bulk.delete" => "BulkDeleteRequest",
        "files.bulk.addTags" | "files.bulk.removeTags" => "BulkTagsRequest",
        "files.bulk.removeAITags" => "BulkRemoveAiTagsRequest",
        "folders.create" => "CreateFolderRequest",
        "folders.delete" => "DeleteFolderRequest",
        "folders.copy" => "CopyFolderRequest",
        "folders.move" => "MoveFolderRequest",
        "folders.rename" => "RenameFolderRequest",
        "cache.invalidation.create" => "PurgeRequest",
        "savedExtensions.create" => "CreateSavedExtensionRequest",
        "savedExtensions.update" => "UpdateSavedExtensionRequest",
        "namedTransformations.create" => "CreateNamedTransformationRequest",
        "namedTransformations.update" => "UpdateNamedTransformationRequest",
        "accounts.origins.create" | "accounts.origins.update" => "OriginRequest",
        "accounts.urlEndpoints.create" | "accounts.urlEndpoints.update" => "UrlEndpointRequest",
        other => panic!("no request model for {other}"),
    }
}

/// Every record of the Node SDK's wire capture.
pub fn wire_records() -> Vec<Value> {
    let path = workspace_fixture("wire/records-nodejs.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect()
}
