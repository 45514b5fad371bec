//! `imagekit url` (delivery URLs, and `--jsonl` conformance cases) and
//! `imagekit auth-params` (client-side upload parameters).

use std::io::{BufRead, Write};
use std::time::{SystemTime, UNIX_EPOCH};

use imagekit_url::{PrivateKey, Transformation, TransformationPosition, UrlOptions, Value};
use serde_json::json;

use crate::cli::{AuthParamsArgs, UrlArgs};
use crate::config::Context;
use crate::error::{CliError, CliResult};
use crate::output::stdout_error;

/// `imagekit url`.
pub fn run(ctx: &Context, args: UrlArgs) -> CliResult {
    if args.jsonl {
        return jsonl();
    }
    let src = args.src.as_deref().ok_or_else(|| CliError::usage("give a src, or --jsonl"))?;
    let key = match ctx.private_key() {
        Some(k) => Some(PrivateKey::new(&k).map_err(|e| CliError::usage(format!("invalid private key: {e}")))?),
        None => None,
    };
    let endpoint = ctx.url_endpoint();
    let is_absolute = src.starts_with("http://") || src.starts_with("https://");
    if endpoint.is_none() && !is_absolute {
        return Err(CliError::usage("no URL endpoint: pass --url-endpoint or set IMAGEKIT_URL_ENDPOINT"));
    }

    let mut opts = UrlOptions::new(src);
    if let Some(endpoint) = endpoint {
        opts = opts.url_endpoint(endpoint);
    }
    for step in transformation_steps(args.tr.as_deref(), &args.step)? {
        opts = opts.transformation(step);
    }
    if args.path_position {
        opts = opts.position(TransformationPosition::Path);
    }
    for pair in &args.query {
        let (k, v) =
            pair.split_once('=').ok_or_else(|| CliError::usage(format!("--query {pair:?}: expected key=value")))?;
        opts = opts.query_parameter(k.to_owned(), v.to_owned());
    }
    if args.signed || args.expires_in.is_some_and(|s| s > 0) {
        let key = key.as_ref().ok_or_else(|| {
            CliError::usage("a signed URL needs the private key: pass --private-key or set IMAGEKIT_PRIVATE_KEY")
        })?;
        opts = opts.signed(key);
        if let Some(secs) = args.expires_in {
            opts = opts.expires_in(secs, unix_now());
        }
    }
    let url = opts.build().map_err(|e| CliError::usage(format!("cannot build the URL: {e}")))?;
    if ctx.out.json { ctx.out.json_line(&json!({ "url": url })) } else { ctx.out.line(&url) }
}

/// `imagekit auth-params`.
pub fn auth_params(ctx: &Context, args: AuthParamsArgs) -> CliResult {
    let key = ctx
        .private_key()
        .ok_or_else(|| CliError::usage("no private key: pass --private-key or set IMAGEKIT_PRIVATE_KEY"))?;
    let key = PrivateKey::new(&key).map_err(|e| CliError::usage(format!("invalid private key: {e}")))?;
    let auth = imagekit_url::get_authentication_parameters(&key, args.token.as_deref(), args.expire);
    ctx.out.json_line(&json!({"token": auth.token, "expire": auth.expire, "signature": auth.signature}))
}

/// The `fn` names a case may call (those `imagekit_url::cases::run` answers).
const CASE_FNS: &[&str] = &[
    "buildSrc",
    "buildTransformationString",
    "getAuthenticationParameters",
    "pHashDistance",
    "jsGetResponsiveImageAttributes",
    "signature",
];

/// Answer conformance cases from stdin, one line out per line in, flushed as it
/// goes. A malformed line gets an error record naming its line number, and the
/// rest still run; the command then fails at the end, after the last answer.
fn jsonl() -> CliResult {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut malformed = 0u64;
    for (index, line) in stdin.lock().lines().enumerate() {
        let line = line.map_err(|e| CliError::usage(format!("cannot read stdin: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        let response = answer(index as u64 + 1, &line).unwrap_or_else(|record| {
            malformed += 1;
            record
        });
        writeln!(out, "{response}").and_then(|()| out.flush()).map_err(stdout_error)?;
    }
    if malformed > 0 {
        let s = if malformed == 1 { "" } else { "s" };
        eprintln!("imagekit: {malformed} malformed input line{s} (see the error records on stdout)");
        return Err(CliError::Reported);
    }
    Ok(())
}

/// The answer to the case on line `number` (from 1), or, when the line is not
/// a case, the error record that takes its place:
/// `{"id": <its id, or null>, "line": number, "error": "line number: why"}`.
///
/// A case whose function answers with an error (a bad option value) is not
/// malformed: that error is the answer, as the official helper would give it.
fn answer(number: u64, line: &str) -> Result<serde_json::Value, serde_json::Value> {
    let record = |id: serde_json::Value, why: String| json!({"id": id, "line": number, "error": format!("line {number}: {why}")});
    let case: serde_json::Value =
        serde_json::from_str(line).map_err(|e| record(serde_json::Value::Null, format!("not JSON: {e}")))?;
    let Some(fields) = case.as_object() else {
        return Err(record(serde_json::Value::Null, "not a JSON object (a case is {\"id\",\"fn\",\"args\"})".into()));
    };
    let id = fields.get("id").cloned().unwrap_or(serde_json::Value::Null);
    match fields.get("fn") {
        None => return Err(record(id, "no \"fn\"".into())),
        Some(serde_json::Value::String(name)) if CASE_FNS.contains(&name.as_str()) => {}
        Some(serde_json::Value::String(name)) => {
            return Err(record(id, format!("unknown \"fn\" {name:?}: expected one of {}", CASE_FNS.join(", "))));
        }
        Some(other) => return Err(record(id, format!("\"fn\" must be a string, not {other}"))),
    }
    match fields.get("args") {
        Some(serde_json::Value::Object(_)) => Ok(imagekit_url::cases::respond(&case)),
        None => Err(record(id, "no \"args\" object".into())),
        Some(other) => Err(record(id, format!("\"args\" must be an object, not {other}"))),
    }
}

/// The steps of `--tr` (raw, split on `:`) followed by one step per `--step`.
pub fn transformation_steps(tr: Option<&str>, steps: &[String]) -> CliResult<Vec<Transformation<'static>>> {
    let mut out = Vec::new();
    if let Some(tr) = tr {
        for raw in tr.split(':').filter(|s| !s.is_empty()) {
            out.push(Transformation::new().raw(raw.to_owned()));
        }
    }
    for step in steps {
        let mut t = Transformation::new();
        for pair in step.split(',').filter(|s| !s.is_empty()) {
            let (key, value) = pair
                .split_once('=')
                .ok_or_else(|| CliError::usage(format!("--step {step:?}: expected key=value pairs")))?;
            let value = typed_value(value);
            t = if key == "raw" { t.raw(value) } else { t.param(key.to_owned(), value) };
        }
        out.push(t);
    }
    Ok(out)
}

/// `true`/`false` as booleans, numbers that read back the same as numbers, the rest text.
fn typed_value(text: &str) -> Value<'static> {
    match text {
        "true" => Value::from(true),
        "false" => Value::from(false),
        _ => match serde_json::from_str::<serde_json::Number>(text) {
            Ok(n) if n.to_string() == text => match (n.as_u64(), n.as_f64()) {
                (Some(u), _) => Value::from(u),
                (None, Some(f)) => Value::from(f),
                _ => Value::from(text.to_owned()),
            },
            _ => Value::from(text.to_owned()),
        },
    }
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_from_flags() {
        let steps = transformation_steps(Some("w-300,h-300:rt-90"), &["width=100,aiRemoveBackground=true".into()])
            .unwrap_or_default();
        let tr = imagekit_url::build_transformation_string(&steps).unwrap_or_default();
        assert_eq!(tr, "w-300,h-300:rt-90:w-100,e-bgremove");
        assert!(transformation_steps(None, &["width".into()]).is_err());
    }

    #[test]
    fn every_case_fn_is_one_the_url_crate_answers() {
        for name in CASE_FNS {
            if let Err(e) = imagekit_url::cases::run(name, &json!({})) {
                assert!(!e.contains("unknown fn"), "{name}: {e}");
            }
        }
    }

    #[test]
    fn malformed_lines_become_records_naming_the_line() {
        let bad = |line: &str| answer(7, line).expect_err(line);
        let not_json = bad("{oops");
        assert_eq!(not_json["line"], 7);
        assert_eq!(not_json["id"], serde_json::Value::Null);
        assert!(not_json["error"].as_str().unwrap().starts_with("line 7: not JSON: "), "{not_json}");
        assert!(bad("[1]")["error"].as_str().unwrap().contains("not a JSON object"));
        let unknown = bad(r#"{"id":"c1","fn":"nope","args":{}}"#);
        assert_eq!(unknown["id"], "c1");
        assert!(unknown["error"].as_str().unwrap().contains(r#"unknown "fn" "nope""#), "{unknown}");
        assert!(bad(r#"{"id":1,"fn":3,"args":{}}"#)["error"].as_str().unwrap().contains("must be a string"));
        assert!(bad(r#"{"id":1,"fn":"pHashDistance"}"#)["error"].as_str().unwrap().contains(r#"no "args""#));
        assert!(bad(r#"{"id":1,"fn":"pHashDistance","args":[]}"#)["error"].as_str().unwrap().contains("object"));

        // A helper's own error is an answer, not a malformed line.
        let answered = answer(1, r#"{"id":2,"fn":"pHashDistance","args":{"first":"zz","second":"f"}}"#).unwrap();
        assert_eq!(answered["id"], 2);
        assert!(answered.get("error").is_some() && answered.get("line").is_none(), "{answered}");
    }
}
