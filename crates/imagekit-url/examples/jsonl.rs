//! Reads conformance case lines (`{"id","fn","args"}`) on stdin and writes one
//! `{"id","output"}` or `{"id","error"}` line per case, in order.
//!
//! `cargo run -q --release -p imagekit-url --features serde --example jsonl < cases.jsonl`

use std::io::{BufRead, Write};

fn main() -> std::io::Result<()> {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        writeln!(out, "{}", imagekit_url::cases::respond_line(&line))?;
    }
    out.flush()
}
