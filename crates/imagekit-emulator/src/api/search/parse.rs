//! The query text to a tree: a tokenizer, then a recursive-descent parser
//! that converts each literal for its field (see the grammar in the parent
//! module's documentation).

use super::dates::parse_date;
use crate::web::ApiError;

/// Deepest nesting of parentheses and `NOT`s accepted.
pub(super) const MAX_DEPTH: usize = 64;

// ---------------------------------------------------------------------------
// Tokens

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
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
pub(super) enum Op {
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

pub(super) fn error(msg: impl std::fmt::Display) -> ApiError {
    ApiError::bad_request(format!("Invalid searchQuery: {msg}"))
}

pub(super) fn tokenize(s: &str) -> Result<Vec<(Tok, usize)>, ApiError> {
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
pub(super) enum Field {
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
pub(super) struct Lit {
    pub(super) text: String,
    pub(super) quoted: bool,
}

/// What a condition tests.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Test {
    /// `field op value`.
    Cmp(Op, Value),
    /// `field IN [values]`.
    In(Vec<Value>),
    /// `field EXISTS`.
    Exists,
}

/// A literal converted for its field.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
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
pub(super) struct Cond {
    pub(super) field: Field,
    pub(super) test: Test,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Expr {
    /// Every one (kept flat, so long chains do not nest).
    And(Vec<Expr>),
    /// Any one.
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Cond(Cond),
}

// ---------------------------------------------------------------------------
// Parser

/// Parse a whole query; relative dates count back from `now` (milliseconds).
pub(super) fn parse(text: &str, now: i64) -> Result<Expr, ApiError> {
    let toks = tokenize(text)?;
    if toks.is_empty() {
        return Err(error("the query is empty"));
    }
    let mut p = Parser { toks: &toks, at: 0, now };
    let expr = p.or(0)?;
    if p.at < toks.len() {
        return Err(p.unexpected("`AND`, `OR` or the end of the query"));
    }
    Ok(expr)
}

pub(super) struct Parser<'a> {
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
pub(super) fn check_op(field: &Field, op: Option<Op>) -> Result<(), ApiError> {
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
pub(super) fn parse_size(s: &str) -> Option<f64> {
    let s = s.trim();
    let lower = s.to_ascii_lowercase();
    let (num, mult) = [("gb", 1024f64.powi(3)), ("mb", 1024f64.powi(2)), ("kb", 1024.0), ("b", 1.0)]
        .iter()
        .find_map(|(unit, mult)| lower.strip_suffix(unit).map(|n| (n.trim().to_owned(), *mult)))
        .unwrap_or((lower.clone(), 1.0));
    parse_number(&num).map(|n| n * mult)
}

pub(super) fn parse_number(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '+') {
        return None;
    }
    s.parse::<f64>().ok().filter(|f| f.is_finite())
}

pub(super) fn parse_bool(s: &str) -> Option<bool> {
    match s.trim() {
        t if t.eq_ignore_ascii_case("true") => Some(true),
        t if t.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// Convert a literal for `field`, or a 400 saying why it does not fit.
pub(super) fn convert(field: &Field, op: Op, lit: &Lit, now: i64) -> Result<Value, ApiError> {
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
pub(crate) fn normalize_folder(path: &str) -> String {
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    format!("/{}", segs.join("/"))
}
