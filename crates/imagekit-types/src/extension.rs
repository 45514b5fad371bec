//! Extensions: background removal, auto-tagging, AI description and AI tasks,
//! as sent on upload and update and stored in saved extensions.

use serde::{Deserialize, Serialize};

use crate::{Object, Scalar};

tagged_enum! {
    /// One item of the `extensions` array of an upload or an update, told apart by
    /// `name`.
    ///
    /// ```
    /// use imagekit_types::{AutoTagging, Extension};
    /// let ext = Extension::GoogleAutoTagging(AutoTagging::new(5, 95.0));
    /// assert_eq!(
    ///     serde_json::to_string(&ext)?,
    ///     r#"{"name":"google-auto-tagging","maxTags":5,"minConfidence":95}"#
    /// );
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub enum Extension (tag = "name") {
        /// Background removal (`remove-bg`).
        RemoveBg(RemoveBg) = "remove-bg",
        /// Google Vision auto-tagging (`google-auto-tagging`).
        GoogleAutoTagging(AutoTagging) = "google-auto-tagging",
        /// AWS Rekognition auto-tagging (`aws-auto-tagging`).
        AwsAutoTagging(AutoTagging) = "aws-auto-tagging",
        /// An AI-written description (`ai-auto-description`).
        AiAutoDescription(AiAutoDescription) = "ai-auto-description",
        /// AI tasks: select tags or metadata, answer yes/no questions (`ai-tasks`).
        AiTasks(AiTasks) = "ai-tasks",
        /// A reference to a saved extension (`saved-extension`).
        SavedExtension(SavedExtensionRef) = "saved-extension",
    }
}

/// The configuration stored in a saved extension: an [`Extension`] other than a
/// `saved-extension` reference (the API rejects references there).
pub type ExtensionConfig = Extension;

/// `remove-bg`: optional options.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RemoveBg {
    /// Options; absent means the defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<RemoveBgOptions>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Options of `remove-bg` (snake_case on the wire). `bg_color` and `bg_image_url`
/// are mutually exclusive.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RemoveBgOptions {
    /// Add a shadow under the subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_shadow: Option<bool>,
    /// A background colour such as `FFFFFF`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bg_color: Option<String>,
    /// A background image URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bg_image_url: Option<String>,
    /// Keep semi-transparent regions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub semitransparency: Option<bool>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// `google-auto-tagging` / `aws-auto-tagging`: both numbers are required.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AutoTagging {
    /// At most this many tags.
    #[serde(with = "crate::num::u64_lenient")]
    pub max_tags: u64,
    /// Minimum confidence in percent.
    #[serde(with = "crate::num::f64_js")]
    pub min_confidence: f64,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// `ai-auto-description`: no options.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AiAutoDescription {
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// `saved-extension`: the id of a saved extension to apply.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SavedExtensionRef {
    /// The saved extension's id.
    pub id: String,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// `ai-tasks`: the tasks to run, in order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AiTasks {
    /// The tasks.
    pub tasks: Vec<AiTask>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

tagged_enum! {
    /// One AI task, told apart by `type` (snake_case fields on the wire).
    pub enum AiTask (tag = "type") {
        /// Pick tags from a vocabulary (`select_tags`).
        SelectTags(SelectTagsTask) = "select_tags",
        /// Pick values of a custom metadata field (`select_metadata`).
        SelectMetadata(SelectMetadataTask) = "select_metadata",
        /// Answer a yes/no question and act on the answer (`yes_no`).
        YesNo(YesNoTask) = "yes_no",
    }
}

/// `select_tags` task.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SelectTagsTask {
    /// The question to answer.
    pub instruction: String,
    /// Allowed tags (total length at most 500 characters, no `%`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vocabulary: Option<Vec<String>>,
    /// Pick at most this many.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_u64")]
    pub max_selections: Option<u64>,
    /// Pick at least this many.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_u64")]
    pub min_selections: Option<u64>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// `select_metadata` task.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SelectMetadataTask {
    /// The custom metadata field to set.
    pub field: String,
    /// The question to answer.
    pub instruction: String,
    /// Allowed values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vocabulary: Option<Vec<Scalar>>,
    /// Pick at most this many.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_u64")]
    pub max_selections: Option<u64>,
    /// Pick at least this many.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_u64")]
    pub min_selections: Option<u64>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// `yes_no` task.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct YesNoTask {
    /// The question to answer.
    pub instruction: String,
    /// What to do on "yes".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_yes: Option<TaskActions>,
    /// What to do on "no".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_no: Option<TaskActions>,
    /// What to do when the model cannot tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_unknown: Option<TaskActions>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Actions a yes/no task takes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TaskActions {
    /// Tags to add.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_tags: Option<Vec<String>>,
    /// Tags to remove.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remove_tags: Option<Vec<String>>,
    /// Custom metadata to set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set_metadata: Option<Vec<SetMetadata>>,
    /// Custom metadata to unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unset_metadata: Option<Vec<UnsetMetadata>>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Set a custom metadata field to a value (a scalar or a list, for multi-select).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SetMetadata {
    /// The field name.
    pub field: String,
    /// The value.
    pub value: serde_json::Value,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Unset a custom metadata field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UnsetMetadata {
    /// The field name.
    pub field: String,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

impl RemoveBg {
    /// Background removal with the default options.
    pub fn new() -> Self {
        Self::default()
    }
}
setters!(RemoveBg { options: RemoveBgOptions });

impl RemoveBgOptions {
    /// The defaults; change them with the setters.
    pub fn new() -> Self {
        Self::default()
    }
}
setters!(RemoveBgOptions { add_shadow: bool, bg_color: String, bg_image_url: String, semitransparency: bool });

impl AutoTagging {
    /// At most `max_tags` tags with at least `min_confidence` percent confidence.
    pub fn new(max_tags: u64, min_confidence: f64) -> Self {
        AutoTagging { max_tags, min_confidence, extra: Object::new() }
    }
}

impl AiAutoDescription {
    /// An AI-written description.
    pub fn new() -> Self {
        Self::default()
    }
}

impl SavedExtensionRef {
    /// The saved extension `id`.
    pub fn new(id: impl Into<String>) -> Self {
        SavedExtensionRef { id: id.into(), extra: Object::new() }
    }
}

impl AiTasks {
    /// Run these tasks, in order.
    pub fn new<I: IntoIterator<Item = T>, T: Into<AiTask>>(tasks: I) -> Self {
        AiTasks { tasks: tasks.into_iter().map(Into::into).collect(), extra: Object::new() }
    }
}

impl From<SelectTagsTask> for AiTask {
    fn from(task: SelectTagsTask) -> Self {
        AiTask::SelectTags(task)
    }
}

impl From<SelectMetadataTask> for AiTask {
    fn from(task: SelectMetadataTask) -> Self {
        AiTask::SelectMetadata(task)
    }
}

impl From<YesNoTask> for AiTask {
    fn from(task: YesNoTask) -> Self {
        AiTask::YesNo(task)
    }
}

impl SelectTagsTask {
    /// Pick tags by `instruction`.
    pub fn new(instruction: impl Into<String>) -> Self {
        SelectTagsTask { instruction: instruction.into(), ..Default::default() }
    }

    /// Set the allowed tags.
    #[must_use]
    pub fn vocabulary<I: IntoIterator<Item = S>, S: Into<String>>(mut self, tags: I) -> Self {
        self.vocabulary = Some(tags.into_iter().map(Into::into).collect());
        self
    }
}
setters!(SelectTagsTask { max_selections: u64, min_selections: u64 });

impl SelectMetadataTask {
    /// Set the custom metadata `field` by `instruction`.
    pub fn new(field: impl Into<String>, instruction: impl Into<String>) -> Self {
        SelectMetadataTask { field: field.into(), instruction: instruction.into(), ..Default::default() }
    }

    /// Set the allowed values.
    #[must_use]
    pub fn vocabulary<I: IntoIterator<Item = S>, S: Into<Scalar>>(mut self, values: I) -> Self {
        self.vocabulary = Some(values.into_iter().map(Into::into).collect());
        self
    }
}
setters!(SelectMetadataTask { max_selections: u64, min_selections: u64 });

impl YesNoTask {
    /// Answer the yes/no question `instruction`; say what to do with the setters.
    pub fn new(instruction: impl Into<String>) -> Self {
        YesNoTask { instruction: instruction.into(), ..Default::default() }
    }
}
setters!(YesNoTask { on_yes: TaskActions, on_no: TaskActions, on_unknown: TaskActions });

impl TaskActions {
    /// No action yet; add some with the setters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Set the tags to add.
    #[must_use]
    pub fn add_tags<I: IntoIterator<Item = S>, S: Into<String>>(mut self, tags: I) -> Self {
        self.add_tags = Some(tags.into_iter().map(Into::into).collect());
        self
    }

    /// Set the tags to remove.
    #[must_use]
    pub fn remove_tags<I: IntoIterator<Item = S>, S: Into<String>>(mut self, tags: I) -> Self {
        self.remove_tags = Some(tags.into_iter().map(Into::into).collect());
        self
    }

    /// Set the custom metadata to set.
    #[must_use]
    pub fn set_metadata(mut self, values: impl IntoIterator<Item = SetMetadata>) -> Self {
        self.set_metadata = Some(values.into_iter().collect());
        self
    }

    /// Set the custom metadata fields to unset.
    #[must_use]
    pub fn unset_metadata(mut self, fields: impl IntoIterator<Item = UnsetMetadata>) -> Self {
        self.unset_metadata = Some(fields.into_iter().collect());
        self
    }
}

impl SetMetadata {
    /// Set `field` to `value`.
    pub fn new(field: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
        SetMetadata { field: field.into(), value: value.into(), extra: Object::new() }
    }
}

impl UnsetMetadata {
    /// Unset `field`.
    pub fn new(field: impl Into<String>) -> Self {
        UnsetMetadata { field: field.into(), extra: Object::new() }
    }
}

open_enum! {
    /// The state of one extension after an upload or update.
    pub enum ExtensionState {
        /// Finished.
        Success = "success",
        /// Still running; the result arrives later (webhook or file details).
        Pending = "pending",
        /// Failed.
        Failed = "failed",
    }
}

/// `extensionStatus`: the state of each requested extension, by extension name
/// (`remove-bg`, `google-auto-tagging`, `aws-auto-tagging`, `ai-auto-description`,
/// `ai-tasks`, and any the API adds later).
pub type ExtensionStatus = indexmap::IndexMap<String, ExtensionState>;

/// `extensionStatus` fields: an entry whose state is `null` (the official Python
/// models allow it) reads as absent, like any other `null`.
pub(crate) mod status_field {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{ExtensionState, ExtensionStatus};

    pub(crate) fn serialize<S: Serializer>(v: &Option<ExtensionStatus>, s: S) -> Result<S::Ok, S::Error> {
        v.serialize(s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<ExtensionStatus>, D::Error> {
        let map = Option::<indexmap::IndexMap<String, Option<ExtensionState>>>::deserialize(d)?;
        Ok(map.map(|m| m.into_iter().filter_map(|(k, v)| Some((k, v?))).collect()))
    }
}
