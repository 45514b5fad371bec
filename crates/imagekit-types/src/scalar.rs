//! Scalar values of custom metadata: a string, a number or a boolean.

use serde::{Deserialize, Serialize};

/// A string, number or boolean, as custom metadata `selectOptions`, default values
/// and AI task vocabularies allow. Numbers keep their exact JSON form.
///
/// ```
/// use imagekit_types::Scalar;
/// let v: Vec<Scalar> = serde_json::from_str(r#"["budget",100,true,2.5]"#)?;
/// assert_eq!(v[0], Scalar::from("budget"));
/// assert_eq!(v[1].as_f64(), Some(100.0));
/// assert_eq!(serde_json::to_string(&v)?, r#"["budget",100,true,2.5]"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
// Exhaustive on purpose, the one exception to the crate's `#[non_exhaustive]`
// rule: JSON has exactly these three non-null scalar kinds, so no variant can
// ever be added, and users match on all three.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    /// A string.
    String(String),
    /// A number, integer or float, kept as written.
    Number(serde_json::Number),
    /// A boolean.
    Bool(bool),
}

impl Scalar {
    /// The value as a string, if it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Scalar::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value as a number, if it is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Scalar::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    /// The value as a boolean, if it is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Scalar::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

impl From<&str> for Scalar {
    fn from(s: &str) -> Self {
        Scalar::String(s.to_owned())
    }
}

impl From<String> for Scalar {
    fn from(s: String) -> Self {
        Scalar::String(s)
    }
}

impl From<bool> for Scalar {
    fn from(b: bool) -> Self {
        Scalar::Bool(b)
    }
}

impl From<i64> for Scalar {
    fn from(n: i64) -> Self {
        Scalar::Number(n.into())
    }
}

impl From<u64> for Scalar {
    fn from(n: u64) -> Self {
        Scalar::Number(n.into())
    }
}

impl From<Scalar> for serde_json::Value {
    fn from(s: Scalar) -> Self {
        match s {
            Scalar::String(s) => s.into(),
            Scalar::Number(n) => n.into(),
            Scalar::Bool(b) => b.into(),
        }
    }
}

/// A scalar or a list of scalars: a custom metadata `defaultValue` (a list for
/// `MultiSelect`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ScalarOrList {
    /// One value.
    One(Scalar),
    /// Several values.
    List(Vec<Scalar>),
}

/// A bound of a `Number` or `Date` field: a number, or an ISO-8601 date string.
pub type Bound = Scalar;

/// One value: `FieldSchema::new(FieldType::Text).default_value(Scalar::from("n/a"))`.
impl From<Scalar> for ScalarOrList {
    fn from(value: Scalar) -> Self {
        ScalarOrList::One(value)
    }
}

/// Several values (a `MultiSelect` default).
impl From<Vec<Scalar>> for ScalarOrList {
    fn from(values: Vec<Scalar>) -> Self {
        ScalarOrList::List(values)
    }
}
