//! Writing steps as the `tr` string: `k-v,k-v:k-v`.

use alloc::string::String;

use super::{CUSTOM_KEY, Entry, Kind, Rule, TABLE, Transformation, write_overlay};
use crate::error::UrlError;
use crate::value::{Lookup, Val, push_small, write_i64};

/// Builds the `tr` value for a list of steps, like the official `buildTransformationString`.
///
/// Empty lists and empty steps give an empty string, not an error.
///
/// ```
/// use imagekit_url::{build_transformation_string, Transformation};
///
/// assert_eq!(build_transformation_string(&[]).unwrap(), "");
/// let t = Transformation::new().width(0).default_image("/folder/file.jpg/").sharpen(true);
/// assert_eq!(build_transformation_string(&[t]).unwrap(), "w-0,di-folder@@file.jpg,e-sharpen");
/// ```
pub fn build_transformation_string(steps: &[Transformation<'_>]) -> Result<String, UrlError> {
    let mut out = String::new();
    write_steps(&mut out, steps.iter())?;
    Ok(out)
}

/// Appends the steps joined by `:`; steps with no component are dropped.
pub(crate) fn write_steps<'s, 'a: 's>(
    out: &mut String,
    steps: impl Iterator<Item = &'s Transformation<'a>>,
) -> Result<(), UrlError> {
    let mut wrote_step = false;
    for step in steps {
        let start = out.len();
        if wrote_step {
            out.push(':');
        }
        let mut n = 0usize;
        for entry in &step.entries {
            let before = out.len();
            if n > 0 {
                out.push(',');
            }
            // Fast path: a table key with a plain rule and a borrowed string or an integer.
            let wrote = match (entry.kind, entry.rule, entry.val) {
                (Kind::Param, Rule::Plain, Val::Int(i)) if entry.key & CUSTOM_KEY == 0 => {
                    push_key_dash(out, entry.key);
                    write_i64(out, i);
                    true
                }
                (Kind::Param, Rule::Plain, Val::Str(v)) if entry.key & CUSTOM_KEY == 0 => {
                    push_key_dash(out, entry.key);
                    push_small(out, v);
                    true
                }
                _ => write_entry(out, step, entry)?,
            };
            if wrote {
                n += 1;
            } else {
                out.truncate(before);
            }
        }
        if n == 0 {
            out.truncate(start);
        } else {
            wrote_step = true;
        }
    }
    Ok(())
}

/// Appends a table key and `-` (keys are ASCII, mostly one to three bytes).
#[inline(always)]
fn push_key_dash(out: &mut String, id: u32) {
    let key = TABLE[id as usize].1;
    if key.len() <= 3 {
        for &b in key.as_bytes() {
            out.push(char::from(b & 0x7f));
        }
    } else {
        out.push_str(key);
    }
    out.push('-');
}

/// Writes one component; `Ok(false)` when the official helper would emit nothing.
fn write_entry(out: &mut String, step: &Transformation<'_>, e: &Entry<'_>) -> Result<bool, UrlError> {
    if let Val::Null = e.val {
        return Ok(false);
    }
    match e.kind {
        Kind::Param => {}
        Kind::Raw => {
            e.val.write_js(out, step);
            return Ok(true);
        }
        Kind::Overlay => {
            return match step.overlay_at(e.val) {
                Some(o) => write_overlay(out, o),
                None => Ok(false),
            };
        }
    }
    let known = e.key & CUSTOM_KEY == 0;
    let key = step.key_str(e.key);
    let value = e.val;
    match e.rule {
        Rule::Plain => {}
        Rule::Flag => {
            if !(matches!(value, Val::Bool(true)) || value.is_str(step, "true") || value.is_str(step, "-")) {
                return Ok(false);
            }
            out.push_str(key);
            return Ok(true);
        }
        Rule::Optional if matches!(value, Val::Bool(true)) || value.is_str(step, "true") || value.is_js_blank(step) => {
            out.push_str(key);
            return Ok(true);
        }
        _ => {}
    }
    if known {
        push_key_dash(out, e.key);
    } else {
        out.push_str(key);
        out.push('-');
    }
    match e.rule {
        Rule::PathLike => match value.as_str(step) {
            Some(s) => {
                let s = s.strip_prefix('/').unwrap_or(s);
                let s = s.strip_suffix('/').unwrap_or(s);
                for (i, part) in s.split('/').enumerate() {
                    if i > 0 {
                        out.push_str("@@");
                    }
                    out.push_str(part);
                }
            }
            // `(value || '')`: falsy values become empty; others make `.replace` throw.
            None if !value.is_truthy(step) => {}
            None => return Err(UrlError::InvalidValue { key: String::from(key) }),
        },
        Rule::Sr => match value {
            Val::Stored(i) => step.stored(i).write_js_joined(out, "_"),
            v => v.write_js(out, step),
        },
        Rule::Trim if value.is_js_blank(step) => out.push_str("true"),
        _ => value.write_js(out, step),
    }
    Ok(true)
}
