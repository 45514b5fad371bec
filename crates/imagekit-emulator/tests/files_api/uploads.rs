//! Uploads: dimensions and formats, base64 and data URIs, names and folders, overwrites and versions, extensions, response fields and custom metadata.

use super::*;

#[tokio::test]
async fn upload_png_reports_dimensions_format_and_alpha() {
    let emu = emulator();
    let bytes = png(40, 30, true);
    let (status, body) = upload(
        &emu,
        &[
            Part::Text("fileName", "pic.png"),
            Part::Text("useUniqueFileName", "false"),
            Part::Text("tags", "a,b"),
            Part::Text("responseFields", "tags,isPrivateFile,isPublished,customCoordinates,metadata,embeddedMetadata"),
            Part::File("pic.png", &bytes),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["name"], "pic.png");
    assert_eq!(body["filePath"], "/pic.png");
    assert_eq!(body["width"], 40);
    assert_eq!(body["height"], 30);
    assert_eq!(body["size"], bytes.len());
    assert_eq!(body["fileType"], "image");
    assert_eq!(body["url"], "http://emu.local/emulator/pic.png");
    assert_eq!(body["thumbnailUrl"], "http://emu.local/emulator/tr:n-ik_ml_thumbnail/pic.png");
    assert_eq!(body["versionInfo"]["name"], "Version 1");
    assert_eq!(body["versionInfo"]["id"], body["fileId"]);
    assert_eq!(body["tags"], json!(["a", "b"]));
    assert_eq!(body["isPrivateFile"], false);
    assert_eq!(body["isPublished"], true);
    assert_eq!(body["customCoordinates"], Value::Null);
    assert_eq!(body["metadata"]["width"], 40);
    assert_eq!(body["metadata"]["format"], "png");
    assert_eq!(body["metadata"]["hasTransparency"], true);
    assert!(body["embeddedMetadata"].is_object());
    assert!(body.get("customMetadata").is_none(), "not requested: {body}");
    assert!(body.get("extensionStatus").is_none());

    let file = details(&emu, &id(&body)).await;
    assert_eq!(file["type"], "file");
    assert_eq!(file["hasAlpha"], true);
    assert_eq!(file["mime"], "image/png");
    assert_eq!(file["width"], 40);
    assert_eq!(file["size"], bytes.len());
    assert_eq!(file["thumbnail"], "http://emu.local/emulator/tr:n-ik_ml_thumbnail/pic.png");

    // An opaque PNG, a JPEG and a GIF with a transparent pixel.
    let opaque = put(&emu, "opaque.png", &png(5, 6, false), &[]).await;
    assert_eq!(details(&emu, &id(&opaque)).await["hasAlpha"], false);
    let j = put(&emu, "photo.jpeg", &jpeg(64, 48), &[]).await;
    let jf = details(&emu, &id(&j)).await;
    assert_eq!(
        (jf["width"].clone(), jf["height"].clone(), jf["mime"].clone()),
        (json!(64), json!(48), json!("image/jpeg"))
    );
    assert_eq!(jf["hasAlpha"], false);
    let g = put(&emu, "anim.gif", &gif(8, 4), &[]).await;
    let gf = details(&emu, &id(&g)).await;
    assert_eq!(
        (gf["width"].clone(), gf["mime"].clone(), gf["hasAlpha"].clone()),
        (json!(8), json!("image/gif"), json!(true))
    );

    // A non-image: no dimensions, MIME from the extension.
    let t = put(&emu, "notes.txt", b"hello world", &[]).await;
    assert_eq!(t["fileType"], "non-image");
    assert!(t.get("width").is_none() && t.get("thumbnailUrl").is_none(), "{t}");
    assert_eq!(details(&emu, &id(&t)).await["mime"], "text/plain");
}

#[tokio::test]
async fn base64_and_data_uri_uploads() {
    let emu = emulator();
    let bytes = jpeg(20, 10);
    let b64 = STANDARD.encode(&bytes);
    let (status, body) = upload(&emu, &[Part::Text("fileName", "b64.jpg"), Part::Text("file", &b64)]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!((body["width"].clone(), body["size"].clone()), (json!(20), json!(bytes.len())));

    let uri = format!("data:image/png;base64,{}", STANDARD.encode(png(3, 4, false)));
    let (status, body) = upload(&emu, &[Part::Text("fileName", "d.png"), Part::Text("file", &uri)]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!((body["width"].clone(), body["height"].clone()), (json!(3), json!(4)));

    let (status, body) =
        upload(&emu, &[Part::Text("fileName", "x.jpg"), Part::Text("file", "%%% not base64 %%%")]).await;
    assert_error(status, &body, 400);

    // URLs are fetched only from loopback hosts.
    let (status, body) =
        upload(&emu, &[Part::Text("fileName", "x.jpg"), Part::Text("file", "https://example.com/a.jpg")]).await;
    assert_error(status, &body, 400);
    assert!(body["message"].as_str().unwrap().contains("loopback"), "{body}");
}

#[tokio::test]
async fn unique_names_sanitising_and_folders() {
    let emu = emulator();
    let bytes = png(2, 2, false);
    let mut names = HashSet::new();
    for _ in 0..3 {
        let (status, body) =
            upload(&emu, &[Part::Text("fileName", "my shoe.jpg"), Part::File("my shoe.jpg", &bytes)]).await;
        assert_eq!(status, 200, "{body}");
        let name = body["name"].as_str().unwrap().to_owned();
        let suffix =
            name.strip_prefix("my_shoe_").and_then(|s| s.strip_suffix(".jpg")).unwrap_or_else(|| panic!("{name}"));
        assert_eq!(suffix.len(), 9, "{name}");
        assert!(suffix.chars().all(|c| c.is_ascii_alphanumeric()), "{name}");
        assert_eq!(body["filePath"], format!("/{name}"));
        names.insert(name);
    }
    assert_eq!(names.len(), 3);

    let (status, body) = upload(
        &emu,
        &[
            Part::Text("fileName", "a.png"),
            Part::Text("folder", "products/summer sale"),
            Part::Text("useUniqueFileName", "false"),
            Part::File("a.png", &bytes),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["filePath"], "/products/summer_sale/a.png");
    assert_eq!(body["url"], "http://emu.local/emulator/products/summer_sale/a.png");
    // The new folder is a real folder: a file can be copied into it and moved within it.
    let (status, _) = api(
        &emu,
        Method::POST,
        "/v1/files/copy",
        Some(json!({"sourceFilePath": "/products/summer_sale/a.png", "destinationPath": "/products/"})),
    )
    .await;
    assert_eq!(status, 204);
}

#[tokio::test]
async fn overwrite_versions_and_restore() {
    let emu = emulator();
    let first = png(10, 10, false);
    let second = png(20, 20, false);
    let v1 =
        put(&emu, "logo.png", &first, &[Part::Text("tags", "old"), Part::Text("customCoordinates", "1,2,3,4")]).await;
    let file_id = id(&v1);
    let v2 = put(&emu, "logo.png", &second, &[]).await;
    assert_eq!(id(&v2), file_id, "overwriting keeps the file id");
    assert_eq!(v2["versionInfo"]["name"], "Version 2");
    assert_ne!(v2["versionInfo"]["id"], v1["versionInfo"]["id"]);
    let cur = details(&emu, &file_id).await;
    assert_eq!(cur["width"], 20);
    assert_eq!(cur["tags"], Value::Null, "overwriteTags defaults to true");
    assert_eq!(cur["customCoordinates"], Value::Null);

    // overwriteTags=false keeps the old tags when none are sent.
    put(&emu, "logo.png", &second, &[Part::Text("tags", "keep")]).await;
    let v4 = put(&emu, "logo.png", &second, &[Part::Text("overwriteTags", "false")]).await;
    assert_eq!(v4["versionInfo"]["name"], "Version 4");
    assert_eq!(details(&emu, &file_id).await["tags"], json!(["keep"]));

    // overwriteFile=false refuses.
    let (status, body) = upload(
        &emu,
        &[
            Part::Text("fileName", "logo.png"),
            Part::Text("useUniqueFileName", "false"),
            Part::Text("overwriteFile", "false"),
            Part::File("logo.png", &first),
        ],
    )
    .await;
    assert_error(status, &body, 400);
    assert!(body["message"].as_str().unwrap().contains("already exists"));

    let (status, list) = api(&emu, Method::GET, &format!("/v1/files/{file_id}/versions"), None).await;
    assert_eq!(status, 200);
    let list = list.as_array().unwrap().clone();
    assert_eq!(list.len(), 4);
    let names: Vec<&str> = list.iter().map(|v| v["versionInfo"]["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Version 1", "Version 2", "Version 3", "Version 4"]);
    assert!(list[..3].iter().all(|v| v["type"] == "file-version"));
    assert_eq!(list[3]["type"], "file");
    assert_eq!(list[0]["versionInfo"]["id"], file_id.as_str(), "the first version's id is the file id");
    assert_eq!(list[0]["tags"], json!(["old"]));
    assert!(list.iter().all(|v| v["fileId"] == file_id.as_str()));

    // Get one version.
    let (status, got) = api(&emu, Method::GET, &format!("/v1/files/{file_id}/versions/{file_id}"), None).await;
    assert_eq!(status, 200);
    assert_eq!((got["type"].clone(), got["width"].clone()), (json!("file-version"), json!(10)));
    let (status, body) = api(&emu, Method::GET, &format!("/v1/files/{file_id}/versions/nope"), None).await;
    assert_error(status, &body, 404);

    // Restore version 1: it becomes current again.
    let (status, restored) =
        api(&emu, Method::PUT, &format!("/v1/files/{file_id}/versions/{file_id}/restore"), None).await;
    assert_eq!(status, 200, "{restored}");
    assert_eq!(restored["type"], "file");
    assert_eq!(restored["versionInfo"]["id"], file_id.as_str());
    assert_eq!(restored["width"], 10);
    assert_eq!(restored["size"], first.len());
    assert_eq!(details(&emu, &file_id).await["versionInfo"]["name"], "Version 1");
    let (_, list) = api(&emu, Method::GET, &format!("/v1/files/{file_id}/versions"), None).await;
    assert_eq!(list.as_array().unwrap().len(), 4);

    // Deleting: the current version is refused, an old one works, an unknown one is 404.
    let (status, body) = api(&emu, Method::DELETE, &format!("/v1/files/{file_id}/versions/{file_id}"), None).await;
    assert_error(status, &body, 400);
    let v2_id = v2["versionInfo"]["id"].as_str().unwrap();
    let (status, body) = api(&emu, Method::DELETE, &format!("/v1/files/{file_id}/versions/{v2_id}"), None).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (status, body) = api(&emu, Method::DELETE, &format!("/v1/files/{file_id}/versions/{v2_id}"), None).await;
    assert_error(status, &body, 404);
    let (_, list) = api(&emu, Method::GET, &format!("/v1/files/{file_id}/versions"), None).await;
    assert_eq!(list.as_array().unwrap().len(), 3);
    // A new upload after a deletion never reuses a version name.
    let v5 = put(&emu, "logo.png", &second, &[]).await;
    assert_eq!(v5["versionInfo"]["name"], "Version 5");

    // Deleting the file removes everything.
    let (status, body) = api(&emu, Method::DELETE, &format!("/v1/files/{file_id}"), None).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (status, body) = api(&emu, Method::GET, &format!("/v1/files/{file_id}/details"), None).await;
    assert_error(status, &body, 404);
    let (status, body) = api(&emu, Method::GET, &format!("/v1/files/{file_id}/versions"), None).await;
    assert_error(status, &body, 404);
    let (status, body) = api(&emu, Method::DELETE, &format!("/v1/files/{file_id}"), None).await;
    assert_error(status, &body, 404);
}

#[tokio::test]
async fn extensions_custom_metadata_and_response_fields() {
    let emu = emulator();
    let bytes = png(4, 4, false);
    let (status, body) = upload(
        &emu,
        &[
            Part::Text("fileName", "e.png"),
            Part::Text(
                "extensions",
                r#"[{"name":"google-auto-tagging","maxTags":5,"minConfidence":95},{"name":"remove-bg"}]"#,
            ),
            Part::Text("description", "a red square"),
            Part::Text("webhookUrl", "https://example.com/hook"),
            Part::Text("checks", r#""request.folder" : "/""#),
            Part::Text("responseFields", "customMetadata,selectedFieldsSchema"),
            Part::File("e.png", &bytes),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["extensionStatus"], json!({"google-auto-tagging": "pending", "remove-bg": "pending"}));
    assert_eq!(body["description"], "a red square");
    assert_eq!(body["customMetadata"], json!({}));
    assert_eq!(body["selectedFieldsSchema"], json!({}));

    // Unknown custom metadata keys, malformed JSON fields and unknown response fields are 400s.
    for (k, v) in [
        ("customMetadata", r#"{"nope": 1}"#),
        ("customMetadata", "{not json"),
        ("extensions", "not json"),
        ("responseFields", "tags,bogus"),
        ("isPrivateFile", "yes"),
        ("customCoordinates", "1,2"),
        ("tags", "a,b%c"),
    ] {
        let (status, body) =
            upload(&emu, &[Part::Text("fileName", "bad.png"), Part::Text(k, v), Part::File("bad.png", &bytes)]).await;
        assert_error(status, &body, 400);
    }
}

#[tokio::test]
async fn custom_metadata_on_upload_update_and_overwrite() {
    let emu = emulator();
    let field = |name: &str, schema: Value| json!({"name": name, "label": name.to_uppercase(), "schema": schema});
    let (status, body) = api(
        &emu,
        Method::POST,
        "/v1/customMetadataFields",
        Some(field("brand", json!({"type": "Text", "maxLength": 10}))),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) =
        api(&emu, Method::POST, "/v1/customMetadataFields", Some(field("price", json!({"type": "Number"})))).await;
    assert_eq!(status, 201, "{body}");

    let bytes = png(2, 2, false);
    let f = put(
        &emu,
        "cm.png",
        &bytes,
        &[
            Part::Text("customMetadata", r#"{"brand":"acme","price":10}"#),
            Part::Text("responseFields", "customMetadata"),
        ],
    )
    .await;
    assert_eq!(f["customMetadata"], json!({"brand": "acme", "price": 10}));
    let file_id = id(&f);

    // Values of the wrong type or for unknown fields are refused, naming the field.
    for bad in [r#"{"brand":5}"#, r#"{"brand":"far too long a brand"}"#, r#"{"colour":"red"}"#] {
        let (status, body) = upload(
            &emu,
            &[Part::Text("fileName", "x.png"), Part::Text("customMetadata", bad), Part::File("x.png", &bytes)],
        )
        .await;
        assert_error(status, &body, 400);
        assert!(body["errors"].is_object(), "{body}");
    }

    // Update: set one key, unset another with null.
    let path = format!("/v1/files/{file_id}/details");
    let (status, body) =
        api(&emu, Method::PATCH, &path, Some(json!({"customMetadata": {"brand": "other", "price": null}}))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["customMetadata"], json!({"brand": "other"}));
    let (status, body) = api(&emu, Method::PATCH, &path, Some(json!({"customMetadata": {"price": "ten"}}))).await;
    assert_error(status, &body, 400);
    assert_eq!(details(&emu, &file_id).await["customMetadata"], json!({"brand": "other"}));

    // Overwrite: kept with overwriteCustomMetadata=false, cleared by default.
    put(&emu, "cm.png", &bytes, &[Part::Text("overwriteCustomMetadata", "false")]).await;
    assert_eq!(details(&emu, &file_id).await["customMetadata"], json!({"brand": "other"}));
    put(&emu, "cm.png", &bytes, &[]).await;
    assert_eq!(details(&emu, &file_id).await["customMetadata"], json!({}));

    // A required field (service-facts §5): a plain upload gets its default; an
    // upload that sends customMetadata without it is refused.
    let (status, body) = api(
        &emu,
        Method::POST,
        "/v1/customMetadataFields",
        Some(field("sku", json!({"type": "Text", "isValueRequired": true, "defaultValue": "none"}))),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = upload(&emu, &[Part::Text("fileName", "r.png"), Part::File("r.png", &bytes)]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(details(&emu, &id(&body)).await["customMetadata"], json!({"sku": "none"}));
    let (status, body) = upload(
        &emu,
        &[
            Part::Text("fileName", "r.png"),
            Part::Text("customMetadata", r#"{"brand":"x"}"#),
            Part::File("r.png", &bytes),
        ],
    )
    .await;
    assert_error(status, &body, 400);
    assert_eq!(body["errors"], json!({"sku": "value is required"}));
    let (status, body) = upload(
        &emu,
        &[
            Part::Text("fileName", "r.png"),
            Part::Text("customMetadata", r#"{"sku":"A1"}"#),
            Part::File("r.png", &bytes),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
}
