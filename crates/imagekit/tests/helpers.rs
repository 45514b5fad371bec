//! The SDK's additions to the official surface: chunked bulk helpers, job and
//! purge waiting (account webhooks: `account_webhooks.rs`).

mod common;

use std::time::Duration;

use common::*;
use imagekit::Error;
use imagekit::resources::bulk::FailureReason;
use imagekit::resources::wait::WaitOptions;
use imagekit::types::JobStatus;
use imagekit_transport::test_util::{MockResponse, RecordingTransport};
use serde_json::json;

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("id{i:03}")).collect()
}

#[tokio::test]
async fn deleting_250_ids_takes_three_calls_of_at_most_100() {
    let t = RecordingTransport::new();
    for _ in 0..3 {
        // Each chunk reports the ids it was sent (echoed below).
        t.respond(MockResponse::new(200).json(&json!({})));
    }
    let client = recording_client(&t);
    let outcome = client.files().bulk().delete_all(ids(250), 1).await;
    let sent: Vec<Vec<String>> = t
        .requests()
        .iter()
        .map(|r| serde_json::from_value(r.body_json().unwrap()["fileIds"].clone()).unwrap())
        .collect();
    assert_eq!(sent.iter().map(Vec::len).collect::<Vec<_>>(), [100, 100, 50]);
    assert_eq!(sent.concat(), ids(250), "every id once, in order");
    for r in t.requests() {
        assert_eq!(r.uri.path(), "/v1/files/batch/deleteByFileIds");
    }
    // No success list in the answers: each whole chunk counts as done.
    assert_eq!(outcome.succeeded.len(), 250);
    assert!(outcome.is_complete());
}

#[tokio::test]
async fn partial_failures_are_merged() {
    let t = RecordingTransport::new();
    // Chunk 1 (ids 0-99): two ids missing -> 404, then the rest succeeds.
    t.respond(MockResponse::new(404).json(&json!({
        "message": "The requested file(s) does not exist.",
        "missingFileIds": ["id005", "id050"]
    })));
    let rest: Vec<String> = ids(100).into_iter().filter(|i| i != "id005" && i != "id050").collect();
    t.respond(MockResponse::new(200).json(&json!({"successfullyDeletedFileIds": rest})));
    // Chunk 2 (ids 100-149): a 400 fails the whole chunk.
    t.respond(MockResponse::new(400).json(&json!({"message": "bad"})));
    let client = recording_client(&t);
    let outcome = client.files().bulk().delete_all(ids(150), 1).await;

    assert_eq!(t.request_count(), 3);
    let resent: Vec<String> = serde_json::from_value(t.requests()[1].body_json().unwrap()["fileIds"].clone()).unwrap();
    assert_eq!(resent.len(), 98, "the chunk is sent again without the missing ids");
    assert_eq!(outcome.succeeded.len(), 98);
    assert_eq!(outcome.failed.len(), 52);
    let missing: Vec<_> = outcome
        .failed
        .iter()
        .filter(|f| matches!(f.reason, FailureReason::Missing))
        .map(|f| f.file_id.as_str())
        .collect();
    assert_eq!(missing, ["id005", "id050"]);
    let errored = outcome
        .failed
        .iter()
        .filter(|f| matches!(&f.reason, FailureReason::Error(e) if matches!(**e, Error::BadRequest(_))))
        .count();
    assert_eq!(errored, 50);
    // Each reason prints itself (what a wildcard arm of a `match` on the reason shows).
    let shown = |id: &str| outcome.failed.iter().find(|f| f.file_id == id).unwrap().reason.to_string();
    assert_eq!(shown("id005"), "not found");
    assert_eq!(shown("id100"), "400 bad");
}

#[tokio::test]
async fn tags_go_in_chunks_of_50_and_unreported_ids_fail() {
    let t = RecordingTransport::new();
    t.respond(MockResponse::new(200).json(&json!({"successfullyUpdatedFileIds": ids(50)})));
    t.respond(MockResponse::new(200).json(&json!({"successfullyUpdatedFileIds": ["id050"]})));
    let client = recording_client(&t);
    let outcome = client.files().bulk().add_tags_all(ids(52), vec!["sale".into()], 1).await;
    let bodies: Vec<_> = t.requests().iter().map(|r| r.body_json().unwrap()).collect();
    assert_eq!(bodies[0]["fileIds"].as_array().unwrap().len(), 50);
    assert_eq!(bodies[1]["fileIds"], json!(["id050", "id051"]));
    assert_eq!(bodies[1]["tags"], json!(["sale"]));
    assert_eq!(outcome.succeeded.len(), 51);
    assert_eq!(outcome.failed.len(), 1);
    assert_eq!(outcome.failed[0].file_id, "id051");
    assert!(matches!(outcome.failed[0].reason, FailureReason::NotReported));
    assert_eq!(outcome.failed[0].reason.to_string(), "the API did not report it as done");
}

#[tokio::test(start_paused = true)]
async fn waiting_for_a_job_polls_until_completed() {
    let t = RecordingTransport::new();
    for _ in 0..2 {
        t.respond(MockResponse::new(200).json(&json!({"jobId": "j1", "type": "COPY_FOLDER", "status": "Pending"})));
    }
    t.respond(MockResponse::new(200).json(&json!({"jobId": "j1", "type": "COPY_FOLDER", "status": "Completed"})));
    let client = recording_client(&t);
    let started = tokio::time::Instant::now();
    let opts = WaitOptions::new().poll_interval(Duration::from_secs(2)).timeout(Duration::from_secs(60));
    let job = client.folders().job().wait("j1", opts).await.unwrap();
    assert_eq!(job.status, Some(JobStatus::Completed));
    assert_eq!(t.request_count(), 3);
    assert_eq!(started.elapsed(), Duration::from_secs(4), "two pauses of 2 s");
}

#[tokio::test(start_paused = true)]
async fn waiting_gives_up_after_the_timeout() {
    let t = RecordingTransport::new();
    for _ in 0..10 {
        t.respond(MockResponse::new(200).json(&json!({"status": "Pending"})));
    }
    let client = recording_client(&t);
    let opts = WaitOptions::new().poll_interval(Duration::from_secs(1)).timeout(Duration::from_millis(3500));
    let err = client.cache().invalidation().wait("req1", opts).await.unwrap_err();
    assert!(
        matches!(&err, Error::WaitTimeout { waited, job } if *waited == Duration::from_millis(3500) && job == "req1"),
        "{err:?}"
    );
    // Every poll was answered: not a connection failure, not an attempt's
    // timeout, and not something a retry of the same request fixes.
    assert!(err.is_wait_timeout() && !err.is_connection() && !err.is_timeout() && !err.is_retryable(), "{err:?}");
    assert!(err.to_string().contains("\"req1\""), "{err}");
    assert_eq!(t.request_count(), 4, "polls at 0, 1, 2 and 3 s");
    assert_eq!(t.requests()[0].uri.path(), "/v1/files/purge/req1");
}

#[tokio::test]
async fn missing_ids_reported_twice_are_an_unexpected_response() {
    let t = RecordingTransport::new();
    let missing = || MockResponse::new(404).json(&json!({"message": "not found", "missingFileIds": ["id001"]}));
    // The resent chunk no longer holds id001, yet the server lists missing ids again.
    t.respond(missing()).respond(missing());
    let client = recording_client(&t);
    let outcome = client.files().bulk().delete_all(ids(3), 1).await;
    assert_eq!(t.request_count(), 2);
    let unexpected: Vec<_> = outcome
        .failed
        .iter()
        .filter_map(|f| match &f.reason {
            FailureReason::Error(e) => Some((f.file_id.as_str(), e.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(unexpected.iter().map(|(id, _)| *id).collect::<Vec<_>>(), ["id000", "id002"]);
    for (_, e) in &unexpected {
        assert!(matches!(**e, Error::UnexpectedResponse(_)) && !e.is_retryable(), "{e:?}");
        assert!(e.to_string().contains("missing ids twice"), "{e}");
    }
}
