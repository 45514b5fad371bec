//! Writing results to stdout: JSON lines, pretty JSON, table rows and sizes.

use std::io::Write;

use serde::Serialize;

use crate::error::{CliError, CliResult};

/// Where results go, and in which form.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    /// One compact JSON value per line (`--json`) rather than text for humans.
    pub json: bool,
}

impl Output {
    /// Write one line to stdout and flush it, so output streams.
    pub fn line(&self, text: &str) -> CliResult {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{text}").and_then(|()| out.flush()).map_err(stdout_error)
    }

    /// Write several lines to stdout, flushed once at the end.
    pub fn lines(&self, lines: &[String]) -> CliResult {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        lines.iter().try_for_each(|line| writeln!(out, "{line}")).and_then(|()| out.flush()).map_err(stdout_error)
    }

    /// Write a value as one compact JSON line.
    pub fn json_line<T: Serialize + ?Sized>(&self, value: &T) -> CliResult {
        self.line(&to_json(value, false)?)
    }

    /// Write a value: compact JSON with `--json`, indented JSON otherwise.
    pub fn value<T: Serialize + ?Sized>(&self, value: &T) -> CliResult {
        self.line(&to_json(value, !self.json)?)
    }

    /// Write `human` for people, or `value` as a JSON line with `--json`.
    pub fn either<T: Serialize + ?Sized>(&self, human: impl FnOnce() -> String, value: &T) -> CliResult {
        if self.json { self.json_line(value) } else { self.line(&human()) }
    }
}

/// A value as JSON text.
pub fn to_json<T: Serialize + ?Sized>(value: &T, pretty: bool) -> CliResult<String> {
    let text = if pretty { serde_json::to_string_pretty(value) } else { serde_json::to_string(value) };
    text.map_err(|e| CliError::usage(format!("cannot write the result as JSON: {e}")))
}

/// A write error on stdout: a closed pipe ends the command quietly.
pub fn stdout_error(e: std::io::Error) -> CliError {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        CliError::BrokenPipe
    } else {
        CliError::usage(format!("cannot write to stdout: {e}"))
    }
}

/// A byte count for people: `512 B`, `1.5 KiB`, `3.2 MiB`.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// Pad `text` on the right to `width` characters (never cuts it).
pub fn pad(text: &str, width: usize) -> String {
    format!("{text:<width$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(1023), "1023 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(512 * 1024 * 1024), "512.0 MiB");
    }
}
