//! Property tests of strict mode against an independent model of the official helper's
//! transformation syntax (spec §2.2, written out here, not taken from the crate):
//!
//! * whatever strict mode accepts, the default output parses back into exactly the steps and
//!   `key-value` components asked for, and strict mode builds that same URL;
//! * well-formed options are always accepted;
//! * one malformed value among well-formed ones is always refused, and the error names it.

use base64::Engine as _;
use imagekit_url::{
    Overlay, StrictErrorKind, Transformation, TransformationPosition, UrlError, UrlOptions, Value,
    build_transformation_string, validate_transformations,
};
use proptest::prelude::*;

const EP: &str = "https://ik.imagekit.io/demo";

/// How the helper writes an option (spec §2.2 special value rules).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Rule {
    Plain,
    /// `orig`, `pr`, …: plain, but booleans are what the option takes.
    Boolean,
    Flag,
    Optional,
    Path,
    Sr,
    Trim,
    Unknown,
}

/// Option names (as given to `param`) with their URL key, from the spec's key table.
const KEYS: &[(&str, &str, Rule)] = &[
    ("width", "w", Rule::Plain),
    ("height", "h", Rule::Plain),
    ("quality", "q", Rule::Plain),
    ("crop", "c", Rule::Plain),
    ("rotation", "rt", Rule::Plain),
    ("background", "bg", Rule::Plain),
    ("aiEdit", "e-edit", Rule::Plain),
    ("Width", "w", Rule::Plain),
    ("w", "w", Rule::Plain),
    ("original", "orig", Rule::Boolean),
    ("progressive", "pr", Rule::Boolean),
    ("defaultImage", "di", Rule::Path),
    ("fontFamily", "ff", Rule::Path),
    ("trim", "t", Rule::Trim),
    ("grayscale", "e-grayscale", Rule::Flag),
    ("contrastStretch", "e-contrast", Rule::Flag),
    ("sharpen", "e-sharpen", Rule::Optional),
    ("shadow", "e-shadow", Rule::Optional),
    ("e-sharpen", "e-sharpen", Rule::Optional),
    ("streamingResolutions", "sr", Rule::Sr),
    ("widht", "widht", Rule::Unknown),
    ("fooBar", "fooBar", Rule::Unknown),
];

/// `String(v)` for the values generated here (floats are quarters below 1e6, where Rust's
/// `Display` and JavaScript's `Number#toString` agree; only `-0` differs).
fn js(v: &Value<'_>) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) if *f == 0.0 => "0".into(),
        Value::Float(f) if f.is_nan() => "NaN".into(),
        Value::Float(f) if f.is_infinite() => if *f > 0.0 { "Infinity" } else { "-Infinity" }.into(),
        Value::Float(f) => format!("{f}"),
        Value::Bool(b) => b.to_string(),
        Value::List(items) => {
            items.iter().map(|i| if *i == Value::Null { String::new() } else { js(i) }).collect::<Vec<_>>().join(",")
        }
        Value::Null => "null".into(),
        // `Value` is non-exhaustive; the generators here make only the kinds above.
        other => panic!("no JavaScript model for {other:?}"),
    }
}

fn is_blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// The component the helper writes for `url_key: v`, or `None` when it writes nothing.
fn component(url: &str, rule: Rule, v: &Value<'_>) -> Option<String> {
    let is = |s: &str| matches!(v, Value::Str(x) if x == s);
    match (rule, v) {
        (_, Value::Null) => None,
        (Rule::Flag, _) => (matches!(v, Value::Bool(true)) || is("true") || is("-")).then(|| url.to_string()),
        (Rule::Optional, Value::Bool(true)) => Some(url.to_string()),
        (Rule::Optional, Value::Str(s)) if s == "true" || is_blank(s) => Some(url.to_string()),
        (Rule::Path, Value::Str(s)) => {
            let s = s.strip_prefix('/').unwrap_or(s);
            let s = s.strip_suffix('/').unwrap_or(s);
            Some(format!("{url}-{}", s.replace('/', "@@")))
        }
        (Rule::Sr, Value::List(items)) => Some(format!(
            "{url}-{}",
            items.iter().map(|i| if *i == Value::Null { String::new() } else { js(i) }).collect::<Vec<_>>().join("_")
        )),
        (Rule::Trim, Value::Bool(true)) => Some("t-true".into()),
        (Rule::Trim, Value::Str(s)) if is_blank(s) => Some("t-true".into()),
        _ => Some(format!("{url}-{}", js(v))),
    }
}

type Param = (usize, Value<'static>);

fn step_of(params: &[Param]) -> Transformation<'static> {
    params.iter().fold(Transformation::new(), |t, (k, v)| t.param(KEYS[*k].0, v.clone()))
}

/// Anything: well-formed values, and every kind of malformed one.
fn any_value() -> impl Strategy<Value = Value<'static>> {
    prop_oneof![
        "[ -~]{0,8}".prop_map(Value::from),
        "[a-z0-9_.]{1,6}".prop_map(Value::from),
        prop::sample::select(&["", " ", "true", "-", "-5", "0", "a/b", "/a/b/", "a//b", "yes"][..])
            .prop_map(Value::from),
        (-5i64..500).prop_map(Value::Int),
        (-4000i32..40000).prop_map(|q| Value::Float(f64::from(q) / 4.0)),
        prop::sample::select(&[f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.0][..]).prop_map(Value::Float),
        any::<bool>().prop_map(Value::Bool),
        Just(Value::Null),
        prop::collection::vec(
            prop_oneof![(0i64..2000).prop_map(Value::Int), "[a-z0-9,]{0,4}".prop_map(Value::from), Just(Value::Null)],
            0..3
        )
        .prop_map(Value::List),
    ]
}

/// Parameters, two thirds of them well-formed, so that whole steps get accepted often.
fn any_step() -> impl Strategy<Value = Vec<Param>> {
    let param = (0..KEYS.len())
        .prop_flat_map(|k| prop_oneof![2 => good_value(KEYS[k].2), 1 => any_value()].prop_map(move |v| (k, v)));
    prop::collection::vec(param, 0..5)
}

/// Layer positions and timing: mostly well-formed, or anything.
fn any_slot() -> impl Strategy<Value = Value<'static>> {
    prop_oneof![
        3 => prop_oneof![(1i64..2000).prop_map(Value::Int), Just(Value::from("0")), "[a-z_][a-z0-9_.]{0,5}".prop_map(Value::from)],
        2 => any_value(),
    ]
}

/// A value each rule takes as is.
fn good_value(rule: Rule) -> BoxedStrategy<Value<'static>> {
    let word = "[a-z0-9_][a-z0-9_.]{0,7}";
    match rule {
        Rule::Plain | Rule::Unknown => prop_oneof![
            (0i64..10_000).prop_map(Value::Int),
            (0i32..40_000).prop_map(|q| Value::Float(f64::from(q) / 4.0)),
            word.prop_map(Value::from),
        ]
        .boxed(),
        Rule::Boolean => any::<bool>().prop_map(Value::Bool).boxed(),
        Rule::Flag => prop_oneof![Just(Value::Bool(true)), Just(Value::from("true")), Just(Value::from("-"))].boxed(),
        Rule::Optional => {
            prop_oneof![Just(Value::Bool(true)), (0i64..100).prop_map(Value::Int), word.prop_map(Value::from)].boxed()
        }
        Rule::Path => "/?[a-z0-9_.]{1,6}(/[a-z0-9_.]{1,6}){0,2}/?".prop_map(Value::from).boxed(),
        Rule::Sr => prop::collection::vec((144i64..2160).prop_map(Value::Int), 1..4).prop_map(Value::List).boxed(),
        Rule::Trim => prop_oneof![Just(Value::Bool(true)), (1i64..99).prop_map(Value::Int)].boxed(),
    }
}

/// A value the helper would drop or mangle for this rule.
fn bad_value(rule: Rule) -> BoxedStrategy<Value<'static>> {
    let reserved =
        ("[a-z]{0,3}", prop::sample::select(&[',', ':', '/', '?', '#', '&', '%', '+', '\\', '\n'][..]), "[a-z]{0,3}")
            .prop_map(|(a, c, b)| Value::from(format!("{a}{c}{b}")));
    let numbers = prop_oneof![
        Just(Value::Float(f64::NAN)),
        Just(Value::Float(f64::INFINITY)),
        (1i64..1000).prop_map(|n| Value::Int(-n)),
        (1i32..4000).prop_map(|q| Value::Float(-f64::from(q) / 4.0)),
    ];
    let blank = prop::sample::select(&["", " ", "\t"][..]).prop_map(Value::from);
    match rule {
        Rule::Plain => prop_oneof![
            numbers,
            reserved,
            blank,
            "-[a-z0-9]{1,4}".prop_map(Value::from),
            any::<bool>().prop_map(Value::Bool),
            Just(Value::List(vec![Value::Int(1), Value::Int(2)])),
        ]
        .boxed(),
        Rule::Boolean => prop_oneof![(0i64..10).prop_map(Value::Int), reserved, blank].boxed(),
        Rule::Flag => {
            prop_oneof![(1i64..10).prop_map(Value::Int), Just(Value::from("yes")), Just(Value::from("false"))].boxed()
        }
        Rule::Optional => prop_oneof![Just(Value::Bool(false)), numbers, reserved, blank].boxed(),
        Rule::Path => prop_oneof![
            Just(Value::from("")),
            Just(Value::from("/")),
            Just(Value::from("a//b.jpg")),
            Just(Value::from("//a.jpg")),
            Just(Value::Int(0)),
            "[a-z]{1,3}[,:?#&%+]{1}[a-z]{1,3}".prop_map(Value::from),
        ]
        .boxed(),
        Rule::Sr => prop_oneof![
            Just(Value::List(vec![])),
            Just(Value::List(vec![Value::Int(240), Value::Null])),
            Just(Value::List(vec![Value::Bool(true)])),
            Just(Value::List(vec![Value::from("240,360")])),
            Just(Value::List(vec![Value::Int(-240)])),
        ]
        .boxed(),
        Rule::Trim => prop_oneof![Just(Value::Bool(false)), numbers, reserved, blank].boxed(),
        Rule::Unknown => (0i64..100).prop_map(Value::Int).boxed(),
    }
}

/// Steps of well-formed parameters; each step starts with a width, so none is empty.
fn good_steps() -> impl Strategy<Value = Vec<Vec<Param>>> {
    let known: Vec<usize> = (0..KEYS.len()).filter(|&k| KEYS[k].2 != Rule::Unknown).collect();
    let param = prop::sample::select(known).prop_flat_map(|k| good_value(KEYS[k].2).prop_map(move |v| (k, v)));
    let step = ((1i64..5000).prop_map(|w| (0usize, Value::Int(w))), prop::collection::vec(param, 0..5))
        .prop_map(|(first, rest)| std::iter::once(first).chain(rest).collect::<Vec<Param>>());
    prop::collection::vec(step, 1..4)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn accepted_steps_parse_back_to_what_was_asked(
        steps in prop::collection::vec(any_step(), 0..4),
        path in any::<bool>(),
    ) {
        let built: Vec<Transformation> = steps.iter().map(|p| step_of(p)).collect();
        if validate_transformations(&built).is_ok() {
            let expected: Vec<Vec<String>> = steps
                .iter()
                .map(|p| p.iter().filter_map(|(k, v)| component(KEYS[*k].1, KEYS[*k].2, v)).collect())
                .collect();
            prop_assert!(expected.iter().all(|s| !s.is_empty()), "an accepted step writes nothing: {:?}", steps);
            let tr = build_transformation_string(&built).unwrap();
            // Parse the output back: `:` between steps, `,` between components.
            let parsed: Vec<Vec<String>> = if tr.is_empty() {
                Vec::new()
            } else {
                tr.split(':').map(|s| s.split(',').map(String::from).collect()).collect()
            };
            prop_assert_eq!(&parsed, &expected);

            let opts = UrlOptions::new("/a.jpg")
                .url_endpoint(EP)
                .transformations(built)
                .position(if path { TransformationPosition::Path } else { TransformationPosition::Query });
            let default = opts.build().unwrap();
            prop_assert_eq!(opts.strict().build().unwrap(), default.clone());
            if !tr.is_empty() {
                let expected_url = if path { format!("{EP}/tr:{tr}/a.jpg") } else { format!("{EP}/a.jpg?tr={tr}") };
                prop_assert_eq!(default, expected_url);
            }
        }
    }

    #[test]
    fn accepted_layers_write_every_field(
        input in prop_oneof!["[a-z0-9_.]{1,6}(/[a-z0-9_.]{1,6}){0,2}", "[ -~]{0,8}"],
        x in any_slot(),
        y in any_slot(),
        start in any_slot(),
    ) {
        let overlay = Overlay::image(input.clone()).x(x.clone()).y(y.clone()).start(start.clone());
        let steps = [Transformation::new().overlay(overlay)];
        if validate_transformations(&steps).is_ok() {
            let path = input.strip_prefix('/').unwrap_or(&input);
            let path = path.strip_suffix('/').unwrap_or(path);
            // Auto encoding (spec §2.3): plain for `^[a-zA-Z0-9-._/ ]*$`, else base64.
            let simple = path.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._/ ".contains(&b));
            let written = if simple {
                format!("i-{}", path.replace('/', "@@"))
            } else {
                let b64 = base64::engine::general_purpose::STANDARD.encode(path);
                format!("ie-{}", b64.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D"))
            };
            let mut expected = vec!["l-image".to_string(), written];
            for (key, v) in [("lx", &x), ("ly", &y), ("lso", &start)] {
                if *v != Value::Null {
                    expected.push(format!("{key}-{}", js(v)));
                }
            }
            expected.push("l-end".into());
            prop_assert_eq!(build_transformation_string(&steps).unwrap(), expected.join(","));
        }
    }

    #[test]
    fn accepted_urls_carry_the_transformation_intact(
        steps in good_steps(),
        src in prop_oneof![
            "/?[a-z0-9_./-]{1,12}",
            "https://cdn\\.example\\.com/[a-z0-9/.]{1,8}(\\?[a-z=&]{0,8})?(#[a-z]{0,4})?",
            "[ -~]{1,12}",
            prop::sample::select(&["/PLEASEREPLACEJUSTBEFORESIGN.jpg", "../a.jpg", "a/../../b.jpg", "https://cdn.example.com/a.jpg?tr=w-1"][..]).prop_map(String::from),
        ],
        endpoint in prop::sample::select(&[
            EP,
            "https://ik.imagekit.io/demo/",
            "https://ik.imagekit.io/demo#x",
            "https://ik.imagekit.io/demo?tr=w-5",
            "https://ik.imagekit.io/demo?ik-s=1",
            "https://ik.imagekit.io/PLEASEREPLACEJUSTBEFORESIGN",
        ][..]),
        query in prop::collection::vec(
            (
                prop_oneof!["[a-z]{1,3}", prop::sample::select(&["tr", "ik-s", "ik-t", "PLEASEREPLACEJUSTBEFORESIGN"][..]).prop_map(String::from)],
                prop_oneof!["[ -~]{0,6}", Just("PLEASEREPLACEJUSTBEFORESIGN".to_string())],
            ),
            0..3,
        ),
        path in any::<bool>(),
        signed in any::<bool>(),
        expires in prop::sample::select(&[0u64, 300][..]),
    ) {
        let key = imagekit_url::PrivateKey::new("private_key_test").unwrap();
        let built: Vec<Transformation> = steps.iter().map(|p| step_of(p)).collect();
        let tr = build_transformation_string(&built).unwrap();
        let mut opts = UrlOptions::new(src.as_str())
            .url_endpoint(endpoint)
            .transformations(built)
            .position(if path { TransformationPosition::Path } else { TransformationPosition::Query })
            .private_key(&key)
            .set_signed(signed)
            .expires_in(expires, 1_700_000_000);
        for (k, v) in &query {
            opts = opts.query_parameter(k.as_str(), v.as_str());
        }
        if opts.validate().is_ok() {
            let Ok(url) = opts.clone().build() else { return Ok(()) }; // e.g. an unparsable src
            prop_assert_eq!(opts.strict().build().unwrap(), url.clone());
            // Everything the helper adds is before any fragment, once, and the transformation
            // is exactly the one asked for.
            let main = url.split('#').next().unwrap();
            let params: Vec<&str> = main.split_once('?').map_or(Vec::new(), |(_, q)| q.split('&').collect());
            let count = |prefix: &str| params.iter().filter(|p| p.starts_with(prefix)).count();
            let absolute = src.starts_with("http://") || src.starts_with("https://");
            if path && !absolute {
                let segment = format!("/tr:{tr}/");
                prop_assert!(main.contains(&segment), "{} lacks {}", url, segment);
                prop_assert_eq!(count("tr="), 0, "{}", url);
            } else {
                let param = format!("tr={tr}");
                prop_assert_eq!(params.iter().filter(|p| **p == param).count(), 1, "{} lacks {}", url, param);
                prop_assert_eq!(count("tr="), 1, "{}", url);
            }
            if signed || expires > 0 {
                prop_assert_eq!(count("ik-s="), 1, "{}", url);
                prop_assert_eq!(count("ik-t="), usize::from(expires > 0), "{}", url);
            }
        }
    }

    #[test]
    fn well_formed_options_are_accepted(steps in good_steps(), x in prop_oneof![(1i64..2000).prop_map(Value::Int), Just(Value::from("0")), "[a-z_]{1,6}".prop_map(Value::from)]) {
        let mut built: Vec<Transformation> = steps.iter().map(|p| step_of(p)).collect();
        built.push(Transformation::new().overlay(Overlay::text("Hi there").x(x)));
        let opts = UrlOptions::new("/a.jpg").url_endpoint(EP).transformations(built);
        prop_assert_eq!(opts.validate(), Ok(()));
        prop_assert_eq!(opts.clone().strict().build().unwrap(), opts.build().unwrap());
    }

    #[test]
    fn one_malformed_value_is_refused_and_named(
        steps in good_steps(),
        at in any::<prop::sample::Index>(),
        key in 0..KEYS.len(),
        bad in any::<prop::sample::Index>(),
    ) {
        let step = at.index(steps.len());
        let rule = KEYS[key].2;
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let values: Vec<Value<'static>> =
            (0..8).map(|_| bad_value(rule).new_tree(&mut runner).unwrap().current()).collect();
        let value = values[bad.index(values.len())].clone();
        let mut steps = steps;
        let pos = at.index(steps[step].len() + 1);
        steps[step].insert(pos, (key, value.clone()));

        let built: Vec<Transformation> = steps.iter().map(|p| step_of(p)).collect();
        let opts = UrlOptions::new("/a.jpg").url_endpoint(EP).transformations(built).strict();
        let err = match opts.build() {
            Err(UrlError::Strict(e)) => e,
            other => return Err(TestCaseError::fail(format!("{}: {value:?} let through: {other:?}", KEYS[key].0))),
        };
        prop_assert_eq!(err.at(), format!("transformation {step}"));
        // The option as named, or (for a list) the offending item; its value as the helper prints it.
        // `Width` reaches the table through the helper's lower-case fallback: it is `width`.
        let name = if KEYS[key].0 == "Width" { "width" } else { KEYS[key].0 };
        prop_assert!(err.field() == name || err.field().starts_with(&format!("{name}[")), "{}", err);
        if err.field() == name {
            prop_assert_eq!(err.value(), js(&value));
        }
        if rule == Rule::Unknown {
            let is_unknown = matches!(err.kind(), StrictErrorKind::UnknownParameter { .. });
            prop_assert!(is_unknown, "{}", err);
        }
    }
}
