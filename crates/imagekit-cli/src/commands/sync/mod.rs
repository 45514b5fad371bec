//! `imagekit sync <dir> <folder>`: make the remote folder mirror the directory.
//!
//! 1. The custom metadata field [`remote::HASH_FIELD`] is created if missing.
//! 2. The files under the folder are listed a page at a time into a compact
//!    index: stored path -> (size, recorded SHA-256, file id).
//! 3. The directory is walked on a blocking thread and streamed through: each
//!    file's stored path (the names ImageKit will store) is looked up and taken
//!    out of the index; same size and same SHA-256 means unchanged, anything
//!    else is uploaded in place, recording its hash. Uploads run under an AIMD
//!    [`limiter::Limiter`] that follows the API's rate limit.
//! 4. What is left in the index exists only remotely: with `--delete`, it is
//!    deleted in bulk after a confirmation.
//!
//! No local state: the hashes live with the remote files, so an interrupted
//! run loses nothing and the next one uploads only what is missing or changed.

mod limiter;
mod local;
mod remote;
mod report;
mod send;

use std::collections::HashSet;
use std::io::{BufRead, IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use futures::stream::{self, StreamExt};
use imagekit::Client;
use imagekit::types::stored_folder;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::SyncArgs;
use crate::config::Context;
use crate::error::{CliError, CliResult};
use limiter::Limiter;
use local::{LocalFile, Walked};
use remote::{RemoteFile, RemoteIndex};
use report::{FileResult, Outcome, Summary};

/// Uploads in flight at the start, before the limiter has learnt anything.
const START_CONCURRENCY: usize = 8;
/// Retries of listing and field calls: under a rate limit a 429 only delays them.
const LIST_RETRIES: u32 = 10;
/// Files walked ahead of the uploads.
const WALK_AHEAD: usize = 256;

/// `imagekit sync`.
pub async fn run(ctx: &Context, args: SyncArgs) -> CliResult {
    let started = Instant::now();
    let meta = std::fs::metadata(&args.dir)
        .map_err(|e| CliError::usage(format!("cannot read {}: {e}", args.dir.display())))?;
    if !meta.is_dir() {
        return Err(CliError::usage(format!("{} is not a directory", args.dir.display())));
    }
    // Refused before anything is sent, rather than after the uploads.
    if args.delete && !args.yes && !args.dry_run && !std::io::stdin().is_terminal() {
        return Err(CliError::usage(
            "--delete asks for confirmation on stdin, which is not a terminal: pass --yes to delete without asking",
        ));
    }
    let target = stored_folder(&args.folder);
    let client = ctx.client()?;
    let retries = ctx.max_retries().max(LIST_RETRIES);
    let bar = progress_bar(&args);

    remote::ensure_hash_field(&client, !args.dry_run, retries).await?;
    bar.set_message(format!("listing {target}"));
    let mut index =
        remote::index(&client, &target, retries, |n| bar.set_message(format!("listed {n} remote files"))).await?;

    let stop = Arc::new(AtomicBool::new(false));
    let watcher = tokio::spawn(watch_ctrl_c(stop.clone()));
    let mut summary = Summary::default();
    let walked_all = compare_and_upload(ctx, &args, &client, &mut index, &stop, &bar, &mut summary).await;
    watcher.abort();
    let walked_all = walked_all?;
    summary.stopped = stop.load(Ordering::Relaxed);

    // What is left of the index has no local file.
    let mut remote_only: Vec<(Box<str>, Box<str>)> =
        index.into_iter().map(|(path, RemoteFile { file_id, .. })| (path, file_id)).collect();
    remote_only.sort_unstable();
    summary.remote_only = remote_only.len() as u64;
    bar.finish_and_clear();
    if args.delete && !remote_only.is_empty() {
        if summary.stopped || !walked_all {
            eprintln!("imagekit: not deleting anything: the local directory was not read completely");
        } else {
            delete(ctx, &args, &client, &target, remote_only, &mut summary).await?;
        }
    } else if !remote_only.is_empty() && !ctx.out.json {
        eprintln!(
            "imagekit: {} remote files under {target} have no local file (--delete removes them)",
            remote_only.len()
        );
    }
    summary.print(&ctx.out, args.dry_run, started.elapsed())?;
    if summary.failures.is_empty() && !summary.stopped { Ok(()) } else { Err(CliError::Reported) }
}

/// What the walk hands to the concurrent stage.
enum Plan {
    /// Compare with what is stored (if anything) and upload if it differs.
    Check(LocalFile, Option<RemoteFile>),
    /// Cannot be synced: the file as shown, its stored path and why.
    Fail(String, String, String),
}

/// Walk, compare and upload; the results are recorded in `summary`. `Ok(true)`
/// when the whole directory was read and every file was considered.
async fn compare_and_upload(
    ctx: &Context,
    args: &SyncArgs,
    client: &Client,
    index: &mut RemoteIndex,
    stop: &AtomicBool,
    bar: &ProgressBar,
    summary: &mut Summary,
) -> CliResult<bool> {
    let max = usize::from(args.concurrency);
    let limiter = Limiter::new(START_CONCURRENCY.min(max), max);
    let options = send::Options {
        tags: args.tags.clone(),
        private: args.private,
        max_retries: ctx.max_retries(),
        timeout: ctx.global.timeout,
    };
    let (tx, rx) = tokio::sync::mpsc::channel::<Walked>(WALK_AHEAD);
    let (dir, folder) = (args.dir.clone(), args.folder.clone());
    let walker = tokio::task::spawn_blocking(move || local::walk(&dir, &folder, |w| tx.blocking_send(w).is_ok()));

    // Two local files with one stored path would replace each other on every run.
    let mut claimed: HashSet<Box<str>> = HashSet::new();
    let mut complete = true;
    let mut checked = 0u64;
    let dry_run = args.dry_run;
    let (limiter, options) = (&limiter, &options);
    {
        let plans = stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|w| (w, rx)) })
            .take_while(|_| std::future::ready(!stop.load(Ordering::Relaxed)))
            .map(|walked| match walked {
                Walked::File(file) => {
                    let path = file.stored_path();
                    if claimed.insert(path.as_str().into()) {
                        let stored = index.remove(path.as_str());
                        Plan::Check(file, stored)
                    } else {
                        let why = format!("another local file is also stored as {path}");
                        Plan::Fail(file.display, path, why)
                    }
                }
                Walked::Unreadable(shown, why) => {
                    complete = false;
                    Plan::Fail(shown, String::new(), format!("cannot read it: {why}"))
                }
            });
        let results = plans
            .map(|plan| async move {
                match plan {
                    Plan::Check(file, stored) => check(client, limiter, options, file, stored, dry_run, stop).await,
                    Plan::Fail(display, path, why) => {
                        FileResult { display, path, size: 0, outcome: Outcome::Failed(why, None) }
                    }
                }
            })
            // The limiter decides how many upload; this only bounds the files in hand.
            .buffer_unordered(max + WALK_AHEAD);
        let mut results = std::pin::pin!(results);
        while let Some(result) = results.next().await {
            checked += 1;
            let line = bar.suspend(|| summary.record(&ctx.out, ctx.global.verbose > 0, result));
            line?;
            if checked.is_multiple_of(64) {
                let (limit, _) = limiter.snapshot();
                bar.set_message(format!(
                    "{checked} checked, {} uploaded, {} failed, {limit} in flight",
                    summary.uploaded,
                    summary.failures.len()
                ));
            }
        }
    }
    summary.rate_limited = limiter.snapshot().1;
    let walked = walker.await.is_ok();
    Ok(complete && walked && !stop.load(Ordering::Relaxed))
}

/// One file: unchanged when the stored file has its size and SHA-256, else
/// uploaded (or, in a dry run, reported).
async fn check(
    client: &Client,
    limiter: &Limiter,
    options: &send::Options,
    file: LocalFile,
    stored: Option<RemoteFile>,
    dry_run: bool,
    stop: &AtomicBool,
) -> FileResult {
    let path = file.stored_path();
    let (display, size) = (file.display.clone(), file.size);
    let result = |outcome| FileResult { display: display.clone(), path: path.clone(), size, outcome };
    if stop.load(Ordering::Relaxed) {
        return result(Outcome::Interrupted);
    }
    let source = file.source.clone();
    let hashed = tokio::task::spawn_blocking(move || local::sha256_file(&source)).await;
    let (hash, len) = match hashed {
        Ok(Ok(h)) => h,
        Ok(Err(e)) => return result(Outcome::Failed(format!("cannot read it: {e}"), None)),
        Err(e) => return result(Outcome::Failed(format!("hashing failed: {e}"), None)),
    };
    if let Some(stored) = &stored
        && stored.size == len
        && stored.hash.as_deref() == Some(hash.as_str())
    {
        return result(Outcome::Unchanged);
    }
    if dry_run {
        return result(Outcome::WouldUpload);
    }
    let file = LocalFile { size: len, ..file };
    match send::upload(client, limiter, &file, &hash, options, stop).await {
        Ok(response) => FileResult {
            display: file.display,
            path: path.clone(),
            size: len,
            outcome: Outcome::Uploaded(Box::new(response)),
        },
        Err(send::SendError::Interrupted) => result(Outcome::Interrupted),
        Err(send::SendError::Api(e)) => result(FileResult::sdk_failure(&e)),
    }
}

/// `--delete`: confirm (unless `--yes` or a dry run), then delete in bulk.
async fn delete(
    ctx: &Context,
    args: &SyncArgs,
    client: &Client,
    target: &str,
    files: Vec<(Box<str>, Box<str>)>,
    summary: &mut Summary,
) -> CliResult {
    if args.dry_run {
        for (path, _) in &files {
            summary.deleted(&ctx.out, path, Ok(()), true)?;
        }
        return Ok(());
    }
    if !args.yes && !confirm(files.len(), target, &args.dir.display().to_string())? {
        eprintln!("imagekit: nothing deleted");
        return Ok(());
    }
    for (path, result) in remote::delete(client, files).await {
        summary.deleted(&ctx.out, &path, result, false)?;
    }
    Ok(())
}

/// Ask on stderr, read the answer on stdin (a terminal: checked at the start).
fn confirm(count: usize, target: &str, dir: &str) -> CliResult<bool> {
    eprint!("imagekit: delete {count} remote files under {target} that are not in {dir}? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| CliError::usage(format!("cannot read the answer: {e}")))?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes"))
}

/// Set `stop` on the first Ctrl-C; a second one ends the process at once.
async fn watch_ctrl_c(stop: Arc<AtomicBool>) {
    if tokio::signal::ctrl_c().await.is_err() {
        return;
    }
    stop.store(true, Ordering::Relaxed);
    eprintln!("\nimagekit: stopping: no new uploads; waiting for those in flight (Ctrl-C again to quit now)");
    if tokio::signal::ctrl_c().await.is_ok() {
        std::process::exit(130);
    }
}

/// A one-line spinner with the counts, when progress is drawn.
fn progress_bar(args: &SyncArgs) -> ProgressBar {
    if !args.progress.enabled() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner:.green} {elapsed:>4} {wide_msg}") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}
