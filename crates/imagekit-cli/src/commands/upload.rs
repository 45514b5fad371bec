//! `imagekit upload`, and the transfer engine `sync` shares: planning files from
//! paths, streaming each from disk (the SDK reads it in chunks: constant memory,
//! and reports progress), concurrency, retries, progress bars and one result
//! line per file.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use futures::stream::{self, StreamExt};
use imagekit::types::{FileUploadResponse, UploadParams};
use imagekit::{Client, UploadFile};
use serde_json::json;

use crate::cli::{TransferArgs, UploadArgs};
use crate::config::Context;
use crate::error::{CliError, CliResult, describe_sdk_error, sdk_error_json};
use crate::output::human_bytes;
use crate::progress::Progress;

/// One local file to upload, and where it goes.
#[derive(Debug, Clone)]
pub struct Job {
    /// The file on disk.
    pub source: PathBuf,
    /// How the file is named in output (the path as given, or under the directory given).
    pub display: String,
    /// The destination folder, `/a/b` (or `/`).
    pub folder: String,
    /// The file name to store it under.
    pub file_name: String,
    /// Its size when planned.
    pub size: u64,
}

/// What every upload of a transfer is sent with.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Tags for every file.
    pub tags: Vec<String>,
    /// Store as private files.
    pub private: bool,
    /// Let the API add a unique suffix to names (its default).
    pub unique: bool,
}

impl Settings {
    fn params(&self, job: &Job) -> UploadParams {
        let mut params = UploadParams::new(job.file_name.clone()).folder(job.folder.clone());
        if !self.tags.is_empty() {
            params = params.tags(self.tags.iter().cloned());
        }
        if self.private {
            params = params.is_private_file(true);
        }
        if !self.unique {
            params = params.use_unique_file_name(false);
        }
        params
    }
}

/// How a transfer went.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    /// Files uploaded.
    pub uploaded: u64,
    /// Files that failed.
    pub failed: u64,
    /// Bytes of the files uploaded.
    pub bytes: u64,
}

/// `imagekit upload`.
pub async fn run(ctx: &Context, args: UploadArgs) -> CliResult {
    let mut jobs = Vec::new();
    for path in &args.paths {
        plan_path(path, &args.folder, args.recursive, &mut jobs)?;
    }
    if jobs.is_empty() {
        return Err(CliError::usage("nothing to upload: the directories given hold no files"));
    }
    let client = ctx.client()?;
    let settings =
        Settings { tags: args.transfer.tags.clone(), private: args.transfer.private, unique: !args.no_unique };
    let summary = transfer(ctx, &client, jobs, &settings, &args.transfer).await?;
    if summary.failed > 0 { Err(CliError::Reported) } else { Ok(()) }
}

/// Add the jobs for one path: a file goes into `folder`; a directory (with
/// `recursive`) puts its files under `folder` at their relative paths.
pub fn plan_path(path: &Path, folder: &str, recursive: bool, jobs: &mut Vec<Job>) -> CliResult {
    let meta = std::fs::metadata(path).map_err(|e| CliError::usage(format!("cannot read {}: {e}", path.display())))?;
    if meta.is_dir() {
        if !recursive {
            return Err(CliError::usage(format!(
                "{} is a directory: pass --recursive (-r) to upload it",
                path.display()
            )));
        }
        walk(path, &path.display().to_string(), &mut Vec::new(), folder, jobs)
    } else if meta.is_file() {
        let file_name = file_name_of(path)?;
        jobs.push(Job {
            source: path.to_owned(),
            display: path.display().to_string(),
            folder: join_folder(folder, &[]),
            file_name,
            size: meta.len(),
        });
        Ok(())
    } else {
        Err(CliError::usage(format!("{} is not a file or a directory", path.display())))
    }
}

/// Every file under `dir`, in name order, sub-directories included. Symbolic links
/// to files are followed; links to directories are skipped (no cycles).
pub fn walk(dir: &Path, display: &str, rel: &mut Vec<String>, folder: &str, jobs: &mut Vec<Job>) -> CliResult {
    let read_err = |e: std::io::Error| CliError::usage(format!("cannot read {}: {e}", dir.display()));
    let mut entries: Vec<_> = std::fs::read_dir(dir).map_err(read_err)?.collect::<Result<_, _>>().map_err(read_err)?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let kind = entry.file_type().map_err(read_err)?;
        let shown = format!("{}/{}", display.trim_end_matches('/'), name);
        if kind.is_dir() {
            rel.push(name);
            walk(&path, &shown, rel, folder, jobs)?;
            rel.pop();
            continue;
        }
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => return Err(CliError::usage(format!("cannot read {}: {e}", path.display()))),
        };
        if meta.is_file() {
            jobs.push(Job {
                source: path,
                display: shown,
                folder: join_folder(folder, rel),
                file_name: name,
                size: meta.len(),
            });
        } else if meta.is_dir() {
            eprintln!("imagekit: skipping {shown}: a link to a directory");
        }
    }
    Ok(())
}

/// `base` and the relative directories as one folder path: `/a/b/c`, or `/`.
pub fn join_folder(base: &str, rel: &[String]) -> String {
    let parts: Vec<&str> = base.split('/').chain(rel.iter().map(String::as_str)).filter(|p| !p.is_empty()).collect();
    format!("/{}", parts.join("/"))
}

fn file_name_of(path: &Path) -> CliResult<String> {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| CliError::usage(format!("{} has no file name", path.display())))
}

/// Upload `jobs`, a few at a time, printing one line per result as it comes.
pub async fn transfer(
    ctx: &Context,
    client: &Client,
    jobs: Vec<Job>,
    settings: &Settings,
    flags: &TransferArgs,
) -> CliResult<Summary> {
    let total_bytes = jobs.iter().map(|j| j.size).sum();
    let progress = Progress::new(flags.progress, total_bytes, jobs.len() as u64);
    let started = Instant::now();
    let max_retries = ctx.max_retries();
    let timeout = ctx.global.timeout;
    let total = ctx.global.total_timeout;
    let progress_ref = &progress;
    let mut results = stream::iter(jobs)
        .map(|job| async move {
            let result = upload_one(client, &job, settings, progress_ref, max_retries, timeout, total).await;
            (job, result)
        })
        .buffer_unordered(usize::from(flags.concurrency));

    let mut summary = Summary::default();
    while let Some((job, result)) = results.next().await {
        match &result {
            Ok(_) => {
                summary.uploaded += 1;
                summary.bytes += job.size;
            }
            Err(_) => summary.failed += 1,
        }
        progress.set_done(summary.uploaded + summary.failed);
        progress.print(&ctx.out, |out| report(out, &job, &result))?;
    }
    progress.finish();
    if !ctx.out.json {
        let failed = if summary.failed > 0 { format!(", {} failed", summary.failed) } else { String::new() };
        eprintln!(
            "imagekit: {} uploaded ({}){failed} in {:.1} s",
            summary.uploaded,
            human_bytes(summary.bytes),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(summary)
}

/// One result line: JSON with `--json`, else text (failures on stderr).
fn report(out: &crate::output::Output, job: &Job, result: &Result<FileUploadResponse, imagekit::Error>) -> CliResult {
    match result {
        Ok(file) if out.json => out.json_line(&json!({"source": job.display, "ok": true, "file": file})),
        Ok(file) => out.line(&format!(
            "uploaded {} -> {} ({})",
            job.display,
            file.file_path.as_deref().unwrap_or("?"),
            human_bytes(job.size)
        )),
        Err(e) if out.json => out.json_line(&json!({"source": job.display, "ok": false, "error": sdk_error_json(e)})),
        Err(e) => {
            let text =
                describe_sdk_error(e).replacen("imagekit: error:", &format!("imagekit: {} failed:", job.display), 1);
            eprintln!("{text}");
            Ok(())
        }
    }
}

/// Upload one file, streamed from disk by the SDK, its progress drawn from the
/// SDK's progress events, retrying what cannot have stored a second copy (see
/// [`retryable`]).
async fn upload_one(
    client: &Client,
    job: &Job,
    settings: &Settings,
    progress: &Progress,
    max_retries: u32,
    timeout: Option<Duration>,
    total: Option<Duration>,
) -> Result<FileUploadResponse, imagekit::Error> {
    let bar = progress.file_bar(&job.source, job.size);
    // A large file gets longer than the default 60 s unless a timeout was set.
    let timeout = timeout.unwrap_or(imagekit::DEFAULT_TIMEOUT + Duration::from_secs(job.size / (256 * 1024)));
    let started = Instant::now();
    let mut attempt = 0;
    let result = loop {
        // The SDK reads the file's length when the upload starts, and fails the
        // upload rather than send more or fewer bytes than it announced.
        let upload = UploadFile::path(&job.source).file_name(job.file_name.clone());
        let mut call = client
            .files()
            .upload(upload, settings.params(job))
            .timeout(timeout)
            .max_retries(0)
            .on_progress(bar.callback());
        if let Some(total) = total {
            // What is left of --total-timeout bounds this attempt (the SDK's own
            // total applies per call, and this loop makes one call per attempt).
            let left = total.saturating_sub(started.elapsed());
            call = call.total_timeout(left);
        }
        match call.await.map_err(|e| with_total(e, total)) {
            Ok(file) => break Ok(file),
            Err(e) if attempt < max_retries && retryable(&e, settings.unique) => {
                let delay = retry_delay(&e, attempt);
                // The SDK's rule: a wait that ends past the deadline is not taken.
                if let Some(total) = total.filter(|&t| started.elapsed() + delay >= t) {
                    bar.reset();
                    let last = Some(Box::new(e));
                    break Err(imagekit::Error::DeadlineExceeded { total, retry_in: Some(delay), last });
                }
                bar.reset();
                tokio::time::sleep(delay).await;
                attempt += 1;
            }
            Err(e) => {
                bar.reset();
                break Err(e);
            }
        }
    };
    progress.file_done(&bar);
    result
}

/// Whether a failed upload may go again. A 429 is refused before any work; any
/// other retryable failure only when a repeat cannot store a second copy: the
/// name is not made unique, or the request never reached the server.
pub fn retryable(e: &imagekit::Error, unique: bool) -> bool {
    if matches!(e, imagekit::Error::RateLimit(_)) {
        return true;
    }
    if !e.is_retryable() {
        return false;
    }
    !unique || matches!(e, imagekit::Error::Connection(t) if !t.request_sent())
}

/// A deadline error names the whole --total-timeout, not what was left of it
/// for the attempt that ran out.
fn with_total(e: imagekit::Error, total: Option<Duration>) -> imagekit::Error {
    match (e, total) {
        (imagekit::Error::DeadlineExceeded { retry_in, last, .. }, Some(total)) => {
            imagekit::Error::DeadlineExceeded { total, retry_in, last }
        }
        (e, _) => e,
    }
}

/// The server's `Retry-After` (at most 60 s), else 0.5 s doubling up to 8 s.
fn retry_delay(e: &imagekit::Error, attempt: u32) -> Duration {
    let asked = e
        .api_error()
        .and_then(|a| a.headers.get("retry-after"))
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(|s| Duration::from_secs_f64(s.min(60.0)));
    asked.unwrap_or_else(|| Duration::from_millis(500u64.saturating_mul(1 << attempt.min(4))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_join() {
        assert_eq!(join_folder("/", &[]), "/");
        assert_eq!(join_folder("", &[]), "/");
        assert_eq!(join_folder("/site/", &["a".into(), "b".into()]), "/site/a/b");
        assert_eq!(join_folder("site", &["a".into()]), "/site/a");
    }
}
