//! Polling an asynchronous job until it completes.

use std::future::Future;
use std::time::Duration;

use imagekit_types::JobStatus;

use crate::sleep::{self, AsyncSleep};
use crate::{Error, Result};

/// How to wait for a job or purge: how often to ask, and for how long.
///
/// Built with [`WaitOptions::new`] (or `default()`) and its setters:
///
/// ```
/// use std::time::Duration;
/// use imagekit::resources::wait::WaitOptions;
///
/// let options = WaitOptions::new().poll_interval(Duration::from_secs(2)).timeout(Duration::from_secs(60));
/// assert_eq!((options.poll_interval, options.timeout), (Duration::from_secs(2), Duration::from_secs(60)));
/// ```
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct WaitOptions {
    /// The pause between two polls (default 1 s).
    pub poll_interval: Duration,
    /// Give up after this long (default 5 minutes) with [`Error::WaitTimeout`].
    pub timeout: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions { poll_interval: Duration::from_secs(1), timeout: Duration::from_secs(300) }
    }
}

impl WaitOptions {
    /// The defaults: poll every second, give up after 5 minutes.
    pub fn new() -> Self {
        Self::default()
    }

    /// The pause between two polls.
    #[must_use]
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = interval;
        self
    }

    /// Give up after this long.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

/// Poll `fetch` until `status` says `Completed`, pausing and timing out on `sleep`.
pub(crate) async fn until_completed<T, F, Fut>(
    sleep: &dyn AsyncSleep,
    job: &str,
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
        Err(_) => Err(Error::WaitTimeout { waited: options.timeout, job: job.to_owned() }),
    }
}
