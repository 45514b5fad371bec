//! Parameter values, stringified the way JavaScript's `String(value)` does.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

/// A transformation, overlay or query-parameter value.
///
/// The official helper takes any JavaScript value and stringifies it with `String(v)`; this
/// enum covers the values that make sense in a URL. Numbers print exactly as JavaScript
/// prints them (`5.0` → `5`, `1e21` → `1e+21`), booleans as `true`/`false`, lists joined
/// with `,` (or `_` for `streaming_resolutions`).
///
/// ```
/// use imagekit_url::Value;
///
/// assert_eq!(Value::from(5.0).to_js_string(), "5");
/// assert_eq!(Value::from(0.5).to_js_string(), "0.5");
/// assert_eq!(Value::from("bw_div_2").to_js_string(), "bw_div_2");
/// assert_eq!(Value::from(true).to_js_string(), "true");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Value<'a> {
    /// A string, emitted verbatim (no URL encoding).
    Str(Cow<'a, str>),
    /// An integer.
    Int(i64),
    /// A floating-point number, printed like JavaScript's `Number.prototype.toString`.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// A list (JavaScript array).
    List(Vec<Value<'a>>),
    /// JavaScript `null`: skipped where a step parameter would be, `""` inside a list.
    Null,
}

impl Value<'_> {
    /// JavaScript truthiness (`""`, `0`, `NaN`, `false` and `null` are falsy).
    ///
    /// ```
    /// use imagekit_url::Value;
    /// assert!(!Value::from(0).is_truthy());
    /// assert!(Value::from("0").is_truthy());
    /// ```
    pub fn is_truthy(&self) -> bool {
        match self {
            Value::Str(s) => !s.is_empty(),
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0 && !f.is_nan(),
            Value::Bool(b) => *b,
            Value::List(_) => true,
            Value::Null => false,
        }
    }

    /// `String(value)` in JavaScript.
    pub fn to_js_string(&self) -> String {
        let mut s = String::new();
        self.write_js(&mut s);
        s
    }

    /// Appends `String(value)` to `out`.
    pub(crate) fn write_js(&self, out: &mut String) {
        self.write_js_joined(out, ",");
    }

    /// Like [`Self::write_js`] but a top-level list is joined with `sep`.
    pub(crate) fn write_js_joined(&self, out: &mut String, sep: &str) {
        match self {
            Value::Str(s) => push_small(out, s),
            Value::Int(i) => write_i64(out, *i),
            Value::Float(f) => write_f64(out, *f),
            Value::Bool(true) => out.push_str("true"),
            Value::Bool(false) => out.push_str("false"),
            Value::List(items) => {
                for (n, item) in items.iter().enumerate() {
                    if n > 0 {
                        out.push_str(sep);
                    }
                    // Array.prototype.join prints null as "" and nested arrays with ",".
                    if !matches!(item, Value::Null) {
                        item.write_js(out);
                    }
                }
            }
            Value::Null => out.push_str("null"),
        }
    }

    /// `String(value).trim() === ""`.
    pub(crate) fn is_js_blank(&self) -> bool {
        match self {
            Value::Str(s) => is_js_blank(s),
            Value::List(_) => is_js_blank(&self.to_js_string()),
            _ => false,
        }
    }

    /// Whether this is exactly the string `s`.
    pub(crate) fn is_str(&self, s: &str) -> bool {
        matches!(self, Value::Str(v) if v == s)
    }

    /// Copies borrowed data so the value no longer borrows.
    pub fn into_owned(self) -> Value<'static> {
        match self {
            Value::Str(s) => Value::Str(Cow::Owned(s.into_owned())),
            Value::Int(i) => Value::Int(i),
            Value::Float(f) => Value::Float(f),
            Value::Bool(b) => Value::Bool(b),
            Value::List(v) => Value::List(v.into_iter().map(Value::into_owned).collect()),
            Value::Null => Value::Null,
        }
    }
}

/// A value with no owned data, so the structures holding it are `Copy` and need no drop
/// glue. Owned strings and lists live in a side store, looked up through [`Lookup`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Val<'a> {
    Str(&'a str),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
    /// Index into the owner's store.
    Stored(u32),
}

/// Where `Val::Stored` values live.
pub(crate) trait Lookup<'a> {
    /// The stored value at `i` (`Null` if missing, which cannot happen).
    fn stored(&self, i: u32) -> &Value<'a>;
}

impl<'a> Lookup<'a> for [Value<'a>] {
    #[inline]
    fn stored(&self, i: u32) -> &Value<'a> {
        self.get(i as usize).unwrap_or(&Value::Null)
    }
}

impl<'a> Val<'a> {
    /// Splits `value` into a `Val`, handing owned data to `store` (which returns its index).
    #[inline(always)]
    pub fn intern(value: Value<'a>, store: impl FnOnce(Value<'a>) -> u32) -> Self {
        let val = match &value {
            Value::Str(Cow::Borrowed(s)) => Val::Str(s),
            Value::Int(i) => Val::Int(*i),
            Value::Float(f) => Val::Float(*f),
            Value::Bool(b) => Val::Bool(*b),
            Value::Null => Val::Null,
            Value::Str(Cow::Owned(_)) | Value::List(_) => return Val::Stored(store(value)),
        };
        // Nothing owned is left in these variants; skipping the drop spares an out-of-line
        // `drop_in_place` call the optimizer does not see through.
        core::mem::forget(value);
        val
    }

    /// The public form (stored values are cloned).
    pub fn to_value<'s>(self, l: &'s (impl Lookup<'a> + ?Sized)) -> Value<'s>
    where
        'a: 's,
    {
        match self {
            Val::Str(s) => Value::Str(Cow::Borrowed(s)),
            Val::Int(i) => Value::Int(i),
            Val::Float(f) => Value::Float(f),
            Val::Bool(b) => Value::Bool(b),
            Val::Null => Value::Null,
            Val::Stored(i) => l.stored(i).clone(),
        }
    }

    /// Appends `String(value)`.
    #[inline(always)]
    pub fn write_js(self, out: &mut String, l: &(impl Lookup<'a> + ?Sized)) {
        match self {
            Val::Str(s) => push_small(out, s),
            Val::Int(i) => write_i64(out, i),
            Val::Float(f) => write_f64(out, f),
            Val::Bool(true) => out.push_str("true"),
            Val::Bool(false) => out.push_str("false"),
            Val::Null => out.push_str("null"),
            Val::Stored(i) => l.stored(i).write_js(out),
        }
    }

    /// JavaScript truthiness.
    #[inline]
    pub fn is_truthy(self, l: &(impl Lookup<'a> + ?Sized)) -> bool {
        match self {
            Val::Str(s) => !s.is_empty(),
            Val::Int(i) => i != 0,
            Val::Float(f) => f != 0.0 && !f.is_nan(),
            Val::Bool(b) => b,
            Val::Null => false,
            Val::Stored(i) => l.stored(i).is_truthy(),
        }
    }

    /// `String(value).trim() === ""`.
    pub fn is_js_blank(self, l: &(impl Lookup<'a> + ?Sized)) -> bool {
        match self {
            Val::Str(s) => is_js_blank(s),
            Val::Stored(i) => l.stored(i).is_js_blank(),
            _ => false,
        }
    }

    /// Whether this is exactly the string `s`.
    #[inline]
    pub fn is_str(self, l: &(impl Lookup<'a> + ?Sized), s: &str) -> bool {
        match self {
            Val::Str(v) => v == s,
            Val::Stored(i) => l.stored(i).is_str(s),
            _ => false,
        }
    }

    /// The string, if this is one.
    pub fn as_str<'s>(self, l: &'s (impl Lookup<'a> + ?Sized)) -> Option<&'s str>
    where
        'a: 's,
    {
        match self {
            Val::Str(s) => Some(s),
            Val::Stored(i) => match l.stored(i) {
                Value::Str(s) => Some(s),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Whether `needle` occurs in `s`. Written as 16-byte blocks whose compare-and-or the
/// compiler turns into a few vector instructions, inlined at the call site.
///
/// Kept by hand for the two checks every URL build makes (`$` in the transformation, `P`
/// before it): on these 10 to 60 byte strings `memchr`'s out-of-line call and CPU-feature
/// dispatch cost more than the scan. With `memchr` there, cachegrind counted 1,759 instead
/// of 1,689 instructions per `build/simple` URL and 5,615 instead of 5,544 per
/// `build/signed` URL. Longer or colder searches use `memchr`.
#[inline]
pub(crate) fn has_byte(s: &[u8], needle: u8) -> bool {
    #[inline(always)]
    fn block(c: &[u8; 16], needle: u8) -> bool {
        c.iter().fold(0u8, |acc, &b| acc | u8::from(b == needle)) != 0
    }
    if s.len() < 16 {
        return s.iter().fold(0u8, |acc, &b| acc | u8::from(b == needle)) != 0;
    }
    let mut chunks = s.chunks_exact(16);
    for c in &mut chunks {
        if let Ok(c) = <&[u8; 16]>::try_from(c) {
            if block(c, needle) {
                return true;
            }
        }
    }
    // The last (overlapping) block covers the remainder.
    !chunks.remainder().is_empty() && <&[u8; 16]>::try_from(&s[s.len() - 16..]).is_ok_and(|c| block(c, needle))
}

/// JavaScript's `String.prototype.trim` whitespace (differs from Rust's: has U+FEFF, lacks U+0085).
pub(crate) fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\u{9}'..='\u{d}'
            | ' '
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
            | '\u{feff}'
    )
}

/// `s.trim() === ""` in JavaScript.
pub(crate) fn is_js_blank(s: &str) -> bool {
    s.chars().all(is_js_space)
}

macro_rules! from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Value<'_> {
            #[inline]
            fn from(v: $t) -> Self { Value::Int(v as i64) }
        }
    )*};
}
from_int!(i8, i16, i32, i64, u8, u16, u32);

impl From<u64> for Value<'_> {
    #[inline]
    fn from(v: u64) -> Self {
        match i64::try_from(v) {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Float(v as f64),
        }
    }
}
impl From<usize> for Value<'_> {
    #[inline]
    fn from(v: usize) -> Self {
        Value::from(v as u64)
    }
}
impl From<f64> for Value<'_> {
    #[inline]
    fn from(v: f64) -> Self {
        Value::Float(v)
    }
}
impl From<f32> for Value<'_> {
    #[inline]
    fn from(v: f32) -> Self {
        Value::Float(v as f64)
    }
}
impl From<bool> for Value<'_> {
    #[inline]
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}
impl<'a> From<&'a str> for Value<'a> {
    #[inline]
    fn from(v: &'a str) -> Self {
        Value::Str(Cow::Borrowed(v))
    }
}
impl From<String> for Value<'_> {
    #[inline]
    fn from(v: String) -> Self {
        Value::Str(Cow::Owned(v))
    }
}
impl<'a> From<&'a String> for Value<'a> {
    #[inline]
    fn from(v: &'a String) -> Self {
        Value::Str(Cow::Borrowed(v.as_str()))
    }
}
impl<'a> From<Cow<'a, str>> for Value<'a> {
    #[inline]
    fn from(v: Cow<'a, str>) -> Self {
        Value::Str(v)
    }
}
impl<'a, T: Into<Value<'a>>> From<Vec<T>> for Value<'a> {
    fn from(v: Vec<T>) -> Self {
        Value::List(v.into_iter().map(Into::into).collect())
    }
}

/// `"00" "01" … "99"`: two decimal digits per entry.
const DEC_PAIRS: &[u8; 200] = b"\
0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// Pushes one ASCII decimal digit (`d < 10`).
#[inline(always)]
fn push_digit(out: &mut String, d: u64) {
    out.push(char::from(b'0' + (d % 10) as u8));
}

/// Pushes two decimal digits of `d < 100`.
#[inline(always)]
fn push_pair(out: &mut String, d: u64) {
    let i = 2 * (d % 100) as usize;
    out.push(char::from(DEC_PAIRS[i] & 0x7f));
    out.push(char::from(DEC_PAIRS[i + 1] & 0x7f));
}

/// Appends the decimal digits of `v`.
///
/// Values below 1000, by far the most common in URLs, are pushed directly. Kept by hand
/// because `itoa` (its buffer, then `push_str`) measured slower there: with every number
/// through `itoa`, cachegrind counted 1,856 instead of 1,798 instructions per `build/simple`
/// URL and 6,437 instead of 5,978 per `build/chained` URL (13 small numbers). Longer values
/// (expiry timestamps) go through `itoa`, which beats the old hand-written loop there.
#[inline(always)]
pub(crate) fn write_u64(out: &mut String, v: u64) {
    if v < 10 {
        push_digit(out, v);
    } else if v < 100 {
        push_pair(out, v);
    } else if v < 1000 {
        push_digit(out, v / 100);
        push_pair(out, v % 100);
    } else {
        write_u64_long(out, v);
    }
}

#[inline(never)]
fn write_u64_long(out: &mut String, v: u64) {
    out.push_str(itoa::Buffer::new().format(v));
}

/// Appends a short ASCII-ish string without a `memcpy` call for the tiny cases.
#[inline]
pub(crate) fn push_small(out: &mut String, s: &str) {
    if s.len() <= 4 && s.is_ascii() {
        for &b in s.as_bytes() {
            out.push(b as char);
        }
    } else {
        out.push_str(s);
    }
}

/// Appends the decimal digits of `v`, with a `-` when negative.
#[inline(always)]
pub(crate) fn write_i64(out: &mut String, v: i64) {
    if v < 0 {
        out.push('-');
    }
    write_u64(out, v.unsigned_abs());
}

/// Appends `Number.prototype.toString()` of `v` (ECMA-262 Number::toString, radix 10).
pub(crate) fn write_f64(out: &mut String, v: f64) {
    if v.is_nan() {
        return out.push_str("NaN");
    }
    if v.is_infinite() {
        return out.push_str(if v < 0.0 { "-Infinity" } else { "Infinity" });
    }
    if v == 0.0 {
        return out.push('0'); // also -0
    }
    if v.abs() < 1e15 && (v as i64) as f64 == v {
        return write_i64(out, v as i64);
    }
    if v < 0.0 {
        out.push('-');
    }
    // Rust's `{:e}` prints the shortest round-tripping digits, as JavaScript does; only the
    // layout differs.
    // The longest `{:e}` of an f64 is 24 bytes (17 digits, point, `e-324`).
    let mut text = arrayvec::ArrayString::<64>::new();
    let _ = write!(text, "{:e}", v.abs());
    let text = text.as_str();
    let (mant, exp) = text.split_once('e').unwrap_or((text, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut digits = [0u8; 24];
    let mut k = 0usize;
    for b in mant.bytes().filter(u8::is_ascii_digit) {
        if k < digits.len() {
            digits[k] = b;
            k += 1;
        }
    }
    let digits = &digits[..k];
    let k = k as i32;
    let n = exp + 1; // value = 0.d1d2…dk × 10^n
    let push = |out: &mut String, d: &[u8]| d.iter().for_each(|&b| out.push(b as char));
    if k <= n && n <= 21 {
        push(out, digits);
        (0..n - k).for_each(|_| out.push('0'));
    } else if 0 < n && n <= 21 {
        push(out, &digits[..n as usize]);
        out.push('.');
        push(out, &digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        (0..-n).for_each(|_| out.push('0'));
        push(out, digits);
    } else {
        push(out, &digits[..1]);
        if k > 1 {
            out.push('.');
            push(out, &digits[1..]);
        }
        out.push('e');
        out.push(if n - 1 < 0 { '-' } else { '+' });
        write_u64(out, (n - 1).unsigned_abs() as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(v: f64) -> String {
        let mut s = String::new();
        write_f64(&mut s, v);
        s
    }

    #[test]
    fn js_numbers() {
        assert_eq!(f(5.0), "5");
        assert_eq!(f(10.5), "10.5");
        assert_eq!(f(-0.0), "0");
        assert_eq!(f(1e21), "1e+21");
        assert_eq!(f(1e20), "100000000000000000000");
        assert_eq!(f(1.5e-7), "1.5e-7");
        assert_eq!(f(0.000001), "0.000001");
        assert_eq!(f(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(f(123456789.125), "123456789.125");
        assert_eq!(f(-2.5), "-2.5");
        assert_eq!(f(f64::NAN), "NaN");
        assert_eq!(f(1.7976931348623157e308), "1.7976931348623157e+308");
        assert_eq!(f(5e-324), "5e-324");
    }
}
