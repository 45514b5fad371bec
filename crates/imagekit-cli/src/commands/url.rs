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

/// Answer conformance cases from stdin, one line out per line in, flushed as it goes.
fn jsonl() -> CliResult {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line.map_err(|e| CliError::usage(format!("cannot read stdin: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        let response = imagekit_url::cases::respond_line(&line);
        writeln!(out, "{response}").and_then(|()| out.flush()).map_err(stdout_error)?;
    }
    Ok(())
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
}
