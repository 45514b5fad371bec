//! Reads conformance case lines (`{"id","fn","args"}`) on stdin and writes one
//! `{"id","output"}` or `{"id","error"}` line per case, in order.
//!
//! `cargo run -q --release -p imagekit-url --features serde --example jsonl < cases.jsonl`

#[path = "../tests/common/dispatch.rs"]
mod dispatch;

use std::io::{BufRead, Write};

fn main() -> std::io::Result<()> {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let response = match serde_json::from_str::<serde_json::Value>(&line) {
            Ok(case) => dispatch::respond(&case),
            Err(e) => serde_json::json!({"id": null, "error": format!("bad case line: {e}")}),
        };
        writeln!(out, "{response}")?;
    }
    out.flush()
}
