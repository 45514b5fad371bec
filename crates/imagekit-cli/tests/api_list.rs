//! `imagekit api --list` and `--help`: every row of the operation table, with
//! its HTTP method, path and parameters, as text and as JSON lines.

mod common;

use common::{Run, bare};
use imagekit::operations::OPERATIONS;

#[test]
fn list_prints_every_row_with_its_parameters() {
    // No key is needed to list.
    let run = Run::of(bare().args(["api", "--list"])).ok();
    // A block per row: its head line, then indented lines.
    let mut blocks: Vec<(&str, Vec<&str>)> = Vec::new();
    for line in run.stdout.lines() {
        match (line.strip_prefix("    "), blocks.last_mut()) {
            (Some(indented), Some((_, body))) => body.push(indented),
            _ => blocks.push((line, Vec::new())),
        }
    }
    assert_eq!(blocks.len(), OPERATIONS.len(), "{}", run.stdout);
    for (op, (head, body)) in OPERATIONS.iter().zip(&blocks) {
        assert_eq!(*head, format!("{}  {} {}", op.name, op.method, op.path));
        assert_eq!(body.first(), Some(&op.summary), "{}", op.name);
        for p in op.params {
            let line = body.iter().find(|l| l.starts_with(&format!("{} ", p.name)));
            let line = line.unwrap_or_else(|| panic!("{}: no line for {}: {body:?}", op.name, p.name));
            assert!(line.contains(p.location.as_str()) && line.contains(p.help), "{line}");
            assert_eq!(line.contains("required"), p.required, "{line}");
        }
        let extra = body.iter().any(|l| l.contains("and any other field of"));
        assert_eq!(extra, op.extra_fields, "{}: {body:?}", op.name);
    }
}

#[test]
fn list_as_json_lines() {
    let rows = Run::of(bare().args(["api", "--list", "--json"])).ok().json_lines();
    assert_eq!(rows.len(), OPERATIONS.len());
    for (op, row) in OPERATIONS.iter().zip(&rows) {
        assert_eq!(row["name"], op.name);
        assert_eq!(row["method"], op.method.as_str());
        assert_eq!(row["path"], op.path);
        let names: Vec<&str> = row["params"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
        let expected: Vec<&str> = op.params.iter().map(|p| p.name).collect();
        assert_eq!(names, expected, "{}", op.name);
    }
}

#[test]
fn help_points_to_the_list_and_a_method_is_required_otherwise() {
    let help = Run::of(bare().args(["api", "--help"])).ok();
    assert!(help.stdout.contains("imagekit api --list"), "{}", help.stdout);
    let run = Run::of(bare().args(["api"]));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("<METHOD>"), "{}", run.stderr);
    let run = Run::of(bare().args(["api", "--list", "files.get"]));
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn an_unknown_method_is_named_with_suggestions_before_a_key_is_needed() {
    let run = Run::of(bare().args(["api", "files.versions.lst"])).expect(1);
    assert!(run.stderr.contains("unknown method `files.versions.lst`"), "{}", run.stderr);
    assert!(run.stderr.contains("did you mean files.versions.list"), "{}", run.stderr);
    assert!(!run.stderr.contains("private key"), "{}", run.stderr);
}
