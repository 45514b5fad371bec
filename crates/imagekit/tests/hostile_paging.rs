//! Auto-paging against a misbehaving server stops: on a repeated page, a cycle of
//! pages or the page cap, and reads a listing that ends whole.

mod hostile;

use futures::{StreamExt, TryStreamExt};
use imagekit::types::{Asset, ListAssetsQuery};
use imagekit::{Error, PagingStop};

use hostile::*;

#[test]
fn list_all_stops_when_a_server_repeats_a_full_page() {
    run(async {
        let page: Vec<_> = (0..10).map(file).collect();
        let server = Server::start(move |i, _| match i {
            i if i < SERVER_PAGES => json(200, &serde_json::Value::from(page.clone())),
            _ => json(200, &serde_json::json!([])),
        })
        .await;
        let client = client_on(&server, &Counting::new()).build().unwrap();
        let mut items = client.assets().list_all(ListAssetsQuery::default().limit(10u64));
        let mut got = Vec::new();
        let err = loop {
            match items.next().await.expect("the stream ends with an error, not silently") {
                Ok(item) => got.push(item),
                Err(e) => break e,
            }
        };
        assert_eq!(got.len(), 10, "the first page's items, not the repeat's");
        assert!(err.is_paging() && !err.is_retryable(), "{err:?}");
        let Error::Paging { stop, pages } = &err else { panic!("{err:?}") };
        assert_eq!(*stop, PagingStop::RepeatedPage { skip: 10, earlier_skip: 0 });
        assert_eq!(*pages, 2);
        assert!(err.to_string().contains("repeats"), "{err}");
        assert!(items.next().await.is_none(), "the stream is over");
        assert_eq!(server.requests().len(), 2);
    });
}

#[test]
fn list_all_stops_on_a_cycle_of_pages() {
    run(async {
        // Pages A, B, A, B, ...: no page repeats the one just before it.
        let server = Server::start(|i, _| {
            if i >= SERVER_PAGES {
                return json(200, &serde_json::json!([]));
            }
            let base = (i as u64 % 2) * 100;
            json(200, &serde_json::Value::from((base..base + 5).map(file).collect::<Vec<_>>()))
        })
        .await;
        let client = client_on(&server, &Counting::new()).build().unwrap();
        let result: Result<Vec<Asset>, Error> =
            client.assets().list_all(ListAssetsQuery::default().limit(5u64)).try_collect().await;
        let err = result.unwrap_err();
        assert!(
            matches!(err, Error::Paging { stop: PagingStop::RepeatedPage { skip: 10, earlier_skip: 0 }, pages: 3 }),
            "{err:?}"
        );
        assert_eq!(server.requests().len(), 3);
    });
}

#[test]
fn list_all_stops_at_the_page_cap() {
    run(async {
        // Always a new full page: only the cap ends it.
        let server = Server::start(|i, line| {
            let skip = param(line, "skip").unwrap_or(0);
            let limit = if i < SERVER_PAGES { param(line, "limit").unwrap() } else { 0 };
            json(200, &serde_json::Value::from((skip..skip + limit).map(file).collect::<Vec<_>>()))
        })
        .await;
        let client = client_on(&server, &Counting::new()).build().unwrap();
        let mut items = client.assets().list_all(ListAssetsQuery::default().limit(4u64)).max_pages(3);
        let mut got = 0;
        let err = loop {
            match items.next().await.expect("ends with an error") {
                Ok(_) => got += 1,
                Err(e) => break e,
            }
        };
        assert_eq!(got, 12, "every item of the pages allowed");
        assert!(matches!(err, Error::Paging { stop: PagingStop::PageCap { max_pages: 3 }, pages: 3 }), "{err:?}");
        assert!(err.to_string().contains("page cap"), "{err}");
        assert!(items.next().await.is_none());
        let asked: Vec<_> = server.requests().iter().map(|l| param(l, "skip").unwrap_or(0)).collect();
        assert_eq!(asked, [0, 4, 8]);
        assert_eq!(imagekit::resources::assets::DEFAULT_MAX_PAGES, 10_000);
    });
}

#[test]
fn a_listing_that_ends_is_read_whole() {
    run(async {
        let server = Server::start(|_, line| {
            let skip = param(line, "skip").unwrap_or(0);
            let end = (skip + param(line, "limit").unwrap()).min(23);
            json(200, &serde_json::Value::from((skip..end).map(file).collect::<Vec<_>>()))
        })
        .await;
        let client = client_on(&server, &Counting::new()).build().unwrap();
        let all: Vec<Asset> =
            client.assets().list_all(ListAssetsQuery::default().limit(10u64)).max_pages(3).try_collect().await.unwrap();
        let ids: Vec<_> = all
            .iter()
            .map(|a| match a {
                Asset::File(f) => f.file_id.clone().unwrap(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(ids, (0..23).map(|n| format!("f{n}")).collect::<Vec<_>>());
        assert_eq!(server.requests().len(), 3, "a short third page ends it within the cap");
    });
}

#[test]
fn bulk_delete_reports_only_the_ids_it_sent_as_missing() {
    run(async {
        let server = Server::start(|i, _| match i {
            // Ids never sent, and one sent id listed many times.
            0 => {
                let mut missing: Vec<String> = (0..1000).map(|n| format!("never-sent-{n}")).collect();
                missing.extend(std::iter::repeat_n("a".to_owned(), 50));
                json(404, &serde_json::json!({"message": "not found", "missingFileIds": missing}))
            }
            _ => json(200, &serde_json::json!({"successfullyDeletedFileIds": ["b", "c"]})),
        })
        .await;
        let client = client_on(&server, &Counting::new()).build().unwrap();
        let ids = ["a", "b", "c"].map(String::from).to_vec();
        let outcome = client.files().bulk().delete_all(ids, 1).await;
        assert_eq!(outcome.succeeded, ["b", "c"]);
        let failed: Vec<_> = outcome.failed.iter().map(|f| f.file_id.as_str()).collect();
        assert_eq!(failed, ["a"], "once, and nothing that was not sent");
        assert_eq!(server.requests().len(), 2);
    });
}
