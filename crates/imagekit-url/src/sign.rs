//! HMAC-SHA1 signing with a reusable, redacted private key (spec §2.4).

use alloc::string::String;
use core::fmt;

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

use crate::error::UrlError;

/// `expiry` the official helper uses for URLs that never expire (`ik-t` is then omitted).
pub const DEFAULT_TIMESTAMP: u64 = 9_999_999_999;

/// Your ImageKit private API key, ready to sign.
///
/// The HMAC key schedule is computed once, so reusing one `PrivateKey` for many URLs is cheap.
/// `Debug` never prints the key.
///
/// ```
/// use imagekit_url::PrivateKey;
///
/// let key = PrivateKey::new("private_key_test").unwrap();
/// assert_eq!(format!("{key:?}"), "PrivateKey(<redacted>)");
/// assert!(PrivateKey::new("").is_err());
/// ```
#[derive(Clone)]
pub struct PrivateKey {
    mac: Hmac<Sha1>,
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PrivateKey(<redacted>)")
    }
}

impl PrivateKey {
    /// Prepares `key` (used as its UTF-8 bytes) for signing. An empty key is an error.
    pub fn new(key: &str) -> Result<Self, UrlError> {
        if key.is_empty() {
            return Err(UrlError::EmptyPrivateKey);
        }
        let mac = <Hmac<Sha1> as KeyInit>::new_from_slice(key.as_bytes()).map_err(|_| UrlError::EmptyPrivateKey)?;
        Ok(Self { mac })
    }

    /// Lowercase hex HMAC-SHA1 of the concatenated parts. The keyed inner and outer states
    /// were computed once in [`Self::new`]; each signature clones them.
    pub(crate) fn sign_parts(&self, parts: &[&[u8]]) -> [u8; 40] {
        let mut mac = self.mac.clone();
        for p in parts {
            mac.update(p);
        }
        let digest = mac.finalize().into_bytes();
        let mut hex = [0u8; 40];
        // 20 digest bytes fill the 40 hex digits exactly, so this cannot fail.
        let _ = hex::encode_to_slice(digest, &mut hex);
        hex
    }

    /// The `ik-s` value for an already-built URL: HMAC-SHA1 over the URL with the first
    /// occurrence of `url_endpoint` + `/` removed, followed by the expiry timestamp
    /// ([`DEFAULT_TIMESTAMP`] for "never").
    ///
    /// ```
    /// use imagekit_url::{PrivateKey, DEFAULT_TIMESTAMP};
    ///
    /// let key = PrivateKey::new("private_key_test").unwrap();
    /// let sig = key.url_signature(
    ///     "https://test-domain.com/test-endpoint/tr:w-100/test-signed-url.png",
    ///     "https://test-domain.com/test-endpoint",
    ///     DEFAULT_TIMESTAMP,
    /// );
    /// assert_eq!(sig.unwrap(), "41b3075c40bc84147eb71b8b49ae7fbf349d0f00");
    /// ```
    ///
    /// An empty URL or endpoint is an error (the official helper returns an empty signature).
    pub fn url_signature(&self, url: &str, url_endpoint: &str, expiry: u64) -> Result<String, UrlError> {
        if url.is_empty() {
            return Err(UrlError::EmptySrc);
        }
        if url_endpoint.is_empty() {
            return Err(UrlError::MissingEndpoint);
        }
        Ok(String::from(hex_str(&self.sign_url_raw(url, url_endpoint, expiry))))
    }

    pub(crate) fn sign_url_raw(&self, url: &str, url_endpoint: &str, expiry: u64) -> [u8; 40] {
        let mut buf = itoa::Buffer::new();
        let digits = buf.format(expiry).as_bytes();
        match find_endpoint(url, url_endpoint) {
            Some((start, end)) => self.sign_parts(&[&url.as_bytes()[..start], &url.as_bytes()[end..], digits]),
            None => self.sign_parts(&[url.as_bytes(), digits]),
        }
    }

    /// Lowercase hex HMAC-SHA1 of `message`.
    ///
    /// ```
    /// use imagekit_url::PrivateKey;
    /// let key = PrivateKey::new("private_key_test").unwrap();
    /// assert_eq!(key.hmac_hex("your_token1582269249"), "e71bcd6031016b060d349d212e23e85c791decdd");
    /// ```
    pub fn hmac_hex(&self, message: &str) -> String {
        String::from(hex_str(&self.sign_parts(&[message.as_bytes()])))
    }
}

/// The hex digits as a `&str` (they are ASCII, so the check cannot fail).
#[inline]
pub(crate) fn hex_str(hex: &[u8; 40]) -> &str {
    core::str::from_utf8(hex).unwrap_or_default()
}

/// Byte range of the first occurrence of `endpoint` with a trailing `/` (added when missing),
/// as `url.replace(addTrailingSlash(endpoint), "")` finds it.
pub(crate) fn find_endpoint(url: &str, endpoint: &str) -> Option<(usize, usize)> {
    // Usual case: the URL starts with the endpoint, so the first occurrence is at 0.
    if let Some(after) = url.strip_prefix(endpoint) {
        if endpoint.ends_with('/') {
            return Some((0, endpoint.len()));
        }
        if after.starts_with('/') {
            return Some((0, endpoint.len() + 1));
        }
    }
    if endpoint.ends_with('/') {
        return memchr::memmem::find(url.as_bytes(), endpoint.as_bytes()).map(|i| (i, i + endpoint.len()));
    }
    let finder = memchr::memmem::Finder::new(endpoint.as_bytes());
    let mut from = 0;
    while let Some(i) = finder.find(&url.as_bytes()[from..]) {
        let i = from + i;
        let end = i + endpoint.len();
        if url[end..].starts_with('/') {
            return Some((i, end + 1));
        }
        from = i + url[i..].chars().next().map_or(1, char::len_utf8);
    }
    None
}
