//! Ids, the clock, and running blocking work.

use std::time::{SystemTime, UNIX_EPOCH};

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// A 24-hex-digit id shaped like ImageKit's (a MongoDB ObjectId): seconds,
/// then a per-process random part, then a counter, so ids sort by creation.
pub fn new_id() -> String {
    static PROCESS: OnceLock<u32> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let process = *PROCESS.get_or_init(|| fastrand::u32(..) & 0x00ff_ffff);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed) & 0xff_ffff_ffff;
    format!("{:08x}{process:06x}{n:010x}", now_secs() as u32)
}

/// Milliseconds since the Unix epoch.
pub fn now_millis() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// Seconds since the Unix epoch.
pub fn now_secs() -> i64 {
    now_millis() / 1000
}

/// The current time as ImageKit writes it: `2025-01-01T00:00:00.000Z`.
pub fn now_iso() -> String {
    crate::dates::iso_from_millis(now_millis())
}

/// Run blocking work (an fsync) without stalling a multi-threaded runtime.
pub(crate) fn blocking<R>(f: impl FnOnce() -> R) -> R {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => tokio::task::block_in_place(f),
        _ => f(),
    }
}
