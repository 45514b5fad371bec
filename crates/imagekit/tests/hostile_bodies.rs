//! A misbehaving server cannot exhaust the client's memory: bodies, error bodies
//! included, are read up to a limit, per client and per call.

mod hostile;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use imagekit::Error;
use imagekit::types::ListAssetsQuery;
use imagekit_transport::{TransportError, TransportErrorKind};

use hostile::*;

#[test]
fn an_endless_body_stops_at_the_limit_with_bounded_memory() {
    run(async {
        let server = Server::start(|i, _| match i {
            0 => json(200, &serde_json::json!({"fileId": "warm"})),
            _ => Reply::Endless { status: 200 },
        })
        .await;
        let transport = Counting::new();
        let client = client_on(&server, &transport).max_response_size(MIB).build().unwrap();
        // Warm up the connection machinery, so the measurement sees the body only.
        client.files().get("warm").await.unwrap();
        reset_peak_rss();
        let (before_read, before_rss) = (transport.read(), peak_rss());

        let started = Instant::now();
        let err = within(client.files().get("endless")).await.unwrap_err();
        let growth = peak_rss().saturating_sub(before_rss);
        let read = transport.read() - before_read;
        let chunk = transport.largest_chunk.load(Ordering::SeqCst);

        let Error::ResponseTooLarge { status, limit, content_length, ref source } = err else {
            panic!("expected ResponseTooLarge, got {err:?}")
        };
        assert_eq!((status.as_u16(), limit, content_length), (200, MIB, None));
        assert_eq!(source.kind(), TransportErrorKind::BodyTooLarge);
        assert!(err.is_body_too_large() && !err.is_retryable() && !err.is_connection());
        assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
        let source = std::error::Error::source(&err).expect("source kept");
        assert!(source.downcast_ref::<TransportError>().is_some(), "{source:?}");
        assert!(err.to_string().contains("1048576"), "the message names the limit: {err}");
        assert_eq!(server.requests().len(), 2, "not retried");

        eprintln!("read {read} bytes (largest chunk {chunk}), peak RSS grew {} KiB", growth / 1024);
        assert!(read > MIB as u64, "read up to the limit: {read}");
        assert!(read <= MIB as u64 + chunk, "at most the limit plus one chunk: {read}");
        // Twice the limit (the buffer and the chunk being added), plus slack for
        // the allocator and the runtime.
        assert!(growth < 2 * MIB as u64 + 2 * MIB as u64, "peak memory grew by {growth} bytes");
        assert!(started.elapsed() < Duration::from_secs(30));

        // The client hung up: the server's writes failed soon after.
        eventually("the server sees the hang-up", || server.hung_up.load(Ordering::SeqCst) == 1).await;
        let sent = server.sent.load(Ordering::SeqCst);
        assert!(sent < 64 * MIB as u64, "the server got to send {sent} bytes");
    });
}

#[test]
fn a_content_length_over_the_limit_fails_before_reading() {
    run(async {
        let server = Server::start(|_, _| Reply::Announce(2 * 1024 * 1024 * 1024)).await;
        let transport = Counting::new();
        // A per-attempt timeout far beyond the test's bound: waiting for the
        // silent body would show.
        let client = client_on(&server, &transport).timeout(Duration::from_secs(60)).build().unwrap();
        let started = Instant::now();
        let err = within(client.assets().list(ListAssetsQuery::default())).await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
        let Error::ResponseTooLarge { limit, content_length, .. } = &err else { panic!("{err:?}") };
        assert_eq!(*limit, imagekit::DEFAULT_MAX_RESPONSE_SIZE);
        assert_eq!(*content_length, Some(2 * 1024 * 1024 * 1024));
        assert!(err.to_string().contains("2147483648") && err.to_string().contains("67108864"), "{err}");
        assert_eq!(transport.read(), 0, "not a byte of the body was read");
        assert_eq!(server.requests().len(), 1);
        eventually("the client hangs up", || server.hung_up.load(Ordering::SeqCst) == 1).await;
    });
}

#[test]
fn the_limit_is_per_client_and_per_call() {
    run(async {
        let body = serde_json::json!({"fileId": "f", "description": "x".repeat(10_000)});
        let server = Server::start(move |_, _| json(200, &body)).await;
        let transport = Counting::new();
        let client = client_on(&server, &transport).build().unwrap();
        client.files().get("f").await.expect("the default limit is far above 10 KB");
        let err = client.files().get("f").max_response_size(4096).await.unwrap_err();
        assert!(err.is_body_too_large(), "{err:?}");
        assert!(matches!(err, Error::ResponseTooLarge { limit: 4096, content_length: Some(_), .. }), "{err:?}");

        let small = client_on(&server, &transport).max_response_size(4096).build().unwrap();
        assert!(small.files().get("f").await.unwrap_err().is_body_too_large());
        small.files().get("f").max_response_size(MIB).await.expect("the call's limit wins");
        let options = imagekit::RequestOptions::new().max_response_size(MIB);
        small.files().get("f").options(options).await.expect("and through RequestOptions");
    });
}

#[test]
fn an_endless_error_body_is_cut_short() {
    run(async {
        let server = Server::start(|_, _| Reply::Endless { status: 500 }).await;
        let transport = Counting::new();
        let client = client_on(&server, &transport).max_retries(0).build().unwrap();
        let err = client.files().get("f").await.unwrap_err();
        let api = err.api_error().unwrap_or_else(|| panic!("{err:?}"));
        assert_eq!(api.status.as_u16(), 500);
        assert!(api.raw.as_ref().is_some_and(|raw| raw.len() <= 4100), "raw excerpt kept short");
        let read = transport.read();
        let chunk = transport.largest_chunk.load(Ordering::SeqCst);
        assert!(read <= 64 * 1024 + chunk, "an error body is read to 64 KiB at most: {read}");
    });
}
