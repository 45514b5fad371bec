//! A small Rust lexer and item scanner: finds public enums and structs with public fields, and
//! whether they carry `#[non_exhaustive]`, without a parser dependency.

use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Enum,
    Struct,
}

/// A `pub enum` or `pub struct`.
#[derive(Debug)]
pub struct Item {
    pub file: PathBuf,
    pub line: usize,
    pub kind: Kind,
    pub name: String,
    pub non_exhaustive: bool,
    /// The public fields of a struct (tuple fields by index).
    pub public_fields: Vec<String>,
    /// The variants of an enum.
    pub variants: Vec<String>,
}

impl Item {
    /// Whether a user can match on it exhaustively or build/destructure it with every field.
    pub fn needs_non_exhaustive(&self) -> bool {
        self.kind == Kind::Enum || !self.public_fields.is_empty()
    }
}

impl std::fmt::Display for Item {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let file = self.file.strip_prefix(super::root()).unwrap_or(&self.file).display();
        match self.kind {
            Kind::Enum => write!(f, "{file}:{}: pub enum {}", self.line, self.name),
            Kind::Struct => {
                write!(
                    f,
                    "{file}:{}: pub struct {} (public fields: {})",
                    self.line,
                    self.name,
                    self.public_fields.join(", ")
                )
            }
        }
    }
}

pub fn scan_crate(dir: &str) -> Vec<Item> {
    let mut files = Vec::new();
    rust_files(&super::root().join(dir).join("src"), &mut files);
    files.sort();
    assert!(!files.is_empty(), "{dir}/src has no Rust files");
    files.iter().flat_map(|file| items(&lex(&std::fs::read_to_string(file).unwrap()), file)).collect()
}

pub fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The fenced code blocks of a Markdown text: (info string, code).
pub fn code_blocks(markdown: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in markdown.lines() {
        let fence = line.trim_start().strip_prefix("```");
        match (&mut open, fence) {
            (None, Some(info)) => open = Some((info.trim().to_owned(), String::new())),
            (Some(_), Some(_)) => blocks.extend(open.take()),
            (Some((_, code)), None) => {
                code.push_str(line);
                code.push('\n');
            }
            (None, None) => {}
        }
    }
    blocks
}

/// The identifiers that follow `prefix` in `code` (`Error::NotFound(_)` gives `NotFound`).
pub fn paths_after(code: &str, prefix: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (at, _) in code.match_indices(prefix) {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `WebhookError::` is not `Error::`
        }
        let name: String = code[at + prefix.len()..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    Ident(String),
    Punct(char),
    /// A string, char or number literal, or a lifetime: never part of what is checked.
    Literal,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub tok: Tok,
    pub line: usize,
}

pub fn is_ident_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

pub fn is_ident_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// Where a raw string starting at `i` (`r"…"`, `r#"…"#`, `br"…"`, `cr"…"`) ends, if one does.
pub fn raw_string_end(c: &[char], i: usize) -> Option<usize> {
    let mut j = i;
    if matches!(c.get(j), Some('b' | 'c')) {
        j += 1;
    }
    if c.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let mut hashes = 0;
    while c.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    if c.get(j) != Some(&'"') {
        return None;
    }
    j += 1;
    while j < c.len() {
        if c[j] == '"' && (1..=hashes).all(|k| c.get(j + k) == Some(&'#')) {
            return Some(j + 1 + hashes);
        }
        j += 1;
    }
    Some(c.len())
}

/// Rust source as identifiers and punctuation, without comments; literals and lifetimes are
/// opaque tokens.
pub fn lex(src: &str) -> Vec<Token> {
    let c: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    let newlines = |from: usize, to: usize| c[from..to.min(c.len())].iter().filter(|&&ch| ch == '\n').count();
    while i < c.len() {
        let ch = c[i];
        let start = i;
        let tok = if ch.is_whitespace() {
            i += 1;
            None
        } else if ch == '/' && c.get(i + 1) == Some(&'/') {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
            None
        } else if ch == '/' && c.get(i + 1) == Some(&'*') {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            None
        } else if let Some(end) = raw_string_end(&c, i) {
            i = end;
            Some(Tok::Literal)
        } else if ch == '"' || (matches!(ch, 'b' | 'c') && c.get(i + 1) == Some(&'"')) {
            i += if ch == '"' { 1 } else { 2 };
            while i < c.len() && c[i] != '"' {
                i += if c[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            Some(Tok::Literal)
        } else if ch == '\'' || (ch == 'b' && c.get(i + 1) == Some(&'\'')) {
            let quote = if ch == 'b' { i + 1 } else { i };
            if c.get(quote + 1) == Some(&'\\') {
                // An escaped char literal: skip the escaped character, then find the quote.
                i = quote + 3;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if c.get(quote + 2) == Some(&'\'') {
                i = quote + 3;
            } else {
                // A lifetime or loop label.
                i = quote + 1;
                while i < c.len() && is_ident_char(c[i]) {
                    i += 1;
                }
            }
            Some(Tok::Literal)
        } else if is_ident_start(ch) {
            if ch == 'r' && c.get(i + 1) == Some(&'#') && c.get(i + 2).is_some_and(|&x| is_ident_start(x)) {
                i += 2; // a raw identifier, `r#type`, is the identifier `type`
            }
            let from = i;
            while i < c.len() && is_ident_char(c[i]) {
                i += 1;
            }
            Some(Tok::Ident(c[from..i].iter().collect()))
        } else if ch.is_ascii_digit() {
            while i < c.len() && is_ident_char(c[i]) {
                i += 1;
            }
            Some(Tok::Literal)
        } else {
            i += 1;
            Some(Tok::Punct(ch))
        };
        if let Some(tok) = tok {
            out.push(Token { tok, line });
        }
        line += newlines(start, i);
    }
    out
}

pub fn is_ident(t: &Token, word: &str) -> bool {
    matches!(&t.tok, Tok::Ident(w) if w == word)
}

pub fn is_punct(t: &Token, p: char) -> bool {
    t.tok == Tok::Punct(p)
}

/// The index of the bracket closing the one at `open`.
pub fn group_end(tokens: &[Token], open: usize) -> usize {
    let mut depth = 0usize;
    for (k, t) in tokens.iter().enumerate().skip(open) {
        match t.tok {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    return k;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

/// The angle-bracket depth change of token `k` (`->` and `=>` are arrows, not brackets).
pub fn angle(tokens: &[Token], k: usize) -> isize {
    let arrow = k > 0 && (is_punct(&tokens[k - 1], '-') || is_punct(&tokens[k - 1], '='));
    match tokens[k].tok {
        Tok::Punct('<') => 1,
        Tok::Punct('>') if !arrow => -1,
        _ => 0,
    }
}

/// `tokens[from..to]` split at commas outside any brackets.
pub fn split_commas(tokens: &[Token], from: usize, to: usize) -> Vec<std::ops::Range<usize>> {
    let mut parts = Vec::new();
    let (mut depth, mut angles, mut start) = (0isize, 0isize, from);
    for k in from..to {
        match tokens[k].tok {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => depth -= 1,
            Tok::Punct(',') if depth == 0 && angles == 0 => {
                parts.push(start..k);
                start = k + 1;
            }
            _ => angles += angle(tokens, k),
        }
    }
    parts.push(start..to);
    parts.into_iter().filter(|r| !r.is_empty()).collect()
}

/// Skips the outer attributes at the start of `range`.
pub fn skip_attributes(tokens: &[Token], mut k: usize, end: usize) -> usize {
    while k + 1 < end && is_punct(&tokens[k], '#') && is_punct(&tokens[k + 1], '[') {
        k = group_end(tokens, k + 1) + 1;
    }
    k
}

/// The identifiers inside the attributes right before token `k`.
pub fn attribute_words(tokens: &[Token], k: usize) -> Vec<String> {
    let mut words = Vec::new();
    let mut end = k;
    while end > 0 && is_punct(&tokens[end - 1], ']') {
        let mut depth = 0usize;
        let mut open = end - 1;
        loop {
            match tokens[open].tok {
                Tok::Punct(']') => depth += 1,
                Tok::Punct('[') => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            if open == 0 {
                return words;
            }
            open -= 1;
        }
        if open == 0 || !is_punct(&tokens[open - 1], '#') {
            break;
        }
        words.extend(tokens[open..end].iter().filter_map(|t| match &t.tok {
            Tok::Ident(w) => Some(w.clone()),
            _ => None,
        }));
        end = open - 1;
    }
    words
}

/// Which tokens are macro input rather than items: the arguments of a macro call (`name! { .. }`:
/// the macro's template, checked where it is defined, decides the attributes) and the matchers of
/// a `macro_rules!` (`(pub enum $name:ident { .. }) => ..` is a pattern, not an item).
pub fn macro_input(tokens: &[Token]) -> Vec<bool> {
    let mut input = vec![false; tokens.len()];
    let opens = |t: &Token| matches!(t.tok, Tok::Punct('(' | '[' | '{'));
    for k in 0..tokens.len().saturating_sub(2) {
        let call = matches!(tokens[k].tok, Tok::Ident(_)) && is_punct(&tokens[k + 1], '!') && opens(&tokens[k + 2]);
        if call {
            let end = group_end(tokens, k + 2);
            input[k + 2..end.min(tokens.len())].fill(true);
        }
        let rules = is_ident(&tokens[k], "macro_rules") && is_punct(&tokens[k + 1], '!');
        if rules && tokens.get(k + 3).is_some_and(opens) {
            let (mut rule, end) = (k + 4, group_end(tokens, k + 3));
            while rule < end {
                if !opens(&tokens[rule]) {
                    rule += 1;
                    continue;
                }
                let close = group_end(tokens, rule);
                let arrow = tokens.get(close + 1).is_some_and(|t| is_punct(t, '='))
                    && tokens.get(close + 2).is_some_and(|t| is_punct(t, '>'));
                if arrow {
                    input[rule..close].fill(true);
                }
                rule = close + 1;
            }
        }
    }
    input
}

/// The `pub enum`s and `pub struct`s of a file's tokens (`pub(crate)` and narrower are not public).
pub fn items(tokens: &[Token], file: &Path) -> Vec<Item> {
    let mut found = Vec::new();
    let macro_input = macro_input(tokens);
    for k in 0..tokens.len().saturating_sub(2) {
        if !is_ident(&tokens[k], "pub") || macro_input[k] {
            continue;
        }
        let kind = match &tokens[k + 1].tok {
            Tok::Ident(w) if w == "enum" => Kind::Enum,
            Tok::Ident(w) if w == "struct" => Kind::Struct,
            _ => continue,
        };
        let (name, after_name) = match (&tokens[k + 2].tok, tokens.get(k + 3).map(|t| &t.tok)) {
            (Tok::Ident(n), _) => (n.clone(), k + 3),
            (Tok::Punct('$'), Some(Tok::Ident(n))) => (format!("${n}"), k + 4),
            _ => continue,
        };
        // The body: the first `{` (or a tuple struct's `(` before any `where`), or none (`;`).
        let (mut angles, mut body) = (0isize, None);
        let mut seen_where = false;
        for j in after_name..tokens.len() {
            match tokens[j].tok {
                Tok::Punct('{') => {
                    body = Some(j);
                    break;
                }
                Tok::Punct('(') if kind == Kind::Struct && angles == 0 && !seen_where => {
                    body = Some(j);
                    break;
                }
                Tok::Punct(';') if angles == 0 => break,
                Tok::Ident(ref w) if w == "where" && angles == 0 => seen_where = true,
                _ => angles += angle(tokens, j),
            }
        }
        let mut public_fields = Vec::new();
        let mut variants = Vec::new();
        if let Some(open) = body {
            let close = group_end(tokens, open);
            for (n, part) in split_commas(tokens, open + 1, close).into_iter().enumerate() {
                let first = skip_attributes(tokens, part.start, part.end);
                if first >= part.end {
                    continue;
                }
                match kind {
                    Kind::Enum => {
                        if let Tok::Ident(v) = &tokens[first].tok {
                            variants.push(v.clone());
                        }
                    }
                    Kind::Struct => {
                        let public =
                            is_ident(&tokens[first], "pub") && tokens.get(first + 1).is_some_and(|t| !is_punct(t, '('));
                        if !public {
                            continue;
                        }
                        let field = match (is_punct(&tokens[open], '{'), &tokens[first + 1].tok) {
                            (true, Tok::Ident(f)) => f.clone(),
                            _ => n.to_string(),
                        };
                        public_fields.push(field);
                    }
                }
            }
        }
        let non_exhaustive = attribute_words(tokens, k).iter().any(|w| w == "non_exhaustive");
        found.push(Item {
            file: file.to_owned(),
            line: tokens[k].line,
            kind,
            name,
            non_exhaustive,
            public_fields,
            variants,
        });
    }
    found
}
