//! The `searchQuery` language of `GET /v1/files`: [`parse`] turns the text
//! into a tree, [`eval`] runs it against files and folders, and [`dates`]
//! reads the date values (absolute or relative to now).
//!
//! A query is a tokenizer plus a recursive-descent parser:
//!
//! ```text
//! query     := or
//! or        := and ("OR" and)*
//! and       := unary ("AND" unary)*
//! unary     := "NOT" unary | "(" or ")" | condition
//! condition := field op value
//!            | field ["NOT"] "IN" "[" value ("," value)* "]"
//!            | field "NOT" op value
//!            | field ["NOT"] "EXISTS"
//! op        := "=" | ":" | "<" | "<=" | ">" | ">=" | "HAS"
//! field     := word | "quoted" | 'quoted'
//! value     := word | "quoted" | 'quoted'
//! ```
//!
//! Keywords are case-insensitive. Fields: `name`, `tags`, `type`, `format`,
//! `size`, `width`, `height`, `createdAt`, `updatedAt`, `private`,
//! `transparency`, `path`, and `customMetadata.<key>` /
//! `embeddedMetadata.<key>`. Each field accepts the operators that make sense
//! for it; anything else is a 400 naming the field or operator.
//!
//! Values: strings match exactly with `=`, by prefix with `:` (for `path`, `:`
//! means the folder or any folder under it), and word by word, ignoring case,
//! with `HAS`. Sizes take `b`, `kb`, `mb`, `gb` units (1024-based). Dates are
//! ISO-8601 (`2025-01-31`, `"2025-01-31T10:00:00Z"`; a date alone with `=`
//! means that whole UTC day) or relative to now: `Nh`, `Nd`, `Nw`, `Nm` (30
//! days), `Ny` (365 days), so `createdAt > "7d"` is "created in the last 7
//! days". `private` and `transparency` take `true` or `false`.

mod dates;
mod eval;
mod parse;
#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;

pub(crate) use eval::Item;
pub(crate) use parse::normalize_folder;

use crate::web::ApiError;
use eval::eval;
use parse::{Cond, Expr, Field, Test, Value};

/// A parsed `searchQuery`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Query {
    expr: Expr,
    now: i64,
}

impl Query {
    /// Parse `text`; relative dates count back from `now` (milliseconds).
    /// Errors are ImageKit-shaped 400s naming what is wrong.
    pub(crate) fn parse(text: &str, now: i64) -> Result<Query, ApiError> {
        Ok(Query { expr: parse::parse(text, now)?, now })
    }

    /// Whether the query asks about file versions (`type = "file-version"`
    /// anywhere): only then are older versions searched too.
    pub(crate) fn wants_versions(&self) -> bool {
        fn walk(e: &Expr) -> bool {
            match e {
                Expr::And(terms) | Expr::Or(terms) => terms.iter().any(walk),
                Expr::Not(a) => walk(a),
                Expr::Cond(Cond { field: Field::Type, test }) => {
                    let v = Value::Text("file-version".into());
                    match test {
                        Test::Cmp(_, x) => *x == v,
                        Test::In(xs) => xs.contains(&v),
                        Test::Exists => false,
                    }
                }
                Expr::Cond(_) => false,
            }
        }
        walk(&self.expr)
    }

    /// Whether `item` matches.
    pub(crate) fn matches(&self, item: &Item<'_>) -> bool {
        eval(&self.expr, item, self.now)
    }
}
