//! The SDK on your own `reqwest::Client`: its pool, proxy, TLS and timeout
//! settings carry every ImageKit request, and bodies stream both ways (an
//! upload from disk goes out in chunks with `Content-Length`, a download is
//! read chunk by chunk).
//!
//! Without `IMAGEKIT_PRIVATE_KEY` it starts the local emulator, so it runs with
//! no account and no network:
//!
//! ```sh
//! cargo run -p imagekit --example reqwest_transport
//! ```
//!
//! With `IMAGEKIT_PRIVATE_KEY` (and `IMAGEKIT_URL_ENDPOINT`) set it talks to
//! your account over HTTPS, which needs a TLS feature on reqwest: in your own
//! project, `reqwest = { version = "0.13", features = ["rustls"] }`. This
//! example's reqwest has none (so the workspace's tests stay independent of a
//! TLS backend), so there it stops at the first request with a connect error.

use std::time::{Duration, Instant};

use imagekit::transport::{Body, HttpClient, ReqwestClient};
use imagekit::types::{Asset, ListAssetsQuery, UploadParams};
use imagekit::{Client, ClientBuilder, UploadFile};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. Your reqwest client, configured as you like. An `HttpClient` follows
    //    no redirects (the SDK must see every response), so turn them off.
    let reqwest = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("reqwest-transport-example/0.1")
        .connect_timeout(Duration::from_secs(5))
        .pool_idle_timeout(Duration::from_secs(30))
        .build()?;
    let transport = ReqwestClient::from(reqwest);

    // 2. The SDK client on it: the real service when configured, else a local emulator.
    let mut emulator = None;
    let builder = if std::env::var_os("IMAGEKIT_PRIVATE_KEY").is_some() {
        println!("1. using ImageKit from the environment");
        ClientBuilder::from_env()
    } else {
        let running = imagekit_emulator::Emulator::builder().start().await?;
        println!("1. no IMAGEKIT_PRIVATE_KEY: started the local emulator on {}", running.base_url());
        let builder = Client::builder()
            .private_key(running.private_key())
            .public_key(running.public_key())
            .base_url(running.base_url())
            .url_endpoint(running.url_endpoint());
        emulator = Some(running);
        builder
    };
    let client = builder.http_client(transport.clone()).build()?;

    // 3. Upload a 3 MiB file from disk: the SDK streams it in chunks, which
    //    reqwest pulls as the socket accepts them (never the whole file in memory).
    let path = std::env::temp_dir().join(format!("imagekit-reqwest-example-{}.bin", std::process::id()));
    let data: Vec<u8> = (0..3 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    tokio::fs::write(&path, &data).await?;
    let started = Instant::now();
    let params = UploadParams::new("reqwest-example.bin").folder("/reqwest-example").tags(["example"]);
    let uploaded = client.files().upload(UploadFile::path(&path), params).await;
    tokio::fs::remove_file(&path).await?;
    let uploaded = uploaded?;
    println!(
        "2. uploaded {} bytes from disk as {} ({}) in {:?}",
        data.len(),
        uploaded.file_path.as_deref().unwrap_or("?"),
        uploaded.file_id.as_deref().unwrap_or("?"),
        started.elapsed()
    );

    // 4. List the folder.
    let listing = client.assets().list(ListAssetsQuery::default().path("/reqwest-example")).await?;
    println!("3. /reqwest-example holds {} item(s):", listing.len());
    for asset in &listing {
        match asset {
            Asset::File(file) => println!(
                "   file {} ({} bytes)",
                file.name.as_deref().unwrap_or("?"),
                file.size.map_or_else(|| "?".to_owned(), |s| s.to_string())
            ),
            Asset::Folder(folder) => println!("   folder {}", folder.name.as_deref().unwrap_or("?")),
            _ => println!("   another kind of item"),
        }
    }

    // 5. Download it through the same transport, reading the body as it arrives.
    if let Some(url) = &uploaded.url {
        let response = transport.send(http::Request::get(url.as_str()).body(Body::empty())?).await?;
        let status = response.status();
        let mut body = response.into_body();
        let (mut chunks, mut bytes, mut same) = (0usize, 0usize, true);
        while let Some(chunk) = body.chunk().await {
            let chunk = chunk?;
            same &= data.get(bytes..bytes + chunk.len()) == Some(&chunk[..]);
            chunks += 1;
            bytes += chunk.len();
        }
        println!(
            "4. downloaded {url}: {status}, {bytes} bytes in {chunks} chunks, identical: {}",
            same && bytes == data.len()
        );
    }

    if let Some(running) = emulator {
        running.shutdown().await;
    }
    Ok(())
}
