//! Signed delivery URLs: `ik-s` and `ik-t` checked exactly as ImageKit signs them.

use http::StatusCode;
use percent_encoding::percent_decode_str;
use subtle::ConstantTimeEq as _;

use super::plan::split_path_transformation;
use crate::state::State;
use crate::web::ApiError;

/// The key of a raw `k=v` query pair.
fn pair_key(pair: &str) -> &str {
    pair.split_once('=').map_or(pair, |(k, _)| k)
}

/// Check `ik-s` (and `ik-t`). `Ok(false)`: the URL is not signed; `Ok(true)`:
/// it is, validly; `Err`: a 401 for a wrong signature or an expired URL.
///
/// The client signed `url_endpoint + "/" + rest + query-before-signing` by
/// stripping `url_endpoint/` and appending the expiry (url-rules §2.4); the
/// request carries the same path and query, so the text is rebuilt from it.
pub(super) fn verify_signature(state: &State, rest: &str, raw_query: Option<&str>, now: i64) -> Result<bool, ApiError> {
    let pairs: Vec<&str> = raw_query.map(|q| q.split('&').collect()).unwrap_or_default();
    let Some(sig_pair) = pairs.iter().find(|p| pair_key(p) == "ik-s") else {
        return Ok(false);
    };
    let unauthorized = |m: &str| ApiError::new(StatusCode::UNAUTHORIZED, m);
    let signature = sig_pair.split_once('=').map_or("", |(_, v)| v).to_ascii_lowercase();
    let expiry = match pairs.iter().find(|p| pair_key(p) == "ik-t") {
        Some(p) => p
            .split_once('=')
            .and_then(|(_, v)| v.parse::<u64>().ok())
            .ok_or_else(|| unauthorized("The ik-t parameter of this signed URL is not a unix timestamp."))?,
        None => imagekit_url::DEFAULT_TIMESTAMP,
    };
    let kept: Vec<&str> = pairs.iter().copied().filter(|p| !matches!(pair_key(p), "ik-s" | "ik-t")).collect();
    let query = kept.join("&");

    let mut candidates = vec![unsigned_url(&state.url_endpoint, rest, &query)];
    // A transformation is signed raw (spaces, non-ASCII), but an HTTP client
    // must percent-encode those to send them: also try with them decoded.
    let (path_tr, file_part) = split_path_transformation(rest);
    let decoded_rest = match path_tr {
        Some(tr) => format!("/tr:{}{file_part}", percent_decode_str(tr).decode_utf8_lossy()),
        None => rest.to_owned(),
    };
    let decoded_query = kept
        .iter()
        .map(|p| match p.split_once('=') {
            Some(("tr", v)) => format!("tr={}", percent_decode_str(v).decode_utf8_lossy()),
            _ => (*p).to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&");
    candidates.push(unsigned_url(&state.url_endpoint, &decoded_rest, &decoded_query));
    let raw = unsigned_url(&state.url_endpoint, rest, &query);
    candidates.push(percent_decode_str(&raw).decode_utf8_lossy().into_owned());

    let valid = candidates.iter().any(|url| {
        state
            .signer
            .url_signature(url, &state.url_endpoint, expiry)
            .is_ok_and(|s| bool::from(s.as_bytes().ct_eq(signature.as_bytes())))
    });
    if !valid {
        return Err(unauthorized("The signature of this URL is invalid."));
    }
    if expiry != imagekit_url::DEFAULT_TIMESTAMP && i64::try_from(expiry).unwrap_or(i64::MAX) < now {
        return Err(unauthorized("This signed URL has expired."));
    }
    Ok(true)
}

fn unsigned_url(endpoint: &str, rest: &str, query: &str) -> String {
    if query.is_empty() { format!("{endpoint}{rest}") } else { format!("{endpoint}{rest}?{query}") }
}
