//! What `sync` prints: a line per file as its outcome arrives, and the
//! summary at the end (text on stderr, or a `{"summary": ...}` JSON line).

use std::time::Duration;

use imagekit::types::FileUploadResponse;
use serde_json::{Value, json};

use crate::error::{CliResult, sdk_error_json, sdk_message};
use crate::output::{Output, human_bytes};

/// Failures listed again in the text summary; the rest are counted.
const LISTED_FAILURES: usize = 50;

/// What happened to one local file.
#[derive(Debug)]
pub enum Outcome {
    /// Uploaded (new or changed).
    Uploaded(Box<FileUploadResponse>),
    /// Same size and hash as the remote file.
    Unchanged,
    /// Would be uploaded (dry run).
    WouldUpload,
    /// Not uploaded: why, and the SDK error when there is one.
    Failed(String, Option<Value>),
    /// Not started because of Ctrl-C.
    Interrupted,
}

/// One local file's outcome, with where it goes.
#[derive(Debug)]
pub struct FileResult {
    /// The file as shown.
    pub display: String,
    /// Its stored path.
    pub path: String,
    /// Its size.
    pub size: u64,
    /// What happened.
    pub outcome: Outcome,
}

impl FileResult {
    /// A failure from an SDK error.
    pub fn sdk_failure(e: &imagekit::Error) -> Outcome {
        Outcome::Failed(sdk_message(e), Some(sdk_error_json(e)))
    }
}

/// The counts of a run.
#[derive(Debug, Default)]
pub struct Summary {
    /// Files uploaded.
    pub uploaded: u64,
    /// Files already up to date.
    pub unchanged: u64,
    /// Files a dry run would upload.
    pub would_upload: u64,
    /// Remote files deleted (or, in a dry run, that would be).
    pub deleted: u64,
    /// Remote files under the folder with no local file.
    pub remote_only: u64,
    /// Files not started because of Ctrl-C.
    pub interrupted: u64,
    /// Each failure: the file (or remote path) and why.
    pub failures: Vec<(String, String)>,
    /// Bytes uploaded.
    pub bytes: u64,
    /// Ctrl-C stopped the run.
    pub stopped: bool,
    /// Times the upload limit was halved after a 429.
    pub rate_limited: u64,
}

impl Summary {
    /// Count a file's outcome and print its line.
    pub fn record(&mut self, out: &Output, verbose: bool, r: FileResult) -> CliResult {
        let FileResult { display, path, size, outcome } = r;
        match outcome {
            Outcome::Uploaded(file) => {
                self.uploaded += 1;
                self.bytes += size;
                let shown = file.file_path.clone().unwrap_or_else(|| path.clone());
                out.either(
                    || format!("uploaded {display} -> {shown} ({})", human_bytes(size)),
                    &json!({"source": display, "ok": true, "status": "uploaded", "filePath": shown, "file": file}),
                )
            }
            Outcome::Unchanged => {
                self.unchanged += 1;
                if out.json {
                    out.json_line(&json!({"source": display, "ok": true, "status": "unchanged", "filePath": path}))
                } else {
                    if verbose {
                        eprintln!("imagekit: unchanged {display}");
                    }
                    Ok(())
                }
            }
            Outcome::WouldUpload => {
                self.would_upload += 1;
                out.either(
                    || format!("would upload {display} -> {path} ({})", human_bytes(size)),
                    &json!({"source": display, "ok": true, "status": "would-upload", "filePath": path}),
                )
            }
            Outcome::Failed(reason, error) => {
                let line = if out.json {
                    let error = error.unwrap_or_else(|| json!({"message": reason}));
                    out.json_line(
                        &json!({"source": display, "ok": false, "status": "failed", "filePath": path, "error": error}),
                    )
                } else {
                    eprintln!("imagekit: {display} failed: {reason}");
                    Ok(())
                };
                self.failures.push((display, reason));
                line
            }
            Outcome::Interrupted => {
                self.interrupted += 1;
                Ok(())
            }
        }
    }

    /// A remote file deleted (or, `dry_run`, to delete), or the reason not.
    pub fn deleted(&mut self, out: &Output, path: &str, result: Result<(), String>, dry_run: bool) -> CliResult {
        match result {
            Ok(()) => {
                self.deleted += 1;
                let (word, status) = if dry_run { ("would delete", "would-delete") } else { ("deleted", "deleted") };
                out.either(|| format!("{word} {path}"), &json!({"filePath": path, "ok": true, "status": status}))
            }
            Err(reason) => {
                let line = if out.json {
                    out.json_line(&json!({"filePath": path, "ok": false, "status": "delete-failed", "error": {"message": reason}}))
                } else {
                    eprintln!("imagekit: deleting {path} failed: {reason}");
                    Ok(())
                };
                self.failures.push((path.to_owned(), format!("delete: {reason}")));
                line
            }
        }
    }

    /// The summary: a JSON line on stdout with `--json`, else lines on stderr.
    pub fn print(&self, out: &Output, dry_run: bool, elapsed: Duration) -> CliResult {
        let secs = elapsed.as_secs_f64();
        if out.json {
            let failures: Vec<Value> =
                self.failures.iter().map(|(source, reason)| json!({"source": source, "reason": reason})).collect();
            return out.json_line(&json!({"summary": {
                "dryRun": dry_run,
                "uploaded": self.uploaded,
                "wouldUpload": self.would_upload,
                "unchanged": self.unchanged,
                "deleted": self.deleted,
                "remoteOnly": self.remote_only,
                "failed": self.failures.len(),
                "failures": failures,
                "bytes": self.bytes,
                "seconds": (secs * 1000.0).round() / 1000.0,
                "interrupted": self.stopped,
                "notStarted": self.interrupted,
                "rateLimitBackoffs": self.rate_limited,
            }}));
        }
        let failed = self.failures.len();
        if dry_run {
            eprintln!(
                "imagekit: {} to upload, {} unchanged, {} to delete (dry run)",
                self.would_upload, self.unchanged, self.deleted
            );
        } else if self.uploaded == 0 && self.deleted == 0 && failed == 0 && !self.stopped {
            eprintln!("imagekit: everything is up to date ({} files)", self.unchanged);
        } else {
            let rate = if secs > 0.0 { self.uploaded as f64 / secs } else { 0.0 };
            eprintln!(
                "imagekit: {} uploaded ({}), {} unchanged, {} deleted, {failed} failed in {secs:.1} s ({rate:.1} files/s)",
                self.uploaded,
                human_bytes(self.bytes),
                self.unchanged,
                self.deleted,
            );
        }
        for (source, reason) in self.failures.iter().take(LISTED_FAILURES) {
            eprintln!("  failed: {source}: {reason}");
        }
        if failed > LISTED_FAILURES {
            eprintln!("  ... and {} more failures", failed - LISTED_FAILURES);
        }
        if self.stopped {
            eprintln!(
                "imagekit: interrupted: no new uploads were started; run sync again to finish (uploaded files are \
                 recorded remotely, so nothing is sent twice)"
            );
        }
        Ok(())
    }
}
