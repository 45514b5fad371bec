//! Serving files: bytes and headers, 404s, HEAD, older versions, over a socket, and uploaded files at their URLs.

use super::*;

#[tokio::test]
async fn serves_the_bytes_with_type_length_etag_and_cache_headers() {
    let f = Fixture::new();
    let data = png(40, 30);
    f.add("/products/shoe.png", "image/png", data.clone(), false);
    f.add("/docs/readme.txt", "text/plain", b"hello".to_vec(), false);

    let r = f.get(&format!("{ENDPOINT}/products/shoe.png")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, data);
    assert_eq!(r.header("content-type"), Some("image/png"));
    assert_eq!(r.header("content-length"), Some(data.len().to_string().as_str()));
    assert!(r.header("cache-control").unwrap().contains("max-age"));
    let etag = r.header("etag").unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.len() > 10);
    assert!(r.header("x-ik-emulator-ignored").is_none());

    let r = f.get(&format!("{ENDPOINT}/docs/readme.txt")).await;
    assert_eq!((r.status, r.header("content-type"), &r.body[..]), (StatusCode::OK, Some("text/plain"), &b"hello"[..]));

    // A conditional request with the same ETag is a 304.
    let r = send(&f.emu, Method::GET, &format!("{ENDPOINT}/products/shoe.png"), &[("if-none-match", &etag)]).await;
    assert_eq!(r.status, 304);
    assert!(r.body.is_empty());
}

#[tokio::test]
async fn unknown_files_and_paths_outside_the_endpoint_are_404() {
    let f = Fixture::new();
    f.add("/a.png", "image/png", png(4, 4), false);
    for url in [
        format!("{ENDPOINT}/nope.png"),
        format!("{ENDPOINT}/tr:w-10/nope.png"),
        format!("{ENDPOINT}/"),
        format!("{ORIGIN}/other/a.png"),
        format!("{ORIGIN}/emulatorx/a.png"),
        format!("{ORIGIN}/a.png"),
    ] {
        let r = f.get(&url).await;
        assert_eq!(r.status, 404, "{url}");
        assert!(r.json()["message"].is_string(), "{url}");
        assert!(r.json()["help"].is_string(), "{url}");
    }
    let r = f.send(Method::POST, &format!("{ENDPOINT}/a.png")).await;
    assert_eq!(r.status, 405);
}

#[tokio::test]
async fn head_has_the_headers_and_no_body() {
    let f = Fixture::new();
    let data = png(20, 10);
    f.add("/h.png", "image/png", data.clone(), false);
    let r = f.send(Method::HEAD, &format!("{ENDPOINT}/h.png")).await;
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
    assert_eq!(r.header("content-type"), Some("image/png"));
    assert_eq!(r.header("content-length"), Some(data.len().to_string().as_str()));
    // With a transformation, the length is the transformed one.
    let get = f.get(&format!("{ENDPOINT}/h.png?tr=w-10")).await;
    let head = f.send(Method::HEAD, &format!("{ENDPOINT}/h.png?tr=w-10")).await;
    assert_eq!(head.header("content-length"), Some(get.body.len().to_string().as_str()));
    assert_eq!(head.header("etag"), get.header("etag"));
}

#[tokio::test]
async fn older_versions_by_id() {
    let f = Fixture::new();
    let mut rec = f.add("/v.png", "image/png", png(10, 10), false);
    let mut old = rec.current.clone();
    old.version_id = "oldversion0000000000000".into();
    old.blob = f.emu.seed_blob(png(5, 5));
    rec.versions.push(old);
    f.emu.seed(|tx| tx.put_file(rec.clone()));
    assert_eq!(f.get(&format!("{ENDPOINT}/v.png")).await.image().dimensions(), (10, 10));
    let r = f.get(&format!("{ENDPOINT}/v.png?ik-obj-version=oldversion0000000000000")).await;
    assert_eq!(r.image().dimensions(), (5, 5));
    assert_eq!(f.get(&format!("{ENDPOINT}/v.png?ik-obj-version=nope")).await.status, 404);
}

#[tokio::test]
async fn over_a_socket() {
    let dir = std::env::temp_dir().join(format!("imagekit-emulator-delivery-socket-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let data = png(64, 32);
    {
        // Seed through an in-process emulator on the same data directory.
        let emu = Emulator::builder().data_dir(&dir).in_process(ORIGIN).unwrap();
        add_file(&emu, "/s/socket.png", "image/png", data.clone(), false);
        add_file(&emu, "/s/private.png", "image/png", data.clone(), true);
    }
    let running = Emulator::builder().data_dir(&dir).start().await.unwrap();
    let endpoint = running.url_endpoint().to_owned();
    let client = imagekit_transport::HyperClient::new().unwrap();

    let r = send(&client, Method::GET, &format!("{endpoint}/s/socket.png"), &[]).await;
    assert_eq!((r.status, r.body.len()), (StatusCode::OK, data.len()));
    let r = send(&client, Method::HEAD, &format!("{endpoint}/s/socket.png"), &[]).await;
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
    assert_eq!(r.header("content-length"), Some(data.len().to_string().as_str()));
    let r = send(&client, Method::GET, &format!("{endpoint}/tr:w-32/s/socket.png"), &[]).await;
    assert_eq!(r.image().dimensions(), (32, 16));

    let key = key();
    assert_eq!(send(&client, Method::GET, &format!("{endpoint}/s/private.png"), &[]).await.status, 401);
    let url = UrlOptions::new("/s/private.png")
        .url_endpoint(endpoint.as_str())
        .transformation(Transformation::new().height(8))
        .signed(&key)
        .expires_in(60, now())
        .build()
        .unwrap();
    let r = send(&client, Method::GET, &url, &[]).await;
    assert_eq!(r.status, 200, "{url}");
    assert_eq!(r.image().dimensions(), (16, 8));

    running.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn uploaded_files_are_delivered_with_their_urls() {
    use base64::Engine as _;
    let f = Fixture::new();
    let auth = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{DEFAULT_PRIVATE_KEY}:")));
    let upload = |fields: Vec<(&'static str, &'static str)>| {
        let (ct, body) = multipart(&fields, &png(400, 300));
        let req = http::Request::post(format!("{ORIGIN}/api/v1/files/upload"))
            .header("authorization", auth.as_str())
            .header("content-type", ct)
            .body(Body::from(body))
            .unwrap();
        let emu = f.emu.clone();
        async move {
            let resp = emu.send(req).await.unwrap();
            assert_eq!(resp.status(), 200);
            let body = resp.into_body().collect().await.unwrap();
            serde_json::from_slice::<serde_json::Value>(&body).unwrap()
        }
    };

    let up = upload(vec![("fileName", "up.png"), ("folder", "/uploads"), ("useUniqueFileName", "false")]).await;
    let url = up["url"].as_str().unwrap();
    assert_eq!(url, format!("{ENDPOINT}/uploads/up.png"));
    let r = f.get(url).await;
    assert_eq!((r.status, r.image().dimensions()), (StatusCode::OK, (400, 300)));
    // The thumbnail URL uses the built-in named transformation.
    let thumb = up["thumbnailUrl"].as_str().unwrap();
    let r = f.get(thumb).await;
    assert_eq!(r.status, 200, "{thumb}");
    assert_eq!(r.image().dimensions(), (200, 150));

    let up = upload(vec![("fileName", "hidden.png"), ("isPrivateFile", "true"), ("useUniqueFileName", "false")]).await;
    let url = up["url"].as_str().unwrap();
    assert_eq!(f.get(url).await.status, 401);
    let key = key();
    let signed = UrlOptions::new(url).url_endpoint(ENDPOINT).signed(&key).expires_in(60, now()).build().unwrap();
    assert_eq!(f.get(&signed).await.status, 200, "{signed}");
}
