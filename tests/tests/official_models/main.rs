//! `imagekit-types` against the official SDKs' own models.
//!
//! `tests/fixtures/official-models/` holds every model of `@imagekit/nodejs`
//! 7.11.0 and `imagekitio` 5.11.0, extracted by `tools/official-models/`, and
//! generated samples of each: every property set, fractional numbers, `12.0`,
//! required properties only, nulls, each literal and each union member. These
//! tests read only that fixture:
//!
//! 1. every sample decodes into the Rust type mapped to its model, and writing it
//!    back gives the same JSON (numbers compared by value);
//! 2. every official property is a typed field of the mapped type (it does not
//!    land in the type's `extra` map of unknown keys), or a listed exception;
//! 3. the fixture is whole: the model and sample counts, and every model that has
//!    samples has a mapping (or is listed as unmapped, with the reason);
//! 4. a value of an official literal union decodes into a known enum variant, not
//!    a `String` or an `Unknown(..)`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::Value;

// ---------------------------------------------------------------------------
// The fixture.

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/official-models")
}

struct Property {
    name: String,
    literals: Vec<String>,
}

struct Model {
    sdk: String,
    name: String,
    /// Object models only.
    properties: Vec<Property>,
    has_side: bool,
}

struct Sample {
    sdk: String,
    model: String,
    case: String,
    fractional: bool,
    json: Value,
}

fn load_models(sdk: &str) -> Vec<Model> {
    let text = std::fs::read_to_string(fixture_dir().join(format!("models-{sdk}.json"))).expect("fixture readable");
    let doc: Value = serde_json::from_str(&text).expect("fixture is JSON");
    assert_eq!(doc["sdk"], sdk);
    doc["models"]
        .as_array()
        .expect("models")
        .iter()
        .map(|m| Model {
            sdk: sdk.to_owned(),
            name: m["name"].as_str().expect("name").to_owned(),
            properties: m["properties"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .map(|p| Property {
                            name: p["name"].as_str().expect("property name").to_owned(),
                            literals: p["literals"]
                                .as_array()
                                .map(|l| l.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
                                .or_else(|| array_item_literals(&p["type"]))
                                .unwrap_or_default(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            // URL helper options are imagekit-url's, not JSON payloads: no samples.
            has_side: m["sides"].as_array().expect("sides").iter().any(|s| s != "helper"),
        })
        .collect()
}

/// Literals of `Array<'a' | 'b'>` properties.
fn array_item_literals(t: &Value) -> Option<Vec<String>> {
    let members = t.get("items")?.get("members")?.as_array()?;
    members.iter().map(|m| (m["kind"] == "literal").then(|| m["value"].as_str().map(str::to_owned)).flatten()).collect()
}

fn load_samples() -> Vec<Sample> {
    let text = std::fs::read_to_string(fixture_dir().join("samples.jsonl")).expect("fixture readable");
    text.lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("sample is JSON");
            Sample {
                sdk: v["sdk"].as_str().expect("sdk").to_owned(),
                model: v["model"].as_str().expect("model").to_owned(),
                case: v["case"].as_str().expect("case").to_owned(),
                fractional: v["fractional"].as_bool().expect("fractional"),
                json: v["json"].clone(),
            }
        })
        .collect()
}

mod mapping;

use mapping::decoder;

/// Models with samples that no Rust type stands for, and why.
const UNMAPPED: &[(&str, &str)] = &[
    ("Files.Versions.VersionDeleteParams", "path parameters only (fileId, versionId): no body or query to decode"),
    ("Files.Versions.VersionGetParams", "path parameters only (fileId, versionId): no body or query to decode"),
    ("Files.Versions.VersionRestoreParams", "path parameters only (fileId, versionId): no body or query to decode"),
];

/// Official properties that are not typed fields of the mapped Rust type, and why.
/// `*` matches any model.
const UNTYPED: &[(&str, &str, &str)] = &[
    ("*FileUploadParams", "file", "the file is the multipart body part, sent beside UploadParams"),
    (
        "*RequestTransformation",
        "protocol",
        "the official model flattens the four post-transformations into one object; `protocol` is typed on `abs` \
         (PostAbs) and kept in `extra` on the others, which do not use it",
    ),
    (
        "*Request.Transformation",
        "protocol",
        "the official model flattens the four post-transformations into one object; `protocol` is typed on `abs` \
         (PostAbs) and kept in `extra` on the others, which do not use it",
    ),
];

// ---------------------------------------------------------------------------
// Comparison.

/// Keys whose Rust type is an integer: a fractional value is read as the nearest
/// integer (`imagekit_types` num module), so a fractional sample comes back
/// rounded there. The API sends integers for all of these (pixels, bytes, counts,
/// kbps, whole seconds).
const INTEGER_KEYS: &[&str] = &[
    "width",
    "height",
    "size",
    "bitRate",
    "duration",
    "density",
    "quality",
    "maxTags",
    "max_selections",
    "min_selections",
    "bandwidthBytes",
    "mediaLibraryStorageBytes",
    "originalCacheStorageBytes",
    "videoProcessingUnitsCount",
    "extensionUnitsCount",
    "limit",
    "skip",
    "expire",
];

/// What a comparison found: differences, and the integer keys that rounded.
#[derive(Default)]
struct Diff {
    errors: Vec<String>,
    rounded: BTreeSet<&'static str>,
}

fn compare(path: &str, key: &str, input: &Value, output: Option<&Value>, fractional: bool, diff: &mut Diff) {
    match (input, output) {
        // `null` is "no value": an Option holds it as None and writes nothing back.
        (Value::Null, None | Some(Value::Null)) => {}
        (_, None) => diff.errors.push(format!("{path}: {input} was dropped")),
        (Value::Object(a), Some(Value::Object(b))) => {
            for (k, v) in a {
                compare(&format!("{path}.{k}"), k, v, b.get(k), fractional, diff);
            }
            for (k, v) in b {
                if !a.contains_key(k) && !v.is_null() {
                    diff.errors.push(format!("{path}.{k}: written back as {v} but absent from the input"));
                }
            }
        }
        (Value::Array(a), Some(Value::Array(b))) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                compare(&format!("{path}[{i}]"), key, x, Some(y), fractional, diff);
            }
        }
        (Value::Number(a), Some(Value::Number(b))) => {
            let (x, y) = (a.as_f64().unwrap_or(f64::NAN), b.as_f64().unwrap_or(f64::NAN));
            let integer_key = INTEGER_KEYS.iter().find(|k| **k == key);
            match integer_key {
                _ if x == y => {}
                Some(k) if fractional && x.fract() != 0.0 && y == x.round() => {
                    diff.rounded.insert(k);
                }
                _ => diff.errors.push(format!("{path}: {a} came back as {b}")),
            }
        }
        (a, Some(b)) if a == b => {}
        (a, Some(b)) => diff.errors.push(format!("{path}: {a} came back as {b}")),
    }
}

// ---------------------------------------------------------------------------
// The tests.

#[test]
fn every_official_sample_decodes_and_writes_back() {
    let mut failures = BTreeMap::<String, Vec<String>>::new();
    let samples = load_samples();
    let mut decoded = 0;
    let mut rounded = BTreeSet::new();
    for s in &samples {
        let Some(decode) = decoder(&s.model) else { continue };
        let text = s.json.to_string();
        let key = format!("{} {} [{}]", s.sdk, s.model, s.case);
        match decode(&text) {
            Err(e) => failures.entry(key).or_default().push(format!("does not decode: {e}")),
            Ok(d) => {
                decoded += 1;
                let mut diff = Diff::default();
                compare("$", "", &s.json, Some(&d.value), s.fractional, &mut diff);
                rounded.extend(diff.rounded);
                if !diff.errors.is_empty() {
                    failures.entry(key).or_default().extend(diff.errors);
                }
            }
        }
    }
    for k in INTEGER_KEYS.iter().filter(|k| !rounded.contains(*k)) {
        failures.entry(format!("INTEGER_KEYS {k}")).or_default().push("never rounded: remove it".into());
    }
    let report: Vec<String> = failures.iter().map(|(k, v)| format!("{k}:\n    {}", v.join("\n    "))).collect();
    assert!(
        failures.is_empty(),
        "{} of {} samples fail ({} decoded):\n{}",
        failures.len(),
        samples.len(),
        decoded,
        report.join("\n")
    );
}

/// `pattern` is a model name, or `*` and a suffix of one.
fn model_matches(pattern: &str, model: &str) -> bool {
    match pattern.strip_prefix('*') {
        Some(suffix) => model.ends_with(suffix),
        None => pattern == model,
    }
}

fn untyped_reason(model: &str, property: &str) -> Option<&'static str> {
    UNTYPED.iter().find_map(|&(m, p, why)| (model_matches(m, model) && p == property).then_some(why))
}

#[test]
fn every_official_property_is_a_typed_field() {
    let samples = load_samples();
    let mut all_samples = BTreeMap::new();
    for s in &samples {
        if s.case == "all" {
            all_samples.insert((s.sdk.clone(), s.model.clone()), s);
        }
    }
    let mut failures = Vec::new();
    let mut used = BTreeSet::new();
    let mut checked = 0;
    for sdk in ["nodejs", "python"] {
        for m in load_models(sdk) {
            if m.properties.is_empty() {
                continue;
            }
            let Some(sample) = all_samples.get(&(m.sdk.clone(), m.name.clone())) else { continue };
            let Some(decode) = decoder(&m.name) else { continue };
            let extra = match decode(&sample.json.to_string()) {
                Ok(d) => d.extra,
                Err(e) => {
                    failures.push(format!("{sdk} {}: cannot check, the `all` sample does not decode: {e}", m.name));
                    continue;
                }
            };
            for p in &m.properties {
                checked += 1;
                if !extra.contains(&p.name) {
                    continue;
                }
                match UNTYPED.iter().position(|&(um, up, _)| up == p.name && model_matches(um, &m.name)) {
                    Some(i) => {
                        used.insert(i);
                    }
                    None => failures.push(format!("{sdk} {}.{}: lands in `extra`, not a typed field", m.name, p.name)),
                }
            }
        }
    }
    assert!(checked > 1500, "only {checked} properties checked");
    for (i, (m, p, _)) in UNTYPED.iter().enumerate() {
        if !used.contains(&i) {
            failures.push(format!("exception for {m}.{p} is not needed any more: remove it"));
        }
    }
    assert!(failures.is_empty(), "{} official properties untyped:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn official_literal_values_decode_into_known_variants() {
    let mut literal_props = BTreeMap::<(String, String), Vec<(String, Vec<String>)>>::new();
    for sdk in ["nodejs", "python"] {
        for m in load_models(sdk) {
            let props: Vec<_> = m
                .properties
                .iter()
                .filter(|p| p.literals.len() >= 2)
                .map(|p| (p.name.clone(), p.literals.clone()))
                .collect();
            if !props.is_empty() {
                literal_props.insert((sdk.to_owned(), m.name.clone()), props);
            }
        }
    }
    let mut failures = BTreeSet::new();
    for s in load_samples() {
        if s.case != "all" && !s.case.starts_with("literal:") {
            continue;
        }
        let Some(props) = literal_props.get(&(s.sdk.clone(), s.model.clone())) else { continue };
        let Some(decode) = decoder(&s.model) else { continue };
        let Ok(d) = decode(&s.json.to_string()) else { continue }; // reported by the decode test
        for (name, _) in props {
            let values: Vec<&str> = match &s.json[name] {
                Value::String(v) => vec![v.as_str()],
                Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            for v in values {
                // A known variant prints as `Name`; a String or `Unknown("..")` keeps the quotes.
                if d.debug.contains(&format!("{v:?}")) && untyped_reason(&s.model, name).is_none() {
                    failures.insert(format!("{} {}.{} = {v:?}: not a known enum variant", s.sdk, s.model, name));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} literal values are kept as strings:\n{}",
        failures.len(),
        failures.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn fixture_covers_every_official_model() {
    let node = load_models("nodejs");
    let python = load_models("python");
    let samples = load_samples();
    // A truncated or regenerated-by-another-version fixture fails here.
    assert_eq!(node.len(), 307, "Node models");
    assert_eq!(python.len(), 374, "Python models");
    let count = |sdk: &str| samples.iter().filter(|s| s.sdk == sdk).count();
    assert_eq!(count("nodejs"), 902, "Node samples");
    assert_eq!(count("python"), 1088, "Python samples");
    assert_eq!(samples.iter().filter(|s| s.fractional).count(), 175, "fractional samples");

    let with_samples: BTreeSet<(&str, &str)> = samples.iter().map(|s| (s.sdk.as_str(), s.model.as_str())).collect();
    let mut failures = Vec::new();
    for m in node.iter().chain(&python) {
        let sampled = with_samples.contains(&(m.sdk.as_str(), m.name.as_str()));
        if m.has_side && !sampled {
            failures.push(format!("{} {}: on a side of the API but has no sample", m.sdk, m.name));
        }
        let unmapped = UNMAPPED.iter().any(|(n, _)| *n == m.name);
        if sampled && decoder(&m.name).is_none() && !unmapped {
            failures.push(format!("{} {}: no Rust type mapped", m.sdk, m.name));
        }
        if unmapped && decoder(&m.name).is_some() {
            failures.push(format!("{} {}: listed as unmapped but has a mapping", m.sdk, m.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
