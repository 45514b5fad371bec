//! Usage and analytics reports.

use super::*;

#[tokio::test]
async fn usage_reports_zeros() {
    let client = emulator();
    let (status, body) = get(&client, "/v1/accounts/usage?startDate=2025-01-01&endDate=2025-03-31").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body,
        json!({"bandwidthBytes": 0, "mediaLibraryStorageBytes": 0, "originalCacheStorageBytes": 0,
               "videoProcessingUnitsCount": 0, "extensionUnitsCount": 0})
    );
    for q in [
        "",
        "startDate=2025-01-01",
        "endDate=2025-01-02",
        "startDate=2025-01-02&endDate=2025-01-01",
        "startDate=2025-01-01&endDate=2025-01-01",
        "startDate=2025-01-01&endDate=2025-04-01",
        "startDate=2025-1-01&endDate=2025-01-10",
        "startDate=2025-02-30&endDate=2025-03-10",
        "startDate=01/01/2025&endDate=2025-01-10",
        "startDate=2025-01-01T00:00:00Z&endDate=2025-01-10",
    ] {
        let (status, body) = get(&client, &format!("/v1/accounts/usage?{q}")).await;
        assert_error(status, &body, 400);
    }
}

#[tokio::test]
async fn usage_analytics_is_empty_but_complete() {
    let client = emulator();
    let (status, body) = get(&client, "/v1/accounts/usage-analytics?startDate=2025-01-01&endDate=2025-01-01").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["startDate"], "2025-01-01");
    assert_eq!(body["endDate"], "2025-01-01");
    assert!(body["generatedAt"].as_str().unwrap().ends_with('Z'));
    assert_eq!(body["bandwidthBytes"], 0);
    assert_eq!(body["requestCount"], 0);
    assert_eq!(body["cache"], json!({"hitCount": 0, "missCount": 0, "errorCount": 0}));
    for k in [
        "browser",
        "country",
        "device",
        "format",
        "topImages",
        "topImageTransforms",
        "topOtherAssets",
        "topReferrers",
        "topUserAgents",
        "topVideos",
        "topVideoTransforms",
        "urlEndpoints",
    ] {
        assert_eq!(body[k], json!({"byBandwidth": [], "byRequests": []}), "{k}");
    }
    for k in ["errorReasons", "statusCodes", "top404Assets", "extensions", "videoProcessing"] {
        assert_eq!(body[k], json!([]), "{k}");
    }
    let parsed: imagekit_types::UsageAnalytics = serde_json::from_value(body).unwrap();
    assert_eq!(parsed.start_date, "2025-01-01");
    for q in ["", "startDate=2025-01-02&endDate=2025-01-01", "startDate=x&endDate=2025-01-01"] {
        let (status, body) = get(&client, &format!("/v1/accounts/usage-analytics?{q}")).await;
        assert_error(status, &body, 400);
    }
}
