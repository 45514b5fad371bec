//! Property tests: no panics on arbitrary input, signatures that verify against an
//! independent HMAC-SHA1 computation, and the same transformation in path and query position.

use hmac::{Hmac, KeyInit, Mac};
use imagekit_url::{
    Overlay, OverlayEncoding, PrivateKey, Transformation, TransformationPosition, UrlOptions, Value,
    build_transformation_string, build_url,
};
use proptest::prelude::*;
use sha1::Sha1;

const KEYS: &[&str] = &[
    "width",
    "height",
    "aspectRatio",
    "quality",
    "raw",
    "defaultImage",
    "fontFamily",
    "trim",
    "grayscale",
    "sharpen",
    "streamingResolutions",
    "e-sharpen",
    "Width",
    "fooBar",
    "",
    "x",
    "rt",
];

fn value() -> impl Strategy<Value = Value<'static>> {
    prop_oneof![
        any::<String>().prop_map(Value::from),
        "[ -~]{0,12}".prop_map(Value::from),
        any::<i64>().prop_map(Value::Int),
        any::<f64>().prop_map(Value::Float),
        any::<bool>().prop_map(Value::Bool),
        Just(Value::Null),
        prop::collection::vec("[0-9]{1,4}".prop_map(Value::from), 0..3).prop_map(Value::List),
    ]
}

fn overlay() -> impl Strategy<Value = Overlay<'static>> {
    (0..5u8, any::<String>(), prop::option::of(value()), 0..3u8).prop_map(|(kind, s, x, enc)| {
        let o = match kind {
            0 => Overlay::text(s),
            1 => Overlay::image(s),
            2 => Overlay::video(s),
            3 => Overlay::subtitle(s),
            _ => Overlay::solid_color(s),
        };
        let o = o.encoding([OverlayEncoding::Auto, OverlayEncoding::Plain, OverlayEncoding::Base64][enc as usize]);
        match x {
            Some(x) => o.x(x).transformation(Transformation::new().width(10)),
            None => o,
        }
    })
}

fn step() -> impl Strategy<Value = Transformation<'static>> {
    let param = (prop::sample::select(KEYS), value(), any::<String>());
    (prop::collection::vec(param, 0..5), prop::option::of(overlay())).prop_map(|(params, ov)| {
        let mut t = Transformation::new();
        for (k, v, free) in params {
            t = if k.is_empty() { t.param(free, v) } else { t.param(k, v) };
        }
        match ov {
            Some(o) => t.overlay(o),
            None => t,
        }
    })
}

fn endpoint() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("https://ik.imagekit.io/demo".to_string()),
        Just("https://ik.imagekit.io/demo/".to_string()),
        "https?://[a-z0-9.]{1,10}(:[0-9]{1,5})?(/[ -~]{0,10}){0,3}",
        any::<String>(),
    ]
}

fn src() -> impl Strategy<Value = String> {
    prop_oneof!["/?[ -~]{0,20}", any::<String>(), "https?://[ -~]{0,20}", "https?://[a-z.]{1,8}/[ -~]{0,12}",]
}

fn hmac_hex(key: &str, msg: &str) -> String {
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(msg.as_bytes());
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn building_never_panics(
        src in src(),
        endpoint in endpoint(),
        steps in prop::collection::vec(step(), 0..4),
        path in any::<bool>(),
        query in prop::collection::vec((any::<String>(), value()), 0..3),
        signed in any::<bool>(),
        expires in 0u64..100_000,
    ) {
        let key = PrivateKey::new("private_key_test").unwrap();
        let _ = build_transformation_string(&steps);
        let mut opts = UrlOptions::new(src.as_str())
            .url_endpoint(endpoint.as_str())
            .transformations(steps)
            .position(if path { TransformationPosition::Path } else { TransformationPosition::Query })
            .private_key(&key)
            .set_signed(signed)
            .expires_in(expires, 1_700_000_000);
        for (k, v) in query {
            opts = opts.query_parameter(k, v);
        }
        let default = build_url(&opts);
        // Strict mode never panics either, and never changes what it lets through.
        if opts.validate().is_ok() {
            prop_assert_eq!(build_url(&opts.strict()), default);
        }
    }

    #[test]
    fn signature_verifies_independently(
        src in "/?[a-zA-Z0-9 ./_é-]{1,24}",
        width in 1u32..5000,
        raw in "[a-z0-9_-]{0,8}",
        path in any::<bool>(),
        expires in 0u64..100_000,
        now in 1_600_000_000u64..1_900_000_000,
        key in "[ -~]{1,20}",
        endpoint in prop::sample::select(&["https://ik.imagekit.io/demo", "https://ik.imagekit.io/demo/", "https://h.example.com/a b"][..]),
    ) {
        let pk = PrivateKey::new(&key).unwrap();
        let opts = UrlOptions::new(src.as_str())
            .url_endpoint(endpoint)
            .transformation(Transformation::new().width(width).raw(raw.as_str()))
            .position(if path { TransformationPosition::Path } else { TransformationPosition::Query })
            .signed(&pk)
            .expires_in(expires, now);
        let url = build_url(&opts).unwrap();
        let (rest, sig) = url.rsplit_once("ik-s=").unwrap();
        prop_assert_eq!(sig.len(), 40);
        let (unsigned, expiry) = if expires > 0 {
            let (u, t) = rest.strip_suffix('&').unwrap().rsplit_once("ik-t=").unwrap();
            prop_assert_eq!(t.parse::<u64>().unwrap(), now + expires);
            (&u[..u.len() - 1], t.to_string())
        } else {
            (&rest[..rest.len() - 1], "9999999999".to_string())
        };
        let prefix = if endpoint.ends_with('/') { endpoint.to_string() } else { format!("{endpoint}/") };
        let to_sign = format!("{}{expiry}", unsigned.replacen(&prefix, "", 1));
        prop_assert_eq!(sig, hmac_hex(&key, &to_sign));
    }

    #[test]
    fn path_and_query_carry_the_same_transformation(
        src in "[a-z0-9_-]{1,10}(/[a-z0-9_-]{1,10}){0,2}\\.jpg",
        values in prop::collection::vec((prop::sample::select(&["width", "height", "quality", "crop", "rotation", "named", "fooBar"][..]), "[a-zA-Z0-9_.]{0,6}"), 1..5),
        steps in 1usize..3,
    ) {
        let mut opts_q = UrlOptions::new(src.as_str()).url_endpoint("https://ik.imagekit.io/demo");
        for _ in 0..steps {
            let mut t = Transformation::new();
            for (k, v) in &values {
                t = t.param(*k, v.as_str());
            }
            opts_q = opts_q.transformation(t);
        }
        let opts_p = opts_q.clone().position(TransformationPosition::Path);
        let q = build_url(&opts_q).unwrap();
        let p = build_url(&opts_p).unwrap();
        let tr_q = q.split_once("?tr=").unwrap().1.to_string();
        let tr_p = p
            .strip_prefix("https://ik.imagekit.io/demo/tr:")
            .unwrap()
            .strip_suffix(&format!("/{src}"))
            .unwrap()
            .to_string();
        prop_assert_eq!(&tr_q, &tr_p);
        prop_assert_eq!(tr_q, build_transformation_string(opts_q.transformation_steps()).unwrap());
    }
}
