//! Polling an asynchronous job until it completes.

use std::future::Future;
use std::time::Duration;

use imagekit_types::JobStatus;

use crate::sleep::{self, AsyncSleep};
use crate::{Error, Result};

/// How to wait for a job or purge: how often to ask, and for how long.
#[derive(Debug, Clone, Copy)]
pub struct WaitOptions {
    /// The pause between two polls (default 1 s).
    pub poll_interval: Duration,
    /// Give up after this long (default 5 minutes) with [`Error::Timeout`].
    pub timeout: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions { poll_interval: Duration::from_secs(1), timeout: Duration::from_secs(300) }
    }
}

/// Poll `fetch` until `status` says `Completed`, pausing and timing out on `sleep`.
pub(crate) async fn until_completed<T, F, Fut>(
    sleep: &dyn AsyncSleep,
    options: WaitOptions,
    fetch: F,
    status: fn(&T) -> Option<&JobStatus>,
) -> Result<T>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let poll = async {
        loop {
            let value = fetch().await?;
            if status(&value) == Some(&JobStatus::Completed) {
                return Ok(value);
            }
            sleep.sleep(options.poll_interval).await;
        }
    };
    match sleep::timeout(sleep, options.timeout, poll).await {
        Ok(result) => result,
        Err(_) => Err(Error::Timeout { after: options.timeout }),
    }
}
