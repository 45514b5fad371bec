//! Account documents: saved extensions, named transformations, origins, URL endpoints, and their survival across a restart.

use super::*;

#[tokio::test]
async fn saved_extensions_crud() {
    let client = emulator();
    let config = json!({"name": "google-auto-tagging", "maxTags": 5, "minConfidence": 90});
    let (status, ext) =
        post(&client, "/v1/saved-extensions", json!({"name": "Tagger", "description": "tags", "config": config})).await;
    assert_eq!(status, StatusCode::OK, "{ext}");
    let id = ext["id"].as_str().unwrap().to_owned();
    assert_eq!(ext["name"], "Tagger");
    assert_eq!(ext["config"], config);
    assert!(ext["createdAt"].is_string() && ext["updatedAt"].is_string());

    let (_, got) = get(&client, &format!("/v1/saved-extensions/{id}")).await;
    assert_eq!(got, ext);
    let (status, updated) = api(
        &client,
        Method::PATCH,
        &format!("/v1/saved-extensions/{id}"),
        Some(json!({"description": "new", "config": {"name": "remove-bg"}})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["description"], "new");
    assert_eq!(updated["name"], "Tagger");
    assert_eq!(updated["config"], json!({"name": "remove-bg"}));
    let (_, all) = get(&client, "/v1/saved-extensions").await;
    assert_eq!(all, json!([updated]));

    for body in [
        json!({"name": "x", "description": "d", "config": {"name": "saved-extension", "id": id}}),
        json!({"name": "x", "description": "d", "config": {"name": "teleport"}}),
        json!({"name": "x", "description": "d", "config": {"name": "google-auto-tagging"}}),
        json!({"name": "", "description": "d", "config": {"name": "remove-bg"}}),
        json!({"name": "x", "config": {"name": "remove-bg"}}),
    ] {
        let (status, resp) = post(&client, "/v1/saved-extensions", body).await;
        assert_error(status, &resp, 400);
    }
    let (status, resp) =
        api(&client, Method::PATCH, &format!("/v1/saved-extensions/{id}"), Some(json!({"config": {"name": "nope"}})))
            .await;
    assert_error(status, &resp, 400);

    let (status, body) = api(&client, Method::DELETE, &format!("/v1/saved-extensions/{id}"), None).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    for method in [Method::GET, Method::DELETE] {
        let (status, body) = api(&client, method, &format!("/v1/saved-extensions/{id}"), None).await;
        assert_error(status, &body, 404);
    }
    let (status, body) =
        api(&client, Method::PATCH, &format!("/v1/saved-extensions/{id}"), Some(json!({"name": "y"}))).await;
    assert_error(status, &body, 404);

    // At most 100.
    for i in 0..100 {
        let (status, _) = post(
            &client,
            "/v1/saved-extensions",
            json!({"name": format!("e{i}"), "description": "d", "config": {"name": "remove-bg"}}),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, body) = post(
        &client,
        "/v1/saved-extensions",
        json!({"name": "one more", "description": "d", "config": {"name": "remove-bg"}}),
    )
    .await;
    assert_error(status, &body, 400);
}

#[tokio::test]
async fn named_transformations_crud_and_conflicts() {
    let client = emulator();
    let (status, nt) =
        post(&client, "/v1/named-transformations", json!({"name": "thumb_200", "transformation": "w-200,h-200"})).await;
    assert_eq!(status, StatusCode::OK, "{nt}");
    assert_eq!(nt["enabled"], true);
    assert!(nt["id"].is_string() && nt["createdAt"].is_string());
    let id = nt["id"].as_str().unwrap().to_owned();

    let (status, body) =
        post(&client, "/v1/named-transformations", json!({"name": "thumb_200", "transformation": "w-100"})).await;
    assert_error(status, &body, 409);
    let (status, other) = post(
        &client,
        "/v1/named-transformations",
        json!({"name": "Thumb_200", "transformation": "w-1", "enabled": false}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "names are case-sensitive: {other}");
    assert_eq!(other["enabled"], false);

    for body in [
        json!({"name": "with-dash", "transformation": "w-1"}),
        json!({"name": "sp ace", "transformation": "w-1"}),
        json!({"name": "", "transformation": "w-1"}),
        json!({"name": "ok", "transformation": ""}),
        json!({"name": "ok"}),
    ] {
        let (status, resp) = post(&client, "/v1/named-transformations", body).await;
        assert_error(status, &resp, 400);
    }

    let path = format!("/v1/named-transformations/{id}");
    let (status, body) = api(&client, Method::PATCH, &path, Some(json!({"name": "Thumb_200"}))).await;
    assert_error(status, &body, 409);
    let (status, body) = api(&client, Method::PATCH, &path, Some(json!({"name": "thumb_200", "enabled": false}))).await;
    assert_eq!(status, StatusCode::OK, "keeping its own name is fine: {body}");
    assert_eq!(body["enabled"], false);
    let (_, body) = api(&client, Method::PATCH, &path, Some(json!({"transformation": "w-300"}))).await;
    assert_eq!(body["transformation"], "w-300");
    assert_eq!(body["createdAt"], nt["createdAt"]);
    let (_, got) = get(&client, &path).await;
    assert_eq!(got, body);
    let (_, all) = get(&client, "/v1/named-transformations").await;
    assert_eq!(all.as_array().unwrap().len(), 2);

    let (status, _) = api(&client, Method::DELETE, &path, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = get(&client, &path).await;
    assert_error(status, &body, 404);
    // The name is free again.
    let (status, _) =
        post(&client, "/v1/named-transformations", json!({"name": "thumb_200", "transformation": "w-1"})).await;
    assert_eq!(status, StatusCode::OK);
}

fn origin_requests() -> Vec<(Value, Vec<&'static str>, Vec<&'static str>)> {
    // (request, keys the response must have, secret values it must not contain)
    vec![
        (
            json!({"type": "S3", "name": "s3", "bucket": "b", "accessKey": "AKIA", "secretKey": "s3-secret", "prefix": "p"}),
            vec!["bucket", "prefix", "useIAMRole"],
            vec!["s3-secret", "AKIA"],
        ),
        (
            json!({"type": "S3", "name": "iam", "bucket": "b", "accessKey": "", "secretKey": "", "useIAMRole": true}),
            vec!["bucket", "prefix", "useIAMRole"],
            vec![],
        ),
        (
            json!({"type": "S3_COMPATIBLE", "name": "minio", "bucket": "b", "accessKey": "ak", "secretKey": "compat-secret",
                   "endpoint": "https://minio.local", "s3ForcePathStyle": true}),
            vec!["bucket", "prefix", "endpoint", "s3ForcePathStyle"],
            vec!["compat-secret"],
        ),
        (
            json!({"type": "CLOUDINARY_BACKUP", "name": "cb", "bucket": "b", "accessKey": "ak", "secretKey": "cb-secret"}),
            vec!["bucket", "prefix", "useIAMRole"],
            vec!["cb-secret"],
        ),
        (
            json!({"type": "WEB_FOLDER", "name": "web", "baseUrl": "https://example.com/images",
                   "forwardHostHeaderToOrigin": true, "includeCanonicalHeader": true,
                   "baseUrlForCanonicalHeader": "https://example.com"}),
            vec!["baseUrl", "forwardHostHeaderToOrigin", "baseUrlForCanonicalHeader"],
            vec![],
        ),
        (json!({"type": "WEB_PROXY", "name": "proxy"}), vec![], vec![]),
        (
            json!({"type": "GCS", "name": "gcs", "bucket": "b", "clientEmail": "sa@x.iam.gserviceaccount.com",
                   "privateKey": "-----BEGIN PRIVATE KEY-----gcs"}),
            vec!["bucket", "prefix", "clientEmail"],
            vec!["BEGIN PRIVATE KEY"],
        ),
        (
            json!({"type": "AZURE_BLOB", "name": "azure", "accountName": "acct", "container": "c", "sasToken": "sv=azure-sas"}),
            vec!["accountName", "container", "prefix"],
            vec!["azure-sas"],
        ),
        (
            json!({"type": "AKENEO_PIM", "name": "pim", "baseUrl": "https://pim.example.com", "clientId": "cid",
                   "clientSecret": "pim-client-secret", "username": "u", "password": "pim-password"}),
            vec!["baseUrl"],
            vec!["pim-client-secret", "pim-password"],
        ),
    ]
}

#[tokio::test]
async fn origins_of_every_type_drop_secrets() {
    let client = emulator();
    let mut ids = Vec::new();
    for (req, keys, secrets) in origin_requests() {
        let (status, body) = post(&client, "/v1/accounts/origins", req.clone()).await;
        assert_eq!(status, StatusCode::OK, "{req}: {body}");
        assert_eq!(body["type"], req["type"]);
        assert_eq!(body["name"], req["name"]);
        assert!(body["id"].is_string());
        assert_eq!(body["includeCanonicalHeader"], req.get("includeCanonicalHeader").cloned().unwrap_or(json!(false)));
        for k in keys {
            assert!(body.get(k).is_some(), "{req}: no {k} in {body}");
        }
        let text = body.to_string();
        for secret in secrets {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
        for k in
            ["secretKey", "accessKey", "privateKey", "sasToken", "clientSecret", "password", "clientId", "username"]
        {
            assert!(body.get(k).is_none(), "{k} in {body}");
        }
        let (_, got) = get(&client, &format!("/v1/accounts/origins/{}", body["id"].as_str().unwrap())).await;
        assert_eq!(got, body);
        ids.push(body["id"].as_str().unwrap().to_owned());
    }
    let (_, all) = get(&client, "/v1/accounts/origins").await;
    assert_eq!(all.as_array().unwrap().len(), 9);
    assert_eq!(all[0]["id"], ids[0].as_str());

    // PUT replaces everything, the type included.
    let (status, body) = api(
        &client,
        Method::PUT,
        &format!("/v1/accounts/origins/{}", ids[0]),
        Some(json!({"type": "WEB_PROXY", "name": "now a proxy"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body,
        json!({"type": "WEB_PROXY", "id": ids[0], "name": "now a proxy", "includeCanonicalHeader": false})
    );

    for bad in [
        json!({"type": "FTP", "name": "x"}),
        json!({"name": "no type"}),
        json!({"type": "S3", "name": "x", "bucket": "b", "accessKey": "a"}),
        json!({"type": "S3", "name": "x", "bucket": "b", "accessKey": "", "secretKey": ""}),
        json!({"type": "S3", "name": "", "bucket": "b", "accessKey": "a", "secretKey": "s"}),
        json!({"type": "S3_COMPATIBLE", "name": "x", "bucket": "b", "accessKey": "a", "secretKey": "s", "endpoint": "not a url"}),
        json!({"type": "WEB_FOLDER", "name": "x"}),
        json!({"type": "WEB_FOLDER", "name": "x", "baseUrl": "example.com"}),
        json!({"type": "GCS", "name": "x", "bucket": "b", "clientEmail": "e", "privateKey": ""}),
        json!({"type": "AZURE_BLOB", "name": "x", "accountName": "a", "container": "c"}),
        json!({"type": "AKENEO_PIM", "name": "x", "baseUrl": "https://p", "clientId": "c", "clientSecret": "s", "username": "u"}),
    ] {
        let (status, body) = post(&client, "/v1/accounts/origins", bad.clone()).await;
        assert_error(status, &body, 400);
    }
    let (status, body) =
        api(&client, Method::PUT, "/v1/accounts/origins/nope", Some(json!({"type": "WEB_PROXY", "name": "x"}))).await;
    assert_error(status, &body, 404);
    let (status, body) = api(&client, Method::DELETE, &format!("/v1/accounts/origins/{}", ids[1]), None).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (status, body) = get(&client, &format!("/v1/accounts/origins/{}", ids[1])).await;
    assert_error(status, &body, 404);
}

#[tokio::test]
async fn url_endpoints_and_origins_in_use() {
    let client = emulator();
    let (_, list) = get(&client, "/v1/accounts/url-endpoints").await;
    assert_eq!(list, json!([{"id": "default", "description": "Default", "origins": [], "urlPrefix": ""}]));
    let (_, default) = get(&client, "/v1/accounts/url-endpoints/default").await;
    assert_eq!(default, list[0]);
    let (status, body) = api(&client, Method::DELETE, "/v1/accounts/url-endpoints/default", None).await;
    assert_error(status, &body, 400);

    let (_, o1) = post(&client, "/v1/accounts/origins", json!({"type": "WEB_PROXY", "name": "one"})).await;
    let (_, o2) =
        post(&client, "/v1/accounts/origins", json!({"type": "WEB_FOLDER", "name": "two", "baseUrl": "https://x.y"}))
            .await;
    let (o1, o2) = (o1["id"].as_str().unwrap().to_owned(), o2["id"].as_str().unwrap().to_owned());

    let (status, ep) = post(
        &client,
        "/v1/accounts/url-endpoints",
        json!({"description": "Legacy", "urlPrefix": "legacy-2", "origins": [o2, o1], "urlRewriter": {"type": "CLOUDINARY"}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{ep}");
    assert_eq!(ep["origins"], json!([o2, o1]));
    assert_eq!(ep["urlPrefix"], "legacy-2");
    assert_eq!(ep["urlRewriter"], json!({"type": "CLOUDINARY", "preserveAssetDeliveryTypes": false}));
    let ep_id = ep["id"].as_str().unwrap().to_owned();
    let (_, list) = get(&client, "/v1/accounts/url-endpoints").await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["id"], "default");
    assert_eq!(list[1], ep);

    for bad in [
        json!({"description": "x", "urlPrefix": "has space"}),
        json!({"description": "x", "urlPrefix": "under_score"}),
        json!({"description": "x", "urlPrefix": "a/b"}),
        json!({"description": "x"}),
        json!({"description": "x", "urlPrefix": "legacy-2"}),
        json!({"description": "x", "urlPrefix": "p", "origins": ["missing"]}),
        json!({"description": "x", "urlPrefix": "p", "origins": [o1, o1]}),
        json!({"description": "x", "urlPrefix": "p", "urlRewriter": {"type": "FASTLY"}}),
        json!({"description": "", "urlPrefix": "p"}),
        json!({"urlPrefix": "p"}),
    ] {
        let (status, body) = post(&client, "/v1/accounts/url-endpoints", bad.clone()).await;
        assert_error(status, &body, 400);
    }

    // An origin in use cannot be deleted.
    let (status, body) = api(&client, Method::DELETE, &format!("/v1/accounts/origins/{o1}"), None).await;
    assert_error(status, &body, 400);
    // PUT replaces the endpoint; then the origin is free.
    let (status, body) = api(
        &client,
        Method::PUT,
        &format!("/v1/accounts/url-endpoints/{ep_id}"),
        Some(json!({"description": "Legacy v2", "urlPrefix": "legacy-2", "origins": [o2], "urlRewriter": {"type": "IMGIX"}})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body,
        json!({"id": ep_id, "description": "Legacy v2", "origins": [o2], "urlPrefix": "legacy-2", "urlRewriter": {"type": "IMGIX"}})
    );
    let (status, _) = api(&client, Method::DELETE, &format!("/v1/accounts/origins/{o1}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    // The default endpoint can be given origins, but not a prefix.
    let (status, body) = api(
        &client,
        Method::PUT,
        "/v1/accounts/url-endpoints/default",
        Some(json!({"description": "Main", "origins": [o2]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, list) = get(&client, "/v1/accounts/url-endpoints").await;
    assert_eq!(list[0], json!({"id": "default", "description": "Main", "origins": [o2], "urlPrefix": ""}));
    let (status, body) = api(
        &client,
        Method::PUT,
        "/v1/accounts/url-endpoints/default",
        Some(json!({"description": "M", "urlPrefix": "x"})),
    )
    .await;
    assert_error(status, &body, 400);
    let (status, body) = api(&client, Method::DELETE, &format!("/v1/accounts/origins/{o2}"), None).await;
    assert_error(status, &body, 400);

    let (status, _) = api(&client, Method::DELETE, &format!("/v1/accounts/url-endpoints/{ep_id}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = get(&client, &format!("/v1/accounts/url-endpoints/{ep_id}")).await;
    assert_error(status, &body, 404);
    let (status, body) = api(
        &client,
        Method::PUT,
        "/v1/accounts/url-endpoints/nope",
        Some(json!({"description": "x", "urlPrefix": "q"})),
    )
    .await;
    assert_error(status, &body, 404);
    let (_, list) = get(&client, "/v1/accounts/url-endpoints").await;
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn documents_and_folders_survive_a_restart() {
    let dir = std::env::temp_dir().join(format!("ik-emu-library-{}-{}", std::process::id(), now_ms()));
    {
        let client = Emulator::builder().data_dir(&dir).in_process(ORIGIN).unwrap();
        cmf(&client, "brand", "Brand", json!({"type": "Text"})).await;
        post(&client, "/v1/accounts/origins", json!({"type": "WEB_PROXY", "name": "p"})).await;
        post(&client, "/v1/folder", json!({"folderName": "kept", "parentFolderPath": "/"})).await;
        let (_, purge) = post(&client, "/v1/files/purge", json!({"url": "https://x.y/z"})).await;
        let id = purge["requestId"].as_str().unwrap().to_owned();
        let (_, first) = get(&client, &format!("/v1/files/purge/{id}")).await;
        assert_eq!(first["status"], "Pending");
        std::fs::write(dir.join("purge-id"), id).unwrap();
    }
    {
        let client = Emulator::builder().data_dir(&dir).in_process(ORIGIN).unwrap();
        let (_, fields) = get(&client, "/v1/customMetadataFields").await;
        assert_eq!(fields[0]["name"], "brand");
        let (_, origins) = get(&client, "/v1/accounts/origins").await;
        assert_eq!(origins[0]["name"], "p");
        assert_eq!(list(&client, "?type=folder").await, ["kept"]);
        let id = std::fs::read_to_string(dir.join("purge-id")).unwrap();
        let (_, second) = get(&client, &format!("/v1/files/purge/{id}")).await;
        assert_eq!(second["status"], "Completed");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
