//! Folders: create, delete, copy, move, rename (with purge) and their bulk jobs; purge requests.

use super::*;

#[tokio::test]
async fn create_folders() {
    let client = emulator();
    let (status, body) = post(&client, "/v1/folder", json!({"folderName": "summer", "parentFolderPath": "/"})).await;
    assert_eq!((status, body), (StatusCode::CREATED, json!({})));
    let (status, _) =
        post(&client, "/v1/folder", json!({"folderName": "new arrivals!", "parentFolderPath": "/shop/men"})).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = post(&client, "/v1/folder", json!({"folderName": "été-2025", "parentFolderPath": "shop"})).await;
    assert_eq!(status, StatusCode::CREATED);
    // Again: fine.
    let (status, _) = post(&client, "/v1/folder", json!({"folderName": "summer", "parentFolderPath": "/"})).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        paths(&client).await,
        ["/shop/", "/shop/men/", "/shop/men/new_arrivals_/", "/shop/été_2025/", "/summer/"]
    );
    let (_, folder) = get(&client, "/v1/files?type=folder&path=/shop/men").await;
    assert_eq!(folder[0]["name"], "new_arrivals_");
    assert_eq!(folder[0]["folderPath"], "/shop/men/new_arrivals_");

    for body in [
        json!({"parentFolderPath": "/"}),
        json!({"folderName": "x"}),
        json!({"folderName": " ", "parentFolderPath": "/"}),
    ] {
        let (status, resp) = post(&client, "/v1/folder", body).await;
        assert_error(status, &resp, 400);
    }
}

#[tokio::test]
async fn delete_folders() {
    let client = emulator();
    seed(&client, Seed::new("/keep/x.pdf"));
    seed(&client, Seed { versions: 2, ..Seed::new("/gone/a.pdf") });
    seed(&client, Seed::new("/gone/deep/er/b.pdf"));
    seed(&client, Seed::new("/gone-not/c.pdf"));
    let (_, before) = get(&client, "/v1/files?type=file&path=/gone").await;
    let url = before[0]["url"].as_str().unwrap().to_owned();
    let (status, _) = send(&client, Method::GET, url.trim_start_matches(ORIGIN), None, Vec::new()).await;
    assert_eq!(status, StatusCode::OK);

    let (status, body) = api(&client, Method::DELETE, "/v1/folder", Some(json!({"folderPath": "/gone/"}))).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    assert_eq!(paths(&client).await, ["/gone-not/", "/gone-not/c.pdf", "/keep/", "/keep/x.pdf"]);
    let (status, _) = send(&client, Method::GET, url.trim_start_matches(ORIGIN), None, Vec::new()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, body) = api(&client, Method::DELETE, "/v1/folder", Some(json!({"folderPath": "/gone"}))).await;
    assert_error(status, &body, 404);
    let (status, body) = api(&client, Method::DELETE, "/v1/folder", Some(json!({}))).await;
    assert_error(status, &body, 400);
    let (status, body) = api(&client, Method::DELETE, "/v1/folder", Some(json!({"folderPath": "/"}))).await;
    assert_error(status, &body, 400);
    // An empty folder with no files can be deleted too.
    post(&client, "/v1/folder", json!({"folderName": "empty", "parentFolderPath": "/"})).await;
    let (status, _) = api(&client, Method::DELETE, "/v1/folder", Some(json!({"folderPath": "empty"}))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn copy_folder_into_destination() {
    let client = emulator();
    seed(&client, Seed { versions: 1, ..Seed::new("/a/sub/x.pdf") });
    seed(&client, Seed::new("/a/sub/deeper/y.pdf"));
    seed(&client, Seed::new("/a/other.pdf"));
    post(&client, "/v1/folder", json!({"folderName": "b", "parentFolderPath": "/"})).await;

    let resp =
        post(&client, "/v1/bulkJobs/copyFolder", json!({"sourceFolderPath": "/a/sub", "destinationPath": "/b"})).await;
    let done = job_completes(&client, resp, "COPY_FOLDER").await;
    assert!(done.get("purgeRequestId").is_none());
    assert_eq!(
        paths(&client).await,
        [
            "/a/",
            "/a/other.pdf",
            "/a/sub/",
            "/a/sub/deeper/",
            "/a/sub/deeper/y.pdf",
            "/a/sub/x.pdf",
            "/b/",
            "/b/sub/",
            "/b/sub/deeper/",
            "/b/sub/deeper/y.pdf",
            "/b/sub/x.pdf",
        ]
    );
    // Without includeVersions only the current version is copied; copies have new ids.
    let (_, src) = get(&client, "/v1/files?type=file&path=/a/sub").await;
    let (_, copy) = get(&client, "/v1/files?type=file&path=/b/sub").await;
    assert_ne!(src[0]["fileId"], copy[0]["fileId"]);
    assert_eq!(copy[0]["versionInfo"]["name"], "Version 1");
    let (_, versions) = get(&client, "/v1/files?type=file-version").await;
    assert_eq!(versions.as_array().unwrap().len(), 1);

    // With versions, into a destination that does not exist yet.
    let resp = post(
        &client,
        "/v1/bulkJobs/copyFolder",
        json!({"sourceFolderPath": "/a/sub/", "destinationPath": "/c/d", "includeVersions": true}),
    )
    .await;
    job_completes(&client, resp, "COPY_FOLDER").await;
    let (_, copy) = get(&client, "/v1/files?type=file&path=/c/d/sub").await;
    assert_eq!(names(&copy), ["x.pdf"]);
    assert_eq!(copy[0]["versionInfo"]["name"], "Version 2");
    let (_, versions) = get(&client, "/v1/files?type=file-version").await;
    assert_eq!(versions.as_array().unwrap().len(), 2);

    // Copies have bytes of their own.
    let url = copy[0]["url"].as_str().unwrap().trim_start_matches(ORIGIN).to_owned();
    api(&client, Method::DELETE, "/v1/folder", Some(json!({"folderPath": "/a"}))).await;
    let (status, body) = send(&client, Method::GET, &url, None, Vec::new()).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Copying again into the same place adds versions to the existing files.
    let resp =
        post(&client, "/v1/bulkJobs/copyFolder", json!({"sourceFolderPath": "/b/sub", "destinationPath": "/c/d"}))
            .await;
    job_completes(&client, resp, "COPY_FOLDER").await;
    let (_, copy) = get(&client, "/v1/files?type=file&path=/c/d/sub").await;
    assert_eq!(copy[0]["versionInfo"]["name"], "Version 3");
}

#[tokio::test]
async fn copy_folder_errors() {
    let client = emulator();
    seed(&client, Seed::new("/a/sub/x.pdf"));
    let cases = [
        (json!({"sourceFolderPath": "/missing", "destinationPath": "/b"}), 404),
        (json!({"sourceFolderPath": "/a", "destinationPath": "/a/sub"}), 400),
        (json!({"sourceFolderPath": "/a", "destinationPath": "/a"}), 400),
        (json!({"sourceFolderPath": "/a/sub", "destinationPath": "/a"}), 400),
        (json!({"sourceFolderPath": "/", "destinationPath": "/b"}), 400),
        (json!({"sourceFolderPath": "/a"}), 400),
        (json!({"destinationPath": "/a"}), 400),
        (json!({"sourceFolderPath": "", "destinationPath": "/b"}), 400),
        (json!({"sourceFolderPath": 5, "destinationPath": "/b"}), 400),
    ];
    for (body, expected) in cases {
        let (status, resp) = post(&client, "/v1/bulkJobs/copyFolder", body.clone()).await;
        assert_error(status, &resp, expected);
    }
    let (status, body) = get(&client, "/v1/bulkJobs/000000000000000000000000").await;
    assert_error(status, &body, 404);
}

#[tokio::test]
async fn move_folder_into_destination() {
    let client = emulator();
    let id = seed(&client, Seed { versions: 1, ..Seed::new("/a/sub/x.pdf") });
    seed(&client, Seed::new("/a/sub/deeper/y.pdf"));
    seed(&client, Seed::new("/b/sub/y.pdf"));
    client.seed(|tx| {
        let mut f = tx.db().folders.get("/a/sub").cloned().unwrap();
        f.custom_metadata.insert("k".into(), json!("v"));
        tx.put_folder(f);
    });
    let (_, before) = get(&client, "/v1/files?type=folder&path=/a").await;

    let resp =
        post(&client, "/v1/bulkJobs/moveFolder", json!({"sourceFolderPath": "/a/sub", "destinationPath": "/b"})).await;
    job_completes(&client, resp, "MOVE_FOLDER").await;
    assert_eq!(
        paths(&client).await,
        ["/a/", "/b/", "/b/sub/", "/b/sub/deeper/", "/b/sub/deeper/y.pdf", "/b/sub/x.pdf", "/b/sub/y.pdf"]
    );
    // The file keeps its id and versions; its versions moved too.
    let (status, details) =
        get(&client, &format!("/v1/files?type=file&path=/b/sub&searchQuery={}", enc(r#"name = "x.pdf""#))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(details[0]["fileId"], id.as_str());
    let (_, versions) = get(&client, "/v1/files?type=file-version").await;
    assert_eq!(versions[0]["filePath"], "/b/sub/x.pdf");
    // /b/sub existed: it is merged into, keeping its own record.
    let (_, moved) = get(&client, "/v1/files?type=folder&path=/b").await;
    assert_ne!(moved[0]["folderId"], before[0]["folderId"]);

    // A folder moved where nothing exists keeps its id and metadata.
    seed(&client, Seed::new("/m/n/z.pdf"));
    client.seed(|tx| {
        let mut f = tx.db().folders.get("/m/n").cloned().unwrap();
        f.custom_metadata.insert("k".into(), json!("v"));
        tx.put_folder(f);
    });
    let (_, before) = get(&client, "/v1/files?type=folder&path=/m").await;
    let resp =
        post(&client, "/v1/bulkJobs/moveFolder", json!({"sourceFolderPath": "/m/n", "destinationPath": "/"})).await;
    job_completes(&client, resp, "MOVE_FOLDER").await;
    let (_, after) = get(&client, &format!("/v1/files?searchQuery={}", enc(r#"type = "folder" AND name = "n""#))).await;
    assert_eq!(after[0]["folderPath"], "/n");
    assert_eq!(after[0]["folderId"], before[0]["folderId"]);
    assert_eq!(after[0]["customMetadata"], json!({"k": "v"}));

    let (status, body) =
        post(&client, "/v1/bulkJobs/moveFolder", json!({"sourceFolderPath": "/a/sub", "destinationPath": "/b"})).await;
    assert_error(status, &body, 404);
    let (status, body) =
        post(&client, "/v1/bulkJobs/moveFolder", json!({"sourceFolderPath": "/b", "destinationPath": "/b/sub"})).await;
    assert_error(status, &body, 400);
    let (status, body) = post(&client, "/v1/bulkJobs/moveFolder", json!({"destinationPath": "/b"})).await;
    assert_error(status, &body, 400);
}

#[tokio::test]
async fn rename_folder_with_purge() {
    let client = emulator();
    seed(&client, Seed::new("/shop/old/x.pdf"));
    seed(&client, Seed::new("/shop/old/in/y.pdf"));
    seed(&client, Seed::new("/shop/taken/z.pdf"));

    let resp =
        post(&client, "/v1/bulkJobs/renameFolder", json!({"folderPath": "/shop/old", "newFolderName": "new name-2"}))
            .await;
    let done = job_completes(&client, resp, "RENAME_FOLDER").await;
    assert!(done.get("purgeRequestId").is_none());
    assert_eq!(
        paths(&client).await,
        [
            "/shop/",
            "/shop/new_name-2/",
            "/shop/new_name-2/in/",
            "/shop/new_name-2/in/y.pdf",
            "/shop/new_name-2/x.pdf",
            "/shop/taken/",
            "/shop/taken/z.pdf"
        ]
    );

    let resp = post(
        &client,
        "/v1/bulkJobs/renameFolder",
        json!({"folderPath": "/shop/new_name-2/", "newFolderName": "fresh", "purgeCache": true}),
    )
    .await;
    let done = job_completes(&client, resp, "RENAME_FOLDER").await;
    let purge = done["purgeRequestId"].as_str().expect("purgeRequestId").to_owned();
    let (status, body) = get(&client, &format!("/v1/files/purge/{purge}")).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"status": "Pending"})));
    let (_, body) = get(&client, &format!("/v1/files/purge/{purge}")).await;
    assert_eq!(body, json!({"status": "Completed"}));
    assert_eq!(sorted(list(&client, "?path=/shop/fresh").await), s(&["in", "x.pdf"]));

    let (status, body) =
        post(&client, "/v1/bulkJobs/renameFolder", json!({"folderPath": "/shop/fresh", "newFolderName": "taken"}))
            .await;
    assert_error(status, &body, 409);
    let (status, body) =
        post(&client, "/v1/bulkJobs/renameFolder", json!({"folderPath": "/nope", "newFolderName": "x"})).await;
    assert_error(status, &body, 404);
    let (status, body) =
        post(&client, "/v1/bulkJobs/renameFolder", json!({"folderPath": "/shop/fresh", "newFolderName": ""})).await;
    assert_error(status, &body, 400);
    let (status, body) =
        post(&client, "/v1/bulkJobs/renameFolder", json!({"folderPath": "/", "newFolderName": "x"})).await;
    assert_error(status, &body, 400);
}

#[tokio::test]
async fn purge_requests() {
    let client = emulator();
    let (status, body) = post(&client, "/v1/files/purge", json!({"url": "http://emu.local/emulator/a.jpg*"})).await;
    assert_eq!(status, StatusCode::CREATED);
    let id = body["requestId"].as_str().unwrap().to_owned();
    let (_, first) = get(&client, &format!("/v1/files/purge/{id}")).await;
    assert_eq!(first, json!({"status": "Pending"}));
    let (_, second) = get(&client, &format!("/v1/files/purge/{id}")).await;
    assert_eq!(second, json!({"status": "Completed"}));

    for body in
        [json!({}), json!({"url": ""}), json!({"url": "not a url"}), json!({"url": "ftp://x/y"}), json!({"url": 3})]
    {
        let (status, resp) = post(&client, "/v1/files/purge", body).await;
        assert_error(status, &resp, 400);
    }
    let (status, body) = get(&client, "/v1/files/purge/unknown").await;
    assert_error(status, &body, 404);
    // A folder job id is not a purge id, and the other way round.
    let (_, job) = post(&client, "/v1/folder", json!({"folderName": "f", "parentFolderPath": "/"})).await;
    assert_eq!(job, json!({}));
    let (status, body) = get(&client, &format!("/v1/bulkJobs/{id}")).await;
    assert_error(status, &body, 404);
}

#[tokio::test]
async fn folder_jobs_are_all_or_nothing() {
    let client = emulator();
    // A destination file with 100 versions cannot take another one.
    seed(&client, Seed { versions: 99, ..Seed::new("/b/sub/full.pdf") });
    seed(&client, Seed::new("/a/sub/aaa.pdf"));
    seed(&client, Seed::new("/a/sub/full.pdf"));
    seed(&client, Seed::new("/a/sub/zzz.pdf"));
    let before = paths(&client).await;
    for route in ["copyFolder", "moveFolder"] {
        let (status, body) = post(
            &client,
            &format!("/v1/bulkJobs/{route}"),
            json!({"sourceFolderPath": "/a/sub", "destinationPath": "/b"}),
        )
        .await;
        assert_error(status, &body, 400);
        assert_eq!(paths(&client).await, before, "{route} changed something");
    }
    let (_, versions) = get(&client, "/v1/files?type=file-version").await;
    assert_eq!(versions.as_array().unwrap().len(), 99);
}
