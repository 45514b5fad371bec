//! The client, its builder and its configuration.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use http::header::{HeaderMap, HeaderName, HeaderValue};
use imagekit_transport::HttpClient;

use crate::Error;
use crate::sleep::{AsyncSleep, DefaultSleep};

/// The API host.
pub const DEFAULT_BASE_URL: &str = "https://api.imagekit.io";
/// The upload host, used while the base URL is not overridden.
pub const DEFAULT_UPLOAD_BASE_URL: &str = "https://upload.imagekit.io";
/// Per-attempt timeout unless configured.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Retries after the first attempt unless configured.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// The largest 2xx response body read into memory unless configured: 64 MiB,
/// far above any ImageKit API response (a full listing page is a few MB).
pub const DEFAULT_MAX_RESPONSE_SIZE: usize = 64 * 1024 * 1024;
/// The Basic-auth password the official SDKs send; the API ignores it.
const DEFAULT_PASSWORD: &str = "do_not_set";

/// The ImageKit client: cheap to clone (an `Arc` inside), `Send + Sync`.
///
/// ```
/// let client = imagekit::Client::builder()
///     .private_key("private_xxx")
///     .url_endpoint("https://ik.imagekit.io/demo")
///     .build()?;
/// let files = client.files(); // then .get(id).await, .upload(...).await, ...
/// # let _ = files;
/// # Ok::<(), imagekit::Error>(())
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: Arc<dyn HttpClient>,
    pub(crate) base_url: String,
    pub(crate) upload_base_url: String,
    pub(crate) auth: HeaderValue,
    /// Signs delivery URLs and upload auth parameters.
    pub(crate) signer: imagekit_url::PrivateKey,
    /// The raw key, for the V2 upload JWT.
    pub(crate) private_key: imagekit_types::Secret,
    pub(crate) public_key: Option<String>,
    pub(crate) url_endpoint: Option<String>,
    pub(crate) webhook_secret: Option<imagekit_types::Secret>,
    pub(crate) timeout: Duration,
    pub(crate) max_retries: u32,
    /// The most bytes of a 2xx body read into memory.
    pub(crate) max_response_size: usize,
    /// Bounds all attempts and waits of a call, when set.
    pub(crate) total_timeout: Option<Duration>,
    pub(crate) default_headers: HeaderMap,
    /// Times attempts, backoff and job polling.
    pub(crate) sleep: Arc<dyn AsyncSleep>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        // Masked like errors: a base URL never holds credentials, but one with
        // an `@` in its path might be mistaken for them.
        f.debug_struct("Client")
            .field("base_url", &redact_userinfo(&i.base_url))
            .field("upload_base_url", &redact_userinfo(&i.upload_base_url))
            .field("public_key", &i.public_key)
            .field("url_endpoint", &i.url_endpoint.as_deref().map(redact_userinfo))
            .field("private_key", &"***")
            .field("webhook_secret", &i.webhook_secret.as_ref().map(|_| "***"))
            .field("timeout", &i.timeout)
            .field("total_timeout", &i.total_timeout)
            .field("max_retries", &i.max_retries)
            .field("max_response_size", &i.max_response_size)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder; only the private key is required.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client from the environment: `IMAGEKIT_PRIVATE_KEY` (required),
    /// `IMAGEKIT_PUBLIC_KEY`, `IMAGEKIT_URL_ENDPOINT`, `IMAGE_KIT_BASE_URL` (or
    /// `IMAGEKIT_BASE_URL`), `IMAGEKIT_WEBHOOK_SECRET`,
    /// `OPTIONAL_IMAGEKIT_IGNORES_THIS` (the Basic-auth password) and
    /// `IMAGE_KIT_CUSTOM_HEADERS` (newline-separated `Name: value` lines).
    pub fn from_env() -> Result<Self, Error> {
        ClientBuilder::from_env().build()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The base URL uploads go to.
    pub fn upload_base_url(&self) -> &str {
        &self.inner.upload_base_url
    }

    /// The configured URL endpoint, if any.
    pub fn url_endpoint(&self) -> Option<&str> {
        self.inner.url_endpoint.as_deref()
    }

    /// The configured public key, if any.
    pub fn public_key(&self) -> Option<&str> {
        self.inner.public_key.as_deref()
    }
}

/// Builds a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    private_key: Option<String>,
    public_key: Option<String>,
    url_endpoint: Option<String>,
    base_url: Option<String>,
    password: Option<String>,
    webhook_secret: Option<String>,
    timeout: Option<Duration>,
    total_timeout: Option<Duration>,
    max_retries: Option<u32>,
    max_response_size: Option<usize>,
    default_headers: Vec<(String, String)>,
    http: Option<Arc<dyn HttpClient>>,
    sleep: Option<Arc<dyn AsyncSleep>>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("private_key", &self.private_key.as_ref().map(|_| "***"))
            .field("public_key", &self.public_key)
            .field("url_endpoint", &self.url_endpoint.as_deref().map(redact_userinfo))
            .field("base_url", &self.base_url.as_deref().map(redact_userinfo))
            .field("timeout", &self.timeout)
            .field("total_timeout", &self.total_timeout)
            .field("max_retries", &self.max_retries)
            .field("max_response_size", &self.max_response_size)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// A builder pre-filled from the environment (see [`Client::from_env`]).
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env) over any variable lookup (tests, config maps).
    pub(crate) fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let var = |name: &str| lookup(name).filter(|v| !v.is_empty());
        let mut b = ClientBuilder {
            private_key: var("IMAGEKIT_PRIVATE_KEY"),
            public_key: var("IMAGEKIT_PUBLIC_KEY"),
            url_endpoint: var("IMAGEKIT_URL_ENDPOINT"),
            base_url: var("IMAGE_KIT_BASE_URL").or_else(|| var("IMAGEKIT_BASE_URL")),
            password: var("OPTIONAL_IMAGEKIT_IGNORES_THIS"),
            webhook_secret: var("IMAGEKIT_WEBHOOK_SECRET"),
            ..Default::default()
        };
        if let Some(lines) = var("IMAGE_KIT_CUSTOM_HEADERS") {
            for line in lines.lines() {
                if let Some((name, value)) = line.split_once(':') {
                    b.default_headers.push((name.trim().to_owned(), value.trim().to_owned()));
                }
            }
        }
        b
    }

    /// The private API key (`private_...`); required.
    pub fn private_key(mut self, key: impl Into<String>) -> Self {
        self.private_key = Some(key.into());
        self
    }

    /// The public API key, for client-side uploads and V2 upload tokens.
    pub fn public_key(mut self, key: impl Into<String>) -> Self {
        self.public_key = Some(key.into());
        self
    }

    /// The URL endpoint delivery URLs are built on, e.g. `https://ik.imagekit.io/demo`.
    pub fn url_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.url_endpoint = Some(endpoint.into());
        self
    }

    /// Send every request, uploads included, to this base URL instead of
    /// ImageKit's hosts (a proxy, or a local emulator). As in the official Node
    /// SDK, giving exactly `https://api.imagekit.io` does not move uploads.
    ///
    /// A base URL carrying credentials (`http://user:password@host`) is
    /// refused by [`build`](Self::build): the `Authorization` header already
    /// holds the private key, so they could not be sent (the Node SDK's
    /// `fetch` refuses such URLs too), and a URL with a password would end up
    /// in logs. The error does not repeat them.
    ///
    /// ```
    /// let err = imagekit::Client::builder().private_key("k").base_url("http://me:hunter2@127.0.0.1:8080").build();
    /// let err = err.unwrap_err().to_string();
    /// assert!(err.contains("credentials") && !err.contains("hunter2"), "{err}");
    /// # Ok::<(), imagekit::Error>(())
    /// ```
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The Basic-auth password (default `do_not_set`; the API ignores it).
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(password.into());
        self
    }

    /// The webhook secret (`whsec_...`) for verifying webhooks.
    pub fn webhook_secret(mut self, secret: impl Into<String>) -> Self {
        self.webhook_secret = Some(secret.into());
        self
    }

    /// Timeout of each attempt (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// A bound on a whole call: every attempt, the backoff between them and
    /// the server's `Retry-After` waits (default: none; then a call takes at
    /// most `(max_retries + 1) × timeout` plus the waits, each at most 60 s).
    ///
    /// When it runs out, or a wait would end past it, the call fails at once
    /// with [`Error::DeadlineExceeded`], which carries the last attempt's
    /// error. [`Call::total_timeout`](crate::Call::total_timeout) overrides it
    /// for one call.
    pub fn total_timeout(mut self, total: Duration) -> Self {
        self.total_timeout = Some(total);
        self
    }

    /// Retries after the first attempt (default 2).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// The most bytes of a 2xx response body read into memory (default
    /// [`DEFAULT_MAX_RESPONSE_SIZE`], 64 MiB). A larger body fails the call
    /// with [`Error::ResponseTooLarge`] after at most the limit plus one
    /// chunk was read, or before reading when `Content-Length` announces more.
    /// Error bodies are always cut to 64 KiB.
    /// [`Call::max_response_size`](crate::Call::max_response_size) overrides
    /// it for one call.
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.max_response_size = Some(bytes);
        self
    }

    /// A header sent with every request.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// The transport to send requests with (default: a `HyperClient`).
    pub fn http_client(mut self, client: impl HttpClient + 'static) -> Self {
        self.http = Some(Arc::new(client));
        self
    }

    /// The transport to send requests with, already shared.
    pub fn shared_http_client(mut self, client: Arc<dyn HttpClient>) -> Self {
        self.http = Some(client);
        self
    }

    /// What the client waits with: per-attempt timeouts, retry backoff and
    /// job polling (default [`DefaultSleep`]: Tokio's timer inside a Tokio
    /// runtime with the `tokio` feature, else a runtime-independent timer).
    ///
    /// Set it to run those waits on another runtime's timer, or on a test clock.
    pub fn sleep_impl(mut self, sleep: impl AsyncSleep + 'static) -> Self {
        self.sleep = Some(Arc::new(sleep));
        self
    }

    /// What the client waits with, already shared (see [`sleep_impl`](Self::sleep_impl)).
    pub fn shared_sleep_impl(mut self, sleep: Arc<dyn AsyncSleep>) -> Self {
        self.sleep = Some(sleep);
        self
    }

    /// Build the client. Fails without a private key, with a base URL that is
    /// not `http(s)://host[/prefix]` or that carries credentials, or with a
    /// malformed default header.
    pub fn build(self) -> Result<Client, Error> {
        let private_key = self.private_key.filter(|k| !k.is_empty()).ok_or_else(|| {
            Error::Config("no private key: call ClientBuilder::private_key or set IMAGEKIT_PRIVATE_KEY".into())
        })?;
        let password = self.password.unwrap_or_else(|| DEFAULT_PASSWORD.to_owned());
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{private_key}:{password}"));
        let mut auth = HeaderValue::try_from(format!("Basic {token}"))
            .map_err(|_| Error::Config("the private key contains characters not allowed in a header".into()))?;
        auth.set_sensitive(true);

        let (base_url, upload_base_url) = match self.base_url {
            // Node compares the string exactly: only an override moves uploads.
            None => (DEFAULT_BASE_URL.to_owned(), DEFAULT_UPLOAD_BASE_URL.to_owned()),
            Some(url) if url == DEFAULT_BASE_URL => (url, DEFAULT_UPLOAD_BASE_URL.to_owned()),
            Some(url) => {
                let clean = validate_base_url(&url)?;
                (clean.clone(), clean)
            }
        };

        let mut default_headers = HeaderMap::new();
        for (name, value) in self.default_headers {
            let n = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::Config(format!("invalid default header name {name:?}")))?;
            crate::options::check_not_sdk_owned(&n).map_err(Error::Config)?;
            let v = HeaderValue::try_from(value).map_err(|_| {
                Error::Config(format!(
                    "the value of default header {:?} is not a valid header value (it contains CR, LF or another control character)",
                    n.as_str()
                ))
            })?;
            default_headers.append(n, v);
        }

        let http = match self.http {
            Some(h) => h,
            None => default_http_client()?,
        };

        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                upload_base_url,
                auth,
                signer: imagekit_url::PrivateKey::new(&private_key)
                    .map_err(|e| Error::Config(format!("invalid private key: {e}")))?,
                private_key: imagekit_types::Secret::new(private_key),
                public_key: self.public_key,
                url_endpoint: self.url_endpoint,
                webhook_secret: self.webhook_secret.map(imagekit_types::Secret::new),
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                max_retries: self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
                max_response_size: self.max_response_size.unwrap_or(DEFAULT_MAX_RESPONSE_SIZE),
                total_timeout: self.total_timeout,
                default_headers,
                sleep: self.sleep.unwrap_or_else(|| Arc::new(DefaultSleep)),
            }),
        })
    }
}

/// Accept `http(s)://authority[/prefix]` without credentials, returned without
/// a trailing slash so paths join with exactly one. Errors show the URL with
/// any credentials masked.
fn validate_base_url(url: &str) -> Result<String, Error> {
    let shown = redact_userinfo(url);
    let bad = || Error::Config(format!("base URL {shown:?} is not an http(s) URL"));
    let uri: http::Uri = url.parse().map_err(|_| bad())?;
    let Some(authority) = uri.authority() else { return Err(bad()) };
    // `http::Uri` takes any port text; a non-numeric one is most likely a
    // password with a `/` in it (`http://user:pa/ss@host`).
    let host_port = authority.as_str().rsplit_once('@').map_or(authority.as_str(), |(_, hp)| hp);
    let port = match host_port.rfind(']') {
        Some(end) => host_port[end + 1..].strip_prefix(':'),
        None => host_port.rsplit_once(':').map(|(_, port)| port),
    };
    let port_ok = port.is_none_or(|p| p.is_empty() || p.parse::<u16>().is_ok());
    if !matches!(uri.scheme_str(), Some("http" | "https")) || uri.query().is_some() || !port_ok {
        return Err(bad());
    }
    if authority.as_str().contains('@') {
        return Err(Error::Config(format!(
            "base URL {shown:?} carries credentials (user:password@), which are refused: \
             requests authenticate with the private key; remove them from the URL"
        )));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// `url` with everything between the scheme and the last `@` masked, so
/// credentials never reach a message or a log. Over-masks a URL whose path has
/// an `@`, and never under-masks, even in a string that does not parse.
pub(crate) fn redact_userinfo(url: &str) -> Cow<'_, str> {
    let Some(at) = url.rfind('@') else { return Cow::Borrowed(url) };
    let start = url.find("://").map_or(0, |i| i + 3);
    let start = if start > at { 0 } else { start };
    Cow::Owned(format!("{}***{}", &url[..start], &url[at..]))
}

#[cfg(feature = "hyper-rustls")]
fn default_http_client() -> Result<Arc<dyn HttpClient>, Error> {
    // Timeouts are applied per attempt by the SDK; the transport only bounds connects.
    let client = imagekit_transport::HyperClient::builder()
        .connect_timeout(Duration::from_secs(10))
        .build()
        .map_err(|source| Error::HttpClient { source })?;
    Ok(Arc::new(client))
}

#[cfg(not(feature = "hyper-rustls"))]
fn default_http_client() -> Result<Arc<dyn HttpClient>, Error> {
    Err(Error::Config("no HTTP client: enable the `hyper-rustls` feature or call ClientBuilder::http_client".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use imagekit_transport::test_util::RecordingTransport;

    #[test]
    fn the_environment_fills_the_builder() {
        let env = |name: &str| {
            Some(
                match name {
                    "IMAGEKIT_PRIVATE_KEY" => "private_env",
                    "IMAGEKIT_PUBLIC_KEY" => "public_env",
                    "IMAGEKIT_URL_ENDPOINT" => "https://ik.imagekit.io/env",
                    "IMAGEKIT_BASE_URL" => "http://127.0.0.1:1",
                    "IMAGEKIT_WEBHOOK_SECRET" => "whsec_env",
                    "IMAGE_KIT_CUSTOM_HEADERS" => "X-One: 1\nX-Two:  two ",
                    _ => return None,
                }
                .to_owned(),
            )
        };
        let client = ClientBuilder::from_lookup(env).http_client(RecordingTransport::new()).build().unwrap();
        assert_eq!(client.public_key(), Some("public_env"));
        assert_eq!(client.url_endpoint(), Some("https://ik.imagekit.io/env"));
        assert_eq!(client.base_url(), "http://127.0.0.1:1");
        assert_eq!(client.upload_base_url(), "http://127.0.0.1:1", "an overridden base URL moves uploads");
        assert_eq!(client.inner.default_headers["x-one"], "1");
        assert_eq!(client.inner.default_headers["x-two"], "two");
        assert!(client.inner.webhook_secret.is_some());

        // IMAGE_KIT_BASE_URL wins over IMAGEKIT_BASE_URL, as the official spelling.
        let both = |name: &str| match name {
            "IMAGEKIT_PRIVATE_KEY" => Some("k".to_owned()),
            "IMAGE_KIT_BASE_URL" => Some("http://127.0.0.1:2".to_owned()),
            "IMAGEKIT_BASE_URL" => Some("http://127.0.0.1:3".to_owned()),
            _ => None,
        };
        let client = ClientBuilder::from_lookup(both).http_client(RecordingTransport::new()).build().unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:2");

        let nothing = ClientBuilder::from_lookup(|_| None).http_client(RecordingTransport::new()).build();
        assert!(matches!(nothing, Err(Error::Config(_))));
    }

    #[test]
    fn credentials_in_a_base_url_are_refused_and_never_shown() {
        for url in [
            "http://user:pa55word@127.0.0.1:9",
            "https://pa55word@api.example.com/prefix/",
            "http://user:pa55word@@host",
            "http://user:pa55word:x@[::1]:9",
            // Not URLs at all: the error still masks what may be a password.
            "ftp://user:pa55word@host",
            "user:pa55word@host",
            "http://user:pa/55word@host",
            "http://user:pa55word/x@host",
            "http://user:pa55word@host?x",
        ] {
            let builder = Client::builder().private_key("k").base_url(url).http_client(RecordingTransport::new());
            let debug = format!("{builder:?}");
            assert!(!debug.contains("pa55word") && !debug.contains("55word"), "{debug}");
            let err = builder.build().unwrap_err();
            assert!(matches!(err, Error::Config(_)), "{url}: {err:?}");
            for text in [err.to_string(), format!("{err:?}")] {
                assert!(!text.contains("pa55word") && !text.contains("55word"), "{url}: {text}");
                assert!(text.contains("***"), "the URL is shown masked: {text}");
            }
        }
        let err = Client::builder().private_key("k").base_url("http://u:p@127.0.0.1:9").build().unwrap_err();
        assert!(err.to_string().contains("credentials"), "{err}");
        // An @ in the path is no credential: accepted.
        let ok = Client::builder()
            .private_key("k")
            .base_url("http://127.0.0.1:9/a@b")
            .http_client(RecordingTransport::new());
        assert_eq!(ok.build().unwrap().base_url(), "http://127.0.0.1:9/a@b");
    }

    #[test]
    fn redaction_masks_up_to_the_last_at() {
        assert_eq!(redact_userinfo("http://u:p@h:1/x"), "http://***@h:1/x");
        assert_eq!(redact_userinfo("http://h/x"), "http://h/x");
        assert_eq!(redact_userinfo("u:p@h"), "***@h");
        assert_eq!(redact_userinfo("a@b://c"), "***@b://c");
    }
}
