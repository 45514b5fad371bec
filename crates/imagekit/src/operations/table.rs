//! The rows: one constant per operation, and [`OPERATIONS`] listing them all.

use super::{Host, Method, Operation, Param, Retry};

/// `GET` → [`Method::Get`], ...
macro_rules! method {
    (GET) => {
        Method::Get
    };
    (POST) => {
        Method::Post
    };
    (PUT) => {
        Method::Put
    };
    (PATCH) => {
        Method::Patch
    };
    (DELETE) => {
        Method::Delete
    };
}

/// Each row becomes a documented constant and an entry of [`OPERATIONS`];
/// fields not given keep [`Operation::BASE`]'s value.
macro_rules! rows {
    ($(
        $id:ident = $name:literal $method:ident $path:literal, $summary:literal
        { $($field:ident: $value:expr),* $(,)? }
    )*) => {
        $(
            #[doc = concat!("`", $name, "`: ", $summary, " (`", stringify!($method), " ", $path, "`)")]
            pub const $id: Operation = Operation {
                name: $name,
                summary: $summary,
                method: method!($method),
                path: $path,
                $($field: $value,)*
                ..Operation::BASE
            };
        )*

        /// Every operation, in the official SDK's order (files, assets,
        /// folders, cache, custom metadata fields, saved extensions, named
        /// transformations, accounts, beta).
        pub static OPERATIONS: &[Operation] = &[$($id),*];
    };
}

const FILE_ID: Param = Param::path("fileId", "the file's id");
const VERSION_ID: Param = Param::path("versionId", "the version's id");
const ID: Param = Param::path("id", "the item's id");

/// The form fields of both uploads.
const UPLOAD_FORM: &[Param] = &[
    Param::form("file", "the file: binary, base64, or an http(s) URL for ImageKit to fetch").required(),
    Param::form("fileName", "the name to store it under").required(),
    Param::form("folder", "the folder to store it in (default /)"),
    Param::form("useUniqueFileName", "add a random suffix to the name (default true)"),
    Param::form("tags", "tags, a list"),
    Param::form("isPrivateFile", "serve only signed URLs"),
    Param::form("isPublished", "publish it (default true)"),
    Param::form("customCoordinates", "x,y,width,height of the area of interest"),
    Param::form("customMetadata", "values of custom metadata fields, an object"),
    Param::form("responseFields", "extra fields of the response, a list"),
    Param::form("extensions", "extensions to run, a list"),
    Param::form("webhookUrl", "where to post the extensions' results"),
    Param::form("overwriteFile", "replace a file of the same name (default true)"),
    Param::form("description", "a description"),
    Param::form("transformation", "pre and post transformations"),
    Param::form("checks", "server-side checks the upload must pass"),
];

const BULK_FILE_IDS: Param = Param::body("fileIds", "the files' ids, a list").required();
const BULK_TAGS: &[Param] = &[BULK_FILE_IDS, Param::body("tags", "the tags, a list").required()];
const DATES: &[Param] = &[
    Param::query("startDate", "the first day, YYYY-MM-DD").required(),
    Param::query("endDate", "the day after the last, YYYY-MM-DD").required(),
];
const SAVED_EXTENSION: &[Param] = &[
    Param::body("name", "its name"),
    Param::body("description", "what it does"),
    Param::body("config", "the extension, an object with its `name`"),
];
const NAMED_TRANSFORMATION: &[Param] = &[
    Param::body("name", "its name, used in URLs as tr:n-<name>"),
    Param::body("transformation", "the transformation string, e.g. w-300,h-300"),
    Param::body("enabled", "whether URLs may use it"),
];
const ORIGIN: &[Param] = &[
    Param::body("type", "S3, S3_COMPATIBLE, CLOUDINARY_BACKUP, WEB_FOLDER, WEB_PROXY, GCS, AZURE_BLOB or AKENEO_PIM")
        .required(),
    Param::body("name", "its name").required(),
    Param::body("baseUrl", "the base URL (web folder, Akeneo); other fields depend on the type"),
];
const ORIGIN_WITH_ID: &[Param] = &[ID, ORIGIN[0], ORIGIN[1], ORIGIN[2]];
const URL_ENDPOINT: &[Param] = &[
    Param::body("description", "a description").required(),
    Param::body("urlPrefix", "the path prefix it serves"),
    Param::body("origins", "origin ids, tried in order, a list"),
    Param::body("urlRewriter", "a rewriter for another provider's URLs, an object"),
];
const URL_ENDPOINT_WITH_ID: &[Param] = &[ID, URL_ENDPOINT[0], URL_ENDPOINT[1], URL_ENDPOINT[2], URL_ENDPOINT[3]];

rows! {
    FILES_UPLOAD = "files.upload" POST "/api/v1/files/upload", "Upload a file (multipart)." {
        host: Host::Upload, request: Some("UploadParams"), response: "FileUploadResponse", retry: Retry::Upload,
        params: UPLOAD_FORM, extra_fields: true,
    }
    FILES_GET = "files.get" GET "/v1/files/{fileId}/details", "A file's details." {
        response: "File", params: &[FILE_ID],
    }
    FILES_UPDATE = "files.update" PATCH "/v1/files/{fileId}/details", "Update a file's details, or publish it." {
        request: Some("UpdateFileRequest"), response: "FileUpdateResponse", extra_fields: true,
        params: &[
            FILE_ID,
            Param::body("tags", "the tags, a list (null removes them)"),
            Param::body("customCoordinates", "x,y,width,height (null removes them)"),
            Param::body("customMetadata", "values of custom metadata fields, an object"),
            Param::body("description", "a description"),
            Param::body("extensions", "extensions to run, a list"),
            Param::body("removeAITags", "AI tags to remove, a list or \"all\""),
            Param::body("webhookUrl", "where to post the extensions' results"),
            Param::body("publish", "{\"isPublished\": bool, \"includeFileVersions\": bool}, alone"),
        ],
    }
    FILES_DELETE = "files.delete" DELETE "/v1/files/{fileId}", "Delete a file and all its versions." {
        params: &[FILE_ID],
    }
    FILES_COPY = "files.copy" POST "/v1/files/copy", "Copy a file into a folder." {
        request: Some("CopyFileRequest"), response: "EmptyResponse", extra_fields: true,
        params: &[
            Param::body("sourceFilePath", "the file to copy").required(),
            Param::body("destinationPath", "the folder to copy it to").required(),
            Param::body("includeFileVersions", "copy its versions too"),
        ],
    }
    FILES_MOVE = "files.move" POST "/v1/files/move", "Move a file into a folder." {
        request: Some("MoveFileRequest"), response: "EmptyResponse", extra_fields: true,
        params: &[
            Param::body("sourceFilePath", "the file to move").required(),
            Param::body("destinationPath", "the folder to move it to").required(),
        ],
    }
    FILES_RENAME = "files.rename" PUT "/v1/files/rename", "Rename a file." {
        request: Some("RenameFileRequest"), response: "RenameFileResponse", extra_fields: true,
        params: &[
            Param::body("filePath", "the file to rename").required(),
            Param::body("newFileName", "its new name").required(),
            Param::body("purgeCache", "purge the old URL from the CDN"),
        ],
    }
    FILES_BULK_DELETE = "files.bulk.delete" POST "/v1/files/batch/deleteByFileIds", "Delete up to 100 files." {
        request: Some("BulkDeleteRequest"), response: "BulkDeleteResponse", params: &[BULK_FILE_IDS],
    }
    FILES_BULK_ADD_TAGS = "files.bulk.addTags" POST "/v1/files/addTags", "Add tags to up to 50 files." {
        request: Some("BulkTagsRequest"), response: "BulkUpdateResponse", params: BULK_TAGS,
    }
    FILES_BULK_REMOVE_TAGS = "files.bulk.removeTags" POST "/v1/files/removeTags", "Remove tags from up to 50 files." {
        request: Some("BulkTagsRequest"), response: "BulkUpdateResponse", params: BULK_TAGS,
    }
    FILES_BULK_REMOVE_AI_TAGS = "files.bulk.removeAITags" POST "/v1/files/removeAITags",
        "Remove AI tags from up to 50 files." {
        request: Some("BulkRemoveAiTagsRequest"), response: "BulkUpdateResponse",
        params: &[BULK_FILE_IDS, Param::body("AITags", "the AI tags, a list").required()],
    }
    FILES_VERSIONS_LIST = "files.versions.list" GET "/v1/files/{fileId}/versions", "A file's versions (at most 100)." {
        response: "Vec<File>", params: &[FILE_ID],
    }
    FILES_VERSIONS_GET = "files.versions.get" GET "/v1/files/{fileId}/versions/{versionId}", "One version of a file." {
        response: "File", params: &[FILE_ID, VERSION_ID],
    }
    FILES_VERSIONS_DELETE = "files.versions.delete" DELETE "/v1/files/{fileId}/versions/{versionId}",
        "Delete a version that is not the current one." {
        response: "EmptyResponse", params: &[FILE_ID, VERSION_ID],
    }
    FILES_VERSIONS_RESTORE = "files.versions.restore" PUT "/v1/files/{fileId}/versions/{versionId}/restore",
        "Make a version the current one." {
        response: "File", params: &[FILE_ID, VERSION_ID],
    }
    FILES_METADATA_GET = "files.metadata.get" GET "/v1/files/{fileId}/metadata", "A stored file's technical metadata." {
        response: "Metadata", params: &[FILE_ID],
    }
    FILES_METADATA_GET_FROM_URL = "files.metadata.getFromURL" GET "/v1/metadata",
        "The technical metadata of any URL the account serves." {
        request: Some("MetadataFromUrlQuery"), response: "Metadata",
        params: &[Param::query("url", "the URL").required()],
    }
    ASSETS_LIST = "assets.list" GET "/v1/files", "One page of the media library: files, versions and folders." {
        request: Some("ListAssetsQuery"), response: "Vec<Asset>",
        params: &[
            Param::query("type", "file, file-version, folder or all"),
            Param::query("sort", "e.g. ASC_CREATED, DESC_NAME"),
            Param::query("path", "only under this folder"),
            Param::query("searchQuery", "a Lucene-like query, e.g. size > 1mb"),
            Param::query("fileType", "all, image or non-image"),
            Param::query("limit", "items per page, 1 to 1000"),
            Param::query("skip", "items to skip"),
        ],
    }
    FOLDERS_CREATE = "folders.create" POST "/v1/folder", "Create a folder." {
        request: Some("CreateFolderRequest"), response: "EmptyResponse",
        params: &[
            Param::body("folderName", "the new folder's name").required(),
            Param::body("parentFolderPath", "the folder to create it in").required(),
        ],
    }
    FOLDERS_DELETE = "folders.delete" DELETE "/v1/folder", "Delete a folder and everything in it." {
        request: Some("DeleteFolderRequest"), response: "EmptyResponse",
        params: &[Param::body("folderPath", "the folder").required()],
    }
    FOLDERS_COPY = "folders.copy" POST "/v1/bulkJobs/copyFolder", "Start a job copying a folder." {
        request: Some("CopyFolderRequest"), response: "JobCreated", extra_fields: true,
        params: &[
            Param::body("sourceFolderPath", "the folder to copy").required(),
            Param::body("destinationPath", "the folder to copy it into").required(),
            Param::body("includeVersions", "copy file versions too"),
        ],
    }
    FOLDERS_MOVE = "folders.move" POST "/v1/bulkJobs/moveFolder", "Start a job moving a folder." {
        request: Some("MoveFolderRequest"), response: "JobCreated", extra_fields: true,
        params: &[
            Param::body("sourceFolderPath", "the folder to move").required(),
            Param::body("destinationPath", "the folder to move it into").required(),
        ],
    }
    FOLDERS_RENAME = "folders.rename" POST "/v1/bulkJobs/renameFolder", "Start a job renaming a folder." {
        request: Some("RenameFolderRequest"), response: "JobCreated", extra_fields: true,
        params: &[
            Param::body("folderPath", "the folder to rename").required(),
            Param::body("newFolderName", "its new name").required(),
            Param::body("purgeCache", "purge the old URLs from the CDN"),
        ],
    }
    FOLDERS_JOB_GET = "folders.job.get" GET "/v1/bulkJobs/{jobId}", "The status of a folder job." {
        response: "Job", params: &[Param::path("jobId", "the job's id")],
    }
    CACHE_INVALIDATION_CREATE = "cache.invalidation.create" POST "/v1/files/purge", "Purge a URL from the CDN cache." {
        request: Some("PurgeRequest"), response: "PurgeCreated",
        params: &[Param::body("url", "the full URL to purge").required()],
    }
    CACHE_INVALIDATION_GET = "cache.invalidation.get" GET "/v1/files/purge/{requestId}", "The status of a purge." {
        response: "PurgeStatus", params: &[Param::path("requestId", "the purge's request id")],
    }
    CUSTOM_METADATA_FIELDS_LIST = "customMetadataFields.list" GET "/v1/customMetadataFields",
        "The custom metadata fields." {
        request: Some("ListCustomMetadataFieldsQuery"), response: "Vec<CustomMetadataField>",
        params: &[
            Param::query("folderPath", "only the fields that apply under this folder"),
            Param::query("includeDeleted", "include deleted fields"),
        ],
    }
    CUSTOM_METADATA_FIELDS_CREATE = "customMetadataFields.create" POST "/v1/customMetadataFields",
        "Create a custom metadata field." {
        request: Some("CreateCustomMetadataFieldRequest"), response: "CustomMetadataField", extra_fields: true,
        params: &[
            Param::body("name", "its API name").required(),
            Param::body("label", "its label in the dashboard").required(),
            Param::body("schema", "its type and bounds, e.g. {\"type\": \"Number\"}").required(),
            Param::body("description", "a description"),
        ],
    }
    CUSTOM_METADATA_FIELDS_UPDATE = "customMetadataFields.update" PATCH "/v1/customMetadataFields/{id}",
        "Update a custom metadata field." {
        request: Some("UpdateCustomMetadataFieldRequest"), response: "CustomMetadataField", extra_fields: true,
        params: &[
            ID,
            Param::body("label", "its label in the dashboard"),
            Param::body("description", "a description"),
            Param::body("schema", "its type and bounds"),
        ],
    }
    CUSTOM_METADATA_FIELDS_DELETE = "customMetadataFields.delete" DELETE "/v1/customMetadataFields/{id}",
        "Delete a custom metadata field." {
        response: "EmptyResponse", params: &[ID],
    }
    SAVED_EXTENSIONS_LIST = "savedExtensions.list" GET "/v1/saved-extensions", "The saved extensions." {
        response: "Vec<SavedExtension>",
    }
    SAVED_EXTENSIONS_CREATE = "savedExtensions.create" POST "/v1/saved-extensions", "Save an extension by name." {
        request: Some("CreateSavedExtensionRequest"), response: "SavedExtension", extra_fields: true,
        params: &[SAVED_EXTENSION[0].required(), SAVED_EXTENSION[1].required(), SAVED_EXTENSION[2].required()],
    }
    SAVED_EXTENSIONS_GET = "savedExtensions.get" GET "/v1/saved-extensions/{id}", "One saved extension." {
        response: "SavedExtension", params: &[ID],
    }
    SAVED_EXTENSIONS_UPDATE = "savedExtensions.update" PATCH "/v1/saved-extensions/{id}",
        "Change the fields given of a saved extension." {
        request: Some("UpdateSavedExtensionRequest"), response: "SavedExtension", extra_fields: true,
        params: &[ID, SAVED_EXTENSION[0], SAVED_EXTENSION[1], SAVED_EXTENSION[2]],
    }
    SAVED_EXTENSIONS_DELETE = "savedExtensions.delete" DELETE "/v1/saved-extensions/{id}", "Delete a saved extension." {
        params: &[ID],
    }
    NAMED_TRANSFORMATIONS_LIST = "namedTransformations.list" GET "/v1/named-transformations",
        "The named transformations." {
        response: "Vec<NamedTransformation>",
    }
    NAMED_TRANSFORMATIONS_CREATE = "namedTransformations.create" POST "/v1/named-transformations",
        "Create a named transformation." {
        request: Some("CreateNamedTransformationRequest"), response: "NamedTransformation", extra_fields: true,
        params: &[NAMED_TRANSFORMATION[0].required(), NAMED_TRANSFORMATION[1].required(), NAMED_TRANSFORMATION[2]],
    }
    NAMED_TRANSFORMATIONS_GET = "namedTransformations.get" GET "/v1/named-transformations/{id}",
        "One named transformation." {
        response: "NamedTransformation", params: &[ID],
    }
    NAMED_TRANSFORMATIONS_UPDATE = "namedTransformations.update" PATCH "/v1/named-transformations/{id}",
        "Change the fields given of a named transformation." {
        request: Some("UpdateNamedTransformationRequest"), response: "NamedTransformation", extra_fields: true,
        params: &[ID, NAMED_TRANSFORMATION[0], NAMED_TRANSFORMATION[1], NAMED_TRANSFORMATION[2]],
    }
    NAMED_TRANSFORMATIONS_DELETE = "namedTransformations.delete" DELETE "/v1/named-transformations/{id}",
        "Delete a named transformation." {
        params: &[ID],
    }
    ACCOUNTS_USAGE_GET = "accounts.usage.get" GET "/v1/accounts/usage",
        "Usage between two days (end exclusive, under 90 days)." {
        request: Some("UsageQuery"), response: "Usage", params: DATES,
    }
    ACCOUNTS_USAGE_ANALYTICS_GET = "accounts.usageAnalytics.get" GET "/v1/accounts/usage-analytics",
        "Usage analytics between two days (both inclusive, UTC)." {
        request: Some("UsageQuery"), response: "UsageAnalytics", params: DATES,
    }
    ACCOUNTS_ORIGINS_LIST = "accounts.origins.list" GET "/v1/accounts/origins", "The origins." {
        response: "Vec<OriginResponse>",
    }
    ACCOUNTS_ORIGINS_CREATE = "accounts.origins.create" POST "/v1/accounts/origins", "Create an origin." {
        request: Some("OriginRequest"), response: "OriginResponse", extra_fields: true, params: ORIGIN,
    }
    ACCOUNTS_ORIGINS_GET = "accounts.origins.get" GET "/v1/accounts/origins/{id}", "One origin." {
        response: "OriginResponse", params: &[ID],
    }
    ACCOUNTS_ORIGINS_UPDATE = "accounts.origins.update" PUT "/v1/accounts/origins/{id}", "Replace an origin." {
        request: Some("OriginRequest"), response: "OriginResponse", extra_fields: true, params: ORIGIN_WITH_ID,
    }
    ACCOUNTS_ORIGINS_DELETE = "accounts.origins.delete" DELETE "/v1/accounts/origins/{id}", "Delete an origin." {
        params: &[ID],
    }
    ACCOUNTS_URL_ENDPOINTS_LIST = "accounts.urlEndpoints.list" GET "/v1/accounts/url-endpoints", "The URL endpoints." {
        response: "Vec<UrlEndpointResponse>",
    }
    ACCOUNTS_URL_ENDPOINTS_CREATE = "accounts.urlEndpoints.create" POST "/v1/accounts/url-endpoints",
        "Create a URL endpoint." {
        request: Some("UrlEndpointRequest"), response: "UrlEndpointResponse", extra_fields: true, params: URL_ENDPOINT,
    }
    ACCOUNTS_URL_ENDPOINTS_GET = "accounts.urlEndpoints.get" GET "/v1/accounts/url-endpoints/{id}",
        "One URL endpoint." {
        response: "UrlEndpointResponse", params: &[ID],
    }
    ACCOUNTS_URL_ENDPOINTS_UPDATE = "accounts.urlEndpoints.update" PUT "/v1/accounts/url-endpoints/{id}",
        "Replace a URL endpoint." {
        request: Some("UrlEndpointRequest"), response: "UrlEndpointResponse", extra_fields: true,
        params: URL_ENDPOINT_WITH_ID,
    }
    ACCOUNTS_URL_ENDPOINTS_DELETE = "accounts.urlEndpoints.delete" DELETE "/v1/accounts/url-endpoints/{id}",
        "Delete a URL endpoint." {
        params: &[ID],
    }
    ACCOUNTS_WEBHOOKS_LIST = "accounts.webhooks.list" GET "/v1/accounts/webhooks",
        "The account webhooks (endpoints ImageKit posts events to)." {
        response: "Vec<AccountWebhook>",
    }
    ACCOUNTS_WEBHOOKS_CREATE = "accounts.webhooks.create" POST "/v1/accounts/webhooks",
        "Create an account webhook; the answer holds its signing secret." {
        request: Some("CreateAccountWebhookRequest"), response: "AccountWebhook", extra_fields: true,
        params: &[
            Param::body("endpoint", "the URL events are posted to").required(),
            Param::body("events", "the event types, a list").required(),
            Param::body("enabled", "whether it receives events (default true)"),
        ],
    }
    ACCOUNTS_WEBHOOKS_GET = "accounts.webhooks.get" GET "/v1/accounts/webhooks/{id}", "One account webhook." {
        response: "AccountWebhook", params: &[ID],
    }
    ACCOUNTS_WEBHOOKS_UPDATE = "accounts.webhooks.update" PATCH "/v1/accounts/webhooks/{id}",
        "Change the fields given of an account webhook." {
        request: Some("UpdateAccountWebhookRequest"), response: "AccountWebhook", extra_fields: true,
        params: &[
            ID,
            Param::body("endpoint", "the URL events are posted to"),
            Param::body("events", "the event types, a list (replaces the list)"),
            Param::body("enabled", "whether it receives events"),
        ],
    }
    ACCOUNTS_WEBHOOKS_DELETE = "accounts.webhooks.delete" DELETE "/v1/accounts/webhooks/{id}",
        "Delete an account webhook." {
        params: &[ID],
    }
    BETA_V2_FILES_UPLOAD = "beta.v2.files.upload" POST "/api/v2/files/upload",
        "Upload a file with a JWT the SDK signs (multipart)." {
        host: Host::Upload, request: Some("UploadParams"), response: "FileUploadResponse", retry: Retry::Upload,
        params: UPLOAD_FORM, extra_fields: true,
    }
}
