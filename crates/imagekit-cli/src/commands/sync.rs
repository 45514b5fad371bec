//! `imagekit sync <dir> <folder>`: upload the files of a directory that are new or
//! changed, judged by name and size against an auto-paged listing of each
//! remote folder. Changed files replace the remote ones (names are kept as they are).

use std::collections::{BTreeSet, HashMap};

use futures::TryStreamExt;
use imagekit::Client;
use imagekit::types::{Asset, AssetType, ListAssetsQuery};
use serde_json::json;

use crate::cli::SyncArgs;
use crate::commands::upload::{self, Job, Settings};
use crate::config::Context;
use crate::error::{CliError, CliResult};
use crate::output::human_bytes;

/// `imagekit sync`.
pub async fn run(ctx: &Context, args: SyncArgs) -> CliResult {
    let meta = std::fs::metadata(&args.dir)
        .map_err(|e| CliError::usage(format!("cannot read {}: {e}", args.dir.display())))?;
    if !meta.is_dir() {
        return Err(CliError::usage(format!("{} is not a directory", args.dir.display())));
    }
    let mut local = Vec::new();
    upload::walk(&args.dir, &args.dir.display().to_string(), &mut Vec::new(), &args.folder, &mut local)?;
    let client = ctx.client()?;

    let folders: BTreeSet<&str> = local.iter().map(|j| j.folder.as_str()).collect();
    let mut remote: HashMap<(String, String), u64> = HashMap::new();
    for folder in folders {
        for (name, size) in remote_files(&client, folder).await? {
            remote.insert((folder.to_owned(), name), size);
        }
    }

    let (todo, unchanged): (Vec<Job>, Vec<Job>) =
        local.into_iter().partition(|j| remote.get(&(j.folder.clone(), j.file_name.clone())) != Some(&j.size));
    for job in &unchanged {
        if ctx.out.json {
            ctx.out.json_line(&json!({"source": job.display, "ok": true, "status": "unchanged"}))?;
        } else if ctx.global.verbose > 0 {
            eprintln!("imagekit: unchanged {}", job.display);
        }
    }
    if args.dry_run {
        for job in &todo {
            let target = format!("{}/{}", job.folder.trim_end_matches('/'), job.file_name);
            ctx.out.either(
                || format!("would upload {} -> {target} ({})", job.display, human_bytes(job.size)),
                &json!({"source": job.display, "ok": true, "status": "would-upload", "filePath": target}),
            )?;
        }
        if !ctx.out.json {
            eprintln!("imagekit: {} to upload, {} unchanged (dry run)", todo.len(), unchanged.len());
        }
        return Ok(());
    }
    if todo.is_empty() {
        if !ctx.out.json {
            eprintln!("imagekit: everything is up to date ({} files)", unchanged.len());
        }
        return Ok(());
    }
    let settings = Settings { tags: args.transfer.tags.clone(), private: args.transfer.private, unique: false };
    let summary = upload::transfer(ctx, &client, todo, &settings, &args.transfer).await?;
    if !ctx.out.json {
        eprintln!("imagekit: {} unchanged", unchanged.len());
    }
    if summary.failed > 0 { Err(CliError::Reported) } else { Ok(()) }
}

/// Name and size of every file directly in `folder`, all pages; a folder that
/// does not exist yet has none.
async fn remote_files(client: &Client, folder: &str) -> CliResult<Vec<(String, u64)>> {
    let query = ListAssetsQuery::default().path(folder.to_owned()).kind(AssetType::File);
    let listed: Result<Vec<Asset>, imagekit::Error> = client.assets().list_all(query).try_collect().await;
    let items = match listed {
        Ok(items) => items,
        Err(e) if e.status() == Some(http::StatusCode::NOT_FOUND) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    Ok(items
        .into_iter()
        .filter_map(|a| match a {
            Asset::File(f) => {
                let size = f.size.unwrap_or(0);
                f.name.map(|n| (n, size))
            }
            _ => None,
        })
        .collect())
}
