//! Typed API behaviour: errors instead of empty strings, redaction, spec edge cases.

use imagekit_url::{
    Overlay, PHashError, PrivateKey, Transformation, TransformationPosition, UrlError, UrlOptions,
    build_transformation_string, build_url, phash_distance,
};

const EP: &str = "https://ik.imagekit.io/demo";

fn url(src: &str) -> UrlOptions<'_> {
    UrlOptions::new(src).url_endpoint(EP)
}

#[test]
fn bad_input_gives_typed_errors() {
    assert_eq!(build_url(&url("")), Err(UrlError::EmptySrc));
    assert_eq!(build_url(&UrlOptions::new("/a.jpg").url_endpoint("not a url")), Err(UrlError::InvalidEndpoint));
    assert_eq!(build_url(&url("https://")), Err(UrlError::InvalidSrc));
    let t = Transformation::new().overlay(Overlay::image(""));
    assert_eq!(build_transformation_string(&[t]), Err(UrlError::EmptyOverlayInput));
    assert_eq!(build_url(&url("/a.jpg").set_signed(true)), Err(UrlError::MissingPrivateKey));
    assert_eq!(phash_distance("0xab", "abcd"), Err(PHashError::InvalidHex));
    assert_eq!(
        build_url(&UrlOptions::new("/a.jpg").url_endpoint("https://bücher.example/")),
        Err(UrlError::UnsupportedHost)
    );
    let e: &dyn core::error::Error = &UrlError::EmptySrc;
    assert_eq!(e.to_string(), "src is empty");
}

#[test]
fn empty_transformations_are_not_errors() {
    assert_eq!(build_transformation_string(&[]).unwrap(), "");
    assert_eq!(build_transformation_string(&[Transformation::new(), Transformation::new()]).unwrap(), "");
    assert_eq!(
        build_url(&url("/a.jpg").transformation(Transformation::new())).unwrap(),
        "https://ik.imagekit.io/demo/a.jpg"
    );
}

#[test]
fn private_key_is_redacted() {
    let key = PrivateKey::new("super-secret").unwrap();
    let opts = url("/a.jpg").signed(&key);
    let dbg = format!("{key:?} {opts:?}");
    assert!(!dbg.contains("super-secret"), "{dbg}");
}

#[test]
fn path_rules() {
    let b = |src| build_url(&url(src)).unwrap();
    assert_eq!(b("/"), "https://ik.imagekit.io/demo/");
    assert_eq!(b("/path/with?query=1&b=two"), "https://ik.imagekit.io/demo/path/with%3Fquery=1&b=two");
    assert_eq!(b("///multi//slashes///file.jpg"), "https://ik.imagekit.io/demo/multi/slashes/file.jpg");
    assert_eq!(b("/a/../b.jpg"), "https://ik.imagekit.io/demo/b.jpg");
    assert_eq!(b("a\\b.jpg"), "https://ik.imagekit.io/demo/a/b.jpg");
    let abs = build_url(&url("https://ik.imagekit.io/demo/a.jpg#frag").transformation(Transformation::new().width(5)))
        .unwrap();
    assert_eq!(abs, "https://ik.imagekit.io/demo/a.jpg#frag?tr=w-5");
}

#[test]
fn transformation_is_raw_and_ordered() {
    let t = Transformation::new().ai_edit("prompt-make it vintage").width(1.5).height(5.0);
    let opts = url("/a.jpg").transformation(t).position(TransformationPosition::Path);
    assert_eq!(
        build_url(&opts).unwrap(),
        "https://ik.imagekit.io/demo/tr:e-edit-prompt-make it vintage,w-1.5,h-5/a.jpg"
    );
}

#[test]
fn dollar_patterns_follow_string_replace() {
    // The official helper inserts the transformation with String.prototype.replace.
    let t = Transformation::new().raw("a$$b");
    assert_eq!(build_url(&url("/x.jpg").transformation(t)).unwrap(), "https://ik.imagekit.io/demo/x.jpg?tr=a$b");
}

#[test]
fn invalid_values_are_named() {
    // The helper's `(value || '').replace(..)` throws for a truthy non-string `di`/`ff`.
    let t = || Transformation::new().param("defaultImage", 5);
    assert_eq!(build_transformation_string(&[t()]), Err(UrlError::InvalidValue { key: "di".into() }));
    // Strict mode names the value too.
    let err = url("/a.jpg").transformation(t()).strict().build().unwrap_err();
    assert_eq!(err.to_string(), "transformation 0: defaultImage: 5 is not a path string");
    // The error stays small: every `Result` on the building path carries it.
    assert!(core::mem::size_of::<UrlError>() <= core::mem::size_of::<String>());
}
