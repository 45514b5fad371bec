//! `imagekit url` and `imagekit auth-params`, and `url --jsonl` over every
//! conformance case of `imagekit-url`'s fixture.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;

use common::{KEY, Run, bare};
use serde_json::Value;

const CASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../imagekit-url/tests/fixtures/url-cases.jsonl");

#[test]
fn jsonl_answers_every_conformance_case() {
    let text = std::fs::read_to_string(CASES).unwrap();
    let cases: Vec<Value> =
        text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(cases.len() >= 400, "the full case file, got {}", cases.len());

    let mut child = bare().args(["url", "--jsonl"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        stdin.write_all(text.as_bytes()).unwrap();
    });
    let lines: Vec<Value> = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map(|l| serde_json::from_str(&l.unwrap()).unwrap())
        .collect();
    writer.join().unwrap();
    assert!(child.wait().unwrap().success());

    assert_eq!(lines.len(), cases.len(), "one answer per case");
    let mut mismatches = Vec::new();
    for (case, got) in cases.iter().zip(&lines) {
        assert_eq!(got["id"], case["id"], "answers come in order");
        let ok = match case.get("error") {
            Some(_) => got.get("error").is_some(),
            None => got.get("output") == case.get("output"),
        };
        if !ok {
            mismatches.push(format!("{}: expected {:?}, got {got}", case["id"], case.get("output")));
        }
    }
    assert!(mismatches.is_empty(), "{} mismatches:\n{}", mismatches.len(), mismatches.join("\n"));
}

#[test]
fn jsonl_streams_one_answer_per_line() {
    let mut child = bare().args(["url", "--jsonl"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    // Each answer arrives before the next case is written: nothing waits for EOF.
    for (i, width) in [100, 200].iter().enumerate() {
        writeln!(
            stdin,
            r#"{{"id":"c{i}","fn":"buildTransformationString","args":{{"transformation":[{{"width":{width}}}]}}}}"#
        )
        .unwrap();
        stdin.flush().unwrap();
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let v: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["id"], format!("c{i}"));
        assert_eq!(v["output"], format!("w-{width}"));
    }
    writeln!(stdin, "not json").unwrap();
    drop(stdin);
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert!(line.contains("\"error\""), "{line}");
    // A malformed line fails the command, once every line is answered.
    assert_eq!(child.wait().unwrap().code(), Some(1));
}

fn url(args: &[&str]) -> Run {
    let mut cmd = bare();
    cmd.args(["--url-endpoint", "https://ik.imagekit.io/demo", "url"]).args(args);
    Run::of(&mut cmd)
}

#[test]
fn delivery_urls() {
    let run = url(&["/default-image.jpg", "--tr", "w-300,h-300:rt-90"]).ok();
    assert_eq!(run.stdout, "https://ik.imagekit.io/demo/default-image.jpg?tr=w-300,h-300:rt-90\n");

    let run = url(&["/a b.jpg", "--step", "width=400,height=300", "--step", "rotation=90", "--path-position"]).ok();
    assert_eq!(run.stdout, "https://ik.imagekit.io/demo/tr:w-400,h-300:rt-90/a%20b.jpg\n");

    let run = url(&["/a.jpg", "--query", "v=2", "--query", "q=a b", "--tr", "w-10", "--json"]).ok();
    assert_eq!(run.json()["url"], "https://ik.imagekit.io/demo/a.jpg?v=2&q=a+b&tr=w-10");

    // Signed: the same signature the library computes.
    let mut cmd = bare();
    cmd.args(["--url-endpoint", "https://ik.imagekit.io/demo/", "--private-key", "dummy-key", "url"]).args([
        "sdk-testing-files/future-search.png",
        "--step",
        "width=300,height=200",
        "--query",
        "version=2.0",
        "--signed",
    ]);
    let run = Run::of(&mut cmd).ok();
    assert_eq!(
        run.stdout.trim(),
        "https://ik.imagekit.io/demo/sdk-testing-files/future-search.png?version=2.0&tr=w-300,h-200&ik-s=601d97a7834b7554f4dabf0d3fc3a219ceeb6b31"
    );

    let mut cmd = bare();
    cmd.args([
        "--url-endpoint",
        "https://ik.imagekit.io/demo",
        "--private-key",
        KEY,
        "url",
        "/a.jpg",
        "--expires-in",
        "600",
    ]);
    let run = Run::of(&mut cmd).ok();
    let t: u64 = run.stdout.split("ik-t=").nth(1).and_then(|s| s.split('&').next()).unwrap().parse().unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    assert!(t >= now + 590 && t <= now + 610, "ik-t {t} is about now + 600");
    assert!(run.stdout.contains("&ik-s="));
}

#[test]
fn url_usage_errors() {
    let run = url(&["/a.jpg", "--signed"]).expect(1);
    assert!(run.stderr.contains("private key"), "{}", run.stderr);
    let run = Run::of(bare().args(["url", "/a.jpg"])).expect(1);
    assert!(run.stderr.contains("--url-endpoint"), "{}", run.stderr);
    // An absolute src needs no endpoint.
    let run = Run::of(bare().args(["url", "https://example.com/a.jpg", "--tr", "w-5"])).ok();
    assert_eq!(run.stdout.trim(), "https://example.com/a.jpg?tr=w-5");
    url(&["/a.jpg", "--step", "width"]).expect(1);
    url(&["/a.jpg", "--query", "novalue"]).expect(1);
    // clap: no src and no --jsonl, or both.
    Run::of(bare().args(["url"])).expect(2);
    Run::of(bare().args(["url", "/a.jpg", "--jsonl"])).expect(2);
}

#[test]
fn auth_params() {
    let run = Run::of(bare().args([
        "--private-key",
        "private_key_test",
        "auth-params",
        "--token",
        "your_token",
        "--expire",
        "1582269249",
    ]))
    .ok();
    let v = run.json();
    assert_eq!(v["token"], "your_token");
    assert_eq!(v["expire"], 1582269249);
    assert_eq!(v["signature"], "e71bcd6031016b060d349d212e23e85c791decdd");

    let run = Run::of(bare().args(["--private-key", KEY, "auth-params"])).ok();
    let v = run.json();
    assert_eq!(v["token"].as_str().unwrap().len(), 36, "a random UUID");
    assert_eq!(v["signature"].as_str().unwrap().len(), 40);

    let run = Run::of(bare().args(["auth-params"])).expect(1);
    assert!(run.stderr.contains("IMAGEKIT_PRIVATE_KEY"), "{}", run.stderr);
}
