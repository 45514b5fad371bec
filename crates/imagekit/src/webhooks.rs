//! Verifying the webhooks ImageKit posts to you.
//!
//! ImageKit signs webhooks with [Standard Webhooks](https://www.standardwebhooks.com/):
//! three headers, `webhook-id`, `webhook-timestamp` (Unix seconds) and
//! `webhook-signature` (`v1,<base64 HMAC-SHA256>`, space-separated when there
//! are several). [`Webhooks::verify_and_parse`] checks them against the **raw** request
//! body and parses the body into a typed [`WebhookEvent`].
//!
//! As in the official SDKs, the HMAC key is the UTF-8 bytes of the whole secret
//! string, `whsec_` prefix included (the secret is *not* base64-decoded).
//!
//! ```
//! use http::HeaderMap;
//! use imagekit::types::WebhookEvent;
//! use imagekit::webhooks::{WebhookError, Webhooks};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // Standalone; with a client, `client.webhooks()` uses its webhook secret.
//! let webhooks = Webhooks::new("whsec_your_secret");
//!
//! // What ImageKit would send (signed here to keep the example self-contained).
//! let body = br#"{"type":"file.deleted","id":"evt_1","created_at":"2025-01-01T00:00:00.000Z","data":{"fileId":"f1"}}"#;
//! let now = 1_735_689_600;
//! let mut headers = HeaderMap::new();
//! headers.insert("webhook-id", "evt_1".parse()?);
//! headers.insert("webhook-timestamp", now.to_string().parse()?);
//! headers.insert("webhook-signature", webhooks.sign("evt_1", now, body)?.parse()?);
//!
//! // In a handler you would call `webhooks.verify_and_parse(&body, &headers)`, which uses the clock.
//! match webhooks.verify_and_parse_at(body, &headers, now)? {
//!     WebhookEvent::FileDeleted(e) => assert_eq!(e.data.file_id, "f1"),
//!     other => println!("ignoring {}", other.tag()),
//! }
//!
//! // A body changed on the way fails verification.
//! let tampered = br#"{"type":"file.deleted","id":"evt_1","created_at":"2025-01-01T00:00:00.000Z","data":{"fileId":"f2"}}"#;
//! assert_eq!(webhooks.verify_and_parse_at(tampered, &headers, now), Err(WebhookError::NoMatchingSignature));
//! # Ok(()) }
//! ```
//!
//! The older scheme (`x-ik-signature: t=<unix ms>,v1=<hex>`) is checked by
//! [`Webhooks::verify_legacy`].

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use http::HeaderMap;
use imagekit_types::{AccountWebhook, Secret, WebhookEvent};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// How far (in seconds, either way) `webhook-timestamp` may be from now.
pub const TIMESTAMP_TOLERANCE_SECS: i64 = 300;

/// The message id header.
pub const HEADER_ID: &str = "webhook-id";
/// The Unix-seconds timestamp header.
pub const HEADER_TIMESTAMP: &str = "webhook-timestamp";
/// The signature list header.
pub const HEADER_SIGNATURE: &str = "webhook-signature";
/// The legacy signature header (`t=<unix ms>,v1=<hex>`).
pub const LEGACY_HEADER_SIGNATURE: &str = "x-ik-signature";

/// Why a webhook was rejected. No variant ever carries the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// No (or an empty) webhook secret was configured.
    #[error("Missing webhook secret: set ClientBuilder::webhook_secret or IMAGEKIT_WEBHOOK_SECRET")]
    MissingSecret,
    /// A required header is absent or empty; names the header.
    #[error("Missing required headers: {0}")]
    MissingHeader(&'static str),
    /// A header value is not valid UTF-8; names the header.
    #[error("Invalid Signature Headers: {0} is not valid UTF-8")]
    InvalidHeader(&'static str),
    /// `webhook-timestamp` is not a non-negative integer number of seconds.
    #[error("Invalid Signature Headers: webhook-timestamp is not a Unix timestamp in seconds")]
    InvalidTimestamp,
    /// `webhook-timestamp` is more than 300 s in the past.
    #[error("Message timestamp too old")]
    TimestampTooOld,
    /// `webhook-timestamp` is more than 300 s in the future.
    #[error("Message timestamp too new")]
    TimestampTooNew,
    /// No `v1` entry of `webhook-signature` matches the body.
    #[error("No matching signature found")]
    NoMatchingSignature,
    /// Legacy scheme: `x-ik-signature` has no `t=` item.
    #[error("Webhook timestamp missing: x-ik-signature has no t= item")]
    MissingLegacyTimestamp,
    /// Legacy scheme: `t=` is not a non-negative integer number of milliseconds.
    #[error("Webhook timestamp invalid: t= is not a Unix timestamp in milliseconds")]
    InvalidLegacyTimestamp,
    /// Legacy scheme: `x-ik-signature` has no `v1=` item.
    #[error("Webhook signature missing: x-ik-signature has no v1= item")]
    MissingLegacySignature,
    /// Legacy scheme: `v1=` does not match the body.
    #[error("Incorrect webhook signature")]
    IncorrectLegacySignature,
    /// The (verified) body is not a webhook event; holds the JSON error.
    #[error("Webhook body is not a valid event: {0}")]
    Parse(String),
}

/// A webhook verified with the legacy `x-ik-signature` scheme.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct LegacyWebhook {
    /// The `t=` timestamp, Unix milliseconds.
    pub timestamp_ms: u64,
    /// The parsed event.
    pub event: WebhookEvent,
}

/// Verifies and parses webhooks. Cheap to clone; `Debug` never shows the secret.
///
/// Build one with [`Webhooks::new`], or get one from the client
/// (`client.webhooks()`), which uses `ClientBuilder::webhook_secret` /
/// `IMAGEKIT_WEBHOOK_SECRET`. Without a secret every check fails with
/// [`WebhookError::MissingSecret`]; [`Webhooks::parse_unverified`] still works.
#[derive(Debug, Clone, Default)]
pub struct Webhooks {
    secret: Option<Secret>,
}

impl Webhooks {
    /// Verify with this secret (`whsec_...`, used as is).
    pub fn new(secret: impl Into<String>) -> Self {
        Webhooks { secret: Some(Secret::new(secret)) }
    }

    /// Verify with an optional secret (the client's); `None` makes every check
    /// fail with [`WebhookError::MissingSecret`].
    pub fn from_secret(secret: Option<Secret>) -> Self {
        Webhooks { secret }
    }

    /// Verify the events of an account webhook with its signing secret (the
    /// `secret` that `client.accounts().webhooks()` returns).
    ///
    /// ```
    /// use imagekit::Webhooks;
    /// use imagekit::types::AccountWebhook;
    /// let hook: AccountWebhook = serde_json::from_str(
    ///     r#"{"id":"wh1","endpoint":"https://example.com/ik","events":["file.created"],"enabled":true,
    ///         "secret":"whsec_abc","createdAt":"2026-01-01T00:00:00.000Z","updatedAt":"2026-01-01T00:00:00.000Z"}"#,
    /// )?;
    /// let webhooks = Webhooks::from_account_webhook(&hook);
    /// assert_eq!(webhooks.sign("evt_1", 1_767_225_600, b"{}")?, Webhooks::new("whsec_abc").sign("evt_1", 1_767_225_600, b"{}")?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_account_webhook(webhook: &AccountWebhook) -> Self {
        Webhooks { secret: Some(webhook.secret.clone()) }
    }

    /// Verify a Standard Webhooks request against the current time, then parse
    /// the body. `body` must be the raw bytes as received. (The official SDKs
    /// call this `unwrap`.)
    #[doc(alias = "unwrap")]
    pub fn verify_and_parse(&self, body: &[u8], headers: &HeaderMap) -> Result<WebhookEvent, WebhookError> {
        self.verify_and_parse_at(body, headers, now_unix_secs())
    }

    /// [`Webhooks::verify_and_parse`] with "now" given in Unix seconds.
    #[doc(alias = "unwrap_at")]
    pub fn verify_and_parse_at(
        &self,
        body: &[u8],
        headers: &HeaderMap,
        now_unix_secs: i64,
    ) -> Result<WebhookEvent, WebhookError> {
        self.verify_at(body, headers, now_unix_secs)?;
        parse_event(body)
    }

    /// Renamed to [`Webhooks::verify_and_parse`] (it returns a `Result` and
    /// never panics, unlike `Option::unwrap`).
    #[deprecated(note = "renamed to `Webhooks::verify_and_parse`")]
    pub fn unwrap(&self, body: &[u8], headers: &HeaderMap) -> Result<WebhookEvent, WebhookError> {
        self.verify_and_parse(body, headers)
    }

    /// Renamed to [`Webhooks::verify_and_parse_at`].
    #[deprecated(note = "renamed to `Webhooks::verify_and_parse_at`")]
    pub fn unwrap_at(
        &self,
        body: &[u8],
        headers: &HeaderMap,
        now_unix_secs: i64,
    ) -> Result<WebhookEvent, WebhookError> {
        self.verify_and_parse_at(body, headers, now_unix_secs)
    }

    /// Verify a Standard Webhooks request against the current time without
    /// parsing the body.
    pub fn verify(&self, body: &[u8], headers: &HeaderMap) -> Result<(), WebhookError> {
        self.verify_at(body, headers, now_unix_secs())
    }

    /// [`Webhooks::verify`] with "now" given in Unix seconds.
    ///
    /// Checks, in order: a secret is set; the three headers are present and
    /// non-empty; `webhook-timestamp` is a decimal number of seconds within
    /// ±300 s of `now_unix_secs`; some `v1` entry of `webhook-signature` equals
    /// `base64(HMAC-SHA256(secret, "{id}.{timestamp}.{body}"))` (constant-time).
    /// As in the official library, the timestamp is signed as its parsed value.
    pub fn verify_at(&self, body: &[u8], headers: &HeaderMap, now_unix_secs: i64) -> Result<(), WebhookError> {
        let key = self.key()?;
        let id = header(headers, HEADER_ID)?;
        let timestamp = header(headers, HEADER_TIMESTAMP)?;
        let signatures = header(headers, HEADER_SIGNATURE)?;
        let id = utf8(id, HEADER_ID)?;
        let timestamp = std::str::from_utf8(timestamp).map_err(|_| WebhookError::InvalidTimestamp)?;
        let signatures = utf8(signatures, HEADER_SIGNATURE)?;

        let timestamp =
            parse_digits(timestamp).and_then(|t| i64::try_from(t).ok()).ok_or(WebhookError::InvalidTimestamp)?;
        // Saturation only happens far beyond the tolerance, so the comparisons stay right.
        if now_unix_secs.saturating_sub(timestamp) > TIMESTAMP_TOLERANCE_SECS {
            return Err(WebhookError::TimestampTooOld);
        }
        if timestamp.saturating_sub(now_unix_secs) > TIMESTAMP_TOLERANCE_SECS {
            return Err(WebhookError::TimestampTooNew);
        }

        let expected =
            STANDARD.encode(hmac_sha256(key, &[id.as_bytes(), b".", timestamp.to_string().as_bytes(), b".", body])?);
        let matched = signatures
            .split(' ')
            .filter_map(|entry| entry.split_once(','))
            .filter(|(version, _)| *version == "v1")
            .any(|(_, signature)| ct_eq(signature.as_bytes(), expected.as_bytes()));
        if matched { Ok(()) } else { Err(WebhookError::NoMatchingSignature) }
    }

    /// Parse the body as an event without checking anything. Only for bodies
    /// whose authenticity is established some other way. (The official SDKs
    /// call this `unsafeUnwrap`.)
    #[doc(alias = "unsafe_unwrap")]
    pub fn parse_unverified(&self, body: &[u8]) -> Result<WebhookEvent, WebhookError> {
        parse_event(body)
    }

    /// Renamed to [`Webhooks::parse_unverified`] (nothing `unsafe` about it: it
    /// checks no signature).
    #[deprecated(note = "renamed to `Webhooks::parse_unverified`")]
    pub fn unsafe_unwrap(&self, body: &[u8]) -> Result<WebhookEvent, WebhookError> {
        self.parse_unverified(body)
    }

    /// The `webhook-signature` value (`v1,<base64>`) for a message: what
    /// ImageKit sends. For tests and local emulators.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> Result<String, WebhookError> {
        let key = self.key()?;
        let mac = hmac_sha256(key, &[id.as_bytes(), b".", timestamp.to_string().as_bytes(), b".", body])?;
        Ok(format!("v1,{}", STANDARD.encode(mac)))
    }

    /// Verify the legacy `x-ik-signature` header (`t=<unix ms>,v1=<hex>`), then
    /// parse the body. As in the old official SDK there is no tolerance window
    /// on `t`; the comparison is constant-time.
    pub fn verify_legacy(&self, body: &[u8], signature_header: &str) -> Result<LegacyWebhook, WebhookError> {
        let key = self.key()?;
        let items: Vec<(&str, Option<&str>)> = signature_header
            .split(',')
            .map(|item| {
                let mut parts = item.trim().split('=');
                (parts.next().unwrap_or(""), parts.next())
            })
            .collect();
        let find = |name: &str| items.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);

        let timestamp = find("t").flatten().ok_or(WebhookError::MissingLegacyTimestamp)?;
        let timestamp_ms = parse_digits(timestamp).ok_or(WebhookError::InvalidLegacyTimestamp)?;
        let v1 = find("v1").flatten().ok_or(WebhookError::MissingLegacySignature)?;

        let expected = hex::encode(hmac_sha256(key, &[timestamp_ms.to_string().as_bytes(), b".", body])?);
        if !ct_eq(v1.as_bytes(), expected.as_bytes()) {
            return Err(WebhookError::IncorrectLegacySignature);
        }
        Ok(LegacyWebhook { timestamp_ms, event: parse_event(body)? })
    }

    /// The legacy `x-ik-signature` value (`t=<ms>,v1=<hex>`) for a body.
    pub fn sign_legacy(&self, timestamp_ms: u64, body: &[u8]) -> Result<String, WebhookError> {
        let key = self.key()?;
        let mac = hmac_sha256(key, &[timestamp_ms.to_string().as_bytes(), b".", body])?;
        Ok(format!("t={timestamp_ms},v1={}", hex::encode(mac)))
    }

    /// The HMAC key: the secret's UTF-8 bytes, `whsec_` prefix included.
    fn key(&self) -> Result<&[u8], WebhookError> {
        match &self.secret {
            Some(s) if !s.expose().is_empty() => Ok(s.expose().as_bytes()),
            _ => Err(WebhookError::MissingSecret),
        }
    }
}

fn parse_event(body: &[u8]) -> Result<WebhookEvent, WebhookError> {
    serde_json::from_slice(body).map_err(|e| WebhookError::Parse(e.to_string()))
}

fn now_unix_secs() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_secs()).map(|s| -s).unwrap_or(i64::MIN),
    }
}

/// The first value of a header; an absent or empty one is missing.
fn header<'h>(headers: &'h HeaderMap, name: &'static str) -> Result<&'h [u8], WebhookError> {
    match headers.get(name).map(|v| v.as_bytes()) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(WebhookError::MissingHeader(name)),
    }
}

fn utf8<'a>(bytes: &'a [u8], name: &'static str) -> Result<&'a str, WebhookError> {
    std::str::from_utf8(bytes).map_err(|_| WebhookError::InvalidHeader(name))
}

/// A non-empty run of ASCII digits that fits in a `u64`.
fn parse_digits(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> Result<[u8; 32], WebhookError> {
    // HMAC accepts keys of any length, and `key` is never empty; this cannot fail.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).map_err(|_| WebhookError::MissingSecret)?;
    for part in parts {
        mac.update(part);
    }
    Ok(mac.finalize().into_bytes().into())
}

/// Compare without an early exit, so timing does not reveal the common prefix (lengths
/// differ only for malformed input, and that may show).
fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    bool::from(a.ct_eq(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A legacy-signed `file.deleted` event and the signature's hex digits, computed
    /// independently (Python `hmac.new(b"whsec_test", b"1700000000000." + body, sha256)`).
    const LEGACY_BODY: &[u8] =
        br#"{"type":"file.deleted","id":"evt_1","created_at":"2025-01-01T00:00:00.000Z","data":{"fileId":"f1"}}"#;
    const LEGACY_V1: &str = "b3f63ae6e466472fb1aecf70d0b9de7825b3019e0cf10bcd1467d8b26449d5e0";

    #[test]
    fn ct_eq_compares_whole_slices() {
        assert!(ct_eq(b"abc", b"abc"));
        assert!(!ct_eq(b"abc", b"abd"));
        assert!(!ct_eq(b"abc", b"ab"));
        assert!(!ct_eq(b"ab", b"abc"));
        assert!(ct_eq(b"", b""));
    }

    #[test]
    fn legacy_signature_must_match_whole() {
        let w = Webhooks::new("whsec_test");
        let header = |v1: &str| format!("t=1700000000000,v1={v1}");
        assert!(w.verify_legacy(LEGACY_BODY, &header(LEGACY_V1)).is_ok());
        let wrong = [
            LEGACY_V1[..63].to_string(),
            format!("{LEGACY_V1}0"),
            format!("{}1", &LEGACY_V1[..63]),
            LEGACY_V1.to_uppercase(),
            String::new(),
        ];
        for v1 in wrong {
            assert_eq!(
                w.verify_legacy(LEGACY_BODY, &header(&v1)),
                Err(WebhookError::IncorrectLegacySignature),
                "v1={v1:?}"
            );
        }
    }

    #[test]
    fn parse_digits_is_strict() {
        assert_eq!(parse_digits("1700000000"), Some(1_700_000_000));
        assert_eq!(parse_digits(""), None);
        assert_eq!(parse_digits("+1"), None);
        assert_eq!(parse_digits("-1"), None);
        assert_eq!(parse_digits("1e3"), None);
        assert_eq!(parse_digits("99999999999999999999999"), None);
    }

    #[test]
    fn legacy_signature_is_lowercase_hex() {
        let w = Webhooks::new("whsec_test");
        assert_eq!(w.sign_legacy(1_700_000_000_000, LEGACY_BODY).unwrap(), format!("t=1700000000000,v1={LEGACY_V1}"));
    }
}
