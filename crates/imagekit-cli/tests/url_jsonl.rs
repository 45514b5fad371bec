//! `url --jsonl` with malformed input: an error record per bad line, naming its
//! line number, every other line still answered in order, and exit status 1 at
//! the end.

mod common;

use std::io::Write;
use std::process::Stdio;

use common::bare;
use serde_json::Value;

/// Run `imagekit url --jsonl` on `input`: (exit status, stdout lines as JSON, stderr).
fn jsonl(input: &str) -> (Option<i32>, Vec<Value>, String) {
    let mut child = bare()
        .args(["url", "--jsonl"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()).unwrap());
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines = stdout.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}"))).collect();
    (out.status.code(), lines, String::from_utf8(out.stderr).unwrap())
}

const GOOD_1: &str = r#"{"id":"a","fn":"buildTransformationString","args":{"transformation":[{"width":100}]}}"#;
const GOOD_2: &str = r#"{"id":"b","fn":"pHashDistance","args":{"first":"f","second":"e"}}"#;

#[test]
fn malformed_lines_are_error_records_and_the_rest_still_run() {
    let input = [
        GOOD_1,                                    // line 1
        "this is not json",                        // line 2
        "",                                        // line 3: blank, skipped but counted
        r#"{"id":"c","fn":"noSuchFn","args":{}}"#, // line 4
        r#"["an","array"]"#,                       // line 5
        r#"{"id":"d","fn":"pHashDistance"}"#,      // line 6
        GOOD_2,                                    // line 7
    ]
    .join("\n");
    let (code, lines, stderr) = jsonl(&input);
    assert_eq!(code, Some(1), "a malformed line fails the command; stderr: {stderr}");
    assert!(stderr.contains("4 malformed input lines"), "{stderr}");
    assert_eq!(lines.len(), 6, "one line out per non-blank line in: {lines:?}");

    assert_eq!(lines[0], serde_json::json!({"id": "a", "output": "w-100"}));
    assert_eq!(lines[5], serde_json::json!({"id": "b", "output": 1}));

    let expect_record = |got: &Value, line: u64, id: Value, says: &str| {
        assert_eq!(got["line"], line, "{got}");
        assert_eq!(got["id"], id, "{got}");
        let error = got["error"].as_str().unwrap_or_else(|| panic!("no error text: {got}"));
        assert!(error.starts_with(&format!("line {line}: ")), "{got}");
        assert!(error.contains(says), "{got}");
    };
    expect_record(&lines[1], 2, Value::Null, "not JSON");
    expect_record(&lines[2], 4, "c".into(), r#"unknown "fn" "noSuchFn""#);
    expect_record(&lines[3], 5, Value::Null, "not a JSON object");
    expect_record(&lines[4], 6, "d".into(), r#"no "args""#);
}

#[test]
fn a_helper_error_is_an_answer_not_a_failure() {
    // A well-formed case whose function refuses its input: answered with an
    // error, as the official helper does, and the command still succeeds.
    let refused = r#"{"id":"x","fn":"pHashDistance","args":{"first":"not-hex","second":"f"}}"#;
    let (code, lines, stderr) = jsonl(&format!("{GOOD_1}\n{refused}\n{GOOD_2}\n"));
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1]["id"], "x");
    assert!(lines[1]["error"].is_string() && lines[1].get("line").is_none(), "{}", lines[1]);
    assert!(stderr.is_empty(), "{stderr}");
}
