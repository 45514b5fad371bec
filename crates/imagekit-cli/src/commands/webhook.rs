//! `imagekit webhook verify`: check a received webhook's signature with
//! `imagekit::Webhooks` and print the typed event.

use std::io::Read;
use std::path::Path;

use http::{HeaderMap, HeaderName, HeaderValue};
use imagekit::Webhooks;
use imagekit::webhooks::LEGACY_HEADER_SIGNATURE;

use crate::cli::{WebhookCommand, WebhookVerifyArgs};
use crate::config::Context;
use crate::error::{CliError, CliResult};

/// `imagekit webhook ...`.
pub fn run(ctx: &Context, command: WebhookCommand) -> CliResult {
    match command {
        WebhookCommand::Verify(args) => verify(ctx, args),
    }
}

fn verify(ctx: &Context, args: WebhookVerifyArgs) -> CliResult {
    if args.headers.as_os_str() == "-" && args.body.as_os_str() == "-" {
        return Err(CliError::usage("only one of --headers and --body can be read from stdin"));
    }
    let header_bytes = read_input(&args.headers, "--headers")?;
    let header_text = String::from_utf8(header_bytes)
        .map_err(|_| CliError::usage(format!("{}: the headers are not UTF-8", args.headers.display())))?;
    let headers = parse_headers(&header_text)?;
    let body = read_input(&args.body, "--body")?;
    let webhooks = Webhooks::new(args.secret);

    let event = if args.legacy {
        let signature = headers.get(LEGACY_HEADER_SIGNATURE).and_then(|v| v.to_str().ok()).ok_or_else(|| {
            CliError::usage(format!("webhook verification failed: no {LEGACY_HEADER_SIGNATURE} header"))
        })?;
        webhooks.verify_legacy(&body, signature).map(|w| w.event)
    } else {
        match args.at {
            Some(at) => webhooks.verify_and_parse_at(&body, &headers, at),
            None => webhooks.verify_and_parse(&body, &headers),
        }
    };
    match event {
        Ok(event) => ctx.out.value(&event),
        Err(e) => Err(CliError::usage(format!("webhook verification failed: {e}"))),
    }
}

/// A file's bytes, or stdin's for `-`.
fn read_input(path: &Path, flag: &str) -> CliResult<Vec<u8>> {
    let mut bytes = Vec::new();
    let result = if path.as_os_str() == "-" {
        std::io::stdin().lock().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes)).map(|_| ())
    };
    result.map_err(|e| CliError::usage(format!("{flag} {}: {e}", path.display())))?;
    Ok(bytes)
}

/// `Name: value` lines as in HTTP. A request line (`POST /hook HTTP/1.1`) first is
/// skipped, and a blank line after the headers ends them (as in a raw request).
pub fn parse_headers(text: &str) -> CliResult<HeaderMap> {
    let mut map = HeaderMap::new();
    let mut started = false;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if started {
                break;
            }
            continue;
        }
        if !started && line.contains(" HTTP/") && !line.contains(':') {
            started = true;
            continue;
        }
        started = true;
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| CliError::usage(format!("headers line {}: expected `Name: value`", n + 1)))?;
        let name = HeaderName::from_bytes(name.trim().as_bytes())
            .map_err(|_| CliError::usage(format!("headers line {}: {:?} is not a header name", n + 1, name.trim())))?;
        let value = HeaderValue::from_str(value.trim())
            .map_err(|_| CliError::usage(format!("headers line {}: the value of {name} is not valid", n + 1)))?;
        map.append(name, value);
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_files() {
        let text = "POST /hook HTTP/1.1\r\nWebhook-Id: msg_1\r\nwebhook-timestamp:  17 \r\n\r\n{\"body\":1}";
        let map = parse_headers(text).unwrap_or_default();
        assert_eq!(map.get("webhook-id").and_then(|v| v.to_str().ok()), Some("msg_1"));
        assert_eq!(map.get("webhook-timestamp").and_then(|v| v.to_str().ok()), Some("17"));
        assert_eq!(map.len(), 2);
        assert!(parse_headers("no colon here").is_err());
    }
}
