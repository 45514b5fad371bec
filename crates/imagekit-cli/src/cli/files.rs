//! The arguments of the commands that read and change single files: `ls`, `get`, `rm`, `cp`, `mv`,
//! `rename`, `tag`, `untag`, `versions`, `restore`, `publish`, `metadata`.

use clap::Args;

/// `imagekit ls`.
#[derive(Debug, Args)]
pub struct LsArgs {
    /// Only this folder (not its sub-folders); without it, the whole library.
    pub folder: Option<String>,

    /// A search query, e.g. `name = "shoe.jpg"` or `size > "10kb"`.
    #[arg(long, short = 'q', value_name = "SEARCH")]
    pub query: Option<String>,

    /// What to list: file, file-version, folder or all.
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<String>,

    /// Images, non-images or all.
    #[arg(long, value_name = "TYPE")]
    pub file_type: Option<String>,

    /// Sort order, e.g. ASC_NAME, DESC_CREATED (case-insensitive).
    #[arg(long, value_name = "ORDER")]
    pub sort: Option<String>,

    /// Stop after this many items.
    #[arg(long, short = 'n', value_name = "N")]
    pub limit: Option<u64>,
}

/// A file, by id or by its path (`/folder/name.jpg`).
#[derive(Debug, Args)]
pub struct FileArg {
    /// A file id, or a file path starting with `/`.
    pub file: String,
}

/// `imagekit rm`.
#[derive(Debug, Args)]
pub struct RmArgs {
    /// File ids, or file paths starting with `/`.
    #[arg(required = true)]
    pub files: Vec<String>,
}

/// `imagekit cp`.
#[derive(Debug, Args)]
pub struct CopyArgs {
    /// The file's path, e.g. `/a/shoe.jpg`.
    pub source: String,
    /// The destination folder.
    pub destination: String,
    /// Copy every version too.
    #[arg(long)]
    pub include_versions: bool,
}

/// `imagekit mv`.
#[derive(Debug, Args)]
pub struct MoveArgs {
    /// The file's path, e.g. `/a/shoe.jpg`.
    pub source: String,
    /// The destination folder.
    pub destination: String,
}

/// `imagekit rename`.
#[derive(Debug, Args)]
pub struct RenameArgs {
    /// The file's path, e.g. `/a/shoe.jpg`.
    pub path: String,
    /// The new name.
    pub new_name: String,
    /// Purge the CDN cache of the old URL.
    #[arg(long)]
    pub purge_cache: bool,
}

/// `imagekit tag`.
#[derive(Debug, Args)]
pub struct TagArgs {
    /// File ids, or file paths starting with `/`.
    #[arg(required = true)]
    pub files: Vec<String>,
    /// The tags, comma-separated.
    #[arg(long, short = 't', required = true, value_delimiter = ',', value_name = "TAGS")]
    pub tags: Vec<String>,
}

/// `imagekit untag`.
#[derive(Debug, Args)]
pub struct UntagArgs {
    /// File ids, or file paths starting with `/`.
    #[arg(required = true)]
    pub files: Vec<String>,
    /// The tags, comma-separated.
    #[arg(long, short = 't', required = true, value_delimiter = ',', value_name = "TAGS")]
    pub tags: Vec<String>,
    /// Remove AI tags instead of tags.
    #[arg(long)]
    pub ai: bool,
}

/// `imagekit versions`.
#[derive(Debug, Args)]
pub struct VersionsArgs {
    /// A file id, or a file path starting with `/`.
    pub file: String,
    /// Show only this version.
    pub version: Option<String>,
    /// Delete the version (not the current one).
    #[arg(long, requires = "version")]
    pub delete: bool,
}

/// `imagekit restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A file id, or a file path starting with `/`.
    pub file: String,
    /// The version to make current.
    pub version: String,
}

/// `imagekit publish`.
#[derive(Debug, Args)]
pub struct PublishArgs {
    /// File ids, or file paths starting with `/`.
    #[arg(required = true)]
    pub files: Vec<String>,
    /// Unpublish (make a draft) instead.
    #[arg(long)]
    pub unpublish: bool,
    /// Apply to every version of the files too.
    #[arg(long)]
    pub include_versions: bool,
}

/// `imagekit metadata`.
#[derive(Debug, Args)]
pub struct MetadataArgs {
    /// A file id, a file path starting with `/`, or an http(s) URL the account serves.
    pub file: String,
}
