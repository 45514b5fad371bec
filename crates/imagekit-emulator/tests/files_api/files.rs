//! File details and publication; copy, move and rename.

use super::*;

#[tokio::test]
async fn update_details_and_publication() {
    let emu = emulator();
    let f =
        put(&emu, "u.png", &png(4, 4, false), &[Part::Text("tags", "x,y"), Part::Text("customCoordinates", "0,0,2,2")])
            .await;
    let file_id = id(&f);
    let path = format!("/v1/files/{file_id}/details");

    let (status, body) = api(
        &emu,
        Method::PATCH,
        &path,
        Some(json!({"tags": ["t1", "t2"], "customCoordinates": "1,1,3,3", "description": "hello",
                    "extensions": [{"name": "aws-auto-tagging", "maxTags": 3, "minConfidence": 80}],
                    "removeAITags": "all", "webhookUrl": "https://example.com/w"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["tags"], json!(["t1", "t2"]));
    assert_eq!(body["customCoordinates"], "1,1,3,3");
    assert_eq!(body["description"], "hello");
    assert_eq!(body["extensionStatus"], json!({"aws-auto-tagging": "pending"}));
    assert_eq!(body["fileId"], file_id.as_str());

    // Absent fields stay; null clears.
    let (status, body) = api(&emu, Method::PATCH, &path, Some(json!({"description": "again"}))).await;
    assert_eq!(status, 200);
    assert_eq!(body["tags"], json!(["t1", "t2"]));
    assert!(body.get("extensionStatus").is_none());
    let (status, body) = api(&emu, Method::PATCH, &path, Some(json!({"tags": null, "customCoordinates": null}))).await;
    assert_eq!(status, 200);
    assert_eq!(body["tags"], Value::Null);
    assert_eq!(body["customCoordinates"], Value::Null);
    assert_eq!(details(&emu, &file_id).await["tags"], Value::Null);

    // Bad input.
    for bad in [
        json!({"customCoordinates": "1,2,3"}),
        json!({"tags": "notalist"}),
        json!({"customMetadata": {"unknownField": 1}}),
        json!({"removeAITags": "some"}),
        json!({"publish": {"includeFileVersions": true}}),
        json!({"publish": {"isPublished": true}, "tags": ["a"]}),
    ] {
        let (status, body) = api(&emu, Method::PATCH, &path, Some(bad.clone())).await;
        assert_error(status, &body, 400);
    }

    // Publication, for the current version and then all versions.
    put(&emu, "u.png", &png(4, 4, false), &[]).await;
    let (status, body) = api(&emu, Method::PATCH, &path, Some(json!({"publish": {"isPublished": false}}))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["isPublished"], false);
    let (_, list) = api(&emu, Method::GET, &format!("/v1/files/{file_id}/versions"), None).await;
    assert_eq!(list[0]["isPublished"], true);
    let (status, body) =
        api(&emu, Method::PATCH, &path, Some(json!({"publish": {"isPublished": false, "includeFileVersions": true}})))
            .await;
    assert_eq!(status, 200);
    assert_eq!(body["isPublished"], false);
    let (_, list) = api(&emu, Method::GET, &format!("/v1/files/{file_id}/versions"), None).await;
    assert!(list.as_array().unwrap().iter().all(|v| v["isPublished"] == false));

    let (status, body) = api(&emu, Method::PATCH, "/v1/files/missing/details", Some(json!({"tags": ["a"]}))).await;
    assert_error(status, &body, 404);
}

#[tokio::test]
async fn copy_move_and_rename() {
    let emu = emulator();
    let (w5, w6, w7) = (png(5, 5, false), png(6, 6, false), png(7, 7, false));
    put(&emu, "a.png", &w6, &[Part::Text("folder", "/src")]).await;
    let src_id = id(&put(&emu, "a.png", &w7, &[Part::Text("folder", "/src")]).await);
    let copy = |src: &str, dst: &str, versions: bool| json!({"sourceFilePath": src, "destinationPath": dst, "includeFileVersions": versions});
    let versions_of = |file_id: String| {
        let emu = emu.clone();
        async move {
            let (status, list) = api(&emu, Method::GET, &format!("/v1/files/{file_id}/versions"), None).await;
            assert_eq!(status, 200, "{list}");
            list.as_array().unwrap().clone()
        }
    };
    let widths = |list: &[Value]| list.iter().map(|v| v["width"].as_u64().unwrap()).collect::<Vec<_>>();

    // Copy without versions into a folder that does not exist yet.
    let (status, body) =
        api(&emu, Method::POST, "/v1/files/copy", Some(copy("/src/a.png", "/fresh/deep", false))).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (status, metadata) =
        api(&emu, Method::GET, "/v1/metadata?url=http%3A%2F%2Femu.local%2Femulator%2Ffresh%2Fdeep%2Fa.png", None).await;
    assert_eq!(status, 200, "{metadata}");
    assert_eq!(metadata["width"], 7);
    assert_eq!(details(&emu, &src_id).await["filePath"], "/src/a.png", "the source stays");

    // Copy with versions onto an existing file: they become its newer versions.
    let dest_id = id(&put(&emu, "a.png", &w5, &[Part::Text("folder", "/dst")]).await);
    let (status, _) = api(&emu, Method::POST, "/v1/files/copy", Some(copy("src/a.png", "dst", true))).await;
    assert_eq!(status, 204);
    let list = versions_of(dest_id.clone()).await;
    assert_eq!(widths(&list), [5, 6, 7]);
    let names: Vec<&str> = list.iter().map(|v| v["versionInfo"]["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Version 1", "Version 2", "Version 3"]);
    assert!(list.iter().all(|v| v["filePath"] == "/dst/a.png"));

    // Move onto an existing file: the moved file's versions are appended and
    // the moved record is gone. (This also shows the fresh copy had one version.)
    let keep_id = id(&put(&emu, "a.png", &w5, &[Part::Text("folder", "/k")]).await);
    let (status, body) = api(
        &emu,
        Method::POST,
        "/v1/files/move",
        Some(json!({"sourceFilePath": "/fresh/deep/a.png", "destinationPath": "/k"})),
    )
    .await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    assert_eq!(widths(&versions_of(keep_id.clone()).await), [5, 7]);
    let (status, body) =
        api(&emu, Method::GET, "/v1/metadata?url=http%3A%2F%2Femu.local%2Femulator%2Ffresh%2Fdeep%2Fa.png", None).await;
    assert_error(status, &body, 404);

    // A copy with versions to a fresh place keeps them, renumbered from the file id.
    let (status, _) = api(&emu, Method::POST, "/v1/files/copy", Some(copy("/src/a.png", "/withv", true))).await;
    assert_eq!(status, 204);
    let (status, _) = api(
        &emu,
        Method::POST,
        "/v1/files/move",
        Some(json!({"sourceFilePath": "/withv/a.png", "destinationPath": "/k/"})),
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(widths(&versions_of(keep_id.clone()).await), [5, 7, 6, 7]);

    // Deleting the source does not take the copies' bytes.
    let (status, _) = api(&emu, Method::DELETE, &format!("/v1/files/{src_id}"), None).await;
    assert_eq!(status, 204);
    let (status, m) = api(&emu, Method::GET, &format!("/v1/files/{dest_id}/metadata"), None).await;
    assert_eq!((status, m["width"].clone()), (StatusCode::OK, json!(7)));
    assert!(m["pHash"].is_string(), "the bytes are readable: {m}");

    // Copy or move of a missing file; missing parameters.
    let (status, body) = api(&emu, Method::POST, "/v1/files/copy", Some(copy("/nope.png", "/", false))).await;
    assert_error(status, &body, 404);
    let (status, body) =
        api(&emu, Method::POST, "/v1/files/move", Some(json!({"sourceFilePath": "/nope.png", "destinationPath": "/"})))
            .await;
    assert_error(status, &body, 404);
    let (status, body) = api(&emu, Method::POST, "/v1/files/copy", Some(json!({"sourceFilePath": "/k/a.png"}))).await;
    assert_error(status, &body, 400);

    // Move to a new folder: same id, new path for every version.
    let (status, _) = api(
        &emu,
        Method::POST,
        "/v1/files/move",
        Some(json!({"sourceFilePath": "/dst/a.png", "destinationPath": "/moved"})),
    )
    .await;
    assert_eq!(status, 204);
    let moved = details(&emu, &dest_id).await;
    assert_eq!(moved["filePath"], "/moved/a.png");
    assert_eq!(moved["url"], "http://emu.local/emulator/moved/a.png");
    assert!(versions_of(dest_id.clone()).await.iter().all(|v| v["filePath"] == "/moved/a.png"));

    // Rename: sanitised name, 409 on a taken name, purgeCache.
    put(&emu, "taken.png", &w5, &[Part::Text("folder", "/moved")]).await;
    let rename = |path: &str, name: &str| json!({"filePath": path, "newFileName": name});
    let (status, body) = api(&emu, Method::PUT, "/v1/files/rename", Some(rename("/moved/a.png", "new name.png"))).await;
    assert_eq!((status, body), (StatusCode::OK, json!({})));
    let renamed = details(&emu, &dest_id).await;
    assert_eq!(renamed["name"], "new_name.png");
    assert_eq!(renamed["filePath"], "/moved/new_name.png");
    let (status, body) =
        api(&emu, Method::PUT, "/v1/files/rename", Some(rename("/moved/new_name.png", "taken.png"))).await;
    assert_error(status, &body, 409);
    let mut with_purge = rename("/moved/new_name.png", "final.png");
    with_purge["purgeCache"] = json!(true);
    let (status, body) = api(&emu, Method::PUT, "/v1/files/rename", Some(with_purge)).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["purgeRequestId"].as_str().is_some_and(|s| !s.is_empty()), "{body}");
    assert_eq!(details(&emu, &dest_id).await["filePath"], "/moved/final.png");
    let (status, body) = api(&emu, Method::PUT, "/v1/files/rename", Some(rename("/nope.png", "x.png"))).await;
    assert_error(status, &body, 404);
    let (status, body) = api(&emu, Method::PUT, "/v1/files/rename", Some(rename("/moved/final.png", ""))).await;
    assert_error(status, &body, 400);
}
