//! Transformations: resizing, crops, formats and quality, rotation and flips, ignored keys, limits, named transformations.

use super::*;

#[tokio::test]
async fn resize_in_path_and_query_form() {
    let f = Fixture::new();
    f.add("/img/photo.png", "image/png", png(200, 100), false);

    let r = f.get(&format!("{ENDPOINT}/tr:w-100/img/photo.png")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("image/png"));
    assert_eq!(r.image().dimensions(), (100, 50));

    let r = f.get(&format!("{ENDPOINT}/img/photo.png?tr=w-100")).await;
    assert_eq!(r.image().dimensions(), (100, 50));

    let r = f.get(&format!("{ENDPOINT}/img/photo.png?tr=h-20")).await;
    assert_eq!(r.image().dimensions(), (40, 20));

    // Ratios below 1 are fractions of the original.
    let r = f.get(&format!("{ENDPOINT}/img/photo.png?tr=w-0.25")).await;
    assert_eq!(r.image().dimensions(), (50, 25));

    // Both: ImageKit's default maintain_ratio covers, then crops the middle.
    let r = f.get(&format!("{ENDPOINT}/tr:w-50,h-50/img/photo.png")).await;
    assert_eq!(r.image().dimensions(), (50, 50));

    // Chained steps, and path + query together.
    let r = f.get(&format!("{ENDPOINT}/tr:w-100:h-10/img/photo.png")).await;
    assert_eq!(r.image().dimensions(), (20, 10));
    let r = f.get(&format!("{ENDPOINT}/tr:w-100/img/photo.png?tr=rt-90")).await;
    assert_eq!(r.image().dimensions(), (50, 100));

    // c-force stretches; ar with one side; dpr multiplies.
    let r = f.get(&format!("{ENDPOINT}/img/photo.png?tr=w-30,h-70,c-force")).await;
    assert_eq!(r.image().dimensions(), (30, 70));
    let r = f.get(&format!("{ENDPOINT}/img/photo.png?tr=w-40,ar-4-1")).await;
    assert_eq!(r.image().dimensions(), (40, 10));
    let r = f.get(&format!("{ENDPOINT}/img/photo.png?tr=w-30,dpr-2")).await;
    assert_eq!(r.image().dimensions(), (60, 30));
}

#[tokio::test]
async fn crop_modes() {
    let f = Fixture::new();
    f.add("/c.png", "image/png", png(200, 100), false);
    let dims = |tr: &str| {
        let url = format!("{ENDPOINT}/c.png?tr={tr}");
        let f = &f;
        async move { f.get(&url).await.image().dimensions() }
    };
    // at_max: fit within, keep the ratio.
    assert_eq!(dims("w-100,h-100,c-at_max").await, (100, 50));
    // ... and never enlarge.
    assert_eq!(dims("w-400,h-400,c-at_max").await, (200, 100));
    assert_eq!(dims("w-400,c-at_max").await, (200, 100));
    // at_least: cover, no crop.
    assert_eq!(dims("w-100,h-100,c-at_least").await, (200, 100));
    assert_eq!(dims("w-50,h-50,c-at_least").await, (100, 50));
    // pad_resize: exactly w×h.
    assert_eq!(dims("w-100,h-100,cm-pad_resize,bg-FF0000").await, (100, 100));
    // extract: a region, no resize.
    assert_eq!(dims("w-60,h-40,cm-extract").await, (60, 40));
    // The built-in named thumbnail: at most 200px.
    f.add("/big.png", "image/png", png(600, 300), false);
    let r = f.get(&format!("{ENDPOINT}/tr:n-ik_ml_thumbnail/big.png")).await;
    assert_eq!(r.image().dimensions(), (200, 100));
    assert!(r.header("x-ik-emulator-ignored").is_none());
}

#[tokio::test]
async fn format_conversion_and_quality() {
    let f = Fixture::new();
    f.add("/p.png", "image/png", png(32, 32), false);
    f.add("/j.jpg", "image/jpeg", jpeg(64, 64), false);

    let r = f.get(&format!("{ENDPOINT}/p.png?tr=f-jpg")).await;
    assert_eq!(r.header("content-type"), Some("image/jpeg"));
    assert_eq!(r.format(), ImageFormat::Jpeg);
    assert_eq!(r.image().dimensions(), (32, 32));

    let r = f.get(&format!("{ENDPOINT}/tr:f-png/j.jpg")).await;
    assert_eq!((r.header("content-type"), r.format()), (Some("image/png"), ImageFormat::Png));

    let r = f.get(&format!("{ENDPOINT}/j.jpg?tr=f-webp")).await;
    assert_eq!((r.header("content-type"), r.format()), (Some("image/webp"), ImageFormat::WebP));

    let r = f.get(&format!("{ENDPOINT}/j.jpg?tr=f-gif")).await;
    assert_eq!((r.header("content-type"), r.format()), (Some("image/gif"), ImageFormat::Gif));

    // f-auto keeps the original format; with nothing else to do the bytes are the original.
    let original = f.get(&format!("{ENDPOINT}/j.jpg")).await.body;
    let r = f.get(&format!("{ENDPOINT}/j.jpg?tr=f-auto")).await;
    assert_eq!(r.body, original);

    // Lower JPEG quality gives fewer bytes.
    let q10 = f.get(&format!("{ENDPOINT}/j.jpg?tr=q-10")).await;
    let q95 = f.get(&format!("{ENDPOINT}/j.jpg?tr=q-95")).await;
    assert_eq!(q10.format(), ImageFormat::Jpeg);
    assert!(q10.body.len() < q95.body.len(), "{} vs {}", q10.body.len(), q95.body.len());
    // q means nothing for PNG output: reported as ignored.
    let r = f.get(&format!("{ENDPOINT}/p.png?tr=q-10,w-16")).await;
    assert_eq!(r.header("x-ik-emulator-ignored"), Some("q"));

    // Alpha survives PNG and WebP output.
    f.add("/a.png", "image/png", png_alpha(8, 8), false);
    let r = f.get(&format!("{ENDPOINT}/a.png?tr=f-webp")).await;
    assert!(r.image().color().has_alpha());
    assert_eq!(r.image().get_pixel(0, 0)[3], 0);
}

#[tokio::test]
async fn rotation_and_flip() {
    let f = Fixture::new();
    f.add("/r.png", "image/png", png(60, 20), false);
    let r = f.get(&format!("{ENDPOINT}/tr:rt-90/r.png")).await;
    assert_eq!(r.image().dimensions(), (20, 60));
    let r = f.get(&format!("{ENDPOINT}/r.png?tr=rt-180")).await;
    assert_eq!(r.image().dimensions(), (60, 20));
    let r = f.get(&format!("{ENDPOINT}/r.png?tr=rt-270")).await;
    assert_eq!(r.image().dimensions(), (20, 60));
    // Rotating 90° clockwise moves the bottom-left pixel to the top-left.
    let original = f.get(&format!("{ENDPOINT}/r.png")).await.image();
    let rotated = f.get(&format!("{ENDPOINT}/r.png?tr=rt-90")).await.image();
    assert_eq!(rotated.get_pixel(0, 0), original.get_pixel(0, 19));
    let flipped = f.get(&format!("{ENDPOINT}/r.png?tr=fl-h")).await.image();
    assert_eq!(flipped.get_pixel(0, 0), original.get_pixel(59, 0));
}

#[tokio::test]
async fn unsupported_keys_are_listed_in_a_header() {
    let f = Fixture::new();
    f.add("/i.png", "image/png", png(40, 40), false);
    f.add("/doc.pdf", "application/pdf", b"%PDF-1.4 fake".to_vec(), false);
    f.add("/broken.png", "image/png", b"not really a png".to_vec(), false);

    let r = f.get(&format!("{ENDPOINT}/tr:w-20,fo-face,e-shadow,l-text,i-Hi,fs-20,l-end/i.png?tr=z-0.5")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.image().dimensions(), (20, 20));
    assert_eq!(r.header("x-ik-emulator-ignored"), Some("fo,e-shadow,l-text,z"));

    // Nothing applied at all: the original bytes, every key listed.
    let r = f.get(&format!("{ENDPOINT}/i.png?tr=e-removedotbg")).await;
    assert_eq!(r.body, png(40, 40));
    assert_eq!(r.header("x-ik-emulator-ignored"), Some("e-removedotbg"));

    // Non-images are served as they are.
    let r = f.get(&format!("{ENDPOINT}/tr:w-100,h-100/doc.pdf")).await;
    assert_eq!((r.status, &r.body[..]), (StatusCode::OK, &b"%PDF-1.4 fake"[..]));
    assert_eq!(r.header("content-type"), Some("application/pdf"));
    assert_eq!(r.header("x-ik-emulator-ignored"), Some("w,h"));

    // An image that does not decode: the original, with a warning.
    let r = f.get(&format!("{ENDPOINT}/broken.png?tr=w-10")).await;
    assert_eq!((r.status, &r.body[..]), (StatusCode::OK, &b"not really a png"[..]));
    assert_eq!(r.header("x-ik-emulator-ignored"), Some("w"));
    assert!(r.header("x-ik-emulator-warning").is_some());

    // orig-true serves the original.
    let r = f.get(&format!("{ENDPOINT}/i.png?tr=w-10,orig-true")).await;
    assert_eq!(r.body, png(40, 40));
}

#[tokio::test]
async fn oversized_requests_are_refused() {
    let f = Fixture::new();
    f.add("/s.png", "image/png", png(10, 10), false);
    let r = f.get(&format!("{ENDPOINT}/s.png?tr=w-20000")).await;
    assert_eq!(r.status, 400);
    assert!(r.json()["message"].as_str().unwrap().contains("10000"));
    let r = f.get(&format!("{ENDPOINT}/s.png?tr=w-5000,dpr-3")).await;
    assert_eq!(r.status, 400);
    let r = f.get(&format!("{ENDPOINT}/s.png?tr=w-10000,h-1,c-force")).await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn named_transformations_created_through_the_api() {
    use base64::Engine as _;
    let f = Fixture::new();
    f.add("/n.png", "image/png", png(100, 50), false);
    let auth = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{DEFAULT_PRIVATE_KEY}:")));
    let call = |method: Method, url: String, body: serde_json::Value| {
        let req = http::Request::builder()
            .method(method)
            .uri(url)
            .header("authorization", auth.as_str())
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        let emu = f.emu.clone();
        async move {
            let resp = emu.send(req).await.unwrap();
            let status = resp.status();
            let body = resp.into_body().collect().await.unwrap();
            (status, serde_json::from_slice::<serde_json::Value>(&body).unwrap_or_default())
        }
    };
    let (status, nt) = call(
        Method::POST,
        format!("{ORIGIN}/v1/named-transformations"),
        serde_json::json!({"name": "small_square", "transformation": "w-20,h-20:rt-90"}),
    )
    .await;
    assert_eq!(status, 200, "{nt}");
    let r = f.get(&format!("{ENDPOINT}/tr:n-small_square/n.png")).await;
    assert_eq!((r.status, r.image().dimensions()), (StatusCode::OK, (20, 20)));
    assert!(r.header("x-ik-emulator-ignored").is_none());

    // Disabled: delivery fails.
    let id = nt["id"].as_str().unwrap();
    let (status, _) =
        call(Method::PATCH, format!("{ORIGIN}/v1/named-transformations/{id}"), serde_json::json!({"enabled": false}))
            .await;
    assert_eq!(status, 200);
    assert_eq!(f.get(&format!("{ENDPOINT}/n.png?tr=n-small_square")).await.status, 400);
}
