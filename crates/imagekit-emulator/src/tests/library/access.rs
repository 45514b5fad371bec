//! Every route needs the private key; junk bodies get an answer, never a crash.

use super::*;

#[tokio::test]
async fn every_route_needs_the_private_key() {
    let client = emulator();
    let routes = [
        (Method::GET, "/v1/files"),
        (Method::POST, "/v1/folder"),
        (Method::DELETE, "/v1/folder"),
        (Method::POST, "/v1/bulkJobs/copyFolder"),
        (Method::GET, "/v1/bulkJobs/x"),
        (Method::POST, "/v1/files/purge"),
        (Method::GET, "/v1/files/purge/x"),
        (Method::GET, "/v1/customMetadataFields"),
        (Method::GET, "/v1/saved-extensions"),
        (Method::GET, "/v1/named-transformations"),
        (Method::GET, "/v1/accounts/origins"),
        (Method::GET, "/v1/accounts/url-endpoints"),
        (Method::GET, "/v1/accounts/webhooks"),
        (Method::GET, "/v1/accounts/usage?startDate=2025-01-01&endDate=2025-01-02"),
    ];
    let wrong = format!("Basic {}", STANDARD.encode("private_wrong:"));
    for (method, path) in routes {
        let (status, body) = send(&client, method.clone(), path, None, Vec::new()).await;
        assert_error(status, &body, 401);
        let (status, body) = send(&client, method.clone(), path, Some(&wrong), Vec::new()).await;
        assert_error(status, &body, 401);
        let (status, body) = send(&client, method, path, Some("Bearer x"), Vec::new()).await;
        assert_error(status, &body, 401);
    }
}

#[tokio::test]
async fn junk_bodies_never_crash_a_handler() {
    let client = emulator();
    let routes = [
        (Method::POST, "/v1/folder"),
        (Method::DELETE, "/v1/folder"),
        (Method::POST, "/v1/bulkJobs/copyFolder"),
        (Method::POST, "/v1/bulkJobs/moveFolder"),
        (Method::POST, "/v1/bulkJobs/renameFolder"),
        (Method::POST, "/v1/files/purge"),
        (Method::POST, "/v1/customMetadataFields"),
        (Method::PATCH, "/v1/customMetadataFields/x"),
        (Method::POST, "/v1/saved-extensions"),
        (Method::PATCH, "/v1/saved-extensions/x"),
        (Method::POST, "/v1/named-transformations"),
        (Method::PATCH, "/v1/named-transformations/x"),
        (Method::POST, "/v1/accounts/origins"),
        (Method::PUT, "/v1/accounts/origins/x"),
        (Method::POST, "/v1/accounts/url-endpoints"),
        (Method::PUT, "/v1/accounts/url-endpoints/default"),
        (Method::POST, "/v1/accounts/webhooks"),
        (Method::PATCH, "/v1/accounts/webhooks/x"),
    ];
    let bodies: [&[u8]; 9] = [
        b"",
        b"{",
        b"[]",
        b"null",
        b"42",
        b"\"str\"",
        b"{\"folderName\":1,\"name\":[],\"schema\":\"x\",\"type\":7,\"url\":{}}",
        b"{\"sourceFolderPath\":\"/\",\"destinationPath\":\"/\",\"folderPath\":\"/\",\"newFolderName\":\"\"}",
        b"\xff\xfe\x00",
    ];
    for (method, path) in &routes {
        for body in bodies {
            let (status, resp) = send(&client, method.clone(), path, Some(&basic()), body.to_vec()).await;
            assert!(status.is_client_error(), "{method} {path} {:?}: {status} {resp}", String::from_utf8_lossy(body));
            assert!(resp["message"].is_string(), "{method} {path}: {resp}");
        }
    }
    for q in ["type=%00", "sort=", "limit=-5", "skip=1e9", "searchQuery=%22", "searchQuery=((((", "path=%2F%2F%2F"] {
        let (status, resp) = get(&client, &format!("/v1/files?{q}")).await;
        assert!(status == StatusCode::OK || status == StatusCode::BAD_REQUEST, "{q}: {status} {resp}");
    }
}
