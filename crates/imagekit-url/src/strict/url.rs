//! Strict checks of what surrounds the transformation: `src`, the endpoint, the query.

use alloc::string::String;

use super::steps::{Loc, check_steps};
use crate::build::{PLACEHOLDER, TransformationPosition, UrlOptions};
use crate::error::{Shown, StrictError, StrictErrorKind as K};
use crate::value::Value;

/// Whether a relative `src`, joined after other segments, has a `..` segment that goes above
/// its own first segment (and so removes the one before it).
fn pops_first_segment(src: &str) -> bool {
    let mut depth = 0usize;
    for seg in src.split(['/', '\\']).filter(|s| !s.is_empty()) {
        match dots(seg) {
            Some(1) => {}
            Some(2) if depth == 0 => return true,
            Some(2) => depth -= 1,
            _ => depth += 1,
        }
    }
    false
}

/// How many dots a segment is made of, counting `%2e` (any case) as a dot, as the URL
/// parser does; `None` if it holds anything else.
fn dots(seg: &str) -> Option<usize> {
    let (mut rest, mut n) = (seg.as_bytes(), 0);
    while !rest.is_empty() {
        rest = match rest {
            [b'.', tail @ ..] => tail,
            [b'%', b'2', b'e' | b'E', tail @ ..] => tail,
            _ => return None,
        };
        n += 1;
    }
    Some(n)
}

/// Checks the URL options: the steps, then what `src`, the endpoint and the query add.
pub(crate) fn check_options(opts: &UrlOptions<'_>) -> Result<(), StrictError> {
    let steps = opts.transformation.as_slice();
    check_steps(steps, &Loc::Root)?;
    let src: &str = &opts.src;
    let absolute = src.starts_with("http://") || src.starts_with("https://");
    let signed = opts.is_signed();
    let has_tr = !steps.is_empty();
    let tr_in_query = has_tr && (absolute || opts.position == TransformationPosition::Query);
    let top = |field: &str, value: &str, kind| {
        StrictError::new(String::new(), field, String::from(value), Shown::Quoted, kind)
    };
    if !absolute {
        if let Some(c) = src.chars().find(|c| matches!(c, '?' | '#')) {
            return Err(top("src", src, K::EncodedIntoPath(c)));
        }
    }
    let (base_field, base): (&str, &str) = if absolute { ("src", src) } else { ("urlEndpoint", &opts.url_endpoint) };
    let (before_fragment, fragment) = match base.split_once('#') {
        Some((b, _)) => (b, true),
        None => (base, false),
    };
    if fragment && (tr_in_query || signed) {
        return Err(top(base_field, base, K::AfterFragment));
    }
    let clashes = |key: &str| (has_tr && key == "tr") || (signed && (key == "ik-t" || key == "ik-s"));
    if let Some((_, query)) = before_fragment.split_once('?') {
        // A query with no pairs (`a.jpg?`, `?&`) keeps its `?`: the helper sees empty search
        // params and appends another `?`, giving `a.jpg??tr=…`.
        if (tr_in_query || signed) && opts.query_parameters.is_empty() && query.bytes().all(|b| b == b'&') {
            return Err(top(base_field, base, K::EmptyQuery));
        }
        for pair in query.split('&') {
            let key = pair.split_once('=').map_or(pair, |(k, _)| k);
            if clashes(key) {
                return Err(top(base_field, key, K::DuplicateQueryParameter));
            }
        }
    }
    for (key, _) in &opts.query_parameters {
        if clashes(key) {
            return Err(top("queryParameters", key, K::DuplicateQueryParameter));
        }
    }
    // The helper writes a placeholder where the transformation goes, then replaces the first
    // occurrence of that text: one earlier in the URL takes the transformation instead.
    if has_tr {
        let tr_in_path = !tr_in_query;
        let before: [Option<(&str, &str)>; 2] = if absolute {
            [Some(("src", src)), None]
        } else {
            [Some(("urlEndpoint", &opts.url_endpoint)), (!tr_in_path).then_some(("src", src))]
        };
        let params = opts.query_parameters.iter().filter(|_| tr_in_query).flat_map(|(k, v)| {
            let v = match v {
                Value::Str(s) => Some(("queryParameters", &**s)),
                _ => None,
            };
            [Some(("queryParameters", &**k)), v]
        });
        let mut texts = before.into_iter().chain(params).flatten();
        if let Some((field, text)) = texts.find(|(_, t)| t.contains(PLACEHOLDER)) {
            return Err(top(field, text, K::PlaceholderText));
        }
        if tr_in_path && pops_first_segment(src) {
            return Err(top("src", src, K::DotSegment));
        }
    }
    Ok(())
}
