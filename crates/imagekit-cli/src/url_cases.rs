//! The conformance case format (`/work/shared/conformance/README.md`): one line
//! `{"id","fn","args"}` in, one `{"id","output"}` or `{"id","error"}` out, answered
//! with the public functions of `imagekit-url` (its `serde` feature reads the
//! official camelCase options).

use imagekit_url::{
    DEFAULT_AUTH_EXPIRY_SECS, PrivateKey, ResponsiveOptions, UrlError, UrlOptions, Value as IkValue,
    authentication_parameters, build_transformation_string, build_url, get_responsive_image_attributes, phash_distance,
};
use serde_json::{Map, Value, json};

/// Answer one case line; a line that is not JSON answers with an error and id `null`.
pub fn respond_line(line: &str) -> Value {
    match serde_json::from_str::<Value>(line) {
        Ok(case) => respond(&case),
        Err(e) => json!({"id": null, "error": format!("bad case line: {e}")}),
    }
}

/// Answer one case.
pub fn respond(case: &Value) -> Value {
    let id = case.get("id").cloned().unwrap_or(Value::Null);
    let name = case.get("fn").and_then(Value::as_str).unwrap_or("");
    let args = case.get("args").unwrap_or(&Value::Null);
    match run(name, args) {
        Ok(output) => json!({"id": id, "output": output}),
        Err(error) => json!({"id": id, "error": error}),
    }
}

/// Run the official function `name` on `args`.
fn run(name: &str, args: &Value) -> Result<Value, String> {
    match name {
        "buildSrc" => build_src(args),
        "buildTransformationString" => {
            let steps = args.get("transformation").cloned().unwrap_or(Value::Null);
            let opts: UrlOptions =
                serde_json::from_value(json!({ "transformation": steps })).map_err(|e| e.to_string())?;
            build_transformation_string(opts.transformation_steps()).map(Value::String).map_err(|e| e.to_string())
        }
        "getAuthenticationParameters" => {
            let key = key_of(args).map_err(|e| e.to_string())?;
            // What the official helper does with a missing token / expiry, with the
            // case's `uuid` and `now` standing in for randomness and the clock.
            let token = match args.get("token").map(js_string) {
                Some(t) if !t.is_empty() => t,
                _ => args.get("uuid").and_then(Value::as_str).unwrap_or("").to_owned(),
            };
            let expire = match args.get("expire").and_then(Value::as_u64) {
                Some(e) if e != 0 => e,
                _ => now_secs(args) + DEFAULT_AUTH_EXPIRY_SECS,
            };
            let auth = authentication_parameters(&key, &token, expire).map_err(|e| e.to_string())?;
            Ok(json!({"token": auth.token, "expire": auth.expire, "signature": auth.signature}))
        }
        "pHashDistance" => {
            let first = js_string(args.get("first").unwrap_or(&Value::Null));
            let second = js_string(args.get("second").unwrap_or(&Value::Null));
            phash_distance(&first, &second).map(Value::from).map_err(|e| e.to_string())
        }
        "jsGetResponsiveImageAttributes" => {
            let options = args.get("options").cloned().unwrap_or(Value::Null);
            let opts: ResponsiveOptions = serde_json::from_value(options).map_err(|e| e.to_string())?;
            let attrs = get_responsive_image_attributes(&opts).map_err(|e| e.to_string())?;
            let mut m = Map::new();
            m.insert("src".into(), attrs.src.into());
            if let Some(s) = attrs.src_set {
                m.insert("srcSet".into(), s.into());
            }
            if let Some(s) = attrs.sizes {
                m.insert("sizes".into(), s.into());
            }
            if let Some(w) = attrs.width {
                m.insert("width".into(), w.into());
            }
            Ok(Value::Object(m))
        }
        // The legacy internal getSignature: "" when an input is missing.
        "signature" => {
            let url = args.get("url").and_then(Value::as_str).unwrap_or("");
            let endpoint = args.get("urlEndpoint").and_then(Value::as_str).unwrap_or("");
            let expiry = args.get("expiryTimestamp").and_then(Value::as_u64).unwrap_or(0);
            let signature = key_of(args).ok().and_then(|k| k.url_signature(url, endpoint, expiry).ok());
            Ok(Value::String(signature.unwrap_or_default()))
        }
        other => Err(format!("unknown fn {other:?}")),
    }
}

fn build_src(args: &Value) -> Result<Value, String> {
    let options = args.get("options").cloned().unwrap_or(Value::Null);
    let opts: UrlOptions = serde_json::from_value(options).map_err(|e| e.to_string())?;
    let key = key_of(args).ok();
    let mut opts = opts.now(now_secs(args));
    if let Some(k) = &key {
        opts = opts.private_key(k);
    }
    match build_url(&opts) {
        Ok(url) => Ok(Value::String(url)),
        // The official helper answers these with "".
        Err(UrlError::EmptySrc | UrlError::InvalidEndpoint | UrlError::InvalidSrc) => Ok(Value::String(String::new())),
        Err(e) => Err(e.to_string()),
    }
}

/// `String(x)` of a JSON scalar, as the official helper sees it.
fn js_string(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => serde_json::from_value::<IkValue>(other.clone()).map(|v| v.to_js_string()).unwrap_or_default(),
    }
}

/// The case's clock, `now` (Unix seconds, floored).
fn now_secs(args: &Value) -> u64 {
    args.get("now").and_then(Value::as_f64).map_or(0, |n| n.floor().max(0.0) as u64)
}

fn key_of(args: &Value) -> Result<PrivateKey, UrlError> {
    PrivateKey::new(args.get("privateKey").and_then(Value::as_str).unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_each_kind() {
        let line = r#"{"id":"a","fn":"buildTransformationString","args":{"transformation":[{"width":300}]}}"#;
        assert_eq!(respond_line(line), json!({"id": "a", "output": "w-300"}));
        let bad = r#"{"id":"b","fn":"pHashDistance","args":{"first":"zz","second":"00"}}"#;
        assert!(respond_line(bad).get("error").is_some());
        assert_eq!(respond_line("not json")["id"], Value::Null);
        assert!(respond_line(r#"{"id":1,"fn":"nope"}"#).get("error").is_some());
    }
}
