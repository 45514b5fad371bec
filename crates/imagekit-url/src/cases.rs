//! The conformance case format of the official helpers: one case
//! `{"id","fn","args"}` in, one `{"id","output"}` or `{"id","error"}` out.
//!
//! `fn` is one of `buildSrc`, `buildTransformationString`,
//! `getAuthenticationParameters`, `pHashDistance`,
//! `jsGetResponsiveImageAttributes` (and the legacy `signature`); `args` are
//! the official helper's camelCase arguments. The `jsonl` example, the
//! conformance tests and the `imagekit url --jsonl` command all answer through
//! this one module.
//!
//! ```
//! let line = r#"{"id":1,"fn":"pHashDistance","args":{"first":"f","second":"e"}}"#;
//! assert_eq!(imagekit_url::cases::respond_line(line).to_string(), r#"{"id":1,"output":1}"#);
//! ```

use alloc::format;
use alloc::string::{String, ToString};

use crate::{
    DEFAULT_AUTH_EXPIRY_SECS, PrivateKey, ResponsiveOptions, UrlError, UrlOptions, Value as IkValue,
    authentication_parameters, build_transformation_string, build_url, get_responsive_image_attributes, phash_distance,
};
use serde_json::{Map, Value, json};

/// `String(x)` for a JSON scalar, as the official helper would see it.
fn js_string(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => serde_json::from_value::<IkValue>(other.clone()).map(|v| v.to_js_string()).unwrap_or_default(),
    }
}

fn now_secs(args: &Value) -> u64 {
    args.get("now").and_then(Value::as_f64).map_or(0, |n| n.max(0.0) as u64) // `as` truncates: floor for n >= 0
}

fn key_of(args: &Value) -> Result<PrivateKey, UrlError> {
    PrivateKey::new(args.get("privateKey").and_then(Value::as_str).unwrap_or(""))
}

/// Runs one case; `Ok(output)` or `Err(error message)`.
pub fn run(fn_name: &str, args: &Value) -> Result<Value, String> {
    match fn_name {
        "buildSrc" => {
            let opts: UrlOptions = serde_json::from_value(args["options"].clone()).map_err(|e| e.to_string())?;
            let key = key_of(args).ok();
            let mut opts = opts.now(now_secs(args));
            if let Some(k) = &key {
                opts = opts.private_key(k);
            }
            match build_url(&opts) {
                Ok(url) => Ok(Value::String(url)),
                // The official helper answers these with "".
                Err(UrlError::EmptySrc | UrlError::InvalidEndpoint | UrlError::InvalidSrc) => {
                    Ok(Value::String(String::new()))
                }
                Err(e) => Err(e.to_string()),
            }
        }
        "buildTransformationString" => {
            let opts: UrlOptions = serde_json::from_value(json!({
                "transformation": args.get("transformation").cloned().unwrap_or(Value::Null)
            }))
            .map_err(|e| e.to_string())?;
            build_transformation_string(opts.transformation_steps()).map(Value::String).map_err(|e| e.to_string())
        }
        "getAuthenticationParameters" => {
            let key = key_of(args).map_err(|e| e.to_string())?;
            let token = match args.get("token").map(js_string) {
                Some(t) if !t.is_empty() => t,
                _ => args.get("uuid").and_then(Value::as_str).unwrap_or("").to_string(),
            };
            let expire = match args.get("expire").and_then(Value::as_u64) {
                Some(e) if e != 0 => e,
                _ => now_secs(args) + DEFAULT_AUTH_EXPIRY_SECS,
            };
            let auth = authentication_parameters(&key, &token, expire).map_err(|e| e.to_string())?;
            Ok(json!({"token": auth.token, "expire": auth.expire, "signature": auth.signature}))
        }
        "pHashDistance" => {
            let first = js_string(&args["first"]);
            let second = js_string(&args["second"]);
            phash_distance(&first, &second).map(Value::from).map_err(|e| e.to_string())
        }
        "jsGetResponsiveImageAttributes" => {
            let opts: ResponsiveOptions = serde_json::from_value(args["options"].clone()).map_err(|e| e.to_string())?;
            let a = get_responsive_image_attributes(&opts).map_err(|e| e.to_string())?;
            let mut m = Map::new();
            m.insert("src".into(), a.src.into());
            if let Some(s) = a.src_set {
                m.insert("srcSet".into(), s.into());
            }
            if let Some(s) = a.sizes {
                m.insert("sizes".into(), s.into());
            }
            if let Some(w) = a.width {
                m.insert("width".into(), w.into());
            }
            Ok(Value::Object(m))
        }
        // The legacy internal getSignature: "" when an input is missing.
        "signature" => {
            let url = args.get("url").and_then(Value::as_str).unwrap_or("");
            let endpoint = args.get("urlEndpoint").and_then(Value::as_str).unwrap_or("");
            let expiry = args.get("expiryTimestamp").and_then(Value::as_u64).unwrap_or(0);
            match key_of(args) {
                Ok(key) => Ok(Value::String(key.url_signature(url, endpoint, expiry).unwrap_or_default())),
                Err(_) => Ok(Value::String(String::new())),
            }
        }
        other => Err(format!("unknown fn {other}")),
    }
}

/// Answers one case line; a line that is not JSON answers with an error and id `null`.
pub fn respond_line(line: &str) -> Value {
    match serde_json::from_str::<Value>(line) {
        Ok(case) => respond(&case),
        Err(e) => json!({"id": null, "error": format!("bad case line: {e}")}),
    }
}

/// Answers one parsed case.
pub fn respond(case: &Value) -> Value {
    let id = case.get("id").cloned().unwrap_or(Value::Null);
    let fn_name = case.get("fn").and_then(Value::as_str).unwrap_or("");
    let args = case.get("args").cloned().unwrap_or(Value::Null);
    match run(fn_name, &args) {
        Ok(output) => json!({"id": id, "output": output}),
        Err(error) => json!({"id": id, "error": error}),
    }
}
