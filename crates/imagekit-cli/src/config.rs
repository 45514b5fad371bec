//! The client, from the global flags over the environment, and the `-v` diagnostics.

use imagekit::{Client, ClientBuilder};

use crate::cli::Global;
use crate::error::{CliError, CliResult};

/// What the commands share: the global flags and where output goes.
#[derive(Debug, Clone)]
pub struct Context {
    /// The global flags.
    pub global: Global,
    /// Where results go.
    pub out: crate::output::Output,
}

impl Context {
    /// A context for these flags.
    pub fn new(global: Global) -> Self {
        let out = crate::output::Output { json: global.json };
        Context { global, out }
    }

    /// A client for the API: the environment as the SDK reads it, overridden by flags.
    pub fn client(&self) -> CliResult<Client> {
        let g = &self.global;
        let mut builder = ClientBuilder::from_env();
        if let Some(key) = g.private_key.as_deref().filter(|k| !k.is_empty()) {
            builder = builder.private_key(key);
        } else if std::env::var("IMAGEKIT_PRIVATE_KEY").map_or(true, |k| k.is_empty()) {
            return Err(CliError::usage("no private key: pass --private-key or set IMAGEKIT_PRIVATE_KEY"));
        }
        if let Some(key) = g.public_key.as_deref().filter(|k| !k.is_empty()) {
            builder = builder.public_key(key);
        }
        if let Some(endpoint) = g.url_endpoint.as_deref().filter(|e| !e.is_empty()) {
            builder = builder.url_endpoint(endpoint);
        }
        if let Some(url) = g.base_url.as_deref().filter(|u| !u.is_empty()) {
            builder = builder.base_url(url);
        }
        if let Some(timeout) = g.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(total) = g.total_timeout {
            builder = builder.total_timeout(total);
        }
        if let Some(retries) = g.max_retries {
            builder = builder.max_retries(retries);
        }
        // The SDK refuses a base URL with credentials, and its error masks them.
        let client = builder.build()?;
        if g.verbose > 0 {
            eprintln!(
                "imagekit: API {} (uploads {}), url endpoint {}, public key {}, private key set",
                mask_userinfo(client.base_url()),
                mask_userinfo(client.upload_base_url()),
                mask_userinfo(client.url_endpoint().unwrap_or("(none)")),
                client.public_key().unwrap_or("(none)"),
            );
        }
        Ok(client)
    }

    /// The private key for signing, from the flag or the environment.
    pub fn private_key(&self) -> Option<String> {
        self.global.private_key.clone().or_else(|| std::env::var("IMAGEKIT_PRIVATE_KEY").ok()).filter(|k| !k.is_empty())
    }

    /// The URL endpoint, from the flag or the environment.
    pub fn url_endpoint(&self) -> Option<String> {
        self.global
            .url_endpoint
            .clone()
            .or_else(|| std::env::var("IMAGEKIT_URL_ENDPOINT").ok())
            .filter(|e| !e.is_empty())
    }

    /// Retries after a failed attempt, as configured.
    pub fn max_retries(&self) -> u32 {
        self.global.max_retries.unwrap_or(imagekit::DEFAULT_MAX_RETRIES)
    }
}

/// `url` with anything between the scheme and the last `@` masked: a URL is
/// printed only this way, so no `user:password@` can reach the terminal.
pub fn mask_userinfo(url: &str) -> std::borrow::Cow<'_, str> {
    let Some(at) = url.rfind('@') else { return url.into() };
    let start = url.find("://").map_or(0, |i| i + 3);
    let start = if start > at { 0 } else { start };
    format!("{}***{}", &url[..start], &url[at..]).into()
}

/// With `-vv`, log every SDK call (method, path, status, timing) on stderr. The
/// SDK never puts keys or headers in its spans.
pub fn init_tracing(verbose: u8) {
    if verbose < 2 {
        return;
    }
    use tracing_subscriber::fmt::format::FmtSpan;
    let filter = tracing_subscriber::EnvFilter::new("imagekit=debug");
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(FmtSpan::CLOSE)
        .with_writer(std::io::stderr)
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::mask_userinfo;

    #[test]
    fn userinfo_is_masked() {
        assert_eq!(mask_userinfo("https://ik.imagekit.io/demo"), "https://ik.imagekit.io/demo");
        assert_eq!(mask_userinfo("https://u:pw@ik.imagekit.io/demo"), "https://***@ik.imagekit.io/demo");
        assert_eq!(mask_userinfo("u:p/w@host"), "***@host");
    }
}
