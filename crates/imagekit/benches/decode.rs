//! Decoding `GET /v1/files` listings into `Vec<Asset>`, and fetching one end to end through the SDK.
//!
//! `cargo bench -p imagekit --bench decode`; numbers in `docs/performance.md`.

#![allow(missing_docs)]

use std::convert::Infallible;
use std::hint::black_box;

use bytes::Bytes;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use imagekit::Client;
use imagekit::types::{Asset, ListAssetsQuery};
use serde_json::{Value, json};

/// A realistic File object as `GET /v1/files` returns it.
fn file(i: usize) -> Value {
    json!({
        "type": "file",
        "name": format!("product-{i:05}.jpg"),
        "createdAt": "2026-01-15T10:20:30.123Z",
        "updatedAt": "2026-02-01T08:00:00.456Z",
        "fileId": format!("6{i:023x}"),
        "tags": ["summer", "sale", format!("sku-{i}")],
        "AITags": [
            {"name": "Shoe", "confidence": 98.77, "source": "google-auto-tagging"},
            {"name": "Footwear", "confidence": 95.1, "source": "google-auto-tagging"},
            {"name": "Sneaker", "confidence": 81.0, "source": "aws-auto-tagging"}
        ],
        "versionInfo": {"id": format!("6{i:023x}"), "name": "Version 1"},
        "embeddedMetadata": {
            "Make": "Canon", "Model": "Canon EOS 5D Mark IV", "ISO": 200, "ExposureTime": 0.008,
            "FNumber": 5.6, "FocalLength": 85, "DateTimeCreated": "2026:01:15 10:20:30",
            "ImageWidth": 4000, "ImageHeight": 3000, "XResolution": 72, "YResolution": 72,
            "ColorSpace": "sRGB", "Keywords": ["shoe", "product"]
        },
        "customCoordinates": if i % 3 == 0 { json!("10,10,100,100") } else { Value::Null },
        "customMetadata": {"brand": "Acme", "price": 49.99 + i as f64, "inStock": i % 2 == 0, "sizes": [40, 41, 42]},
        "isPrivateFile": false,
        "isPublished": true,
        "url": format!("https://ik.imagekit.io/demo/catalog/shoes/product-{i:05}.jpg"),
        "thumbnail": format!("https://ik.imagekit.io/demo/tr:n-ik_ml_thumbnail/catalog/shoes/product-{i:05}.jpg"),
        "fileType": "image",
        "filePath": format!("/catalog/shoes/product-{i:05}.jpg"),
        "height": 3000,
        "width": 4000,
        "size": 1_234_567 + i,
        "hasAlpha": false,
        "mime": "image/jpeg",
        "description": "A red running shoe on a white background"
    })
}

fn listing(n: usize) -> Bytes {
    Bytes::from(serde_json::to_vec(&Value::Array((0..n).map(file).collect())).unwrap())
}

fn decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode");
    for n in [1_000, 10_000] {
        let body = listing(n);
        let check: Vec<Asset> = serde_json::from_slice(&body).unwrap();
        assert_eq!(check.len(), n);
        assert!(matches!(&check[0], Asset::File(_)));
        group.throughput(Throughput::Bytes(body.len() as u64));
        // Decoding alone: the listing is freed outside the timed region.
        group.bench_function(format!("list_{n}"), |b| {
            b.iter_with_large_drop(|| serde_json::from_slice::<Vec<Asset>>(black_box(&body)).unwrap())
        });
    }
    // Decoding and freeing: what a program that lists and forgets pays in all.
    let body = listing(10_000);
    group.bench_function("list_10000_and_free", |b| {
        b.iter(|| black_box(serde_json::from_slice::<Vec<Asset>>(black_box(&body)).unwrap()))
    });
    // `embeddedMetadata` and `customMetadata` are decoded when first read (LazyObject);
    // this is the whole cost for a program that reads both maps of every file.
    group.bench_function("list_10000_read_all_metadata", |b| {
        b.iter_with_large_drop(|| {
            let items = serde_json::from_slice::<Vec<Asset>>(black_box(&body)).unwrap();
            let mut keys = 0;
            for item in &items {
                if let Asset::File(f) = item {
                    keys += f.embedded_metadata.as_ref().and_then(Option::as_ref).map_or(0, |m| m.len());
                    keys += f.custom_metadata.as_ref().map_or(0, |m| m.len());
                }
            }
            assert_eq!(keys, 10_000 * 17);
            items
        })
    });
    group.finish();
}

/// A loopback server answering every request with the same pre-generated listing.
async fn serve(body: Bytes) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let body = body.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |_req| {
                    let body = body.clone();
                    async move {
                        Ok::<_, Infallible>(
                            hyper::Response::builder()
                                .header("content-type", "application/json")
                                .body(http_body_util::Full::new(body))
                                .unwrap(),
                        )
                    }
                });
                let io = hyper_util::rt::TokioIo::new(stream);
                let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
            });
        }
    });
    format!("http://{addr}")
}

fn end_to_end(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let body = listing(10_000);
    let url = rt.block_on(serve(body));
    let client = Client::builder().private_key("private_bench").base_url(url).build().unwrap();
    let n = rt.block_on(async { client.assets().list(ListAssetsQuery::default()).await }).unwrap().len();
    assert_eq!(n, 10_000);
    c.bench_function("end_to_end/list_10000", |b| {
        b.iter(|| black_box(rt.block_on(async { client.assets().list(ListAssetsQuery::default()).await }).unwrap()))
    });
}

criterion_group!(benches, decode, end_to_end);
criterion_main!(benches);
