//! The quickstart: upload an image, list it, tag it, build a signed transformed
//! URL and download it.
//!
//! With `IMAGEKIT_PRIVATE_KEY` (and `IMAGEKIT_URL_ENDPOINT`) set it talks to
//! your ImageKit account; without, it starts the local emulator in-process, so
//! it runs on a fresh machine with no account and no network:
//!
//! ```sh
//! cargo run --example quickstart
//! ```

use std::io::Cursor;
use std::time::{SystemTime, UNIX_EPOCH};

use imagekit::types::{ListAssetsQuery, UpdateFileDetails, UploadParams};
use imagekit::url::{Transformation, TransformationPosition};
use imagekit::{Client, UploadFile};
use imagekit_transport::{Body, HttpClient, HyperClient};

/// A 320x200 gradient PNG, made here so the example needs no files.
fn sample_png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(320, 200, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 160]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("encoding an in-memory PNG cannot fail");
    out
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. A client: the real service when configured, else a local emulator.
    let mut emulator = None;
    let client = if std::env::var_os("IMAGEKIT_PRIVATE_KEY").is_some() {
        println!("1. using ImageKit from the environment");
        Client::from_env()?
    } else {
        let running = imagekit_emulator::Emulator::builder().start().await?;
        println!("1. no IMAGEKIT_PRIVATE_KEY: started the local emulator on {}", running.base_url());
        let client = Client::builder()
            .private_key(running.private_key())
            .public_key(running.public_key())
            .base_url(running.base_url())
            .url_endpoint(running.url_endpoint())
            .build()?;
        emulator = Some(running);
        client
    };

    // 2. Upload.
    let png = sample_png();
    let params = UploadParams::new("quickstart.png").folder("/quickstart").tags(["demo"]);
    let file = client.files().upload(UploadFile::bytes(png.clone()), params).await?;
    let id = file.file_id.clone().unwrap_or_default();
    println!(
        "2. uploaded {} ({} bytes, {}x{}) as {id}",
        file.file_path.as_deref().unwrap_or("?"),
        png.len(),
        file.width.unwrap_or(0),
        file.height.unwrap_or(0)
    );

    // 3. List the folder.
    let listing = client.assets().list(ListAssetsQuery::default().path("/quickstart")).await?;
    println!("3. /quickstart holds {} item(s)", listing.len());

    // 4. Tag it.
    let updated = client.files().update(&id, UpdateFileDetails::default().tags(["demo", "quickstart"])).await?;
    println!("4. tags are now {:?}", updated.file.tag_list());

    // 5. A signed URL with a transformation, valid for 10 minutes.
    let path = file.file_path.clone().unwrap_or_default();
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let url = client
        .url(&path)
        .transformation(Transformation::new().width(160).height(100))
        .position(TransformationPosition::Path)
        .set_signed(true)
        .expires_in(600, now)
        .build()?;
    println!("5. signed URL: {url}");

    // 6. Download it.
    let http = HyperClient::new()?;
    let response = http.send(http::Request::get(url.as_str()).body(Body::empty())?).await?;
    let status = response.status();
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("?").to_owned();
    let bytes = response.into_body().collect().await?;
    let size = image::load_from_memory(&bytes).map(|i| format!("{}x{}", i.width(), i.height()));
    println!(
        "6. downloaded: {status}, {content_type}, {} bytes, {}",
        bytes.len(),
        size.unwrap_or_else(|e| e.to_string())
    );

    if let Some(running) = emulator {
        running.shutdown().await;
    }
    Ok(())
}
