//! `imagekit ls`: every page of the media library listing, as a table printed
//! once the listing is complete, or as JSON lines streamed as pages arrive.

use futures::StreamExt;
use imagekit::types::{Asset, AssetFileType, AssetSort, AssetType, ListAssetsQuery};

use crate::cli::LsArgs;
use crate::config::Context;
use crate::error::{CliError, CliResult};
use crate::output::{human_bytes, pad};

const TYPES: &[&str] = &["file", "file-version", "folder", "all"];
const FILE_TYPES: &[&str] = &["all", "image", "non-image"];
/// Every sort the API names (kept in one place: `AssetSort`).
const SORTS: &[&str] = AssetSort::KNOWN;

/// `imagekit ls`.
pub async fn run(ctx: &Context, args: LsArgs) -> CliResult {
    let query = query_of(&args)?;
    let client = ctx.client()?;
    let items = client.assets().list_all(query);
    let items = match args.limit {
        Some(n) => items.take(usize::try_from(n).unwrap_or(usize::MAX)).left_stream(),
        None => items.right_stream(),
    };
    let mut items = std::pin::pin!(items);
    if ctx.out.json {
        // Machine output streams: each line is a whole item, and a failure
        // later in the listing still exits 1.
        while let Some(item) = items.next().await {
            ctx.out.json_line(&item?)?;
        }
        return Ok(());
    }
    // A table is printed whole or not at all: a listing that fails (on its
    // first page or a later one) leaves nothing on stdout, not even the header.
    let mut table = vec![format!("{}{}{}PATH", pad("TYPE", 13), pad("SIZE", 11), pad("ID", 27))];
    while let Some(item) = items.next().await {
        table.push(row(&item?));
    }
    ctx.out.lines(&table)
}

/// The listing query from the flags, every value checked before anything is sent.
fn query_of(args: &LsArgs) -> CliResult<ListAssetsQuery> {
    let mut query = ListAssetsQuery::default();
    if let Some(folder) = &args.folder {
        query = query.path(folder.clone());
    }
    if let Some(search) = &args.query {
        query = query.search_query(search.clone());
    }
    if let Some(kind) = &args.kind {
        query = query.kind(AssetType::from(one_of("--type", &kind.to_ascii_lowercase(), TYPES)?));
    }
    if let Some(file_type) = &args.file_type {
        query =
            query.file_type(AssetFileType::from(one_of("--file-type", &file_type.to_ascii_lowercase(), FILE_TYPES)?));
    }
    if let Some(sort) = &args.sort {
        let normalized = sort.to_ascii_uppercase().replace('-', "_");
        query = query.sort(AssetSort::from(one_of("--sort", &normalized, SORTS)?));
    }
    if let Some(limit) = args.limit {
        if limit == 0 {
            return Err(CliError::usage("--limit must be at least 1"));
        }
        query = query.limit(limit.min(1000));
    }
    Ok(query)
}

fn one_of<'a>(flag: &str, value: &'a str, allowed: &[&str]) -> CliResult<&'a str> {
    if allowed.contains(&value) {
        Ok(value)
    } else {
        Err(CliError::usage(format!("{flag} {value:?}: expected one of {}", allowed.join(", "))))
    }
}

/// One table row: type, size, id, path.
fn row(item: &Asset) -> String {
    let (kind, size, id, path) = match item {
        Asset::File(f) => {
            let id = match f.kind.as_ref().map(|k| k.as_str()) {
                Some("file-version") => f.version_info.as_ref().and_then(|v| v.id.clone()),
                _ => f.file_id.clone(),
            };
            (
                f.kind.as_ref().map_or("file", |k| k.as_str()).to_owned(),
                f.size.map_or_else(|| "-".to_owned(), human_bytes),
                id.unwrap_or_default(),
                f.file_path.clone().or_else(|| f.name.clone()).unwrap_or_default(),
            )
        }
        Asset::Folder(f) => (
            "folder".to_owned(),
            "-".to_owned(),
            f.folder_id.clone().unwrap_or_default(),
            format!("{}/", f.folder_path.as_deref().or(f.name.as_deref()).unwrap_or("").trim_end_matches('/')),
        ),
        // `Unknown`, and any kind a later imagekit-types names: its JSON says what it is.
        other => {
            let m = serde_json::to_value(other).unwrap_or_default();
            let text = |key: &str| m.get(key).and_then(|v| v.as_str()).map(str::to_owned);
            (
                text("type").unwrap_or_else(|| "?".to_owned()),
                "-".to_owned(),
                String::new(),
                text("name").unwrap_or_default(),
            )
        }
    };
    format!("{}{}{}{path}", pad(&kind, 13), pad(&size, 11), pad(&id, 27))
}
