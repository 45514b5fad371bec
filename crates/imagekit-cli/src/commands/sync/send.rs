//! One upload of `sync`: the file replaces whatever is at its stored path and
//! records its SHA-256, sent when the [`Limiter`] allows. A 429 halves the
//! limiter and the upload goes again once the server's window resets; other
//! retryable failures go again after a backoff, up to `--max-retries`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use imagekit::types::{FileUploadResponse, UploadParams};
use imagekit::{Client, UploadFile};

use super::limiter::Limiter;
use super::local::LocalFile;
use super::remote::HASH_FIELD;

/// 429s one file may get before it fails: a server that never lets it through.
const MAX_RATE_LIMITED: u32 = 200;

/// What every upload is sent with.
#[derive(Debug, Clone)]
pub struct Options {
    /// Tags for every file.
    pub tags: Vec<String>,
    /// Store as private files.
    pub private: bool,
    /// Retries of failures other than 429.
    pub max_retries: u32,
    /// Per-attempt timeout, if set.
    pub timeout: Option<Duration>,
}

/// Why an upload did not happen.
#[derive(Debug)]
pub enum SendError {
    /// The API or the connection failed.
    Api(imagekit::Error),
    /// Ctrl-C came before it started.
    Interrupted,
}

impl Options {
    fn params(&self, file: &LocalFile, hash: &str) -> UploadParams {
        let mut params = UploadParams::new(file.name.clone())
            .folder(file.folder.clone())
            .use_unique_file_name(false)
            .overwrite_file(true)
            .custom_metadata_value(HASH_FIELD, hash);
        if !self.tags.is_empty() {
            params = params.tags(self.tags.iter().cloned());
        }
        if self.private {
            params = params.is_private_file(true);
        }
        params
    }
}

/// Upload `file` with its `hash`, waiting for the limiter; gives up before
/// sending anything once `stop` is set.
pub async fn upload(
    client: &Client,
    limiter: &Limiter,
    file: &LocalFile,
    hash: &str,
    options: &Options,
    stop: &AtomicBool,
) -> Result<FileUploadResponse, SendError> {
    let mut failures = 0;
    let mut rate_limited = 0;
    // A large file gets longer than the default 60 s unless a timeout was set.
    let timeout = options.timeout.unwrap_or(imagekit::DEFAULT_TIMEOUT + Duration::from_secs(file.size / (256 * 1024)));
    loop {
        let permit = limiter.acquire().await;
        if stop.load(Ordering::Relaxed) {
            return Err(SendError::Interrupted);
        }
        let body = UploadFile::path(&file.source).file_name(file.name.clone());
        let call = client.files().upload(body, options.params(file, hash)).timeout(timeout).max_retries(0);
        match call.await {
            Ok(response) => {
                limiter.success();
                return Ok(response);
            }
            Err(imagekit::Error::RateLimit(api)) if rate_limited < MAX_RATE_LIMITED => {
                rate_limited += 1;
                // The server's wait as the SDK reads it; one second when it names none.
                limiter.rate_limited(permit.started, api.retry_after().unwrap_or(Duration::from_secs(1)));
            }
            // The name is fixed and the file replaced, so a repeat cannot store a second copy.
            Err(e) if e.is_retryable() && failures < options.max_retries => {
                drop(permit);
                tokio::time::sleep(backoff(failures)).await;
                failures += 1;
            }
            Err(e) => return Err(SendError::Api(e)),
        }
    }
}

/// 0.5 s doubling up to 8 s.
fn backoff(failures: u32) -> Duration {
    Duration::from_millis(500u64 << failures.min(4))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_eight_seconds() {
        assert_eq!(backoff(0), Duration::from_millis(500));
        assert_eq!(backoff(1), Duration::from_secs(1));
        assert_eq!(backoff(9), Duration::from_secs(8));
    }
}
