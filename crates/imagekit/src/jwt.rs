//! The V2 upload token: an HS256 JWT whose claims are the upload's form fields.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// Build the token: header `{"alg":"HS256","typ":"JWT","kid":<public key>}`,
/// claims = every form field except `file` and `token`, each as the exact
/// string sent, then `iat` and `exp` (Unix seconds), signed with the private key.
pub(crate) fn upload_token(
    private_key: &str,
    public_key: &str,
    fields: &[(&str, &str)],
    iat: u64,
    exp: u64,
) -> Result<String, crate::Error> {
    let header = serde_json::json!({"alg": "HS256", "typ": "JWT", "kid": public_key});
    let mut claims = serde_json::Map::new();
    for (name, value) in fields {
        if *name != "file" && *name != "token" {
            claims.insert((*name).to_owned(), serde_json::Value::String((*value).to_owned()));
        }
    }
    claims.insert("iat".into(), iat.into());
    claims.insert("exp".into(), exp.into());
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(serde_json::Value::Object(claims).to_string())
    );
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(private_key.as_bytes())
        .map_err(|_| crate::Error::InvalidInput("the private key cannot key HMAC-SHA256".into()))?;
    mac.update(signing_input.as_bytes());
    Ok(format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())))
}
