//! The command line: every subcommand, its flags and their help text (clap derive).

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::progress::ProgressMode;

mod files;
pub use files::*;

const AFTER_HELP: &str = "\
Environment:
  IMAGEKIT_PRIVATE_KEY, IMAGEKIT_PUBLIC_KEY, IMAGEKIT_URL_ENDPOINT, IMAGE_KIT_BASE_URL (or
  IMAGEKIT_BASE_URL), IMAGEKIT_WEBHOOK_SECRET, IMAGE_KIT_CUSTOM_HEADERS: as the SDK reads them;
  flags win over the environment. Keys are never printed.

Exit status: 0 on success, 1 when the API or the input refused something (or any upload
failed), 2 for bad flags.

Examples:
  imagekit upload ./photos --folder /site -r
  imagekit ls /site --json
  imagekit url /site/shoe.jpg --tr w-300,h-300 --signed --expires-in 600
  imagekit emulator --port 8787";

/// The ImageKit.io API from the shell: uploads, the media library, delivery URLs,
/// webhooks, and a local emulator.
#[derive(Debug, Parser)]
#[command(name = "imagekit", version, about, long_about = None, after_help = AFTER_HELP)]
pub struct Cli {
    /// Flags every subcommand takes.
    #[command(flatten)]
    pub global: Global,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Connection and output flags, accepted before or after the subcommand.
#[derive(Debug, Clone, Args)]
pub struct Global {
    /// Private API key (HTTP Basic user; signs URLs and upload parameters). Never printed.
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        env = "IMAGEKIT_PRIVATE_KEY",
        hide_env_values = true,
        value_name = "KEY"
    )]
    pub private_key: Option<String>,

    /// Public API key (client-side and V2 uploads).
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        env = "IMAGEKIT_PUBLIC_KEY",
        hide_env_values = true,
        value_name = "KEY"
    )]
    pub public_key: Option<String>,

    /// URL endpoint delivery URLs are built on, e.g. `https://ik.imagekit.io/your_id`.
    #[arg(long, global = true, help_heading = "Global options", env = "IMAGEKIT_URL_ENDPOINT", value_name = "URL")]
    pub url_endpoint: Option<String>,

    /// Send every request, uploads included, here (a proxy or a local emulator).
    /// Also read from IMAGEKIT_BASE_URL. A URL with credentials (user:password@) is refused.
    // The value is hidden from --help: it may carry credentials the SDK then refuses.
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        env = "IMAGE_KIT_BASE_URL",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub base_url: Option<String>,

    /// Timeout of each attempt, in seconds (default 60; uploads get 60 plus 1 per 256 KiB).
    #[arg(long, global = true, help_heading = "Global options", value_parser = parse_seconds, value_name = "SECS")]
    pub timeout: Option<Duration>,

    /// Bound on each call, in seconds: every attempt, retry and Retry-After wait
    /// (default none).
    #[arg(long, global = true, help_heading = "Global options", value_parser = parse_seconds, value_name = "SECS")]
    pub total_timeout: Option<Duration>,

    /// Retries after a failed attempt (default 2).
    #[arg(long, global = true, help_heading = "Global options", value_name = "N")]
    pub max_retries: Option<u32>,

    /// Machine output: one JSON value per line on stdout, errors as JSON on stderr.
    #[arg(long, global = true, help_heading = "Global options")]
    pub json: bool,

    /// Say more on stderr: the configuration (never the keys), then (-vv) every request.
    #[arg(short, long, global = true, help_heading = "Global options", action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a delivery URL (or, with --jsonl, answer conformance cases from stdin).
    Url(UrlArgs),
    /// Print client-side upload parameters {token, expire, signature} as JSON.
    AuthParams(AuthParamsArgs),
    /// Upload files or whole directories.
    Upload(UploadArgs),
    /// Mirror a directory into a folder: upload new and changed files (by size and content), optionally delete the rest.
    Sync(SyncArgs),
    /// List the media library, every page (a table, or JSON lines with --json).
    Ls(LsArgs),
    /// Show a file's details.
    Get(FileArg),
    /// Delete files (and all their versions).
    Rm(RmArgs),
    /// Copy a file into a folder.
    Cp(CopyArgs),
    /// Move a file into a folder.
    Mv(MoveArgs),
    /// Rename a file in place.
    Rename(RenameArgs),
    /// Add tags to files.
    Tag(TagArgs),
    /// Remove tags (or AI tags) from files.
    Untag(UntagArgs),
    /// List a file's versions, show one, or delete one.
    Versions(VersionsArgs),
    /// Make a version the current one.
    Restore(RestoreArgs),
    /// Publish (or with --unpublish, unpublish) files.
    Publish(PublishArgs),
    /// Show the technical metadata of a file, or of any URL the account serves.
    Metadata(MetadataArgs),
    /// Create, delete, copy, move and rename folders.
    #[command(subcommand)]
    Folder(FolderCommand),
    /// Purge a URL from the CDN cache.
    Purge(PurgeArgs),
    /// Manage custom metadata fields.
    #[command(subcommand)]
    Fields(FieldsCommand),
    /// Verify webhooks.
    #[command(subcommand)]
    Webhook(WebhookCommand),
    /// Call any SDK method by its official dotted name with JSON parameters.
    Api(ApiArgs),
    /// Run the local ImageKit emulator until Ctrl-C or SIGTERM.
    Emulator(imagekit_emulator::cli::ServeArgs),
}

/// `imagekit url`.
#[derive(Debug, Args)]
pub struct UrlArgs {
    /// A path under the URL endpoint, or an absolute http(s) URL.
    #[arg(required_unless_present = "jsonl")]
    pub src: Option<String>,

    /// Raw transformation steps, `:`-separated (e.g. `w-300,h-300:rt-90`); they come first.
    #[arg(long, value_name = "TR")]
    pub tr: Option<String>,

    /// One transformation step from official option names, `key=value[,key=value...]`
    /// (e.g. `width=300,height=300`); repeat for more steps.
    #[arg(long, value_name = "KEY=VALUE,...")]
    pub step: Vec<String>,

    /// Put the transformation in the path (`/tr:.../`) instead of the query (`?tr=`).
    #[arg(long)]
    pub path_position: bool,

    /// An extra query parameter `key=value`; repeatable, kept in order.
    #[arg(long, value_name = "KEY=VALUE")]
    pub query: Vec<String>,

    /// Sign the URL with the private key.
    #[arg(long)]
    pub signed: bool,

    /// Make the signed URL expire this many seconds from now (implies --signed).
    #[arg(long, value_name = "SECS")]
    pub expires_in: Option<u64>,

    /// Read conformance cases (`{"id","fn","args"}` lines) on stdin and write one
    /// `{"id","output"}` or `{"id","error"}` line per case.
    #[arg(long, conflicts_with_all = ["src", "tr", "step", "path_position", "query", "signed", "expires_in"])]
    pub jsonl: bool,
}

/// `imagekit auth-params`.
#[derive(Debug, Args)]
pub struct AuthParamsArgs {
    /// The one-time token (default: a random UUID).
    #[arg(long)]
    pub token: Option<String>,

    /// Expiry, Unix seconds (default: 30 minutes from now).
    #[arg(long, value_name = "UNIX")]
    pub expire: Option<u64>,
}

/// Upload flags shared by `upload` and `sync`.
#[derive(Debug, Clone, Args)]
pub struct TransferArgs {
    /// Uploads in flight at once.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64), value_name = "N")]
    pub concurrency: u16,

    /// Progress bars on stderr: `auto` draws them when stdout and stderr are terminals.
    #[arg(long, value_enum, default_value_t = ProgressMode::Auto, value_name = "WHEN")]
    pub progress: ProgressMode,

    /// Tags for every uploaded file, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "TAGS")]
    pub tags: Vec<String>,

    /// Store the files as private.
    #[arg(long)]
    pub private: bool,
}

/// `imagekit upload`.
#[derive(Debug, Args)]
pub struct UploadArgs {
    /// Files, or directories with --recursive.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Destination folder; a directory's files keep their relative paths under it.
    #[arg(long, default_value = "/", value_name = "FOLDER")]
    pub folder: String,

    /// Upload directories, sub-directories included, as folders.
    #[arg(short, long)]
    pub recursive: bool,

    /// Keep the file names as they are (`useUniqueFileName=false`): a file at the same
    /// path is replaced.
    #[arg(long)]
    pub no_unique: bool,

    /// Flags shared with `sync`.
    #[command(flatten)]
    pub transfer: TransferArgs,
}

/// `imagekit sync`: make a remote folder mirror a local directory. Files are
/// compared by their stored path (the names ImageKit will store), size and
/// SHA-256 (kept in the custom metadata field `ikSyncSha256`, created if
/// missing); new and changed files are uploaded in place, with a concurrency
/// that adapts to the API's rate limit.
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The local directory.
    pub dir: PathBuf,

    /// The remote folder it mirrors (sub-folders included).
    pub folder: String,

    /// Only print what would be uploaded (and, with --delete, deleted), as stored paths.
    #[arg(long)]
    pub dry_run: bool,

    /// Also delete remote files under the folder that have no local file (asks first).
    #[arg(long)]
    pub delete: bool,

    /// Delete without asking (needed with --delete when stdin is not a terminal).
    #[arg(long, short = 'y', requires = "delete")]
    pub yes: bool,

    /// The most uploads in flight; sync starts at 8 (or N if lower), grows while
    /// uploads succeed and halves on each 429.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u16).range(1..=512), value_name = "N")]
    pub concurrency: u16,

    /// A progress line on stderr: `auto` draws it when stdout and stderr are terminals.
    #[arg(long, value_enum, default_value_t = ProgressMode::Auto, value_name = "WHEN")]
    pub progress: ProgressMode,

    /// Tags for every uploaded file, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "TAGS")]
    pub tags: Vec<String>,

    /// Store the uploaded files as private.
    #[arg(long)]
    pub private: bool,
}

/// How long and how often `--wait` polls.
#[derive(Debug, Clone, Copy, Args)]
pub struct WaitArgs {
    /// Poll until the job completes.
    #[arg(long)]
    pub wait: bool,
    /// Seconds between two polls.
    #[arg(long, default_value = "1", value_parser = parse_seconds, value_name = "SECS")]
    pub poll_interval: Duration,
    /// Give up waiting after this many seconds.
    #[arg(long, default_value = "300", value_parser = parse_seconds, value_name = "SECS")]
    pub wait_timeout: Duration,
}

/// `imagekit folder ...`.
#[derive(Debug, Subcommand)]
pub enum FolderCommand {
    /// Create a folder (and any missing parents), e.g. `/products/summer`.
    Create {
        /// The folder's full path.
        path: String,
    },
    /// Delete a folder and everything in it.
    Rm {
        /// The folder's full path.
        path: String,
    },
    /// Copy a folder into another (a bulk job).
    Cp {
        /// The folder to copy.
        source: String,
        /// Where to copy it.
        destination: String,
        /// Copy file versions too.
        #[arg(long)]
        include_versions: bool,
        /// Waiting for the job.
        #[command(flatten)]
        wait: WaitArgs,
    },
    /// Move a folder into another (a bulk job).
    Mv {
        /// The folder to move.
        source: String,
        /// Where to move it.
        destination: String,
        /// Waiting for the job.
        #[command(flatten)]
        wait: WaitArgs,
    },
    /// Rename a folder in place (a bulk job).
    Rename {
        /// The folder's full path.
        path: String,
        /// The new name.
        new_name: String,
        /// Purge the CDN cache of the old path.
        #[arg(long)]
        purge_cache: bool,
        /// Waiting for the job.
        #[command(flatten)]
        wait: WaitArgs,
    },
}

/// `imagekit purge`.
#[derive(Debug, Args)]
pub struct PurgeArgs {
    /// The full URL to purge (a trailing `*` purges a prefix).
    #[arg(required_unless_present = "status")]
    pub url: Option<String>,
    /// Show the status of an earlier purge instead.
    #[arg(long, value_name = "REQUEST_ID", conflicts_with = "url")]
    pub status: Option<String>,
    /// Waiting for the purge.
    #[command(flatten)]
    pub wait: WaitArgs,
}

/// The schema flags of `fields create` and `fields update`.
#[derive(Debug, Clone, Args)]
pub struct SchemaArgs {
    /// The whole schema as JSON (`{"type":"Number","minValue":0}`); the flags below
    /// override its keys.
    #[arg(long, value_name = "JSON")]
    pub schema: Option<String>,
    /// Allowed values of a select field, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "VALUES")]
    pub select_options: Option<Vec<String>>,
    /// The default value (a JSON value, or text).
    #[arg(long, value_name = "VALUE", allow_hyphen_values = true)]
    pub default_value: Option<String>,
    /// Every upload and update must set the field.
    #[arg(long)]
    pub required: bool,
    /// Lower bound of a Number or Date field.
    #[arg(long, value_name = "VALUE", allow_hyphen_values = true)]
    pub min_value: Option<String>,
    /// Upper bound of a Number or Date field.
    #[arg(long, value_name = "VALUE", allow_hyphen_values = true)]
    pub max_value: Option<String>,
    /// Minimum length of a Text or Textarea field.
    #[arg(long, value_name = "N")]
    pub min_length: Option<u64>,
    /// Maximum length of a Text or Textarea field.
    #[arg(long, value_name = "N")]
    pub max_length: Option<u64>,
}

/// `imagekit fields ...`.
#[derive(Debug, Subcommand)]
pub enum FieldsCommand {
    /// List the fields.
    Ls {
        /// Only fields that apply to this folder.
        #[arg(long, value_name = "FOLDER")]
        folder_path: Option<String>,
        /// Include deleted fields.
        #[arg(long)]
        include_deleted: bool,
    },
    /// Create a field.
    Create {
        /// The API name (the key in customMetadata).
        name: String,
        /// The label shown in the dashboard (default: the name).
        #[arg(long)]
        label: Option<String>,
        /// Text, Textarea, Number, Date, Boolean, SingleSelect or MultiSelect.
        #[arg(long = "type", value_name = "TYPE")]
        kind: Option<String>,
        /// A description.
        #[arg(long)]
        description: Option<String>,
        /// Schema flags.
        #[command(flatten)]
        schema: SchemaArgs,
    },
    /// Change a field's label, description or schema.
    Update {
        /// The field id.
        id: String,
        /// A new label.
        #[arg(long)]
        label: Option<String>,
        /// A new description (`""` clears it).
        #[arg(long)]
        description: Option<String>,
        /// Schema flags.
        #[command(flatten)]
        schema: SchemaArgs,
    },
    /// Delete a field.
    Rm {
        /// The field id.
        id: String,
    },
}

/// `imagekit webhook ...`.
#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// Check a webhook's signature; print the event as JSON when valid.
    Verify(WebhookVerifyArgs),
}

/// `imagekit webhook verify`.
#[derive(Debug, Args)]
pub struct WebhookVerifyArgs {
    /// The webhook secret (`whsec_...`). Never printed.
    #[arg(long, env = "IMAGEKIT_WEBHOOK_SECRET", hide_env_values = true, value_name = "SECRET")]
    pub secret: String,
    /// The request headers, `Name: value` lines as in HTTP (`-` for stdin).
    #[arg(long, value_name = "FILE")]
    pub headers: PathBuf,
    /// The raw request body, byte for byte (`-` for stdin).
    #[arg(long, value_name = "FILE")]
    pub body: PathBuf,
    /// Check the legacy `x-ik-signature: t=<ms>,v1=<hex>` scheme instead.
    #[arg(long)]
    pub legacy: bool,
    /// Judge the timestamp as of this Unix time instead of now (replaying a recorded
    /// webhook).
    #[arg(long, value_name = "UNIX")]
    pub at: Option<i64>,
}

/// `imagekit api`.
#[derive(Debug, Args)]
#[command(after_help = "Run `imagekit api --list` for every method with its HTTP method, path and parameters.")]
pub struct ApiArgs {
    /// The official dotted method name (see --list).
    #[arg(required_unless_present = "list")]
    pub method: Option<String>,
    /// The parameters as one JSON object (default `{}`); `-` reads stdin, `@FILE` a file.
    #[arg(allow_hyphen_values = true)]
    pub params: Option<String>,
    /// Print every method with its HTTP method, path and parameters, and exit.
    #[arg(long, conflicts_with_all = ["method", "params"])]
    pub list: bool,
}

/// Seconds, possibly fractional (`0.5`), as a duration.
pub fn parse_seconds(s: &str) -> Result<Duration, String> {
    let v: f64 = s.trim().parse().map_err(|_| format!("`{s}` is not a number of seconds"))?;
    Duration::try_from_secs_f64(v).map_err(|_| format!("`{s}` is not a non-negative number of seconds"))
}

#[cfg(test)]
mod tests;
