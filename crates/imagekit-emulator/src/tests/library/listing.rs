//! `GET /v1/files`: listing by type and path, sorting, paging, bad parameters.

use super::*;

#[tokio::test]
async fn list_by_type() {
    let client = emulator();
    library(&client);
    let files = s(&["a.jpg", "b.pdf", "c.png", "d.jpg"]);
    let folders = s(&["shop", "shoes"]);
    let all = sorted(files.iter().chain(&folders).cloned().collect());
    assert_eq!(sorted(list(&client, "").await), all);
    assert_eq!(sorted(list(&client, "?type=all").await), all);
    assert_eq!(sorted(list(&client, "?type=file").await), files);
    assert_eq!(sorted(list(&client, "?type=folder").await), folders);

    let (status, versions) = get(&client, "/v1/files?type=file-version").await;
    assert_eq!(status, StatusCode::OK);
    let versions = versions.as_array().unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0]["type"], "file-version");
    assert_eq!(versions[0]["name"], "c.png");
    assert_eq!(versions[0]["versionInfo"]["name"], "Version 1");

    let (_, body) = get(&client, "/v1/files?type=all&sort=ASC_NAME").await;
    for item in body.as_array().unwrap() {
        match item["type"].as_str().unwrap() {
            "file" => {
                assert!(item["fileId"].is_string() && item["filePath"].is_string() && item["url"].is_string());
                assert!(item["url"].as_str().unwrap().starts_with("http://emu.local/emulator/"));
            }
            "folder" => {
                assert!(item["folderId"].is_string() && item["folderPath"].is_string());
                assert_eq!(item["customMetadata"], json!({}));
            }
            other => panic!("unexpected type {other}"),
        }
    }
}

#[tokio::test]
async fn list_by_path_and_file_type() {
    let client = emulator();
    library(&client);
    assert_eq!(sorted(list(&client, "?path=/shop").await), s(&["c.png", "shoes"]));
    assert_eq!(sorted(list(&client, "?path=%2Fshop%2F").await), s(&["c.png", "shoes"]));
    assert_eq!(sorted(list(&client, "?path=/shop/shoes/").await), s(&["d.jpg"]));
    assert_eq!(sorted(list(&client, "?path=/").await), s(&["a.jpg", "b.pdf", "shop"]));
    assert_eq!(list(&client, "?path=/nowhere").await, Vec::<String>::new());
    assert_eq!(sorted(list(&client, "?type=file&fileType=image").await), s(&["a.jpg", "c.png", "d.jpg"]));
    assert_eq!(list(&client, "?type=file&fileType=non-image").await, vec!["b.pdf"]);
    assert_eq!(sorted(list(&client, "?type=file&fileType=all").await), s(&["a.jpg", "b.pdf", "c.png", "d.jpg"]));
    // fileType filters files; folders stay.
    assert_eq!(sorted(list(&client, "?fileType=non-image").await), s(&["b.pdf", "shop", "shoes"]));
    // Legacy filters.
    assert_eq!(sorted(list(&client, "?type=file&tags=sale,nothing").await), s(&["a.jpg", "d.jpg"]));
    assert_eq!(list(&client, "?name=c.png").await, vec!["c.png"]);
}

#[tokio::test]
async fn list_sorted() {
    let client = emulator();
    library(&client);
    let q = |sort: &str| format!("?type=file&sort={sort}");
    assert_eq!(list(&client, &q("ASC_NAME")).await, ["a.jpg", "b.pdf", "c.png", "d.jpg"]);
    assert_eq!(list(&client, &q("DESC_NAME")).await, ["d.jpg", "c.png", "b.pdf", "a.jpg"]);
    assert_eq!(list(&client, &q("ASC_CREATED")).await, ["a.jpg", "b.pdf", "c.png", "d.jpg"]);
    assert_eq!(list(&client, "?type=file").await, ["a.jpg", "b.pdf", "c.png", "d.jpg"]);
    assert_eq!(list(&client, &q("DESC_CREATED")).await, ["d.jpg", "c.png", "b.pdf", "a.jpg"]);
    assert_eq!(list(&client, &q("ASC_UPDATED")).await, ["a.jpg", "b.pdf", "c.png", "d.jpg"]);
    assert_eq!(list(&client, &q("DESC_UPDATED")).await, ["d.jpg", "c.png", "b.pdf", "a.jpg"]);
    assert_eq!(list(&client, &q("ASC_SIZE")).await, ["a.jpg", "c.png", "d.jpg", "b.pdf"]);
    assert_eq!(list(&client, &q("DESC_SIZE")).await, ["b.pdf", "d.jpg", "c.png", "a.jpg"]);
    // No width (the PDF) sorts first ascending, last descending.
    assert_eq!(list(&client, &q("ASC_WIDTH")).await, ["b.pdf", "a.jpg", "c.png", "d.jpg"]);
    assert_eq!(list(&client, &q("DESC_WIDTH")).await, ["d.jpg", "c.png", "a.jpg", "b.pdf"]);
    assert_eq!(list(&client, &q("ASC_HEIGHT")).await, ["b.pdf", "a.jpg", "c.png", "d.jpg"]);
    assert_eq!(list(&client, &q("DESC_HEIGHT")).await, ["d.jpg", "c.png", "a.jpg", "b.pdf"]);
    assert_eq!(list(&client, &q("ASC_RELEVANCE")).await, ["a.jpg", "b.pdf", "c.png", "d.jpg"]);
    assert_eq!(list(&client, &q("DESC_RELEVANCE")).await, ["d.jpg", "c.png", "b.pdf", "a.jpg"]);
}

#[tokio::test]
async fn list_skip_and_limit() {
    let client = emulator();
    library(&client);
    let base = "?type=file&sort=ASC_NAME";
    assert_eq!(list(&client, &format!("{base}&limit=2")).await, ["a.jpg", "b.pdf"]);
    assert_eq!(list(&client, &format!("{base}&skip=1&limit=2")).await, ["b.pdf", "c.png"]);
    assert_eq!(list(&client, &format!("{base}&skip=3")).await, ["d.jpg"]);
    assert_eq!(list(&client, &format!("{base}&skip=4")).await, Vec::<String>::new());
    assert_eq!(list(&client, &format!("{base}&skip=99999999999&limit=1000")).await, Vec::<String>::new());
    assert_eq!(list(&client, &format!("{base}&limit=1000&skip=0")).await.len(), 4);
}

#[tokio::test]
async fn list_rejects_bad_parameters() {
    let client = emulator();
    for (q, needle) in [
        ("type=files", "type"),
        ("type=", "type"),
        ("sort=NAME", "sort"),
        ("sort=asc_name", "sort"),
        ("fileType=video", "fileType"),
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=ten", "limit"),
        ("skip=-1", "skip"),
        ("skip=1.5", "skip"),
        ("searchQuery=name%20%3D", "searchQuery"),
    ] {
        let (status, body) = get(&client, &format!("/v1/files?{q}")).await;
        assert_error(status, &body, 400);
        assert_message(&body, needle);
    }
}
