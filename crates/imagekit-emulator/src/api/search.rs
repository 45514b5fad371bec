//! The `searchQuery` language of `GET /v1/files`, and ISO-8601 date parsing
//! shared with custom metadata validation.
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

use crate::model::{FileVersion, FolderRecord};
use crate::web::ApiError;

/// Deepest nesting of parentheses and `NOT`s accepted.
const MAX_DEPTH: usize = 64;

// ---------------------------------------------------------------------------
// Tokens

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A bare word: a keyword, a field name, a number, a date...
    Word(String),
    /// A string in double or single quotes.
    Quoted(String),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Op(Op),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Colon,
    Lt,
    Le,
    Gt,
    Ge,
    Has,
}

impl Op {
    fn text(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Colon => ":",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Has => "HAS",
        }
    }
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::Word(w) => format!("`{w}`"),
            Tok::Quoted(s) => format!("\"{s}\""),
            Tok::LParen => "`(`".into(),
            Tok::RParen => "`)`".into(),
            Tok::LBracket => "`[`".into(),
            Tok::RBracket => "`]`".into(),
            Tok::Comma => "`,`".into(),
            Tok::Op(op) => format!("`{}`", op.text()),
        }
    }

    fn is_keyword(&self, kw: &str) -> bool {
        matches!(self, Tok::Word(w) if w.eq_ignore_ascii_case(kw))
    }
}

fn error(msg: impl std::fmt::Display) -> ApiError {
    ApiError::bad_request(format!("Invalid searchQuery: {msg}"))
}

fn tokenize(s: &str) -> Result<Vec<(Tok, usize)>, ApiError> {
    let mut out = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        let pos = i;
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let single = match c {
            '(' => Some(Tok::LParen),
            ')' => Some(Tok::RParen),
            '[' => Some(Tok::LBracket),
            ']' => Some(Tok::RBracket),
            ',' => Some(Tok::Comma),
            '=' => Some(Tok::Op(Op::Eq)),
            ':' => Some(Tok::Op(Op::Colon)),
            _ => None,
        };
        if let Some(t) = single {
            chars.next();
            out.push((t, pos));
            continue;
        }
        match c {
            '<' | '>' => {
                chars.next();
                let eq = chars.peek().is_some_and(|&(_, n)| n == '=');
                if eq {
                    chars.next();
                }
                let op = match (c, eq) {
                    ('<', false) => Op::Lt,
                    ('<', true) => Op::Le,
                    ('>', false) => Op::Gt,
                    _ => Op::Ge,
                };
                out.push((Tok::Op(op), pos));
            }
            // ImageKit's own guides write values in single quotes; both delimit strings.
            '"' | '\'' => {
                let quote = c;
                chars.next();
                let mut text = String::new();
                let mut closed = false;
                while let Some((_, c)) = chars.next() {
                    match c {
                        c if c == quote => {
                            closed = true;
                            break;
                        }
                        '\\' => match chars.next() {
                            Some((_, e)) => text.push(e),
                            None => break,
                        },
                        c => text.push(c),
                    }
                }
                if !closed {
                    return Err(error(format!("unterminated string starting at position {pos}")));
                }
                out.push((Tok::Quoted(text), pos));
            }
            '!' | '{' | '}' | '&' | '|' | '~' | '*' | '?' | '^' => {
                return Err(error(format!("unsupported character `{c}` at position {pos}")));
            }
            _ => {
                let mut word = String::new();
                while let Some(&(_, c)) = chars.peek() {
                    if c.is_whitespace() || "()[],=:<>\"!'{}&|~*?^".contains(c) {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
                out.push((Tok::Word(word), pos));
            }
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// Syntax tree

/// A field of the query.
#[derive(Debug, Clone, PartialEq)]
enum Field {
    Name,
    Tags,
    Type,
    Format,
    Size,
    Width,
    Height,
    CreatedAt,
    UpdatedAt,
    Private,
    Transparency,
    Path,
    Custom(String),
    Embedded(String),
}

impl Field {
    fn parse(name: &str) -> Option<Field> {
        Some(match name {
            "name" => Field::Name,
            "tags" => Field::Tags,
            "type" => Field::Type,
            "format" => Field::Format,
            "size" => Field::Size,
            "width" => Field::Width,
            "height" => Field::Height,
            "createdAt" => Field::CreatedAt,
            "updatedAt" => Field::UpdatedAt,
            "private" => Field::Private,
            "transparency" => Field::Transparency,
            "path" => Field::Path,
            _ => {
                if let Some(key) = name.strip_prefix("customMetadata.").filter(|k| !k.is_empty()) {
                    Field::Custom(key.to_owned())
                } else if let Some(key) = name.strip_prefix("embeddedMetadata.").filter(|k| !k.is_empty()) {
                    Field::Embedded(key.to_owned())
                } else {
                    return None;
                }
            }
        })
    }
}

/// A literal as written: quoted or bare.
#[derive(Debug, Clone, PartialEq)]
struct Lit {
    text: String,
    quoted: bool,
}

/// What a condition tests.
#[derive(Debug, Clone, PartialEq)]
enum Test {
    /// `field op value`.
    Cmp(Op, Value),
    /// `field IN [values]`.
    In(Vec<Value>),
    /// `field EXISTS`.
    Exists,
}

/// A literal converted for its field.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Text(String),
    Number(f64),
    /// Milliseconds; `day` when a date without a time was given.
    Date {
        millis: i64,
        day: bool,
    },
    Bool(bool),
    /// For metadata fields, typed when compared.
    Raw(Lit),
}

/// A parsed condition.
#[derive(Debug, Clone, PartialEq)]
struct Cond {
    field: Field,
    test: Test,
}

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    /// Every one (kept flat, so long chains do not nest).
    And(Vec<Expr>),
    /// Any one.
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Cond(Cond),
}

// ---------------------------------------------------------------------------
// Parser

struct Parser<'a> {
    toks: &'a [(Tok, usize)],
    at: usize,
    now: i64,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at).map(|(t, _)| t)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.at).map(|(t, _)| t.clone());
        self.at += 1;
        t
    }

    fn unexpected(&self, wanted: &str) -> ApiError {
        match self.toks.get(self.at) {
            Some((t, pos)) => error(format!("expected {wanted} but found {} at position {pos}", t.describe())),
            None => error(format!("expected {wanted} but the query ended")),
        }
    }

    fn or(&mut self, depth: usize) -> Result<Expr, ApiError> {
        let mut terms = vec![self.and(depth)?];
        while self.peek().is_some_and(|t| t.is_keyword("OR")) {
            self.next();
            terms.push(self.and(depth)?);
        }
        Ok(if terms.len() == 1 { terms.remove(0) } else { Expr::Or(terms) })
    }

    fn and(&mut self, depth: usize) -> Result<Expr, ApiError> {
        let mut terms = vec![self.unary(depth)?];
        while self.peek().is_some_and(|t| t.is_keyword("AND")) {
            self.next();
            terms.push(self.unary(depth)?);
        }
        Ok(if terms.len() == 1 { terms.remove(0) } else { Expr::And(terms) })
    }

    fn unary(&mut self, depth: usize) -> Result<Expr, ApiError> {
        if depth > MAX_DEPTH {
            return Err(error(format!("nested deeper than {MAX_DEPTH} levels")));
        }
        match self.peek() {
            Some(t) if t.is_keyword("NOT") => {
                self.next();
                Ok(Expr::Not(Box::new(self.unary(depth + 1)?)))
            }
            Some(Tok::LParen) => {
                self.next();
                let e = self.or(depth + 1)?;
                if self.peek() != Some(&Tok::RParen) {
                    return Err(self.unexpected("`)`"));
                }
                self.next();
                Ok(e)
            }
            _ => self.condition(),
        }
    }

    fn literal(&mut self) -> Result<Lit, ApiError> {
        match self.peek() {
            Some(Tok::Quoted(s)) => {
                let text = s.clone();
                self.next();
                Ok(Lit { text, quoted: true })
            }
            Some(Tok::Word(w)) => {
                let text = w.clone();
                self.next();
                Ok(Lit { text, quoted: false })
            }
            _ => Err(self.unexpected("a value")),
        }
    }

    fn condition(&mut self) -> Result<Expr, ApiError> {
        let (name, pos) = match self.toks.get(self.at) {
            Some((Tok::Word(w), pos)) | Some((Tok::Quoted(w), pos)) => (w.clone(), *pos),
            _ => return Err(self.unexpected("a field name")),
        };
        self.next();
        let field = Field::parse(&name).ok_or_else(|| {
            error(format!(
                "unsupported field `{name}` at position {pos}; supported fields are name, tags, type, format, size, \
                 width, height, createdAt, updatedAt, private, transparency, path, customMetadata.<key> and \
                 embeddedMetadata.<key>"
            ))
        })?;
        let mut negate = false;
        if self.peek().is_some_and(|t| t.is_keyword("NOT")) {
            self.next();
            negate = true;
        }
        let test = match self.peek().cloned() {
            Some(t) if t.is_keyword("IN") => {
                self.next();
                if self.peek() != Some(&Tok::LBracket) {
                    return Err(self.unexpected("`[` after IN"));
                }
                self.next();
                let mut lits = Vec::new();
                loop {
                    lits.push(self.literal()?);
                    match self.next() {
                        Some(Tok::Comma) => continue,
                        Some(Tok::RBracket) => break,
                        _ => {
                            self.at -= 1;
                            return Err(self.unexpected("`,` or `]`"));
                        }
                    }
                }
                check_op(&field, None)?;
                let values = lits.iter().map(|l| convert(&field, Op::Eq, l, self.now)).collect::<Result<_, _>>()?;
                Test::In(values)
            }
            Some(t) if t.is_keyword("EXISTS") => {
                self.next();
                Test::Exists
            }
            Some(t) if t.is_keyword("HAS") => {
                self.next();
                let lit = self.literal()?;
                check_op(&field, Some(Op::Has))?;
                Test::Cmp(Op::Has, convert(&field, Op::Has, &lit, self.now)?)
            }
            Some(Tok::Op(op)) => {
                self.next();
                let lit = self.literal()?;
                check_op(&field, Some(op))?;
                Test::Cmp(op, convert(&field, op, &lit, self.now)?)
            }
            _ => return Err(self.unexpected(&format!("an operator after `{name}`"))),
        };
        let cond = Expr::Cond(Cond { field, test });
        Ok(if negate { Expr::Not(Box::new(cond)) } else { cond })
    }
}

/// Which operators a field takes; `None` is `IN`.
fn check_op(field: &Field, op: Option<Op>) -> Result<(), ApiError> {
    use Op::*;
    let ok = match field {
        Field::Name | Field::Tags | Field::Format => matches!(op, None | Some(Eq | Colon | Has)),
        Field::Path => matches!(op, None | Some(Eq | Colon)),
        Field::Type => matches!(op, None | Some(Eq)),
        Field::Size | Field::Width | Field::Height => matches!(op, None | Some(Eq | Lt | Le | Gt | Ge)),
        Field::CreatedAt | Field::UpdatedAt => matches!(op, Some(Eq | Lt | Le | Gt | Ge)),
        Field::Private | Field::Transparency => matches!(op, Some(Eq)),
        Field::Custom(_) | Field::Embedded(_) => true,
    };
    if ok {
        return Ok(());
    }
    let field_name = match field {
        Field::Name => "name",
        Field::Tags => "tags",
        Field::Type => "type",
        Field::Format => "format",
        Field::Size => "size",
        Field::Width => "width",
        Field::Height => "height",
        Field::CreatedAt => "createdAt",
        Field::UpdatedAt => "updatedAt",
        Field::Private => "private",
        Field::Transparency => "transparency",
        Field::Path => "path",
        Field::Custom(_) | Field::Embedded(_) => "metadata",
    };
    Err(error(format!("operator `{}` is not supported for field `{field_name}`", op.map_or("IN", Op::text))))
}

/// A size such as `50kb`, `1.5mb`, `2GB`, `100` (bytes), 1024-based.
fn parse_size(s: &str) -> Option<f64> {
    let s = s.trim();
    let lower = s.to_ascii_lowercase();
    let (num, mult) = [("gb", 1024f64.powi(3)), ("mb", 1024f64.powi(2)), ("kb", 1024.0), ("b", 1.0)]
        .iter()
        .find_map(|(unit, mult)| lower.strip_suffix(unit).map(|n| (n.trim().to_owned(), *mult)))
        .unwrap_or((lower.clone(), 1.0));
    parse_number(&num).map(|n| n * mult)
}

fn parse_number(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '+') {
        return None;
    }
    s.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// A relative date (`7d`) or an ISO-8601 one, as milliseconds.
fn parse_date(s: &str, now: i64) -> Option<(i64, bool)> {
    let s = s.trim();
    if let Some(unit) = s.chars().last().filter(char::is_ascii_alphabetic) {
        let n = &s[..s.len() - 1];
        if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) {
            let n: i64 = n.parse().ok()?;
            let ms: i64 = match unit {
                'h' => 3_600_000,
                'd' => 86_400_000,
                'w' => 7 * 86_400_000,
                'm' => 30 * 86_400_000,
                'y' => 365 * 86_400_000,
                _ => return None,
            };
            return Some((now.checked_sub(n.checked_mul(ms)?)?, false));
        }
    }
    parse_iso_millis(s).map(|t| (t, s.len() == 10))
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim() {
        t if t.eq_ignore_ascii_case("true") => Some(true),
        t if t.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// Convert a literal for `field`, or a 400 saying why it does not fit.
fn convert(field: &Field, op: Op, lit: &Lit, now: i64) -> Result<Value, ApiError> {
    let text = &lit.text;
    let bad = |what: &str| error(format!("`{text}` is not {what}"));
    Ok(match field {
        Field::Name | Field::Tags | Field::Format => Value::Text(text.clone()),
        Field::Path => {
            if op == Op::Has {
                return Err(bad("a path"));
            }
            Value::Text(normalize_folder(text))
        }
        Field::Type => match text.as_str() {
            "file" | "file-version" | "folder" | "image" | "non-image" => Value::Text(text.clone()),
            _ => return Err(bad("a type (file, file-version, folder, image or non-image)")),
        },
        Field::Size => Value::Number(parse_size(text).ok_or_else(|| bad("a size such as 500, 50kb, 1mb or 2gb"))?),
        Field::Width | Field::Height => Value::Number(parse_number(text).ok_or_else(|| bad("a number"))?),
        Field::CreatedAt | Field::UpdatedAt => {
            let (millis, day) = parse_date(text, now)
                .ok_or_else(|| bad("a date (YYYY-MM-DD, an ISO-8601 date-time, or relative: 1h, 7d, 2w, 1m, 1y)"))?;
            Value::Date { millis, day }
        }
        Field::Private | Field::Transparency => Value::Bool(parse_bool(text).ok_or_else(|| bad("true or false"))?),
        Field::Custom(_) | Field::Embedded(_) => Value::Raw(lit.clone()),
    })
}

/// `/a/b/` or `a/b` to `/a/b`; `/` and `` to `/`.
pub fn normalize_folder(path: &str) -> String {
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    format!("/{}", segs.join("/"))
}

// ---------------------------------------------------------------------------
// Evaluation

/// Something the query is run against: a file version or a folder.
#[derive(Debug, Clone, Copy)]
pub enum Item<'a> {
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

/// A parsed `searchQuery`.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    expr: Expr,
    now: i64,
}

impl Query {
    /// Parse `text`; relative dates count back from `now` (milliseconds).
    /// Errors are ImageKit-shaped 400s naming what is wrong.
    pub fn parse(text: &str, now: i64) -> Result<Query, ApiError> {
        let toks = tokenize(text)?;
        if toks.is_empty() {
            return Err(error("the query is empty"));
        }
        let mut p = Parser { toks: &toks, at: 0, now };
        let expr = p.or(0)?;
        if p.at < toks.len() {
            return Err(p.unexpected("`AND`, `OR` or the end of the query"));
        }
        Ok(Query { expr, now })
    }

    /// Whether the query asks about file versions (`type = "file-version"`
    /// anywhere): only then are older versions searched too.
    pub fn wants_versions(&self) -> bool {
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
    pub fn matches(&self, item: &Item<'_>) -> bool {
        eval(&self.expr, item, self.now)
    }
}

fn eval(e: &Expr, item: &Item<'_>, now: i64) -> bool {
    match e {
        Expr::And(terms) => terms.iter().all(|t| eval(t, item, now)),
        Expr::Or(terms) => terms.iter().any(|t| eval(t, item, now)),
        Expr::Not(a) => !eval(a, item, now),
        Expr::Cond(c) => eval_cond(c, item, now),
    }
}

/// The words of `s`, lower-cased: HAS matches when every word of the value is
/// one of them.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

fn has_words(haystack: &str, needle: &str) -> bool {
    let hay = words(haystack);
    let want = words(needle);
    !want.is_empty() && want.iter().all(|w| hay.contains(w))
}

fn text_test(op: Op, have: &str, want: &str) -> bool {
    match op {
        Op::Eq => have == want,
        Op::Colon => have.starts_with(want),
        Op::Has => has_words(have, want),
        _ => false,
    }
}

fn num_test(op: Op, have: f64, want: f64) -> bool {
    match op {
        Op::Eq => have == want,
        Op::Lt => have < want,
        Op::Le => have <= want,
        Op::Gt => have > want,
        Op::Ge => have >= want,
        _ => false,
    }
}

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

fn eval_cond(c: &Cond, item: &Item<'_>, now: i64) -> bool {
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

fn eval_one(field: &Field, op: Op, want: &Value, item: &Item<'_>) -> bool {
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
fn meta_test(have: Option<&serde_json::Value>, test: &Test, now: i64) -> bool {
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

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Parse an ISO-8601 date (`2025-01-31`) or date-time (`2025-01-31T10:20`,
/// `2025-01-31T10:20:30.123Z`, `...+05:30`) to milliseconds since the epoch.
/// A date-time without a zone is UTC. `None` when it is not such a date.
pub fn parse_iso_millis(s: &str) -> Option<i64> {
    let b = s.trim().as_bytes();
    let num = |from: usize, to: usize| -> Option<i64> {
        let digits = b.get(from..to)?;
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        digits.iter().try_fold(0i64, |acc, d| acc.checked_mul(10)?.checked_add(i64::from(d - b'0')))
    };
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let (y, m, d) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    let mut millis = days_from_civil(y, m, d) * 86_400_000;
    let rest = b.get(10..)?;
    if rest.is_empty() {
        return Some(millis);
    }
    if !matches!(rest[0], b'T' | b't' | b' ') {
        return None;
    }
    let t = &rest[1..];
    let tnum = |from: usize, to: usize| -> Option<i64> {
        let digits = t.get(from..to)?;
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(digits.iter().fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0')))
    };
    let (h, mi) = (tnum(0, 2)?, tnum(3, 5)?);
    if t.get(2) != Some(&b':') || h > 23 || mi > 59 {
        return None;
    }
    millis += (h * 3600 + mi * 60) * 1000;
    let mut i = 5;
    if t.get(5) == Some(&b':') {
        let sec = tnum(6, 8)?;
        if sec > 60 {
            return None;
        }
        millis += sec * 1000;
        i = 8;
        if t.get(8) == Some(&b'.') {
            let start = 9;
            let mut end = start;
            while t.get(end).is_some_and(u8::is_ascii_digit) {
                end += 1;
            }
            if end == start {
                return None;
            }
            let frac = &t[start..end.min(start + 3)];
            let mut ms = frac.iter().fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0'));
            for _ in frac.len()..3 {
                ms *= 10;
            }
            millis += ms;
            i = end;
        }
    }
    let zone = &t[i.min(t.len())..];
    match zone {
        [] | [b'Z' | b'z'] => Some(millis),
        [sign @ (b'+' | b'-'), ..] => {
            let z = &zone[1..];
            let digit = |k: usize| z.get(k).filter(|c| c.is_ascii_digit()).map(|c| i64::from(c - b'0'));
            let (oh, om) = match z.len() {
                2 => (digit(0)? * 10 + digit(1)?, 0),
                4 => (digit(0)? * 10 + digit(1)?, digit(2)? * 10 + digit(3)?),
                5 if z[2] == b':' => (digit(0)? * 10 + digit(1)?, digit(3)? * 10 + digit(4)?),
                _ => return None,
            };
            if oh > 23 || om > 59 {
                return None;
            }
            let offset = (oh * 60 + om) * 60_000;
            Some(if *sign == b'+' { millis - offset } else { millis + offset })
        }
        _ => None,
    }
}

#[cfg(test)]
mod date_tests {
    use super::parse_iso_millis;

    #[test]
    fn iso_dates() {
        assert_eq!(parse_iso_millis("1970-01-01"), Some(0));
        assert_eq!(parse_iso_millis("2026-01-01T00:00:00.123Z"), Some(1_767_225_600_123));
        assert_eq!(parse_iso_millis("2000-02-29"), Some(951_782_400_000));
        assert_eq!(parse_iso_millis("1970-01-01T01:00+01:00"), Some(0));
        assert_eq!(parse_iso_millis("1970-01-01T00:00:01"), Some(1000));
        assert_eq!(parse_iso_millis("1970-01-01T00:00:00.5Z"), Some(500));
        for bad in ["", "2001-02-29", "2020-13-01", "2020-1-01", "2020-01-01T", "2020-01-01T25:00", "2020-01-01X", "７"]
        {
            assert_eq!(parse_iso_millis(bad), None, "{bad}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FileVersion, FolderRecord};

    const NOW: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
    const DAY: i64 = 86_400_000;

    fn file(path: &str, size: u64, tags: &[&str], created: i64) -> FileVersion {
        let name = path.rsplit('/').next().unwrap_or_default().to_owned();
        let format = name.rsplit_once('.').map(|(_, e)| e.to_owned());
        let image = matches!(format.as_deref(), Some("jpg" | "png"));
        FileVersion {
            version_id: "v".into(),
            version_name: "Version 1".into(),
            name,
            file_path: path.into(),
            blob: "b".into(),
            size,
            mime: if image { "image/jpeg".into() } else { "application/pdf".into() },
            format,
            width: image.then_some(800),
            height: image.then_some(600),
            has_alpha: Some(false),
            duration: None,
            tags: (!tags.is_empty()).then(|| tags.iter().map(|t| t.to_string()).collect()),
            ai_tags: None,
            custom_coordinates: None,
            custom_metadata: serde_json::json!({"brand": "Nike", "price": 120, "colors": ["red", "blue"]})
                .as_object()
                .cloned()
                .unwrap_or_default(),
            embedded_metadata: Default::default(),
            description: None,
            is_private: path.contains("private"),
            is_published: true,
            created_at: crate::util::iso_from_millis(created),
            updated_at: crate::util::iso_from_millis(created),
        }
    }

    fn folder(path: &str) -> FolderRecord {
        FolderRecord {
            folder_id: "f".into(),
            path: path.into(),
            custom_metadata: Default::default(),
            created_at: crate::util::iso_from_millis(NOW - 100 * DAY),
            updated_at: crate::util::iso_from_millis(NOW - 100 * DAY),
            created_by: None,
        }
    }

    fn q(s: &str) -> Query {
        match Query::parse(s, NOW) {
            Ok(q) => q,
            Err(e) => panic!("{s}: {}", e.message),
        }
    }

    fn err(s: &str) -> String {
        match Query::parse(s, NOW) {
            Ok(q) => panic!("{s} parsed: {q:?}"),
            Err(e) => {
                assert_eq!(e.status, http::StatusCode::BAD_REQUEST);
                e.message
            }
        }
    }

    fn hit(query: &str, v: &FileVersion) -> bool {
        q(query).matches(&Item::File { version: v, current: true })
    }

    #[test]
    fn names_and_prefixes() {
        let f = file("/shop/red-dress-summer.jpg", 1000, &[], NOW);
        assert!(hit(r#"name = "red-dress-summer.jpg""#, &f));
        assert!(!hit(r#"name = "red-dress""#, &f));
        assert!(hit(r#"name : "red-dress""#, &f));
        assert!(hit(r#"name:"red""#, &f));
        assert!(!hit(r#"name : "dress""#, &f));
        assert!(hit(r#"name HAS "SUMMER dress""#, &f));
        assert!(hit(r#"name IN ["a.jpg", "red-dress-summer.jpg"]"#, &f));
        assert!(hit(r#"name NOT IN ["a.jpg"]"#, &f));
        assert!(hit(r#"name NOT = "a.jpg""#, &f));
        assert!(hit(r#"NOT name = "a.jpg""#, &f));
        assert!(!hit(r#"NOT name : "red""#, &f));
        assert!(hit(r#""name" = "red-dress-summer.jpg""#, &f));
    }

    #[test]
    fn tags() {
        let f = file("/a.jpg", 1, &["summer", "banner"], NOW);
        let none = file("/b.jpg", 1, &[], NOW);
        assert!(hit(r#"tags = "summer""#, &f));
        assert!(hit(r#"tags IN ["winter", "banner"]"#, &f));
        assert!(!hit(r#"tags IN ["winter"]"#, &f));
        assert!(hit(r#"tags NOT IN ["winter"]"#, &f));
        assert!(!hit(r#"tags NOT IN ["summer"]"#, &f));
        assert!(hit(r#"tags : "sum""#, &f));
        assert!(!hit(r#"tags = "summer""#, &none));
        assert!(hit(r#"tags NOT EXISTS"#, &none));
        assert!(hit(r#"tags EXISTS"#, &f));
    }

    #[test]
    fn single_quoted_values_as_in_imagekit_guides() {
        let f = file("/a.png", 60 * 1024, &["tag-1", "x"], NOW - DAY);
        let old = file("/b.jpg", 60 * 1024, &["y"], NOW - 400 * DAY);
        assert!(hit("createdAt >= '2d'", &f));
        assert!(!hit("createdAt >= '2d'", &old));
        assert!(hit("size < '2mb'", &f));
        assert!(hit("format='png'", &f));
        assert!(!hit("format='png'", &old));
        assert!(hit("createdAt >= '2d' OR size < '2mb' OR format='png'", &old));
        assert!(hit("tags IN ['tag-1', 'tag-2']", &f));
        assert!(!hit("tags IN ['tag-1', 'tag-2']", &old));
        // A double quote inside single quotes is text, and vice versa.
        assert!(!hit(r#"name = 'a"b'"#, &f));
        assert!(err("name = 'x").contains("unterminated string"));
    }

    #[test]
    fn sizes_with_units() {
        let f = file("/a.jpg", 60 * 1024, &[], NOW);
        assert!(hit("size > 50kb", &f));
        assert!(!hit("size > 1mb", &f));
        assert!(hit(r#"size < "1mb""#, &f));
        assert!(hit("size <= 60KB", &f));
        assert!(hit("size >= 61440", &f));
        assert!(hit("size = 61440b", &f));
        assert!(hit("size < 0.5mb", &f));
        assert!(hit("size < 2gb", &f));
        assert!(hit("size IN [1, 61440]", &f));
        assert!(err("size > lots").contains("not a size"));
        assert!(err(r#"size : 5"#).contains("operator `:` is not supported for field `size`"));
    }

    #[test]
    fn width_height_format_private_transparency() {
        let f = file("/a.jpg", 1, &[], NOW);
        let pdf = file("/private/doc.pdf", 1, &[], NOW);
        assert!(hit("width > 500 AND height = 600", &f));
        assert!(!hit("width > 500", &pdf));
        assert!(hit("NOT width > 500", &pdf));
        assert!(hit(r#"format = "JPG""#, &f));
        assert!(hit(r#"format IN ["png", "jpg"]"#, &f));
        assert!(hit("private = true", &pdf));
        assert!(hit(r#"private = "false""#, &f));
        assert!(hit("transparency = false", &f));
        assert!(err("private = maybe").contains("true or false"));
        assert!(err("private > true").contains("not supported"));
    }

    #[test]
    fn dates_relative_and_absolute() {
        let recent = file("/a.jpg", 1, &[], NOW - 2 * DAY);
        let old = file("/b.jpg", 1, &[], NOW - 400 * DAY);
        assert!(hit(r#"createdAt > "7d""#, &recent));
        assert!(!hit(r#"createdAt > "7d""#, &old));
        assert!(hit("createdAt < 7d", &old));
        assert!(hit(r#"createdAt > "1w""#, &recent));
        assert!(hit(r#"createdAt > "1m""#, &recent));
        assert!(hit(r#"createdAt < "1y""#, &old));
        assert!(hit(r#"createdAt > "72h""#, &recent));
        assert!(hit("updatedAt > 2025-12-01", &recent));
        assert!(hit(r#"updatedAt < "2025-12-01T00:00:00Z""#, &old));
        assert!(hit("createdAt = 2025-12-30", &recent));
        assert!(hit("createdAt <= 2025-12-30", &recent));
        assert!(!hit("createdAt > 2025-12-30", &recent));
        assert!(hit("createdAt >= 2025-12-30", &recent));
        assert!(err(r#"createdAt > "yesterday""#).contains("not a date"));
        assert!(err(r#"createdAt > "7x""#).contains("not a date"));
        assert!(err(r#"createdAt : "7d""#).contains("not supported"));
    }

    #[test]
    fn boolean_logic_and_precedence() {
        let f = file("/a.jpg", 2 * 1024 * 1024, &["sale"], NOW);
        assert!(hit(r#"name = "x" OR name = "a.jpg""#, &f));
        assert!(!hit(r#"name = "x" AND name = "a.jpg""#, &f));
        // AND binds tighter than OR.
        assert!(hit(r#"name = "a.jpg" OR name = "x" AND size < 1"#, &f));
        assert!(!hit(r#"(name = "a.jpg" OR name = "x") AND size < 1"#, &f));
        assert!(hit(r#"(size < "1mb" AND width > 500) OR (tags IN ["sale","banner"])"#, &f));
        assert!(hit(r#"NOT (name = "x" OR size < 1)"#, &f));
        assert!(hit(r#"NOT NOT name = "a.jpg""#, &f));
        assert!(hit(r#"name = "a.jpg" and size > 1 or name = "x""#, &f));
    }

    #[test]
    fn types_paths_and_folders() {
        let f = file("/shop/shoes/a.jpg", 1, &[], NOW);
        let d = folder("/shop/shoes");
        let root_file = file("/top.pdf", 1, &[], NOW);
        let fi = Item::File { version: &f, current: true };
        let old = Item::File { version: &f, current: false };
        let di = Item::Folder(&d);
        assert!(q(r#"type = "file""#).matches(&fi));
        assert!(!q(r#"type = "file""#).matches(&old));
        assert!(q(r#"type = "file-version""#).matches(&old));
        assert!(q(r#"type = "folder""#).matches(&di));
        assert!(q(r#"type IN ["folder", "file"]"#).matches(&fi));
        assert!(q(r#"type = "image""#).matches(&fi));
        assert!(q(r#"type = "file-version""#).wants_versions());
        assert!(!q(r#"type = "file""#).wants_versions());
        assert!(q(r#"path = "/shop/shoes""#).matches(&fi));
        assert!(q(r#"path = "/shop/shoes/""#).matches(&fi));
        assert!(!q(r#"path = "/shop""#).matches(&fi));
        assert!(q(r#"path : "/shop""#).matches(&fi));
        assert!(!q(r#"path : "/sho""#).matches(&fi));
        assert!(q(r#"path = "/shop""#).matches(&di));
        assert!(q(r#"path = "/""#).matches(&Item::File { version: &root_file, current: true }));
        assert!(q(r#"name = "shoes""#).matches(&di));
        assert!(!q("size > 0").matches(&di));
        assert!(err(r#"type = "video""#).contains("not a type"));
    }

    #[test]
    fn custom_metadata() {
        let f = file("/a.jpg", 1, &[], NOW);
        assert!(hit(r#""customMetadata.brand" = "Nike""#, &f));
        assert!(hit(r#"customMetadata.brand : "Ni""#, &f));
        assert!(hit(r#""customMetadata.price" > 100"#, &f));
        assert!(!hit(r#""customMetadata.price" < 100"#, &f));
        assert!(hit(r#""customMetadata.colors" IN ["green", "red"]"#, &f));
        assert!(hit(r#""customMetadata.brand" EXISTS"#, &f));
        assert!(hit(r#""customMetadata.missing" NOT EXISTS"#, &f));
    }

    #[test]
    fn syntax_errors_name_the_problem() {
        assert!(err("").contains("empty"));
        assert!(err("   ").contains("empty"));
        assert!(err(r#"colour = "red""#).contains("unsupported field `colour`"));
        assert!(err(r#"description = "x""#).contains("unsupported field `description`"));
        assert!(err(r#"name = "x"#).contains("unterminated string"));
        assert!(err(r#"name "x""#).contains("an operator after `name`"));
        assert!(err("name =").contains("a value"));
        assert!(err(r#"(name = "x""#).contains("`)`"));
        assert!(err(r#"name = "x")"#).contains("end of the query"));
        assert!(err(r#"name = "x" name = "y""#).contains("end of the query"));
        assert!(err(r#"name = "x" AND"#).contains("a field name"));
        assert!(err(r#"tags IN "x""#).contains("`[`"));
        assert!(err(r#"tags IN ["x" "y"]"#).contains("`,` or `]`"));
        assert!(err(r#"tags IN ["x","#).contains("a value"));
        assert!(err(r#"name != "x""#).contains("unsupported character `!`"));
        assert!(err(r#"name = 'x"#).contains("unterminated string"));
        assert!(err(r#"createdAt IN [1d]"#).contains("operator `IN` is not supported"));
        let deep = format!("{}name = \"x\"{}", "(".repeat(200), ")".repeat(200));
        assert!(err(&deep).contains("nested deeper"));
        let nots = format!("{}name = \"x\"", "NOT ".repeat(200));
        assert!(err(&nots).contains("nested deeper"));
    }

    #[test]
    fn long_chains_stay_flat() {
        let f = file("/a.jpg", 1, &[], NOW);
        let long = vec![r#"name = "a.jpg""#; 50_000].join(" AND ");
        assert!(hit(&long, &f));
        let long = vec![r#"name = "x""#; 50_000].join(" or ");
        assert!(!hit(&long, &f));
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in [
            "\"",
            "\\",
            "\"\\",
            "((((",
            "))))",
            "[",
            "]",
            ",",
            "=",
            "<=",
            "é = \"x\"",
            "name = \"é\u{0}\"",
            "NOT",
            "IN",
        ] {
            let _ = Query::parse(s, NOW);
        }
        let f = file("/a.jpg", 1, &[], NOW);
        assert!(hit("name = \"\u{e9}\" OR size > 0", &f));
    }
}
