//! A tour of the wire models: parse what ImageKit sends, build what it expects.
//!
//! Run with `cargo run -p imagekit-types --example types_tour`.

use imagekit_types::{
    Asset, AutoTagging, Extension, File, RemoveAiTags, UpdateFileDetails, UpdateFileRequest, UploadParams, WebhookEvent,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. A file as `GET /v1/files/{fileId}/details` returns it (from ImageKit's docs).
    let file: File = serde_json::from_str(include_str!("../../../tests/fixtures/docs/file-details.json"))?;
    println!(
        "file        {} ({}x{} px)",
        file.file_path.as_deref().unwrap_or("?"),
        file.width.unwrap_or(0),
        file.height.unwrap_or(0)
    );
    for tag in file.ai_tag_list().iter().take(3) {
        println!("  AI tag    {} {:.2}%", tag.name.as_deref().unwrap_or(""), tag.confidence.unwrap_or(0.0));
    }

    // 2. A listing mixes files and folders, and tolerates item types not known yet.
    let page: Vec<Asset> = serde_json::from_str(
        r#"[{"type":"folder","name":"shoes","folderPath":"/shoes"},
            {"type":"file","name":"a.jpg","filePath":"/shoes/a.jpg"},
            {"type":"collection","name":"from the future"}]"#,
    )?;
    for item in &page {
        match item {
            Asset::File(f) => println!("listing     file   {}", f.file_path.as_deref().unwrap_or("?")),
            Asset::Folder(d) => println!("listing     folder {}", d.folder_path.as_deref().unwrap_or("?")),
            Asset::Unknown(raw) => println!("listing     (unknown type {})", raw["type"]),
            // `Asset` is `#[non_exhaustive]`: a kind a later version adds lands here.
            _ => println!("listing     (a kind this program does not handle)"),
        }
    }

    // 3. An update that clears tags (an explicit null) and removes every AI tag.
    let update = UpdateFileRequest::Details(
        UpdateFileDetails::new()
            .clear_tags()
            .remove_ai_tags(RemoveAiTags::All)
            .extension(Extension::GoogleAutoTagging(AutoTagging::new(5, 95.0))),
    );
    println!("update body {}", serde_json::to_string(&update)?);

    // 4. Upload fields as the multipart form carries them.
    let upload = UploadParams::new("shoe.jpg").tags(["sale", "summer"]).use_unique_file_name(false);
    for (name, value) in upload.form_fields()? {
        println!("form field  {name} = {value}");
    }

    // 5. A webhook event, typed by its `type`.
    let event: WebhookEvent = serde_json::from_str(
        r#"{"type":"file.deleted","id":"evt_1","created_at":"2025-01-01T00:00:00.000Z","data":{"fileId":"f1"}}"#,
    )?;
    if let WebhookEvent::FileDeleted(e) = &event {
        println!("webhook     {} deleted file {}", event.tag(), e.data.file_id);
    }
    Ok(())
}
