//! The official helper's placeholder: it writes a fixed text where the transformation goes
//! and then replaces its first occurrence with JavaScript's `String.prototype.replace`.

use alloc::string::String;

use memchr::memmem;

/// The text the official helper puts where the transformation goes, then replaces.
pub(crate) const PLACEHOLDER: &str = "PLEASEREPLACEJUSTBEFORESIGN";

/// Whether `s` contains the placeholder. A one-byte scan first: URLs rarely hold a `P`, and
/// it spares building a substring searcher on every URL.
pub(super) fn has_placeholder(s: &str) -> bool {
    crate::value::has_byte(s.as_bytes(), b'P') && memmem::find(s.as_bytes(), PLACEHOLDER.as_bytes()).is_some()
}

/// `String.prototype.replace(pattern, replacement)` with a string pattern: the first
/// occurrence only, and `$$`, `$&`, `` $` ``, `$'` in the replacement are expanded.
pub(super) fn js_replace_first(out: &mut String, pattern: &str, replacement: &str) {
    let Some(pos) = memmem::find(out.as_bytes(), pattern.as_bytes()) else { return };
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
