//! `imagekit-types` against the official SDKs' own models.
//!
//! `tests/fixtures/official-models/` holds every model of `@imagekit/nodejs`
//! 7.11.0 and `imagekitio` 5.11.0, extracted by `tools/official-models/`, and
//! generated samples of each: every property set, fractional numbers, `12.0`,
//! required properties only, nulls, each literal and each union member. These
//! tests read only that fixture:
//!
//! 1. every sample decodes into the Rust type mapped to its model, and writing it
//!    back gives the same JSON (numbers compared by value);
//! 2. every official property is a typed field of the mapped type (it does not
//!    land in the type's `extra` map of unknown keys), or a listed exception;
//! 3. the fixture is whole: the model and sample counts, and every model that has
//!    samples has a mapping (or is listed as unmapped, with the reason);
//! 4. a value of an official literal union decodes into a known enum variant, not
//!    a `String` or an `Unknown(..)`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::path::PathBuf;

use imagekit_types::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

// ---------------------------------------------------------------------------
// The fixture.

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/official-models")
}

struct Property {
    name: String,
    literals: Vec<String>,
}

struct Model {
    sdk: String,
    name: String,
    /// Object models only.
    properties: Vec<Property>,
    has_side: bool,
}

struct Sample {
    sdk: String,
    model: String,
    case: String,
    fractional: bool,
    json: Value,
}

fn load_models(sdk: &str) -> Vec<Model> {
    let text = std::fs::read_to_string(fixture_dir().join(format!("models-{sdk}.json"))).expect("fixture readable");
    let doc: Value = serde_json::from_str(&text).expect("fixture is JSON");
    assert_eq!(doc["sdk"], sdk);
    doc["models"]
        .as_array()
        .expect("models")
        .iter()
        .map(|m| Model {
            sdk: sdk.to_owned(),
            name: m["name"].as_str().expect("name").to_owned(),
            properties: m["properties"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .map(|p| Property {
                            name: p["name"].as_str().expect("property name").to_owned(),
                            literals: p["literals"]
                                .as_array()
                                .map(|l| l.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
                                .or_else(|| array_item_literals(&p["type"]))
                                .unwrap_or_default(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            // URL helper options are imagekit-url's, not JSON payloads: no samples.
            has_side: m["sides"].as_array().expect("sides").iter().any(|s| s != "helper"),
        })
        .collect()
}

/// Literals of `Array<'a' | 'b'>` properties.
fn array_item_literals(t: &Value) -> Option<Vec<String>> {
    let members = t.get("items")?.get("members")?.as_array()?;
    members.iter().map(|m| (m["kind"] == "literal").then(|| m["value"].as_str().map(str::to_owned)).flatten()).collect()
}

fn load_samples() -> Vec<Sample> {
    let text = std::fs::read_to_string(fixture_dir().join("samples.jsonl")).expect("fixture readable");
    text.lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("sample is JSON");
            Sample {
                sdk: v["sdk"].as_str().expect("sdk").to_owned(),
                model: v["model"].as_str().expect("model").to_owned(),
                case: v["case"].as_str().expect("case").to_owned(),
                fractional: v["fractional"].as_bool().expect("fractional"),
                json: v["json"].clone(),
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Decoders: an official model name -> our type.

/// A sample decoded into our type and written back.
struct Decoded {
    /// Our type serialized again.
    value: Value,
    /// The keys that landed in the type's map of unknown fields.
    extra: Vec<String>,
    /// `{:?}` of the decoded value, to tell enum variants from strings.
    debug: String,
}

type Decoder = fn(&str) -> Result<Decoded, String>;

/// Decode `json` as `T`; `extra` finds the map of unknown fields (`None`: the
/// value decoded into the wrong variant of an enum).
fn typed<T: DeserializeOwned + Serialize + Debug>(
    json: &str,
    extra: fn(&T) -> Option<&Object>,
) -> Result<Decoded, String> {
    let t: T = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let debug = format!("{t:?}");
    let extra = extra(&t).ok_or_else(|| format!("decoded into another variant: {}", clip(&debug)))?;
    let extra = extra.keys().cloned().collect();
    let value = serde_json::to_value(&t).map_err(|e| format!("serialize: {e}"))?;
    Ok(Decoded { value, extra, debug })
}

/// A type without a map of unknown fields (lists, maps, queries).
fn plain<T: DeserializeOwned + Serialize + Debug>(json: &str) -> Result<Decoded, String> {
    static EMPTY: std::sync::OnceLock<Object> = std::sync::OnceLock::new();
    typed::<T>(json, |_| Some(EMPTY.get_or_init(Object::new)))
}

fn clip(s: &str) -> &str {
    match s.char_indices().nth(300) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// A struct with `extra`.
macro_rules! st {
    ($t:ty) => {
        (|j: &str| typed::<$t>(j, |t: &$t| Some(&t.extra))) as Decoder
    };
    ($t:ty, $($path:ident).+) => {
        (|j: &str| typed::<$t>(j, |t: &$t| Some(&t.$($path).+))) as Decoder
    };
}

/// One variant (or one of several) of an enum, whose struct has `extra`.
macro_rules! variant {
    ($e:ty, $($v:path)|+) => {
        (|j: &str| typed::<$e>(j, |e: &$e| match e { $($v(x) => Some(&x.extra),)+ _ => None })) as Decoder
    };
    ($e:ty, $($v:path)|+ => $($path:ident).+) => {
        (|j: &str| typed::<$e>(j, |e: &$e| match e { $($v(x) => Some(&x.$($path).+),)+ _ => None })) as Decoder
    };
}

/// Any known variant of an enum (a union model).
macro_rules! known {
    ($e:ty) => {
        (|j: &str| {
            typed::<$e>(j, |e: &$e| {
                static EMPTY: std::sync::OnceLock<Object> = std::sync::OnceLock::new();
                (!format!("{e:?}").starts_with("Unknown(")).then(|| EMPTY.get_or_init(Object::new))
            })
        }) as Decoder
    };
}

/// `extensionStatus` exists only inside upload and update responses, which read
/// it leniently (a `null` state is absent): decode it there.
fn extension_status(json: &str) -> Result<Decoded, String> {
    let r: FileUploadResponse =
        serde_json::from_str(&format!(r#"{{"extensionStatus":{json}}}"#)).map_err(|e| e.to_string())?;
    let status = r.extension_status.ok_or("extensionStatus not read")?;
    let value = serde_json::to_value(&status).map_err(|e| format!("serialize: {e}"))?;
    Ok(Decoded { value, extra: Vec::new(), debug: format!("{status:?}") })
}

/// The publication shape of a file update. Its one property is optional, and an
/// empty object is also an (empty) details update, which is how the untagged
/// `UpdateFileRequest` reads `{}`.
fn change_publication(json: &str) -> Result<Decoded, String> {
    if json == "{}" {
        return plain::<UpdateFileRequest>(json);
    }
    typed::<UpdateFileRequest>(json, |r| match r {
        UpdateFileRequest::Publication(p) => Some(&p.extra),
        _ => None,
    })
}

fn plain_of<T: DeserializeOwned + Serialize + Debug>() -> Decoder {
    plain::<T>
}

fn last(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// The Rust type each official model decodes into. Node names are qualified by
/// file and namespace (`Files.Metadata.Exif.Exif`), Python names by module
/// (`metadata.ExifExif`).
fn decoder(model: &str) -> Option<Decoder> {
    use OriginRequest as O;
    use PostTransformation as P;
    let d = match model {
        // Origins.
        "Accounts.Origins.OriginCreateParams"
        | "Accounts.Origins.OriginUpdateParams"
        | "accounts.origin_create_params.OriginCreateParams"
        | "accounts.origin_update_params.OriginUpdateParams" => known!(OriginRequest),
        m if m.starts_with("Accounts.Origins.OriginCreateParams.")
            || m.starts_with("Accounts.Origins.OriginUpdateParams.")
            || m.starts_with("accounts.origin_create_params.")
            || m.starts_with("accounts.origin_update_params.") =>
        {
            match last(m) {
                "AkeneoPim" => variant!(OriginRequest, O::AkeneoPim),
                "AzureBlobStorage" => variant!(OriginRequest, O::AzureBlob),
                "CloudinaryBackup" => variant!(OriginRequest, O::CloudinaryBackup),
                "GoogleCloudStorageGcs" => variant!(OriginRequest, O::Gcs),
                "S3" => variant!(OriginRequest, O::S3),
                "S3Compatible" => variant!(OriginRequest, O::S3Compatible),
                "WebFolder" => variant!(OriginRequest, O::WebFolder),
                "WebProxy" => variant!(OriginRequest, O::WebProxy),
                _ => return None,
            }
        }
        "Accounts.Origins.OriginListResponse" | "accounts.origin_list_response.OriginListResponse" => {
            plain_of::<Vec<OriginResponse>>()
        }
        m if m.starts_with("Accounts.Origins.OriginResponse") || m.starts_with("accounts.origin_response.") => {
            st!(OriginResponse)
        }
        // URL endpoints.
        "Accounts.UrlEndpoints.URLEndpointCreateParams"
        | "Accounts.UrlEndpoints.URLEndpointUpdateParams"
        | "accounts.url_endpoint_create_params.URLEndpointCreateParams"
        | "accounts.url_endpoint_update_params.URLEndpointUpdateParams" => st!(UrlEndpointRequest),
        "Accounts.UrlEndpoints.URLEndpointResponse" | "accounts.url_endpoint_response.URLEndpointResponse" => {
            st!(UrlEndpointResponse)
        }
        "Accounts.UrlEndpoints.URLEndpointListResponse"
        | "accounts.url_endpoint_list_response.URLEndpointListResponse" => plain_of::<Vec<UrlEndpointResponse>>(),
        m if m.starts_with("Accounts.UrlEndpoints.") || m.starts_with("accounts.url_endpoint_") => match last(m) {
            "Akamai" | "URLRewriterAkamai" => variant!(UrlRewriter, UrlRewriter::Akamai),
            "Imgix" | "URLRewriterImgix" => variant!(UrlRewriter, UrlRewriter::Imgix),
            "Cloudinary" | "URLRewriterCloudinary" => variant!(UrlRewriter, UrlRewriter::Cloudinary),
            "URLRewriter" => known!(UrlRewriter),
            _ => return None,
        },
        // Usage.
        "Accounts.Usage.UsageGetParams"
        | "Accounts.UsageAnalytics.UsageAnalyticsGetParams"
        | "accounts.usage_get_params.UsageGetParams"
        | "accounts.usage_analytics_get_params.UsageAnalyticsGetParams" => plain_of::<UsageQuery>(),
        "Accounts.Usage.UsageGetResponse" | "accounts.usage_get_response.UsageGetResponse" => st!(Usage),
        "Accounts.UsageAnalytics.UsageAnalyticsResponse"
        | "accounts.usage_analytics_response.UsageAnalyticsResponse" => {
            st!(UsageAnalytics)
        }
        m if m.starts_with("Accounts.UsageAnalytics.UsageAnalyticsResponse.")
            || m.starts_with("accounts.usage_analytics_response.") =>
        {
            match last(m) {
                l if l.ends_with("ByBandwidth") || l.ends_with("ByRequest") => st!(BreakdownEntry),
                "Cache" => st!(CacheStats),
                "ErrorReason" | "StatusCode" | "Top404Asset" => st!(NamedCount),
                "Extension" => st!(ExtensionCount),
                "VideoProcessing" => st!(VideoProcessing),
                _ => st!(Breakdown),
            }
        }
        // Account webhooks.
        "accounts.webhook.Webhook" => st!(AccountWebhook),
        "accounts.webhook_list_response.WebhookListResponse" => plain_of::<Vec<AccountWebhook>>(),
        "accounts.webhook_create_params.WebhookCreateParams" => st!(CreateAccountWebhookRequest),
        "accounts.webhook_update_params.WebhookUpdateParams" => st!(UpdateAccountWebhookRequest),
        "accounts.webhook_event_type.WebhookEventType" => plain_of::<WebhookEventType>(),
        // Listing.
        "Assets.AssetListParams" | "asset_list_params.AssetListParams" => plain_of::<ListAssetsQuery>(),
        "Assets.AssetListResponse" | "asset_list_response.AssetListResponse" => plain_of::<Vec<Asset>>(),
        "asset_list_response.AssetListResponseItem" => known!(Asset),
        // Uploads.
        "Files.FileUploadParams"
        | "Beta.V2.Files.FileUploadParams"
        | "file_upload_params.FileUploadParams"
        | "beta.v2.file_upload_params.FileUploadParams" => st!(UploadParams),
        "Files.FileUploadParams.Transformation"
        | "Beta.V2.Files.FileUploadParams.Transformation"
        | "file_upload_params.Transformation"
        | "beta.v2.file_upload_params.Transformation" => st!(UploadTransformation),
        "file_upload_params.TransformationPost" | "beta.v2.file_upload_params.TransformationPost" => {
            known!(PostTransformation)
        }
        m if m.starts_with("Files.FileUploadParams.Transformation.")
            || m.starts_with("Beta.V2.Files.FileUploadParams.Transformation.")
            || m.starts_with("file_upload_params.TransformationPost")
            || m.starts_with("beta.v2.file_upload_params.TransformationPost") =>
        {
            match last(m) {
                "Abs" | "TransformationPostAbs" => variant!(PostTransformation, P::Abs),
                "GifToVideo" | "TransformationPostGifToVideo" => variant!(PostTransformation, P::GifToVideo),
                "Thumbnail" | "TransformationPostThumbnail" => variant!(PostTransformation, P::Thumbnail),
                "Transformation" | "TransformationPostTransformation" => {
                    variant!(PostTransformation, P::Transformation)
                }
                _ => return None,
            }
        }
        "Files.FileUploadResponse"
        | "Beta.V2.Files.FileUploadResponse"
        | "Webhooks.UploadPreTransformSuccessEvent.Data"
        | "file_upload_response.FileUploadResponse"
        | "beta.v2.file_upload_response.FileUploadResponse"
        | "upload_pre_transform_success_event.UploadPreTransformSuccessEventData" => st!(FileUploadResponse),
        // Purge.
        "Cache.Invalidation.InvalidationCreateParams" | "cache.invalidation_create_params.InvalidationCreateParams" => {
            st!(PurgeRequest)
        }
        "Cache.Invalidation.InvalidationCreateResponse"
        | "cache.invalidation_create_response.InvalidationCreateResponse" => st!(PurgeCreated),
        "Cache.Invalidation.InvalidationGetResponse" | "cache.invalidation_get_response.InvalidationGetResponse" => {
            st!(PurgeStatus)
        }
        // Custom metadata fields.
        "CustomMetadataFields.CustomMetadataField" | "custom_metadata_field.CustomMetadataField" => {
            st!(CustomMetadataField)
        }
        "CustomMetadataFields.CustomMetadataFieldListResponse"
        | "custom_metadata_field_list_response.CustomMetadataFieldListResponse" => {
            plain_of::<Vec<CustomMetadataField>>()
        }
        "CustomMetadataFields.CustomMetadataFieldCreateParams"
        | "custom_metadata_field_create_params.CustomMetadataFieldCreateParams" => {
            st!(CreateCustomMetadataFieldRequest)
        }
        "CustomMetadataFields.CustomMetadataFieldUpdateParams"
        | "custom_metadata_field_update_params.CustomMetadataFieldUpdateParams" => {
            st!(UpdateCustomMetadataFieldRequest)
        }
        "CustomMetadataFields.CustomMetadataFieldListParams"
        | "custom_metadata_field_list_params.CustomMetadataFieldListParams" => {
            plain_of::<ListCustomMetadataFieldsQuery>()
        }
        m if m.starts_with("CustomMetadataFields.") && m.ends_with(".Schema")
            || m.starts_with("custom_metadata_field") && m.ends_with(".Schema") =>
        {
            st!(FieldSchema)
        }
        "CustomMetadataFields.CustomMetadataFieldDeleteResponse" => st!(EmptyResponse),
        // Bulk.
        "Files.Bulk.BulkAddTagsParams"
        | "Files.Bulk.BulkRemoveTagsParams"
        | "files.bulk_add_tags_params.BulkAddTagsParams"
        | "files.bulk_remove_tags_params.BulkRemoveTagsParams" => st!(BulkTagsRequest),
        "Files.Bulk.BulkDeleteParams" | "files.bulk_delete_params.BulkDeleteParams" => st!(BulkDeleteRequest),
        "Files.Bulk.BulkRemoveAITagsParams" | "files.bulk_remove_ai_tags_params.BulkRemoveAITagsParams" => {
            st!(BulkRemoveAiTagsRequest)
        }
        "Files.Bulk.BulkDeleteResponse" | "files.bulk_delete_response.BulkDeleteResponse" => st!(BulkDeleteResponse),
        "Files.Bulk.BulkAddTagsResponse"
        | "Files.Bulk.BulkRemoveTagsResponse"
        | "Files.Bulk.BulkRemoveAITagsResponse"
        | "files.bulk_add_tags_response.BulkAddTagsResponse"
        | "files.bulk_remove_tags_response.BulkRemoveTagsResponse"
        | "files.bulk_remove_ai_tags_response.BulkRemoveAITagsResponse" => st!(BulkUpdateResponse),
        // Files.
        "Files.File" | "file.File" => st!(File),
        "Files.Versions.VersionListResponse" | "files.version_list_response.VersionListResponse" => {
            plain_of::<Vec<File>>()
        }
        m if last(m) == "AITag" || last(m) == "UploadPreTransformSuccessEventDataAITag" => st!(AiTag),
        m if last(m) == "VersionInfo" || last(m) == "UploadPreTransformSuccessEventDataVersionInfo" => {
            st!(VersionInfo)
        }
        m if last(m) == "SelectedFieldsSchema"
            || last(m) == "UploadPreTransformSuccessEventDataSelectedFieldsSchema" =>
        {
            st!(SelectedFieldSchema, schema.extra)
        }
        m if last(m).ends_with("ExtensionStatus") => extension_status,
        "Files.FileUpdateResponse" | "file_update_response.FileUpdateResponse" => st!(FileUpdateResponse, file.extra),
        "Files.FileCopyParams" | "file_copy_params.FileCopyParams" => st!(CopyFileRequest),
        "Files.FileMoveParams" | "file_move_params.FileMoveParams" => st!(MoveFileRequest),
        "Files.FileRenameParams" | "file_rename_params.FileRenameParams" => st!(RenameFileRequest),
        "Files.FileRenameResponse" | "file_rename_response.FileRenameResponse" => st!(RenameFileResponse),
        "Files.FileCopyResponse"
        | "Files.FileMoveResponse"
        | "Files.Versions.VersionDeleteResponse"
        | "Folders.FolderCreateResponse"
        | "Folders.FolderDeleteResponse"
        | "folder_create_response.FolderCreateResponse" => st!(EmptyResponse),
        "Files.FileUpdateParams"
        | "Files.UpdateFileRequest"
        | "file_update_params.FileUpdateParams"
        | "update_file_request_param.UpdateFileRequestParam" => plain_of::<UpdateFileRequest>(),
        m if last(m) == "UpdateFileDetails" => variant!(UpdateFileRequest, UpdateFileRequest::Details),
        m if last(m) == "ChangePublicationStatus" => change_publication,
        "Files.FileUpdateParams.ChangePublicationStatus.Publish"
        | "file_update_params.ChangePublicationStatusPublish" => {
            st!(PublishStatus)
        }
        "Files.Folder" | "folder.Folder" => st!(Folder),
        "folder.CreatedBy" => st!(CreatedBy),
        // Metadata.
        "Files.Metadata" | "metadata.Metadata" => st!(Metadata),
        "Files.Metadata.Exif" | "metadata.Exif" => st!(Exif),
        "Files.Metadata.Exif.Exif" | "metadata.ExifExif" => st!(ExifDetails),
        "Files.Metadata.Exif.Gps" | "metadata.ExifGps" => st!(ExifGps),
        "Files.Metadata.Exif.Image" | "metadata.ExifImage" => st!(ExifImage),
        "Files.Metadata.Exif.Interoperability" | "metadata.ExifInteroperability" => st!(ExifInteroperability),
        "Files.Metadata.Exif.Thumbnail" | "metadata.ExifThumbnail" => st!(ExifThumbnail),
        "Files.Metadata.MetadataGetFromURLParams" | "files.metadata_get_from_url_params.MetadataGetFromURLParams" => {
            plain_of::<MetadataFromUrlQuery>()
        }
        // Folders and jobs.
        "Folders.FolderCopyParams" | "folder_copy_params.FolderCopyParams" => st!(CopyFolderRequest),
        "Folders.FolderCreateParams" | "folder_create_params.FolderCreateParams" => st!(CreateFolderRequest),
        "Folders.FolderDeleteParams" | "folder_delete_params.FolderDeleteParams" => st!(DeleteFolderRequest),
        "Folders.FolderMoveParams" | "folder_move_params.FolderMoveParams" => st!(MoveFolderRequest),
        "Folders.FolderRenameParams" | "folder_rename_params.FolderRenameParams" => st!(RenameFolderRequest),
        "Folders.FolderCopyResponse"
        | "Folders.FolderMoveResponse"
        | "Folders.FolderRenameResponse"
        | "folder_copy_response.FolderCopyResponse"
        | "folder_move_response.FolderMoveResponse"
        | "folder_rename_response.FolderRenameResponse" => st!(JobCreated),
        "Folders.Job.JobGetResponse" | "folders.job_get_response.JobGetResponse" => st!(Job),
        // Named transformations and saved extensions.
        "Shared.NamedTransformation" | "shared.named_transformation.NamedTransformation" => st!(NamedTransformation),
        "NamedTransformations.NamedTransformationListResponse"
        | "named_transformation_list_response.NamedTransformationListResponse" => {
            plain_of::<Vec<NamedTransformation>>()
        }
        "NamedTransformations.NamedTransformationCreateParams"
        | "named_transformation_create_params.NamedTransformationCreateParams" => {
            st!(CreateNamedTransformationRequest)
        }
        "NamedTransformations.NamedTransformationUpdateParams"
        | "named_transformation_update_params.NamedTransformationUpdateParams" => {
            st!(UpdateNamedTransformationRequest)
        }
        "Shared.SavedExtension" | "shared.saved_extension.SavedExtension" => st!(SavedExtension),
        "SavedExtensions.SavedExtensionListResponse" | "saved_extension_list_response.SavedExtensionListResponse" => {
            plain_of::<Vec<SavedExtension>>()
        }
        "SavedExtensions.SavedExtensionCreateParams" | "saved_extension_create_params.SavedExtensionCreateParams" => {
            st!(CreateSavedExtensionRequest)
        }
        "SavedExtensions.SavedExtensionUpdateParams" | "saved_extension_update_params.SavedExtensionUpdateParams" => {
            st!(UpdateSavedExtensionRequest)
        }
        // Extensions (the same shapes in ExtensionConfig and Extensions, Node and Python).
        "Shared.ExtensionConfig"
        | "shared.extension_config.ExtensionConfig"
        | "shared_params.extension_config.ExtensionConfig"
        | "shared_params.extensions.ExtensionItem" => known!(Extension),
        "Shared.Extensions" | "shared_params.extensions.Extensions" => plain_of::<Vec<Extension>>(),
        m if m.starts_with("Shared.ExtensionConfig.")
            || m.starts_with("Shared.Extensions.")
            || m.starts_with("shared.extension_config.")
            || m.starts_with("shared_params.extension_config.")
            || m.starts_with("shared_params.extensions.") =>
        {
            extension_part(last(m).trim_start_matches("ExtensionItem"))?
        }
        // Webhook events.
        "Webhooks.UnwrapWebhookEvent"
        | "Webhooks.UnsafeUnwrapWebhookEvent"
        | "unwrap_webhook_event.UnwrapWebhookEvent"
        | "unsafe_unwrap_webhook_event.UnsafeUnwrapWebhookEvent" => known!(WebhookEvent),
        m if m.starts_with("Webhooks.") || m.ends_with("_event") || m.contains("_event.") => webhook_part(m)?,
        _ => return None,
    };
    Some(d)
}

/// Parts of an extension (`RemoveBg`, `AITasksTaskYesNoOnNo`, ...), named alike in
/// both SDKs once the Python prefixes are stripped.
fn extension_part(l: &str) -> Option<Decoder> {
    use Extension as E;
    Some(match l {
        "RemoveBg" => variant!(Extension, E::RemoveBg),
        "Options" | "RemoveBgOptions" => st!(RemoveBgOptions),
        "AutoTaggingExtension" => variant!(Extension, E::GoogleAutoTagging | E::AwsAutoTagging),
        "AIAutoDescription" => variant!(Extension, E::AiAutoDescription),
        "AITasks" => variant!(Extension, E::AiTasks),
        "SavedExtension" => variant!(Extension, E::SavedExtension),
        "AITasksTask" => known!(AiTask),
        "SelectTags" | "AITasksTaskSelectTags" => variant!(AiTask, AiTask::SelectTags),
        "SelectMetadata" | "AITasksTaskSelectMetadata" => variant!(AiTask, AiTask::SelectMetadata),
        "YesNo" | "AITasksTaskYesNo" => variant!(AiTask, AiTask::YesNo),
        l if l.ends_with("UnsetMetadata") => st!(UnsetMetadata),
        l if l.ends_with("SetMetadata") => st!(SetMetadata),
        "OnNo"
        | "OnYes"
        | "OnUnknown"
        | "AITasksTaskYesNoOnNo"
        | "AITasksTaskYesNoOnYes"
        | "AITasksTaskYesNoOnUnknown" => {
            st!(TaskActions)
        }
        _ => return None,
    })
}

/// Webhook events and their parts. Node: `Webhooks.<Event>[.Data|.Request...]`;
/// Python: `<event module>.<Event>[Data|Request...]`.
fn webhook_part(m: &str) -> Option<Decoder> {
    use PostTransformation as P;
    use WebhookEvent as W;
    // Node `Webhooks.VideoTransformationReadyEvent.Data.Transformation` and Python
    // `video_transformation_ready_event.VideoTransformationReadyEventDataTransformation`
    // both become (`VideoTransformationReadyEvent`, `DataTransformation`).
    let (event, part) = if let Some(rest) = m.strip_prefix("Webhooks.") {
        let mut segs = rest.splitn(2, '.');
        (segs.next()?.to_owned(), segs.next().unwrap_or("").replace('.', ""))
    } else {
        let class = last(m);
        let end = class.find("Event")? + "Event".len();
        (class[..end].to_owned(), class[end..].to_owned())
    };
    let video = event.starts_with("VideoTransformation");
    Some(match (event.as_str(), part.as_str()) {
        ("FileCreateEvent", "") => variant!(WebhookEvent, W::FileCreated),
        ("FileUpdateEvent", "") => variant!(WebhookEvent, W::FileUpdated),
        ("FileDeleteEvent", "") => variant!(WebhookEvent, W::FileDeleted),
        ("FileVersionCreateEvent", "") => variant!(WebhookEvent, W::FileVersionCreated),
        ("FileVersionDeleteEvent", "") => variant!(WebhookEvent, W::FileVersionDeleted),
        ("FolderCreateEvent", "") => variant!(WebhookEvent, W::FolderCreated),
        ("FolderUpdateEvent", "") => variant!(WebhookEvent, W::FolderUpdated),
        ("FolderDeleteEvent", "") => variant!(WebhookEvent, W::FolderDeleted),
        ("UploadPreTransformSuccessEvent", "") => variant!(WebhookEvent, W::UploadPreTransformSuccess),
        ("UploadPreTransformErrorEvent", "") => variant!(WebhookEvent, W::UploadPreTransformError),
        ("UploadPostTransformSuccessEvent", "") => variant!(WebhookEvent, W::UploadPostTransformSuccess),
        ("UploadPostTransformErrorEvent", "") => variant!(WebhookEvent, W::UploadPostTransformError),
        ("VideoTransformationAcceptedEvent", "") => variant!(WebhookEvent, W::VideoTransformationAccepted),
        ("VideoTransformationReadyEvent", "") => variant!(WebhookEvent, W::VideoTransformationReady),
        ("VideoTransformationErrorEvent", "") => variant!(WebhookEvent, W::VideoTransformationError),
        ("FileDeleteEvent", "Data") => st!(FileRef),
        ("FileVersionDeleteEvent", "Data") => st!(FileVersionRef),
        ("FolderDeleteEvent", "Data") => st!(FolderRef),
        ("UploadPreTransformErrorEvent", "Data") => st!(PreTransformErrorData),
        ("UploadPostTransformSuccessEvent" | "UploadPostTransformErrorEvent", "Data") => st!(PostTransformData),
        (_, "DataTransformation") if !video => st!(TransformationError),
        (_, "DataTransformationError") if !video => st!(ErrorReason),
        ("UploadPreTransformErrorEvent" | "UploadPreTransformSuccessEvent", "Request") => st!(PreTransformRequest),
        ("UploadPostTransformSuccessEvent" | "UploadPostTransformErrorEvent", "Request") => st!(PostTransformRequest),
        // One flat object in the official models; a tagged union here.
        ("UploadPostTransformSuccessEvent" | "UploadPostTransformErrorEvent", "RequestTransformation") => {
            variant!(PostTransformation, P::Abs | P::Transformation | P::GifToVideo | P::Thumbnail)
        }
        (_, "Data") if video => st!(VideoTransformationData),
        (_, "DataAsset") if video => st!(AssetRef),
        (_, "DataTransformation") if video => st!(VideoTransformation),
        (_, "DataTransformationOptions") if video => st!(VideoTransformationOptions),
        (_, "DataTransformationError") if video => st!(VideoError),
        (_, "DataTransformationOutput") if video => st!(VideoOutput),
        (_, "DataTransformationOutputVideoMetadata") if video => st!(VideoMetadata),
        (_, "Request") if video => st!(VideoRequest),
        (_, "Timings") if video => st!(Timings),
        _ => return None,
    })
}

/// Models with samples that no Rust type stands for, and why.
const UNMAPPED: &[(&str, &str)] = &[
    ("Files.Versions.VersionDeleteParams", "path parameters only (fileId, versionId): no body or query to decode"),
    ("Files.Versions.VersionGetParams", "path parameters only (fileId, versionId): no body or query to decode"),
    ("Files.Versions.VersionRestoreParams", "path parameters only (fileId, versionId): no body or query to decode"),
];

/// Official properties that are not typed fields of the mapped Rust type, and why.
/// `*` matches any model.
const UNTYPED: &[(&str, &str, &str)] = &[
    ("*FileUploadParams", "file", "the file is the multipart body part, sent beside UploadParams"),
    (
        "*RequestTransformation",
        "protocol",
        "the official model flattens the four post-transformations into one object; `protocol` is typed on `abs` \
         (PostAbs) and kept in `extra` on the others, which do not use it",
    ),
    (
        "*Request.Transformation",
        "protocol",
        "the official model flattens the four post-transformations into one object; `protocol` is typed on `abs` \
         (PostAbs) and kept in `extra` on the others, which do not use it",
    ),
];

// ---------------------------------------------------------------------------
// Comparison.

/// Keys whose Rust type is an integer: a fractional value is read as the nearest
/// integer (`imagekit_types` num module), so a fractional sample comes back
/// rounded there. The API sends integers for all of these (pixels, bytes, counts,
/// kbps, whole seconds).
const INTEGER_KEYS: &[&str] = &[
    "width",
    "height",
    "size",
    "bitRate",
    "duration",
    "density",
    "quality",
    "maxTags",
    "max_selections",
    "min_selections",
    "bandwidthBytes",
    "mediaLibraryStorageBytes",
    "originalCacheStorageBytes",
    "videoProcessingUnitsCount",
    "extensionUnitsCount",
    "limit",
    "skip",
    "expire",
];

/// What a comparison found: differences, and the integer keys that rounded.
#[derive(Default)]
struct Diff {
    errors: Vec<String>,
    rounded: BTreeSet<&'static str>,
}

fn compare(path: &str, key: &str, input: &Value, output: Option<&Value>, fractional: bool, diff: &mut Diff) {
    match (input, output) {
        // `null` is "no value": an Option holds it as None and writes nothing back.
        (Value::Null, None | Some(Value::Null)) => {}
        (_, None) => diff.errors.push(format!("{path}: {input} was dropped")),
        (Value::Object(a), Some(Value::Object(b))) => {
            for (k, v) in a {
                compare(&format!("{path}.{k}"), k, v, b.get(k), fractional, diff);
            }
            for (k, v) in b {
                if !a.contains_key(k) && !v.is_null() {
                    diff.errors.push(format!("{path}.{k}: written back as {v} but absent from the input"));
                }
            }
        }
        (Value::Array(a), Some(Value::Array(b))) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                compare(&format!("{path}[{i}]"), key, x, Some(y), fractional, diff);
            }
        }
        (Value::Number(a), Some(Value::Number(b))) => {
            let (x, y) = (a.as_f64().unwrap_or(f64::NAN), b.as_f64().unwrap_or(f64::NAN));
            let integer_key = INTEGER_KEYS.iter().find(|k| **k == key);
            match integer_key {
                _ if x == y => {}
                Some(k) if fractional && x.fract() != 0.0 && y == x.round() => {
                    diff.rounded.insert(k);
                }
                _ => diff.errors.push(format!("{path}: {a} came back as {b}")),
            }
        }
        (a, Some(b)) if a == b => {}
        (a, Some(b)) => diff.errors.push(format!("{path}: {a} came back as {b}")),
    }
}

// ---------------------------------------------------------------------------
// The tests.

#[test]
fn every_official_sample_decodes_and_writes_back() {
    let mut failures = BTreeMap::<String, Vec<String>>::new();
    let samples = load_samples();
    let mut decoded = 0;
    let mut rounded = BTreeSet::new();
    for s in &samples {
        let Some(decode) = decoder(&s.model) else { continue };
        let text = s.json.to_string();
        let key = format!("{} {} [{}]", s.sdk, s.model, s.case);
        match decode(&text) {
            Err(e) => failures.entry(key).or_default().push(format!("does not decode: {e}")),
            Ok(d) => {
                decoded += 1;
                let mut diff = Diff::default();
                compare("$", "", &s.json, Some(&d.value), s.fractional, &mut diff);
                rounded.extend(diff.rounded);
                if !diff.errors.is_empty() {
                    failures.entry(key).or_default().extend(diff.errors);
                }
            }
        }
    }
    for k in INTEGER_KEYS.iter().filter(|k| !rounded.contains(*k)) {
        failures.entry(format!("INTEGER_KEYS {k}")).or_default().push("never rounded: remove it".into());
    }
    let report: Vec<String> = failures.iter().map(|(k, v)| format!("{k}:\n    {}", v.join("\n    "))).collect();
    assert!(
        failures.is_empty(),
        "{} of {} samples fail ({} decoded):\n{}",
        failures.len(),
        samples.len(),
        decoded,
        report.join("\n")
    );
}

/// `pattern` is a model name, or `*` and a suffix of one.
fn model_matches(pattern: &str, model: &str) -> bool {
    match pattern.strip_prefix('*') {
        Some(suffix) => model.ends_with(suffix),
        None => pattern == model,
    }
}

fn untyped_reason(model: &str, property: &str) -> Option<&'static str> {
    UNTYPED.iter().find_map(|&(m, p, why)| (model_matches(m, model) && p == property).then_some(why))
}

#[test]
fn every_official_property_is_a_typed_field() {
    let samples = load_samples();
    let mut all_samples = BTreeMap::new();
    for s in &samples {
        if s.case == "all" {
            all_samples.insert((s.sdk.clone(), s.model.clone()), s);
        }
    }
    let mut failures = Vec::new();
    let mut used = BTreeSet::new();
    let mut checked = 0;
    for sdk in ["nodejs", "python"] {
        for m in load_models(sdk) {
            if m.properties.is_empty() {
                continue;
            }
            let Some(sample) = all_samples.get(&(m.sdk.clone(), m.name.clone())) else { continue };
            let Some(decode) = decoder(&m.name) else { continue };
            let extra = match decode(&sample.json.to_string()) {
                Ok(d) => d.extra,
                Err(e) => {
                    failures.push(format!("{sdk} {}: cannot check, the `all` sample does not decode: {e}", m.name));
                    continue;
                }
            };
            for p in &m.properties {
                checked += 1;
                if !extra.contains(&p.name) {
                    continue;
                }
                match UNTYPED.iter().position(|&(um, up, _)| up == p.name && model_matches(um, &m.name)) {
                    Some(i) => {
                        used.insert(i);
                    }
                    None => failures.push(format!("{sdk} {}.{}: lands in `extra`, not a typed field", m.name, p.name)),
                }
            }
        }
    }
    assert!(checked > 1500, "only {checked} properties checked");
    for (i, (m, p, _)) in UNTYPED.iter().enumerate() {
        if !used.contains(&i) {
            failures.push(format!("exception for {m}.{p} is not needed any more: remove it"));
        }
    }
    assert!(failures.is_empty(), "{} official properties untyped:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn official_literal_values_decode_into_known_variants() {
    let mut literal_props = BTreeMap::<(String, String), Vec<(String, Vec<String>)>>::new();
    for sdk in ["nodejs", "python"] {
        for m in load_models(sdk) {
            let props: Vec<_> = m
                .properties
                .iter()
                .filter(|p| p.literals.len() >= 2)
                .map(|p| (p.name.clone(), p.literals.clone()))
                .collect();
            if !props.is_empty() {
                literal_props.insert((sdk.to_owned(), m.name.clone()), props);
            }
        }
    }
    let mut failures = BTreeSet::new();
    for s in load_samples() {
        if s.case != "all" && !s.case.starts_with("literal:") {
            continue;
        }
        let Some(props) = literal_props.get(&(s.sdk.clone(), s.model.clone())) else { continue };
        let Some(decode) = decoder(&s.model) else { continue };
        let Ok(d) = decode(&s.json.to_string()) else { continue }; // reported by the decode test
        for (name, _) in props {
            let values: Vec<&str> = match &s.json[name] {
                Value::String(v) => vec![v.as_str()],
                Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            for v in values {
                // A known variant prints as `Name`; a String or `Unknown("..")` keeps the quotes.
                if d.debug.contains(&format!("{v:?}")) && untyped_reason(&s.model, name).is_none() {
                    failures.insert(format!("{} {}.{} = {v:?}: not a known enum variant", s.sdk, s.model, name));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} literal values are kept as strings:\n{}",
        failures.len(),
        failures.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn fixture_covers_every_official_model() {
    let node = load_models("nodejs");
    let python = load_models("python");
    let samples = load_samples();
    // A truncated or regenerated-by-another-version fixture fails here.
    assert_eq!(node.len(), 307, "Node models");
    assert_eq!(python.len(), 374, "Python models");
    let count = |sdk: &str| samples.iter().filter(|s| s.sdk == sdk).count();
    assert_eq!(count("nodejs"), 902, "Node samples");
    assert_eq!(count("python"), 1088, "Python samples");
    assert_eq!(samples.iter().filter(|s| s.fractional).count(), 175, "fractional samples");

    let with_samples: BTreeSet<(&str, &str)> = samples.iter().map(|s| (s.sdk.as_str(), s.model.as_str())).collect();
    let mut failures = Vec::new();
    for m in node.iter().chain(&python) {
        let sampled = with_samples.contains(&(m.sdk.as_str(), m.name.as_str()));
        if m.has_side && !sampled {
            failures.push(format!("{} {}: on a side of the API but has no sample", m.sdk, m.name));
        }
        let unmapped = UNMAPPED.iter().any(|(n, _)| *n == m.name);
        if sampled && decoder(&m.name).is_none() && !unmapped {
            failures.push(format!("{} {}: no Rust type mapped", m.sdk, m.name));
        }
        if unmapped && decoder(&m.name).is_some() {
            failures.push(format!("{} {}: listed as unmapped but has a mapping", m.sdk, m.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
