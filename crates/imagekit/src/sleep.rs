//! Pluggable sleeping: the per-attempt timeout, retry backoff and job polling
//! all wait through an [`AsyncSleep`], so the SDK runs on any executor.
//!
//! The client uses [`DefaultSleep`] unless
//! [`ClientBuilder::sleep_impl`](crate::ClientBuilder::sleep_impl) says
//! otherwise: Tokio's timer inside a Tokio runtime (with the `tokio` feature,
//! on by default), so tests on a paused clock (`tokio::time::pause`) skip the
//! waits; everywhere else a runtime-independent timer ([`TimerSleep`]).
//!
//! A custom implementation plugs in another runtime's timer, or a test clock:
//!
//! ```
//! use std::time::Duration;
//! use imagekit::sleep::{AsyncSleep, Sleep};
//!
//! /// Never waits: every pause is over at once.
//! #[derive(Debug)]
//! struct NoWait;
//!
//! impl AsyncSleep for NoWait {
//!     fn sleep(&self, _duration: Duration) -> Sleep {
//!         Sleep::new(std::future::ready(()))
//!     }
//! }
//!
//! let client = imagekit::Client::builder().private_key("k").sleep_impl(NoWait).build()?;
//! # let _ = client;
//! # Ok::<(), imagekit::Error>(())
//! ```

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

/// Something that can wait: returns a future that completes after `duration`.
///
/// Object safe, so a client holds it as `Arc<dyn AsyncSleep>`. Implement it to
/// run the SDK's timeouts, backoff and polling on a timer of your choice.
pub trait AsyncSleep: Send + Sync {
    /// A future that completes once `duration` has passed.
    fn sleep(&self, duration: Duration) -> Sleep;
}

impl<T: AsyncSleep + ?Sized> AsyncSleep for Arc<T> {
    fn sleep(&self, duration: Duration) -> Sleep {
        (**self).sleep(duration)
    }
}

impl<T: AsyncSleep + ?Sized> AsyncSleep for Box<T> {
    fn sleep(&self, duration: Duration) -> Sleep {
        (**self).sleep(duration)
    }
}

/// The future an [`AsyncSleep`] returns: any `Send` future of `()`, boxed.
#[must_use = "a sleep does nothing until it is awaited"]
pub struct Sleep(Pin<Box<dyn Future<Output = ()> + Send + 'static>>);

impl Sleep {
    /// Wrap a future that completes when the sleep is over.
    pub fn new(future: impl Future<Output = ()> + Send + 'static) -> Self {
        Sleep(Box::pin(future))
    }
}

impl fmt::Debug for Sleep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sleep")
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.0.as_mut().poll(cx)
    }
}

/// A timer that needs no runtime: [`futures_timer::Delay`], driven by one
/// helper thread shared by the process. Works on any executor
/// (`futures::executor`, async-std, smol, Tokio, ...).
#[derive(Debug, Clone, Copy, Default)]
pub struct TimerSleep;

impl AsyncSleep for TimerSleep {
    fn sleep(&self, duration: Duration) -> Sleep {
        Sleep::new(futures_timer::Delay::new(duration))
    }
}

/// Tokio's timer ([`tokio::time::sleep`]), which follows a paused test clock.
///
/// Must be used inside a Tokio runtime with time enabled, or sleeping panics;
/// [`DefaultSleep`] checks for a runtime first.
#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleep;

#[cfg(feature = "tokio")]
impl AsyncSleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> Sleep {
        Sleep::new(tokio::time::sleep(duration))
    }
}

/// What a client sleeps with unless told otherwise.
///
/// With the `tokio` feature, `TokioSleep` when called inside a Tokio runtime
/// (which must then have its timer enabled, as `#[tokio::main]` and
/// `Runtime::new` do), so a paused test clock applies; otherwise, and always
/// without the feature, [`TimerSleep`].
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultSleep;

impl AsyncSleep for DefaultSleep {
    fn sleep(&self, duration: Duration) -> Sleep {
        // The sleep is created while the SDK's future is polled, so this sees
        // the executor the caller is on.
        #[cfg(feature = "tokio")]
        if tokio::runtime::Handle::try_current().is_ok() {
            return TokioSleep.sleep(duration);
        }
        TimerSleep.sleep(duration)
    }
}

/// The outcome of [`timeout`] when the time ran out first.
#[derive(Debug)]
pub(crate) struct Elapsed;

/// Run `future`, giving up after `duration` as measured by `sleep`. When both
/// are ready at once the future wins, as with `tokio::time::timeout`.
pub(crate) async fn timeout<F: Future>(
    sleep: &dyn AsyncSleep,
    duration: Duration,
    future: F,
) -> Result<F::Output, Elapsed> {
    use futures::future::{Either, select};
    match select(std::pin::pin!(future), sleep.sleep(duration)).await {
        Either::Left((output, _)) => Ok(output),
        Either::Right(((), _)) => Err(Elapsed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn the_timer_waits_without_a_runtime() {
        let started = Instant::now();
        futures::executor::block_on(DefaultSleep.sleep(Duration::from_millis(30)));
        assert!(started.elapsed() >= Duration::from_millis(30), "{:?}", started.elapsed());
    }

    #[test]
    fn timeout_yields_the_future_or_elapsed() {
        futures::executor::block_on(async {
            let done = timeout(&TimerSleep, Duration::from_secs(30), async { 7 }).await;
            assert!(matches!(done, Ok(7)));
            let started = Instant::now();
            let never = timeout(&TimerSleep, Duration::from_millis(20), std::future::pending::<()>()).await;
            assert!(never.is_err());
            assert!(started.elapsed() >= Duration::from_millis(20));
        });
    }

    #[cfg(feature = "tokio")]
    #[tokio::test(start_paused = true)]
    async fn inside_tokio_the_default_follows_the_paused_clock() {
        let started = tokio::time::Instant::now();
        let wall = Instant::now();
        DefaultSleep.sleep(Duration::from_secs(3600)).await;
        assert_eq!(started.elapsed(), Duration::from_secs(3600));
        assert!(wall.elapsed() < Duration::from_secs(60), "the paused clock skipped the hour");
    }
}
