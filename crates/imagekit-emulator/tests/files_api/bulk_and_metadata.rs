//! Bulk deletes and tag changes; metadata by file id and by URL.

use super::*;

#[tokio::test]
async fn bulk_delete_and_tags() {
    let emu = emulator();
    let mut ids = Vec::new();
    for i in 0..3 {
        let f = put(&emu, &format!("bulk{i}.png"), &png(2, 2, false), &[Part::Text("tags", "keep")]).await;
        ids.push(id(&f));
    }

    // Tags.
    let (status, body) = api(
        &emu,
        Method::POST,
        "/v1/files/addTags",
        Some(json!({"fileIds": [ids[0], ids[1]], "tags": ["new", "keep"]})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({"successfullyUpdatedFileIds": [ids[0], ids[1]]}));
    assert_eq!(details(&emu, &ids[0]).await["tags"], json!(["keep", "new"]));
    assert_eq!(details(&emu, &ids[2]).await["tags"], json!(["keep"]));
    let (status, body) =
        api(&emu, Method::POST, "/v1/files/removeTags", Some(json!({"fileIds": [ids[0]], "tags": ["keep", "new"]})))
            .await;
    assert_eq!((status, body), (StatusCode::OK, json!({"successfullyUpdatedFileIds": [ids[0]]})));
    assert_eq!(details(&emu, &ids[0]).await["tags"], Value::Null);
    let (status, body) =
        api(&emu, Method::POST, "/v1/files/removeAITags", Some(json!({"fileIds": [ids[1]], "AITags": ["car"]}))).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"successfullyUpdatedFileIds": [ids[1]]})));
    let (status, body) =
        api(&emu, Method::POST, "/v1/files/addTags", Some(json!({"fileIds": [ids[0], "missing1"], "tags": ["z"]})))
            .await;
    assert_error(status, &body, 404);
    assert_eq!(body["missingFileIds"], json!(["missing1"]));
    assert_eq!(details(&emu, &ids[0]).await["tags"], Value::Null, "nothing changed");
    let many: Vec<String> = (0..51).map(|i| format!("id{i}")).collect();
    for path in ["/v1/files/addTags", "/v1/files/removeTags"] {
        let (status, body) = api(&emu, Method::POST, path, Some(json!({"fileIds": many, "tags": ["a"]}))).await;
        assert_error(status, &body, 400);
    }
    let (status, body) =
        api(&emu, Method::POST, "/v1/files/removeAITags", Some(json!({"fileIds": many, "AITags": ["a"]}))).await;
    assert_error(status, &body, 400);

    // Delete: a missing id deletes nothing.
    let (status, body) = api(
        &emu,
        Method::POST,
        "/v1/files/batch/deleteByFileIds",
        Some(json!({"fileIds": [ids[0], "missing1", ids[1], "missing2"]})),
    )
    .await;
    assert_error(status, &body, 404);
    assert_eq!(body["missingFileIds"], json!(["missing1", "missing2"]));
    for id in &ids {
        details(&emu, id).await;
    }
    let many: Vec<String> = (0..101).map(|i| format!("id{i}")).collect();
    let (status, body) =
        api(&emu, Method::POST, "/v1/files/batch/deleteByFileIds", Some(json!({"fileIds": many}))).await;
    assert_error(status, &body, 400);
    let (status, body) =
        api(&emu, Method::POST, "/v1/files/batch/deleteByFileIds", Some(json!({"fileIds": [ids[0], ids[1]]}))).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"successfullyDeletedFileIds": [ids[0], ids[1]]})));
    for gone in &ids[..2] {
        let (status, body) = api(&emu, Method::GET, &format!("/v1/files/{gone}/details"), None).await;
        assert_error(status, &body, 404);
    }
    details(&emu, &ids[2]).await;
}

#[tokio::test]
async fn metadata_by_id_and_by_url() {
    let emu = emulator();
    let bytes = jpeg(64, 32);
    let f = put(&emu, "m.jpg", &bytes, &[Part::Text("folder", "meta")]).await;
    let (status, m) = api(&emu, Method::GET, &format!("/v1/files/{}/metadata", id(&f)), None).await;
    assert_eq!(status, 200, "{m}");
    assert_eq!(m["width"], 64);
    assert_eq!(m["height"], 32);
    assert_eq!(m["size"], bytes.len());
    assert_eq!(m["format"], "jpg");
    assert_eq!(m["hasTransparency"], false);
    assert_eq!(m["hasColorProfile"], false);
    assert_eq!(m["density"], 72);
    assert!(m["quality"].as_u64().is_some_and(|q| (60..=90).contains(&q)), "{m}");
    let phash = m["pHash"].as_str().unwrap();
    assert!(phash.len() == 16 && phash.chars().all(|c| c.is_ascii_hexdigit()), "{phash}");
    assert_eq!(m["exif"], json!({}));

    for url in [
        "http://emu.local/emulator/meta/m.jpg",
        "http://emu.local/emulator/tr:w-100,h-100/meta/m.jpg",
        "http://emu.local/emulator/meta/m.jpg?tr=w-10&ik-s=abc",
    ] {
        let q: String = url.bytes().map(|b| format!("%{b:02X}")).collect();
        let (status, by_url) = api(&emu, Method::GET, &format!("/v1/metadata?url={q}"), None).await;
        assert_eq!(status, 200, "{url}: {by_url}");
        assert_eq!(by_url, m);
    }
    let (status, body) =
        api(&emu, Method::GET, "/v1/metadata?url=https%3A%2F%2Fik.imagekit.io%2Fdemo%2Fa.jpg", None).await;
    assert_error(status, &body, 400);
    let (status, body) =
        api(&emu, Method::GET, "/v1/metadata?url=http%3A%2F%2Femu.local%2Femulator%2Fnope.jpg", None).await;
    assert_error(status, &body, 404);
    let (status, body) = api(&emu, Method::GET, "/v1/metadata", None).await;
    assert_error(status, &body, 400);
    let (status, body) = api(&emu, Method::GET, "/v1/files/nope/metadata", None).await;
    assert_error(status, &body, 404);

    // A non-image has size and format only.
    let t = put(&emu, "doc.pdf", b"%PDF-1.4 not really", &[]).await;
    let (_, m) = api(&emu, Method::GET, &format!("/v1/files/{}/metadata", id(&t)), None).await;
    assert_eq!(m, json!({"size": 19, "format": "pdf"}));

    // Similar images have close hashes; different ones do not share it.
    let a = put(&emu, "p1.png", &png(64, 64, false), &[]).await;
    let b = put(&emu, "p2.png", &png(64, 64, false), &[]).await;
    let (_, ma) = api(&emu, Method::GET, &format!("/v1/files/{}/metadata", id(&a)), None).await;
    let (_, mb) = api(&emu, Method::GET, &format!("/v1/files/{}/metadata", id(&b)), None).await;
    assert_eq!(ma["pHash"], mb["pHash"]);
}
