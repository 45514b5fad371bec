//! The slice of the WHATWG URL standard (as in Node 20) that the official helper relies on:
//! parsing http(s) URLs, the `pathname` setter, and `URLSearchParams` re-serialization.
//! Written into the caller's output buffer to avoid intermediate allocations.

use alloc::borrow::Cow;
use alloc::string::String;

use percent_encoding::{AsciiSet, CONTROLS};

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

/// Parses a cleaned special (http/https/ws/wss/ftp) URL, writes `scheme://[userinfo@]host[:port]`
/// and returns the rest.
pub(crate) fn parse_origin<'s>(input: &'s str, out: &mut String) -> Result<Rest<'s>, ParseError> {
    let b = input.as_bytes();
    let mut colon = 0;
    while colon < b.len() && b[colon] != b':' {
        let c = b[colon];
        let ok = if colon == 0 {
            c.is_ascii_alphabetic()
        } else {
            c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.')
        };
        if !ok {
            return Err(ParseError::Invalid);
        }
        colon += 1;
    }
    if colon == 0 || colon == b.len() {
        return Err(ParseError::Invalid);
    }
    let scheme = &input[..colon];
    let (name, default_port) = [("https", 443u16), ("http", 80), ("wss", 443), ("ws", 80), ("ftp", 21)]
        .into_iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(scheme))
        .ok_or(ParseError::Invalid)?;
    out.push_str(name);
    out.push_str("://");

    // Special schemes ignore any run of slashes and backslashes before the authority.
    let mut p = colon + 1;
    while p < b.len() && matches!(b[p], b'/' | b'\\') {
        p += 1;
    }
    let mut q = p;
    let mut at = None;
    while q < b.len() {
        match b[q] {
            b'/' | b'\\' | b'?' | b'#' => break,
            b'@' => at = Some(q),
            _ => {}
        }
        q += 1;
    }
    let host_port = match at {
        Some(at) => {
            let userinfo = &input[p..at];
            let (user, pass) = userinfo.split_once(':').unwrap_or((userinfo, ""));
            if !user.is_empty() || !pass.is_empty() {
                push_encoded(out, user, USERINFO);
                if !pass.is_empty() {
                    out.push(':');
                    push_encoded(out, pass, USERINFO);
                }
                out.push('@');
            }
            &input[at + 1..q]
        }
        None => &input[p..q],
    };
    let (host, port) = split_port(host_port);
    if host.is_empty() {
        return Err(ParseError::Invalid);
    }
    write_host(out, host)?;
    if let Some(port) = port {
        if !port.is_empty() {
            if !port.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ParseError::Invalid);
            }
            let digits = port.trim_start_matches('0');
            if digits.len() > 5 {
                return Err(ParseError::Invalid);
            }
            let n: u32 = digits.parse().unwrap_or(0);
            if n > 65535 {
                return Err(ParseError::Invalid);
            }
            if n != u32::from(default_port) {
                out.push(':');
                crate::value::write_u64(out, u64::from(n));
            }
        }
    }

    let rest = &input[q..];
    let rb = rest.as_bytes();
    // The fragment starts at the first `#`; the query at the first `?` before it.
    let hash = memchr::memchr(b'#', rb).unwrap_or(rb.len());
    let qmark = memchr::memchr(b'?', &rb[..hash]);
    let fragment = (hash < rb.len()).then(|| &rest[hash + 1..]);
    let (path, query) = match qmark {
        Some(i) => (&rest[..i], Some(&rest[i + 1..hash])),
        None => (&rest[..hash], None),
    };
    Ok(Rest { path, query, fragment })
}

/// Splits `host[:port]`, ignoring colons inside `[...]`.
fn split_port(s: &str) -> (&str, Option<&str>) {
    let mut in_brackets = false;
    for (i, b) in s.bytes().enumerate() {
        match b {
            b'[' => in_brackets = true,
            b']' => in_brackets = false,
            b':' if !in_brackets => return (&s[..i], Some(&s[i + 1..])),
            _ => {}
        }
    }
    (s, None)
}

fn write_host(out: &mut String, host: &str) -> Result<(), ParseError> {
    if let Some(inner) = host.strip_prefix('[') {
        let inner = inner.strip_suffix(']').ok_or(ParseError::Invalid)?;
        let pieces = parse_ipv6(inner).ok_or(ParseError::Invalid)?;
        out.push('[');
        write_ipv6(out, &pieces);
        out.push(']');
        return Ok(());
    }
    // Fast path: a plain lower-case ASCII domain needs no decoding.
    let simple = host.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'_'));
    let decoded: Cow<'_, str> = if simple {
        Cow::Borrowed(host)
    } else {
        let bytes: Cow<'_, [u8]> = percent_encoding::percent_decode_str(host).into();
        match String::from_utf8_lossy(&bytes) {
            Cow::Borrowed(s) => Cow::Owned(String::from(s)),
            Cow::Owned(s) => Cow::Owned(s),
        }
    };
    if !decoded.is_ascii() {
        // Needs UTS #46 mapping and Punycode: not implemented, refuse rather than guess.
        return Err(ParseError::UnsupportedHost);
    }
    let forbidden = |b: u8| {
        b <= 0x20
            || b == 0x7f
            || matches!(b, b'#' | b'%' | b'/' | b':' | b'<' | b'>' | b'?' | b'@' | b'[' | b'\\' | b']' | b'^' | b'|')
    };
    if decoded.is_empty() || decoded.bytes().any(forbidden) {
        return Err(ParseError::Invalid);
    }
    if ends_in_number(&decoded) {
        let addr = parse_ipv4(&decoded).ok_or(ParseError::Invalid)?;
        for (i, shift) in [24u32, 16, 8, 0].into_iter().enumerate() {
            if i > 0 {
                out.push('.');
            }
            crate::value::write_u64(out, u64::from((addr >> shift) & 0xff));
        }
        return Ok(());
    }
    for b in decoded.bytes() {
        out.push(b.to_ascii_lowercase() as char);
    }
    Ok(())
}

fn ends_in_number(host: &str) -> bool {
    let host = match host.strip_suffix('.') {
        Some(h) if !h.is_empty() => h,
        Some(_) => return false,
        None => host,
    };
    let last = host.rsplit('.').next().unwrap_or(host);
    // Only a label starting with a digit can be a number (`0x…` included).
    if !last.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return false;
    }
    (!last.is_empty() && last.bytes().all(|b| b.is_ascii_digit())) || parse_ipv4_number(last).is_some()
}

fn parse_ipv4_number(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let (digits, radix) = if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        (h, 16)
    } else if s.len() > 1 && s.starts_with('0') {
        (&s[1..], 8)
    } else {
        (s, 10)
    };
    if digits.is_empty() {
        return Some(0);
    }
    let mut n: u64 = 0;
    for c in digits.chars() {
        let d = c.to_digit(radix)?;
        // Anything above 2^32 fails later anyway; saturate to avoid overflow.
        n = n.saturating_mul(u64::from(radix)).saturating_add(u64::from(d)).min(1 << 40);
    }
    Some(n)
}

fn parse_ipv4(host: &str) -> Option<u32> {
    let host = host.strip_suffix('.').unwrap_or(host);
    let mut nums = [0u64; 4];
    let mut n = 0;
    for part in host.split('.') {
        if n == 4 {
            return None;
        }
        nums[n] = parse_ipv4_number(part)?;
        n += 1;
    }
    if nums[..n - 1].iter().any(|&v| v > 255) {
        return None;
    }
    let last = nums[n - 1];
    if last >= 256u64.pow(5 - n as u32) {
        return None;
    }
    let mut addr = last;
    for (i, &v) in nums[..n - 1].iter().enumerate() {
        addr += v << (8 * (3 - i));
    }
    u32::try_from(addr).ok()
}

fn parse_ipv6(s: &str) -> Option<[u16; 8]> {
    let b = s.as_bytes();
    let mut pieces = [0u16; 8];
    let mut idx = 0usize;
    let mut compress: Option<usize> = None;
    let mut p = 0usize;
    if b.first() == Some(&b':') {
        if b.get(1) != Some(&b':') {
            return None;
        }
        p = 2;
        idx = 1;
        compress = Some(1);
    }
    while p < b.len() {
        if idx == 8 {
            return None;
        }
        if b[p] == b':' {
            if compress.is_some() {
                return None;
            }
            p += 1;
            idx += 1;
            compress = Some(idx);
            continue;
        }
        let mut value: u32 = 0;
        let mut len = 0;
        while len < 4 && p < b.len() && b[p].is_ascii_hexdigit() {
            value = value * 16 + (b[p] as char).to_digit(16)?;
            p += 1;
            len += 1;
        }
        if p < b.len() && b[p] == b'.' {
            // IPv4 in IPv6.
            if len == 0 || idx > 6 {
                return None;
            }
            p -= len;
            let mut seen = 0;
            while p < b.len() {
                let mut v4: Option<u32> = None;
                if seen > 0 {
                    if b[p] == b'.' && seen < 4 {
                        p += 1;
                    } else {
                        return None;
                    }
                }
                if p >= b.len() || !b[p].is_ascii_digit() {
                    return None;
                }
                while p < b.len() && b[p].is_ascii_digit() {
                    let d = u32::from(b[p] - b'0');
                    v4 = match v4 {
                        None => Some(d),
                        Some(0) => return None,
                        Some(x) => Some(x * 10 + d),
                    };
                    if v4? > 255 {
                        return None;
                    }
                    p += 1;
                }
                pieces[idx] = (pieces[idx] << 8) | v4? as u16;
                seen += 1;
                if seen == 2 || seen == 4 {
                    idx += 1;
                }
            }
            if seen != 4 {
                return None;
            }
            break;
        } else if p < b.len() && b[p] == b':' {
            p += 1;
            if p >= b.len() {
                return None;
            }
        } else if p < b.len() {
            return None;
        }
        pieces[idx] = value as u16;
        idx += 1;
    }
    match compress {
        Some(c) => {
            let mut swaps = idx - c;
            idx = 7;
            while idx != 0 && swaps > 0 {
                pieces.swap(idx, c + swaps - 1);
                idx -= 1;
                swaps -= 1;
            }
        }
        None if idx != 8 => return None,
        None => {}
    }
    Some(pieces)
}

fn write_ipv6(out: &mut String, pieces: &[u16; 8]) {
    // The first longest run of two or more zero pieces is compressed.
    let (mut best, mut best_len, mut i) = (None, 1usize, 0usize);
    while i < 8 {
        if pieces[i] == 0 {
            let start = i;
            while i < 8 && pieces[i] == 0 {
                i += 1;
            }
            if i - start > best_len {
                best = Some(start);
                best_len = i - start;
            }
        } else {
            i += 1;
        }
    }
    let mut ignore0 = false;
    for (i, &piece) in pieces.iter().enumerate() {
        if ignore0 && piece == 0 {
            continue;
        }
        ignore0 = false;
        if best == Some(i) {
            out.push_str(if i == 0 { "::" } else { ":" });
            ignore0 = true;
            continue;
        }
        let _ = core::fmt::Write::write_fmt(out, format_args!("{piece:x}"));
        if i != 7 {
            out.push(':');
        }
    }
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Bytes the path percent-encode set escapes (non-ASCII bytes included), plus tab and
/// newlines, which the parser removes.
const PATH_ESCAPE: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = b < 0x20 || b >= 0x7f || matches!(b, b' ' | b'"' | b'#' | b'<' | b'>' | b'?' | b'`' | b'{' | b'}');
        i += 1;
    }
    t
};

/// The URL parser's path state, writing `/segment` items straight into `out`.
///
/// Segments are kept as `"/" + encoded` runs; a dot segment is removed when it ends.
pub(crate) struct PathWriter {
    pub path_start: usize,
    seg_start: usize,
    raw: [u8; 6],
    /// Raw length of the current segment; 7 means "too long (or opaque) to be a dot segment".
    raw_len: usize,
    /// Byte range of an opaque segment (the path-position transformation) while it exists.
    opaque: Option<(usize, usize)>,
    /// Whether a `..` removed the opaque segment.
    pub opaque_popped: bool,
}

impl PathWriter {
    /// Starts an empty path at the end of `out`, with an open first segment.
    #[inline]
    pub fn begin(out: &mut String) -> Self {
        let mut w =
            Self { path_start: out.len(), seg_start: 0, raw: [0; 6], raw_len: 0, opaque: None, opaque_popped: false };
        w.open(out);
        w
    }

    /// Opens a new (empty) segment.
    #[inline]
    pub fn open(&mut self, out: &mut String) {
        self.seg_start = out.len();
        out.push('/');
        self.raw_len = 0;
    }

    /// Appends text already known to serialize to itself and not to be a dot segment.
    #[inline]
    pub fn push_verbatim(&mut self, out: &mut String, text: &str) {
        if !text.is_empty() {
            self.raw_len = 7;
            out.push_str(text);
        }
    }

    /// Marks the open segment as opaque (never a dot segment), ending at byte `end`.
    #[inline]
    pub fn mark_opaque(&mut self, end: usize) {
        self.raw_len = 7;
        self.opaque = Some((self.seg_start, end));
    }

    /// Appends raw text (no separators) to the open segment, percent-encoding it and
    /// skipping tabs and newlines.
    pub fn push_text(&mut self, out: &mut String, text: &str) {
        let bytes = text.as_bytes();
        if self.raw_len <= 6 {
            for &b in bytes {
                if matches!(b, b'\t' | b'\n' | b'\r') {
                    continue;
                }
                if self.raw_len < 6 {
                    self.raw[self.raw_len] = b;
                    self.raw_len += 1;
                } else {
                    self.raw_len = 7;
                    break;
                }
            }
        }
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            if PATH_ESCAPE[b as usize] {
                // A run of safe ASCII bytes always sits on char boundaries.
                if start < i {
                    out.push_str(&text[start..i]);
                }
                if !matches!(b, b'\t' | b'\n' | b'\r') {
                    let hex = [b'%', HEX[(b >> 4) as usize], HEX[(b & 15) as usize]];
                    out.push_str(core::str::from_utf8(&hex).unwrap_or(""));
                }
                start = i + 1;
            }
        }
        if start < bytes.len() {
            out.push_str(&text[start..]);
        }
    }

    fn dot_kind(&self) -> u8 {
        if self.raw_len > 6 {
            return 0;
        }
        let mut r = [0u8; 6];
        for (d, s) in r.iter_mut().zip(&self.raw[..self.raw_len]) {
            *d = s.to_ascii_lowercase();
        }
        match &r[..self.raw_len] {
            b"." | b"%2e" => 1,
            b".." | b".%2e" | b"%2e." | b"%2e%2e" => 2,
            _ => 0,
        }
    }

    #[inline]
    fn close(&mut self, out: &mut String, at_end: bool) {
        // Only a short segment can be a dot segment: the usual long one costs one compare.
        if self.raw_len <= 6 {
            self.close_short(out, at_end);
        }
    }

    fn close_short(&mut self, out: &mut String, at_end: bool) {
        match self.dot_kind() {
            2 => {
                out.truncate(self.seg_start);
                self.shorten(out);
                if at_end {
                    out.push('/');
                }
            }
            1 => {
                out.truncate(self.seg_start);
                if at_end {
                    out.push('/');
                }
            }
            _ => {}
        }
    }

    fn shorten(&mut self, out: &mut String) {
        if out.len() <= self.path_start {
            return;
        }
        let mut pos = self.path_start + memchr::memrchr(b'/', &out.as_bytes()[self.path_start..]).unwrap_or(0);
        if let Some((s, e)) = self.opaque {
            if pos >= s && pos < e {
                pos = s;
                self.opaque = None;
                self.opaque_popped = true;
            }
        }
        out.truncate(pos);
    }

    /// A `/` or `\` in the input.
    #[inline]
    pub fn separator(&mut self, out: &mut String) {
        self.close(out, false);
        self.open(out);
    }

    /// End of the path input.
    #[inline]
    pub fn finish(&mut self, out: &mut String) {
        self.close(out, true);
    }

    /// Parses a raw path as the URL parser's path start state does (one leading slash consumed).
    pub fn parse(&mut self, out: &mut String, path: &str) {
        let path = path.strip_prefix(['/', '\\']).unwrap_or(path);
        let mut start = 0;
        for (i, &b) in path.as_bytes().iter().enumerate() {
            if b == b'/' || b == b'\\' {
                self.push_text(out, &path[start..i]);
                self.separator(out);
                start = i + 1;
            }
        }
        self.push_text(out, &path[start..]);
        self.finish(out);
    }
}

/// Drops empty segments from a serialized path, as `pathJoin`'s collapsing of `/` runs does.
pub(crate) fn drop_empty_segments(out: &mut String, path_start: usize) {
    while out.len() > path_start && out.as_bytes()[out.len() - 1] == b'/' {
        out.pop();
    }
    if memchr::memmem::find(&out.as_bytes()[path_start..], b"//").is_some() {
        let compact: String = out[path_start..].split('/').filter(|s| !s.is_empty()).flat_map(|s| ["/", s]).collect();
        out.truncate(path_start);
        out.push_str(&compact);
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
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
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

/// Byte classes for [`plain_endpoint`] hosts.
const BAD: u8 = 0;
const PLAIN: u8 = 1;
const DOT: u8 = 2;
const SLASH: u8 = 3;

/// Whether a path byte needs no work anywhere: no escaping, no separator, no `%` that could
/// spell a dot segment. Written as range checks the compiler can run 16 bytes at a time.
#[inline(always)]
const fn is_plain_path_byte(c: u8) -> bool {
    (c == b'!')
        | (c == b'$')
        | (c.wrapping_sub(b'&') <= b';' - b'&') // & ' ( ) * + , - . / 0-9 : ;
        | (c == b'=')
        | (c.wrapping_sub(b'@') <= b'Z' - b'@') // @ A-Z
        | (c == b'_')
        | c.is_ascii_lowercase()
        | (c == b'~')
}

/// [`is_plain_path_byte`] as a table, for the scalar loop.
const PLAIN_PATH_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = is_plain_path_byte(i as u8);
        i += 1;
    }
    t
};

/// Whether any pair `(prev[k], cur[k])` is a byte outside the plain set, or a `.` or `/`
/// right after a `/` (which could start a dot segment or an empty one). Branch-free, so it
/// compiles to a few vector instructions per 16 bytes.
#[inline(always)]
fn path_block_bad(prev: &[u8; 16], cur: &[u8; 16]) -> bool {
    let mut acc = 0u8;
    for k in 0..16 {
        let (p, c) = (prev[k], cur[k]);
        let after_slash = (p == b'/') & ((c == b'.') | (c == b'/'));
        acc |= u8::from(!is_plain_path_byte(c)) | u8::from(after_slash);
    }
    acc != 0
}

/// Checks every pair `(seq[j - 1], seq[j])` with [`path_block_bad`]; `seq[0]` itself is not
/// checked (it is a `/` or was checked by the caller).
fn path_pairs_ok(seq: &[u8]) -> bool {
    let n = seq.len();
    if n <= 1 {
        return true;
    }
    let block = |j: usize| match (<&[u8; 16]>::try_from(&seq[j - 1..j + 15]), <&[u8; 16]>::try_from(&seq[j..j + 16])) {
        (Ok(prev), Ok(cur)) => !path_block_bad(prev, cur),
        _ => false,
    };
    if n < 17 {
        // Too short for a block: one table lookup per byte.
        let mut prev = seq[0];
        for &c in &seq[1..] {
            if !PLAIN_PATH_BYTE[usize::from(c)] || (prev == b'/' && (c == b'.' || c == b'/')) {
                return false;
            }
            prev = c;
        }
        return true;
    }
    let mut j = 1;
    while j + 16 <= n {
        if !block(j) {
            return false;
        }
        j += 16;
    }
    // The last (overlapping) window covers the rest.
    j == n || block(n - 16)
}

/// Fast check for a path made of plain segments separated by single `/`, with no `.`/`..`
/// segment: such a path serializes to itself. A leading run of `/` is skipped (it collapses
/// into the join separator); a trailing `/` is allowed. To stay branch-free it also turns
/// down segments that merely start with `.` (the callers then take the general path).
pub(crate) fn plain_path(path: &str) -> Option<&str> {
    let b = path.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i] == b'/' {
        i += 1;
    }
    let ok = if i > 0 {
        // `b[i - 1]` is a `/`: it stands in front of the first segment.
        path_pairs_ok(&b[i - 1..])
    } else {
        b.first().is_none_or(|&c| is_plain_path_byte(c) && c != b'.') && path_pairs_ok(b)
    };
    ok.then(|| &path[i..])
}

/// Byte classes for [`plain_endpoint`] hosts: `[a-z0-9-]`, `.`, `/`, anything else.
const HOST_CLASS: [u8; 256] = {
    let mut t = [BAD; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if b == b'.' {
            DOT
        } else if b == b'/' {
            SLASH
        } else if b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' {
            PLAIN
        } else {
            BAD
        };
        i += 1;
    }
    t
};

/// Fast path for the common endpoint shape `http(s)://host[/plain/path][/]`: writes the origin
/// and returns the endpoint's path segments (without leading or trailing `/`). `None` means
/// "use the full parser".
pub(crate) fn plain_endpoint<'s>(endpoint: &'s str, out: &mut String) -> Option<&'s str> {
    let b = endpoint.as_bytes();
    let scheme_len = if b.starts_with(b"https://") {
        8
    } else if b.starts_with(b"http://") {
        7
    } else {
        return None;
    };
    // ImageKit's own host needs no checking.
    const IK_HOST: &[u8] = b"ik.imagekit.io";
    let mut i = scheme_len;
    let after_ik = scheme_len + IK_HOST.len();
    if b[i..].starts_with(IK_HOST) && b.get(after_ik).is_none_or(|&c| c == b'/') {
        i = after_ik;
    } else {
        let mut label_start = i;
        while i < b.len() {
            match HOST_CLASS[usize::from(b[i])] {
                PLAIN => {}
                DOT => label_start = i + 1,
                SLASH => break,
                _ => return None,
            }
            i += 1;
        }
        // A last label starting with a digit may be an IPv4 address: full parser.
        if i == scheme_len || i == label_start || !b[label_start].is_ascii_lowercase() {
            return None;
        }
    }
    let mut path = &endpoint[i..];
    while let Some(p) = path.strip_suffix('/') {
        path = p;
    }
    let path = plain_path(path)?;
    out.push_str(&endpoint[..i]);
    Some(path)
}
