//! Server-side authentication: HTTP Basic with the private key as the user
//! name (any password), as ImageKit checks it.

use base64::Engine as _;
use http::StatusCode;
use subtle::ConstantTimeEq as _;

use crate::state::State;
use crate::web::{ApiError, Req};

/// The message ImageKit answers a missing or wrong key with.
pub const NO_KEY: &str = "Your request does not contain private API key.";

/// Check `Authorization: Basic base64(private_key:anything)`.
pub fn check_basic(state: &State, req: &Req) -> Result<(), ApiError> {
    let unauthorized = || ApiError::new(StatusCode::UNAUTHORIZED, NO_KEY);
    let value = req.header("authorization").ok_or_else(unauthorized)?;
    let encoded = value.strip_prefix("Basic ").ok_or_else(unauthorized)?;
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).map_err(|_| unauthorized())?;
    let user = decoded.split(|b| *b == b':').next().unwrap_or_default();
    if bool::from(user.ct_eq(state.private_key.as_bytes())) { Ok(()) } else { Err(unauthorized()) }
}

/// Decode one JWT segment as strict unpadded base64url: `=` padding,
/// whitespace and non-canonical trailing bits are refused, so a token has
/// exactly one accepted spelling and single use by its text cannot be
/// dodged with `token + " "` or `token + "="`.
pub fn strict_base64url(part: &str) -> Result<Vec<u8>, base64::DecodeError> {
    // URL_SAFE_NO_PAD requires no padding and refuses trailing bits by default.
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part)
}

/// Refuse a JWT whose `nbf` (not before, Unix seconds) is after `now`. The
/// leeway is zero, as for `exp`. A present `nbf` that is not an integer is an
/// error too.
pub fn check_nbf(nbf: Option<&serde_json::Value>, now: i64) -> Result<(), String> {
    let Some(nbf) = nbf else { return Ok(()) };
    let nbf = nbf.as_i64().ok_or_else(|| format!("nbf must be Unix seconds, not {nbf}."))?;
    if nbf > now { Err(format!("it is not valid before {nbf} (nbf); the time now is {now}.")) } else { Ok(()) }
}
