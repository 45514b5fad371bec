//! How many uploads `sync` keeps in flight: an AIMD limiter, as TCP does for
//! its window. Each success adds `1/limit` (so about one more slot per round
//! of uploads); a 429 halves the limit, once per congestion event (only a
//! request started after the last halving can halve it again), and holds every
//! new request until the server's rate-limit window resets.

use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

/// The pure state of the limiter, apart from waiting (unit-tested on its own).
#[derive(Debug, Clone)]
pub struct Aimd {
    /// The current limit; its floor is how many requests may be in flight.
    limit: f64,
    max: f64,
    in_flight: usize,
    /// When the limit was last halved.
    last_decrease: Option<Instant>,
    /// No request starts before this.
    paused_until: Option<Instant>,
    /// How many times the limit was halved.
    decreases: u64,
}

impl Aimd {
    /// Start at `start` in flight, never above `max` (both at least 1).
    pub fn new(start: usize, max: usize) -> Self {
        let max = max.max(1) as f64;
        Aimd {
            limit: (start.max(1) as f64).min(max),
            max,
            in_flight: 0,
            last_decrease: None,
            paused_until: None,
            decreases: 0,
        }
    }

    /// The whole number of requests allowed in flight.
    pub fn allowed(&self) -> usize {
        self.limit.floor() as usize
    }

    /// Take a slot at `now`, or say how long to wait: `Err(Some(d))` while
    /// paused, `Err(None)` until a slot frees.
    pub fn try_acquire(&mut self, now: Instant) -> Result<(), Option<Duration>> {
        if let Some(until) = self.paused_until {
            if until > now {
                return Err(Some(until - now));
            }
            self.paused_until = None;
        }
        if self.in_flight < self.allowed() {
            self.in_flight += 1;
            Ok(())
        } else {
            Err(None)
        }
    }

    /// A slot is given back.
    pub fn release(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
    }

    /// A request succeeded: additive increase.
    pub fn on_success(&mut self) {
        self.limit = (self.limit + 1.0 / self.limit).min(self.max);
    }

    /// A request started at `started` was refused with a 429 at `now`; the
    /// server's window resets after `reset`. Halves the limit unless it was
    /// already halved for a request sent after `started`.
    pub fn on_rate_limited(&mut self, started: Instant, now: Instant, reset: Duration) {
        if self.last_decrease.is_none_or(|t| started >= t) {
            self.limit = (self.limit / 2.0).max(1.0);
            self.last_decrease = Some(now);
            self.decreases += 1;
        }
        let until = now + reset;
        if self.paused_until.is_none_or(|p| p < until) {
            self.paused_until = Some(until);
        }
    }

    /// How many times the limit was halved.
    pub fn decreases(&self) -> u64 {
        self.decreases
    }
}

/// [`Aimd`] shared by the upload tasks, with waiting.
#[derive(Debug)]
pub struct Limiter {
    state: Mutex<Aimd>,
    notify: Notify,
}

/// A slot in flight; dropping it gives the slot back.
#[derive(Debug)]
pub struct Permit<'a> {
    limiter: &'a Limiter,
    /// When the request was allowed to start.
    pub started: Instant,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.limiter.with(Aimd::release);
        self.limiter.notify.notify_one();
    }
}

impl Limiter {
    /// A limiter starting at `start`, at most `max`.
    pub fn new(start: usize, max: usize) -> Self {
        Limiter { state: Mutex::new(Aimd::new(start, max)), notify: Notify::new() }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Aimd) -> T) -> T {
        // A panic elsewhere cannot leave the counters half-updated.
        f(&mut self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// Wait for a slot.
    pub async fn acquire(&self) -> Permit<'_> {
        loop {
            let notified = self.notify.notified();
            tokio::pin!(notified);
            // Registered before the check, so a release in between is not missed.
            notified.as_mut().enable();
            match self.with(|s| s.try_acquire(Instant::now())) {
                Ok(()) => return Permit { limiter: self, started: Instant::now() },
                Err(Some(wait)) => tokio::time::sleep(wait).await,
                Err(None) => notified.await,
            }
        }
    }

    /// A request succeeded.
    pub fn success(&self) {
        let grew = self.with(|s| {
            let before = s.allowed();
            s.on_success();
            s.allowed() > before
        });
        if grew {
            self.notify.notify_one();
        }
    }

    /// A request started at `started` got a 429; the window resets after `reset`.
    pub fn rate_limited(&self, started: Instant, reset: Duration) {
        self.with(|s| s.on_rate_limited(started, Instant::now(), reset));
    }

    /// The current limit, and how many times it was halved.
    pub fn snapshot(&self) -> (usize, u64) {
        self.with(|s| (s.allowed(), s.decreases()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_by_about_one_per_round_and_stops_at_max() {
        let mut a = Aimd::new(8, 10);
        for _ in 0..8 {
            a.on_success();
        }
        assert_eq!(a.allowed(), 8, "8 successes at limit 8 add just under 1");
        a.on_success();
        assert_eq!(a.allowed(), 9);
        for _ in 0..1000 {
            a.on_success();
        }
        assert_eq!(a.allowed(), 10);
    }

    #[test]
    fn a_429_halves_once_per_event_and_pauses() {
        let t0 = Instant::now();
        let mut a = Aimd::new(16, 64);
        // Two requests in flight when the window filled: one halving only.
        a.on_rate_limited(t0, t0 + Duration::from_millis(10), Duration::from_millis(300));
        a.on_rate_limited(t0 + Duration::from_millis(5), t0 + Duration::from_millis(12), Duration::from_millis(298));
        assert_eq!((a.allowed(), a.decreases()), (8, 1));
        // Paused until the window resets, then slots again.
        assert_eq!(a.try_acquire(t0 + Duration::from_millis(100)), Err(Some(Duration::from_millis(210))));
        assert_eq!(a.try_acquire(t0 + Duration::from_millis(310)), Ok(()));
        // A request sent after the halving that is refused halves again.
        a.on_rate_limited(t0 + Duration::from_millis(311), t0 + Duration::from_millis(320), Duration::ZERO);
        assert_eq!((a.allowed(), a.decreases()), (4, 2));
        for i in 1..10 {
            let at = t0 + Duration::from_secs(i);
            a.on_rate_limited(at, at, Duration::ZERO);
        }
        assert_eq!(a.allowed(), 1, "never below one");
    }

    #[test]
    fn slots_are_bounded_by_the_limit() {
        let now = Instant::now();
        let mut a = Aimd::new(2, 4);
        assert_eq!(a.try_acquire(now), Ok(()));
        assert_eq!(a.try_acquire(now), Ok(()));
        assert_eq!(a.try_acquire(now), Err(None));
        a.release();
        assert_eq!(a.try_acquire(now), Ok(()));
    }

    #[tokio::test]
    async fn waiters_wake_when_a_slot_frees() {
        let limiter = Limiter::new(1, 1);
        let first = limiter.acquire().await;
        let second = async {
            let p = limiter.acquire().await;
            p.started
        };
        let release = async {
            tokio::time::sleep(Duration::from_millis(50)).await;
            drop(first);
        };
        let start = Instant::now();
        let (started, ()) = tokio::join!(second, release);
        // Not before the first permit was dropped, and not a timer's worth later.
        let waited = started - start;
        assert!(waited >= Duration::from_millis(50) && waited < Duration::from_secs(5), "{waited:?}");
    }
}
