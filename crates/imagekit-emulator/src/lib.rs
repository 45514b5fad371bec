#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod api;
mod auth;
mod body;
pub mod cli;
mod dates;
mod delivery;
mod faults;
mod imageinfo;
mod media;
mod model;
mod remote;
mod render;
mod router;
mod server;
mod spool;
mod state;
mod store;
#[cfg(test)]
mod tests;
mod transport;
mod util;
mod web;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use imagekit_types::CreatedBy;

pub use state::Faults;
pub use transport::InProcess;

use state::State;
use store::Store;

/// Default private key of a new emulator.
pub const DEFAULT_PRIVATE_KEY: &str = "private_emulator_key";
/// Default public key of a new emulator.
pub const DEFAULT_PUBLIC_KEY: &str = "public_emulator_key";
/// Default ImageKit id: the first path segment of delivery URLs.
pub const DEFAULT_IMAGEKIT_ID: &str = "emulator";

/// Entry point; see [`Emulator::builder`].
#[derive(Debug)]
pub struct Emulator;

impl Emulator {
    /// A builder with the defaults: loopback, a random port, in memory.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }
}

/// Something the emulator could not start with.
#[derive(Debug)]
pub struct EmulatorError(pub(crate) String);

impl std::fmt::Display for EmulatorError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EmulatorError {}

/// Configures an emulator.
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    private_key: String,
    public_key: String,
    imagekit_id: String,
    addr: SocketAddr,
    data_dir: Option<PathBuf>,
    faults: Faults,
    folder_creator: Option<CreatedBy>,
    original_creation_date: bool,
    limits: server::ConnLimits,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        EmulatorBuilder {
            private_key: DEFAULT_PRIVATE_KEY.into(),
            public_key: DEFAULT_PUBLIC_KEY.into(),
            imagekit_id: DEFAULT_IMAGEKIT_ID.into(),
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: None,
            faults: Faults::default(),
            folder_creator: None,
            original_creation_date: false,
            limits: server::ConnLimits::default(),
        }
    }
}

impl EmulatorBuilder {
    /// The private key API requests must use.
    pub fn private_key(mut self, key: impl Into<String>) -> Self {
        self.private_key = key.into();
        self
    }

    /// The public key client-side uploads must name.
    pub fn public_key(mut self, key: impl Into<String>) -> Self {
        self.public_key = key.into();
        self
    }

    /// The first path segment of delivery URLs (default `emulator`).
    pub fn imagekit_id(mut self, id: impl Into<String>) -> Self {
        self.imagekit_id = id.into();
        self
    }

    /// The address to listen on (default `127.0.0.1:0`, a random port).
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Persist everything under this directory.
    pub fn data_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.data_dir = Some(dir.into());
        self
    }

    /// Fault injection.
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// The dashboard user the emulator acts as: folders it creates from now on
    /// (explicitly, as missing parents, or by a copy) say `createdBy:
    /// {email, name}`. Without it `createdBy` is absent, as when ImageKit does
    /// not know who created a folder.
    pub fn folder_creator(mut self, email: impl Into<String>, name: impl Into<String>) -> Self {
        let mut by = CreatedBy::default();
        by.email = Some(email.into());
        by.name = Some(name.into());
        self.folder_creator = Some(by);
        self
    }

    /// Turn on the dashboard's "original creation date" setting: the reserved
    /// custom metadata field `_internal_original_created_datetime` exists
    /// (`reserved: true`), files can carry a value for it in `customMetadata`,
    /// and the `ASC_`/`DESC_ORIGINAL_CREATION_DATE` sorts use it. Off by
    /// default, as on a new account (the sorts then use the upload time).
    pub fn original_creation_date_field(mut self, enabled: bool) -> Self {
        self.original_creation_date = enabled;
        self
    }

    /// How long a client may take to send a request's headers before the
    /// connection is closed (default 30 s). Socket server only.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.limits.header_read = timeout;
        self
    }

    /// How long a request body may stall, no bytes arriving, before the
    /// request fails with `408 Request Timeout` and the connection is closed
    /// (default 30 s). Socket server only.
    pub fn body_idle_timeout(mut self, timeout: Duration) -> Self {
        self.limits.body_idle = timeout;
        self
    }

    fn state(&self, origin: &str) -> Result<State, EmulatorError> {
        let id = self.imagekit_id.trim_matches('/');
        if id.is_empty() || id.contains('/') || id == "v1" || id == "api" {
            return Err(EmulatorError(format!("invalid ImageKit id {id:?}: one path segment, not `v1` or `api`")));
        }
        if self.private_key.is_empty() {
            return Err(EmulatorError("the private key must not be empty".into()));
        }
        let signer = imagekit_url::PrivateKey::new(&self.private_key).map_err(|e| EmulatorError(e.to_string()))?;
        let store = match &self.data_dir {
            Some(dir) => Store::open(dir).map_err(EmulatorError)?,
            None => Store::in_memory(),
        }
        .with_folder_creator(self.folder_creator.clone());
        if self.original_creation_date {
            api::cmf::ensure_original_creation_date_field(&store).map_err(|e| EmulatorError(e.message))?;
        }
        Ok(State {
            private_key: self.private_key.clone(),
            signer,
            public_key: self.public_key.clone(),
            url_endpoint: format!("{origin}/{id}"),
            delivery_prefix: format!("/{id}"),
            store,
            faults: self.faults.clone(),
            rate_window: Default::default(),
        })
    }

    /// Bind the socket and serve in the background.
    pub async fn start(self) -> Result<RunningEmulator, EmulatorError> {
        let listener = server::bind(self.addr).await.map_err(|e| EmulatorError(format!("bind {}: {e}", self.addr)))?;
        let addr = listener.local_addr().map_err(|e| EmulatorError(e.to_string()))?;
        let state = Arc::new(self.state(&format!("http://{addr}"))?);
        let (tx, rx) = tokio::sync::watch::channel(false);
        let task = tokio::spawn(server::run(listener, state.clone(), self.limits, rx));
        Ok(RunningEmulator { addr, state, shutdown: tx, task })
    }

    /// An emulator with no socket: an [`HttpClient`](imagekit_transport::HttpClient)
    /// answering every request in-process. Delivery URLs use `origin`
    /// (e.g. `http://emulator.local`) as their scheme and host.
    pub fn in_process(self, origin: &str) -> Result<InProcess, EmulatorError> {
        Ok(InProcess { state: Arc::new(self.state(origin.trim_end_matches('/'))?) })
    }
}

/// A running emulator; dropping it does not stop it, [`shutdown`](Self::shutdown) does.
#[derive(Debug)]
pub struct RunningEmulator {
    addr: SocketAddr,
    state: Arc<State>,
    shutdown: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl RunningEmulator {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL for API clients, e.g. `http://127.0.0.1:43123`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The URL endpoint files are delivered from, e.g. `http://127.0.0.1:43123/emulator`.
    pub fn url_endpoint(&self) -> &str {
        &self.state.url_endpoint
    }

    /// The private key it expects.
    pub fn private_key(&self) -> &str {
        &self.state.private_key
    }

    /// The public key it expects.
    pub fn public_key(&self) -> &str {
        &self.state.public_key
    }

    /// Stop accepting connections, let open ones finish (at most `grace`), and return.
    pub async fn shutdown_within(self, grace: Duration) {
        let _ = self.shutdown.send(true);
        let _ = tokio::time::timeout(grace, self.task).await;
    }

    /// [`shutdown_within`](Self::shutdown_within) five seconds.
    pub async fn shutdown(self) {
        self.shutdown_within(Duration::from_secs(5)).await;
    }
}
