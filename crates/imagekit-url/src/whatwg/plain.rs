//! Fast checks for the common shapes (plain endpoint, plain path) that serialize to
//! themselves and skip the full parser.

use alloc::string::String;

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
