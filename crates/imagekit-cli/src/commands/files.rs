//! File commands: `get`, `rm`, `cp`, `mv`, `rename`, `tag`, `untag`, `versions`,
//! `restore`, `publish` and `metadata`. Files are named by id, or by path
//! (`/folder/name.jpg`), which is looked up in its folder's listing.

use futures::TryStreamExt;
use imagekit::Client;
use imagekit::resources::bulk::{BulkOutcome, DEFAULT_CONCURRENCY, FailureReason};
use imagekit::types::{
    Asset, AssetType, CopyFileRequest, ListAssetsQuery, MoveFileRequest, RenameFileRequest, UpdateFileRequest,
};
use serde_json::json;

use crate::cli::{
    CopyArgs, FileArg, MetadataArgs, MoveArgs, PublishArgs, RenameArgs, RestoreArgs, RmArgs, TagArgs, UntagArgs,
    VersionsArgs,
};
use crate::config::Context;
use crate::error::{CliError, CliResult, describe_sdk_error, sdk_error_json};
use crate::output::{Output, human_bytes, pad};

/// The id of a file given by id, or by path (starting with `/`).
pub async fn resolve(client: &Client, file: &str) -> CliResult<String> {
    if !file.starts_with('/') {
        return Ok(file.to_owned());
    }
    let (folder, name) = file.rsplit_once('/').unwrap_or(("", file));
    if name.is_empty() {
        return Err(CliError::usage(format!("{file:?} is a folder path, not a file path")));
    }
    let folder = if folder.is_empty() { "/" } else { folder };
    let query = ListAssetsQuery::default().path(folder.to_owned()).kind(AssetType::File);
    let mut items = std::pin::pin!(client.assets().list_all(query));
    while let Some(item) = items.try_next().await? {
        if let Asset::File(f) = item
            && f.file_path.as_deref() == Some(file)
            && let Some(id) = f.file_id
        {
            return Ok(id);
        }
    }
    Err(CliError::usage(format!("no file at {file}")))
}

async fn resolve_all(client: &Client, files: &[String]) -> CliResult<Vec<String>> {
    let mut ids = Vec::with_capacity(files.len());
    for f in files {
        ids.push(resolve(client, f).await?);
    }
    Ok(ids)
}

/// `imagekit get`.
pub async fn get(ctx: &Context, args: FileArg) -> CliResult {
    let client = ctx.client()?;
    let id = resolve(&client, &args.file).await?;
    ctx.out.value(&client.files().get(&id).await?)
}

/// `imagekit rm`.
pub async fn rm(ctx: &Context, args: RmArgs) -> CliResult {
    let client = ctx.client()?;
    let ids = resolve_all(&client, &args.files).await?;
    if let [id] = ids.as_slice() {
        client.files().delete(id).await?;
        return ctx.out.either(|| format!("deleted {id}"), &json!({"fileId": id, "ok": true}));
    }
    let outcome = client.files().bulk().delete_all(ids, DEFAULT_CONCURRENCY).await;
    report_bulk(&ctx.out, "deleted", &outcome)
}

/// `imagekit cp`.
pub async fn cp(ctx: &Context, args: CopyArgs) -> CliResult {
    let client = ctx.client()?;
    let mut body = CopyFileRequest::new(args.source.clone(), args.destination.clone());
    if args.include_versions {
        body = body.include_file_versions(true);
    }
    client.files().copy(body).await?;
    ctx.out.either(
        || format!("copied {} to {}", args.source, args.destination),
        &json!({"source": args.source, "destination": args.destination, "ok": true}),
    )
}

/// `imagekit mv`.
pub async fn mv(ctx: &Context, args: MoveArgs) -> CliResult {
    let client = ctx.client()?;
    client.files().r#move(MoveFileRequest::new(args.source.clone(), args.destination.clone())).await?;
    ctx.out.either(
        || format!("moved {} to {}", args.source, args.destination),
        &json!({"source": args.source, "destination": args.destination, "ok": true}),
    )
}

/// `imagekit rename`.
pub async fn rename(ctx: &Context, args: RenameArgs) -> CliResult {
    let client = ctx.client()?;
    let mut body = RenameFileRequest::new(args.path.clone(), args.new_name.clone());
    if args.purge_cache {
        body = body.purge_cache(true);
    }
    let resp = client.files().rename(body).await?;
    let purge = resp.purge_request_id.clone();
    ctx.out.either(
        || match &purge {
            Some(id) => format!("renamed {} to {} (purge request {id})", args.path, args.new_name),
            None => format!("renamed {} to {}", args.path, args.new_name),
        },
        &json!({"filePath": args.path, "newFileName": args.new_name, "purgeRequestId": purge, "ok": true}),
    )
}

/// `imagekit tag`.
pub async fn tag(ctx: &Context, args: TagArgs) -> CliResult {
    let client = ctx.client()?;
    let ids = resolve_all(&client, &args.files).await?;
    let outcome = client.files().bulk().add_tags_all(ids, args.tags, DEFAULT_CONCURRENCY).await;
    report_bulk(&ctx.out, "tagged", &outcome)
}

/// `imagekit untag`.
pub async fn untag(ctx: &Context, args: UntagArgs) -> CliResult {
    let client = ctx.client()?;
    let ids = resolve_all(&client, &args.files).await?;
    let bulk = client.files().bulk();
    let outcome = if args.ai {
        bulk.remove_ai_tags_all(ids, args.tags, DEFAULT_CONCURRENCY).await
    } else {
        bulk.remove_tags_all(ids, args.tags, DEFAULT_CONCURRENCY).await
    };
    report_bulk(&ctx.out, "untagged", &outcome)
}

/// One line per id of a bulk operation; failures make the command fail.
fn report_bulk(out: &Output, verb: &str, outcome: &BulkOutcome) -> CliResult {
    for id in &outcome.succeeded {
        out.either(|| format!("{verb} {id}"), &json!({"fileId": id, "ok": true}))?;
    }
    for failure in &outcome.failed {
        let (message, error) = match &failure.reason {
            FailureReason::Missing => ("not found".to_owned(), json!({"message": "not found", "status": 404})),
            FailureReason::NotReported => {
                let m = "the API did not report it as done";
                (m.to_owned(), json!({ "message": m }))
            }
            FailureReason::Error(e) => (describe_sdk_error(e).replacen("imagekit: error: ", "", 1), sdk_error_json(e)),
            // A reason added in a later SDK: its own text.
            other => (other.to_string(), json!({ "message": other.to_string() })),
        };
        if out.json {
            out.json_line(&json!({"fileId": failure.file_id, "ok": false, "error": error}))?;
        } else {
            eprintln!("imagekit: {}: {message}", failure.file_id);
        }
    }
    if outcome.is_complete() { Ok(()) } else { Err(CliError::Reported) }
}

/// `imagekit versions`.
pub async fn versions(ctx: &Context, args: VersionsArgs) -> CliResult {
    let client = ctx.client()?;
    let id = resolve(&client, &args.file).await?;
    let versions = client.files().versions();
    match (&args.version, args.delete) {
        (Some(version), true) => {
            versions.delete(&id, version).await?;
            ctx.out.either(
                || format!("deleted version {version} of {id}"),
                &json!({"fileId": id, "versionId": version, "ok": true}),
            )
        }
        (Some(version), false) => ctx.out.value(&versions.get(&id, version).await?),
        (None, _) => {
            let list = versions.list(&id).await?;
            if !ctx.out.json {
                ctx.out.line(&format!("{}{}{}CREATED", pad("VERSION ID", 27), pad("NAME", 14), pad("SIZE", 11)))?;
            }
            for v in &list {
                if ctx.out.json {
                    ctx.out.json_line(v)?;
                } else {
                    let info = v.version_info.as_ref();
                    ctx.out.line(&format!(
                        "{}{}{}{}",
                        pad(info.and_then(|i| i.id.as_deref()).unwrap_or("-"), 27),
                        pad(info.and_then(|i| i.name.as_deref()).unwrap_or("-"), 14),
                        pad(&v.size.map_or_else(|| "-".to_owned(), human_bytes), 11),
                        v.created_at.as_deref().unwrap_or("-"),
                    ))?;
                }
            }
            Ok(())
        }
    }
}

/// `imagekit restore`.
pub async fn restore(ctx: &Context, args: RestoreArgs) -> CliResult {
    let client = ctx.client()?;
    let id = resolve(&client, &args.file).await?;
    ctx.out.value(&client.files().versions().restore(&id, &args.version).await?)
}

/// `imagekit publish`.
pub async fn publish(ctx: &Context, args: PublishArgs) -> CliResult {
    let client = ctx.client()?;
    let ids = resolve_all(&client, &args.files).await?;
    let verb = if args.unpublish { "unpublished" } else { "published" };
    for id in &ids {
        let mut body = UpdateFileRequest::publish(!args.unpublish);
        if args.include_versions {
            body = body.include_file_versions(true);
        }
        let file = client.files().update(id, body).await?;
        ctx.out.either(|| format!("{verb} {id}"), &file)?;
    }
    Ok(())
}

/// `imagekit metadata`.
pub async fn metadata(ctx: &Context, args: MetadataArgs) -> CliResult {
    let client = ctx.client()?;
    let meta = if args.file.starts_with("http://") || args.file.starts_with("https://") {
        client.files().metadata().get_from_url(args.file.clone()).await?
    } else {
        let id = resolve(&client, &args.file).await?;
        client.files().metadata().get(&id).await?
    };
    ctx.out.value(&meta)
}
