//! Origins: scheme, userinfo, host (domain, IPv4, IPv6) and port, as the URL parser
//! serializes them.

use alloc::borrow::Cow;
use alloc::string::String;

use super::{ParseError, Rest, USERINFO, push_encoded};

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
