//! A total timeout bounds retries and `Retry-After` waits against a misbehaving
//! server, and credentials in a base URL never show in errors or logs.

mod hostile;

use std::time::{Duration, Instant};

use imagekit::{Client, Error};

use hostile::*;

#[test]
fn credentials_in_a_base_url_never_show() {
    const USER: &str = "ikuser-name-7";
    const PASSWORD: &str = "hunter2-SECRET-pw";
    run(async {
        let server = Server::start(|_, _| json(200, &serde_json::json!({"fileId": "f"}))).await;
        let host = server.addr;
        let mut texts = Vec::new();
        for url in [
            format!("http://{USER}:{PASSWORD}@{host}"),
            format!("http://{USER}:{PASSWORD}@{host}/prefix/"),
            format!("http://{PASSWORD}@{host}"),
            format!("http://{USER}:{PASSWORD}@{host}?q"),
            format!("http://{USER}:{PASSWORD}/x@{host}"),
        ] {
            let builder = Client::builder().private_key(KEY).base_url(&url).http_client(Counting::new());
            texts.push(format!("{builder:?}"));
            let err = builder.build().expect_err("credentials are refused at build time");
            assert!(matches!(err, Error::Config(_)), "{err:?}");
            texts.push(err.to_string());
            texts.push(format!("{err:?}"));
            let mut source = std::error::Error::source(&err);
            while let Some(s) = source {
                texts.push(format!("{s} {s:?}"));
                source = s.source();
            }
        }
        assert!(texts[1].contains("credentials"), "the refusal says why: {}", texts[1]);

        // A client without credentials logs its calls at TRACE: the capture works.
        let client = Client::builder().private_key(KEY).base_url(server.url()).build().unwrap();
        tracing::info!(target: "hostile", "credentials test");
        client.files().get("f").await.unwrap();
        texts.push(format!("{client:?}"));
        let logs = logs();
        assert!(logs.contains("imagekit.attempt") && logs.contains("credentials test"), "TRACE logs captured");
        texts.push(logs);

        for text in &texts {
            assert!(!text.contains(PASSWORD) && !text.contains(USER), "credentials leaked into: {text}");
        }
        assert_eq!(server.requests().len(), 1, "nothing was sent with credentials");
    });
}

#[test]
fn a_retry_after_past_the_deadline_fails_at_once() {
    run(async {
        let server = Server::start(|_, _| Reply::Full {
            status: 429,
            headers: vec![("retry-after", "30".into()), ("x-ik-requestId", "rl-1".into())],
            body: br#"{"message":"Too many requests"}"#.to_vec(),
        })
        .await;
        let client =
            client_on(&server, &Counting::new()).max_retries(5).total_timeout(Duration::from_secs(20)).build().unwrap();
        let started = Instant::now();
        let err = client.files().get("f").await.unwrap_err();
        let took = started.elapsed();
        assert!(took < Duration::from_secs(10), "failed at once, not after the wait or the deadline: {took:?}");

        let Error::DeadlineExceeded { total, retry_in, last } = &err else { panic!("{err:?}") };
        assert_eq!((*total, *retry_in), (Duration::from_secs(20), Some(Duration::from_secs(30))));
        let last = last.as_deref().expect("carries the last error");
        assert!(matches!(last, Error::RateLimit(_)) && last.request_id() == Some("rl-1"), "{last:?}");
        assert!(err.is_deadline_exceeded());
        assert!(!err.is_retryable() && !err.is_connection() && !err.is_timeout(), "{err:?}");
        let source = std::error::Error::source(&err).and_then(|s| s.downcast_ref::<Error>());
        assert!(matches!(source, Some(Error::RateLimit(_))), "source() is the last error");
        let text = err.to_string();
        assert!(text.contains("total timeout") && text.contains("Too many requests"), "{text}");
        assert_eq!(server.requests().len(), 1, "no wait, no retry");

        // The per-call setting wins: room for no wait at all.
        let err = client.files().get("f").total_timeout(Duration::from_millis(1)).await.unwrap_err();
        assert!(err.is_deadline_exceeded(), "{err:?}");
    });
}

#[test]
fn the_deadline_cuts_a_hanging_attempt() {
    run(async {
        let server = Server::start(|i, _| match i {
            // A 503 retried at once, then silence.
            0 => Reply::Full {
                status: 503,
                headers: vec![("retry-after", "0".into())],
                body: br#"{"message":"busy"}"#.to_vec(),
            },
            _ => Reply::Hang,
        })
        .await;
        let client = client_on(&server, &Counting::new()).timeout(Duration::from_secs(60)).build().unwrap();
        let started = Instant::now();
        let err = client.files().get("f").total_timeout(Duration::from_millis(1500)).await.unwrap_err();
        let took = started.elapsed();
        assert!(took >= Duration::from_millis(1500) && took < Duration::from_secs(20), "{took:?}");
        let Error::DeadlineExceeded { retry_in: None, last: Some(last), .. } = &err else { panic!("{err:?}") };
        assert!(matches!(**last, Error::InternalServer(_)), "{last:?}");
        assert!(!err.is_retryable());
        assert_eq!(server.requests().len(), 2);

        // The first attempt still running: no last error.
        let err = client.files().get("f").total_timeout(Duration::from_millis(500)).await.unwrap_err();
        assert!(matches!(err, Error::DeadlineExceeded { retry_in: None, last: None, .. }), "{err:?}");
        assert!(err.to_string().contains("was exceeded"), "{err}");
    });
}

#[test]
fn a_generous_deadline_changes_nothing() {
    run(async {
        let server = Server::start(|i, _| match i {
            0 => Reply::Full { status: 503, headers: vec![("retry-after", "0".into())], body: b"busy".to_vec() },
            _ => json(200, &serde_json::json!({"fileId": "f"})),
        })
        .await;
        let client = client_on(&server, &Counting::new()).total_timeout(Duration::from_secs(60)).build().unwrap();
        let file = client.files().get("f").await.unwrap();
        assert_eq!(file.file_id.as_deref(), Some("f"));
        assert_eq!(server.requests().len(), 2);
    });
}
