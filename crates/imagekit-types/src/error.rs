//! The JSON body of an API error.

use serde::{Deserialize, Serialize};

use crate::Object;

/// The body ImageKit sends with a non-2xx status.
///
/// ```
/// let body: imagekit_types::ErrorBody = serde_json::from_str(
///     r#"{"message":"The requested file(s) does not exist.","help":"For support kindly contact us at support@imagekit.io .","missingFileIds":["a"]}"#,
/// )?;
/// assert_eq!(body.missing_file_ids.as_deref(), Some(&["a".to_string()][..]));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ErrorBody {
    /// What went wrong. Usually a string; kept as JSON because the API does not promise it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<serde_json::Value>,
    /// Where to get help.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Ids that do not exist (bulk delete 404).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_file_ids: Option<Vec<String>>,
    /// Reasons by field (custom metadata validation 400).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<Object>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

impl ErrorBody {
    /// The message when it is a string.
    pub fn message_str(&self) -> Option<&str> {
        self.message.as_ref().and_then(|m| m.as_str())
    }
}
