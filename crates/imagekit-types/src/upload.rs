//! Uploads: the fields of a V1/V2 upload, their multipart encoding, and the
//! pre- and post-upload transformations.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{Extension, Object};

open_enum! {
    /// A field that `responseFields` can ask the upload response to include.
    pub enum ResponseField {
        /// `tags`.
        Tags = "tags",
        /// `customCoordinates`.
        CustomCoordinates = "customCoordinates",
        /// `isPrivateFile`.
        IsPrivateFile = "isPrivateFile",
        /// `embeddedMetadata`.
        EmbeddedMetadata = "embeddedMetadata",
        /// `isPublished`.
        IsPublished = "isPublished",
        /// `customMetadata`.
        CustomMetadata = "customMetadata",
        /// `metadata`.
        Metadata = "metadata",
        /// `selectedFieldsSchema`.
        SelectedFieldsSchema = "selectedFieldsSchema",
    }
}

/// Every upload field except the file itself, for `POST /api/v1/files/upload` and
/// `POST /api/v2/files/upload`. It serializes to JSON with API names (for
/// configuration and for the V2 JWT claims) and to multipart form fields with
/// [`UploadParams::form_fields`].
///
/// ```
/// use imagekit_types::UploadParams;
/// let params = UploadParams::new("shoe.jpg").tags(["sale", "summer"]).use_unique_file_name(false);
/// let fields = params.form_fields()?;
/// assert_eq!(fields[0], ("fileName".into(), "shoe.jpg".to_string()));
/// assert!(fields.contains(&("tags".into(), "sale,summer".to_string())));
/// assert!(fields.contains(&("useUniqueFileName".into(), "false".to_string())));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UploadParams {
    /// The name to store the file under (required).
    pub file_name: String,
    /// Append a unique suffix (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_unique_file_name: Option<bool>,
    /// Tags; sent comma-joined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Destination folder (default `/`; created when missing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder: Option<String>,
    /// Store as a private file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_private_file: Option<bool>,
    /// Publish (true) or keep as a draft (false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_published: Option<bool>,
    /// `x,y,width,height`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_coordinates: Option<String>,
    /// Fields the response should include; sent comma-joined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_fields: Option<Vec<ResponseField>>,
    /// Extensions to run; sent as a JSON string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Vec<Extension>>,
    /// Where to post the final extension status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
    /// Replace an existing file at the same path (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overwrite_file: Option<bool>,
    /// Drop AI tags on overwrite (default true); wire name `overwriteAITags`.
    #[serde(rename = "overwriteAITags", default, skip_serializing_if = "Option::is_none")]
    pub overwrite_ai_tags: Option<bool>,
    /// Drop tags on overwrite when none are sent (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overwrite_tags: Option<bool>,
    /// Drop custom metadata on overwrite when none is sent (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overwrite_custom_metadata: Option<bool>,
    /// Custom metadata values; sent as a JSON string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_metadata: Option<Object>,
    /// Pre- and post-upload transformations; sent as a JSON string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transformation: Option<UploadTransformation>,
    /// A server-side pre-upload check expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checks: Option<String>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Client-side V1 upload: the public key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
    /// Client-side V1 upload: HMAC-SHA1 signature (lower-case hex).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// Client-side V1 upload: expiry, Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_u64")]
    pub expire: Option<u64>,
    /// Client-side upload: a one-time token (V1) or a JWT (V2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// Fields this version of the crate does not know; sent as strings (JSON for
    /// non-string values).
    #[serde(flatten)]
    pub extra: Object,
}

impl UploadParams {
    /// The multipart form fields, in declaration order, encoded as the official
    /// SDKs encode them: lists comma-joined, `extensions`, `customMetadata` and
    /// `transformation` as compact JSON, booleans as `true`/`false`, numbers in
    /// decimal. Absent fields are left out. The file part is not included. Fields
    /// in `extra` follow the Node SDK's bracket form: an object `o` becomes
    /// `o[key]` parts and an array `a` becomes repeated `a[]` parts.
    pub fn form_fields(&self) -> Result<Vec<(Cow<'_, str>, String)>, serde_json::Error> {
        fn b(v: bool) -> String {
            if v { "true".into() } else { "false".into() }
        }
        let mut out: Vec<(&str, String)> = Vec::with_capacity(8);
        out.push(("fileName", self.file_name.clone()));
        let mut push = |name, value: Option<String>| {
            if let Some(v) = value {
                out.push((name, v));
            }
        };
        push("useUniqueFileName", self.use_unique_file_name.map(b));
        push("tags", self.tags.as_ref().map(|t| t.join(",")));
        push("folder", self.folder.clone());
        push("isPrivateFile", self.is_private_file.map(b));
        push("isPublished", self.is_published.map(b));
        push("customCoordinates", self.custom_coordinates.clone());
        push(
            "responseFields",
            self.response_fields.as_ref().map(|f| f.iter().map(ResponseField::as_str).collect::<Vec<_>>().join(",")),
        );
        push("extensions", self.extensions.as_ref().map(serde_json::to_string).transpose()?);
        push("webhookUrl", self.webhook_url.clone());
        push("overwriteFile", self.overwrite_file.map(b));
        push("overwriteAITags", self.overwrite_ai_tags.map(b));
        push("overwriteTags", self.overwrite_tags.map(b));
        push("overwriteCustomMetadata", self.overwrite_custom_metadata.map(b));
        push("customMetadata", self.custom_metadata.as_ref().map(serde_json::to_string).transpose()?);
        push("transformation", self.transformation.as_ref().map(serde_json::to_string).transpose()?);
        push("checks", self.checks.clone());
        push("description", self.description.clone());
        push("publicKey", self.public_key.clone());
        push("signature", self.signature.clone());
        push("expire", self.expire.map(|e| e.to_string()));
        push("token", self.token.clone());
        let mut extra = Vec::new();
        for (k, v) in &self.extra {
            bracket_fields(k.clone(), v, &mut extra)?;
        }
        let mut out: Vec<(Cow<'_, str>, String)> = out.into_iter().map(|(k, v)| (Cow::Borrowed(k), v)).collect();
        out.extend(extra.into_iter().map(|(k, v)| (Cow::Owned(k), v)));
        Ok(out)
    }

    /// Read the fields back from multipart text parts (name, value), as a server
    /// receives them: the inverse of [`UploadParams::form_fields`]. Unknown names
    /// land in `extra` as strings; a malformed value is an error naming the field.
    pub fn from_form_fields<'a>(fields: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, FormFieldError> {
        let mut p = UploadParams::default();
        let mut has_name = false;
        for (name, value) in fields {
            let bad = |reason: &str| FormFieldError { field: name.to_owned(), reason: reason.to_owned() };
            let flag = || match value {
                "true" => Ok(true),
                "false" => Ok(false),
                _ => Err(bad("expected true or false")),
            };
            let list = || -> Vec<String> { value.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect() };
            match name {
                "fileName" => {
                    p.file_name = value.to_owned();
                    has_name = true;
                }
                "useUniqueFileName" => p.use_unique_file_name = Some(flag()?),
                "tags" => p.tags = Some(list()),
                "folder" => p.folder = Some(value.to_owned()),
                "isPrivateFile" => p.is_private_file = Some(flag()?),
                "isPublished" => p.is_published = Some(flag()?),
                "customCoordinates" => p.custom_coordinates = Some(value.to_owned()),
                "responseFields" => p.response_fields = Some(list().into_iter().map(ResponseField::from).collect()),
                "extensions" => p.extensions = Some(serde_json::from_str(value).map_err(|e| bad(&e.to_string()))?),
                "webhookUrl" => p.webhook_url = Some(value.to_owned()),
                "overwriteFile" => p.overwrite_file = Some(flag()?),
                "overwriteAITags" => p.overwrite_ai_tags = Some(flag()?),
                "overwriteTags" => p.overwrite_tags = Some(flag()?),
                "overwriteCustomMetadata" => p.overwrite_custom_metadata = Some(flag()?),
                "customMetadata" => {
                    p.custom_metadata = Some(serde_json::from_str(value).map_err(|e| bad(&e.to_string()))?)
                }
                "transformation" => {
                    p.transformation = Some(serde_json::from_str(value).map_err(|e| bad(&e.to_string()))?)
                }
                "checks" => p.checks = Some(value.to_owned()),
                "description" => p.description = Some(value.to_owned()),
                "publicKey" => p.public_key = Some(value.to_owned()),
                "signature" => p.signature = Some(value.to_owned()),
                "expire" => p.expire = Some(value.parse().map_err(|_| bad("expected Unix seconds"))?),
                "token" => p.token = Some(value.to_owned()),
                other => insert_bracketed(&mut p.extra, other, value),
            }
        }
        if !has_name {
            return Err(FormFieldError { field: "fileName".into(), reason: "missing".into() });
        }
        Ok(p)
    }
}

/// Flatten an undocumented field into the bracket form the Node SDK uses.
fn bracket_fields(name: String, v: &Value, out: &mut Vec<(String, String)>) -> Result<(), serde_json::Error> {
    match v {
        Value::String(s) => out.push((name, s.clone())),
        Value::Bool(b) => out.push((name, b.to_string())),
        Value::Number(n) => out.push((name, n.to_string())),
        Value::Array(items) => {
            for item in items {
                bracket_fields(format!("{name}[]"), item, out)?;
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                bracket_fields(format!("{name}[{k}]"), item, out)?;
            }
        }
        // The official SDK refuses null form values too; there is no way to send one.
        Value::Null => {
            return Err(<serde_json::Error as serde::ser::Error>::custom(format_args!(
                "upload field `{name}` is null; multipart has no null"
            )));
        }
    }
    Ok(())
}

/// Read a bracket-form name (`o[a]`, `a[]`, `o[b][]`) back into nested JSON.
/// Values stay strings: multipart does not say what type they were.
fn insert_bracketed(extra: &mut Object, name: &str, value: &str) {
    let (base, segments) = match split_brackets(name) {
        Some((base, segs)) => (base, segs),
        None => (name, Vec::new()),
    };
    let slot = extra.entry(base.to_owned()).or_insert(Value::Null);
    insert_path(slot, &segments, value);
}

fn split_brackets(name: &str) -> Option<(&str, Vec<&str>)> {
    let open = name.find('[')?;
    let (base, mut rest) = name.split_at(open);
    let mut segs = Vec::new();
    while !rest.is_empty() {
        let inner = rest.strip_prefix('[')?;
        let close = inner.find(']')?;
        segs.push(&inner[..close]);
        rest = &inner[close + 1..];
    }
    (!base.is_empty()).then_some((base, segs))
}

fn insert_path(slot: &mut Value, segs: &[&str], value: &str) {
    match segs.split_first() {
        None => *slot = Value::String(value.to_owned()),
        Some((&"", rest)) => {
            if !slot.is_array() {
                *slot = Value::Array(Vec::new());
            }
            if let Value::Array(items) = slot {
                items.push(Value::Null);
                if let Some(last) = items.last_mut() {
                    insert_path(last, rest, value);
                }
            }
        }
        Some((key, rest)) => {
            if !slot.is_object() {
                *slot = Value::Object(Object::new());
            }
            if let Value::Object(map) = slot {
                insert_path(map.entry((*key).to_owned()).or_insert(Value::Null), rest, value);
            }
        }
    }
}

impl UploadParams {
    /// Parameters for a file stored as `file_name`.
    pub fn new(file_name: impl Into<String>) -> Self {
        UploadParams { file_name: file_name.into(), ..Default::default() }
    }

    /// Set the tags.
    #[must_use]
    pub fn tags<I: IntoIterator<Item = S>, S: Into<String>>(mut self, tags: I) -> Self {
        self.tags = Some(tags.into_iter().map(Into::into).collect());
        self
    }

    /// Add an extension to run.
    #[must_use]
    pub fn extension(mut self, ext: impl Into<Extension>) -> Self {
        self.extensions.get_or_insert_with(Vec::new).push(ext.into());
        self
    }

    /// Ask for a field in the response.
    #[must_use]
    pub fn response_field(mut self, field: ResponseField) -> Self {
        self.response_fields.get_or_insert_with(Vec::new).push(field);
        self
    }

    /// Set the fields the response should include.
    #[must_use]
    pub fn response_fields(mut self, fields: impl IntoIterator<Item = ResponseField>) -> Self {
        self.response_fields = Some(fields.into_iter().collect());
        self
    }

    /// Set the extensions to run.
    #[must_use]
    pub fn extensions<I: IntoIterator<Item = E>, E: Into<Extension>>(mut self, extensions: I) -> Self {
        self.extensions = Some(extensions.into_iter().map(Into::into).collect());
        self
    }

    /// Set the custom metadata values.
    #[must_use]
    pub fn custom_metadata(mut self, values: Object) -> Self {
        self.custom_metadata = Some(values);
        self
    }

    /// Set one custom metadata value.
    #[must_use]
    pub fn custom_metadata_value(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.custom_metadata.get_or_insert_with(Object::new).insert(key.into(), value.into());
        self
    }

    /// Whether the upload stores under a new, unique name (the API's default, true).
    pub fn uses_unique_file_name(&self) -> bool {
        self.use_unique_file_name.unwrap_or(true)
    }
}

setters!(UploadParams {
    use_unique_file_name: bool,
    folder: String,
    is_private_file: bool,
    is_published: bool,
    custom_coordinates: String,
    webhook_url: String,
    overwrite_file: bool,
    overwrite_ai_tags: bool,
    overwrite_tags: bool,
    overwrite_custom_metadata: bool,
    transformation: UploadTransformation,
    checks: String,
    description: String,
    public_key: String,
    signature: String,
    expire: u64,
    token: String,
});

/// A multipart upload field that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FormFieldError {
    /// The field's name.
    pub field: String,
    /// What was wrong with it.
    pub reason: String,
}

impl core::fmt::Display for FormFieldError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "invalid upload field `{}`: {}", self.field, self.reason)
    }
}

impl std::error::Error for FormFieldError {}

/// The `transformation` upload field: a pre-transformation applied before storing
/// and post-transformations generated afterwards.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UploadTransformation {
    /// A transformation string applied before the file is stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre: Option<String>,
    /// Transformations generated after upload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post: Option<Vec<PostTransformation>>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

impl UploadTransformation {
    /// No transformation yet; add them with the setters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Set the post-transformations.
    #[must_use]
    pub fn post<I: IntoIterator<Item = PostTransformation>>(mut self, post: I) -> Self {
        self.post = Some(post.into_iter().collect());
        self
    }
}
setters!(UploadTransformation { pre: String });

tagged_enum! {
    /// One post-upload transformation, told apart by `type`.
    pub enum PostTransformation (tag = "type") {
        /// A transformation string (`value` required).
        Transformation(PostValue) = "transformation",
        /// Convert a GIF to a video.
        GifToVideo(PostValue) = "gif-to-video",
        /// Generate a video thumbnail.
        Thumbnail(PostValue) = "thumbnail",
        /// Adaptive bitrate streaming (`protocol` `hls` or `dash`).
        Abs(PostAbs) = "abs",
    }
}

/// A post-transformation with an optional transformation string.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PostValue {
    /// The transformation string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

impl PostValue {
    /// A post-transformation without a transformation string (set one with
    /// [`value`](Self::value)).
    pub fn new() -> Self {
        Self::default()
    }
}
setters!(PostValue { value: String });

open_enum! {
    /// Streaming protocol of an `abs` post-transformation.
    pub enum StreamProtocol {
        /// HTTP Live Streaming.
        Hls = "hls",
        /// MPEG-DASH.
        Dash = "dash",
    }
}

/// An `abs` post-transformation.
///
/// An upload request sets both fields ([`PostAbs::new`]); the `request` of an
/// `upload.post-transform.*` webhook event may carry neither, so both are
/// optional when read.
///
/// ```
/// use imagekit_types::{PostAbs, PostTransformation, StreamProtocol};
/// let abs = PostTransformation::Abs(PostAbs::new(StreamProtocol::Hls, "sr-240_360_480"));
/// assert_eq!(serde_json::to_string(&abs)?, r#"{"type":"abs","protocol":"hls","value":"sr-240_360_480"}"#);
/// let seen: PostTransformation = serde_json::from_str(r#"{"type":"abs"}"#)?;
/// assert_eq!(seen, PostTransformation::Abs(PostAbs::default()));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PostAbs {
    /// `hls` or `dash` (required on upload).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<StreamProtocol>,
    /// Representations, e.g. `sr-240_360_480_720_1080` (required on upload).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

impl PostAbs {
    /// An adaptive bitrate streaming post-transformation, as an upload sends it.
    pub fn new(protocol: StreamProtocol, value: impl Into<String>) -> Self {
        PostAbs { protocol: Some(protocol), value: Some(value.into()), extra: Object::new() }
    }
}
