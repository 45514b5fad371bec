//! Client-side upload authentication parameters `{token, expire, signature}` (spec §2.5).

use alloc::string::String;

use crate::error::UrlError;
use crate::sign::{PrivateKey, hex_str};

/// Seconds the official helper adds to the current time when no expiry is given.
pub const DEFAULT_AUTH_EXPIRY_SECS: u64 = 1800;

/// What a browser or app needs to upload a file directly to ImageKit.
///
/// With the `serde` feature it deserializes from `{"token","expire","signature"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct AuthParams {
    /// The one-time token.
    pub token: String,
    /// Absolute unix timestamp (seconds) after which the parameters are refused.
    pub expire: u64,
    /// `hex(HMAC-SHA1(private key, token + expire))`.
    pub signature: String,
}

/// Signs an upload token: `signature = hex(HMAC-SHA1(key, token + expire))`.
///
/// Works without `std`: the caller supplies the token and the absolute expiry (for the
/// official default use `now + DEFAULT_AUTH_EXPIRY_SECS`). An empty token or a zero expiry
/// is an error, because the official helper would have replaced them.
///
/// ```
/// use imagekit_url::{authentication_parameters, PrivateKey};
///
/// let key = PrivateKey::new("private_key_test").unwrap();
/// let auth = authentication_parameters(&key, "your_token", 1582269249).unwrap();
/// assert_eq!(auth.signature, "e71bcd6031016b060d349d212e23e85c791decdd");
/// assert_eq!(auth.expire, 1582269249);
/// ```
pub fn authentication_parameters(key: &PrivateKey, token: &str, expire: u64) -> Result<AuthParams, UrlError> {
    if token.is_empty() {
        return Err(UrlError::EmptyToken);
    }
    if expire == 0 {
        return Err(UrlError::MissingExpire);
    }
    let mut buf = itoa::Buffer::new();
    let digits = buf.format(expire).as_bytes();
    let hex = key.sign_parts(&[token.as_bytes(), digits]);
    Ok(AuthParams { token: String::from(token), expire, signature: String::from(hex_str(&hex)) })
}

/// The official `getAuthenticationParameters(token?, expire?)`: a missing or empty token
/// becomes a random v4 UUID, a missing or zero expiry becomes now + 1800 s.
///
/// ```
/// use imagekit_url::{get_authentication_parameters, PrivateKey};
///
/// let key = PrivateKey::new("private_key_test").unwrap();
/// let auth = get_authentication_parameters(&key, None, None);
/// assert_eq!(auth.token.len(), 36);
/// assert_eq!(auth.signature.len(), 40);
/// ```
#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
pub fn get_authentication_parameters(key: &PrivateKey, token: Option<&str>, expire: Option<u64>) -> AuthParams {
    let random;
    let token = match token {
        Some(t) if !t.is_empty() => t,
        _ => {
            random = uuid::Uuid::new_v4().to_string();
            random.as_str()
        }
    };
    let expire = match expire {
        Some(e) if e != 0 => e,
        _ => crate::build::clock_now().unwrap_or(0) + DEFAULT_AUTH_EXPIRY_SECS,
    };
    // Neither can be empty or zero here.
    authentication_parameters(key, token, expire).unwrap_or_else(|_| AuthParams {
        token: String::from(token),
        expire,
        signature: String::new(),
    })
}
