//! The slice of the WHATWG URL standard (as in Node 20) that the official helper relies on:
//! parsing http(s) URLs, the `pathname` setter, and `URLSearchParams` re-serialization.
//! Written into the caller's output buffer to avoid intermediate allocations.

use alloc::borrow::Cow;
use alloc::string::String;

use percent_encoding::{AsciiSet, CONTROLS};

mod host;
mod path;
mod plain;

pub(crate) use host::parse_origin;
pub(crate) use path::{PathWriter, drop_empty_segments};
pub(crate) use plain::{plain_endpoint, plain_path};

/// Why a URL did not parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParseError {
    Invalid,
    UnsupportedHost,
}

const FRAGMENT: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>').add(b'`');
const QUERY: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'#').add(b'<').add(b'>');
const SPECIAL_QUERY: &AsciiSet = &QUERY.add(b'\'');
const PATH: &AsciiSet = &QUERY.add(b'?').add(b'`').add(b'{').add(b'}');
const USERINFO: &AsciiSet =
    &PATH.add(b'/').add(b':').add(b';').add(b'=').add(b'@').add(b'[').add(b'\\').add(b']').add(b'^').add(b'|');

/// The parts of a URL after its origin, raw (not yet encoded).
pub(crate) struct Rest<'s> {
    pub path: &'s str,
    pub query: Option<&'s str>,
    pub fragment: Option<&'s str>,
}

/// Strips leading/trailing C0 controls and spaces and removes tabs and newlines, as the
/// URL parser does before anything else.
pub(crate) fn clean(input: &str) -> Cow<'_, str> {
    let s = input.trim_matches(|c: char| c <= ' ');
    if memchr::memchr3(b'\t', b'\n', b'\r', s.as_bytes()).is_some() {
        Cow::Owned(s.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect())
    } else {
        Cow::Borrowed(s)
    }
}

pub(crate) fn push_encoded(out: &mut String, s: &str, set: &'static AsciiSet) {
    for part in percent_encoding::utf8_percent_encode(s, set) {
        out.push_str(part);
    }
}

pub(crate) fn push_query(out: &mut String, q: &str) {
    push_encoded(out, q, SPECIAL_QUERY);
}

pub(crate) fn push_fragment(out: &mut String, f: &str) {
    push_encoded(out, f, FRAGMENT);
}

/// Whether `URLSearchParams` would hold at least one pair for this query.
pub(crate) fn query_has_pairs(q: &str) -> bool {
    q.split('&').any(|p| p.bytes().any(|b| !matches!(b, b'\t' | b'\n' | b'\r')))
}

/// Whether `new URL(href).searchParams` is non-empty (the query ends at the first `#`).
pub(crate) fn href_has_pairs(href: &str) -> bool {
    let b = href.as_bytes();
    // Usually there is no `?` at all: one scan decides.
    let Some(q) = memchr::memchr(b'?', b) else { return false };
    if memchr::memchr(b'#', &b[..q]).is_some() {
        return false;
    }
    let query = &b[q + 1..];
    let query = &query[..memchr::memchr(b'#', query).unwrap_or(query.len())];
    // `query_has_pairs` up to the fragment: any byte but `&`, tab or newline makes a pair.
    query.iter().any(|&c| !matches!(c, b'&' | b'\t' | b'\n' | b'\r'))
}

/// `application/x-www-form-urlencoded` byte serializer: only `*-._` and alphanumerics stay raw.
pub(crate) fn push_form(out: &mut String, s: &str) {
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'*' | b'-' | b'.' | b'_') {
            out.push(b as char);
        } else if b == b' ' {
            out.push('+');
        } else {
            out.push_str(percent_encoding::percent_encode_byte(b));
        }
    }
}

fn form_decode(s: &str) -> String {
    let plus: Cow<'_, str> = if s.contains('+') { Cow::Owned(s.replace('+', " ")) } else { Cow::Borrowed(s) };
    let bytes: Cow<'_, [u8]> = percent_encoding::percent_decode_str(&plus).into();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Re-serializes an existing query the way touching `searchParams` does. Returns whether any
/// pair was written.
pub(crate) fn push_reserialized(out: &mut String, query: &str) -> bool {
    let mut any = false;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        if any {
            out.push('&');
        }
        any = true;
        push_form(out, &form_decode(name));
        out.push('=');
        push_form(out, &form_decode(value));
    }
    any
}
