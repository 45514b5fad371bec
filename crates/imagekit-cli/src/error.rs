//! The CLI's error type, and how an error is reported on stderr.

use std::fmt;

use serde_json::json;

/// Why a command failed. Every variant exits with status 1; none ever holds a key.
#[derive(Debug)]
pub enum CliError {
    /// The input is wrong (a bad argument value, an unreadable file); nothing was sent.
    Usage(String),
    /// The SDK or the API refused a call.
    Sdk(imagekit::Error),
    /// Something failed and was already reported (e.g. some uploads of many).
    Reported,
    /// Stdout was closed by the reader (`imagekit ls | head`): stop quietly.
    BrokenPipe,
}

/// A result with [`CliError`].
pub type CliResult<T = ()> = Result<T, CliError>;

impl CliError {
    /// A usage error with this message.
    pub fn usage(message: impl Into<String>) -> Self {
        CliError::Usage(message.into())
    }

    /// The process exit status for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::BrokenPipe => 0,
            _ => 1,
        }
    }

    /// Write the error to stderr: a human message, or a JSON object with `--json`.
    pub fn report(&self, json: bool) {
        match self {
            CliError::Reported | CliError::BrokenPipe => {}
            CliError::Usage(m) if json => eprintln!("{}", json!({"error": {"message": m}})),
            CliError::Usage(m) => eprintln!("imagekit: error: {m}"),
            CliError::Sdk(e) if json => eprintln!("{}", json!({ "error": sdk_error_json(e) })),
            CliError::Sdk(e) => eprintln!("{}", describe_sdk_error(e)),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(m) => f.write_str(m),
            CliError::Sdk(e) => fmt::Display::fmt(e, f),
            CliError::Reported => f.write_str("failed"),
            CliError::BrokenPipe => f.write_str("stdout closed"),
        }
    }
}

impl std::error::Error for CliError {}

impl From<imagekit::Error> for CliError {
    fn from(e: imagekit::Error) -> Self {
        CliError::Sdk(e)
    }
}

/// The message an SDK error shows: the API's own message when there is one.
pub fn sdk_message(e: &imagekit::Error) -> String {
    match e.api_error() {
        Some(api) => match api.message() {
            Some(m) => m.to_owned(),
            None => e.to_string(),
        },
        None => e.to_string(),
    }
}

/// An SDK error as `{"message", "status"?, "requestId"?}`.
pub fn sdk_error_json(e: &imagekit::Error) -> serde_json::Value {
    let mut v = json!({ "message": sdk_message(e) });
    if let Some(status) = e.status() {
        v["status"] = status.as_u16().into();
    }
    if let Some(id) = e.request_id() {
        v["requestId"] = id.into();
    }
    v
}

/// An SDK error for humans: the message, then the status and request id lines.
pub fn describe_sdk_error(e: &imagekit::Error) -> String {
    let mut out = format!("imagekit: error: {}", sdk_message(e));
    if let Some(status) = e.status() {
        out.push_str(&format!("\n  status: {status}"));
    }
    if let Some(id) = e.request_id() {
        out.push_str(&format!("\n  request id: {id}"));
    }
    if matches!(e, imagekit::Error::Config(_)) && e.to_string().contains("private key") {
        out.push_str("\n  hint: pass --private-key or set IMAGEKIT_PRIVATE_KEY");
    }
    out
}
