//! The shared state every handler gets.

use std::time::Duration;

use imagekit_url::PrivateKey;

use crate::store::Store;

/// Fault injection for users' own resilience tests.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Answer this fraction of API requests (0.0 to 1.0) with a 500.
    pub fail_rate: f64,
    /// Delay every response by this much.
    pub latency: Duration,
    /// Allow at most this many API requests a second; the rest get 429.
    pub rate_limit: Option<u32>,
}

/// The emulator's state.
pub struct State {
    /// The private API key requests must authenticate with.
    pub private_key: String,
    /// Signs and checks URLs and upload signatures.
    pub signer: PrivateKey,
    /// The public key client-side uploads name.
    pub public_key: String,
    /// The URL endpoint files are delivered from, e.g.
    /// `http://127.0.0.1:8787/emulator` (no trailing slash).
    pub url_endpoint: String,
    /// The path prefix of delivery URLs, e.g. `/emulator`.
    pub delivery_prefix: String,
    /// Records and blobs.
    pub store: Store,
    /// Fault injection.
    pub faults: Faults,
    /// Rate-limit window state: (window start in ms, requests in it).
    pub rate_window: std::sync::Mutex<(i64, u32)>,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("public_key", &self.public_key)
            .field("url_endpoint", &self.url_endpoint)
            .field("faults", &self.faults)
            .finish_non_exhaustive()
    }
}
