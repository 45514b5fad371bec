//! Delivery URL options and `build_url` (spec §2.1 and §2.4).

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::UrlError;
use crate::sign::{DEFAULT_TIMESTAMP, PrivateKey};
use crate::transform::{StepList, Transformation, write_steps};
use crate::value::{Value, has_byte, write_u64};
use crate::whatwg::{self, ParseError, PathWriter};

/// Where the transformation string goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransformationPosition {
    /// `?tr=…` (the official default). An absolute `src` always uses the query.
    #[default]
    Query,
    /// `/tr:…/` after the endpoint path.
    Path,
}

/// Options for [`build_url`], named after the official helper's `SrcOptions`.
///
/// ```
/// use imagekit_url::{build_url, Transformation, TransformationPosition, UrlOptions};
///
/// let opts = UrlOptions::new("/default-image.jpg")
///     .url_endpoint("https://ik.imagekit.io/demo")
///     .transformation(Transformation::new().width(300).height(300))
///     .position(TransformationPosition::Path);
/// assert_eq!(build_url(&opts).unwrap(), "https://ik.imagekit.io/demo/tr:w-300,h-300/default-image.jpg");
/// ```
#[derive(Debug, Clone, Default)]
pub struct UrlOptions<'a> {
    pub(crate) src: Cow<'a, str>,
    pub(crate) url_endpoint: Cow<'a, str>,
    pub(crate) transformation: StepList<'a>,
    pub(crate) position: TransformationPosition,
    pub(crate) query_parameters: Vec<(Cow<'a, str>, Value<'a>)>,
    pub(crate) signed: bool,
    pub(crate) expires_in: u64,
    pub(crate) now: Option<u64>,
    pub(crate) private_key: Option<&'a PrivateKey>,
    pub(crate) strict: bool,
}

impl<'a> UrlOptions<'a> {
    /// Options for `src`: a path relative to the endpoint, or an absolute `http(s)://` URL.
    #[inline]
    pub fn new(src: impl Into<Cow<'a, str>>) -> Self {
        Self { src: src.into(), ..Self::default() }
    }

    /// The URL endpoint, e.g. `https://ik.imagekit.io/your_imagekit_id`. Its path, query and
    /// fragment are kept. Required for a relative `src` and for signing.
    #[inline]
    pub fn url_endpoint(mut self, endpoint: impl Into<Cow<'a, str>>) -> Self {
        self.url_endpoint = endpoint.into();
        self
    }

    /// Appends a transformation step (steps are chained with `:`).
    #[inline(always)]
    pub fn transformation(mut self, step: Transformation<'a>) -> Self {
        self.transformation.push(step);
        self
    }

    /// Appends several transformation steps.
    #[inline]
    pub fn transformations(mut self, steps: impl IntoIterator<Item = Transformation<'a>>) -> Self {
        for step in steps {
            self.transformation.push(step);
        }
        self
    }

    /// Where the transformation goes (default [`TransformationPosition::Query`]).
    #[inline]
    pub fn position(mut self, position: TransformationPosition) -> Self {
        self.position = position;
        self
    }

    /// Appends an extra query parameter (duplicates are kept, in order).
    ///
    /// ```
    /// use imagekit_url::{build_url, UrlOptions};
    /// let opts = UrlOptions::new("/a.jpg")
    ///     .url_endpoint("https://ik.imagekit.io/demo")
    ///     .query_parameter("v", 2)
    ///     .query_parameter("q", "a b&c");
    /// assert_eq!(build_url(&opts).unwrap(), "https://ik.imagekit.io/demo/a.jpg?v=2&q=a+b%26c");
    /// ```
    pub fn query_parameter(mut self, key: impl Into<Cow<'a, str>>, value: impl Into<Value<'a>>) -> Self {
        self.query_parameters.push((key.into(), value.into()));
        self
    }

    /// Signs the URL with `key` (`ik-s`; without [`Self::expires_in`] it never expires).
    ///
    /// ```
    /// use imagekit_url::{build_url, PrivateKey, Transformation, UrlOptions};
    ///
    /// let key = PrivateKey::new("dummy-key").unwrap();
    /// let opts = UrlOptions::new("sdk-testing-files/future-search.png")
    ///     .url_endpoint("https://ik.imagekit.io/demo/")
    ///     .transformation(Transformation::new().width(300).height(200))
    ///     .query_parameter("version", "2.0")
    ///     .signed(&key);
    /// assert_eq!(
    ///     build_url(&opts).unwrap(),
    ///     "https://ik.imagekit.io/demo/sdk-testing-files/future-search.png?version=2.0&tr=w-300,h-200&ik-s=601d97a7834b7554f4dabf0d3fc3a219ceeb6b31"
    /// );
    /// ```
    #[inline]
    pub fn signed(mut self, key: &'a PrivateKey) -> Self {
        self.private_key = Some(key);
        self.signed = true;
        self
    }

    /// Sets the key used when the options ask for signing (e.g. deserialized `signed: true`)
    /// without turning signing on.
    #[inline]
    pub fn private_key(mut self, key: &'a PrivateKey) -> Self {
        self.private_key = Some(key);
        self
    }

    /// Sets the `signed` flag alone (the key comes from [`Self::private_key`]).
    #[inline]
    pub fn set_signed(mut self, signed: bool) -> Self {
        self.signed = signed;
        self
    }

    /// Makes a signed URL expire `seconds` after `now` (unix seconds): `ik-t=now+seconds`.
    /// A positive value turns signing on by itself, as in the official helper; `0` means no
    /// expiry.
    ///
    /// ```
    /// use imagekit_url::{build_url, PrivateKey, UrlOptions};
    ///
    /// let key = PrivateKey::new("dummy-key").unwrap();
    /// let opts = UrlOptions::new("sdk-testing-files/future-search.png")
    ///     .url_endpoint("https://ik.imagekit.io/demo/")
    ///     .private_key(&key)
    ///     .expires_in(3600, 1_700_000_000);
    /// assert_eq!(
    ///     build_url(&opts).unwrap(),
    ///     "https://ik.imagekit.io/demo/sdk-testing-files/future-search.png?ik-t=1700003600&ik-s=02b18bdf67868ccda662ddedda61defd75e97e49"
    /// );
    /// ```
    #[inline]
    pub fn expires_in(mut self, seconds: u64, now: u64) -> Self {
        self.expires_in = seconds;
        self.now = Some(now);
        self
    }

    /// Sets the clock (unix seconds) used with an expiry set elsewhere (e.g. deserialized).
    #[inline]
    pub fn now(mut self, now: u64) -> Self {
        self.now = Some(now);
        self
    }

    /// Makes a signed URL expire `after` the moment it is built: the system clock is read
    /// by [`Self::build`], so options kept around and built later still get the full
    /// duration. A positive duration turns signing on by itself, like [`Self::expires_in`].
    ///
    /// The official helper counts whole seconds; a fraction of a second is rounded up and
    /// the result is at least one second, so a short duration never turns into `0`, which
    /// would mean "never expires". [`Self::now`] set afterwards replaces the clock reading.
    ///
    /// ```
    /// use std::time::{Duration, SystemTime, UNIX_EPOCH};
    /// use imagekit_url::{PrivateKey, UrlOptions};
    ///
    /// let key = PrivateKey::new("your_private_key")?;
    /// let unix_now = || SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    /// let before = unix_now();
    /// let url = UrlOptions::new("/a.jpg")
    ///     .url_endpoint("https://ik.imagekit.io/demo")
    ///     .private_key(&key)
    ///     .expire_after(Duration::from_secs(600))
    ///     .build()?;
    /// let after = unix_now();
    /// let (_, query) = url.split_once("?ik-t=").unwrap();
    /// let expiry: u64 = query.split('&').next().unwrap().parse().unwrap();
    /// assert!((before + 600..=after + 600).contains(&expiry));
    /// # Ok::<(), imagekit_url::UrlError>(())
    /// ```
    #[cfg(feature = "std")]
    #[cfg_attr(docsrs, doc(cfg(feature = "std")))]
    #[inline]
    pub fn expire_after(mut self, after: core::time::Duration) -> Self {
        let secs = after.as_secs().saturating_add(u64::from(after.subsec_nanos() > 0));
        self.expires_in = secs.max(1);
        self.now = None;
        self
    }

    /// Whether the URL will be signed (`signed`, or a positive `expires_in`).
    pub fn is_signed(&self) -> bool {
        self.signed || self.expires_in > 0
    }

    /// The transformation steps, in order.
    pub fn transformation_steps(&self) -> &[Transformation<'a>] {
        self.transformation.as_slice()
    }

    /// The `src`.
    pub fn src(&self) -> &str {
        &self.src
    }

    /// Builds the URL; same as [`build_url`].
    pub fn build(&self) -> Result<String, UrlError> {
        build_url(self)
    }

    /// Copies borrowed data so the options no longer borrow (the private key is dropped).
    pub fn into_owned(self) -> UrlOptions<'static> {
        UrlOptions {
            src: Cow::Owned(self.src.into_owned()),
            url_endpoint: Cow::Owned(self.url_endpoint.into_owned()),
            transformation: self.transformation.into_owned(),
            position: self.position,
            query_parameters: self
                .query_parameters
                .into_iter()
                .map(|(k, v)| (Cow::Owned(k.into_owned()), v.into_owned()))
                .collect(),
            signed: self.signed,
            expires_in: self.expires_in,
            now: self.now,
            private_key: None,
            strict: self.strict,
        }
    }
}

/// Builds a delivery URL exactly as the official `helper.buildSrc` does.
///
/// The transformation string is inserted raw (never percent-encoded); the path is encoded as
/// the WHATWG URL parser does; signing appends `ik-t`/`ik-s`.
///
/// ```
/// use imagekit_url::{build_url, Transformation, UrlOptions};
///
/// let opts = UrlOptions::new("/test_path.jpg")
///     .url_endpoint("https://ik.imagekit.io/test_url_endpoint")
///     .transformation(Transformation::new().height("300").width("400"))
///     .transformation(Transformation::new().rotation(90));
/// assert_eq!(
///     build_url(&opts).unwrap(),
///     "https://ik.imagekit.io/test_url_endpoint/test_path.jpg?tr=h-300,w-400:rt-90"
/// );
/// ```
pub fn build_url(opts: &UrlOptions<'_>) -> Result<String, UrlError> {
    if opts.strict {
        return crate::strict::build_strict(opts);
    }
    build_with(opts, None)
}

/// The text the official helper puts where the transformation goes, then replaces.
pub(crate) const PLACEHOLDER: &str = "PLEASEREPLACEJUSTBEFORESIGN";

#[derive(Clone, Copy, PartialEq, Eq)]
enum TrMode {
    /// Write the transformation in place (the fast path).
    Direct,
    /// Write the placeholder, as the official helper does, when the transformation is non-empty.
    Placeholder(bool),
}

pub(crate) fn build_with(opts: &UrlOptions<'_>, extra: Option<&Transformation<'_>>) -> Result<String, UrlError> {
    if opts.src.is_empty() {
        return Err(UrlError::EmptySrc);
    }
    let signed = opts.is_signed();
    let steps = opts.transformation.as_slice().len() + usize::from(extra.is_some());
    let entries: usize = opts.transformation.as_slice().iter().map(|t| t.entries.len()).sum::<usize>()
        + extra.map_or(0, |t| t.entries.len());
    let cap = opts.url_endpoint.len()
        + opts.src.len()
        + 16 * entries
        + 2 * steps
        + 24 * opts.query_parameters.len()
        + if signed { 64 } else { 8 };
    let mut out = String::with_capacity(cap);
    if !write_unsigned(&mut out, opts, extra, TrMode::Direct)? {
        // Rare: reproduce the official placeholder replacement exactly (`$` patterns in the
        // transformation, or the placeholder text occurring elsewhere in the URL).
        let mut tr = String::new();
        write_steps(&mut tr, opts.transformation.as_slice().iter().chain(extra))?;
        out.clear();
        write_unsigned(&mut out, opts, extra, TrMode::Placeholder(!tr.is_empty()))?;
        if !tr.is_empty() {
            js_replace_first(&mut out, PLACEHOLDER, &tr);
        }
    }
    if signed {
        sign_into(&mut out, opts)?;
    }
    Ok(out)
}

/// Writes the transformation (or placeholder); returns `(start, end)` of the written text,
/// empty when the transformation string is empty.
fn write_tr(
    out: &mut String,
    opts: &UrlOptions<'_>,
    extra: Option<&Transformation<'_>>,
    mode: TrMode,
) -> Result<(usize, usize), UrlError> {
    let start = out.len();
    match mode {
        TrMode::Direct => write_steps(out, opts.transformation.as_slice().iter().chain(extra))?,
        TrMode::Placeholder(true) => out.push_str(PLACEHOLDER),
        TrMode::Placeholder(false) => {}
    }
    Ok((start, out.len()))
}

/// Builds the unsigned URL into `out`. Returns `Ok(false)` when the fast path cannot
/// reproduce the official placeholder replacement and the caller must redo it.
fn write_unsigned(
    out: &mut String,
    opts: &UrlOptions<'_>,
    extra: Option<&Transformation<'_>>,
    mode: TrMode,
) -> Result<bool, UrlError> {
    let src: &str = &opts.src;
    let absolute = src.starts_with("http://") || src.starts_with("https://");
    let in_query = absolute || opts.position == TransformationPosition::Query;
    let has_steps = !opts.transformation.as_slice().is_empty() || extra.is_some();

    // The usual shape: a plain endpoint and a plain relative path, no extra query.
    if !absolute && opts.query_parameters.is_empty() {
        if let Some(body) = whatwg::plain_path(src) {
            if let Some(path) = whatwg::plain_endpoint(&opts.url_endpoint, out) {
                return write_plain(out, opts, extra, mode, path, body, in_query && has_steps, !in_query && has_steps);
            }
        }
    }

    let mut fast_ok = true;
    let query_start;
    if absolute {
        let cleaned = whatwg::clean(src);
        let rest = whatwg::parse_origin(&cleaned, out).map_err(|e| match e {
            ParseError::Invalid => UrlError::InvalidSrc,
            ParseError::UnsupportedHost => UrlError::UnsupportedHost,
        })?;
        let mut pw = PathWriter::begin(out);
        pw.parse(out, rest.path);
        query_start = write_query(out, rest.query, &opts.query_parameters);
        if let Some(f) = rest.fragment {
            out.push('#');
            whatwg::push_fragment(out, f);
        }
    } else {
        let cleaned;
        let mut pw;
        let rest = match whatwg::plain_endpoint(&opts.url_endpoint, out) {
            Some(path) => {
                pw = PathWriter::begin(out);
                if path.is_empty() {
                    // pathJoin drops the lone `/`; a plain path has no empty segments.
                    out.truncate(pw.path_start);
                } else {
                    pw.push_verbatim(out, path);
                }
                whatwg::Rest { path: "", query: None, fragment: None }
            }
            None => {
                cleaned = whatwg::clean(&opts.url_endpoint);
                let rest = whatwg::parse_origin(&cleaned, out).map_err(|e| match e {
                    ParseError::Invalid => UrlError::InvalidEndpoint,
                    ParseError::UnsupportedHost => UrlError::UnsupportedHost,
                })?;
                pw = PathWriter::begin(out);
                pw.parse(out, rest.path);
                // pathname = pathJoin([endpointPath, "tr:" + TR, src]) through the pathname setter.
                whatwg::drop_empty_segments(out, pw.path_start);
                rest
            }
        };
        pw.open(out);
        let mut prev_slash = true;
        if !in_query && has_steps {
            let seg = out.len();
            out.push_str("tr:");
            let (s, e) = write_tr(out, opts, extra, mode)?;
            if s == e {
                out.truncate(seg);
            } else {
                pw.mark_opaque(out.len());
                prev_slash = false;
                if mode == TrMode::Direct && (has_byte(&out.as_bytes()[s..e], b'$') || has_placeholder(&out[..s])) {
                    fast_ok = false;
                }
            }
        }
        // The join adds a `/` before src; runs of `/` collapse (other separators do not).
        if !prev_slash {
            pw.separator(out);
        }
        match whatwg::plain_path(src) {
            Some(plain) => pw.push_verbatim(out, plain),
            None => write_src_path(out, &mut pw, src),
        }
        pw.finish(out);
        if pw.opaque_popped && mode == TrMode::Direct && has_placeholder(out) {
            fast_ok = false;
        }
        query_start = write_query(out, rest.query, &opts.query_parameters);
        if let Some(f) = rest.fragment {
            out.push('#');
            whatwg::push_fragment(out, f);
        }
    }

    if in_query && has_steps {
        let has_pairs = match query_start {
            Some(q) => {
                let end = out[q..].find('#').map_or(out.len(), |i| q + i);
                whatwg::query_has_pairs(&out[q..end])
            }
            None => false,
        };
        let before = out.len();
        out.push_str(if has_pairs { "&tr=" } else { "?tr=" });
        let (s, e) = write_tr(out, opts, extra, mode)?;
        if s == e {
            out.truncate(before);
        } else if mode == TrMode::Direct && (has_byte(&out.as_bytes()[s..e], b'$') || has_placeholder(&out[..before])) {
            fast_ok = false;
        }
    }
    Ok(fast_ok)
}

/// [`write_unsigned`] for a plain endpoint (origin already written, `path` without outer
/// slashes) and a plain relative path `body`: every piece serializes to itself, so the URL is
/// `origin[/path]/[tr:TR/]body[?tr=TR]`.
#[allow(clippy::too_many_arguments)]
fn write_plain(
    out: &mut String,
    opts: &UrlOptions<'_>,
    extra: Option<&Transformation<'_>>,
    mode: TrMode,
    path: &str,
    body: &str,
    tr_in_query: bool,
    tr_in_path: bool,
) -> Result<bool, UrlError> {
    let mut fast_ok = true;
    if !path.is_empty() {
        out.push('/');
        out.push_str(path);
    }
    out.push('/');
    if tr_in_path {
        let seg = out.len();
        out.push_str("tr:");
        let (s, e) = write_tr(out, opts, extra, mode)?;
        if s == e {
            out.truncate(seg);
        } else {
            if mode == TrMode::Direct && (has_byte(&out.as_bytes()[s..e], b'$') || has_placeholder(&out[..s])) {
                fast_ok = false;
            }
            out.push('/');
        }
    }
    out.push_str(body);
    if tr_in_query {
        let before = out.len();
        out.push_str("?tr=");
        let (s, e) = write_tr(out, opts, extra, mode)?;
        if s == e {
            out.truncate(before);
        } else if mode == TrMode::Direct && (has_byte(&out.as_bytes()[s..e], b'$') || has_placeholder(&out[..before])) {
            fast_ok = false;
        }
    }
    Ok(fast_ok)
}

/// Feeds a relative `src` to the path writer as the joined string would reach the pathname
/// setter: runs of `/` collapse (also into the join separator), `\\` separates without
/// collapsing.
fn write_src_path(out: &mut String, pw: &mut PathWriter, src: &str) {
    let mut prev_slash = true;
    let bytes = src.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'/' || b == b'\\' {
            if start < i {
                pw.push_text(out, &src[start..i]);
                prev_slash = false;
            }
            if b == b'\\' {
                pw.separator(out);
                prev_slash = false;
            } else if !prev_slash {
                pw.separator(out);
                prev_slash = true;
            }
            start = i + 1;
        }
    }
    if start < bytes.len() {
        pw.push_text(out, &src[start..]);
    }
}

/// Writes `?query` (encoded, then re-serialized with the extra parameters appended if any).
/// Returns the byte offset where the query text starts, if there is a query.
fn write_query(out: &mut String, existing: Option<&str>, params: &[(Cow<'_, str>, Value<'_>)]) -> Option<usize> {
    if params.is_empty() {
        let q = existing?;
        out.push('?');
        let start = out.len();
        whatwg::push_query(out, q);
        return Some(start);
    }
    out.push('?');
    let start = out.len();
    let mut any = false;
    if let Some(q) = existing {
        // Touching searchParams re-serializes the whole query as form-urlencoded.
        let mut encoded = String::with_capacity(q.len());
        whatwg::push_query(&mut encoded, q);
        any = whatwg::push_reserialized(out, &encoded);
    }
    let mut scratch = String::new();
    for (k, v) in params {
        if any {
            out.push('&');
        }
        any = true;
        whatwg::push_form(out, k);
        out.push('=');
        match v {
            Value::Str(s) => whatwg::push_form(out, s),
            v => {
                scratch.clear();
                v.write_js(&mut scratch);
                whatwg::push_form(out, &scratch);
            }
        }
    }
    Some(start)
}

/// Whether `s` contains the placeholder (a cheap byte scan first: URLs rarely hold a `P`).
fn has_placeholder(s: &str) -> bool {
    has_byte(s.as_bytes(), b'P') && s.contains(PLACEHOLDER)
}

/// `String.prototype.replace(pattern, replacement)` with a string pattern: the first
/// occurrence only, and `$$`, `$&`, `` $` ``, `$'` in the replacement are expanded.
fn js_replace_first(out: &mut String, pattern: &str, replacement: &str) {
    let Some(pos) = out.find(pattern) else { return };
    let end = pos + pattern.len();
    let mut result = String::with_capacity(out.len() + replacement.len());
    result.push_str(&out[..pos]);
    let mut chars = replacement.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            result.push(c);
            continue;
        }
        match chars.peek() {
            Some('$') => result.push('$'),
            Some('&') => result.push_str(pattern),
            Some('`') => result.push_str(&out[..pos]),
            Some('\'') => result.push_str(&out[end..]),
            _ => {
                result.push('$');
                continue;
            }
        }
        chars.next();
    }
    result.push_str(&out[end..]);
    *out = result;
}

fn sign_into(out: &mut String, opts: &UrlOptions<'_>) -> Result<(), UrlError> {
    let key = opts.private_key.ok_or(UrlError::MissingPrivateKey)?;
    if opts.url_endpoint.is_empty() {
        return Err(UrlError::MissingEndpoint);
    }
    let expiry = if opts.expires_in > 0 {
        let now = match opts.now {
            Some(now) => now,
            None => clock_now()?,
        };
        now.saturating_add(opts.expires_in)
    } else {
        DEFAULT_TIMESTAMP
    };
    let sig = key.sign_url_raw(out, &opts.url_endpoint, expiry);
    let sep = if whatwg::href_has_pairs(out) { '&' } else { '?' };
    out.push(sep);
    if expiry != DEFAULT_TIMESTAMP {
        out.push_str("ik-t=");
        write_u64(out, expiry);
        out.push('&');
    }
    out.push_str("ik-s=");
    out.push_str(crate::sign::hex_str(&sig));
    Ok(())
}

#[cfg(feature = "std")]
pub(crate) fn clock_now() -> Result<u64, UrlError> {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .map_err(|_| UrlError::MissingNow)
}

#[cfg(not(feature = "std"))]
pub(crate) fn clock_now() -> Result<u64, UrlError> {
    Err(UrlError::MissingNow)
}
