//! Custom metadata fields: their schema and the requests that manage them.

use serde::{Deserialize, Serialize};

use crate::{Bound, Object, Scalar, ScalarOrList};

open_enum! {
    /// The type of a custom metadata field. It cannot change after creation.
    pub enum FieldType {
        /// Single-line text.
        Text = "Text",
        /// Multi-line text.
        Textarea = "Textarea",
        /// A number.
        Number = "Number",
        /// An ISO-8601 date.
        Date = "Date",
        /// A boolean.
        Boolean = "Boolean",
        /// One value out of `selectOptions`.
        SingleSelect = "SingleSelect",
        /// Several values out of `selectOptions`.
        MultiSelect = "MultiSelect",
    }
}

/// The schema of a custom metadata field (request and response).
///
/// ```
/// use imagekit_types::{FieldSchema, FieldType, Scalar};
/// let schema = FieldSchema::new(FieldType::SingleSelect).select_options(["S".into(), "M".into(), Scalar::from(42u64)]);
/// assert_eq!(
///     serde_json::to_string(&schema)?,
///     r#"{"type":"SingleSelect","selectOptions":["S","M",42]}"#
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FieldSchema {
    /// The field type; required on create, ignored on update.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<FieldType>,
    /// Allowed values (select types only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select_options: Option<Vec<Scalar>>,
    /// The default value (a list for `MultiSelect`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_value: Option<ScalarOrList>,
    /// Whether every upload and update must set the field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_value_required: Option<bool>,
    /// Lower bound (`Number`, `Date`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_value: Option<Bound>,
    /// Upper bound (`Number`, `Date`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_value: Option<Bound>,
    /// Minimum length in characters (`Text`, `Textarea`).
    ///
    /// A number, as in the official models: a fractional or negative value
    /// still decodes (an integer type would fail the whole response, e.g. a
    /// `GET /v1/files` page carrying this schema in `selectedFieldsSchema`).
    /// `f64` holds every length exactly and writes integral values back
    /// without a fraction, as the API does.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_f64")]
    pub min_length: Option<f64>,
    /// Maximum length in characters (`Text`, `Textarea`); a number, like
    /// [`min_length`](Self::min_length).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_f64")]
    pub max_length: Option<f64>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

impl FieldSchema {
    /// A schema of type `kind`, as a create request needs; add the rest with
    /// the setters. (An update's schema ignores `type`: start it from
    /// `FieldSchema::default()`.)
    pub fn new(kind: FieldType) -> Self {
        FieldSchema { kind: Some(kind), ..Default::default() }
    }

    /// Set the allowed values (select types).
    #[must_use]
    pub fn select_options<I: IntoIterator<Item = S>, S: Into<Scalar>>(mut self, options: I) -> Self {
        self.select_options = Some(options.into_iter().map(Into::into).collect());
        self
    }
}

setters!(FieldSchema {
    kind: FieldType,
    default_value: ScalarOrList,
    is_value_required: bool,
    min_value: Bound,
    max_value: Bound,
    min_length: f64,
    max_length: f64,
});

/// A field schema as it appears in `File.selectedFieldsSchema`, with the
/// response-only flags of the path-policy feature.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SelectedFieldSchema {
    /// The schema itself.
    #[serde(flatten)]
    pub schema: FieldSchema,
    /// The caller may read but not change the field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
    /// More than 100 options exist and the list was cut.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select_options_truncated: Option<bool>,
}

/// A custom metadata field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CustomMetadataField {
    /// The field id.
    pub id: String,
    /// The API name, used as the key in `customMetadata`.
    pub name: String,
    /// The label shown in the dashboard.
    pub label: String,
    /// The schema.
    pub schema: FieldSchema,
    /// A description, present only when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `Some(true)` for a reserved field, created and managed by ImageKit
    /// (absent for your own fields). The only one today is
    /// [`ORIGINAL_CREATION_DATE_FIELD`], which
    /// [`AssetSort::AscOriginalCreationDate`](crate::AssetSort::AscOriginalCreationDate)
    /// sorts by. Reserved fields cannot be deleted and their names cannot be reused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserved: Option<bool>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

impl CustomMetadataField {
    /// A field as the API returns it (for servers and tests; clients read it).
    pub fn new(id: impl Into<String>, name: impl Into<String>, label: impl Into<String>, schema: FieldSchema) -> Self {
        CustomMetadataField { id: id.into(), name: name.into(), label: label.into(), schema, ..Default::default() }
    }

    /// Whether ImageKit created and manages this field (`reserved: true`).
    pub fn is_reserved(&self) -> bool {
        self.reserved == Some(true)
    }
}

/// The name of the reserved `Date` field holding a file's original creation
/// date (label "Original creation date"). It exists once the setting is enabled
/// in the dashboard; set it through `customMetadata` on upload or update, and
/// sort by it with [`AssetSort::AscOriginalCreationDate`](crate::AssetSort::AscOriginalCreationDate)
/// and `DescOriginalCreationDate`.
pub const ORIGINAL_CREATION_DATE_FIELD: &str = "_internal_original_created_datetime";

/// Body of `POST /v1/customMetadataFields`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreateCustomMetadataFieldRequest {
    /// The API name; unique forever, deleted fields included.
    pub name: String,
    /// The label; unique among fields not deleted.
    pub label: String,
    /// The schema; `type` is required.
    pub schema: FieldSchema,
    /// A description (at most 500 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Body of `PATCH /v1/customMetadataFields/{id}`; every field optional (an empty
/// description clears it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UpdateCustomMetadataFieldRequest {
    /// A new label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// A new description; `""` clears it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A new schema (its `type` is ignored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<FieldSchema>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Query of `GET /v1/customMetadataFields`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ListCustomMetadataFieldsQuery {
    /// Only fields that apply to this folder (path policy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_path: Option<String>,
    /// Include deleted fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_deleted: Option<bool>,
}

impl CreateCustomMetadataFieldRequest {
    /// A field named `name` (its key in `customMetadata`), shown as `label`.
    pub fn new(name: impl Into<String>, label: impl Into<String>, schema: FieldSchema) -> Self {
        CreateCustomMetadataFieldRequest { name: name.into(), label: label.into(), schema, ..Default::default() }
    }
}
setters!(CreateCustomMetadataFieldRequest { description: String });

impl UpdateCustomMetadataFieldRequest {
    /// An update that changes nothing yet; add fields with the setters.
    pub fn new() -> Self {
        Self::default()
    }
}
setters!(UpdateCustomMetadataFieldRequest { label: String, description: String, schema: FieldSchema });

impl ListCustomMetadataFieldsQuery {
    /// Every field not deleted (the API's default); narrow it with the setters.
    pub fn new() -> Self {
        Self::default()
    }
}
setters!(ListCustomMetadataFieldsQuery { folder_path: String, include_deleted: bool });
