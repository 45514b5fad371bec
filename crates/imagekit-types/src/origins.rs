//! Origins (storage behind a URL endpoint) and URL endpoints.

use serde::{Deserialize, Serialize};

use crate::{Object, Secret};

/// Fields every origin request carries, whatever its type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OriginCommon {
    /// A display name.
    pub name: String,
    /// Send a `Link: rel=canonical` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_canonical_header: Option<bool>,
    /// The base URL of the canonical header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url_for_canonical_header: Option<String>,
}

tagged_enum! {
    /// Body of `POST /v1/accounts/origins` and `PUT /v1/accounts/origins/{id}`
    /// (a full replace), told apart by `type`.
    ///
    /// ```
    /// use imagekit_types::{OriginCommon, OriginRequest, S3Origin, WebProxyOrigin};
    /// let req = OriginRequest::WebProxy(WebProxyOrigin::new("Web proxy"));
    /// assert_eq!(serde_json::to_string(&req)?, r#"{"type":"WEB_PROXY","name":"Web proxy"}"#);
    ///
    /// let common = OriginCommon::new("Photos").include_canonical_header(true);
    /// let req = OriginRequest::S3(S3Origin::new(common, "photos", "AKIA1", "s3cr3t").prefix("raw"));
    /// assert_eq!(
    ///     serde_json::to_string(&req)?,
    ///     r#"{"type":"S3","name":"Photos","includeCanonicalHeader":true,"bucket":"photos","accessKey":"AKIA1","secretKey":"s3cr3t","prefix":"raw"}"#
    /// );
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub enum OriginRequest (tag = "type") {
        /// Amazon S3.
        S3(S3Origin) = "S3",
        /// An S3-compatible store.
        S3Compatible(S3CompatibleOrigin) = "S3_COMPATIBLE",
        /// A Cloudinary backup bucket on S3.
        CloudinaryBackup(S3Origin) = "CLOUDINARY_BACKUP",
        /// A web server folder.
        WebFolder(WebFolderOrigin) = "WEB_FOLDER",
        /// Any public URL, proxied.
        WebProxy(WebProxyOrigin) = "WEB_PROXY",
        /// Google Cloud Storage.
        Gcs(GcsOrigin) = "GCS",
        /// Azure Blob Storage.
        AzureBlob(AzureBlobOrigin) = "AZURE_BLOB",
        /// Akeneo PIM.
        AkeneoPim(AkeneoPimOrigin) = "AKENEO_PIM",
    }
}

/// An `S3` or `CLOUDINARY_BACKUP` origin request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct S3Origin {
    /// Name and canonical header settings.
    #[serde(flatten)]
    pub common: OriginCommon,
    /// The bucket.
    pub bucket: String,
    /// The access key (`""` with `useIAMRole`).
    pub access_key: String,
    /// The secret key (`""` with `useIAMRole`).
    pub secret_key: Secret,
    /// A path prefix inside the bucket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Use an IAM role instead of keys.
    #[serde(rename = "useIAMRole", default, skip_serializing_if = "Option::is_none")]
    pub use_iam_role: Option<bool>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// An `S3_COMPATIBLE` origin request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct S3CompatibleOrigin {
    /// Name and canonical header settings.
    #[serde(flatten)]
    pub common: OriginCommon,
    /// The bucket.
    pub bucket: String,
    /// The store's endpoint URL.
    pub endpoint: String,
    /// The access key.
    pub access_key: String,
    /// The secret key.
    pub secret_key: Secret,
    /// A path prefix inside the bucket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Use path-style addressing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3_force_path_style: Option<bool>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// A `WEB_FOLDER` origin request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WebFolderOrigin {
    /// Name and canonical header settings.
    #[serde(flatten)]
    pub common: OriginCommon,
    /// The folder's base URL.
    pub base_url: String,
    /// Forward the `Host` header to the origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward_host_header_to_origin: Option<bool>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// A `WEB_PROXY` origin request: only the common fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WebProxyOrigin {
    /// Name and canonical header settings.
    #[serde(flatten)]
    pub common: OriginCommon,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// A `GCS` origin request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct GcsOrigin {
    /// Name and canonical header settings.
    #[serde(flatten)]
    pub common: OriginCommon,
    /// The bucket.
    pub bucket: String,
    /// The service account's e-mail.
    pub client_email: String,
    /// The service account's private key.
    pub private_key: Secret,
    /// A path prefix inside the bucket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// An `AZURE_BLOB` origin request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AzureBlobOrigin {
    /// Name and canonical header settings.
    #[serde(flatten)]
    pub common: OriginCommon,
    /// The storage account.
    pub account_name: String,
    /// The container.
    pub container: String,
    /// A SAS token.
    pub sas_token: Secret,
    /// A path prefix inside the container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// An `AKENEO_PIM` origin request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AkeneoPimOrigin {
    /// Name and canonical header settings.
    #[serde(flatten)]
    pub common: OriginCommon,
    /// The PIM's base URL.
    pub base_url: String,
    /// OAuth client id.
    pub client_id: String,
    /// OAuth client secret.
    pub client_secret: Secret,
    /// User name.
    pub username: String,
    /// Password.
    pub password: Secret,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

open_enum! {
    /// The type of an origin.
    pub enum OriginType {
        /// Amazon S3.
        S3 = "S3",
        /// An S3-compatible store.
        S3Compatible = "S3_COMPATIBLE",
        /// A Cloudinary backup bucket.
        CloudinaryBackup = "CLOUDINARY_BACKUP",
        /// A web server folder.
        WebFolder = "WEB_FOLDER",
        /// A web proxy.
        WebProxy = "WEB_PROXY",
        /// Google Cloud Storage.
        Gcs = "GCS",
        /// Azure Blob Storage.
        AzureBlob = "AZURE_BLOB",
        /// Akeneo PIM.
        AkeneoPim = "AKENEO_PIM",
    }
}

/// An origin as the API returns it: every secret dropped, `id` added. Fields that
/// only some types have are optional; `type` tells which apply.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OriginResponse {
    /// The origin type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<OriginType>,
    /// The id.
    pub id: String,
    /// The display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Whether a canonical header is sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_canonical_header: Option<bool>,
    /// The canonical header's base URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url_for_canonical_header: Option<String>,
    /// Bucket (S3, S3_COMPATIBLE, CLOUDINARY_BACKUP, GCS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket: Option<String>,
    /// Path prefix (bucket and container types).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Endpoint (S3_COMPATIBLE).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// Path-style addressing (S3_COMPATIBLE).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3_force_path_style: Option<bool>,
    /// IAM role in use (S3, CLOUDINARY_BACKUP).
    #[serde(rename = "useIAMRole", default, skip_serializing_if = "Option::is_none")]
    pub use_iam_role: Option<bool>,
    /// Base URL (WEB_FOLDER, AKENEO_PIM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// Host header forwarding (WEB_FOLDER).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward_host_header_to_origin: Option<bool>,
    /// Service account e-mail (GCS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_email: Option<String>,
    /// Storage account (AZURE_BLOB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
    /// Container (AZURE_BLOB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

tagged_enum! {
    /// How a URL endpoint rewrites URLs of another service.
    pub enum UrlRewriter (tag = "type") {
        /// Cloudinary URLs.
        Cloudinary(CloudinaryRewriter) = "CLOUDINARY",
        /// Imgix URLs.
        Imgix(NoOptions) = "IMGIX",
        /// Akamai URLs.
        Akamai(NoOptions) = "AKAMAI",
    }
}

/// Options of the Cloudinary rewriter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CloudinaryRewriter {
    /// Keep Cloudinary's asset delivery types in the path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preserve_asset_delivery_types: Option<bool>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// A variant with no options of its own.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NoOptions {
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Body of `POST /v1/accounts/url-endpoints` and `PUT .../{id}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UrlEndpointRequest {
    /// A description.
    pub description: String,
    /// Origin ids, tried in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origins: Option<Vec<String>>,
    /// The path prefix (letters, digits, hyphens; empty for the default endpoint).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url_prefix: Option<String>,
    /// A URL rewriter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url_rewriter: Option<UrlRewriter>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// A URL endpoint as the API returns it (the default endpoint's id is `default`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UrlEndpointResponse {
    /// The id.
    pub id: String,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Origin ids, tried in order.
    #[serde(default)]
    pub origins: Vec<String>,
    /// The path prefix.
    #[serde(default)]
    pub url_prefix: String,
    /// A URL rewriter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url_rewriter: Option<UrlRewriter>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

impl OriginCommon {
    /// An origin shown as `name`; canonical header settings with the setters.
    pub fn new(name: impl Into<String>) -> Self {
        OriginCommon { name: name.into(), ..Default::default() }
    }
}
setters!(OriginCommon { include_canonical_header: bool, base_url_for_canonical_header: String });

/// A name alone: `S3Origin::new("Photos", ..)`.
impl From<&str> for OriginCommon {
    fn from(name: &str) -> Self {
        OriginCommon::new(name)
    }
}

/// A name alone.
impl From<String> for OriginCommon {
    fn from(name: String) -> Self {
        OriginCommon::new(name)
    }
}

impl S3Origin {
    /// The S3 (or Cloudinary backup) `bucket`, read with these keys. `common`
    /// is a name, or an [`OriginCommon`] with canonical header settings.
    pub fn new(
        common: impl Into<OriginCommon>,
        bucket: impl Into<String>,
        access_key: impl Into<String>,
        secret_key: impl Into<Secret>,
    ) -> Self {
        S3Origin {
            common: common.into(),
            bucket: bucket.into(),
            access_key: access_key.into(),
            secret_key: secret_key.into(),
            ..Default::default()
        }
    }
}
setters!(S3Origin { prefix: String, use_iam_role: bool });

impl S3CompatibleOrigin {
    /// `bucket` of the S3-compatible store at `endpoint`, read with these keys.
    pub fn new(
        common: impl Into<OriginCommon>,
        bucket: impl Into<String>,
        endpoint: impl Into<String>,
        access_key: impl Into<String>,
        secret_key: impl Into<Secret>,
    ) -> Self {
        S3CompatibleOrigin {
            common: common.into(),
            bucket: bucket.into(),
            endpoint: endpoint.into(),
            access_key: access_key.into(),
            secret_key: secret_key.into(),
            ..Default::default()
        }
    }
}
setters!(S3CompatibleOrigin { prefix: String, s3_force_path_style: bool });

impl WebFolderOrigin {
    /// The web server folder at `base_url`.
    pub fn new(common: impl Into<OriginCommon>, base_url: impl Into<String>) -> Self {
        WebFolderOrigin { common: common.into(), base_url: base_url.into(), ..Default::default() }
    }
}
setters!(WebFolderOrigin { forward_host_header_to_origin: bool });

impl WebProxyOrigin {
    /// A web proxy origin.
    pub fn new(common: impl Into<OriginCommon>) -> Self {
        WebProxyOrigin { common: common.into(), extra: Object::new() }
    }
}

impl GcsOrigin {
    /// The Google Cloud Storage `bucket`, read as the service account `client_email`.
    pub fn new(
        common: impl Into<OriginCommon>,
        bucket: impl Into<String>,
        client_email: impl Into<String>,
        private_key: impl Into<Secret>,
    ) -> Self {
        GcsOrigin {
            common: common.into(),
            bucket: bucket.into(),
            client_email: client_email.into(),
            private_key: private_key.into(),
            ..Default::default()
        }
    }
}
setters!(GcsOrigin { prefix: String });

impl AzureBlobOrigin {
    /// The Azure Blob Storage `container` of `account_name`, read with a SAS token.
    pub fn new(
        common: impl Into<OriginCommon>,
        account_name: impl Into<String>,
        container: impl Into<String>,
        sas_token: impl Into<Secret>,
    ) -> Self {
        AzureBlobOrigin {
            common: common.into(),
            account_name: account_name.into(),
            container: container.into(),
            sas_token: sas_token.into(),
            ..Default::default()
        }
    }
}
setters!(AzureBlobOrigin { prefix: String });

impl AkeneoPimOrigin {
    /// The Akeneo PIM at `base_url`, with its OAuth client and user credentials.
    pub fn new(
        common: impl Into<OriginCommon>,
        base_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
        username: impl Into<String>,
        password: impl Into<Secret>,
    ) -> Self {
        AkeneoPimOrigin {
            common: common.into(),
            base_url: base_url.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            username: username.into(),
            password: password.into(),
            extra: Object::new(),
        }
    }
}

impl CloudinaryRewriter {
    /// The Cloudinary rewriter with its defaults.
    pub fn new() -> Self {
        Self::default()
    }
}
setters!(CloudinaryRewriter { preserve_asset_delivery_types: bool });

impl NoOptions {
    /// No options.
    pub fn new() -> Self {
        Self::default()
    }
}

impl UrlEndpointRequest {
    /// A URL endpoint described as `description`; origins, prefix and rewriter
    /// with the setters.
    pub fn new(description: impl Into<String>) -> Self {
        UrlEndpointRequest { description: description.into(), ..Default::default() }
    }

    /// Set the origin ids, tried in order.
    #[must_use]
    pub fn origins<I: IntoIterator<Item = S>, S: Into<String>>(mut self, origins: I) -> Self {
        self.origins = Some(origins.into_iter().map(Into::into).collect());
        self
    }
}
setters!(UrlEndpointRequest { url_prefix: String, url_rewriter: UrlRewriter });
