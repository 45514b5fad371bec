//! Concurrent uploads, an upload from a loopback URL over a socket, and what survives a failed upload and a restart.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_uploads() {
    concurrent_uploads(emulator()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_uploads_persisted() {
    let dir = std::env::temp_dir().join(format!("ik-emu-load-{}-{}", std::process::id(), fastrand::u64(..)));
    let emu = Emulator::builder().private_key(PRIVATE).data_dir(&dir).in_process(ORIGIN).unwrap();
    concurrent_uploads(emu).await;
    let blobs = std::fs::read_dir(dir.join("blobs")).unwrap().count();
    assert_eq!(blobs, 201, "one blob per upload, no temporary files left");
    let _ = std::fs::remove_dir_all(&dir);
}

async fn concurrent_uploads(emu: InProcess) {
    let mut tasks = Vec::new();
    for i in 0..200u32 {
        let emu = emu.clone();
        tasks.push(tokio::spawn(async move {
            let bytes = png(i + 1, 1 + i % 7, i % 2 == 0);
            let (status, body) = upload(
                &emu,
                &[Part::Text("fileName", "same.png"), Part::Text("folder", "load"), Part::File("same.png", &bytes)],
            )
            .await;
            assert_eq!(status, 200, "{body}");
            (i, bytes.len(), body)
        }));
    }
    // One more from the test's own (block_on) future rather than a spawned task.
    let (status, body) =
        upload(&emu, &[Part::Text("fileName", "main.png"), Part::File("main.png", &png(2, 2, false))]).await;
    assert_eq!(status, 200, "{body}");
    let mut names = HashSet::new();
    let mut ids = HashSet::new();
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.unwrap());
    }
    for (i, len, body) in results {
        assert!(names.insert(body["name"].as_str().unwrap().to_owned()), "duplicate name {body}");
        assert!(ids.insert(id(&body)));
        let file = details(&emu, &id(&body)).await;
        assert_eq!(file["size"], len);
        assert_eq!(file["width"], i + 1);
        assert_eq!(file["height"], 1 + i % 7);
        assert_eq!(file["hasAlpha"], i % 2 == 0);
        let (_, m) = api(&emu, Method::GET, &format!("/v1/files/{}/metadata", id(&body)), None).await;
        assert_eq!((m["width"].clone(), m["size"].clone()), (json!(i + 1), json!(len)), "bytes of upload {i}");
    }
    assert_eq!(names.len(), 200);
}

/// A one-shot HTTP server on loopback answering every request with `body`.
async fn serve_bytes(body: Vec<u8>) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let body = body.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let mut seen = Vec::new();
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                }
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&body).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    format!("http://{addr}/image.png")
}

#[tokio::test]
async fn over_a_socket_with_a_loopback_url() {
    let emulator = Emulator::builder().private_key(PRIVATE).public_key(PUBLIC).start().await.unwrap();
    let client = imagekit_transport::HyperClient::new().unwrap();
    let bytes = png(12, 5, true);
    let url = serve_bytes(bytes.clone()).await;
    let ct = format!("multipart/form-data; boundary={BOUNDARY}");
    let body = multipart(&[Part::Text("fileName", "fetched.png"), Part::Text("file", &url)]);
    let req = http::Request::post(format!("{}/api/v1/files/upload", emulator.base_url()))
        .header("content-type", ct)
        .header("authorization", basic())
        .body(Body::from(body))
        .unwrap();
    let resp = client.send(req).await.unwrap();
    let status = resp.status();
    let json: Value = serde_json::from_slice(&resp.into_body().collect().await.unwrap()).unwrap();
    assert_eq!(status, 200, "{json}");
    assert_eq!(
        (json["width"].clone(), json["height"].clone(), json["size"].clone()),
        (json!(12), json!(5), json!(bytes.len()))
    );
    assert!(json["url"].as_str().unwrap().starts_with(emulator.url_endpoint()));
    // Metadata by URL, also when the URL names the host as localhost.
    let local = json["url"].as_str().unwrap().replace("127.0.0.1", "localhost");
    for url in [json["url"].as_str().unwrap(), local.as_str()] {
        let q: String = url.bytes().map(|b| format!("%{b:02X}")).collect();
        let req = http::Request::get(format!("{}/v1/metadata?url={q}", emulator.base_url()))
            .header("authorization", basic())
            .body(Body::empty())
            .unwrap();
        let resp = client.send(req).await.unwrap();
        assert_eq!(resp.status(), 200, "{url}");
        let m: Value = serde_json::from_slice(&resp.into_body().collect().await.unwrap()).unwrap();
        assert_eq!(m["width"], 12);
    }

    // A loopback URL that refuses connections is a 400, not a hang.
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let body = multipart(&[Part::Text("fileName", "x.png"), Part::Text("file", &format!("http://{dead}/x.png"))]);
    let req = http::Request::post(format!("{}/api/v1/files/upload", emulator.base_url()))
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .header("authorization", basic())
        .body(Body::from(body))
        .unwrap();
    let resp = client.send(req).await.unwrap();
    assert_eq!(resp.status(), 400);
    emulator.shutdown().await;
}

#[tokio::test]
async fn failed_uploads_leave_no_blob_and_records_persist() {
    let dir = std::env::temp_dir().join(format!("ik-emu-files-{}-{}", std::process::id(), fastrand::u64(..)));
    let blobs = |dir: &std::path::Path| std::fs::read_dir(dir.join("blobs")).map(|d| d.count()).unwrap_or(0);
    let file_id;
    {
        let emu = Emulator::builder().private_key(PRIVATE).data_dir(&dir).in_process(ORIGIN).unwrap();
        let f = put(&emu, "keep.png", &png(9, 9, false), &[]).await;
        file_id = id(&f);
        assert_eq!(blobs(&dir), 1);
        // Refused after the bytes were read: overwriteFile=false on an existing path.
        let (status, body) = upload(
            &emu,
            &[
                Part::Text("fileName", "keep.png"),
                Part::Text("useUniqueFileName", "false"),
                Part::Text("overwriteFile", "false"),
                Part::File("keep.png", &png(3, 3, false)),
            ],
        )
        .await;
        assert_error(status, &body, 400);
        assert_eq!(blobs(&dir), 1, "the refused upload's bytes are gone");
        put(&emu, "keep.png", &png(10, 10, false), &[]).await;
        assert_eq!(blobs(&dir), 2);
    }
    let emu = Emulator::builder().private_key(PRIVATE).data_dir(&dir).in_process(ORIGIN).unwrap();
    let f = details(&emu, &file_id).await;
    assert_eq!((f["width"].clone(), f["versionInfo"]["name"].clone()), (json!(10), json!("Version 2")));
    let (_, m) = api(&emu, Method::GET, &format!("/v1/files/{file_id}/metadata"), None).await;
    assert_eq!(m["width"], 10);
    let (status, _) = api(&emu, Method::DELETE, &format!("/v1/files/{file_id}"), None).await;
    assert_eq!(status, 204);
    assert_eq!(blobs(&dir), 0, "deleting a file removes every version's bytes");
    drop(emu);
    let _ = std::fs::remove_dir_all(&dir);
}
