//! Running a parsed query against a file version or a folder.

use super::dates::parse_date;
use super::parse::{Cond, Expr, Field, Op, Test, Value, normalize_folder, parse_bool, parse_number};
use crate::dates::parse_iso_millis;
use crate::model::{FileVersion, FolderRecord};

/// Something the query is run against: a file version or a folder.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Item<'a> {
    /// A file's version; `current` is false for older versions (`file-version`).
    File {
        /// The version.
        version: &'a FileVersion,
        /// Whether it is the current version.
        current: bool,
    },
    /// A folder.
    Folder(&'a FolderRecord),
}

impl<'a> Item<'a> {
    fn name(&self) -> &'a str {
        match self {
            Item::File { version, .. } => &version.name,
            Item::Folder(f) => f.name(),
        }
    }

    /// The folder the item is in, as `/a/b` (`/` for the root).
    fn parent(&self) -> String {
        match self {
            Item::File { version, .. } => normalize_folder(version.folder()),
            Item::Folder(f) => normalize_folder(f.path.rsplit_once('/').map_or("", |(p, _)| p)),
        }
    }

    fn version(&self) -> Option<&'a FileVersion> {
        match self {
            Item::File { version, .. } => Some(version),
            Item::Folder(_) => None,
        }
    }

    fn created_at(&self) -> &'a str {
        match self {
            Item::File { version, .. } => &version.created_at,
            Item::Folder(f) => &f.created_at,
        }
    }

    fn updated_at(&self) -> &'a str {
        match self {
            Item::File { version, .. } => &version.updated_at,
            Item::Folder(f) => &f.updated_at,
        }
    }
}

/// Whether `item` matches `e`; relative dates count back from `now`.
pub(super) fn eval(e: &Expr, item: &Item<'_>, now: i64) -> bool {
    match e {
        Expr::And(terms) => terms.iter().all(|t| eval(t, item, now)),
        Expr::Or(terms) => terms.iter().any(|t| eval(t, item, now)),
        Expr::Not(a) => !eval(a, item, now),
        Expr::Cond(c) => eval_cond(c, item, now),
    }
}

/// The words of `s`, lower-cased: HAS matches when every word of the value is
/// one of them.
pub(super) fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

pub(super) fn has_words(haystack: &str, needle: &str) -> bool {
    let hay = words(haystack);
    let want = words(needle);
    !want.is_empty() && want.iter().all(|w| hay.contains(w))
}

pub(super) fn text_test(op: Op, have: &str, want: &str) -> bool {
    match op {
        Op::Eq => have == want,
        Op::Colon => have.starts_with(want),
        Op::Has => has_words(have, want),
        _ => false,
    }
}

pub(super) fn num_test(op: Op, have: f64, want: f64) -> bool {
    match op {
        Op::Eq => have == want,
        Op::Lt => have < want,
        Op::Le => have <= want,
        Op::Gt => have > want,
        Op::Ge => have >= want,
        _ => false,
    }
}

/// `have` against `want`; a `day` (a date given without a time) is the whole
/// UTC day: `=` means within it, `>` after it, `<=` up to its end.
fn date_test(op: Op, have: i64, want: i64, day: bool) -> bool {
    const DAY: i64 = 86_400_000;
    match op {
        Op::Eq if day => (want..want + DAY).contains(&have),
        Op::Eq => have == want,
        Op::Lt => have < want,
        Op::Le if day => have < want + DAY,
        Op::Le => have <= want,
        Op::Gt if day => have >= want + DAY,
        Op::Gt => have > want,
        Op::Ge => have >= want,
        _ => false,
    }
}

pub(super) fn eval_cond(c: &Cond, item: &Item<'_>, now: i64) -> bool {
    let v = item.version();
    match (&c.field, &c.test) {
        (Field::Custom(key), test) => {
            let meta = match item {
                Item::File { version, .. } => &version.custom_metadata,
                Item::Folder(f) => &f.custom_metadata,
            };
            meta_test(meta.get(key), test, now)
        }
        (Field::Embedded(key), test) => meta_test(v.and_then(|v| v.embedded_metadata.get(key)), test, now),
        (field, Test::Exists) => match field {
            Field::Name | Field::Type | Field::Path | Field::CreatedAt | Field::UpdatedAt => true,
            Field::Tags => v.and_then(|v| v.tags.as_ref()).is_some_and(|t| !t.is_empty()),
            Field::Format => v.and_then(|v| v.format.as_ref()).is_some(),
            Field::Size | Field::Private | Field::Transparency => v.is_some(),
            Field::Width => v.and_then(|v| v.width).is_some(),
            Field::Height => v.and_then(|v| v.height).is_some(),
            Field::Custom(_) | Field::Embedded(_) => false,
        },
        (field, Test::In(values)) => values.iter().any(|x| eval_one(field, Op::Eq, x, item)),
        (field, Test::Cmp(op, x)) => eval_one(field, *op, x, item),
    }
}

pub(super) fn eval_one(field: &Field, op: Op, want: &Value, item: &Item<'_>) -> bool {
    let v = item.version();
    match (field, want) {
        (Field::Name, Value::Text(w)) => text_test(op, item.name(), w),
        (Field::Tags, Value::Text(w)) => {
            v.and_then(|v| v.tags.as_ref()).is_some_and(|tags| tags.iter().any(|t| text_test(op, t, w)))
        }
        (Field::Format, Value::Text(w)) => v.and_then(|v| v.format.as_deref()).is_some_and(|f| match op {
            Op::Eq => f.eq_ignore_ascii_case(w),
            _ => text_test(op, &f.to_ascii_lowercase(), &w.to_ascii_lowercase()),
        }),
        (Field::Type, Value::Text(w)) => match (item, w.as_str()) {
            (Item::File { current: true, .. }, "file") => true,
            (Item::File { current: false, .. }, "file-version") => true,
            (Item::Folder(_), "folder") => true,
            (Item::File { version, .. }, t @ ("image" | "non-image")) => version.file_type() == t,
            _ => false,
        },
        (Field::Path, Value::Text(w)) => {
            let parent = item.parent();
            match op {
                Op::Eq => &parent == w,
                Op::Colon => w == "/" || &parent == w || parent.starts_with(&format!("{w}/")),
                _ => false,
            }
        }
        (Field::Size, Value::Number(n)) => v.is_some_and(|v| num_test(op, v.size as f64, *n)),
        (Field::Width, Value::Number(n)) => v.and_then(|v| v.width).is_some_and(|w| num_test(op, f64::from(w), *n)),
        (Field::Height, Value::Number(n)) => v.and_then(|v| v.height).is_some_and(|h| num_test(op, f64::from(h), *n)),
        (Field::CreatedAt, Value::Date { millis, day }) => {
            parse_iso_millis(item.created_at()).is_some_and(|t| date_test(op, t, *millis, *day))
        }
        (Field::UpdatedAt, Value::Date { millis, day }) => {
            parse_iso_millis(item.updated_at()).is_some_and(|t| date_test(op, t, *millis, *day))
        }
        (Field::Private, Value::Bool(b)) => v.is_some_and(|v| v.is_private == *b),
        (Field::Transparency, Value::Bool(b)) => v.is_some_and(|v| v.has_alpha.unwrap_or(false) == *b),
        _ => false,
    }
}

/// A metadata value against a test: strings, numbers, booleans, dates, and
/// arrays (multi-select: any element matches).
pub(super) fn meta_test(have: Option<&serde_json::Value>, test: &Test, now: i64) -> bool {
    use serde_json::Value as J;
    let Some(have) = have.filter(|h| !h.is_null()) else { return false };
    match test {
        Test::Exists => true,
        Test::In(values) => values.iter().any(|x| meta_test(Some(have), &Test::Cmp(Op::Eq, x.clone()), now)),
        Test::Cmp(op, Value::Raw(lit)) => {
            if let J::Array(items) = have {
                return items.iter().any(|i| meta_test(Some(i), test, now));
            }
            match have {
                J::String(s) => {
                    if matches!(op, Op::Eq | Op::Colon | Op::Has) {
                        return text_test(*op, s, &lit.text);
                    }
                    match (parse_iso_millis(s), parse_date(&lit.text, now)) {
                        (Some(t), Some((w, day))) => date_test(*op, t, w, day),
                        _ => false,
                    }
                }
                J::Number(n) => match (n.as_f64(), parse_number(&lit.text)) {
                    (Some(h), Some(w)) => num_test(*op, h, w),
                    _ => false,
                },
                J::Bool(b) => *op == Op::Eq && parse_bool(&lit.text) == Some(*b),
                _ => false,
            }
        }
        Test::Cmp(..) => false,
    }
}
