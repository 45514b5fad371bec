//! Conformance: every case of `url-cases.jsonl` and every `url-vectors.json` vector that
//! agrees with v7 (plus the pHash ones), run through the same dispatch as the `jsonl`
//! example. Expected values come from the fixture files only.
//!
//! `serde` is on for every test build through the crate's self dev-dependency, so plain
//! `cargo test -p imagekit-url` runs these; the counts below make sure none is skipped.

use imagekit_url::cases::respond;
use imagekit_url::{PrivateKey, UrlOptions};
use serde_json::{Value, json};

const CASES: &str = include_str!("fixtures/url-cases.jsonl");
const VECTORS: &str = include_str!("fixtures/url-vectors.json");

/// Lines of `url-cases.jsonl` (shared/conformance, copied to tests/fixtures).
const KNOWN_CASES: usize = 411;
/// Vectors of `url-vectors.json` that agree with v7, plus the pHash ones (of 484).
const KNOWN_VECTORS: usize = 454;
/// Expected values, checks and oracle outputs those vectors carry.
const KNOWN_VECTOR_ASSERTIONS: usize = 919;

fn fail_with(kind: &str, checked: usize, mismatches: &[String]) {
    if !mismatches.is_empty() {
        let shown: Vec<&String> = mismatches.iter().take(10).collect();
        panic!(
            "{kind}: {} of {checked} failed; first mismatches:\n{}",
            mismatches.len(),
            shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n")
        );
    }
}

#[test]
fn url_cases() {
    let mut checked = 0;
    let mut mismatches = Vec::new();
    for line in CASES.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).expect("case line is JSON");
        let got = respond(&case);
        checked += 1;
        assert_eq!(got["id"], case["id"], "response id");
        let ok = if case.get("error").is_some() {
            got.get("error").is_some()
        } else {
            got.get("output") == case.get("output")
        };
        if !ok {
            mismatches.push(format!(
                "{} {}: expected {} got {}",
                case["id"],
                case["fn"],
                case.get("output").or(case.get("error")).unwrap_or(&Value::Null),
                got
            ));
        }
    }
    println!("url-cases.jsonl: {checked} cases checked, {} mismatches", mismatches.len());
    assert!(checked >= KNOWN_CASES, "expected all {KNOWN_CASES} cases to run, ran {checked}");
    fail_with("url-cases.jsonl", checked, &mismatches);
}

/// The two regular expressions the vectors use, checked by hand (no regex dependency).
fn regex_matches(regex: &str, s: &str) -> bool {
    let hex = |c: char| c.is_ascii_hexdigit();
    match regex {
        "/^[a-f0-9]{40}$/" => s.len() == 40 && s.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)),
        "/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i" => {
            let parts: Vec<&str> = s.split('-').collect();
            parts.len() == 5
                && [8, 4, 4, 4, 12].iter().zip(&parts).all(|(n, p)| p.len() == *n && p.chars().all(hex))
                && parts[2].starts_with('4')
                && parts[3].starts_with(['8', '9', 'a', 'b', 'A', 'B'])
        }
        other => panic!("unsupported regex in vectors: {other}"),
    }
}

/// Turns a vector into a case line for the shared dispatch.
fn vector_case(v: &Value, now: &Value, uuid: &Value) -> Value {
    let input = &v["input"];
    let fn_name = v["fn"].as_str().unwrap();
    let args = match fn_name {
        "buildSrc" => {
            let mut options = input.as_object().unwrap().clone();
            let key = options.remove("privateKey").unwrap_or(json!(""));
            options.remove("_extra");
            json!({"options": options, "privateKey": key, "now": now})
        }
        "getAuthenticationParameters" => {
            let mut a = input.clone();
            a["now"] = now.clone();
            a["uuid"] = uuid.clone();
            a
        }
        _ => input.clone(),
    };
    json!({"id": v["id"], "fn": fn_name, "args": args})
}

#[test]
fn url_vectors() {
    let doc: Value = serde_json::from_str(VECTORS).expect("vectors JSON");
    let now = &doc["oracle_now"];
    let uuid = &doc["oracle_uuid"];
    let mut checked = 0;
    let mut assertions = 0;
    let mut mismatches = Vec::new();
    for v in doc["vectors"].as_array().unwrap() {
        let phash = v["fn"] == "pHashDistance";
        if v["agrees_with_v7"] != json!(true) && !phash {
            continue;
        }
        checked += 1;
        let got = respond(&vector_case(v, now, uuid));
        let output = got.get("output");
        let mut fail = |what: String| mismatches.push(format!("{}: {what}; got {got}", v["id"]));
        if !v["expected"].is_null() {
            assertions += 1;
            if output != Some(&v["expected"]) {
                fail(format!("expected {}", v["expected"]));
            }
        }
        for check in v.get("checks").and_then(Value::as_array).into_iter().flatten() {
            assertions += 1;
            let value = &check["value"];
            let ok = match check["type"].as_str().unwrap() {
                "contains" => output.and_then(Value::as_str).is_some_and(|s| s.contains(value.as_str().unwrap())),
                "not_contains" => output.and_then(Value::as_str).is_some_and(|s| !s.contains(value.as_str().unwrap())),
                "field_equals" => output.and_then(|o| o.get(check["field"].as_str().unwrap())) == Some(value),
                "field_matches" => output
                    .and_then(|o| o.get(check["field"].as_str().unwrap()))
                    .and_then(Value::as_str)
                    .is_some_and(|s| regex_matches(check["regex"].as_str().unwrap(), s)),
                "error" => got.get("error").is_some(),
                other => panic!("unknown check type {other}"),
            };
            if !ok {
                fail(format!("check {check}"));
            }
        }
        // The oracle ran with the same clock and uuid, so its full output must match too.
        if let Some(oracle) = v.get("oracle_output") {
            assertions += 1;
            let ok = match oracle.get("error") {
                Some(_) if oracle.is_object() => got.get("error").is_some(),
                _ => output == Some(oracle),
            };
            if !ok {
                fail(format!("oracle output {oracle}"));
            }
        }
    }
    println!("url-vectors.json: {checked} vectors checked ({assertions} assertions), {} mismatches", mismatches.len());
    assert!(checked >= KNOWN_VECTORS, "expected all {KNOWN_VECTORS} vectors to run, ran {checked}");
    assert!(
        assertions >= KNOWN_VECTOR_ASSERTIONS,
        "expected {KNOWN_VECTOR_ASSERTIONS} assertions over the vectors, made {assertions}"
    );
    fail_with("url-vectors.json", checked, &mismatches);
}

/// The `buildSrc` and `buildTransformationString` cases as options, with their expected output.
fn url_options_cases() -> Vec<(String, UrlOptions<'static>, Option<PrivateKey>, String)> {
    let mut out = Vec::new();
    for line in CASES.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).unwrap();
        let Some(expected) = case.get("output").and_then(Value::as_str) else { continue };
        let args = &case["args"];
        let (options, key) = match case["fn"].as_str().unwrap() {
            "buildSrc" => (args["options"].clone(), args.get("privateKey").and_then(Value::as_str)),
            // A relative src with no endpoint: only the transformation matters.
            "buildTransformationString" => (json!({"transformation": args.get("transformation")}), None),
            _ => continue,
        };
        let Ok(opts) = serde_json::from_value::<UrlOptions>(options) else { continue };
        let now = args.get("now").and_then(Value::as_f64).unwrap_or(0.0) as u64;
        let key = key.and_then(|k| PrivateKey::new(k).ok());
        out.push((case["id"].as_str().unwrap_or("").to_string(), opts.now(now), key, expected.to_string()));
    }
    out
}

/// Strict mode over the recorded official outputs: whatever it accepts is built exactly as
/// the official helper built it (and as the default mode builds it).
#[test]
fn strict_mode_accepts_only_what_it_builds_identically() {
    let mut accepted = 0;
    let mut refused = Vec::new();
    for (id, opts, key, expected) in url_options_cases() {
        let opts = match &key {
            Some(k) => opts.private_key(k),
            None => opts,
        };
        let transformation_only = opts.src().is_empty();
        let check = if transformation_only {
            imagekit_url::validate_transformations(opts.transformation_steps())
        } else {
            opts.validate()
        };
        match check {
            Ok(()) => {
                accepted += 1;
                let got = if transformation_only {
                    imagekit_url::build_transformation_string(opts.transformation_steps()).unwrap()
                } else if expected.is_empty() {
                    continue; // the helper's "" for an invalid endpoint or src: an error here
                } else {
                    opts.clone().strict().build().unwrap()
                };
                assert_eq!(got, expected, "{id}: strict mode accepted it but builds another URL");
            }
            Err(e) => refused.push(format!("{id}: {e}")),
        }
    }
    println!("strict mode: {accepted} cases accepted, {} refused:\n{}", refused.len(), refused.join("\n"));
    // Most recorded cases are well-formed: a check that refused them all would prove nothing.
    assert!(accepted >= 150, "strict mode accepted only {accepted} cases");
}
