//! The emulator's command-line surface, shared by the `imagekit-emulator`
//! binary and the `imagekit emulator` subcommand: the flags ([`ServeArgs`]) and
//! [`serve`], which starts the server, prints where it listens and runs until
//! Ctrl-C or SIGTERM.

use std::io::Write;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::time::Duration;

use clap::ValueEnum;
use clap::parser::ValueSource;

use crate::{DEFAULT_IMAGEKIT_ID, Emulator, EmulatorError, Faults};

/// How to serve: address, storage, faults and logging (the keys are the
/// caller's, as each front-end reads them from its own flags).
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (an IP address or a host name such as `localhost`).
    #[arg(long, default_value = "127.0.0.1", value_name = "HOST")]
    pub host: String,

    /// Port to listen on; 0 picks a free one (printed on the first stdout line).
    #[arg(long, default_value_t = 8787, value_name = "PORT")]
    pub port: u16,

    /// ImageKit id: the first path segment of delivery URLs (`/<id>/<filePath>`).
    #[arg(long, default_value = DEFAULT_IMAGEKIT_ID, value_name = "ID")]
    pub imagekit_id: String,

    /// Persist records and files under this directory (created if missing); without it
    /// everything lives in memory and is gone on exit.
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Fault injection: answer this fraction (0 to 1) of API requests with a 500.
    #[arg(long, default_value_t = 0.0, value_parser = parse_fail_rate, value_name = "FRACTION")]
    pub fail_rate: f64,

    /// Fault injection: delay every API request by this many milliseconds.
    #[arg(long, default_value_t = 0, value_name = "MS")]
    pub latency_ms: u64,

    /// Fault injection: allow at most N API requests per second (`N/s` or `N`); the rest
    /// get a 429 with Retry-After and X-RateLimit-* headers.
    #[arg(long, value_parser = parse_rate_limit, value_name = "N/s")]
    pub rate_limit: Option<u32>,

    /// Seconds a client may take to send a request's headers before its connection is closed.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..), value_name = "SECS")]
    pub header_read_timeout_secs: u64,

    /// Seconds a request body may stall (no bytes arriving) before the request fails with 408
    /// and its connection is closed.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..), value_name = "SECS")]
    pub body_idle_timeout_secs: u64,

    /// Request log format on stderr (one line per request: method, path, status,
    /// elapsed_ms). RUST_LOG overrides the default filter `imagekit_emulator=info`.
    #[arg(long, value_enum, default_value_t = LogFormat::Text, value_name = "FORMAT")]
    pub log_format: LogFormat,

    /// Turn on the dashboard's original creation date setting: the reserved custom metadata
    /// field `_internal_original_created_datetime` exists, and the ASC_/DESC_ORIGINAL_CREATION_DATE
    /// sorts use its values.
    #[arg(long)]
    pub original_creation_date: bool,

    /// Email of the dashboard user the emulator acts as: new folders record it in `createdBy`
    /// (with --folder-creator-name).
    #[arg(long, value_name = "EMAIL", requires = "folder_creator_name")]
    pub folder_creator_email: Option<String>,

    /// Name of that user (with --folder-creator-email).
    #[arg(long, value_name = "NAME", requires = "folder_creator_email")]
    pub folder_creator_name: Option<String>,
}

/// How request logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// `--fail-rate`: a fraction from 0 to 1.
pub fn parse_fail_rate(s: &str) -> Result<f64, String> {
    let v: f64 = s.trim().parse().map_err(|_| format!("`{s}` is not a number; expected a fraction from 0 to 1"))?;
    if !(0.0..=1.0).contains(&v) {
        return Err(format!("{v} is out of range; expected a fraction from 0 to 1 (0.1 = 10%)"));
    }
    Ok(v)
}

/// `--rate-limit`: `N/s` or `N`, at least 1.
pub fn parse_rate_limit(s: &str) -> Result<u32, String> {
    let t = s.trim();
    let n = t.strip_suffix("/s").unwrap_or(t).trim();
    match n.parse::<u32>() {
        Ok(0) => Err("the rate limit must be at least 1 request per second".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("`{s}` is not a rate; expected requests per second as `N/s` or `N`, e.g. `10/s`")),
    }
}

/// `host` and `port` as a socket address (an IP literal, `[v6]`, or a name to resolve).
fn socket_addr(host: &str, port: u16) -> Result<SocketAddr, String> {
    let bare = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, port));
    }
    (bare, port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve --host {host}: {e}"))?
        .next()
        .ok_or_else(|| format!("--host {host} resolves to no address"))
}

/// Where a key came from (command line, environment or default), for the startup line (the key itself is never printed).
pub fn key_source(source: Option<ValueSource>, flag: &str, env: &str) -> String {
    match source {
        Some(ValueSource::CommandLine) => format!("set by {flag}"),
        Some(ValueSource::EnvVariable) => format!("set by {env}"),
        _ => "default".into(),
    }
}

/// Request logs on stderr in `format`; `RUST_LOG` overrides the filter `imagekit_emulator=info`.
pub fn init_logging(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("imagekit_emulator=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

/// Resolves on Ctrl-C or SIGTERM. The handlers are installed before this
/// returns the future, so a signal that arrives right after startup is caught.
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = &'static str>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        Ok(async move {
            tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = int.recv() => "SIGINT",
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
            "Ctrl-C"
        })
    }
}

/// Start an emulator with `args` and the given keys, print one line
/// `<program> listening on <base URL> (...)` on stdout (never the private key:
/// `key_source` says where it came from), and serve until Ctrl-C or SIGTERM.
pub async fn serve(
    program: &str,
    args: &ServeArgs,
    private_key: String,
    public_key: String,
    key_source: &str,
) -> Result<(), EmulatorError> {
    let addr = socket_addr(&args.host, args.port).map_err(EmulatorError)?;
    let mut builder = Emulator::builder()
        .addr(addr)
        .private_key(private_key)
        .public_key(public_key)
        .imagekit_id(args.imagekit_id.clone())
        .faults(Faults {
            fail_rate: args.fail_rate,
            latency: Duration::from_millis(args.latency_ms),
            rate_limit: args.rate_limit,
        })
        .original_creation_date_field(args.original_creation_date)
        .header_read_timeout(Duration::from_secs(args.header_read_timeout_secs))
        .body_idle_timeout(Duration::from_secs(args.body_idle_timeout_secs));
    if let Some(dir) = &args.data_dir {
        builder = builder.data_dir(dir);
    }
    if let (Some(email), Some(name)) = (&args.folder_creator_email, &args.folder_creator_name) {
        builder = builder.folder_creator(email.clone(), name.clone());
    }
    let signal = shutdown_signal().map_err(|e| EmulatorError(format!("cannot install signal handlers: {e}")))?;
    let emulator = builder.start().await?;
    let storage = match &args.data_dir {
        Some(dir) => format!("data dir {}", dir.display()),
        None => "in memory".into(),
    };
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "{program} listening on {} (url endpoint {}, public key {}, private key {key_source}, {storage})",
            emulator.base_url(),
            emulator.url_endpoint(),
            emulator.public_key(),
        )
        .and_then(|()| out.flush());
    }
    let why = signal.await;
    tracing::info!(target: "imagekit_emulator", signal = why, "shutting down");
    emulator.shutdown().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limits() {
        assert_eq!(parse_rate_limit("10/s"), Ok(10));
        assert_eq!(parse_rate_limit(" 3 "), Ok(3));
        assert!(parse_rate_limit("0/s").is_err());
        assert!(parse_rate_limit("abc").is_err());
        assert!(parse_rate_limit("10/m").is_err());
        assert!(parse_rate_limit("-1").is_err());
    }

    #[test]
    fn fail_rates() {
        assert_eq!(parse_fail_rate("0.25"), Ok(0.25));
        assert!(parse_fail_rate("1.5").is_err());
        assert!(parse_fail_rate("NaN").is_err());
        assert!(parse_fail_rate("x").is_err());
    }

    #[test]
    fn hosts() {
        assert_eq!(socket_addr("127.0.0.1", 1).unwrap(), SocketAddr::from(([127, 0, 0, 1], 1)));
        assert_eq!(socket_addr("[::1]", 2).unwrap().port(), 2);
        assert!(socket_addr("localhost", 3).is_ok());
    }
}
