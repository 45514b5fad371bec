//! Strict mode: what it refuses (each case a quirk of the official helper from the spec, with
//! the URL the default mode builds for it), how the error names it, and that what it accepts
//! is built unchanged.

use imagekit_url::{
    Overlay, OverlayEncoding, OverlayKind, PrivateKey, StrictError, StrictErrorKind as K, Transformation,
    TransformationPosition, UrlError, UrlOptions, Value, build_transformation_string, validate_transformations,
};

const EP: &str = "https://ik.imagekit.io/demo";

fn opts(t: Transformation<'static>) -> UrlOptions<'static> {
    UrlOptions::new("/a.jpg").url_endpoint(EP).transformation(t)
}

/// Builds in strict mode, expecting a refusal, and checks that the default mode builds
/// `default_url` for the same options (the mangled URL strict mode protects from).
fn refused(o: UrlOptions<'static>, default_url: &str) -> StrictError {
    assert_eq!(o.build().as_deref(), Ok(default_url), "default mode");
    match o.strict().build() {
        Err(UrlError::Strict(e)) => *e,
        other => panic!("strict mode let {default_url} through: {other:?}"),
    }
}

fn parts(e: &StrictError) -> (&str, &str, &str, &K) {
    (e.at(), e.field(), e.value(), e.kind())
}

#[test]
fn numbers_that_print_as_something_else() {
    let e = refused(opts(Transformation::new().width(f64::NAN)), &format!("{EP}/a.jpg?tr=w-NaN"));
    assert_eq!(parts(&e), ("transformation 0", "width", "NaN", &K::NotFinite));
    assert_eq!(e.to_string(), "transformation 0: width: NaN is not a finite number");

    let e = refused(opts(Transformation::new().height(f64::INFINITY)), &format!("{EP}/a.jpg?tr=h-Infinity"));
    assert_eq!(parts(&e), ("transformation 0", "height", "Infinity", &K::NotFinite));

    let e = refused(opts(Transformation::new().width(-5)), &format!("{EP}/a.jpg?tr=w--5"));
    assert_eq!(parts(&e), ("transformation 0", "width", "-5", &K::Negative));
    assert!(e.to_string().starts_with("transformation 0: width: -5 is negative"), "{e}");

    let e = refused(opts(Transformation::new().rotation(-90.5)), &format!("{EP}/a.jpg?tr=rt--90.5"));
    assert_eq!(parts(&e), ("transformation 0", "rotation", "-90.5", &K::Negative));

    let e = refused(opts(Transformation::new().quality("-5")), &format!("{EP}/a.jpg?tr=q--5"));
    assert_eq!(parts(&e), ("transformation 0", "quality", "-5", &K::Negative));
    assert!(e.to_string().starts_with(r#"transformation 0: quality: "-5" is negative"#), "{e}");
}

#[test]
fn values_that_break_the_syntax() {
    let e =
        refused(opts(Transformation::new().width("100,h-9999:rt-90")), &format!("{EP}/a.jpg?tr=w-100,h-9999:rt-90"));
    assert_eq!(parts(&e), ("transformation 0", "width", "100,h-9999:rt-90", &K::ReservedChar(',')));
    assert_eq!(
        e.to_string(),
        r#"transformation 0: width: "100,h-9999:rt-90" contains ',', which separates transformation parameters"#
    );

    let cases: [(&str, char, &str); 9] = [
        ("a:b", ':', "steps"),
        ("a/b", '/', "path segment"),
        ("a?b", '?', "query"),
        ("a#b", '#', "fragment"),
        ("a&b", '&', "query parameter"),
        ("a%2Cb", '%', "percent"),
        ("a+b", '+', "space"),
        ("a\\b", '\\', "`/`"),
        ("a\nb", '\n', "control"),
    ];
    for (value, c, why) in cases {
        let e = refused(opts(Transformation::new().background(value)), &format!("{EP}/a.jpg?tr=bg-{value}"));
        assert_eq!(parts(&e), ("transformation 0", "background", value, &K::ReservedChar(c)), "{value:?}");
        assert!(e.to_string().contains(why), "{e}");
    }
    // Spaces and non-ASCII are written raw by the helper and decoded back by ImageKit.
    let t = Transformation::new().ai_edit("prompt-make it vintage").font_family("Ünïcode Sans");
    assert_eq!(
        opts(t).strict().build().unwrap(),
        format!("{EP}/a.jpg?tr=e-edit-prompt-make it vintage,ff-Ünïcode Sans")
    );
}

#[test]
fn unknown_parameters_and_suggestions() {
    let e = refused(opts(Transformation::new().param("widht", 100)), &format!("{EP}/a.jpg?tr=widht-100"));
    assert_eq!(parts(&e), ("transformation 0", "widht", "100", &K::UnknownParameter { suggestion: Some("width") }));
    assert_eq!(
        e.to_string(),
        r#"transformation 0: widht: not a known transformation parameter (value 100); did you mean "width"?"#
    );
    let suggestion =
        |key: &'static str| match refused(opts(Transformation::new().param(key, 5)), &format!("{EP}/a.jpg?tr={key}-5"))
            .kind()
        {
            K::UnknownParameter { suggestion } => *suggestion,
            other => panic!("{key}: {other:?}"),
        };
    // Legacy names (spec §3) and another case of a camelCase key (the helper's lower-case
    // fallback misses `AspectRatio`).
    assert_eq!(suggestion("effectSharpen"), Some("sharpen"));
    assert_eq!(suggestion("effectUSM"), Some("unsharpMask"));
    assert_eq!(suggestion("rotate"), Some("rotation"));
    assert_eq!(suggestion("AspectRatio"), Some("aspectRatio"));
    // Similar spellings.
    assert_eq!(suggestion("heigth"), Some("height"));
    assert_eq!(suggestion("qualty"), Some("quality"));
    assert_eq!(suggestion("e-grayscal"), Some("e-grayscale"));
    // Nothing close.
    assert_eq!(suggestion("fooBar"), None);
    assert_eq!(suggestion("density"), None);

    // Known names in other forms are fine: the lower-case fallback and URL keys.
    let t = Transformation::new().param("Width", 300).param("w", 200).param("e-sharpen", 10);
    assert_eq!(opts(t).strict().build().unwrap(), format!("{EP}/a.jpg?tr=w-300,w-200,e-sharpen-10"));

    // `raw` through `param` is written `raw-…`, not inserted.
    let e = refused(opts(Transformation::new().param("raw", "w-100")), &format!("{EP}/a.jpg?tr=raw-w-100"));
    assert_eq!(parts(&e), ("transformation 0", "raw", "w-100", &K::RawAsParameter));
}

#[test]
fn layer_fields_the_helper_drops() {
    // `if (x) entries.push(`lx-${x}`)`: 0 is falsy in JavaScript, so the position vanishes.
    let e = refused(
        opts(Transformation::new().overlay(Overlay::image("logo.png").x(0).y(20))),
        &format!("{EP}/a.jpg?tr=l-image,i-logo.png,ly-20,l-end"),
    );
    assert_eq!(parts(&e), ("transformation 0: overlay 0", "x", "0", &K::Falsy));
    assert!(e.to_string().contains(r#"write 0 as "0""#), "{e}");
    let e = refused(
        opts(Transformation::new().overlay(Overlay::video("clip.mp4").start(0.0).duration(5))),
        &format!("{EP}/a.jpg?tr=l-video,i-clip.mp4,ldu-5,l-end"),
    );
    assert_eq!(parts(&e), ("transformation 0: overlay 0", "start", "0", &K::Falsy));
    let e = refused(
        opts(Transformation::new().overlay(Overlay::text("Hi").layer_mode(""))),
        &format!("{EP}/a.jpg?tr=l-text,i-Hi,l-end"),
    );
    assert_eq!(parts(&e), ("transformation 0: overlay 0", "layerMode", "", &K::Falsy));
    let e = refused(
        opts(Transformation::new().overlay(Overlay::text("Hi").focus(false))),
        &format!("{EP}/a.jpg?tr=l-text,i-Hi,l-end"),
    );
    assert_eq!(parts(&e), ("transformation 0: overlay 0", "focus", "false", &K::Falsy));

    // The string "0" is truthy and written.
    let ok = opts(Transformation::new().overlay(Overlay::image("logo.png").x("0").y("N10")));
    assert_eq!(ok.strict().build().unwrap(), format!("{EP}/a.jpg?tr=l-image,i-logo.png,lx-0,ly-N10,l-end"));

    let e = refused(
        opts(Transformation::new().overlay(Overlay::image("logo.png").x(-10))),
        &format!("{EP}/a.jpg?tr=l-image,i-logo.png,lx--10,l-end"),
    );
    assert_eq!(parts(&e), ("transformation 0: overlay 0", "x", "-10", &K::Negative));
    let e = refused(
        opts(Transformation::new().overlay(Overlay::image("logo.png").x(f64::NAN))),
        &format!("{EP}/a.jpg?tr=l-image,i-logo.png,l-end"),
    );
    assert_eq!(parts(&e), ("transformation 0: overlay 0", "x", "NaN", &K::NotFinite));
    let e = refused(
        opts(Transformation::new().overlay(Overlay::image("logo.png").y(true))),
        &format!("{EP}/a.jpg?tr=l-image,i-logo.png,ly-true,l-end"),
    );
    assert_eq!(
        parts(&e),
        ("transformation 0: overlay 0", "y", "true", &K::WrongType { expected: "a number or a string" })
    );
}

#[test]
fn layers_themselves() {
    let e = refused(
        opts(Transformation::new().overlay(Overlay::new(OverlayKind::Other("sticker".into())))),
        &format!("{EP}/a.jpg?tr=l-end"),
    );
    assert_eq!(parts(&e), ("transformation 0: overlay 0", "type", "sticker", &K::UnknownOverlayType));

    // Input paths: `/` → `@@` when written plain, so `//` makes an empty segment.
    let e = refused(
        opts(Transformation::new().overlay(Overlay::image("logos//brand.png"))),
        &format!("{EP}/a.jpg?tr=l-image,i-logos@@@@brand.png,l-end"),
    );
    assert_eq!(parts(&e), ("transformation 0: overlay 0", "input", "logos//brand.png", &K::EmptyPathSegment));
    let e =
        refused(opts(Transformation::new().overlay(Overlay::image("/"))), &format!("{EP}/a.jpg?tr=l-image,i-,l-end"));
    assert_eq!(parts(&e), ("transformation 0: overlay 0", "input", "/", &K::Blank));
    let plain = Overlay::image("a,b.png").encoding(OverlayEncoding::Plain);
    let e = refused(opts(Transformation::new().overlay(plain)), &format!("{EP}/a.jpg?tr=l-image,i-a,b.png,l-end"));
    assert_eq!(parts(&e), ("transformation 0: overlay 0", "input", "a,b.png", &K::ReservedChar(',')));
    // Base64 (auto for a non-simple path) carries anything.
    let ok = opts(Transformation::new().overlay(Overlay::image("a,b.png")));
    assert_eq!(ok.strict().build().unwrap(), format!("{EP}/a.jpg?tr=l-image,ie-YSxiLnBuZw%3D%3D,l-end"));

    let e = refused(
        opts(Transformation::new().overlay(Overlay::solid_color("FF0000,w-9999"))),
        &format!("{EP}/a.jpg?tr=l-image,i-ik_canvas,bg-FF0000,w-9999,l-end"),
    );
    assert_eq!(parts(&e), ("transformation 0: overlay 0", "color", "FF0000,w-9999", &K::ReservedChar(',')));

    // Nested steps are checked with their location.
    let nested = Overlay::text("Hi").transformation(Transformation::new().font_size(20)).transformation(
        Transformation::new().overlay(Overlay::image("x.png").transformation(Transformation::new().width(f64::NAN))),
    );
    let e = refused(
        opts(Transformation::new().width(10)).transformation(Transformation::new().overlay(nested)),
        &format!("{EP}/a.jpg?tr=w-10:l-text,i-Hi,fs-20:l-image,i-x.png,w-NaN,l-end,l-end"),
    );
    assert_eq!(
        e.to_string(),
        "transformation 1: overlay 0: transformation 1: overlay 0: transformation 0: width: NaN is not a finite number"
    );
}

#[test]
fn option_kinds() {
    let e = refused(opts(Transformation::new().height(true)), &format!("{EP}/a.jpg?tr=h-true"));
    assert_eq!(parts(&e), ("transformation 0", "height", "true", &K::WrongType { expected: "a number or a string" }));
    let e = refused(opts(Transformation::new().width(vec![1, 2])), &format!("{EP}/a.jpg?tr=w-1,2"));
    assert_eq!(parts(&e), ("transformation 0", "width", "1,2", &K::WrongType { expected: "a number or a string" }));
    assert!(e.to_string().contains("[1,2]"), "{e}");
    let e = refused(opts(Transformation::new().height("")), &format!("{EP}/a.jpg?tr=h-"));
    assert_eq!(parts(&e), ("transformation 0", "height", "", &K::Blank));
    assert_eq!(e.to_string(), r#"transformation 0: height: "" is empty"#);

    // Flags: any value but true, "true", "-" (or false, "off") is dropped.
    let e = refused(opts(Transformation::new().param("grayscale", "yes").width(5)), &format!("{EP}/a.jpg?tr=w-5"));
    assert!(matches!(parts(&e), ("transformation 0", "grayscale", "yes", K::WrongType { .. })), "{e}");
    let flags =
        Transformation::new().param("grayscale", false).param("aiUpscale", "-").param("contrastStretch", "true");
    assert_eq!(opts(flags.width(5)).strict().build().unwrap(), format!("{EP}/a.jpg?tr=e-upscale,e-contrast,w-5"));

    // Optional-value effects: false is written, not left out; blank is the bare key.
    let e = refused(opts(Transformation::new().sharpen(false)), &format!("{EP}/a.jpg?tr=e-sharpen-false"));
    assert!(matches!(parts(&e), ("transformation 0", "sharpen", "false", K::WrongType { .. })), "{e}");
    let e = refused(opts(Transformation::new().shadow(" ")), &format!("{EP}/a.jpg?tr=e-shadow"));
    assert_eq!(parts(&e), ("transformation 0", "shadow", " ", &K::Blank));
    let ok = Transformation::new().sharpen(true).shadow("bl-15_st-40").unsharp_mask(2);
    assert_eq!(opts(ok).strict().build().unwrap(), format!("{EP}/a.jpg?tr=e-sharpen,e-shadow-bl-15_st-40,e-usm-2"));

    // Trim: a blank value silently becomes true.
    let e = refused(opts(Transformation::new().trim("")), &format!("{EP}/a.jpg?tr=t-true"));
    assert_eq!(parts(&e), ("transformation 0", "trim", "", &K::Blank));
    let e = refused(opts(Transformation::new().trim(false)), &format!("{EP}/a.jpg?tr=t-false"));
    assert!(matches!(parts(&e), ("transformation 0", "trim", "false", K::WrongType { .. })), "{e}");

    // Booleans only where the option takes them.
    let ok = Transformation::new().original(true).progressive(false).lossless(true).metadata(false).color_profile(true);
    assert_eq!(
        opts(ok).strict().build().unwrap(),
        format!("{EP}/a.jpg?tr=orig-true,pr-false,lo-true,md-false,cp-true")
    );
    let e = refused(opts(Transformation::new().original(1)), &format!("{EP}/a.jpg?tr=orig-1"));
    assert!(matches!(parts(&e), ("transformation 0", "original", "1", K::WrongType { .. })), "{e}");

    // Paths.
    let e = refused(opts(Transformation::new().default_image("")), &format!("{EP}/a.jpg?tr=di-"));
    assert_eq!(parts(&e), ("transformation 0", "defaultImage", "", &K::Blank));
    let e = refused(opts(Transformation::new().default_image("a//b.jpg")), &format!("{EP}/a.jpg?tr=di-a@@@@b.jpg"));
    assert_eq!(parts(&e), ("transformation 0", "defaultImage", "a//b.jpg", &K::EmptyPathSegment));
    let e = refused(opts(Transformation::new().param("defaultImage", 0)), &format!("{EP}/a.jpg?tr=di-"));
    assert!(matches!(parts(&e), ("transformation 0", "defaultImage", "0", K::WrongType { .. })), "{e}");
    let ok = Transformation::new().default_image("/folder/file.jpg/").font_family("fonts/Poppins.ttf");
    assert_eq!(opts(ok).strict().build().unwrap(), format!("{EP}/a.jpg?tr=di-folder@@file.jpg,ff-fonts@@Poppins.ttf"));

    // Streaming resolutions: a list joined with `_`; its items are checked one by one.
    let e = refused(
        opts(Transformation::new().streaming_resolutions([Value::from("240"), Value::Null])),
        &format!("{EP}/a.jpg?tr=sr-240_"),
    );
    assert_eq!(parts(&e), ("transformation 0", "streamingResolutions[1]", "null", &K::Blank));
    let e =
        refused(opts(Transformation::new().streaming_resolutions(Vec::<i32>::new())), &format!("{EP}/a.jpg?tr=sr-"));
    assert_eq!(parts(&e), ("transformation 0", "streamingResolutions", "", &K::Blank));
    let ok = Transformation::new().streaming_resolutions([240, 1080]);
    assert_eq!(opts(ok).strict().build().unwrap(), format!("{EP}/a.jpg?tr=sr-240_1080"));

    // Raw: its own `,` and `:` are fine, empty components are not.
    let e = refused(opts(Transformation::new().raw("w-1,,h-2")), &format!("{EP}/a.jpg?tr=w-1,,h-2"));
    assert_eq!(parts(&e), ("transformation 0", "raw", "w-1,,h-2", &K::EmptyComponent));
    let e = refused(opts(Transformation::new().width(5).raw("")), &format!("{EP}/a.jpg?tr=w-5,"));
    assert_eq!(parts(&e), ("transformation 0", "raw", "", &K::Blank));
    let e = refused(
        opts(Transformation::new().raw("l-image,i-a/b.png,l-end")),
        &format!("{EP}/a.jpg?tr=l-image,i-a/b.png,l-end"),
    );
    assert_eq!(parts(&e), ("transformation 0", "raw", "l-image,i-a/b.png,l-end", &K::ReservedChar('/')));
    let ok = Transformation::new().raw("w-100,h-100:rt-90");
    assert_eq!(opts(ok).strict().build().unwrap(), format!("{EP}/a.jpg?tr=w-100,h-100:rt-90"));

    // `null` is "not set", as in the helper; zero is a real value at step level.
    let ok = Transformation::new().width(Value::Null).height(0);
    assert_eq!(opts(ok).strict().build().unwrap(), format!("{EP}/a.jpg?tr=h-0"));
}

#[test]
fn empty_steps() {
    let o = opts(Transformation::new().width(300)).transformation(Transformation::new());
    let e = refused(o, &format!("{EP}/a.jpg?tr=w-300"));
    assert_eq!(parts(&e), ("transformation 1", "", "", &K::EmptyStep));
    assert_eq!(e.to_string(), "transformation 1 is empty, so the official helper drops it");
    // A step whose only values the helper skips is empty too.
    let o = opts(Transformation::new().width(Value::Null).param("grayscale", false));
    let e = refused(o, &format!("{EP}/a.jpg"));
    assert_eq!(parts(&e), ("transformation 0", "", "", &K::EmptyStep));
    let nested = Overlay::text("Hi").transformation(Transformation::new());
    let e = refused(opts(Transformation::new().overlay(nested)), &format!("{EP}/a.jpg?tr=l-text,i-Hi,l-end"));
    assert_eq!(e.at(), "transformation 0: overlay 0: transformation 0");
}

#[test]
fn the_url_around_the_transformation() {
    let t = || Transformation::new().width(300);
    let e = refused(UrlOptions::new("/a.jpg?v=1").url_endpoint(EP), &format!("{EP}/a.jpg%3Fv=1"));
    assert_eq!(parts(&e), ("", "src", "/a.jpg?v=1", &K::EncodedIntoPath('?')));
    assert_eq!(
        e.to_string(),
        r#"src: "/a.jpg?v=1" contains '?', which a relative src percent-encodes into the path; use query parameters"#
    );
    let e = refused(
        UrlOptions::new("https://cdn.example.com/a.jpg#top").url_endpoint(EP).transformation(t()),
        "https://cdn.example.com/a.jpg#top?tr=w-300",
    );
    assert_eq!(parts(&e), ("", "src", "https://cdn.example.com/a.jpg#top", &K::AfterFragment));
    let e = refused(
        UrlOptions::new("a.jpg").url_endpoint("https://ik.imagekit.io/demo#x").transformation(t()),
        "https://ik.imagekit.io/demo/a.jpg#x?tr=w-300",
    );
    assert_eq!(parts(&e), ("", "urlEndpoint", "https://ik.imagekit.io/demo#x", &K::AfterFragment));
    // In the path, the transformation comes before the fragment: fine.
    let ok = UrlOptions::new("a.jpg")
        .url_endpoint("https://ik.imagekit.io/demo#x")
        .transformation(t())
        .position(TransformationPosition::Path);
    assert_eq!(ok.strict().build().unwrap(), "https://ik.imagekit.io/demo/tr:w-300/a.jpg#x");

    let e = refused(
        UrlOptions::new("https://cdn.example.com/a.jpg?tr=w-100").url_endpoint(EP).transformation(t()),
        "https://cdn.example.com/a.jpg?tr=w-100&tr=w-300",
    );
    assert_eq!(parts(&e), ("", "src", "tr", &K::DuplicateQueryParameter));
    let e = refused(opts(t()).query_parameter("tr", "w-100"), &format!("{EP}/a.jpg?tr=w-100&tr=w-300"));
    assert_eq!(parts(&e), ("", "queryParameters", "tr", &K::DuplicateQueryParameter));
    let key = PrivateKey::new("private_key_test").unwrap();
    let signed = UrlOptions::new("/a.jpg").url_endpoint(EP).query_parameter("ik-s", "x").signed(&key);
    let Err(UrlError::Strict(e)) = signed.strict().build() else { panic!("ik-s let through") };
    assert_eq!(parts(&e), ("", "queryParameters", "ik-s", &K::DuplicateQueryParameter));
}

#[test]
fn accepted_options_build_as_in_default_mode() {
    let key = PrivateKey::new("dummy-key").unwrap();
    // The spec's signed example (§2.4).
    let o = UrlOptions::new("sdk-testing-files/future-search.png")
        .url_endpoint("https://ik.imagekit.io/demo/")
        .transformation(Transformation::new().width(300).height(200))
        .query_parameter("version", "2.0")
        .signed(&key);
    let expected = "https://ik.imagekit.io/demo/sdk-testing-files/future-search.png?version=2.0&tr=w-300,h-200&ik-s=601d97a7834b7554f4dabf0d3fc3a219ceeb6b31";
    assert_eq!(o.validate(), Ok(()));
    assert_eq!(o.clone().strict().build().unwrap(), expected);
    assert_eq!(o.build().unwrap(), expected);

    // The spec's overlay example (§2.3).
    let t = Transformation::new().overlay(
        Overlay::text("हिन्दी").transformation(
            Transformation::new()
                .font_color("red")
                .font_size("32")
                .font_family("sdk-testing-files/Poppins-Regular_Q15GrYWmL.ttf"),
        ),
    );
    assert_eq!(validate_transformations(core::slice::from_ref(&t)), Ok(()));
    assert_eq!(
        build_transformation_string(&[t]).unwrap(),
        "l-text,ie-4KS54KS%2F4KSo4KWN4KSm4KWA,co-red,fs-32,ff-sdk-testing-files@@Poppins-Regular_Q15GrYWmL.ttf,l-end"
    );

    // Strictness is a setting of the options, so it travels with them (e.g. from the SDK's
    // `client.url(..)`), and can be switched back off.
    let o = opts(Transformation::new().width(-1)).strict();
    assert!(o.is_strict());
    assert!(o.clone().into_owned().is_strict());
    assert_eq!(o.set_strict(false).build().unwrap(), format!("{EP}/a.jpg?tr=w--1"));
}

#[test]
fn errors_are_std_errors() {
    let e = opts(Transformation::new().width(f64::NAN)).strict().build().unwrap_err();
    let dyn_err: &dyn core::error::Error = &e;
    assert_eq!(dyn_err.to_string(), "transformation 0: width: NaN is not a finite number");
    let UrlError::Strict(inner) = e else { panic!() };
    let boxed: Box<dyn core::error::Error + Send + Sync> = Box::new(inner);
    assert!(boxed.to_string().contains("NaN"));
}

#[test]
fn replacement_patterns_and_the_placeholder() {
    // The helper inserts the transformation with String.prototype.replace: `$$`, `$&`, `` $` ``
    // and `$'` in it are expanded.
    let e = refused(opts(Transformation::new().original("$'")), &format!("{EP}/a.jpg?tr=orig-"));
    assert_eq!(parts(&e), ("transformation 0", "original", "$'", &K::ReservedChar('$')));
    let e = refused(opts(Transformation::new().raw("a$$b")), &format!("{EP}/a.jpg?tr=a$b"));
    assert_eq!(parts(&e), ("transformation 0", "raw", "a$$b", &K::ReservedChar('$')));
    let ok = opts(Transformation::new().named("price$5"));
    assert_eq!(ok.strict().build().unwrap(), format!("{EP}/a.jpg?tr=n-price$5"));

    // The placeholder text earlier in the URL takes the transformation instead.
    let o = UrlOptions::new("/PLEASEREPLACEJUSTBEFORESIGN.jpg")
        .url_endpoint(EP)
        .transformation(Transformation::new().width(300));
    let e = refused(o.clone(), &format!("{EP}/w-300.jpg?tr=PLEASEREPLACEJUSTBEFORESIGN"));
    assert_eq!(parts(&e), ("", "src", "/PLEASEREPLACEJUSTBEFORESIGN.jpg", &K::PlaceholderText));
    // In the path the real placeholder comes first: the URL is right.
    let o = o.position(TransformationPosition::Path);
    assert_eq!(o.strict().build().unwrap(), format!("{EP}/tr:w-300/PLEASEREPLACEJUSTBEFORESIGN.jpg"));
    let o = opts(Transformation::new().width(300)).query_parameter("note", "PLEASEREPLACEJUSTBEFORESIGN");
    let e = refused(o, &format!("{EP}/a.jpg?note=w-300&tr=PLEASEREPLACEJUSTBEFORESIGN"));
    assert_eq!(parts(&e), ("", "queryParameters", "PLEASEREPLACEJUSTBEFORESIGN", &K::PlaceholderText));
}

#[test]
fn dot_segments_that_remove_the_transformation() {
    let path = |src: &'static str| {
        UrlOptions::new(src)
            .url_endpoint(EP)
            .transformation(Transformation::new().width(300))
            .position(TransformationPosition::Path)
    };
    let e = refused(path("../a.jpg"), &format!("{EP}/a.jpg"));
    assert_eq!(parts(&e), ("", "src", "../a.jpg", &K::DotSegment));
    let e = refused(path("x/%2E%2e/../a.jpg"), &format!("{EP}/a.jpg"));
    assert_eq!(parts(&e), ("", "src", "x/%2E%2e/../a.jpg", &K::DotSegment));
    // A `..` inside src's own segments keeps the transformation.
    assert_eq!(path("x/../a.jpg").strict().build().unwrap(), format!("{EP}/tr:w-300/a.jpg"));
}

#[test]
fn empty_queries_get_a_second_question_mark() {
    let t = || Transformation::new().width(1);
    let e = refused(
        UrlOptions::new("https://cdn.example.com/a?").url_endpoint(EP).transformation(t()),
        "https://cdn.example.com/a??tr=w-1",
    );
    assert_eq!(parts(&e), ("", "src", "https://cdn.example.com/a?", &K::EmptyQuery));
    let e = refused(
        UrlOptions::new("a.jpg").url_endpoint("https://ik.imagekit.io/demo?&").transformation(t()),
        &format!("{EP}/a.jpg?&?tr=w-1"),
    );
    assert_eq!(parts(&e), ("", "urlEndpoint", "https://ik.imagekit.io/demo?&", &K::EmptyQuery));
    // Extra query parameters rewrite the query first, so the URL is right.
    let ok = UrlOptions::new("https://cdn.example.com/a?").url_endpoint(EP).transformation(t()).query_parameter("v", 1);
    assert_eq!(ok.strict().build().unwrap(), "https://cdn.example.com/a?v=1&tr=w-1");
}

#[test]
fn responsive_attributes_follow_the_options_strictness() {
    use imagekit_url::{ResponsiveOptions, get_responsive_image_attributes};
    let url = opts(Transformation::new().width(f64::NAN));
    let lax = get_responsive_image_attributes(&ResponsiveOptions::new(url.clone()).width(100)).unwrap();
    assert_eq!(lax.src, format!("{EP}/a.jpg?tr=w-NaN:w-256,c-at_max"));
    let err = get_responsive_image_attributes(&ResponsiveOptions::new(url.strict()).width(100)).unwrap_err();
    assert_eq!(err.to_string(), "transformation 0: width: NaN is not a finite number");
    let ok = ResponsiveOptions::new(opts(Transformation::new().quality(80)).strict()).width(100);
    assert_eq!(get_responsive_image_attributes(&ok).unwrap().src, format!("{EP}/a.jpg?tr=q-80:w-256,c-at_max"));
}
