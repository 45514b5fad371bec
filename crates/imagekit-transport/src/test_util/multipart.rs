//! A recorded `multipart/form-data` body as its parts, never its boundary.
//!
//! Parsed with `multer` (the body is already in memory, so its futures are
//! ready at once). A part with a file name, or whose bytes are not UTF-8, is
//! rendered as its length and SHA-256 prefix; a text part as its text.

use std::convert::Infallible;
use std::fmt::{self, Write as _};

use bytes::Bytes;
use futures_util::FutureExt;
use serde_json::{Map, Value, json};

use super::render::{quoted, sha256_prefix, text_line};

/// One part of a form.
#[derive(Debug)]
pub(super) struct Part {
    name: Option<String>,
    file_name: Option<String>,
    content_type: Option<String>,
    /// Part headers other than `content-disposition` and `content-type`,
    /// sorted by name.
    other_headers: Vec<(String, String)>,
    data: Bytes,
}

/// A parsed form: its parts, and whatever was sent before the first
/// delimiter or after the closing one (which parsers ignore).
#[derive(Debug)]
pub(super) struct Form {
    parts: Vec<Part>,
    preamble: Bytes,
    epilogue: Bytes,
}

/// Parse `body` as the `multipart/form-data` that `content_type` announces.
/// The error is the parser's message.
pub(super) fn parse(content_type: &str, body: &Bytes) -> Result<Form, String> {
    let boundary = multer::parse_boundary(content_type).map_err(|e| e.to_string())?;
    let stream = futures_util::stream::once(std::future::ready(Ok::<_, Infallible>(body.clone())));
    let mut multipart = multer::Multipart::new(stream, boundary.as_str());
    let parts = async move {
        let mut parts = Vec::new();
        while let Some(field) = multipart.next_field().await.map_err(|e| e.to_string())? {
            let mut other_headers: Vec<(String, String)> = field
                .headers()
                .iter()
                .filter(|(name, _)| *name != http::header::CONTENT_DISPOSITION && *name != http::header::CONTENT_TYPE)
                .map(|(name, value)| (name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
                .collect();
            other_headers.sort();
            let name = field.name().map(str::to_owned);
            let file_name = field.file_name().map(str::to_owned);
            let content_type = field
                .headers()
                .get(http::header::CONTENT_TYPE)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
            let data = field.bytes().await.map_err(|e| e.to_string())?;
            parts.push(Part { name, file_name, content_type, other_headers, data });
        }
        Ok::<_, String>(parts)
    }
    // The whole body is one ready chunk, so the parser never waits.
    .now_or_never()
    .unwrap_or_else(|| Err("the multipart parser waited for more input".to_owned()))?;
    let (preamble, epilogue) = outside(body, &boundary);
    Ok(Form { parts, preamble, epilogue })
}

/// The bytes before the first delimiter and after the closing delimiter
/// (less the CRLF that ends it).
fn outside(body: &Bytes, boundary: &str) -> (Bytes, Bytes) {
    let delimiter = format!("--{boundary}");
    let find = |needle: &[u8]| body.windows(needle.len()).position(|w| w == needle);
    let rfind = |needle: &[u8]| body.windows(needle.len()).rposition(|w| w == needle);
    let preamble = body.slice(..find(delimiter.as_bytes()).unwrap_or(0));
    let close = format!("{delimiter}--");
    let epilogue = match rfind(close.as_bytes()) {
        Some(at) => {
            let rest = body.slice(at + close.len()..);
            if rest.starts_with(b"\r\n") { rest.slice(2..) } else { rest }
        }
        None => Bytes::new(),
    };
    (preamble, epilogue)
}

impl Part {
    fn content_lines(&self) -> String {
        match (&self.file_name, std::str::from_utf8(&self.data)) {
            (None, Ok(text)) => text_line("value", text),
            (Some(_), _) => format!("file: {}", fingerprint(&self.data)),
            (None, Err(_)) => format!("binary: {}", fingerprint(&self.data)),
        }
    }

    fn to_json(&self) -> Value {
        let mut out = Map::new();
        let mut put = |key: &str, value: &Option<String>| {
            if let Some(value) = value {
                out.insert(key.to_owned(), Value::String(value.clone()));
            }
        };
        put("name", &self.name);
        put("filename", &self.file_name);
        put("content_type", &self.content_type);
        if !self.other_headers.is_empty() {
            let headers = self.other_headers.iter().map(|(n, v)| (n.clone(), Value::String(v.clone())));
            out.insert("headers".into(), Value::Object(headers.collect()));
        }
        match (&self.file_name, std::str::from_utf8(&self.data)) {
            (None, Ok(text)) => out.insert("value".into(), Value::String(text.to_owned())),
            (Some(_), _) => out.insert("file".into(), fingerprint_json(&self.data)),
            (None, Err(_)) => out.insert("binary".into(), fingerprint_json(&self.data)),
        };
        Value::Object(out)
    }
}

impl Form {
    /// `{"multipart/form-data": [part, ...]}`, plus `preamble` / `epilogue`
    /// fingerprints when there are any.
    pub(super) fn to_json(&self) -> Value {
        let mut out = Map::new();
        out.insert("multipart/form-data".into(), Value::Array(self.parts.iter().map(Part::to_json).collect()));
        if !self.preamble.is_empty() {
            out.insert("preamble".into(), fingerprint_json(&self.preamble));
        }
        if !self.epilogue.is_empty() {
            out.insert("epilogue".into(), fingerprint_json(&self.epilogue));
        }
        Value::Object(out)
    }
}

/// One line per part (`part N: name=".." filename=".." content-type=".."`),
/// its other headers and its content indented below it.
impl fmt::Display for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.parts.len();
        writeln!(f, "multipart/form-data: {count} part{}", if count == 1 { "" } else { "s" })?;
        if !self.preamble.is_empty() {
            writeln!(f, "preamble: {}", fingerprint(&self.preamble))?;
        }
        for (i, part) in self.parts.iter().enumerate() {
            let mut head = format!("part {}:", i + 1);
            match &part.name {
                Some(name) => write!(head, " name={}", quoted(name))?,
                None => head.push_str(" (no name)"),
            }
            if let Some(file_name) = &part.file_name {
                write!(head, " filename={}", quoted(file_name))?;
            }
            if let Some(content_type) = &part.content_type {
                write!(head, " content-type={}", quoted(content_type))?;
            }
            writeln!(f, "{head}")?;
            for (name, value) in &part.other_headers {
                writeln!(f, "  {}", text_line(name, value))?;
            }
            writeln!(f, "  {}", part.content_lines())?;
        }
        if !self.epilogue.is_empty() {
            writeln!(f, "epilogue: {}", fingerprint(&self.epilogue))?;
        }
        Ok(())
    }
}

/// `N bytes, sha256 <16 hex digits>`.
pub(super) fn fingerprint(data: &[u8]) -> String {
    format!("{} bytes, sha256 {}", data.len(), sha256_prefix(data))
}

/// `{"len": N, "sha256": "<16 hex digits>"}`.
pub(super) fn fingerprint_json(data: &[u8]) -> Value {
    json!({ "len": data.len(), "sha256": sha256_prefix(data) })
}

#[cfg(test)]
mod tests;
