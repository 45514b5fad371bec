//! `build_url` (spec §2.1 and §2.4): one writer for every URL shape, then signing.

mod options;
mod placeholder;

use alloc::borrow::Cow;
use alloc::string::String;

pub use options::{TransformationPosition, UrlOptions};
pub(crate) use placeholder::PLACEHOLDER;
use placeholder::{has_placeholder, js_replace_first};

use crate::error::UrlError;
use crate::sign::DEFAULT_TIMESTAMP;
use crate::transform::{Transformation, write_steps};
use crate::value::{Value, write_u64};
use crate::whatwg::{self, ParseError, PathWriter};

#[derive(Clone, Copy, PartialEq, Eq)]
enum TrMode {
    /// Write the transformation in place (the fast path).
    Direct,
    /// Write the placeholder, as the official helper does, when the transformation is non-empty.
    Placeholder(bool),
}

/// The transformation part of a URL: its steps (and the strict path's extra step) and
/// whether to write them or the placeholder.
#[derive(Clone, Copy)]
struct Tr<'o, 'a> {
    steps: &'o [Transformation<'a>],
    extra: Option<&'o Transformation<'a>>,
    mode: TrMode,
}

impl Tr<'_, '_> {
    fn has_steps(&self) -> bool {
        !self.steps.is_empty() || self.extra.is_some()
    }

    /// Appends `prefix` and the transformation (or placeholder); an empty transformation
    /// string takes the prefix back out. Returns whether anything was written, and clears
    /// `fast_ok` when writing in place cannot reproduce the official replacement (`$`
    /// patterns in the transformation, or the placeholder text already in the URL).
    #[inline(always)]
    fn write(&self, out: &mut String, prefix: &str, fast_ok: &mut bool) -> Result<bool, UrlError> {
        let before = out.len();
        out.push_str(prefix);
        let start = out.len();
        match self.mode {
            TrMode::Direct => write_steps(out, self.steps.iter().chain(self.extra))?,
            TrMode::Placeholder(true) => out.push_str(PLACEHOLDER),
            TrMode::Placeholder(false) => {}
        }
        if out.len() == start {
            out.truncate(before);
            return Ok(false);
        }
        if self.mode == TrMode::Direct
            && (crate::value::has_byte(&out.as_bytes()[start..], b'$') || has_placeholder(&out[..before]))
        {
            *fast_ok = false;
        }
        Ok(true)
    }
}

pub(crate) fn build_with(opts: &UrlOptions<'_>, extra: Option<&Transformation<'_>>) -> Result<String, UrlError> {
    if opts.src.is_empty() {
        return Err(UrlError::EmptySrc);
    }
    let signed = opts.is_signed();
    let steps = opts.transformation.as_slice();
    let entries: usize = steps.iter().map(|t| t.entries.len()).sum::<usize>() + extra.map_or(0, |t| t.entries.len());
    let cap = opts.url_endpoint.len()
        + opts.src.len()
        + 16 * entries
        + 2 * (steps.len() + usize::from(extra.is_some()))
        + 24 * opts.query_parameters.len()
        + if signed { 64 } else { 8 };
    let mut out = String::with_capacity(cap);
    let mut tr = Tr { steps, extra, mode: TrMode::Direct };
    if !write_unsigned(&mut out, opts, tr)? {
        // Rare: reproduce the official placeholder replacement exactly.
        let mut text = String::new();
        write_steps(&mut text, steps.iter().chain(extra))?;
        out.clear();
        tr.mode = TrMode::Placeholder(!text.is_empty());
        write_unsigned(&mut out, opts, tr)?;
        if !text.is_empty() {
            js_replace_first(&mut out, PLACEHOLDER, &text);
        }
    }
    if signed {
        sign_into(&mut out, opts)?;
    }
    Ok(out)
}

/// Builds the unsigned URL into `out`: origin, path (endpoint path, `tr:` segment, `src`),
/// query, fragment, then `tr` as a query parameter. Returns `Ok(false)` when the
/// transformation was written in place but the official placeholder replacement would
/// give something else, and the caller must redo it with [`TrMode::Placeholder`].
fn write_unsigned(out: &mut String, opts: &UrlOptions<'_>, tr: Tr<'_, '_>) -> Result<bool, UrlError> {
    let src: &str = &opts.src;
    let absolute = src.starts_with("http://") || src.starts_with("https://");
    let in_query = absolute || opts.position == TransformationPosition::Query;
    let mut fast_ok = true;

    let cleaned;
    let rest = if absolute {
        // The URL is `src` itself, parsed; the endpoint is not used.
        cleaned = whatwg::clean(src);
        let rest = whatwg::parse_origin(&cleaned, out).map_err(|e| match e {
            ParseError::Invalid => UrlError::InvalidSrc,
            ParseError::UnsupportedHost => UrlError::UnsupportedHost,
        })?;
        PathWriter::begin(out).parse(out, rest.path);
        rest
    } else {
        // pathname = pathJoin([endpointPath, "tr:" + TR, src]) through the pathname setter.
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
                whatwg::drop_empty_segments(out, pw.path_start);
                rest
            }
        };
        pw.open(out);
        if !in_query && tr.has_steps() && tr.write(out, "tr:", &mut fast_ok)? {
            pw.mark_opaque(out.len());
            // The join adds a `/` before src (runs of `/` in src collapse into it).
            pw.separator(out);
        }
        match whatwg::plain_path(src) {
            Some(plain) => pw.push_verbatim(out, plain),
            None => write_src_path(out, &mut pw, src),
        }
        pw.finish(out);
        if pw.opaque_popped && tr.mode == TrMode::Direct && has_placeholder(out) {
            fast_ok = false;
        }
        rest
    };

    let query_start = write_query(out, rest.query, &opts.query_parameters);
    if let Some(f) = rest.fragment {
        out.push('#');
        whatwg::push_fragment(out, f);
    }
    if in_query && tr.has_steps() {
        let has_pairs = query_start.is_some_and(|q| {
            let end = memchr::memchr(b'#', &out.as_bytes()[q..]).map_or(out.len(), |i| q + i);
            whatwg::query_has_pairs(&out[q..end])
        });
        tr.write(out, if has_pairs { "&tr=" } else { "?tr=" }, &mut fast_ok)?;
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
    for i in memchr::memchr2_iter(b'/', b'\\', bytes) {
        if start < i {
            pw.push_text(out, &src[start..i]);
            prev_slash = false;
        }
        if bytes[i] == b'\\' {
            pw.separator(out);
            prev_slash = false;
        } else if !prev_slash {
            pw.separator(out);
            prev_slash = true;
        }
        start = i + 1;
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
