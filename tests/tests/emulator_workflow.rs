//! Our SDK against our emulator over real sockets: the whole workflow a user
//! runs, persistence across a restart, and 200 concurrent uploads.

use std::io::Cursor;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::TryStreamExt;
use imagekit::resources::wait::WaitOptions;
use imagekit::types::*;
use imagekit::url::{Transformation, TransformationPosition};
use imagekit::{Client, Error, UploadFile};
use imagekit_emulator::{Emulator, RunningEmulator};
use imagekit_transport::{Body, HttpClient, HyperClient};

fn base64_encode(data: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(data)
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(w, h, |x, y| image::Rgba([x as u8, y as u8, 99, 200]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgba8(img).write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
    out
}

fn client_for(emu: &RunningEmulator) -> Client {
    Client::builder()
        .private_key(emu.private_key())
        .public_key(emu.public_key())
        .base_url(emu.base_url())
        .url_endpoint(emu.url_endpoint())
        .build()
        .unwrap()
}

async fn download(url: &str) -> (u16, bytes::Bytes) {
    let http = HyperClient::new().unwrap();
    let resp = http.send(http::Request::get(url).body(Body::empty()).unwrap()).await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.into_body().collect().await.unwrap())
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_workflow() {
    let emu = Emulator::builder().start().await.unwrap();
    let client = client_for(&emu);
    let files = client.files();

    // Uploads from disk, bytes and base64.
    let dir = std::env::temp_dir().join(format!("ik-workflow-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let disk = dir.join("disk.png");
    std::fs::write(&disk, png(40, 30)).unwrap();
    let a = files
        .upload(
            UploadFile::path(&disk),
            UploadParams::new("disk.png").folder("/shop/shoes").use_unique_file_name(false),
        )
        .await
        .unwrap();
    assert_eq!((a.width, a.height), (Some(40), Some(30)));
    assert_eq!(a.file_path.as_deref(), Some("/shop/shoes/disk.png"));
    let b =
        files.upload(png(10, 10), UploadParams::new("bytes.png").folder("/shop/shoes").tags(["red"])).await.unwrap();
    assert_ne!(b.name.as_deref(), Some("bytes.png"), "a unique suffix by default");
    let b64 = base64_encode(&png(8, 8));
    let c = files
        .upload(UploadFile::base64(b64), UploadParams::new("b64.png").folder("/shop").use_unique_file_name(false))
        .await
        .unwrap();
    let (a_id, b_id, c_id) = (a.file_id.unwrap(), b.file_id.unwrap(), c.file_id.unwrap());
    std::fs::remove_dir_all(&dir).ok();

    // List and search.
    let shoes = client.assets().list(ListAssetsQuery::default().path("/shop/shoes")).await.unwrap();
    assert_eq!(shoes.len(), 2);
    let red = client.assets().list(ListAssetsQuery::default().search_query(r#"tags IN ["red"]"#)).await.unwrap();
    assert_eq!(red.len(), 1);
    let all: Vec<Asset> = client
        .assets()
        .list_all(ListAssetsQuery::default().kind(AssetType::File).limit(1u64))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 3, "paging one by one finds every file");
    let bad = client.assets().list(ListAssetsQuery::default().search_query("colour = \"red\"")).await.unwrap_err();
    assert!(matches!(bad, Error::BadRequest(_)), "{bad}");

    // Update and bulk tags.
    let up = files.update(&a_id, UpdateFileDetails::default().tags(["sale"]).description("disk file")).await.unwrap();
    assert_eq!(up.file.tag_list(), ["sale"]);
    let cleared = files.update(&a_id, UpdateFileDetails::default().clear_tags()).await.unwrap();
    assert_eq!(cleared.file.tags, Some(None), "tags: null clears them");
    let outcome = files.bulk().add_tags_all(vec![a_id.clone(), b_id.clone()], vec!["bulk".into()], 2).await;
    assert!(outcome.is_complete(), "{outcome:?}");
    assert!(files.get(&b_id).await.unwrap().tag_list().contains(&"bulk".to_owned()));

    // Versions: overwrite the same path, then restore version 1.
    let v2 = files
        .upload(png(20, 20), UploadParams::new("disk.png").folder("/shop/shoes").use_unique_file_name(false))
        .await
        .unwrap();
    assert_eq!(v2.file_id.as_deref(), Some(a_id.as_str()), "overwriting keeps the file id");
    let versions = files.versions().list(&a_id).await.unwrap();
    assert_eq!(versions.len(), 2);
    let first = versions.iter().find(|v| v.width == Some(40)).unwrap();
    let first_id = first.version_info.as_ref().unwrap().id.clone().unwrap();
    let restored = files.versions().restore(&a_id, &first_id).await.unwrap();
    assert_eq!(restored.width, Some(40));

    // Copy, move, rename.
    files.copy(CopyFileRequest::new("/shop/b64.png", "/archive")).await.unwrap();
    files.r#move(MoveFileRequest::new("/shop/b64.png", "/moved")).await.unwrap();
    let renamed = files.rename(RenameFileRequest::new("/moved/b64.png", "tiny.png")).await.unwrap();
    assert!(renamed.purge_request_id.is_none());
    assert_eq!(files.get(&c_id).await.unwrap().file_path.as_deref(), Some("/moved/tiny.png"));

    // Folders with job waiting: /shop/shoes copied into /backup gives /backup/shoes.
    client.folders().create("backup", "/").await.unwrap();
    let job = client.folders().copy(CopyFolderRequest::new("/shop/shoes", "/backup")).await.unwrap();
    let opts = WaitOptions::new().poll_interval(Duration::from_millis(20)).timeout(Duration::from_secs(10));
    let done = client.folders().job().wait(&job.job_id, opts).await.unwrap();
    assert_eq!(done.status, Some(JobStatus::Completed));
    let copied = client.assets().list(ListAssetsQuery::default().path("/backup/shoes")).await.unwrap();
    assert_eq!(copied.len(), 2);

    // Custom metadata fields and their validation.
    let field = client
        .custom_metadata_fields()
        .create(CreateCustomMetadataFieldRequest::new(
            "price",
            "Price",
            FieldSchema::new(FieldType::Number).min_value(1u64).max_value(1000u64),
        ))
        .await
        .unwrap();
    assert_eq!(field.name, "price");
    files.update(&b_id, UpdateFileDetails::default().custom_metadata_value("price", 10)).await.unwrap();
    let too_high =
        files.update(&b_id, UpdateFileDetails::default().custom_metadata_value("price", 5000)).await.unwrap_err();
    assert!(matches!(too_high, Error::BadRequest(_)), "{too_high}");
    let unknown = files.update(&b_id, UpdateFileDetails::default().custom_metadata_value("nope", 1)).await.unwrap_err();
    assert!(matches!(unknown, Error::BadRequest(_)), "{unknown}");

    // Purge with waiting.
    let purge =
        client.cache().invalidation().create(format!("{}/shop/shoes/disk.png", emu.url_endpoint())).await.unwrap();
    let status = client.cache().invalidation().wait(&purge.request_id.unwrap(), opts).await.unwrap();
    assert_eq!(status.status, Some(JobStatus::Completed));

    // Signed delivery of a private file; an unsigned or expired URL is refused.
    let private = files
        .upload(png(64, 48), UploadParams::new("secret.png").folder("/private").is_private_file(true))
        .await
        .unwrap();
    let path = private.file_path.unwrap();
    let (status, _) = download(&client.url(&path).build().unwrap()).await;
    assert_eq!(status, 401, "a private file needs a signature");
    let signed = client
        .url(&path)
        .transformation(Transformation::new().width(32))
        .position(TransformationPosition::Path)
        .set_signed(true)
        .expires_in(300, now())
        .build()
        .unwrap();
    let (status, body) = download(&signed).await;
    assert_eq!(status, 200, "{signed}");
    let img = image::load_from_memory(&body).unwrap();
    assert_eq!((img.width(), img.height()), (32, 24), "w-32 keeps the aspect ratio");
    let expired = client.url(&path).set_signed(true).expires_in(1, now() - 100).build().unwrap();
    assert_eq!(download(&expired).await.0, 401, "an expired signed URL is refused");

    // Deletes.
    files.delete(&b_id).await.unwrap();
    assert!(matches!(files.get(&b_id).await, Err(Error::NotFound(_))));
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn everything_survives_a_restart_with_a_data_dir() {
    let dir = std::env::temp_dir().join(format!("ik-persist-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let emu = Emulator::builder().data_dir(&dir).start().await.unwrap();
    let client = client_for(&emu);
    let bytes = png(12, 9);
    let up = client.files().upload(bytes.clone(), UploadParams::new("keep.png").folder("/kept")).await.unwrap();
    client
        .custom_metadata_fields()
        .create(CreateCustomMetadataFieldRequest::new("sku", "SKU", FieldSchema::new(FieldType::Text)))
        .await
        .unwrap();
    emu.shutdown().await;

    let emu = Emulator::builder().data_dir(&dir).start().await.unwrap();
    let client = client_for(&emu);
    let file = client.files().get(up.file_id.as_deref().unwrap()).await.unwrap();
    assert_eq!(file.file_path, up.file_path);
    let fields = client.custom_metadata_fields().list(Default::default()).await.unwrap();
    assert_eq!(fields.len(), 1);
    let (status, body) = download(&client.url(file.file_path.as_deref().unwrap()).build().unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(&body[..], &bytes[..], "the stored bytes survive");
    emu.shutdown().await;
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_uploads_lose_nothing() {
    let emu = Emulator::builder().start().await.unwrap();
    let client = client_for(&emu);
    let mut tasks = Vec::new();
    for i in 0..200u32 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let data: Vec<u8> = (0..(1000 + i)).map(|b| (b * 7 + i) as u8).collect();
            let up = client.files().upload(data.clone(), UploadParams::new("same-name.bin").folder("/load")).await?;
            Ok::<_, Error>((up, data))
        }));
    }
    let mut paths = std::collections::BTreeSet::new();
    for t in tasks {
        let (up, data) = t.await.unwrap().unwrap();
        assert_eq!(up.size, Some(data.len() as u64));
        let (status, body) = download(up.url.as_deref().unwrap()).await;
        assert_eq!(status, 200);
        assert_eq!(&body[..], &data[..], "bytes of {}", up.name.unwrap_or_default());
        paths.insert(up.file_path.unwrap());
    }
    assert_eq!(paths.len(), 200, "every upload got its own unique name");
    let listed: Vec<Asset> =
        client.assets().list_all(ListAssetsQuery::default().path("/load")).try_collect().await.unwrap();
    assert_eq!(listed.len(), 200);
    emu.shutdown().await;
}
