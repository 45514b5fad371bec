//! Saved extensions and named transformations.

use serde::{Deserialize, Serialize};

use crate::{ExtensionConfig, Object};

/// A saved extension: an extension configuration stored under a name.
///
/// Every field is optional, as in the official models: a listing entry without
/// `config` (or any other field) still decodes.
///
/// ```
/// let ext: imagekit_types::SavedExtension = serde_json::from_str(r#"{"id":"ext_1","name":"Tagger"}"#)?;
/// assert_eq!(ext.id.as_deref(), Some("ext_1"));
/// assert!(ext.config.is_none());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SavedExtension {
    /// The id, used as `{"name":"saved-extension","id":...}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<ExtensionConfig>,
    /// When it was created (ISO-8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// When it was last updated (ISO-8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Body of `POST /v1/saved-extensions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreateSavedExtensionRequest {
    /// The name.
    pub name: String,
    /// A description.
    pub description: String,
    /// The configuration (not a saved-extension reference).
    pub config: ExtensionConfig,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Body of `PATCH /v1/saved-extensions/{id}`; every field optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UpdateSavedExtensionRequest {
    /// A new name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A new description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A new configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<ExtensionConfig>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// A named transformation, used in URLs as `tr:n-<name>`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct NamedTransformation {
    /// The id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The name (`[A-Za-z0-9_]`, case-sensitive).
    pub name: String,
    /// The transformation string, e.g. `w-150,h-150`.
    pub transformation: String,
    /// When false, delivery with this name fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// When it was created (ISO-8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Body of `POST /v1/named-transformations`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreateNamedTransformationRequest {
    /// The name (`[A-Za-z0-9_]`, unique).
    pub name: String,
    /// The transformation string.
    pub transformation: String,
    /// Enabled (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Body of `PATCH /v1/named-transformations/{id}`; every field optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UpdateNamedTransformationRequest {
    /// A new name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A new transformation string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transformation: Option<String>,
    /// Enable or disable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

impl CreateSavedExtensionRequest {
    /// Save `config` as `name`.
    pub fn new(name: impl Into<String>, description: impl Into<String>, config: ExtensionConfig) -> Self {
        CreateSavedExtensionRequest { name: name.into(), description: description.into(), config, extra: Object::new() }
    }
}

impl UpdateSavedExtensionRequest {
    /// An update that changes nothing yet; add fields with the setters.
    pub fn new() -> Self {
        Self::default()
    }
}
setters!(UpdateSavedExtensionRequest { name: String, description: String, config: ExtensionConfig });

impl CreateNamedTransformationRequest {
    /// Name `transformation` (e.g. `w-150,h-150`) as `name`.
    pub fn new(name: impl Into<String>, transformation: impl Into<String>) -> Self {
        CreateNamedTransformationRequest {
            name: name.into(),
            transformation: transformation.into(),
            ..Default::default()
        }
    }
}
setters!(CreateNamedTransformationRequest { enabled: bool });

impl UpdateNamedTransformationRequest {
    /// An update that changes nothing yet; add fields with the setters.
    pub fn new() -> Self {
        Self::default()
    }
}
setters!(UpdateNamedTransformationRequest { name: String, transformation: String, enabled: bool });
