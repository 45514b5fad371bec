//! Decoders: an official model name -> the Rust type that stands for it, decoded and written
//! back.

use std::fmt::Debug;

use imagekit_types::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A sample decoded into our type and written back.
pub struct Decoded {
    /// Our type serialized again.
    pub value: Value,
    /// The keys that landed in the type's map of unknown fields.
    pub extra: Vec<String>,
    /// `{:?}` of the decoded value, to tell enum variants from strings.
    pub debug: String,
}

pub type Decoder = fn(&str) -> Result<Decoded, String>;

/// Decode `json` as `T`; `extra` finds the map of unknown fields (`None`: the
/// value decoded into the wrong variant of an enum).
pub fn typed<T: DeserializeOwned + Serialize + Debug>(
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
pub fn plain<T: DeserializeOwned + Serialize + Debug>(json: &str) -> Result<Decoded, String> {
    static EMPTY: std::sync::OnceLock<Object> = std::sync::OnceLock::new();
    typed::<T>(json, |_| Some(EMPTY.get_or_init(Object::new)))
}

pub fn clip(s: &str) -> &str {
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
pub fn extension_status(json: &str) -> Result<Decoded, String> {
    let r: FileUploadResponse =
        serde_json::from_str(&format!(r#"{{"extensionStatus":{json}}}"#)).map_err(|e| e.to_string())?;
    let status = r.extension_status.ok_or("extensionStatus not read")?;
    let value = serde_json::to_value(&status).map_err(|e| format!("serialize: {e}"))?;
    Ok(Decoded { value, extra: Vec::new(), debug: format!("{status:?}") })
}

/// The publication shape of a file update. Its one property is optional, and an
/// empty object is also an (empty) details update, which is how the untagged
/// `UpdateFileRequest` reads `{}`.
pub fn change_publication(json: &str) -> Result<Decoded, String> {
    if json == "{}" {
        return plain::<UpdateFileRequest>(json);
    }
    typed::<UpdateFileRequest>(json, |r| match r {
        UpdateFileRequest::Publication(p) => Some(&p.extra),
        _ => None,
    })
}

pub fn plain_of<T: DeserializeOwned + Serialize + Debug>() -> Decoder {
    plain::<T>
}

pub fn last(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// The Rust type each official model decodes into. Node names are qualified by
/// file and namespace (`Files.Metadata.Exif.Exif`), Python names by module
/// (`metadata.ExifExif`).
pub fn decoder(model: &str) -> Option<Decoder> {
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
pub fn extension_part(l: &str) -> Option<Decoder> {
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
pub fn webhook_part(m: &str) -> Option<Decoder> {
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
